//! Accounts over HTTP: the session cookie's attributes, login and logout through the server
//! functions, `429` with `Retry-After`, and the authorisation matrix — every registered
//! server function classified, every state-changing one called as every role.

use crate::helpers::TestApp;
use domain::cluster::ClusterRequestKind;
use domain::demo::{self, DemoSize};
use domain::people::Role;
use domain::services::accounts::{self, Client};
use domain::services::memberships;
use domain::store::{AuditEntry, NewClusterRequest, NewConversation, NewPerson, RequestKind};
use serde_json::{json, Value};

/// POSTs `body` to the server function `name`, with the session `cookie` if any: status,
/// `Set-Cookie` headers and JSON answer.
async fn call(app: &TestApp, name: &str, cookie: Option<&str>, body: Value) -> (u16, Vec<String>, Value) {
    let mut request = app
        .client
        .post(format!("{}/api/{name}", app.address))
        .header("content-type", "application/json")
        .header("sec-fetch-site", "same-origin")
        .body(body.to_string());
    if let Some(cookie) = cookie {
        request = request.header("cookie", format!("fundbridge-session={cookie}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect();
    let text = response.text().await.unwrap();
    (
        status,
        cookies,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// `count` generated organisations (and nothing else) from `seed`.
fn organisations(seed: u64, count: usize) -> domain::demo::DemoData {
    let size = DemoSize {
        calls: 0,
        organisations: count,
        clusters: 0,
    };
    demo::generate(seed, crate::helpers::now().date_naive(), size)
}

/// The hash of `correct horse battery`, computed once (Argon2 is slow on purpose).
static PASSWORD_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| domain::credentials::hash_password("correct horse battery"));

/// A verified account at `email` (password `correct horse battery`), stored directly.
async fn account(app: &TestApp, email: &str) {
    let person = NewPerson {
        email: email.to_owned(),
        display_name: email.split('@').next().unwrap().to_owned(),
        password_hash: PASSWORD_HASH.clone(),
        verified: true,
        is_admin: false,
    };
    app.store
        .create_person(&person, None, crate::helpers::now())
        .await
        .unwrap();
}

/// A session for `email` begun through the services (from an IP of its own, so the matrix's
/// many logins stay under the per-IP limit).
async fn service_session(app: &TestApp, email: &str) -> String {
    let client = Client {
        ip: email.to_owned(),
        user_agent: String::new(),
    };
    accounts::log_in(&app.state, email, "correct horse battery", &client, None)
        .await
        .unwrap()
        .token
}

/// The session id a `Set-Cookie` value sets (not one that clears the cookie).
fn session_id_in(set_cookie: &str) -> Option<String> {
    let value = set_cookie.strip_prefix("fundbridge-session=")?.split(';').next()?;
    (!value.is_empty()).then(|| value.to_owned())
}

/// Logs `email` in through HTTP and returns the session id from the cookie.
async fn session_of(app: &TestApp, email: &str) -> String {
    let (status, cookies, answer) = call(
        app,
        "log_in",
        None,
        json!({ "email": email, "password": "correct horse battery" }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    cookies
        .iter()
        .find_map(|cookie| session_id_in(cookie))
        .expect("a session cookie")
}

#[tokio::test]
async fn login_sets_an_http_only_cookie_and_logout_ends_the_session() {
    let app = TestApp::spawn().await;
    account(&app, "ana@example.eu").await;
    let (status, cookies, answer) = call(
        &app,
        "log_in",
        None,
        json!({ "email": "ana@example.eu", "password": "correct horse battery" }),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["display_name"], "ana");
    let cookie = &cookies[0];
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain-http localhost: no Secure (else the browser drops it)"
    );
    let token = session_of(&app, "ana@example.eu").await;
    let (_, _, viewer) = call(&app, "current_viewer", Some(&token), json!({})).await;
    assert_eq!(viewer["email"], "ana@example.eu");

    let (status, cookies, _) = call(&app, "log_out", Some(&token), json!({})).await;
    assert_eq!(status, 200);
    assert!(cookies[0].contains("Max-Age=0"), "{cookies:?}");
    let (_, _, viewer) = call(&app, "current_viewer", Some(&token), json!({})).await;
    assert_eq!(viewer, Value::Null, "the old cookie opens nothing");
    let (status, _, _) = call(&app, "list_sessions", Some(&token), json!({})).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_change_of_rights_gives_the_session_a_new_id_on_the_next_request() {
    let data = organisations(3, 1);
    let app = TestApp::spawn().await.with_demo_data(&data).await;
    account(&app, "ana@example.eu").await;
    accounts::create_admin(&app.state, "admin@example.eu", "Admin", "correct horse battery")
        .await
        .unwrap();
    let before = session_of(&app, "ana@example.eu").await;
    let admin = service_session(&app, "admin@example.eu").await;
    let organisation = &data.organisations[0].external_id;
    memberships::grant_role(
        &app.state,
        Some(&admin),
        "ana@example.eu",
        organisation,
        Some(Role::Editor),
    )
    .await
    .unwrap();

    let response = app
        .client
        .get(format!("{}/account", app.address))
        .header("cookie", format!("fundbridge-session={before}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    let after = session_id_in(&set_cookie).expect("a new session id");
    assert_ne!(after, before);
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(
        response.text().await.unwrap().contains("Editor"),
        "the page rendered with the new id already shows the new role"
    );
    let (_, _, old) = call(&app, "current_viewer", Some(&before), json!({})).await;
    assert_eq!(old, Value::Null, "the id from before the change opens nothing");
    let (_, cookies, new) = call(&app, "current_viewer", Some(&after), json!({})).await;
    assert_eq!(new["memberships"][0]["role"], "editor");
    assert!(cookies.is_empty(), "rotated once, not on every request");
}

#[tokio::test]
async fn too_many_failed_logins_answer_429_with_retry_after() {
    let app = TestApp::spawn().await;
    account(&app, "ana@example.eu").await;
    let wrong = json!({ "email": "ana@example.eu", "password": "not the password" });
    for _ in 0..10 {
        assert_eq!(call(&app, "log_in", None, wrong.clone()).await.0, 400);
    }
    let response = app
        .client
        .post(format!("{}/api/log_in", app.address))
        .header("content-type", "application/json")
        .body(wrong.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after));
    assert!(response.text().await.unwrap().contains("Too many attempts"));
}

/// Who calls, in the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Member,
    Editor,
    Reviewer,
    Manager,
    Admin,
    /// An editor of another organisation.
    Outsider,
}

const CALLERS: [Caller; 7] = [
    Caller::Anonymous,
    Caller::Member,
    Caller::Editor,
    Caller::Reviewer,
    Caller::Manager,
    Caller::Admin,
    Caller::Outsider,
];

/// Who may call a server function.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Reads nothing private and changes nothing: anyone (not called in the loop).
    Read,
    /// Changes something, and anyone may (sign-up, login, links from mail); their refusals
    /// are the accounts suite's.
    Public,
    /// Reads or changes the caller's own account, or asks something of others: anyone logged in.
    LoggedIn,
    /// Decides for the organisation (or a cluster it runs): its editors and managers, and
    /// administrators.
    Admits,
    /// Administrators only (granting, disabling, the audit log, undeliverable mail).
    Admin,
    /// Reads a funding body's own calls: anyone of that body, and administrators (to anyone
    /// else its drafts do not exist: 404 counts as refused).
    BodyMember,
    /// Writes a funding body's calls: its editors only.
    BodyEditor,
    /// A conversation's two sides: the person who started it (the member) and the editors of
    /// the organisation it is addressed to (the outsider); to anyone else it does not exist.
    Party,
    /// The side a conversation is addressed to (the outsider's organisation) only.
    Addressee,
    /// Reads or marks an organisation's matches, builds or reads its consortia: any of its
    /// people, and administrators.
    OrganisationMember,
    /// Reads a consortium: its lead's people, administrators and — once it is shared — its
    /// partners' people (the outsider's organisation is a partner of the matrix's); to anyone
    /// else it does not exist.
    ConsortiumParty,
    /// Answers a consortium for a partner invited to it (the outsider's organisation): its own
    /// people only, not administrators.
    Invited,
    /// Changes one person's own saved search (the member's): that person only; to anyone else
    /// it does not exist.
    Owner,
}

/// Every server function the app registers, with its rule. A function missing here fails
/// the matrix: a new mutation cannot ship without saying who may call it.
const MATRIX: [(&str, Rule); 82] = [
    ("list_calls", Rule::Read),
    ("suggest_calls", Rule::Read),
    ("suggest_organisations", Rule::Read),
    ("get_call", Rule::Read),
    ("search_organisations", Rule::Read),
    ("get_organisation", Rule::Read),
    ("list_clusters", Rule::Read),
    ("get_cluster_page", Rule::Read),
    ("current_viewer", Rule::Read),
    ("list_sessions", Rule::LoggedIn),
    ("pending_requests", Rule::LoggedIn),
    ("audit_log", Rule::Admin),
    ("dead_mail", Rule::Admin),
    ("sign_up", Rule::Public),
    ("resend_verification", Rule::Public),
    ("verify_email", Rule::Public),
    ("log_in", Rule::Public),
    ("log_out", Rule::Public),
    ("request_password_reset", Rule::Public),
    ("reset_password", Rule::Public),
    ("confirm_email_change", Rule::Public),
    ("change_password", Rule::LoggedIn),
    ("delete_account", Rule::LoggedIn),
    ("request_email_change", Rule::LoggedIn),
    ("rename", Rule::LoggedIn),
    ("end_session", Rule::LoggedIn),
    ("request_membership", Rule::LoggedIn),
    ("create_organisation", Rule::LoggedIn),
    ("decide_request", Rule::Admits),
    ("grant_role", Rule::Admin),
    ("set_account_disabled", Rule::Admin),
    ("set_admin", Rule::Admin),
    ("preview_description", Rule::Read),
    ("open_desk", Rule::BodyMember),
    ("open_call_editor", Rule::BodyMember),
    ("create_call", Rule::BodyEditor),
    ("save_call", Rule::BodyEditor),
    ("act_on_call", Rule::BodyEditor),
    ("preview_sheet", Rule::BodyEditor),
    ("import_sheet", Rule::BodyEditor),
    ("get_region", Rule::Read),
    ("open_strategy", Rule::BodyMember),
    ("save_strategy", Rule::BodyEditor),
    ("get_organisation_page", Rule::Read),
    ("open_profile", Rule::BodyEditor),
    ("save_profile", Rule::BodyEditor),
    ("open_cluster_editor", Rule::Admits),
    ("save_cluster", Rule::Admits),
    ("request_cluster_membership", Rule::Admits),
    ("decide_cluster_request", Rule::Admits),
    ("remove_cluster_member", Rule::Admits),
    ("preview_member_import", Rule::Admits),
    ("import_members", Rule::Admits),
    ("contact_organisation", Rule::LoggedIn),
    ("inbox", Rule::LoggedIn),
    ("open_conversation", Rule::Party),
    ("reply", Rule::Party),
    ("block_sender", Rule::Addressee),
    ("report_abuse", Rule::Party),
    ("abuse_reports", Rule::Admin),
    ("organisation_matches", Rule::OrganisationMember),
    ("call_fits", Rule::Read),
    ("mark_not_relevant", Rule::OrganisationMember),
    ("call_partners", Rule::Read),
    ("possible_applicants", Rule::Read),
    ("consortium_for_call", Rule::Read),
    ("save_consortium", Rule::OrganisationMember),
    ("consortium", Rule::ConsortiumParty),
    ("my_consortia", Rule::LoggedIn),
    ("answer_consortium", Rule::Invited),
    ("preferences", Rule::LoggedIn),
    ("save_search", Rule::LoggedIn),
    ("set_search_frequency", Rule::Owner),
    ("delete_saved_search", Rule::Owner),
    ("set_digest_schedule", Rule::LoggedIn),
    ("resume_alert_mail", Rule::LoggedIn),
    ("follow_call", Rule::LoggedIn),
    ("unfollow_call", Rule::LoggedIn),
    ("follows_call", Rule::LoggedIn),
    ("set_top_matches_alert", Rule::OrganisationMember),
    // A visitor's subscription: it changes no account until its mailed link is opened.
    ("subscribe_by_email", Rule::Public),
    // Authorised by the signed token in the mail link, as `verify_email` by its token.
    ("mail_link", Rule::Public),
];

fn allowed(rule: Rule, caller: Caller) -> bool {
    match rule {
        Rule::Read | Rule::Public => true,
        Rule::LoggedIn | Rule::ConsortiumParty => caller != Caller::Anonymous,
        Rule::Admits => matches!(caller, Caller::Editor | Caller::Manager | Caller::Admin),
        Rule::Admin => caller == Caller::Admin,
        Rule::BodyMember | Rule::OrganisationMember => !matches!(caller, Caller::Anonymous | Caller::Outsider),
        Rule::BodyEditor => caller == Caller::Editor,
        Rule::Party => matches!(caller, Caller::Member | Caller::Outsider),
        Rule::Addressee | Rule::Invited => caller == Caller::Outsider,
        Rule::Owner => caller == Caller::Member,
    }
}

/// Whether `status` refuses the caller: where things are private to their people, "not
/// found" is a refusal too.
fn refused(rule: Rule, status: u16) -> bool {
    match rule {
        // Other organisations' requests, drafts and conversations do not exist for outsiders.
        Rule::Admits
        | Rule::BodyMember
        | Rule::BodyEditor
        | Rule::Party
        | Rule::Addressee
        | Rule::OrganisationMember
        | Rule::ConsortiumParty
        | Rule::Invited
        | Rule::Owner => {
            matches!(status, 401 | 403 | 404)
        }
        _ => matches!(status, 401 | 403),
    }
}

/// A draft call form with its own reference.
fn draft_form(reference: &str) -> domain::publishing::CallForm {
    domain::publishing::CallForm {
        reference: reference.to_owned(),
        title: format!("Cyber vouchers {reference}"),
        programme: "Regional RIS3".to_owned(),
        rolling: true,
        ..domain::publishing::CallForm::blank(domain::InstrumentKind::Voucher)
    }
}

#[tokio::test]
async fn the_authorisation_matrix_holds_on_sqlite() {
    authorisation_matrix(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_authorisation_matrix_holds_on_postgresql() {
    let db = crate::support::TestDb::postgres().await;
    authorisation_matrix(TestApp::spawn_on(db.shared()).await).await;
}

/// Every registered server function is in [`MATRIX`], and every one that changes something or
/// reads something private, called as every [`Caller`], is refused (401/403) exactly when its
/// rule says so.
async fn authorisation_matrix(app: TestApp) {
    let mut data = organisations(3, 3);
    // Both are funding bodies: the publishing rows need calls of their own.
    for organisation in &mut data.organisations {
        organisation.kind = domain::organisation::OrganisationKind::PublicAuthority;
    }
    let app = app.with_demo_data(&data).await;
    let (ours, theirs, third) = (
        data.organisations[0].external_id.clone(),
        data.organisations[1].external_id.clone(),
        data.organisations[2].external_id.clone(),
    );

    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    for name in &registered {
        assert!(
            MATRIX.iter().any(|(listed, _)| listed == name),
            "the server function {name} has no row in the authorisation matrix"
        );
    }
    for (listed, _) in MATRIX {
        assert!(
            registered.iter().any(|name| name == listed),
            "{listed} is not registered any more"
        );
    }

    accounts::create_admin(&app.state, "admin@example.eu", "Admin", "correct horse battery")
        .await
        .unwrap();
    let admin_session = service_session(&app, "admin@example.eu").await;
    for (email, organisation, role) in [
        ("member@example.eu", &ours, Role::Member),
        ("editor@example.eu", &ours, Role::Editor),
        ("reviewer@example.eu", &ours, Role::Reviewer),
        ("manager@example.eu", &ours, Role::Manager),
        ("outsider@example.eu", &theirs, Role::Editor),
    ] {
        account(&app, email).await;
        memberships::grant_role(&app.state, Some(&admin_session), email, organisation, Some(role))
            .await
            .unwrap();
    }
    let member_id = app
        .store
        .person_by_email("member@example.eu")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut sessions = Vec::new();
    for caller in CALLERS {
        sessions.push(match caller {
            Caller::Anonymous => None,
            other => Some(service_session(&app, &format!("{}@example.eu", format!("{other:?}").to_lowercase())).await),
        });
    }

    // A published call, for the matching rows.
    let mut published = domain::store::NewCall::new("MATRIX-OPEN-CALL", "test", "Open call", "Horizon Europe", "EC");
    published.opening_at = Some(crate::helpers::now() - chrono::Duration::days(1));
    app.store
        .upsert_calls(&[published], crate::helpers::now())
        .await
        .unwrap();
    // A consortium ours builds for it, shared with theirs, for the consortium rows.
    let consortium = domain::store::ConsortiumSave {
        call_id: "MATRIX-OPEN-CALL".into(),
        lead_id: ours.clone(),
        name: "Matrix consortium".into(),
        share: true,
        lead_role: domain::matching::consortium::ConsortiumRole::Coordinator,
        partners: vec![(theirs.clone(), domain::matching::consortium::ConsortiumRole::Partner)],
    };
    let consortium_id = app
        .store
        .save_consortium(&consortium, member_id, crate::helpers::now())
        .await
        .unwrap();

    let mut failures = Vec::new();
    for (name, rule) in MATRIX
        .iter()
        .filter(|(_, rule)| !matches!(rule, Rule::Read | Rule::Public))
    {
        for (caller, session) in CALLERS.into_iter().zip(sessions.iter_mut()) {
            // Each call gets fresh arguments: a new person asking to join, say.
            let asker = format!("asker-{name}-{caller:?}@example.eu").to_lowercase();
            account(&app, &asker).await;
            let asker_session = service_session(&app, &asker).await;
            memberships::request_membership(&app.state, Some(&asker_session), &ours, RequestKind::Join, "")
                .await
                .unwrap();
            let request_id = app
                .store
                .pending_requests(Some(&ours))
                .await
                .unwrap()
                .into_iter()
                .find(|request| request.person_email == asker)
                .unwrap()
                .id;
            // And a draft of its own, for the publishing rows.
            let draft = format!("M-{name}-{caller:?}").replace('_', "-");
            // (Straight into the store: the editor's own sessions end when a row changes their password.)
            let audit = AuditEntry {
                actor_id: None,
                action: "create_call",
                subject_id: None,
                organisation_id: Some(ours.clone()),
                detail: draft.clone(),
                at: crate::helpers::now(),
            };
            let new_call = draft_form(&draft).to_new_call("Matrix body").unwrap();
            app.store.create_call(&new_call, &ours, None, &audit).await.unwrap();
            // A cluster run by our organisation, with the third organisation as a member and
            // an application from theirs waiting, for the cluster rows.
            let cluster_id = format!("matrix-{name}-{caller:?}").replace('_', "-").to_lowercase();
            let cluster = domain::cluster::Cluster {
                external_id: cluster_id.clone(),
                name: format!("Cluster {cluster_id}"),
                country: "PT".parse().unwrap(),
                nuts_code: None,
                focus: "Cybersecurity".into(),
                dual_use_profile: domain::cluster::DualUseProfile::Both,
                networks: vec![],
                description: String::new(),
                managed_by: Some(ours.clone()),
            };
            let member = domain::cluster::ClusterMember {
                cluster_id: cluster_id.clone(),
                organisation_id: third.clone(),
                role: "member".into(),
            };
            app.store
                .upsert_clusters(&[cluster], &[member], crate::helpers::now())
                .await
                .unwrap();
            let application = NewClusterRequest {
                cluster_id: cluster_id.clone(),
                organisation_id: theirs.clone(),
                kind: ClusterRequestKind::Application,
                message: String::new(),
                created_by: member_id,
            };
            let applied = AuditEntry {
                action: "cluster_apply",
                ..audit.clone()
            };
            app.store
                .file_cluster_request(&application, crate::helpers::now(), &applied, &[])
                .await
                .unwrap();
            let cluster_request = app.store.cluster_requests(Some(&cluster_id), &[]).await.unwrap()[0].id;
            // And a conversation the member started with theirs (straight into the store: the
            // limits on starting conversations are the behaviour suite's).
            let conversation = NewConversation {
                organisation_id: theirs.clone(),
                person_id: member_id,
                sender_organisation_id: None,
                call_id: None,
                subject: format!("Matrix {name} {caller:?}"),
                body: "Hello".into(),
            };
            let conversation_id = app
                .store
                .start_conversation(&conversation, crate::helpers::now(), &[])
                .await
                .unwrap();
            // And a saved search of the member's, for the saved-search rows.
            let search = domain::store::NewSavedSearch {
                kind: domain::alerts::SearchKind::Calls,
                query: format!("?q=matrix-{name}-{caller:?}"),
                title: "Matrix".into(),
            };
            let saved_search = app
                .store
                .save_search(member_id, &search, 1000, crate::helpers::now())
                .await
                .unwrap()
                .id;
            let body = match *name {
                "list_sessions" | "pending_requests" | "audit_log" | "dead_mail" => json!({}),
                "change_password" => json!({ "current": "correct horse battery", "password": "correct horse battery" }),
                "request_email_change" => json!({ "password": "wrong password here", "email": "new@example.eu" }),
                "rename" => json!({ "display_name": "Renamed" }),
                // A wrong password: refused as a mistake (400) for anyone logged in, and nobody
                // of the matrix is deleted.
                "delete_account" => json!({ "password": "wrong password here" }),
                "end_session" => json!({ "handle": "0".repeat(64) }),
                "request_membership" => json!({ "organisation_id": theirs, "kind": "join", "message": "" }),
                "create_organisation" => json!({ "form": {
                    "name": format!("Lab of {caller:?}"), "kind": "sme", "country": "PT",
                    "website": "", "description": "" } }),
                "decide_request" => json!({ "request_id": request_id, "accept": true }),
                "grant_role" => json!({ "email": asker, "organisation_id": ours, "role": "member" }),
                "set_account_disabled" => json!({ "email": asker, "disabled": true }),
                "set_admin" => json!({ "email": asker, "admin": false }),
                "open_desk" => json!({ "organisation_id": ours }),
                "open_call_editor" => json!({ "external_id": draft }),
                "create_call" => json!({ "organisation_id": ours, "form": draft_form(&format!("{draft}-new")) }),
                "save_call" => json!({ "external_id": draft, "form": domain::publishing::CallForm {
                    keywords: "changed".to_owned(),
                    ..draft_form(&draft)
                } }),
                "act_on_call" => json!({ "external_id": draft, "action": "submit", "comment": "" }),
                "preview_sheet" | "import_sheet" => json!({
                    "organisation_id": ours,
                    "text": format!("Reference,Title,Programme,Rolling\n{draft}-sheet,Sheet call,RIS3,yes\n"),
                    "mapping": null,
                }),
                "open_strategy" => json!({ "organisation_id": ours }),
                "save_strategy" => json!({ "organisation_id": ours, "form": {
                    "summary": format!("Saved by {caller:?}"), "strategy_url": "",
                    "priorities": [{ "title": "Ports", "domains": [], "sectors": ["transport"], "text": "" }] } }),
                "open_cluster_editor" => json!({ "external_id": cluster_id }),
                "save_cluster" => json!({ "external_id": cluster_id, "form": {
                    "name": format!("Saved by {caller:?}"), "focus": "Cyber", "description": "", "region": "",
                    "profile": "both", "networks": "" } }),
                "request_cluster_membership" => json!({ "cluster_id": cluster_id, "organisation_id": ours,
                    "kind": "invitation", "message": "" }),
                "decide_cluster_request" => json!({ "request_id": cluster_request, "accept": true }),
                "remove_cluster_member" => json!({ "cluster_id": cluster_id, "organisation_id": third }),
                "preview_member_import" | "import_members" => json!({ "cluster_id": cluster_id,
                    "text": format!("name;country\nLab of {caller:?};PT\n"), "xlsx": null, "mapping": null }),
                "contact_organisation" => json!({ "organisation_id": theirs, "form": {
                    "subject": "Matrix", "body": "Hello", "call_id": "", "on_behalf_of": "" } }),
                "inbox" | "abuse_reports" => json!({}),
                "open_conversation" => json!({ "id": conversation_id }),
                "reply" => json!({ "id": conversation_id, "body": "Thanks" }),
                "block_sender" => json!({ "id": conversation_id, "block": true }),
                "report_abuse" => json!({ "id": conversation_id, "reason": "Matrix" }),
                "open_profile" => json!({ "external_id": ours }),
                "save_profile" => json!({ "external_id": ours, "form": {
                    "description": format!("Edited by {caller:?}"), "headcount": "12", "turnover": "2000000" } }),
                "organisation_matches" => json!({ "query": { "organisation": ours, "show": "open", "kind": null,
                    "status": null, "sort": "score", "page": 1 } }),
                "mark_not_relevant" => json!({ "organisation_id": ours, "call_id": "MATRIX-OPEN-CALL",
                    "not_relevant": true }),
                "save_consortium" => json!({ "form": { "call_id": "MATRIX-OPEN-CALL", "lead_id": ours,
                    "name": format!("Saved by {caller:?}"), "lead_role": "coordinator", "share": true,
                    "partners": [[theirs, "partner"], [third, "partner"]] } }),
                "consortium" => json!({ "id": consortium_id }),
                "my_consortia" => json!({}),
                "answer_consortium" => json!({ "id": consortium_id, "organisation_id": theirs, "accept": true }),
                "preferences" => json!({}),
                "save_search" => json!({ "kind": "calls", "pairs": [["q", "matrix"], ["status", "open"]] }),
                "set_search_frequency" => json!({ "id": saved_search, "frequency": "daily" }),
                "delete_saved_search" => json!({ "id": saved_search }),
                "resume_alert_mail" => json!({}),
                "follow_call" | "unfollow_call" | "follows_call" => json!({ "call": "MATRIX-OPEN-CALL" }),
                "set_top_matches_alert" => json!({ "organisation_id": ours, "on": true }),
                "subscribe_by_email" => json!({ "kind": "calls", "pairs": [["q", "matrix"]],
                    "email": format!("visitor-{caller:?}@example.eu").to_lowercase() }),
                "set_digest_schedule" => {
                    json!({ "schedule": { "weekday": 2, "hour": 9, "time_zone": "Europe/Paris" } })
                }
                other => panic!("no arguments for {other}"),
            };
            let (status, cookies, answer) = call(&app, name, session.as_deref(), body).await;
            // A change of the caller's own rights (adding an organisation makes them its
            // editor) gives their session a new id, as a browser would keep it.
            if let Some(renewed) = cookies.iter().find_map(|cookie| session_id_in(cookie)) {
                *session = Some(renewed);
            }
            let denied = refused(*rule, status);
            if denied == allowed(*rule, caller) || status >= 500 {
                failures.push(format!("{name} as {caller:?}: {status} {answer}"));
            }
        }
    }
    assert!(failures.is_empty(), "authorisation matrix:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn the_join_page_names_the_organisation_and_an_unknown_one_plainly() {
    let data = organisations(4, 1);
    let app = TestApp::spawn().await.with_demo_data(&data).await;
    let organisation = &data.organisations[0];
    let (status, page) = app
        .get(&format!("/account/join?organisation={}", organisation.external_id))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(&organisation.name), "{page}");
    let (_, _, answer) = call(&app, "get_organisation", None, json!({ "external_id": "no-such-org" })).await;
    assert_eq!(answer, json!({ "NotFound": "that organisation" }));
}

#[tokio::test]
async fn a_bodys_audit_log_downloads_as_csv_for_its_people_only() {
    let mut data = organisations(5, 2);
    for organisation in &mut data.organisations {
        organisation.kind = domain::organisation::OrganisationKind::PublicAuthority;
    }
    let app = TestApp::spawn().await.with_demo_data(&data).await;
    let (ours, theirs) = (&data.organisations[0].external_id, &data.organisations[1].external_id);
    accounts::create_admin(&app.state, "admin@example.eu", "Admin", "correct horse battery")
        .await
        .unwrap();
    let admin = service_session(&app, "admin@example.eu").await;
    for (email, organisation) in [("editor@example.eu", ours), ("outsider@example.eu", theirs)] {
        account(&app, email).await;
        memberships::grant_role(&app.state, Some(&admin), email, organisation, Some(Role::Editor))
            .await
            .unwrap();
    }
    let editor = service_session(&app, "editor@example.eu").await;
    let outsider = service_session(&app, "outsider@example.eu").await;
    let form = domain::publishing::CallForm {
        reference: "CSV-1".into(),
        title: "Cyber vouchers".into(),
        programme: "RIS3".into(),
        rolling: true,
        ..domain::publishing::CallForm::blank(domain::InstrumentKind::Grant)
    };
    domain::services::publishing::create_call(&app.state, Some(&editor), ours, &form)
        .await
        .unwrap();
    let export = |session: Option<String>| {
        let mut request = app
            .client
            .get(format!("{}/exports/audit.csv?organisation={ours}", app.address));
        if let Some(session) = session {
            request = request.header("cookie", format!("fundbridge-session={session}"));
        }
        request.send()
    };
    let response = export(Some(editor)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("time (UTC),who,action,details"), "{csv}");
    assert!(csv.contains(",create_call,CSV-1"), "{csv}");
    assert_eq!(export(None).await.unwrap().status(), 401);
    assert_eq!(export(Some(outsider)).await.unwrap().status(), 403);
}

#[tokio::test]
async fn a_person_downloads_their_own_data_as_json_and_only_theirs() {
    let app = TestApp::spawn().await;
    account(&app, "ana@example.eu").await;
    let session = service_session(&app, "ana@example.eu").await;
    let download = |session: Option<String>| {
        let mut request = app.client.get(format!("{}/exports/my-data.json", app.address));
        if let Some(session) = session {
            request = request.header("cookie", format!("fundbridge-session={session}"));
        }
        request.send()
    };
    let response = download(Some(session)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(response.headers()["cache-control"], "no-store");
    let data: serde_json::Value = response.json().await.unwrap();
    assert_eq!(data["email"], "ana@example.eu");
    assert!(data["sessions"].as_array().is_some_and(|sessions| !sessions.is_empty()));
    assert!(!data.to_string().contains("argon2"), "{data}");
    assert_eq!(download(None).await.unwrap().status(), 401);
}
