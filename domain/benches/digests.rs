//! Digest benchmark: composing and queuing the Monday digests of 100k subscribers against
//! 5k calls recombined from the real EU Funding & Tenders topics (each keeps a real
//! description), 250 of them listed this week, on a SQLite file — the whole job as the
//! scheduler runs it: read the subscribers and their marks, find what is new for each of
//! their saved searches (500 distinct queries: words from real funding searches, some with
//! filters), render each mail, and record the marks and outbox rows in batches; and the mail
//! to followers of calls whose deadline reminders have come (each follows two). Prints the
//! time, mails queued per second, the outbox's size and the process's peak memory; then the
//! cost of a scheduler tick with nothing due (every minute on a live server).
//!
//! Run: `cargo bench -p domain --features server --bench digests` (`BENCH_SUBSCRIBERS=…`,
//! `BENCH_CALLS=…`, `BENCH_NEW_CALLS=…` to resize).

mod support;

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::alerts::{describe_calls, saved_call_query};
use domain::query::CallQuery;
use domain::search::embedded::EmbeddedIndex;
use domain::services::digests::{compose_due, DigestOptions};
use domain::services::{AppState, Clock};
use std::sync::Arc;
use std::time::Instant;
use support::{env_number, peak_rss_mib, recombined_topics};

/// Words people search funding for (one per saved search, some with a filter).
const WORDS: [&str; 25] = [
    "cybersecurity",
    "quantum",
    "artificial intelligence",
    "hydrogen",
    "batteries",
    "5G",
    "semiconductors",
    "cloud",
    "space",
    "health data",
    "robotics",
    "critical infrastructure",
    "ransomware",
    "digital twins",
    "circular economy",
    "climate adaptation",
    "defence",
    "drones",
    "cryptography",
    "smart grids",
    "agriculture",
    "water",
    "maritime",
    "mobility",
    "SME",
];

/// Filters added to some searches.
const FILTERS: [(&str, &str); 6] = [
    ("programme", "Horizon Europe"),
    ("programme", "Digital Europe Programme"),
    ("status", "open"),
    ("domain", "network-security"),
    ("country", "FR"),
    ("sme_only", "true"),
];

/// The saved queries: each word alone, with each filter, and a few filters alone — as the
/// list page would save them (canonical URL query and title).
fn distinct_queries() -> Vec<(String, String)> {
    let mut queries = Vec::new();
    for (i, word) in WORDS.iter().enumerate() {
        let mut pairs = vec![vec![("q", *word)]];
        for filter in FILTERS {
            pairs.push(vec![("q", *word), filter]);
        }
        for (j, filter) in FILTERS.iter().enumerate() {
            pairs.push(vec![("q", *word), *filter, FILTERS[(i + j + 1) % FILTERS.len()]]);
        }
        for pairs in pairs {
            let query = saved_call_query(&CallQuery::from_pairs(pairs));
            queries.push((query.to_query_string(), describe_calls(&query)));
        }
    }
    queries.push((String::new(), "all calls".to_owned()));
    queries.sort();
    queries.dedup();
    queries
}

/// Writes `subscribers` verified people with 1–3 saved searches each (weekly mostly, some
/// daily or instant) and two followed calls of the `calls`, saved two weeks before `now`,
/// straight into the SQLite file.
async fn subscribe(
    url: &str,
    subscribers: usize,
    calls: usize,
    queries: &[(String, String)],
    now: DateTime<Utc>,
) -> usize {
    let pool = sqlx::SqlitePool::connect(url).await.expect("the bench database");
    let saved_at = now - Duration::days(14);
    let mut searches = 0;
    for first in (0..subscribers).step_by(500) {
        let people = first..(first + 500).min(subscribers);
        let mut tx = pool.begin().await.expect("a transaction");
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO people (id, email, email_key, display_name, password_hash, email_verified_at, created_at) ",
        );
        insert.push_values(people.clone(), |mut row, n| {
            let email = format!("member{n}@example.eu");
            row.push_bind(n as i64 + 1)
                .push_bind(email.clone())
                .push_bind(email)
                .push_bind(format!("Member {n}"))
                .push_bind("not a usable hash")
                .push_bind(saved_at)
                .push_bind(saved_at);
        });
        insert.build().execute(&mut *tx).await.expect("people written");
        let mut rows = Vec::new();
        for n in people.clone() {
            for k in 0..(1 + n % 3) {
                let (query, title) = &queries[(n * 7 + k * 131) % queries.len()];
                let frequency = match (n + k) % 20 {
                    0..=15 => "weekly",
                    16..=18 => "daily",
                    _ => "instant",
                };
                rows.push((n as i64 + 1, query.clone(), title.clone(), frequency));
            }
        }
        searches += rows.len();
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO saved_searches (person_id, kind, query, title, frequency, created_at, updated_at) ",
        );
        insert.push_values(rows, |mut row, (person, query, title, frequency)| {
            row.push_bind(person)
                .push_bind("calls")
                .push_bind(query)
                .push_bind(title)
                .push_bind(frequency)
                .push_bind(saved_at)
                .push_bind(saved_at);
        });
        insert.build().execute(&mut *tx).await.expect("searches written");
        // Every subscriber follows two calls (the calls' ids run from 1).
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT OR IGNORE INTO call_follows (person_id, call_id, followed_at) ",
        );
        insert.push_values(people.clone().flat_map(|n| [(n, 13), (n, 29)]), |mut row, (n, step)| {
            row.push_bind(n as i64 + 1)
                .push_bind(((n * step + 7) % calls) as i64 + 1)
                .push_bind(saved_at);
        });
        insert.build().execute(&mut *tx).await.expect("follows written");
        tx.commit().await.expect("committed");
    }
    searches
}

