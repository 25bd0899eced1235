//! Where calls and organisations are searched: one [`SearchIndex`] interface; the embedded
//! index on local disk (tantivy) is the default. The database stays the source of truth: documents are
//! built from stored calls, and the index can always be rebuilt from them.

use crate::call::{CallDetail, InstrumentKind};
use crate::codes::{CountryCode, NutsCode, Trl};
use crate::organisation_query::OrganisationQuery;
use crate::query::{BudgetRange, CallQuery, CallSort, ClosesWithin};
pub use crate::query::{FacetValue, Facets, Highlighted, SearchHit};
use crate::store::NewCall;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
pub use organisations::{OrganisationDocument, OrganisationResults};
use serde::{Deserialize, Serialize};

pub mod embedded;
pub mod highlight;
pub mod indexer;
pub mod meili;
pub mod organisations;

/// The instant standing for "never" in status arithmetic (9999-12-31T23:59:59Z), in
/// Unix seconds: a rolling call closes then, a call announced without a date opens then.
pub const NEVER_TS: i64 = 253_402_300_799;
/// The instant standing for "always" (0001-01-01T00:00:00Z): a call whose opening is unknown opened then.
pub const ALWAYS_TS: i64 = -62_135_596_800;
/// Characters of description shown under a hit.
const SNIPPET_CHARS: usize = 240;
pub use crate::geo::{nuts_lineage, open_to_filter_values, ANYWHERE};

/// Why a search operation failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index failed (disk, corruption, engine error).
    #[error("search index: {0}")]
    Index(String),
    /// The search backend could not be reached.
    #[error("search backend unavailable: {0}")]
    Unavailable(String),
}

/// What the index holds for one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallDocument {
    /// The call's public identifier.
    pub external_id: String,
    /// Title.
    pub title: String,
    /// Identifiers people type: the topic id and the call id.
    pub identifiers: Vec<String>,
    /// Description, keywords and the call's title.
    pub body: String,
    /// Programme.
    pub programme: String,
    /// Instrument kind.
    pub instrument_kind: InstrumentKind,
    /// Eligible countries.
    pub countries: Vec<String>,
    /// Eligible NUTS regions.
    pub regions: Vec<String>,
    /// Technology-readiness levels the call covers (from its minimum to its maximum).
    pub trl_levels: Vec<u8>,
    /// Capabilities (JRC research domains) derived from its text.
    pub domains: Vec<String>,
    /// NIS2 sectors derived from its text.
    pub sectors: Vec<String>,
    /// Only SMEs may apply.
    pub sme_only: bool,
    /// Open to dual-use projects.
    pub dual_use: bool,
    /// Per-project maximum, or the total budget, in euro.
    pub budget_eur: Option<i64>,
    /// Opening instant, if known.
    pub opening_at: Option<DateTime<Utc>>,
    /// Announced as forthcoming without an opening date.
    pub announced_forthcoming: bool,
    /// All deadlines.
    pub deadlines: Vec<DateTime<Utc>>,
    /// When it was published on Fundbridge (opening date, else first stored).
    pub published_at: DateTime<Utc>,
}

impl CallDocument {
    /// The document for a stored call.
    pub fn from_detail(call: &CallDetail) -> CallDocument {
        CallDocument::from_new_call(&NewCall::from(call), call.created_at)
    }

    /// The document for a call as written (`created_at`: when it was first stored).
    pub fn from_new_call(call: &NewCall, created_at: DateTime<Utc>) -> CallDocument {
        let mut identifiers = vec![call.external_id.clone()];
        identifiers.extend(call.call_identifier.clone());
        // The words only: a description's Markdown marks are neither searched nor shown in snippets.
        let mut body = crate::markdown::plain_text(&call.description);
        for extra in call
            .keywords
            .iter()
            .chain(call.call_title.iter())
            .chain(call.programme_part.iter())
        {
            body.push('\n');
            body.push_str(extra);
        }
        CallDocument {
            external_id: call.external_id.clone(),
            title: call.title.clone(),
            identifiers,
            body,
            programme: call.programme.clone(),
            instrument_kind: call.instrument_kind,
            countries: call.eligible_countries.iter().map(CountryCode::to_string).collect(),
            regions: call.eligible_regions.iter().map(NutsCode::to_string).collect(),
            trl_levels: trl_levels(call.trl_min, call.trl_max),
            domains: crate::taxonomy::with_domains(&call.domains()),
            sectors: call.sectors(),
            sme_only: call.sme_only,
            dual_use: call.dual_use,
            budget_eur: call.budget_max_eur.or(call.budget_total_eur),
            opening_at: call.opening_at,
            announced_forthcoming: call.announced_forthcoming,
            deadlines: call.deadlines.iter().map(|d| d.at).collect(),
            published_at: call.opening_at.unwrap_or(created_at),
        }
    }
}

