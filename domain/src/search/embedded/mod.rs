//! The embedded search index: tantivy on local disk (or in memory for tests and benches).
//!
//! Status is derived at query time from two numbers per call: `closes_ts` (the last
//! deadline, or never) and `opens_ts` (the opening date; "never" for a call announced
//! without one; "always" when unknown). A call is closed when `closes_ts < now`,
//! forthcoming when not closed and `opens_ts > now`, open otherwise — the rule of
//! `CallDates::status_at`, expressed as range queries.

mod organisations;
mod text;

use super::highlight::ParsedQuery;
use super::{
    assemble_facets, effective_sort, open_to_filter_values, CallDocument, Dimension, FacetValue, IndexChange,
    SearchError, SearchIndex, SearchRequest, SearchResults, COUNTED,
};
use crate::call::CallStatus;
use crate::organisation_query::OrganisationQuery;
use crate::query::{CallSort, ClosesWithin};
use crate::search::{OrganisationDocument, OrganisationResults};
use async_trait::async_trait;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, Count, FacetCollector, SegmentCollector, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, FAST, STORED, STRING};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};
pub(crate) use text::tokenize;
use text::TextFields;

/// Memory the writer may use before flushing a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The facet root a stored dimension is indexed under (the derived ones have none).
fn facet_root(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Programme => "/programme",
        Dimension::Kind => "/kind",
        Dimension::Country => "/country",
        Dimension::Region => "/region",
        Dimension::Budget => "/budget",
        Dimension::Trl => "/trl",
        Dimension::Domain => "/domain",
        Dimension::Sector => "/sector",
        Dimension::Status | Dimension::Closes => "",
    }
}

/// The schema's fields.
#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    text: TextFields,
    /// The title in lower case, for sorting by title.
    title_sort: Field,
    /// Programme, kind, country, region, budget bracket, TRL, domain and sector: the facets counted on every search
    /// (kept apart so counting reads few values).
    counted: Field,
    /// Every other facet (SME-only, dual-use): filters only.
    facets: Field,
    opens_ts: Field,
    closes_ts: Field,
    /// The first deadline (the next one for most calls, read before the multi-valued `deadline_ts`).
    first_deadline_ts: Field,
    deadline_ts: Field,
    published_ts: Field,
    budget: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let number = || NumericOptions::default().set_indexed().set_fast();
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED),
            text: TextFields::add_to(&mut builder),
            title_sort: builder.add_text_field("title_sort", STRING | FAST),
            counted: builder.add_facet_field("counted", FacetOptions::default()),
            facets: builder.add_facet_field("facets", FacetOptions::default()),
            opens_ts: builder.add_i64_field("opens_ts", number()),
            closes_ts: builder.add_i64_field("closes_ts", number()),
            first_deadline_ts: builder.add_i64_field("first_deadline_ts", NumericOptions::default().set_fast()),
            deadline_ts: builder.add_i64_field("deadline_ts", number()),
            published_ts: builder.add_i64_field("published_ts", NumericOptions::default().set_fast()),
            budget: builder.add_i64_field("budget", NumericOptions::default().set_fast()),
        };
        (builder.build(), fields)
    }
}

impl Fields {
    /// The facet field a dimension is stored in.
    fn facet_field(&self, dimension: &str) -> Field {
        match dimension {
            "programme" | "kind" | "country" | "region" | "budget" | "trl" | "domain" | "sector" => self.counted,
            _ => self.facets,
        }
    }
}

fn facet(dimension: &str, value: &str) -> Facet {
    Facet::from_path([dimension, value])
}

/// An open tantivy index: its writer (one at a time) and its reader.
struct Handle {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
}

