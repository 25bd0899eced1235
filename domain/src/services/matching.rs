//! Matching as use cases: the matcher built from the stored calls (and rebuilt when they
//! change), an organisation's matches for its members, a call's fit for the viewer's
//! organisations, partners for a call, the organisations that could apply to a funding body's
//! call, "not relevant" marks, and the measurement of the matcher against hand-written cases
//! beside the search box's ranking.

use super::{AppState, ServiceError};
use crate::call::{CallDetail, CallStatus};
use crate::codes::CallId;
use crate::geo::{self, RegionNames};
use crate::matching::evaluation::{Case, Measures};
use crate::matching::rank::{Matcher, Ranked};
use crate::matching::rules::{terms_of, Applicant};
use crate::matching::{
    ApplicantFit, CallFit, MatchCounts, MatchQuery, MatchShow, MatchSort, MatchesView, PartnersView, MATCHES_PER_PAGE,
};
use crate::organisation::Organisation;
use crate::organisation_query::OrganisationQuery;
use crate::people::Viewer;
use crate::query::CallQuery;
use crate::search::SearchRequest;
use crate::store::{CallStore, CallsFingerprint, StoreError};
use chrono::{DateTime, Utc};
use std::sync::Arc;

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
    /// How many of the matcher's first ten something excludes (closed or not eligible).
    pub matcher_excluded: usize,
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
        let excluded = |ids: &[String]| {
            ids.iter()
                .filter_map(|id| matcher.find(id))
                .filter(|number| matcher.evaluate_without_text(&applicant, *number, now).blockers != 0)
                .count()
        };
        let ids: Vec<String> = matcher_top.iter().map(|(id, _)| id.clone()).collect();
        let matcher_excluded = excluded(&ids);
        let baseline_excluded = excluded(&baseline_top);
        reports.push(CaseReport {
            id: case.id.clone(),
            matcher: Measures::of(&ids, &case.relevant),
            baseline: Measures::of(&baseline_top, &case.relevant),
            matcher_top,
            matcher_parts,
            baseline_top,
            matcher_excluded,
            baseline_excluded,
        });
    }
    Ok(reports)
}

/// The matcher the services share, rebuilt when the stored calls change.
#[derive(Debug, Default)]
pub struct MatcherCache {
    current: tokio::sync::Mutex<Option<(CallsFingerprint, Arc<Matcher>)>>,
}

/// The matcher over the calls open or forthcoming now: the cached one while the calls are
/// unchanged, else built anew (on a blocking thread: it reads every call's text).
pub async fn current_matcher(state: &AppState) -> Result<Arc<Matcher>, ServiceError> {
    let fingerprint = state.matches.calls_fingerprint().await?;
    let mut current = state.matcher.current.lock().await;
    if let Some((built_for, matcher)) = current.as_ref() {
        if *built_for == fingerprint {
            return Ok(matcher.clone());
        }
    }
    let now = state.clock.now();
    let mut calls = all_calls(state.calls.as_ref(), now).await?;
    calls.retain(|call| call.summary.status != CallStatus::Closed);
    let matcher = tokio::task::spawn_blocking(move || Matcher::new(&calls))
        .await
        .map_err(|error| ServiceError::Unavailable(format!("the matcher could not be built: {error}")))?;
    let matcher = Arc::new(matcher);
    *current = Some((fingerprint, matcher.clone()));
    Ok(matcher)
}

