//! Text drawn into a 1-bit image for the printer.
//!
//! ESC/POS cannot print Urdu (no shaping, no right to left), so a line with Urdu in it is
//! laid out and shaped here (`cosmic-text`: Unicode bidi, HarfBuzz-style shaping of the
//! Nastaliq font's joining and stacking) and drawn into a [`Bitmap`] the width of the
//! paper. The fonts are embedded (`fonts/SOURCE.md`): a ticket looks the same on every PC.

use crate::escpos::{Bitmap, BitmapError};
use cosmic_text::{Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Wrap};

const NASTALIQ: &[u8] = include_bytes!("../fonts/NotoNastaliqUrdu-Regular.ttf");
const SANS: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
const NASTALIQ_FAMILY: &str = "Noto Nastaliq Urdu";
const SANS_FAMILY: &str = "Noto Sans";

/// How big a line prints. In dots at 203 dpi: the printer's own font is 24 dots high.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    /// As the printer's normal font (a bill's lines).
    Normal,
    /// Half again as big (names, the total).
    Large,
    /// Twice as big (a KOT's lines, for a cook at arm's length).
    Huge,
}

impl TextSize {
    fn px(self) -> f32 {
        match self {
            TextSize::Normal => 24.0,
            TextSize::Large => 36.0,
            TextSize::Huge => 48.0,
        }
    }
}

/// Where a drawn line sits across the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineAlign {
    /// By the line's own direction: Urdu from the right, English from the left.
    Natural,
    /// Centred.
    Center,
}

/// One line (it wraps when longer than the paper) to draw.
#[derive(Debug, Clone, Copy)]
pub struct TextLine<'a> {
    pub text: &'a str,
    pub size: TextSize,
    pub align: LineAlign,
}

/// True when `s` holds Arabic-script letters (Urdu), which the printer cannot print itself.
pub fn has_arabic_script(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
    })
}

/// Draws text with the embedded fonts. Building one loads the fonts (a few milliseconds):
/// keep it and reuse it.
pub struct TextRenderer {
    fonts: FontSystem,
    glyphs: SwashCache,
}

impl std::fmt::Debug for TextRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextRenderer").finish_non_exhaustive()
    }
}

impl Default for TextRenderer {
    fn default() -> Self {
        Self::new()
    }
}

impl TextRenderer {
    /// A renderer with only the embedded fonts (never the PC's own).
    pub fn new() -> TextRenderer {
        let mut db = cosmic_text::fontdb::Database::new();
        db.load_font_data(NASTALIQ.to_vec());
        db.load_font_data(SANS.to_vec());
        db.set_sans_serif_family(SANS_FAMILY);
        TextRenderer {
            fonts: FontSystem::new_with_locale_and_db("ur-PK".to_string(), db),
            glyphs: SwashCache::new(),
        }
    }

    /// Draws `lines` one under the other into an image `width` dots wide (the paper's).
    pub fn render(&mut self, lines: &[TextLine<'_>], width: u32) -> Result<Bitmap, BitmapError> {
        let mut drawn: Vec<(Vec<(i32, i32)>, i32)> = Vec::with_capacity(lines.len());
        for line in lines {
            drawn.push(self.draw_line(line, width));
        }
        let height: i32 = drawn.iter().map(|(_, h)| *h).sum();
        let mut img = Bitmap::blank(width, u32::try_from(height.max(1)).unwrap_or(1))?;
        let mut top = 0;
        for (dots, h) in drawn {
            for (x, y) in dots {
                if let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(top + y)) {
                    img.set(x, y, true);
                }
            }
            top += h;
        }
        Ok(img)
    }

