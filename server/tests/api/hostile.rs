//! The hostile-input suite: every URL key and every server-function field of both lists fed
//! markup, oversized values, absurd pages, repeated keys, control characters and invalid
//! UTF-8 through the real router. Nothing may answer 5xx, grow without bound, take long, or
//! come back as markup; refusals are 4xx with a plain message.

use crate::helpers::{free_port, now, TestApp};
use chrono::Duration;
use domain::organisation_query::OrganisationQuery;
use domain::query::percent_encode;
use domain::store::NewCall;
use domain::{CallQuery, Deadline};
use std::time::Instant;

/// What a script payload sets in the browser; never seen unescaped in any answer.
const SCRIPT_MARK: &str = "<script>window.__xss=1</script>";

/// Values an attacker would try in any field.
fn payloads() -> Vec<String> {
    vec![
        format!("</title>{SCRIPT_MARK}"),
        "\"><img src=x onerror=window.__xss=1>".to_owned(),
        "javascript:window.__xss=1".to_owned(),
        "a".repeat(10_000),
        "quantum \u{0}\u{7}\u{1b}[31m\u{202e} key".to_owned(),
        "100% _ ' \" \\ ; -- /*".to_owned(),
        "𝕏".repeat(500),
        "999999999999".to_owned(),
        "4294967296".to_owned(),
        "-1".to_owned(),
        "0".to_owned(),
        "1e9".to_owned(),
    ]
}

/// Percent-escapes a payload for a URL, plus raw escapes a browser would never produce.
fn encoded_payloads() -> Vec<String> {
    let mut encoded: Vec<String> = payloads().iter().map(|p| percent_encode(p)).collect();
    encoded.extend([
        "%ff%fe%00".to_owned(),
        "%".to_owned(),
        "%zz%".to_owned(),
        "%C0%AF".to_owned(),
    ]);
    encoded
}

/// The most any answer here may weigh.
const MAX_BODY: usize = 2_000_000;
/// The longest any answer here may take (a hang detector for a debug build, not a benchmark).
const MAX_SECONDS: f64 = 10.0;

fn call(id: &str, title: &str) -> NewCall {
    let mut call = NewCall::new(id, "test", title, "Horizon Europe", "European Commission");
    call.opening_at = Some(now() - Duration::days(30));
    call.deadlines = vec![Deadline {
        stage: 1,
        at: now() + Duration::days(20),
        label: None,
    }];
    call.description = format!("Quantum key distribution for SMEs. {SCRIPT_MARK}");
    call
}

/// A server with a demo directory and calls whose stored titles are themselves payloads.
async fn hostile_app() -> TestApp {
    let size = domain::demo::DemoSize {
        calls: 0,
        organisations: 60,
        clusters: 4,
    };
    let demo = domain::demo::generate(7, now().date_naive(), size);
    let calls = [
        call("XSS-TITLE", &format!("</title>{SCRIPT_MARK} Quantum")),
        call("XSS-IMG", "\"><img src=x onerror=window.__xss=1> Quantum"),
        call("PLAIN-1", "Quantum networks"),
    ];
    TestApp::spawn()
        .await
        .with_calls(&calls)
        .await
        .with_demo_data(&demo)
        .await
}

/// GETs `path` and checks the answer is bounded, quick, not a server error and free of markup
/// from the payloads.
async fn get_checked(app: &TestApp, path: &str) -> (u16, String) {
    let started = Instant::now();
    let (status, body) = app.get(path).await;
    let seconds = started.elapsed().as_secs_f64();
    let shown: String = path.chars().take(120).collect();
    assert!(status < 500, "{shown}: {status}");
    assert!(body.len() < MAX_BODY, "{shown}: {} bytes", body.len());
    assert!(seconds < MAX_SECONDS, "{shown}: {seconds:.1} s");
    assert!(!body.contains(SCRIPT_MARK), "{shown}: unescaped script");
    assert!(!body.contains("<img src=x"), "{shown}: unescaped markup");
    (status, body)
}

#[tokio::test]
async fn every_url_key_of_both_lists_survives_every_payload() {
    let app = hostile_app().await;
    let lists = [
        ("/calls", CallQuery::url_keys().collect::<Vec<_>>()),
        ("/organisations", OrganisationQuery::url_keys().collect::<Vec<_>>()),
    ];
    for (path, keys) in lists {
        for key in &keys {
            for value in encoded_payloads() {
                get_checked(&app, &format!("{path}?{key}={value}")).await;
            }
        }
    }
    for value in encoded_payloads() {
        let (status, _) = get_checked(&app, &format!("/calls/{value}")).await;
        assert!(status == 404 || status == 400, "/calls/{value}: {status}");
    }
    assert_eq!(app.get("/healthz").await.0, 200);
}

#[tokio::test]
async fn repeated_keys_and_absurd_pages_do_bounded_work() {
    let app = hostile_app().await;
    let many: String = (0..2000).map(|i| format!("programme=P{i}&")).collect();
    let (status, body) = get_checked(&app, &format!("/calls?{many}")).await;
    assert_eq!(status, 200);
    assert!(
        body.len() < 300_000,
        "2,000 programme values made a {} byte page",
        body.len()
    );

    let clusters: String = (0..2000).map(|i| format!("cluster=c-{i}&")).collect();
    let (status, body) = get_checked(&app, &format!("/organisations?{clusters}")).await;
    assert_eq!(status, 200);
    assert!(body.len() < 300_000, "{} bytes", body.len());

    // A page past the end says so instead of "no calls match" under a count of calls.
    for path in [
        "/calls?page=999999999",
        "/calls?page=1000&per_page=4294967295",
        "/calls?page=2",
    ] {
        let (status, body) = get_checked(&app, path).await;
        assert_eq!(status, 200);
        assert!(body.contains("There is no page"), "{path}: {body}");
        assert!(!body.contains("No calls match"), "{path}");
    }
    let (_, body) = get_checked(&app, "/organisations?page=4294967295&per_page=0").await;
    assert!(body.contains("There is no page"), "{body}");
}

#[tokio::test]
async fn stored_and_reflected_markup_is_escaped_even_in_the_title() {
    let app = hostile_app().await;
    let (_, page) = get_checked(&app, "/calls/XSS-TITLE").await;
    let title = &page[page.find("<title>").unwrap()..page.find("</title>").unwrap()];
    assert!(title.contains("&lt;/title&gt;&lt;script&gt;"), "{title}");

    let q = percent_encode(&format!("</title>{SCRIPT_MARK}"));
    for path in ["/calls", "/organisations"] {
        let (_, page) = get_checked(&app, &format!("{path}?q={q}")).await;
        let title = &page[page.find("<title>").unwrap()..page.find("</title>").unwrap()];
        assert!(title.contains("&lt;/title&gt;"), "{path}: {title}");
    }
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_that_their_own_scripts_satisfy() {
    let app = hostile_app().await;
    for path in ["/calls", "/organisations", "/calls/PLAIN-1", "/no/such/page"] {
        let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_else(|| panic!("{path}: no {name}"))
        };
        let csp = header("content-security-policy");
        assert_eq!(header("cross-origin-opener-policy"), "same-origin");
        assert!(header("permissions-policy").contains("camera=()"));
        assert!(
            csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"),
            "{path}: {csp}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"))
            .to_owned();
        let body = response.text().await.unwrap();
        let script_tags: Vec<&str> = body
            .split("<script")
            .skip(1)
            .map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())])
            .collect();
        assert!(!script_tags.is_empty(), "{path}: the hydration script is missing");
        for tag in script_tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: <script{tag}> lacks the nonce"
            );
        }
    }
    let (_, json) = app.get("/healthz").await;
    assert!(json.contains("\"status\""));
    let response = app.client.get(format!("{}/healthz", app.address)).send().await.unwrap();
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
}

