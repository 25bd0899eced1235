use crate::helpers::{now, TestApp};
use chrono::Duration;
use domain::store::NewCall;
use domain::Deadline;

fn call(id: &str, title: &str, deadline_in_days: i64) -> NewCall {
    let mut call = NewCall::new(id, "test", title, "Horizon Europe", "European Commission");
    call.opening_at = Some(now() - Duration::days(30));
    call.deadlines = vec![Deadline {
        stage: 1,
        at: now() + Duration::days(deadline_in_days),
        label: None,
    }];
    call.description = "Supports SMEs.".into();
    call
}

#[tokio::test]
async fn the_call_list_is_server_rendered_with_status_and_paging() {
    let calls: Vec<NewCall> = (0..25)
        .map(|i| call(&format!("T-{i:02}"), &format!("Topic {i:02}"), i - 2))
        .collect();
    let app = TestApp::spawn().await.with_calls(&calls).await;
    let (status, html) = app.get("/calls").await;
    assert_eq!(status, 200);
    assert!(html.contains("25 calls"), "{html}");
    assert!(html.contains("Page 1 of 2"));
    assert_eq!(html.matches("class=\"call-card\"").count(), 20);
    // Soonest upcoming deadline first: T-02 closes today, T-00 and T-01 closed already.
    let first = html.find("Topic 02").unwrap();
    assert!(first < html.find("Topic 03").unwrap());
    assert!(
        html.contains("/pkg/fundbridge.js"),
        "the page loads the hydration bundle"
    );

    let (_, closed) = app.get("/calls?status=closed").await;
    assert!(closed.contains("2 calls"), "{closed}");
    assert!(closed.contains("Topic 00") && closed.contains("Topic 01"));
    assert!(!closed.contains("Topic 05"));

    let (_, second_page) = app.get("/calls?page=2").await;
    assert_eq!(second_page.matches("class=\"call-card\"").count(), 5);
}

#[tokio::test]
async fn user_text_is_escaped_not_executed() {
    let mut hostile = call("XSS-1", "<script>alert('x')</script> Topic", 10);
    hostile.description = "<img src=x onerror=alert(1)>".into();
    let app = TestApp::spawn().await.with_calls(&[hostile]).await;
    let (_, list) = app.get("/calls").await;
    assert!(!list.contains("<script>alert('x')</script>"), "{list}");
    assert!(list.contains("&lt;script&gt;"), "{list}");
    let (_, page) = app.get("/calls/XSS-1").await;
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "{page}");
}

#[tokio::test]
async fn a_description_shows_its_sections_and_lists_and_nothing_in_it_runs() {
    let mut topic = call("MD-1", "Structured topic", 20);
    topic.description = domain::import::description::restore_structure(
        "Expected Outcome:Projects will deliver the following:secure chips;tested boards. \
         Scope:Applicants <script>window.__xss=1</script> should [click](javascript:alert(1)) cooperate.",
    );
    let app = TestApp::spawn().await.with_calls(&[topic]).await;
    let (status, page) = app.get("/calls/MD-1").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h3>Expected Outcome</h3>"), "{page}");
    assert!(
        page.contains("<li>secure chips</li>") && page.contains("<li>tested boards.</li>"),
        "{page}"
    );
    assert!(page.contains("<h3>Scope</h3>"), "{page}");
    assert!(!page.contains("<script>window.__xss"), "{page}");
    assert!(!page.contains("href=\"javascript:"), "{page}");
}

#[tokio::test]
async fn a_call_page_shows_its_fields_and_an_unknown_call_is_404() {
    let mut topic = call("EuropeAid/186614/DD/ACT/Multi", "Women in decision-making", 40);
    topic.budget_max_eur = Some(4_000_000);
    let app = TestApp::spawn().await.with_calls(&[topic]).await;
    let (status, html) = app.get("/calls/EuropeAid/186614/DD/ACT/Multi").await;
    assert_eq!(status, 200, "ids with slashes have pages too");
    assert!(html.contains("Women in decision-making"));
    assert!(html.contains("up to €4 million"));
    assert!(html.contains("Supports SMEs."));

    let (status, html) = app.get("/calls/NOPE").await;
    assert_eq!(status, 404);
    assert!(html.contains("was not found"), "{html}");
}

