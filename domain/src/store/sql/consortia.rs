// Consortia for calls, their members and answers, in SQL shared by both dialects (included by
// `shared.rs` as the `consortia` module).

use super::memberships::organisation_row;
use super::*;
use crate::matching::consortium::{Answer, ConsortiumRole};
use crate::store::{Consortia, ConsortiumRecord, ConsortiumSave, StoreError, StoredMember};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// The columns a [`ConsortiumRow`] is read from.
const CONSORTIUM_COLUMNS: &str = "SELECT k.id, c.external_id AS call_id, o.external_id AS lead_id, k.name, \
     k.shared_at, k.updated_at \
     FROM consortia k JOIN calls c ON c.id = k.call_id JOIN organisations o ON o.id = k.organisation_id";

/// The most consortia one list reads.
const MAX_LISTED: i64 = 200;

/// A consortium as read back, without its members.
#[derive(sqlx::FromRow)]
struct ConsortiumRow {
    id: i64,
    call_id: String,
    lead_id: String,
    name: String,
    shared_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

/// A member as read back.
#[derive(sqlx::FromRow)]
struct MemberRow {
    consortium_id: i64,
    organisation_id: String,
    role: String,
    answer: String,
    answered_by: Option<i64>,
    answered_at: Option<DateTime<Utc>>,
}

impl MemberRow {
    /// The member, or what makes its row unreadable.
    fn member(&self) -> Result<StoredMember, StoreError> {
        let corrupt = || {
            StoreError::Corrupt(format!(
                "consortium {} member {}",
                self.consortium_id, self.organisation_id
            ))
        };
        Ok(StoredMember {
            organisation_id: self.organisation_id.clone(),
            role: ConsortiumRole::parse(&self.role).ok_or_else(corrupt)?,
            answer: Answer::parse(&self.answer).ok_or_else(corrupt)?,
        })
    }
}

/// The members of consortia `ids`, in their order, in the caller's connection.
async fn member_rows<'c>(
    executor: impl sqlx::Executor<'c, Database = Db>,
    ids: &[i64],
) -> Result<Vec<MemberRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut builder = QueryBuilder::<Db>::new(
        "SELECT m.consortium_id, o.external_id AS organisation_id, m.role, m.answer, m.answered_by, m.answered_at \
         FROM consortium_members m JOIN organisations o ON o.id = m.organisation_id WHERE m.consortium_id IN (",
    );
    let mut list = builder.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    list.push_unseparated(") ORDER BY m.consortium_id, m.position");
    Ok(builder.build_query_as().fetch_all(executor).await?)
}

impl SqlStore {
    /// The consortia of `builder`'s query, with their members.
    async fn read_consortia(&self, mut builder: QueryBuilder<'_, Db>) -> Result<Vec<ConsortiumRecord>, StoreError> {
        let rows: Vec<ConsortiumRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let members = member_rows(&self.pool, &ids).await?;
        rows.into_iter()
            .map(|row| {
                Ok(ConsortiumRecord {
                    members: members
                        .iter()
                        .filter(|member| member.consortium_id == row.id)
                        .map(MemberRow::member)
                        .collect::<Result<_, _>>()?,
                    id: row.id,
                    call_id: row.call_id,
                    lead_id: row.lead_id,
                    name: row.name,
                    shared: row.shared_at.is_some(),
                    updated_at: row.updated_at,
                })
            })
            .collect()
    }
}

