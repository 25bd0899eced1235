//! The embedded search index: tantivy on local disk (or in memory for tests and benches).
//!
//! Status is derived at query time from two numbers per call: `closes_ts` (the last
//! deadline, or never) and `opens_ts` (the opening date; "never" for a call announced
//! without one; "always" when unknown). A call is closed when `closes_ts < now`,
//! forthcoming when not closed and `opens_ts > now`, open otherwise — the rule of
//! `CallDates::status_at`, applied per match by the facet pass ([`dates`]), which also
//! applies and counts every counted facet's filter ([`facet_pass`]).

mod dates;
mod facet_pass;
mod organisations;
mod segment_tables;
mod text;

use super::highlight::ParsedQuery;
use super::{
    assemble_facets, effective_sort, open_to_filter_values, CallDocument, CallIndex, Dimension, IndexChange,
    OrganisationIndex, SearchError, SearchIndex, SearchRequest, SearchResults, COUNTED,
};
use crate::organisation_query::OrganisationQuery;
use crate::query::{CallQuery, CallSort};
use crate::search::{OrganisationDocument, OrganisationResults};
use async_trait::async_trait;
use dates::{CallOrder, SegmentDates, Timing};
use facet_pass::{any_of, run_pass, Counted, FacetPass, SegmentFacets};
use segment_tables::{SegmentTables, Tables};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, FAST, STORED, STRING};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, SegmentReader, TantivyDocument, Term};
use text::TextFields;

