//! A row no code of ours would write is reported as corrupt, naming the row: never read
//! back as a plausible default.

use crate::support::TestDb;
use chrono::{TimeZone, Utc};
use domain::organisation::{Organisation, OrganisationKind};
use domain::store::{NewCall, StoreError};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn assert_corrupt<T: std::fmt::Debug>(result: Result<T, StoreError>, names: &str) {
    match result {
        Err(StoreError::Corrupt(message)) => assert!(message.contains(names), "{message}"),
        other => panic!("expected a corrupt-row error naming {names}, got {other:?}"),
    }
}

async fn a_call_with_an_unknown_instrument_kind_is_corrupt(db: &TestDb) {
    let store = db.store();
    let calls = [
        NewCall::new("GOOD-1", "test", "Fine call", "Horizon Europe", "EC"),
        NewCall::new("BAD-1", "test", "Damaged call", "Horizon Europe", "EC"),
    ];
    store.upsert_calls(&calls, now()).await.unwrap();
    db.execute("UPDATE calls SET instrument_kind = 'lottery' WHERE external_id = 'BAD-1'")
        .await;
    assert!(store.get_call("GOOD-1", now()).await.unwrap().is_some());
    assert_corrupt(store.get_call("BAD-1", now()).await, "\"BAD-1\"");
    assert_corrupt(store.call_summaries(&["BAD-1".into()], now()).await, "lottery");
    assert_corrupt(store.list_calls(&Default::default(), now()).await, "BAD-1");
}

async fn an_organisation_with_an_unknown_kind_or_size_is_corrupt(db: &TestDb) {
    let store = db.store();
    let organisation = |id: &str| Organisation {
        external_id: id.into(),
        name: format!("Org {id}"),
        kind: OrganisationKind::Sme,
        country: "FR".parse().unwrap(),
        nuts_code: None,
        size_class: None,
        headcount: None,
        website: None,
        description: String::new(),
        dual_use: false,
        capabilities: Vec::new(),
        sectors: Vec::new(),
        certifications: Vec::new(),
        profile: Default::default(),
    };
    let all = [organisation("k"), organisation("s")];
    store.upsert_organisations(&all, now()).await.unwrap();
    db.execute("UPDATE organisations SET kind = 'guild' WHERE external_id = 'k'")
        .await;
    db.execute("UPDATE organisations SET size_class = 'colossal' WHERE external_id = 's'")
        .await;
    assert_corrupt(store.get_organisation("k").await, "kind \"guild\"");
    assert_corrupt(store.get_organisation("s").await, "size class \"colossal\"");
}

async fn an_outbox_entry_for_an_unknown_entity_is_corrupt(db: &TestDb) {
    let store = db.store();
    store
        .upsert_calls(&[NewCall::new("C-1", "test", "A call", "Horizon Europe", "EC")], now())
        .await
        .unwrap();
    db.execute("UPDATE search_outbox SET entity = 'spaceship'").await;
    assert_corrupt(store.pending_index_changes(10).await, "spaceship");
}

crate::on_both_backends!(
    db: a_call_with_an_unknown_instrument_kind_is_corrupt,
    an_organisation_with_an_unknown_kind_or_size_is_corrupt,
    an_outbox_entry_for_an_unknown_entity_is_corrupt,
);
