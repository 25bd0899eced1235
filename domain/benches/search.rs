//! Search benchmark: 100k generated calls and 100k generated organisations (in 500 clusters)
//! in the embedded index on disk, then a fixed query mix for each (single words, three
//! words, typos, phrases; 0–3 filters; every sort).
//! Prints indexing time, latency percentiles and queries per second — and the same for
//! Meilisearch when `MEILI_URL` (and `MEILI_MASTER_KEY`) point at a server (index
//! `fundbridge-bench`, replaced on each run).
//!
//! Run: `cargo bench -p domain --features server --bench search` (`BENCH_CALLS=…` and
//! `BENCH_ORGANISATIONS=…` to resize; `BENCH_ONLY=<text>` gives every call query that text,
//! to profile one kind of query).

use chrono::{NaiveDate, TimeZone, Utc};
use domain::cluster::ClusterRef;
use domain::demo::{self, DemoSize};
use domain::organisation::{OrganisationDetail, SizeClass};
use domain::organisation_query::{OrganisationQuery, OrganisationSort};
use domain::search::embedded::EmbeddedIndex;
use domain::search::meili::MeiliIndex;
use domain::search::{CallDocument, IndexChange, OrganisationDocument, SearchIndex, SearchRequest};
use domain::{CallQuery, CallSort, CallStatus, InstrumentKind};
use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

const ORGANISATION_TEXTS: &[&str] = &[
    "sentinel",
    "cryptology",
    "hospitals",
    "quantum key distribution",
    "identity management healthcare",
    "critical infrastructure protection",
    "crytpography",
    "sentinal",
    "\"digital forensics\"",
    "",
];

