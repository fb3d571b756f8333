//! What a ticket says, in English and in Urdu: labels, money, times, rates and phone numbers
//! as the shop writes them, and English text made safe for the printer's own font.

use super::Language;
use chrono::{DateTime, FixedOffset, Utc};
use kitchen_domain::{Money, PaymentMethod, PhoneNumber};

/// The fixed words of a ticket in one language.
#[derive(Debug)]
pub(super) struct Words {
    pub reprint: &'static str,
    pub delivery: &'static str,
    pub pickup: &'static str,
    pub order: &'static str,
    pub customer: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
    pub landmark: &'static str,
    pub zone: &'static str,
    pub subtotal: &'static str,
    pub deal_savings: &'static str,
    pub delivery_fee: &'static str,
    pub tax: &'static str,
    pub tax_included: &'static str,
    pub total: &'static str,
    pub payment: &'static str,
    pub cash: &'static str,
    pub card: &'static str,
    pub wallet: &'static str,
    pub pays_with: &'static str,
    pub change: &'static str,
    pub rider: &'static str,
    pub note: &'static str,
    pub order_note: &'static str,
    pub half: &'static str,
    pub minutes: &'static str,
    pub thanks: &'static str,
    pub test_page: &'static str,
    pub printer: &'static str,
    pub paper: &'static str,
    pub columns: &'static str,
    pub mm: &'static str,
    pub comma: &'static str,
    pub printed: &'static str,
    pub urdu_sample: &'static str,
    pub works: &'static str,
}

const EN: Words = Words {
    reprint: "*** REPRINT ***",
    delivery: "DELIVERY",
    pickup: "PICKUP",
    order: "Order",
    customer: "Name",
    phone: "Phone",
    address: "Address",
    landmark: "Landmark",
    zone: "Area",
    subtotal: "Subtotal",
    deal_savings: "Deal savings",
    delivery_fee: "Delivery fee",
    tax: "Tax",
    tax_included: "incl. in prices",
    total: "TOTAL",
    payment: "Payment",
    cash: "Cash",
    card: "Card",
    wallet: "Mobile wallet",
    pays_with: "Customer pays with",
    change: "Change to carry",
    rider: "Rider",
    note: "NOTE",
    order_note: "ORDER NOTE",
    half: "1/2",
    minutes: "min",
    thanks: "Thank you for your order!",
    test_page: "TEST PAGE",
    printer: "Printer",
    paper: "Paper",
    columns: "columns",
    mm: "mm",
    comma: ", ",
    printed: "Printed",
    urdu_sample: "اردو: میلٹ 8 کچن، گرم پیزا، شکریہ",
    works: "If all of this is clear, the printer works.",
};

const UR: Words = Words {
    reprint: "*** دوبارہ پرنٹ ***",
    delivery: "ڈیلیوری",
    pickup: "پک اپ",
    order: "آرڈر",
    customer: "نام",
    phone: "فون",
    address: "پتہ",
    landmark: "نشانی",
    zone: "علاقہ",
    subtotal: "سب ٹوٹل",
    deal_savings: "ڈیل کی بچت",
    delivery_fee: "ڈیلیوری چارجز",
    tax: "ٹیکس",
    tax_included: "قیمتوں میں شامل",
    total: "کل",
    payment: "ادائیگی",
    cash: "نقد",
    card: "کارڈ",
    wallet: "موبائل والٹ",
    pays_with: "گاہک دے گا",
    change: "بقایا ساتھ لے جائیں",
    rider: "رائیڈر",
    note: "نوٹ",
    order_note: "آرڈر نوٹ",
    half: "آدھا",
    minutes: "منٹ",
    thanks: "آپ کے آرڈر کا شکریہ!",
    test_page: "ٹیسٹ پیج",
    printer: "پرنٹر",
    paper: "کاغذ",
    columns: "کالم",
    mm: "ملی میٹر",
    comma: "، ",
    printed: "پرنٹ کا وقت",
    urdu_sample: "اردو: میلٹ 8 کچن، گرم پیزا، شکریہ",
    works: "یہ سب صاف پڑھا جائے تو پرنٹر ٹھیک ہے۔",
};

/// The words of `lang`.
pub(super) fn words(lang: Language) -> &'static Words {
    match lang {
        Language::En => &EN,
        Language::Ur => &UR,
    }
}

