//! The Meilisearch backend, used when `MEILI_URL` is set: the same contract as the
//! embedded index (see the conformance suite in `domain/tests/search`), for deployments
//! with several app servers sharing one search engine.
//!
//! Status is derived at query time with the same two numbers as the embedded index
//! ([`CallDocument::opens_ts`], [`CallDocument::closes_ts`]) turned into filter
//! expressions. Counts per status and the counts of a filtered dimension (disjunctive
//! facets) are extra queries sent in the same multi-search request. Every task
//! (documents, settings) is awaited, and a failed task is an error.

mod organisations;

use super::highlight::ParsedQuery;
use super::{
    assemble_facets, effective_sort, hit, open_to_filter_values, CallDocument, CallIndex, Dimension, FacetValue,
    IndexChange, OrganisationDocument, OrganisationIndex, OrganisationResults, SearchError, SearchIndex, SearchRequest,
    SearchResults, COUNTED, NEVER_TS,
};
use crate::call::CallStatus;
use crate::organisation_query::OrganisationQuery;
use crate::query::{BudgetRange, CallSort, ClosesWithin};
use async_trait::async_trait;
use meilisearch_sdk::client::Client;
use meilisearch_sdk::errors::Error as MeiliError;
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::{SearchQuery, SearchResults as MeiliResults};
use meilisearch_sdk::settings::{PaginationSetting, Settings};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;

/// How long a task (a batch of documents, new settings) may take before it counts as failed.
const TASK_TIMEOUT: Duration = Duration::from_secs(300);
/// How often a task's state is polled.
const TASK_POLL: Duration = Duration::from_millis(25);
/// The most hits any query can page through (Meilisearch's default is 1,000).
const MAX_TOTAL_HITS: usize = 100_000;
/// The most calls between two stage deadlines a deadline-sorted search expects at one instant.
const MAX_BETWEEN_STAGES: usize = 1_000;

/// `sort` first: a requested order is the order, relevance only breaks ties (as in the
/// embedded index). Without a sort the rule does nothing.
const RANKING_RULES: [&str; 6] = ["sort", "words", "typo", "proximity", "attribute", "exactness"];

/// What Meilisearch stores for one call.
#[derive(Debug, Serialize)]
struct MeiliCall<'a> {
    /// The primary key: the external id in hex (ids hold `/`, which Meilisearch refuses).
    key: String,
    external_id: &'a str,
    title: &'a str,
    identifiers: &'a [String],
    body: &'a str,
    programme: &'a str,
    kind: &'static str,
    /// The eligible countries, or [`super::ANYWHERE`].
    countries: Vec<String>,
    /// The eligible regions, or [`super::ANYWHERE`].
    regions: Vec<String>,
    budget_range: Option<&'static str>,
    trl: &'a [u8],
    domains: &'a [String],
    sectors: &'a [String],
    sme_only: bool,
    dual_use: bool,
    opens_ts: i64,
    closes_ts: i64,
    /// The first deadline ([`NEVER_TS`] for rolling calls): the deadline sort key until it passes.
    first_deadline_ts: i64,
    deadlines: Vec<i64>,
    published_ts: i64,
    budget: i64,
    title_sort: String,
}

