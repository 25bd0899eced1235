//! Where the matcher's inputs that people set are kept: the calls an organisation marked
//! "not relevant", and a fingerprint of the calls that says when the matcher must be rebuilt.

use super::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What changes whenever a call is added, changed or removed: the number of calls and the
/// latest change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallsFingerprint {
    /// How many calls are stored.
    pub count: i64,
    /// When the latest was written.
    pub latest: Option<DateTime<Utc>>,
}

/// Marks on matches.
#[async_trait]
pub trait Matches: Send + Sync {
    /// The identifiers of the calls organisation `organisation_id` marked not relevant,
    /// latest first.
    async fn dismissed_calls(&self, organisation_id: &str) -> Result<Vec<String>, StoreError>;

    /// Marks call `call_id` not relevant for organisation `organisation_id` (by
    /// `person_id`), or takes the mark away; an unknown organisation or call is not found.
    async fn set_dismissed(
        &self,
        organisation_id: &str,
        call_id: &str,
        person_id: i64,
        dismissed: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The calls' fingerprint.
    async fn calls_fingerprint(&self) -> Result<CallsFingerprint, StoreError>;
}
