//! What a printed ticket looks like, drawn from its ESC/POS job, and golden-image checks.
//!
//! [`preview`] replays [`decode`](crate::printer::decode)d ops the way a 203 dpi thermal
//! printer lays them out: printer-font text in 12 × 24-dot cells (the glyphs drawn with
//! kitchen-print's bundled Noto Sans), scaled by `GS !`, aligned by `ESC a`, wrapped at the
//! paper's edge; raster images composited where they print; a QR code as a placeholder box
//! of the right size with its three finder squares; the cut as a dashed line.
//!
//! [`check_golden`] compares a preview with a committed PNG, allowing a small share of
//! differing dots (font rasterisers differ by a dot here and there); `MELT8_UPDATE_GOLDEN=1`
//! rewrites the golden instead.

use crate::printer::Op;
use anyhow::{Context, Result, bail};
use kitchen_print::{LineAlign, TextLine, TextRenderer, TextSize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Dots of the printer font's cell.
const CELL_W: u32 = 12;
const CELL_H: u32 = 24;
/// Dots between printer-font lines (the default line spacing is about 30 dots).
const LINE_GAP: u32 = 6;
/// A feed's line.
const FEED_LINE: u32 = CELL_H + LINE_GAP;

/// A ticket as it would come out of the printer: `width` dots across, one byte a dot
/// (1 black, 0 white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// Dots across (the paper's printable width).
    pub width: u32,
    /// Dots down.
    pub height: u32,
    /// Row after row.
    pub dots: Vec<u8>,
}

impl Preview {
    fn blank(width: u32) -> Preview {
        Preview {
            width,
            height: 0,
            dots: Vec::new(),
        }
    }

    fn set(&mut self, x: u32, y: u32) {
        if x >= self.width {
            return;
        }
        if y >= self.height {
            self.height = y + 1;
            self.dots.resize((self.width * self.height) as usize, 0);
        }
        self.dots[(y * self.width + x) as usize] = 1;
    }

    fn grow_to(&mut self, height: u32) {
        if height > self.height {
            self.height = height;
            self.dots.resize((self.width * self.height) as usize, 0);
        }
    }

    /// Whether the dot at (`x`, `y`) is black.
    pub fn get(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.dots[(y * self.width + x) as usize] == 1
    }

    /// The preview as a greyscale PNG (black on white).
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, self.width, self.height.max(1));
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc.write_header()?;
            let mut pixels: Vec<u8> = self
                .dots
                .iter()
                .map(|d| if *d == 1 { 0 } else { 255 })
                .collect();
            pixels.resize((self.width * self.height.max(1)) as usize, 255);
            writer.write_image_data(&pixels)?;
        }
        Ok(out)
    }

    /// A preview read back from a PNG written by [`Preview::to_png`] (dark dots black).
    pub fn from_png(bytes: &[u8]) -> Result<Preview> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info()?;
        let size = reader
            .output_buffer_size()
            .context("the PNG is too big to read")?;
        let mut buf = vec![0; size];
        let info = reader.next_frame(&mut buf)?;
        let channels = info.color_type.samples();
        let (width, height) = (info.width, info.height);
        let dots = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|px| u8::from(px[0] < 128))
            .collect();
        Ok(Preview {
            width,
            height,
            dots,
        })
    }

    /// The share of dots that differ from `other` (1.0 when the sizes differ).
    pub fn difference(&self, other: &Preview) -> f64 {
        if (self.width, self.height) != (other.width, other.height) || self.dots.is_empty() {
            return 1.0;
        }
        let differing = self
            .dots
            .iter()
            .zip(&other.dots)
            .filter(|(a, b)| a != b)
            .count();
        differing as f64 / self.dots.len() as f64
    }
}

/// Draws printer-font text with the bundled font; keeps each character's cell.
#[derive(Debug, Default)]
pub struct Previewer {
    renderer: TextRenderer,
    cells: HashMap<char, Vec<(u32, u32)>>,
}

