//! Mail leaves the outbox through a real SMTP server process: once, with both parts; it
//! waits while the server is down and goes out once it is back; a refused message is dead.

use crate::smtp_server::SmtpServer;
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::mail::sender::{send_due, RetryPolicy, Round};
use domain::mail::Mailer;
use domain::store::{MailOutbox, OutgoingMail};

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap() + Duration::minutes(minute)
}

fn verification(key: &str, recipient: &str) -> OutgoingMail {
    OutgoingMail::new(
        key,
        "fundbridge.test",
        recipient,
        "Verify your Fundbridge address",
        "Open https://fundbridge.test/verify/abc to verify.",
        "<p>Open <a href=\"https://fundbridge.test/verify/abc\">this link</a> to verify.</p>",
    )
}

fn mailer(server: &SmtpServer) -> Mailer {
    Mailer::smtp(&server.url(), "Fundbridge <mail@fundbridge.test>").unwrap()
}

async fn a_queued_message_arrives_once_with_both_parts_and_its_message_id(outbox: &dyn MailOutbox) {
    let server = SmtpServer::start();
    let mail = verification("verify:ana", "ana@example.eu");
    outbox.queue_mail(&mail, at(0)).await.unwrap();
    let round = send_due(outbox, &mailer(&server), at(0), RetryPolicy::default())
        .await
        .unwrap();
    assert_eq!(
        round,
        Round {
            sent: 1,
            retrying: 0,
            dead: 0
        }
    );
    assert_eq!(
        send_due(outbox, &mailer(&server), at(1), RetryPolicy::default())
            .await
            .unwrap(),
        Round::default(),
        "nothing is sent twice"
    );
    let received = server.received();
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert!(
        message.contains(&format!("Message-ID: {}", mail.message_id)),
        "{message}"
    );
    assert!(message.contains("Subject: Verify your Fundbridge address"), "{message}");
    assert!(message.contains("To: ana@example.eu"), "{message}");
    assert!(message.contains("multipart/alternative"), "{message}");
    assert!(
        message.contains("text/plain") && message.contains("text/html"),
        "{message}"
    );
    assert_eq!(outbox.mail_backlog().await.unwrap().pending, 0);
}

async fn with_the_server_down_mail_waits_and_goes_out_after_it_restarts(outbox: &dyn MailOutbox) {
    let mut server = SmtpServer::start();
    server.stop();
    outbox
        .queue_mail(&verification("reset:ana", "ana@example.eu"), at(0))
        .await
        .unwrap();
    let policy = RetryPolicy::default();
    let round = send_due(outbox, &mailer(&server), at(0), policy).await.unwrap();
    assert_eq!(
        round,
        Round {
            sent: 0,
            retrying: 1,
            dead: 0
        }
    );
    assert_eq!(outbox.mail_backlog().await.unwrap().pending, 1, "the message waits");

    server.restart();
    // Not before its retry (1 minute, plus at most a quarter of it)…
    let early = send_due(outbox, &mailer(&server), at(0) + Duration::seconds(30), policy)
        .await
        .unwrap();
    assert_eq!(early, Round::default());
    // …then once.
    let round = send_due(outbox, &mailer(&server), at(2), policy).await.unwrap();
    assert_eq!(round.sent, 1);
    assert_eq!(server.received().len(), 1);
}

async fn a_message_that_keeps_failing_is_dead_after_its_last_attempt(outbox: &dyn MailOutbox) {
    let mut server = SmtpServer::start();
    server.stop();
    outbox
        .queue_mail(&verification("verify:bo", "bo@example.eu"), at(0))
        .await
        .unwrap();
    let policy = RetryPolicy {
        max_attempts: 2,
        ..RetryPolicy::default()
    };
    assert_eq!(
        send_due(outbox, &mailer(&server), at(0), policy)
            .await
            .unwrap()
            .retrying,
        1
    );
    assert_eq!(send_due(outbox, &mailer(&server), at(5), policy).await.unwrap().dead, 1);
    let dead = outbox.dead_mail(10).await.unwrap();
    assert_eq!((dead.len(), dead[0].attempts), (1, 2));
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .starts_with("temporary"),
        "{dead:?}"
    );
}

async fn without_an_smtp_server_mail_lands_in_the_file_mailbox(outbox: &dyn MailOutbox) {
    let folder = tempfile::tempdir().unwrap();
    let mailbox = folder.path().join("mailbox");
    let mailer = Mailer::file_mailbox(&mailbox, "Fundbridge <mail@fundbridge.test>").unwrap();
    let mail = verification("verify:cy", "cy@example.eu");
    outbox.queue_mail(&mail, at(0)).await.unwrap();
    let round = send_due(outbox, &mailer, at(0), RetryPolicy::default()).await.unwrap();
    assert_eq!(round.sent, 1);
    let files: Vec<_> = std::fs::read_dir(&mailbox).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let message = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(files[0].path().extension().is_some_and(|ext| ext == "eml"));
    assert!(
        message.contains(&mail.message_id) && message.contains("text/html"),
        "{message}"
    );
}

crate::on_both_backends!(
    without_an_smtp_server_mail_lands_in_the_file_mailbox,
    a_queued_message_arrives_once_with_both_parts_and_its_message_id,
    with_the_server_down_mail_waits_and_goes_out_after_it_restarts,
    a_message_that_keeps_failing_is_dead_after_its_last_attempt,
);
