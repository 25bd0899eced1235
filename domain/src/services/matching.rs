//! Matching as use cases: the matcher built from the stored calls (and rebuilt when they
//! change), an organisation's matches for its members, "not relevant" marks, and the
//! measurement of the matcher against hand-written cases beside the search box's ranking.

use super::{AppState, ServiceError};
use crate::call::{CallDetail, CallStatus};
use crate::geo::{self, RegionNames};
use crate::matching::evaluation::{Case, Measures};
use crate::matching::rank::Matcher;
use crate::query::CallQuery;
use crate::search::SearchRequest;
use crate::store::{CallStore, StoreError};
use chrono::{DateTime, Utc};

/// How many call identifiers are read per query when loading the calls.
const LOAD_BATCH: u32 = 500;

/// Every stored call, with its details (`now` only fills the derived status fields).
pub async fn all_calls(calls: &dyn CallStore, now: DateTime<Utc>) -> Result<Vec<CallDetail>, StoreError> {
    let mut details = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let ids = calls.call_ids(after.as_deref(), LOAD_BATCH).await?;
        let Some(last) = ids.last().cloned() else {
            break;
        };
        details.extend(calls.call_details(&ids, now).await?);
        after = Some(last);
    }
    Ok(details)
}

/// One case measured: the matcher's ranking and the search box's, side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseReport {
    /// The case.
    pub id: String,
    /// The matcher's measures.
    pub matcher: Measures,
    /// The search box's measures (the profile's description as the text, open and
    /// forthcoming calls only).
    pub baseline: Measures,
    /// The matcher's first ten: identifier and score.
    pub matcher_top: Vec<(String, i32)>,
    /// The points of each part of the matcher's first ten, in [`FitKind::ALL`](crate::matching::FitKind::ALL)'s order.
    pub matcher_parts: Vec<[i32; 9]>,
    /// The search box's first ten.
    pub baseline_top: Vec<String>,
    /// How many of the search box's first ten the matcher finds excluded (closed or not
    /// eligible) for this organisation.
    pub baseline_excluded: usize,
}

/// Measures the matcher and the search box on `cases` against every stored call.
pub async fn evaluate(state: &AppState, cases: &[Case]) -> Result<Vec<CaseReport>, ServiceError> {
    let calls = all_calls(state.calls.as_ref(), state.clock.now()).await?;
    let matcher = Matcher::new(&calls);
    let organisations = cases
        .iter()
        .map(|case| case.profile.organisation(&case.id).map_err(ServiceError::Invalid))
        .collect::<Result<Vec<_>, _>>()?;
    let mut areas: Vec<String> = Vec::new();
    for organisation in &organisations {
        if let Some(region) = &organisation.nuts_code {
            areas.extend(geo::nuts_lineage(region.as_str()).map(str::to_owned));
        }
    }
    areas.sort();
    areas.dedup();
    let strategies = state.strategies.strategies(&areas).await?;
    let names: RegionNames = state.directory.region_names(&areas).await?;
    let mut scratch = Vec::new();
    let mut reports = Vec::with_capacity(cases.len());
    for (case, organisation) in cases.iter().zip(&organisations) {
        let now = case.now();
        let applicant = matcher.applicant(organisation, &strategies, &[], &names);
        let top = matcher.top(&applicant, now, 10, &mut scratch);
        let matcher_top: Vec<(String, i32)> = top
            .iter()
            .map(|ranked| {
                (
                    matcher.call(ranked.call).summary.external_id.clone(),
                    ranked.evaluation.score(),
                )
            })
            .collect();
        let matcher_parts = top.iter().map(|ranked| ranked.evaluation.points).collect();
        let mut query = CallQuery {
            text: organisation.description.clone(),
            statuses: vec![CallStatus::Open, CallStatus::Forthcoming],
            page: 1,
            per_page: 10,
            ..CallQuery::default()
        }
        .sanitized();
        query.sort = query.default_sort();
        let results = state
            .call_index
            .search(&SearchRequest { query, now })
            .await
            .map_err(|error| ServiceError::Unavailable(format!("the search index failed: {error}")))?;
        let baseline_top: Vec<String> = results.hits.into_iter().map(|hit| hit.external_id).collect();
        let baseline_excluded = baseline_top
            .iter()
            .filter_map(|id| matcher.find(id))
            .filter(|number| matcher.evaluate_without_text(&applicant, *number, now).blockers != 0)
            .count();
        let ids: Vec<String> = matcher_top.iter().map(|(id, _)| id.clone()).collect();
        reports.push(CaseReport {
            id: case.id.clone(),
            matcher: Measures::of(&ids, &case.relevant),
            baseline: Measures::of(&baseline_top, &case.relevant),
            matcher_top,
            matcher_parts,
            baseline_top,
            baseline_excluded,
        });
    }
    Ok(reports)
}
