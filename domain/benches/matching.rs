//! Matching benchmark: every organisation's ten best calls — what the weekly digest needs —
//! for 100k generated organisations against 5k open calls recombined from the real EU
//! Funding & Tenders topics in `../shared/data/eu-ftp-calls/` (each call keeps one real
//! topic's description, so the texts keep their real lengths; titles and identifiers are
//! recombined). Prints the time to build the matcher, to read the organisations, to rank,
//! and the peak memory of the process; then the same ranking on one thread.
//!
//! Run: `cargo bench -p domain --features server --bench matching` (`BENCH_ORGANISATIONS=…`,
//! `BENCH_CALLS=…`, `BENCH_THREADS=…` to resize).

mod support;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::demo::{self, DemoSize};
use domain::geo::RegionNames;
use domain::matching::rank::{Matcher, Ranked};
use domain::matching::rules::Applicant;
use domain::organisation::Organisation;
use std::time::Instant;
use support::{env_number, peak_rss_mib, recombined_calls};

/// How many calls each organisation keeps (a digest's section).
const TOP: usize = 10;

/// Ranks the best [`TOP`] calls of each applicant on `threads` threads; returns how many
/// had at least one match and the sum of the best scores.
fn rank_all(matcher: &Matcher, applicants: &[Applicant], now: DateTime<Utc>, threads: usize) -> (usize, i64) {
    let chunk = applicants.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = applicants
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut scratch = Vec::new();
                    let mut matched = 0;
                    let mut best = 0i64;
                    for applicant in part {
                        let top: Vec<Ranked> = matcher.top(applicant, now, TOP, &mut scratch);
                        if let Some(first) = top.first() {
                            matched += 1;
                            best += i64::from(first.evaluation.score());
                        }
                    }
                    (matched, best)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a ranking thread panicked"))
            .fold((0, 0), |(m, b), (m2, b2)| (m + m2, b + b2))
    })
}

fn main() {
    let organisations_wanted = env_number("BENCH_ORGANISATIONS", 100_000);
    let calls_wanted = env_number("BENCH_CALLS", 5_000);
    let threads = env_number(
        "BENCH_THREADS",
        std::thread::available_parallelism().map_or(2, |n| n.get()),
    );
    let today = NaiveDate::from_ymd_opt(2026, 8, 20).expect("a date");
    let now = Utc.from_utc_datetime(&today.and_hms_opt(12, 0, 0).expect("a time"));

    let started = Instant::now();
    let calls = recombined_calls(calls_wanted, now);
    let text_bytes: usize = calls.iter().map(|c| c.description.len()).sum();
    println!(
        "calls: {} recombined from the real topics, {:.1} MB of description ({:.1} KB each on average), read in {:.2} s",
        calls.len(),
        text_bytes as f64 / 1e6,
        text_bytes as f64 / calls.len().max(1) as f64 / 1e3,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let organisations: Vec<Organisation> = demo::generate(
        2016_0410,
        today,
        DemoSize {
            calls: 0,
            organisations: organisations_wanted,
            clusters: 0,
        },
    )
    .organisations;
    println!(
        "organisations: {} generated in {:.2} s",
        organisations.len(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let matcher = Matcher::new(&calls);
    drop(calls);
    let build = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let names = RegionNames::new();
    let applicants: Vec<Applicant> = organisations
        .iter()
        .map(|organisation| matcher.applicant(organisation, &[], &[], &names))
        .collect();
    drop(organisations);
    let compile = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (matched, best) = rank_all(&matcher, &applicants, now, threads);
    let rank = started.elapsed().as_secs_f64();
    println!();
    println!("| step | time |");
    println!("|---|---|");
    println!(
        "| build the matcher ({} calls: words, weights, facts) | {build:.2} s |",
        matcher.len()
    );
    println!(
        "| read {} organisations (their words weighed) | {compile:.2} s |",
        applicants.len()
    );
    println!(
        "| rank every call for each, keep the best {TOP} ({threads} threads) | {rank:.2} s ({:.0} µs per organisation, {:.1} M pairs/s) |",
        rank * 1e6 / applicants.len().max(1) as f64,
        (applicants.len() * matcher.len()) as f64 / rank / 1e6
    );
    println!("| all of it | {:.2} s |", build + compile + rank);
    println!("| peak resident memory | {:.0} MiB |", peak_rss_mib());
    println!();
    println!(
        "{matched} of {} organisations have at least one match; mean best score {:.1}",
        applicants.len(),
        best as f64 / matched.max(1) as f64
    );
    if threads > 1 {
        let started = Instant::now();
        rank_all(&matcher, &applicants, now, 1);
        println!("the ranking on 1 thread: {:.2} s", started.elapsed().as_secs_f64());
    }
}