/// The `i`-th directory query of the mix: a text, 0–3 filters and a sort.
fn organisation_query(i: usize) -> OrganisationQuery {
    let mut query = OrganisationQuery::from_pairs([("q", ORGANISATION_TEXTS[i % ORGANISATION_TEXTS.len()])]);
    let filters = i % 4;
    if filters >= 1 {
        query.capabilities = vec![["cryptology", "network-security", "incident-handling"][i % 3].to_owned()];
    }
    if filters >= 2 {
        query.countries = vec![["FR", "DE", "IT"][i % 3].to_owned()];
    }
    if filters >= 3 {
        query.sizes = vec![SizeClass::Micro, SizeClass::Small];
    }
    query.sort = [
        OrganisationSort::Relevance,
        OrganisationSort::Name,
        OrganisationSort::Size,
    ][(i / 4) % 3];
    query
}

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
    let only = std::env::var("BENCH_ONLY").ok().filter(|text| !text.is_empty());
    let mut query = CallQuery::from_pairs([("q", only.as_deref().unwrap_or(TEXTS[i % TEXTS.len()]))]);
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

    let organisations: usize = std::env::var("BENCH_ORGANISATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);

    let started = Instant::now();
    let data = demo::generate(
        1,
        anchor,
        DemoSize {
            calls,
            organisations,
            clusters: 500,
        },
    );
    let documents: Vec<CallDocument> = data
        .calls
        .iter()
        .map(|call| CallDocument::from_new_call(call, now))
        .collect();
    let cluster_names: HashMap<&str, &str> = data
        .clusters
        .iter()
        .map(|c| (c.external_id.as_str(), c.name.as_str()))
        .collect();
    let mut clusters_of: HashMap<&str, Vec<ClusterRef>> = HashMap::new();
    for member in &data.members {
        clusters_of
            .entry(member.organisation_id.as_str())
            .or_default()
            .push(ClusterRef {
                external_id: member.cluster_id.clone(),
                name: cluster_names[member.cluster_id.as_str()].to_owned(),
            });
    }
    let directory: Vec<OrganisationDocument> = data
        .organisations
        .iter()
        .map(|organisation| {
            OrganisationDocument::from_detail(&OrganisationDetail {
                organisation: organisation.clone(),
                clusters: clusters_of
                    .remove(organisation.external_id.as_str())
                    .unwrap_or_default(),
            })
        })
        .collect();
    println!(
        "generated {calls} calls and {organisations} organisations in {:.2?}",
        started.elapsed()
    );

    let dir = tempfile::tempdir().unwrap();
    let embedded = EmbeddedIndex::open(dir.path()).unwrap();
    run(&embedded, &documents, now).await;
    run_directory(&embedded, &directory).await;
    for (what, meta) in [("calls", "meta.json"), ("organisations", "organisations/meta.json")] {
        let meta = std::fs::read_to_string(dir.path().join(meta)).unwrap_or_default();
        println!(
            "embedded: {what} in {} segments",
            meta.matches("\"segment_id\"").count()
        );
    }
    match std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty()) {
        Some(url) => {
            let key = std::env::var("MEILI_MASTER_KEY").ok();
            let meili = MeiliIndex::connect(&url, key.as_deref(), "fundbridge-bench")
                .await
                .unwrap();
            meili.clear().await.unwrap();
            run(&meili, &documents, now).await;
            run_directory(&meili, &directory).await;
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
    index.compact().await.unwrap(); // as `reindex` does after a bulk load
    let indexing = started.elapsed();
    println!(
        "{name}: {} documents indexed in {:.2?} ({:.0} docs/s)",
        index.document_count().await.unwrap(),
        indexing,
        documents.len() as f64 / indexing.as_secs_f64()
    );

    let first = measure(index, std::iter::once(query(0)), now).await;
    println!("{name}: first search after indexing {:.2?}", first[0]);
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

/// Runs the call queries one after another (one client) and returns each latency, sorted.
async fn measure(
    index: &dyn SearchIndex,
    queries: impl Iterator<Item = CallQuery>,
    now: chrono::DateTime<Utc>,
) -> Vec<Duration> {
    timed(queries, |query| async move {
        index.search(&SearchRequest { query, now }).await.unwrap();
    })
    .await
}

/// Runs `search` for each query in turn and returns each latency, sorted.
async fn timed<Q, F: Future<Output = ()>>(queries: impl Iterator<Item = Q>, search: impl Fn(Q) -> F) -> Vec<Duration> {
    let mut latencies = Vec::new();
    for query in queries {
        let started = Instant::now();
        search(query).await;
        latencies.push(started.elapsed());
    }
    latencies.sort();
    latencies
}

/// Indexes the organisations in batches of 10,000, then runs and reports the directory's query mix.
async fn run_directory(index: &dyn SearchIndex, documents: &[OrganisationDocument]) {
    let name = index.name();
    let started = Instant::now();
    for batch in documents.chunks(10_000) {
        let changes = batch.iter().map(|d| IndexChange::Upsert(Box::new(d.clone()))).collect();
        index.apply_organisations(changes).await.unwrap();
    }
    index.compact().await.unwrap();
    let indexing = started.elapsed();
    println!(
        "{name}: {} organisations indexed in {:.2?} ({:.0} docs/s)",
        index.organisation_count().await.unwrap(),
        indexing,
        documents.len() as f64 / indexing.as_secs_f64()
    );
    let search = |query: OrganisationQuery| async move {
        index.search_organisations(&query).await.unwrap();
    };
    let first = timed(std::iter::once(organisation_query(0)), search).await;
    println!("{name}: first directory search after indexing {:.2?}", first[0]);
    timed((0..300).map(organisation_query), search).await; // warm-up
    let started = Instant::now();
    let latencies = timed((0..3_000).map(organisation_query), search).await;
    report(name, "directory: all queries", &latencies, Some(started.elapsed()));
    for text in ORGANISATION_TEXTS {
        let wanted = OrganisationQuery::from_pairs([("q", *text)]).text;
        let queries = (0..1_200).map(organisation_query).filter(|q| q.text == wanted);
        report(
            name,
            &format!("directory: {text:?}"),
            &timed(queries, search).await,
            None,
        );
    }
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
