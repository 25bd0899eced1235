//! The SQLite backend: one file, WAL journal, the embedded default.

use super::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The database type the shared SQL is compiled for here.
type Db = sqlx::Sqlite;

/// What the shared SQL appends to a sub-select whose rows it is about to lease: nothing here,
/// as SQLite runs one writer at a time (a second sender waits, then sees the lease).
const SKIP_LOCKED_ROWS: &str = "";

/// This dialect's migrations.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

impl SqlStore {
    /// Opens (creating if missing) the SQLite file named by `url` and migrates it.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(parent) = options.get_filename().parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", parent.display())))?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        let store = SqlStore {
            pool,
            backend: super::Backend::Sqlite,
        };
        MIGRATOR.run(&store.pool).await?;
        Ok(store)
    }
}

include!("sql/shared.rs");
