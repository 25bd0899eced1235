// Calls, in SQL shared by both dialects (included by `shared.rs` as the `calls` module).

use super::*;
use crate::call::{CallDates, CallDetail, CallSummary, Deadline, InstrumentKind};
use crate::codes::{CodeError, CountryCode, NutsCode, Trl};
use crate::organisation::OrganisationKind;
use crate::query::{CallPage, CallQuery, CallSort, ProgrammeCount};
use crate::store::{join_lines, split_codes, split_lines, CallStore, IndexedEntity, NewCall, UpsertOutcome};
use crate::time::{whole_seconds, DeadlineZone};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// A value bound into a generated statement.
enum Value {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
    Time(Option<DateTime<Utc>>),
}

fn push_value(builder: &mut QueryBuilder<'_, Db>, value: Value) {
    match value {
        Value::Text(v) => builder.push_bind(v),
        Value::Int(v) => builder.push_bind(v),
        Value::Bool(v) => builder.push_bind(v),
        Value::Time(v) => builder.push_bind(v.map(whole_seconds)),
    };
}

/// Every column a writer sets, with its value; inserts and updates are generated from it.
fn call_columns(call: &NewCall, now: DateTime<Utc>) -> Vec<(&'static str, Value)> {
    let text = |v: &str| Value::Text(Some(v.to_owned()));
    let opt_text = |v: &Option<String>| Value::Text(v.clone());
    let int = |v: Option<i32>| Value::Int(v.map(i64::from));
    vec![
        ("source", text(&call.source)),
        ("title", text(call.title.trim())),
        ("programme", text(call.programme.trim())),
        ("programme_part", opt_text(&call.programme_part)),
        ("call_identifier", opt_text(&call.call_identifier)),
        ("call_title", opt_text(&call.call_title)),
        ("action_type", opt_text(&call.action_type)),
        ("instrument_kind", text(call.instrument_kind.as_str())),
        ("publisher", text(&call.publisher)),
        ("deadline_model", opt_text(&call.deadline_model)),
        (
            "deadline_time_zone",
            Value::Text(call.deadline_time_zone.map(|zone| zone.as_str().to_owned())),
        ),
        ("opening_at", Value::Time(call.opening_at)),
        ("announced_forthcoming", Value::Bool(call.announced_forthcoming)),
        ("budget_total_eur", Value::Int(call.budget_total_eur)),
        ("budget_min_eur", Value::Int(call.budget_min_eur)),
        ("budget_max_eur", Value::Int(call.budget_max_eur)),
        ("expected_grants", int(call.expected_grants)),
        ("funding_rate_pct", int(call.funding_rate_pct)),
        ("trl_min", Value::Int(call.trl_min.map(|level| i64::from(level.get())))),
        ("trl_max", Value::Int(call.trl_max.map(|level| i64::from(level.get())))),
        ("sme_only", Value::Bool(call.sme_only)),
        ("dual_use", Value::Bool(call.dual_use)),
        ("min_partners", int(call.min_partners)),
        ("min_countries", int(call.min_countries)),
        ("eligible_countries", text(&join_lines(&call.eligible_countries))),
        ("eligible_regions", text(&join_lines(&call.eligible_regions))),
        ("keywords", text(&join_lines(&call.keywords))),
        ("domains", text(&join_lines(&call.domains()))),
        ("sectors", text(&join_lines(&call.sectors()))),
        ("description", text(&call.description)),
        ("url", opt_text(&call.url)),
        ("topics_chosen", Value::Bool(call.chosen_topics.is_some())),
        (
            "applicant_kinds",
            text(&join_lines(
                &call.applicant_kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            )),
        ),
        ("contact", opt_text(&call.contact)),
        (
            "documents",
            text(&serde_json::to_string(&call.documents).expect("document links always serialise")),
        ),
        (
            "local_amounts",
            Value::Text(
                call.local_amounts
                    .as_ref()
                    .map(|amounts| serde_json::to_string(amounts).expect("amounts always serialise")),
            ),
        ),
        ("content_hash", text(&call.content_hash())),
        ("updated_at", Value::Time(Some(now))),
    ]
}

/// The columns a list shows.
const SUMMARY_COLUMNS: &str = "c.id, c.external_id, c.title, c.programme, c.programme_part, c.instrument_kind, \
     c.publisher, c.opening_at, c.announced_forthcoming, c.budget_min_eur, c.budget_max_eur, c.sme_only, c.dual_use";

