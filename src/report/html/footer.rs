//! The footer: what reproduces the run (tool version, seed, runs, generator, input hash) and
//! the command.

use super::{Esc, w};
use crate::report::tables::generator_text;
use crate::results::Results;
use crate::text::grouped;

/// The `<footer id="reproduce">`.
pub(super) fn footer(out: &mut String, r: &Results) {
    w!(
        out,
        "<footer id=\"reproduce\">\n<h2>Reproduce</h2>\n<dl>\n\
         <dt>Tool</dt><dd>pledge {}</dd>\n<dt>Seed</dt><dd>{}</dd>\n\
         <dt>Monte Carlo runs</dt><dd>{}</dd>\n<dt>Generator</dt><dd>{}</dd>\n\
         <dt>Input hash</dt><dd><code class=\"hash\">{}</code></dd>\n</dl>\n\
         <p>Command:</p>\n<pre><code>{}</code></pre>\n</footer>\n",
        Esc(r.tool_version()),
        r.seed,
        grouped(r.runs as f64, 0),
        Esc(generator_text(r.generator())),
        Esc(&r.input_hash),
        Esc(&r.command())
    );
}
