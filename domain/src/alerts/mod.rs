//! Saved searches and what they mail: a call search or a directory search a person keeps,
//! how often it mails them (weekly in the digest by default, daily, at once, or never), the
//! plain sentence that says so next to the switch, and the person's digest time (weekday,
//! hour and IANA time zone; when it is due is in [`schedule`], server-side). Shared with the
//! UI; storing is in `store::alerts`, the use cases in `services::alerts`.

#[cfg(feature = "server")]
pub mod digest;
#[cfg(feature = "server")]
pub mod feeds;
pub mod follows;
#[cfg(feature = "server")]
pub mod links;
#[cfg(feature = "server")]
pub mod schedule;

use crate::geo;
use crate::organisation_query::OrganisationQuery;
use crate::query::CallQuery;
use crate::taxonomy;
use serde::{Deserialize, Serialize};

/// The most searches one person can save.
pub const MAX_SAVED_SEARCHES: usize = 50;
/// The longest description of a saved search, in characters.
const MAX_TITLE_CHARS: usize = 160;

/// What a saved search searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// The call list (`/calls`).
    Calls,
    /// The partner directory (`/organisations`).
    Organisations,
}

impl SearchKind {
    /// The value stored.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Calls => "calls",
            SearchKind::Organisations => "organisations",
        }
    }

    /// The kind stored as `value`.
    pub fn parse(value: &str) -> Option<SearchKind> {
        [SearchKind::Calls, SearchKind::Organisations]
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }

    /// The page the search runs on.
    pub fn path(self) -> &'static str {
        match self {
            SearchKind::Calls => "/calls",
            SearchKind::Organisations => "/organisations",
        }
    }

    /// What it finds, in the plural ("calls").
    pub fn noun(self) -> &'static str {
        match self {
            SearchKind::Calls => "calls",
            SearchKind::Organisations => "organisations",
        }
    }
}

/// How often a saved search mails what is new.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// In the weekly digest.
    #[default]
    Weekly,
    /// A mail each day with something new.
    Daily,
    /// A mail as soon as something new is published.
    Instant,
    /// No mail; the search stays saved.
    Off,
}

impl Frequency {
    /// Every frequency, in the order the switch lists them.
    pub const ALL: [Frequency; 4] = [Frequency::Weekly, Frequency::Daily, Frequency::Instant, Frequency::Off];

    /// The value stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Daily => "daily",
            Frequency::Instant => "instant",
            Frequency::Off => "off",
        }
    }

    /// The frequency stored as `value`.
    pub fn parse(value: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == value)
    }

    /// Its label on the switch.
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Weekly => "Weekly digest",
            Frequency::Daily => "Daily",
            Frequency::Instant => "At once",
            Frequency::Off => "No mail",
        }
    }
}

/// A day of the week, Monday first (ISO 8601 numbering, 1 to 7).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The time zones the preferences page offers (IANA names): the EU's and its neighbours'
/// capitals' zones, and UTC. The server accepts any zone of the IANA database.
pub const TIME_ZONES: [&str; 36] = [
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Athens",
    "Europe/Belgrade",
    "Europe/Berlin",
    "Europe/Bratislava",
    "Europe/Bucharest",
    "Europe/Budapest",
    "Europe/Chisinau",
    "Europe/Copenhagen",
    "Europe/Dublin",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Europe/Kyiv",
    "Europe/Lisbon",
    "Europe/Ljubljana",
    "Europe/London",
    "Europe/Luxembourg",
    "Europe/Madrid",
    "Europe/Malta",
    "Europe/Nicosia",
    "Europe/Oslo",
    "Europe/Paris",
    "Europe/Podgorica",
    "Europe/Prague",
    "Europe/Reykjavik",
    "Europe/Riga",
    "Europe/Rome",
    "Europe/Sarajevo",
    "Europe/Skopje",
    "Europe/Sofia",
    "Europe/Stockholm",
    "Europe/Tallinn",
    "Europe/Tirane",
    "Europe/Vilnius",
    "UTC",
];

