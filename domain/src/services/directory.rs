//! The partner directory: one page of organisations for a query (from the search index, or
//! from the database while the index fails) and names completing a search.

use super::{
    log_search, region_names, suggestion_prefix, suggestions_unavailable, AppState, ServiceError, SUGGESTIONS,
};
use crate::codes::NutsCode;
pub use crate::listing::OrganisationListing;
use crate::organisation::OrganisationDetail;
use crate::organisation_query::{OrganisationFacets, OrganisationQuery};

/// One page of organisations matching `query`: searched in the index, the page's profiles read
/// from the database; while the index fails, filtered and paged by the database (`degraded`,
/// without counts). A search with text is logged anonymously.
pub async fn search_organisations(
    state: &AppState,
    query: &OrganisationQuery,
) -> Result<OrganisationListing, ServiceError> {
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
            let items = public(state.directory.organisation_details(&ids).await?);
            (items, highlights, results.total, results.facets, false)
        }
        Err(error) => {
            tracing::warn!(%error, "search index unavailable: the directory comes from the database");
            let (items, total) = state.directory.list_organisations(query).await?;
            (public(items), Vec::new(), total, OrganisationFacets::default(), true)
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

/// One organisation of the directory, with its clusters; "not found" for an identifier that
/// cannot exist, without asking the database.
pub async fn get_organisation(state: &AppState, external_id: &str) -> Result<OrganisationDetail, ServiceError> {
    let not_found = || ServiceError::NotFound("that organisation".into());
    let Ok(id) = crate::codes::OrganisationId::parse(external_id) else {
        return Err(not_found());
    };
    let details = state.directory.organisation_details(&[id.as_str().to_owned()]).await?;
    public(details).into_iter().next().ok_or_else(not_found)
}

/// Organisations as the public directory shows them: without their private figures.
pub(super) fn public(details: Vec<OrganisationDetail>) -> Vec<OrganisationDetail> {
    details
        .into_iter()
        .map(|detail| OrganisationDetail {
            organisation: detail.organisation.without_private_figures(),
            ..detail
        })
        .collect()
}
