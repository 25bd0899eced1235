//! Where calls are stored: what a writer hands in ([`NewCall`]) and the [`CallStore`] reads.

use super::{StoreError, UpsertOutcome};
use crate::call::{
    CallDetail, CallSummary, CallTopics, Deadline, DocumentLink, InstrumentKind, MAX_DOCUMENTS, MAX_LABEL_CHARS,
};
use crate::codes::{CallId, CountryCode, NutsCode, Trl};
use crate::money::LocalAmounts;
use crate::organisation::OrganisationKind;
use crate::query::{CallPage, CallQuery, ProgrammeCount};
use crate::time::DeadlineZone;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A call as a writer hands it in (importer, demo generator, publishing form).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewCall {
    /// Stable public identifier; writing the same id again updates the call.
    pub external_id: String,
    /// Where the record comes from (`eu-ftp`, `demo`, `manual`).
    pub source: String,
    /// Title.
    pub title: String,
    /// Funding programme.
    pub programme: String,
    /// Part of the programme (e.g. "CL3").
    pub programme_part: Option<String>,
    /// Identifier of the call a topic belongs to.
    pub call_identifier: Option<String>,
    /// Title of that call.
    pub call_title: Option<String>,
    /// Type of action (RIA, IA, CSA, …).
    pub action_type: Option<String>,
    /// Instrument kind.
    pub instrument_kind: InstrumentKind,
    /// Publisher.
    pub publisher: String,
    /// Deadline model as published.
    pub deadline_model: Option<String>,
    /// Opening instant, if known.
    pub opening_at: Option<DateTime<Utc>>,
    /// Announced as forthcoming without an opening date.
    pub announced_forthcoming: bool,
    /// Deadlines, one per stage; empty for rolling calls.
    pub deadlines: Vec<Deadline>,
    /// The time zone the publisher states its deadlines in, when it says.
    pub deadline_time_zone: Option<DeadlineZone>,
    /// Total budget, in euro.
    pub budget_total_eur: Option<i64>,
    /// Per-project minimum, in euro.
    pub budget_min_eur: Option<i64>,
    /// Per-project maximum, in euro.
    pub budget_max_eur: Option<i64>,
    /// Expected number of funded projects.
    pub expected_grants: Option<i32>,
    /// Maximum funding rate, in percent.
    pub funding_rate_pct: Option<i32>,
    /// Lowest TRL expected.
    pub trl_min: Option<Trl>,
    /// Highest TRL expected.
    pub trl_max: Option<Trl>,
    /// Only SMEs may apply.
    pub sme_only: bool,
    /// Open to dual-use projects.
    pub dual_use: bool,
    /// Minimum consortium partners.
    pub min_partners: Option<i32>,
    /// Minimum consortium countries.
    pub min_countries: Option<i32>,
    /// Eligible countries (ISO alpha-2).
    pub eligible_countries: Vec<CountryCode>,
    /// Eligible NUTS regions.
    pub eligible_regions: Vec<NutsCode>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Plain-text description.
    pub description: String,
    /// Link to the publisher's page.
    pub url: Option<String>,
    /// The capabilities and sectors its funding body chose (`None`: derived from the text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen_topics: Option<CallTopics>,
    /// The kinds of organisation that may apply; empty: any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applicant_kinds: Vec<OrganisationKind>,
    /// Whom to ask about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Links to its documents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentLink>,
    /// Its amounts as stated in another currency than the euro (the `_eur` fields hold them
    /// converted at its rate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_amounts: Option<LocalAmounts>,
}

