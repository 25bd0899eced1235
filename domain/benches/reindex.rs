//! Reindex benchmark: how long the search index takes to catch up with a database of 100k
//! generated calls and 100k generated organisations (in 500 clusters), and the process's
//! peak memory while it does.
//!
//! Two ways in: the indexer applying the outbox the writes left (what a server does after a
//! bulk import), then `search::reindex` rebuilding from scratch (what `fundbridge reindex`
//! does). Both read the store in batches of 500.
//!
//! Run: `cargo bench -p domain --features server --bench reindex` (`BENCH_CALLS=…` and
//! `BENCH_ORGANISATIONS=…` to resize; `BENCH_DATABASE_URL=postgres://…/db` to use an empty
//! PostgreSQL database instead of a temporary SQLite file).

use chrono::{NaiveDate, TimeZone, Utc};
use domain::demo::{self, DemoSize};
use domain::progress::Silent;
use domain::search::embedded::EmbeddedIndex;
use domain::search::{self, indexer, CallIndex, OrganisationIndex, SearchIndex};
use domain::store;
use std::time::Instant;

/// A size from the environment, or the default.
fn size(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The process's peak resident memory since the last [`reset_peak_memory`], in MiB.
fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kib / 1024.0
}

/// Starts a new peak-memory window (Linux: writing 5 to `clear_refs` resets `VmHWM`).
fn reset_peak_memory() {
    if let Err(error) = std::fs::write("/proc/self/clear_refs", "5") {
        eprintln!("cannot reset the peak-memory mark ({error}): peaks include the set-up");
    }
}

#[tokio::main]
async fn main() {
    let calls = size("BENCH_CALLS", 100_000);
    let organisations = size("BENCH_ORGANISATIONS", 100_000);
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let store = store::connect(&url).await.expect("open the benchmark database");

    let started = Instant::now();
    let size = DemoSize {
        calls,
        organisations,
        clusters: 500,
    };
    let data = demo::generate(1, anchor, size);
    data.write_to(store.as_ref(), now)
        .await
        .expect("write the generated data");
    let pending = store.index_lag().await.unwrap().pending;
    println!(
        "database ({}): {calls} calls, {organisations} organisations written in {:.1} s; {pending} index updates pending",
        store.backend().name(),
        started.elapsed().as_secs_f64()
    );
    drop(data);

    let started = Instant::now();
    let (mut after, mut read) = (None::<String>, 0);
    loop {
        let ids = store.call_ids(after.as_deref(), 500).await.unwrap();
        let Some(last) = ids.last().cloned() else { break };
        read += store.call_details(&ids, now).await.unwrap().len();
        after = Some(last);
    }
    let mut after = None::<String>;
    loop {
        let ids = store.organisation_ids(after.as_deref(), 500).await.unwrap();
        let Some(last) = ids.last().cloned() else { break };
        read += store.organisation_details(&ids).await.unwrap().len();
        after = Some(last);
    }
    println!(
        "store reads alone: {read} records in batches of 500 in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let index = EmbeddedIndex::open(&dir.path().join("index")).unwrap();
    reset_peak_memory();
    let started = Instant::now();
    let applied = indexer::apply_all_pending(store.as_ref(), &index).await.unwrap();
    index.compact().await.unwrap();
    println!(
        "outbox catch-up: {applied} updates applied in {:.1} s, peak RSS {:.0} MiB",
        started.elapsed().as_secs_f64(),
        peak_memory_mib()
    );

    reset_peak_memory();
    let started = Instant::now();
    let written = search::reindex(store.as_ref(), &index, &Silent).await.unwrap();
    println!(
        "full reindex: {written} documents in {:.1} s, peak RSS {:.0} MiB",
        started.elapsed().as_secs_f64(),
        peak_memory_mib()
    );
    let (documents, organisations_indexed) = (
        index.document_count().await.unwrap(),
        index.organisation_count().await.unwrap(),
    );
    assert_eq!(
        (documents as usize, organisations_indexed as usize),
        (calls, organisations),
        "every call and organisation is in the index"
    );
}
