// The digests' bookkeeping, in SQL shared by both dialects (included by `shared.rs` as the
// `digests` module).

use super::*;
use crate::alerts::follows::MaterialChange;
use crate::alerts::{DigestSchedule, Frequency, MailChannel, SavedSearch, SearchKind};
use crate::publishing::FieldChange;
use crate::store::{
    DigestMark, DigestRecord, Digests, DigestsRecorded, FollowedDeadline, Follower, StoreError, SubscribedSearch,
    Subscriber,
};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// A saved search that mails, with its person, as read back.
#[derive(sqlx::FromRow)]
struct SubscriptionRow {
    person_id: i64,
    email: String,
    display_name: String,
    id: i64,
    kind: String,
    query: String,
    title: String,
    frequency: String,
    created_at: DateTime<Utc>,
    weekday: Option<i32>,
    hour: Option<i32>,
    time_zone: Option<String>,
}

/// A mark as read back.
#[derive(sqlx::FromRow)]
struct MarkRow {
    person_id: i64,
    channel: String,
    period: String,
    covered_until: Option<DateTime<Utc>>,
}

/// Narrows a query over people (aliased `p`) to the one with address `email`, when given.
fn push_only_address(builder: &mut QueryBuilder<'_, Db>, email: Option<&str>) {
    if let Some(email) = email {
        builder
            .push(" AND p.email_key = ")
            .push_bind(email.trim().to_lowercase());
    }
}

/// A person's digest time as stored (the default until they chose one).
fn schedule_of(
    weekday: Option<i32>,
    hour: Option<i32>,
    time_zone: Option<String>,
) -> Result<DigestSchedule, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("digest schedule: {what}"));
    Ok(match (weekday, hour, time_zone) {
        (Some(weekday), Some(hour), Some(time_zone)) => DigestSchedule {
            weekday: u8::try_from(weekday).map_err(|_| corrupt("weekday"))?,
            hour: u8::try_from(hour).map_err(|_| corrupt("hour"))?,
            time_zone,
        },
        _ => DigestSchedule::default(),
    })
}

/// Claims `record`'s period for its person in the caller's transaction: whether this run
/// holds it now (false: another run composed it). A queued mail moves `covered_until` to `now`.
async fn claim(
    tx: &mut sqlx::Transaction<'_, Db>,
    record: &DigestRecord,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut upsert =
        QueryBuilder::<Db>::new("INSERT INTO digest_marks (person_id, channel, period, covered_until) VALUES (");
    let mut values = upsert.separated(", ");
    values.push_bind(record.person_id);
    values.push_bind(record.channel.as_str());
    values.push_bind(record.period.clone());
    values.push_bind(record.mail.as_ref().map(|_| whole_seconds(now)));
    values.push_unseparated(
        ") ON CONFLICT (person_id, channel) DO UPDATE SET period = excluded.period, \
         covered_until = COALESCE(excluded.covered_until, digest_marks.covered_until) \
         WHERE digest_marks.period <> excluded.period",
    );
    let done = upsert.build().execute(&mut **tx).await?;
    Ok(done.rows_affected() == 1)
}

