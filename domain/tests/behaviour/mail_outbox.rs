//! The mail outbox: queued once per key, leased to one sender at a time, retried, given up on.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::store::{MailOutbox, OutgoingMail, Store};
use std::collections::HashSet;
use std::sync::Arc;

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap() + Duration::minutes(minute)
}

fn mail(key: &str) -> OutgoingMail {
    OutgoingMail::new(
        key,
        "fundbridge.test",
        "ana@example.eu",
        "Verify your address",
        "Open this link.",
        "<p>Open this link.</p>",
    )
}

const LEASE: Duration = Duration::minutes(5);

async fn a_message_is_leased_to_one_sender_until_its_lease_runs_out(outbox: &dyn MailOutbox) {
    assert!(outbox.queue_mail(&mail("verify:1"), at(0)).await.unwrap());
    let first = outbox.lease_due_mail(at(0), LEASE, 10).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(
        (first[0].attempts, first[0].subject.as_str()),
        (1, "Verify your address")
    );
    assert_eq!(first[0].message_id, mail("verify:1").message_id);
    assert!(
        outbox.lease_due_mail(at(4), LEASE, 10).await.unwrap().is_empty(),
        "still leased"
    );
    // The sender died: once the lease runs out the message is due again, a second attempt.
    let again = outbox.lease_due_mail(at(5), LEASE, 10).await.unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 2));
    outbox.mark_mail_sent(again[0].id, at(6)).await.unwrap();
    assert!(
        outbox.lease_due_mail(at(60), LEASE, 10).await.unwrap().is_empty(),
        "sent is done"
    );
    assert_eq!(outbox.mail_backlog().await.unwrap().pending, 0);
}

async fn a_key_queued_twice_is_one_message(outbox: &dyn MailOutbox) {
    assert!(outbox.queue_mail(&mail("digest:2026-48:ana"), at(0)).await.unwrap());
    assert!(!outbox.queue_mail(&mail("digest:2026-48:ana"), at(1)).await.unwrap());
    let backlog = outbox.mail_backlog().await.unwrap();
    assert_eq!((backlog.pending, backlog.oldest), (1, Some(at(0))));
}

async fn failures_wait_for_their_retry_and_the_last_one_is_dead_with_its_error(outbox: &dyn MailOutbox) {
    outbox.queue_mail(&mail("reset:1"), at(0)).await.unwrap();
    outbox.queue_mail(&mail("reset:2"), at(0)).await.unwrap();
    let leased = outbox.lease_due_mail(at(0), LEASE, 10).await.unwrap();
    assert_eq!(leased.len(), 2, "oldest first, both due");
    outbox
        .mark_mail_failed(leased[0].id, "421 try again later", Some(at(10)))
        .await
        .unwrap();
    outbox
        .mark_mail_failed(leased[1].id, "550 no such user\r\nsecond line", None)
        .await
        .unwrap();
    assert!(
        outbox.lease_due_mail(at(9), LEASE, 10).await.unwrap().is_empty(),
        "not before the retry"
    );
    let retried = outbox.lease_due_mail(at(10), LEASE, 10).await.unwrap();
    assert_eq!(
        (retried.len(), retried[0].id, retried[0].attempts),
        (1, leased[0].id, 2)
    );
    let dead = outbox.dead_mail(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].id, dead[0].attempts), (leased[1].id, 1));
    assert_eq!(dead[0].last_error.as_deref(), Some("550 no such user second line"));
    let backlog = outbox.mail_backlog().await.unwrap();
    assert_eq!((backlog.pending, backlog.dead), (1, 1));
}

async fn an_invalid_message_is_refused_and_nothing_is_queued(outbox: &dyn MailOutbox) {
    let mut injected = mail("verify:3");
    injected.subject = "Verify\r\nBcc: eve@evil.eu".into();
    let error = outbox.queue_mail(&injected, at(0)).await.unwrap_err();
    assert!(error.to_string().contains("control character"), "{error}");
    let mut two = mail("verify:4");
    two.recipient = "ana@example.eu, eve@evil.eu".into();
    assert!(outbox.queue_mail(&two, at(0)).await.is_err());
    assert_eq!(outbox.mail_backlog().await.unwrap().pending, 0);
}

/// Eight senders leasing at once, as eight app servers would: every message is leased exactly
/// once (PostgreSQL skips rows another transaction holds; SQLite serialises its writers).
async fn senders_leasing_at_once_never_share_a_message(store: Arc<dyn Store>) {
    for n in 0..400 {
        store.queue_mail(&mail(&format!("bulk:{n}")), at(0)).await.unwrap();
    }
    let senders = (0..8).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut leased = Vec::new();
            loop {
                let batch = store.lease_due_mail(at(1), LEASE, 40).await.unwrap();
                if batch.is_empty() {
                    return leased;
                }
                leased.extend(batch.into_iter().map(|m| m.id));
            }
        })
    });
    let mut all = Vec::new();
    for sender in senders {
        all.extend(sender.await.unwrap());
    }
    let distinct: HashSet<i64> = all.iter().copied().collect();
    assert_eq!((all.len(), distinct.len()), (400, 400));
}

crate::on_both_backends!(
    a_message_is_leased_to_one_sender_until_its_lease_runs_out,
    a_key_queued_twice_is_one_message,
    failures_wait_for_their_retry_and_the_last_one_is_dead_with_its_error,
    an_invalid_message_is_refused_and_nothing_is_queued,
);

/// Tests that need the store shared between tasks.
mod shared {
    use super::*;
    crate::on_both_backends!(shared: senders_leasing_at_once_never_share_a_message);
}
