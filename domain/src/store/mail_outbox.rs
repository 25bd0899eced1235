//! The mail outbox: every message Fundbridge owes someone, written in the same transaction
//! as what caused it and sent by a worker that leases rows, so a message is neither lost
//! (it waits in the database until a mail server accepts it) nor sent by two app servers at
//! once (a lease is taken under `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer).

use super::StoreError;
pub use crate::admin::DeadLetter;
use crate::sanitize::check_text;
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// The longest address a mail server must accept (RFC 5321: 254 characters).
const MAX_ADDRESS_CHARS: usize = 254;

/// A message as a writer hands it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// One key per logical message (`verify:<person>:<token>`): queuing it again does nothing.
    pub idempotency_key: String,
    /// The `Message-ID` header, stable for the row: a message sent twice after a crash carries
    /// the same one, so mail clients show it once.
    pub message_id: String,
    /// The one recipient's address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text_body: String,
    /// The HTML part.
    pub html_body: String,
    /// The HTTPS address that unsubscribes the recipient in one click (RFC 8058), sent as
    /// `List-Unsubscribe` with `List-Unsubscribe-Post`; alert mail has one, account mail not.
    pub list_unsubscribe: Option<String>,
}

impl OutgoingMail {
    /// A message keyed `idempotency_key`, its `Message-ID` derived from the key under
    /// `domain` (the sender's mail domain).
    pub fn new(
        idempotency_key: &str,
        domain: &str,
        recipient: &str,
        subject: &str,
        text_body: &str,
        html_body: &str,
    ) -> OutgoingMail {
        let key = idempotency_key.as_bytes();
        let salted = [key, b"\x01fundbridge"].concat();
        let message_id = format!(
            "<{:016x}{:016x}@{domain}>",
            super::fnv1a_64(key),
            super::fnv1a_64(&salted)
        );
        OutgoingMail {
            idempotency_key: idempotency_key.to_owned(),
            message_id,
            recipient: recipient.trim().to_owned(),
            subject: subject.to_owned(),
            text_body: text_body.to_owned(),
            html_body: html_body.to_owned(),
            list_unsubscribe: None,
        }
    }

    /// This message, unsubscribed from in one click at `url`.
    pub fn with_list_unsubscribe(self, url: String) -> OutgoingMail {
        OutgoingMail {
            list_unsubscribe: Some(url),
            ..self
        }
    }

    /// Refuses a message no mail server should be handed: a recipient that is not one plain
    /// address, a subject on several lines (header injection), control characters, empty keys.
    pub fn validate(&self) -> Result<(), String> {
        if self.idempotency_key.trim().is_empty() || self.idempotency_key.chars().count() > 200 {
            return Err("the idempotency key must have 1 to 200 characters".into());
        }
        let address = &self.recipient;
        let plain_address = address.chars().count() <= MAX_ADDRESS_CHARS
            && address.split('@').count() == 2
            && address.split('@').all(|part| !part.is_empty())
            && !address
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c));
        if !plain_address {
            return Err(format!("{address:?} is not one plain email address"));
        }
        check_text("subject", &self.subject, false)?;
        if self.subject.trim().is_empty() || self.subject.chars().count() > 200 {
            return Err("the subject must have 1 to 200 characters".into());
        }
        check_text("message id", &self.message_id, false)?;
        check_text("text part", &self.text_body, true)?;
        check_text("HTML part", &self.html_body, true)?;
        if let Some(url) = &self.list_unsubscribe {
            check_text("unsubscribe address", url, false)?;
            let https_or_local = ["https://", "http://127.0.0.1", "http://localhost"]
                .iter()
                .any(|scheme| url.starts_with(scheme));
            if !https_or_local || url.len() > 2_000 || url.contains(['<', '>', ',', ' ']) {
                return Err(format!("{url:?} is not an HTTPS unsubscribe address"));
            }
        }
        Ok(())
    }
}

/// A message leased to one sender until its lease runs out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeasedMail {
    /// The outbox row.
    pub id: i64,
    /// The `Message-ID` header.
    pub message_id: String,
    /// The recipient's address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text_body: String,
    /// The HTML part.
    pub html_body: String,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// The one-click unsubscribe address, when the message has one.
    pub list_unsubscribe: Option<String>,
}

/// How far behind the mail is, for health checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MailBacklog {
    /// Messages not yet sent (leased ones included).
    pub pending: u64,
    /// When the oldest of them was queued.
    pub oldest: Option<DateTime<Utc>>,
    /// Messages given up on.
    pub dead: u64,
}

/// The queue of mail to send.
#[async_trait]
pub trait MailOutbox: Send + Sync {
    /// Queues a message, due at once, unless one with its idempotency key was queued before;
    /// returns whether it was queued now. An invalid message is refused and nothing is written.
    async fn queue_mail(&self, mail: &OutgoingMail, now: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Leases up to `limit` due messages, oldest first, to the caller until `now + lease`: no
    /// other sender gets them meanwhile, and a lease that runs out (a sender that died) makes
    /// them due again. Each lease counts as an attempt.
    async fn lease_due_mail(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<LeasedMail>, StoreError>;

    /// Records that the mail server accepted the message.
    async fn mark_mail_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Records a failed attempt and its error: due again at `retry_at`, or given up on (dead)
    /// when there is none.
    async fn mark_mail_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<(), StoreError>;

    /// How many messages wait, since when, and how many were given up on.
    async fn mail_backlog(&self) -> Result<MailBacklog, StoreError>;

    /// The latest `limit` messages given up on, newest first.
    async fn dead_mail(&self, limit: u32) -> Result<Vec<DeadLetter>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(recipient: &str, subject: &str) -> OutgoingMail {
        OutgoingMail::new("verify:1", "fundbridge.eu", recipient, subject, "Hello", "<p>Hello</p>")
    }

    #[test]
    fn message_ids_are_stable_per_key_and_distinct_between_keys() {
        let first = mail("ana@example.eu", "Verify");
        assert_eq!(first.message_id, mail("ana@example.eu", "Other").message_id);
        let other = OutgoingMail::new("verify:2", "fundbridge.eu", "ana@example.eu", "Verify", "", "");
        assert_ne!(first.message_id, other.message_id);
        assert!(first.message_id.starts_with('<') && first.message_id.ends_with("@fundbridge.eu>"));
    }

    #[test]
    fn only_plain_addresses_and_one_line_subjects_are_queued() {
        assert!(mail(" ana@example.eu ", "Verify your address").validate().is_ok());
        for bad in [
            "ana",
            "ana@",
            "@example.eu",
            "a@b@c",
            "ana@example.eu, eve@evil.eu",
            "Ana <ana@x.eu>",
            "a b@x.eu",
        ] {
            assert!(mail(bad, "Verify").validate().is_err(), "{bad}");
        }
        assert!(mail("ana@example.eu", "Verify\r\nBcc: eve@evil.eu").validate().is_err());
        assert!(mail("ana@example.eu", " ").validate().is_err());
        assert!(mail(&format!("{}@x.eu", "a".repeat(260)), "Verify").validate().is_err());
    }
}
