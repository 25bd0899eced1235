// The anonymous search log, in SQL shared by both dialects (included by `shared.rs` as the
// `search_log` module).

use super::*;
use crate::store::{SearchLog, SearchLogEntry};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

#[async_trait]
impl SearchLog for SqlStore {
    async fn log_search(&self, entry: &SearchLogEntry) -> Result<(), StoreError> {
        let mut builder =
            QueryBuilder::<Db>::new("INSERT INTO search_log (searched_at, query_text, filters, hits) VALUES (");
        let mut values = builder.separated(", ");
        values.push_bind(whole_seconds(entry.searched_at));
        values.push_bind(entry.text.clone());
        values.push_bind(sqlx::types::Json(entry.filters.clone()));
        values.push_bind(i64::try_from(entry.hits).unwrap_or(i64::MAX));
        values.push_unseparated(")");
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn recent_searches(&self, limit: u32) -> Result<Vec<SearchLogEntry>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT searched_at, query_text, filters, hits FROM search_log ORDER BY id DESC LIMIT ",
        );
        builder.push_bind(i64::from(limit));
        let rows: Vec<(DateTime<Utc>, String, sqlx::types::Json<serde_json::Value>, i64)> =
            builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(searched_at, text, filters, hits)| SearchLogEntry {
                searched_at,
                text,
                filters: filters.0,
                hits: u64::try_from(hits).unwrap_or(0),
            })
            .collect())
    }
}