/// Printer state that shapes what text looks like.
#[derive(Debug, Clone, Copy)]
struct Style {
    align: u8,
    bold: bool,
    width: u8,
    height: u8,
}

const RESET: Style = Style {
    align: 0,
    bold: false,
    width: 1,
    height: 1,
};

impl Previewer {
    /// A previewer (loads the fonts once).
    pub fn new() -> Previewer {
        Previewer::default()
    }

    /// The black dots of `c` in a 12 × 24 cell.
    fn cell(&mut self, c: char) -> Vec<(u32, u32)> {
        if let Some(dots) = self.cells.get(&c) {
            return dots.clone();
        }
        let mut dots = Vec::new();
        let text = c.to_string();
        let line = TextLine {
            text: &text,
            size: TextSize::Normal,
            align: LineAlign::Natural,
        };
        if let Ok(img) = self.renderer.render(&[line], 48) {
            let inked: Vec<u32> = (0..img.width())
                .filter(|x| (0..img.height()).any(|y| img.get(*x, y)))
                .collect();
            if let (Some(&left), Some(&right)) = (inked.first(), inked.last()) {
                let ink = right - left + 1;
                let fit = ink.min(CELL_W - 1);
                let offset = (CELL_W - fit) / 2;
                for y in 0..CELL_H {
                    let sy = y * img.height() / CELL_H;
                    for x in 0..fit {
                        let sx = left + x * ink / fit;
                        if img.get(sx, sy) {
                            dots.push((offset + x, y));
                        }
                    }
                }
            }
        }
        self.cells.insert(c, dots.clone());
        dots
    }

    /// The ticket `ops` print on paper `width` dots wide.
    pub fn preview(&mut self, ops: &[Op], width: u32) -> Preview {
        let mut out = Preview::blank(width);
        let mut style = RESET;
        let mut y = 0u32;
        // The line being typed: each character with the style it was typed in.
        let mut line: Vec<(char, Style)> = Vec::new();
        for op in ops {
            match op {
                Op::Init => style = RESET,
                Op::Align(a) => style.align = *a,
                Op::Bold(b) => style.bold = *b,
                Op::Size { width, height } => {
                    style.width = *width;
                    style.height = *height;
                }
                Op::Text(t) => line.extend(t.chars().map(|c| (c, style))),
                Op::LineFeed => {
                    y = self.print_line(&mut out, &std::mem::take(&mut line), y, width);
                }
                Op::Feed(n) => {
                    if !line.is_empty() {
                        y = self.print_line(&mut out, &std::mem::take(&mut line), y, width);
                    }
                    y += u32::from(*n) * FEED_LINE;
                    out.grow_to(y);
                }
                Op::Image(img) => {
                    let x0 = aligned(style.align, img.width(), width);
                    for iy in 0..img.height() {
                        for ix in 0..img.width() {
                            if img.get(ix, iy) {
                                out.set(x0 + ix, y + iy);
                            }
                        }
                    }
                    y += img.height();
                    out.grow_to(y);
                }
                Op::Qr { data, module } => {
                    let side = qr_modules(data.len()) * u32::from(*module);
                    let x0 = aligned(style.align, side, width);
                    draw_qr_placeholder(&mut out, x0, y, side, u32::from(*module));
                    y += side;
                    out.grow_to(y);
                }
                Op::Cut => {
                    y += 8;
                    for x in (0..width).step_by(8) {
                        for dx in 0..4 {
                            out.set(x + dx, y);
                        }
                    }
                    y += 8;
                    out.grow_to(y);
                }
                // A status query asks; it prints nothing.
                Op::StatusQuery(_) => {}
            }
        }
        if !line.is_empty() {
            y = self.print_line(&mut out, &line, y, width);
            out.grow_to(y);
        }
        out
    }

