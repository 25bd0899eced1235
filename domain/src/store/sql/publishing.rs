// Funding bodies' calls through their workflow, in SQL shared by both dialects (included by
// `shared.rs` as the `publishing` module). Every move is a compare-and-set on the call's state,
// written with its audit line, its version and its index update in one transaction.

use super::calls::Visibility;
use super::memberships::{organisation_row, record};
use super::*;
use crate::call::InstrumentKind;
use crate::publishing::{CallState, CallVersion, FieldChange, OwnedCall};
use crate::store::publishing::{CallRecord, NewVersion, Publishing, StateChange};
use crate::store::{AuditEntry, AuditRecord, IndexedEntity, NewCall};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// How many scheduled calls one pass of the publication job publishes.
const DUE_BATCH: i64 = 100;
/// The most calls a funding body's dashboard lists.
const DASHBOARD_CALLS: i64 = 500;

fn state(value: &str, call: &str) -> Result<CallState, StoreError> {
    CallState::parse(value).ok_or_else(|| StoreError::Corrupt(format!("calls {call:?}: unknown state {value:?}")))
}

/// Records `version` of the call row `call_id`, numbered after the last one.
async fn insert_version(
    tx: &mut sqlx::Transaction<'_, Db>,
    call_id: i64,
    version: &NewVersion,
) -> Result<(), StoreError> {
    let changes = serde_json::to_string(&version.changes).expect("changes always serialise");
    let mut builder = QueryBuilder::<Db>::new(
        "INSERT INTO call_versions (call_id, number, saved_at, saved_by, material, note, changes) VALUES (",
    );
    builder.push_bind(call_id);
    builder.push(", (SELECT COALESCE(MAX(number), 0) + 1 FROM call_versions WHERE call_id = ");
    builder.push_bind(call_id);
    builder.push("), ");
    let mut values = builder.separated(", ");
    values.push_bind(whole_seconds(version.at));
    values.push_bind(version.saved_by);
    values.push_bind(version.material());
    values.push_bind(version.note.clone());
    values.push_bind(changes);
    values.push_unseparated(")");
    builder.build().execute(&mut **tx).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    organisation_id: String,
    organisation_name: String,
    state: String,
    publish_at: Option<DateTime<Utc>>,
    submitted_by: Option<i64>,
    submitted_by_name: Option<String>,
    review_comment: Option<String>,
}

#[derive(sqlx::FromRow)]
struct OwnedRow {
    external_id: String,
    title: String,
    instrument_kind: String,
    state: String,
    publish_at: Option<DateTime<Utc>>,
    review_comment: Option<String>,
    updated_at: DateTime<Utc>,
    next_deadline: Option<DateTime<Utc>>,
}

