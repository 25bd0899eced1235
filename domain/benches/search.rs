//! Search benchmark: 100k generated calls in the embedded index on disk, then a fixed
//! query mix (single words, three words, typos, phrases; 0–3 filters; every sort).
//! Prints indexing time, latency percentiles and queries per second — and the same for
//! Meilisearch when `MEILI_URL` (and `MEILI_MASTER_KEY`) point at a server (index
//! `fundbridge-bench`, replaced on each run).
//!
//! Run: `cargo bench -p domain --features server --bench search` (`BENCH_CALLS=…` to resize).

use chrono::{NaiveDate, TimeZone, Utc};
use domain::demo::{self, DemoSize};
use domain::search::embedded::EmbeddedIndex;
use domain::search::meili::MeiliIndex;
use domain::search::{CallDocument, IndexChange, SearchIndex, SearchRequest};
use domain::{CallQuery, CallSort, CallStatus, InstrumentKind};
use std::time::{Duration, Instant};

const TEXTS: &[&str] = &[
    "quantum",
    "forensics",
    "drones",
    "secure cloud computing",
    "post-quantum cryptography smes",
    "critical infrastructure protection",
    "cybersecurty",
    "cryptograpy",
    "survelliance",
    "\"supply chains\"",
    "\"quantum key distribution\"",
    "",
];

/// The `i`-th query of the mix: a text, 0–3 filters and a sort, all chosen by `i`.
fn query(i: usize) -> CallQuery {
    let mut query = CallQuery::from_pairs([("q", TEXTS[i % TEXTS.len()])]);
    let filters = i % 4;
    if filters >= 1 {
        query.statuses = vec![CallStatus::Open];
    }
    if filters >= 2 {
        query.programmes = vec![["Horizon Europe", "InvestEU", "Digital Europe"][i % 3].to_owned()];
    }
    if filters >= 3 {
        query.kinds = vec![InstrumentKind::Grant, InstrumentKind::Loan];
    }
    query.sort = [
        CallSort::Relevance,
        CallSort::Deadline,
        CallSort::Newest,
        CallSort::Budget,
    ][(i / 4) % 4];
    query
}

/// The text as the query parser keeps it.
fn query_text(text: &str) -> String {
    CallQuery::from_pairs([("q", text)]).text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() {
    let calls: usize = std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();

    let started = Instant::now();
    let data = demo::generate(
        1,
        anchor,
        DemoSize {
            calls,
            organisations: 0,
            clusters: 0,
        },
    );
    let documents: Vec<CallDocument> = data
        .calls
        .iter()
        .map(|call| CallDocument::from_new_call(call, now))
        .collect();
    println!("generated {calls} calls in {:.2?}", started.elapsed());

    let dir = tempfile::tempdir().unwrap();
    let embedded = EmbeddedIndex::open(dir.path()).unwrap();
    run(&embedded, &documents, now).await;
    match std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty()) {
        Some(url) => {
            let key = std::env::var("MEILI_MASTER_KEY").ok();
            let meili = MeiliIndex::connect(&url, key.as_deref(), "fundbridge-bench")
                .await
                .unwrap();
            meili.clear().await.unwrap();
            run(&meili, &documents, now).await;
        }
        None => println!("meilisearch: skipped (MEILI_URL is not set)"),
    }
}

/// Indexes the documents in batches of 10,000, then runs and reports the query mix.
async fn run(index: &dyn SearchIndex, documents: &[CallDocument], now: chrono::DateTime<Utc>) {
    let name = index.name();
    let started = Instant::now();
    for batch in documents.chunks(10_000) {
        let changes = batch.iter().map(|d| IndexChange::Upsert(Box::new(d.clone()))).collect();
        index.apply(changes).await.unwrap();
    }
    let indexing = started.elapsed();
    println!(
        "{name}: {} documents indexed in {:.2?} ({:.0} docs/s)",
        index.document_count().await.unwrap(),
        indexing,
        documents.len() as f64 / indexing.as_secs_f64()
    );

    measure(index, (0..300).map(query), now).await; // warm-up
    let started = Instant::now();
    let latencies = measure(index, (0..3_000).map(query), now).await;
    let wall = started.elapsed();
    report(name, "all queries", &latencies, Some(wall));
    let with_text = measure(index, (0..1_200).map(query).filter(|q| !q.text.is_empty()), now).await;
    report(name, "with text", &with_text, None);
    let filters_only = measure(index, (0..1_200).map(query).filter(|q| q.text.is_empty()), now).await;
    report(name, "filters only", &filters_only, None);
    for text in TEXTS {
        let per_text = measure(index, (0..1_200).map(query).filter(|q| q.text == query_text(text)), now).await;
        report(name, &format!("{text:?}"), &per_text, None);
    }
}

/// Runs the queries one after another (one client) and returns each latency, sorted.
async fn measure(
    index: &dyn SearchIndex,
    queries: impl Iterator<Item = CallQuery>,
    now: chrono::DateTime<Utc>,
) -> Vec<Duration> {
    let mut latencies = Vec::new();
    for query in queries {
        let request = SearchRequest { query, now };
        let started = Instant::now();
        index.search(&request).await.unwrap();
        latencies.push(started.elapsed());
    }
    latencies.sort();
    latencies
}

fn report(engine: &str, label: &str, sorted: &[Duration], wall: Option<Duration>) {
    let rate = wall
        .map(|wall| format!("  {:.0} queries/s", sorted.len() as f64 / wall.as_secs_f64()))
        .unwrap_or_default();
    println!(
        "{engine} search, {label:<36} ({:>4} queries): p50 {:>9.2?}  p95 {:>9.2?}  p99 {:>9.2?}  max {:>9.2?}{rate}",
        sorted.len(),
        percentile(sorted, 50.0),
        percentile(sorted, 95.0),
        percentile(sorted, 99.0),
        sorted.last().copied().unwrap_or_default(),
    );
}