    /// Prints one typed line (wrapping at the paper's edge as the printer does); returns
    /// the top of the next line.
    fn print_line(
        &mut self,
        out: &mut Preview,
        line: &[(char, Style)],
        mut y: u32,
        width: u32,
    ) -> u32 {
        if line.is_empty() {
            y += FEED_LINE;
            out.grow_to(y);
            return y;
        }
        // Split where the next character would run past the paper.
        let mut rows: Vec<&[(char, Style)]> = Vec::new();
        let (mut start, mut used) = (0, 0);
        for (i, (_, s)) in line.iter().enumerate() {
            let w = CELL_W * u32::from(s.width);
            if used + w > width && i > start {
                rows.push(&line[start..i]);
                start = i;
                used = 0;
            }
            used += w;
        }
        rows.push(&line[start..]);
        for row in rows {
            let row_width: u32 = row.iter().map(|(_, s)| CELL_W * u32::from(s.width)).sum();
            let row_height = row
                .iter()
                .map(|(_, s)| CELL_H * u32::from(s.height))
                .max()
                .unwrap_or(CELL_H);
            let align = row.first().map_or(0, |(_, s)| s.align);
            let mut x = aligned(align, row_width, width);
            for (c, s) in row {
                let (sw, sh) = (u32::from(s.width), u32::from(s.height));
                let top = y + row_height - CELL_H * sh;
                for (cx, cy) in self.cell(*c) {
                    for dy in 0..sh {
                        for dx in 0..sw {
                            out.set(x + cx * sw + dx, top + cy * sh + dy);
                            if s.bold {
                                out.set(x + cx * sw + dx + 1, top + cy * sh + dy);
                            }
                        }
                    }
                }
                x += CELL_W * sw;
            }
            y += row_height + LINE_GAP;
            out.grow_to(y);
        }
        y
    }
}

/// Where something `w` dots wide starts on paper `width` dots wide, by `ESC a`'s value.
fn aligned(align: u8, w: u32, width: u32) -> u32 {
    match align {
        1 => width.saturating_sub(w) / 2,
        2 => width.saturating_sub(w),
        _ => 0,
    }
}

/// Modules across a model 2 QR code holding `bytes` bytes at error correction M.
fn qr_modules(bytes: usize) -> u32 {
    const CAPACITY_M: [usize; 10] = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];
    let version = CAPACITY_M
        .iter()
        .position(|c| bytes <= *c)
        .map_or(40, |v| v + 1);
    17 + 4 * version as u32
}

/// A QR code's outline and its three finder squares.
fn draw_qr_placeholder(out: &mut Preview, x0: u32, y0: u32, side: u32, module: u32) {
    for i in 0..side {
        out.set(x0 + i, y0);
        out.set(x0 + i, y0 + side - 1);
        out.set(x0, y0 + i);
        out.set(x0 + side - 1, y0 + i);
    }
    let finder = 7 * module;
    for (fx, fy) in [(x0, y0), (x0 + side - finder, y0), (x0, y0 + side - finder)] {
        for dy in 0..finder {
            for dx in 0..finder {
                let (mx, my) = (dx / module, dy / module);
                let ring = mx == 0 || my == 0 || mx == 6 || my == 6;
                let centre = (2..=4).contains(&mx) && (2..=4).contains(&my);
                if ring || centre {
                    out.set(fx + dx, fy + dy);
                }
            }
        }
    }
}

/// The share of differing dots a golden image tolerates.
pub const GOLDEN_TOLERANCE: f64 = 0.005;