/// The calls with the two derived instants that status and ordering need. `now` is bound once here.
fn push_calls_with_deadlines(builder: &mut QueryBuilder<'_, Db>, now: DateTime<Utc>) {
    builder.push(
        " FROM (SELECT c.*, \
           (SELECT MIN(d.deadline_at) FROM call_deadlines d WHERE d.call_id = c.id AND d.deadline_at >= ",
    );
    builder.push_bind(whole_seconds(now));
    builder.push(
        ") AS next_deadline_at, \
           (SELECT MAX(d.deadline_at) FROM call_deadlines d WHERE d.call_id = c.id) AS last_deadline_at \
         FROM calls c WHERE c.state = 'published') AS c",
    );
}

/// The SQL twin of [`CallDates::status_at`]; the behaviour suite checks that they agree.
fn push_status_expression(builder: &mut QueryBuilder<'_, Db>, now: DateTime<Utc>) {
    builder.push("(CASE WHEN c.last_deadline_at < ");
    builder.push_bind(whole_seconds(now));
    builder.push(" THEN 'closed' WHEN c.opening_at > ");
    builder.push_bind(whole_seconds(now));
    builder.push(" OR (c.opening_at IS NULL AND c.announced_forthcoming) THEN 'forthcoming' ELSE 'open' END)");
}

fn push_filters(builder: &mut QueryBuilder<'_, Db>, query: &CallQuery, now: DateTime<Utc>) {
    builder.push(" WHERE 1 = 1");
    push_words_like(builder, &query.text, ["c.title", "c.external_id"]);
    if !query.programmes.is_empty() {
        builder.push(" AND c.programme");
        push_any_of(builder, query.programmes.iter().cloned());
    }
    if !query.kinds.is_empty() {
        builder.push(" AND c.instrument_kind");
        push_any_of(builder, query.kinds.iter().map(|k| k.as_str().to_owned()));
    }
    if query.sme_only {
        builder.push(" AND c.sme_only = ").push_bind(true);
    }
    if query.dual_use {
        builder.push(" AND c.dual_use = ").push_bind(true);
    }
    if !query.statuses.is_empty() {
        builder.push(" AND ");
        push_status_expression(builder, now);
        push_any_of(builder, query.statuses.iter().map(|s| s.as_str().to_owned()));
    }
    push_any_line(builder, "c.domains", &crate::taxonomy::with_sub_domains(&query.domains));
    push_any_line(builder, "c.sectors", &query.sectors);
    push_open_to(builder, "c.eligible_countries", &query.countries);
    push_open_to(builder, "c.eligible_regions", &query.regions);
    if !query.budgets.is_empty() {
        builder.push(" AND (1 = 0");
        for range in &query.budgets {
            let (low, high) = range.bounds();
            builder
                .push(" OR (COALESCE(c.budget_max_eur, c.budget_total_eur) >= ")
                .push_bind(low);
            if let Some(high) = high {
                builder
                    .push(" AND COALESCE(c.budget_max_eur, c.budget_total_eur) < ")
                    .push_bind(high);
            }
            builder.push(")");
        }
        builder.push(")");
    }
    if !query.trl.is_empty() {
        // The call's readiness range includes a chosen level (one stated bound is the range).
        builder.push(" AND (1 = 0");
        for level in &query.trl {
            builder
                .push(" OR (COALESCE(c.trl_min, c.trl_max) <= ")
                .push_bind(i32::from(*level));
            builder
                .push(" AND COALESCE(c.trl_max, c.trl_min) >= ")
                .push_bind(i32::from(*level))
                .push(")");
        }
        builder.push(")");
    }
    if let Some(window) = query.closes_within {
        let until = now + chrono::Duration::seconds(window.seconds());
        builder
            .push(" AND c.next_deadline_at <= ")
            .push_bind(whole_seconds(until));
    }
}

/// Open to applicants from one of the `chosen` areas (countries or NUTS regions): no
/// restriction in `column`, or an area listed that is a chosen one or contains it (the column
/// holds one code per line), with the areas `geo::open_to_filter_values` gives the engines.
fn push_open_to(builder: &mut QueryBuilder<'_, Db>, column: &'static str, chosen: &[String]) {
    if chosen.is_empty() {
        return;
    }
    builder.push(" AND (").push(column).push(" = ''");
    let areas = crate::geo::open_to_filter_values(chosen);
    for area in areas.iter().filter(|area| *area != crate::geo::ANYWHERE) {
        builder.push(" OR ");
        push_has_line(builder, column, area);
    }
    builder.push(")");
}

