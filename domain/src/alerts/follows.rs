//! Following a call: a follower is mailed when the call changes materially (deadlines,
//! budget, eligibility, status — what its version history marks as material, never a reworded
//! description) and reminded 14 and 3 days before each of its deadlines. The list a follower
//! keeps is shared with the UI; composing the mail is server-side.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most calls one person can follow.
pub const MAX_FOLLOWS: usize = 200;
/// Days before a deadline at which followers are reminded of it.
pub const REMINDER_DAYS: [i64; 2] = [14, 3];

/// A call a person follows, as their preferences list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedCall {
    /// The call's external id.
    pub external_id: String,
    /// Its title.
    pub title: String,
    /// Its next deadline, when it has one still to come.
    pub next_deadline: Option<DateTime<Utc>>,
    /// When they followed it.
    pub followed_at: DateTime<Utc>,
}

#[cfg(feature = "server")]
pub use compose::*;

/// The follow mail, server-side.
#[cfg(feature = "server")]
mod compose {
    use super::REMINDER_DAYS;
    use crate::alerts::digest::alert_mail;
    use crate::call::Deadline;
    use crate::mail::templates::{render, Message};
    use crate::store::OutgoingMail;
    use crate::time::DeadlineZone;
    use chrono::{DateTime, Utc};
    use serde::Serialize;

    /// The most characters of a call's title a subject line holds.
    pub const SUBJECT_TITLE_CHARS: usize = 120;

