//! A ticket being laid out: rows of text in the printer's font where it can print them,
//! drawn rows (Urdu, or anything beyond ASCII) as raster images, a price column on the
//! right (the left on Urdu tickets), rules, the QR code and the cut.
//!
//! Invariants: a printer-font row never holds more characters than fit across the paper at
//! its width multiple (it is wrapped first), and drawn rows are the paper's width. Drawn
//! rows in a row are sent as one image, so the printer gets few large raster commands.

use super::Language;
use super::words::ascii_spelling;
use crate::escpos::{Align, Bitmap, Encoder, Paper};
use crate::render::{LineAlign, TextLine, TextRenderer, TextSize, has_arabic_script};

/// How big a row prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Big {
    /// The printer's normal font; drawn at its height.
    Normal,
    /// Double height (a KOT's lines, the total); drawn half again as big.
    Tall,
    /// Double width and height; drawn twice as big.
    Double,
    /// As wide as fits, up to four times (the order number); drawn twice as big.
    Huge,
}

/// A row's look.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    pub big: Big,
    pub bold: bool,
    pub align: Align,
}

impl Style {
    /// Normal size, left, not bold.
    pub const PLAIN: Style = Style {
        big: Big::Normal,
        bold: false,
        align: Align::Left,
    };

    /// The same, centred.
    pub fn center(self) -> Style {
        Style {
            align: Align::Center,
            ..self
        }
    }

    /// The same, bold.
    pub fn bold(self) -> Style {
        Style { bold: true, ..self }
    }

    /// The same at size `big`.
    pub fn big(self, big: Big) -> Style {
        Style { big, ..self }
    }
}

/// Dots between a drawn name and its drawn price.
const COLUMN_GAP: u32 = 16;

/// A ticket being built.
pub(super) struct Sheet<'r> {
    enc: Encoder,
    renderer: &'r mut TextRenderer,
    paper: Paper,
    lang: Language,
    /// Drawn rows not yet sent.
    pending: Vec<Bitmap>,
}

