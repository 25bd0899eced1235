//! Where clusters are run from the portal: their pages edited by their managers, the
//! invitations and applications waiting for a decision, members accepted, removed or imported
//! — each change written with its audit line, its mail and its index updates in one
//! transaction.

use super::{AuditEntry, OutgoingMail, StoreError};
use crate::cluster::{Cluster, ClusterRequest, ClusterRequestKind};
use crate::organisation::Organisation;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One request to file: who asks whom, and what they wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClusterRequest {
    /// The cluster's external id.
    pub cluster_id: String,
    /// The organisation's external id.
    pub organisation_id: String,
    /// Which side asks.
    pub kind: ClusterRequestKind,
    /// What they wrote (already checked).
    pub message: String,
    /// The person asking.
    pub created_by: i64,
}

/// Members to add to a cluster at once (an import): organisations new to the directory
/// first, then every membership by organisation external id and role.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberImport {
    /// The cluster's external id.
    pub cluster_id: String,
    /// Organisations to add to the directory (checked).
    pub new_organisations: Vec<Organisation>,
    /// `(organisation external id, role)`; an existing membership keeps its role.
    pub members: Vec<(String, String)>,
}

/// How an import went: memberships made, and those that existed already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportedMembers {
    /// Organisations added to the directory.
    pub organisations_created: usize,
    /// Memberships made.
    pub added: usize,
    /// Organisations that were members already.
    pub already_members: usize,
}

/// Clusters' pages, membership requests and members.
#[async_trait]
pub trait Clusters: Send + Sync {
    /// Saves an edited cluster (it must exist; its manager is not changed here) with `audit`,
    /// and owes its members' index documents an update (they carry its name).
    async fn save_cluster(&self, cluster: &Cluster, now: DateTime<Utc>, audit: &AuditEntry) -> Result<(), StoreError>;

    /// Pending requests of one cluster (`Some`) or of any cluster, for the organisations in
    /// `organisations` (empty: every organisation), oldest first.
    async fn cluster_requests(
        &self,
        cluster_id: Option<&str>,
        organisations: &[String],
    ) -> Result<Vec<ClusterRequest>, StoreError>;

    /// One pending request.
    async fn cluster_request(&self, id: i64) -> Result<Option<ClusterRequest>, StoreError>;

    /// Files a request with `audit` and `mails`; an organisation that is a member already
    /// or has a request pending is a [`StoreError::Conflict`], and nothing is written.
    async fn file_cluster_request(
        &self,
        request: &NewClusterRequest,
        now: DateTime<Utc>,
        audit: &AuditEntry,
        mails: &[OutgoingMail],
    ) -> Result<i64, StoreError>;

    /// Accepts (the organisation becomes a member) or declines a pending request, with
    /// `audit` and `mails`. False when it was not pending any more.
    async fn decide_cluster_request(
        &self,
        id: i64,
        accept: bool,
        now: DateTime<Utc>,
        audit: &AuditEntry,
        mails: &[OutgoingMail],
    ) -> Result<bool, StoreError>;

    /// Removes an organisation from a cluster with `audit`; false when it was not a member.
    async fn remove_cluster_member(
        &self,
        cluster_id: &str,
        organisation_id: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError>;

    /// Writes an import in one transaction with `audit`: all of it or nothing.
    async fn import_cluster_members(
        &self,
        import: &MemberImport,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<ImportedMembers, StoreError>;
}
