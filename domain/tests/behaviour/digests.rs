//! The digests through the services and a real SMTP server, on both backends: a weekly
//! digest is due at the person's weekday and hour, arrives once with its sections and the
//! RFC 8058 header pair, holds only what is new since the last digest received (and nothing
//! muted); a person with nothing new gets no mail; a one-click unsubscribe stops the next
//! digest and its undo brings the following one back; instant mail goes out the minute
//! something new is listed; two runs at once queue each mail once.

use crate::accounts::{client, mail, services, start, token_in, verified_session};
use crate::matching::{armor_secure, call, catalogue, profile};
use crate::smtp_server::SmtpServer;
use chrono::Duration;
use domain::alerts::{Frequency, SearchKind};
use domain::mail::sender::{send_due, RetryPolicy};
use domain::mail::Mailer;
use domain::services::digests::{self, DigestOptions, DigestRun};
use domain::services::{accounts, alerts, profiles, AppState, ServiceError};
use domain::store::Store;
use std::sync::Arc;

/// The clock `hours` after the start (Friday 27 November 2026, 10:00 UTC).
fn after_hours(store: &Arc<dyn Store>, hours: i64) -> AppState {
    services(store, hours * 60)
}

/// Monday 30 November 2026, 08:00 UTC (09:00 in Brussels), in hours after the start: the
/// default digest time (Monday 08:00 Brussels) has come.
const FIRST_MONDAY: i64 = 3 * 24 - 2;
/// A week later.
const SECOND_MONDAY: i64 = FIRST_MONDAY + 7 * 24;

pub(crate) async fn compose(state: &AppState) -> DigestRun {
    digests::compose_due(state, &DigestOptions::default()).await.unwrap()
}

/// Sends what is queued at `state`'s time through `server`; what it received since `before`.
pub(crate) async fn deliver(
    store: &Arc<dyn Store>,
    state: &AppState,
    server: &SmtpServer,
    before: usize,
) -> Vec<String> {
    let mailer = Mailer::smtp(&server.url(), "Fundbridge <mail@fundbridge.test>").unwrap();
    send_due(store.as_ref(), &mailer, state.clock.now(), RetryPolicy::default())
        .await
        .unwrap();
    server.received().into_iter().skip(before).collect()
}