impl NewCall {
    /// A grant call with the given identity and every optional field empty.
    pub fn new(external_id: &str, source: &str, title: &str, programme: &str, publisher: &str) -> NewCall {
        NewCall {
            external_id: external_id.to_owned(),
            source: source.to_owned(),
            title: title.to_owned(),
            programme: programme.to_owned(),
            programme_part: None,
            call_identifier: None,
            call_title: None,
            action_type: None,
            instrument_kind: InstrumentKind::Grant,
            publisher: publisher.to_owned(),
            deadline_model: None,
            opening_at: None,
            announced_forthcoming: false,
            deadlines: Vec::new(),
            deadline_time_zone: None,
            budget_total_eur: None,
            budget_min_eur: None,
            budget_max_eur: None,
            expected_grants: None,
            funding_rate_pct: None,
            trl_min: None,
            trl_max: None,
            sme_only: false,
            dual_use: false,
            min_partners: None,
            min_countries: None,
            eligible_countries: Vec::new(),
            eligible_regions: Vec::new(),
            keywords: Vec::new(),
            description: String::new(),
            url: None,
            chosen_topics: None,
            applicant_kinds: Vec::new(),
            contact: None,
            documents: Vec::new(),
            local_amounts: None,
        }
    }

    /// A fingerprint of every field (and of the vocabulary version its classification was
    /// derived with), used to tell an update from an unchanged re-import.
    pub fn content_hash(&self) -> String {
        let mut json = serde_json::to_vec(self).expect("a NewCall always serialises");
        json.extend_from_slice(crate::taxonomy::CLASSIFICATION_VERSION.as_bytes());
        format!("{:016x}", super::fnv1a_64(&json))
    }

    /// The call as it reads once stored at `now` (status derived at `now`, capabilities and
    /// sectors derived from its text unless chosen) — what the matcher and benchmarks read
    /// without a database.
    pub fn to_detail(&self, now: DateTime<Utc>) -> CallDetail {
        let dates = crate::call::CallDates {
            opening_at: self.opening_at,
            announced_forthcoming: self.announced_forthcoming,
            deadlines: &self.deadlines,
        };
        CallDetail {
            summary: crate::call::CallSummary {
                external_id: self.external_id.clone(),
                title: self.title.clone(),
                programme: self.programme.clone(),
                programme_part: self.programme_part.clone(),
                instrument_kind: self.instrument_kind,
                publisher: self.publisher.clone(),
                status: dates.status_at(now),
                next_deadline: dates.next_deadline(now).cloned(),
                deadline_count: self.deadlines.len(),
                budget_min_eur: self.budget_min_eur,
                budget_max_eur: self.budget_max_eur,
                sme_only: self.sme_only,
                dual_use: self.dual_use,
            },
            source: self.source.clone(),
            call_identifier: self.call_identifier.clone(),
            call_title: self.call_title.clone(),
            action_type: self.action_type.clone(),
            deadline_model: self.deadline_model.clone(),
            opening_at: self.opening_at,
            announced_forthcoming: self.announced_forthcoming,
            deadlines: self.deadlines.clone(),
            deadline_time_zone: self.deadline_time_zone,
            budget_total_eur: self.budget_total_eur,
            expected_grants: self.expected_grants,
            funding_rate_pct: self.funding_rate_pct,
            trl_min: self.trl_min,
            trl_max: self.trl_max,
            min_partners: self.min_partners,
            min_countries: self.min_countries,
            eligible_countries: self.eligible_countries.clone(),
            eligible_regions: self.eligible_regions.clone(),
            keywords: self.keywords.clone(),
            domains: self.domains(),
            sectors: self.sectors(),
            topics_chosen: self.chosen_topics.is_some(),
            applicant_kinds: self.applicant_kinds.clone(),
            contact: self.contact.clone(),
            documents: self.documents.clone(),
            local_amounts: self.local_amounts.clone(),
            description: self.description.clone(),
            url: self.url.clone(),
            created_at: now,
            updated_at: now,
        }
    }

    /// The text the call is classified by: title, keywords and description.
    fn classified_text(&self) -> String {
        format!("{}\n{}\n{}", self.title, self.keywords.join("\n"), self.description)
    }

    /// The capabilities (JRC research domains) the call is about: as its funding body chose
    /// them, else derived from its text.
    pub fn domains(&self) -> Vec<String> {
        match &self.chosen_topics {
            Some(topics) => topics.domains.clone(),
            None => crate::taxonomy::call_capabilities(&self.classified_text()),
        }
    }

