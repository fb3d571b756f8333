//! ESC/POS: the command bytes of thermal receipt printers (Epson's command set, which the
//! Pakistani market's printers — Epson, Bixolon, Xprinter, Sewoo, Black Copper — follow).
//!
//! Only commands every such printer accepts are used: initialise (`ESC @`), alignment
//! (`ESC a`), emphasis (`ESC E`), character size (`GS !`), feed (`ESC d`), raster images
//! (`GS v 0`), QR codes (`GS ( k`, model 2) and feed-and-cut (`GS V 66`).

use std::fmt;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const LF: u8 = 0x0A;

/// Rows per raster command: printers buffer a whole `GS v 0` image before printing it, and
/// cheaper ones run out of buffer on a tall receipt sent in one piece.
pub const RASTER_BAND_ROWS: u32 = 256;

/// Paper width, with what fits across it at 203 dpi (8 dots a millimetre).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 58 mm roll: 48 mm printable, 384 dots, 32 characters of font A.
    Mm58,
    /// 80 mm roll: 72 mm printable, 576 dots, 48 characters of font A.
    Mm80,
}

impl Paper {
    /// The paper of a width setting in millimetres (58 or 80).
    pub fn from_mm(mm: u32) -> Option<Paper> {
        match mm {
            58 => Some(Paper::Mm58),
            80 => Some(Paper::Mm80),
            _ => None,
        }
    }

    /// Dots across the printable width.
    pub fn dots(self) -> u32 {
        match self {
            Paper::Mm58 => 384,
            Paper::Mm80 => 576,
        }
    }

    /// Characters of the printer's normal font (12 dots wide) across a line.
    pub fn columns(self) -> usize {
        self.dots() as usize / 12
    }
}

/// Where a line sits across the paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left (English text; ESC/POS has no right-to-left of its own).
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// A 1-bit image: rows of `width` dots, packed 8 to a byte, the leftmost dot in the
/// highest bit; a set bit prints black.
#[derive(Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u32,
    height: u32,
    bits: Vec<u8>,
}

impl fmt::Debug for Bitmap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bitmap")
            .field("width", &self.width)
            .field("height", &self.height)
            .finish_non_exhaustive()
    }
}

/// A bitmap that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BitmapError {
    /// Width or height is 0, or the width is more than a raster command takes.
    Size { width: u32, height: u32 },
    /// The packed rows are not `height × ⌈width / 8⌉` bytes.
    Length { expected: usize, got: usize },
}

impl fmt::Display for BitmapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BitmapError::Size { width, height } => write!(
                f,
                "an image of {width}×{height} dots cannot be printed (1 to {} dots wide, at least 1 high)",
                MAX_RASTER_WIDTH
            ),
            BitmapError::Length { expected, got } => {
                write!(
                    f,
                    "the image's rows are {got} bytes; {expected} were expected"
                )
            }
        }
    }
}

impl std::error::Error for BitmapError {}

/// The widest raster `GS v 0` takes: 255 bytes (`xL`) of 8 dots — far wider than any roll.
const MAX_RASTER_WIDTH: u32 = 255 * 8;

impl Bitmap {
    /// An all-white bitmap.
    pub fn blank(width: u32, height: u32) -> Result<Bitmap, BitmapError> {
        Self::check_size(width, height)?;
        let stride = width.div_ceil(8) as usize;
        Ok(Bitmap {
            width,
            height,
            bits: vec![0; stride * height as usize],
        })
    }

    /// A bitmap of packed rows (see [`Bitmap`]).
    pub fn from_packed(width: u32, height: u32, bits: Vec<u8>) -> Result<Bitmap, BitmapError> {
        Self::check_size(width, height)?;
        let expected = width.div_ceil(8) as usize * height as usize;
        if bits.len() != expected {
            return Err(BitmapError::Length {
                expected,
                got: bits.len(),
            });
        }
        Ok(Bitmap {
            width,
            height,
            bits,
        })
    }

    fn check_size(width: u32, height: u32) -> Result<(), BitmapError> {
        if width == 0 || height == 0 || width > MAX_RASTER_WIDTH {
            return Err(BitmapError::Size { width, height });
        }
        Ok(())
    }

    /// Width in dots.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in dots.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes a row.
    pub fn stride(&self) -> usize {
        self.width.div_ceil(8) as usize
    }

    /// The packed rows.
    pub fn packed(&self) -> &[u8] {
        &self.bits
    }

    /// Whether the dot at (`x`, `y`) is black (`false` outside the image).
    pub fn get(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let byte = self.bits[y as usize * self.stride() + x as usize / 8];
        byte & (0x80 >> (x % 8)) != 0
    }

    /// Sets the dot at (`x`, `y`); outside the image, nothing.
    pub fn set(&mut self, x: u32, y: u32, black: bool) {
        if x >= self.width || y >= self.height {
            return;
        }
        let i = y as usize * self.stride() + x as usize / 8;
        let mask = 0x80 >> (x % 8);
        if black {
            self.bits[i] |= mask;
        } else {
            self.bits[i] &= !mask;
        }
    }
}

