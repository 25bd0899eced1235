//! Amounts of money as people read them: whole euros grouped by thousands.

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
    fn digits_are_grouped_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(-1_234_567), "-1,234,567");
        assert_eq!(exact_euros(150_000), "€150,000");
    }
}
