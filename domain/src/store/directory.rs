//! The partner directory's records: organisations, the clusters they belong to, and the
//! names of the regions they sit in.

use super::{StoreError, UpsertOutcome};
use crate::cluster::{Cluster, ClusterMember, ClusterRef};
use crate::geo::Region;
use crate::organisation::{Organisation, OrganisationDetail};
use crate::organisation_query::OrganisationQuery;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Organisations, clusters and region names.
#[async_trait]
pub trait Directory: Send + Sync {
    /// Creates or updates organisations by external id, in one transaction; an invalid one
    /// is refused with its reason and nothing is written.
    async fn upsert_organisations(
        &self,
        organisations: &[Organisation],
        now: DateTime<Utc>,
    ) -> Result<Vec<UpsertOutcome>, StoreError>;

    /// Saves an organisation's edited profile (it must exist) with `audit`, in one transaction
    /// with its index update; an invalid one is refused with its reason and nothing is written.
    async fn save_organisation(
        &self,
        organisation: &Organisation,
        now: DateTime<Utc>,
        audit: &super::AuditEntry,
    ) -> Result<(), StoreError>;

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

    /// Every cluster (or only the one with external id `only`) with its number of members,
    /// by name.
    async fn clusters(&self, only: Option<&str>) -> Result<Vec<(Cluster, u64)>, StoreError>;

    /// The members of a cluster, by organisation name.
    async fn cluster_members(&self, cluster_id: &str) -> Result<Vec<ClusterMember>, StoreError>;

    /// Writes region names by code; a batch with an invalid region writes nothing.
    async fn upsert_regions(&self, regions: &[Region], now: DateTime<Utc>) -> Result<Vec<UpsertOutcome>, StoreError>;

    /// The names of those of `codes` that have one.
    async fn region_names(&self, codes: &[String]) -> Result<BTreeMap<String, String>, StoreError>;
}
