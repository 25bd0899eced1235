// Conversations, messages, blocks and abuse reports, in SQL shared by both dialects (included
// by `shared.rs` as the `messages` module).

use super::mail_outbox::queue;
use super::memberships::{organisation_row, record};
use super::*;
use crate::store::{
    AbuseReport, AuditEntry, ConversationRecord, MessageRecord, Messages, NewConversation, OutgoingMail, StoreError,
};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// The columns a [`ConversationRow`] is read from.
const CONVERSATION_COLUMNS: &str = "SELECT v.id, o.external_id AS organisation_id, o.name AS organisation_name, \
     v.person_id, p.display_name AS person_name, p.email AS person_email, s.name AS sender_organisation, \
     c.external_id AS call_id, c.title AS call_title, v.subject, v.last_message_at, v.sender_read_at, \
     v.recipient_read_at \
     FROM conversations v JOIN organisations o ON o.id = v.organisation_id JOIN people p ON p.id = v.person_id \
     LEFT JOIN organisations s ON s.id = v.sender_organisation_id LEFT JOIN calls c ON c.id = v.call_id";

/// A conversation as read back.
#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    organisation_id: String,
    organisation_name: String,
    person_id: i64,
    person_name: String,
    person_email: String,
    sender_organisation: Option<String>,
    call_id: Option<String>,
    call_title: Option<String>,
    subject: String,
    last_message_at: DateTime<Utc>,
    sender_read_at: Option<DateTime<Utc>>,
    recipient_read_at: Option<DateTime<Utc>>,
}

impl From<ConversationRow> for ConversationRecord {
    fn from(row: ConversationRow) -> ConversationRecord {
        ConversationRecord {
            id: row.id,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            person_id: row.person_id,
            person_name: row.person_name,
            person_email: row.person_email,
            sender_organisation: row.sender_organisation,
            call: row.call_id.zip(row.call_title),
            subject: row.subject,
            last_message_at: row.last_message_at,
            sender_read_at: row.sender_read_at,
            recipient_read_at: row.recipient_read_at,
        }
    }
}

/// A message as read back.
#[derive(sqlx::FromRow)]
struct MessageRow {
    author_id: Option<i64>,
    author_name: Option<String>,
    from_organisation: bool,
    body: String,
    created_at: DateTime<Utc>,
}

impl From<MessageRow> for MessageRecord {
    fn from(row: MessageRow) -> MessageRecord {
        MessageRecord {
            author_id: row.author_id,
            author_name: row.author_name,
            from_organisation: row.from_organisation,
            body: row.body,
            created_at: row.created_at,
        }
    }
}

/// The columns a [`MessageRow`] is read from.
const MESSAGE_COLUMNS: &str = "SELECT m.author_id, p.display_name AS author_name, m.from_organisation, m.body, \
     m.created_at FROM conversation_messages m LEFT JOIN people p ON p.id = m.author_id";

/// Writes one message in the caller's transaction and moves the conversation's clock.
async fn write_message(
    tx: &mut sqlx::Transaction<'_, Db>,
    conversation_id: i64,
    author_id: i64,
    from_organisation: bool,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut builder = QueryBuilder::<Db>::new(
        "INSERT INTO conversation_messages (conversation_id, author_id, from_organisation, body, created_at) VALUES (",
    );
    let mut values = builder.separated(", ");
    values.push_bind(conversation_id);
    values.push_bind(author_id);
    values.push_bind(from_organisation);
    values.push_bind(body.to_owned());
    values.push_bind(whole_seconds(now));
    values.push_unseparated(")");
    builder.build().execute(&mut **tx).await?;
    let side = if from_organisation {
        "recipient_read_at"
    } else {
        "sender_read_at"
    };
    let mut update = QueryBuilder::<Db>::new("UPDATE conversations SET last_message_at = ");
    update.push_bind(whole_seconds(now));
    update.push(", ").push(side).push(" = ").push_bind(whole_seconds(now));
    update.push(" WHERE id = ").push_bind(conversation_id);
    if update.build().execute(&mut **tx).await?.rows_affected() == 0 {
        return Err(StoreError::NotFound("that conversation".into()));
    }
    Ok(())
}

