//! Isolated databases for each test: a temporary SQLite file, or a fresh PostgreSQL
//! database on the server named by `FUNDBRIDGE_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`), dropped afterwards. The server's
//! tests include this file too (with `#[path]`).

use domain::store::{self, Store};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// A database that exists for one test.
pub struct TestDb {
    store: Arc<dyn Store>,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("FUNDBRIDGE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

impl TestDb {
    /// A fresh SQLite file in a temporary folder.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let store = store::connect(&url).await.expect("open SQLite");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A fresh PostgreSQL database.
    pub async fn postgres() -> TestDb {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let admin_url = postgres_admin_url();
        let name = format!(
            "fundbridge_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            chrono::Utc::now().timestamp_subsec_nanos()
        );
        let admin = sqlx::PgPool::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL must run at {admin_url} for the behaviour suite: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create test database");
        admin.close().await;
        let (base, _) = admin_url.rsplit_once('/').expect("a database URL ends in /name");
        let url = format!("{base}/{name}");
        let store = store::connect(&url).await.expect("open PostgreSQL");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Postgres { admin_url, name },
        }
    }

    /// The store under test.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The store under test, shared (as the services hold it).
    pub fn shared(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    /// The database's URL (for a process of its own, say).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs `sql` on the database behind the store's back (to damage a row, say).
    pub async fn execute(&self, sql: &str) {
        let url = self.url();
        if url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(url).await.expect("open SQLite");
            sqlx::query(sql).execute(&pool).await.expect(sql);
        } else {
            let pool = sqlx::PgPool::connect(url).await.expect("open PostgreSQL");
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, drop_name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot block: use a thread of our own.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                runtime.block_on(async {
                    let admin = sqlx::PgPool::connect(&admin_url).await.map_err(std::io::Error::other)?;
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {drop_name} WITH (FORCE)"))
                        .execute(&admin)
                        .await
                        .map_err(std::io::Error::other)?;
                    Ok::<_, std::io::Error>(())
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("warning: could not drop test database {name}");
            }
        }
    }
}

/// Declares each listed `async fn(&dyn Store)` as a test on both backends (with `shared:`,
/// each `async fn(Arc<dyn Store>)`; with `db:`, each `async fn(&TestDb)`).
#[macro_export]
macro_rules! on_both_backends {
    (db: $($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(&$crate::support::TestDb::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(&$crate::support::TestDb::postgres().await).await;
                }
            )*
        }
    };
    (shared: $($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let db = $crate::support::TestDb::sqlite().await;
                    super::$test(db.shared()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    let db = $crate::support::TestDb::postgres().await;
                    super::$test(db.shared()).await;
                }
            )*
        }
    };
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let db = $crate::support::TestDb::sqlite().await;
                    super::$test(db.store()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    let db = $crate::support::TestDb::postgres().await;
                    super::$test(db.store()).await;
                }
            )*
        }
    };
}
