// Memberships, requests, administrators and the audit log, in SQL shared by both dialects
// (included by `shared.rs` as the `memberships` module). Every change writes its audit line
// in the same transaction.

use super::*;
use crate::organisation::Organisation;
use crate::people::{Membership, Role};
use crate::store::{AuditEntry, AuditRecord, JoinRequest, Member, Memberships, OutgoingMail, RequestKind};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// The columns a [`RequestRow`] is read from.
const REQUEST_COLUMNS: &str = "SELECT r.id, r.person_id, p.display_name AS person_name, p.email AS person_email, \
     o.external_id AS organisation_id, o.name AS organisation_name, r.kind, r.message, r.created_at \
     FROM join_requests r JOIN people p ON p.id = r.person_id JOIN organisations o ON o.id = r.organisation_id \
     WHERE r.state = 'pending'";

/// A request as read back.
#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    person_id: i64,
    person_name: String,
    person_email: String,
    organisation_id: String,
    organisation_name: String,
    kind: String,
    message: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<RequestRow> for JoinRequest {
    type Error = StoreError;
    fn try_from(row: RequestRow) -> Result<JoinRequest, StoreError> {
        let kind = match row.kind.as_str() {
            "join" => RequestKind::Join,
            "claim" => RequestKind::Claim,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "request {}: unknown kind {other:?}",
                    row.id
                )))
            }
        };
        Ok(JoinRequest {
            id: row.id,
            person_id: row.person_id,
            person_name: row.person_name,
            person_email: row.person_email,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            kind,
            message: row.message,
            created_at: row.created_at,
        })
    }
}

/// The role stored as `value` for `what`.
fn role(value: &str, what: &str) -> Result<Role, StoreError> {
    Role::parse(value).ok_or_else(|| StoreError::Corrupt(format!("{what}: unknown role {value:?}")))
}

/// The row id of the organisation `external_id`, or `NotFound`.
pub(super) async fn organisation_row(tx: &mut sqlx::Transaction<'_, Db>, external_id: &str) -> Result<i64, StoreError> {
    equals("SELECT id FROM organisations WHERE external_id = ", external_id)
        .build_query_scalar()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound("that organisation".into()))
}

/// Writes `audit` in the caller's transaction.
pub(super) async fn record(tx: &mut sqlx::Transaction<'_, Db>, audit: &AuditEntry) -> Result<(), StoreError> {
    let mut builder = QueryBuilder::<Db>::new(
        "INSERT INTO audit_log (at, actor_id, action, subject_id, organisation_id, detail) VALUES (",
    );
    let mut values = builder.separated(", ");
    values.push_bind(whole_seconds(audit.at));
    values.push_bind(audit.actor_id);
    values.push_bind(audit.action);
    values.push_bind(audit.subject_id);
    values.push_unseparated(", (SELECT id FROM organisations WHERE external_id = ");
    values.push_bind_unseparated(audit.organisation_id.clone());
    values.push_unseparated(")");
    values.push_bind(audit.detail.clone());
    values.push_unseparated(")");
    builder.build().execute(&mut **tx).await?;
    Ok(())
}

/// Marks the person's sessions for a new id (their rights changed), in the caller's transaction.
async fn rotate_sessions(tx: &mut sqlx::Transaction<'_, Db>, person_id: i64) -> Result<(), StoreError> {
    let mut builder = QueryBuilder::<Db>::new("UPDATE sessions SET rotate = ");
    builder.push_bind(true).push(" WHERE person_id = ").push_bind(person_id);
    builder.build().execute(&mut **tx).await?;
    Ok(())
}

