// Saved searches, followed calls and digest times, in SQL shared by both dialects (included by `shared.rs` as
// the `alerts` module).

use super::*;
use crate::alerts::follows::FollowedCall;
use crate::alerts::{DigestSchedule, Frequency, SavedSearch, SearchKind};
use crate::store::{Alerts, NewSavedSearch, StoreError};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// The columns a [`SavedSearchRow`] is read from.
const SEARCH_COLUMNS: &str = "SELECT id, kind, query, title, frequency FROM saved_searches WHERE person_id = ";

/// A saved search as read back.
#[derive(sqlx::FromRow)]
struct SavedSearchRow {
    id: i64,
    kind: String,
    query: String,
    title: String,
    frequency: String,
}

impl SavedSearchRow {
    fn into_search(self) -> Result<SavedSearch, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("saved search {}: {what}", self.id));
        Ok(SavedSearch {
            kind: SearchKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
            frequency: Frequency::parse(&self.frequency).ok_or_else(|| corrupt("frequency"))?,
            id: self.id,
            query: self.query,
            title: self.title,
        })
    }
}

/// Person `person_id`'s saved search `id`, if it is theirs.
async fn owned_search(
    executor: impl sqlx::Executor<'_, Database = Db>,
    person_id: i64,
    id: i64,
) -> Result<SavedSearch, StoreError> {
    let mut builder = QueryBuilder::<Db>::new(SEARCH_COLUMNS);
    builder.push_bind(person_id).push(" AND id = ").push_bind(id);
    builder
        .build_query_as::<SavedSearchRow>()
        .fetch_optional(executor)
        .await?
        .ok_or_else(|| StoreError::NotFound("that saved search".into()))?
        .into_search()
}

