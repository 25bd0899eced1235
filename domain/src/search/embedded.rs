//! The embedded search index: tantivy on local disk (or in memory for tests and benches).
//!
//! Status is derived at query time from two numbers per call: `closes_ts` (the last
//! deadline, or never) and `opens_ts` (the opening date; "never" for a call announced
//! without one; "always" when unknown). A call is closed when `closes_ts < now`,
//! forthcoming when not closed and `opens_ts > now`, open otherwise — the rule of
//! `CallDates::status_at`, expressed as range queries.

use super::highlight::{allowed_typos, ParsedQuery, Token};
use super::{
    assemble_facets, effective_sort, hit, open_to_filter_values, CallDocument, Dimension, FacetValue, IndexChange,
    SearchError, SearchIndex, SearchRequest, SearchResults, COUNTED,
};
use crate::call::CallStatus;
use crate::query::{CallSort, ClosesWithin};
use async_trait::async_trait;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, Count, FacetCollector, SegmentCollector, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    STORED, STRING,
};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};

/// The name the text analyzer is registered under.
const ANALYZER: &str = "fundbridge";
/// Memory the writer may use before flushing a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// The score added to documents that match every word.
const ALL_WORDS_TIER: Score = 10_000.0;

/// The facet root a stored dimension is indexed under (the derived ones have none).
fn facet_root(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Programme => "/programme",
        Dimension::Kind => "/kind",
        Dimension::Country => "/country",
        Dimension::Region => "/region",
        Dimension::Budget => "/budget",
        Dimension::Trl => "/trl",
        Dimension::Status | Dimension::Closes => "",
    }
}

/// The schema's fields.
#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    identifiers: Field,
    /// Title, identifiers and body together: where typos and prefixes are matched.
    all: Field,
    /// The title in lower case, for sorting by title.
    title_sort: Field,
    body: Field,
    /// Programme, kind, country, region, budget bracket and TRL: the facets counted on every search
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
        let text = |stored: bool| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let number = || NumericOptions::default().set_indexed().set_fast();
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED),
            title: builder.add_text_field("title", text(true)),
            identifiers: builder.add_text_field("identifiers", text(false)),
            all: builder.add_text_field("all", text(false)),
            title_sort: builder.add_text_field("title_sort", STRING | FAST),
            body: builder.add_text_field("body", text(true)),
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
            "programme" | "kind" | "country" | "region" | "budget" | "trl" => self.counted,
            _ => self.facets,
        }
    }
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Splits text into normalised tokens exactly as the index does.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let token = stream.token();
        tokens.push(Token {
            range: token.offset_from..token.offset_to,
            text: token.text.clone(),
        });
    }
    tokens
}

fn facet(dimension: &str, value: &str) -> Facet {
    Facet::from_path([dimension, value])
}

struct Inner {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

/// The embedded index. Cloning shares it.
#[derive(Clone)]
pub struct EmbeddedIndex {
    inner: Arc<Inner>,
}

impl EmbeddedIndex {
    /// Opens the index in `dir`, creating it if needed. An index written by another
    /// schema version is rebuilt empty (it is derived data; a reindex fills it).
    pub fn open(dir: &Path) -> Result<EmbeddedIndex, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Index(format!("cannot create {}: {e}", dir.display())))?;
        let (schema, fields) = Fields::schema();
        let directory = tantivy::directory::MmapDirectory::open(dir).map_err(index_error)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(_)) => {
                tracing::warn!(dir = %dir.display(), "search index schema changed: starting a new index");
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::Index(e.to_string()))?;
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Index(e.to_string()))?;
                Index::create_in_dir(dir, schema).map_err(index_error)?
            }
            Err(error) => return Err(index_error(error)),
        };
        Self::with_index(index, fields)
    }

    /// A new index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<EmbeddedIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(mut index: Index, fields: Fields) -> Result<EmbeddedIndex, SearchError> {
        index.tokenizers().register(ANALYZER, analyzer());
        // Segments are searched in parallel, one thread per core: a broad query that must
        // score and count most documents then finishes in about half the time.
        index.set_default_multithread_executor().map_err(index_error)?;
        let writer = index.writer(WRITER_MEMORY).map_err(index_error)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(EmbeddedIndex {
            inner: Arc::new(Inner {
                reader,
                writer: Mutex::new(writer),
                fields,
            }),
        })
    }

    /// Runs `work` on the blocking pool: tantivy is synchronous.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, SearchError> + Send + 'static,
    ) -> Result<T, SearchError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|e| SearchError::Index(format!("search task failed: {e}")))?
    }
}

fn index_error(error: impl std::fmt::Display) -> SearchError {
    SearchError::Index(error.to_string())
}