#[tokio::test]
async fn the_list_server_function_answers_json() {
    let app = TestApp::spawn()
        .await
        .with_calls(&[call("A-1", "Alpha", 5), call("B-1", "Bravo", -5)])
        .await;
    let response = app
        .client
        .post(format!("{}/api/list_calls", app.address))
        .json(&serde_json::json!({ "query": { "programmes": [], "kinds": [], "statuses": ["open"], "sort": "deadline", "page": 1, "per_page": 20 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["page"]["total"], 1);
    assert_eq!(body["page"]["items"][0]["external_id"], "A-1");
}

#[tokio::test]
async fn a_call_page_leads_back_to_the_filtered_list_it_was_opened_from() {
    let app = TestApp::spawn()
        .await
        .with_calls(&[call("A-1", "Alpha", 5), call("B-1", "Bravo", 9)])
        .await;
    let (_, list) = app.get("/calls?q=alpha&status=open").await;
    let list = list.replace("&amp;", "&");
    assert!(list.contains(r#"href="/calls/A-1?q=alpha&status=open""#), "{list}");

    let (status, page) = app.get("/calls/A-1?q=alpha&status=open").await;
    assert_eq!(status, 200);
    let page = page.replace("&amp;", "&");
    assert!(
        page.contains(r#"href="/calls?q=alpha&status=open">← Back to the list"#),
        "{page}"
    );

    // Only list parameters survive: the link cannot be turned into a way off the site.
    let (_, page) = app.get("/calls/A-1?next=https://example.org&status=nonsense").await;
    assert!(page.contains(r#"href="/calls">← All calls"#), "{page}");
}

/// Building a router used to run the app with resource loading switched off for the whole
/// process (leptos-rs/leptos#4773), so a page rendering meanwhile never finished: this hung CI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_rendering_while_other_servers_start() {
    let app = TestApp::spawn().await.with_calls(&[call("A-1", "Alpha", 5)]).await;
    let (state, database, search) = (app.state.clone(), app.store.clone(), app.search.clone());
    let starting = tokio::task::spawn_blocking(move || {
        for _ in 0..40 {
            let leptos = server::http::leptos_options(std::path::Path::new("site"), ([127, 0, 0, 1], 0).into());
            drop(server::http::router(server::http::ServerState {
                app: state.clone(),
                database: database.clone(),
                search: search.clone(),
                leptos,
                dev_mailbox: None,
            }));
        }
    });
    for _ in 0..20 {
        let (status, page) = app.get("/calls/A-1").await;
        assert_eq!(status, 200);
        assert!(page.contains("<h1>Alpha</h1>"), "{page}");
    }
    starting.await.unwrap();
}

#[tokio::test]
async fn regions_are_shown_by_name_once_their_names_are_known() {
    let mut regional = call("R-1", "Regional voucher", 5);
    regional.eligible_countries = vec!["FR".parse().unwrap()];
    regional.eligible_regions = vec!["FRH0".parse().unwrap()];
    let app = TestApp::spawn().await.with_calls(&[regional]).await;
    let (_, before) = app.get("/calls?region=FRH0").await;
    assert!(before.contains("FRH0 · France"), "{before}");

    let bretagne = domain::geo::Region {
        code: "FRH0".parse().unwrap(),
        name: "Bretagne".into(),
    };
    app.store.upsert_regions(&[bretagne], now()).await.unwrap();
    let (_, list) = app.get("/calls?region=FRH0").await;
    assert!(
        list.contains("Remove filter Region Bretagne (FRH0)"),
        "the chip: {list}"
    );
    assert!(
        list.contains(r#"<span class="label">Bretagne (FRH0)</span>"#),
        "the facet: {list}"
    );
    let (_, page) = app.get("/calls/R-1").await;
    assert!(page.contains("<dd>Bretagne (FRH0)</dd>"), "{page}");
}

#[tokio::test]
async fn an_empty_list_offers_to_drop_each_narrow_filter() {
    let app = TestApp::spawn()
        .await
        .with_calls(&[call("A-1", "Alpha", 5), call("B-1", "Bravo", 9)])
        .await;
    let (status, body) = app.get("/calls?closes=7d&budget=gte10m").await;
    assert_eq!(status, 200);
    let body = body.replace("&amp;", "&");
    assert!(body.contains("No calls match these filters"), "{body}");
    assert!(body.contains(r#"href="/calls?budget=gte10m">Any deadline"#), "{body}");
    assert!(body.contains(r#"href="/calls?closes=7d">Any budget"#), "{body}");
    let (_, relaxed) = app.get("/calls?closes=7d").await;
    assert!(
        relaxed.contains("A-1") && !relaxed.contains("B-1"),
        "the window alone keeps Alpha"
    );
}

#[tokio::test]
async fn a_search_is_logged_anonymously_with_every_filter() {
    let app = TestApp::spawn()
        .await
        .with_calls(&[call("A-1", "Alpha quantum", 5)])
        .await;
    let (status, _) = app
        .get("/calls?q=quantum&country=PT&region=PT11&budget=lt100k&closes=30d&trl=4&sme_only=true")
        .await;
    assert_eq!(status, 200);
    let logged = app.store.recent_searches(5).await.unwrap();
    assert_eq!(logged.len(), 1, "one search, logged once");
    let filters = &logged[0].filters;
    assert_eq!(logged[0].text, "quantum");
    assert_eq!(filters["list"], "calls");
    // The query as its URL writes it: every filter, readable back into the same query.
    let url_query = filters["query"].as_str().unwrap();
    assert_eq!(
        url_query,
        "?q=quantum&country=PT&region=PT11&budget=lt100k&closes=30d&trl=4&sme_only=true"
    );
    let pairs: Vec<(&str, &str)> = url_query[1..]
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    let read_back = domain::CallQuery::from_pairs(pairs);
    assert_eq!(read_back.countries, vec!["PT".to_owned()]);
    assert_eq!(read_back.budgets, vec![domain::BudgetRange::Under100k]);
    assert!(read_back.sme_only);
}
