//! People's accounts: the person, the single-use tokens mailed to them, and their sessions.
//! Secrets are stored only as digests (see [`crate::credentials`]); a token is used at most
//! once, atomically; every mail an account change causes is queued in the same transaction
//! as the change.

use super::{OutgoingMail, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// An account as it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    /// The address as typed (checked by [`crate::people::check_email`]).
    pub email: String,
    /// How they are named on the site.
    pub display_name: String,
    /// The Argon2id PHC string.
    pub password_hash: String,
    /// Verified already (administrators made on the command line, demo people).
    pub verified: bool,
    /// A platform administrator.
    pub is_admin: bool,
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The row.
    pub id: i64,
    /// The address as typed.
    pub email: String,
    /// How they are named on the site.
    pub display_name: String,
    /// The Argon2id PHC string.
    pub password_hash: String,
    /// When the address was confirmed.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// The language mail is written in (`en`).
    pub language: String,
    /// The IANA time zone digests are timed for.
    pub time_zone: String,
    /// A platform administrator.
    pub is_admin: bool,
    /// When an administrator disabled the account (it cannot log in).
    pub disabled_at: Option<DateTime<Utc>>,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
}

/// What a mailed token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Confirm the account's address.
    Verify,
    /// Choose a new password.
    Reset,
    /// Confirm a new address.
    ChangeEmail,
}

impl TokenPurpose {
    /// The purpose as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::Reset => "reset",
            TokenPurpose::ChangeEmail => "change_email",
        }
    }
}

/// A token as issued: its digest, whose it is, what for, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailToken {
    /// The SHA-256 digest of the secret in the link.
    pub digest: String,
    /// The person it was issued to.
    pub person_id: i64,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// For a change of address, the new address.
    pub new_email: Option<String>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The SHA-256 digest of the id in the cookie.
    pub digest: String,
    /// Whose session it is.
    pub person_id: i64,
    /// When it began (for the absolute timeout).
    pub created_at: DateTime<Utc>,
    /// When it was last used (for the idle timeout).
    pub last_seen_at: DateTime<Utc>,
    /// The browser that began it, as it named itself (cut to one short line).
    pub user_agent: String,
    /// The person's rights changed since the id was issued: it is to be replaced.
    pub rotate: bool,
}

/// Accounts, their tokens and their sessions.
#[async_trait]
pub trait People: Send + Sync {
    /// Creates an account and, in the same transaction, issues `token` (its `person_id` is
    /// filled in) and queues `mail`; returns the new id. An address already taken (whatever its
    /// case) is a [`StoreError::Conflict`] and nothing is written.
    async fn create_person(
        &self,
        person: &NewPerson,
        token: Option<(&EmailToken, &OutgoingMail)>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    /// The account for an address, whatever its case.
    async fn person_by_email(&self, email: &str) -> Result<Option<Person>, StoreError>;

    /// The account with this id.
    async fn person(&self, id: i64) -> Result<Option<Person>, StoreError>;

    /// Issues `token` and queues `mail` in one transaction.
    async fn issue_token(&self, token: &EmailToken, mail: &OutgoingMail, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Spends the unexpired, unused token with this digest and purpose, and returns it; `None`
    /// when there is none (unknown, used, expired). Two concurrent uses: one wins.
    async fn use_token(
        &self,
        digest: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<EmailToken>, StoreError>;

    /// Changes how the person is named.
    async fn rename(&self, person_id: i64, display_name: &str) -> Result<(), StoreError>;

    /// Marks the address confirmed.
    async fn mark_verified(&self, person_id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Sets a new password hash and ends every session of the person except `keep` (a session
    /// digest), in one transaction; `mail` (telling them) is queued with it.
    async fn set_password(
        &self,
        person_id: i64,
        password_hash: &str,
        keep: Option<&str>,
        mail: Option<&OutgoingMail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Moves the account to a confirmed new address (conflict when another account has it),
    /// queuing `mail` (telling the old address) in the same transaction.
    async fn change_email(
        &self,
        person_id: i64,
        new_email: &str,
        mail: &OutgoingMail,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// Stores a new session, ending `replacing` (the session it rotates from) in the same
    /// transaction, and notes that the person was seen.
    async fn start_session(&self, session: &Session, replacing: Option<&str>) -> Result<(), StoreError>;

    /// The session with this digest, if it exists.
    async fn session(&self, digest: &str) -> Result<Option<Session>, StoreError>;

    /// Notes that the session (and its person) was used at `now`.
    async fn touch_session(&self, digest: &str, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// The person's sessions, most recently used first.
    async fn sessions_of(&self, person_id: i64) -> Result<Vec<Session>, StoreError>;

    /// Ends one session, only if it is the person's; returns whether one ended.
    async fn end_session(&self, person_id: i64, digest: &str) -> Result<bool, StoreError>;

    /// Ends every session of the person; returns how many.
    async fn end_all_sessions(&self, person_id: i64) -> Result<u64, StoreError>;

    /// Deletes the person `person_id` and what is theirs alone — sessions, tokens, memberships,
    /// requests, mail not yet sent to their address, rate-limit counters on it — recording
    /// `audit`. The audit log keeps its lines, the person in them replaced by a tombstone
    /// (shown as "deleted account"); organisations, calls and their versions stay, their
    /// author left blank.
    async fn delete_person(&self, person_id: i64, audit: &super::AuditEntry) -> Result<(), StoreError>;
}

/// Counters for rate limits, shared by every app server through the database.
#[async_trait]
pub trait RateLimits: Send + Sync {
    /// Counts one more hit of `key` in `bucket` for the window that began at `window_start`
    /// and returns the hits in that window so far, this one included. Older windows are
    /// forgotten along the way.
    async fn hit(&self, bucket: &str, key: &str, window_start: DateTime<Utc>) -> Result<u32, StoreError>;

    /// The hits of `key` in `bucket` in the window that began at `window_start`, counting none.
    async fn hits(&self, bucket: &str, key: &str, window_start: DateTime<Utc>) -> Result<u32, StoreError>;

    /// Forgets the hits of `key` in `bucket` in the window that began at `window_start`.
    async fn clear(&self, bucket: &str, key: &str, window_start: DateTime<Utc>) -> Result<(), StoreError>;
}