impl CallDocument {
    /// When the call opens for the status rule: its opening date; [`NEVER_TS`] when it was
    /// announced without one; [`ALWAYS_TS`] when nothing is known.
    pub fn opens_ts(&self) -> i64 {
        match (self.opening_at, self.announced_forthcoming) {
            (Some(at), _) => at.timestamp(),
            (None, true) => NEVER_TS,
            (None, false) => ALWAYS_TS,
        }
    }

    /// When the call closes for the status rule: its last deadline, or [`NEVER_TS`] (rolling).
    ///
    /// Engines derive status at query time from these two numbers: closed when
    /// `closes_ts < now`, else forthcoming when `opens_ts > now`, else open — the rule of
    /// [`crate::call::CallDates::status_at`].
    pub fn closes_ts(&self) -> i64 {
        self.deadlines.iter().map(|d| d.timestamp()).max().unwrap_or(NEVER_TS)
    }

    /// The country facet values: the eligible countries, or [`ANYWHERE`] when unrestricted.
    pub fn country_terms(&self) -> Vec<String> {
        areas_or_anywhere(&self.countries)
    }

    /// The region facet values: the eligible NUTS regions, or [`ANYWHERE`] when unrestricted.
    pub fn region_terms(&self) -> Vec<String> {
        areas_or_anywhere(&self.regions)
    }

    /// The budget bracket, when the call states a budget.
    pub fn budget_range(&self) -> Option<BudgetRange> {
        self.budget_eur.and_then(BudgetRange::of)
    }
}

/// The levels a TRL range covers: minimum to maximum, or the one level stated, or none.
pub fn trl_levels(min: Option<Trl>, max: Option<Trl>) -> Vec<u8> {
    let (Some(low), Some(high)) = (min.or(max), max.or(min)) else {
        return Vec::new();
    };
    (low.get()..=high.get()).collect()
}

/// TRL counts, lowest level first, empty levels left out.
pub(crate) fn trl_counts(raw: &[FacetValue]) -> Vec<FacetValue> {
    let mut values: Vec<FacetValue> = raw.iter().filter(|f| f.count > 0).cloned().collect();
    values.sort_by_key(|f| f.value.parse::<u8>().unwrap_or(u8::MAX));
    values
}

/// The areas listed, or [`ANYWHERE`] when none is.
fn areas_or_anywhere(areas: &[String]) -> Vec<String> {
    if areas.is_empty() {
        vec![ANYWHERE.to_owned()]
    } else {
        areas.to_vec()
    }
}

/// Country or region counts as people read them: for each listed area, the calls open to its
/// applicants — those listing it or an area containing it, and the unrestricted ones. `raw`
/// holds the engine's counts per facet value, [`ANYWHERE`] included; `chosen` areas stay listed
/// even at zero. (A call listing both an area and one inside it counts twice for the inner one.)
pub(crate) fn open_to_counts(raw: &[FacetValue], chosen: &[String]) -> Vec<FacetValue> {
    let count_of = |value: &str| raw.iter().find(|f| f.value == value).map_or(0, |f| f.count);
    let anywhere = count_of(ANYWHERE);
    let mut values: Vec<FacetValue> = raw
        .iter()
        .map(|f| f.value.clone())
        .chain(chosen.iter().cloned())
        .filter(|value| value != ANYWHERE)
        .fold(Vec::<String>::new(), |mut unique, value| {
            if !unique.contains(&value) {
                unique.push(value);
            }
            unique
        })
        .into_iter()
        .map(|value| FacetValue {
            count: anywhere + nuts_lineage(&value).map(count_of).sum::<u64>(),
            value,
        })
        .collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
}

/// Budget counts in bracket order (not by count: brackets are a scale), empty ones left out.
pub(crate) fn budget_counts(raw: &[FacetValue]) -> Vec<FacetValue> {
    BudgetRange::ALL
        .into_iter()
        .filter_map(|range| raw.iter().find(|f| f.value == range.as_str() && f.count > 0).cloned())
        .collect()
}