impl<'r> Sheet<'r> {
    /// An empty ticket (the job starts with the printer's reset).
    pub fn new(renderer: &'r mut TextRenderer, paper: Paper, lang: Language) -> Sheet<'r> {
        Sheet {
            enc: Encoder::new(),
            renderer,
            paper,
            lang,
            pending: Vec::new(),
        }
    }

    /// Characters of the normal font across the paper.
    pub fn columns(&self) -> usize {
        self.paper.columns()
    }

    /// The printer-font spelling of `text`, when this ticket prints it in the printer's
    /// font: English tickets, text that is ASCII once menu typography is spelled out.
    fn printable(&self, text: &str) -> Option<String> {
        if self.lang == Language::Ur {
            return None;
        }
        let s = ascii_spelling(text);
        Encoder::is_plain(&s).then_some(s)
    }

    /// One row (wrapped to the paper).
    pub fn row(&mut self, text: &str, style: Style) {
        match self.printable(text) {
            Some(s) => {
                let (w, h) = self.multiples(style.big, s.chars().count());
                let width = (self.columns() / usize::from(w)).max(1);
                self.flush();
                self.start(style, w, h);
                for line in wrap(&s, width) {
                    self.enc.line(&line);
                }
                self.end(style);
            }
            None => {
                let img = self.draw(text, style.big, style.align, self.paper.dots());
                self.pending.extend(img);
            }
        }
    }

    /// A row with an amount in a column of its own: on the right of an English ticket, on
    /// the left of an Urdu one. The text wraps beside the amount.
    pub fn priced(&mut self, text: &str, amount: &str, style: Style) {
        match (self.printable(text), self.printable(amount)) {
            (Some(text), Some(amount)) => {
                let (w, h) = self.multiples(style.big, 0);
                let width = (self.columns() / usize::from(w)).max(1);
                let amount_len = amount.chars().count();
                self.flush();
                self.start(style, w, h);
                if amount_len + 2 > width / 2 {
                    // An amount too long to sit beside anything: on a line of its own.
                    for line in wrap(&text, width) {
                        self.enc.line(&line);
                    }
                    self.enc.line(&format!("{amount:>width$}"));
                } else {
                    // Two spaces at least between the text and its amount.
                    let lines = wrap(&text, width - amount_len - 2);
                    for (i, line) in lines.iter().enumerate() {
                        if i == 0 {
                            let pad = width - amount_len;
                            self.enc.line(&format!("{line:<pad$}{amount}"));
                        } else {
                            self.enc.line(line);
                        }
                    }
                }
                self.end(style);
            }
            _ => {
                let img = self.draw_priced(text, amount, style.big);
                self.pending.extend(img);
            }
        }
    }

    /// A dashed line across the paper.
    pub fn rule(&mut self) {
        self.flush();
        let dashes = "-".repeat(self.columns());
        self.enc.line(&dashes);
    }

    /// Text in the printer's font exactly as given (the test page's column ruler); longer
    /// text is cut at the paper's width.
    pub fn raw_line(&mut self, text: &str) {
        self.flush();
        let s: String = ascii_spelling(text).chars().take(self.columns()).collect();
        self.enc.line(&s);
    }

    /// `lines` blank lines.
    pub fn feed(&mut self, lines: u8) {
        self.flush();
        self.enc.feed(lines);
    }

    /// A QR code of `data`, centred; nothing when it cannot be a QR code.
    pub fn qr(&mut self, data: &str) {
        self.flush();
        let module = match self.paper {
            Paper::Mm58 => 5,
            Paper::Mm80 => 6,
        };
        self.enc.align(Align::Center);
        if self.enc.qr(data, module).is_ok() {
            self.enc.line("");
        }
        self.enc.align(Align::Left);
    }

    /// The job: everything laid out, a little paper, the cut.
    pub fn finish(mut self) -> Vec<u8> {
        self.flush();
        self.enc.feed(2).cut();
        self.enc.finish()
    }

    /// Width and height multiples for a printer-font row of `chars` characters.
    fn multiples(&self, big: Big, chars: usize) -> (u8, u8) {
        match big {
            Big::Normal => (1, 1),
            Big::Tall => (1, 2),
            Big::Double => (2, 2),
            Big::Huge => {
                let fits = (1..=4u8)
                    .rev()
                    .find(|w| chars * usize::from(*w) <= self.columns())
                    .unwrap_or(1);
                (fits, fits.max(2))
            }
        }
    }

    fn start(&mut self, style: Style, w: u8, h: u8) {
        self.enc.align(style.align);
        if style.bold {
            self.enc.bold(true);
        }
        if (w, h) != (1, 1) {
            self.enc.size(w, h);
        }
    }

    fn end(&mut self, style: Style) {
        if style.big != Big::Normal {
            self.enc.size(1, 1);
        }
        if style.bold {
            self.enc.bold(false);
        }
        if style.align != Align::Left {
            self.enc.align(Align::Left);
        }
    }

    fn text_size(big: Big) -> TextSize {
        match big {
            Big::Normal => TextSize::Normal,
            Big::Tall => TextSize::Large,
            Big::Double | Big::Huge => TextSize::Huge,
        }
    }

    /// `text` drawn `width` dots wide; `None` only if it cannot be (never for a paper's
    /// width).
    fn draw(&mut self, text: &str, big: Big, align: Align, width: u32) -> Option<Bitmap> {
        let mut text = one_line(text);
        if self.lang == Language::Ur && align != Align::Center && !has_arabic_script(&text) {
            // A line with no Urdu letters (a date, a phone number) on an Urdu ticket still
            // runs from the right: the right-to-left mark makes its paragraph right to left.
            text.insert(0, '\u{200F}');
        }
        let line = TextLine {
            text: &text,
            size: Self::text_size(big),
            align: match align {
                Align::Center => LineAlign::Center,
                Align::Left | Align::Right => LineAlign::Natural,
            },
        };
        self.renderer.render(&[line], width).ok()
    }

    /// A drawn row with its amount in a column of its own.
    fn draw_priced(&mut self, text: &str, amount: &str, big: Big) -> Option<Bitmap> {
        let dots = self.paper.dots();
        let amount_img = self.draw(amount, big, Align::Left, dots)?;
        let Some((left, right)) = ink_columns(&amount_img) else {
            return self.draw(text, big, Align::Left, dots);
        };
        let amount_width = right - left + 1;
        if amount_width + COLUMN_GAP >= dots * 2 / 3 {
            let text_img = self.draw(text, big, Align::Left, dots)?;
            return Some(stack(vec![text_img, amount_img]));
        }
        let text_width = dots - amount_width - COLUMN_GAP;
        let text_img = self.draw(text, big, Align::Left, text_width)?;
        let height = text_img.height().max(amount_img.height());
        let mut row = Bitmap::blank(dots, height).ok()?;
        let (text_x, amount_x) = match self.lang {
            Language::En => (0, dots - amount_width),
            Language::Ur => (amount_width + COLUMN_GAP, 0),
        };
        blit(&mut row, &text_img, 0, text_img.width(), text_x);
        blit(&mut row, &amount_img, left, right + 1, amount_x);
        Some(row)
    }

    /// Sends the drawn rows waiting, as one image.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let img = stack(std::mem::take(&mut self.pending));
        self.enc.image(&img);
    }
}

/// Text on one line: line breaks inside a customer's note become spaces (the renderer and
/// the printer wrap by width).
fn one_line(s: &str) -> String {
    s.split(['\n', '\r', '\t']).collect::<Vec<_>>().join(" ")
}

/// Images of the same width one under the other (a lone image as it is).
fn stack(mut imgs: Vec<Bitmap>) -> Bitmap {
    if imgs.len() == 1
        && let Some(img) = imgs.pop()
    {
        return img;
    }
    let width = imgs.iter().map(Bitmap::width).max().unwrap_or(8);
    let height: u32 = imgs.iter().map(Bitmap::height).sum();
    let Ok(mut out) = Bitmap::blank(width, height.max(1)) else {
        return imgs.swap_remove(0);
    };
    let stride = out.stride();
    let mut bits = Vec::with_capacity(stride * height as usize);
    for img in &imgs {
        if img.stride() == stride {
            bits.extend_from_slice(img.packed());
        } else {
            let mut padded = vec![0u8; stride * img.height() as usize];
            for (y, row) in img.packed().chunks(img.stride()).enumerate() {
                padded[y * stride..y * stride + row.len()].copy_from_slice(row);
            }
            bits.extend(padded);
        }
    }
    if let Ok(joined) = Bitmap::from_packed(width, height.max(1), bits) {
        out = joined;
    }
    out
}

