//! A digest as composed for one person and period: per saved search, what is new since the
//! last mail they received — best first, capped per section with "see all N" — and the mail
//! it becomes (plain text and HTML, an idempotency key per person, frequency and period).
//! Which searches are due and what is new is worked out in `services::digests`.

use super::{DigestSchedule, Frequency, SavedSearch, SearchKind};
use crate::mail::templates::{render, Message};
use crate::store::OutgoingMail;
use chrono::Duration;
use serde::Serialize;

/// Items shown per section; the rest are counted behind "see all N".
pub const SECTION_CAP: usize = 5;
/// The furthest back "new" looks: a person who received nothing for months (nothing matched)
/// gets what came in the last five weeks, not the whole catalogue.
pub const LONGEST_LOOKBACK: Duration = Duration::days(35);

/// How far ahead a weekly digest lists the deadlines of followed calls.
pub const CLOSING_SOON: Duration = Duration::days(14);

/// How far before a search was saved its first mail looks: a week for the weekly digest, a
/// day for daily mail, nothing for instant mail.
pub fn first_lookback(frequency: Frequency) -> Duration {
    match frequency {
        Frequency::Weekly => Duration::days(7),
        Frequency::Daily => Duration::days(1),
        Frequency::Instant | Frequency::Off => Duration::zero(),
    }
}

/// One call or organisation in a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestItem {
    /// Its public identifier.
    pub external_id: String,
    /// Its title (an organisation's name).
    pub title: String,
    /// One line about it: programme, kind, deadline, budget; or kind and country.
    pub detail: String,
    /// Its page.
    pub url: String,
    /// The signed link that leaves it out of later mail (calls only).
    pub mute_url: Option<String>,
}

/// What is new for one saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestSection {
    /// The saved search (none: an organisation's top matches).
    pub search_id: Option<i64>,
    /// Calls or organisations.
    pub kind: SearchKind,
    /// What it searches, as a heading.
    pub heading: String,
    /// The first [`SECTION_CAP`] new items, best first.
    pub items: Vec<DigestItem>,
    /// How many are new in all.
    pub total: usize,
    /// How many are not shown.
    pub more: usize,
    /// The search's page (calls newest first).
    pub see_all_url: String,
    /// The signed link that switches the search to "no mail" (for top matches: the alerts page).
    pub stop_url: String,
    /// What the stop link says.
    pub stop_label: &'static str,
}

impl DigestSection {
    /// The section for `search` with its new items (best first), linking under `public_url`.
    pub fn new(search: &SavedSearch, mut items: Vec<DigestItem>, public_url: &str, stop_url: String) -> Self {
        let total = items.len();
        items.truncate(SECTION_CAP);
        let heading = match (search.query.is_empty(), search.kind) {
            (true, SearchKind::Calls) => "All new calls".to_owned(),
            (true, SearchKind::Organisations) => "All organisations new in the directory".to_owned(),
            (false, SearchKind::Calls) => format!("Calls matching {}", search.title),
            (false, SearchKind::Organisations) => format!("Organisations matching {}", search.title),
        };
        let public_url = public_url.trim_end_matches('/');
        // The call list can put the newest first; the directory has no such order.
        let see_all_url = match search.kind {
            SearchKind::Calls => {
                let separator = if search.query.is_empty() { '?' } else { '&' };
                format!("{public_url}{}{separator}sort=newest", search.href())
            }
            SearchKind::Organisations => format!("{public_url}{}", search.href()),
        };
        DigestSection {
            search_id: Some(search.id),
            kind: search.kind,
            heading,
            more: total - items.len(),
            items,
            total,
            see_all_url,
            stop_url,
            stop_label: "Stop mail for this search",
        }
    }

    /// The section of organisation `organisation_name`'s (`organisation_id`) new top matches
    /// (best first), linking to its matches and to the alerts page under `public_url`.
    pub fn top_matches(
        organisation_id: &str,
        organisation_name: &str,
        mut items: Vec<DigestItem>,
        public_url: &str,
    ) -> Self {
        let total = items.len();
        items.truncate(SECTION_CAP);
        let public_url = public_url.trim_end_matches('/');
        DigestSection {
            search_id: None,
            kind: SearchKind::Calls,
            heading: format!("New top matches for {organisation_name}"),
            more: total - items.len(),
            items,
            total,
            see_all_url: format!(
                "{public_url}/matches?organisation={}",
                crate::query::percent_encode(organisation_id)
            ),
            stop_url: format!("{public_url}/preferences"),
            stop_label: "Change this in your alerts",
        }
    }
}