impl Handle {
    /// Opens the index in `dir` with `schema`, creating it if needed. An index written by
    /// another schema version is rebuilt empty (it is derived data; a reindex fills it).
    fn open(dir: &Path, schema: Schema) -> Result<Handle, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Index(format!("cannot create {}: {e}", dir.display())))?;
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(index_error)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(_)) => {
                tracing::warn!(dir = %dir.display(), "search index schema changed: starting a new index");
                // Only tantivy's own files: a folder inside (another index) is left alone.
                for entry in std::fs::read_dir(dir).map_err(index_error)? {
                    let path = entry.map_err(index_error)?.path();
                    if path.is_file() {
                        std::fs::remove_file(&path).map_err(index_error)?;
                    }
                }
                Index::create_in_dir(dir, schema).map_err(index_error)?
            }
            Err(error) => return Err(index_error(error)),
        };
        Handle::new(index)
    }

    /// A new index in memory (tests, benchmarks).
    fn in_memory(schema: Schema) -> Result<Handle, SearchError> {
        Handle::new(Index::create_in_ram(schema))
    }

    fn new(mut index: Index) -> Result<Handle, SearchError> {
        text::register_analyzer(&index);
        // Segments are searched in parallel, one thread per core: a broad query that must
        // score and count most documents then finishes in about half the time.
        index.set_default_multithread_executor().map_err(index_error)?;
        let writer = index.writer(WRITER_MEMORY).map_err(index_error)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(Handle {
            reader,
            writer: Mutex::new(writer),
        })
    }

    /// Runs `work` with the writer, commits, and makes the result visible to searches.
    fn write(&self, work: impl FnOnce(&mut IndexWriter) -> Result<(), SearchError>) -> Result<(), SearchError> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| SearchError::Index("index writer poisoned".into()))?;
        work(&mut writer)?;
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    /// Applies upserts and deletions keyed by the `id` field.
    fn apply<D>(
        &self,
        id: Field,
        changes: Vec<IndexChange<D>>,
        document: impl Fn(&D) -> TantivyDocument,
        external_id: impl Fn(&D) -> &str,
    ) -> Result<(), SearchError> {
        self.write(|writer| {
            for change in changes {
                match change {
                    IndexChange::Upsert(doc) => {
                        writer.delete_term(Term::from_field_text(id, external_id(&doc)));
                        writer.add_document(document(&doc)).map_err(index_error)?;
                    }
                    IndexChange::Delete(key) => {
                        writer.delete_term(Term::from_field_text(id, &key));
                    }
                }
            }
            Ok(())
        })
    }

    /// Merges the segments into one per core (balanced by document count): after a bulk
    /// load, searches then set up once per core instead of once per small segment.
    fn compact(&self) -> Result<(), SearchError> {
        let parts = std::thread::available_parallelism().map_or(1, usize::from);
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| SearchError::Index("index writer poisoned".into()))?;
        let mut segments = writer.index().searchable_segment_metas().map_err(index_error)?;
        if segments.len() <= parts {
            return Ok(());
        }
        // Largest first, each into the part with the fewest documents so far.
        segments.sort_by_key(|meta| std::cmp::Reverse(meta.num_docs()));
        let mut groups: Vec<(u64, Vec<tantivy::index::SegmentId>)> = vec![(0, Vec::new()); parts];
        for meta in segments {
            let lightest = groups
                .iter_mut()
                .min_by_key(|(docs, _)| *docs)
                .expect("at least one part");
            lightest.0 += u64::from(meta.num_docs());
            lightest.1.push(meta.id());
        }
        for (_, ids) in groups.into_iter().filter(|(_, ids)| ids.len() > 1) {
            // Only an optimisation: segments a background merge holds are left as they are.
            if let Err(error) = writer.merge(&ids).wait() {
                tracing::info!(%error, "search index segments not merged now");
            }
        }
        drop(writer);
        self.reader.reload().map_err(index_error)
    }

    /// Removes every document.
    fn clear(&self) -> Result<(), SearchError> {
        self.write(|writer| writer.delete_all_documents().map(|_| ()).map_err(index_error))
    }

    /// How many documents are searchable.
    fn document_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// The calls' index.
struct Inner {
    handle: Handle,
    fields: Fields,
}

/// The embedded index: calls in its folder, organisations in a folder inside it. Cloning shares it.
#[derive(Clone)]
pub struct EmbeddedIndex {
    inner: Arc<Inner>,
    organisations: Arc<organisations::OrganisationIndex>,
}

impl EmbeddedIndex {
    /// Opens the index in `dir`, creating it if needed. An index written by another
    /// schema version is rebuilt empty (it is derived data; a reindex fills it).
    pub fn open(dir: &Path) -> Result<EmbeddedIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let handle = Handle::open(dir, schema)?;
        let organisations = organisations::OrganisationIndex::open(&dir.join("organisations"))?;
        Ok(EmbeddedIndex::with(Inner { handle, fields }, organisations))
    }

    /// A new index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<EmbeddedIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let handle = Handle::in_memory(schema)?;
        Ok(EmbeddedIndex::with(
            Inner { handle, fields },
            organisations::OrganisationIndex::in_memory()?,
        ))
    }

    fn with(calls: Inner, organisations: organisations::OrganisationIndex) -> EmbeddedIndex {
        EmbeddedIndex {
            inner: Arc::new(calls),
            organisations: Arc::new(organisations),
        }
    }
}