/// A QR code that cannot be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// Nothing to encode.
    Empty,
    /// More bytes than the printer's QR store takes (model 2 holds at most 7,089).
    TooLong(usize),
    /// A module (one QR square) must be 1 to 16 dots.
    ModuleSize(u8),
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::Empty => f.write_str("a QR code needs some text"),
            QrError::TooLong(n) => write!(
                f,
                "{n} bytes is too long for a QR code (at most {MAX_QR_BYTES})"
            ),
            QrError::ModuleSize(n) => {
                write!(f, "a QR square of {n} dots cannot be printed (1 to 16)")
            }
        }
    }
}

impl std::error::Error for QrError {}

const MAX_QR_BYTES: usize = 7089;

/// Builds one print job. Starts by resetting the printer (`ESC @`), so nothing left over
/// from an earlier job (a size, a half-sent image) carries into this one.
#[derive(Debug, Clone)]
pub struct Encoder {
    out: Vec<u8>,
}

impl Default for Encoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Encoder {
    /// A job that begins with `ESC @`.
    pub fn new() -> Encoder {
        Encoder {
            out: vec![ESC, b'@'],
        }
    }

    /// Text in the printer's font, without a line end. Only printable ASCII goes to the
    /// printer as text; anything else (Urdu, `₨`, accented letters) is printed as `?` —
    /// use [`Encoder::is_plain`] first and draw other text into a [`Bitmap`].
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.out.extend(s.chars().map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c as u8
            } else {
                b'?'
            }
        }));
        self
    }

    /// True when the printer's own font prints `s` as written (printable ASCII only).
    pub fn is_plain(s: &str) -> bool {
        s.chars().all(|c| c == ' ' || c.is_ascii_graphic())
    }

    /// Text and a line end.
    pub fn line(&mut self, s: &str) -> &mut Self {
        self.text(s);
        self.out.push(LF);
        self
    }

    /// Alignment of the lines (and images) that follow (`ESC a n`).
    pub fn align(&mut self, a: Align) -> &mut Self {
        let n = match a {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        };
        self.out.extend([ESC, b'a', n]);
        self
    }

    /// Bold on or off (`ESC E n`).
    pub fn bold(&mut self, on: bool) -> &mut Self {
        self.out.extend([ESC, b'E', u8::from(on)]);
        self
    }

    /// Character size as multiples of the normal, each 1 to 8 (`GS ! n`); out-of-range
    /// values are clamped.
    pub fn size(&mut self, width: u8, height: u8) -> &mut Self {
        let w = width.clamp(1, 8) - 1;
        let h = height.clamp(1, 8) - 1;
        self.out.extend([GS, b'!', (w << 4) | h]);
        self
    }

    /// Feeds `lines` blank lines (`ESC d n`).
    pub fn feed(&mut self, lines: u8) -> &mut Self {
        self.out.extend([ESC, b'd', lines]);
        self
    }

    /// Prints `img` as raster images (`GS v 0`, normal density), in bands of at most
    /// [`RASTER_BAND_ROWS`] rows.
    pub fn image(&mut self, img: &Bitmap) -> &mut Self {
        let stride = img.stride();
        for rows in img.bits.chunks(stride * RASTER_BAND_ROWS as usize) {
            let height = rows.len() / stride;
            self.out.extend([GS, b'v', b'0', 0]);
            self.out.extend(le16(stride));
            self.out.extend(le16(height));
            self.out.extend_from_slice(rows);
        }
        self
    }

    /// Prints `data` as a QR code (model 2, error correction M, squares of `module` dots)
    /// with the printer's own QR generator (`GS ( k`).
    pub fn qr(&mut self, data: &str, module: u8) -> Result<&mut Self, QrError> {
        let bytes = data.as_bytes();
        if bytes.is_empty() {
            return Err(QrError::Empty);
        }
        if bytes.len() > MAX_QR_BYTES {
            return Err(QrError::TooLong(bytes.len()));
        }
        if !(1..=16).contains(&module) {
            return Err(QrError::ModuleSize(module));
        }
        // Function 165: model 2.
        self.out.extend([GS, b'(', b'k', 4, 0, b'1', b'A', b'2', 0]);
        // Function 167: module size.
        self.out.extend([GS, b'(', b'k', 3, 0, b'1', b'C', module]);
        // Function 169: error correction level M (15 %).
        self.out.extend([GS, b'(', b'k', 3, 0, b'1', b'E', b'1']);
        // Function 180: store the data.
        self.out.extend([GS, b'(', b'k']);
        self.out.extend(le16(bytes.len() + 3));
        self.out.extend([b'1', b'P', b'0']);
        self.out.extend_from_slice(bytes);
        // Function 181: print it.
        self.out.extend([GS, b'(', b'k', 3, 0, b'1', b'Q', b'0']);
        Ok(self)
    }

    /// Feeds the paper to the cutter and cuts it, leaving a tab (`GS V 66 0`).
    pub fn cut(&mut self) -> &mut Self {
        self.out.extend([GS, b'V', 66, 0]);
        self
    }

    /// The job's bytes.
    pub fn finish(&self) -> Vec<u8> {
        self.out.clone()
    }
}