    /// The NIS2 sectors the call addresses: as its funding body chose them, else derived from
    /// its text.
    pub fn sectors(&self) -> Vec<String> {
        match &self.chosen_topics {
            Some(topics) => topics.sectors.clone(),
            None => crate::taxonomy::call_sectors(&self.classified_text()),
        }
    }

    /// Checks the rules the database cannot express portably.
    pub fn validate(&self) -> Result<(), String> {
        CallId::parse(&self.external_id).map_err(|error| error.to_string())?;
        if self.title.trim().is_empty() {
            return Err("the title is empty".into());
        }
        if let (Some(min), Some(max)) = (self.trl_min, self.trl_max) {
            if min > max {
                return Err(format!("TRL range {min}–{max} is reversed"));
            }
        }
        if let (Some(min), Some(max)) = (self.budget_min_eur, self.budget_max_eur) {
            if min > max {
                return Err(format!("budget range {min}–{max} is reversed"));
            }
        }
        let mut stages: Vec<i32> = self.deadlines.iter().map(|d| d.stage).collect();
        stages.sort_unstable();
        stages.dedup();
        if stages.len() != self.deadlines.len() {
            return Err("two deadlines share a stage number".into());
        }
        self.check_texts()
    }

    /// Refuses control characters in any text and a link that is not http(s).
    fn check_texts(&self) -> Result<(), String> {
        use crate::sanitize::{check_link, check_text};
        let optional = [
            ("programme part", &self.programme_part),
            ("call identifier", &self.call_identifier),
            ("call title", &self.call_title),
            ("action type", &self.action_type),
            ("deadline model", &self.deadline_model),
        ];
        let lines = [
            ("source", self.source.as_str()),
            ("title", &self.title),
            ("programme", &self.programme),
            ("publisher", &self.publisher),
        ]
        .into_iter()
        .chain(
            optional
                .into_iter()
                .filter_map(|(field, value)| Some((field, value.as_deref()?))),
        )
        .chain(
            self.deadlines
                .iter()
                .filter_map(|d| Some(("deadline label", d.label.as_deref()?))),
        )
        .chain(self.keywords.iter().map(|k| ("keyword", k.as_str())));
        for (field, value) in lines {
            check_text(field, value, false)?;
        }
        check_text("description", &self.description, true)?;
        self.url.as_deref().map_or(Ok(()), |url| check_link("link", url))?;
        self.check_additions()
    }

    /// Refuses unknown topics, too many or malformed document links and a contact that is too
    /// long or holds control characters.
    fn check_additions(&self) -> Result<(), String> {
        use crate::sanitize::{check_link, check_text};
        use crate::taxonomy::{contains, CAPABILITY_TERMS, SECTORS};
        if let Some(topics) = &self.chosen_topics {
            if let Some(code) = topics.domains.iter().find(|code| !contains(CAPABILITY_TERMS, code)) {
                return Err(format!("unknown capability {code:?}"));
            }
            if let Some(code) = topics.sectors.iter().find(|code| !contains(SECTORS, code)) {
                return Err(format!("unknown sector {code:?}"));
            }
        }
        if let Some(contact) = &self.contact {
            if contact.chars().count() > MAX_LABEL_CHARS {
                return Err(format!("the contact is longer than {MAX_LABEL_CHARS} characters"));
            }
            check_text("contact", contact, false)?;
        }
        if let Some(local) = &self.local_amounts {
            if !crate::money::CURRENCIES.iter().any(|(code, _)| *code == local.currency) || local.micro_rate <= 0 {
                return Err(format!("unknown currency {:?} or rate", local.currency));
            }
        }
        if self.documents.len() > MAX_DOCUMENTS {
            return Err(format!("more than {MAX_DOCUMENTS} document links"));
        }
        for document in &self.documents {
            if document.label.chars().count() > MAX_LABEL_CHARS {
                return Err(format!("a document label is longer than {MAX_LABEL_CHARS} characters"));
            }
            check_text("document label", &document.label, false)?;
            check_link("document link", &document.url)?;
        }
        Ok(())
    }
}