impl Inner {
    fn document(&self, call: &CallDocument) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &call.external_id);
        doc.add_text(f.title, &call.title);
        for identifier in &call.identifiers {
            doc.add_text(f.identifiers, identifier);
        }
        doc.add_text(f.body, &call.body);
        doc.add_text(f.title_sort, call.title.to_lowercase());
        for text in std::iter::once(&call.title)
            .chain(&call.identifiers)
            .chain(std::iter::once(&call.body))
        {
            doc.add_text(f.all, text);
        }
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
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| SearchError::Index("index writer poisoned".into()))?;
        for change in changes {
            match change {
                IndexChange::Upsert(call) => {
                    writer.delete_term(Term::from_field_text(self.fields.id, &call.external_id));
                    writer.add_document(self.document(&call)).map_err(index_error)?;
                }
                IndexChange::Delete(id) => {
                    writer.delete_term(Term::from_field_text(self.fields.id, &id));
                }
            }
        }
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    fn clear(&self) -> Result<(), SearchError> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| SearchError::Index("index writer poisoned".into()))?;
        writer.delete_all_documents().map_err(index_error)?;
        writer.commit().map_err(index_error)?;
        self.reader.reload().map_err(index_error)
    }

    /// The query for one loose word: exact matches score most, typos and prefixes less.
    fn word_query(&self, word: &str, as_prefix: bool) -> Box<dyn Query> {
        let f = self.fields;
        let mut variants: Vec<Box<dyn Query>> = [(f.title, 3.0), (f.identifiers, 4.0), (f.body, 1.0)]
            .into_iter()
            .map(|(field, boost)| {
                let exact = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
                boosted(Box::new(exact), boost)
            })
            .collect();
        // Typos and prefixes: in the title (so a misspelt title word still ranks first) and once
        // more on the field holding every searchable word.
        for (field, weight) in [(f.title, 3.0), (f.all, 1.0)] {
            let loose = self.loose_variants(field, word, as_prefix);
            variants.extend(loose.into_iter().map(|(query, boost)| boosted(query, boost * weight)));
        }
        Box::new(BooleanQuery::union(variants))
    }

    /// The typo and prefix forms of a word in `field`, with their weights.
    fn loose_variants(&self, field: Field, word: &str, as_prefix: bool) -> Vec<(Box<dyn Query>, Score)> {
        let term = Term::from_field_text(field, word);
        let mut variants: Vec<(Box<dyn Query>, Score)> = Vec::new();
        let typos = allowed_typos(word.chars().count());
        if typos > 0 {
            variants.push((Box::new(FuzzyTermQuery::new(term.clone(), typos, true)), 0.5));
        }
        if as_prefix && word.chars().count() >= 2 {
            variants.push((Box::new(FuzzyTermQuery::new_prefix(term, 0, true)), 0.8));
        }
        variants
    }

    /// Whether a document has the word in any form, without scoring (for the all-words tier).
    fn word_presence(&self, word: &str, as_prefix: bool) -> Box<dyn Query> {
        let exact = TermQuery::new(Term::from_field_text(self.fields.all, word), IndexRecordOption::Basic);
        let mut forms: Vec<Box<dyn Query>> = vec![Box::new(exact)];
        forms.extend(
            self.loose_variants(self.fields.all, word, as_prefix)
                .into_iter()
                .map(|(query, _)| query),
        );
        Box::new(BooleanQuery::union(forms))
    }

    /// A quoted phrase, in the title or the body.
    fn phrase_query(&self, words: &[String]) -> Box<dyn Query> {
        let f = self.fields;
        let in_field = |field: Field| -> Box<dyn Query> {
            if words.len() == 1 {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &words[0]),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(
                    words.iter().map(|w| Term::from_field_text(field, w)).collect(),
                ))
            }
        };
        Box::new(BooleanQuery::union(vec![
            boosted(in_field(f.title), 3.0),
            in_field(f.body),
        ]))
    }

    /// The text part: every phrase must match; documents with all words rank first, but a
    /// document with only some of them still matches (more words never means zero hits).
    fn text_query(&self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        if parsed.is_empty() {
            return None;
        }
        let last = parsed.words.len().saturating_sub(1);
        let words: Vec<Box<dyn Query>> = parsed
            .words
            .iter()
            .enumerate()
            .map(|(i, word)| self.word_query(word, parsed.last_word_is_prefix && i == last))
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if words.len() > 1 {
            // A constant far above any BM25 score puts every all-words match in a tier of its own.
            let presence = parsed
                .words
                .iter()
                .enumerate()
                .map(|(i, word)| self.word_presence(word, parsed.last_word_is_prefix && i == last))
                .collect();
            let all_words = BooleanQuery::intersection(presence);
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(all_words), ALL_WORDS_TIER)),
            ));
        }
        clauses.extend(words.into_iter().map(|q| (Occur::Should, q)));
        for phrase in &parsed.phrases {
            clauses.push((Occur::Must, self.phrase_query(phrase)));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
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
        match self.text_query(parsed) {
            Some(text) => clauses.push((Occur::Must, text)),
            None => clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery))),
        }
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

    /// The best-matching titles only: no counts, facets or snippets (it runs on every keystroke).
    fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let Some(query) = self.text_query(&ParsedQuery::parse(prefix, tokenize)) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(limit).order_by_score())
            .map_err(index_error)?;
        let mut titles = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            titles.extend(
                doc.get_first(self.fields.title)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned),
            );
        }
        Ok(titles)
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
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
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            hits.push(hit(
                text(self.fields.id),
                &text(self.fields.title),
                &text(self.fields.body),
                &parsed,
            ));
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

fn boosted(query: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

#[async_trait]
impl SearchIndex for EmbeddedIndex {
    fn name(&self) -> &'static str {
        "embedded"
    }

    async fn apply(&self, changes: Vec<IndexChange>) -> Result<(), SearchError> {
        self.blocking(move |inner| inner.apply(changes)).await
    }

    async fn clear(&self) -> Result<(), SearchError> {
        self.blocking(|inner| inner.clear()).await
    }

    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let request = request.clone();
        self.blocking(move |inner| inner.search(&request)).await
    }

    async fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let prefix = prefix.to_owned();
        self.blocking(move |inner| inner.suggest(&prefix, limit.clamp(1, 20)))
            .await
    }

    async fn document_count(&self) -> Result<u64, SearchError> {
        self.blocking(|inner| Ok(inner.reader.searcher().num_docs())).await
    }
}
