use crate::helpers::TestApp;
use domain::demo::{self, DemoSize};
use domain::organisation::Organisation;

fn directory() -> demo::DemoData {
    demo::generate(
        5,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        DemoSize {
            calls: 0,
            organisations: 60,
            clusters: 3,
        },
    )
}

#[tokio::test]
async fn the_directory_is_server_rendered_with_facets_and_filters() {
    let data = directory();
    let app = TestApp::spawn().await.with_demo_data(&data).await;
    let (status, html) = app.get("/organisations").await;
    assert_eq!(status, 200);
    assert!(html.contains("60 organisations"), "{html}");
    assert_eq!(html.matches("class=\"call-card organisation-card\"").count(), 20);
    assert!(html.contains("Page 1 of 3"));
    assert!(
        html.contains("Identity Management") || html.contains("Cryptology"),
        "capability facets are labelled"
    );

    let cryptology = data
        .organisations
        .iter()
        .filter(|o| o.capabilities.iter().any(|c| c == "cryptology"))
        .count();
    assert!(cryptology > 0);
    let (_, filtered) = app.get("/organisations?capability=cryptology").await;
    let heading = if cryptology == 1 {
        "1 organisation".to_owned()
    } else {
        format!("{cryptology} organisations")
    };
    assert!(filtered.contains(&heading), "{heading}: {filtered}");
    assert!(
        filtered.contains("Remove filter Cryptology"),
        "the active filter is a chip"
    );

    let (_, nothing) = app.get("/organisations?q=zzzzqqqq").await;
    assert!(nothing.contains("No organisations match"), "{nothing}");

    // Regions read by name (the demo writes the names of its regions), in facets, chips and cards.
    let region = data.organisations[0].nuts_code.clone().unwrap();
    let name = &data.regions.iter().find(|r| r.code == region).unwrap().name;
    let (_, in_region) = app.get(&format!("/organisations?region={region}")).await;
    let label = format!("{name} ({region})");
    assert!(
        in_region.contains(&format!("Remove filter {label}")),
        "{label}: {in_region}"
    );
    assert!(
        in_region.matches(&label).count() >= 3,
        "facet, chip and cards: {in_region}"
    );
}

#[tokio::test]
async fn profile_text_is_escaped_and_only_web_addresses_become_links() {
    // A `javascript:` website never gets this far: the store refuses it (behaviour suite).
    let hostile = Organisation {
        external_id: "hostile".into(),
        name: "<script>alert('x')</script> Labs".into(),
        website: Some("https://labs.example/?a=\"><script>alert(2)</script>".into()),
        description: "<img src=x onerror=alert(1)>".into(),
        ..directory().organisations[0].clone()
    };
    let data = demo::DemoData {
        organisations: vec![hostile],
        clusters: vec![],
        members: vec![],
        calls: vec![],
        regions: vec![domain::geo::Region {
            code: directory().organisations[0].nuts_code.clone().unwrap(),
            name: "<b>Breizh</b>".into(),
        }],
        strategies: vec![],
    };
    let app = TestApp::spawn().await.with_demo_data(&data).await;
    let (_, html) = app.get("/organisations").await;
    assert!(!html.contains("<script>alert('x')</script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("\"><script>alert(2)"), "{html}");
    assert!(
        html.contains("href=\"https://labs.example/?a=&quot;&gt;&lt;script&gt;"),
        "{html}"
    );
    assert!(
        !html.contains("<b>Breizh</b>") && html.contains("&lt;b&gt;Breizh"),
        "region names are text: {html}"
    );
}

#[tokio::test]
async fn with_meilisearch_down_the_directory_comes_from_the_database_with_a_notice() {
    let app = TestApp::spawn_with_meilisearch_down().await;
    let data = directory();
    let store = app.store.as_ref();
    store
        .upsert_organisations(&data.organisations, crate::helpers::now())
        .await
        .unwrap();
    let cryptology = data
        .organisations
        .iter()
        .filter(|o| o.capabilities.iter().any(|c| c == "cryptology"))
        .count();

    let (status, html) = app.get("/organisations?capability=cryptology").await;
    assert_eq!(status, 200);
    assert!(html.contains("Partner search is temporarily limited"), "{html}");
    let heading = if cryptology == 1 {
        "1 organisation".to_owned()
    } else {
        format!("{cryptology} organisations")
    };
    assert!(html.contains(&heading), "{heading}: {html}");
    assert!(
        html.contains("Theoretical Foundations"),
        "without counts, every capability is still offered as a filter"
    );
}