/// POSTs `body` as `content_type` to a server function.
async fn post(app: &TestApp, function: &str, content_type: &str, body: String) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}/api/{function}", app.address))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn server_functions_take_only_bounded_json_and_refuse_the_rest_plainly() {
    let app = hostile_app().await;
    let json = "application/json";
    // Every field of both queries, every payload, as a string and where it fits as a number.
    let fields = [
        ("list_calls", &CALL_FIELDS[..]),
        ("search_organisations", &DIRECTORY_FIELDS[..]),
    ];
    for (function, fields) in fields {
        for field in fields {
            for payload in payloads() {
                let values = [
                    serde_json::json!(payload),
                    serde_json::json!([payload.clone(), payload.clone()]),
                    serde_json::json!(vec![payload.clone(); 500]),
                    serde_json::json!(u64::MAX),
                    serde_json::json!(-1),
                    serde_json::json!(null),
                ];
                for value in values {
                    let body = serde_json::json!({ "query": { *field: value } }).to_string();
                    let started = Instant::now();
                    let (status, text) = post(&app, function, json, body.clone()).await;
                    let shown: String = body.chars().take(100).collect();
                    assert!(
                        status == 200 || status == 400 || status == 413,
                        "{function} {shown}: {status} {text}"
                    );
                    assert!(started.elapsed().as_secs_f64() < MAX_SECONDS, "{function} {shown}");
                    if status == 400 {
                        assert!(!text.contains("invalid type"), "serde detail leaked: {text}");
                    }
                }
            }
        }
    }
    // The limits of the JSON path are the URL's: text cut, page inside the window, at least one per page.
    let body = serde_json::json!({ "query": { "text": "a".repeat(10_000), "page": 0, "per_page": 0 } }).to_string();
    let (status, text) = post(&app, "list_calls", json, body).await;
    assert_eq!(status, 200, "{text}");
    let listing: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(listing["page"]["page"], 1);
    assert_eq!(listing["page"]["per_page"], 1);
    assert!(
        !listing["degraded"].as_bool().unwrap(),
        "per_page 0 used to break the index"
    );
    let logged = app.store.recent_searches(10).await.unwrap();
    assert!(logged
        .iter()
        .all(|entry| entry.text.chars().count() <= domain::query::MAX_TEXT_CHARS));

    // Refusals: wrong media type, malformed or wrong-shaped JSON, oversized bodies, wrong methods.
    let (status, text) = post(&app, "list_calls", "text/plain", "{\"query\":{}}".into()).await;
    assert_eq!(status, 415, "{text}");
    for malformed in ["{", "[]", "{\"query\": 5}", "\u{0}", "{\"query\":{\"page\":-1}}"] {
        let (status, text) = post(&app, "list_calls", json, malformed.into()).await;
        assert_eq!(status, 400, "{malformed:?}: {text}");
        assert!(text.contains("JSON object"), "{malformed:?}: {text}");
        assert!(!text.contains("line 1") && !text.contains("expected"), "{text}");
    }
    let (status, _) = post(
        &app,
        "list_calls",
        json,
        format!("{{\"query\":{{\"text\":\"{}\"}}}}", "a".repeat(200_000)),
    )
    .await;
    assert_eq!(status, 413);
    let (status, _) = app.get("/api/list_calls").await;
    assert_eq!(status, 405);
    for method in [reqwest::Method::PUT, reqwest::Method::DELETE, reqwest::Method::POST] {
        let response = app
            .client
            .request(method.clone(), format!("{}/pkg/fundbridge.css", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method} on a file");
    }
}

/// Fields of `CallQuery` as its JSON names them.
const CALL_FIELDS: [&str; 16] = [
    "text",
    "programmes",
    "kinds",
    "statuses",
    "sme_only",
    "dual_use",
    "countries",
    "regions",
    "budgets",
    "closes_within",
    "trl",
    "domains",
    "sectors",
    "sort",
    "page",
    "per_page",
];
/// Fields of `OrganisationQuery` as its JSON names them.
const DIRECTORY_FIELDS: [&str; 13] = [
    "text",
    "kinds",
    "countries",
    "regions",
    "capabilities",
    "sectors",
    "sizes",
    "certifications",
    "clusters",
    "dual_use",
    "sort",
    "page",
    "per_page",
];

