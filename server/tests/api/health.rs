use crate::helpers::{now, TestApp};
use domain::store::{NewCall, OutgoingMail};

#[tokio::test]
async fn healthz_reports_a_reachable_database() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"]["backend"], "sqlite");
    assert_eq!(json["search"]["documents"], 0);
    assert_eq!(json["search"]["organisations"], 0);
    assert_eq!(json["mail"]["pending"], 0);
    assert_eq!(json["mail"]["dead"], 0);
}

#[tokio::test]
async fn healthz_reports_mail_waiting_in_the_outbox_and_since_when() {
    let app = TestApp::spawn().await;
    let queued_at = now() - chrono::Duration::minutes(3);
    let mail = OutgoingMail::new(
        "test:1",
        "fundbridge.test",
        "ana@example.eu",
        "Hello",
        "Hi",
        "<p>Hi</p>",
    );
    assert!(app.store.queue_mail(&mail, queued_at).await.unwrap());
    let (_, body) = app.get("/healthz").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["mail"]["pending"], 1);
    assert_eq!(json["mail"]["oldest_seconds"], 180);
}

#[tokio::test]
async fn an_unknown_address_answers_404() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
}

#[tokio::test]
async fn with_meilisearch_down_lists_come_from_the_database_with_a_notice() {
    let app = TestApp::spawn_with_meilisearch_down().await;
    let call = NewCall::new(
        "DOWN-1",
        "test",
        "Quantum sensing pilot",
        "Horizon Europe",
        "European Commission",
    );
    app.store.upsert_calls(&[call], now()).await.unwrap();

    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "degraded");
    assert_eq!(json["search"]["engine"], "meilisearch");
    assert_eq!(json["search"]["status"], "unavailable");
    assert_eq!(json["search"]["lag"]["pending"], 1, "the write waits in the outbox");

    let (status, body) = app.get("/calls?q=quantum").await;
    assert_eq!(status, 200);
    assert!(body.contains("Quantum sensing pilot"), "{body}");
    assert!(body.contains("Full-text search is temporarily unavailable"), "{body}");
}