/// Bytes of mail in the outbox.
async fn outbox_bytes(url: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(url).await.expect("the bench database");
    sqlx::query_scalar("SELECT COALESCE(SUM(LENGTH(text_body) + LENGTH(html_body)), 0) FROM mail_outbox")
        .fetch_one(&pool)
        .await
        .expect("the outbox's size")
}

#[tokio::main]
async fn main() {
    let subscribers = env_number("BENCH_SUBSCRIBERS", 100_000);
    let calls_wanted = env_number("BENCH_CALLS", 5_000);
    let new_calls = env_number("BENCH_NEW_CALLS", 250).min(calls_wanted);
    // Monday 30 November 2026, 09:00 UTC: the default digest time (08:00 Brussels) has come.
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite://{}", dir.path().join("digests.db").display());
    let store = domain::store::connect(&url).await.expect("the bench database");

    let started = Instant::now();
    let calls = recombined_topics(calls_wanted);
    let text_bytes: usize = calls.iter().map(|call| call.description.len()).sum();
    let (old, new) = calls.split_at(calls_wanted - new_calls);
    for chunk in old.chunks(1_000) {
        store
            .upsert_calls(chunk, now - Duration::days(60))
            .await
            .expect("calls written");
    }
    store
        .upsert_calls(new, now - Duration::days(3))
        .await
        .expect("calls written");
    let queries = distinct_queries();
    let searches = subscribe(&url, subscribers, calls.len(), &queries, now).await;
    println!(
        "setup: {} calls ({:.1} MB of description, {new_calls} listed this week), {subscribers} subscribers with {searches} saved searches ({} distinct queries) and two followed calls each, in {:.1} s",
        calls.len(),
        text_bytes as f64 / 1e6,
        queries.len(),
        started.elapsed().as_secs_f64()
    );
    drop(calls);

    let search = Arc::new(EmbeddedIndex::in_memory().expect("an index"));
    let state = AppState::new(store, search, Clock::Fixed(now));
    let started = Instant::now();
    let run = compose_due(&state, &DigestOptions::default())
        .await
        .expect("digests composed");
    let composing = started.elapsed().as_secs_f64();
    let bytes = outbox_bytes(&url).await;
    println!();
    println!("| what | figure |");
    println!("|---|---|");
    println!(
        "| periods due (person × frequency; followers with news) | {} |",
        run.due
    );
    println!("| mails queued / nothing new | {} / {} |", run.queued, run.nothing_new);
    println!("| **compose and queue, all of it** | **{composing:.1} s** |");
    println!("| mails queued per second | {:.0} |", run.queued as f64 / composing);
    println!(
        "| outbox written | {:.0} MB ({:.1} KB a mail, both parts) |",
        bytes as f64 / 1e6,
        bytes as f64 / run.queued.max(1) as f64 / 1e3
    );
    println!(
        "| peak resident memory (the whole process, setup included) | {:.0} MiB |",
        peak_rss_mib()
    );

    let started = Instant::now();
    let idle = compose_due(&state, &DigestOptions::default()).await.expect("a tick");
    println!(
        "| a scheduler tick with nothing due ({} subscribers read, {} due) | {:.2} s |",
        idle.subscribers,
        idle.due,
        started.elapsed().as_secs_f64()
    );
}