/// An amount as the dashboard writes it: `Rs 1,250` in English, `1,250 روپے` in Urdu.
pub(super) fn money(m: Money, lang: Language) -> String {
    match lang {
        Language::En => m.to_string(),
        Language::Ur => {
            let sign = if m.paisa() < 0 { "-" } else { "" };
            let abs = Money::from_paisa(m.paisa().saturating_abs()).to_string();
            let digits = abs.trim_start_matches("Rs ");
            format!("{sign}{digits} روپے")
        }
    }
}

/// A tax rate in basis points as a percentage: 1600 → `16%`, 1250 → `12.5%`.
pub(super) fn rate(bp: u32) -> String {
    let (whole, frac) = (bp / 100, bp % 100);
    if frac == 0 {
        format!("{whole}%")
    } else {
        let frac = format!("{frac:02}");
        format!("{whole}.{}%", frac.trim_end_matches('0'))
    }
}

/// The shop's local date and time: `04 Dec 2026 23:43` (English), `04/12/2026 23:43` (Urdu).
pub(super) fn when(at: DateTime<Utc>, offset: FixedOffset, lang: Language) -> String {
    let local = at.with_timezone(&offset);
    match lang {
        Language::En => local.format("%d %b %Y %H:%M").to_string(),
        Language::Ur => local.format("%d/%m/%Y %H:%M").to_string(),
    }
}

/// A phone number as a Pakistani writes it (`0300 1234567`; other countries in E.164);
/// `None` when it was withheld. Urdu tickets write the digits unbroken: right to left, the
/// two parts of a number (even joined by a hyphen) would swap places.
pub(super) fn phone(p: &PhoneNumber, lang: Language) -> Option<String> {
    let e164 = p.e164()?;
    let sep = match lang {
        Language::En => " ",
        Language::Ur => "",
    };
    match e164.strip_prefix("+92") {
        Some(national) if national.len() == 10 && national.starts_with('3') => {
            Some(format!("0{}{sep}{}", &national[..3], &national[3..]))
        }
        Some(national) => Some(format!("0{national}")),
        None => Some(e164.to_string()),
    }
}

/// How the customer pays, in words.
pub(super) fn method(m: PaymentMethod, w: &Words) -> &'static str {
    match m {
        PaymentMethod::Cash => w.cash,
        PaymentMethod::Card => w.card,
        PaymentMethod::Wallet => w.wallet,
    }
}

/// English text with the typographic characters menus use (`½`, `·`, curly quotes, dashes)
/// written the way the printer's ASCII font can print them. Anything else is left alone;
/// the caller draws what is still not plain.
pub(super) fn ascii_spelling(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '½' => out.push_str("1/2"),
            '·' | '•' => out.push('-'),
            '×' => out.push('x'),
            '‘' | '’' | '′' => out.push('\''),
            '“' | '”' | '″' => out.push('"'),
            '–' | '—' | '−' => out.push('-'),
            '…' => out.push_str("..."),
            '\u{a0}' | '\t' => out.push(' '),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_as_on_the_dashboard_in_both_languages() {
        assert_eq!(money(Money::from_rupees(1250), Language::En), "Rs 1,250");
        assert_eq!(money(Money::from_rupees(1250), Language::Ur), "1,250 روپے");
        assert_eq!(money(Money::from_paisa(-150), Language::Ur), "-1.50 روپے");
        assert_eq!(
            money(Money::from_paisa(i64::MIN), Language::Ur),
            "-92,233,720,368,547,758.07 روپے"
        );
    }

    #[test]
    fn rates_drop_trailing_zeros() {
        assert_eq!(rate(1600), "16%");
        assert_eq!(rate(1250), "12.5%");
        assert_eq!(rate(1575), "15.75%");
        assert_eq!(rate(5), "0.05%");
    }

    #[test]
    fn phones_are_written_the_pakistani_way() {
        let p = |s: &str| phone(&PhoneNumber::parse(s).unwrap(), Language::En);
        assert_eq!(p("0300-1234567").as_deref(), Some("0300 1234567"));
        assert_eq!(p("+924235761234").as_deref(), Some("04235761234"));
        assert_eq!(phone(&PhoneNumber::Withheld, Language::En), None);
        let ur = phone(&PhoneNumber::parse("0300-1234567").unwrap(), Language::Ur);
        assert_eq!(ur.as_deref(), Some("03001234567"));
    }

    #[test]
    fn menu_typography_becomes_ascii() {
        assert_eq!(
            ascii_spelling("½ Tikka ½ Fajita Large 13” · Stuffed crust"),
            "1/2 Tikka 1/2 Fajita Large 13\" - Stuffed crust"
        );
        assert_eq!(ascii_spelling("Ali 🍕"), "Ali 🍕");
    }
}