#[async_trait]
impl Publishing for SqlStore {
    async fn create_call(
        &self,
        call: &NewCall,
        organisation_id: &str,
        publish_at: Option<DateTime<Utc>>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let owner = organisation_row(&mut tx, organisation_id).await?;
        let taken: Option<i64> = equals("SELECT id FROM calls WHERE external_id = ", call.external_id.trim())
            .build_query_scalar()
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "the reference {} is already used by a call",
                call.external_id.trim()
            )));
        }
        Self::upsert_call(&mut tx, call, audit.at, Some(owner)).await?;
        let mut draft = QueryBuilder::<Db>::new("UPDATE calls SET state = ");
        draft.push_bind(CallState::Draft.as_str());
        draft.push(", publish_at = ").push_bind(publish_at.map(whole_seconds));
        draft
            .push(" WHERE external_id = ")
            .push_bind(call.external_id.trim().to_owned());
        draft.build().execute(&mut *tx).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn call_record(&self, external_id: &str) -> Result<Option<CallRecord>, StoreError> {
        let row: Option<RecordRow> = equals(
            "SELECT o.external_id AS organisation_id, o.name AS organisation_name, c.state, c.publish_at, \
             c.submitted_by, p.display_name AS submitted_by_name, c.review_comment FROM calls c \
             JOIN organisations o ON o.id = c.owner_organisation_id LEFT JOIN people p ON p.id = c.submitted_by \
             WHERE c.external_id = ",
            external_id,
        )
        .build_query_as()
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let ids = [external_id.to_owned()];
        let Some(detail) = self.details(&ids, DateTime::UNIX_EPOCH, Visibility::Any).await?.pop() else {
            return Ok(None);
        };
        Ok(Some(CallRecord {
            call: NewCall::from(&detail),
            state: state(&row.state, external_id)?,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            publish_at: row.publish_at,
            submitted_by: row.submitted_by,
            submitted_by_name: row.submitted_by_name,
            review_comment: row.review_comment,
        }))
    }

    async fn save_call(
        &self,
        call: &NewCall,
        expected: CallState,
        publish_at: Option<DateTime<Utc>>,
        version: Option<&NewVersion>,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Claims the row (and checks its state) before anything is written.
        let mut claim = QueryBuilder::<Db>::new("UPDATE calls SET updated_at = ");
        claim.push_bind(whole_seconds(audit.at));
        claim.push(", publish_at = ").push_bind(publish_at.map(whole_seconds));
        claim
            .push(" WHERE external_id = ")
            .push_bind(call.external_id.trim().to_owned());
        claim.push(" AND state = ").push_bind(expected.as_str());
        claim.push(" RETURNING id, owner_organisation_id");
        let claimed: Option<(i64, Option<i64>)> = claim.build_query_as().fetch_optional(&mut *tx).await?;
        let Some((id, Some(owner))) = claimed else {
            return Ok(false);
        };
        Self::upsert_call(&mut tx, call, audit.at, Some(owner)).await?;
        if let Some(version) = version {
            insert_version(&mut tx, id, version).await?;
        }
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn move_call(&self, external_id: &str, change: &StateChange, audit: &AuditEntry) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE calls SET state = ");
        builder.push_bind(change.to.as_str());
        builder
            .push(", publish_at = ")
            .push_bind(change.publish_at.map(whole_seconds));
        builder.push(", review_comment = ").push_bind(change.comment.clone());
        builder
            .push(", submitted_by = COALESCE(")
            .push_bind(change.submitted_by)
            .push(", submitted_by)");
        builder.push(", updated_at = ").push_bind(whole_seconds(audit.at));
        builder.push(" WHERE external_id = ").push_bind(external_id.to_owned());
        builder.push(" AND state = ").push_bind(change.from.as_str());
        builder.push(" AND owner_organisation_id IS NOT NULL RETURNING id");
        let moved: Option<i64> = builder.build_query_scalar().fetch_optional(&mut *tx).await?;
        let Some(id) = moved else {
            return Ok(false);
        };
        if let Some(version) = &change.version {
            insert_version(&mut tx, id, version).await?;
        }
        // Publication and withdrawal change what the index may show.
        outbox::enqueue(&mut tx, IndexedEntity::Call, external_id, audit.at).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn publish_due(&self, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT c.external_id, o.external_id, c.publish_at FROM calls c \
             JOIN organisations o ON o.id = c.owner_organisation_id WHERE c.state = ",
        );
        builder.push_bind(CallState::Scheduled.as_str());
        builder.push(" AND c.publish_at <= ").push_bind(whole_seconds(now));
        builder.push(" ORDER BY c.publish_at LIMIT ").push_bind(DUE_BATCH);
        let due: Vec<(String, String, Option<DateTime<Utc>>)> = builder.build_query_as().fetch_all(&self.pool).await?;
        let mut published = Vec::new();
        for (call, organisation, publish_at) in due {
            let change = StateChange {
                from: CallState::Scheduled,
                to: CallState::Published,
                publish_at,
                submitted_by: None,
                comment: None,
                version: Some(NewVersion {
                    saved_by: None,
                    at: now,
                    note: "Published".into(),
                    changes: Vec::new(),
                }),
            };
            let audit = AuditEntry {
                actor_id: None,
                action: "publish_scheduled_call",
                subject_id: None,
                organisation_id: Some(organisation),
                detail: call.clone(),
                at: now,
            };
            // Another server may have published it a moment ago: then this is a no-op.
            if self.move_call(&call, &change, &audit).await? {
                published.push(call);
            }
        }
        Ok(published)
    }

    async fn organisation_calls(
        &self,
        organisation_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<OwnedCall>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT c.external_id, c.title, c.instrument_kind, c.state, c.publish_at, c.review_comment, c.updated_at, \
             (SELECT MIN(d.deadline_at) FROM call_deadlines d WHERE d.call_id = c.id AND d.deadline_at >= ",
        );
        builder.push_bind(whole_seconds(now));
        builder.push(
            ") AS next_deadline FROM calls c JOIN organisations o ON o.id = c.owner_organisation_id \
             WHERE o.external_id = ",
        );
        builder.push_bind(organisation_id.to_owned());
        builder
            .push(" ORDER BY c.updated_at DESC, c.id DESC LIMIT ")
            .push_bind(DASHBOARD_CALLS);
        let rows: Vec<OwnedRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|row| {
                let kind: InstrumentKind = row.instrument_kind.parse().map_err(|_| {
                    StoreError::Corrupt(format!(
                        "calls {:?}: unknown instrument kind {:?}",
                        row.external_id, row.instrument_kind
                    ))
                })?;
                Ok(OwnedCall {
                    state: state(&row.state, &row.external_id)?,
                    instrument_kind: kind,
                    external_id: row.external_id,
                    title: row.title,
                    next_deadline: row.next_deadline,
                    publish_at: row.publish_at,
                    review_comment: row.review_comment,
                    updated_at: row.updated_at,
                })
            })
            .collect()
    }

    async fn call_versions(&self, external_id: &str) -> Result<Vec<CallVersion>, StoreError> {
        type Row = (i64, DateTime<Utc>, Option<String>, bool, String, String);
        let rows: Vec<Row> = equals(
            "SELECT v.number, v.saved_at, p.display_name, v.material, v.note, v.changes FROM call_versions v \
             JOIN calls c ON c.id = v.call_id LEFT JOIN people p ON p.id = v.saved_by WHERE c.external_id = ",
            external_id,
        )
        .push(" ORDER BY v.number DESC")
        .build_query_as()
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(number, saved_at, saved_by, material, note, changes)| {
                let changes: Vec<FieldChange> = serde_json::from_str(&changes)
                    .map_err(|error| StoreError::Corrupt(format!("call_versions {external_id:?} {number}: {error}")))?;
                Ok(CallVersion {
                    number,
                    saved_at,
                    saved_by,
                    material,
                    note,
                    changes,
                })
            })
            .collect()
    }

    async fn organisation_audit(&self, organisation_id: &str, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        self.audit_lines(super::memberships::AuditScope::Organisation(organisation_id), limit)
            .await
    }
}