/// Writes `role` (or removes the membership) in the caller's transaction, and marks the
/// person's sessions for a new id.
async fn write_membership(
    tx: &mut sqlx::Transaction<'_, Db>,
    person_id: i64,
    organisation: i64,
    role: Option<Role>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    rotate_sessions(tx, person_id).await?;
    let Some(role) = role else {
        let mut builder = QueryBuilder::<Db>::new("DELETE FROM memberships WHERE person_id = ");
        builder.push_bind(person_id);
        builder.push(" AND organisation_id = ").push_bind(organisation);
        builder.build().execute(&mut **tx).await?;
        return Ok(());
    };
    let mut builder =
        QueryBuilder::<Db>::new("INSERT INTO memberships (person_id, organisation_id, role, created_at) VALUES (");
    let mut values = builder.separated(", ");
    values.push_bind(person_id);
    values.push_bind(organisation);
    values.push_bind(role.as_str());
    values.push_bind(whole_seconds(now));
    values.push_unseparated(") ON CONFLICT (person_id, organisation_id) DO UPDATE SET role = excluded.role");
    builder.build().execute(&mut **tx).await?;
    Ok(())
}

#[async_trait]
impl Memberships for SqlStore {
    async fn memberships_of(&self, person_id: i64) -> Result<Vec<Membership>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT o.external_id, o.name, o.kind, m.role FROM memberships m \
             JOIN organisations o ON o.id = m.organisation_id WHERE m.person_id = ",
        );
        builder.push_bind(person_id).push(" ORDER BY o.name, o.external_id");
        let rows: Vec<(String, String, String, String)> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(organisation_id, organisation_name, kind, stored)| {
                let what = format!("membership of {person_id} in {organisation_id}");
                Ok(Membership {
                    role: role(&stored, &what)?,
                    organisation_kind: crate::organisation::OrganisationKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("{what}: unknown kind {kind:?}")))?,
                    organisation_id,
                    organisation_name,
                })
            })
            .collect()
    }

    async fn members_of(&self, organisation_id: &str) -> Result<Vec<Member>, StoreError> {
        let rows: Vec<(i64, String, String)> = equals(
            "SELECT p.id, p.display_name, m.role FROM memberships m JOIN people p ON p.id = m.person_id \
             JOIN organisations o ON o.id = m.organisation_id WHERE o.external_id = ",
            organisation_id,
        )
        .push(" ORDER BY p.display_name, p.id")
        .build_query_as()
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(person_id, display_name, stored)| {
                Ok(Member {
                    role: role(&stored, &format!("membership of {person_id} in {organisation_id}"))?,
                    person_id,
                    display_name,
                })
            })
            .collect()
    }

    async fn set_membership(
        &self,
        person_id: i64,
        organisation_id: &str,
        role: Option<Role>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let organisation = organisation_row(&mut tx, organisation_id).await?;
        write_membership(&mut tx, person_id, organisation, role, audit.at).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_organisation(
        &self,
        organisation: &Organisation,
        person_id: i64,
        role: Role,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        organisation.validate().map_err(StoreError::Invalid)?;
        let mut tx = self.pool.begin().await?;
        let taken: Option<i64> = equals(
            "SELECT id FROM organisations WHERE external_id = ",
            &organisation.external_id,
        )
        .build_query_scalar()
        .fetch_optional(&mut *tx)
        .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("{} is taken", organisation.external_id)));
        }
        directory::write_organisation(&mut tx, organisation, audit.at).await?;
        let row = organisation_row(&mut tx, &organisation.external_id).await?;
        write_membership(&mut tx, person_id, row, Some(role), audit.at).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn request_membership(
        &self,
        person_id: i64,
        organisation_id: &str,
        kind: RequestKind,
        message: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let organisation = organisation_row(&mut tx, organisation_id).await?;
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO join_requests (person_id, organisation_id, kind, message, created_at) VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(person_id);
        values.push_bind(organisation);
        values.push_bind(kind.as_str());
        values.push_bind(message.to_owned());
        values.push_bind(whole_seconds(now));
        values.push_unseparated(") RETURNING id");
        let id: i64 = builder
            .build_query_scalar()
            .fetch_one(&mut *tx)
            .await
            .map_err(conflict)?;
        tx.commit().await?;
        Ok(id)
    }

    async fn pending_request(&self, id: i64) -> Result<Option<JoinRequest>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(REQUEST_COLUMNS);
        builder.push(" AND r.id = ").push_bind(id);
        let row: Option<RequestRow> = builder.build_query_as().fetch_optional(&self.pool).await?;
        row.map(JoinRequest::try_from).transpose()
    }

    async fn pending_requests(&self, organisation_id: Option<&str>) -> Result<Vec<JoinRequest>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(REQUEST_COLUMNS);
        if let Some(organisation_id) = organisation_id {
            builder
                .push(" AND o.external_id = ")
                .push_bind(organisation_id.to_owned());
        }
        builder.push(" ORDER BY r.created_at, r.id LIMIT 500");
        let rows: Vec<RequestRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(JoinRequest::try_from).collect()
    }

    async fn decide_request(
        &self,
        id: i64,
        role: Option<Role>,
        audit: &AuditEntry,
        mail: Option<&OutgoingMail>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE join_requests SET state = ");
        builder.push_bind(if role.is_some() { "accepted" } else { "declined" });
        builder.push(", decided_by = ").push_bind(audit.actor_id);
        builder.push(", decided_at = ").push_bind(whole_seconds(audit.at));
        builder.push(" WHERE id = ").push_bind(id);
        builder.push(" AND state = 'pending' RETURNING person_id, organisation_id");
        let Some((person_id, organisation)): Option<(i64, i64)> =
            builder.build_query_as().fetch_optional(&mut *tx).await?
        else {
            return Ok(false);
        };
        if role.is_some() {
            write_membership(&mut tx, person_id, organisation, role, audit.at).await?;
        }
        record(&mut tx, audit).await?;
        if let Some(mail) = mail {
            mail_outbox::queue(&mut tx, mail, audit.at).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn set_admin(&self, person_id: i64, admin: bool, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET is_admin = ");
        builder.push_bind(admin).push(" WHERE id = ").push_bind(person_id);
        if builder.build().execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("person {person_id}")));
        }
        rotate_sessions(&mut tx, person_id).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_disabled(&self, person_id: i64, disabled: bool, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE people SET disabled_at = ");
        builder.push_bind(disabled.then(|| whole_seconds(audit.at)));
        builder.push(" WHERE id = ").push_bind(person_id);
        if builder.build().execute(&mut *tx).await?.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("person {person_id}")));
        }
        if disabled {
            let mut builder = QueryBuilder::<Db>::new("DELETE FROM sessions WHERE person_id = ");
            builder.push_bind(person_id).build().execute(&mut *tx).await?;
        }
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        self.audit_lines(AuditScope::All, limit).await
    }

    async fn person_activity(&self, person_id: i64, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        self.audit_lines(AuditScope::Person(person_id), limit).await
    }
}

