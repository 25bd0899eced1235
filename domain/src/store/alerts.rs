//! Where saved searches and digest times are kept. Every read and write names the person it
//! is for: another person's saved search is not found.

use super::StoreError;
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
}