/// Status and deadline-window counts, in the order of [`crate::call::CallStatus::ALL`] and
/// [`ClosesWithin::ALL`].
pub(crate) fn time_facets(statuses: [u64; 3], windows: [u64; 3]) -> (Vec<FacetValue>, Vec<FacetValue>) {
    use crate::call::CallStatus;
    let listed = |values: [&str; 3], counts: [u64; 3]| -> Vec<FacetValue> {
        values
            .into_iter()
            .zip(counts)
            .map(|(value, count)| FacetValue {
                value: value.to_owned(),
                count,
            })
            .collect()
    };
    (
        listed(CallStatus::ALL.map(CallStatus::as_str), statuses),
        listed(ClosesWithin::ALL.map(ClosesWithin::as_str), windows),
    )
}

/// A result row as every engine shows it: the stored title and body, marked with the
/// query's words by the same matcher (so highlighting never depends on the engine).
pub(crate) fn hit(external_id: String, title: &str, body: &str, parsed: &highlight::ParsedQuery) -> SearchHit {
    use crate::text::tokenize;
    SearchHit {
        external_id,
        title: highlight::highlight(title, &tokenize(title), parsed),
        snippet: highlight::snippet(body, &tokenize(body), parsed, SNIPPET_CHARS),
    }
}

/// A filter dimension whose facet counts ignore its own filter (so the other values stay
/// choosable): engines count each filtered dimension with a query that leaves it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dimension {
    Programme,
    Kind,
    Country,
    Region,
    Budget,
    Trl,
    Domain,
    Sector,
    /// Derived at query time from the opening date and deadlines.
    Status,
    /// Derived at query time from the deadlines.
    Closes,
}

impl Dimension {
    /// Whether `query` filters on this dimension.
    pub(crate) fn is_filtered(self, query: &CallQuery) -> bool {
        match self {
            Dimension::Programme => !query.programmes.is_empty(),
            Dimension::Kind => !query.kinds.is_empty(),
            Dimension::Country => !query.countries.is_empty(),
            Dimension::Region => !query.regions.is_empty(),
            Dimension::Budget => !query.budgets.is_empty(),
            Dimension::Trl => !query.trl.is_empty(),
            Dimension::Domain => !query.domains.is_empty(),
            Dimension::Sector => !query.sectors.is_empty(),
            Dimension::Status => !query.statuses.is_empty(),
            Dimension::Closes => query.closes_within.is_some(),
        }
    }
}

/// A search's facets from what an engine counted: the raw values of each stored dimension in
/// [`COUNTED`] order, and the status and deadline-window counts (see [`time_facets`]).
pub(crate) fn assemble_facets(
    query: &CallQuery,
    counted: Vec<Vec<FacetValue>>,
    statuses: [u64; 3],
    windows: [u64; 3],
) -> Facets {
    let mut counted = counted.into_iter();
    let mut next = || counted.next().unwrap_or_default();
    let (programme, kind, country, region, budget, trl) = (next(), next(), next(), next(), next(), next());
    let (domain, sector) = (next(), next());
    let (status, closes_within) = time_facets(statuses, windows);
    Facets {
        programme,
        kind,
        status,
        country: open_to_counts(&country, &query.countries),
        region: open_to_counts(&region, &query.regions),
        budget: budget_counts(&budget),
        closes_within,
        trl: trl_counts(&trl),
        domain: with_chosen(domain, &query.domains),
        sector: with_chosen(sector, &query.sectors),
    }
}

/// Counts with the chosen values kept listed at zero (so they can be unticked), most frequent first.
pub(crate) fn with_chosen(mut values: Vec<FacetValue>, chosen: &[String]) -> Vec<FacetValue> {
    values.retain(|f| f.count > 0);
    for value in chosen {
        if !values.iter().any(|f| &f.value == value) {
            values.push(FacetValue {
                value: value.clone(),
                count: 0,
            });
        }
    }
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values
}

/// The stored dimensions every search counts.
pub(crate) const COUNTED: [Dimension; 8] = [
    Dimension::Programme,
    Dimension::Kind,
    Dimension::Country,
    Dimension::Region,
    Dimension::Budget,
    Dimension::Trl,
    Dimension::Domain,
    Dimension::Sector,
];

