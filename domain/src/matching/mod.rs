//! The matcher: which calls fit an organisation, and why, in words a person can check.
//!
//! A match is a call's *blockers* (what excludes it: closed, country or region not eligible,
//! SME-only, a funding kind not wanted, TRL, applicant kind, defence for a civil-only
//! profile), its *fit* — parts that add up to a score from 0 to 100, each with the reason it
//! got its points — and the *confidence* the profile's completeness allows. The types here
//! are shared with the UI; the rules (pure, no I/O) are behind the `server` feature:
//! [`rules`] decides blockers and parts, [`text_model`] weighs the words two texts share
//! (with the one text analyser search uses), [`capabilities`] how a profile's research
//! domains and sub-domains cover a call's, [`rank`] ranks every call for an organisation,
//! [`partners`] the organisations that complete it for a call, [`consortium`] what a
//! consortium of them still lacks against the call's rules, and [`evaluation`] measures
//! the ranking against cases a bid consultant wrote.

#[cfg(feature = "server")]
pub mod capabilities;
pub mod consortium;
#[cfg(feature = "server")]
pub mod evaluation;
#[cfg(feature = "server")]
pub mod partners;
#[cfg(feature = "server")]
pub mod rank;
#[cfg(feature = "server")]
pub mod rules;
#[cfg(all(test, feature = "server"))]
mod tests;
#[cfg(feature = "server")]
pub mod text_model;

use crate::call::CallSummary;
use serde::{Deserialize, Serialize};

/// What excludes a call for an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockerKind {
    /// Every deadline has passed.
    Closed,
    /// The organisation's country is not among the eligible ones.
    Country,
    /// The organisation's region is not within the eligible regions.
    Region,
    /// Only SMEs may apply, and the organisation is not one by the EU definition.
    NotSme,
    /// The call offers a kind of funding the organisation does not want.
    FundingKind,
    /// The organisation's readiness level is outside the call's range.
    Trl,
    /// The call admits other kinds of applicant.
    ApplicantKind,
    /// A defence call, and the organisation wants civil work only.
    Defence,
}

impl BlockerKind {
    /// Every kind, in the order they are checked and shown.
    pub const ALL: [BlockerKind; 8] = [
        BlockerKind::Closed,
        BlockerKind::Country,
        BlockerKind::Region,
        BlockerKind::NotSme,
        BlockerKind::FundingKind,
        BlockerKind::Trl,
        BlockerKind::ApplicantKind,
        BlockerKind::Defence,
    ];

    /// The bit of this kind in a set of blockers.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// One thing that excludes a call, said so a person can check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocker {
    /// What excludes it.
    pub kind: BlockerKind,
    /// Why, pointing at the data ("Only SMEs may apply; …").
    pub reason: String,
}

/// One part of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitKind {
    /// Capabilities shared with the call's topics.
    Capabilities,
    /// NIS2 sectors shared with the call.
    Sectors,
    /// Words the profile's description and the call's text share.
    Text,
    /// A regional call serving a smart-specialisation priority of the organisation's region.
    RegionPriority,
    /// Time left to prepare a proposal.
    Deadline,
    /// The organisation's readiness level within the call's range.
    Trl,
    /// The money per project next to the organisation's size.
    Budget,
    /// Civil, defence or dual-use, as the organisation wants.
    DualUse,
    /// Likeness to calls the organisation marked not relevant (negative).
    NotRelevant,
}

impl FitKind {
    /// Every part, in the order they are shown.
    pub const ALL: [FitKind; 9] = [
        FitKind::Capabilities,
        FitKind::Sectors,
        FitKind::Text,
        FitKind::RegionPriority,
        FitKind::Deadline,
        FitKind::Trl,
        FitKind::Budget,
        FitKind::DualUse,
        FitKind::NotRelevant,
    ];

    /// The most points this part gives (the positive parts add up to 100; the penalty for
    /// likeness to dismissed calls takes up to this many away).
    pub fn max_points(self) -> i32 {
        match self {
            FitKind::Capabilities => 30,
            FitKind::Sectors => 10,
            FitKind::Text => 25,
            FitKind::RegionPriority => 8,
            FitKind::Deadline => 8,
            FitKind::Trl => 5,
            FitKind::Budget => 6,
            FitKind::DualUse => 8,
            FitKind::NotRelevant => 8,
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            FitKind::Capabilities => "Capabilities",
            FitKind::Sectors => "Sectors",
            FitKind::Text => "Text",
            FitKind::RegionPriority => "Regional priority",
            FitKind::Deadline => "Time to prepare",
            FitKind::Trl => "Readiness level",
            FitKind::Budget => "Budget",
            FitKind::DualUse => "Civil / defence",
            FitKind::NotRelevant => "Marked not relevant",
        }
    }
}