/// `n` as the two little-endian bytes ESC/POS lengths are sent as (`n` < 65,536 here:
/// strides ≤ 255, bands ≤ 256 rows, QR data ≤ 7,092).
fn le16(n: usize) -> [u8; 2] {
    let n = u16::try_from(n).unwrap_or(u16::MAX);
    n.to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_starts_with_a_reset_and_text_is_plain_ascii() {
        let mut e = Encoder::new();
        e.line("ORDER #14").text("2x Tikka");
        assert_eq!(e.finish(), b"\x1b@ORDER #14\n2x Tikka");
        // Urdu is never sent as text: the printer would print its code page's letters.
        let mut e = Encoder::new();
        e.text("علی 12");
        assert_eq!(e.finish(), b"\x1b@??? 12");
        assert!(Encoder::is_plain("Chicken Tikka 13\" (x2) - Rs 2,450"));
        assert!(!Encoder::is_plain("علی"));
        assert!(!Encoder::is_plain("tab\there"));
    }

    #[test]
    fn styles_are_the_epson_commands() {
        let mut e = Encoder::new();
        e.align(Align::Center)
            .bold(true)
            .size(2, 3)
            .size(0, 9)
            .bold(false)
            .align(Align::Right)
            .feed(3)
            .cut();
        assert_eq!(
            e.finish(),
            [
                0x1b, b'@', 0x1b, b'a', 1, 0x1b, b'E', 1, 0x1d, b'!', 0x12, 0x1d, b'!', 0x07, 0x1b,
                b'E', 0, 0x1b, b'a', 2, 0x1b, b'd', 3, 0x1d, b'V', 66, 0
            ]
        );
    }

    #[test]
    fn a_tall_image_goes_in_bands_with_its_size_little_endian() {
        let mut img = Bitmap::blank(20, 300).unwrap();
        img.set(0, 0, true);
        img.set(19, 299, true);
        img.set(25, 0, true); // outside: ignored
        assert!(img.get(0, 0) && img.get(19, 299) && !img.get(1, 0));
        let mut e = Encoder::new();
        e.image(&img);
        let out = e.finish();
        // 3 bytes a row (20 dots); 256 rows, then 44.
        let first = &out[2..10];
        assert_eq!(first, [0x1d, b'v', b'0', 0, 3, 0, 0, 1]);
        assert_eq!(out[10], 0x80, "the first dot is the highest bit");
        let second = 10 + 3 * 256;
        assert_eq!(&out[second..second + 8], [0x1d, b'v', b'0', 0, 3, 0, 44, 0]);
        assert_eq!(out.len(), second + 8 + 3 * 44);
        assert_eq!(
            out[out.len() - 1],
            0x10,
            "dot 19 of the last row: the 4th dot of byte 2"
        );
    }

    #[test]
    fn bitmaps_of_impossible_sizes_are_refused_in_words() {
        assert_eq!(
            Bitmap::blank(0, 10),
            Err(BitmapError::Size {
                width: 0,
                height: 10
            })
        );
        assert!(Bitmap::blank(2041, 1).is_err());
        let err = Bitmap::from_packed(9, 2, vec![0; 3]).unwrap_err();
        assert_eq!(
            err,
            BitmapError::Length {
                expected: 4,
                got: 3
            }
        );
        assert!(err.to_string().contains("4 were expected"));
    }

    #[test]
    fn a_qr_code_uses_the_printers_generator_model_2() {
        let mut e = Encoder::new();
        e.qr("M8-7F3K", 6).unwrap();
        let out = e.finish();
        let store = [0x1d, b'(', b'k', 10, 0, b'1', b'P', b'0'];
        let at = out.windows(store.len()).position(|w| w == store).unwrap();
        assert_eq!(&out[at + 8..at + 15], b"M8-7F3K");
        assert!(out.ends_with(&[0x1d, b'(', b'k', 3, 0, b'1', b'Q', b'0']));
        assert!(
            out.windows(8)
                .any(|w| w == [0x1d, b'(', b'k', 3, 0, b'1', b'C', 6])
        );
        assert_eq!(Encoder::new().qr("", 6).err(), Some(QrError::Empty));
        assert_eq!(
            Encoder::new().qr("x", 17).err(),
            Some(QrError::ModuleSize(17))
        );
        let long = "x".repeat(7090);
        assert_eq!(
            Encoder::new().qr(&long, 4).err(),
            Some(QrError::TooLong(7090))
        );
    }

    #[test]
    fn paper_widths_in_dots_and_columns() {
        assert_eq!(Paper::from_mm(58).map(Paper::dots), Some(384));
        assert_eq!(Paper::from_mm(80).map(Paper::columns), Some(48));
        assert_eq!(Paper::Mm58.columns(), 32);
        assert_eq!(Paper::from_mm(76), None);
    }
}