impl<'a> MeiliCall<'a> {
    fn new(call: &'a CallDocument) -> MeiliCall<'a> {
        let mut deadlines: Vec<i64> = call.deadlines.iter().map(|d| d.timestamp()).collect();
        deadlines.sort_unstable();
        MeiliCall {
            key: document_key(&call.external_id),
            external_id: &call.external_id,
            title: &call.title,
            identifiers: &call.identifiers,
            body: &call.body,
            programme: &call.programme,
            kind: call.instrument_kind.as_str(),
            countries: call.country_terms(),
            regions: call.region_terms(),
            budget_range: call.budget_range().map(BudgetRange::as_str),
            trl: &call.trl_levels,
            domains: &call.domains,
            sectors: &call.sectors,
            sme_only: call.sme_only,
            dual_use: call.dual_use,
            opens_ts: call.opens_ts(),
            closes_ts: call.closes_ts(),
            first_deadline_ts: deadlines.first().copied().unwrap_or(NEVER_TS),
            deadlines,
            published_ts: call.published_at.timestamp(),
            budget: call.budget_eur.unwrap_or(-1),
            title_sort: call.title.to_lowercase(),
        }
    }
}

/// The fields a search reads back.
#[derive(Debug, Deserialize)]
struct Found {
    external_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    deadlines: Vec<i64>,
    #[serde(default)]
    first_deadline_ts: i64,
}

const RETRIEVED: [&str; 5] = ["external_id", "title", "body", "deadlines", "first_deadline_ts"];

/// A Meilisearch primary key for an external id: its UTF-8 bytes in hex.
fn document_key(external_id: &str) -> String {
    external_id.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A string literal in Meilisearch's filter language.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `attribute IN [values…]`, or nothing when no value is chosen.
fn any_of(attribute: &str, values: &[String]) -> Option<String> {
    (!values.is_empty()).then(|| {
        let list: Vec<String> = values.iter().map(|v| quoted(v)).collect();
        format!("{attribute} IN [{}]", list.join(", "))
    })
}

/// The filter matching calls whose status at `now` is `status`.
fn status_filter(status: CallStatus, now: i64) -> String {
    match status {
        CallStatus::Closed => format!("closes_ts < {now}"),
        CallStatus::Forthcoming => format!("closes_ts >= {now} AND opens_ts > {now}"),
        CallStatus::Open => format!("closes_ts >= {now} AND opens_ts <= {now}"),
    }
}

/// The attribute holding a stored dimension's values.
fn attribute(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Programme => "programme",
        Dimension::Kind => "kind",
        Dimension::Country => "countries",
        Dimension::Region => "regions",
        Dimension::Budget => "budget_range",
        Dimension::Trl => "trl",
        Dimension::Domain => "domains",
        Dimension::Sector => "sectors",
        Dimension::Status | Dimension::Closes => "",
    }
}

/// The filter matching calls with a deadline (so the next one) in `[now, now + window]`.
fn window_filter(window: ClosesWithin, now: i64) -> String {
    format!("deadlines {now} TO {}", now + window.seconds())
}

/// The request's filters, each as an expression, so that any one can be left out.
struct Filters {
    by_dimension: Vec<(Dimension, String)>,
    flags: Vec<String>,
}

impl Filters {
    fn new(request: &SearchRequest) -> Filters {
        let query = &request.query;
        let now = request.now.timestamp();
        let kinds: Vec<String> = query.kinds.iter().map(|k| k.as_str().to_owned()).collect();
        let statuses: Vec<String> = query
            .statuses
            .iter()
            .map(|s| format!("({})", status_filter(*s, now)))
            .collect();
        let mut flags = Vec::new();
        if query.sme_only {
            flags.push("sme_only = true".to_owned());
        }
        if query.dual_use {
            flags.push("dual_use = true".to_owned());
        }
        let budgets: Vec<String> = query.budgets.iter().map(|b| b.as_str().to_owned()).collect();
        let levels: Vec<String> = query.trl.iter().map(u8::to_string).collect();
        // Areas (countries, regions): the chosen ones, those containing them, and "anywhere".
        let open_to = |attribute: &str, chosen: &[String]| {
            (!chosen.is_empty())
                .then(|| open_to_filter_values(chosen))
                .and_then(|values| any_of(attribute, &values))
        };
        let chosen = [
            (Dimension::Programme, any_of("programme", &query.programmes)),
            (Dimension::Kind, any_of("kind", &kinds)),
            (Dimension::Country, open_to("countries", &query.countries)),
            (Dimension::Region, open_to("regions", &query.regions)),
            (Dimension::Budget, any_of("budget_range", &budgets)),
            (Dimension::Trl, any_of("trl", &levels)),
            (Dimension::Domain, any_of("domains", &query.domains)),
            (Dimension::Sector, any_of("sectors", &query.sectors)),
            (Dimension::Status, (!statuses.is_empty()).then(|| statuses.join(" OR "))),
            (Dimension::Closes, query.closes_within.map(|w| window_filter(w, now))),
        ];
        Filters {
            by_dimension: chosen
                .into_iter()
                .filter_map(|(dimension, filter)| filter.map(|f| (dimension, f)))
                .collect(),
            flags,
        }
    }