/// One person's mail for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// Whose.
    pub person_id: i64,
    /// Their address.
    pub recipient: String,
    /// How it greets them.
    pub name: String,
    /// Weekly digest, daily or instant mail.
    pub frequency: Frequency,
    /// The period it covers (`2026-W49`, `2026-12-05`, `2026-12-05T09:14`).
    pub period: String,
    /// Sections with something new, in the order the searches were saved.
    pub sections: Vec<DigestSection>,
    /// Calls the person follows that close within [`CLOSING_SOON`], soonest first (weekly
    /// digests that are sent anyway; never a reason to send one).
    pub closing_soon: Vec<DigestItem>,
    /// The person's preferences page.
    pub preferences_url: String,
    /// The signed one-click unsubscribe address (also the `List-Unsubscribe` header).
    pub unsubscribe_url: String,
}

impl Digest {
    /// The key that makes it one mail per person, frequency and period.
    pub fn idempotency_key(&self) -> String {
        format!("digest:{}:{}:{}", self.person_id, self.frequency.as_str(), self.period)
    }

    /// New calls and new organisations in all sections.
    fn counts(&self) -> (usize, usize) {
        let count = |kind: SearchKind| {
            self.sections
                .iter()
                .filter(|section| section.kind == kind)
                .map(|section| section.total)
                .sum::<usize>()
        };
        (count(SearchKind::Calls), count(SearchKind::Organisations))
    }

    /// The subject line: what is new, counted.
    pub fn headline(&self) -> String {
        let (calls, organisations) = self.counts();
        let plural = |n: usize, noun: &str| format!("{n} new {noun}{}", if n == 1 { "" } else { "s" });
        let what = match (calls, organisations) {
            (0, o) => plural(o, "organisation"),
            (c, 0) => plural(c, "call"),
            (c, o) => format!("{} and {}", plural(c, "call"), plural(o, "organisation")),
        };
        match self.frequency {
            Frequency::Weekly => format!("Your Fundbridge week: {what}"),
            Frequency::Daily => format!("Fundbridge today: {what}"),
            Frequency::Instant | Frequency::Off => format!("New on Fundbridge: {what}"),
        }
    }

