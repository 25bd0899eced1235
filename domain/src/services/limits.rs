//! Rate limits on the account forms, per address and per client IP, counted in the database
//! so every app server sees the same counts. Fixed windows: simple to explain ("try again in
//! 12 minutes") and cheap (one row per key and window).

use super::{AppState, ServiceError};
use chrono::{DateTime, Duration, Utc};

/// How many attempts one key may make in one window of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The counter's name.
    pub bucket: &'static str,
    /// Attempts allowed per window.
    pub max: u32,
    /// The window's length in minutes.
    pub window_minutes: i64,
}

/// Failed logins for one address (a success does not count; a password reset starts afresh).
pub const LOGIN_FAILURES_PER_ADDRESS: Limit = Limit {
    bucket: "login-address",
    max: 10,
    window_minutes: 15,
};
/// Logins tried from one client IP.
pub const LOGINS_PER_IP: Limit = Limit {
    bucket: "login-ip",
    max: 50,
    window_minutes: 15,
};
/// Sign-ups from one client IP.
pub const SIGN_UPS_PER_IP: Limit = Limit {
    bucket: "sign-up-ip",
    max: 20,
    window_minutes: 60,
};
/// Mailed links (verification, reset, sign-up notices) sent to one address.
pub const MAILS_PER_ADDRESS: Limit = Limit {
    bucket: "mail-address",
    max: 5,
    window_minutes: 60,
};
/// Reset and verification requests from one client IP.
pub const MAIL_REQUESTS_PER_IP: Limit = Limit {
    bucket: "mail-ip",
    max: 20,
    window_minutes: 60,
};

/// Alerts asked for by email without an account, from one client IP.
pub const SUBSCRIPTIONS_PER_IP: Limit = Limit {
    bucket: "subscription-ip",
    max: 20,
    window_minutes: 60,
};

/// Organisations one person adds to the directory.
pub const ORGANISATIONS_PER_PERSON: Limit = Limit {
    bucket: "organisations-person",
    max: 5,
    window_minutes: 24 * 60,
};

impl Limit {
    /// When the window holding `now` began.
    fn window_start(self, now: DateTime<Utc>) -> DateTime<Utc> {
        let window = self.window_minutes * 60;
        let start = now.timestamp().div_euclid(window) * window;
        DateTime::from_timestamp(start, 0).unwrap_or(now)
    }

    /// The refusal once the window is full: what happened and when to try again.
    fn refusal(self, now: DateTime<Utc>) -> ServiceError {
        let retry_after = (self.window_start(now) + Duration::minutes(self.window_minutes) - now)
            .num_seconds()
            .max(1);
        let minutes = (retry_after + 59) / 60;
        let wait = if minutes == 1 {
            "a minute".to_owned()
        } else {
            format!("{minutes} minutes")
        };
        ServiceError::RateLimited {
            message: format!("Too many attempts. Please wait {wait} and try again."),
            retry_after_seconds: u64::try_from(retry_after).unwrap_or(60),
        }
    }
}

/// Counts one attempt of `key` and refuses it when the window already holds `limit.max`.
pub async fn count(state: &AppState, limit: Limit, key: &str) -> Result<(), ServiceError> {
    let now = state.clock.now();
    let hits = state
        .rate_limits
        .hit(limit.bucket, key, limit.window_start(now))
        .await?;
    if hits > limit.max {
        return Err(limit.refusal(now));
    }
    Ok(())
}

/// Refuses without counting when `key` has used up its window (for limits that count only
/// failures).
pub async fn check(state: &AppState, limit: Limit, key: &str) -> Result<(), ServiceError> {
    let now = state.clock.now();
    let hits = state
        .rate_limits
        .hits(limit.bucket, key, limit.window_start(now))
        .await?;
    if hits >= limit.max {
        return Err(limit.refusal(now));
    }
    Ok(())
}

/// Counts one failure of `key`, without refusing (the next [`check`] will).
pub async fn record_failure(state: &AppState, limit: Limit, key: &str) -> Result<(), ServiceError> {
    let now = state.clock.now();
    state
        .rate_limits
        .hit(limit.bucket, key, limit.window_start(now))
        .await?;
    Ok(())
}

/// Forgets `key`'s attempts in the current window (the person proved who they are another way).
pub async fn forget(state: &AppState, limit: Limit, key: &str) -> Result<(), ServiceError> {
    let now = state.clock.now();
    state
        .rate_limits
        .clear(limit.bucket, key, limit.window_start(now))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned_and_refusals_say_how_long_to_wait() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T10:07:30Z").unwrap().to_utc();
        let start = LOGIN_FAILURES_PER_ADDRESS.window_start(now);
        assert_eq!(start.to_rfc3339(), "2026-12-01T10:00:00+00:00");
        match LOGIN_FAILURES_PER_ADDRESS.refusal(now) {
            ServiceError::RateLimited {
                message,
                retry_after_seconds,
            } => {
                assert_eq!(retry_after_seconds, 450);
                assert!(message.contains("8 minutes"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