impl From<&CallDetail> for NewCall {
    /// The call as a writer would hand it in again (for edit forms and re-indexing).
    fn from(call: &CallDetail) -> NewCall {
        let summary = &call.summary;
        NewCall {
            external_id: summary.external_id.clone(),
            source: call.source.clone(),
            title: summary.title.clone(),
            programme: summary.programme.clone(),
            programme_part: summary.programme_part.clone(),
            call_identifier: call.call_identifier.clone(),
            call_title: call.call_title.clone(),
            action_type: call.action_type.clone(),
            instrument_kind: summary.instrument_kind,
            publisher: summary.publisher.clone(),
            deadline_model: call.deadline_model.clone(),
            opening_at: call.opening_at,
            announced_forthcoming: call.announced_forthcoming,
            deadlines: call.deadlines.clone(),
            deadline_time_zone: call.deadline_time_zone,
            budget_total_eur: call.budget_total_eur,
            budget_min_eur: summary.budget_min_eur,
            budget_max_eur: summary.budget_max_eur,
            expected_grants: call.expected_grants,
            funding_rate_pct: call.funding_rate_pct,
            trl_min: call.trl_min,
            trl_max: call.trl_max,
            sme_only: summary.sme_only,
            dual_use: summary.dual_use,
            min_partners: call.min_partners,
            min_countries: call.min_countries,
            eligible_countries: call.eligible_countries.clone(),
            eligible_regions: call.eligible_regions.clone(),
            keywords: call.keywords.clone(),
            description: call.description.clone(),
            url: call.url.clone(),
            chosen_topics: call.topics_chosen.then(|| CallTopics {
                domains: call.domains.clone(),
                sectors: call.sectors.clone(),
            }),
            applicant_kinds: call.applicant_kinds.clone(),
            contact: call.contact.clone(),
            documents: call.documents.clone(),
            local_amounts: call.local_amounts.clone(),
        }
    }
}

/// Calls: written by importers and publishers, read by lists, pages and the indexer.
#[async_trait]
pub trait CallStore: Send + Sync {
    /// Creates or updates calls by external id, in one transaction; an invalid call is
    /// refused with its reason and nothing is written.
    async fn upsert_calls(&self, calls: &[NewCall], now: DateTime<Utc>) -> Result<Vec<UpsertOutcome>, StoreError>;

    /// One page of calls matching the query, with statuses derived at `now`.
    async fn list_calls(&self, query: &CallQuery, now: DateTime<Utc>) -> Result<CallPage, StoreError>;

    /// One call by external id, with its status derived at `now`.
    async fn get_call(&self, external_id: &str, now: DateTime<Utc>) -> Result<Option<CallDetail>, StoreError> {
        Ok(self.call_details(&[external_id.to_owned()], now).await?.pop())
    }

    /// These calls in full, in the order of `external_ids` (unknown ids are left out): one
    /// round trip for the calls and one for their deadlines, however many there are.
    async fn call_details(&self, external_ids: &[String], now: DateTime<Utc>) -> Result<Vec<CallDetail>, StoreError>;

    /// Up to `limit` calls open or forthcoming at `now` that are restricted to `region`, to a
    /// region inside it or to a larger region around it (not merely to its country), next
    /// deadline first: a region's own calls, for its page.
    async fn regional_calls(
        &self,
        region: &str,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<CallSummary>, StoreError>;

    /// The list fields of these calls, in the order of `external_ids` (unknown ids are left out).
    async fn call_summaries(&self, external_ids: &[String], now: DateTime<Utc>)
        -> Result<Vec<CallSummary>, StoreError>;

    /// Up to `limit` call ids in id order, after `after` (for paging through every call).
    async fn call_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError>;

    /// Every programme with its number of calls, largest first.
    async fn programme_counts(&self) -> Result<Vec<ProgrammeCount>, StoreError>;
}
