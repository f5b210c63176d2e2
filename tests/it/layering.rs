//! The pipeline's stages only look down (ARCHITECTURE.md, "Stages"): a tidy test in the
//! manner of rust-analyzer's. It reads every `crate::` path in `src/` (code, not comments)
//! and fails on an edge from a module to one of a later stage, and on a module that has no
//! stage. The checker is tested on planted sources, so it is known to fail.

use crate::common::root;
use std::collections::BTreeSet;
use std::path::Path;

/// The library's top-level modules by stage, lowest first. A module may use its own stage
/// and the ones before it.
const STAGES: &[(&str, &[&str])] = &[
    (
        "foundation",
        &["error", "bounds", "dist", "hash", "input", "stop", "text"],
    ),
    ("data", &["data"]),
    ("scenario", &["scenario"]),
    ("model", &["model"]),
    ("mc", &["mc"]),
    ("analysis", &["backtest", "results", "target"]),
    ("exporters", &["output", "report", "export"]),
    ("commands", &["app"]),
];

/// The files of the binary, which use the library as `pledge::` and are above every stage.
const BINARY: &[&str] = &["main.rs", "cli.rs", "progress_bar.rs"];

fn stage_of(module: &str) -> Option<usize> {
    STAGES
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The top-level module a file under `src/` belongs to: `model` for `model/mod.rs` and
/// `model/draws.rs`, `text` for `text.rs`; `None` for `lib.rs`.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first.strip_suffix(".rs") {
        Some("lib") => None,
        Some(stem) => Some(stem.to_string()),
        None => Some(first.to_string()),
    }
}

/// The source without comments (line comments, doc comments and block comments), so that
/// a doc link is not an edge. String literals are kept: none holds `crate::`.
fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Every top-level module named by a `crate::` path: `crate::model::Model` and each name of
/// `crate::{model::Model, data}`.
fn crate_paths(source: &str) -> BTreeSet<String> {
    let code = without_comments(source);
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        // `pledge_crate::` or `$crate::` is not this crate's path.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let after = &code[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 1;
            let mut start = 0;
            let mut names = Vec::new();
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => {
                        names.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
                if depth == 0 {
                    names.push(&group[start..i]);
                    break;
                }
            }
            found.extend(
                names
                    .into_iter()
                    .map(|n| ident(n.trim()))
                    .filter(|n| !n.is_empty()),
            );
        } else {
            found.insert(ident(after));
        }
    }
    found
}

/// The edges that go up, as `file: module (stage) -> module (stage)`, and the modules
/// without a stage.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (relative, source) in files {
        if BINARY.contains(&relative.as_str()) {
            continue;
        }
        let Some(module) = module_of(Path::new(relative)) else {
            continue;
        };
        let Some(from) = stage_of(&module) else {
            problems.push(format!(
                "{relative}: module '{module}' has no stage; add it to STAGES and to ARCHITECTURE.md"
            ));
            continue;
        };
        for target in crate_paths(source) {
            match stage_of(&target) {
                None => problems.push(format!(
                    "{relative}: uses 'crate::{target}', which has no stage"
                )),
                Some(to) if to > from => problems.push(format!(
                    "{relative}: {module} ({}) uses crate::{target} ({}), a later stage",
                    STAGES[from].0, STAGES[to].0
                )),
                Some(_) => {}
            }
        }
    }
    problems
}

/// Every `.rs` file under `src/`, as (path relative to `src/`, contents).
fn sources() -> Vec<(String, String)> {
    let src = root().join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path
                    .strip_prefix(&src)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                files.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn no_module_uses_a_later_stage() {
    let files = sources();
    assert!(files.len() > 40, "found the sources");
    let problems = violations(&files);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_module_of_the_library_has_a_stage() {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let declared: Vec<&str> = lib
        .lines()
        .filter_map(|l| {
            l.strip_prefix("pub mod ")
                .or_else(|| l.strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert!(declared.len() >= 14, "{declared:?}");
    for module in declared {
        assert!(stage_of(module).is_some(), "'{module}' has no stage");
    }
}

#[test]
fn the_checker_finds_an_upward_edge_a_grouped_one_and_a_module_without_stage() {
    let file = |path: &str, source: &str| (path.to_string(), source.to_string());
    let planted = [
        file(
            "model/mod.rs",
            "use crate::data::Ally;\nuse crate::app::Runs;\n",
        ),
        file(
            "scenario/resolve.rs",
            "fn f() { let x = crate::mc::summary::Summary::central(s); }\n",
        ),
        file("data/items.rs", "use crate::{bounds, report::Results};\n"),
        file(
            "text.rs",
            "//! See [`crate::app`].\n/* crate::report */ fn f() {}\n",
        ),
        file("novel.rs", "use crate::data::Ally;\n"),
        file("cli.rs", "use crate::app::Runs;\n"),
    ];
    let problems = violations(&planted);
    assert_eq!(
        problems,
        [
            "model/mod.rs: model (model) uses crate::app (commands), a later stage",
            "scenario/resolve.rs: scenario (scenario) uses crate::mc (mc), a later stage",
            "data/items.rs: data (data) uses crate::report (exporters), a later stage",
            "novel.rs: module 'novel' has no stage; add it to STAGES and to ARCHITECTURE.md",
        ]
    );
}
