//! Time rules: EU deadlines fall at 17:00 Brussels time, and "now" is injectable.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};

/// The hour (local Brussels time) at which EU Funding & Tenders Portal deadlines fall.
pub const DEADLINE_HOUR_BRUSSELS: u32 = 17;

/// Returns the UTC instant of 17:00 Brussels time on `date` (CET, or CEST in summer).
pub fn brussels_deadline(date: NaiveDate) -> DateTime<Utc> {
    let offset_hours = if is_central_european_summer_time(date) { 2 } else { 1 };
    let local = date.and_time(NaiveTime::from_hms_opt(DEADLINE_HOUR_BRUSSELS, 0, 0).expect("valid hour"));
    Utc.from_utc_datetime(&(local - chrono::Duration::hours(offset_hours)))
}

/// The wall-clock time in Brussels at `instant` (CET, or CEST in summer).
pub fn to_brussels(instant: DateTime<Utc>) -> NaiveDateTime {
    let winter = instant.naive_utc() + chrono::Duration::hours(1);
    if is_central_european_summer_time(winter.date()) {
        instant.naive_utc() + chrono::Duration::hours(2)
    } else {
        winter
    }
}

/// Whether CEST applies at 17:00 on `date`: from the last Sunday of March to the day
/// before the last Sunday of October (EU Directive 2000/84/EC, switch at 01:00 UTC).
fn is_central_european_summer_time(date: NaiveDate) -> bool {
    let start = last_sunday(date.year(), 3);
    let end = last_sunday(date.year(), 10);
    date >= start && date < end
}

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid month");
    let last = first_of_next.pred_opt().expect("not the first date");
    let back = last.weekday().num_days_from_sunday();
    last - chrono::Duration::days(i64::from(back))
}

/// Drops sub-second precision so that stored instants compare the same way in every backend.
pub fn whole_seconds(instant: DateTime<Utc>) -> DateTime<Utc> {
    instant.with_nanosecond(0).expect("zero nanoseconds is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_winter_deadline_falls_at_sixteen_utc() {
        assert_eq!(
            brussels_deadline(date(2026, 1, 15)).to_rfc3339(),
            "2026-01-15T16:00:00+00:00"
        );
    }

    #[test]
    fn a_summer_deadline_falls_at_fifteen_utc() {
        assert_eq!(
            brussels_deadline(date(2026, 9, 16)).to_rfc3339(),
            "2026-09-16T15:00:00+00:00"
        );
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march() {
        assert_eq!(last_sunday(2026, 3), date(2026, 3, 29));
        assert_eq!(last_sunday(2027, 10), date(2027, 10, 31));
        assert!(!is_central_european_summer_time(date(2026, 3, 28)));
        assert!(is_central_european_summer_time(date(2026, 3, 29)));
        assert!(is_central_european_summer_time(date(2026, 10, 24)));
        assert!(!is_central_european_summer_time(date(2026, 10, 25)));
    }

    #[test]
    fn a_brussels_deadline_reads_back_as_seventeen_hundred() {
        for day in [date(2026, 1, 15), date(2026, 9, 16), date(2027, 3, 29)] {
            let local = to_brussels(brussels_deadline(day));
            assert_eq!((local.date(), local.time().hour()), (day, 17));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_last_sunday_is_a_sunday_in_the_last_week(year in 1990i32..2100, month in 1u32..=12) {
            let sunday = last_sunday(year, month);
            proptest::prop_assert_eq!(sunday.weekday(), Weekday::Sun);
            proptest::prop_assert_eq!(sunday.month(), month);
            proptest::prop_assert!((sunday + chrono::Duration::days(7)).month() != month);
        }
    }
}
