//! Amounts of money: as people read them (whole units grouped by thousands), and in the
//! currencies of the non-euro countries whose calls Fundbridge lists — stored exactly as the
//! funding body states them, converted to euro at the rate it states, for comparison.

use serde::{Deserialize, Serialize};

/// The currencies a call may be stated in besides the euro: (ISO 4217 code, name).
pub const CURRENCIES: &[(&str, &str)] = &[
    ("CHF", "Swiss franc"),
    ("CZK", "Czech koruna"),
    ("DKK", "Danish krone"),
    ("GBP", "Pound sterling"),
    ("HUF", "Hungarian forint"),
    ("ISK", "Icelandic króna"),
    ("NOK", "Norwegian krone"),
    ("PLN", "Polish złoty"),
    ("RON", "Romanian leu"),
    ("SEK", "Swedish krona"),
];

/// Decimal places an exchange rate may have.
const RATE_DECIMALS: u32 = 6;

/// A call's amounts in its own (non-euro) currency, exactly as its funding body states them,
/// with the rate it converts them to euro at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalAmounts {
    /// ISO 4217 code, one of [`CURRENCIES`].
    pub currency: String,
    /// Units of the currency per euro, in millionths (4.25 PLN per euro: 4 250 000).
    pub micro_rate: i64,
    /// Total budget.
    pub total: Option<i64>,
    /// Per-project minimum.
    pub min: Option<i64>,
    /// Per-project maximum.
    pub max: Option<i64>,
}

impl LocalAmounts {
    /// The rate as people read it: `4.25`.
    pub fn rate(&self) -> String {
        let scale = 10_i64.pow(RATE_DECIMALS);
        let (whole, fraction) = (self.micro_rate / scale, self.micro_rate % scale);
        let fraction = format!("{fraction:06}");
        let fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{fraction}")
        }
    }

    /// `amount` of this currency in whole euro, rounded to the nearest.
    pub fn to_euros(&self, amount: i64) -> i64 {
        let micro = i128::from(amount) * i128::from(10_i64.pow(RATE_DECIMALS));
        let rate = i128::from(self.micro_rate.max(1));
        i64::try_from((micro + rate / 2) / rate).unwrap_or(i64::MAX)
    }

    /// `amount` as stated and in euro: `PLN 8,500,000 (≈ €2,000,000)`.
    pub fn shown(&self, amount: i64) -> String {
        format!(
            "{} {} (≈ {})",
            self.currency,
            thousands(amount),
            exact_euros(self.to_euros(amount))
        )
    }
}

/// Reads an exchange rate (units of a currency per euro, `4.25` or `4,25`) into millionths;
/// `None` unless it is a positive number with at most six decimals, below a million.
pub fn parse_rate(text: &str) -> Option<i64> {
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 6
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > RATE_DECIMALS as usize
    {
        return None;
    }
    let scale = 10_i64.pow(RATE_DECIMALS);
    let padded = format!("{fraction:0<6}");
    let micro = whole.parse::<i64>().ok()? * scale + padded.parse::<i64>().ok()?;
    (micro > 0).then_some(micro)
}

/// A whole number as people type amounts and counts (`2 000 000`, `2,000,000`, `€150'000`):
/// `None` when nothing is typed, else the number or why it is not one.
pub fn typed_whole_number(value: &str) -> Option<Result<i64, std::num::ParseIntError>> {
    let digits: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',' | '\'' | '_' | '€'))
        .collect();
    (!digits.is_empty()).then(|| digits.parse::<i64>())
}

/// Groups digits by thousands with commas: `1500000` → `1,500,000`.
pub fn thousands(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if amount < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// An exact amount in euro: `€1,500,000`.
pub fn exact_euros(amount: i64) -> String {
    format!("€{}", thousands(amount))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_lose_their_separators() {
        assert_eq!(typed_whole_number(" 2 000 000 "), Some(Ok(2_000_000)));
        assert_eq!(typed_whole_number("€150'000"), Some(Ok(150_000)));
        assert_eq!(typed_whole_number(""), None);
        assert!(typed_whole_number("lots").is_some_and(|n| n.is_err()));
    }

    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
        assert_eq!(exact_euros(150_000), "€150,000");
    }

    #[test]
    fn rates_are_read_exactly_and_amounts_converted_to_the_nearest_euro() {
        assert_eq!(parse_rate("4.25"), Some(4_250_000));
        assert_eq!(parse_rate(" 4,2513 "), Some(4_251_300));
        assert_eq!(parse_rate("25"), Some(25_000_000));
        for wrong in [
            "",
            "0",
            "0.000000",
            "-4",
            "4.1234567",
            "1e3",
            "4.2.5",
            "abc",
            "10000000",
        ] {
            assert_eq!(parse_rate(wrong), None, "{wrong}");
        }
        let zloty = LocalAmounts {
            currency: "PLN".into(),
            micro_rate: 4_250_000,
            total: Some(8_500_000),
            min: None,
            max: None,
        };
        assert_eq!(zloty.to_euros(8_500_000), 2_000_000);
        assert_eq!(zloty.to_euros(3), 1, "0.71 rounds up");
        assert_eq!(zloty.rate(), "4.25");
        assert_eq!(zloty.shown(8_500_000), "PLN 8,500,000 (≈ €2,000,000)");
    }
}