fn push_order(builder: &mut QueryBuilder<'_, Db>, sort: CallSort, now: DateTime<Utc>) {
    match sort {
        CallSort::Relevance | CallSort::Deadline => {
            // Upcoming deadlines first, then rolling calls, then closed ones.
            builder.push(
                " ORDER BY CASE WHEN c.next_deadline_at IS NULL THEN 1 ELSE 0 END, c.next_deadline_at, \
                 CASE WHEN c.last_deadline_at < ",
            );
            builder.push_bind(whole_seconds(now));
            builder.push(" THEN 1 ELSE 0 END, c.title, c.id");
        }
        CallSort::Newest => {
            builder.push(" ORDER BY COALESCE(c.opening_at, c.created_at) DESC, c.id DESC");
        }
        CallSort::Budget => {
            builder.push(
                " ORDER BY CASE WHEN COALESCE(c.budget_max_eur, c.budget_total_eur) IS NULL THEN 1 ELSE 0 END, \
                 COALESCE(c.budget_max_eur, c.budget_total_eur) DESC, c.title, c.id",
            );
        }
        CallSort::Title => {
            builder.push(" ORDER BY c.title, c.id");
        }
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    external_id: String,
    title: String,
    programme: String,
    programme_part: Option<String>,
    instrument_kind: String,
    publisher: String,
    opening_at: Option<DateTime<Utc>>,
    announced_forthcoming: bool,
    budget_min_eur: Option<i64>,
    budget_max_eur: Option<i64>,
    sme_only: bool,
    dual_use: bool,
}

impl SummaryRow {
    /// The list fields, with status and next deadline derived at `now`; a row whose
    /// instrument kind is not one this code writes is reported as corrupt.
    fn into_summary(self, deadlines: &[Deadline], now: DateTime<Utc>) -> Result<CallSummary, StoreError> {
        let instrument_kind: InstrumentKind = self.instrument_kind.parse().map_err(|_| {
            StoreError::Corrupt(format!(
                "calls {:?}: unknown instrument kind {:?}",
                self.external_id, self.instrument_kind
            ))
        })?;
        let dates = CallDates {
            opening_at: self.opening_at,
            announced_forthcoming: self.announced_forthcoming,
            deadlines,
        };
        Ok(CallSummary {
            status: dates.status_at(now),
            next_deadline: dates.next_deadline(now).cloned(),
            deadline_count: deadlines.len(),
            instrument_kind,
            external_id: self.external_id,
            title: self.title,
            programme: self.programme,
            programme_part: self.programme_part,
            publisher: self.publisher,
            budget_min_eur: self.budget_min_eur,
            budget_max_eur: self.budget_max_eur,
            sme_only: self.sme_only,
            dual_use: self.dual_use,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    source: String,
    call_identifier: Option<String>,
    call_title: Option<String>,
    action_type: Option<String>,
    deadline_model: Option<String>,
    deadline_time_zone: Option<String>,
    budget_total_eur: Option<i64>,
    expected_grants: Option<i32>,
    funding_rate_pct: Option<i32>,
    trl_min: Option<i32>,
    trl_max: Option<i32>,
    min_partners: Option<i32>,
    min_countries: Option<i32>,
    eligible_countries: String,
    eligible_regions: String,
    keywords: String,
    domains: String,
    sectors: String,
    topics_chosen: bool,
    applicant_kinds: String,
    contact: Option<String>,
    documents: String,
    local_amounts: Option<String>,
    description: String,
    url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct DeadlineRow {
    call_id: i64,
    stage: i32,
    deadline_at: DateTime<Utc>,
    label: Option<String>,
}

impl SqlStore {
    async fn deadlines_of(&self, call_ids: &[i64]) -> Result<HashMap<i64, Vec<Deadline>>, StoreError> {
        let mut by_call: HashMap<i64, Vec<Deadline>> = HashMap::new();
        if call_ids.is_empty() {
            return Ok(by_call);
        }
        let mut builder =
            QueryBuilder::<Db>::new("SELECT call_id, stage, deadline_at, label FROM call_deadlines WHERE call_id");
        builder.push(" IN (");
        let mut ids = builder.separated(", ");
        for id in call_ids {
            ids.push_bind(*id);
        }
        ids.push_unseparated(") ORDER BY call_id, stage");
        let rows: Vec<DeadlineRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        for row in rows {
            by_call.entry(row.call_id).or_default().push(Deadline {
                stage: row.stage,
                at: row.deadline_at,
                label: row.label,
            });
        }
        Ok(by_call)
    }

    /// Creates or updates `call` in the caller's transaction. `owner` is the row of the funding
    /// body writing it (`None`: an importer); a call belongs to whoever created it, and a write
    /// from anyone else is a [`StoreError::Conflict`].
    pub(super) async fn upsert_call(
        tx: &mut sqlx::Transaction<'_, Db>,
        call: &NewCall,
        now: DateTime<Utc>,
        owner: Option<i64>,
    ) -> Result<UpsertOutcome, StoreError> {
        call.validate()
            .map_err(|reason| StoreError::Invalid(format!("call {}: {reason}", call.external_id)))?;
        let existing: Option<(i64, String, Option<i64>)> = equals(
            "SELECT id, content_hash, owner_organisation_id FROM calls WHERE external_id = ",
            call.external_id.trim(),
        )
        .build_query_as()
        .fetch_optional(&mut **tx)
        .await?;
        if existing
            .as_ref()
            .is_some_and(|(_, _, existing_owner)| *existing_owner != owner)
        {
            return Err(StoreError::Conflict(format!(
                "the call {} is published by someone else",
                call.external_id.trim()
            )));
        }
        let columns = call_columns(call, now);
        let (id, outcome) = match existing {
            Some((_, hash, _)) if hash == call.content_hash() => return Ok(UpsertOutcome::Unchanged),
            Some((id, _, _)) => {
                let mut builder = QueryBuilder::<Db>::new("UPDATE calls SET ");
                for (i, (column, value)) in columns.into_iter().enumerate() {
                    if i > 0 {
                        builder.push(", ");
                    }
                    builder.push(column).push(" = ");
                    push_value(&mut builder, value);
                }
                builder.push(" WHERE id = ").push_bind(id);
                builder.build().execute(&mut **tx).await?;
                let mut delete = QueryBuilder::<Db>::new("DELETE FROM call_deadlines WHERE call_id = ");
                delete.push_bind(id);
                delete.build().execute(&mut **tx).await?;
                (id, UpsertOutcome::Updated)
            }
            None => {
                let mut builder =
                    QueryBuilder::<Db>::new("INSERT INTO calls (external_id, created_at, owner_organisation_id");
                for (column, _) in &columns {
                    builder.push(", ").push(*column);
                }
                builder.push(") VALUES (");
                builder.push_bind(call.external_id.trim().to_owned());
                builder.push(", ");
                builder.push_bind(whole_seconds(now));
                builder.push(", ");
                builder.push_bind(owner);
                for (_, value) in columns {
                    builder.push(", ");
                    push_value(&mut builder, value);
                }
                builder.push(") RETURNING id");
                let id: i64 = builder
                    .build_query_scalar()
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(conflict)?;
                (id, UpsertOutcome::Inserted)
            }
        };
        // The index update is owed in the same transaction as the write it reflects.
        outbox::enqueue(tx, IndexedEntity::Call, call.external_id.trim(), now).await?;
        for deadline in &call.deadlines {
            let mut builder =
                QueryBuilder::<Db>::new("INSERT INTO call_deadlines (call_id, stage, deadline_at, label) VALUES (");
            let mut values = builder.separated(", ");
            values.push_bind(id);
            values.push_bind(deadline.stage);
            values.push_bind(whole_seconds(deadline.at));
            values.push_bind(deadline.label.clone());
            values.push_unseparated(")");
            builder.build().execute(&mut **tx).await?;
        }
        Ok(outcome)
    }
}

/// Which calls a read may return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Visibility {
    /// Published calls only: what the public list, the call page and the index see.
    Public,
    /// Calls in any state: what their funding body's editors see.
    Any,
}

impl SqlStore {
    /// These calls in full, in the order of `external_ids`, as `visibility` allows.
    pub(super) async fn details(
        &self,
        external_ids: &[String],
        now: DateTime<Utc>,
        visibility: Visibility,
    ) -> Result<Vec<CallDetail>, StoreError> {
        if external_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder = QueryBuilder::<Db>::new("SELECT ");
        builder.push(SUMMARY_COLUMNS);
        builder.push(
            ", c.source, c.call_identifier, c.call_title, c.action_type, c.deadline_model, c.deadline_time_zone, c.budget_total_eur, \
             c.expected_grants, c.funding_rate_pct, c.trl_min, c.trl_max, c.min_partners, c.min_countries, \
             c.eligible_countries, c.eligible_regions, c.keywords, c.domains, c.sectors, c.topics_chosen, \
             c.applicant_kinds, c.contact, c.documents, c.local_amounts, c.description, c.url, c.created_at, c.updated_at \
             FROM calls c WHERE c.external_id",
        );
        push_any_of(&mut builder, external_ids.iter().cloned());
        if visibility == Visibility::Public {
            builder.push(" AND c.state = 'published'");
        }
        let rows: Vec<DetailRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.summary.id).collect();
        let mut deadlines_by_call = self.deadlines_of(&ids).await?;
        let mut by_external_id: HashMap<String, CallDetail> = HashMap::with_capacity(rows.len());
        for row in rows {
            let deadlines = deadlines_by_call.remove(&row.summary.id).unwrap_or_default();
            let (opening_at, announced_forthcoming) = (row.summary.opening_at, row.summary.announced_forthcoming);
            let external_id = row.summary.external_id.clone();
            let corrupt = |error: CodeError| StoreError::Corrupt(format!("calls {external_id:?}: {error}"));
            let trl = |level: Option<i32>| {
                level
                    .map(|level| Trl::try_from(i64::from(level)))
                    .transpose()
                    .map_err(corrupt)
            };
            let detail = CallDetail {
                summary: row.summary.into_summary(&deadlines, now)?,
                source: row.source,
                call_identifier: row.call_identifier,
                call_title: row.call_title,
                action_type: row.action_type,
                deadline_model: row.deadline_model,
                opening_at,
                announced_forthcoming,
                deadlines,
                deadline_time_zone: row
                    .deadline_time_zone
                    .map(|zone| {
                        DeadlineZone::parse(&zone).ok_or_else(|| {
                            StoreError::Corrupt(format!("calls {external_id:?}: unknown time zone {zone:?}"))
                        })
                    })
                    .transpose()?,
                budget_total_eur: row.budget_total_eur,
                expected_grants: row.expected_grants,
                funding_rate_pct: row.funding_rate_pct,
                trl_min: trl(row.trl_min)?,
                trl_max: trl(row.trl_max)?,
                min_partners: row.min_partners,
                min_countries: row.min_countries,
                eligible_countries: split_codes(&row.eligible_countries, CountryCode::parse).map_err(corrupt)?,
                eligible_regions: split_codes(&row.eligible_regions, NutsCode::parse).map_err(corrupt)?,
                keywords: split_lines(&row.keywords),
                domains: split_lines(&row.domains),
                sectors: split_lines(&row.sectors),
                topics_chosen: row.topics_chosen,
                applicant_kinds: split_lines(&row.applicant_kinds)
                    .iter()
                    .map(|kind| {
                        OrganisationKind::parse(kind).ok_or_else(|| {
                            StoreError::Corrupt(format!("calls {external_id:?}: unknown applicant kind {kind:?}"))
                        })
                    })
                    .collect::<Result<_, _>>()?,
                contact: row.contact,
                documents: serde_json::from_str(&row.documents)
                    .map_err(|error| StoreError::Corrupt(format!("calls {external_id:?}: documents: {error}")))?,
                local_amounts: row
                    .local_amounts
                    .map(|json| serde_json::from_str(&json))
                    .transpose()
                    .map_err(|error| StoreError::Corrupt(format!("calls {external_id:?}: local amounts: {error}")))?,
                description: row.description,
                url: row.url,
                created_at: row.created_at,
                updated_at: row.updated_at,
            };
            by_external_id.insert(external_id, detail);
        }
        Ok(external_ids.iter().filter_map(|id| by_external_id.remove(id)).collect())
    }
}

impl SqlStore {
    /// List rows as summaries, with their deadlines read in one round trip.
    async fn summaries(&self, rows: Vec<SummaryRow>, now: DateTime<Utc>) -> Result<Vec<CallSummary>, StoreError> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut deadlines = self.deadlines_of(&ids).await?;
        rows.into_iter()
            .map(|row| {
                let own = deadlines.remove(&row.id).unwrap_or_default();
                row.into_summary(&own, now)
            })
            .collect()
    }
}

#[async_trait]
impl CallStore for SqlStore {
    async fn upsert_calls(&self, calls: &[NewCall], now: DateTime<Utc>) -> Result<Vec<UpsertOutcome>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut outcomes = Vec::with_capacity(calls.len());
        for call in calls {
            outcomes.push(Self::upsert_call(&mut tx, call, now, None).await?);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn list_calls(&self, query: &CallQuery, now: DateTime<Utc>) -> Result<CallPage, StoreError> {
        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*)");
        push_calls_with_deadlines(&mut count, now);
        push_filters(&mut count, query, now);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;

        let mut select = QueryBuilder::<Db>::new("SELECT ");
        select.push(SUMMARY_COLUMNS);
        push_calls_with_deadlines(&mut select, now);
        push_filters(&mut select, query, now);
        push_order(&mut select, query.sort, now);
        select.push(" LIMIT ").push_bind(i64::from(query.per_page));
        select
            .push(" OFFSET ")
            .push_bind(i64::try_from(query.offset()).unwrap_or(i64::MAX));
        let rows: Vec<SummaryRow> = select.build_query_as().fetch_all(&self.pool).await?;
        Ok(CallPage {
            items: self.summaries(rows, now).await?,
            total: u64::try_from(total).unwrap_or(0),
            page: query.page,
            per_page: query.per_page,
        })
    }

    async fn call_details(&self, external_ids: &[String], now: DateTime<Utc>) -> Result<Vec<CallDetail>, StoreError> {
        self.details(external_ids, now, Visibility::Public).await
    }

    async fn regional_calls(
        &self,
        region: &str,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<CallSummary>, StoreError> {
        let mut select = QueryBuilder::<Db>::new("SELECT ");
        select.push(SUMMARY_COLUMNS);
        push_calls_with_deadlines(&mut select, now);
        select
            .push(" WHERE (c.last_deadline_at IS NULL OR c.last_deadline_at >= ")
            .push_bind(whole_seconds(now));
        // Restricted to the region or a region inside it (FRH0 takes FRH01) …
        select
            .push(") AND ((")
            .push_bind("\n")
            .push(" || c.eligible_regions) LIKE ");
        select
            .push_bind(format!("%\n{}%", like_escaped(region)))
            .push(LIKE_ESCAPE);
        // … or to a larger region around it (FRH0 is in FRH); not to a whole country.
        for area in crate::geo::nuts_lineage(region).filter(|area| area.len() > 2 && *area != region) {
            select.push(" OR ");
            push_has_line(&mut select, "c.eligible_regions", area);
        }
        select.push(")");
        push_order(&mut select, CallSort::Deadline, now);
        select.push(" LIMIT ").push_bind(i64::from(limit));
        let rows: Vec<SummaryRow> = select.build_query_as().fetch_all(&self.pool).await?;
        self.summaries(rows, now).await
    }

    async fn call_summaries(
        &self,
        external_ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<Vec<CallSummary>, StoreError> {
        if external_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut select = QueryBuilder::<Db>::new("SELECT ");
        select.push(SUMMARY_COLUMNS);
        select.push(" FROM calls c WHERE c.external_id");
        push_any_of(&mut select, external_ids.iter().cloned());
        select.push(" AND c.state = 'published'");
        let rows: Vec<SummaryRow> = select.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut deadlines = self.deadlines_of(&ids).await?;
        let mut by_id: HashMap<String, CallSummary> = rows
            .into_iter()
            .map(|row| {
                let own = deadlines.remove(&row.id).unwrap_or_default();
                Ok((row.external_id.clone(), row.into_summary(&own, now)?))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(external_ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    async fn call_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError> {
        self.ids_after("calls", after, limit).await
    }

    async fn programme_counts(&self) -> Result<Vec<ProgrammeCount>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT programme, COUNT(*) AS n FROM calls WHERE state = 'published' GROUP BY programme \
             ORDER BY COUNT(*) DESC, programme",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(programme, count)| ProgrammeCount {
                programme,
                count: u64::try_from(count).unwrap_or(0),
            })
            .collect())
    }
}
