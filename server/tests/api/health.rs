use crate::helpers::TestApp;

#[tokio::test]
async fn healthz_reports_a_reachable_database() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"]["backend"], "sqlite");
}

#[tokio::test]
async fn an_unknown_address_answers_404() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "{body}");
}
