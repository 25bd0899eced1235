//! The sender: leases due messages from the outbox, hands each to the [`Mailer`], and
//! records the outcome — sent, retried later (exponential backoff with jitter), or given up
//! on after the last attempt. A sender that dies mid-round loses nothing: its leases run out
//! and another round sends those messages again, with the same `Message-ID`.

use super::{Mailer, SendError};
use crate::services::Clock;
use crate::store::{MailOutbox, StoreError};
use chrono::{DateTime, Duration, Utc};
use std::time::Duration as StdDuration;
use tokio::sync::watch;

/// How long a leased message is reserved for the sender that leased it.
pub const LEASE: Duration = Duration::minutes(2);
/// Messages leased per round.
const ROUND: u32 = 50;
/// How often an idle sender looks for due mail.
const IDLE_POLL: StdDuration = StdDuration::from_secs(1);

/// When failed messages are tried again, and when they are given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts before a message is dead (the first one included).
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles after each further one.
    pub first_delay: Duration,
    /// The longest wait.
    pub longest_delay: Duration,
}

impl Default for RetryPolicy {
    /// Eight attempts over about a day: 1, 2, 4, 8, 16, 32 minutes, then 1 hour waits… capped
    /// at 6 hours.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            first_delay: Duration::minutes(1),
            longest_delay: Duration::hours(6),
        }
    }
}

impl RetryPolicy {
    /// When message `id`, failed on attempt `attempts` at `now`, is tried again: `None` when
    /// that was the last attempt. The wait doubles per attempt, capped, with up to a quarter
    /// of it added as jitter (fixed per message and attempt, so retries of many messages
    /// spread out and a test can predict them).
    pub fn retry_at(&self, id: i64, attempts: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts {
            return None;
        }
        let doublings = attempts.saturating_sub(1).min(30);
        let wait = self
            .first_delay
            .checked_mul(1 << doublings)
            .map_or(self.longest_delay, |wait| wait.min(self.longest_delay));
        let spread = u64::try_from(id).unwrap_or(0).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ u64::from(attempts);
        let jitter_ms = wait.num_milliseconds() / 4 * i64::try_from(spread % 1000).unwrap_or(0) / 1000;
        Some(now + wait + Duration::milliseconds(jitter_ms))
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Messages the transport accepted.
    pub sent: usize,
    /// Messages that failed and wait for a retry.
    pub retrying: usize,
    /// Messages given up on this round.
    pub dead: usize,
}

/// Sends the messages due at `now` (up to one round's worth) and records each outcome.
pub async fn send_due(
    outbox: &dyn MailOutbox,
    mailer: &Mailer,
    now: DateTime<Utc>,
    policy: RetryPolicy,
) -> Result<Round, StoreError> {
    let mut round = Round::default();
    for mail in outbox.lease_due_mail(now, LEASE, ROUND).await? {
        match mailer.send(&mail).await {
            Ok(()) => {
                outbox.mark_mail_sent(mail.id, now).await?;
                round.sent += 1;
            }
            Err(error) => {
                let retry_at = match &error {
                    SendError::Temporary(_) => policy.retry_at(mail.id, mail.attempts, now),
                    SendError::Permanent(_) => None,
                };
                tracing::warn!(id = mail.id, attempts = mail.attempts, %error, retrying = retry_at.is_some(), "mail not sent");
                outbox.mark_mail_failed(mail.id, &error.to_string(), retry_at).await?;
                match retry_at {
                    Some(_) => round.retrying += 1,
                    None => round.dead += 1,
                }
            }
        }
    }
    Ok(round)
}

/// Sends due mail until `shutdown` turns true: rounds back to back while there is mail, a
/// poll a second when idle, and a pause after a database error.
pub async fn run(
    outbox: &dyn MailOutbox,
    mailer: &Mailer,
    clock: Clock,
    policy: RetryPolicy,
    mut shutdown: watch::Receiver<bool>,
) {
    while !*shutdown.borrow() {
        let pause = match send_due(outbox, mailer, clock.now(), policy).await {
            Ok(round) if round.sent + round.retrying + round.dead > 0 => StdDuration::ZERO,
            Ok(_) => IDLE_POLL,
            Err(error) => {
                tracing::warn!(%error, "mail outbox unavailable");
                IDLE_POLL * 5
            }
        };
        if !pause.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn waits_double_are_capped_and_the_last_attempt_gives_up() {
        let policy = RetryPolicy::default();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let wait = |attempts| policy.retry_at(7, attempts, now).map(|at| at - now);
        for (attempts, base) in [(1, 1), (2, 2), (3, 4), (7, 64)] {
            let waited = wait(attempts).unwrap();
            let base = Duration::minutes(base);
            assert!(
                waited >= base && waited <= base + base / 4,
                "attempt {attempts}: {waited}"
            );
        }
        let capped = RetryPolicy {
            max_attempts: 40,
            ..policy
        };
        let long = capped.retry_at(7, 30, now).unwrap() - now;
        assert!(long >= Duration::hours(6) && long <= Duration::minutes(450), "{long}");
        assert_eq!(wait(8), None);
    }

    #[test]
    fn jitter_spreads_messages_that_failed_together() {
        let policy = RetryPolicy::default();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let times: std::collections::HashSet<_> = (1..=20).filter_map(|id| policy.retry_at(id, 3, now)).collect();
        assert!(times.len() > 15, "{} distinct retry times", times.len());
    }
}