#[async_trait]
impl Digests for SqlStore {
    async fn link_key(&self) -> Result<String, StoreError> {
        sqlx::query_scalar("SELECT secret FROM link_keys WHERE purpose = 'mail-links'")
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::Corrupt("the mail link key is missing".into()))
    }

    async fn alert_subscribers(&self, email: Option<&str>) -> Result<Vec<Subscriber>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT p.id AS person_id, p.email, p.display_name, s.id, s.kind, s.query, s.title, s.frequency, \
             s.created_at, d.weekday, d.hour, d.time_zone \
             FROM saved_searches s JOIN people p ON p.id = s.person_id \
             LEFT JOIN digest_schedules d ON d.person_id = p.id \
             WHERE s.frequency <> 'off' AND p.email_verified_at IS NOT NULL AND p.disabled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM alert_mail_stops x WHERE x.person_id = p.id)",
        );
        push_only_address(&mut builder, email);
        builder.push(" ORDER BY p.id, s.id");
        let rows: Vec<SubscriptionRow> = builder.build_query_as().fetch_all(&self.pool).await?;

        let mut marks = QueryBuilder::<Db>::new(
            "SELECT m.person_id, m.channel, m.period, m.covered_until FROM digest_marks m \
             JOIN people p ON p.id = m.person_id WHERE 1 = 1",
        );
        push_only_address(&mut marks, email);
        let mark_rows: Vec<MarkRow> = marks.build_query_as().fetch_all(&self.pool).await?;
        let mut marks_by_person: BTreeMap<i64, Vec<DigestMark>> = BTreeMap::new();
        for row in mark_rows {
            let channel = MailChannel::parse(&row.channel)
                .ok_or_else(|| StoreError::Corrupt(format!("digest mark channel {:?}", row.channel)))?;
            marks_by_person.entry(row.person_id).or_default().push(DigestMark {
                channel,
                period: row.period,
                covered_until: row.covered_until,
            });
        }

        let mut subscribers: Vec<Subscriber> = Vec::new();
        for row in rows {
            let corrupt = |what: &str| StoreError::Corrupt(format!("saved search {}: {what}", row.id));
            let search = SubscribedSearch {
                search: SavedSearch {
                    id: row.id,
                    kind: SearchKind::parse(&row.kind).ok_or_else(|| corrupt("kind"))?,
                    frequency: Frequency::parse(&row.frequency).ok_or_else(|| corrupt("frequency"))?,
                    query: row.query,
                    title: row.title,
                },
                saved_at: row.created_at,
            };
            if subscribers.last().map(|s| s.person_id) != Some(row.person_id) {
                subscribers.push(Subscriber {
                    person_id: row.person_id,
                    email: row.email,
                    name: row.display_name,
                    schedule: schedule_of(row.weekday, row.hour, row.time_zone)?,
                    marks: marks_by_person.remove(&row.person_id).unwrap_or_default(),
                    searches: Vec::new(),
                    organisations: Vec::new(),
                });
            }
            if let Some(subscriber) = subscribers.last_mut() {
                subscriber.searches.push(search);
            }
        }

        let mut organisations = QueryBuilder::<Db>::new(
            "SELECT p.id, p.email, p.display_name, o.external_id, a.created_at, d.weekday, d.hour, d.time_zone \
             FROM organisation_alerts a JOIN people p ON p.id = a.person_id \
             JOIN organisations o ON o.id = a.organisation_id \
             JOIN memberships m ON m.person_id = a.person_id AND m.organisation_id = a.organisation_id \
             LEFT JOIN digest_schedules d ON d.person_id = p.id \
             WHERE p.email_verified_at IS NOT NULL AND p.disabled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM alert_mail_stops x WHERE x.person_id = p.id)",
        );
        push_only_address(&mut organisations, email);
        organisations.push(" ORDER BY p.id, o.external_id");
        type OrganisationRow = (
            i64,
            String,
            String,
            String,
            DateTime<Utc>,
            Option<i32>,
            Option<i32>,
            Option<String>,
        );
        let rows: Vec<OrganisationRow> = organisations.build_query_as().fetch_all(&self.pool).await?;
        for (person_id, email, name, organisation, opted_at, weekday, hour, time_zone) in rows {
            let at = match subscribers.binary_search_by_key(&person_id, |s| s.person_id) {
                Ok(at) => at,
                Err(at) => {
                    subscribers.insert(
                        at,
                        Subscriber {
                            person_id,
                            email,
                            name,
                            schedule: schedule_of(weekday, hour, time_zone)?,
                            marks: marks_by_person.remove(&person_id).unwrap_or_default(),
                            searches: Vec::new(),
                            organisations: Vec::new(),
                        },
                    );
                    at
                }
            };
            subscribers[at].organisations.push((organisation, opted_at));
        }
        Ok(subscribers)
    }

    async fn calls_listed_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        let (since, until) = (whole_seconds(since), whole_seconds(until));
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT c.external_id, c.created_at FROM calls c WHERE c.state = 'published' \
             AND NOT EXISTS (SELECT 1 FROM call_versions v WHERE v.call_id = c.id) AND c.created_at > ",
        );
        builder.push_bind(since).push(" AND c.created_at <= ").push_bind(until);
        builder.push(
            " UNION ALL SELECT c.external_id, v.saved_at FROM call_versions v JOIN calls c ON c.id = v.call_id \
             WHERE v.number = 1 AND c.state = 'published' AND v.saved_at > ",
        );
        builder.push_bind(since).push(" AND v.saved_at <= ").push_bind(until);
        Ok(builder.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn organisations_listed_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        let mut builder =
            QueryBuilder::<Db>::new("SELECT external_id, created_at FROM organisations WHERE created_at > ");
        builder
            .push_bind(whole_seconds(since))
            .push(" AND created_at <= ")
            .push_bind(whole_seconds(until));
        Ok(builder.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn material_changes_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<MaterialChange>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT c.external_id, v.number, v.saved_at, v.note, v.changes FROM call_versions v \
             JOIN calls c ON c.id = v.call_id WHERE c.state = 'published' AND v.number > 1 AND v.material = ",
        );
        builder
            .push_bind(true)
            .push(" AND v.saved_at > ")
            .push_bind(whole_seconds(since))
            .push(" AND v.saved_at <= ")
            .push_bind(whole_seconds(until))
            .push(" ORDER BY v.saved_at, v.id");
        type Row = (String, i64, DateTime<Utc>, String, String);
        let rows: Vec<Row> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|(call, number, at, note, changes)| {
                let changes: Vec<FieldChange> = serde_json::from_str(&changes)
                    .map_err(|error| StoreError::Corrupt(format!("call_versions {call:?} {number}: {error}")))?;
                Ok(MaterialChange {
                    details: changes
                        .iter()
                        .filter(|change| change.material)
                        .map(FieldChange::sentence)
                        .collect(),
                    call,
                    at,
                    note,
                })
            })
            .collect()
    }

    async fn deadlines_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT c.external_id, d.deadline_at FROM call_deadlines d JOIN calls c ON c.id = d.call_id \
             WHERE c.state = 'published' AND d.deadline_at > ",
        );
        builder
            .push_bind(whole_seconds(since))
            .push(" AND d.deadline_at <= ")
            .push_bind(whole_seconds(until));
        Ok(builder.build_query_as().fetch_all(&self.pool).await?)
    }

    async fn followers_with_news(
        &self,
        calls: &[(String, DateTime<Utc>)],
        email: Option<&str>,
    ) -> Result<Vec<Follower>, StoreError> {
        type Row = (i64, String, String, Option<DateTime<Utc>>, String, DateTime<Utc>);
        let mut followers: BTreeMap<i64, Follower> = BTreeMap::new();
        for chunk in calls.chunks(200) {
            let mut builder = QueryBuilder::<Db>::new(
                "SELECT p.id, p.email, p.display_name, m.covered_until, c.external_id, f.followed_at \
                 FROM call_follows f JOIN calls c ON c.id = f.call_id JOIN people p ON p.id = f.person_id \
                 LEFT JOIN digest_marks m ON m.person_id = p.id AND m.channel = 'follows' \
                 WHERE p.email_verified_at IS NOT NULL AND p.disabled_at IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM alert_mail_stops x WHERE x.person_id = p.id) AND (",
            );
            for (index, (call, latest)) in chunk.iter().enumerate() {
                let latest = whole_seconds(*latest);
                builder
                    .push(if index == 0 { "" } else { " OR " })
                    .push("(c.external_id = ")
                    .push_bind(call.clone())
                    .push(" AND f.followed_at < ")
                    .push_bind(latest)
                    .push(" AND (m.covered_until IS NULL OR m.covered_until < ")
                    .push_bind(latest)
                    .push("))");
            }
            builder.push(")");
            push_only_address(&mut builder, email);
            let rows: Vec<Row> = builder.build_query_as().fetch_all(&self.pool).await?;
            for (person_id, email, name, covered_until, call, followed_at) in rows {
                followers
                    .entry(person_id)
                    .or_insert_with(|| Follower {
                        person_id,
                        email,
                        name,
                        covered_until,
                        calls: Vec::new(),
                    })
                    .calls
                    .push((call, followed_at));
            }
        }
        Ok(followers.into_values().collect())
    }

    async fn followed_deadlines(
        &self,
        person_ids: &[i64],
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<FollowedDeadline>, StoreError> {
        type Row = (i64, String, String, DateTime<Utc>, Option<String>);
        let mut found = Vec::new();
        for chunk in person_ids.chunks(500) {
            let mut builder = QueryBuilder::<Db>::new(
                "SELECT f.person_id, c.external_id, c.title, d.deadline_at, c.deadline_time_zone \
                 FROM call_follows f JOIN calls c ON c.id = f.call_id JOIN call_deadlines d ON d.call_id = c.id \
                 WHERE c.state = 'published' AND d.deadline_at > ",
            );
            builder
                .push_bind(whole_seconds(since))
                .push(" AND d.deadline_at <= ")
                .push_bind(whole_seconds(until))
                .push(" AND f.person_id IN (");
            let mut list = builder.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            list.push_unseparated(") ORDER BY d.deadline_at, c.external_id");
            let rows: Vec<Row> = builder.build_query_as().fetch_all(&self.pool).await?;
            found.extend(
                rows.into_iter()
                    .map(|(person_id, call, title, at, zone)| FollowedDeadline {
                        person_id,
                        call,
                        title,
                        at,
                        zone: zone.as_deref().and_then(crate::time::DeadlineZone::parse),
                    }),
            );
        }
        Ok(found)
    }

    async fn listed_at(&self, kind: SearchKind, ids: &[String]) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(500) {
            let mut builder = QueryBuilder::<Db>::new(match kind {
                SearchKind::Calls => {
                    "SELECT c.external_id, COALESCE((SELECT MIN(v.saved_at) FROM call_versions v \
                     WHERE v.call_id = c.id), c.created_at) FROM calls c WHERE c.external_id"
                }
                SearchKind::Organisations => "SELECT external_id, created_at FROM organisations WHERE external_id",
            });
            push_any_of(&mut builder, chunk.iter().cloned());
            found.extend(
                builder
                    .build_query_as::<(String, DateTime<Utc>)>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        Ok(found)
    }

    async fn muted_calls(&self, person_ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
        let mut found = Vec::new();
        for chunk in person_ids.chunks(500) {
            let mut builder =
                QueryBuilder::<Db>::new("SELECT person_id, call_external_id FROM muted_calls WHERE person_id IN (");
            let mut list = builder.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            list.push_unseparated(")");
            found.extend(builder.build_query_as::<(i64, String)>().fetch_all(&self.pool).await?);
        }
        Ok(found)
    }

    async fn record_digests(
        &self,
        records: &[DigestRecord],
        now: DateTime<Utc>,
    ) -> Result<DigestsRecorded, StoreError> {
        let mut recorded = DigestsRecorded::default();
        let mut tx = self.pool.begin().await?;
        for record in records {
            if !claim(&mut tx, record, now).await? {
                recorded.taken += 1;
                continue;
            }
            if let Some(mail) = &record.mail {
                if super::mail_outbox::queue(&mut tx, mail, now).await? {
                    recorded.queued += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(recorded)
    }

    async fn set_alert_mail_stopped(
        &self,
        person_id: i64,
        stopped: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut builder = if stopped {
            let mut insert = QueryBuilder::<Db>::new("INSERT INTO alert_mail_stops (person_id, stopped_at) VALUES (");
            insert
                .push_bind(person_id)
                .push(", ")
                .push_bind(whole_seconds(now))
                .push(") ON CONFLICT (person_id) DO NOTHING");
            insert
        } else {
            let mut delete = QueryBuilder::<Db>::new("DELETE FROM alert_mail_stops WHERE person_id = ");
            delete.push_bind(person_id);
            delete
        };
        builder.build().execute(&self.pool).await.map_err(conflict)?;
        Ok(())
    }

    async fn alert_mail_stopped(&self, person_id: i64) -> Result<bool, StoreError> {
        let mut builder = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM alert_mail_stops WHERE person_id = ");
        builder.push_bind(person_id);
        let count: i64 = builder.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(count > 0)
    }

    async fn set_call_muted(
        &self,
        person_id: i64,
        call: &str,
        muted: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut builder = if muted {
            let mut insert =
                QueryBuilder::<Db>::new("INSERT INTO muted_calls (person_id, call_external_id, muted_at) VALUES (");
            let mut values = insert.separated(", ");
            values.push_bind(person_id);
            values.push_bind(call.to_owned());
            values.push_bind(whole_seconds(now));
            values.push_unseparated(") ON CONFLICT (person_id, call_external_id) DO NOTHING");
            insert
        } else {
            let mut delete = QueryBuilder::<Db>::new("DELETE FROM muted_calls WHERE person_id = ");
            delete
                .push_bind(person_id)
                .push(" AND call_external_id = ")
                .push_bind(call.to_owned());
            delete
        };
        builder.build().execute(&self.pool).await.map_err(conflict)?;
        Ok(())
    }
}
