//! The catalogue and directory services, called directly (no HTTP) on both backends: the
//! index answers, the database stands in when the index fails (a Meilisearch nobody
//! listens to), identifiers that cannot exist are not found, searches are logged alike.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::demo::{self, DemoSize};
use domain::organisation_query::OrganisationQuery;
use domain::search::embedded::EmbeddedIndex;
use domain::search::meili::MeiliIndex;
use domain::search::{indexer, SearchIndex};
use domain::services::{catalogue, directory, AppState, Clock, ServiceError};
use domain::store::{NewCall, Store};
use domain::{CallQuery, Deadline};
use std::sync::Arc;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

/// The services over `store` with the embedded index, filled from the store.
async fn with_index(store: Arc<dyn Store>) -> AppState {
    let search: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    indexer::apply_all_pending(store.as_ref(), search.as_ref())
        .await
        .unwrap();
    AppState::new(store, search, Clock::Fixed(now()))
}

/// The services over `store` with a search engine that does not answer.
fn with_index_down(store: Arc<dyn Store>) -> AppState {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let search = MeiliIndex::new(&format!("http://127.0.0.1:{port}"), Some("key"), "down").unwrap();
    AppState::new(store, Arc::new(search), Clock::Fixed(now()))
}

/// Demo calls and organisations, plus a quantum call restricted to Bretagne.
async fn fill(store: &dyn Store) {
    let data = demo::generate(
        11,
        now().date_naive(),
        DemoSize {
            calls: 60,
            organisations: 60,
            clusters: 3,
        },
    );
    let mut quantum = NewCall::new(
        "Q-1",
        "test",
        "Zephyrite quantum lattice pilots",
        "Horizon Europe",
        "EC",
    );
    quantum.opening_at = Some(now() - Duration::days(10));
    quantum.deadlines = vec![Deadline {
        stage: 1,
        at: now() + Duration::days(40),
        label: None,
    }];
    quantum.eligible_regions = vec!["FRH0".parse().unwrap()];
    let mut data = data;
    data.calls.push(quantum);
    data.write_to(store, now()).await.unwrap();
}

fn ids(listing: &domain::listing::CallListing) -> Vec<String> {
    listing.page.items.iter().map(|c| c.external_id.clone()).collect()
}

async fn the_catalogue_lists_from_the_index_and_from_the_database_when_it_fails(store: Arc<dyn Store>) {
    fill(store.as_ref()).await;
    let indexed = with_index(store.clone()).await;
    let down = with_index_down(store.clone());

    let searched = catalogue::list_calls(&indexed, &CallQuery::from_pairs([("q", "zephyrite lattice")]))
        .await
        .unwrap();
    assert!(!searched.degraded);
    assert_eq!(ids(&searched).first().map(String::as_str), Some("Q-1"));
    assert!(searched.highlights.iter().any(|hit| hit.external_id == "Q-1"));
    assert!(!searched.facets.status.is_empty(), "the index counts every facet");

    let fallback = catalogue::list_calls(&down, &CallQuery::from_pairs([("q", "zephyrite lattice")]))
        .await
        .unwrap();
    assert!(fallback.degraded);
    assert_eq!(ids(&fallback), vec!["Q-1"], "the database matches the words in titles");
    assert!(!fallback.facets.programme.is_empty(), "programmes are still offered");

    // Filters agree between the two paths.
    let filtered = CallQuery::from_pairs([("status", "open"), ("region", "FRH0"), ("per_page", "100")]);
    let from_index = catalogue::list_calls(&indexed, &filtered).await.unwrap();
    let from_database = catalogue::list_calls(&down, &filtered).await.unwrap();
    assert_eq!(from_index.page.total, from_database.page.total);
    let (mut a, mut b) = (ids(&from_index), ids(&from_database));
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert!(
        from_index.region_names.contains_key("FRH0"),
        "{:?}",
        from_index.region_names
    );

    // Both lists log a search with text in the same form: the list and its URL query.
    let logged = store.recent_searches(5).await.unwrap();
    assert_eq!(logged.len(), 2, "searches without text are not logged");
    assert_eq!(logged[0].filters["list"], "calls");
    assert_eq!(logged[0].filters["query"], "?q=zephyrite%20lattice");
}

async fn a_call_is_read_for_its_page_and_what_cannot_exist_is_not_found(store: Arc<dyn Store>) {
    fill(store.as_ref()).await;
    let state = with_index(store).await;
    let view = catalogue::get_call(&state, "Q-1").await.unwrap();
    assert_eq!(view.call.summary.title, "Zephyrite quantum lattice pilots");
    assert_eq!(view.now, now());
    assert!(view.region_names.contains_key("FRH0"));
    for missing in ["NOPE", "", "a\0b", &"x".repeat(5000)] {
        let error = catalogue::get_call(&state, missing).await.unwrap_err();
        assert!(matches!(error, ServiceError::NotFound(_)), "{missing:?}: {error}");
        assert!(error.to_string().len() < 120, "the message stays short");
    }
    assert!(catalogue::suggest_calls(&state, "q").await.unwrap().is_empty());
    let suggested = catalogue::suggest_calls(&state, "zephyri").await.unwrap();
    assert!(
        suggested.contains(&"Zephyrite quantum lattice pilots".to_owned()),
        "{suggested:?}"
    );
}

async fn the_directory_searches_the_index_and_the_database_when_it_fails(store: Arc<dyn Store>) {
    fill(store.as_ref()).await;
    let indexed = with_index(store.clone()).await;
    let down = with_index_down(store.clone());
    let query = OrganisationQuery::from_pairs([("country", "FR"), ("per_page", "100")]);
    let from_index = directory::search_organisations(&indexed, None, &query).await.unwrap();
    let from_database = directory::search_organisations(&down, None, &query).await.unwrap();
    assert!(!from_index.degraded && from_database.degraded);
    assert!(from_index.total > 0);
    assert_eq!(from_index.total, from_database.total);
    let names = |listing: &domain::listing::OrganisationListing| -> Vec<String> {
        listing.items.iter().map(|d| d.organisation.name.clone()).collect()
    };
    assert_eq!(names(&from_index), names(&from_database), "both in name order");
    assert!(!from_index.clusters.is_empty());

    let first = &from_index.items[0].organisation.name;
    let word: String = first.chars().take(4).collect();
    directory::search_organisations(&indexed, None, &OrganisationQuery::from_pairs([("q", word.as_str())]))
        .await
        .unwrap();
    let logged = store.recent_searches(1).await.unwrap();
    assert_eq!(logged[0].filters["list"], "organisations");
    assert_eq!(logged[0].text, word);
    let suggested = directory::suggest_organisations(&indexed, &word).await.unwrap();
    assert!(suggested.contains(first), "{word}: {suggested:?}");
}

crate::on_both_backends!(
    shared: the_catalogue_lists_from_the_index_and_from_the_database_when_it_fails,
    a_call_is_read_for_its_page_and_what_cannot_exist_is_not_found,
    the_directory_searches_the_index_and_the_database_when_it_fails,
);
