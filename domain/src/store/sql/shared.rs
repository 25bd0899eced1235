// The SQL shared by both backends. These files are not modules of their own: `sqlite.rs`
// and `postgres.rs` each `include!` this one after defining `type Db` and `MIGRATOR`, so the
// same statements are type-checked against each driver; it includes one file per aggregate
// as a child module (`calls.rs`, `clusters.rs`, `consortia.rs`, `digests.rs`, `directory.rs`, `outbox.rs`, `mail_outbox.rs`, `matches.rs`, `memberships.rs`, `messages.rs`,
// `publishing.rs`, `people.rs`, `search_log.rs`,
// `strategies.rs`). Dialect-specific SQL does not belong here (see the `store` module's
// documentation for where it goes); placeholders come from `QueryBuilder`, which knows each
// dialect.

use super::{Backend, Counts, Store};
use async_trait::async_trait;
use sqlx::{Pool, QueryBuilder};

/// A store on this backend.
pub struct SqlStore {
    pool: Pool<Db>,
    backend: Backend,
}

fn push_any_of<'a>(builder: &mut QueryBuilder<'a, Db>, values: impl IntoIterator<Item = String>) {
    builder.push(" IN (");
    let mut list = builder.separated(", ");
    for value in values {
        list.push_bind(value);
    }
    list.push_unseparated(")");
}

/// Keeps rows where every word of `text` occurs in one of `columns`, ignoring case: the
/// database's own text matching, plain substrings — what remains when the search index is
/// unavailable.
fn push_words_like(builder: &mut QueryBuilder<'_, Db>, text: &str, columns: [&'static str; 2]) {
    for word in text
        .split_whitespace()
        .map(|w| w.trim_matches('"').to_lowercase())
        .filter(|w| !w.is_empty())
    {
        let pattern = format!("%{}%", like_escaped(&word));
        builder.push(" AND (LOWER(").push(columns[0]).push(") LIKE ");
        builder.push_bind(pattern.clone()).push(LIKE_ESCAPE);
        builder.push(" OR LOWER(").push(columns[1]).push(") LIKE ");
        builder.push_bind(pattern).push(LIKE_ESCAPE);
        builder.push(")");
    }
}

/// Keeps rows whose one-per-line `column` holds any of `values` (none chosen: no filter).
fn push_any_line(builder: &mut QueryBuilder<'_, Db>, column: &'static str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    builder.push(" AND (1 = 0");
    for value in values {
        builder.push(" OR ");
        push_has_line(builder, column, value);
    }
    builder.push(")");
}

/// Whether the one-per-line `column` holds `value` as a whole line.
fn push_has_line(builder: &mut QueryBuilder<'_, Db>, column: &'static str, value: &str) {
    builder.push("(").push_bind("\n").push(" || ").push(column).push(" || ");
    builder
        .push_bind("\n")
        .push(") LIKE ")
        .push_bind(format!("%\n{}\n%", like_escaped(value)))
        .push(LIKE_ESCAPE);
}

/// The escape clause that goes after every `LIKE` pattern built with [`like_escaped`].
const LIKE_ESCAPE: &str = " ESCAPE '\\'";

/// `value` with `LIKE`'s wildcards escaped, so a user's `%` or `_` matches itself.
fn like_escaped(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// `sql` followed by one bound text value (e.g. `"… WHERE external_id = "`, id).
fn equals<'a>(sql: &str, value: &str) -> QueryBuilder<'a, Db> {
    let mut builder = QueryBuilder::new(sql);
    builder.push_bind(value.to_owned());
    builder
}

/// Turns a unique-constraint violation into a [`StoreError::Conflict`].
fn conflict(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(db.message().to_owned()),
        _ => StoreError::Database(error),
    }
}

impl SqlStore {
    /// External ids of `table` in order, after `after`: batches for work over every row.
    async fn ids_after(&self, table: &'static str, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new("SELECT external_id FROM ");
        builder.push(table);
        if let Some(after) = after {
            builder.push(" WHERE external_id > ").push_bind(after.to_owned());
        }
        builder.push(" ORDER BY external_id LIMIT ").push_bind(i64::from(limit));
        Ok(builder.build_query_scalar().fetch_all(&self.pool).await?)
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn source_id(&self) -> Result<String, StoreError> {
        let (identity, schema): (String, i64) =
            sqlx::query_as("SELECT (SELECT id FROM database_identity), (SELECT MAX(version) FROM _sqlx_migrations)")
                .fetch_one(&self.pool)
                .await?;
        Ok(format!("{identity}/schema-{schema}"))
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        let (calls, organisations, clusters, cluster_members): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM calls), (SELECT COUNT(*) FROM organisations), \
             (SELECT COUNT(*) FROM clusters), (SELECT COUNT(*) FROM cluster_members)",
        )
        .fetch_one(&self.pool)
        .await?;
        let to_u64 = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(Counts {
            calls: to_u64(calls),
            organisations: to_u64(organisations),
            clusters: to_u64(clusters),
            cluster_members: to_u64(cluster_members),
        })
    }
}

/// Calls: writes, lists, pages and the status rule in SQL.
mod calls {
    include!("calls.rs");
}

/// Clusters run from the portal: pages, requests, members.
mod clusters {
    include!("clusters.rs");
}

/// Organisations, clusters and region names.
mod directory {
    include!("directory.rs");
}

/// Index updates owed to the search engine.
mod outbox {
    include!("outbox.rs");
}

/// Mail owed to people.
mod mail_outbox {
    include!("mail_outbox.rs");
}

/// Memberships, requests, administrators and the audit log.
mod memberships {
    include!("memberships.rs");
}

/// Saved searches and digest times.
mod alerts {
    include!("alerts.rs");
}

/// The digests' marks, stops and mutes.
mod digests {
    include!("digests.rs");
}

/// Consortia for calls, their members and answers.
mod consortia {
    include!("consortia.rs");
}

/// Calls marked not relevant in matches, and the calls' fingerprint.
mod matches {
    include!("matches.rs");
}

/// Conversations, messages, blocks and abuse reports.
mod messages {
    include!("messages.rs");
}

/// Funding bodies' calls through their workflow, and their versions.
mod publishing {
    include!("publishing.rs");
}

/// Accounts, tokens, sessions and rate-limit counters.
mod people {
    include!("people.rs");
}

/// Regions' smart-specialisation strategies.
mod strategies {
    include!("strategies.rs");
}

/// The anonymous search log.
mod search_log {
    include!("search_log.rs");
}
