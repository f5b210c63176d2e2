//! Text on bitmaps from a cache of rasterised glyphs.
//!
//! plotters' `ab_glyph` text rasterises every glyph of every string from its outline, which is
//! about half of the time it takes to draw a chart as PNG. Here each character is rasterised
//! once per thread, font family, size and weight (through plotters' own font, so the pixels
//! are the ones plotters would draw) and then copied wherever it recurs, in every chart the
//! thread draws. Rasterising a glyph is deterministic, so which thread drew it first does not
//! change a pixel. Glyphs advance by their fractional widths, as in plotters; kerning is left
//! out, a fraction of a pixel between a few letter pairs.

use super::canvas::{Area, Drawn};
use plotters::element::Text;
use plotters::prelude::DrawingBackend;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{FontDesc, FontStyle, RGBAColor, TextStyle};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

/// One character at one size and weight: coverage of the pixels around its origin, and how
/// far the pen moves after it.
struct Glyph {
    coverage: Vec<(i32, i32, f32)>,
    advance: f32,
}

/// Rasterised glyphs of one font family by character, size (bits of the `f64`) and bold.
#[derive(Default)]
struct Glyphs {
    family: String,
    cache: BTreeMap<(char, u64, bool), Glyph>,
}

thread_local! {
    /// This thread's glyphs, kept from chart to chart.
    static GLYPHS: RefCell<Glyphs> = RefCell::default();
}

/// Draws `text` at `pos` in `style` (anchor and rotation as plotters draws them) from this
/// thread's cached glyphs.
pub fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    text: &str,
    pos: (i32, i32),
    style: &TextStyle<'_>,
) -> Drawn<DB> {
    GLYPHS.with_borrow_mut(|glyphs| glyphs.draw(root, text, pos, style))
}

/// Characters repeated to measure a fractional advance from plotters' whole-pixel widths.
const REPEAT: usize = 16;

impl Glyphs {
    /// The glyph of `c` in `font`, or `None` when plotters cannot draw the font.
    fn glyph(&mut self, font: &FontDesc<'_>, c: char) -> Option<&Glyph> {
        let family = font.get_family();
        if self.family != family.as_str() {
            self.family = family.as_str().to_string();
            self.cache.clear();
        }
        let bold = matches!(font.get_style(), FontStyle::Bold);
        let key = (c, font.get_size().to_bits(), bold);
        let slot = match self.cache.entry(key) {
            Entry::Occupied(cached) => return Some(cached.into_mut()),
            Entry::Vacant(slot) => slot,
        };
        let mut coverage = Vec::new();
        let single = c.to_string();
        font.draw(&single, (0, 0), |x, y, a| {
            // plotters blends in steps of 1/256 of opacity, rounded down: fainter coverage
            // leaves the pixel as it is, so it is not kept.
            if a >= 1.0 / 256.0 {
                coverage.push((x, y, a.min(1.0)));
            }
            Ok::<(), std::convert::Infallible>(())
        })
        .ok()?;
        // The layout box, unlike `box_size`, ignores the font's rotation.
        let ((x0, _), (x1, _)) = font.layout_box(&single.repeat(REPEAT)).ok()?;
        let advance = (x1 - x0) as f32 / REPEAT as f32;
        Some(slot.insert(Glyph { coverage, advance }))
    }

    fn draw<DB: DrawingBackend>(
        &mut self,
        root: &Area<DB>,
        text: &str,
        pos: (i32, i32),
        style: &TextStyle<'_>,
    ) -> Drawn<DB> {
        let color = style.color;
        if color.alpha == 0.0 {
            return Ok(());
        }
        let mut width = 0.0_f32;
        for c in text.chars() {
            match self.glyph(&style.font, c) {
                Some(glyph) => width += glyph.advance,
                // No font: let plotters report it.
                None => return root.draw(&Text::new(text.to_string(), pos, style.clone())),
            }
        }
        let width = width as i32;
        // plotters' ab_glyph layout is one em high, with the em `size / 1.24` pixels.
        let height = (style.font.get_size() / 1.24) as i32;
        let dx = match style.pos.h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.pos.v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.font.get_transform();
        let (r, g, b) = color.rgb;
        let mut pen = 0.0_f32;
        for c in text.chars() {
            let Some(glyph) = self.glyph(&style.font, c) else {
                continue; // every glyph was found above
            };
            let shift = pen as i32;
            for &(x, y, a) in &glyph.coverage {
                let (x, y) = transform.transform(x + shift + dx, y + dy);
                root.draw_pixel(
                    (pos.0 + x, pos.1 + y),
                    &RGBAColor(r, g, b, color.alpha * a as f64),
                )?;
            }
            pen += glyph.advance;
        }
        Ok(())
    }
}
