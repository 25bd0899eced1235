//! Following a call through the services and a real SMTP server, on both backends: a
//! material change to a followed call mails each follower once (with the funding body's note
//! and the RFC 8058 pair), a cosmetic change mails nothing, reminders come 14 and 3 days
//! before the deadline and not again, and a mail's unfollow link (or its undo) takes effect at
//! once; a weekly digest lists followed calls closing soon but is never sent for them alone.
//! Only signed-in people follow, only published calls, and the preferences page lists them.

use crate::accounts::{services, start, verified_session};
use crate::digests::{compose, deliver, link};
use crate::matching::call;
use crate::publishing::{cast, grant, submitted, Cast};
use crate::smtp_server::SmtpServer;
use chrono::{DateTime, TimeZone, Utc};
use domain::alerts::SearchKind;
use domain::publishing::CallAction;
use domain::services::{alerts, digests, feeds, follows, publishing, AppState, ServiceError};
use domain::store::{Store, StoreError};
use std::sync::Arc;

/// Sends what is due at `state`'s time: the follow mail among what arrives (sign-up mail left
/// unsent by the helpers goes out too once its lease runs out).
async fn delivered(store: &Arc<dyn Store>, state: &AppState, server: &SmtpServer) -> Vec<String> {
    let before = server.received().len();
    deliver(store, state, server, before)
        .await
        .into_iter()
        .filter(|message| message.contains("News on calls you follow"))
        .collect()
}

/// The funding body's people and its two-stage grant, published at the start.
async fn published_grant(store: &Arc<dyn Store>) -> (Cast, String) {
    let people = cast(store).await;
    let state = services(store, 0);
    let id = submitted(&state, &people, &grant()).await;
    publishing::act_on_call(&state, Some(&people.reviewer), &id, CallAction::Approve, "")
        .await
        .unwrap();
    (people, id)
}

/// The services with the clock at `at`.
fn services_at(store: &Arc<dyn Store>, at: DateTime<Utc>) -> AppState {
    services(store, (at - start()).num_minutes())
}

