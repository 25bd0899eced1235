//! The search index follows the database through the outbox, and reconverges after an outage.

use async_trait::async_trait;
use chrono::{TimeZone, Utc};
use domain::demo;
use domain::organisation_query::OrganisationQuery;
use domain::search::embedded::EmbeddedIndex;
use domain::search::{
    indexer, CallIndex, IndexChange, OrganisationDocument, OrganisationIndex, OrganisationResults, SearchError,
    SearchIndex, SearchRequest, SearchResults,
};
use domain::store::{NewCall, Store};
use domain::CallQuery;
use std::sync::atomic::{AtomicBool, Ordering};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn call(id: &str, title: &str) -> NewCall {
    NewCall::new(id, "test", title, "Horizon Europe", "European Commission")
}

async fn titles_found(index: &dyn SearchIndex, text: &str) -> Vec<String> {
    let request = SearchRequest {
        query: CallQuery::from_pairs([("q", text)]),
        now: now(),
    };
    index
        .search(&request)
        .await
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.title.text)
        .collect()
}

async fn writes_leave_index_updates_that_the_indexer_applies(store: &dyn Store) {
    let index = EmbeddedIndex::in_memory().unwrap();
    store
        .upsert_calls(&[call("A", "Quantum sensing"), call("B", "Maritime drones")], now())
        .await
        .unwrap();
    assert_eq!(store.index_lag().await.unwrap().pending, 2);
    assert_eq!(store.index_lag().await.unwrap().oldest, Some(now()));

    assert_eq!(indexer::apply_all_pending(store, &index).await.unwrap(), 2);
    assert_eq!(store.index_lag().await.unwrap().pending, 0);
    assert_eq!(titles_found(&index, "quantum").await, vec!["Quantum sensing"]);

    store
        .upsert_calls(&[call("A", "Quantum sensing for ports")], now())
        .await
        .unwrap();
    store
        .upsert_calls(&[call("B", "Maritime drones")], now())
        .await
        .unwrap();
    assert_eq!(
        store.index_lag().await.unwrap().pending,
        1,
        "an unchanged write owes no update"
    );
    indexer::apply_all_pending(store, &index).await.unwrap();
    assert_eq!(titles_found(&index, "ports").await, vec!["Quantum sensing for ports"]);
    assert_eq!(
        index.document_count().await.unwrap(),
        2,
        "an update replaces, never duplicates"
    );
}

/// The real index behind a switch that makes it fail, as an unreachable engine would.
struct Unreliable {
    inner: EmbeddedIndex,
    down: AtomicBool,
}

impl Unreliable {
    fn check(&self) -> Result<(), SearchError> {
        if self.down.load(Ordering::SeqCst) {
            Err(SearchError::Unavailable("engine is down".into()))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl SearchIndex for Unreliable {
    fn name(&self) -> &'static str {
        "unreliable"
    }
    async fn clear(&self) -> Result<(), SearchError> {
        self.check()?;
        self.inner.clear().await
    }
}

#[async_trait]
impl CallIndex for Unreliable {
    async fn apply(&self, changes: Vec<IndexChange>) -> Result<(), SearchError> {
        self.check()?;
        self.inner.apply(changes).await
    }
    async fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        self.check()?;
        self.inner.search(request).await
    }
    async fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        self.check()?;
        self.inner.suggest(prefix, limit).await
    }
    async fn document_count(&self) -> Result<u64, SearchError> {
        self.check()?;
        self.inner.document_count().await
    }
}

#[async_trait]
impl OrganisationIndex for Unreliable {
    async fn apply_organisations(&self, changes: Vec<IndexChange<OrganisationDocument>>) -> Result<(), SearchError> {
        self.check()?;
        self.inner.apply_organisations(changes).await
    }
    async fn search_organisations(&self, query: &OrganisationQuery) -> Result<OrganisationResults, SearchError> {
        self.check()?;
        self.inner.search_organisations(query).await
    }
    async fn organisation_count(&self) -> Result<u64, SearchError> {
        self.check()?;
        self.inner.organisation_count().await
    }
    async fn suggest_organisations(&self, prefix: &str, limit: usize) -> Result<Vec<String>, SearchError> {
        self.check()?;
        self.inner.suggest_organisations(prefix, limit).await
    }
}

