//! Clusters: the list filtered by region, words of their name or focus and civil–military
//! profile, and one cluster's page with its members (as the viewer may see them) and the open
//! calls its members' capabilities touch.

use super::accounts::viewer;
use super::{region_names, AppState, ServiceError};
use crate::call::CallStatus;
use crate::cluster::{Cluster, ClusterCard, ClusterPage, ClusterQuery};
use crate::codes::{NutsCode, OrganisationId};
use crate::geo::{area_label, country_label, RegionNames};
use crate::query::{CallQuery, CallSort};
use std::collections::BTreeMap;

/// How many calls a cluster's page lists.
const CLUSTER_CALLS: u32 = 10;

/// Where `cluster` is, as people read it.
fn place(cluster: &Cluster, names: &RegionNames) -> String {
    cluster.nuts_code.as_ref().map_or_else(
        || country_label(cluster.country.as_str()),
        |code| area_label(code.as_str(), names),
    )
}

/// The clusters `query` admits, by name.
pub async fn list_clusters(state: &AppState, query: &ClusterQuery) -> Result<Vec<ClusterCard>, ServiceError> {
    let clusters = state.directory.clusters(None).await?;
    let names = region_names(
        state,
        clusters
            .iter()
            .filter_map(|(c, _)| c.nuts_code.as_ref().map(NutsCode::to_string)),
    )
    .await;
    Ok(clusters
        .into_iter()
        .filter(|(cluster, _)| query.admits(cluster))
        .map(|(cluster, members)| ClusterCard {
            place: place(&cluster, &names),
            cluster,
            members,
        })
        .collect())
}

/// The cluster `external_id`'s page, as the session's person (or anyone) may see it.
pub async fn cluster_page(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
) -> Result<ClusterPage, ServiceError> {
    let not_found = || ServiceError::NotFound("that cluster".into());
    let id = OrganisationId::parse(external_id.trim()).map_err(|_| not_found())?;
    let (cluster, count) = state
        .directory
        .clusters(Some(id.as_str()))
        .await?
        .pop()
        .ok_or_else(not_found)?;
    let viewer = viewer(state, session).await?;
    let memberships = state.directory.cluster_members(&cluster.external_id).await?;
    let ids: Vec<String> = memberships.iter().map(|m| m.organisation_id.clone()).collect();
    let details = super::directory::seen_by(state.directory.organisation_details(&ids).await?, viewer.as_ref());
    let roles: BTreeMap<&str, &str> = memberships
        .iter()
        .map(|m| (m.organisation_id.as_str(), m.role.as_str()))
        .collect();
    // The capabilities most of its members bring, for the calls they could lead.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for detail in &details {
        for capability in &detail.organisation.capabilities {
            *counts.entry(capability.as_str()).or_default() += 1;
        }
    }
    let mut capabilities: Vec<(&str, usize)> = counts.into_iter().collect();
    capabilities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let now = state.clock.now();
    let calls = if capabilities.is_empty() {
        Vec::new()
    } else {
        let query = CallQuery {
            domains: capabilities
                .iter()
                .take(5)
                .map(|(code, _)| (*code).to_owned())
                .collect(),
            statuses: vec![CallStatus::Open, CallStatus::Forthcoming],
            sort: CallSort::Deadline,
            per_page: CLUSTER_CALLS,
            ..CallQuery::default()
        }
        .sanitized();
        state.calls.list_calls(&query, now).await?.items
    };
    let members = details
        .into_iter()
        .map(|detail| {
            let role = roles
                .get(detail.organisation.external_id.as_str())
                .copied()
                .unwrap_or("member")
                .to_owned();
            (detail, role)
        })
        .collect();
    let names = region_names(state, cluster.nuts_code.iter().map(NutsCode::to_string)).await;
    Ok(ClusterPage {
        card: ClusterCard {
            place: place(&cluster, &names),
            cluster,
            members: count,
        },
        members,
        calls,
        now,
    })
}
