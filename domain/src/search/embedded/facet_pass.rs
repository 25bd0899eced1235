//! One pass over a search's text matches that both fills the page and counts every facet.
//!
//! A filtered dimension is counted without its own filter, so that its other values stay
//! choosable. Rather than searching again once per filtered dimension, the pass reads each
//! text match's facet values once and checks every filter itself: a document passing all of
//! them goes to the page and is counted everywhere; a document failing exactly one
//! dimension's filter is counted in that dimension only; any other document is skipped.

use super::segment_tables::{table_of, Tables};
use crate::search::FacetValue;
use std::collections::HashMap;
use std::sync::Arc;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// A segment's facet values read into memory once: what a search reads for every match.
pub(super) struct SegmentFacets {
    /// Document `d`'s facet ordinals are `ordinals[starts[d]..starts[d + 1]]`.
    starts: Vec<u32>,
    ordinals: Vec<u32>,
    /// Per ordinal: the facet's dimension (first path component) and value (the rest).
    facets: Vec<(String, String)>,
}

impl SegmentFacets {
    /// Reads the facet field `field` of `segment`.
    pub(super) fn read(segment: &SegmentReader, field: &str) -> tantivy::Result<SegmentFacets> {
        let reader = segment.facet_reader(field)?;
        let mut facets = Vec::with_capacity(reader.num_facets());
        // Facets are stored as their path's components joined by a zero byte.
        let mut stream = reader.facet_dict().stream()?;
        while stream.advance() {
            let mut parts = stream.key().splitn(2, |byte| *byte == 0);
            let mut text = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
            facets.push((text(), text()));
        }
        let mut starts = Vec::with_capacity(segment.max_doc() as usize + 1);
        let mut ordinals = Vec::new();
        for doc in 0..segment.max_doc() {
            starts.push(ordinals.len() as u32);
            ordinals.extend(reader.facet_ords(doc).map(|ordinal| ordinal as u32));
        }
        starts.push(ordinals.len() as u32);
        Ok(SegmentFacets {
            starts,
            ordinals,
            facets,
        })
    }

    fn of(&self, doc: DocId) -> &[u32] {
        &self.ordinals[self.starts[doc as usize] as usize..self.starts[doc as usize + 1] as usize]
    }
}

/// Whether a value of a dimension passes that dimension's filter.
pub(super) type Keeps = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// A filter keeping any of `values`; none when there are none.
pub(super) fn any_of(values: Vec<String>) -> Option<Keeps> {
    (!values.is_empty()).then(|| Arc::new(move |value: &str| values.iter().any(|v| v == value)) as Keeps)
}

/// A dimension a document belongs to through facet values `/<name>/<value>`.
pub(super) struct Counted {
    /// The facet's first path component.
    pub name: &'static str,
    /// The filter on it, when the search has one.
    pub filter: Option<Keeps>,
}

/// Dimensions derived per document from fast fields (a call's status at query time).
pub(super) trait Derived: Send + Sync {
    /// The per-segment reader.
    type Segment: DerivedSegment;
    /// Opens the fast fields of `segment`.
    fn for_segment(&self, segment: &SegmentReader) -> tantivy::Result<Self::Segment>;
    /// Merges two segments' counts.
    fn merge(total: &mut <Self::Segment as DerivedSegment>::Counts, part: <Self::Segment as DerivedSegment>::Counts);
}

/// [`Derived`] for one segment. Its dimensions are numbered from 0; at most 8.
pub(super) trait DerivedSegment: 'static {
    /// What is counted.
    type Counts: Default + Send + 'static;
    /// Reads `doc` and returns the bits of the derived dimensions whose filter it fails.
    fn read(&mut self, doc: DocId) -> u32;
    /// Counts the document last read in every derived dimension whose bit is in `counted`.
    fn count(&mut self, counted: u32);
    /// The counts.
    fn harvest(self) -> Self::Counts;
}

/// No derived dimensions.
impl Derived for () {
    type Segment = ();
    fn for_segment(&self, _segment: &SegmentReader) -> tantivy::Result<()> {
        Ok(())
    }
    fn merge(_total: &mut (), _part: ()) {}
}

impl DerivedSegment for () {
    type Counts = ();
    fn read(&mut self, _doc: DocId) -> u32 {
        0
    }
    fn count(&mut self, _counted: u32) {}
    fn harvest(self) {}
}

/// The counts of a pass: per counted dimension (in the order given), its values, most
/// frequent first; and the derived dimensions' counts.
pub(super) struct PassCounts<T> {
    /// Per counted dimension.
    pub counted: Vec<Vec<FacetValue>>,
    /// The derived dimensions'.
    pub derived: T,
}

/// The pass: `page` receives the documents that pass every filter.
pub(super) struct FacetPass<C, D> {
    /// The segments' facet tables.
    pub tables: Tables<SegmentFacets>,
    /// The counted dimensions, at most 24.
    pub counted: Vec<Counted>,
    /// The derived dimensions.
    pub derived: D,
    /// What collects the page (top documents, total).
    pub page: C,
}

/// What a pass found: the page's documents in order, how many passed every filter, and the counts.
pub(super) type PassResult<T> = (Vec<DocAddress>, usize, PassCounts<T>);

