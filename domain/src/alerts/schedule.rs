//! When a person's digest is due: their weekday and hour in their IANA time zone (chrono-tz),
//! as UTC instants, and the ISO week that keys "one digest per person and week". An hour the
//! clocks skip (spring forward) moves to the first instant after it; an hour they repeat
//! (fall back) is taken the first time.

use super::{DigestSchedule, Frequency};
use chrono::{DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

impl DigestSchedule {
    /// Its time zone, when it is one of the IANA database.
    pub fn zone(&self) -> Option<Tz> {
        self.time_zone.parse().ok()
    }
}

/// The ISO week `instant` falls in, read in `zone`: `2026-W49`.
pub fn week_key(instant: DateTime<Utc>, zone: Tz) -> String {
    let week = instant.with_timezone(&zone).date_naive().iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The UTC instant of the wall-clock time `local` in `zone`: in a skipped hour, the first
/// instant after the gap; in a repeated hour, the earlier reading.
fn instant_of(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => {
            // Clocks jump forward by at most a few hours: the first whole minute that exists.
            (1..=240)
                .find_map(|minutes| {
                    zone.from_local_datetime(&(local + chrono::Duration::minutes(minutes)))
                        .earliest()
                })
                .map_or_else(|| Utc.from_utc_datetime(&local), |at| at.with_timezone(&Utc))
        }
    }
}

/// The day of `schedule`'s weekday in the ISO week that holds `date`.
fn scheduled_day(schedule: &DigestSchedule, date: NaiveDate) -> NaiveDate {
    let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
    monday + Days::new(u64::from(schedule.weekday.clamp(1, 7) - 1))
}

/// The instant of `schedule`'s hour on `day`, in `zone`.
fn digest_on(schedule: &DigestSchedule, day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let hour = NaiveTime::from_hms_opt(u32::from(schedule.hour.min(23)), 0, 0).expect("an hour of the day");
    instant_of(day.and_time(hour), zone)
}

/// The instant of the digest in the ISO week (read in `zone`) that holds `instant`.
pub fn digest_instant_in_week(schedule: &DigestSchedule, zone: Tz, instant: DateTime<Utc>) -> DateTime<Utc> {
    let day = scheduled_day(schedule, instant.with_timezone(&zone).date_naive());
    digest_on(schedule, day, zone)
}

/// The first digest instant at or after `now`: this week's while it is ahead, else next week's.
pub fn next_digest(schedule: &DigestSchedule, zone: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let this_week = digest_instant_in_week(schedule, zone, now);
    if this_week >= now {
        return this_week;
    }
    let local_day = now.with_timezone(&zone).date_naive();
    digest_on(schedule, scheduled_day(schedule, local_day) + Days::new(7), zone)
}

/// The period a `frequency`'s mail covers at `now` — the ISO week (weekly digest), the local
/// day (daily mail) or the UTC minute (instant mail) — when one is due: its time has come (the
/// digest's weekday and hour, the daily hour, since the person subscribed at `subscribed_at`;
/// at once for instant mail, or for any when `at_once`) and the last period composed,
/// `last_period`, is another. A digest time missed (the server was down) is caught up later
/// in its period.
pub fn due_period(
    frequency: Frequency,
    schedule: &DigestSchedule,
    zone: Tz,
    now: DateTime<Utc>,
    subscribed_at: DateTime<Utc>,
    last_period: Option<&str>,
    at_once: bool,
) -> Option<String> {
    let has_come = |instant: DateTime<Utc>| subscribed_at <= instant && instant <= now;
    let (period, time_has_come) = match frequency {
        Frequency::Weekly => (
            week_key(now, zone),
            has_come(digest_instant_in_week(schedule, zone, now)),
        ),
        Frequency::Daily => {
            let today = now.with_timezone(&zone).date_naive();
            (today.to_string(), has_come(digest_on(schedule, today, zone)))
        }
        Frequency::Instant => (now.format("%Y-%m-%dT%H:%M").to_string(), true),
        Frequency::Off => return None,
    };
    ((time_has_come || at_once) && last_period != Some(period.as_str())).then_some(period)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn long_ago() -> DateTime<Utc> {
        at("2020-01-01T00:00:00Z")
    }

    fn at(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
    }

    fn schedule(weekday: u8, hour: u8, zone: &str) -> (DigestSchedule, Tz) {
        let schedule = DigestSchedule {
            weekday,
            hour,
            time_zone: zone.to_owned(),
        };
        let zone = schedule.zone().expect("an IANA zone");
        (schedule, zone)
    }

    #[test]
    fn monday_eight_in_brussels_is_seven_utc_in_winter_and_six_in_summer() {
        let (monday, brussels) = schedule(1, 8, "Europe/Brussels");
        assert_eq!(
            next_digest(&monday, brussels, at("2026-12-02T10:00:00Z")),
            at("2026-12-07T07:00:00Z")
        );
        assert_eq!(
            next_digest(&monday, brussels, at("2026-06-10T10:00:00Z")),
            at("2026-06-15T06:00:00Z")
        );
        // Still ahead this week: this week's.
        assert_eq!(
            next_digest(&monday, brussels, at("2026-12-07T06:59:59Z")),
            at("2026-12-07T07:00:00Z")
        );
        let (friday, helsinki) = schedule(5, 7, "Europe/Helsinki");
        assert_eq!(
            next_digest(&friday, helsinki, at("2026-12-02T10:00:00Z")),
            at("2026-12-04T05:00:00Z")
        );
    }

    #[test]
    fn a_skipped_hour_moves_to_the_first_instant_after_it_and_a_repeated_one_is_taken_once() {
        // 29 March 2026, Brussels: 02:00 jumps to 03:00 (01:00 UTC).
        let (sunday_two, brussels) = schedule(7, 2, "Europe/Brussels");
        assert_eq!(
            next_digest(&sunday_two, brussels, at("2026-03-27T00:00:00Z")),
            at("2026-03-29T01:00:00Z")
        );
        // 25 October 2026: 02:00 comes twice; the first is 00:00 UTC.
        assert_eq!(
            next_digest(&sunday_two, brussels, at("2026-10-23T00:00:00Z")),
            at("2026-10-25T00:00:00Z")
        );
    }

    #[test]
    fn the_week_key_is_the_iso_week_in_the_persons_zone() {
        let brussels: Tz = "Europe/Brussels".parse().unwrap();
        assert_eq!(week_key(at("2026-12-01T12:00:00Z"), brussels), "2026-W49");
        // Thursday 31 December 2026 is in week 53; Sunday 3 January 2027 too.
        assert_eq!(week_key(at("2026-12-31T12:00:00Z"), brussels), "2026-W53");
        assert_eq!(week_key(at("2027-01-03T12:00:00Z"), brussels), "2026-W53");
        // Sunday 23:30 UTC is already Monday in Brussels.
        assert_eq!(week_key(at("2026-12-06T23:30:00Z"), brussels), "2026-W50");
        assert_eq!(week_key(at("2026-12-06T23:30:00Z"), Tz::UTC), "2026-W49");
    }

    #[test]
    fn a_digest_is_due_once_its_hour_has_come_and_not_again_that_week() {
        let (monday, brussels) = schedule(1, 8, "Europe/Brussels");
        let before = at("2026-12-07T06:59:00Z");
        let after = at("2026-12-07T07:00:00Z");
        let weekly = |now, last| due_period(Frequency::Weekly, &monday, brussels, now, long_ago(), last, false);
        assert_eq!(weekly(before, Some("2026-W49")), None);
        assert_eq!(weekly(after, Some("2026-W49")).as_deref(), Some("2026-W50"));
        assert_eq!(weekly(after, None).as_deref(), Some("2026-W50"));
        assert_eq!(weekly(after, Some("2026-W50")), None);
        // Later in the week, a digest missed on Monday is still due.
        assert!(weekly(at("2026-12-10T12:00:00Z"), Some("2026-W49")).is_some());
        // Subscribed after this week's digest time: the first digest is next week's.
        let since_tuesday = |now| {
            due_period(
                Frequency::Weekly,
                &monday,
                brussels,
                now,
                at("2026-12-08T10:00:00Z"),
                None,
                false,
            )
        };
        assert_eq!(since_tuesday(at("2026-12-10T12:00:00Z")), None);
        assert_eq!(since_tuesday(at("2026-12-14T07:00:00Z")).as_deref(), Some("2026-W51"));
        // Asked for at once, it is due before its hour, still once a week.
        let at_once = |now, last| due_period(Frequency::Weekly, &monday, brussels, now, long_ago(), last, true);
        assert_eq!(at_once(before, Some("2026-W49")).as_deref(), Some("2026-W50"));
        assert_eq!(at_once(before, Some("2026-W50")), None);
    }

    #[test]
    fn daily_mail_is_due_from_its_local_hour_once_a_day_and_instant_mail_each_minute() {
        let (schedule, lisbon) = schedule(3, 7, "Europe/Lisbon");
        let daily = |now, last| due_period(Frequency::Daily, &schedule, lisbon, now, long_ago(), last, false);
        assert_eq!(daily(at("2026-12-05T06:59:00Z"), Some("2026-12-04")), None);
        assert_eq!(
            daily(at("2026-12-05T07:00:00Z"), Some("2026-12-04")).as_deref(),
            Some("2026-12-05")
        );
        assert_eq!(daily(at("2026-12-05T23:00:00Z"), Some("2026-12-05")), None);
        let instant = |now, last| due_period(Frequency::Instant, &schedule, lisbon, now, long_ago(), last, false);
        assert_eq!(
            instant(at("2026-12-05T09:14:30Z"), None).as_deref(),
            Some("2026-12-05T09:14")
        );
        assert_eq!(instant(at("2026-12-05T09:14:50Z"), Some("2026-12-05T09:14")), None);
        assert_eq!(
            due_period(
                Frequency::Off,
                &schedule,
                lisbon,
                at("2026-12-05T09:14:30Z"),
                long_ago(),
                None,
                true
            ),
            None
        );
    }

    proptest! {
        #[test]
        fn the_next_digest_is_ahead_on_the_chosen_day_and_a_week_apart(
            weekday in 1u8..=7,
            hour in 0u8..=23,
            zone in proptest::sample::select(vec!["Europe/Brussels", "Europe/Lisbon", "Europe/Helsinki", "UTC", "Europe/London"]),
            seconds in 1_767_225_600i64..1_830_297_600, // 2026 to 2027
        ) {
            let (schedule, zone) = schedule(weekday, hour, zone);
            let now = DateTime::from_timestamp(seconds, 0).unwrap();
            let next = next_digest(&schedule, zone, now);
            prop_assert!(next >= now);
            prop_assert!(next - now <= chrono::Duration::days(7) + chrono::Duration::hours(2));
            let local = next.with_timezone(&zone);
            prop_assert_eq!(local.weekday().number_from_monday(), u32::from(weekday));
            let after = next_digest(&schedule, zone, next + chrono::Duration::seconds(1));
            let gap = after - next;
            prop_assert!(gap >= chrono::Duration::days(7) - chrono::Duration::hours(2));
            prop_assert!(gap <= chrono::Duration::days(7) + chrono::Duration::hours(2));
            prop_assert!(due_period(Frequency::Weekly, &schedule, zone, next, long_ago(), None, false).is_some());
        }
    }
}