    /// Every filter but `skip`'s, plus `extra`, joined with AND.
    fn without(&self, skip: Option<Dimension>, extra: &[String]) -> String {
        self.by_dimension
            .iter()
            .filter(|(dimension, _)| Some(*dimension) != skip)
            .map(|(_, filter)| filter)
            .chain(&self.flags)
            .chain(extra)
            .map(|f| format!("({f})"))
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// One query of a multi-search, owning its strings until the request is built.
struct Planned {
    filter: String,
    sort: Vec<&'static str>,
    facets: Vec<&'static str>,
    page: usize,
    hits_per_page: usize,
}

impl Planned {
    fn count(filter: String, facets: Vec<&'static str>) -> Planned {
        Planned {
            filter,
            sort: Vec::new(),
            facets,
            page: 1,
            hits_per_page: 0,
        }
    }
}

/// The Meilisearch indexes: calls in the index named at creation, organisations in one
/// beside it (`<name>-organisations`). Cloning shares the HTTP client.
#[derive(Clone)]
pub struct MeiliIndex {
    /// With the admin key: settings, writes and statistics.
    client: Client,
    /// With the search-only key when one is configured (else the admin key): every query,
    /// so the key the request path holds cannot write or read settings.
    searcher: Client,
    index: Index,
    organisations: Index,
    /// Set once the index exists with Fundbridge's settings; until then every operation tries
    /// to set it up first (so a server started while Meilisearch was down recovers by itself).
    ready: Arc<OnceCell<()>>,
}

impl MeiliIndex {
    /// A handle on the index `uid` of the server at `url`; nothing is sent yet.
    pub fn new(url: &str, api_key: Option<&str>, uid: &str) -> Result<MeiliIndex, SearchError> {
        MeiliIndex::with_search_key(url, api_key, None, uid)
    }

    /// As [`MeiliIndex::new`], searching with `search_key` (a key whose only action is
    /// `search`) and keeping the admin `api_key` for setup and writes.
    pub fn with_search_key(
        url: &str,
        api_key: Option<&str>,
        search_key: Option<&str>,
        uid: &str,
    ) -> Result<MeiliIndex, SearchError> {
        let client = Client::new(url, api_key).map_err(engine_error)?;
        let searcher = Client::new(url, search_key.or(api_key)).map_err(engine_error)?;
        let index = client.index(uid);
        let organisations = client.index(format!("{uid}-organisations"));
        Ok(MeiliIndex {
            client,
            searcher,
            index,
            organisations,
            ready: Arc::new(OnceCell::new()),
        })
    }

    /// Connects, creating the index if needed and applying its settings (awaited).
    pub async fn connect(url: &str, api_key: Option<&str>, uid: &str) -> Result<MeiliIndex, SearchError> {
        let meili = MeiliIndex::new(url, api_key, uid)?;
        meili.ready().await?;
        Ok(meili)
    }

    /// Sets the index up once (see [`MeiliIndex::ensure_settings`]).
    pub async fn ready(&self) -> Result<(), SearchError> {
        self.ready.get_or_try_init(|| self.ensure_settings()).await.map(|_| ())
    }

    /// Creates both indexes if they do not exist and applies their settings.
    async fn ensure_settings(&self) -> Result<(), SearchError> {
        self.ensure_index(&self.index, Self::call_settings()).await?;
        self.ensure_index(&self.organisations, organisations::settings()).await
    }

    /// Creates `index` if it does not exist and applies `settings`.
    async fn ensure_index(&self, index: &Index, settings: Settings) -> Result<(), SearchError> {
        match self.client.get_index(&index.uid).await {
            Ok(_) => {}
            Err(MeiliError::Meilisearch(error))
                if error.error_code == meilisearch_sdk::errors::ErrorCode::IndexNotFound =>
            {
                let task = self.client.create_index(&index.uid, Some("key")).await;
                self.finish(task).await?;
            }
            Err(error) => return Err(engine_error(error)),
        }
        let task = index.set_settings(&settings).await;
        self.finish(task).await
    }

    /// The calls' searchable, filterable and sortable attributes, ranking rules and paging limit.
    fn call_settings() -> Settings {
        Settings::new()
            .with_searchable_attributes(["title", "identifiers", "body"])
            .with_filterable_attributes([
                "programme",
                "kind",
                "countries",
                "regions",
                "sme_only",
                "dual_use",
                "opens_ts",
                "closes_ts",
                "first_deadline_ts",
                "deadlines",
                "budget_range",
                "trl",
                "domains",
                "sectors",
            ])
            .with_sortable_attributes(["first_deadline_ts", "published_ts", "budget", "title_sort"])
            .with_ranking_rules(RANKING_RULES)
            .with_pagination(PaginationSetting {
                max_total_hits: MAX_TOTAL_HITS,
            })
    }

    /// Deletes both indexes (tests clean up with it).
    pub async fn delete_index(self) -> Result<(), SearchError> {
        let task = self.index.clone().delete().await;
        self.finish(task).await?;
        let task = self.organisations.clone().delete().await;
        self.finish(task).await
    }

    /// Waits for an enqueued task and turns a failed one into an error.
    async fn finish(&self, task: Result<TaskInfo, MeiliError>) -> Result<(), SearchError> {
        let task = task
            .map_err(engine_error)?
            .wait_for_completion(&self.client, Some(TASK_POLL), Some(TASK_TIMEOUT))
            .await
            .map_err(engine_error)?;
        match task {
            Task::Succeeded { .. } => Ok(()),
            Task::Failed { content } => Err(SearchError::Index(format!(
                "meilisearch task {} failed: {}",
                content.task.uid, content.error
            ))),
            other => Err(SearchError::Index(format!(
                "meilisearch task did not finish: {other:?}"
            ))),
        }
    }

    /// Adds or replaces `upserts` and removes the documents keyed `deletes`, awaiting both tasks.
    async fn write<T: Serialize + Send + Sync>(
        &self,
        index: &Index,
        upserts: &[T],
        deletes: &[String],
    ) -> Result<(), SearchError> {
        if !upserts.is_empty() {
            let task = index.add_or_replace(upserts, Some("key")).await;
            self.finish(task).await?;
        }
        if !deletes.is_empty() {
            let task = index.delete_documents(deletes).await;
            self.finish(task).await?;
        }
        Ok(())
    }

    /// The `title` attribute of the best matches in `index` for what the user is typing.
    async fn suggest_in(
        &self,
        index: &Index,
        title: &'static str,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<String>, SearchError> {
        if ParsedQuery::parse(prefix, crate::text::tokenize).is_empty() {
            return Ok(Vec::new());
        }
        let results = SearchQuery::new(&self.searcher.index(&index.uid))
            .with_query(prefix.trim_start())
            .with_limit(limit.clamp(1, 20))
            .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(&[title]))
            .execute::<HashMap<String, serde_json::Value>>()
            .await
            .map_err(engine_error)?;
        Ok(results
            .hits
            .into_iter()
            .filter_map(|hit| hit.result.get(title).and_then(|v| v.as_str()).map(str::to_owned))
            .collect())
    }

    /// Runs the planned queries on `index` in one multi-search request, reading back `retrieved`.
    async fn run<T: serde::de::DeserializeOwned + Send + Sync + 'static>(
        &self,
        index: &Index,
        text: &str,
        planned: &[Planned],
        retrieved: &[&str],
    ) -> Result<Vec<MeiliResults<T>>, SearchError> {
        let mut multi = self.searcher.multi_search();
        for plan in planned {
            let mut query = SearchQuery::new(index);
            query
                .with_query(text)
                .with_page(plan.page)
                .with_hits_per_page(plan.hits_per_page)
                .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(retrieved));
            if !plan.filter.is_empty() {
                query.with_filter(&plan.filter);
            }
            if !plan.sort.is_empty() {
                query.with_sort(&plan.sort);
            }
            if !plan.facets.is_empty() {
                query.with_facets(meilisearch_sdk::search::Selectors::Some(&plan.facets));
            }
            multi.with_search_query(query.build());
        }
        let response = multi.execute::<T>().await.map_err(engine_error)?;
        if response.results.len() != planned.len() {
            return Err(SearchError::Index(
                "meilisearch answered a different number of queries".into(),
            ));
        }
        Ok(response.results)
    }