#[tokio::test]
async fn state_changing_requests_from_other_sites_are_refused() {
    let app = hostile_app().await;
    let body = "{\"query\":{}}";
    let send = |headers: Vec<(&'static str, &'static str)>| {
        let mut request = app
            .client
            .post(format!("{}/api/list_calls", app.address))
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let response = send(vec![("sec-fetch-site", "cross-site")]).await.unwrap();
    assert_eq!(response.status(), 403);
    let response = send(vec![("origin", "https://evil.example")]).await.unwrap();
    assert_eq!(response.status(), 403);
    let response = send(vec![("sec-fetch-site", "same-origin")]).await.unwrap();
    assert_eq!(response.status(), 200);
}

/// Renders `count` list pages with different search texts, `at_once` in flight at a time;
/// returns each path with its status and body.
async fn render_in_parallel(app: &std::sync::Arc<TestApp>, count: usize, at_once: usize) -> Vec<(String, u16, String)> {
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(at_once));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..count {
        let (app, gate) = (app.clone(), gate.clone());
        tasks.spawn(async move {
            let _turn = gate.acquire_owned().await.unwrap();
            let path = if i % 2 == 0 {
                format!("/calls?q=quantum+{i}")
            } else {
                format!("/organisations?q=cyber+{i}")
            };
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_else(|e| panic!("{path}: body: {e}"));
            (path, status, body)
        });
    }
    let mut answers = Vec::new();
    while let Some(result) = tasks.join_next().await {
        answers.push(result.unwrap());
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_parallel_renders_of_both_lists_all_complete() {
    let app = std::sync::Arc::new(hostile_app().await);
    for (path, status, body) in render_in_parallel(&app, 400, 200).await {
        assert_eq!(status, 200, "{path}");
        let heading = if path.starts_with("/calls") {
            "for “quantum"
        } else {
            "for “cyber"
        };
        assert!(
            body.contains(heading),
            "{path}: an incomplete page ({} bytes)",
            body.len()
        );
        assert!(body.contains("</html>"), "{path}: cut short");
    }
    // Past the in-flight limit the server sheds load at once instead of queueing it.
    let flood = render_in_parallel(&app, 700, 700).await;
    for (path, status, body) in &flood {
        assert!(*status == 200 || *status == 503, "{path}: {status}");
        if *status == 503 {
            assert!(body.contains("busy"), "{path}: {body}");
        }
    }
    assert_eq!(app.get("/healthz").await.0, 200);
}

/// The real binary, serving the demo on its own port and database; killed when dropped.
struct RunningServer {
    child: std::process::Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl RunningServer {
    async fn start_with_demo() -> RunningServer {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_fundbridge"))
            .args(["serve", "--seed-demo"])
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("demo.db").display()),
            )
            .env("FUNDBRIDGE_INDEX_DIR", dir.path().join("index"))
            .env("FUNDBRIDGE_LISTEN", format!("127.0.0.1:{port}"))
            .env("FUNDBRIDGE_SITE_ROOT", dir.path().join("site"))
            .env("FUNDBRIDGE_NOW", "2026-11-27T09:00:00Z")
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = RunningServer {
            child,
            address: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        for _ in 0..600 {
            if server.health().await.is_some() {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the server did not answer /healthz within 60 s");
    }

    /// `/healthz`'s status word, if it answers.
    async fn health(&self) -> Option<String> {
        let response = reqwest::get(format!("{}/healthz", self.address)).await.ok()?;
        let json: serde_json::Value = response.json().await.ok()?;
        json["status"].as_str().map(str::to_owned)
    }

    /// The process's resident memory, in MiB.
    fn rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        kib / 1024
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn the_server_survives_the_hostile_suite_healthy_and_under_200_mib() {
    let server = RunningServer::start_with_demo().await;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    let lists = [
        ("/calls", CallQuery::url_keys().collect::<Vec<_>>()),
        ("/organisations", OrganisationQuery::url_keys().collect::<Vec<_>>()),
    ];
    let mut requests = 0;
    for (path, keys) in lists {
        for key in &keys {
            for value in encoded_payloads() {
                let url = format!("{}{path}?{key}={value}", server.address);
                let response = client.get(&url).send().await.unwrap_or_else(|e| panic!("{url}: {e}"));
                assert!(response.status().as_u16() < 500, "{url}: {}", response.status());
                let body = response.text().await.unwrap();
                assert!(body.len() < MAX_BODY && !body.contains(SCRIPT_MARK), "{url}");
                requests += 1;
            }
            assert_eq!(server.health().await.as_deref(), Some("ok"), "after {path}?{key}=…");
        }
        let many: String = (0..2000).map(|i| format!("{}=v{i}&", keys[1])).collect();
        let response = client
            .get(format!("{}{path}?{many}", server.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let huge =
            serde_json::json!({ "query": { "text": "a".repeat(60_000), "page": u32::MAX, "per_page": u32::MAX } });
        let function = if path == "/calls" {
            "list_calls"
        } else {
            "search_organisations"
        };
        let response = client
            .post(format!("{}/api/{function}", server.address))
            .json(&huge)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{function}");
    }
    assert_eq!(server.health().await.as_deref(), Some("ok"));
    let rss = server.rss_mib();
    println!("{requests} hostile requests; server RSS afterwards: {rss} MiB");
    assert!(rss < 200, "the server holds {rss} MiB after the hostile suite");
}

#[tokio::test]
async fn account_forms_refuse_hostile_values_plainly_and_escape_what_they_keep() {
    let app = TestApp::spawn().await;
    let json = "application/json";
    for (index, payload) in payloads().into_iter().enumerate() {
        // As an address and as a password: refused (or, for a long password, refused), never 5xx.
        let body = serde_json::json!({ "form": {
            "email": payload, "display_name": "Ana", "password": "correct horse battery" } });
        let (status, answer) = post(&app, "sign_up", json, body.to_string()).await;
        assert_eq!(status, 400, "{payload:?} as an address: {answer}");
        let body = serde_json::json!({ "email": payload, "password": payload });
        let (status, answer) = post(&app, "log_in", json, body.to_string()).await;
        assert!(matches!(status, 400 | 429), "{payload:?} at login: {status} {answer}");
        // As a name: stored only when it is one bounded line, and escaped in the mail's HTML.
        let email = format!("hostile{index}@example.eu");
        let body = serde_json::json!({ "form": {
            "email": email, "display_name": payload, "password": "correct horse battery" } });
        let (status, answer) = post(&app, "sign_up", json, body.to_string()).await;
        let stored = app.store.person_by_email(&email).await.unwrap();
        assert_eq!(
            status == 200,
            stored.is_some(),
            "{payload:?} as a name: {status} {answer}"
        );
        assert!(
            status == 200 || status == 400,
            "{payload:?} as a name: {status} {answer}"
        );
        assert!(!answer.contains(SCRIPT_MARK));
    }
    for payload in encoded_payloads() {
        for page in [
            "/account/join?organisation=",
            "/account/verify?token=",
            "/account/reset?token=",
        ] {
            let (status, body) = get_checked(&app, &format!("{page}{payload}")).await;
            // No organisation has such an identifier: the join page says so with 404.
            assert!(matches!(status, 200 | 404), "{page}{payload}: {status}");
            assert!(!body.contains(SCRIPT_MARK), "{page}{payload} reflected markup");
        }
    }
    let mail = app
        .store
        .lease_due_mail(now() + Duration::days(1), Duration::minutes(5), 100)
        .await
        .unwrap();
    assert!(!mail.is_empty());
    for message in mail {
        assert!(!message.html_body.contains(SCRIPT_MARK), "{}", message.html_body);
        assert!(!message.html_body.contains("<img src=x"), "{}", message.html_body);
    }
}

/// Stores a confirmed account at `email` (an administrator when `admin`) and logs it in through
/// the service: the session id.
async fn logged_in(app: &TestApp, email: &str, admin: bool) -> String {
    if app.store.person_by_email(email).await.unwrap().is_none() {
        let person = domain::store::NewPerson {
            email: email.into(),
            display_name: "Hostile tester".into(),
            password_hash: domain::credentials::hash_password("correct horse battery"),
            verified: true,
            is_admin: admin,
        };
        app.store.create_person(&person, None, now()).await.unwrap();
    }
    let client = domain::services::accounts::Client::default();
    domain::services::accounts::log_in(&app.state, email, "correct horse battery", &client, None)
        .await
        .unwrap()
        .token
}

#[tokio::test]
async fn adding_an_organisation_refuses_hostile_values_plainly() {
    let app = TestApp::spawn().await;
    let mut session = logged_in(&app, "ana@example.eu", false).await;
    let valid = serde_json::json!({ "name": "Aveiro Labs", "kind": "sme", "country": "PT", "region": "PT16", "website": "", "description": "" });
    for payload in payloads() {
        for field in ["name", "kind", "country", "region", "website", "description"] {
            let mut form = valid.clone();
            form[field] = serde_json::Value::String(payload.clone());
            let response = app
                .client
                .post(format!("{}/api/create_organisation", app.address))
                .header("content-type", "application/json")
                .header("cookie", format!("fundbridge-session={session}"))
                .body(serde_json::json!({ "form": form }).to_string())
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            // Adding one makes Ana its editor: her session gets a new id, as a browser keeps it.
            if let Some(renewed) = response
                .headers()
                .get("set-cookie")
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("fundbridge-session="))
                .and_then(|value| value.split(';').next())
            {
                session = renewed.to_owned();
            }
            let answer = response.text().await.unwrap();
            assert!(
                matches!(status, 200 | 400 | 429),
                "{payload:?} as the {field}: {status} {answer}"
            );
            assert!(!answer.contains(SCRIPT_MARK), "{answer}");
            if field != "name" && field != "description" {
                assert_ne!(status, 200, "{payload:?} is no {field}");
            }
        }
    }
}

#[tokio::test]
async fn every_account_and_membership_input_refuses_hostile_values_plainly() {
    let app = TestApp::spawn().await;
    let mut session = logged_in(&app, "root@example.eu", true).await;
    // Every server function taking text, with a valid value in each field; each field in turn
    // gets each payload, called by a logged-in administrator (who may call them all).
    let functions = [
        ("resend_verification", serde_json::json!({ "email": "a@example.eu" })),
        ("verify_email", serde_json::json!({ "token": "x" })),
        ("request_password_reset", serde_json::json!({ "email": "a@example.eu" })),
        (
            "reset_password",
            serde_json::json!({ "token": "x", "password": "a long passphrase" }),
        ),
        (
            "change_password",
            serde_json::json!({ "current": "wrong password!", "password": "a long passphrase" }),
        ),
        (
            "request_email_change",
            serde_json::json!({ "password": "wrong password!", "email": "b@example.eu" }),
        ),
        ("confirm_email_change", serde_json::json!({ "token": "x" })),
        ("rename", serde_json::json!({ "display_name": "Root" })),
        ("end_session", serde_json::json!({ "handle": "x" })),
        (
            "request_membership",
            serde_json::json!({ "organisation_id": "x", "kind": "join", "message": "hi" }),
        ),
        (
            "grant_role",
            serde_json::json!({ "email": "a@example.eu", "organisation_id": "x", "role": "member" }),
        ),
        (
            "set_account_disabled",
            serde_json::json!({ "email": "a@example.eu", "disabled": true }),
        ),
        (
            "set_admin",
            serde_json::json!({ "email": "a@example.eu", "admin": true }),
        ),
        ("get_organisation", serde_json::json!({ "external_id": "x" })),
    ];
    for (function, valid) in functions {
        let fields: Vec<String> = valid
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, value)| value.is_string())
            .map(|(key, _)| key.clone())
            .collect();
        for field in fields {
            for payload in payloads() {
                let mut body = valid.clone();
                body[&field] = serde_json::Value::String(payload.clone());
                let response = app
                    .client
                    .post(format!("{}/api/{function}", app.address))
                    .header("content-type", "application/json")
                    .header("cookie", format!("fundbridge-session={session}"))
                    .body(body.to_string())
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                if let Some(renewed) = response
                    .headers()
                    .get("set-cookie")
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.strip_prefix("fundbridge-session="))
                    .and_then(|value| value.split(';').next())
                    .filter(|value| !value.is_empty())
                {
                    session = renewed.to_owned();
                }
                let answer = response.text().await.unwrap();
                assert!(
                    matches!(status, 200 | 400 | 401 | 403 | 404 | 409 | 429),
                    "{function}.{field} = {payload:?}: {status} {answer}"
                );
                assert!(!answer.contains(SCRIPT_MARK), "{function}.{field} reflected {answer}");
                assert!(!answer.contains("<img src=x"), "{function}.{field} reflected {answer}");
            }
        }
    }
}

/// Posts `body` to the server function `function` with the session `session`.
async fn post_as(app: &TestApp, function: &str, session: &str, body: &serde_json::Value) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}/api/{function}", app.address))
        .header("content-type", "application/json")
        .header("cookie", format!("fundbridge-session={session}"))
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn every_call_editor_input_refuses_hostile_values_plainly_and_escapes_what_it_keeps() {
    use domain::publishing::CallForm;
    let app = TestApp::spawn().await;
    let session = logged_in(&app, "editor@region.example", false).await;
    let authority = domain::organisation::NewOrganisationForm {
        name: "Hostile Region".into(),
        kind: "public_authority".into(),
        country: "BE".into(),
        region: "BE10".into(),
        website: String::new(),
        description: String::new(),
    };
    let organisation = domain::services::memberships::create_organisation(&app.state, Some(&session), &authority)
        .await
        .unwrap();
    // Becoming its editor rotated the session: start a fresh one.
    let session = logged_in(&app, "editor@region.example", false).await;
    let valid = |reference: &str| {
        serde_json::to_value(CallForm {
            reference: reference.to_owned(),
            title: "Cyber vouchers".into(),
            programme: "RIS3".into(),
            deadlines: vec![domain::publishing::DeadlineInput {
                label: "Only stage".into(),
                at: "2027-03-04T17:00".into(),
            }],
            countries: vec!["BE".into()],
            regions: vec!["BE10".into()],
            ..CallForm::blank(domain::InstrumentKind::Voucher)
        })
        .unwrap()
    };
    let text_fields: Vec<String> = valid("x")
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, value)| value.is_string())
        .map(|(key, _)| key.clone())
        .collect();
    let mut created = 0;
    for (round, payload) in payloads().into_iter().enumerate() {
        let mut forms = Vec::new();
        for field in &text_fields {
            let mut form = valid(&format!("H-{round}-{field}"));
            form[field.as_str()] = serde_json::Value::String(payload.clone());
            forms.push((field.clone(), form));
        }
        for (index, list) in ["countries", "regions", "applicant_kinds", "domains", "sectors"]
            .into_iter()
            .enumerate()
        {
            let mut form = valid(&format!("H-{round}-list-{index}"));
            form[list] = serde_json::json!([payload.clone()]);
            forms.push((list.to_owned(), form));
        }
        for part in ["label", "url"] {
            let mut form = valid(&format!("H-{round}-document-{part}"));
            let mut document = serde_json::json!({ "label": "Guide", "url": "https://region.example/guide.pdf" });
            document[part] = serde_json::Value::String(payload.clone());
            form["documents"] = serde_json::json!([document]);
            forms.push((format!("documents.{part}"), form));
        }
        for part in ["label", "at"] {
            let mut form = valid(&format!("H-{round}-deadline-{part}"));
            form["deadlines"][0][part] = serde_json::Value::String(payload.clone());
            forms.push((format!("deadlines.{part}"), form));
        }
        for (field, form) in forms {
            let body = serde_json::json!({ "organisation_id": organisation, "form": form });
            let (status, answer) = post_as(&app, "create_call", &session, &body).await;
            assert!(
                matches!(status, 200 | 400),
                "create_call {field} = {payload:?}: {status} {answer}"
            );
            assert!(!answer.contains(SCRIPT_MARK), "{field} reflected {answer}");
            if status == 200 {
                created += 1;
                let id: String = serde_json::from_str(&answer).unwrap();
                let response = app
                    .client
                    .get(format!("{}/publish/calls/{}", app.address, percent_encode(&id)))
                    .header("cookie", format!("fundbridge-session={session}"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 200);
                let page = response.text().await.unwrap();
                assert!(
                    !page.contains(SCRIPT_MARK) && !page.contains("<img src=x"),
                    "{field}: {page}"
                );
            }
        }
        // The audit export's one input, in its query string.
        let response = app
            .client
            .get(format!(
                "{}/exports/audit.csv?organisation={}",
                app.address,
                percent_encode(&payload)
            ))
            .header("cookie", format!("fundbridge-session={session}"))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let answer = response.text().await.unwrap();
        assert!(
            matches!(status, 400 | 403 | 404),
            "audit export {payload:?}: {status} {answer}"
        );
        assert!(!answer.contains(SCRIPT_MARK) && !answer.contains("<img"), "{answer}");
        for (function, body) in [
            ("open_desk", serde_json::json!({ "organisation_id": payload })),
            ("open_call_editor", serde_json::json!({ "external_id": payload })),
            (
                "save_call",
                serde_json::json!({ "external_id": payload, "form": valid("H-x") }),
            ),
            (
                "act_on_call",
                serde_json::json!({ "external_id": "H-0-title", "action": "submit", "comment": payload }),
            ),
            (
                "act_on_call",
                serde_json::json!({ "external_id": payload, "action": "archive", "comment": "" }),
            ),
            (
                "act_on_call",
                serde_json::json!({ "external_id": "H-0-title", "action": payload, "comment": "" }),
            ),
            ("preview_description", serde_json::json!({ "markdown": payload })),
            (
                "preview_sheet",
                serde_json::json!({ "organisation_id": organisation, "text": payload, "mapping": null }),
            ),
            (
                "preview_sheet",
                serde_json::json!({
                    "organisation_id": organisation,
                    // (Reference and title come back in the preview as data: the payload goes elsewhere.)
                    "text": format!("Reference,Title,Programme,Deadline\nH-{round},Vouchers,{payload},{payload}\n"),
                    "mapping": [payload, "title", null, "deadline_1"],
                }),
            ),
            (
                "import_sheet",
                serde_json::json!({
                    "organisation_id": organisation,
                    "text": format!("Reference;Title;Programme;Rolling\nS-{round};Vouchers;{payload};yes\n"),
                    "mapping": null,
                }),
            ),
            (
                "preview_sheet",
                serde_json::json!({ "organisation_id": organisation, "text": "", "mapping": null, "xlsx": payload }),
            ),
        ] {
            let (status, answer) = post_as(&app, function, &session, &body).await;
            assert!(
                matches!(status, 200 | 400 | 403 | 404),
                "{function} {body}: {status} {answer}"
            );
            if function == "preview_sheet" && status == 200 {
                // The preview shows the editor their own file's column names: data in JSON, which
                // the page renders as text — never a document a browser would run.
                assert!(serde_json::from_str::<serde_json::Value>(&answer).is_ok(), "{answer}");
                continue;
            }
            assert!(!answer.contains(SCRIPT_MARK), "{function} reflected {answer}");
            assert!(!answer.contains("<img"), "{function} kept an element: {answer}");
        }
    }
    assert!(created > 0, "the valid parts of hostile forms are kept (as text)");
}

#[tokio::test]
async fn every_strategy_input_refuses_hostile_values_plainly_and_the_region_page_escapes_what_it_keeps() {
    let app = TestApp::spawn().await;
    let session = logged_in(&app, "editor@region.example", false).await;
    let authority = domain::organisation::NewOrganisationForm {
        name: "Hostile Region".into(),
        kind: "public_authority".into(),
        country: "BE".into(),
        region: "BE10".into(),
        ..domain::organisation::NewOrganisationForm::default()
    };
    let organisation = domain::services::memberships::create_organisation(&app.state, Some(&session), &authority)
        .await
        .unwrap();
    let session = logged_in(&app, "editor@region.example", false).await;
    let valid = serde_json::json!({
        "summary": "Digital trust.",
        "strategy_url": "https://region.example/ris3.pdf",
        "priorities": [{ "title": "Ports", "domains": ["network-security"], "sectors": ["transport"], "text": "" }],
    });
    let mut saved = 0;
    for payload in payloads() {
        let mut forms = Vec::new();
        for field in ["summary", "strategy_url"] {
            let mut form = valid.clone();
            form[field] = serde_json::Value::String(payload.clone());
            forms.push((field.to_owned(), form));
        }
        for field in ["title", "text"] {
            let mut form = valid.clone();
            form["priorities"][0][field] = serde_json::Value::String(payload.clone());
            forms.push((format!("priorities.{field}"), form));
        }
        for list in ["domains", "sectors"] {
            let mut form = valid.clone();
            form["priorities"][0][list] = serde_json::json!([payload.clone()]);
            forms.push((format!("priorities.{list}"), form));
        }
        saved += save_hostile_forms(
            &app,
            &session,
            "save_strategy",
            ("organisation_id", &organisation),
            forms,
            "/regions/BE10",
            &["domains", "sectors", "strategy_url"],
        )
        .await;
        let calls = vec![
            ("get_region", serde_json::json!({ "code": payload })),
            ("open_strategy", serde_json::json!({ "organisation_id": payload })),
            (
                "save_strategy",
                serde_json::json!({ "organisation_id": payload, "form": valid.clone() }),
            ),
        ];
        refused_plainly(&app, &session, calls, &format!("/regions/{}", percent_encode(&payload))).await;
    }
    assert!(saved > 0, "the valid parts of hostile forms are kept (as text)");
}

#[tokio::test]
async fn every_profile_input_refuses_hostile_values_plainly_and_the_page_escapes_what_it_keeps() {
    let app = TestApp::spawn().await;
    let session = logged_in(&app, "ana@aveiro-labs.example", false).await;
    let company = domain::organisation::NewOrganisationForm {
        name: "Aveiro Labs".into(),
        kind: "sme".into(),
        country: "PT".into(),
        ..domain::organisation::NewOrganisationForm::default()
    };
    let organisation = domain::services::memberships::create_organisation(&app.state, Some(&session), &company)
        .await
        .unwrap();
    let session = logged_in(&app, "ana@aveiro-labs.example", false).await;
    let valid = serde_json::json!({ "description": "Audits.", "capabilities": ["assurance"], "headcount": "12" });
    let mut saved = 0;
    for payload in payloads() {
        let mut forms = Vec::new();
        for field in [
            "description",
            "website",
            "region",
            "headcount",
            "turnover",
            "balance_sheet",
            "offer_trl",
            "dual_use_interest",
        ] {
            let mut form = valid.clone();
            form[field] = serde_json::Value::String(payload.clone());
            forms.push((field.to_owned(), form));
        }
        for list in [
            "capabilities",
            "sectors",
            "certifications",
            "wants_funding",
            "wants_capabilities",
            "wants_countries",
        ] {
            let mut form = valid.clone();
            form[list] = serde_json::json!([payload.clone()]);
            forms.push((list.to_owned(), form));
        }
        for key in ["headcount".to_owned(), payload.clone()] {
            let mut audience = valid.clone();
            audience["visibility"] = serde_json::json!({ key: payload.clone() });
            forms.push(("visibility".to_owned(), audience));
        }
        let mut expiry = valid.clone();
        expiry["certifications"] = serde_json::json!(["iso27001"]);
        expiry["certification_expiry"] = serde_json::json!({ "iso27001": payload.clone() });
        forms.push(("certification_expiry".to_owned(), expiry));
        let page = format!("/organisations/{organisation}");
        saved += save_hostile_forms(
            &app,
            &session,
            "save_profile",
            ("external_id", &organisation),
            forms,
            &page,
            &[],
        )
        .await;
        let (status, answer) = post_as(
            &app,
            "delete_account",
            &session,
            &serde_json::json!({ "password": payload }),
        )
        .await;
        assert!(
            matches!(status, 400 | 429),
            "delete_account {payload:?}: {status} {answer}"
        );
        assert!(!answer.contains(SCRIPT_MARK), "{answer}");
        let (status, html) = app
            .get(&format!(
                "/clusters?q={0}&region={0}&profile={0}",
                percent_encode(&payload)
            ))
            .await;
        assert!(matches!(status, 200 | 400 | 414), "clusters {payload:?}: {status}");
        assert!(!html.contains(SCRIPT_MARK) && !html.contains("<img src=x"), "{html}");
        let (status, answer) = post_as(
            &app,
            "list_clusters",
            &session,
            &serde_json::json!({ "query": { "text": payload, "region": payload, "profile": null } }),
        )
        .await;
        assert!(
            matches!(status, 200 | 400),
            "list_clusters {payload:?}: {status} {answer}"
        );
        assert!(!answer.contains(SCRIPT_MARK), "{answer}");
        refused_plainly(
            &app,
            &session,
            vec![("get_cluster_page", serde_json::json!({ "external_id": payload }))],
            &format!("/clusters/{}", percent_encode(&payload)),
        )
        .await;
        let calls = vec![
            ("get_organisation_page", serde_json::json!({ "external_id": payload })),
            ("open_profile", serde_json::json!({ "external_id": payload })),
            (
                "save_profile",
                serde_json::json!({ "external_id": payload, "form": valid.clone() }),
            ),
        ];
        refused_plainly(
            &app,
            &session,
            calls,
            &format!("/organisations/{}", percent_encode(&payload)),
        )
        .await;
    }
    assert!(saved > 0, "the valid parts of hostile forms are kept (as text)");
}

/// Saves each `(field, form)` of one hostile round through `function` (the form beside the
/// `owner` argument): 200 or 400, nothing reflected, and — after each save — `page` holds
/// nothing active. Fields in `never_saved` must be refused. Returns how many were saved.
async fn save_hostile_forms(
    app: &TestApp,
    session: &str,
    function: &str,
    owner: (&str, &str),
    forms: Vec<(String, serde_json::Value)>,
    page: &str,
    never_saved: &[&str],
) -> usize {
    let mut saved = 0;
    for (field, form) in forms {
        let body = serde_json::json!({ owner.0: owner.1, "form": form });
        let (status, answer) = post_as(app, function, session, &body).await;
        assert!(matches!(status, 200 | 400), "{function} {field}: {status} {answer}");
        assert!(!answer.contains(SCRIPT_MARK), "{field} reflected {answer}");
        if never_saved.iter().any(|refused| field.ends_with(refused)) {
            assert_ne!(status, 200, "{function} saved a hostile {field}");
        }
        if status == 200 {
            saved += 1;
            let (status, html) = app.get(page).await;
            assert_eq!(status, 200);
            assert!(
                !html.contains(SCRIPT_MARK) && !html.contains("<img src=x"),
                "{field}: {html}"
            );
            assert!(!html.contains("href=\"javascript:"), "{field}: {html}");
        }
    }
    saved
}

/// Each `(function, body)` is refused plainly (400, 403 or 404) without reflecting markup,
/// and the page at `path` answers without any.
async fn refused_plainly(app: &TestApp, session: &str, calls: Vec<(&str, serde_json::Value)>, path: &str) {
    for (function, body) in calls {
        let (status, answer) = post_as(app, function, session, &body).await;
        assert!(
            matches!(status, 400 | 403 | 404),
            "{function} {body}: {status} {answer}"
        );
        assert!(
            !answer.contains(SCRIPT_MARK) && !answer.contains("<img"),
            "{function}: {answer}"
        );
    }
    let (status, html) = app.get(path).await;
    // (A page for signed-in people answers an anonymous visitor 401: a plain refusal too.)
    assert!(matches!(status, 200 | 400 | 401 | 403 | 404 | 414), "{path}: {status}");
    assert!(!html.contains(SCRIPT_MARK) && !html.contains("<img src=x"), "{html}");
}

#[tokio::test]
async fn every_cluster_and_message_input_refuses_hostile_values_plainly_and_escapes_what_it_keeps() {
    use domain::services::memberships::create_organisation;
    let app = TestApp::spawn().await;
    let organisation = |name: &str, kind: &str, country: &str| domain::organisation::NewOrganisationForm {
        name: name.into(),
        kind: kind.into(),
        country: country.into(),
        ..domain::organisation::NewOrganisationForm::default()
    };
    let manager = logged_in(&app, "lea@breizh.example", false).await;
    let association = create_organisation(
        &app.state,
        Some(&manager),
        &organisation("Breizh Cyber Association", "cluster_organisation", "FR"),
    )
    .await
    .unwrap();
    let manager = logged_in(&app, "lea@breizh.example", false).await;
    let writer = logged_in(&app, "ana@aveiro.example", false).await;
    let company = create_organisation(&app.state, Some(&writer), &organisation("Aveiro Labs", "sme", "PT"))
        .await
        .unwrap();
    let writer = logged_in(&app, "ana@aveiro.example", false).await;
    let cluster = domain::cluster::Cluster {
        external_id: "breizh".into(),
        name: "Breizh Cyber".into(),
        country: "FR".parse().unwrap(),
        nuts_code: None,
        focus: "Maritime".into(),
        dual_use_profile: domain::cluster::DualUseProfile::Both,
        networks: vec![],
        description: String::new(),
        managed_by: Some(association.clone()),
    };
    app.store.upsert_clusters(&[cluster], &[], now()).await.unwrap();
    let valid_cluster = serde_json::json!({ "name": "Breizh Cyber", "focus": "Maritime", "description": "",
        "region": "FRH0", "profile": "both", "networks": "" });
    let valid_message =
        serde_json::json!({ "subject": "Consortium", "body": "Hello", "call_id": "", "on_behalf_of": "" });
    let mut saved = 0;
    for payload in payloads() {
        let forms = ["name", "focus", "description", "region", "profile", "networks"]
            .into_iter()
            .map(|field| {
                let mut form = valid_cluster.clone();
                form[field] = serde_json::Value::String(payload.clone());
                (field.to_owned(), form)
            })
            .collect();
        saved += save_hostile_forms(
            &app,
            &manager,
            "save_cluster",
            ("external_id", "breizh"),
            forms,
            "/clusters/breizh",
            &["region", "profile"],
        )
        .await;
        // An invitation with a hostile message is kept as text (or refused), then withdrawn.
        let invitation = serde_json::json!({ "cluster_id": "breizh", "organisation_id": company,
            "kind": "invitation", "message": payload });
        let (status, answer) = post_as(&app, "request_cluster_membership", &manager, &invitation).await;
        assert!(matches!(status, 200 | 400), "invitation {payload:?}: {status} {answer}");
        assert!(!answer.contains(SCRIPT_MARK) && !answer.contains("<img"), "{answer}");
        for request in app.store.cluster_requests(Some("breizh"), &[]).await.unwrap() {
            domain::services::clusters::decide_cluster_request(&app.state, Some(&manager), request.id, false)
                .await
                .unwrap();
        }
        refused_plainly(
            &app,
            &manager,
            vec![
                (
                    "request_cluster_membership",
                    serde_json::json!({ "cluster_id": payload,
                    "organisation_id": company, "kind": "invitation", "message": "" }),
                ),
                (
                    "request_cluster_membership",
                    serde_json::json!({ "cluster_id": "breizh",
                    "organisation_id": payload, "kind": "invitation", "message": "" }),
                ),
                (
                    "remove_cluster_member",
                    serde_json::json!({ "cluster_id": "breizh", "organisation_id": payload }),
                ),
                ("open_cluster_editor", serde_json::json!({ "external_id": payload })),
                (
                    "decide_cluster_request",
                    serde_json::json!({ "request_id": payload, "accept": true }),
                ),
                (
                    "decide_cluster_request",
                    serde_json::json!({ "request_id": -1, "accept": payload }),
                ),
                (
                    "save_cluster",
                    serde_json::json!({ "external_id": payload, "form": valid_cluster.clone() }),
                ),
            ],
            &format!("/clusters/{}/edit", percent_encode(&payload)),
        )
        .await;
        // A member sheet with the payload in every cell and as a column's field: previewed
        // plainly, and what is kept is text on the cluster's page.
        let sheet = format!(
            "name;country;website;nutsCode;activityType\n\"{0}\";PT;\"{0}\";\"{0}\";\"{0}\"\n\"{0}\";\"{0}\";;;\n",
            payload.replace('"', "\"\"")
        );
        for function in ["preview_member_import", "import_members"] {
            let body = serde_json::json!({ "cluster_id": "breizh", "text": sheet, "xlsx": null,
                "mapping": { "columns": ["name", "country", payload, null], "default_kind": payload } });
            let (status, answer) = post_as(&app, function, &manager, &body).await;
            // (Ten thousand characters in four cells and the mapping exceed the body limit: 413.)
            assert!(
                matches!(status, 200 | 400 | 413),
                "{function} mapped: {status} {answer}"
            );
            let body = serde_json::json!({ "cluster_id": "breizh", "text": sheet, "xlsx": null, "mapping": null });
            let (status, answer) = post_as(&app, function, &manager, &body).await;
            assert!(matches!(status, 200 | 400 | 413), "{function}: {status} {answer}");
            // The rows' names come back as data (JSON, shown as text); the mistakes never repeat them.
            if status == 200 {
                let preview: serde_json::Value = serde_json::from_str(&answer).unwrap();
                for row in preview["rows"].as_array().unwrap() {
                    let errors = row["outcome"]["errors"].to_string();
                    assert!(
                        !errors.contains("<img") && !errors.contains(SCRIPT_MARK),
                        "{function}: {errors}"
                    );
                }
            } else {
                assert!(
                    !answer.contains("<img") && !answer.contains(SCRIPT_MARK),
                    "{function}: {answer}"
                );
            }
        }
        let (_, html) = app.get("/clusters/breizh").await;
        assert!(!html.contains(SCRIPT_MARK) && !html.contains("<img src=x"), "{html}");
        // Messages: every field of the form, then the ids of the rest.
        for field in ["subject", "body", "call_id", "on_behalf_of"] {
            let mut form = valid_message.clone();
            form[field] = serde_json::Value::String(payload.clone());
            let body = serde_json::json!({ "organisation_id": association, "form": form });
            let (status, answer) = post_as(&app, "contact_organisation", &writer, &body).await;
            assert!(
                matches!(status, 200 | 400 | 403 | 404 | 429),
                "contact {field} {payload:?}: {status} {answer}"
            );
            assert!(
                !answer.contains(SCRIPT_MARK) && !answer.contains("<img"),
                "{field}: {answer}"
            );
        }
        refused_plainly(
            &app,
            &writer,
            vec![
                (
                    "contact_organisation",
                    serde_json::json!({ "organisation_id": payload, "form": valid_message.clone() }),
                ),
                ("open_conversation", serde_json::json!({ "id": payload })),
                ("reply", serde_json::json!({ "id": 0, "body": payload })),
                ("report_abuse", serde_json::json!({ "id": 0, "reason": payload })),
                ("block_sender", serde_json::json!({ "id": -1, "block": true })),
            ],
            "/inbox",
        )
        .await;
    }
    assert!(saved > 0, "the valid parts of hostile forms are kept (as text)");
    // What was kept reached the association's inbox as text, and its mail escapes it.
    let kept = domain::services::messages::inbox(&app.state, Some(&manager))
        .await
        .unwrap();
    assert!(kept.iter().any(|c| c.subject.contains(SCRIPT_MARK)), "{kept:?}");
    let mail = app
        .store
        .lease_due_mail(now() + chrono::Duration::days(400), chrono::Duration::days(1), 500)
        .await
        .unwrap();
    assert!(mail
        .iter()
        .any(|m| m.subject.contains("Consortium") || m.subject.contains("message")));
    for message in mail {
        assert!(
            !message.html_body.contains(SCRIPT_MARK) && !message.html_body.contains("<img src=x"),
            "{}",
            message.html_body
        );
    }
}

#[tokio::test]
async fn every_matching_input_refuses_hostile_values_plainly_and_the_pages_escape_what_they_show() {
    use domain::services::memberships::create_organisation;
    let app = TestApp::spawn().await;
    let editor = logged_in(&app, "bid@armor.example", false).await;
    let form = domain::organisation::NewOrganisationForm {
        name: format!("Armor {SCRIPT_MARK}<img src=x onerror=alert(1)>"),
        kind: "sme".into(),
        country: "FR".into(),
        ..domain::organisation::NewOrganisationForm::default()
    };
    let armor = create_organisation(&app.state, Some(&editor), &form).await.unwrap();
    // (Adding an organisation renews the session.)
    let editor = logged_in(&app, "bid@armor.example", false).await;
    let mut call =
        domain::store::NewCall::new("OPEN-1", "test", &format!("Call {SCRIPT_MARK}"), "Horizon Europe", "EC");
    call.opening_at = Some(now() - chrono::Duration::days(1));
    app.store.upsert_calls(&[call], now()).await.unwrap();
    let consortium = |call_id: &str, lead_id: &str, partner: &str, name: &str| {
        serde_json::json!({ "form": { "call_id": call_id, "lead_id": lead_id, "name": name,
            "lead_role": "coordinator", "share": true, "partners": [[partner, "partner"]] } })
    };
    let partner = {
        let kaia = logged_in(&app, "kaia@tartu.example", false).await;
        let form = domain::organisation::NewOrganisationForm {
            name: "Tartu Crypto".into(),
            kind: "sme".into(),
            country: "EE".into(),
            ..domain::organisation::NewOrganisationForm::default()
        };
        create_organisation(&app.state, Some(&kaia), &form).await.unwrap()
    };
    let (status, answer) = post_as(
        &app,
        "save_consortium",
        &editor,
        &consortium("OPEN-1", &armor, &partner, ""),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let stored: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let consortium_id = stored["id"].as_i64().unwrap();
    let mut names_kept = 0;
    for payload in payloads() {
        let before = app.store.consortium(consortium_id).await.unwrap();
        refused_plainly(
            &app,
            &editor,
            vec![
                ("save_consortium", consortium(&payload, &armor, &partner, "")),
                ("save_consortium", consortium("OPEN-1", &payload, &partner, "")),
                ("save_consortium", consortium("OPEN-1", &armor, &payload, "")),
                ("consortium", serde_json::json!({ "id": payload })),
                (
                    "answer_consortium",
                    serde_json::json!({ "id": consortium_id, "organisation_id": payload, "accept": true }),
                ),
                (
                    "consortium_for_call",
                    serde_json::json!({ "external_id": "OPEN-1", "organisation_id": payload }),
                ),
            ],
            "/consortia",
        )
        .await;
        assert_eq!(app.store.consortium(consortium_id).await.unwrap(), before);
        // A hostile name is kept as text where it is a name (else refused plainly), and the
        // consortium's page shows it escaped.
        let (status, answer) = post_as(
            &app,
            "save_consortium",
            &editor,
            &consortium("OPEN-1", &armor, &partner, &payload),
        )
        .await;
        assert!(matches!(status, 200 | 400), "{status} {answer}");
        if status == 200 {
            names_kept += 1;
        } else {
            assert!(!answer.contains(SCRIPT_MARK) && !answer.contains("<img"), "{answer}");
        }
        let page = app
            .client
            .get(format!("{}/consortia/{consortium_id}", app.address))
            .header("cookie", format!("fundbridge-session={editor}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains(SCRIPT_MARK) && !page.contains("<img src=x"), "{page}");
    }
    assert!(names_kept > 0, "hostile names that are text are kept as text");
    for payload in payloads() {
        refused_plainly(
            &app,
            &editor,
            vec![
                (
                    "mark_not_relevant",
                    serde_json::json!({ "organisation_id": armor, "call_id": payload, "not_relevant": true }),
                ),
                (
                    "mark_not_relevant",
                    serde_json::json!({ "organisation_id": payload, "call_id": "OPEN-1", "not_relevant": true }),
                ),
                (
                    "organisation_matches",
                    serde_json::json!({ "query": { "organisation": payload, "show": "open", "kind": null,
                        "status": null, "sort": "score", "page": 1 } }),
                ),
            ],
            "/matches",
        )
        .await;
        // A call's fit and partners for an unknown or hostile identifier are nothing, plainly.
        for (function, body) in [
            ("call_fits", serde_json::json!({ "external_id": payload })),
            (
                "call_partners",
                serde_json::json!({ "external_id": payload, "organisation_id": "" }),
            ),
            (
                "call_partners",
                serde_json::json!({ "external_id": "OPEN-1", "organisation_id": payload }),
            ),
            ("possible_applicants", serde_json::json!({ "external_id": payload })),
        ] {
            let (status, answer) = post_as(&app, function, &editor, &body).await;
            assert!(
                matches!(status, 200 | 400 | 403 | 404 | 413),
                "{function}: {status} {answer}"
            );
            assert!(!answer.contains(SCRIPT_MARK) && !answer.contains("<img"), "{answer}");
        }
    }
    // Out-of-range pages are bounded, not refused; nothing was marked.
    let body = serde_json::json!({ "query": { "organisation": armor, "show": "open", "kind": null,
        "status": null, "sort": "score", "page": 4_000_000_000u32 } });
    let (status, answer) = post_as(&app, "organisation_matches", &editor, &body).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains(r#""page":50"#), "{answer}");
    assert!(app.store.dismissed_calls(&armor).await.unwrap().is_empty());
}

#[tokio::test]
async fn every_alert_input_refuses_hostile_values_plainly_and_the_preferences_page_escapes_what_it_keeps() {
    let app = TestApp::spawn().await;
    let ana = logged_in(&app, "ana@aveiro.example", false).await;
    let (status, answer) = post_as(
        &app,
        "save_search",
        &ana,
        &serde_json::json!({ "kind": "calls", "pairs": [["q", "quantum"]] }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let saved: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let id = saved["search"]["id"].as_i64().unwrap();
    let mut kept = 0;
    for payload in payloads() {
        refused_plainly(
            &app,
            &ana,
            vec![
                ("save_search", serde_json::json!({ "kind": payload, "pairs": [] })),
                (
                    "set_search_frequency",
                    serde_json::json!({ "id": id, "frequency": payload }),
                ),
                (
                    "set_search_frequency",
                    serde_json::json!({ "id": payload, "frequency": "daily" }),
                ),
                ("delete_saved_search", serde_json::json!({ "id": payload })),
                (
                    "set_digest_schedule",
                    serde_json::json!({ "schedule": { "weekday": 1, "hour": 8, "time_zone": payload } }),
                ),
                (
                    "set_digest_schedule",
                    serde_json::json!({ "schedule": { "weekday": payload, "hour": 8, "time_zone": "UTC" } }),
                ),
                ("mail_link", serde_json::json!({ "token": payload, "undo": false })),
                ("mail_link", serde_json::json!({ "token": "dTox.abc", "undo": payload })),
                ("follow_call", serde_json::json!({ "call": payload })),
                (
                    "set_top_matches_alert",
                    serde_json::json!({ "organisation_id": payload, "on": true }),
                ),
                (
                    "set_top_matches_alert",
                    serde_json::json!({ "organisation_id": "armor", "on": payload }),
                ),
                (
                    "subscribe_by_email",
                    serde_json::json!({ "kind": "calls", "pairs": [], "email": payload }),
                ),
                (
                    "subscribe_by_email",
                    serde_json::json!({ "kind": payload, "pairs": [], "email": "vera@example.eu" }),
                ),
            ],
            "/preferences",
        )
        .await;
        // Unfollowing or asking about a call that is not one changes and reveals nothing.
        for function in ["unfollow_call", "follows_call"] {
            let (status, answer) = post_as(&app, function, &ana, &serde_json::json!({ "call": payload })).await;
            assert!(matches!(status, 200 | 400 | 404), "{function}: {status} {answer}");
            assert!(!answer.contains(SCRIPT_MARK) && !answer.contains("<img"), "{answer}");
        }
        let (status, answer) = app
            .post_form(
                &format!("/mail/unsubscribe?token={}", percent_encode(&payload)),
                "List-Unsubscribe=One-Click",
            )
            .await;
        assert_eq!(status, 400, "{answer}");
        assert!(!answer.contains(SCRIPT_MARK) && !answer.contains("<img"), "{answer}");
        for feed in ["/feeds/search.atom", "/feeds/deadlines.ics"] {
            let (status, answer) = app.get(&format!("{feed}?token={}", percent_encode(&payload))).await;
            assert!(matches!(status, 400 | 414), "{feed}: {status} {answer}");
            assert!(!answer.contains(SCRIPT_MARK) && !answer.contains("<img"), "{answer}");
        }
        // Hostile words and filters in a search to save: unknown keys and values are left out,
        // the words kept as text (bounded) — and the preferences page shows them escaped.
        let pairs = serde_json::json!([
            ["q", payload],
            [payload, payload],
            ["domain", payload],
            ["country", payload]
        ]);
        let (status, answer) = post_as(
            &app,
            "save_search",
            &ana,
            &serde_json::json!({ "kind": "organisations", "pairs": pairs }),
        )
        .await;
        assert!(matches!(status, 200 | 400), "{status} {answer}");
        if status == 200 {
            kept += 1;
            let saved: serde_json::Value = serde_json::from_str(&answer).unwrap();
            let query = saved["search"]["query"].as_str().unwrap();
            // The words are cut to the search box's 200 characters, percent-encoded (up to 12
            // bytes a character); unknown filters were left out.
            assert!(
                query.len() <= 200 * 12 + 10 && !query.contains('<') && !query.contains(' '),
                "{} {query}",
                query.len()
            );
        }
        let page = app
            .client
            .get(format!("{}/preferences", app.address))
            .header("cookie", format!("fundbridge-session={ana}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains(SCRIPT_MARK) && !page.contains("<img src=x"), "{page}");
    }
    assert!(kept > 0, "searches with hostile words are kept as text");
    let (status, _) = post_as(
        &app,
        "set_digest_schedule",
        &ana,
        &serde_json::json!({ "schedule": { "weekday": 1, "hour": 8, "time_zone": "Europe/Lisbon" } }),
    )
    .await;
    assert_eq!(status, 200);
}
