//! The embedded index of organisations (the partner directory): the same text matching as
//! calls, and every facet dimension as a tantivy facet `/<dimension>/<value>`, counted and
//! filtered in one [`FacetPass`] (a region filter also keeps the regions inside it).

use super::facet_pass::{any_of, run_pass, Counted, FacetPass, Keeps, SegmentFacets};
use super::segment_tables::{SegmentTables, Tables};
use super::text::TextFields;
use super::{index_error, Handle};
use crate::organisation_query::{OrganisationQuery, OrganisationSort};
use crate::search::highlight::ParsedQuery;
use crate::search::organisations::{areas_of, assemble_organisation_facets, OrganisationDimension};
use crate::search::{IndexChange, OrganisationDocument, OrganisationResults, SearchError};
use std::path::Path;
use std::sync::Arc;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, FAST, STORED, STRING};
use tantivy::{Order, TantivyDocument, Term};

/// The facet path of the dual-use flag.
const DUAL_USE: &str = "dual_use";

/// The schema's fields.
#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    text: TextFields,
    /// [`OrganisationDocument::name_key`], for the name sort.
    name_key: Field,
    /// [`OrganisationDocument::headcount_key`], for the size sort.
    headcount: Field,
    /// Every dimension's values: what is counted.
    facets: Field,
    /// The dual-use flag: a filter only, kept apart so that counting reads fewer values.
    filters: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED),
            text: TextFields::add_to(&mut builder),
            name_key: builder.add_text_field("name_key", STRING | FAST),
            headcount: builder.add_i64_field("headcount", NumericOptions::default().set_fast()),
            facets: builder.add_facet_field("facets", FacetOptions::default()),
            filters: builder.add_facet_field("filters", FacetOptions::default()),
        };
        (builder.build(), fields)
    }
}

fn facet(dimension: &str, value: &str) -> Facet {
    Facet::from_path([dimension, value])
}

/// The organisations' index.
pub(super) struct OrganisationIndex {
    handle: Handle,
    fields: Fields,
    /// The counted facets of each segment.
    tables: SegmentTables<SegmentFacets>,
}

impl OrganisationIndex {
    /// Opens (or creates) the index in `dir`.
    pub(super) fn open(dir: &Path) -> Result<OrganisationIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Ok(OrganisationIndex {
            handle: Handle::open(dir, schema)?,
            fields,
            tables: SegmentTables::new(),
        })
    }

    /// A new index in memory.
    pub(super) fn in_memory() -> Result<OrganisationIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Ok(OrganisationIndex {
            handle: Handle::in_memory(schema)?,
            fields,
            tables: SegmentTables::new(),
        })
    }

    fn document(&self, org: &OrganisationDocument) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &org.external_id);
        f.text.fill(&mut doc, &org.name, &[], &org.body);
        doc.add_text(f.name_key, org.name_key());
        doc.add_i64(f.headcount, org.headcount_key());
        for dimension in OrganisationDimension::ALL {
            for value in org.values(dimension) {
                doc.add_facet(f.facets, facet(dimension.name(), &value));
            }
        }
        if org.dual_use {
            doc.add_facet(f.filters, facet(DUAL_USE, "true"));
        }
        doc
    }

    pub(super) fn apply(&self, changes: Vec<IndexChange<OrganisationDocument>>) -> Result<(), SearchError> {
        self.handle.apply(
            self.fields.id,
            changes,
            |org| self.document(org),
            |org| &org.external_id,
        )?;
        self.warm();
        Ok(())
    }

    /// Reads the facet tables of new segments right after a write, so that no search waits for them.
    fn warm(&self) {
        self.tables.read_ahead(&self.handle.reader.searcher(), read_facets);
    }

    pub(super) fn clear(&self) -> Result<(), SearchError> {
        self.handle.clear()
    }

    /// Names completing what the user is typing, best first.
    pub(super) fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        let searcher = self.handle.reader.searcher();
        self.fields.text.suggest(&searcher, prefix, limit).map_err(index_error)
    }

    pub(super) fn compact(&self) -> Result<(), SearchError> {
        self.handle.compact()?;
        self.warm();
        Ok(())
    }

    pub(super) fn document_count(&self) -> u64 {
        self.handle.document_count()
    }

    /// The text query and the dual-use filter: the dimensions' filters are applied by the
    /// [`FacetPass`] that counts them.
    fn base_query(&self, query: &OrganisationQuery, parsed: &ParsedQuery) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.fields.text.text_or_all(parsed))];
        if query.dual_use {
            let dual_use = Term::from_facet(self.fields.filters, &facet(DUAL_USE, "true"));
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(dual_use, IndexRecordOption::Basic)),
            ));
        }
        BooleanQuery::new(clauses)
    }

    pub(super) fn search(&self, query: &OrganisationQuery) -> Result<OrganisationResults, SearchError> {
        let searcher = self.handle.reader.searcher();
        let parsed = ParsedQuery::parse(&query.text, crate::text::tokenize);
        let main = self.base_query(query, &parsed);
        let tables = self.tables.of(&searcher, read_facets).map_err(index_error)?;
        let top = TopDocs::with_limit(query.per_page as usize).and_offset(query.offset() as usize);
        let (addresses, total, counts) = match query.effective_sort() {
            OrganisationSort::Relevance => {
                run_pass(&searcher, &main, counting_pass(query, tables, top.order_by_score()))
            }
            OrganisationSort::Name => {
                let top = top.order_by_string_fast_field("name_key", Order::Asc);
                run_pass(&searcher, &main, counting_pass(query, tables, top))
            }
            OrganisationSort::Size => {
                let top = top.order_by_fast_field::<i64>("headcount", Order::Desc);
                run_pass(&searcher, &main, counting_pass(query, tables, top))
            }
        }
        .map_err(index_error)?;
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            hits.push(self.fields.text.hit(&doc, self.fields.id, &parsed));
        }
        Ok(OrganisationResults {
            hits,
            total: total as u64,
            facets: assemble_organisation_facets(query, counts.counted),
        })
    }
}

/// Reads a segment's counted facets.
fn read_facets(segment: &tantivy::SegmentReader) -> tantivy::Result<SegmentFacets> {
    SegmentFacets::read(segment, "facets")
}

/// The pass that feeds `top` the organisations passing every filter, counts them, and
/// counts every dimension, in [`OrganisationDimension::ALL`] order.
fn counting_pass<C: Collector>(
    query: &OrganisationQuery,
    tables: Tables<SegmentFacets>,
    top: C,
) -> FacetPass<(C, Count), ()> {
    let counted = OrganisationDimension::ALL
        .into_iter()
        .map(|dimension| {
            let chosen = dimension.chosen(query);
            let filter = match dimension {
                OrganisationDimension::Region if !chosen.is_empty() => {
                    Some(
                        Arc::new(move |region: &str| areas_of(region).any(|area| chosen.iter().any(|c| c == area)))
                            as Keeps,
                    )
                }
                _ => any_of(chosen),
            };
            Counted {
                name: dimension.name(),
                filter,
            }
        })
        .collect();
    FacetPass {
        tables,
        counted,
        derived: (),
        page: (top, Count),
    }
}