#[async_trait]
impl Messages for SqlStore {
    async fn start_conversation(
        &self,
        conversation: &NewConversation,
        now: DateTime<Utc>,
        mails: &[OutgoingMail],
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let organisation = organisation_row(&mut tx, &conversation.organisation_id).await?;
        let sender_organisation = match &conversation.sender_organisation_id {
            Some(id) => Some(organisation_row(&mut tx, id).await?),
            None => None,
        };
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO conversations (organisation_id, person_id, sender_organisation_id, call_id, subject, \
             created_at, last_message_at) VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(organisation);
        values.push_bind(conversation.person_id);
        values.push_bind(sender_organisation);
        values.push("(SELECT id FROM calls WHERE external_id = ");
        values.push_bind_unseparated(conversation.call_id.clone());
        values.push_unseparated(")");
        values.push_bind(conversation.subject.clone());
        values.push_bind(whole_seconds(now));
        values.push_bind(whole_seconds(now));
        values.push_unseparated(") RETURNING id");
        let id: i64 = builder.build_query_scalar().fetch_one(&mut *tx).await?;
        write_message(&mut tx, id, conversation.person_id, false, &conversation.body, now).await?;
        for mail in mails {
            queue(&mut tx, mail, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn add_message(
        &self,
        conversation_id: i64,
        author_id: i64,
        from_organisation: bool,
        body: &str,
        now: DateTime<Utc>,
        mails: &[OutgoingMail],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        write_message(&mut tx, conversation_id, author_id, from_organisation, body, now).await?;
        for mail in mails {
            queue(&mut tx, mail, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn conversations(
        &self,
        person_id: i64,
        organisations: &[String],
        limit: u32,
    ) -> Result<Vec<ConversationRecord>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(CONVERSATION_COLUMNS);
        builder.push(" WHERE v.person_id = ").push_bind(person_id);
        if !organisations.is_empty() {
            builder.push(" OR o.external_id");
            push_any_of(&mut builder, organisations.iter().take(500).cloned());
        }
        builder.push(" ORDER BY v.last_message_at DESC, v.id DESC LIMIT ");
        builder.push_bind(i64::from(limit));
        let rows: Vec<ConversationRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(ConversationRecord::from).collect())
    }

    async fn conversation(&self, id: i64) -> Result<Option<(ConversationRecord, Vec<MessageRecord>)>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(CONVERSATION_COLUMNS);
        builder.push(" WHERE v.id = ").push_bind(id);
        let Some(row) = builder
            .build_query_as::<ConversationRow>()
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let mut messages = QueryBuilder::<Db>::new(MESSAGE_COLUMNS);
        messages
            .push(" WHERE m.conversation_id = ")
            .push_bind(id)
            .push(" ORDER BY m.id");
        let rows: Vec<MessageRow> = messages.build_query_as().fetch_all(&self.pool).await?;
        Ok(Some((row.into(), rows.into_iter().map(MessageRecord::from).collect())))
    }

    async fn mark_read(&self, id: i64, organisation_side: bool, now: DateTime<Utc>) -> Result<(), StoreError> {
        let side = if organisation_side {
            "recipient_read_at"
        } else {
            "sender_read_at"
        };
        let mut builder = QueryBuilder::<Db>::new("UPDATE conversations SET ");
        builder.push(side).push(" = ").push_bind(whole_seconds(now));
        builder.push(" WHERE id = ").push_bind(id);
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn set_blocked(
        &self,
        organisation_id: &str,
        person_id: i64,
        blocked: bool,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let organisation = organisation_row(&mut tx, organisation_id).await?;
        if blocked {
            let mut builder = QueryBuilder::<Db>::new(
                "INSERT INTO blocked_senders (organisation_id, person_id, blocked_by, created_at) VALUES (",
            );
            let mut values = builder.separated(", ");
            values.push_bind(organisation);
            values.push_bind(person_id);
            values.push_bind(audit.actor_id);
            values.push_bind(whole_seconds(now));
            values.push_unseparated(") ON CONFLICT (organisation_id, person_id) DO NOTHING");
            builder.build().execute(&mut *tx).await?;
        } else {
            let mut builder = QueryBuilder::<Db>::new("DELETE FROM blocked_senders WHERE organisation_id = ");
            builder
                .push_bind(organisation)
                .push(" AND person_id = ")
                .push_bind(person_id);
            builder.build().execute(&mut *tx).await?;
        }
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn is_blocked(&self, organisation_id: &str, person_id: i64) -> Result<bool, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) FROM blocked_senders b JOIN organisations o ON o.id = b.organisation_id \
             WHERE o.external_id = ",
        );
        builder
            .push_bind(organisation_id.to_owned())
            .push(" AND b.person_id = ")
            .push_bind(person_id);
        let count: i64 = builder.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(count > 0)
    }

    async fn report_abuse(
        &self,
        conversation_id: i64,
        reporter_id: i64,
        reason: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO abuse_reports (conversation_id, reporter_id, reason, created_at) VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(conversation_id);
        values.push_bind(reporter_id);
        values.push_bind(reason.to_owned());
        values.push_bind(whole_seconds(now));
        values.push_unseparated(")");
        builder.build().execute(&mut *tx).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn abuse_reports(&self, limit: u32) -> Result<Vec<AbuseReport>, StoreError> {
        type Row = (i64, i64, String, String, String, String, String, DateTime<Utc>);
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT r.id, v.id, v.subject, p.display_name, p.email, o.name, r.reason, r.created_at \
             FROM abuse_reports r JOIN conversations v ON v.id = r.conversation_id \
             JOIN people p ON p.id = v.person_id JOIN organisations o ON o.id = v.organisation_id \
             ORDER BY r.created_at DESC, r.id DESC LIMIT ",
        );
        builder.push_bind(i64::from(limit));
        let rows: Vec<Row> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, conversation_id, subject, name, email, organisation_name, reason, created_at)| AbuseReport {
                    id,
                    conversation_id,
                    subject,
                    sender: format!("{name} <{email}>"),
                    organisation_name,
                    reason,
                    created_at,
                },
            )
            .collect())
    }

    async fn messages_by(&self, person_id: i64, limit: u32) -> Result<Vec<MessageRecord>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(MESSAGE_COLUMNS);
        builder.push(" WHERE m.author_id = ").push_bind(person_id);
        builder.push(" ORDER BY m.id LIMIT ").push_bind(i64::from(limit));
        let rows: Vec<MessageRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(MessageRecord::from).collect())
    }
}