/// Runs `work` on the blocking pool: tantivy is synchronous.
async fn blocking<S: Send + Sync + 'static, T: Send + 'static>(
    state: &Arc<S>,
    work: impl FnOnce(&S) -> Result<T, SearchError> + Send + 'static,
) -> Result<T, SearchError> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|e| SearchError::Index(format!("search task failed: {e}")))?
}

fn index_error(error: impl std::fmt::Display) -> SearchError {
    SearchError::Index(error.to_string())
}

impl Inner {
    fn document(&self, call: &CallDocument) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &call.external_id);
        f.text.fill(&mut doc, &call.title, &call.identifiers, &call.body);
        doc.add_text(f.title_sort, call.title.to_lowercase());
        doc.add_facet(f.counted, facet("programme", &call.programme));
        doc.add_facet(f.counted, facet("kind", call.instrument_kind.as_str()));
        for country in call.country_terms() {
            doc.add_facet(f.counted, facet("country", &country));
        }
        if let Some(range) = call.budget_range() {
            doc.add_facet(f.counted, facet("budget", range.as_str()));
        }
        for level in &call.trl_levels {
            doc.add_facet(f.counted, facet("trl", &level.to_string()));
        }
        for region in call.region_terms() {
            doc.add_facet(f.counted, facet("region", &region));
        }
        for domain in &call.domains {
            doc.add_facet(f.counted, facet("domain", domain));
        }
        for sector in &call.sectors {
            doc.add_facet(f.counted, facet("sector", sector));
        }
        doc.add_facet(
            f.facets,
            facet("sme_only", if call.sme_only { "true" } else { "false" }),
        );
        doc.add_facet(
            f.facets,
            facet("dual_use", if call.dual_use { "true" } else { "false" }),
        );
        doc.add_i64(f.opens_ts, call.opens_ts());
        doc.add_i64(f.closes_ts, call.closes_ts());
        doc.add_i64(
            f.first_deadline_ts,
            call.deadlines
                .iter()
                .map(|d| d.timestamp())
                .min()
                .unwrap_or(super::NEVER_TS),
        );
        for deadline in &call.deadlines {
            doc.add_i64(f.deadline_ts, deadline.timestamp());
        }
        doc.add_i64(f.published_ts, call.published_at.timestamp());
        doc.add_i64(f.budget, call.budget_eur.unwrap_or(-1));
        doc
    }

    fn apply(&self, changes: Vec<IndexChange>) -> Result<(), SearchError> {
        self.handle.apply(
            self.fields.id,
            changes,
            |call| self.document(call),
            |call| &call.external_id,
        )
    }

    fn facet_filter(&self, dimension: &str, values: &[String]) -> Option<Box<dyn Query>> {
        (!values.is_empty()).then(|| {
            let terms: Vec<Box<dyn Query>> = values
                .iter()
                .map(|value| -> Box<dyn Query> {
                    Box::new(TermQuery::new(
                        Term::from_facet(self.fields.facet_field(dimension), &facet(dimension, value)),
                        IndexRecordOption::Basic,
                    ))
                })
                .collect();
            Box::new(BooleanQuery::union(terms)) as Box<dyn Query>
        })
    }

    /// Documents whose status at `now` is one of `statuses`.
    fn status_filter(&self, statuses: &[CallStatus], now: i64) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let range = |field: Field, lower: Bound<i64>, upper: Bound<i64>| -> Box<dyn Query> {
            let term = |v: i64| Term::from_field_i64(field, v);
            Box::new(RangeQuery::new(lower.map(term), upper.map(term)))
        };
        let not_closed = || range(f.closes_ts, Bound::Included(now), Bound::Included(i64::MAX));
        let one = |status: CallStatus| -> Box<dyn Query> {
            match status {
                CallStatus::Closed => range(f.closes_ts, Bound::Included(i64::MIN), Bound::Excluded(now)),
                CallStatus::Forthcoming => Box::new(BooleanQuery::intersection(vec![
                    not_closed(),
                    range(f.opens_ts, Bound::Excluded(now), Bound::Included(i64::MAX)),
                ])),
                CallStatus::Open => Box::new(BooleanQuery::intersection(vec![
                    not_closed(),
                    range(f.opens_ts, Bound::Included(i64::MIN), Bound::Included(now)),
                ])),
            }
        };
        (!statuses.is_empty())
            .then(|| Box::new(BooleanQuery::union(statuses.iter().map(|s| one(*s)).collect())) as Box<dyn Query>)
    }

    /// The text query and every filter except the one of `skip` (facet counts for a
    /// dimension ignore that dimension's own filter, so the other values stay choosable).
    fn query_without(&self, request: &SearchRequest, parsed: &ParsedQuery, skip: Option<Dimension>) -> BooleanQuery {
        let query = &request.query;
        let kinds: Vec<String> = query.kinds.iter().map(|k| k.as_str().to_owned()).collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        clauses.push((Occur::Must, self.fields.text.text_or_all(parsed)));
        if skip != Some(Dimension::Programme) {
            clauses.extend(
                self.facet_filter("programme", &query.programmes)
                    .map(|q| (Occur::Must, q)),
            );
        }
        if skip != Some(Dimension::Kind) {
            clauses.extend(self.facet_filter("kind", &kinds).map(|q| (Occur::Must, q)));
        }
        for (flag, dimension) in [(query.sme_only, "sme_only"), (query.dual_use, "dual_use")] {
            if flag {
                clauses.extend(
                    self.facet_filter(dimension, &["true".to_owned()])
                        .map(|q| (Occur::Must, q)),
                );
            }
        }
        if skip != Some(Dimension::Country) && !query.countries.is_empty() {
            clauses.extend(
                self.facet_filter("country", &open_to_filter_values(&query.countries))
                    .map(|q| (Occur::Must, q)),
            );
        }
        if skip != Some(Dimension::Region) && !query.regions.is_empty() {
            clauses.extend(
                self.facet_filter("region", &open_to_filter_values(&query.regions))
                    .map(|q| (Occur::Must, q)),
            );
        }
        if skip != Some(Dimension::Budget) {
            let budgets: Vec<String> = query.budgets.iter().map(|b| b.as_str().to_owned()).collect();
            clauses.extend(self.facet_filter("budget", &budgets).map(|q| (Occur::Must, q)));
        }
        if skip != Some(Dimension::Trl) {
            let levels: Vec<String> = query.trl.iter().map(u8::to_string).collect();
            clauses.extend(self.facet_filter("trl", &levels).map(|q| (Occur::Must, q)));
        }
        if skip != Some(Dimension::Domain) {
            clauses.extend(self.facet_filter("domain", &query.domains).map(|q| (Occur::Must, q)));
        }
        if skip != Some(Dimension::Sector) {
            clauses.extend(self.facet_filter("sector", &query.sectors).map(|q| (Occur::Must, q)));
        }
        if skip != Some(Dimension::Status) {
            clauses.extend(
                self.status_filter(&query.statuses, request.now.timestamp())
                    .map(|q| (Occur::Must, q)),
            );
        }
        if let (Some(window), true) = (query.closes_within, skip != Some(Dimension::Closes)) {
            // Some deadline in [now, now + window] is the same as the next one being in it.
            let now = request.now.timestamp();
            let term = |v: i64| Term::from_field_i64(self.fields.deadline_ts, v);
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(term(now)),
                    Bound::Included(term(now + window.seconds())),
                )),
            ));
        }
        BooleanQuery::new(clauses)
    }

    /// The best-matching titles only (it runs on every keystroke).
    fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let searcher = self.handle.reader.searcher();
        self.fields.text.suggest(&searcher, prefix, limit).map_err(index_error)
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.handle.reader.searcher();
        let parsed = ParsedQuery::parse(&request.query.text, tokenize);
        let now = request.now.timestamp();
        let query = self.query_without(request, &parsed, None);

        let per_page = request.query.per_page as usize;
        let top = TopDocs::with_limit(per_page).and_offset(request.query.offset() as usize);
        let facet_collector = || {
            let mut collector = FacetCollector::for_field("counted");
            for dimension in COUNTED {
                collector.add_facet(Facet::from(facet_root(dimension)));
            }
            collector
        };
        let statuses = TimeCounts { now };
        let (addresses, total, main_counts, main_statuses): (Vec<DocAddress>, usize, _, _) =
            match effective_sort(&request.query) {
                CallSort::Relevance => {
                    let collectors = (top.order_by_score(), Count, facet_collector(), statuses);
                    let (top, count, facets, statuses) = searcher.search(&query, &collectors).map_err(index_error)?;
                    (top.into_iter().map(|(_, a)| a).collect(), count, facets, statuses)
                }
                CallSort::Title => {
                    let top = top.order_by_string_fast_field("title_sort", Order::Asc);
                    let collectors = (top, Count, facet_collector(), statuses);
                    let (top, count, facets, statuses) = searcher.search(&query, &collectors).map_err(index_error)?;
                    (top.into_iter().map(|(_, a)| a).collect(), count, facets, statuses)
                }
                sort => {
                    let top = top.tweak_score(move |segment: &SegmentReader| sort_key(segment, sort, now));
                    let collectors = (top, Count, facet_collector(), statuses);
                    let (top, count, facets, statuses) = searcher.search(&query, &collectors).map_err(index_error)?;
                    (top.into_iter().map(|(_, a)| a).collect(), count, facets, statuses)
                }
            };

        // A dimension without a filter of its own can take its counts from the main pass.
        let counts_for = |dimension: Dimension, filtered: bool| -> Result<Vec<FacetValue>, SearchError> {
            let name = facet_root(dimension);
            let owned;
            let counts = if filtered {
                owned = searcher
                    .search(
                        &self.query_without(request, &parsed, Some(dimension)),
                        &facet_collector(),
                    )
                    .map_err(index_error)?;
                &owned
            } else {
                &main_counts
            };
            let mut values: Vec<FacetValue> = counts
                .get(name)
                .map(|(facet, count)| FacetValue {
                    value: facet.to_path().last().map(|s| (*s).to_owned()).unwrap_or_default(),
                    count,
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            Ok(values)
        };
        let query = &request.query;
        let counted = COUNTED
            .iter()
            .map(|dimension| counts_for(*dimension, dimension.is_filtered(query)))
            .collect::<Result<Vec<_>, _>>()?;

        // Status and deadline-window counts come from the main pass unless their own filter narrowed it.
        let time_counts_without = |dimension: Dimension| {
            searcher
                .search(
                    &self.query_without(request, &parsed, Some(dimension)),
                    &TimeCounts { now },
                )
                .map_err(index_error)
        };
        let status_counts = if query.statuses.is_empty() {
            main_statuses.0
        } else {
            time_counts_without(Dimension::Status)?.0
        };
        let window_counts = if query.closes_within.is_none() {
            main_statuses.1
        } else {
            time_counts_without(Dimension::Closes)?.1
        };
        let facets = assemble_facets(query, counted, status_counts, window_counts);

        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            hits.push(self.fields.text.hit(&doc, self.fields.id, &parsed));
        }
        Ok(SearchResults {
            hits,
            total: total as u64,
            facets,
        })
    }
}