/// Runs `query` through `pass`.
pub(super) fn run_pass<K, C, D>(
    searcher: &Searcher,
    query: &dyn Query,
    pass: FacetPass<(C, Count), D>,
) -> tantivy::Result<PassResult<<D::Segment as DerivedSegment>::Counts>>
where
    C: Collector<Fruit = Vec<(K, DocAddress)>>,
    D: Derived,
{
    let ((top, total), counts) = searcher.search(query, &pass)?;
    Ok((top.into_iter().map(|(_, address)| address).collect(), total, counts))
}

/// A bit per derived dimension comes after the counted ones.
const DERIVED_SHIFT: u32 = 24;
/// Marks a facet value outside the counted dimensions.
const NOT_COUNTED: u8 = u8::MAX;

/// [`FacetPass`] for one segment.
pub(super) struct SegmentPass<S, T> {
    table: Arc<SegmentFacets>,
    /// Per facet ordinal: its dimension's index, or [`NOT_COUNTED`].
    dimension: Vec<u8>,
    /// Per facet ordinal: whether the value passes its dimension's filter.
    keeps: Vec<bool>,
    /// Per facet ordinal: matching documents counted.
    counts: Vec<u64>,
    /// The bits of the counted dimensions that have a filter.
    filtered: u32,
    derived: T,
    page: S,
}

impl<C: Collector, D: Derived> Collector for FacetPass<C, D> {
    type Fruit = (C::Fruit, PassCounts<<D::Segment as DerivedSegment>::Counts>);
    type Child = SegmentPass<C::Child, D::Segment>;

    fn for_segment(&self, ordinal: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let table = table_of(&self.tables, segment)?;
        let (mut dimension, mut keeps) = (
            Vec::with_capacity(table.facets.len()),
            Vec::with_capacity(table.facets.len()),
        );
        for (name, value) in &table.facets {
            match self.counted.iter().position(|d| d.name == name) {
                Some(index) => {
                    dimension.push(index as u8);
                    keeps.push(self.counted[index].filter.as_ref().is_none_or(|keeps| keeps(value)));
                }
                None => {
                    dimension.push(NOT_COUNTED);
                    keeps.push(true);
                }
            }
        }
        let filtered = self
            .counted
            .iter()
            .enumerate()
            .filter(|(_, d)| d.filter.is_some())
            .fold(0, |bits, (i, _)| bits | 1 << i);
        Ok(SegmentPass {
            counts: vec![0; table.facets.len()],
            table,
            dimension,
            keeps,
            filtered,
            derived: self.derived.for_segment(segment)?,
            page: self.page.for_segment(ordinal, segment)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.page.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(
            <C::Child as SegmentCollector>::Fruit,
            SegmentCounts<<D::Segment as DerivedSegment>::Counts>,
        )>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut pages = Vec::with_capacity(fruits.len());
        let mut counted: Vec<HashMap<String, u64>> = vec![HashMap::new(); self.counted.len()];
        let mut derived = Default::default();
        for (page, counts) in fruits {
            pages.push(page);
            for (index, value, count) in counts.counted {
                *counted[index as usize].entry(value).or_default() += count;
            }
            D::merge(&mut derived, counts.derived);
        }
        let counted = counted
            .into_iter()
            .map(|values| {
                let mut values: Vec<FacetValue> = values
                    .into_iter()
                    .map(|(value, count)| FacetValue { value, count })
                    .collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                values
            })
            .collect();
        Ok((self.page.merge_fruits(pages)?, PassCounts { counted, derived }))
    }
}

/// One segment's counts: (dimension index, value, count) and the derived counts.
pub(super) struct SegmentCounts<T> {
    counted: Vec<(u8, String, u64)>,
    derived: T,
}

impl<S: SegmentCollector, T: DerivedSegment> SegmentCollector for SegmentPass<S, T> {
    type Fruit = (S::Fruit, SegmentCounts<T::Counts>);

    fn collect(&mut self, doc: DocId, score: Score) {
        let ordinals = self.table.of(doc);
        // Start with every filtered dimension failing; a kept value clears its bit.
        let mut failing = self.filtered;
        for &ordinal in ordinals {
            let ordinal = ordinal as usize;
            if self.keeps[ordinal] && self.dimension[ordinal] != NOT_COUNTED {
                failing &= !(1 << self.dimension[ordinal]);
            }
        }
        if failing.count_ones() > 1 {
            return;
        }
        failing |= self.derived.read(doc) << DERIVED_SHIFT;
        if failing == 0 {
            self.page.collect(doc, score);
        } else if failing.count_ones() > 1 {
            return;
        }
        // Counted in every dimension when it passes everything, else only in the one it fails.
        for &ordinal in ordinals {
            let ordinal = ordinal as usize;
            let dimension = self.dimension[ordinal];
            if dimension != NOT_COUNTED && (failing == 0 || failing == 1 << dimension) {
                self.counts[ordinal] += 1;
            }
        }
        let derived = if failing == 0 {
            u32::MAX
        } else {
            failing >> DERIVED_SHIFT
        };
        if derived != 0 {
            self.derived.count(derived);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let counted = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(ordinal, count)| (self.dimension[ordinal], self.table.facets[ordinal].1.clone(), *count))
            .collect();
        (
            self.page.harvest(),
            SegmentCounts {
                counted,
                derived: self.derived.harvest(),
            },
        )
    }
}
