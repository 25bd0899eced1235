//! Calls: any funding opportunity (grant topic, financial instrument, RIS3 call, prize),
//! and the rule that derives a call's status from its dates at read time.

use crate::codes::{CountryCode, NutsCode, Trl};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a call is in its life, derived from its dates when it is read, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    /// Announced, not yet accepting applications.
    Forthcoming,
    /// Accepting applications (including rolling calls without a deadline).
    Open,
    /// Every deadline has passed.
    Closed,
}

impl CallStatus {
    /// Every status, in the order the UI lists them.
    pub const ALL: [CallStatus; 3] = [CallStatus::Open, CallStatus::Forthcoming, CallStatus::Closed];

    /// The value used in URLs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Forthcoming => "forthcoming",
            CallStatus::Open => "open",
            CallStatus::Closed => "closed",
        }
    }

    /// The label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            CallStatus::Forthcoming => "Forthcoming",
            CallStatus::Open => "Open",
            CallStatus::Closed => "Closed",
        }
    }
}

impl fmt::Display for CallStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CallStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CallStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownValue::new("status", s))
    }
}

/// The kind of funding instrument a call offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    /// A grant (research, innovation, coordination and support actions, cascade funding).
    Grant,
    /// A prize or challenge.
    Prize,
    /// Public procurement, including pre-commercial procurement.
    Procurement,
    /// A voucher (innovation, cybersecurity audit, …).
    Voucher,
    /// Equity investment (venture capital, growth funds).
    Equity,
    /// Quasi-equity: mezzanine and venture debt.
    QuasiEquity,
    /// A loan.
    Loan,
    /// A guarantee on a loan or portfolio.
    Guarantee,
    /// A counter-guarantee to a guarantee institution.
    CounterGuarantee,
}

impl InstrumentKind {
    /// Every kind, in the order the UI lists them.
    pub const ALL: [InstrumentKind; 9] = [
        InstrumentKind::Grant,
        InstrumentKind::Prize,
        InstrumentKind::Procurement,
        InstrumentKind::Voucher,
        InstrumentKind::Equity,
        InstrumentKind::QuasiEquity,
        InstrumentKind::Loan,
        InstrumentKind::Guarantee,
        InstrumentKind::CounterGuarantee,
    ];

    /// The value used in URLs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentKind::Grant => "grant",
            InstrumentKind::Prize => "prize",
            InstrumentKind::Procurement => "procurement",
            InstrumentKind::Voucher => "voucher",
            InstrumentKind::Equity => "equity",
            InstrumentKind::QuasiEquity => "quasi_equity",
            InstrumentKind::Loan => "loan",
            InstrumentKind::Guarantee => "guarantee",
            InstrumentKind::CounterGuarantee => "counter_guarantee",
        }
    }

    /// The label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            InstrumentKind::Grant => "Grant",
            InstrumentKind::Prize => "Prize",
            InstrumentKind::Procurement => "Procurement",
            InstrumentKind::Voucher => "Voucher",
            InstrumentKind::Equity => "Equity",
            InstrumentKind::QuasiEquity => "Quasi-equity",
            InstrumentKind::Loan => "Loan",
            InstrumentKind::Guarantee => "Guarantee",
            InstrumentKind::CounterGuarantee => "Counter-guarantee",
        }
    }

    /// Whether this is a financial instrument (EIB/EIF-style) rather than a grant-like call.
    pub fn is_financial_instrument(self) -> bool {
        matches!(
            self,
            InstrumentKind::Equity
                | InstrumentKind::QuasiEquity
                | InstrumentKind::Loan
                | InstrumentKind::Guarantee
                | InstrumentKind::CounterGuarantee
        )
    }
}

impl fmt::Display for InstrumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InstrumentKind {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InstrumentKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| UnknownValue::new("instrument kind", s))
    }
}

/// A value that is not one of an enumeration's known words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct UnknownValue {
    what: &'static str,
    value: String,
}

impl UnknownValue {
    /// Builds the error for `value`, naming what was expected.
    pub fn new(what: &'static str, value: &str) -> Self {
        UnknownValue {
            what,
            value: value.to_owned(),
        }
    }
}

/// The most document links a call keeps.
pub const MAX_DOCUMENTS: usize = 12;
/// The longest document label or contact.
pub const MAX_LABEL_CHARS: usize = 200;

/// A link to one of a call's documents (work programme, guide for applicants, templates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLink {
    /// What the document is ("Guide for applicants").
    pub label: String,
    /// Where it is (http or https).
    pub url: String,
}

/// The capabilities and sectors a funding body chose for its call (instead of those derived
/// from its text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallTopics {
    /// Capability codes of the JRC research domains.
    pub domains: Vec<String>,
    /// NIS2 sector codes.
    pub sectors: Vec<String>,
}

