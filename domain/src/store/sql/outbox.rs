// The index outbox, in SQL shared by both dialects (included by `shared.rs` as the `outbox`
// module).

use super::*;
use crate::store::{IndexLag, IndexOutbox, IndexedEntity, OutboxEntry};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// Owes the index an update of one document, in the caller's transaction.
pub(super) async fn enqueue(
    tx: &mut sqlx::Transaction<'_, Db>,
    entity: IndexedEntity,
    external_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut builder = QueryBuilder::<Db>::new("INSERT INTO search_outbox (entity, external_id, enqueued_at) VALUES (");
    let mut values = builder.separated(", ");
    values.push_bind(entity.as_str());
    values.push_bind(external_id.to_owned());
    values.push_bind(whole_seconds(now));
    values.push_unseparated(")");
    builder.build().execute(&mut **tx).await?;
    Ok(())
}

#[async_trait]
impl IndexOutbox for SqlStore {
    async fn pending_index_changes(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut builder =
            QueryBuilder::<Db>::new("SELECT id, entity, external_id FROM search_outbox ORDER BY id LIMIT ");
        builder.push_bind(i64::from(limit));
        let rows: Vec<(i64, String, String)> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(id, entity, external_id)| {
                Ok(OutboxEntry {
                    id,
                    entity: IndexedEntity::parse(&entity)
                        .ok_or_else(|| StoreError::Corrupt(format!("search_outbox {id}: unknown entity {entity:?}")))?,
                    external_id,
                })
            })
            .collect()
    }

    async fn complete_index_changes(&self, ids: &[i64]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut builder = QueryBuilder::<Db>::new("DELETE FROM search_outbox WHERE id IN (");
        let mut list = builder.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn index_lag(&self) -> Result<IndexLag, StoreError> {
        let (pending, oldest): (i64, Option<DateTime<Utc>>) =
            sqlx::query_as("SELECT COUNT(*), MIN(enqueued_at) FROM search_outbox")
                .fetch_one(&self.pool)
                .await?;
        Ok(IndexLag {
            pending: u64::try_from(pending).unwrap_or(0),
            oldest,
        })
    }
}