    async fn search_calls(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let query = &request.query;
        let now = request.now.timestamp();
        let parsed = ParsedQuery::parse(&query.text, crate::text::tokenize);
        let text = if parsed.is_empty() { "" } else { query.text.trim() };
        let filters = Filters::new(request);
        let sort = effective_sort(query);
        let per_page = query.per_page as usize;
        let offset = query.offset() as usize;

        // 0: the page (or, sorted by deadline, only totals and facets); 1–3: status counts;
        // 4–6: deadline-window counts; then a count per filtered dimension; then the
        // deadline sort's two lists.
        let mut planned = vec![Planned {
            filter: filters.without(None, &[]),
            sort: match sort {
                CallSort::Relevance | CallSort::Deadline => vec![],
                CallSort::Newest => vec!["published_ts:desc"],
                CallSort::Budget => vec!["budget:desc"],
                CallSort::Title => vec!["title_sort:asc"],
            },
            facets: COUNTED.map(attribute).to_vec(),
            page: query.page.max(1) as usize,
            hits_per_page: if sort == CallSort::Deadline { 0 } else { per_page },
        }];
        for status in CallStatus::ALL {
            planned.push(Planned::count(
                filters.without(Some(Dimension::Status), &[status_filter(status, now)]),
                vec![],
            ));
        }
        for window in ClosesWithin::ALL {
            planned.push(Planned::count(
                filters.without(Some(Dimension::Closes), &[window_filter(window, now)]),
                vec![],
            ));
        }
        // Where a dimension is filtered, its counts come from a query without that filter.
        let mut counted_at = Vec::new();
        for dimension in COUNTED {
            let facet = attribute(dimension);
            if dimension.is_filtered(query) {
                counted_at.push((facet, planned.len()));
                planned.push(Planned::count(filters.without(Some(dimension), &[]), vec![facet]));
            } else {
                counted_at.push((facet, 0));
            }
        }
        let deadline_lists = (sort == CallSort::Deadline).then(|| {
            let first = planned.len();
            // Calls whose first deadline is still ahead (rolling calls last, at NEVER_TS)…
            planned.push(Planned {
                filter: filters.without(None, &[format!("first_deadline_ts >= {now}")]),
                sort: vec!["first_deadline_ts:asc"],
                facets: vec![],
                page: 1,
                hits_per_page: offset + per_page,
            });
            // …and the few between two stages, whose next deadline is a later one.
            planned.push(Planned {
                filter: filters.without(None, &[format!("first_deadline_ts < {now} AND closes_ts >= {now}")]),
                sort: vec![],
                facets: vec![],
                page: 1,
                hits_per_page: MAX_BETWEEN_STAGES,
            });
            first
        });

        let results = self.run::<Found>(&self.index, text, &planned, &RETRIEVED).await?;
        let total = results[0].total_hits.unwrap_or_default() as u64;
        let counted = counted_at
            .into_iter()
            .map(|(facet, at)| facet_values(&results[at], facet))
            .collect();
        let totals = |from: usize| -> [u64; 3] {
            std::array::from_fn(|i| results[from + i].total_hits.unwrap_or_default() as u64)
        };
        let facets = assemble_facets(query, counted, totals(1), totals(4));

        let found: Vec<Found> = match deadline_lists {
            None => results
                .into_iter()
                .next()
                .map(|r| r.hits)
                .unwrap_or_default()
                .into_iter()
                .map(|h| h.result)
                .collect(),
            Some(first) => {
                // `run` checked that every planned query was answered.
                let mut results = results;
                let mut lists = results.drain(first..);
                let (Some(ahead), Some(between)) = (lists.next(), lists.next()) else {
                    return Err(SearchError::Index("meilisearch left out the deadline lists".into()));
                };
                self.deadline_page(text, &filters, now, offset, per_page, ahead, between)
                    .await?
            }
        };
        Ok(SearchResults {
            hits: found
                .into_iter()
                .map(|f| hit(f.external_id, &f.title, &f.body, &parsed))
                .collect(),
            total,
            facets,
        })
    }