#[async_trait]
impl Alerts for SqlStore {
    async fn saved_searches(&self, person_id: i64) -> Result<Vec<SavedSearch>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(SEARCH_COLUMNS);
        builder.push_bind(person_id).push(" ORDER BY created_at DESC, id DESC");
        let rows: Vec<SavedSearchRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(SavedSearchRow::into_search).collect()
    }

    async fn save_search(
        &self,
        person_id: i64,
        search: &NewSavedSearch,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<SavedSearch, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut existing = QueryBuilder::<Db>::new(SEARCH_COLUMNS);
        existing
            .push_bind(person_id)
            .push(" AND kind = ")
            .push_bind(search.kind.as_str())
            .push(" AND query = ")
            .push_bind(search.query.clone());
        if let Some(row) = existing
            .build_query_as::<SavedSearchRow>()
            .fetch_optional(&mut *tx)
            .await?
        {
            return row.into_search();
        }
        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM saved_searches WHERE person_id = ");
        count.push_bind(person_id);
        let held: i64 = count.build_query_scalar().fetch_one(&mut *tx).await?;
        if held >= limit as i64 {
            return Err(StoreError::Conflict(format!(
                "you have saved {held} searches, the most one can keep; delete one first"
            )));
        }
        let mut insert = QueryBuilder::<Db>::new(
            "INSERT INTO saved_searches (person_id, kind, query, title, frequency, created_at, updated_at) VALUES (",
        );
        let mut values = insert.separated(", ");
        values.push_bind(person_id);
        values.push_bind(search.kind.as_str());
        values.push_bind(search.query.clone());
        values.push_bind(search.title.clone());
        values.push_bind(Frequency::Weekly.as_str());
        values.push_bind(whole_seconds(now));
        values.push_bind(whole_seconds(now));
        values.push_unseparated(") RETURNING id");
        let id: i64 = insert
            .build_query_scalar()
            .fetch_one(&mut *tx)
            .await
            .map_err(conflict)?;
        tx.commit().await?;
        Ok(SavedSearch {
            id,
            kind: search.kind,
            query: search.query.clone(),
            title: search.title.clone(),
            frequency: Frequency::Weekly,
        })
    }

    async fn set_search_frequency(
        &self,
        person_id: i64,
        id: i64,
        frequency: Frequency,
        now: DateTime<Utc>,
    ) -> Result<SavedSearch, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut update = QueryBuilder::<Db>::new("UPDATE saved_searches SET frequency = ");
        update
            .push_bind(frequency.as_str())
            .push(", updated_at = ")
            .push_bind(whole_seconds(now))
            .push(" WHERE person_id = ")
            .push_bind(person_id)
            .push(" AND id = ")
            .push_bind(id);
        update.build().execute(&mut *tx).await?;
        let search = owned_search(&mut *tx, person_id, id).await?;
        tx.commit().await?;
        Ok(search)
    }

    async fn delete_saved_search(&self, person_id: i64, id: i64) -> Result<(), StoreError> {
        let mut delete = QueryBuilder::<Db>::new("DELETE FROM saved_searches WHERE person_id = ");
        delete.push_bind(person_id).push(" AND id = ").push_bind(id);
        let deleted = delete.build().execute(&self.pool).await?.rows_affected();
        if deleted == 0 {
            return Err(StoreError::NotFound("that saved search".into()));
        }
        Ok(())
    }

    async fn digest_schedule(&self, person_id: i64) -> Result<DigestSchedule, StoreError> {
        let mut builder =
            QueryBuilder::<Db>::new("SELECT weekday, hour, time_zone FROM digest_schedules WHERE person_id = ");
        builder.push_bind(person_id);
        let row: Option<(i32, i32, String)> = builder.build_query_as().fetch_optional(&self.pool).await?;
        Ok(match row {
            Some((weekday, hour, time_zone)) => DigestSchedule {
                weekday: u8::try_from(weekday).map_err(|_| StoreError::Corrupt("digest weekday".into()))?,
                hour: u8::try_from(hour).map_err(|_| StoreError::Corrupt("digest hour".into()))?,
                time_zone,
            },
            None => DigestSchedule::default(),
        })
    }

    async fn set_digest_schedule(
        &self,
        person_id: i64,
        schedule: &DigestSchedule,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut upsert = QueryBuilder::<Db>::new(
            "INSERT INTO digest_schedules (person_id, weekday, hour, time_zone, updated_at) VALUES (",
        );
        let mut values = upsert.separated(", ");
        values.push_bind(person_id);
        values.push_bind(i32::from(schedule.weekday));
        values.push_bind(i32::from(schedule.hour));
        values.push_bind(schedule.time_zone.clone());
        values.push_bind(whole_seconds(now));
        values.push_unseparated(
            ") ON CONFLICT (person_id) DO UPDATE SET weekday = excluded.weekday, hour = excluded.hour, \
             time_zone = excluded.time_zone, updated_at = excluded.updated_at",
        );
        upsert.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn followed_calls(&self, person_id: i64, now: DateTime<Utc>) -> Result<Vec<FollowedCall>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT c.external_id, c.title, (SELECT MIN(d.deadline_at) FROM call_deadlines d \
             WHERE d.call_id = c.id AND d.deadline_at > ",
        );
        builder
            .push_bind(whole_seconds(now))
            .push(") AS next_deadline, f.followed_at FROM call_follows f JOIN calls c ON c.id = f.call_id WHERE f.person_id = ")
            .push_bind(person_id);
        type Row = (String, String, Option<DateTime<Utc>>, DateTime<Utc>);
        let rows: Vec<Row> = builder.build_query_as().fetch_all(&self.pool).await?;
        let mut follows: Vec<FollowedCall> = rows
            .into_iter()
            .map(|(external_id, title, next_deadline, followed_at)| FollowedCall {
                external_id,
                title,
                next_deadline,
                followed_at,
            })
            .collect();
        follows.sort_by(|a, b| {
            (a.next_deadline.is_none(), a.next_deadline, &a.title).cmp(&(
                b.next_deadline.is_none(),
                b.next_deadline,
                &b.title,
            ))
        });
        Ok(follows)
    }

    async fn follow_call(
        &self,
        person_id: i64,
        call: &str,
        limit: usize,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let call_id: i64 = equals(
            "SELECT id FROM calls WHERE state = 'published' AND external_id = ",
            call,
        )
        .build_query_scalar()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound("that call".into()))?;
        let mut held = QueryBuilder::<Db>::new("SELECT call_id FROM call_follows WHERE person_id = ");
        held.push_bind(person_id);
        let held: Vec<i64> = held.build_query_scalar().fetch_all(&mut *tx).await?;
        if held.contains(&call_id) {
            return Ok(());
        }
        if held.len() >= limit {
            return Err(StoreError::Conflict(format!(
                "you follow {} calls, the most one can follow; unfollow one first",
                held.len()
            )));
        }
        let mut insert = QueryBuilder::<Db>::new("INSERT INTO call_follows (person_id, call_id, followed_at) VALUES (");
        let mut values = insert.separated(", ");
        values.push_bind(person_id);
        values.push_bind(call_id);
        values.push_bind(whole_seconds(now));
        values.push_unseparated(") ON CONFLICT (person_id, call_id) DO NOTHING");
        insert.build().execute(&mut *tx).await.map_err(conflict)?;
        tx.commit().await?;
        Ok(())
    }

    async fn unfollow_call(&self, person_id: i64, call: &str) -> Result<(), StoreError> {
        let mut delete = QueryBuilder::<Db>::new("DELETE FROM call_follows WHERE person_id = ");
        delete
            .push_bind(person_id)
            .push(" AND call_id IN (SELECT id FROM calls WHERE external_id = ")
            .push_bind(call.to_owned())
            .push(")");
        delete.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn top_matches_alerts(&self, person_id: i64) -> Result<Vec<String>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT o.external_id FROM organisation_alerts a JOIN organisations o ON o.id = a.organisation_id \
             WHERE a.person_id = ",
        );
        builder.push_bind(person_id).push(" ORDER BY o.external_id");
        Ok(builder.build_query_scalar().fetch_all(&self.pool).await?)
    }

    async fn set_top_matches_alert(
        &self,
        person_id: i64,
        organisation_id: &str,
        on: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let id: i64 = equals("SELECT id FROM organisations WHERE external_id = ", organisation_id)
            .build_query_scalar()
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound("that organisation".into()))?;
        let mut builder = if on {
            let mut insert = QueryBuilder::<Db>::new(
                "INSERT INTO organisation_alerts (person_id, organisation_id, created_at) VALUES (",
            );
            let mut values = insert.separated(", ");
            values.push_bind(person_id);
            values.push_bind(id);
            values.push_bind(whole_seconds(now));
            values.push_unseparated(") ON CONFLICT (person_id, organisation_id) DO NOTHING");
            insert
        } else {
            let mut delete = QueryBuilder::<Db>::new("DELETE FROM organisation_alerts WHERE person_id = ");
            delete
                .push_bind(person_id)
                .push(" AND organisation_id = ")
                .push_bind(id);
            delete
        };
        builder.build().execute(&self.pool).await.map_err(conflict)?;
        Ok(())
    }
}
