//! The PostgreSQL backend: for several stateless app servers sharing one database.

use super::StoreError;
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;

/// The database type the shared SQL is compiled for here.
type Db = sqlx::Postgres;

/// What the shared SQL appends to a sub-select whose rows it is about to lease: rows another
/// transaction holds are skipped, so two app servers never lease the same row.
const SKIP_LOCKED_ROWS: &str = " FOR UPDATE SKIP LOCKED";

/// This dialect's migrations.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl SqlStore {
    /// Connects to the PostgreSQL database named by `url` and migrates it.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        let store = SqlStore {
            pool,
            backend: super::Backend::Postgres,
        };
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }
}

include!("sql/shared.rs");
