//! Digests inside the real binary: `fundbridge digest --now`, killed with `kill -9` at random
//! points of a 1,000-subscriber run and started again until it finishes, queues every digest
//! exactly once, and each arrives once through a real SMTP server. Over HTTP, a mail client's
//! one-click unsubscribe POST (RFC 8058) takes effect at once, from no site at all; a saved
//! search reads as an Atom feed and followed deadlines as a calendar, by signed address.

use crate::helpers::TestApp;
use crate::smtp_server::SmtpServer;
use crate::support::TestDb;
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::alerts::SearchKind;
use domain::mail::sender::{send_due, RetryPolicy};
use domain::mail::Mailer;
use domain::store::{NewCall, NewPerson, NewSavedSearch, Store};
use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Subscribers in the kill run.
const SUBSCRIBERS: usize = 1_000;

/// Monday 30 November 2026, 09:00 UTC: the default digest time (08:00 Brussels) has passed.
fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

/// `SUBSCRIBERS` verified people, each with a weekly call search, saved on Friday; three
/// calls listed on Saturday, two of which every search finds.
async fn subscribers(store: &dyn Store) {
    let friday = monday() - Duration::days(3);
    for n in 0..SUBSCRIBERS {
        let person = NewPerson {
            email: format!("member{n}@example.eu"),
            display_name: format!("Member {n}"),
            password_hash: "not a usable hash".into(),
            verified: true,
            is_admin: false,
        };
        let id = store.create_person(&person, None, friday).await.unwrap();
        let query = if n % 2 == 0 { "?q=quantum" } else { "" };
        let search = NewSavedSearch {
            kind: SearchKind::Calls,
            query: query.into(),
            title: "quantum".into(),
        };
        store.save_search(id, &search, 50, friday).await.unwrap();
    }
    let mut calls = Vec::new();
    for (id, title) in [
        ("QUANTUM-1", "Quantum-safe VPN gateways"),
        ("QUANTUM-2", "Quantum key distribution testbeds"),
    ] {
        let mut call = NewCall::new(id, "test", title, "Horizon Europe", "European Commission");
        call.opening_at = Some(friday);
        calls.push(call);
    }
    store.upsert_calls(&calls, friday + Duration::days(1)).await.unwrap();
}

/// Kills before a run is let finish.
const KILLS: usize = 6;