/// One submission deadline of a call; multi-stage calls have one per stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Stage number, starting at 1.
    pub stage: i32,
    /// The instant submissions close.
    pub at: DateTime<Utc>,
    /// What the stage is (e.g. "First stage (short proposal)").
    pub label: Option<String>,
}

/// The dates a call's status is derived from.
#[derive(Debug, Clone, Copy)]
pub struct CallDates<'a> {
    /// When the call opens for submissions, when known.
    pub opening_at: Option<DateTime<Utc>>,
    /// Whether the publisher announced the call as forthcoming without giving an opening date.
    pub announced_forthcoming: bool,
    /// All deadlines; empty for a rolling call.
    pub deadlines: &'a [Deadline],
}

impl CallDates<'_> {
    /// Derives the status at `now`.
    ///
    /// - After the last deadline, a call is closed (a rolling call without deadlines never closes by date).
    /// - Before its opening date, or — with no opening date — when announced as forthcoming, it is forthcoming.
    /// - Otherwise it is open.
    ///
    /// The SQL in `store` mirrors this rule; the behaviour suite checks that both agree.
    pub fn status_at(&self, now: DateTime<Utc>) -> CallStatus {
        let last_deadline = self.deadlines.iter().map(|d| d.at).max();
        if last_deadline.is_some_and(|last| last < now) {
            return CallStatus::Closed;
        }
        match self.opening_at {
            Some(opening) if opening > now => CallStatus::Forthcoming,
            None if self.announced_forthcoming => CallStatus::Forthcoming,
            _ => CallStatus::Open,
        }
    }

    /// The earliest deadline that has not passed at `now`, if any.
    pub fn next_deadline(&self, now: DateTime<Utc>) -> Option<&Deadline> {
        self.deadlines.iter().filter(|d| d.at >= now).min_by_key(|d| d.at)
    }
}

/// What a call list shows for one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSummary {
    /// Stable public identifier (e.g. a topic id such as `HORIZON-CL3-2026-02-CS-ECCC-01`).
    pub external_id: String,
    /// Title.
    pub title: String,
    /// Funding programme (e.g. "Horizon Europe").
    pub programme: String,
    /// Part of the programme (e.g. "CL3"), when it has one.
    pub programme_part: Option<String>,
    /// Instrument kind.
    pub instrument_kind: InstrumentKind,
    /// Who publishes the call.
    pub publisher: String,
    /// Status at the time of reading.
    pub status: CallStatus,
    /// The next deadline at the time of reading, if any.
    pub next_deadline: Option<Deadline>,
    /// Number of deadlines (stages or cut-offs).
    pub deadline_count: usize,
    /// Per-project EU contribution, lower bound, in euro.
    pub budget_min_eur: Option<i64>,
    /// Per-project EU contribution, upper bound, in euro.
    pub budget_max_eur: Option<i64>,
    /// Only SMEs may apply.
    pub sme_only: bool,
    /// Open to civil–military (dual-use) projects.
    pub dual_use: bool,
}