/// Which audit lines to read.
pub(super) enum AuditScope<'a> {
    /// Every line.
    All,
    /// Lines about one organisation (its public identifier).
    Organisation(&'a str),
    /// Lines a person made or is the subject of.
    Person(i64),
}

impl SqlStore {
    /// The latest `limit` audit lines of `scope`, newest first.
    pub(super) async fn audit_lines(&self, scope: AuditScope<'_>, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        type Row = (
            DateTime<Utc>,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            String,
        );
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT a.at, CASE WHEN a.actor_id < 0 THEN 'deleted account' ELSE actor.display_name END, a.action, \
             CASE WHEN a.subject_id < 0 THEN 'deleted account' ELSE subject.display_name END, o.name, a.detail \
             FROM audit_log a \
             LEFT JOIN people actor ON actor.id = a.actor_id LEFT JOIN people subject ON subject.id = a.subject_id \
             LEFT JOIN organisations o ON o.id = a.organisation_id",
        );
        match scope {
            AuditScope::All => {}
            AuditScope::Organisation(organisation_id) => {
                builder
                    .push(" WHERE o.external_id = ")
                    .push_bind(organisation_id.to_owned());
            }
            AuditScope::Person(person_id) => {
                builder.push(" WHERE a.actor_id = ").push_bind(person_id);
                builder.push(" OR a.subject_id = ").push_bind(person_id);
            }
        }
        builder.push(" ORDER BY a.id DESC LIMIT ").push_bind(i64::from(limit));
        let rows: Vec<Row> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(at, actor, action, subject, organisation, detail)| AuditRecord {
                at,
                actor,
                action,
                subject,
                organisation,
                detail,
            })
            .collect())
    }
}