/// Counts matching documents by status at `now` (open, forthcoming, closed) and by how
/// soon their next deadline is ([`ClosesWithin::ALL`]), in the same pass as the search,
/// from the fast fields the rules need.
struct TimeCounts {
    now: i64,
}

/// Status counts and deadline-window counts.
type TimeFruit = ([u64; 3], [u64; 3]);

/// [`TimeCounts`] for one segment.
struct SegmentTimeCounts {
    now: i64,
    opens: Arc<dyn ColumnValues<i64>>,
    closes: Arc<dyn ColumnValues<i64>>,
    first_deadlines: Arc<dyn ColumnValues<i64>>,
    deadlines: Option<tantivy::columnar::Column<i64>>,
    counts: TimeFruit,
}

impl Collector for TimeCounts {
    type Fruit = TimeFruit;
    type Child = SegmentTimeCounts;

    fn for_segment(&self, _ordinal: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentTimeCounts> {
        let column = |name: &str, default: i64| -> tantivy::Result<Arc<dyn ColumnValues<i64>>> {
            Ok(segment.fast_fields().i64(name)?.first_or_default_col(default))
        };
        Ok(SegmentTimeCounts {
            now: self.now,
            opens: column("opens_ts", super::ALWAYS_TS)?,
            closes: column("closes_ts", super::NEVER_TS)?,
            first_deadlines: column("first_deadline_ts", super::NEVER_TS)?,
            deadlines: segment.fast_fields().i64("deadline_ts").ok(),
            counts: ([0; 3], [0; 3]),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TimeFruit>) -> tantivy::Result<TimeFruit> {
        Ok(fruits.into_iter().fold(([0; 3], [0; 3]), |(mut a, mut b), (c, d)| {
            for i in 0..3 {
                a[i] += c[i];
                b[i] += d[i];
            }
            (a, b)
        }))
    }
}

impl SegmentCollector for SegmentTimeCounts {
    type Fruit = TimeFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        // The rule of the module documentation: closed, else forthcoming, else open.
        let closes = self.closes.get_val(doc);
        let slot = if closes < self.now {
            2
        } else if self.opens.get_val(doc) > self.now {
            1
        } else {
            0
        };
        self.counts.0[slot] += 1;
        if closes < self.now || closes == super::NEVER_TS {
            return; // closed or rolling: no deadline ahead
        }
        // Not closed, so the next deadline is the first one unless that has passed (a call
        // between two stages): only then are all its deadlines read.
        let first = self.first_deadlines.get_val(doc);
        let next = if first >= self.now {
            Some(first)
        } else {
            self.deadlines
                .as_ref()
                .and_then(|all| all.values_for_doc(doc).filter(|at| *at >= self.now).min())
        };
        if let Some(next) = next {
            for (i, window) in ClosesWithin::ALL.into_iter().enumerate() {
                if next <= self.now + window.seconds() {
                    self.counts.1[i] += 1;
                }
            }
        }
    }

    fn harvest(self) -> TimeFruit {
        self.counts
    }
}

/// The order key for non-relevance sorts (larger comes first).
fn sort_key(segment: &SegmentReader, sort: CallSort, now: i64) -> impl Fn(DocId, Score) -> f64 + use<> {
    let column = |name: &str| segment.fast_fields().i64(name).ok();
    let deadlines = column("deadline_ts");
    let published = column("published_ts");
    let budget = column("budget");
    move |doc: DocId, _score: Score| -> f64 {
        match sort {
            CallSort::Deadline => {
                let Some(deadlines) = &deadlines else {
                    return 0.0;
                };
                let mut any = false;
                let mut next: Option<i64> = None;
                for at in deadlines.values_for_doc(doc) {
                    any = true;
                    if at >= now {
                        next = Some(next.map_or(at, |n: i64| n.min(at)));
                    }
                }
                match (next, any) {
                    // Sooner upcoming deadlines first, then rolling calls, then closed ones.
                    (Some(at), _) => 1.0e12 - at as f64,
                    (None, false) => 1.0,
                    (None, true) => 0.0,
                }
            }
            CallSort::Newest => published.as_ref().and_then(|c| c.first(doc)).unwrap_or(i64::MIN) as f64,
            CallSort::Budget => budget.as_ref().and_then(|c| c.first(doc)).unwrap_or(-1) as f64,
            CallSort::Relevance | CallSort::Title => 0.0,
        }
    }
}

#[async_trait]
impl SearchIndex for EmbeddedIndex {
    fn name(&self) -> &'static str {
        "embedded"
    }

    async fn apply(&self, changes: Vec<IndexChange>) -> Result<(), SearchError> {
        blocking(&self.inner, move |inner| inner.apply(changes)).await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        blocking(&self.inner, |inner| inner.handle.clear()).await?;
        blocking(&self.organisations, |organisations| organisations.clear()).await
    }

    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let request = request.clone();
        blocking(&self.inner, move |inner| inner.search(&request)).await
    }

