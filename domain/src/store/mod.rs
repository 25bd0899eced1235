//! Where everything is stored, split by aggregate: [`CallStore`] (calls), [`Directory`]
//! (organisations, clusters, region names), [`Consortia`] (partners organisations pick for a
//! call), [`Alerts`] (saved searches, digest times), [`IndexOutbox`] (index updates owed to the search
//! engine), [`MailOutbox`] (mail owed to people), [`People`] (accounts, tokens, sessions),
//! [`Memberships`] (roles, requests, administrators, the audit log), [`Publishing`] (funding
//! bodies' calls through review, scheduling and versions), [`Strategies`] (regions'
//! smart-specialisation priorities), [`RateLimits`] and [`SearchLog`]; [`Store`] is all of them
//! on one database. Two backends (SQLite for the embedded default, PostgreSQL at scale) are
//! chosen once at start-up from the URL.
//!
//! Both backends share their SQL: the files in `sql/` are compiled once per dialect (see
//! `sqlite.rs` and `postgres.rs`), so a feature cannot drift between them. A statement only
//! one dialect can express (PostgreSQL's `FOR UPDATE SKIP LOCKED`, where SQLite's single
//! writer needs no lock) is written as a constant or function of the same name and type in
//! both dialect files, beside `connect`, and the shared SQL uses it: the difference stays in
//! those two files, side by side (`SKIP_LOCKED_ROWS`, used to lease mail, is the first).

pub mod alerts;
pub mod calls;
pub mod clusters;
pub mod consortia;
pub mod digests;
pub mod directory;
pub mod mail_outbox;
pub mod matches;
pub mod memberships;
pub mod messages;
pub mod outbox;
pub mod people;
pub mod postgres;
pub mod publishing;
pub mod search_log;
pub mod sqlite;
pub mod strategies;

pub use alerts::{Alerts, NewSavedSearch};
pub use calls::{CallStore, NewCall};
pub use clusters::{Clusters, ImportedMembers, MemberImport, NewClusterRequest};
pub use consortia::{Consortia, ConsortiumRecord, ConsortiumSave, StoredMember};
pub use digests::{
    DigestMark, DigestRecord, Digests, DigestsRecorded, FollowedDeadline, Follower, SubscribedSearch, Subscriber,
};
pub use directory::Directory;
pub use mail_outbox::{DeadLetter, LeasedMail, MailBacklog, MailOutbox, OutgoingMail};
pub use matches::{CallsFingerprint, Matches};
pub use memberships::{AuditEntry, AuditRecord, JoinRequest, Member, Memberships, RequestKind};
pub use messages::{AbuseReport, ConversationRecord, MessageRecord, Messages, NewConversation};
pub use outbox::{IndexLag, IndexOutbox, IndexedEntity, OutboxEntry};
pub use people::{EmailToken, NewPerson, People, Person, RateLimits, Session, TokenPurpose};
pub use publishing::{CallRecord, NewVersion, Publishing, StateChange};
pub use search_log::{SearchLog, SearchLogEntry};
pub use strategies::{NewStrategy, Strategies};

use async_trait::async_trait;
use serde::Serialize;
use std::sync::Arc;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A write broke a uniqueness or integrity rule.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A record the write refers to does not exist (the message names it).
    #[error("{0} was not found")]
    NotFound(String),
    /// The database URL or the data handed in is not valid.
    #[error("invalid: {0}")]
    Invalid(String),
    /// The database failed or could not be reached.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A stored row cannot be read back as what it should hold (the message names the row).
    #[error("corrupt row: {0}")]
    Corrupt(String),
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

/// The whole database: every aggregate's store, and what is about the database itself.
/// Requests get the narrow parts they need (see `services::AppState`); commands, the
/// indexer and the health check hold this.
#[async_trait]
pub trait Store:
    Alerts
    + CallStore
    + Clusters
    + Consortia
    + Digests
    + Directory
    + IndexOutbox
    + MailOutbox
    + Matches
    + Memberships
    + Messages
    + People
    + Publishing
    + RateLimits
    + SearchLog
    + Strategies
    + 'static
{
    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

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

/// FNV-1a, 64 bit: stable across Rust versions, unlike `DefaultHasher`.
pub(crate) fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Joins a list for a text column (one value per line).
fn join_lines<T: AsRef<str>>(values: &[T]) -> String {
    values.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("\n")
}

/// Splits a text column written by [`join_lines`].
fn split_lines(value: &str) -> Vec<String> {
    value
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Splits a text column of codes written by [`join_lines`], each read back with `parse`.
fn split_codes<T>(
    value: &str,
    parse: impl Fn(&str) -> Result<T, crate::codes::CodeError>,
) -> Result<Vec<T>, crate::codes::CodeError> {
    value.lines().filter(|line| !line.is_empty()).map(parse).collect()
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