/// An organisation as the matcher reads it, with its region's priorities and its marks; the
/// names of its region and the areas containing it.
pub(super) async fn applicant_for(
    state: &AppState,
    matcher: &Matcher,
    organisation: &Organisation,
) -> Result<(Applicant, RegionNames), ServiceError> {
    let areas: Vec<String> = organisation
        .nuts_code
        .iter()
        .flat_map(|region| {
            geo::nuts_lineage(region.as_str())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let strategies = state.strategies.strategies(&areas).await?;
    let names = state.directory.region_names(&areas).await?;
    let dismissed = state.matches.dismissed_calls(&organisation.external_id).await?;
    Ok((matcher.applicant(organisation, &strategies, &dismissed, &names), names))
}

/// The names of the regions the calls numbered `calls` are restricted to, added to `names`.
async fn add_region_names(
    state: &AppState,
    matcher: &Matcher,
    calls: impl IntoIterator<Item = u32>,
    names: &mut RegionNames,
) -> Result<(), ServiceError> {
    let regions: Vec<String> = calls
        .into_iter()
        .flat_map(|call| matcher.call(call).regions.iter().map(|r| r.as_str().to_owned()))
        .collect();
    if !regions.is_empty() {
        names.extend(state.directory.region_names(&regions).await?);
    }
    Ok(())
}

/// The organisations `viewer` may see matches for: those they belong to that apply for
/// calls (not funding bodies), by name.
pub(super) fn applying_organisations(viewer: &Viewer) -> Vec<(String, String)> {
    let mut organisations: Vec<(String, String)> = viewer
        .memberships
        .iter()
        .filter(|m| !m.organisation_kind.publishes_calls())
        .map(|m| (m.organisation_id.clone(), m.organisation_name.clone()))
        .collect();
    organisations.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    organisations
}

/// `organisation_id`, or when it is blank the first organisation `viewer` applies for calls
/// with; none when there is no such organisation.
pub(super) fn chosen_organisation(viewer: &Viewer, organisation_id: &str) -> Option<String> {
    match organisation_id.trim() {
        "" => applying_organisations(viewer).into_iter().next().map(|(id, _)| id),
        chosen => Some(chosen.to_owned()),
    }
}

/// One page of an organisation's matches, for its members (and administrators): the list
/// asked for, filtered, sorted and paged, each match with its reasons.
pub async fn organisation_matches(
    state: &AppState,
    session: Option<&str>,
    query: &MatchQuery,
) -> Result<MatchesView, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let mut query = query.clone().bounded();
    let organisations = applying_organisations(&viewer);
    if query.organisation.is_empty() {
        query.organisation = organisations.first().map(|(id, _)| id.clone()).ok_or_else(|| {
            ServiceError::Invalid(
                "Join or add your organisation first: matches are for an organisation's profile.".into(),
            )
        })?;
    }
    let (organisation, _) =
        super::member_organisation(state, &viewer, &query.organisation, "see this organisation's matches").await?;
    let matcher = current_matcher(state).await?;
    let (applicant, mut names) = applicant_for(state, &matcher, &organisation).await?;
    let now = state.clock.now();
    let mut counts = MatchCounts::default();
    let mut listed: Vec<Ranked> = Vec::new();
    for ranked in matcher.evaluate_all(&applicant, now, &mut Vec::new()) {
        let call = matcher.call(ranked.call);
        let status = call.dates().status_at(now);
        let kept = query.kind.is_none_or(|kind| kind == call.summary.instrument_kind)
            && query.status.is_none_or(|wanted| wanted == status);
        if !kept {
            continue;
        }
        let list = if ranked.evaluation.dismissed {
            counts.not_relevant += 1;
            MatchShow::NotRelevant
        } else if ranked.evaluation.blockers != 0 {
            counts.blocked += 1;
            MatchShow::Blocked
        } else {
            counts.open += 1;
            MatchShow::Open
        };
        if list == query.show {
            listed.push(ranked);
        }
    }
    matcher.sort(&mut listed);
    if query.sort == MatchSort::Deadline {
        let next = |ranked: &Ranked| matcher.call(ranked.call).dates().next_deadline(now).map(|d| d.at);
        listed.sort_by(|a, b| match (next(a), next(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
    let total = listed.len();
    let per_page = MATCHES_PER_PAGE as usize;
    let page: Vec<Ranked> = listed
        .into_iter()
        .skip((query.page as usize - 1) * per_page)
        .take(per_page)
        .collect();
    add_region_names(state, &matcher, page.iter().map(|ranked| ranked.call), &mut names).await?;
    Ok(MatchesView {
        organisation_id: organisation.external_id.clone(),
        organisation_name: organisation.name.clone(),
        organisations,
        completeness: crate::profile::completeness(&organisation),
        matches: page
            .iter()
            .map(|ranked| matcher.explain(&applicant, ranked, now, &names))
            .collect(),
        query,
        total,
        counts,
        now,
    })
}

/// How call `call_id` fits each organisation `session`'s person applies for (none for
/// anonymous visitors, or a call no longer open).
pub async fn call_fits(state: &AppState, session: Option<&str>, call_id: &str) -> Result<Vec<CallFit>, ServiceError> {
    let Some(viewer) = super::accounts::viewer(state, session).await? else {
        return Ok(Vec::new());
    };
    let organisations = applying_organisations(&viewer);
    if organisations.is_empty() {
        return Ok(Vec::new());
    }
    let matcher = current_matcher(state).await?;
    let Some(number) = CallId::parse(call_id).ok().and_then(|id| matcher.find(id.as_str())) else {
        return Ok(Vec::new());
    };
    let now = state.clock.now();
    let mut call_names = RegionNames::new();
    add_region_names(state, &matcher, [number], &mut call_names).await?;
    let mut fits = Vec::new();
    for (organisation_id, _) in organisations.iter().take(MAX_FITS_SHOWN) {
        let Some(organisation) = state.directory.get_organisation(organisation_id).await? else {
            continue;
        };
        let (applicant, mut names) = applicant_for(state, &matcher, &organisation).await?;
        names.extend(call_names.clone());
        let ranked = matcher.rank_one(&applicant, number, now);
        fits.push(CallFit {
            organisation_id: organisation.external_id.clone(),
            organisation_name: organisation.name.clone(),
            confidence: crate::profile::completeness(&organisation).percent,
            fit: matcher.explain(&applicant, &ranked, now, &names),
        });
    }
    Ok(fits)
}

/// The most organisations a call's page shows its fit for.
const MAX_FITS_SHOWN: usize = 5;

/// Marks call `call_id` not relevant for organisation `organisation_id` (or takes the mark
/// away), for its members and administrators.
pub async fn mark_not_relevant(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    call_id: &str,
    not_relevant: bool,
) -> Result<(), ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let (organisation, _) =
        super::member_organisation(state, &viewer, organisation_id, "mark this organisation's matches").await?;
    let call = CallId::parse(call_id).map_err(|_| ServiceError::NotFound("that call".into()))?;
    state
        .matches
        .set_dismissed(
            &organisation.external_id,
            call.as_str(),
            viewer.person_id,
            not_relevant,
            state.clock.now(),
        )
        .await?;
    Ok(())
}

/// The codes of the terms of `vocabulary` whose bits are set.
fn term_codes(vocabulary: &[crate::taxonomy::Term], bits: u32) -> Vec<String> {
    terms_of(vocabulary, bits).map(|term| term.code.to_owned()).collect()
}

/// The directory query for organisations with any of the capabilities `capabilities` — or,
/// when there are none, any of the sectors `sectors` — a page of the most it holds.
fn candidates_query(capabilities: u32, sectors: u32) -> OrganisationQuery {
    let mut query = OrganisationQuery {
        capabilities: term_codes(crate::taxonomy::CAPABILITIES, capabilities),
        per_page: crate::sanitize::MAX_PER_PAGE,
        ..OrganisationQuery::default()
    };
    if query.capabilities.is_empty() {
        query.sectors = term_codes(crate::taxonomy::SECTORS, sectors);
    }
    query.sanitized()
}

/// The most partners a call's page suggests.
const PARTNERS_SHOWN: usize = 10;

/// Partners for call `call_id` and the viewer's organisation `organisation_id` (empty: their
/// first): organisations bringing the capabilities the call names that it lacks — else serving
/// the call's sectors —, as the viewer may see them, ranked with their reasons. `None` for
/// anonymous visitors, people without an organisation that applies, or a call no longer open.
pub async fn call_partners(
    state: &AppState,
    session: Option<&str>,
    call_id: &str,
    organisation_id: &str,
) -> Result<Option<PartnersView>, ServiceError> {
    let Some(viewer) = super::accounts::viewer(state, session).await? else {
        return Ok(None);
    };
    let Some(organisation_id) = chosen_organisation(&viewer, organisation_id) else {
        return Ok(None);
    };
    let (organisation, _) =
        super::member_organisation(state, &viewer, &organisation_id, "find partners for this organisation").await?;
    let matcher = current_matcher(state).await?;
    let Some(number) = CallId::parse(call_id).ok().and_then(|id| matcher.find(id.as_str())) else {
        return Ok(None);
    };
    let call = matcher.call(number);
    let missing = crate::matching::partners::missing_capabilities(call, &organisation);
    let query = candidates_query(missing, call.sectors);
    let partners = if query.capabilities.is_empty() && query.sectors.is_empty() {
        Vec::new()
    } else {
        let candidates = super::directory::search_organisations(state, session, &query).await?;
        let own_clusters: Vec<String> = state
            .directory
            .organisation_details(std::slice::from_ref(&organisation.external_id))
            .await?
            .into_iter()
            .flat_map(|detail| detail.clusters.into_iter().map(|c| c.external_id))
            .collect();
        let mut ranked = crate::matching::partners::rank_partners(call, &organisation, &own_clusters, candidates.items);
        ranked.truncate(PARTNERS_SHOWN);
        ranked
    };
    Ok(Some(PartnersView {
        organisation_id: organisation.external_id.clone(),
        organisation_name: organisation.name.clone(),
        missing: call
            .capabilities
            .terms_within(missing)
            .into_iter()
            .map(|term| term.label.to_owned())
            .collect(),
        partners,
    }))
}

/// The most organisations a funding body's view of its call lists.
const APPLICANTS_SHOWN: usize = 20;

/// For the people of the funding body that published call `call_id` (and administrators): the
/// organisations that could apply to it, by fit — nothing excluding them, best first, each with
/// its reasons — among those the directory shows the viewer (visible profiles only).
/// `None` for anyone else, or for a call that is not open or forthcoming.
pub async fn possible_applicants(
    state: &AppState,
    session: Option<&str>,
    call_id: &str,
) -> Result<Option<Vec<ApplicantFit>>, ServiceError> {
    let Some(viewer) = super::accounts::viewer(state, session).await? else {
        return Ok(None);
    };
    let Ok(id) = CallId::parse(call_id) else {
        return Ok(None);
    };
    let Some(record) = state.publishing.call_record(id.as_str()).await? else {
        return Ok(None);
    };
    if !viewer.is_admin && viewer.role_in(&record.organisation_id).is_none() {
        return Ok(None);
    }
    let matcher = current_matcher(state).await?;
    let Some(number) = matcher.find(id.as_str()) else {
        return Ok(None);
    };
    let call = matcher.call(number);
    let mut query = candidates_query(call.capabilities.touched(), call.sectors);
    if query.capabilities.is_empty() && query.sectors.is_empty() {
        query.text = call.summary.title.clone();
        query = query.sanitized();
    }
    let candidates = super::directory::search_organisations(state, session, &query).await?;
    let now = state.clock.now();
    let mut names = RegionNames::new();
    add_region_names(state, &matcher, [number], &mut names).await?;
    let mut fits: Vec<(Ranked, ApplicantFit)> = Vec::new();
    for detail in candidates.items {
        let applicant = matcher.applicant(&detail.organisation, &[], &[], &names);
        let ranked = matcher.rank_one(&applicant, number, now);
        if ranked.evaluation.blockers != 0 {
            continue;
        }
        let fit = matcher.explain(&applicant, &ranked, now, &names);
        fits.push((
            ranked,
            ApplicantFit {
                organisation: detail,
                fit,
            },
        ));
    }
    fits.sort_by(|(a, x), (b, y)| {
        b.evaluation
            .score()
            .cmp(&a.evaluation.score())
            .then(b.evaluation.similarity.total_cmp(&a.evaluation.similarity))
            .then_with(|| x.organisation.organisation.name.cmp(&y.organisation.organisation.name))
    });
    Ok(Some(
        fits.into_iter().take(APPLICANTS_SHOWN).map(|(_, fit)| fit).collect(),
    ))
}
