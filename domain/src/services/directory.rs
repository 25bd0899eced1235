//! The partner directory: one page of organisations for a query (from the search index, or
//! from the database while the index fails) and names completing a search.

use super::{
    log_search, region_names, suggestion_prefix, suggestions_unavailable, AppState, ServiceError, SUGGESTIONS,
};
use crate::codes::NutsCode;
pub use crate::listing::OrganisationListing;
use crate::organisation::OrganisationDetail;
use crate::organisation_query::{OrganisationFacets, OrganisationQuery};
use crate::profile::Audience;

/// One page of organisations matching `query`: searched in the index, the page's profiles read
/// from the database; while the index fails, filtered and paged by the database (`degraded`,
/// without counts). A search with text is logged anonymously.
pub async fn search_organisations(
    state: &AppState,
    session: Option<&str>,
    query: &OrganisationQuery,
) -> Result<OrganisationListing, ServiceError> {
    let viewer = super::accounts::viewer(state, session).await?;
    let clusters = state.directory.cluster_refs().await?;
    let (items, highlights, total, facets, degraded) = match state.organisation_index.search_organisations(query).await
    {
        Ok(results) => {
            let ids: Vec<String> = results.hits.iter().map(|hit| hit.external_id.clone()).collect();
            let highlights = if query.text.is_empty() {
                Vec::new()
            } else {
                results.hits
            };
            let items = seen_by(state.directory.organisation_details(&ids).await?, viewer.as_ref());
            (items, highlights, results.total, results.facets, false)
        }
        Err(error) => {
            tracing::warn!(%error, "search index unavailable: the directory comes from the database");
            let (items, total) = state.directory.list_organisations(query).await?;
            (
                seen_by(items, viewer.as_ref()),
                Vec::new(),
                total,
                OrganisationFacets::default(),
                true,
            )
        }
    };
    let offered = facets.region.iter().map(|f| f.value.clone());
    let placed = items
        .iter()
        .filter_map(|d| d.organisation.nuts_code.as_ref().map(NutsCode::to_string));
    let chosen = query.regions.iter().cloned();
    let region_names = region_names(state, offered.chain(placed).chain(chosen)).await;
    log_search(state, "organisations", &query.text, query.to_query_string(), total).await;
    Ok(OrganisationListing {
        items,
        highlights,
        total,
        facets,
        clusters,
        region_names,
        degraded,
    })
}

/// Organisation names completing what the user is typing (nothing for fewer than two characters).
pub async fn suggest_organisations(state: &AppState, text: &str) -> Result<Vec<String>, ServiceError> {
    let Some(prefix) = suggestion_prefix(text) else {
        return Ok(Vec::new());
    };
    state
        .organisation_index
        .suggest_organisations(&prefix, SUGGESTIONS)
        .await
        .map_err(suggestions_unavailable)
}

/// One organisation of the directory, with its clusters, as the session's person may see it;
/// "not found" for an identifier that cannot exist, without asking the database.
pub async fn get_organisation(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
) -> Result<OrganisationDetail, ServiceError> {
    let viewer = super::accounts::viewer(state, session).await?;
    let detail = organisation_detail(state, external_id).await?;
    Ok(seen_by(vec![detail], viewer.as_ref()).remove(0))
}

/// The organisation `external_id` with its clusters, whole (callers decide what a viewer sees);
/// what cannot be an identifier is not found without asking the database.
pub(super) async fn organisation_detail(
    state: &AppState,
    external_id: &str,
) -> Result<OrganisationDetail, ServiceError> {
    let not_found = || ServiceError::NotFound("that organisation".into());
    let id = crate::codes::OrganisationId::parse(external_id.trim()).map_err(|_| not_found())?;
    let details = state.directory.organisation_details(&[id.as_str().to_owned()]).await?;
    details.into_iter().next().ok_or_else(not_found)
}

/// The audience `viewer` belongs to for `organisation_id`: its own people, signed-in members,
/// or the public.
pub(super) fn audience_of(viewer: Option<&crate::people::Viewer>, organisation_id: &str) -> Audience {
    match viewer {
        Some(viewer) if viewer.role_in(organisation_id).is_some() => Audience::Organisation,
        Some(_) => Audience::Members,
        None => Audience::Public,
    }
}

/// Organisations as `viewer` (or, without one, the public) may see them.
pub(super) fn seen_by(
    details: Vec<OrganisationDetail>,
    viewer: Option<&crate::people::Viewer>,
) -> Vec<OrganisationDetail> {
    details
        .into_iter()
        .map(|detail| OrganisationDetail {
            organisation: detail
                .organisation
                .clone()
                .as_seen_by(audience_of(viewer, &detail.organisation.external_id)),
            ..detail
        })
        .collect()
}
