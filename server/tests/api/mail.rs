//! The mail sender inside the real binary: killed with `kill -9` in the middle of 200 queued
//! messages and started again, it delivers every message, each under its own Message-ID.

use crate::helpers::{free_port, TestApp};
use crate::smtp_server::SmtpServer;
use crate::support::TestDb;
use chrono::{Duration, Utc};
use domain::store::OutgoingMail;
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// The server binary on `database`, sending through `smtp`, with `now` as its clock if given.
fn serve(dir: &std::path::Path, database: &str, smtp: &SmtpServer, now: Option<&str>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fundbridge"));
    command
        .arg("serve")
        .env("DATABASE_URL", database)
        .env("SMTP_URL", smtp.url())
        .env("FUNDBRIDGE_LISTEN", format!("127.0.0.1:{}", free_port()))
        .env("FUNDBRIDGE_INDEX_DIR", dir.join("index"))
        .env("FUNDBRIDGE_SITE_ROOT", dir.join("site"))
        .env("RUST_LOG", "error")
        .env_remove("FUNDBRIDGE_NOW")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(now) = now {
        command.env("FUNDBRIDGE_NOW", now);
    }
    command.spawn().unwrap()
}

/// The Message-ID header of each received message.
fn message_ids(smtp: &SmtpServer) -> Vec<String> {
    smtp.received()
        .iter()
        .filter_map(|message| {
            message
                .lines()
                .find_map(|line| line.strip_prefix("Message-ID: ").map(str::to_owned))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_a_sender_killed_mid_batch_and_restarted_delivers_every_message() {
    let db = TestDb::sqlite().await;
    a_sender_killed_mid_batch_and_restarted_delivers_every_message(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_sender_killed_mid_batch_and_restarted_delivers_every_message() {
    let db = TestDb::postgres().await;
    a_sender_killed_mid_batch_and_restarted_delivers_every_message(&db).await;
}

async fn a_sender_killed_mid_batch_and_restarted_delivers_every_message(db: &TestDb) {
    let (store, database) = (db.store(), db.url());
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let queued_at = Utc::now();
    let mut queued = HashSet::new();
    for n in 0..200 {
        let mail = OutgoingMail::new(
            &format!("digest:{n}"),
            "fundbridge.test",
            &format!("member{n}@example.eu"),
            "Your weekly Fundbridge digest",
            "Three new calls match your profile.",
            "<p>Three new calls match your profile.</p>",
        );
        queued.insert(mail.message_id.clone());
        store.queue_mail(&mail, queued_at).await.unwrap();
    }
    let smtp = SmtpServer::start();

    let mut first = serve(dir, database, &smtp, None);
    let started = Instant::now();
    while smtp.received().len() < 10 {
        assert!(started.elapsed().as_secs() < 60, "the sender did not start sending");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    first.kill().unwrap(); // SIGKILL: no shutdown, leases left behind
    first.wait().unwrap();
    let before_restart = smtp.received().len();

    // Started again later than the dead sender's leases (2 minutes) run.
    let later = (Utc::now() + Duration::minutes(5)).to_rfc3339();
    let mut second = serve(dir, database, &smtp, Some(&later));
    let started = Instant::now();
    while store.mail_backlog().await.unwrap().pending > 0 {
        assert!(started.elapsed().as_secs() < 120, "the restarted sender did not finish");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();

    let received = message_ids(&smtp);
    let distinct: HashSet<String> = received.iter().cloned().collect();
    eprintln!(
        "{before_restart} delivered before the kill, {} in all, {} sent twice",
        received.len(),
        received.len() - distinct.len()
    );
    assert_eq!(
        distinct, queued,
        "every queued message arrived, under its own Message-ID"
    );
    // Only what the dead sender had handed over but not yet marked can come twice.
    assert!(
        received.len() - distinct.len() <= 50,
        "{} duplicates",
        received.len() - distinct.len()
    );
    assert!(
        before_restart < 200,
        "the kill came mid-batch ({before_restart} sent before it)"
    );
    assert_eq!(store.mail_backlog().await.unwrap().dead, 0);
}

#[tokio::test]
async fn the_dev_mailbox_lists_and_shows_mail_escaped_and_only_its_own_files() {
    let app = TestApp::spawn_with_dev_mailbox().await;
    let (status, page) = app.get("/dev/mailbox").await;
    assert_eq!(status, 200);
    assert!(page.contains("No mail yet."), "{page}");

    let mailer = domain::mail::Mailer::file_mailbox(&app.mailbox(), "Fundbridge <mail@fundbridge.test>").unwrap();
    let mail = domain::store::LeasedMail {
        id: 1,
        message_id: "<1@fundbridge.test>".into(),
        recipient: "ana@example.eu".into(),
        subject: "Hello <script>window.__xss=1</script>".into(),
        text_body: "Open https://fundbridge.test/account/verify?token=abc to confirm.\n<img src=x>".into(),
        html_body: "<p>Open the link.</p>".into(),
        attempts: 1,
        list_unsubscribe: None,
    };
    mailer.send(&mail).await.unwrap();
    let (_, list) = app.get("/dev/mailbox").await;
    assert!(list.contains("ana@example.eu"), "{list}");
    assert!(!list.contains("<script>window.__xss"), "{list}");
    let file = list
        .split("href=\"/dev/mailbox/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the message")
        .to_owned();
    let (status, message) = app.get(&format!("/dev/mailbox/{file}")).await;
    assert_eq!(status, 200);
    assert!(
        message.contains("<a href=\"https://fundbridge.test/account/verify?token=abc\">"),
        "{message}"
    );
    assert!(
        !message.contains("<img src=x>") && !message.contains("<script>window"),
        "{message}"
    );

    for outside in ["..%2F..%2Fapp.db", "..%2Fapp.db.eml", ".hidden.eml", "missing.eml"] {
        let (status, _) = app.get(&format!("/dev/mailbox/{outside}")).await;
        assert_eq!(status, 404, "{outside}");
    }
    let (status, _) = TestApp::spawn().await.get("/dev/mailbox").await;
    assert_eq!(status, 404, "off unless configured");
}
