//! Where members' messages are kept: conversations addressed to organisations, their
//! messages, the senders organisations blocked and the abuse reported — each write with its
//! mail (and audit line, where it is an act on someone) in one transaction.

use super::{AuditEntry, OutgoingMail, StoreError};
pub use crate::contact::AbuseReport;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A conversation to start (already checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversation {
    /// The organisation it is addressed to (external id).
    pub organisation_id: String,
    /// Who starts it.
    pub person_id: i64,
    /// The organisation they write for (external id), if any.
    pub sender_organisation_id: Option<String>,
    /// The call it is about (external id), if any.
    pub call_id: Option<String>,
    /// What it is about.
    pub subject: String,
    /// The first message.
    pub body: String,
}

/// A conversation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationRecord {
    /// Its row.
    pub id: i64,
    /// The organisation it is addressed to (external id).
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Who started it.
    pub person_id: i64,
    /// Their name.
    pub person_name: String,
    /// Their address (for administrators only).
    pub person_email: String,
    /// The organisation they wrote for, by name.
    pub sender_organisation: Option<String>,
    /// The call it is about: external id and title.
    pub call: Option<(String, String)>,
    /// What it is about.
    pub subject: String,
    /// When the last message came.
    pub last_message_at: DateTime<Utc>,
    /// When the sender last read it.
    pub sender_read_at: Option<DateTime<Utc>>,
    /// When the organisation's side last read it.
    pub recipient_read_at: Option<DateTime<Utc>>,
}

/// A message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    /// Who wrote it (gone when the account was deleted).
    pub author_id: Option<i64>,
    /// Their name.
    pub author_name: Option<String>,
    /// Written by the organisation's side.
    pub from_organisation: bool,
    /// What it says.
    pub body: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Conversations, messages, blocks and abuse reports.
#[async_trait]
pub trait Messages: Send + Sync {
    /// Starts a conversation with its first message and `mails`; returns its row.
    async fn start_conversation(
        &self,
        conversation: &NewConversation,
        now: DateTime<Utc>,
        mails: &[OutgoingMail],
    ) -> Result<i64, StoreError>;

    /// Adds a message (the writer's side has read everything before it) with `mails`.
    async fn add_message(
        &self,
        conversation_id: i64,
        author_id: i64,
        from_organisation: bool,
        body: &str,
        now: DateTime<Utc>,
        mails: &[OutgoingMail],
    ) -> Result<(), StoreError>;

    /// The conversations the person started or that are addressed to one of `organisations`,
    /// latest first, at most `limit`.
    async fn conversations(
        &self,
        person_id: i64,
        organisations: &[String],
        limit: u32,
    ) -> Result<Vec<ConversationRecord>, StoreError>;

    /// One conversation and its messages, oldest first.
    async fn conversation(&self, id: i64) -> Result<Option<(ConversationRecord, Vec<MessageRecord>)>, StoreError>;

    /// Notes that one side (`organisation_side` or the sender) read the conversation at `now`.
    async fn mark_read(&self, id: i64, organisation_side: bool, now: DateTime<Utc>) -> Result<(), StoreError>;

    /// Blocks the person from writing to the organisation (or lets them again), with `audit`.
    async fn set_blocked(
        &self,
        organisation_id: &str,
        person_id: i64,
        blocked: bool,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// Whether the organisation blocked the person.
    async fn is_blocked(&self, organisation_id: &str, person_id: i64) -> Result<bool, StoreError>;

    /// Records a report of abuse on a conversation, with `audit`.
    async fn report_abuse(
        &self,
        conversation_id: i64,
        reporter_id: i64,
        reason: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// The latest reports, newest first.
    async fn abuse_reports(&self, limit: u32) -> Result<Vec<AbuseReport>, StoreError>;

    /// Messages the person wrote, oldest first (for their download).
    async fn messages_by(&self, person_id: i64, limit: u32) -> Result<Vec<MessageRecord>, StoreError>;
}
