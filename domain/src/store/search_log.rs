//! The anonymous search log: what people look for, for demand analytics.

use super::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One anonymous search, for demand analytics: no user, no address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchLogEntry {
    /// When.
    pub searched_at: DateTime<Utc>,
    /// The text searched for.
    pub text: String,
    /// The filters, as JSON.
    pub filters: serde_json::Value,
    /// How many calls matched.
    pub hits: u64,
}

/// Where searches are logged.
#[async_trait]
pub trait SearchLog: Send + Sync {
    /// Records one search in the anonymous log.
    async fn log_search(&self, entry: &SearchLogEntry) -> Result<(), StoreError>;

    /// The latest `limit` logged searches, newest first.
    async fn recent_searches(&self, limit: u32) -> Result<Vec<SearchLogEntry>, StoreError>;
}