/// The signed link to `path` in a received message (quoted-printable soft breaks undone).
pub(crate) fn link(message: &str, path: &str) -> String {
    let joined = message.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    let at = joined
        .find(&format!("{path}?token="))
        .unwrap_or_else(|| panic!("{path} in {joined}"));
    let token: String = joined[at + path.len() + "?token=".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    token.trim_end_matches('.').to_owned()
}

async fn a_weekly_digest_arrives_once_with_what_is_new_and_unsubscribes_in_one_click(store: Arc<dyn Store>) {
    let server = SmtpServer::start();
    let ana = verified_session(&store, "ana@example.eu").await;
    let ben = verified_session(&store, "ben@example.eu").await;
    let state = services(&store, 0);
    let pairs = |q: &str| vec![("q".to_owned(), q.to_owned())];
    alerts::save_search(&state, Some(&ana), SearchKind::Calls, &pairs("quantum"))
        .await
        .unwrap();
    alerts::save_search(&state, Some(&ben), SearchKind::Calls, &pairs("hydrogen"))
        .await
        .unwrap();
    let saturday = start() + Duration::days(1);
    store
        .upsert_calls(
            &[
                call(
                    "QUANTUM-1",
                    "Quantum-safe VPN gateways",
                    "Post-quantum key exchange for VPNs.",
                    &[],
                ),
                call(
                    "QUANTUM-2",
                    "Quantum key distribution testbeds",
                    "Quantum networks.",
                    &[],
                ),
                call("SOIL-1", "Soil health living labs", "Living labs for soil health.", &[]),
            ],
            saturday,
        )
        .await
        .unwrap();

    // Sunday: not yet the digest time.
    let sunday = compose(&after_hours(&store, 48)).await;
    assert_eq!((sunday.subscribers, sunday.due, sunday.queued), (2, 0, 0));

    let monday = after_hours(&store, FIRST_MONDAY);
    let run = compose(&monday).await;
    assert_eq!((run.due, run.queued, run.nothing_new), (2, 1, 1), "{run:?}");
    let received = deliver(&store, &monday, &server, 0).await;
    assert_eq!(received.len(), 1, "Ben, with nothing new, gets nothing");
    let digest = &received[0];
    assert!(digest.contains("To: ana@example.eu"), "{digest}");
    assert!(
        digest.contains("Subject: Your Fundbridge week: 2 new calls"),
        "{digest}"
    );
    assert!(
        digest.contains("List-Unsubscribe: <http://127.0.0.1:3000/mail/unsubscribe?token="),
        "{digest}"
    );
    assert!(
        digest.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{digest}"
    );
    assert!(
        digest.contains("text/plain") && digest.contains("text/html"),
        "{digest}"
    );
    assert!(digest.contains("Quantum-safe VPN gateways") && digest.contains("Quantum key distribution testbeds"));
    assert!(!digest.contains("Soil health"), "only what the search finds");

    // The same week again, later that day: nothing more.
    let later = after_hours(&store, FIRST_MONDAY + 5);
    assert_eq!(compose(&later).await.queued, 0);
    assert!(deliver(&store, &later, &server, 1).await.is_empty());

    // Ana mutes the first call, then a new one is listed and she unsubscribes in one click.
    let muted = digests::apply_mail_link(&later, &link(digest, "/mail/mute"), false)
        .await
        .unwrap();
    assert!(muted.in_effect && muted.sentence.contains("Quantum"), "{muted:?}");
    let wednesday = start() + Duration::days(5);
    store
        .upsert_calls(
            &[call("QUANTUM-3", "Quantum sensing for grids", "Quantum sensors.", &[])],
            wednesday,
        )
        .await
        .unwrap();
    let unsubscribe = link(digest, "/mail/unsubscribe");
    let outcome = digests::apply_mail_link(&later, &unsubscribe, false).await.unwrap();
    assert_eq!((outcome.action.as_str(), outcome.in_effect), ("unsubscribe", true));
    let next_monday = after_hours(&store, SECOND_MONDAY);
    let run = compose(&next_monday).await;
    assert_eq!((run.subscribers, run.queued), (1, 0), "only Ben is left: {run:?}");
    assert!(deliver(&store, &next_monday, &server, 1).await.is_empty());

    // Undone: the following digest comes, with only what is new since the last one received.
    digests::apply_mail_link(&next_monday, &unsubscribe, true)
        .await
        .unwrap();
    let run = compose(&after_hours(&store, SECOND_MONDAY + 1)).await;
    assert_eq!(run.queued, 1, "{run:?}");
    let received = deliver(&store, &after_hours(&store, SECOND_MONDAY + 1), &server, 1).await;
    assert_eq!(received.len(), 1);
    assert!(
        received[0].contains("Subject: Your Fundbridge week: 1 new call"),
        "{}",
        received[0]
    );
    assert!(received[0].contains("Quantum sensing for grids"));
    assert!(!received[0].contains("Quantum-safe VPN"), "not new any more, and muted");

    // A token that is not ours changes nothing.
    let forged = format!("{}x", &unsubscribe[..unsubscribe.len() - 1]);
    assert!(digests::apply_mail_link(&next_monday, &forged, false).await.is_err());
}

async fn instant_mail_goes_out_the_minute_something_new_is_listed_and_runs_at_once_queue_it_once(
    store: Arc<dyn Store>,
) {
    let ana = verified_session(&store, "ana@example.eu").await;
    let state = services(&store, 0);
    let saved = alerts::save_search(
        &state,
        Some(&ana),
        SearchKind::Calls,
        &[("q".to_owned(), "quantum".to_owned())],
    )
    .await
    .unwrap()
    .search;
    alerts::set_search_frequency(&state, Some(&ana), saved.id, Frequency::Instant)
        .await
        .unwrap();
    let at_once = services(&store, 1);
    assert_eq!(compose(&at_once).await.queued, 0, "nothing new yet");
    store
        .upsert_calls(
            &[call("QUANTUM-9", "Quantum random number generators", "Quantum.", &[])],
            start() + Duration::minutes(2),
        )
        .await
        .unwrap();
    // Two schedulers (two app servers) run in the same minute: one mail.
    let next_minute = services(&store, 3);
    let (first, second) = tokio::join!(compose(&next_minute), compose(&next_minute));
    assert_eq!(first.queued + second.queued, 1, "{first:?} {second:?}");
    // Pending: the sign-up's verification mail (leased by the helper, never sent) and the alert.
    assert_eq!(store.mail_backlog().await.unwrap().pending, 2);
    // A dry run composes it again without queuing anything.
    let dry = digests::compose_due(
        &services(&store, 4),
        &DigestOptions {
            dry_run: true,
            at_once: true,
            person: Some("ANA@example.eu".into()),
        },
    )
    .await
    .unwrap();
    assert_eq!(dry.queued, 0, "nothing new since the instant mail: {dry:?}");
    assert_eq!(store.mail_backlog().await.unwrap().pending, 2);
}

async fn an_organisations_new_top_matches_come_in_its_members_weekly_digest_with_reasons(store: Arc<dyn Store>) {
    let server = SmtpServer::start();
    let state = services(&store, 0);
    let (editor, armor) = armor_secure(&store, &state).await;
    profiles::save_profile(&state, Some(&editor), &armor, &profile())
        .await
        .unwrap();
    let ana = verified_session(&store, "ana@example.eu").await;
    assert!(matches!(
        alerts::set_top_matches_alert(&state, Some(&ana), &armor, true).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        alerts::set_top_matches_alert(&state, None, &armor, true).await,
        Err(ServiceError::Unauthenticated)
    ));
    let on = alerts::set_top_matches_alert(&state, Some(&editor), &armor, true)
        .await
        .unwrap();
    assert!(on.top_matches && on.organisation_name == "Armor Secure");
    let listed = alerts::preferences(&state, Some(&editor))
        .await
        .unwrap()
        .organisation_alerts;
    assert_eq!(listed, [on]);
    assert!(alerts::preferences(&state, Some(&ana))
        .await
        .unwrap()
        .organisation_alerts
        .is_empty());

    store
        .upsert_calls(&catalogue(), start() + Duration::days(1))
        .await
        .unwrap();
    let monday = after_hours(&store, FIRST_MONDAY);
    let run = compose(&monday).await;
    assert_eq!((run.due, run.queued), (1, 1), "{run:?}");
    let received = deliver(&store, &monday, &server, server.received().len()).await;
    let digest = received
        .iter()
        .find(|message| message.contains("Subject: Your Fundbridge week"))
        .expect("the editor's digest")
        .replace("=\r\n", "")
        .replace("=3D", "=");
    assert!(digest.contains("New top matches for Armor Secure"), "{digest}");
    assert!(
        digest.contains("Intrusion detection for industrial networks"),
        "{digest}"
    );
    assert!(digest.contains("Fit "), "the matcher's score and reasons: {digest}");
    assert!(
        !digest.contains("Bavarian"),
        "a call that excludes it is no match: {digest}"
    );
    assert!(
        !digest.contains("Soil health"),
        "a weak likeness is no top match: {digest}"
    );
    assert!(digest.contains("Change this in your alerts: http"), "{digest}");

    // Switched off, the next week's new calls bring no digest.
    alerts::set_top_matches_alert(&state, Some(&editor), &armor, false)
        .await
        .unwrap();
    store
        .upsert_calls(
            &[call(
                "HORIZON-CL3-2027-CS-ECCC-02",
                "Incident response for water utilities",
                "Intrusion detection and incident response for industrial control networks.",
                &["network-security", "incident-handling"],
            )],
            start() + Duration::days(6),
        )
        .await
        .unwrap();
    let run = compose(&after_hours(&store, SECOND_MONDAY)).await;
    assert_eq!((run.subscribers, run.queued), (0, 0), "{run:?}");
}

async fn a_visitor_subscribed_by_email_hears_nothing_until_confirming_and_an_account_is_left_alone(
    store: Arc<dyn Store>,
) {
    let state = services(&store, 0);
    let visitor = client("192.0.2.7");
    let quantum = [("q".to_owned(), "quantum".to_owned())];
    for bad in ["", "not an address", &format!("{}@example.eu", "a".repeat(300))] {
        assert!(matches!(
            alerts::subscribe_by_email(&state, &visitor, SearchKind::Calls, &quantum, bad).await,
            Err(ServiceError::Invalid(_))
        ));
    }
    // (The helper signs Ana up first: it takes the mail queued so far.)
    let ana = verified_session(&store, "ana@example.eu").await;
    let answer = alerts::subscribe_by_email(&state, &visitor, SearchKind::Calls, &quantum, "Vera@Example.eu")
        .await
        .unwrap();
    assert_eq!(answer, alerts::SUBSCRIBE_ANSWER);
    let same = alerts::subscribe_by_email(&state, &visitor, SearchKind::Calls, &quantum, "ana@example.eu")
        .await
        .unwrap();
    assert_eq!(
        same, answer,
        "the answer tells nobody whether an address has an account"
    );
    assert!(
        alerts::preferences(&state, Some(&ana))
            .await
            .unwrap()
            .searches
            .is_empty(),
        "an account is changed only by its holder"
    );
    let queued = mail(&store).await;
    let confirm = queued
        .iter()
        .find(|m| m.recipient == "Vera@Example.eu")
        .expect("the confirmation");
    assert_eq!(confirm.subject, "Confirm your Fundbridge alert");
    assert!(
        confirm.text_body.contains("new calls matching “quantum”"),
        "{}",
        confirm.text_body
    );
    let to_ana = queued
        .iter()
        .find(|m| m.recipient == "ana@example.eu" && m.subject.contains("alert"));
    assert!(to_ana
        .expect("Ana is told how to save it")
        .text_body
        .contains("/calls?q=quantum"));

    // Unconfirmed, the subscription mails nothing.
    store
        .upsert_calls(
            &[call(
                "QUANTUM-1",
                "Quantum-safe VPN gateways",
                "Post-quantum VPNs.",
                &[],
            )],
            start() + Duration::days(1),
        )
        .await
        .unwrap();
    let run = compose(&after_hours(&store, FIRST_MONDAY)).await;
    assert_eq!((run.subscribers, run.queued), (0, 0), "{run:?}");

    // Confirmed, the next week's new calls arrive.
    accounts::verify_email(&state, &token_in(confirm)).await.unwrap();
    store
        .upsert_calls(
            &[call(
                "QUANTUM-2",
                "Quantum key distribution testbeds",
                "Quantum networks.",
                &[],
            )],
            start() + Duration::days(6),
        )
        .await
        .unwrap();
    let run = compose(&after_hours(&store, SECOND_MONDAY)).await;
    assert_eq!(run.queued, 1, "{run:?}");
    // No password opens the account made for the subscription.
    for guess in ["", "correct horse battery", "password"] {
        assert!(accounts::log_in(&state, "vera@example.eu", guess, &visitor, None)
            .await
            .is_err());
    }
}

crate::on_both_backends!(shared:
    a_visitor_subscribed_by_email_hears_nothing_until_confirming_and_an_account_is_left_alone,
    an_organisations_new_top_matches_come_in_its_members_weekly_digest_with_reasons,
    a_weekly_digest_arrives_once_with_what_is_new_and_unsubscribes_in_one_click,
    instant_mail_goes_out_the_minute_something_new_is_listed_and_runs_at_once_queue_it_once,
);
