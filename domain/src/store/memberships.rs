//! Who belongs to which organisation and in what role, the requests to join or claim one, the
//! platform's administrators and disabled accounts, and the audit log that records every
//! such change in the same transaction as the change.

use super::{OutgoingMail, StoreError};
pub use crate::admin::AuditRecord;
use crate::organisation::Organisation;
pub use crate::people::{JoinRequest, Member, RequestKind};
use crate::people::{Membership, Role};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One act to record: who did what to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Who did it (`None`: the command line).
    pub actor_id: Option<i64>,
    /// What was done (`grant_role`, `accept_join`, `disable_account`, …).
    pub action: &'static str,
    /// The person it was done to.
    pub subject_id: Option<i64>,
    /// The organisation's public identifier, when one is involved.
    pub organisation_id: Option<String>,
    /// Anything else worth knowing (the role granted).
    pub detail: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Memberships, requests, administrators and the audit log.
#[async_trait]
pub trait Memberships: Send + Sync {
    /// The organisations a person belongs to, by name.
    async fn memberships_of(&self, person_id: i64) -> Result<Vec<Membership>, StoreError>;

    /// An organisation's members, by name.
    async fn members_of(&self, organisation_id: &str) -> Result<Vec<Member>, StoreError>;

    /// Gives the person `role` in the organisation (`None` removes them), recording `audit`.
    /// An unknown organisation is [`StoreError::NotFound`].
    async fn set_membership(
        &self,
        person_id: i64,
        organisation_id: &str,
        role: Option<Role>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Adds a new organisation (and its index update) with the person as `role`, recording
    /// `audit`, in one transaction; an identifier already taken is [`StoreError::Conflict`]
    /// and nothing is written. An invalid organisation is refused with its reason.
    async fn add_organisation(
        &self,
        organisation: &Organisation,
        person_id: i64,
        role: Role,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Files a request; returns its row. One pending request per person and organisation
    /// ([`StoreError::Conflict`] for a second); an unknown organisation is `NotFound`.
    async fn request_membership(
        &self,
        person_id: i64,
        organisation_id: &str,
        kind: RequestKind,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    /// A pending request.
    async fn pending_request(&self, id: i64) -> Result<Option<JoinRequest>, StoreError>;

    /// Pending requests, oldest first: for one organisation, or all of them.
    async fn pending_requests(&self, organisation_id: Option<&str>) -> Result<Vec<JoinRequest>, StoreError>;

    /// Closes a pending request: accepted with `role` (the membership is made) or declined
    /// (`None`), recording `audit` and queuing `mail` in the same transaction. Returns false
    /// when the request was not pending any more (someone decided it first).
    async fn decide_request(
        &self,
        id: i64,
        role: Option<Role>,
        audit: &AuditEntry,
        mail: Option<&OutgoingMail>,
    ) -> Result<bool, StoreError>;

    /// Makes the person an administrator or not, recording `audit`.
    async fn set_admin(&self, person_id: i64, admin: bool, audit: &AuditEntry) -> Result<(), StoreError>;

    /// Disables the account (ending its sessions) or enables it again, recording `audit`.
    async fn set_disabled(&self, person_id: i64, disabled: bool, audit: &AuditEntry) -> Result<(), StoreError>;

    /// The latest `limit` lines of the audit log, newest first.
    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditRecord>, StoreError>;

    /// The latest `limit` audit lines the person `person_id` made or is the subject of,
    /// newest first.
    async fn person_activity(&self, person_id: i64, limit: u32) -> Result<Vec<AuditRecord>, StoreError>;
}