/// One part of a score with its points and why it got them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitPart {
    /// Which part.
    pub kind: FitKind,
    /// Points it adds (negative for the likeness to dismissed calls).
    pub points: i32,
    /// Why, pointing at the data.
    pub reason: String,
}

/// A call matched to an organisation: its blockers, its score and the parts that make it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallMatch {
    /// The call.
    pub call: CallSummary,
    /// From 0 to 100: the sum of the parts' points.
    pub score: i32,
    /// The parts with points, largest first, then those without (with what would earn them).
    pub parts: Vec<FitPart>,
    /// What excludes the call; empty for a call the organisation can apply to.
    pub blockers: Vec<Blocker>,
    /// Whether the organisation marked this call not relevant.
    pub dismissed: bool,
}

impl CallMatch {
    /// Whether nothing excludes the call.
    pub fn is_open_to_apply(&self) -> bool {
        self.blockers.is_empty()
    }
}

/// Which matches a page lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchShow {
    /// Calls the organisation can apply to (the default).
    #[default]
    Open,
    /// Calls something excludes, with what excludes them.
    Blocked,
    /// Calls marked not relevant.
    NotRelevant,
}

impl MatchShow {
    /// Every list, in the order the page offers them.
    pub const ALL: [MatchShow; 3] = [MatchShow::Open, MatchShow::Blocked, MatchShow::NotRelevant];

    /// The value used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchShow::Open => "open",
            MatchShow::Blocked => "blocked",
            MatchShow::NotRelevant => "not_relevant",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            MatchShow::Open => "You can apply",
            MatchShow::Blocked => "Excluded, and why",
            MatchShow::NotRelevant => "Marked not relevant",
        }
    }
}

/// The order of a list of matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchSort {
    /// Best fit first (the default).
    #[default]
    Score,
    /// Nearest deadline first.
    Deadline,
}

impl MatchSort {
    /// Every order.
    pub const ALL: [MatchSort; 2] = [MatchSort::Score, MatchSort::Deadline];

    /// The value used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchSort::Score => "score",
            MatchSort::Deadline => "deadline",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            MatchSort::Score => "Best fit",
            MatchSort::Deadline => "Deadline",
        }
    }
}

/// Matches per page.
pub const MATCHES_PER_PAGE: u32 = 20;
/// The last page a list of matches shows.
pub const MAX_MATCH_PAGE: u32 = 50;

/// What a "My matches" page asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchQuery {
    /// The organisation (empty: the viewer's first).
    pub organisation: String,
    /// Which list.
    pub show: MatchShow,
    /// Only calls of this instrument kind.
    pub kind: Option<crate::call::InstrumentKind>,
    /// Only calls with this status (open or forthcoming).
    pub status: Option<crate::call::CallStatus>,
    /// The order.
    pub sort: MatchSort,
    /// The page, from 1.
    pub page: u32,
}

impl MatchQuery {
    /// The query a page's address asks for: unknown values are ignored, the page bounded.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> MatchQuery {
        let mut query = MatchQuery::default();
        for (key, value) in pairs {
            match key {
                "organisation" => query.organisation = value.to_owned(),
                "show" => {
                    query.show = MatchShow::ALL
                        .into_iter()
                        .find(|s| s.as_str() == value)
                        .unwrap_or_default()
                }
                "kind" => query.kind = value.parse().ok(),
                "status" => {
                    query.status = value
                        .parse()
                        .ok()
                        .filter(|status| *status != crate::call::CallStatus::Closed)
                }
                "sort" => {
                    query.sort = MatchSort::ALL
                        .into_iter()
                        .find(|s| s.as_str() == value)
                        .unwrap_or_default()
                }
                "page" => query.page = value.parse().unwrap_or(1),
                _ => {}
            }
        }
        query.bounded()
    }

    /// This query with its page between 1 and [`MAX_MATCH_PAGE`] and its organisation trimmed.
    pub fn bounded(mut self) -> MatchQuery {
        self.page = self.page.clamp(1, MAX_MATCH_PAGE);
        self.organisation = self
            .organisation
            .trim()
            .chars()
            .take(crate::sanitize::MAX_ID_CHARS)
            .collect();
        self
    }

    /// The address of this query's page `page`.
    pub fn href(&self, page: u32) -> String {
        let mut parts = vec![format!(
            "organisation={}",
            crate::query::percent_encode(&self.organisation)
        )];
        if self.show != MatchShow::Open {
            parts.push(format!("show={}", self.show.as_str()));
        }
        if let Some(kind) = self.kind {
            parts.push(format!("kind={}", kind.as_str()));
        }
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if self.sort != MatchSort::Score {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        format!("/matches?{}", parts.join("&"))
    }
}