    /// A deadline a follower is reminded of now.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Reminder {
        /// 14 or 3: days before the deadline the reminder is for.
        pub days: i64,
        /// The deadline.
        pub deadline: Deadline,
    }

    /// The reminders whose moment (a deadline less [`REMINDER_DAYS`]) fell in `(since, now]`,
    /// for deadlines still to come; of two falling in the window for one deadline, only the
    /// nearer one (a follower who was away hears "3 days", not both).
    pub fn reminders_due(deadlines: &[Deadline], since: DateTime<Utc>, now: DateTime<Utc>) -> Vec<Reminder> {
        deadlines
            .iter()
            .filter(|deadline| deadline.at > now)
            .filter_map(|deadline| {
                REMINDER_DAYS
                    .into_iter()
                    .filter(|days| {
                        let moment = deadline.at - chrono::Duration::days(*days);
                        moment > since && moment <= now
                    })
                    .min()
                    .map(|days| Reminder {
                        days,
                        deadline: deadline.clone(),
                    })
            })
            .collect()
    }

    /// A deadline in words, in the call's `zone`: "17:00 on Wednesday 20 January 2027
    /// Europe/Brussels".
    pub fn deadline_words(at: DateTime<Utc>, zone: DeadlineZone) -> String {
        format!(
            "{} {}",
            zone.to_local(at).format("%H:%M on %A %-d %B %Y"),
            zone.as_str()
        )
    }

    /// A material change to a followed call, as its version history recorded it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct MaterialChange {
        /// The call's external id.
        pub call: String,
        /// When the version was saved.
        pub at: DateTime<Utc>,
        /// The funding body's public note.
        pub note: String,
        /// The material changes, as sentences.
        pub details: Vec<String>,
    }

    /// One followed call's news in the mail.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    pub struct FollowSection {
        /// The call's title.
        pub title: String,
        /// Its page.
        pub url: String,
        /// The signed link that unfollows it.
        pub unfollow_url: String,
        /// What changed, as sentences, oldest first.
        pub changes: Vec<String>,
        /// The funding body's notes on those changes.
        pub notes: Vec<String>,
        /// Reminders of its deadlines, as sentences.
        pub reminders: Vec<String>,
        /// Days to the nearest deadline reminded of.
        pub closes_in: Option<i64>,
    }

    impl FollowSection {
        /// The section of call `title` at `url`: its `changes` and `reminders`, deadlines
        /// written in the call's `zone`.
        pub fn new(
            title: String,
            url: String,
            unfollow_url: String,
            changes: &[MaterialChange],
            reminders: &[Reminder],
            zone: DeadlineZone,
        ) -> FollowSection {
            let reminder_sentences = reminders
                .iter()
                .map(|reminder| {
                    let stage = reminder
                        .deadline
                        .label
                        .as_deref()
                        .map(|label| format!(" ({label})"))
                        .unwrap_or_default();
                    format!(
                        "Closes in {} days: {}{stage}.",
                        reminder.days,
                        deadline_words(reminder.deadline.at, zone)
                    )
                })
                .collect();
            FollowSection {
                title,
                url,
                unfollow_url,
                changes: changes
                    .iter()
                    .flat_map(|change| change.details.iter().cloned())
                    .collect(),
                notes: changes
                    .iter()
                    .map(|change| change.note.trim().to_owned())
                    .filter(|note| !note.is_empty())
                    .collect(),
                reminders: reminder_sentences,
                closes_in: reminders.iter().map(|reminder| reminder.days).min(),
            }
        }
    }

    /// One person's mail about the calls they follow.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct FollowMail {
        /// Whose.
        pub person_id: i64,
        /// Their address.
        pub recipient: String,
        /// How it greets them.
        pub name: String,
        /// The minute it was composed in (`2026-12-05T09:14`): one mail per person and minute.
        pub period: String,
        /// A section per followed call with news.
        pub sections: Vec<FollowSection>,
        /// The person's preferences page.
        pub preferences_url: String,
        /// The signed one-click unsubscribe address (also the `List-Unsubscribe` header).
        pub unsubscribe_url: String,
    }

    impl FollowMail {
        /// The key that makes it one mail per person and period.
        pub fn idempotency_key(&self) -> String {
            format!("follows:{}:{}", self.person_id, self.period)
        }

        /// The subject line: the call and what happened, or how many calls (a long title cut
        /// to [`SUBJECT_TITLE_CHARS`], real topic titles run past what a subject may hold).
        pub fn headline(&self) -> String {
            let title = |section: &FollowSection| {
                if section.title.chars().count() <= SUBJECT_TITLE_CHARS {
                    section.title.clone()
                } else {
                    let cut: String = section.title.chars().take(SUBJECT_TITLE_CHARS - 1).collect();
                    format!("{}…", cut.trim_end())
                }
            };
            match self.sections.as_slice() {
                [only] if only.changes.is_empty() => match only.closes_in {
                    Some(days) => format!("Closes in {days} days: {}", title(only)),
                    None => title(only),
                },
                [only] => format!("Changed: {}", title(only)),
                sections => format!("News on {} calls you follow", sections.len()),
            }
        }

        /// The mail, from the sender's mail `domain`, with its one-click unsubscribe address.
        pub fn to_mail(&self, domain: &str) -> Result<OutgoingMail, minijinja::Error> {
            let rendered = render(
                Message::FollowedCalls,
                "en",
                serde_json::json!({
                    "name": self.name,
                    "headline": self.headline(),
                    "sections": self.sections,
                    "preferences_url": self.preferences_url,
                    "unsubscribe_url": self.unsubscribe_url,
                }),
            )?;
            Ok(alert_mail(
                &rendered,
                &self.idempotency_key(),
                domain,
                &self.recipient,
                &self.unsubscribe_url,
            ))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use chrono::TimeZone;

        fn at(day: u32, hour: u32) -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2027, 1, day, hour, 0, 0).unwrap()
        }

        fn deadline(day: u32) -> Deadline {
            Deadline {
                stage: 1,
                at: at(day, 16),
                label: None,
            }
        }

        #[test]
        fn a_reminder_is_due_once_when_its_moment_passes() {
            let deadlines = [deadline(20)];
            // The 14-day moment is 6 January 16:00.
            assert!(reminders_due(&deadlines, at(6, 15), at(6, 15)).is_empty());
            let due = reminders_due(&deadlines, at(6, 15), at(6, 16));
            assert_eq!(due.len(), 1);
            assert_eq!(due[0].days, 14);
            assert!(
                reminders_due(&deadlines, at(6, 16), at(7, 9)).is_empty(),
                "not again after it was covered"
            );
            let due = reminders_due(&deadlines, at(7, 9), at(17, 16));
            assert_eq!(due.iter().map(|r| r.days).collect::<Vec<_>>(), [3]);
        }

        #[test]
        fn a_follower_away_for_both_moments_hears_only_the_nearer_and_never_after_the_deadline() {
            let deadlines = [deadline(20)];
            let due = reminders_due(&deadlines, at(1, 0), at(18, 0));
            assert_eq!(due.iter().map(|r| r.days).collect::<Vec<_>>(), [3]);
            assert!(reminders_due(&deadlines, at(1, 0), at(21, 0)).is_empty());
        }

        #[test]
        fn the_mail_names_the_call_its_changes_and_the_deadline_in_the_calls_zone() {
            let mut first = deadline(20);
            first.label = Some("First stage".into());
            let section = FollowSection::new(
                "Quantum <sensing>".into(),
                "https://fundbridge.eu/calls/Q".into(),
                "https://fundbridge.eu/mail/unfollow?token=t".into(),
                &[MaterialChange {
                    call: "Q".into(),
                    at: at(2, 9),
                    note: "Extended after requests.".into(),
                    details: vec!["Deadline changed from 13 January to 20 January".into()],
                }],
                &[Reminder {
                    days: 14,
                    deadline: first,
                }],
                DeadlineZone::Central,
            );
            assert_eq!(
                section.reminders,
                ["Closes in 14 days: 17:00 on Wednesday 20 January 2027 Europe/Brussels (First stage)."]
            );
            let mail = FollowMail {
                person_id: 7,
                recipient: "ana@example.eu".into(),
                name: "Ana".into(),
                period: "2027-01-06T16:00".into(),
                sections: vec![section],
                preferences_url: "https://fundbridge.eu/preferences".into(),
                unsubscribe_url: "https://fundbridge.eu/mail/unsubscribe?token=u".into(),
            };
            assert_eq!(mail.headline(), "Changed: Quantum <sensing>");
            let mut long = mail.clone();
            long.sections[0].title = "Post-quantum cryptography for public administrations ".repeat(8);
            let headline = long.headline();
            assert!(
                headline.chars().count() <= 9 + SUBJECT_TITLE_CHARS && headline.ends_with('…'),
                "{headline}"
            );
            let outgoing = long.to_mail("fundbridge.eu").unwrap();
            assert_eq!(
                outgoing.validate(),
                Ok(()),
                "a long title still makes a mail the outbox takes"
            );
            let outgoing = mail.to_mail("fundbridge.eu").unwrap();
            assert!(outgoing
                .text_body
                .contains("Deadline changed from 13 January to 20 January"));
            assert!(outgoing.text_body.contains("Extended after requests."));
            assert!(outgoing
                .text_body
                .contains("https://fundbridge.eu/mail/unfollow?token=t"));
            assert!(outgoing.html_body.contains("Quantum &lt;sensing&gt;"));
            assert_eq!(
                outgoing.list_unsubscribe.as_deref(),
                Some("https://fundbridge.eu/mail/unsubscribe?token=u")
            );
        }
    }
}
