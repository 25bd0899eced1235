//! The call catalogue: one page of calls for a query (from the search index, or from the
//! database while the index fails), one call for its page, and titles completing a search.

use super::{
    log_search, region_names, suggestion_prefix, suggestions_unavailable, AppState, ServiceError, SUGGESTIONS,
};
use crate::codes::{CallId, NutsCode};
use crate::geo::RegionNames;
pub use crate::listing::{CallListing, CallView};
use crate::query::{CallPage, CallQuery, FacetValue, Facets};
use crate::search::SearchRequest;

/// One page of calls matching `query`: searched in the index, the page's calls read from the
/// database; while the index fails, filtered and paged by the database itself (`degraded`).
/// A search with text is logged anonymously.
pub async fn list_calls(state: &AppState, query: &CallQuery) -> Result<CallListing, ServiceError> {
    let now = state.clock.now();
    let request = SearchRequest {
        query: query.clone(),
        now,
    };
    let mut listing = match state.call_index.search(&request).await {
        Ok(results) => {
            let ids: Vec<String> = results.hits.iter().map(|hit| hit.external_id.clone()).collect();
            let items = state.calls.call_summaries(&ids, now).await?;
            CallListing {
                page: CallPage {
                    items,
                    total: results.total,
                    page: query.page,
                    per_page: query.per_page,
                },
                highlights: if query.text.is_empty() {
                    Vec::new()
                } else {
                    results.hits
                },
                facets: results.facets,
                degraded: false,
                now,
                region_names: RegionNames::new(),
            }
        }
        Err(error) => {
            tracing::warn!(%error, "search index unavailable: listing from the database");
            let programme = state
                .calls
                .programme_counts()
                .await?
                .into_iter()
                .map(|p| FacetValue {
                    value: p.programme,
                    count: p.count,
                })
                .collect();
            CallListing {
                page: state.calls.list_calls(query, now).await?,
                highlights: Vec::new(),
                facets: Facets {
                    programme,
                    ..Facets::default()
                },
                degraded: true,
                now,
                region_names: RegionNames::new(),
            }
        }
    };
    let offered = listing.facets.region.iter().map(|f| f.value.clone());
    listing.region_names = region_names(state, offered.chain(query.regions.iter().cloned())).await;
    let url_query = query.to_query_string();
    log_search(state, "calls", &query.text, url_query, listing.page.total).await;
    Ok(listing)
}

/// The call `external_id` for its page; what cannot be an identifier is not found without
/// asking the database.
pub async fn get_call(state: &AppState, external_id: &str) -> Result<CallView, ServiceError> {
    let not_found = || ServiceError::NotFound(format!("The call {:?}", short(external_id)));
    let Ok(id) = CallId::parse(external_id) else {
        return Err(not_found());
    };
    let now = state.clock.now();
    let call = state.calls.get_call(id.as_str(), now).await?.ok_or_else(not_found)?;
    let region_names = region_names(state, call.eligible_regions.iter().map(NutsCode::to_string)).await;
    let changes = state.publishing.public_changes(id.as_str()).await?;
    let priorities = super::regions::call_priorities(state, &call).await;
    Ok(CallView {
        changes,
        priorities,
        description_html: crate::markdown::to_safe_html(&call.description),
        call,
        now,
        region_names,
    })
}

/// At most 60 characters of `id`, for messages.
fn short(id: &str) -> String {
    crate::sanitize::clean_line(id, 60)
}

/// Call titles completing what the user is typing (nothing for fewer than two characters).
pub async fn suggest_calls(state: &AppState, text: &str) -> Result<Vec<String>, ServiceError> {
    let Some(prefix) = suggestion_prefix(text) else {
        return Ok(Vec::new());
    };
    state
        .call_index
        .suggest(&prefix, SUGGESTIONS)
        .await
        .map_err(suggestions_unavailable)
}