/// A change to apply to the index: to a call document unless `D` says otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexChange<D = CallDocument> {
    /// Add or replace the document with this external id.
    Upsert(Box<D>),
    /// Remove the document with this external id.
    Delete(String),
}

/// A search: free text plus the list's filters, sort and page.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// Filters, sort, page and the text (`query.text`).
    pub query: CallQuery,
    /// The instant statuses are derived at.
    pub now: DateTime<Utc>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// This page of hits, best first (or in the requested order).
    pub hits: Vec<SearchHit>,
    /// How many documents match in all.
    pub total: u64,
    /// Facet counts over all matching documents.
    pub facets: Facets,
}

/// Call documents in a search engine: what the catalogue searches.
#[async_trait]
pub trait CallIndex: Send + Sync {
    /// Applies changes; they are visible to searches once this returns.
    async fn apply(&self, changes: Vec<IndexChange>) -> Result<(), SearchError>;

    /// Runs a search.
    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError>;

    /// Titles that complete what the user is typing, best first.
    async fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError>;

    /// How many call documents the index holds.
    async fn document_count(&self) -> Result<u64, SearchError>;
}

/// Organisation documents in a search engine: what the partner directory searches.
#[async_trait]
pub trait OrganisationIndex: Send + Sync {
    /// Applies changes to organisation documents; visible to searches once this returns.
    async fn apply_organisations(&self, changes: Vec<IndexChange<OrganisationDocument>>) -> Result<(), SearchError>;

    /// Searches the organisations.
    async fn search_organisations(&self, query: &OrganisationQuery) -> Result<OrganisationResults, SearchError>;

    /// How many organisation documents the index holds.
    async fn organisation_count(&self) -> Result<u64, SearchError>;

    /// Organisation names that complete what the user is typing, best first.
    async fn suggest_organisations(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError>;
}

/// A search engine: both indexes, and what is about the engine as a whole.
#[async_trait]
pub trait SearchIndex: CallIndex + OrganisationIndex + 'static {
    /// The engine's name, for logs and health checks.
    fn name(&self) -> &'static str;

    /// Removes every document (calls and organisations).
    async fn clear(&self) -> Result<(), SearchError>;

    /// Which database (and schema) the documents were built from, as [`SearchIndex::set_source`]
    /// recorded it; `None` when nothing is recorded (a new index, or an engine that does not
    /// record it).
    async fn source(&self) -> Result<Option<String>, SearchError> {
        Ok(None)
    }

    /// Records which database (and schema) the documents now come from.
    async fn set_source(&self, _source: &str) -> Result<(), SearchError> {
        Ok(())
    }

    /// Reorganises the index for searching after a bulk load (a reindex calls it); engines
    /// that manage this themselves do nothing.
    async fn compact(&self) -> Result<(), SearchError> {
        Ok(())
    }
}

/// Rebuilds the index from the database: clears it, then writes every call and every
/// organisation in batches, reporting progress. Returns the number of documents written.
pub async fn reindex(
    store: &dyn crate::store::Store,
    index: &dyn SearchIndex,
    progress: &dyn crate::progress::Progress,
) -> anyhow::Result<u64> {
    use crate::store::IndexedEntity;
    const BATCH: u32 = 5_000;
    let counts = store.counts().await?;
    progress.start(counts.calls + counts.organisations);
    index.clear().await?;
    let mut written = 0_u64;
    for entity in [IndexedEntity::Call, IndexedEntity::Organisation] {
        let mut after = None::<String>;
        loop {
            let ids = match entity {
                IndexedEntity::Call => store.call_ids(after.as_deref(), BATCH).await?,
                IndexedEntity::Organisation => store.organisation_ids(after.as_deref(), BATCH).await?,
            };
            let Some(last) = ids.last().cloned() else {
                break;
            };
            // A document deleted since its id was read is simply not written.
            written += indexer::refresh(store, index, entity, &ids).await? as u64;
            progress.advance(ids.len() as u64);
            after = Some(last);
        }
    }
    index.compact().await?;
    progress.finish();
    Ok(written)
}

/// Whether a sort applies to searches with text (relevance) or falls back.
pub fn effective_sort(query: &CallQuery) -> CallSort {
    match (query.sort, query.text.trim().is_empty()) {
        (CallSort::Relevance, true) => CallSort::Deadline,
        (sort, _) => sort,
    }
}
