//! How numbers, dates and deadlines read on screen.

use chrono::{DateTime, Utc};
use domain::time::to_brussels;

/// "€4 million", "€150,000", "€2.5 million".
pub fn euros(amount: i64) -> String {
    if amount >= 1_000_000 {
        let millions = amount as f64 / 1_000_000.0;
        let text = format!("{millions:.1}");
        format!("€{} million", text.trim_end_matches(".0"))
    } else {
        domain::money::exact_euros(amount)
    }
}

/// The per-project budget as a range, or `None` when unknown.
pub fn budget_range(min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) if min == max => Some(euros(max)),
        (Some(min), Some(max)) => Some(format!("{} – {}", euros(min), euros(max))),
        (None, Some(max)) => Some(format!("up to {}", euros(max))),
        (Some(min), None) => Some(format!("from {}", euros(min))),
        (None, None) => None,
    }
}

/// "15 Sep 2026, 17:00 Brussels time".
pub fn brussels_date_time(instant: DateTime<Utc>) -> String {
    to_brussels(instant)
        .format("%-d %b %Y, %H:%M Brussels time")
        .to_string()
}

/// A deadline in the time zone its publisher states it in ("4 Mar 2027, 17:00 Lisbon / Dublin
/// time (WET)"); Brussels time when the publisher does not say.
pub fn zoned_date_time(instant: DateTime<Utc>, zone: Option<domain::time::DeadlineZone>) -> String {
    match zone {
        Some(zone) if zone != domain::time::DeadlineZone::Central => {
            format!("{} {}", zone.to_local(instant).format("%-d %b %Y, %H:%M"), zone.label())
        }
        _ => brussels_date_time(instant),
    }
}

/// The labels of `codes` in `vocabulary`, joined for reading ("Cryptology, Health").
pub fn term_labels(vocabulary: &[domain::taxonomy::Term], codes: &[String]) -> String {
    codes
        .iter()
        .map(|code| domain::taxonomy::label(vocabulary, code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "15 Sep 2026".
pub fn date(instant: DateTime<Utc>) -> String {
    to_brussels(instant).format("%-d %b %Y").to_string()
}

/// "today", "tomorrow", "in 3 days", "yesterday", "5 days ago" — by calendar days in Brussels.
pub fn relative_days(instant: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let days = (to_brussels(instant).date() - to_brussels(now).date()).num_days();
    match days {
        0 if instant < now => "earlier today".to_owned(),
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        d if d < 0 => format!("{} days ago", -d),
        d => format!("in {d} days"),
    }
}

pub use domain::query::call_path;

/// `text` with HTML's special characters escaped, for markup written by hand (the
/// server-rendered `<title>`, which leptos_meta does not escape).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub use domain::query::percent_decode;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(euros(4_000_000), "€4 million");
        assert_eq!(euros(2_500_000), "€2.5 million");
        assert_eq!(euros(150_000), "€150,000");
        assert_eq!(euros(999), "€999");
        assert_eq!(
            budget_range(Some(3_000_000), Some(4_000_000)).unwrap(),
            "€3 million – €4 million"
        );
        assert_eq!(budget_range(None, Some(60_000)).unwrap(), "up to €60,000");
        assert_eq!(budget_range(None, None), None);
    }

    #[test]
    fn deadlines_read_in_brussels_time() {
        let instant = Utc.with_ymd_and_hms(2026, 9, 15, 15, 0, 0).unwrap();
        assert_eq!(brussels_date_time(instant), "15 Sep 2026, 17:00 Brussels time");
    }

    #[test]
    fn relative_days_count_calendar_days_in_brussels() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap();
        assert_eq!(relative_days(now + Duration::hours(3), now), "today");
        assert_eq!(relative_days(now + Duration::hours(30), now), "tomorrow");
        assert_eq!(
            relative_days(now + Duration::hours(42), now),
            "in 2 days",
            "calendar days, not 24-hour spans"
        );
        assert_eq!(relative_days(now + Duration::days(12), now), "in 12 days");
        assert_eq!(relative_days(now - Duration::hours(2), now), "earlier today");
        assert_eq!(relative_days(now - Duration::hours(20), now), "yesterday");
        assert_eq!(relative_days(now - Duration::days(5), now), "5 days ago");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape_html("</title><script>alert('x & y')</script>"),
            "&lt;/title&gt;&lt;script&gt;alert(&#39;x &amp; y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn call_paths_keep_slashes_and_round_trip() {
        let id = "EuropeAid/186614/DD/ACT/Multi";
        assert_eq!(call_path(id), "/calls/EuropeAid/186614/DD/ACT/Multi");
        assert_eq!(call_path("A B"), "/calls/A%20B");
        assert_eq!(percent_decode("A%20B/%2"), "A B/%2");
        assert_eq!(percent_decode("%é%41"), "%éA");
    }
}
