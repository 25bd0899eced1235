//! Who belongs to which organisation and in what role, the requests to join or claim one, the
//! platform's administrators and disabled accounts, and the audit log that records every
//! such change in the same transaction as the change.

use super::{OutgoingMail, StoreError};
use crate::people::{Membership, Role};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// To become a member (its editors or an administrator accept).
    Join,
    /// To speak for an organisation listed in the directory (an administrator approves).
    Claim,
}

impl RequestKind {
    /// The kind as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Join => "join",
            RequestKind::Claim => "claim",
        }
    }
}

/// A pending request, as the people deciding it see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The request's row.
    pub id: i64,
    /// Who asks.
    pub person_id: i64,
    /// Their name.
    pub person_name: String,
    /// Their address.
    pub person_email: String,
    /// The organisation's public identifier.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Join or claim.
    pub kind: RequestKind,
    /// What they wrote.
    pub message: String,
    /// When they asked.
    pub created_at: DateTime<Utc>,
}

/// One member of an organisation, for its editors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The person's row.
    pub person_id: i64,
    /// Their name.
    pub display_name: String,
    /// Their role here.
    pub role: Role,
}

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

/// One line of the audit log as administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When.
    pub at: DateTime<Utc>,
    /// Who did it (`None`: the command line or a deleted account).
    pub actor: Option<String>,
    /// What was done.
    pub action: String,
    /// To whom.
    pub subject: Option<String>,
    /// The organisation involved.
    pub organisation: Option<String>,
    /// Anything else recorded.
    pub detail: String,
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
}