    /// The black dots of one line (relative to its top) and its height.
    fn draw_line(&mut self, line: &TextLine<'_>, width: u32) -> (Vec<(i32, i32)>, i32) {
        let urdu = has_arabic_script(line.text);
        let px = line.size.px();
        // Nastaliq stacks letters diagonally and reaches far above and below its line.
        let line_height = if urdu { px * 2.0 } else { px * 1.3 };
        let mut buffer = Buffer::new(&mut self.fonts, Metrics::new(px, line_height));
        buffer.set_wrap(Wrap::WordOrGlyph);
        buffer.set_size(Some(width as f32), None);
        let family = if urdu { NASTALIQ_FAMILY } else { SANS_FAMILY };
        let attrs = Attrs::new().family(Family::Name(family));
        let align = match line.align {
            LineAlign::Natural => None,
            LineAlign::Center => Some(cosmic_text::Align::Center),
        };
        buffer.set_text(line.text, &attrs, Shaping::Advanced, align);
        let mut dots = Vec::new();
        let w = i32::try_from(width).unwrap_or(i32::MAX);
        buffer.draw(
            &mut self.fonts,
            &mut self.glyphs,
            Color::rgb(0, 0, 0),
            |x, y, cw, ch, color| {
                // Anti-aliased coverage to 1 bit: dark enough is black.
                if color.a() < 110 {
                    return;
                }
                for dy in 0..ch as i32 {
                    for dx in 0..cw as i32 {
                        if (0..w).contains(&(x + dx)) && y + dy >= 0 {
                            dots.push((x + dx, y + dy));
                        }
                    }
                }
            },
        );
        let lines_laid = buffer.layout_runs().count().max(1) as f32;
        (dots, (lines_laid * line_height).ceil() as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns holding ink, leftmost and rightmost.
    fn ink_columns(img: &Bitmap) -> Option<(u32, u32)> {
        let cols: Vec<u32> = (0..img.width())
            .filter(|&x| (0..img.height()).any(|y| img.get(x, y)))
            .collect();
        Some((*cols.first()?, *cols.last()?))
    }

    fn one(r: &mut TextRenderer, text: &str) -> Bitmap {
        r.render(
            &[TextLine {
                text,
                size: TextSize::Large,
                align: LineAlign::Natural,
            }],
            576,
        )
        .unwrap()
    }

    #[test]
    fn urdu_starts_from_the_right_and_english_from_the_left() {
        let mut r = TextRenderer::new();
        let urdu = one(&mut r, "علی رضا");
        let (left, right) = ink_columns(&urdu).expect("Urdu is drawn");
        assert!(
            right > 560 && left > 288,
            "from the right edge: {left}..{right}"
        );
        let english = one(&mut r, "Ali Raza");
        let (left, right) = ink_columns(&english).expect("English is drawn");
        assert!(
            left < 16 && right < 288,
            "from the left edge: {left}..{right}"
        );
    }

    #[test]
    fn nastaliq_letters_join_into_fewer_wider_shapes_than_separate_letters() {
        // The same letters apart (spaces between) and joined: shaping joins them, so the
        // joined word is narrower than the letters side by side.
        let mut r = TextRenderer::new();
        let joined = ink_columns(&one(&mut r, "لاہور")).unwrap();
        let apart = ink_columns(&one(&mut r, "ل ا ہ و ر")).unwrap();
        assert!(
            joined.1 - joined.0 < apart.1 - apart.0,
            "joined {joined:?} vs apart {apart:?}"
        );
    }

    #[test]
    fn a_long_address_wraps_within_the_paper() {
        let mut r = TextRenderer::new();
        let address = "مکان نمبر 12، گلی نمبر 4، بلاک سی، گلبرگ تھری، لاہور، حفیظ سینٹر کے پاس";
        let line = TextLine {
            text: address,
            size: TextSize::Large,
            align: LineAlign::Natural,
        };
        let narrow = r.render(&[line], 384).unwrap();
        let wide = r.render(&[line], 576).unwrap();
        assert_eq!(narrow.width(), 384);
        assert!(narrow.height() > wide.height(), "58 mm takes more lines");
    }

    #[test]
    fn detects_urdu() {
        assert!(has_arabic_script("Ali علی"));
        assert!(!has_arabic_script("Chicken Tikka 13\""));
    }
}