/// When a person's digest is composed: a weekday and hour in their time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestSchedule {
    /// ISO weekday, 1 (Monday) to 7 (Sunday).
    pub weekday: u8,
    /// Hour of the day, 0 to 23.
    pub hour: u8,
    /// IANA time zone name.
    pub time_zone: String,
}

impl Default for DigestSchedule {
    fn default() -> Self {
        DigestSchedule {
            weekday: 1,
            hour: 8,
            time_zone: "Europe/Brussels".to_owned(),
        }
    }
}

impl DigestSchedule {
    /// The weekday's name ("Monday").
    pub fn weekday_name(&self) -> &'static str {
        WEEKDAYS[usize::from(self.weekday.clamp(1, 7)) - 1]
    }

    /// The mistake in it, worded for its field (`weekday`, `hour`, `time_zone`); the zone
    /// is only checked to look like an IANA name here (the server checks it is one).
    pub fn mistake(&self) -> Option<(&'static str, String)> {
        if !(1..=7).contains(&self.weekday) {
            return Some(("weekday", "Choose a day of the week.".to_owned()));
        }
        if self.hour > 23 {
            return Some(("hour", "Choose an hour from 0 to 23.".to_owned()));
        }
        let zone = &self.time_zone;
        let looks_like_zone =
            (1..=40).contains(&zone.len()) && zone.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
        if !looks_like_zone {
            return Some(("time_zone", "Choose a time zone from the list.".to_owned()));
        }
        None
    }
}

/// A search a person saved, with what it mails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    /// Its row.
    pub id: i64,
    /// Calls or organisations.
    pub kind: SearchKind,
    /// The search as a URL query (`?q=…&domain=…`, first page, default order; empty: all).
    pub query: String,
    /// What it searches, in words.
    pub title: String,
    /// How often it mails.
    pub frequency: Frequency,
}

impl SavedSearch {
    /// The page that runs it.
    pub fn href(&self) -> String {
        format!("{}{}", self.kind.path(), self.query)
    }

    /// What switch position `frequency` will mail, and when, in one sentence.
    pub fn sentence(&self, frequency: Frequency, schedule: &DigestSchedule) -> String {
        let what = if self.query.is_empty() {
            match self.kind {
                SearchKind::Calls => "every new call".to_owned(),
                SearchKind::Organisations => "every organisation new in the directory".to_owned(),
            }
        } else {
            format!("new {} matching {}", self.kind.noun(), self.title)
        };
        let at = format!("around {:02}:00 {}", schedule.hour, schedule.time_zone);
        match frequency {
            Frequency::Weekly => format!(
                "Every {} {at}: {what}, in your weekly digest (nothing is sent in a week without any).",
                schedule.weekday_name()
            ),
            Frequency::Daily => format!("Every day {at}: {what}, on days there are any."),
            Frequency::Instant => format!("A mail within minutes whenever there are {what}."),
            Frequency::Off => "No mail: the search stays saved here.".to_owned(),
        }
    }
}

/// What a digest mark counts: one frequency of saved-search mail, or the mail about followed
/// calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailChannel {
    /// Saved searches that mail at this frequency (never [`Frequency::Off`]).
    Searches(Frequency),
    /// Material changes to followed calls and reminders before their deadlines.
    Follows,
}

impl MailChannel {
    /// The value stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MailChannel::Searches(frequency) => frequency.as_str(),
            MailChannel::Follows => "follows",
        }
    }

    /// The channel stored as `value`.
    pub fn parse(value: &str) -> Option<MailChannel> {
        match value {
            "follows" => Some(MailChannel::Follows),
            other => Frequency::parse(other)
                .filter(|frequency| *frequency != Frequency::Off)
                .map(MailChannel::Searches),
        }
    }
}

/// A search just saved, with the sentence of what it will mail and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedNotice {
    /// The saved search.
    pub search: SavedSearch,
    /// What it mails, at the person's digest time.
    pub sentence: String,
}

