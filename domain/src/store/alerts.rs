//! Where saved searches, followed calls and digest times are kept. Every read and write names
//! the person it is for: another person's saved search is not found.

use super::StoreError;
use crate::alerts::follows::FollowedCall;
use crate::alerts::{DigestSchedule, Frequency, SavedSearch, SearchKind};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A search to save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSavedSearch {
    /// Calls or organisations.
    pub kind: SearchKind,
    /// The search as a URL query, canonical (first page, default order).
    pub query: String,
    /// What it searches, in words.
    pub title: String,
}

/// Saved searches and digest times.
#[async_trait]
pub trait Alerts: Send + Sync {
    /// Person `person_id`'s saved searches, newest first.
    async fn saved_searches(&self, person_id: i64) -> Result<Vec<SavedSearch>, StoreError>;

    /// Saves `search` for person `person_id`, weekly; the same search saved again is returned
    /// as it is. A person holding `limit` searches already gets a conflict.
    async fn save_search(
        &self,
        person_id: i64,
        search: &NewSavedSearch,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<SavedSearch, StoreError>;

    /// Sets how often person `person_id`'s saved search `id` mails; not found when it is not theirs.
    async fn set_search_frequency(
        &self,
        person_id: i64,
        id: i64,
        frequency: Frequency,
        now: DateTime<Utc>,
    ) -> Result<SavedSearch, StoreError>;

    /// Deletes person `person_id`'s saved search `id`; not found when it is not theirs.
    async fn delete_saved_search(&self, person_id: i64, id: i64) -> Result<(), StoreError>;

    /// When person `person_id`'s digest is composed (the default until they choose).
    async fn digest_schedule(&self, person_id: i64) -> Result<DigestSchedule, StoreError>;

    /// Records when person `person_id`'s digest is composed.
    async fn set_digest_schedule(
        &self,
        person_id: i64,
        schedule: &DigestSchedule,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;

    /// The calls person `person_id` follows, soonest next deadline first (then by title),
    /// each with its next deadline after `now`.
    async fn followed_calls(&self, person_id: i64, now: DateTime<Utc>) -> Result<Vec<FollowedCall>, StoreError>;

    /// Person `person_id` follows the published call `call` from `now` (following it again
    /// changes nothing); not found when no published call has that id, a conflict when they
    /// follow `limit` calls already.
    async fn follow_call(&self, person_id: i64, call: &str, limit: usize, now: DateTime<Utc>)
        -> Result<(), StoreError>;

    /// Person `person_id` stops following call `call` (not following it is no mistake).
    async fn unfollow_call(&self, person_id: i64, call: &str) -> Result<(), StoreError>;

    /// The organisations (external ids) whose new top matches are in person `person_id`'s
    /// weekly digest.
    async fn top_matches_alerts(&self, person_id: i64) -> Result<Vec<String>, StoreError>;

    /// Puts (`on`) or leaves out the new top matches of organisation `organisation_id` in
    /// person `person_id`'s weekly digest; not found when there is no such organisation.
    async fn set_top_matches_alert(
        &self,
        person_id: i64,
        organisation_id: &str,
        on: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}
