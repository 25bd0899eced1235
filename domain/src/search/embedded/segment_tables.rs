//! Values read from a segment once and kept in memory for every later search of it:
//! segments never change, so a table lives until its segment is merged away.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::index::SegmentId;
use tantivy::{Searcher, SegmentReader};

/// The tables of one searcher's segments.
pub(super) type Tables<T> = HashMap<SegmentId, Arc<T>>;

/// A table of type `T` per segment, each read on its segment's first search.
pub(super) struct SegmentTables<T> {
    read: Mutex<Tables<T>>,
}

impl<T> SegmentTables<T> {
    /// No table read yet.
    pub(super) fn new() -> SegmentTables<T> {
        SegmentTables {
            read: Mutex::new(HashMap::new()),
        }
    }

    /// The tables of `searcher`'s segments, reading the missing ones with `read`; the tables
    /// of segments gone since are dropped.
    pub(super) fn of(
        &self,
        searcher: &Searcher,
        read: impl Fn(&SegmentReader) -> tantivy::Result<T>,
    ) -> tantivy::Result<Tables<T>> {
        let mut known = self.read.lock().unwrap_or_else(PoisonError::into_inner);
        let mut current = HashMap::new();
        for segment in searcher.segment_readers() {
            let id = segment.segment_id();
            let table = match known.get(&id) {
                Some(table) => Arc::clone(table),
                None => Arc::new(read(segment)?),
            };
            current.insert(id, table);
        }
        known.clone_from(&current);
        Ok(current)
    }

    /// Reads the tables of `searcher`'s new segments now (right after a write), so that no
    /// search waits for them; a failure is only logged (the next search reports it).
    pub(super) fn read_ahead(&self, searcher: &Searcher, read: impl Fn(&SegmentReader) -> tantivy::Result<T>) {
        if let Err(error) = self.of(searcher, read) {
            tracing::warn!(%error, "search index: segment tables not read ahead");
        }
    }
}

/// The table of `segment` among `tables`.
pub(super) fn table_of<T>(tables: &Tables<T>, segment: &SegmentReader) -> tantivy::Result<Arc<T>> {
    tables
        .get(&segment.segment_id())
        .cloned()
        .ok_or_else(|| tantivy::TantivyError::InternalError("no table read for a segment".into()))
}
