//! Time rules: EU deadlines fall at 17:00 Brussels time, and "now" is injectable.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};

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

/// The time zones a funding body states its deadlines in: the EU's three (all switching to
/// summer time together, Directive 2000/84/EC) and UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum DeadlineZone {
    /// Coordinated Universal Time, no summer time.
    Utc,
    /// Western European Time (Lisbon, Dublin): UTC+0, +1 in summer.
    Western,
    /// Central European Time (Brussels, Berlin, Warsaw): UTC+1, +2 in summer.
    Central,
    /// Eastern European Time (Helsinki, Athens, Bucharest): UTC+2, +3 in summer.
    Eastern,
}

impl DeadlineZone {
    /// Every zone, in the order forms list them.
    pub const ALL: [DeadlineZone; 4] = [
        DeadlineZone::Central,
        DeadlineZone::Western,
        DeadlineZone::Eastern,
        DeadlineZone::Utc,
    ];

    /// The zone's IANA name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineZone::Utc => "UTC",
            DeadlineZone::Western => "Europe/Lisbon",
            DeadlineZone::Central => "Europe/Brussels",
            DeadlineZone::Eastern => "Europe/Helsinki",
        }
    }

    /// The zone named `value`, if it is one of ours.
    pub fn parse(value: &str) -> Option<DeadlineZone> {
        DeadlineZone::ALL.into_iter().find(|zone| zone.as_str() == value.trim())
    }

    /// The zone's name for people.
    pub fn label(self) -> &'static str {
        match self {
            DeadlineZone::Utc => "UTC",
            DeadlineZone::Western => "Lisbon / Dublin time (WET)",
            DeadlineZone::Central => "Brussels time (CET)",
            DeadlineZone::Eastern => "Helsinki / Athens time (EET)",
        }
    }

    /// Hours ahead of UTC in winter.
    fn standard_hours(self) -> i64 {
        match self {
            DeadlineZone::Utc | DeadlineZone::Western => 0,
            DeadlineZone::Central => 1,
            DeadlineZone::Eastern => 2,
        }
    }

    /// Whether summer time applies at `instant`: from 01:00 UTC on the last Sunday of March
    /// to 01:00 UTC on the last Sunday of October (never in UTC).
    fn is_summer_at(self, instant: NaiveDateTime) -> bool {
        if self == DeadlineZone::Utc {
            return false;
        }
        let one_am = NaiveTime::from_hms_opt(1, 0, 0).expect("valid hour");
        let year = instant.date().year();
        let start = last_sunday(year, 3).and_time(one_am);
        let end = last_sunday(year, 10).and_time(one_am);
        instant >= start && instant < end
    }

    /// The UTC instant of the wall-clock time `local` in this zone (in the hour the clocks
    /// skip or repeat, the summer reading is taken).
    pub fn to_utc(self, local: NaiveDateTime) -> DateTime<Utc> {
        let summer = local - chrono::Duration::hours(self.standard_hours() + 1);
        let instant = if self.is_summer_at(summer) {
            summer
        } else {
            local - chrono::Duration::hours(self.standard_hours())
        };
        Utc.from_utc_datetime(&instant)
    }

    /// The wall-clock time in this zone at `instant`.
    pub fn to_local(self, instant: DateTime<Utc>) -> NaiveDateTime {
        let utc = instant.naive_utc();
        let summer = i64::from(self.is_summer_at(utc));
        utc + chrono::Duration::hours(self.standard_hours() + summer)
    }
}

impl From<DeadlineZone> for String {
    fn from(zone: DeadlineZone) -> String {
        zone.as_str().to_owned()
    }
}

impl TryFrom<String> for DeadlineZone {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DeadlineZone::parse(&value).ok_or_else(|| format!("unknown time zone {value:?}"))
    }
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

    fn local(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn deadline_zones_follow_the_eu_summer_time_rule() {
        let cases = [
            (
                DeadlineZone::Central,
                local(2027, 1, 15, 17),
                "2027-01-15T16:00:00+00:00",
            ),
            (
                DeadlineZone::Central,
                local(2027, 6, 15, 17),
                "2027-06-15T15:00:00+00:00",
            ),
            (
                DeadlineZone::Western,
                local(2027, 6, 15, 17),
                "2027-06-15T16:00:00+00:00",
            ),
            (
                DeadlineZone::Eastern,
                local(2027, 1, 15, 17),
                "2027-01-15T15:00:00+00:00",
            ),
            (DeadlineZone::Utc, local(2027, 6, 15, 17), "2027-06-15T17:00:00+00:00"),
            // 28 March 2027 is the last Sunday of March: 01:00 UTC is 03:00 CEST.
            (
                DeadlineZone::Central,
                local(2027, 3, 28, 4),
                "2027-03-28T02:00:00+00:00",
            ),
            (
                DeadlineZone::Central,
                local(2027, 3, 28, 1),
                "2027-03-28T00:00:00+00:00",
            ),
        ];
        for (zone, wall, expected) in cases {
            let instant = zone.to_utc(wall);
            assert_eq!(instant.to_rfc3339(), expected, "{zone:?} {wall}");
            assert_eq!(zone.to_local(instant), wall, "{zone:?} reads {wall} back");
        }
        assert_eq!(DeadlineZone::parse("Europe/Brussels"), Some(DeadlineZone::Central));
        assert_eq!(DeadlineZone::parse("Mars/Olympus"), None);
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
