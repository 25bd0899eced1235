//! Accounts, sessions and memberships through the services, on both backends: sign-up and
//! verification by the mailed link, answers that do not tell whether an address has an
//! account, session rotation and timeouts, password changes ending other sessions, rate
//! limits, address changes, and who may decide a request to join an organisation.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::demo::{self, DemoSize};
use domain::organisation::NewOrganisationForm;
use domain::people::Role;
use domain::people::SignUpForm;
use domain::search::embedded::EmbeddedIndex;
use domain::services::accounts::{self, Client, RESET_ANSWER, SIGN_UP_ANSWER};
use domain::services::{memberships, AppState, Clock, ServiceError};
use domain::store::{LeasedMail, RequestKind, Store};
use std::sync::Arc;

pub(crate) fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

/// The services over `store`, with the clock at `start() + minutes`.
pub(crate) fn services(store: &Arc<dyn Store>, minutes: i64) -> AppState {
    let search = Arc::new(EmbeddedIndex::in_memory().unwrap());
    AppState::new(
        store.clone(),
        search,
        Clock::Fixed(start() + Duration::minutes(minutes)),
    )
}

pub(crate) fn client(ip: &str) -> Client {
    Client {
        ip: ip.to_owned(),
        user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131".to_owned(),
    }
}

fn form(email: &str) -> SignUpForm {
    SignUpForm {
        email: email.to_owned(),
        display_name: "Ana Silva".to_owned(),
        password: "correct horse battery".to_owned(),
    }
}

/// Every message queued so far and not yet taken (taking them leaves them leased).
pub(crate) async fn mail(store: &Arc<dyn Store>) -> Vec<LeasedMail> {
    store
        .lease_due_mail(start() + Duration::days(400), Duration::days(1), 100)
        .await
        .unwrap()
}

/// The token in the one link of `message`.
pub(crate) fn token_in(message: &LeasedMail) -> String {
    let at = message.text_body.find("token=").expect("a link with a token") + "token=".len();
    message.text_body[at..at + 64].to_owned()
}

/// Signs `email` up, opens the verification link and logs in: the session's token.
pub(crate) async fn verified_session(store: &Arc<dyn Store>, email: &str) -> String {
    let state = services(store, 0);
    accounts::sign_up(&state, &form(email), &client("192.0.2.1"))
        .await
        .unwrap();
    let sent = mail(store).await;
    let link = sent.iter().find(|m| m.recipient == email).expect("verification mail");
    accounts::verify_email(&state, &token_in(link)).await.unwrap();
    accounts::log_in(&state, email, "correct horse battery", &client("192.0.2.1"), None)
        .await
        .unwrap()
        .token
}

