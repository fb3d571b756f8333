//! Numbers in Urdu words, as a Pakistani says a price on the phone: 2,199 → «دو ہزار ایک
//! سو ننانوے». Urdu's 1 to 99 are irregular (49 انچاس, 59 انسٹھ, 99 ننانوے), so they come
//! from a table; above that the words group by سو (100), ہزار (1,000), لاکھ (100,000),
//! کروڑ (10,000,000) and ارب (1,000,000,000), as on Pakistani cheques.

use crate::money::Money;

/// 0 to 99.
const UNDER_100: [&str; 100] = [
    "صفر",
    "ایک",
    "دو",
    "تین",
    "چار",
    "پانچ",
    "چھ",
    "سات",
    "آٹھ",
    "نو", // 0–9
    "دس",
    "گیارہ",
    "بارہ",
    "تیرہ",
    "چودہ",
    "پندرہ",
    "سولہ",
    "سترہ",
    "اٹھارہ",
    "انیس", // 10–19
    "بیس",
    "اکیس",
    "بائیس",
    "تیئس",
    "چوبیس",
    "پچیس",
    "چھبیس",
    "ستائیس",
    "اٹھائیس",
    "انتیس", // 20–29
    "تیس",
    "اکتیس",
    "بتیس",
    "تینتیس",
    "چونتیس",
    "پینتیس",
    "چھتیس",
    "سینتیس",
    "اڑتیس",
    "انتالیس", // 30–39
    "چالیس",
    "اکتالیس",
    "بیالیس",
    "تینتالیس",
    "چوالیس",
    "پینتالیس",
    "چھیالیس",
    "سینتالیس",
    "اڑتالیس",
    "انچاس", // 40–49
    "پچاس",
    "اکیاون",
    "باون",
    "تریپن",
    "چون",
    "پچپن",
    "چھپن",
    "ستاون",
    "اٹھاون",
    "انسٹھ", // 50–59
    "ساٹھ",
    "اکسٹھ",
    "باسٹھ",
    "تریسٹھ",
    "چونسٹھ",
    "پینسٹھ",
    "چھیاسٹھ",
    "سڑسٹھ",
    "اڑسٹھ",
    "انہتر", // 60–69
    "ستر",
    "اکہتر",
    "بہتر",
    "تہتر",
    "چوہتر",
    "پچھتر",
    "چھہتر",
    "ستتر",
    "اٹھہتر",
    "اناسی", // 70–79
    "اسی",
    "اکیاسی",
    "بیاسی",
    "تراسی",
    "چوراسی",
    "پچاسی",
    "چھیاسی",
    "ستاسی",
    "اٹھاسی",
    "نواسی", // 80–89
    "نوے",
    "اکانوے",
    "بانوے",
    "ترانوے",
    "چورانوے",
    "پچانوے",
    "چھیانوے",
    "ستانوے",
    "اٹھانوے",
    "ننانوے", // 90–99
];

/// The scales above a hundred, largest first: how many of the unit each group counts.
const SCALES: [(u64, &str); 4] = [
    (1_000_000_000, "ارب"),
    (10_000_000, "کروڑ"),
    (100_000, "لاکھ"),
    (1_000, "ہزار"),
];

/// A whole number in Urdu words: `0` → «صفر», `1450` → «ایک ہزار چار سو پچاس».
pub fn number_words(n: u64) -> String {
    if n == 0 {
        return UNDER_100[0].to_string();
    }
    let mut words: Vec<String> = Vec::new();
    push_words(n, &mut words);
    words.join(" ")
}

fn push_words(mut n: u64, words: &mut Vec<String>) {
    for (unit, name) in SCALES {
        if n >= unit {
            // Groups count in 1..=99 except the largest scale, which may count any number.
            push_words(n / unit, words);
            words.push(name.to_string());
            n %= unit;
        }
    }
    if n >= 100 {
        words.push(UNDER_100[(n / 100) as usize].to_string());
        words.push("سو".to_string());
        n %= 100;
    }
    if n > 0 {
        words.push(UNDER_100[n as usize].to_string());
    }
}

/// An amount as said on the phone: the rupees in words (`Rs 2,199` → «دو ہزار ایک سو
/// ننانوے»), with «روپے … پیسے» only when there are paisa. Negative amounts never occur
/// on a bill; they are read as their size.
pub fn money_words(m: Money) -> String {
    let abs = m.paisa().unsigned_abs();
    let (rupees, paisa) = (abs / 100, abs % 100);
    if paisa == 0 {
        number_words(rupees)
    } else {
        format!("{} روپے {} پیسے", number_words(rupees), number_words(paisa))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prices_pakistanis_say_on_the_phone() {
        for (n, words) in [
            (750, "سات سو پچاس"),
            (1_450, "ایک ہزار چار سو پچاس"),
            (2_199, "دو ہزار ایک سو ننانوے"),
            (2_450, "دو ہزار چار سو پچاس"),
            (4_718, "چار ہزار سات سو اٹھارہ"),
        ] {
            assert_eq!(number_words(n), words, "{n}");
        }
    }

    #[test]
    fn the_irregular_numbers_under_a_hundred() {
        assert_eq!(number_words(0), "صفر");
        assert_eq!(number_words(1), "ایک");
        assert_eq!(number_words(49), "انچاس");
        assert_eq!(number_words(59), "انسٹھ");
        assert_eq!(number_words(69), "انہتر");
        assert_eq!(number_words(79), "اناسی");
        assert_eq!(number_words(89), "نواسی");
        assert_eq!(number_words(99), "ننانوے");
        assert_eq!(number_words(100), "ایک سو");
        assert_eq!(number_words(105), "ایک سو پانچ");
        // Every entry is a single word with no digits.
        assert!(
            UNDER_100
                .iter()
                .all(|w| !w.contains(' ') && !w.chars().any(|c| c.is_ascii_digit()))
        );
    }

    #[test]
    fn lakhs_crores_and_arabs_group_the_south_asian_way() {
        assert_eq!(number_words(1_000), "ایک ہزار");
        assert_eq!(number_words(10_000), "دس ہزار");
        assert_eq!(number_words(99_999), "ننانوے ہزار نو سو ننانوے");
        assert_eq!(number_words(100_000), "ایک لاکھ");
        assert_eq!(number_words(250_075), "دو لاکھ پچاس ہزار پچھتر");
        assert_eq!(number_words(10_000_000), "ایک کروڑ");
        assert_eq!(
            number_words(12_345_678),
            "ایک کروڑ تیئس لاکھ پینتالیس ہزار چھ سو اٹھہتر"
        );
        assert_eq!(number_words(3_000_000_001), "تین ارب ایک");
        assert_eq!(number_words(250_000_000_000), "دو سو پچاس ارب");
    }

    #[test]
    fn money_reads_rupees_and_paisa_only_when_present() {
        assert_eq!(
            money_words(Money::from_rupees(2_199)),
            "دو ہزار ایک سو ننانوے"
        );
        assert_eq!(
            money_words(Money::from_paisa(125_050)),
            "ایک ہزار دو سو پچاس روپے پچاس پیسے"
        );
    }

    #[test]
    fn no_number_leaves_a_gap_or_a_stray_zero() {
        for n in (1..200_000).step_by(7) {
            let w = number_words(n);
            assert!(!w.contains("صفر"), "{n}: {w}");
            assert!(
                !w.contains("  ") && !w.starts_with(' ') && !w.ends_with(' '),
                "{n}"
            );
        }
    }
}
