//! Where calls, organisations and clusters are stored: one [`Store`] interface, two
//! backends (SQLite for the embedded default, PostgreSQL at scale), chosen once at
//! start-up from the database URL.
//!
//! Both backends share their SQL: `sql_store.rs` is compiled once per dialect (see
//! `sqlite.rs` and `postgres.rs`), so a feature cannot drift between them.

use crate::call::{CallDetail, CallSummary, Deadline, InstrumentKind};
use crate::cluster::{Cluster, ClusterMember, ClusterRef};
use crate::geo::Region;
use crate::organisation::{Organisation, OrganisationDetail};
use crate::organisation_query::OrganisationQuery;
use crate::query::{CallPage, CallQuery, ProgrammeCount};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

pub mod postgres;
pub mod sqlite;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A write broke a uniqueness or integrity rule.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database URL or the data handed in is not valid.
    #[error("invalid: {0}")]
    Invalid(String),
    /// The database failed or could not be reached.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Which backend a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (the embedded default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend for a database URL, judged by its scheme.
    pub fn for_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Invalid(format!(
                "unsupported database URL {:?}: use sqlite://… or postgres://…",
                redact_url(url)
            )))
        }
    }

    /// The backend's name, for logs and health checks.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

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
    pub trl_min: Option<i32>,
    /// Highest TRL expected.
    pub trl_max: Option<i32>,
    /// Only SMEs may apply.
    pub sme_only: bool,
    /// Open to dual-use projects.
    pub dual_use: bool,
    /// Minimum consortium partners.
    pub min_partners: Option<i32>,
    /// Minimum consortium countries.
    pub min_countries: Option<i32>,
    /// Eligible countries (ISO alpha-2).
    pub eligible_countries: Vec<String>,
    /// Eligible NUTS regions.
    pub eligible_regions: Vec<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Plain-text description.
    pub description: String,
    /// Link to the publisher's page.
    pub url: Option<String>,
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
        }
    }

    /// A fingerprint of every field (and of the vocabulary version its classification was
    /// derived with), used to tell an update from an unchanged re-import.
    pub fn content_hash(&self) -> String {
        let mut json = serde_json::to_vec(self).expect("a NewCall always serialises");
        json.extend_from_slice(crate::taxonomy::CLASSIFICATION_VERSION.as_bytes());
        format!("{:016x}", fnv1a_64(&json))
    }

    /// The text the call is classified by: title, keywords and description.
    fn classified_text(&self) -> String {
        format!("{}\n{}\n{}", self.title, self.keywords.join("\n"), self.description)
    }

    /// The capabilities (JRC research domains) the call is about, derived from its text.
    pub fn domains(&self) -> Vec<String> {
        crate::taxonomy::call_capabilities(&self.classified_text())
    }

    /// The NIS2 sectors the call addresses, derived from its text.
    pub fn sectors(&self) -> Vec<String> {
        crate::taxonomy::call_sectors(&self.classified_text())
    }

    /// Checks the rules the database cannot express portably.
    pub fn validate(&self) -> Result<(), String> {
        if self.external_id.trim().is_empty() {
            return Err("the identifier is empty".into());
        }
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
            ("identifier", self.external_id.as_str()),
            ("source", &self.source),
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
        .chain(self.eligible_countries.iter().map(|c| ("eligible country", c.as_str())))
        .chain(self.eligible_regions.iter().map(|r| ("eligible region", r.as_str())))
        .chain(self.keywords.iter().map(|k| ("keyword", k.as_str())));
        for (field, value) in lines {
            check_text(field, value, false)?;
        }
        check_text("description", &self.description, true)?;
        self.url.as_deref().map_or(Ok(()), |url| check_link("link", url))
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
        }
    }
}

/// FNV-1a, 64 bit: stable across Rust versions, unlike `DefaultHasher`.
fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What writing one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    /// A new record was created.
    Inserted,
    /// An existing record changed.
    Updated,
    /// The record was already stored exactly so.
    Unchanged,
}

/// What kind of document an index update is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexedEntity {
    /// A call.
    Call,
    /// An organisation.
    Organisation,
}

impl IndexedEntity {
    /// The storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            IndexedEntity::Call => "call",
            IndexedEntity::Organisation => "organisation",
        }
    }

    /// Parses the storage form (rows written before organisations were indexed are calls).
    pub fn parse(value: &str) -> IndexedEntity {
        match value {
            "organisation" => IndexedEntity::Organisation,
            _ => IndexedEntity::Call,
        }
    }
}

/// An index update owed to the search engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Queue position.
    pub id: i64,
    /// Whether it is about a call or an organisation.
    pub entity: IndexedEntity,
    /// The document to re-read and index (or remove from the index when it no longer exists).
    pub external_id: String,
}

/// How far the search index is behind the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IndexLag {
    /// Index updates not yet applied.
    pub pending: u64,
    /// When the oldest of them was written.
    pub oldest: Option<DateTime<Utc>>,
}