#[async_trait]
impl Consortia for SqlStore {
    async fn consortium(&self, id: i64) -> Result<Option<ConsortiumRecord>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(CONSORTIUM_COLUMNS);
        builder.push(" WHERE k.id = ").push_bind(id);
        Ok(self.read_consortia(builder).await?.pop())
    }

    async fn consortium_for(&self, call_id: &str, lead_id: &str) -> Result<Option<ConsortiumRecord>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(CONSORTIUM_COLUMNS);
        builder.push(" WHERE c.external_id = ").push_bind(call_id.to_owned());
        builder.push(" AND o.external_id = ").push_bind(lead_id.to_owned());
        Ok(self.read_consortia(builder).await?.pop())
    }

    async fn consortia_of(&self, organisation_ids: &[String]) -> Result<Vec<ConsortiumRecord>, StoreError> {
        if organisation_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder = QueryBuilder::<Db>::new(CONSORTIUM_COLUMNS);
        builder.push(" WHERE o.external_id");
        push_any_of(&mut builder, organisation_ids.iter().cloned());
        builder.push(
            " OR (k.shared_at IS NOT NULL AND k.id IN (SELECT m.consortium_id FROM consortium_members m \
             JOIN organisations p ON p.id = m.organisation_id WHERE p.external_id",
        );
        push_any_of(&mut builder, organisation_ids.iter().cloned());
        builder.push("))");
        builder
            .push(" ORDER BY k.updated_at DESC, k.id DESC LIMIT ")
            .push_bind(MAX_LISTED);
        self.read_consortia(builder).await
    }

    async fn save_consortium(
        &self,
        save: &ConsortiumSave,
        person_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let now = whole_seconds(now);
        let mut tx = self.pool.begin().await?;
        let call: i64 = equals(
            "SELECT id FROM calls WHERE state = 'published' AND external_id = ",
            &save.call_id,
        )
        .build_query_scalar()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound("that call".into()))?;
        let lead = organisation_row(&mut tx, &save.lead_id).await?;
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO consortia (call_id, organisation_id, name, shared_at, created_by, created_at, updated_at) \
             VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(call);
        values.push_bind(lead);
        values.push_bind(save.name.clone());
        values.push_bind(save.share.then_some(now));
        values.push_bind(person_id);
        values.push_bind(now);
        values.push_bind(now);
        values.push_unseparated(
            ") ON CONFLICT (call_id, organisation_id) DO UPDATE SET name = excluded.name, \
             shared_at = COALESCE(consortia.shared_at, excluded.shared_at), updated_at = excluded.updated_at \
             RETURNING id",
        );
        let id: i64 = builder.build_query_scalar().fetch_one(&mut *tx).await?;
        let before = member_rows(&mut *tx, &[id]).await?;
        let mut delete = QueryBuilder::<Db>::new("DELETE FROM consortium_members WHERE consortium_id = ");
        delete.push_bind(id);
        delete.build().execute(&mut *tx).await?;
        let members =
            std::iter::once((&save.lead_id, save.lead_role)).chain(save.partners.iter().map(|(o, r)| (o, *r)));
        for (position, (organisation_id, role)) in members.enumerate() {
            let organisation = organisation_row(&mut tx, organisation_id)
                .await
                .map_err(|_| StoreError::NotFound(format!("organisation {organisation_id}")))?;
            let kept = before
                .iter()
                .find(|row| &row.organisation_id == organisation_id && row.answer != Answer::Lead.as_str());
            let answer = if position == 0 {
                Answer::Lead.as_str()
            } else {
                kept.map_or(Answer::Invited.as_str(), |row| row.answer.as_str())
            };
            let mut insert = QueryBuilder::<Db>::new(
                "INSERT INTO consortium_members \
                 (consortium_id, organisation_id, position, role, answer, answered_by, answered_at) VALUES (",
            );
            let mut values = insert.separated(", ");
            values.push_bind(id);
            values.push_bind(organisation);
            values.push_bind(position as i32);
            values.push_bind(role.as_str());
            values.push_bind(answer);
            values.push_bind(kept.and_then(|row| row.answered_by));
            values.push_bind(kept.and_then(|row| row.answered_at));
            values.push_unseparated(")");
            insert.build().execute(&mut *tx).await.map_err(conflict)?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn answer_consortium(
        &self,
        id: i64,
        organisation_id: &str,
        answer: Answer,
        person_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let organisation = organisation_row(&mut tx, organisation_id).await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE consortium_members SET answer = ");
        builder.push_bind(answer.as_str());
        builder.push(", answered_by = ").push_bind(person_id);
        builder.push(", answered_at = ").push_bind(whole_seconds(now));
        builder.push(" WHERE consortium_id = ").push_bind(id);
        builder.push(" AND organisation_id = ").push_bind(organisation);
        builder.push(" AND answer <> ").push_bind(Answer::Lead.as_str());
        builder
            .push(" AND EXISTS (SELECT 1 FROM consortia WHERE id = ")
            .push_bind(id);
        builder.push(" AND shared_at IS NOT NULL)");
        let changed = builder.build().execute(&mut *tx).await?.rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound("that consortium".into()));
        }
        tx.commit().await?;
        Ok(())
    }
}