/// How many matches each list holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchCounts {
    /// Calls the organisation can apply to.
    pub open: usize,
    /// Calls something excludes.
    pub blocked: usize,
    /// Calls marked not relevant.
    pub not_relevant: usize,
}

/// A "My matches" page: one organisation's matches, one list, one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchesView {
    /// The organisation.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// The organisations the viewer may see matches for: identifier and name.
    pub organisations: Vec<(String, String)>,
    /// How complete its profile is (the matches' confidence).
    pub completeness: crate::profile::Completeness,
    /// The query, bounded.
    pub query: MatchQuery,
    /// This page's matches.
    pub matches: Vec<CallMatch>,
    /// How many the chosen list holds, filters applied.
    pub total: usize,
    /// How many each list holds, filters applied.
    pub counts: MatchCounts,
    /// The instant the matches are for.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// How a call fits one of the viewer's organisations, for the call's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallFit {
    /// The organisation.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// How complete its profile is.
    pub confidence: u8,
    /// The match.
    pub fit: CallMatch,
}

/// One part of a partner's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerPart {
    /// Capabilities the call names that the applicant lacks.
    Brings,
    /// Another country, which consortia need.
    Country,
    /// A cluster both belong to.
    Cluster,
    /// Sectors the call addresses that the partner serves.
    Sectors,
}

impl PartnerPart {
    /// The most points this part gives (the parts add up to 100).
    pub fn max_points(self) -> i32 {
        match self {
            PartnerPart::Brings => 50,
            PartnerPart::Country => 20,
            PartnerPart::Cluster => 15,
            PartnerPart::Sectors => 15,
        }
    }
}

/// One reason a partner fits, with its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerReason {
    /// Which part.
    pub part: PartnerPart,
    /// Its points.
    pub points: i32,
    /// Why, pointing at the data.
    pub reason: String,
}

/// An organisation suggested as a partner for a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerMatch {
    /// The organisation (as the viewer may see it) and its clusters.
    pub organisation: crate::organisation::OrganisationDetail,
    /// The sum of the reasons' points, up to 100.
    pub score: i32,
    /// Why it fits.
    pub reasons: Vec<PartnerReason>,
}

/// Partners for one of the viewer's organisations and a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnersView {
    /// The organisation partners are found for.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// The capabilities the call names that it lacks (labels).
    pub missing: Vec<String>,
    /// The best partners, best first.
    pub partners: Vec<PartnerMatch>,
}

/// An organisation that could apply to a funding body's call, with its fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicantFit {
    /// The organisation (as the viewer may see it) and its clusters.
    pub organisation: crate::organisation::OrganisationDetail,
    /// How the call fits it.
    pub fit: CallMatch,
}

#[cfg(test)]
mod query_tests {
    use super::*;

    #[test]
    fn a_match_query_reads_its_address_and_writes_it_back() {
        let query = MatchQuery::from_pairs([
            ("organisation", "armor secure"),
            ("show", "blocked"),
            ("kind", "grant"),
            ("status", "closed"),
            ("sort", "deadline"),
            ("page", "900"),
        ]);
        assert_eq!(query.show, MatchShow::Blocked);
        assert_eq!(query.status, None, "closed calls are no matches");
        assert_eq!(query.page, MAX_MATCH_PAGE);
        assert_eq!(
            query.href(2),
            "/matches?organisation=armor%20secure&show=blocked&kind=grant&sort=deadline&page=2"
        );
        assert_eq!(MatchQuery::from_pairs([("page", "-3")]).page, 1);
    }
}
