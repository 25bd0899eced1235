//! Importers for official feeds. Each reads a file row by row, reports every bad row
//! with its line number, and writes the good rows idempotently by external id.

pub mod description;
pub mod eu_ftp;
pub mod regions;

pub use crate::progress::{Progress, ProgressBar, Silent};
use crate::store::{Store, StoreError, UpsertOutcome};
use anyhow::Context;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// A row that could not be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// Line number in the file (1-based; for CSV, the header is line 1).
    pub line: u64,
    /// What is wrong with it.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Rows read (excluding a CSV header and blank lines).
    pub read: u64,
    /// New records created.
    pub imported: u64,
    /// Existing records changed.
    pub updated: u64,
    /// Existing records already identical.
    pub unchanged: u64,
    /// Rows refused, with line numbers.
    pub rejected: Vec<RejectedRow>,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} rows read: {} imported, {} updated, {} unchanged, {} rejected",
            self.read,
            self.imported,
            self.updated,
            self.unchanged,
            self.rejected.len()
        )?;
        for row in &self.rejected {
            write!(f, "\n  line {}: {}", row.line, row.reason)?;
        }
        Ok(())
    }
}

/// The text of an import file, or an error naming it.
pub fn read_text(path: &std::path::Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A reader of CSV text with a header row; a leading byte-order mark is ignored and rows may
/// have fewer or more fields than the header.
pub fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

/// Reads every row after a CSV file's header with `parse`, each with its line number; a row
/// the CSV reader cannot read is refused with the reason.
pub fn csv_rows<T>(
    reader: &mut csv::Reader<&[u8]>,
    parse: impl Fn(&csv::StringRecord) -> Result<T, String>,
) -> Vec<(u64, Result<T, String>)> {
    reader
        .records()
        .map(|record| match record {
            Ok(record) => (record.position().map_or(0, |p| p.line()), parse(&record)),
            Err(error) => (
                error.position().map_or(0, |p| p.line()),
                Err(format!("unreadable CSV row: {error}")),
            ),
        })
        .collect()
}

/// Rows written per transaction.
const BATCH_SIZE: usize = 500;

/// What a store's batch write returns: one outcome per record, in order.
pub type BatchWrite<'b> = Pin<Box<dyn Future<Output = Result<Vec<UpsertOutcome>, StoreError>> + Send + 'b>>;

/// Writes parsed rows to `store` with `write` in transactions of [`BATCH_SIZE`] and sums up: bad rows
/// are reported with their line numbers and do not stop the rest; a key repeated in one
/// file is refused after its first row. `what` names a record in messages ("topic").
pub async fn write_rows<T>(
    store: &dyn Store,
    rows: Vec<(u64, Result<T, String>)>,
    what: &str,
    key: impl Fn(&T) -> &str,
    progress: &dyn Progress,
    write: impl for<'b> Fn(&'b dyn Store, &'b [T]) -> BatchWrite<'b>,
) -> anyhow::Result<ImportSummary> {
    let mut summary = ImportSummary {
        read: rows.len() as u64,
        ..ImportSummary::default()
    };
    let mut first_line_of: HashMap<String, u64> = HashMap::new();
    let mut records = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        match row {
            Ok(record) => match first_line_of.get(key(&record)) {
                Some(first) => summary.rejected.push(RejectedRow {
                    line,
                    reason: format!("{}: the same {what} already appears on line {first}", key(&record)),
                }),
                None => {
                    first_line_of.insert(key(&record).to_owned(), line);
                    records.push(record);
                }
            },
            Err(reason) => summary.rejected.push(RejectedRow { line, reason }),
        }
    }
    progress.start(summary.read);
    progress.advance(summary.rejected.len() as u64);
    for batch in records.chunks(BATCH_SIZE) {
        let outcomes = write(store, batch)
            .await
            .with_context(|| format!("writing {what}s to the database"))?;
        for outcome in outcomes {
            match outcome {
                UpsertOutcome::Inserted => summary.imported += 1,
                UpsertOutcome::Updated => summary.updated += 1,
                UpsertOutcome::Unchanged => summary.unchanged += 1,
            }
        }
        progress.advance(batch.len() as u64);
    }
    progress.finish();
    summary.rejected.sort_by_key(|row| row.line);
    Ok(summary)
}