/// Kill delays in milliseconds from a small deterministic generator (the seed is printed, so
/// a failure can be replayed): the first within 130 ms of its run (shorter than any whole run,
/// so at least one is cut), the n-th within the first 0.1 + 0.5·n seconds, so later runs,
/// which start with part of the work done, are cut at later points too; then none (the last
/// run finishes).
fn delays(seed: u64) -> impl Iterator<Item = Option<u64>> {
    let mut state = seed | 1;
    (0..=KILLS).map(move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (n < KILLS).then(|| 30 + state % (100 + 500 * n as u64))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_a_digest_run_killed_at_random_points_queues_and_delivers_each_digest_once() {
    let db = TestDb::sqlite().await;
    a_digest_run_killed_at_random_points_queues_and_delivers_each_digest_once(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_digest_run_killed_at_random_points_queues_and_delivers_each_digest_once() {
    let db = TestDb::postgres().await;
    a_digest_run_killed_at_random_points_queues_and_delivers_each_digest_once(&db).await;
}

async fn a_digest_run_killed_at_random_points_queues_and_delivers_each_digest_once(db: &TestDb) {
    let store = db.shared();
    subscribers(store.as_ref()).await;
    let smtp = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let seed = u64::try_from(Utc::now().timestamp_micros()).unwrap_or(7);
    eprintln!("kill delays seeded with {seed}");
    let mut kills = Vec::new();
    for delay in delays(seed) {
        let mut run = Command::new(env!("CARGO_BIN_EXE_fundbridge"))
            .args(["digest", "--now"])
            .env("DATABASE_URL", db.url())
            .env("SMTP_URL", smtp.url())
            .env("FUNDBRIDGE_INDEX_DIR", dir.path().join("index"))
            .env("FUNDBRIDGE_NOW", monday().to_rfc3339())
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let finished = loop {
            if let Some(status) = run.try_wait().unwrap() {
                break Some(status);
            }
            if delay.is_some_and(|delay| started.elapsed().as_millis() >= u128::from(delay)) {
                break None;
            }
            assert!(started.elapsed().as_secs() < 300, "the digest run did not finish");
            std::thread::sleep(std::time::Duration::from_millis(2));
        };
        match finished {
            Some(status) => {
                assert!(status.success(), "the digest run failed");
                break;
            }
            None => {
                run.kill().unwrap(); // SIGKILL: no clean-up, a transaction cut short
                run.wait().unwrap();
                kills.push((delay, store.mail_backlog().await.unwrap().pending));
            }
        }
    }
    eprintln!("killed after (ms, digests queued by then): {kills:?}");
    assert!(!kills.is_empty(), "at least one run was killed before it finished");

    let backlog = store.mail_backlog().await.unwrap();
    assert_eq!(
        backlog.pending, SUBSCRIBERS as u64,
        "one digest per subscriber, none twice"
    );

    let mailer = Mailer::smtp(&smtp.url(), "Fundbridge <mail@fundbridge.test>").unwrap();
    while store.mail_backlog().await.unwrap().pending > 0 {
        send_due(store.as_ref(), &mailer, monday(), RetryPolicy::default())
            .await
            .unwrap();
    }
    let received = smtp.received();
    let recipients: HashSet<String> = received
        .iter()
        .filter_map(|message| {
            message
                .lines()
                .find_map(|line| line.strip_prefix("To: ").map(str::to_owned))
        })
        .collect();
    assert_eq!(received.len(), SUBSCRIBERS, "each digest delivered once");
    assert_eq!(recipients.len(), SUBSCRIBERS);
    assert!(received
        .iter()
        .all(|message| message.contains("Subject: Your Fundbridge week: 2 new calls")));
}

#[tokio::test]
async fn a_one_click_unsubscribe_post_from_a_mail_provider_takes_effect_at_once() {
    let app = TestApp::spawn().await;
    let person = NewPerson {
        email: "ana@example.eu".into(),
        display_name: "Ana".into(),
        password_hash: "not a usable hash".into(),
        verified: true,
        is_admin: false,
    };
    let id = app.store.create_person(&person, None, monday()).await.unwrap();
    let key = app.store.link_key().await.unwrap();
    let signer = domain::alerts::links::LinkSigner::new(&key);
    let unsubscribe = signer.token(&domain::alerts::links::MailLink::Unsubscribe { person_id: id });
    let mute = signer.token(&domain::alerts::links::MailLink::MuteCall {
        person_id: id,
        call: "QUANTUM-1".into(),
    });
    let path = format!("/mail/unsubscribe?token={unsubscribe}");

    let (status, answer) = app.post_form(&path, "something=else").await;
    assert_eq!(status, 400, "{answer}");
    let (status, _) = app
        .post_form(&format!("/mail/unsubscribe?token={mute}"), "List-Unsubscribe=One-Click")
        .await;
    assert_eq!(status, 400, "a mute link does not unsubscribe");
    assert!(!app.store.alert_mail_stopped(id).await.unwrap());

    let (status, answer) = app.post_form(&path, "List-Unsubscribe=One-Click").await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("unsubscribed"), "{answer}");
    assert!(app.store.alert_mail_stopped(id).await.unwrap());

    // Opened in a browser, the same address is the confirmation page (which changes nothing).
    let (status, page) = app.get(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Unsubscribe from Fundbridge alerts"), "{page}");
    // Other addresses still take no POST, and server functions still no cross-site one.
    let (status, _) = app.post_form("/mail/mute", "List-Unsubscribe=One-Click").await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn a_saved_search_reads_as_an_atom_feed_and_followed_deadlines_as_a_calendar_by_signed_address() {
    let mut quantum = NewCall::new(
        "QUANTUM-FEED-1",
        "test",
        "Quantum <sensing> for grids",
        "Horizon Europe",
        "EC",
    );
    quantum.deadlines = vec![domain::Deadline {
        stage: 1,
        at: Utc.with_ymd_and_hms(2027, 3, 4, 16, 0, 0).unwrap(),
        label: Some("Short proposal".into()),
    }];
    let soil = NewCall::new("SOIL-FEED-1", "test", "Soil health living labs", "Horizon Europe", "EC");
    let app = TestApp::spawn().await.with_calls(&[quantum, soil]).await;
    let person = NewPerson {
        email: "ana@example.eu".into(),
        display_name: "Ana".into(),
        password_hash: "not a usable hash".into(),
        verified: true,
        is_admin: false,
    };
    let ana = app.store.create_person(&person, None, monday()).await.unwrap();
    let search = NewSavedSearch {
        kind: SearchKind::Calls,
        query: "?q=quantum".into(),
        title: "Calls matching “quantum”".into(),
    };
    let saved = app.store.save_search(ana, &search, 50, monday()).await.unwrap();
    app.store
        .follow_call(ana, "QUANTUM-FEED-1", 200, monday())
        .await
        .unwrap();
    let signer = domain::alerts::links::LinkSigner::new(&app.store.link_key().await.unwrap());
    let address = |link: &domain::alerts::links::MailLink| format!("{}?token={}", link.path(), signer.token(link));
    let feed = domain::alerts::links::MailLink::SearchFeed {
        person_id: ana,
        search_id: saved.id,
    };
    let calendar = domain::alerts::links::MailLink::DeadlineCalendar { person_id: ana };

    let response = app
        .client
        .get(format!("{}{}", app.address, address(&feed)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let xml = response.text().await.unwrap();
    assert!(
        xml.contains("<title>Quantum &lt;sensing&gt; for grids</title>"),
        "{xml}"
    );
    assert!(!xml.contains("Soil health"), "only what the search finds: {xml}");
    assert!(xml.contains("/calls/QUANTUM-FEED-1"), "{xml}");

    let response = app
        .client
        .get(format!("{}{}", app.address, address(&calendar)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = response.text().await.unwrap();
    assert!(ics.contains("DTSTART:20270304T160000Z"), "{ics}");
    assert!(ics.contains("SUMMARY:Deadline: Quantum <sensing> for grids"), "{ics}");

    // A forged address reads nothing; a feed address changes nothing when used as a mail link;
    // a deleted search's feed is gone.
    let forged = format!("{}x", address(&feed));
    assert_eq!(app.get(&forged).await.0, 400);
    let (status, _) = app
        .get(&format!("/feeds/deadlines.ics?token={}", signer.token(&feed)))
        .await;
    assert_eq!(status, 400, "a search's token is no calendar's");
    let refused = domain::services::digests::apply_mail_link(&app.state, &signer.token(&feed), false).await;
    assert!(matches!(refused, Err(domain::services::ServiceError::Invalid(_))));
    app.store.delete_saved_search(ana, saved.id).await.unwrap();
    assert_eq!(app.get(&address(&feed)).await.0, 404);
}