/// Memory the writer may use before flushing a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The facet name a stored dimension is indexed under (the derived ones have none).
fn facet_name(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Programme => "programme",
        Dimension::Kind => "kind",
        Dimension::Country => "country",
        Dimension::Region => "region",
        Dimension::Budget => "budget",
        Dimension::Trl => "trl",
        Dimension::Domain => "domain",
        Dimension::Sector => "sector",
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
    deadline_ts: Field,
    published_ts: Field,
    budget: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let number = || NumericOptions::default().set_fast();
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED),
            text: TextFields::add_to(&mut builder),
            title_sort: builder.add_text_field("title_sort", STRING | FAST),
            counted: builder.add_facet_field("counted", FacetOptions::default()),
            facets: builder.add_facet_field("facets", FacetOptions::default()),
            opens_ts: builder.add_i64_field("opens_ts", number()),
            closes_ts: builder.add_i64_field("closes_ts", number()),
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
        // A background merge may hold some segments (merging them cannot be asked for then):
        // let it finish and group again, for up to two seconds.
        for _ in 0..20 {
            let mut segments = writer.index().searchable_segment_metas().map_err(index_error)?;
            if segments.len() <= parts {
                break;
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
            let mut all_merged = true;
            for (_, ids) in groups.into_iter().filter(|(_, ids)| ids.len() > 1) {
                // Only an optimisation: a failure leaves the segments as they are.
                if let Err(error) = writer.merge(&ids).wait() {
                    tracing::debug!(%error, "search index segments not merged now");
                    all_merged = false;
                }
            }
            if all_merged {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
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
    /// The counted facets of each segment.
    facets: SegmentTables<SegmentFacets>,
    /// The dates and budget of each segment's calls.
    dates: SegmentTables<SegmentDates>,
}

/// The embedded index: calls in its folder, organisations in a folder inside it. Cloning shares it.
#[derive(Clone)]
pub struct EmbeddedIndex {
    inner: Arc<Inner>,
    organisations: Arc<organisations::OrganisationIndex>,
    source: Arc<SourceRecord>,
}

/// Which database the documents were built from: a file in the index folder (kept in memory
/// for an index in memory).
struct SourceRecord {
    file: Option<std::path::PathBuf>,
    in_memory: std::sync::Mutex<Option<String>>,
}

impl SourceRecord {
    /// The name of the file in the index folder.
    const FILE_NAME: &'static str = "built-from";

    fn read(&self) -> Result<Option<String>, SearchError> {
        match &self.file {
            None => Ok(self.in_memory.lock().unwrap_or_else(|e| e.into_inner()).clone()),
            Some(file) => match std::fs::read_to_string(file) {
                Ok(text) => Ok(Some(text.trim().to_owned())),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(SearchError::Index(format!("{}: {error}", file.display()))),
            },
        }
    }

    fn write(&self, source: &str) -> Result<(), SearchError> {
        match &self.file {
            None => {
                *self.in_memory.lock().unwrap_or_else(|e| e.into_inner()) = Some(source.to_owned());
                Ok(())
            }
            Some(file) => {
                // Written beside, then renamed: a crash leaves the old record or the new one.
                let partial = file.with_extension("partial");
                std::fs::write(&partial, source)
                    .and_then(|()| std::fs::rename(&partial, file))
                    .map_err(|error| SearchError::Index(format!("{}: {error}", file.display())))
            }
        }
    }
}

impl EmbeddedIndex {
    /// Opens the index in `dir`, creating it if needed. An index written by another
    /// schema version is rebuilt empty (it is derived data; a reindex fills it).
    pub fn open(dir: &Path) -> Result<EmbeddedIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let handle = Handle::open(dir, schema)?;
        let organisations = organisations::OrganisationIndex::open(&dir.join("organisations"))?;
        Ok(EmbeddedIndex::with(
            handle,
            fields,
            organisations,
            Some(dir.join(SourceRecord::FILE_NAME)),
        ))
    }

    /// A new index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<EmbeddedIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        let handle = Handle::in_memory(schema)?;
        Ok(EmbeddedIndex::with(
            handle,
            fields,
            organisations::OrganisationIndex::in_memory()?,
            None,
        ))
    }

    fn with(
        handle: Handle,
        fields: Fields,
        organisations: organisations::OrganisationIndex,
        source_file: Option<std::path::PathBuf>,
    ) -> EmbeddedIndex {
        let calls = Inner {
            handle,
            fields,
            facets: SegmentTables::new(),
            dates: SegmentTables::new(),
        };
        EmbeddedIndex {
            inner: Arc::new(calls),
            organisations: Arc::new(organisations),
            source: Arc::new(SourceRecord {
                file: source_file,
                in_memory: std::sync::Mutex::new(None),
            }),
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
        )?;
        self.warm();
        Ok(())
    }

    fn compact(&self) -> Result<(), SearchError> {
        self.handle.compact()?;
        self.warm();
        Ok(())
    }

    /// The facet and date tables of `searcher`'s segments, reading those not read yet.
    fn tables(&self, searcher: &Searcher) -> tantivy::Result<(Tables<SegmentFacets>, Tables<SegmentDates>)> {
        Ok((
            self.facets.of(searcher, read_counted)?,
            self.dates.of(searcher, SegmentDates::read)?,
        ))
    }

    /// Reads the tables of new segments right after a write, so that no search waits for them.
    fn warm(&self) {
        let searcher = self.handle.reader.searcher();
        self.facets.read_ahead(&searcher, read_counted);
        self.dates.read_ahead(&searcher, SegmentDates::read);
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

    /// The text query and the filters that are never counted (SME-only, dual-use): the
    /// counted dimensions' filters are applied by the [`FacetPass`] that counts them.
    fn base_query(&self, request: &SearchRequest, parsed: &ParsedQuery) -> BooleanQuery {
        let query = &request.query;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.fields.text.text_or_all(parsed))];
        for (flag, dimension) in [(query.sme_only, "sme_only"), (query.dual_use, "dual_use")] {
            if flag {
                clauses.extend(
                    self.facet_filter(dimension, &["true".to_owned()])
                        .map(|q| (Occur::Must, q)),
                );
            }
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
        let parsed = ParsedQuery::parse(&request.query.text, crate::text::tokenize);
        let now = request.now.timestamp();
        let query = self.base_query(request, &parsed);
        let (facets, dates) = self.tables(&searcher).map_err(index_error)?;
        let per_page = request.query.per_page as usize;
        let top = TopDocs::with_limit(per_page).and_offset(request.query.offset() as usize);
        let tables = (facets, dates.clone());
        let (addresses, total, counts) = match effective_sort(&request.query) {
            CallSort::Relevance => run_pass(&searcher, &query, counting_pass(request, tables, top.order_by_score())),
            CallSort::Title => {
                let top = top.order_by_string_fast_field("title_sort", Order::Asc);
                run_pass(&searcher, &query, counting_pass(request, tables, top))
            }
            sort => {
                let top = top.order_by(CallOrder {
                    sort,
                    now,
                    dates: dates.clone(),
                });
                run_pass(&searcher, &query, counting_pass(request, tables, top))
            }
        }
        .map_err(index_error)?;
        let (statuses, windows) = counts.derived;
        let facets = assemble_facets(&request.query, counts.counted, statuses, windows);

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

/// Reads a segment's counted facets.
fn read_counted(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
    SegmentFacets::read(segment, "counted")
}

/// The pass that feeds `top` the calls passing every filter, counts them, and counts every facet.
fn counting_pass<C: Collector>(
    request: &SearchRequest,
    (facets, dates): (Tables<SegmentFacets>, Tables<SegmentDates>),
    top: C,
) -> FacetPass<(C, Count), Timing> {
    FacetPass {
        tables: facets,
        counted: counted_dimensions(&request.query),
        derived: Timing::new(&request.query, request.now.timestamp(), dates),
        page: (top, Count),
    }
}

/// The counted dimensions in [`COUNTED`] order, each with the query's filter on it. A
/// country or region filter also keeps calls for the areas containing it and for everyone.
fn counted_dimensions(query: &CallQuery) -> Vec<Counted> {
    COUNTED
        .iter()
        .map(|dimension| {
            let chosen: Vec<String> = match dimension {
                Dimension::Programme => query.programmes.clone(),
                Dimension::Kind => query.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
                Dimension::Country if !query.countries.is_empty() => open_to_filter_values(&query.countries),
                Dimension::Region if !query.regions.is_empty() => open_to_filter_values(&query.regions),
                Dimension::Budget => query.budgets.iter().map(|b| b.as_str().to_owned()).collect(),
                Dimension::Trl => query.trl.iter().map(u8::to_string).collect(),
                Dimension::Domain => query.domains.clone(),
                Dimension::Sector => query.sectors.clone(),
                _ => Vec::new(),
            };
            Counted {
                name: facet_name(*dimension),
                filter: any_of(chosen),
            }
        })
        .collect()
}

#[async_trait]
impl SearchIndex for EmbeddedIndex {
    fn name(&self) -> &'static str {
        "embedded"
    }

    async fn clear(&self) -> Result<(), SearchError> {
        blocking(&self.inner, |inner| inner.handle.clear()).await?;
        blocking(&self.organisations, |organisations| organisations.clear()).await
    }

    async fn source(&self) -> Result<Option<String>, SearchError> {
        blocking(&self.source, SourceRecord::read).await
    }

    async fn set_source(&self, source: &str) -> Result<(), SearchError> {
        let source = source.to_owned();
        blocking(&self.source, move |record| record.write(&source)).await
    }

    async fn compact(&self) -> Result<(), SearchError> {
        blocking(&self.inner, |inner| inner.compact()).await?;
        blocking(&self.organisations, |organisations| organisations.compact()).await
    }
}

#[async_trait]
impl CallIndex for EmbeddedIndex {
    async fn apply(&self, changes: Vec<IndexChange>) -> Result<(), SearchError> {
        blocking(&self.inner, move |inner| inner.apply(changes)).await
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
}

#[async_trait]
impl OrganisationIndex for EmbeddedIndex {
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
}
