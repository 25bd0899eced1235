//! The index outbox: search-index updates the database owes the engine, written in the same
//! transaction as the change they reflect and applied by the indexer.

use super::StoreError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What kind of document an index update is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexedEntity {
    /// A call.
    Call,
    /// An organisation.
    Organisation,
}

impl IndexedEntity {
    /// The storage form.
    pub fn as_str(self) -> &'static str {
        match self {
            IndexedEntity::Call => "call",
            IndexedEntity::Organisation => "organisation",
        }
    }

    /// Parses the storage form.
    pub fn parse(value: &str) -> Option<IndexedEntity> {
        match value {
            "call" => Some(IndexedEntity::Call),
            "organisation" => Some(IndexedEntity::Organisation),
            _ => None,
        }
    }
}

/// An index update owed to the search engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Queue position.
    pub id: i64,
    /// Whether it is about a call or an organisation.
    pub entity: IndexedEntity,
    /// The document to re-read and index (or remove from the index when it no longer exists).
    pub external_id: String,
}

/// How far the search index is behind the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IndexLag {
    /// Index updates not yet applied.
    pub pending: u64,
    /// When the oldest of them was written.
    pub oldest: Option<DateTime<Utc>>,
}

/// The queue of index updates, read and emptied by the indexer.
#[async_trait]
pub trait IndexOutbox: Send + Sync {
    /// The oldest `limit` index updates not yet applied.
    async fn pending_index_changes(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError>;

    /// Marks index updates as applied.
    async fn complete_index_changes(&self, ids: &[i64]) -> Result<(), StoreError>;

    /// How far the search index is behind.
    async fn index_lag(&self) -> Result<IndexLag, StoreError>;
}