/// A person's saved searches and digest time, as the preferences page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Preferences {
    /// Their saved searches, newest first.
    pub searches: Vec<SavedSearch>,
    /// When their digest is composed.
    pub schedule: DigestSchedule,
    /// They unsubscribed from all alert mail (from a mail's link): nothing is sent.
    #[serde(default)]
    pub mail_stopped: bool,
    /// The calls they follow, soonest deadline first.
    #[serde(default)]
    pub follows: Vec<follows::FollowedCall>,
    /// Each saved search's Atom feed address (signed: a reader needs no sign-in), by id.
    #[serde(default)]
    pub feed_urls: Vec<(i64, String)>,
    /// The calendar address of the followed calls' deadlines (signed).
    #[serde(default)]
    pub calendar_url: String,
    /// The organisations they apply for calls with, each with whether its new top matches
    /// are in their weekly digest.
    #[serde(default)]
    pub organisation_alerts: Vec<OrganisationAlert>,
}

/// One of a person's organisations and whether its new top matches are in their digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationAlert {
    /// The organisation's external id.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Whether the weekly digest carries its new top matches.
    pub top_matches: bool,
}

/// What a mail link does, as its confirmation page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailLinkOutcome {
    /// `unsubscribe`, `mute`, `stop` or `unfollow`.
    pub action: String,
    /// Whether it is in effect now (false: undone).
    pub in_effect: bool,
    /// What is (or is no longer) in effect, in one sentence.
    pub sentence: String,
}

/// `query` (a call search) as it is saved: first page, default order and page size.
pub fn saved_call_query(query: &CallQuery) -> CallQuery {
    CallQuery {
        sort: query.default_sort(),
        page: 1,
        per_page: CallQuery::default().per_page,
        ..query.clone()
    }
}

/// `query` (a directory search) as it is saved: first page, default order and page size.
pub fn saved_organisation_query(query: &OrganisationQuery) -> OrganisationQuery {
    OrganisationQuery {
        sort: query.default_sort(),
        page: 1,
        per_page: OrganisationQuery::default().per_page,
        ..query.clone()
    }
}

/// A call search in words: its text in quotes, then its filters' labels, `·` between.
pub fn describe_calls(query: &CallQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !query.text.is_empty() {
        parts.push(format!("“{}”", query.text));
    }
    parts.extend(query.statuses.iter().map(|s| s.label().to_owned()));
    parts.extend(query.programmes.iter().cloned());
    parts.extend(query.kinds.iter().map(|k| k.label().to_owned()));
    parts.extend(query.countries.iter().map(|c| geo::country_label(c)));
    parts.extend(query.regions.iter().cloned());
    parts.extend(query.budgets.iter().map(|b| b.label().to_owned()));
    parts.extend(query.closes_within.map(|w| w.label().to_owned()));
    parts.extend(query.trl.iter().map(|level| format!("TRL {level}")));
    parts.extend(
        query
            .domains
            .iter()
            .map(|d| taxonomy::label(taxonomy::CAPABILITY_TERMS, d).to_owned()),
    );
    parts.extend(
        query
            .sectors
            .iter()
            .map(|s| taxonomy::label(taxonomy::SECTORS, s).to_owned()),
    );
    if query.sme_only {
        parts.push("SME-only".to_owned());
    }
    if query.dual_use {
        parts.push("Dual-use".to_owned());
    }
    described(parts, "all calls")
}

/// A directory search in words: its text in quotes, then its filters' labels, `·` between.
pub fn describe_organisations(query: &OrganisationQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !query.text.is_empty() {
        parts.push(format!("“{}”", query.text));
    }
    parts.extend(query.kinds.iter().map(|k| k.label().to_owned()));
    parts.extend(query.countries.iter().map(|c| geo::country_label(c)));
    parts.extend(query.regions.iter().cloned());
    parts.extend(
        query
            .capabilities
            .iter()
            .map(|c| taxonomy::label(taxonomy::CAPABILITY_TERMS, c).to_owned()),
    );
    parts.extend(
        query
            .sectors
            .iter()
            .map(|s| taxonomy::label(taxonomy::SECTORS, s).to_owned()),
    );
    parts.extend(query.sizes.iter().map(|s| s.label().to_owned()));
    parts.extend(
        query
            .certifications
            .iter()
            .map(|c| taxonomy::label(taxonomy::CERTIFICATIONS, c).to_owned()),
    );
    parts.extend(query.clusters.iter().map(|c| format!("cluster {c}")));
    if query.dual_use {
        parts.push("Dual-use".to_owned());
    }
    described(parts, "all organisations")
}

