//! Where mail is sent from: a queued message becomes a MIME message (plain-text and HTML
//! parts, its stable `Message-ID`) and goes to an SMTP server, or to the file mailbox (each
//! message an `.eml` file) when none is configured. The sender (`sender.rs`) drains the
//! outbox with retries; every message's words come from `templates.rs`.

pub mod sender;
pub mod templates;

use crate::store::LeasedMail;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::Path;

/// Why a message was not handed over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (server unreachable, busy, a 4xx reply).
    #[error("temporary: {0}")]
    Temporary(String),
    /// Trying again cannot help (a 5xx reply, an address the server refuses).
    #[error("permanent: {0}")]
    Permanent(String),
}

/// Why the mail configuration cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MailConfigError(String);

/// Where the messages go.
enum Transport {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder of `.eml` files.
    Files(AsyncFileTransport<Tokio1Executor>),
    /// Kept in memory, for unit tests only (no configuration selects it).
    #[cfg(test)]
    Memory(lettre::transport::stub::AsyncStubTransport),
}

/// Hands messages to the configured transport, from one sender address.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    /// Sends through the SMTP server at `url` (`smtp://host:port` — add `?tls=required` for
    /// STARTTLS —, `smtps://host` for TLS from the start, `user:password@` for credentials),
    /// from `from` (`Fundbridge <mail@example.eu>`).
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| MailConfigError(format!("SMTP_URL is not usable: {error}")))?
            .build();
        Ok(Mailer {
            from: sender(from)?,
            transport: Transport::Smtp(transport),
        })
    }

    /// Checks a configuration without opening anything (building an SMTP transport needs the
    /// async runtime): the sender is an address, the SMTP URL one lettre understands.
    pub fn check(smtp_url: Option<&str>, from: &str) -> Result<(), MailConfigError> {
        sender(from)?;
        if let Some(url) = smtp_url {
            AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|error| MailConfigError(format!("SMTP_URL is not usable: {error}")))?;
        }
        Ok(())
    }

    /// Writes each message as an `.eml` file in `folder` (created if missing), from `from`.
    pub fn file_mailbox(folder: &Path, from: &str) -> Result<Mailer, MailConfigError> {
        std::fs::create_dir_all(folder)
            .map_err(|error| MailConfigError(format!("cannot create the mailbox {}: {error}", folder.display())))?;
        Ok(Mailer {
            from: sender(from)?,
            transport: Transport::Files(AsyncFileTransport::new(folder)),
        })
    }

    /// The sender's mail domain: what every `Message-ID` ends in.
    pub fn sender_domain(&self) -> &str {
        self.from.email.domain()
    }

    /// The transport's name, for logs and health checks.
    pub fn transport_name(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Files(_) => "file mailbox",
            #[cfg(test)]
            Transport::Memory(_) => "memory",
        }
    }

    /// Hands one message over.
    pub async fn send(&self, mail: &LeasedMail) -> Result<(), SendError> {
        let message = self.message(mail)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|error| {
                if error.is_permanent() {
                    SendError::Permanent(error.to_string())
                } else {
                    SendError::Temporary(error.to_string())
                }
            }),
            Transport::Files(files) => files
                .send(message)
                .await
                .map(drop)
                .map_err(|error| SendError::Temporary(error.to_string())),
            #[cfg(test)]
            Transport::Memory(memory) => memory
                .send(message)
                .await
                .map(drop)
                .map_err(|error| SendError::Temporary(error.to_string())),
        }
    }

    /// The MIME message for `mail`: both parts, its `Message-ID`.
    fn message(&self, mail: &LeasedMail) -> Result<Message, SendError> {
        let recipient: Mailbox = mail
            .recipient
            .parse()
            .map_err(|error| SendError::Permanent(format!("recipient {:?}: {error}", mail.recipient)))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(recipient)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()));
        if let Some(url) = &mail.list_unsubscribe {
            // RFC 8058: a mail client's one-click unsubscribe POSTs to `url`.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                mail.text_body.clone(),
                mail.html_body.clone(),
            ))
            .map_err(|error| SendError::Permanent(format!("cannot build the message: {error}")))
    }
}

/// The sender's mailbox, or why `from` is not one.
fn sender(from: &str) -> Result<Mailbox, MailConfigError> {
    from.parse()
        .map_err(|error| MailConfigError(format!("MAIL_FROM {from:?} is not an address: {error}")))
}

#[cfg(test)]
impl Mailer {
    /// Keeps what it is handed in memory (unit tests).
    fn in_memory(from: &str) -> Mailer {
        Mailer {
            from: sender(from).expect("a test sender"),
            transport: Transport::Memory(lettre::transport::stub::AsyncStubTransport::new_ok()),
        }
    }

    /// The raw messages handed over so far.
    async fn sent(&self) -> Vec<String> {
        match &self.transport {
            Transport::Memory(memory) => memory.messages().await.into_iter().map(|(_, raw)| raw).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::templates::{render, Message as Template};

    #[tokio::test]
    async fn a_rendered_message_goes_out_with_both_parts_its_subject_and_message_id() {
        let rendered = render(
            Template::Verify,
            "en",
            serde_json::json!({ "name": "Inês", "link": "https://fundbridge.example/account/verify?token=abc" }),
        )
        .unwrap();
        let mailer = Mailer::in_memory("Fundbridge <mail@fundbridge.example>");
        let mail = LeasedMail {
            id: 1,
            message_id: "<0123456789abcdef@fundbridge.example>".into(),
            recipient: "ines@example.eu".into(),
            subject: rendered.subject.clone(),
            text_body: rendered.text.clone(),
            html_body: rendered.html.clone(),
            attempts: 1,
            list_unsubscribe: None,
        };
        mailer.send(&mail).await.unwrap();
        let sent = mailer.sent().await;
        assert_eq!(sent.len(), 1);
        let raw = &sent[0];
        assert!(
            raw.contains("Message-ID: <0123456789abcdef@fundbridge.example>"),
            "{raw}"
        );
        assert!(
            raw.contains("Subject: Confirm your email address for Fundbridge"),
            "{raw}"
        );
        assert!(raw.contains("From: Fundbridge <mail@fundbridge.example>"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"), "{raw}");
        assert!(raw.contains("Content-Type: text/html; charset=utf-8"), "{raw}");
        assert_eq!(mailer.transport_name(), "memory");

        let bad = LeasedMail {
            recipient: "not an address".into(),
            ..mail
        };
        assert!(matches!(mailer.send(&bad).await, Err(SendError::Permanent(_))));
        assert_eq!(mailer.sent().await.len(), 1, "a refused message is not handed over");
        assert!(
            !raw.contains("List-Unsubscribe"),
            "account mail has no unsubscribe header: {raw}"
        );

        let alert = LeasedMail {
            list_unsubscribe: Some("https://fundbridge.example/mail/unsubscribe?token=abc.def".into()),
            ..bad
        };
        let alert = LeasedMail {
            recipient: "ines@example.eu".into(),
            ..alert
        };
        mailer.send(&alert).await.unwrap();
        let raw = &mailer.sent().await[1];
        assert!(
            raw.contains("List-Unsubscribe: <https://fundbridge.example/mail/unsubscribe?token=abc.def>"),
            "{raw}"
        );
        assert!(
            raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{raw}"
        );
    }
}
