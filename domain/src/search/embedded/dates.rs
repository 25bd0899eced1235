//! A call's dates and budget as the embedded index reads them: once per segment into memory
//! ([`SegmentDates`]), then per match for the status rule and the deadline windows
//! ([`Timing`], counted and filtered by the facet pass) and for the date and budget sorts
//! ([`CallOrder`]).

use super::facet_pass::{Derived, DerivedSegment};
use super::segment_tables::{table_of, Tables};
use crate::call::CallStatus;
use crate::query::{CallQuery, CallSort, ClosesWithin};
use crate::search::{ALWAYS_TS, NEVER_TS};
use std::sync::Arc;
use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{SegmentSortKeyComputer, SortKeyComputer};
use tantivy::{DocId, Score, SegmentReader};

/// Every call of a segment: the numbers the status rule, the windows and the sorts read.
pub(super) struct SegmentDates {
    opens: Vec<i64>,
    closes: Vec<i64>,
    /// Call `d`'s deadlines are `deadlines[starts[d]..starts[d + 1]]`.
    starts: Vec<u32>,
    deadlines: Vec<i64>,
    published: Vec<i64>,
    budgets: Vec<i64>,
}

impl SegmentDates {
    /// Reads the fast fields of `segment`.
    pub(super) fn read(segment: &SegmentReader) -> tantivy::Result<SegmentDates> {
        let fields = segment.fast_fields();
        let docs = 0..segment.max_doc();
        let single = |name: &str, default: i64| -> tantivy::Result<Vec<i64>> {
            let column = fields.i64(name)?;
            Ok(docs.clone().map(|doc| column.first(doc).unwrap_or(default)).collect())
        };
        let all = fields.i64("deadline_ts")?;
        let mut starts = Vec::with_capacity(docs.len() + 1);
        let mut deadlines = Vec::new();
        for doc in docs.clone() {
            starts.push(deadlines.len() as u32);
            deadlines.extend(all.values_for_doc(doc));
        }
        starts.push(deadlines.len() as u32);
        Ok(SegmentDates {
            opens: single("opens_ts", ALWAYS_TS)?,
            closes: single("closes_ts", NEVER_TS)?,
            starts,
            deadlines,
            published: single("published_ts", i64::MIN)?,
            budgets: single("budget", -1)?,
        })
    }

    fn deadlines(&self, doc: DocId) -> &[i64] {
        &self.deadlines[self.starts[doc as usize] as usize..self.starts[doc as usize + 1] as usize]
    }

    /// The earliest deadline at or after `now`.
    fn next_deadline(&self, doc: DocId, now: i64) -> Option<i64> {
        self.deadlines(doc).iter().copied().filter(|at| *at >= now).min()
    }

    /// The status at `now` (0 open, 1 forthcoming, 2 closed), by the rule of the module
    /// documentation of the embedded index: closed, else forthcoming, else open.
    fn status(&self, doc: DocId, now: i64) -> usize {
        if self.closes[doc as usize] < now {
            2
        } else if self.opens[doc as usize] > now {
            1
        } else {
            0
        }
    }
}

/// Status counts (open, forthcoming, closed) and deadline-window counts ([`ClosesWithin::ALL`]).
pub(super) type TimeFruit = ([u64; 3], [u64; 3]);

/// The bit of the derived dimension "status".
const STATUS: u32 = 1;
/// The bit of the derived dimension "next deadline within".
const WINDOW: u32 = 1 << 1;

/// Status at `now` and how soon the next deadline is, as derived dimensions of the facet
/// pass: counted per call, and filtered on when the query asks.
pub(super) struct Timing {
    now: i64,
    /// Which statuses (open, forthcoming, closed) the query keeps, if it filters on status.
    statuses: Option<[bool; 3]>,
    /// The longest time to the next deadline the query keeps, in seconds, if any.
    window: Option<i64>,
    dates: Tables<SegmentDates>,
}

