//! What the benches share: sizes from the environment, the process's peak memory, and the
//! real Funding & Tenders topics of `../shared/data/` recombined into as many calls as wanted.

use chrono::{DateTime, Utc};
use domain::import::eu_ftp;
use domain::store::NewCall;
use std::path::Path;

/// The number in environment variable `name`, else `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The process's peak resident memory, in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// `count` calls recombined from the real topics: call `i` keeps topic `i`'s description,
/// dates and rules (so texts keep their real lengths), and takes its title from another
/// topic after the first round (with an identifier of its own).
pub fn recombined_topics(count: usize) -> Vec<NewCall> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/eu-ftp-calls/calls_open_forthcoming.jsonl");
    let topics: Vec<NewCall> = eu_ftp::read_topics(&path)
        .expect("the real topics are in ../shared/data")
        .into_iter()
        .filter_map(|(_, call)| call.ok())
        .collect();
    (0..count)
        .map(|i| {
            let topic = &topics[i % topics.len()];
            let mut call: NewCall = topic.clone();
            let round = i / topics.len();
            if round > 0 {
                call.title = topics[(i * 7 + round) % topics.len()].title.clone();
                call.external_id = format!("{}-R{round}", topic.external_id);
            }
            call
        })
        .collect()
}

/// [`recombined_topics`] as stored calls read at `now`.
#[allow(dead_code)] // not every bench reads details
pub fn recombined_calls(count: usize, now: DateTime<Utc>) -> Vec<domain::call::CallDetail> {
    recombined_topics(count)
        .into_iter()
        .map(|call| call.to_detail(now))
        .collect()
}