    /// The sentence under the greeting.
    fn intro(&self) -> &'static str {
        match self.frequency {
            Frequency::Weekly => "Here is what is new for you since your last digest.",
            Frequency::Daily => "Here is what is new today for your saved searches.",
            Frequency::Instant | Frequency::Off => "Just published, matching your saved searches:",
        }
    }

    /// When this mail comes, in the footer.
    fn when(&self, schedule: &DigestSchedule) -> String {
        let at = format!("around {:02}:00 {}", schedule.hour, schedule.time_zone);
        match self.frequency {
            Frequency::Weekly => format!(
                "You get this digest every {} {at}, in weeks with something new.",
                schedule.weekday_name()
            ),
            Frequency::Daily => format!("You get this mail every day {at}, on days with something new."),
            Frequency::Instant | Frequency::Off => {
                "You get this mail within minutes of something new for a search set to “At once”.".to_owned()
            }
        }
    }

    /// The mail, from the sender's mail `domain`, with its one-click unsubscribe address.
    pub fn to_mail(&self, domain: &str, schedule: &DigestSchedule) -> Result<OutgoingMail, minijinja::Error> {
        let rendered = render(
            Message::Digest,
            "en",
            serde_json::json!({
                "name": self.name,
                "headline": self.headline(),
                "intro": self.intro(),
                "sections": self.sections,
                "closing_soon": self.closing_soon,
                "when": self.when(schedule),
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

/// An alert mail `rendered` for `recipient`, keyed `key`, from the sender's mail `domain`,
/// carrying the one-click unsubscribe address `unsubscribe_url` (RFC 8058).
pub fn alert_mail(
    rendered: &crate::mail::templates::Rendered,
    key: &str,
    domain: &str,
    recipient: &str,
    unsubscribe_url: &str,
) -> OutgoingMail {
    OutgoingMail::new(
        key,
        domain,
        recipient,
        &rendered.subject,
        &rendered.text,
        &rendered.html,
    )
    .with_list_unsubscribe(unsubscribe_url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(id: i64, kind: SearchKind, query: &str, title: &str) -> SavedSearch {
        SavedSearch {
            id,
            kind,
            query: query.into(),
            title: title.into(),
            frequency: Frequency::Weekly,
        }
    }

    fn items(n: usize) -> Vec<DigestItem> {
        (0..n)
            .map(|i| DigestItem {
                external_id: format!("CALL-{i}"),
                title: format!("Call <{i}>"),
                detail: "Horizon Europe".into(),
                url: format!("https://fundbridge.eu/calls/CALL-{i}"),
                mute_url: Some(format!("https://fundbridge.eu/mail/mute?token={i}")),
            })
            .collect()
    }

    fn digest(sections: Vec<DigestSection>) -> Digest {
        Digest {
            person_id: 7,
            recipient: "ana@example.eu".into(),
            name: "Ana".into(),
            frequency: Frequency::Weekly,
            period: "2026-W49".into(),
            sections,
            closing_soon: Vec::new(),
            preferences_url: "https://fundbridge.eu/preferences".into(),
            unsubscribe_url: "https://fundbridge.eu/mail/unsubscribe?token=u".into(),
        }
    }

    #[test]
    fn a_section_shows_the_first_five_and_counts_the_rest() {
        let quantum = search(3, SearchKind::Calls, "?q=quantum", "“quantum”");
        let section = DigestSection::new(&quantum, items(8), "https://fundbridge.eu/", "stop".into());
        assert_eq!((section.items.len(), section.total, section.more), (5, 8, 3));
        assert_eq!(section.heading, "Calls matching “quantum”");
        assert_eq!(section.see_all_url, "https://fundbridge.eu/calls?q=quantum&sort=newest");
        let all = DigestSection::new(
            &search(4, SearchKind::Organisations, "", "all organisations"),
            items(1),
            "https://fundbridge.eu",
            "stop".into(),
        );
        assert_eq!(all.see_all_url, "https://fundbridge.eu/organisations");
        assert_eq!(all.more, 0);
    }

    #[test]
    fn the_mail_counts_what_is_new_escapes_titles_and_carries_its_unsubscribe_address() {
        let calls = DigestSection::new(
            &search(3, SearchKind::Calls, "?q=quantum", "“quantum”"),
            items(8),
            "https://fundbridge.eu",
            "https://fundbridge.eu/mail/stop?token=s".into(),
        );
        let organisations = DigestSection::new(
            &search(4, SearchKind::Organisations, "", "all"),
            items(1),
            "https://fundbridge.eu",
            "https://fundbridge.eu/mail/stop?token=t".into(),
        );
        let digest = digest(vec![calls, organisations]);
        assert_eq!(
            digest.headline(),
            "Your Fundbridge week: 8 new calls and 1 new organisation"
        );
        let mail = digest.to_mail("fundbridge.eu", &DigestSchedule::default()).unwrap();
        assert_eq!(mail.idempotency_key, "digest:7:weekly:2026-W49");
        assert_eq!(
            mail.list_unsubscribe.as_deref(),
            Some("https://fundbridge.eu/mail/unsubscribe?token=u")
        );
        assert!(mail.html_body.contains("Call &lt;4&gt;") && !mail.html_body.contains("Call <4>"));
        assert!(!mail.html_body.contains("Call &lt;5&gt;"), "only five per section");
        assert!(mail
            .text_body
            .contains("See all 8: https://fundbridge.eu/calls?q=quantum&sort=newest"));
        assert!(mail.text_body.contains("every Monday around 08:00 Europe/Brussels"));
        assert!(mail.text_body.contains("https://fundbridge.eu/mail/mute?token=0"));
        assert!(mail.validate().is_ok(), "{:?}", mail.validate());
    }
}
