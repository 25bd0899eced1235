//! Hostile input at the store: every hostile query of both lists is answered from the
//! database (the index's fallback) without error and within its page, a `%` or `_` typed
//! by a user matches itself, and records holding control characters or script links are
//! refused whole.

#[path = "../common/hostile.rs"]
mod corpus;

use chrono::{DateTime, TimeZone, Utc};
use domain::demo::{self, DemoSize};
use domain::organisation::Organisation;
use domain::store::{NewCall, Store};
use domain::CallQuery;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn call(id: &str, title: &str) -> NewCall {
    NewCall::new(id, "test", title, "Horizon Europe", "European Commission")
}

/// Generated calls and organisations, without clusters.
fn demo(calls: usize, organisations: usize) -> demo::DemoData {
    let size = DemoSize {
        calls,
        organisations,
        clusters: 0,
    };
    demo::generate(3, now().date_naive(), size)
}

async fn hostile_queries_are_answered_by_the_database(store: &dyn Store) {
    let data = demo(40, 40);
    let mut calls = data.calls.clone();
    calls.push(call("PCT-1", "Funding rate 100% for SMEs"));
    calls.push(call("SNAKE-1", "quantum_key pilots"));
    store.upsert_calls(&calls, now()).await.unwrap();
    store.upsert_organisations(&data.organisations, now()).await.unwrap();

    for query in corpus::call_queries() {
        let page = store
            .list_calls(&query, now())
            .await
            .unwrap_or_else(|e| panic!("{query:?}: {e}"));
        assert!(page.items.len() <= query.per_page as usize);
    }
    for query in corpus::directory_queries() {
        let (items, _) = store
            .list_organisations(&query)
            .await
            .unwrap_or_else(|e| panic!("{query:?}: {e}"));
        assert!(items.len() <= query.per_page as usize);
    }

    let ids = |page: domain::CallPage| -> Vec<String> { page.items.into_iter().map(|c| c.external_id).collect() };
    let percent = store
        .list_calls(&CallQuery::from_pairs([("q", "%")]), now())
        .await
        .unwrap();
    assert_eq!(
        ids(percent),
        vec!["PCT-1"],
        "a typed % is a percent sign, not a wildcard"
    );
    let underscore = store
        .list_calls(&CallQuery::from_pairs([("q", "_")]), now())
        .await
        .unwrap();
    assert_eq!(ids(underscore), vec!["SNAKE-1"]);
}

async fn records_with_control_characters_or_script_links_are_refused(store: &dyn Store) {
    let nul = call("NUL-1", "Quantum\0 networks");
    let error = store.upsert_calls(&[nul], now()).await.unwrap_err().to_string();
    assert!(error.contains("control character (U+0000)"), "{error}");

    let mut script = call("JS-1", "Quantum networks");
    script.url = Some("javascript:alert(1)".to_owned());
    let fine = call("OK-1", "Fine");
    let error = store
        .upsert_calls(&[fine, script], now())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("JS-1") && error.contains("http(s)"), "{error}");

    let mut description = call("TEXT-1", "Multi-line text is fine");
    description.description = "Scope:\n\t- one\n- two".to_owned();
    store.upsert_calls(&[description], now()).await.unwrap();
    assert_eq!(store.counts().await.unwrap().calls, 1, "refused batches wrote nothing");

    let organisation = demo(0, 1).organisations.remove(0);
    let hostile = Organisation {
        website: Some("data:text/html,<script>alert(1)</script>".to_owned()),
        ..organisation.clone()
    };
    let error = store
        .upsert_organisations(&[hostile], now())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("website"), "{error}");
    let escape = Organisation {
        name: "Aegis\u{1b}[31m SAS".to_owned(),
        ..organisation
    };
    let error = store
        .upsert_organisations(&[escape], now())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("U+001B"), "{error}");
    assert_eq!(store.counts().await.unwrap().organisations, 0);
}

crate::on_both_backends!(
    hostile_queries_are_answered_by_the_database,
    records_with_control_characters_or_script_links_are_refused,
);