    /// One page of a deadline-sorted search: upcoming deadlines soonest first (merging
    /// calls between two stages by their next deadline), then rolling calls, then closed ones.
    #[allow(clippy::too_many_arguments)]
    async fn deadline_page(
        &self,
        text: &str,
        filters: &Filters,
        now: i64,
        offset: usize,
        per_page: usize,
        ahead: MeiliResults<Found>,
        between: MeiliResults<Found>,
    ) -> Result<Vec<Found>, SearchError> {
        let upcoming_total = ahead.total_hits.unwrap_or_default() + between.total_hits.unwrap_or_default();
        if between.total_hits.unwrap_or_default() > MAX_BETWEEN_STAGES {
            tracing::warn!(
                between = between.total_hits,
                "more calls between two stages than a deadline sort merges; some are out of order"
            );
        }
        let mut upcoming: Vec<(i64, Found)> = ahead
            .hits
            .into_iter()
            .map(|h| (h.result.first_deadline_ts, h.result))
            .collect();
        upcoming.extend(between.hits.into_iter().map(|h| {
            let next = h
                .result
                .deadlines
                .iter()
                .copied()
                .filter(|at| *at >= now)
                .min()
                .unwrap_or(NEVER_TS);
            (next, h.result)
        }));
        // Stable: equal deadlines keep the engine's relevance order.
        upcoming.sort_by_key(|(at, _)| *at);
        let mut page: Vec<Found> = upcoming
            .into_iter()
            .skip(offset)
            .take(per_page)
            .map(|(_, f)| f)
            .collect();
        if page.len() < per_page && offset + per_page > upcoming_total {
            let closed_offset = offset.saturating_sub(upcoming_total);
            let wanted = per_page - page.len();
            let filter = filters.without(None, &[status_filter(CallStatus::Closed, now)]);
            let mut query = SearchQuery::new(&self.index);
            query
                .with_query(text)
                .with_filter(&filter)
                .with_offset(closed_offset)
                .with_limit(wanted)
                .with_attributes_to_retrieve(meilisearch_sdk::search::Selectors::Some(&RETRIEVED));
            let closed = query.execute::<Found>().await.map_err(engine_error)?;
            page.extend(closed.hits.into_iter().map(|h| h.result));
        }
        Ok(page)
    }
}

