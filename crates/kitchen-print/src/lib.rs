//! Printing for Melt 8 Kitchen: what a thermal receipt printer is sent.
//!
//! Shop printers (58 and 80 mm, network port 9100 or a system queue) speak ESC/POS. Its
//! text mode prints the printer's own code page only, with no Arabic-script shaping and no
//! right-to-left, so Urdu is drawn into a [`Bitmap`] ([`render`]) and printed as a raster
//! image; English stays in the printer's font, which is sharper and faster. [`documents`]
//! lays out the shop's tickets (the KOT, the bill, a test page) that way.

pub mod documents;
pub mod escpos;
pub mod render;

pub use documents::{DocOptions, Language, ShopHeader, bill, kot, test_page, test_page_at};
pub use escpos::{Align, Bitmap, BitmapError, Encoder, Paper, QrError};
pub use render::{LineAlign, TextLine, TextRenderer, TextSize, has_arabic_script};