impl Timing {
    /// The status and window rules of `query` at `now`, over the segments' `dates`.
    pub(super) fn new(query: &CallQuery, now: i64, dates: Tables<SegmentDates>) -> Timing {
        let slot = |status: &CallStatus| match status {
            CallStatus::Open => 0,
            CallStatus::Forthcoming => 1,
            CallStatus::Closed => 2,
        };
        Timing {
            now,
            statuses: (!query.statuses.is_empty()).then(|| {
                let mut keeps = [false; 3];
                query.statuses.iter().for_each(|status| keeps[slot(status)] = true);
                keeps
            }),
            window: query.closes_within.map(ClosesWithin::seconds),
            dates,
        }
    }
}

/// [`Timing`] for one segment, with what it read of the current call.
pub(super) struct SegmentTiming {
    now: i64,
    statuses: Option<[bool; 3]>,
    window: Option<i64>,
    dates: Arc<SegmentDates>,
    status: usize,
    next: Option<i64>,
    counts: TimeFruit,
}

impl Derived for Timing {
    type Segment = SegmentTiming;

    fn for_segment(&self, segment: &SegmentReader) -> tantivy::Result<SegmentTiming> {
        Ok(SegmentTiming {
            now: self.now,
            statuses: self.statuses,
            window: self.window,
            dates: table_of(&self.dates, segment)?,
            status: 0,
            next: None,
            counts: ([0; 3], [0; 3]),
        })
    }

    fn merge(total: &mut TimeFruit, part: TimeFruit) {
        for i in 0..3 {
            total.0[i] += part.0[i];
            total.1[i] += part.1[i];
        }
    }
}

impl DerivedSegment for SegmentTiming {
    type Counts = TimeFruit;

    fn read(&mut self, doc: DocId) -> u32 {
        self.status = self.dates.status(doc, self.now);
        self.next = self.dates.next_deadline(doc, self.now);
        let mut failing = 0;
        if self.statuses.is_some_and(|keeps| !keeps[self.status]) {
            failing |= STATUS;
        }
        if let Some(window) = self.window {
            if self.next.is_none_or(|next| next > self.now + window) {
                failing |= WINDOW;
            }
        }
        failing
    }

    fn count(&mut self, counted: u32) {
        if counted & STATUS != 0 {
            self.counts.0[self.status] += 1;
        }
        if let (Some(next), true) = (self.next, counted & WINDOW != 0) {
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

/// The date and budget sorts: a key per call from its dates, without scoring the text.
pub(super) struct CallOrder {
    /// Deadline, newest or budget.
    pub sort: CallSort,
    /// The instant upcoming deadlines are counted from.
    pub now: i64,
    /// The segments' dates.
    pub dates: Tables<SegmentDates>,
}

impl SortKeyComputer for CallOrder {
    type SortKey = f64;
    type Child = SegmentCallOrder;
    type Comparator = NaturalComparator;

    fn segment_sort_key_computer(&self, segment: &SegmentReader) -> tantivy::Result<SegmentCallOrder> {
        Ok(SegmentCallOrder {
            sort: self.sort,
            now: self.now,
            dates: table_of(&self.dates, segment)?,
        })
    }
}

/// [`CallOrder`] for one segment.
pub(super) struct SegmentCallOrder {
    sort: CallSort,
    now: i64,
    dates: Arc<SegmentDates>,
}

impl SegmentSortKeyComputer for SegmentCallOrder {
    type SortKey = f64;
    type SegmentSortKey = f64;
    type SegmentComparator = NaturalComparator;

    /// Larger comes first.
    fn segment_sort_key(&mut self, doc: DocId, _score: Score) -> f64 {
        let dates = &self.dates;
        match self.sort {
            // Sooner upcoming deadlines first, then rolling calls, then closed ones.
            CallSort::Deadline => match dates.next_deadline(doc, self.now) {
                Some(at) => 1.0e12 - at as f64,
                None if dates.deadlines(doc).is_empty() => 1.0,
                None => 0.0,
            },
            CallSort::Newest => dates.published[doc as usize] as f64,
            CallSort::Budget => dates.budgets[doc as usize] as f64,
            CallSort::Relevance | CallSort::Title => 0.0,
        }
    }

    fn convert_segment_sort_key(&self, key: f64) -> f64 {
        key
    }
}