/// Compares `actual` with the golden PNG at `golden`. With `MELT8_UPDATE_GOLDEN=1` the
/// golden is rewritten instead. On a mismatch the actual image is written to a temporary
/// file, and the error says where.
pub fn check_golden(actual: &Preview, golden: &Path) -> Result<()> {
    let png = actual.to_png()?;
    if std::env::var("MELT8_UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        if let Some(dir) = golden.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(golden, &png).with_context(|| format!("writing {}", golden.display()))?;
        return Ok(());
    }
    let failed = |why: String| -> Result<()> {
        let saved = save_actual(golden, &png)?;
        bail!(
            "{why}; the actual image is at {} (MELT8_UPDATE_GOLDEN=1 rewrites the golden)",
            saved.display()
        )
    };
    let expected = match std::fs::read(golden) {
        Ok(bytes) => Preview::from_png(&bytes)?,
        Err(e) => return failed(format!("no golden image at {}: {e}", golden.display())),
    };
    if (expected.width, expected.height) != (actual.width, actual.height) {
        return failed(format!(
            "{} is {}×{} dots; the ticket is {}×{}",
            golden.display(),
            expected.width,
            expected.height,
            actual.width,
            actual.height
        ));
    }
    let diff = actual.difference(&expected);
    if diff > GOLDEN_TOLERANCE {
        return failed(format!(
            "{:.3} % of the dots differ from {} (at most {:.1} % may)",
            diff * 100.0,
            golden.display(),
            GOLDEN_TOLERANCE * 100.0
        ));
    }
    Ok(())
}

fn save_actual(golden: &Path, png: &[u8]) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join("melt8-golden");
    std::fs::create_dir_all(&dir)?;
    let name = golden
        .file_name()
        .map_or_else(|| "actual.png".into(), |n| n.to_os_string());
    let path = dir.join(name);
    std::fs::write(&path, png)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::printer::decode;
    use kitchen_print::{Bitmap, Encoder};

    #[test]
    fn text_sits_in_cells_scaled_by_size_and_centred_by_alignment() {
        let mut e = Encoder::new();
        e.line("AB")
            .align(kitchen_print::Align::Center)
            .size(2, 2)
            .line("C");
        let p = Previewer::new().preview(&decode(&e.finish()).unwrap(), 384);
        // First line: two cells from the left; second: one double cell in the middle.
        let ink_x = |y0: u32, y1: u32| -> Vec<u32> {
            (0..384)
                .filter(|x| (y0..y1).any(|y| p.get(*x, y)))
                .collect()
        };
        let first = ink_x(0, 24);
        assert!(first.first().is_some_and(|x| *x < 4) && first.last().is_some_and(|x| *x < 24));
        let second = ink_x(30, 30 + 48);
        let (l, r) = (second[0], *second.last().unwrap());
        assert!(l >= 180 && r <= 204 && r - l > 12, "{l}..{r}");
        assert_eq!(p.height, 30 + 48 + 6);
    }

    #[test]
    fn images_are_composited_and_a_png_round_trips() {
        let mut img = Bitmap::blank(16, 4).unwrap();
        img.set(3, 2, true);
        let mut e = Encoder::new();
        e.image(&img).cut();
        let p = Previewer::new().preview(&decode(&e.finish()).unwrap(), 64);
        assert!(p.get(3, 2) && !p.get(4, 2));
        let back = Preview::from_png(&p.to_png().unwrap()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.difference(&p), 0.0);
        let mut other = p.clone();
        other.dots[0] ^= 1;
        assert!(other.difference(&p) > 0.0);
    }

    #[test]
    fn a_golden_mismatch_fails_and_saves_the_actual_image() {
        let dir = tempfile::tempdir().unwrap();
        let golden = dir.path().join("unit-mismatch.png");
        let mut a = Preview::blank(32);
        a.grow_to(10);
        std::fs::write(&golden, a.to_png().unwrap()).unwrap();
        assert!(check_golden(&a, &golden).is_ok());
        let mut b = a.clone();
        for x in 0..32 {
            b.set(x, 5);
        }
        let err = check_golden(&b, &golden).unwrap_err().to_string();
        assert!(
            err.contains("differ") && err.contains("melt8-golden"),
            "{err}"
        );
        let err = check_golden(&a, &dir.path().join("missing.png")).unwrap_err();
        assert!(err.to_string().contains("no golden image"), "{err}");
    }
}