/// Organisation and membership writes reach the directory through the same outbox, and a
/// reindex rebuilds calls and organisations together.
async fn organisations_and_memberships_reach_the_directory(store: &dyn Store) {
    let index = EmbeddedIndex::in_memory().unwrap();
    let data = demo::generate(
        3,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        demo::DemoSize {
            calls: 5,
            organisations: 40,
            clusters: 2,
        },
    );
    store.upsert_calls(&data.calls, now()).await.unwrap();
    store.upsert_organisations(&data.organisations, now()).await.unwrap();
    indexer::apply_all_pending(store, &index).await.unwrap();
    assert_eq!(index.organisation_count().await.unwrap(), 40);
    assert_eq!(index.document_count().await.unwrap(), 5);

    store
        .upsert_clusters(&data.clusters, &data.members, now())
        .await
        .unwrap();
    indexer::apply_all_pending(store, &index).await.unwrap();
    let cluster = &data.clusters[0];
    let members = data
        .members
        .iter()
        .filter(|m| m.cluster_id == cluster.external_id)
        .count() as u64;
    let in_cluster = index
        .search_organisations(&OrganisationQuery::from_pairs([(
            "cluster",
            cluster.external_id.as_str(),
        )]))
        .await
        .unwrap();
    assert_eq!(in_cluster.total, members, "members are found by their cluster");
    let by_cluster_name = index
        .search_organisations(&OrganisationQuery::from_pairs([("q", cluster.name.as_str())]))
        .await
        .unwrap();
    assert!(by_cluster_name.total >= members, "and by its name");

    index.clear().await.unwrap();
    let written = domain::search::reindex(store, &index, &domain::import::Silent)
        .await
        .unwrap();
    assert_eq!(written, 45);
    assert_eq!(index.organisation_count().await.unwrap(), 40);
}

async fn the_index_reconverges_after_an_outage(store: &dyn Store) {
    let index = Unreliable {
        inner: EmbeddedIndex::in_memory().unwrap(),
        down: AtomicBool::new(true),
    };
    store
        .upsert_calls(&[call("A", "Secure satellite links")], now())
        .await
        .unwrap();
    assert!(indexer::apply_pending(store, &index).await.is_err());
    assert_eq!(
        store.index_lag().await.unwrap().pending,
        1,
        "nothing is lost while the engine is down"
    );

    index.down.store(false, Ordering::SeqCst);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let worker = async {
        indexer::run(store, &index, shutdown).await;
    };
    let check = async {
        for _ in 0..100 {
            if store.index_lag().await.unwrap().pending == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        stop.send(true).unwrap();
    };
    tokio::join!(worker, check);
    assert_eq!(store.index_lag().await.unwrap().pending, 0);
    assert_eq!(titles_found(&index, "satellite").await, vec!["Secure satellite links"]);
}

async fn an_index_built_from_another_database_is_rebuilt_from_this_one(store: &dyn Store) {
    let dir = tempfile::tempdir().unwrap();
    let other = crate::support::TestDb::sqlite().await;
    let theirs = [call("OTHER-1", "Quantum sensing"), call("OTHER-2", "Quantum radar")];
    other.store().upsert_calls(&theirs, now()).await.unwrap();
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    indexer::catch_up(other.store(), &index).await.unwrap();
    assert_eq!(index.document_count().await.unwrap(), 2);
    drop(index);

    // The same folder, now serving this database: its totals, not the other one's.
    store
        .upsert_calls(&[call("THIS-1", "Quantum networks")], now())
        .await
        .unwrap();
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    assert_ne!(index.source().await.unwrap(), Some(store.source_id().await.unwrap()));
    indexer::catch_up(store, &index).await.unwrap();
    assert_eq!(index.document_count().await.unwrap(), 1);
    assert_eq!(titles_found(&index, "quantum").await, vec!["Quantum networks"]);
    assert_eq!(index.source().await.unwrap(), Some(store.source_id().await.unwrap()));
    drop(index);

    // Back on the same database, nothing is rebuilt: a write not yet applied stays pending.
    store
        .upsert_calls(&[call("THIS-2", "Quantum clocks")], now())
        .await
        .unwrap();
    let index = EmbeddedIndex::open(dir.path()).unwrap();
    assert_eq!(index.document_count().await.unwrap(), 1);
    indexer::catch_up(store, &index).await.unwrap();
    assert_eq!(index.document_count().await.unwrap(), 2);
}

crate::on_both_backends!(
    an_index_built_from_another_database_is_rebuilt_from_this_one,
    writes_leave_index_updates_that_the_indexer_applies,
    the_index_reconverges_after_an_outage,
    organisations_and_memberships_reach_the_directory,
);
