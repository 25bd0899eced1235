//! Members reaching a partner through the portal: a conversation started by a person and
//! addressed to an organisation, whose editors read it in their inbox and answer; nobody's
//! address is shown to the other side. The form's rules live here so the browser says what
//! the server will.

use crate::publishing::{check_length, FieldError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest subject.
pub const MAX_SUBJECT_CHARS: usize = 150;
/// The longest message.
pub const MAX_BODY_CHARS: usize = 2_000;
/// The longest reason given when reporting abuse (a short message, as with any request).
pub const MAX_REASON_CHARS: usize = crate::people::MAX_MESSAGE_CHARS;

/// A first message to an organisation, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    /// What it is about, one line.
    pub subject: String,
    /// The message.
    pub body: String,
    /// The call it is about (external id; empty: none).
    pub call_id: String,
    /// The organisation the sender writes for (external id; empty: only as themselves).
    pub on_behalf_of: String,
}

impl ContactForm {
    /// What is wrong with the form, each on its field; never echoes what was typed.
    pub fn mistakes(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.subject.trim().is_empty() {
            errors.push(FieldError::new("subject", "Say in a few words what it is about."));
        } else {
            check_length(&mut errors, "subject", self.subject.trim(), MAX_SUBJECT_CHARS, false);
        }
        check_body(&mut errors, "body", &self.body);
        // Identifiers chosen from lists: anything longer than an identifier was not chosen there.
        for (field, value) in [("call_id", &self.call_id), ("on_behalf_of", &self.on_behalf_of)] {
            if value.chars().count() > crate::sanitize::MAX_ID_CHARS {
                errors.push(FieldError::new(field, "Pick one from the list."));
            }
        }
        errors
    }
}

/// Adds an error on `field` unless `body` is a message worth sending: not empty, bounded,
/// no control characters but line breaks and tabs.
pub fn check_body(errors: &mut Vec<FieldError>, field: &str, body: &str) {
    if body.trim().is_empty() {
        errors.push(FieldError::new(field, "Write a message."));
    } else {
        check_length(errors, field, body.trim(), MAX_BODY_CHARS, true);
    }
}

/// One conversation in an inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    /// Its row.
    pub id: i64,
    /// What it is about.
    pub subject: String,
    /// The organisation it is addressed to (external id).
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Who started it, as shown (their name, and the organisation they wrote for).
    pub sender: String,
    /// The call it is about: external id and title.
    pub call: Option<(String, String)>,
    /// When the last message came.
    pub last_message_at: DateTime<Utc>,
    /// The viewer started it (else it came to an organisation they speak for).
    pub started_by_viewer: bool,
    /// The other side wrote since the viewer's side last read it.
    pub unread: bool,
}

/// One message of a conversation, as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    /// Who wrote it, as shown ("deleted account" when the account is gone).
    pub author: String,
    /// Written by the side of the organisation the conversation is addressed to.
    pub from_organisation: bool,
    /// The viewer's side wrote it.
    pub ours: bool,
    /// What it says.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A conversation with its messages, oldest first, and what the viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// The conversation.
    pub summary: ConversationSummary,
    /// Its messages.
    pub messages: Vec<MessageView>,
    /// The organisation has blocked the sender (no one can reply).
    pub blocked: bool,
    /// The viewer speaks for the organisation it is addressed to (may block and report).
    pub for_organisation: bool,
}

/// A report of abuse, as administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbuseReport {
    /// Its row.
    pub id: i64,
    /// The conversation reported.
    pub conversation_id: i64,
    /// Its subject.
    pub subject: String,
    /// Who started it (name and address, for administrators).
    pub sender: String,
    /// The organisation it was addressed to.
    pub organisation_name: String,
    /// Why it was reported.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_needs_a_subject_and_words_within_bounds() {
        let form = ContactForm {
            subject: "Consortium for DIGITAL-ECCC".into(),
            body: "Hello,\n\nwe bring cryptology.".into(),
            ..ContactForm::default()
        };
        assert!(form.mistakes().is_empty());
        let empty = ContactForm::default();
        let fields: Vec<String> = empty.mistakes().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject", "body"]);
        let hostile = ContactForm {
            subject: "a\u{1b}[31m".into(),
            body: "x".repeat(MAX_BODY_CHARS + 1),
            ..ContactForm::default()
        };
        let errors = hostile.mistakes();
        assert_eq!(errors.len(), 2);
        let forged = ContactForm {
            call_id: "x".repeat(10_000),
            ..form.clone()
        };
        assert_eq!(forged.mistakes()[0].field, "call_id");
        assert!(
            errors.iter().all(|e| !e.message.contains("x".repeat(20).as_str())),
            "never echoed"
        );
    }
}