/// Copies columns `x0..x1` of `src` into `dst` from column `dx`, top rows aligned.
fn blit(dst: &mut Bitmap, src: &Bitmap, x0: u32, x1: u32, dx: u32) {
    for y in 0..src.height() {
        for x in x0..x1 {
            if src.get(x, y) {
                dst.set(dx + (x - x0), y, true);
            }
        }
    }
}

/// The leftmost and rightmost columns holding ink.
fn ink_columns(img: &Bitmap) -> Option<(u32, u32)> {
    let inked = |x: &u32| (0..img.height()).any(|y| img.get(*x, y));
    let left = (0..img.width()).find(inked)?;
    let right = (0..img.width()).rev().find(inked)?;
    Some((left, right))
}

/// `text` in lines of at most `width` characters, broken at spaces where it can be and
/// inside a word only when the word is longer than a line. Continuation lines keep the
/// first line's indent (up to half the width).
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let indent_len = text
        .chars()
        .take_while(|c| *c == ' ')
        .count()
        .min(width / 2);
    let indent = " ".repeat(indent_len);
    let mut lines = Vec::new();
    let mut line = indent.clone();
    let mut has_word = false;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let room = width.saturating_sub(used + usize::from(has_word));
            if word.len() <= room {
                if has_word {
                    line.push(' ');
                }
                line.extend(word.iter());
                has_word = true;
                break;
            }
            if has_word {
                lines.push(std::mem::replace(&mut line, indent.clone()));
                has_word = false;
                continue;
            }
            // A word longer than a whole line: as much as fits, the rest on the next.
            let room = width.saturating_sub(used).max(1);
            let rest = word.split_off(room.min(word.len()));
            line.extend(word.iter());
            lines.push(std::mem::replace(&mut line, indent.clone()));
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if has_word || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_keeps_the_indent_and_splits_only_overlong_words() {
        assert_eq!(
            wrap("   + Extra cheese and olives please", 16),
            ["   + Extra", "   cheese and", "   olives please"]
        );
        assert_eq!(wrap("ABCDEFGHIJ", 4), ["ABCD", "EFGH", "IJ"]);
        assert_eq!(wrap("", 8), [""]);
        assert_eq!(wrap("a b", 0), ["a", "b"]);
        for line in wrap(&"word ".repeat(40), 32) {
            assert!(line.chars().count() <= 32);
        }
    }

    /// Whether any column `x0..x1` of `img` holds ink.
    fn ink_between(img: &Bitmap, x0: u32, x1: u32) -> bool {
        (x0..x1).any(|x| (0..img.height()).any(|y| img.get(x, y)))
    }

    #[test]
    fn a_drawn_amount_sits_right_on_english_tickets_and_left_on_urdu_ones() {
        let mut r = TextRenderer::new();
        let mut en = Sheet::new(&mut r, Paper::Mm80, Language::En);
        let row = en.draw_priced("2 x علی", "Rs 1,250", Big::Normal).unwrap();
        assert_eq!(row.width(), 576);
        assert_eq!(
            ink_columns(&row).map(|(_, r)| r),
            Some(575),
            "amount at the right edge"
        );
        assert!(ink_between(&row, 0, 40), "the text from the left");
        let mut r = TextRenderer::new();
        let mut ur = Sheet::new(&mut r, Paper::Mm80, Language::Ur);
        let row = ur
            .draw_priced("2 × چکن تکہ", "1,250 روپے", Big::Normal)
            .unwrap();
        assert_eq!(
            ink_columns(&row).map(|(l, _)| l),
            Some(0),
            "amount at the left edge"
        );
        assert!(ink_between(&row, 536, 576), "the Urdu text from the right");
        assert!(!ink_between(&row, 200, 330), "a gap between them");
    }

    #[test]
    fn text_without_urdu_letters_on_an_urdu_ticket_still_runs_from_the_right() {
        let mut r = TextRenderer::new();
        let mut ur = Sheet::new(&mut r, Paper::Mm80, Language::Ur);
        let date = ur
            .draw("04/12/2026 20:43", Big::Normal, Align::Left, 576)
            .unwrap();
        let (left, right) = ink_columns(&date).unwrap();
        assert!(left > 288 && right > 560, "{left}..{right}");
    }

    #[test]
    fn images_of_different_widths_stack_left_aligned() {
        let mut a = Bitmap::blank(16, 2).unwrap();
        a.set(15, 1, true);
        let mut b = Bitmap::blank(8, 3).unwrap();
        b.set(0, 2, true);
        let s = stack(vec![a, b]);
        assert_eq!((s.width(), s.height()), (16, 5));
        assert!(s.get(15, 1) && s.get(0, 4) && !s.get(8, 4));
    }
}