/// One anonymous search, for demand analytics: no user, no address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchLogEntry {
    /// When.
    pub searched_at: DateTime<Utc>,
    /// The text searched for.
    pub text: String,
    /// The filters, as JSON.
    pub filters: serde_json::Value,
    /// How many calls matched.
    pub hits: u64,
}

/// How many of each thing the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Calls.
    pub calls: u64,
    /// Organisations.
    pub organisations: u64,
    /// Clusters.
    pub clusters: u64,
    /// Cluster memberships.
    pub cluster_members: u64,
}

/// The storage interface every backend implements.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Creates or updates calls by external id, in one transaction.
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

    /// The list fields of these calls, in the order of `external_ids` (unknown ids are left out).
    async fn call_summaries(&self, external_ids: &[String], now: DateTime<Utc>)
        -> Result<Vec<CallSummary>, StoreError>;

    /// The oldest `limit` index updates not yet applied.
    async fn pending_index_changes(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError>;

    /// Marks index updates as applied.
    async fn complete_index_changes(&self, ids: &[i64]) -> Result<(), StoreError>;

    /// How far the search index is behind.
    async fn index_lag(&self) -> Result<IndexLag, StoreError>;

    /// Records one search in the anonymous log.
    async fn log_search(&self, entry: &SearchLogEntry) -> Result<(), StoreError>;

    /// The latest `limit` logged searches, newest first.
    async fn recent_searches(&self, limit: u32) -> Result<Vec<SearchLogEntry>, StoreError>;

    /// Up to `limit` call ids in id order, after `after` (for paging through every call).
    async fn call_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError>;

    /// Every programme with its number of calls, largest first.
    async fn programme_counts(&self) -> Result<Vec<ProgrammeCount>, StoreError>;

    /// Creates or updates organisations by external id, in one transaction; an invalid one
    /// is refused with its reason and nothing is written.
    async fn upsert_organisations(
        &self,
        organisations: &[Organisation],
        now: DateTime<Utc>,
    ) -> Result<Vec<UpsertOutcome>, StoreError>;

    /// One organisation by external id.
    async fn get_organisation(&self, external_id: &str) -> Result<Option<Organisation>, StoreError> {
        let ids = [external_id.to_owned()];
        Ok(self
            .organisation_details(&ids)
            .await?
            .into_iter()
            .next()
            .map(|detail| detail.organisation))
    }

    /// The organisations with these external ids and their clusters, in the order given;
    /// unknown ids are left out.
    async fn organisation_details(&self, external_ids: &[String]) -> Result<Vec<OrganisationDetail>, StoreError>;

    /// Organisation external ids in order, after `after`, for batch work such as reindexing.
    async fn organisation_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError>;

    /// One page of organisations matching `query` straight from the database, and how many
    /// match in all: the directory while the search engine is down (words are matched as
    /// substrings of names and descriptions; relevance falls back to name order).
    async fn list_organisations(&self, query: &OrganisationQuery)
        -> Result<(Vec<OrganisationDetail>, u64), StoreError>;

    /// Every cluster's id and name, by name.
    async fn cluster_refs(&self) -> Result<Vec<ClusterRef>, StoreError>;

    /// Creates or updates clusters and their memberships, in one transaction.
    async fn upsert_clusters(
        &self,
        clusters: &[Cluster],
        members: &[ClusterMember],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The members of a cluster, by organisation name.
    async fn cluster_members(&self, cluster_id: &str) -> Result<Vec<ClusterMember>, StoreError>;

    /// Writes region names by code; a batch with an invalid region writes nothing.
    async fn upsert_regions(&self, regions: &[Region], now: DateTime<Utc>) -> Result<Vec<UpsertOutcome>, StoreError>;

    /// The names of those of `codes` that have one.
    async fn region_names(&self, codes: &[String]) -> Result<BTreeMap<String, String>, StoreError>;

    /// How many of each thing is stored.
    async fn counts(&self) -> Result<Counts, StoreError>;

    /// Which database this is and which schema it has (`<identity>/schema-<version>`): what
    /// derived data records it was built from.
    async fn source_id(&self) -> Result<String, StoreError>;
}

/// Opens the store for `url`, creating an SQLite file if needed, and runs migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match Backend::for_url(url)? {
        Backend::Sqlite => Arc::new(sqlite::SqlStore::connect(url).await?),
        Backend::Postgres => Arc::new(postgres::SqlStore::connect(url).await?),
    })
}

/// Joins a list for a text column (one value per line).
fn join_lines(values: &[String]) -> String {
    values.join("\n")
}

/// Splits a text column written by [`join_lines`].
fn split_lines(value: &str) -> Vec<String> {
    value
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/fb"),
            "postgres://app:***@db:5432/fb"
        );
        assert_eq!(redact_url("postgres://app@db/fb"), "postgres://app@db/fb");
        assert_eq!(redact_url("sqlite://data/fb.db"), "sqlite://data/fb.db");
    }

    #[test]
    fn unknown_schemes_are_refused_with_a_hint() {
        let err = Backend::for_url("mysql://x").unwrap_err().to_string();
        assert!(err.contains("sqlite://"), "{err}");
    }
}