/// A facet's counts from a result, most frequent first (ties by name), as the embedded index orders them.
fn facet_values<T>(result: &MeiliResults<T>, facet: &str) -> Vec<FacetValue> {
    let empty = HashMap::new();
    let counts = result
        .facet_distribution
        .as_ref()
        .and_then(|d| d.get(facet))
        .unwrap_or(&empty);
    let mut values: Vec<FacetValue> = counts
        .iter()
        .filter(|(_, count)| **count > 0)
        .map(|(value, count)| FacetValue {
            value: value.clone(),
            count: *count as u64,
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
}

/// Connection failures mean the engine is unavailable; everything else is an index error.
fn engine_error(error: MeiliError) -> SearchError {
    match error {
        MeiliError::HttpError(error) => SearchError::Unavailable(format!("meilisearch: {error}")),
        MeiliError::MeilisearchCommunication(error) if error.status_code >= 500 => {
            SearchError::Unavailable(format!("meilisearch: {error}"))
        }
        MeiliError::Timeout => SearchError::Unavailable("meilisearch did not finish a task in time".into()),
        other => SearchError::Index(format!("meilisearch: {other}")),
    }
}

#[async_trait]
impl SearchIndex for MeiliIndex {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.ready().await?;
        let task = self.index.delete_all_documents().await;
        self.finish(task).await?;
        let task = self.organisations.delete_all_documents().await;
        self.finish(task).await
    }
}

#[async_trait]
impl CallIndex for MeiliIndex {
    async fn apply(&self, changes: Vec<IndexChange>) -> Result<(), SearchError> {
        self.ready().await?;
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for change in &changes {
            match change {
                IndexChange::Upsert(call) => upserts.push(MeiliCall::new(call)),
                IndexChange::Delete(id) => deletes.push(document_key(id)),
            }
        }
        self.write(&self.index, &upserts, &deletes).await
    }

    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        self.ready().await?;
        self.search_calls(request).await
    }

    async fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        self.ready().await?;
        self.suggest_in(&self.index, "title", prefix, limit).await
    }

    async fn document_count(&self) -> Result<u64, SearchError> {
        self.ready().await?;
        let stats = self.index.get_stats().await.map_err(engine_error)?;
        Ok(stats.number_of_documents as u64)
    }
}

#[async_trait]
impl OrganisationIndex for MeiliIndex {
    async fn apply_organisations(&self, changes: Vec<IndexChange<OrganisationDocument>>) -> Result<(), SearchError> {
        self.ready().await?;
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for change in &changes {
            match change {
                IndexChange::Upsert(org) => upserts.push(organisations::MeiliOrganisation::new(org)),
                IndexChange::Delete(id) => deletes.push(document_key(id)),
            }
        }
        self.write(&self.organisations, &upserts, &deletes).await
    }

    async fn search_organisations(&self, query: &OrganisationQuery) -> Result<OrganisationResults, SearchError> {
        self.ready().await?;
        self.search_organisation_index(query).await
    }

    async fn organisation_count(&self) -> Result<u64, SearchError> {
        self.ready().await?;
        let stats = self.organisations.get_stats().await.map_err(engine_error)?;
        Ok(stats.number_of_documents as u64)
    }

    async fn suggest_organisations(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        self.ready().await?;
        self.suggest_in(&self.organisations, "name", prefix, limit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hex_and_distinct_for_ids_with_slashes() {
        assert_eq!(document_key("A/1"), "412f31");
        assert_ne!(document_key("A/1"), document_key("A_1"));
        assert!(document_key("EuropeAid/187202/DD/ACT/MK")
            .chars()
            .all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn filter_values_are_quoted_and_escaped() {
        assert_eq!(
            any_of("programme", &["Horizon \"Europe\"".into(), "a\\b".into()]).unwrap(),
            r#"programme IN ["Horizon \"Europe\"", "a\\b"]"#
        );
        assert_eq!(any_of("programme", &[]), None);
    }
}