/// `parts` joined with `·` and cut to [`MAX_TITLE_CHARS`], or `everything` when there are none.
fn described(parts: Vec<String>, everything: &str) -> String {
    if parts.is_empty() {
        return everything.to_owned();
    }
    let joined = parts.join(" · ");
    if joined.chars().count() <= MAX_TITLE_CHARS {
        joined
    } else {
        let cut: String = joined.chars().take(MAX_TITLE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_saved_as_its_first_page_in_its_default_order_and_described_in_words() {
        let query = CallQuery::from_pairs([
            ("q", "post-quantum"),
            ("domain", "cryptology-post-quantum-cryptography"),
            ("country", "FR"),
            ("sme_only", "true"),
            ("page", "3"),
            ("sort", "budget"),
        ]);
        let saved = saved_call_query(&query);
        assert_eq!(saved.page, 1);
        assert_eq!(saved.sort, saved.default_sort());
        assert_eq!(
            saved.to_query_string(),
            "?q=post-quantum&country=FR&domain=cryptology-post-quantum-cryptography&sme_only=true"
        );
        assert_eq!(
            describe_calls(&saved),
            "“post-quantum” · France · Post-quantum cryptography · SME-only"
        );
        assert_eq!(describe_calls(&CallQuery::default()), "all calls");
        let long = CallQuery::from_pairs([("q", "word ".repeat(60).as_str())]);
        assert!(describe_calls(&long).chars().count() <= MAX_TITLE_CHARS);
        let directory = OrganisationQuery::from_pairs([("capability", "steganography"), ("kind", "sme")]);
        assert_eq!(
            describe_organisations(&saved_organisation_query(&directory)),
            "SME · Steganography, Steganalysis and Watermarking"
        );
    }

    #[test]
    fn the_sentence_says_what_each_switch_position_mails_and_when() {
        let search = SavedSearch {
            id: 1,
            kind: SearchKind::Calls,
            query: "?q=quantum".to_owned(),
            title: "“quantum”".to_owned(),
            frequency: Frequency::Weekly,
        };
        let schedule = DigestSchedule::default();
        assert_eq!(
            search.sentence(Frequency::Weekly, &schedule),
            "Every Monday around 08:00 Europe/Brussels: new calls matching “quantum”, in your weekly digest (nothing is sent in a week without any)."
        );
        assert!(search
            .sentence(Frequency::Daily, &schedule)
            .starts_with("Every day around 08:00"));
        assert!(search.sentence(Frequency::Off, &schedule).starts_with("No mail"));
        assert_eq!(search.href(), "/calls?q=quantum");
        for frequency in Frequency::ALL {
            assert_eq!(Frequency::parse(frequency.as_str()), Some(frequency));
        }
    }

    #[test]
    fn a_schedule_names_the_field_it_gets_wrong() {
        assert_eq!(DigestSchedule::default().mistake(), None);
        let wrong = |weekday, hour, zone: &str| {
            DigestSchedule {
                weekday,
                hour,
                time_zone: zone.to_owned(),
            }
            .mistake()
            .map(|(field, _)| field)
        };
        assert_eq!(wrong(0, 8, "UTC"), Some("weekday"));
        assert_eq!(wrong(8, 8, "UTC"), Some("weekday"));
        assert_eq!(wrong(1, 24, "UTC"), Some("hour"));
        assert_eq!(wrong(1, 8, "<script>"), Some("time_zone"));
        assert_eq!(wrong(1, 8, ""), Some("time_zone"));
    }
}