/// Everything known about one call, for its own page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallDetail {
    /// The list fields.
    pub summary: CallSummary,
    /// Where the record came from (`eu-ftp`, `demo`, `manual`).
    pub source: String,
    /// Identifier of the call the topic belongs to.
    pub call_identifier: Option<String>,
    /// Title of that call.
    pub call_title: Option<String>,
    /// Type of action (RIA, IA, CSA, …).
    pub action_type: Option<String>,
    /// Deadline model as published (single-stage, two-stage, multiple cut-off, rolling).
    pub deadline_model: Option<String>,
    /// When the call opens, if known.
    pub opening_at: Option<DateTime<Utc>>,
    /// Announced as forthcoming without an opening date.
    pub announced_forthcoming: bool,
    /// All deadlines, by stage.
    pub deadlines: Vec<Deadline>,
    /// The time zone the publisher states its deadlines in, when it says.
    pub deadline_time_zone: Option<crate::time::DeadlineZone>,
    /// Total budget of the call, in euro.
    pub budget_total_eur: Option<i64>,
    /// Expected number of funded projects.
    pub expected_grants: Option<i32>,
    /// Maximum funding rate, in percent.
    pub funding_rate_pct: Option<i32>,
    /// Lowest technology readiness level expected.
    pub trl_min: Option<Trl>,
    /// Highest technology readiness level expected.
    pub trl_max: Option<Trl>,
    /// Minimum number of consortium partners.
    pub min_partners: Option<i32>,
    /// Minimum number of countries in the consortium.
    pub min_countries: Option<i32>,
    /// Eligible countries (ISO 3166 alpha-2); empty means no restriction recorded.
    pub eligible_countries: Vec<CountryCode>,
    /// Eligible NUTS regions; empty means no restriction recorded.
    pub eligible_regions: Vec<NutsCode>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Capabilities (codes of the JRC research domains) it is about.
    #[serde(default)]
    pub domains: Vec<String>,
    /// NIS2 sectors (codes) it addresses.
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Whether its funding body chose the capabilities and sectors (else derived from the text).
    #[serde(default)]
    pub topics_chosen: bool,
    /// The kinds of organisation that may apply; empty: any.
    #[serde(default)]
    pub applicant_kinds: Vec<crate::organisation::OrganisationKind>,
    /// Whom to ask about it (an address, a telephone number or a helpdesk page).
    #[serde(default)]
    pub contact: Option<String>,
    /// Links to its documents.
    #[serde(default)]
    pub documents: Vec<DocumentLink>,
    /// Its amounts as stated in another currency than the euro, with the rate its funding body
    /// converts them at (the euro fields hold them converted).
    #[serde(default)]
    pub local_amounts: Option<crate::money::LocalAmounts>,
    /// Description text (plain text).
    pub description: String,
    /// Link to the publisher's page.
    pub url: Option<String>,
    /// When Fundbridge first stored this record.
    pub created_at: DateTime<Utc>,
    /// When Fundbridge last changed this record.
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn at(day: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap() + Duration::days(day)
    }

    fn deadline(stage: i32, day: i64) -> Deadline {
        Deadline {
            stage,
            at: at(day),
            label: None,
        }
    }

    #[test]
    fn a_call_is_forthcoming_before_it_opens_open_until_its_last_deadline_then_closed() {
        let deadlines = [deadline(1, 10), deadline(2, 40)];
        let dates = CallDates {
            opening_at: Some(at(0)),
            announced_forthcoming: false,
            deadlines: &deadlines,
        };
        assert_eq!(dates.status_at(at(-1)), CallStatus::Forthcoming);
        assert_eq!(dates.status_at(at(0)), CallStatus::Open);
        assert_eq!(dates.status_at(at(20)), CallStatus::Open, "open between the stages");
        assert_eq!(
            dates.status_at(at(40)),
            CallStatus::Open,
            "open at the deadline instant"
        );
        assert_eq!(dates.status_at(at(40) + Duration::hours(1)), CallStatus::Closed);
    }

    #[test]
    fn a_rolling_call_without_deadlines_never_closes() {
        let dates = CallDates {
            opening_at: Some(at(0)),
            announced_forthcoming: false,
            deadlines: &[],
        };
        assert_eq!(dates.status_at(at(10_000)), CallStatus::Open);
        assert_eq!(dates.next_deadline(at(1)), None);
    }

    #[test]
    fn an_announced_call_without_opening_date_is_forthcoming_until_its_deadline_passes() {
        let deadlines = [deadline(1, 10)];
        let dates = CallDates {
            opening_at: None,
            announced_forthcoming: true,
            deadlines: &deadlines,
        };
        assert_eq!(dates.status_at(at(5)), CallStatus::Forthcoming);
        assert_eq!(dates.status_at(at(11)), CallStatus::Closed);
    }

    #[test]
    fn the_next_deadline_skips_passed_stages() {
        let deadlines = [deadline(2, 40), deadline(1, 10)];
        let dates = CallDates {
            opening_at: None,
            announced_forthcoming: false,
            deadlines: &deadlines,
        };
        assert_eq!(dates.next_deadline(at(0)).map(|d| d.stage), Some(1));
        assert_eq!(dates.next_deadline(at(11)).map(|d| d.stage), Some(2));
        assert_eq!(dates.next_deadline(at(41)), None);
    }

    #[test]
    fn words_round_trip_through_their_url_form() {
        for kind in InstrumentKind::ALL {
            assert_eq!(kind.as_str().parse::<InstrumentKind>(), Ok(kind));
        }
        for status in CallStatus::ALL {
            assert_eq!(status.as_str().parse::<CallStatus>(), Ok(status));
        }
        assert!("shares".parse::<InstrumentKind>().is_err());
    }

    proptest! {
        #[test]
        fn a_call_with_a_future_deadline_is_never_closed(
            opening in proptest::option::of(-100i64..100),
            days in proptest::collection::vec(-100i64..100, 0..4),
            now in -100i64..100,
        ) {
            let deadlines: Vec<_> = days.iter().enumerate().map(|(i, d)| deadline(i as i32 + 1, *d)).collect();
            let dates = CallDates { opening_at: opening.map(at), announced_forthcoming: false, deadlines: &deadlines };
            let status = dates.status_at(at(now));
            let has_future = days.iter().any(|d| *d >= now);
            prop_assert_eq!(status == CallStatus::Closed, !days.is_empty() && !has_future);
            if status == CallStatus::Open {
                prop_assert!(opening.is_none_or(|o| o <= now));
            }
        }
    }
}