    async fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let prefix = prefix.to_owned();
        blocking(&self.inner, move |inner| inner.suggest(&prefix, limit.clamp(1, 20))).await
    }

    async fn document_count(&self) -> Result<u64, SearchError> {
        blocking(&self.inner, |inner| Ok(inner.handle.document_count())).await
    }

    async fn apply_organisations(&self, changes: Vec<IndexChange<OrganisationDocument>>) -> Result<(), SearchError> {
        blocking(&self.organisations, move |organisations| organisations.apply(changes)).await
    }

    async fn search_organisations(&self, query: &OrganisationQuery) -> Result<OrganisationResults, SearchError> {
        let query = query.clone();
        blocking(&self.organisations, move |organisations| organisations.search(&query)).await
    }

    async fn organisation_count(&self) -> Result<u64, SearchError> {
        blocking(&self.organisations, |organisations| Ok(organisations.document_count())).await
    }

    async fn suggest_organisations(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let prefix = prefix.to_owned();
        blocking(&self.organisations, move |organisations| {
            organisations.suggest(&prefix, limit.clamp(1, 20))
        })
        .await
    }

    async fn compact(&self) -> Result<(), SearchError> {
        blocking(&self.inner, |inner| inner.handle.compact()).await?;
        blocking(&self.organisations, |organisations| organisations.compact()).await
    }
}
