// The mail outbox, in SQL shared by both dialects (included by `shared.rs` as the
// `mail_outbox` module). Leasing appends the dialect's `SKIP_LOCKED_ROWS`.

use super::*;
use crate::store::{DeadLetter, LeasedMail, MailBacklog, MailOutbox, OutgoingMail};
use crate::time::whole_seconds;
use chrono::{DateTime, Duration, Utc};

/// A leased row as read back.
#[derive(sqlx::FromRow)]
struct LeasedRow {
    id: i64,
    message_id: String,
    recipient: String,
    subject: String,
    text_body: String,
    html_body: String,
    attempts: i32,
    list_unsubscribe: Option<String>,
}

/// A dead row as read back.
#[derive(sqlx::FromRow)]
struct DeadRow {
    id: i64,
    recipient: String,
    subject: String,
    attempts: i32,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
}

/// Queues `mail` in the caller's transaction (what caused it commits with it) unless its
/// idempotency key is queued already; returns whether it was queued now.
pub(super) async fn queue(
    tx: &mut sqlx::Transaction<'_, Db>,
    mail: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    mail.validate().map_err(StoreError::Invalid)?;
    let mut builder = QueryBuilder::<Db>::new(
        "INSERT INTO mail_outbox (idempotency_key, message_id, recipient, subject, text_body, html_body, \
         list_unsubscribe, next_attempt_at, created_at) VALUES (",
    );
    let mut values = builder.separated(", ");
    values.push_bind(mail.idempotency_key.clone());
    values.push_bind(mail.message_id.clone());
    values.push_bind(mail.recipient.clone());
    values.push_bind(mail.subject.clone());
    values.push_bind(mail.text_body.clone());
    values.push_bind(mail.html_body.clone());
    values.push_bind(mail.list_unsubscribe.clone());
    values.push_bind(whole_seconds(now));
    values.push_bind(whole_seconds(now));
    values.push_unseparated(") ON CONFLICT (idempotency_key) DO NOTHING");
    let done = builder.build().execute(&mut **tx).await.map_err(conflict)?;
    Ok(done.rows_affected() == 1)
}

#[async_trait]
impl MailOutbox for SqlStore {
    async fn queue_mail(&self, mail: &OutgoingMail, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let queued = queue(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(queued)
    }

    async fn lease_due_mail(
        &self,
        now: DateTime<Utc>,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<LeasedMail>, StoreError> {
        let now = whole_seconds(now);
        let mut builder = QueryBuilder::<Db>::new("UPDATE mail_outbox SET leased_until = ");
        builder.push_bind(whole_seconds(now + lease));
        builder.push(
            ", attempts = attempts + 1 WHERE id IN (SELECT id FROM mail_outbox \
             WHERE state = 'pending' AND next_attempt_at <= ",
        );
        builder.push_bind(now);
        builder.push(" AND (leased_until IS NULL OR leased_until <= ");
        builder.push_bind(now);
        builder.push(") ORDER BY id LIMIT ").push_bind(i64::from(limit));
        builder.push(SKIP_LOCKED_ROWS);
        builder.push(
            ") RETURNING id, message_id, recipient, subject, text_body, html_body, attempts, \
             list_unsubscribe",
        );
        let mut rows: Vec<LeasedRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.sort_by_key(|row| row.id);
        Ok(rows
            .into_iter()
            .map(|row| LeasedMail {
                id: row.id,
                message_id: row.message_id,
                recipient: row.recipient,
                subject: row.subject,
                text_body: row.text_body,
                html_body: row.html_body,
                attempts: u32::try_from(row.attempts).unwrap_or(0),
                list_unsubscribe: row.list_unsubscribe,
            })
            .collect())
    }

    async fn mark_mail_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut builder =
            QueryBuilder::<Db>::new("UPDATE mail_outbox SET state = 'sent', leased_until = NULL, sent_at = ");
        builder.push_bind(whole_seconds(now));
        builder.push(" WHERE id = ").push_bind(id);
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn mark_mail_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<(), StoreError> {
        // A server's multi-line reply kept on one line, words apart, bounded.
        let error = crate::sanitize::clean_line(&crate::sanitize::collapse_whitespace(error), 1_000);
        let mut builder = QueryBuilder::<Db>::new("UPDATE mail_outbox SET leased_until = NULL, last_error = ");
        builder.push_bind(error);
        match retry_at {
            Some(at) => {
                builder.push(", next_attempt_at = ").push_bind(whole_seconds(at));
            }
            None => {
                builder.push(", state = 'dead'");
            }
        }
        builder.push(" WHERE id = ").push_bind(id);
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn mail_backlog(&self) -> Result<MailBacklog, StoreError> {
        let (pending, oldest, dead): (i64, Option<DateTime<Utc>>, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM mail_outbox WHERE state = 'pending'), \
             (SELECT MIN(created_at) FROM mail_outbox WHERE state = 'pending'), \
             (SELECT COUNT(*) FROM mail_outbox WHERE state = 'dead')",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(MailBacklog {
            pending: u64::try_from(pending).unwrap_or(0),
            oldest,
            dead: u64::try_from(dead).unwrap_or(0),
        })
    }

    async fn dead_mail(&self, limit: u32) -> Result<Vec<DeadLetter>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT id, recipient, subject, attempts, last_error, created_at FROM mail_outbox \
             WHERE state = 'dead' ORDER BY id DESC LIMIT ",
        );
        builder.push_bind(i64::from(limit));
        let rows: Vec<DeadRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|row| DeadLetter {
                id: row.id,
                recipient: row.recipient,
                subject: row.subject,
                attempts: u32::try_from(row.attempts).unwrap_or(0),
                last_error: row.last_error,
                created_at: row.created_at,
            })
            .collect())
    }
}