async fn a_material_change_mails_followers_once_and_reminders_come_before_the_deadline(store: Arc<dyn Store>) {
    let server = SmtpServer::start();
    let (people, id) = published_grant(&store).await;
    let ana = verified_session(&store, "ana@example.eu").await;
    let ben = verified_session(&store, "ben@example.eu").await;
    verified_session(&store, "carla@example.eu").await;
    let following = services(&store, 1);
    for session in [&ana, &ben] {
        follows::follow_call(&following, Some(session), &id).await.unwrap();
    }
    follows::follow_call(&following, Some(&ana), &id).await.unwrap();
    assert!(follows::follows_call(&following, Some(&ana), &id).await.unwrap());
    let listed = alerts::preferences(&following, Some(&ana)).await.unwrap().follows;
    assert_eq!(listed.len(), 1, "following twice is following once");
    assert_eq!(listed[0].title, "Cyber resilience for Brussels SMEs");
    assert!(listed[0].next_deadline.is_some());

    // A cosmetic change (the title's wording) mails nothing.
    let mut reworded = grant();
    reworded.title = "Cyber resilience for SMEs in Brussels".into();
    assert!(
        publishing::save_call(&services(&store, 10), Some(&people.editor), &id, &reworded)
            .await
            .unwrap()
    );
    let run = compose(&services(&store, 11)).await;
    assert_eq!(run.queued, 0, "{run:?}");

    // Moving a deadline is material: each follower is mailed once.
    let mut moved = reworded.clone();
    moved.deadlines[0].at = "2027-03-18".into();
    moved.change_note = "Two more weeks for short proposals after the info day.".into();
    assert!(
        publishing::save_call(&services(&store, 20), Some(&people.editor), &id, &moved)
            .await
            .unwrap()
    );
    let changed = services(&store, 21);
    let (first, second) = tokio::join!(compose(&changed), compose(&changed));
    assert_eq!(first.queued + second.queued, 2, "{first:?} {second:?}");
    let idle = compose(&services(&store, 22)).await;
    assert_eq!(
        (idle.subscribers, idle.queued),
        (0, 0),
        "not twice; and a tick after everyone was told reads no follower: {idle:?}"
    );
    let received = delivered(&store, &changed, &server).await;
    assert_eq!(received.len(), 2);
    let to_ana = received
        .iter()
        .find(|message| message.contains("To: ana@example.eu"))
        .expect("Ana's mail");
    assert!(
        to_ana.contains("Subject: Changed: Cyber resilience for SMEs in Brussels"),
        "{to_ana}"
    );
    assert!(to_ana.contains("Two more weeks for short proposals"), "{to_ana}");
    assert!(to_ana.contains("18 Mar 2027 17:00"), "{to_ana}");
    assert!(
        to_ana.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{to_ana}"
    );
    assert!(!to_ana.contains("Closes in"), "no reminder yet");

    // 14 days before the moved deadline (18 March 2027, 17:00 Brussels = 16:00 UTC).
    let fourteen_days = Utc.with_ymd_and_hms(2027, 3, 4, 16, 1, 0).unwrap();
    let reminded = services_at(&store, fourteen_days);
    assert_eq!(compose(&reminded).await.queued, 2);
    let received = delivered(&store, &reminded, &server).await;
    let to_ana = received
        .iter()
        .find(|message| message.contains("To: ana@example.eu"))
        .expect("Ana's reminder");
    assert!(
        to_ana.contains("Subject: Closes in 14 days: Cyber resilience for SMEs in Brussels"),
        "{to_ana}"
    );
    assert!(to_ana.contains("Short proposal"), "{to_ana}");
    let next_day = Utc.with_ymd_and_hms(2027, 3, 5, 9, 0, 0).unwrap();
    let idle = compose(&services_at(&store, next_day)).await;
    assert_eq!((idle.subscribers, idle.queued), (0, 0), "{idle:?}");

    // Ana unfollows from the mail: only Ben hears 3 days before; her undo would follow again.
    let unfollow = link(to_ana, "/mail/unfollow");
    let outcome = digests::apply_mail_link(&services_at(&store, next_day), &unfollow, false)
        .await
        .unwrap();
    assert!(
        outcome.in_effect && outcome.sentence.starts_with("Unfollowed"),
        "{outcome:?}"
    );
    let three_days = Utc.with_ymd_and_hms(2027, 3, 15, 16, 5, 0).unwrap();
    let run = compose(&services_at(&store, three_days)).await;
    assert_eq!(run.queued, 1, "{run:?}");
    let received = delivered(&store, &services_at(&store, three_days), &server).await;
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("To: ben@example.eu"));
    assert!(received[0].contains("Subject: Closes in 3 days"), "{}", received[0]);
    let undone = digests::apply_mail_link(&services_at(&store, three_days), &unfollow, true)
        .await
        .unwrap();
    assert!(!undone.in_effect && undone.sentence.starts_with("Following again"));
}

