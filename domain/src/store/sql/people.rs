// Accounts, tokens, sessions and rate-limit counters, in SQL shared by both dialects
// (included by `shared.rs` as the `people` module).

use super::*;
use crate::people::email_key;
use crate::store::{EmailToken, NewPerson, OutgoingMail, People, Person, RateLimits, Session, TokenPurpose};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// The columns a [`PersonRow`] is read from.
const PERSON_COLUMNS: &str = "SELECT id, email, display_name, password_hash, email_verified_at, language, time_zone, \
                              is_admin, disabled_at, created_at FROM people";

/// The columns a [`SessionRow`] is read from.
const SESSION_COLUMNS: &str = "SELECT id_digest, person_id, created_at, last_seen_at, user_agent, rotate FROM sessions";

/// A person as read back.
#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    email: String,
    display_name: String,
    password_hash: String,
    email_verified_at: Option<DateTime<Utc>>,
    language: String,
    time_zone: String,
    is_admin: bool,
    disabled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Person {
        Person {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            password_hash: row.password_hash,
            email_verified_at: row.email_verified_at,
            language: row.language,
            time_zone: row.time_zone,
            is_admin: row.is_admin,
            disabled_at: row.disabled_at,
            created_at: row.created_at,
        }
    }
}

/// A token as read back.
#[derive(sqlx::FromRow)]
struct TokenRow {
    token_digest: String,
    person_id: i64,
    purpose: String,
    new_email: Option<String>,
    expires_at: DateTime<Utc>,
}

/// A session as read back.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id_digest: String,
    person_id: i64,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    user_agent: String,
    rotate: bool,
}

impl From<SessionRow> for Session {
    fn from(row: SessionRow) -> Session {
        Session {
            digest: row.id_digest,
            person_id: row.person_id,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            user_agent: row.user_agent,
            rotate: row.rotate,
        }
    }
}

/// The purpose stored as `value`.
fn purpose(value: &str) -> Result<TokenPurpose, StoreError> {
    match value {
        "verify" => Ok(TokenPurpose::Verify),
        "reset" => Ok(TokenPurpose::Reset),
        "change_email" => Ok(TokenPurpose::ChangeEmail),
        other => Err(StoreError::Corrupt(format!("unknown token purpose {other:?}"))),
    }
}

/// `sql` followed by one bound id (e.g. `"… WHERE person_id = "`, id).
fn with_id<'a>(sql: &str, id: i64) -> QueryBuilder<'a, Db> {
    let mut builder = QueryBuilder::new(sql);
    builder.push_bind(id);
    builder
}

/// Stores `token` in the caller's transaction.
async fn insert_token(
    tx: &mut sqlx::Transaction<'_, Db>,
    token: &EmailToken,
    person_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut builder = QueryBuilder::<Db>::new(
        "INSERT INTO email_tokens (token_digest, person_id, purpose, new_email, created_at, expires_at) VALUES (",
    );
    let mut values = builder.separated(", ");
    values.push_bind(token.digest.clone());
    values.push_bind(person_id);
    values.push_bind(token.purpose.as_str());
    values.push_bind(token.new_email.clone());
    values.push_bind(whole_seconds(now));
    values.push_bind(whole_seconds(token.expires_at));
    values.push_unseparated(")");
    builder.build().execute(&mut **tx).await.map_err(conflict)?;
    Ok(())
}

