//! The embedded index of organisations (the partner directory): the same text matching as
//! calls, every facet dimension as a tantivy facet `/<dimension>/<value>`, and the region
//! filter on `/region_areas/…` so that a region finds the organisations in regions inside it.

use super::text::TextFields;
use super::{index_error, Handle};
use crate::organisation_query::{OrganisationQuery, OrganisationSort};
use crate::search::highlight::ParsedQuery;
use crate::search::organisations::{assemble_organisation_facets, OrganisationDimension};
use crate::search::{FacetValue, IndexChange, OrganisationDocument, OrganisationResults, SearchError};
use std::path::Path;
use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, FAST, STORED, STRING};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

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
    /// The region filter's areas and the dual-use flag: filters only, kept apart so that
    /// counting reads fewer values.
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
}

impl OrganisationIndex {
    /// Opens (or creates) the index in `dir`.
    pub(super) fn open(dir: &Path) -> Result<OrganisationIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Ok(OrganisationIndex {
            handle: Handle::open(dir, schema)?,
            fields,
        })
    }

    /// A new index in memory.
    pub(super) fn in_memory() -> Result<OrganisationIndex, SearchError> {
        let (schema, fields) = Fields::schema();
        Ok(OrganisationIndex {
            handle: Handle::in_memory(schema)?,
            fields,
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
        for area in org.region_areas() {
            doc.add_facet(f.filters, facet(OrganisationDimension::Region.filter_name(), &area));
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
        )
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
        self.handle.compact()
    }

    pub(super) fn document_count(&self) -> u64 {
        self.handle.document_count()
    }

    /// Documents with any of `values` under the facet `name`.
    fn any_of(&self, name: &str, values: &[String]) -> Box<dyn Query> {
        let field = if name == DUAL_USE || name == OrganisationDimension::Region.filter_name() {
            self.fields.filters
        } else {
            self.fields.facets
        };
        let terms: Vec<Box<dyn Query>> = values
            .iter()
            .map(|value| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    Term::from_facet(field, &facet(name, value)),
                    IndexRecordOption::Basic,
                ))
            })
            .collect();
        Box::new(BooleanQuery::union(terms))
    }

    /// The text query and every filter except `skip`'s.
    fn query_without(
        &self,
        query: &OrganisationQuery,
        parsed: &ParsedQuery,
        skip: Option<OrganisationDimension>,
    ) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.fields.text.text_or_all(parsed))];
        for dimension in OrganisationDimension::ALL {
            let chosen = dimension.chosen(query);
            if Some(dimension) != skip && !chosen.is_empty() {
                clauses.push((Occur::Must, self.any_of(dimension.filter_name(), &chosen)));
            }
        }
        if query.dual_use {
            clauses.push((Occur::Must, self.any_of(DUAL_USE, &["true".to_owned()])));
        }
        BooleanQuery::new(clauses)
    }

    pub(super) fn search(&self, query: &OrganisationQuery) -> Result<OrganisationResults, SearchError> {
        let searcher = self.handle.reader.searcher();
        let parsed = ParsedQuery::parse(&query.text, super::tokenize);
        let main = self.query_without(query, &parsed, None);
        let facet_collector = |dimensions: &[OrganisationDimension]| {
            let mut collector = FacetCollector::for_field("facets");
            for dimension in dimensions {
                collector.add_facet(Facet::from(format!("/{}", dimension.name()).as_str()));
            }
            collector
        };
        let top = TopDocs::with_limit(query.per_page as usize).and_offset(query.offset() as usize);
        let (addresses, total, main_counts): (Vec<DocAddress>, usize, FacetCounts) = match query.effective_sort() {
            OrganisationSort::Relevance => {
                let (top, total, counts) = searcher
                    .search(
                        &main,
                        &(
                            top.order_by_score(),
                            Count,
                            facet_collector(&OrganisationDimension::ALL),
                        ),
                    )
                    .map_err(index_error)?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
            OrganisationSort::Name => {
                let top = top.order_by_string_fast_field("name_key", Order::Asc);
                let (top, total, counts) = searcher
                    .search(&main, &(top, Count, facet_collector(&OrganisationDimension::ALL)))
                    .map_err(index_error)?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
            OrganisationSort::Size => {
                let top = top.order_by_fast_field::<i64>("headcount", Order::Desc);
                let (top, total, counts) = searcher
                    .search(&main, &(top, Count, facet_collector(&OrganisationDimension::ALL)))
                    .map_err(index_error)?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
        };
        // A filtered dimension is counted without its own filter, so its other values stay choosable.
        let mut raw = Vec::with_capacity(OrganisationDimension::ALL.len());
        for dimension in OrganisationDimension::ALL {
            let owned;
            let counts = if dimension.chosen(query).is_empty() {
                &main_counts
            } else {
                owned = searcher
                    .search(
                        &self.query_without(query, &parsed, Some(dimension)),
                        &facet_collector(&[dimension]),
                    )
                    .map_err(index_error)?;
                &owned
            };
            let root = format!("/{}", dimension.name());
            raw.push(
                counts
                    .get(&root)
                    .map(|(facet, count)| FacetValue {
                        value: facet.to_path().last().map(|s| (*s).to_owned()).unwrap_or_default(),
                        count,
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(index_error)?;
            hits.push(self.fields.text.hit(&doc, self.fields.id, &parsed));
        }
        Ok(OrganisationResults {
            hits,
            total: total as u64,
            facets: assemble_organisation_facets(query, raw),
        })
    }
}