async fn the_weekly_digest_lists_followed_calls_closing_soon_but_is_not_sent_for_them_alone(store: Arc<dyn Store>) {
    let server = SmtpServer::start();
    let (_, id) = published_grant(&store).await;
    let state = services(&store, 0);
    let ana = verified_session(&store, "ana@example.eu").await;
    let ben = verified_session(&store, "ben@example.eu").await;
    for (session, words) in [(&ana, "quantum"), (&ben, "hydrogen")] {
        follows::follow_call(&state, Some(session), &id).await.unwrap();
        alerts::save_search(
            &state,
            Some(session),
            SearchKind::Calls,
            &[("q".to_owned(), words.to_owned())],
        )
        .await
        .unwrap();
    }
    let saturday = Utc.with_ymd_and_hms(2027, 2, 20, 10, 0, 0).unwrap();
    store
        .upsert_calls(
            &[call(
                "QUANTUM-7",
                "Quantum-safe e-government",
                "Post-quantum signatures.",
                &[],
            )],
            saturday,
        )
        .await
        .unwrap();
    // Monday 22 February 2027, 09:00 in Brussels: the short-proposal deadline (4 March,
    // 17:00 Brussels) is 10 days away.
    let monday = services_at(&store, Utc.with_ymd_and_hms(2027, 2, 22, 8, 0, 0).unwrap());
    let run = compose(&monday).await;
    let sent = deliver(&store, &monday, &server, server.received().len()).await;
    let digests: Vec<&String> = sent
        .iter()
        .filter(|message| message.contains("Subject: Your Fundbridge week"))
        .collect();
    assert_eq!(digests.len(), 1, "only Ana has something new: {run:?}");
    let digest = digests[0];
    assert!(digest.contains("To: ana@example.eu"), "{digest}");
    assert!(digest.contains("Quantum-safe e-government"), "{digest}");
    assert!(digest.contains("Calls you follow closing soon"), "{digest}");
    assert!(
        digest.contains("Closes in 10 days: 17:00 on Thursday 4 March 2027 Europe/Brussels"),
        "{digest}"
    );

    // Ana's calendar address (from her preferences) lists both deadlines of the followed call;
    // feeds date entries by when each call was listed: publication, or first stored.
    let preferences = alerts::preferences(&state, Some(&ana)).await.unwrap();
    let token = preferences.calendar_url.split("token=").nth(1).unwrap().to_owned();
    let ics = feeds::deadline_calendar(&monday, &token).await.unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2, "{ics}");
    assert!(ics.contains("DTSTART:20270304T160000Z"), "{ics}");
    assert_eq!(preferences.feed_urls.len(), 1);
    let listed = store
        .listed_at(SearchKind::Calls, &[id.clone(), "QUANTUM-7".to_owned()])
        .await
        .unwrap();
    assert!(listed.contains(&(id, start())), "{listed:?}");
    assert!(listed.contains(&("QUANTUM-7".to_owned(), saturday)), "{listed:?}");
}

async fn only_signed_in_people_follow_published_calls(store: Arc<dyn Store>) {
    let people = cast(&store).await;
    let state = services(&store, 0);
    let draft = publishing::create_call(&state, Some(&people.editor), &people.authority, &grant())
        .await
        .unwrap();
    let ana = verified_session(&store, "ana@example.eu").await;
    assert!(matches!(
        follows::follow_call(&state, None, &draft).await,
        Err(ServiceError::Unauthenticated)
    ));
    for call in [draft.as_str(), "NO-SUCH-CALL", "not a call id\u{0}", &"X".repeat(5_000)] {
        assert!(
            matches!(
                follows::follow_call(&state, Some(&ana), call).await,
                Err(ServiceError::NotFound(_))
            ),
            "{call:.40}"
        );
    }
    assert!(alerts::preferences(&state, Some(&ana))
        .await
        .unwrap()
        .follows
        .is_empty());
    // The store holds the limit.
    publishing::act_on_call(&state, Some(&people.editor), &draft, CallAction::Submit, "")
        .await
        .unwrap();
    publishing::act_on_call(&state, Some(&people.reviewer), &draft, CallAction::Approve, "")
        .await
        .unwrap();
    let viewer = domain::services::accounts::require_viewer(&state, Some(&ana))
        .await
        .unwrap();
    assert!(matches!(
        store.follow_call(viewer.person_id, &draft, 0, start()).await,
        Err(StoreError::Conflict(_))
    ));
    follows::follow_call(&state, Some(&ana), &draft).await.unwrap();
    follows::unfollow_call(&state, Some(&ana), &draft).await.unwrap();
    assert!(!follows::follows_call(&state, Some(&ana), &draft).await.unwrap());
}

crate::on_both_backends!(shared:
    a_material_change_mails_followers_once_and_reminders_come_before_the_deadline,
    the_weekly_digest_lists_followed_calls_closing_soon_but_is_not_sent_for_them_alone,
    only_signed_in_people_follow_published_calls,
);
