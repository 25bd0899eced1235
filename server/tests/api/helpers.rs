//! `TestApp`: the whole router served on port 0, with an isolated database and fixed clock.

use chrono::{DateTime, TimeZone, Utc};
use domain::search::embedded::EmbeddedIndex;
use domain::search::{indexer, SearchIndex};
use domain::services::{AppState, Clock, Site};
use domain::store::{self, NewCall, Store};
use server::http::{self, ServerState};
use std::path::Path;
use std::sync::Arc;

/// A running server and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The services the server uses (to arrange data directly).
    pub state: AppState,
    /// The whole database behind it.
    pub store: Arc<dyn Store>,
    /// The whole search engine behind it.
    pub search: Arc<dyn SearchIndex>,
    /// An HTTP client.
    pub client: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A port nothing listens on: bound, then released.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The instant the test server calls "now".
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

impl TestApp {
    /// Starts a server on an empty database, with the embedded search index.
    pub async fn spawn() -> TestApp {
        Self::spawn_with_search(|dir| Arc::new(EmbeddedIndex::open(&dir.join("index")).unwrap())).await
    }

    /// Starts a server on an empty database, with the search engine `search` makes in the test's folder.
    pub async fn spawn_with_search(search: impl FnOnce(&Path) -> Arc<dyn SearchIndex>) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("app.db").display());
        let store = store::connect(&url).await.unwrap();
        let search = search(dir.path());
        Self::serve(dir, store, search, false).await
    }

    /// Starts a server on `store` (a PostgreSQL test database, say), with the embedded index.
    pub async fn spawn_on(store: Arc<dyn Store>) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let search: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::open(&dir.path().join("index")).unwrap());
        Self::serve(dir, store, search, false).await
    }

    /// Starts a server on an empty database that shows its file mailbox (`mailbox()`) at
    /// `/dev/mailbox`.
    pub async fn spawn_with_dev_mailbox() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("app.db").display());
        let store = store::connect(&url).await.unwrap();
        let search: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::open(&dir.path().join("index")).unwrap());
        Self::serve(dir, store, search, true).await
    }

    /// The folder the file mailbox writes to (shown only by [`TestApp::spawn_with_dev_mailbox`]).
    pub fn mailbox(&self) -> std::path::PathBuf {
        self._dir.path().join("mailbox")
    }

    /// Serves the router over `store` and `search` on a free port.
    async fn serve(
        dir: tempfile::TempDir,
        store: Arc<dyn Store>,
        search: Arc<dyn SearchIndex>,
        dev_mailbox: bool,
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let site = Site {
            public_url: format!("http://{addr}"),
            mail_domain: "fundbridge.test".to_owned(),
            secure_cookies: false,
        };
        let state = AppState::new(store.clone(), search.clone(), Clock::Fixed(now())).with_site(site);
        let router = http::router(ServerState {
            app: state.clone(),
            database: store.clone(),
            search: search.clone(),
            leptos: http::leptos_options(&dir.path().join("site"), addr),
            dev_mailbox: dev_mailbox.then(|| dir.path().join("mailbox")),
        });
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
        TestApp {
            address: format!("http://{addr}"),
            state,
            store,
            search,
            // A response that never completes fails its test instead of stalling the suite.
            client: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()
                .unwrap(),
            _dir: dir,
        }
    }

    /// Starts a server whose search engine is Meilisearch at an address nothing answers.
    pub async fn spawn_with_meilisearch_down() -> TestApp {
        let port = free_port();
        Self::spawn_with_search(|_| {
            Arc::new(
                domain::search::meili::MeiliIndex::new(&format!("http://127.0.0.1:{port}"), Some("key"), "calls")
                    .unwrap(),
            )
        })
        .await
    }

    /// Stores `calls` directly and brings the search index up to date.
    pub async fn with_calls(self, calls: &[NewCall]) -> TestApp {
        self.store.upsert_calls(calls, now()).await.unwrap();
        indexer::apply_all_pending(self.store.as_ref(), self.search.as_ref())
            .await
            .unwrap();
        self
    }

    /// Stores generated data (calls, organisations, clusters, region names) and brings the search index up to date.
    pub async fn with_demo_data(self, data: &domain::demo::DemoData) -> TestApp {
        let store = self.store.as_ref();
        data.write_to(store, now()).await.unwrap();
        indexer::apply_all_pending(store, self.search.as_ref()).await.unwrap();
        self
    }

    /// GETs `path`, returning the status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let url = format!("{}{path}", self.address);
        let response = self
            .client
            .get(&url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = response.status().as_u16();
        (
            status,
            response.text().await.unwrap_or_else(|e| panic!("GET {url}: body: {e}")),
        )
    }

    /// POSTs `body` as a form from no site at all (as a mail provider's server does).
    pub async fn post_form(&self, path: &str, body: &str) -> (u16, String) {
        let url = format!("{}{path}", self.address);
        let response = self
            .client
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status().as_u16();
        (
            status,
            response
                .text()
                .await
                .unwrap_or_else(|e| panic!("POST {url}: body: {e}")),
        )
    }
}