/// Creates an administrator and logs them in: the session's token.
pub(crate) async fn admin_session(store: &Arc<dyn Store>) -> String {
    let state = services(store, 0);
    accounts::create_admin(&state, "root@fundbridge.test", "Root", "administrator passphrase")
        .await
        .unwrap();
    accounts::log_in(
        &state,
        "root@fundbridge.test",
        "administrator passphrase",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap()
    .token
}

fn is_invalid(result: Result<impl std::fmt::Debug, ServiceError>, needle: &str) -> bool {
    matches!(result, Err(ServiceError::Invalid(message)) if message.contains(needle))
}

async fn sign_up_mails_a_link_that_verifies_once_and_then_login_works(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let answer = accounts::sign_up(&state, &form("Ana@Example.EU"), &client("192.0.2.1"))
        .await
        .unwrap();
    assert_eq!(answer, SIGN_UP_ANSWER);
    let sent = mail(&store).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "Ana@Example.EU");
    assert!(sent[0].subject.contains("Confirm"));
    assert!(sent[0].text_body.contains("/account/verify?token="));
    assert!(
        sent[0].html_body.contains(&token_in(&sent[0])),
        "the HTML part has the same link"
    );

    let refused = accounts::log_in(
        &state,
        "ana@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None,
    )
    .await;
    assert!(
        is_invalid(refused, "confirm your address"),
        "an unconfirmed address cannot log in"
    );
    assert_eq!(mail(&store).await.len(), 1, "and it is sent a fresh link");

    accounts::verify_email(&state, &token_in(&sent[0])).await.unwrap();
    assert!(
        is_invalid(
            accounts::verify_email(&state, &token_in(&sent[0])).await,
            "expired or was used"
        ),
        "a link works once"
    );
    let session = accounts::log_in(
        &state,
        "ANA@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(session.viewer.display_name, "Ana Silva");
    let viewer = accounts::viewer(&state, Some(&session.token)).await.unwrap().unwrap();
    assert!(viewer.email_verified && !viewer.is_admin);

    accounts::log_out(&state, Some(&session.token)).await.unwrap();
    assert_eq!(accounts::viewer(&state, Some(&session.token)).await.unwrap(), None);
}

async fn answers_do_not_tell_whether_an_address_has_an_account(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let token = verified_session(&store, "ana@example.eu").await;
    accounts::log_out(&state, Some(&token)).await.unwrap();

    let again = accounts::sign_up(&state, &form("ANA@example.eu"), &client("192.0.2.2"))
        .await
        .unwrap();
    assert_eq!(again, SIGN_UP_ANSWER, "a taken address is answered like a new one");
    let sent = mail(&store).await;
    assert_eq!(sent.len(), 1);
    assert!(sent[0].subject.contains("tried to sign up"), "{}", sent[0].subject);
    assert!(sent[0].text_body.contains("/account/reset?token="));

    let wrong_password = accounts::log_in(
        &state,
        "ana@example.eu",
        "wrong horse battery",
        &client("192.0.2.2"),
        None,
    )
    .await;
    let no_account = accounts::log_in(
        &state,
        "bob@example.eu",
        "wrong horse battery",
        &client("192.0.2.2"),
        None,
    )
    .await;
    assert_eq!(format!("{wrong_password:?}"), format!("{no_account:?}"));

    let known = accounts::request_password_reset(&state, "ana@example.eu", &client("192.0.2.2"))
        .await
        .unwrap();
    let unknown = accounts::request_password_reset(&state, "bob@example.eu", &client("192.0.2.2"))
        .await
        .unwrap();
    assert_eq!((known, unknown), (RESET_ANSWER, RESET_ANSWER));
    let sent = mail(&store).await;
    assert_eq!(sent.len(), 1, "only the account's address is mailed");
    assert_eq!(sent[0].recipient, "ana@example.eu");
}

async fn links_expire_after_a_day(store: Arc<dyn Store>) {
    accounts::sign_up(&services(&store, 0), &form("ana@example.eu"), &client("192.0.2.1"))
        .await
        .unwrap();
    let link = token_in(&mail(&store).await[0]);
    let late = services(&store, 24 * 60 + 1);
    assert!(is_invalid(accounts::verify_email(&late, &link).await, "expired"));
    assert!(is_invalid(
        accounts::verify_email(&late, "not-a-token").await,
        "expired"
    ));
}

async fn login_rotates_the_session_and_sessions_time_out(store: Arc<dyn Store>) {
    let first = verified_session(&store, "ana@example.eu").await;
    let state = services(&store, 0);
    let second = accounts::log_in(
        &state,
        "ana@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        Some(&first),
    )
    .await
    .unwrap()
    .token;
    assert_ne!(first, second);
    assert_eq!(
        accounts::viewer(&state, Some(&first)).await.unwrap(),
        None,
        "the session a browser had before logging in ends (no fixation)"
    );
    assert!(accounts::viewer(&state, Some(&second)).await.unwrap().is_some());

    let idle = services(&store, (accounts::IDLE_TIMEOUT + Duration::minutes(1)).num_minutes());
    assert_eq!(
        accounts::viewer(&idle, Some(&second)).await.unwrap(),
        None,
        "idle too long"
    );

    let busy = accounts::log_in(
        &state,
        "ana@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap()
    .token;
    let mut day = 0;
    while Duration::days(day) <= accounts::ABSOLUTE_TIMEOUT - Duration::days(1) {
        assert!(accounts::viewer(&services(&store, day * 24 * 60), Some(&busy))
            .await
            .unwrap()
            .is_some());
        day += 1;
    }
    let too_old = services(
        &store,
        (accounts::ABSOLUTE_TIMEOUT + Duration::minutes(1)).num_minutes(),
    );
    assert_eq!(
        accounts::viewer(&too_old, Some(&busy)).await.unwrap(),
        None,
        "used daily, but too old"
    );
}

async fn a_person_sees_and_ends_their_own_sessions_only(store: Arc<dyn Store>) {
    let laptop = verified_session(&store, "ana@example.eu").await;
    let state = services(&store, 0);
    let phone = accounts::log_in(
        &state,
        "ana@example.eu",
        "correct horse battery",
        &client("198.51.100.7"),
        None,
    )
    .await
    .unwrap()
    .token;
    let listed = accounts::sessions(&state, Some(&laptop)).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed.iter().filter(|s| s.current).count(), 1);
    let other = listed.iter().find(|s| !s.current).unwrap().handle.clone();

    let bob = verified_session(&store, "bob@example.eu").await;
    assert!(matches!(
        accounts::end_session(&state, Some(&bob), &other).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(
        accounts::viewer(&state, Some(&phone)).await.unwrap().is_some(),
        "Bob ended nothing"
    );
    accounts::end_session(&state, Some(&laptop), &other).await.unwrap();
    assert_eq!(accounts::viewer(&state, Some(&phone)).await.unwrap(), None);
    assert!(matches!(
        accounts::sessions(&state, None).await,
        Err(ServiceError::Unauthenticated)
    ));
}

async fn changing_the_password_ends_the_other_sessions(store: Arc<dyn Store>) {
    let laptop = verified_session(&store, "ana@example.eu").await;
    let state = services(&store, 0);
    let phone = accounts::log_in(
        &state,
        "ana@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap()
    .token;
    mail(&store).await;
    assert!(is_invalid(
        accounts::change_password(&state, Some(&laptop), "wrong horse battery", "a brand new passphrase").await,
        "current password"
    ));
    assert!(is_invalid(
        accounts::change_password(&state, Some(&laptop), "correct horse battery", "short").await,
        "at least"
    ));
    accounts::change_password(&state, Some(&laptop), "correct horse battery", "a brand new passphrase")
        .await
        .unwrap();
    assert!(
        accounts::viewer(&state, Some(&laptop)).await.unwrap().is_some(),
        "this session stays"
    );
    assert_eq!(
        accounts::viewer(&state, Some(&phone)).await.unwrap(),
        None,
        "the other one ends"
    );
    let told = mail(&store).await;
    assert_eq!(told.len(), 1);
    assert!(told[0].subject.contains("password was changed"));
    assert!(accounts::log_in(
        &state,
        "ana@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None
    )
    .await
    .is_err());
    accounts::log_in(
        &state,
        "ana@example.eu",
        "a brand new passphrase",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap();
}

async fn a_reset_link_sets_a_new_password_and_ends_every_session(store: Arc<dyn Store>) {
    let session = verified_session(&store, "ana@example.eu").await;
    let state = services(&store, 0);
    accounts::request_password_reset(&state, "ana@example.eu", &client("192.0.2.1"))
        .await
        .unwrap();
    let link = token_in(&mail(&store).await[0]);
    assert!(is_invalid(
        accounts::reset_password(&state, &link, "short").await,
        "at least"
    ));
    accounts::reset_password(&state, &link, "another good passphrase")
        .await
        .unwrap();
    assert_eq!(accounts::viewer(&state, Some(&session)).await.unwrap(), None);
    assert!(is_invalid(
        accounts::reset_password(&state, &link, "yet another passphrase").await,
        "expired or was used"
    ));
    accounts::log_in(
        &state,
        "ana@example.eu",
        "another good passphrase",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap();
}

async fn failed_logins_are_limited_per_address_and_per_ip_and_a_reset_lifts_the_address_limit(store: Arc<dyn Store>) {
    verified_session(&store, "ana@example.eu").await;
    let state = services(&store, 1);
    for attempt in 0..10 {
        let ip = format!("203.0.113.{attempt}");
        let refused = accounts::log_in(&state, "ana@example.eu", "guess number one", &client(&ip), None).await;
        assert!(is_invalid(refused, "do not match"), "attempt {attempt}");
    }
    let limited = accounts::log_in(
        &state,
        "ana@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None,
    )
    .await;
    match limited {
        Err(ServiceError::RateLimited {
            message,
            retry_after_seconds,
        }) => {
            assert!(message.contains("wait"), "{message}");
            assert!((1..=15 * 60).contains(&retry_after_seconds));
        }
        other => panic!("expected a rate limit, got {other:?}"),
    }
    let later = services(&store, 16);
    accounts::log_in(
        &later,
        "ana@example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None,
    )
    .await
    .expect("the next window lets the owner in");

    for _ in 0..10 {
        let _ = accounts::log_in(
            &later,
            "ana@example.eu",
            "guess number two",
            &client("203.0.113.9"),
            None,
        )
        .await;
    }
    mail(&store).await;
    accounts::request_password_reset(&later, "ana@example.eu", &client("192.0.2.1"))
        .await
        .unwrap();
    let link = token_in(&mail(&store).await[0]);
    accounts::reset_password(&later, &link, "a fresh passphrase now")
        .await
        .unwrap();
    accounts::log_in(
        &later,
        "ana@example.eu",
        "a fresh passphrase now",
        &client("192.0.2.1"),
        None,
    )
    .await
    .expect("proving the address by mail lifts the address's limit");

    let mut limited_ip = None;
    for attempt in 0..60 {
        let email = format!("visitor{attempt}@example.eu");
        if let Err(ServiceError::RateLimited { .. }) =
            accounts::log_in(&later, &email, "some password here", &client("198.51.100.99"), None).await
        {
            limited_ip = Some(attempt);
            break;
        }
    }
    assert_eq!(
        limited_ip,
        Some(50),
        "one IP gets 50 attempts a window, whatever the address"
    );
}

async fn an_address_change_is_confirmed_at_the_new_address_and_told_to_the_old(store: Arc<dyn Store>) {
    let session = verified_session(&store, "ana@example.eu").await;
    verified_session(&store, "bob@example.eu").await;
    let state = services(&store, 0);
    mail(&store).await;
    assert!(is_invalid(
        accounts::request_email_change(&state, Some(&session), "wrong horse battery", "ana@new.example.eu").await,
        "current password"
    ));
    accounts::request_email_change(&state, Some(&session), "correct horse battery", "ana@new.example.eu")
        .await
        .unwrap();
    let sent = mail(&store).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "ana@new.example.eu");
    let viewer = accounts::viewer(&state, Some(&session)).await.unwrap().unwrap();
    assert_eq!(viewer.email, "ana@example.eu", "unchanged until confirmed");
    accounts::confirm_email_change(&state, &token_in(&sent[0]))
        .await
        .unwrap();
    let told = mail(&store).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].recipient, "ana@example.eu");
    assert!(told[0].text_body.contains("ana@new.example.eu"));
    accounts::log_in(
        &state,
        "ana@new.example.eu",
        "correct horse battery",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap();

    accounts::request_email_change(&state, Some(&session), "correct horse battery", "bob@example.eu")
        .await
        .unwrap();
    let link = token_in(&mail(&store).await[0]);
    assert!(is_invalid(
        accounts::confirm_email_change(&state, &link).await,
        "Another account"
    ));
}

async fn requests_to_join_are_decided_by_the_organisations_editors_or_an_administrator(store: Arc<dyn Store>) {
    let data = demo::generate(
        5,
        start().date_naive(),
        DemoSize {
            calls: 0,
            organisations: 3,
            clusters: 0,
        },
    );
    store.upsert_organisations(&data.organisations, start()).await.unwrap();
    let (ours, theirs) = (&data.organisations[0].external_id, &data.organisations[1].external_id);
    let state = services(&store, 0);
    assert!(
        accounts::create_admin(&state, "root@fundbridge.test", "Root", "administrator passphrase")
            .await
            .unwrap()
    );
    let admin = accounts::log_in(
        &state,
        "root@fundbridge.test",
        "administrator passphrase",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap()
    .token;
    let editor = verified_session(&store, "editor@example.eu").await;
    let outsider = verified_session(&store, "outsider@example.eu").await;
    let newcomer = verified_session(&store, "new@example.eu").await;
    let (editor_id, outsider_id) = ("editor@example.eu", "outsider@example.eu");
    assert!(matches!(
        memberships::grant_role(&state, Some(&editor), editor_id, ours, Some(Role::Editor)).await,
        Err(ServiceError::Forbidden(_))
    ));
    memberships::grant_role(&state, Some(&admin), editor_id, ours, Some(Role::Editor))
        .await
        .unwrap();
    memberships::grant_role(&state, Some(&admin), outsider_id, theirs, Some(Role::Editor))
        .await
        .unwrap();

    memberships::request_membership(&state, Some(&newcomer), ours, RequestKind::Join, "We work on PQC.")
        .await
        .unwrap();
    assert!(is_invalid(
        memberships::request_membership(&state, Some(&newcomer), ours, RequestKind::Join, "again").await,
        "already asked"
    ));
    assert!(memberships::pending_requests(&state, Some(&outsider))
        .await
        .unwrap()
        .is_empty());
    let pending = memberships::pending_requests(&state, Some(&editor)).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].message, "We work on PQC.");
    assert!(matches!(
        memberships::decide_request(&state, Some(&outsider), pending[0].id, true).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        memberships::decide_request(&state, None, pending[0].id, true).await,
        Err(ServiceError::Unauthenticated)
    ));
    mail(&store).await;
    memberships::decide_request(&state, Some(&editor), pending[0].id, true)
        .await
        .unwrap();
    assert!(
        accounts::rotate_if_due(&state, Some(&admin)).await.unwrap().is_none(),
        "the administrator's rights did not change since they logged in"
    );
    let before = newcomer.clone();
    let newcomer = accounts::rotate_if_due(&state, Some(&newcomer))
        .await
        .unwrap()
        .expect("a new id after a change of rights");
    assert_eq!(accounts::viewer(&state, Some(&before)).await.unwrap(), None);
    assert!(
        accounts::rotate_if_due(&state, Some(&newcomer))
            .await
            .unwrap()
            .is_none(),
        "once"
    );
    let viewer = accounts::viewer(&state, Some(&newcomer)).await.unwrap().unwrap();
    assert_eq!(viewer.role_in(ours), Some(Role::Member));
    let told = mail(&store).await;
    assert_eq!(told.len(), 1);
    assert!(told[0].subject.contains("accepted"));
    assert!(matches!(
        memberships::decide_request(&state, Some(&admin), pending[0].id, false).await,
        Err(ServiceError::NotFound(_))
    ));

    memberships::request_membership(&state, Some(&newcomer), theirs, RequestKind::Claim, "")
        .await
        .unwrap();
    let claim = memberships::pending_requests(&state, Some(&admin)).await.unwrap();
    assert_eq!(claim.len(), 1);
    assert!(
        memberships::pending_requests(&state, Some(&outsider))
            .await
            .unwrap()
            .is_empty(),
        "claims go to administrators, not the organisation's editors"
    );
    memberships::decide_request(&state, Some(&admin), claim[0].id, true)
        .await
        .unwrap();
    let viewer = accounts::viewer(&state, Some(&newcomer)).await.unwrap().unwrap();
    assert_eq!(viewer.role_in(theirs), Some(Role::Editor));

    memberships::set_disabled(&state, Some(&admin), outsider_id, true)
        .await
        .unwrap();
    assert_eq!(accounts::viewer(&state, Some(&outsider)).await.unwrap(), None);
    assert!(matches!(
        accounts::log_in(
            &state,
            "outsider@example.eu",
            "correct horse battery",
            &client("192.0.2.1"),
            None
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    let log = memberships::audit_log(&state, Some(&admin)).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|line| line.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "disable_account",
            "accept_request",
            "accept_request",
            "grant_role",
            "grant_role",
            "grant_admin"
        ]
    );
    assert_eq!(log[0].actor.as_deref(), Some("Root"));
    assert_eq!(log[0].subject.as_deref(), Some("Ana Silva"));
    assert!(matches!(
        memberships::audit_log(&state, Some(&editor)).await,
        Err(ServiceError::Forbidden(_))
    ));
}

async fn the_verification_mail_arrives_once_over_smtp_with_both_parts_and_a_working_link(store: Arc<dyn Store>) {
    use domain::mail::sender::{send_due, RetryPolicy};
    let server = crate::smtp_server::SmtpServer::start();
    let mailer = domain::mail::Mailer::smtp(&server.url(), "Fundbridge <mail@fundbridge.test>").unwrap();
    let state = services(&store, 0);
    accounts::sign_up(&state, &form("ines@example.eu"), &client("192.0.2.1"))
        .await
        .unwrap();
    for _ in 0..2 {
        send_due(store.as_ref(), &mailer, start(), RetryPolicy::default())
            .await
            .unwrap();
    }
    let received = server.received();
    assert_eq!(received.len(), 1, "once");
    let message = mail_parser::MessageParser::default()
        .parse(received[0].as_bytes())
        .expect("a MIME message");
    assert_eq!(message.subject(), Some("Confirm your email address for Fundbridge"));
    assert_eq!(
        message.to().and_then(|to| to.first()).and_then(|a| a.address()),
        Some("ines@example.eu")
    );
    assert_eq!(
        message.from().and_then(|from| from.first()).and_then(|a| a.address()),
        Some("mail@fundbridge.test")
    );
    assert!(message
        .message_id()
        .is_some_and(|id| id.ends_with("@fundbridge.localhost")));
    let text = message.body_text(0).expect("a plain-text part").into_owned();
    let html = message.body_html(0).expect("an HTML part").into_owned();
    assert!(text.starts_with("Hello Ana Silva,"), "{text}");
    assert!(html.contains("Confirm my address"), "{html}");
    let at = text.find("/account/verify?token=").expect("the link") + "/account/verify?token=".len();
    accounts::verify_email(&state, &text[at..at + 64])
        .await
        .expect("the mailed link works");
}

async fn a_person_adds_their_organisation_and_becomes_its_editor(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let session = verified_session(&store, "ana@aveiro-labs.pt").await;
    let form = |name: &str, website: &str| NewOrganisationForm {
        name: name.to_owned(),
        kind: "sme".to_owned(),
        country: "PT".to_owned(),
        region: "PT16".to_owned(),
        website: website.to_owned(),
        description: "Post-quantum key exchange for utilities.".to_owned(),
    };
    let id = memberships::create_organisation(
        &state,
        Some(&session),
        &form("Aveiro Labs, Lda.", "https://aveiro-labs.pt"),
    )
    .await
    .unwrap();
    assert_eq!(id, "aveiro-labs-lda-pt");
    let viewer = accounts::viewer(&state, Some(&session)).await.unwrap().unwrap();
    assert_eq!(viewer.role_in(&id), Some(Role::Editor));
    assert_eq!(
        viewer.memberships[0].organisation_kind,
        domain::organisation::OrganisationKind::Sme,
        "the header knows a company publishes no calls"
    );
    let stored = store.get_organisation(&id).await.unwrap().unwrap();
    assert_eq!(stored.name, "Aveiro Labs, Lda.");
    assert_eq!(
        stored.nuts_code.as_ref().map(|code| code.to_string()).as_deref(),
        Some("PT16")
    );
    assert!(
        store
            .pending_index_changes(10)
            .await
            .unwrap()
            .iter()
            .any(|entry| entry.external_id == id),
        "the directory's index learns of it"
    );

    assert!(is_invalid(
        memberships::create_organisation(&state, Some(&session), &form("aveiro labs, lda.", "")).await,
        "already in the directory"
    ));
    let other = memberships::create_organisation(&state, Some(&session), &form("Aveiro-Labs LDA", ""))
        .await
        .unwrap();
    assert_eq!(
        other, "aveiro-labs-lda-pt-2",
        "a different name with the same identifier gets its own"
    );
    match memberships::create_organisation(&state, Some(&session), &form("Porto Quantum", "javascript:alert(1)")).await
    {
        Err(ServiceError::Invalid(message)) => {
            assert!(message.starts_with("the website"), "{message}");
            assert!(
                !message.contains("javascript"),
                "a form's answer does not repeat what was typed"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        memberships::create_organisation(&state, None, &form("Porto Quantum", "")).await,
        Err(ServiceError::Unauthenticated)
    ));

    // The organisation, its editor and the audit line are one write: a taken identifier
    // leaves everything as it was.
    let audit = domain::store::AuditEntry {
        actor_id: None,
        action: "create_organisation",
        subject_id: Some(viewer.person_id),
        organisation_id: Some(id.clone()),
        detail: String::new(),
        at: start(),
    };
    let taken = stored.clone();
    let before = store.audit_log(100).await.unwrap().len();
    assert!(matches!(
        store
            .add_organisation(&taken, viewer.person_id, Role::Member, &audit)
            .await,
        Err(domain::store::StoreError::Conflict(_))
    ));
    assert_eq!(store.audit_log(100).await.unwrap().len(), before);
    let viewer = accounts::viewer(&state, Some(&session)).await.unwrap().unwrap();
    assert_eq!(viewer.role_in(&id), Some(Role::Editor), "not demoted to member");
}

crate::on_both_backends!(shared:
    a_person_adds_their_organisation_and_becomes_its_editor,
    the_verification_mail_arrives_once_over_smtp_with_both_parts_and_a_working_link,
    sign_up_mails_a_link_that_verifies_once_and_then_login_works,
    answers_do_not_tell_whether_an_address_has_an_account,
    links_expire_after_a_day,
    login_rotates_the_session_and_sessions_time_out,
    a_person_sees_and_ends_their_own_sessions_only,
    changing_the_password_ends_the_other_sessions,
    a_reset_link_sets_a_new_password_and_ends_every_session,
    failed_logins_are_limited_per_address_and_per_ip_and_a_reset_lifts_the_address_limit,
    an_address_change_is_confirmed_at_the_new_address_and_told_to_the_old,
    requests_to_join_are_decided_by_the_organisations_editors_or_an_administrator,
);