#[async_trait]
impl People for SqlStore {
    async fn create_person(
        &self,
        person: &NewPerson,
        token: Option<(&EmailToken, &OutgoingMail)>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let now = whole_seconds(now);
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO people (email, email_key, display_name, password_hash, email_verified_at, is_admin, \
             created_at) VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(person.email.trim().to_owned());
        values.push_bind(email_key(&person.email));
        values.push_bind(person.display_name.trim().to_owned());
        values.push_bind(person.password_hash.clone());
        values.push_bind(person.verified.then_some(now));
        values.push_bind(person.is_admin);
        values.push_bind(now);
        values.push_unseparated(") RETURNING id");
        let id: i64 = builder
            .build_query_scalar()
            .fetch_one(&mut *tx)
            .await
            .map_err(conflict)?;
        if let Some((token, mail)) = token {
            insert_token(&mut tx, token, id, now).await?;
            mail_outbox::queue(&mut tx, mail, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn person_by_email(&self, email: &str) -> Result<Option<Person>, StoreError> {
        let sql = format!("{PERSON_COLUMNS} WHERE email_key = ");
        let row: Option<PersonRow> = equals(&sql, &email_key(email))
            .build_query_as()
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Person::from))
    }

    async fn person(&self, id: i64) -> Result<Option<Person>, StoreError> {
        let sql = format!("{PERSON_COLUMNS} WHERE id = ");
        let row: Option<PersonRow> = with_id(&sql, id).build_query_as().fetch_optional(&self.pool).await?;
        Ok(row.map(Person::from))
    }

    async fn issue_token(&self, token: &EmailToken, mail: &OutgoingMail, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_token(&mut tx, token, token.person_id, now).await?;
        mail_outbox::queue(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn use_token(
        &self,
        digest: &str,
        purpose_wanted: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<EmailToken>, StoreError> {
        let now = whole_seconds(now);
        let mut builder = QueryBuilder::<Db>::new("UPDATE email_tokens SET used_at = ");
        builder.push_bind(now);
        builder.push(" WHERE token_digest = ").push_bind(digest.to_owned());
        builder.push(" AND purpose = ").push_bind(purpose_wanted.as_str());
        builder.push(" AND used_at IS NULL AND expires_at > ").push_bind(now);
        builder.push(" RETURNING token_digest, person_id, purpose, new_email, expires_at");
        let row: Option<TokenRow> = builder.build_query_as().fetch_optional(&self.pool).await?;
        row.map(|row| {
            Ok(EmailToken {
                digest: row.token_digest,
                person_id: row.person_id,
                purpose: purpose(&row.purpose)?,
                new_email: row.new_email,
                expires_at: row.expires_at,
            })
        })
        .transpose()
    }

    async fn rename(&self, person_id: i64, display_name: &str) -> Result<(), StoreError> {
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET display_name = ");
        builder.push_bind(display_name.to_owned());
        builder.push(" WHERE id = ").push_bind(person_id);
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn mark_verified(&self, person_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET email_verified_at = COALESCE(email_verified_at, ");
        builder.push_bind(whole_seconds(now));
        builder.push(") WHERE id = ").push_bind(person_id);
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn set_password(
        &self,
        person_id: i64,
        password_hash: &str,
        keep: Option<&str>,
        mail: Option<&OutgoingMail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET password_hash = ");
        builder.push_bind(password_hash.to_owned());
        builder.push(" WHERE id = ").push_bind(person_id);
        builder.build().execute(&mut *tx).await?;
        let mut builder = with_id("DELETE FROM sessions WHERE person_id = ", person_id);
        if let Some(keep) = keep {
            builder.push(" AND id_digest <> ").push_bind(keep.to_owned());
        }
        builder.build().execute(&mut *tx).await?;
        if let Some(mail) = mail {
            mail_outbox::queue(&mut tx, mail, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn change_email(
        &self,
        person_id: i64,
        new_email: &str,
        mail: &OutgoingMail,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = whole_seconds(now);
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET email = ");
        builder.push_bind(new_email.trim().to_owned());
        builder.push(", email_key = ").push_bind(email_key(new_email));
        builder.push(", email_verified_at = ").push_bind(now);
        builder.push(" WHERE id = ").push_bind(person_id);
        builder.build().execute(&mut *tx).await.map_err(conflict)?;
        mail_outbox::queue(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn start_session(&self, session: &Session, replacing: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some(old) = replacing {
            equals("DELETE FROM sessions WHERE id_digest = ", old)
                .build()
                .execute(&mut *tx)
                .await?;
        }
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO sessions (id_digest, person_id, created_at, last_seen_at, user_agent) VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(session.digest.clone());
        values.push_bind(session.person_id);
        values.push_bind(whole_seconds(session.created_at));
        values.push_bind(whole_seconds(session.last_seen_at));
        values.push_bind(session.user_agent.clone());
        values.push_unseparated(")");
        builder.build().execute(&mut *tx).await.map_err(conflict)?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET last_seen_at = ");
        builder.push_bind(whole_seconds(session.last_seen_at));
        builder.push(" WHERE id = ").push_bind(session.person_id);
        builder.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, digest: &str) -> Result<Option<Session>, StoreError> {
        let row: Option<SessionRow> = equals(&format!("{SESSION_COLUMNS} WHERE id_digest = "), digest)
            .build_query_as()
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Session::from))
    }

    async fn touch_session(&self, digest: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let now = whole_seconds(now);
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE sessions SET last_seen_at = ");
        builder.push_bind(now);
        builder.push(" WHERE id_digest = ").push_bind(digest.to_owned());
        builder.build().execute(&mut *tx).await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET last_seen_at = ");
        builder.push_bind(now);
        builder.push(" WHERE id = (SELECT person_id FROM sessions WHERE id_digest = ");
        builder.push_bind(digest.to_owned()).push(")");
        builder.build().execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn sessions_of(&self, person_id: i64) -> Result<Vec<Session>, StoreError> {
        let mut builder = with_id(&format!("{SESSION_COLUMNS} WHERE person_id = "), person_id);
        builder.push(" ORDER BY last_seen_at DESC, id_digest");
        let rows: Vec<SessionRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(Session::from).collect())
    }

    async fn end_session(&self, person_id: i64, digest: &str) -> Result<bool, StoreError> {
        let mut builder = with_id("DELETE FROM sessions WHERE person_id = ", person_id);
        builder.push(" AND id_digest = ").push_bind(digest.to_owned());
        Ok(builder.build().execute(&self.pool).await?.rows_affected() == 1)
    }

    async fn end_all_sessions(&self, person_id: i64) -> Result<u64, StoreError> {
        let done = with_id("DELETE FROM sessions WHERE person_id = ", person_id)
            .build()
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    async fn delete_person(&self, person_id: i64, audit: &crate::store::AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let email: String = with_id("SELECT email FROM people WHERE id = ", person_id)
            .build_query_scalar()
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound("that account".into()))?;
        super::memberships::record(&mut tx, audit).await?;
        // Tombstones, this deletion's own line included: the negative id names no one (SQLite
        // may hand a deleted row's id to the next account; a line must never read as theirs).
        for column in ["actor_id", "subject_id"] {
            let mut builder = QueryBuilder::<Db>::new("UPDATE audit_log SET ");
            builder
                .push(column)
                .push(" = -")
                .push(column)
                .push(" WHERE ")
                .push(column);
            builder.push(" = ").push_bind(person_id);
            builder.build().execute(&mut *tx).await?;
        }
        equals("DELETE FROM mail_outbox WHERE recipient = ", &email)
            .build()
            .execute(&mut *tx)
            .await?;
        equals("DELETE FROM rate_limits WHERE key = ", &email_key(&email))
            .build()
            .execute(&mut *tx)
            .await?;
        with_id("DELETE FROM people WHERE id = ", person_id)
            .build()
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// `sql` (a statement on `rate_limits`) for one key's counter in one window.
fn window<'a>(sql: &str, bucket: &str, key: &str, window_start: DateTime<Utc>) -> QueryBuilder<'a, Db> {
    let mut builder = QueryBuilder::new(sql);
    builder.push(" WHERE bucket = ").push_bind(bucket.to_owned());
    builder.push(" AND key = ").push_bind(key.to_owned());
    builder
        .push(" AND window_start = ")
        .push_bind(whole_seconds(window_start));
    builder
}

#[async_trait]
impl RateLimits for SqlStore {
    async fn hit(&self, bucket: &str, key: &str, window_start: DateTime<Utc>) -> Result<u32, StoreError> {
        let window_start = whole_seconds(window_start);
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("DELETE FROM rate_limits WHERE bucket = ");
        builder.push_bind(bucket.to_owned());
        builder.push(" AND key = ").push_bind(key.to_owned());
        builder.push(" AND window_start < ").push_bind(window_start);
        builder.build().execute(&mut *tx).await?;
        let mut builder = QueryBuilder::<Db>::new("INSERT INTO rate_limits (bucket, key, window_start, hits) VALUES (");
        let mut values = builder.separated(", ");
        values.push_bind(bucket.to_owned());
        values.push_bind(key.to_owned());
        values.push_bind(window_start);
        values.push_bind(1_i32);
        values.push_unseparated(
            ") ON CONFLICT (bucket, key, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
        );
        let hits: i32 = builder.build_query_scalar().fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(u32::try_from(hits).unwrap_or(0))
    }

    async fn hits(&self, bucket: &str, key: &str, window_start: DateTime<Utc>) -> Result<u32, StoreError> {
        let mut builder = window("SELECT hits FROM rate_limits", bucket, key, window_start);
        let hits: Option<i32> = builder.build_query_scalar().fetch_optional(&self.pool).await?;
        Ok(hits.map_or(0, |hits| u32::try_from(hits).unwrap_or(0)))
    }

    async fn clear(&self, bucket: &str, key: &str, window_start: DateTime<Utc>) -> Result<(), StoreError> {
        window("DELETE FROM rate_limits", bucket, key, window_start)
            .build()
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
