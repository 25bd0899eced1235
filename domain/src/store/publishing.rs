//! Where funding bodies' own calls are kept through their workflow: created as drafts, moved
//! from state to state, saved as versions once published, published by the clock when
//! scheduled — each change with its audit line and index update in the same transaction.

use super::{AuditEntry, AuditRecord, NewCall, StoreError};
use crate::publishing::{CallState, CallVersion, FieldChange, OwnedCall, PublicChange};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A funding body's call as stored, with where it is in the workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRecord {
    /// The call's fields.
    pub call: NewCall,
    /// The owning funding body's identifier.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Workflow state.
    pub state: CallState,
    /// When it publishes itself (or was asked to), if set.
    pub publish_at: Option<DateTime<Utc>>,
    /// Who submitted it for review (their person row).
    pub submitted_by: Option<i64>,
    /// Their name.
    pub submitted_by_name: Option<String>,
    /// The last comment sent back, or an administrator's reason.
    pub review_comment: Option<String>,
}

/// A version to record with a save or a publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVersion {
    /// Who saved it (`None`: the publication job).
    pub saved_by: Option<i64>,
    /// When.
    pub at: DateTime<Utc>,
    /// The public one-line note.
    pub note: String,
    /// What changed.
    pub changes: Vec<FieldChange>,
}

impl NewVersion {
    /// Whether any change in it is material.
    pub fn material(&self) -> bool {
        self.changes.iter().any(|change| change.material)
    }
}

/// A move from one state to another, compared and set in one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    /// The state the call must still be in (someone else may have moved it first).
    pub from: CallState,
    /// The state it moves to.
    pub to: CallState,
    /// The publication time to keep (scheduled calls), or `None` to clear it.
    pub publish_at: Option<DateTime<Utc>>,
    /// Who submitted it (set when it goes into review; kept otherwise).
    pub submitted_by: Option<i64>,
    /// The comment for the funding body (send back, unpublish); cleared when `None`.
    pub comment: Option<String>,
    /// The version to record (its first publication).
    pub version: Option<NewVersion>,
}

/// Funding bodies' calls through their workflow.
#[async_trait]
pub trait Publishing: Send + Sync {
    /// Adds `call` as a draft of the organisation `organisation_id` (to publish at
    /// `publish_at` once approved), recording `audit`; an address already taken is a
    /// [`StoreError::Conflict`] and nothing is written.
    async fn create_call(
        &self,
        call: &NewCall,
        organisation_id: &str,
        publish_at: Option<DateTime<Utc>>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// A funding body's call in any state (`None`: no such call, or an imported one).
    async fn call_record(&self, external_id: &str) -> Result<Option<CallRecord>, StoreError>;

    /// Saves new fields (and the publication time asked for) for a call still in `expected`
    /// state, with `version` when it is published, recording `audit`. Returns false (and
    /// writes nothing) when the call has moved on since it was read.
    async fn save_call(
        &self,
        call: &NewCall,
        expected: CallState,
        publish_at: Option<DateTime<Utc>>,
        version: Option<&NewVersion>,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;

    /// Moves a call along its workflow, recording `audit`. Returns false (and writes nothing)
    /// when the call is no longer in `change.from`.
    async fn move_call(&self, external_id: &str, change: &StateChange, audit: &AuditEntry) -> Result<bool, StoreError>;

    /// Publishes every scheduled call whose time has come by `now` (each with its first
    /// version and an audit line); returns their addresses.
    async fn publish_due(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError>;

    /// The calls of the organisation `organisation_id`, most recently changed first, with
    /// next deadlines as at `now`.
    async fn organisation_calls(&self, organisation_id: &str, now: DateTime<Utc>)
        -> Result<Vec<OwnedCall>, StoreError>;

    /// A call's versions, newest first.
    async fn call_versions(&self, external_id: &str) -> Result<Vec<CallVersion>, StoreError>;

    /// The material changes of a call, newest first, for its public page.
    async fn public_changes(&self, external_id: &str) -> Result<Vec<PublicChange>, StoreError> {
        Ok(self
            .call_versions(external_id)
            .await?
            .into_iter()
            .filter(|version| version.material)
            .map(|version| PublicChange {
                at: version.saved_at,
                note: version.note,
                details: version
                    .changes
                    .iter()
                    .filter(|change| change.material)
                    .map(FieldChange::sentence)
                    .collect(),
            })
            .collect())
    }

    /// The latest `limit` audit lines about the organisation `organisation_id`, newest first.
    async fn organisation_audit(&self, organisation_id: &str, limit: u32) -> Result<Vec<AuditRecord>, StoreError>;
}
