//! Accounts benchmark: what a password costs. Argon2id with OWASP's parameters is slow on
//! purpose; this measures how slow on this machine — one hash, one check, and logins through
//! the service (session written, memberships read) one at a time and several at once — so the
//! rate limits and the number of app servers can be sized from figures, not guesses.
//!
//! Run: `cargo bench -p domain --features server --bench accounts` (`BENCH_LOGINS=…` to
//! change the number of logins; `BENCH_DATABASE_URL=postgres://…/db` to use an empty
//! PostgreSQL database instead of a temporary SQLite file).

use chrono::{TimeZone, Utc};
use domain::credentials;
use domain::search::embedded::EmbeddedIndex;
use domain::services::accounts::{self, Client};
use domain::services::{AppState, Clock};
use domain::store::{self, NewPerson};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A count from the environment, or the default.
fn count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The `q`-quantile of `samples` (sorted in place), in milliseconds.
fn quantile_ms(samples: &mut [Duration], q: f64) -> f64 {
    samples.sort_unstable();
    let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples[index].as_secs_f64() * 1_000.0
}

#[tokio::main]
async fn main() {
    let logins = count("BENCH_LOGINS", 64);
    let password = "correct horse battery staple";

    let mut hashing = Vec::new();
    let mut checking = Vec::new();
    let mut hash = String::new();
    for _ in 0..10 {
        let started = Instant::now();
        hash = credentials::hash_password(password);
        hashing.push(started.elapsed());
        let started = Instant::now();
        assert!(credentials::verify_password(password, &hash));
        checking.push(started.elapsed());
    }
    println!(
        "argon2id (m=19456 KiB, t=2, p=1): hash p50 {:.1} ms, check p50 {:.1} ms",
        quantile_ms(&mut hashing, 0.5),
        quantile_ms(&mut checking, 0.5)
    );

    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let store = store::connect(&url).await.expect("open the benchmark database");
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    let people = logins.max(1);
    for index in 0..people {
        let person = NewPerson {
            email: format!("person{index}@example.eu"),
            display_name: format!("Person {index}"),
            password_hash: hash.clone(),
            verified: true,
            is_admin: false,
        };
        store.create_person(&person, None, now).await.unwrap();
    }
    let search = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = AppState::new(store, search, Clock::Fixed(now));
    // Each login from an address and an IP of its own: the limits are not what is measured.
    let login = |state: AppState, index: usize| async move {
        let client = Client {
            ip: format!("198.51.100.{}", index % 250),
            user_agent: "bench".into(),
        };
        let started = Instant::now();
        accounts::log_in(&state, &format!("person{index}@example.eu"), password, &client, None)
            .await
            .unwrap();
        started.elapsed()
    };

    let mut one_at_a_time = Vec::new();
    for index in 0..logins {
        one_at_a_time.push(login(state.clone(), index).await);
    }
    println!(
        "login (service, {}), one at a time: p50 {:.1} ms, p99 {:.1} ms over {logins}",
        store_name(&url),
        quantile_ms(&mut one_at_a_time, 0.5),
        quantile_ms(&mut one_at_a_time, 0.99)
    );

    let started = Instant::now();
    let tasks: Vec<_> = (0..logins)
        .map(|index| tokio::spawn(login(state.clone(), index)))
        .collect();
    let mut together = Vec::new();
    for task in tasks {
        together.push(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "login, {logins} at once on {} cores: {:.1} logins/s, p50 {:.0} ms, p99 {:.0} ms",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        logins as f64 / elapsed,
        quantile_ms(&mut together, 0.5),
        quantile_ms(&mut together, 0.99)
    );
}

/// The backend's name for the report.
fn store_name(url: &str) -> &'static str {
    if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    }
}
