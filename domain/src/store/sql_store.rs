// The SQL shared by both backends. This file is not a module: `sqlite.rs` and
// `postgres.rs` each `include!` it after defining `type Db` and `MIGRATOR`, so the
// same statements are type-checked against each driver. Dialect-specific SQL does not
// belong here; placeholders come from `QueryBuilder`, which knows each dialect.

use super::{
    join_lines, split_lines, Backend, Counts, IndexLag, IndexedEntity, NewCall, OutboxEntry, SearchLogEntry, Store,
    UpsertOutcome,
};
use crate::call::{CallDates, CallDetail, CallSummary, Deadline, InstrumentKind};
use crate::cluster::{Cluster, ClusterMember, ClusterRef};
use crate::geo::Region;
use crate::organisation::{Organisation, OrganisationDetail, OrganisationKind, SizeClass};
use crate::organisation_query::{OrganisationQuery, OrganisationSort};
use crate::query::{CallPage, CallQuery, CallSort, ProgrammeCount};
use crate::time::whole_seconds;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Pool, QueryBuilder};
use std::collections::{BTreeMap, HashMap};

/// A store on this backend.
pub struct SqlStore {
    pool: Pool<Db>,
    backend: Backend,
}

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
        ("opening_at", Value::Time(call.opening_at)),
        ("announced_forthcoming", Value::Bool(call.announced_forthcoming)),
        ("budget_total_eur", Value::Int(call.budget_total_eur)),
        ("budget_min_eur", Value::Int(call.budget_min_eur)),
        ("budget_max_eur", Value::Int(call.budget_max_eur)),
        ("expected_grants", int(call.expected_grants)),
        ("funding_rate_pct", int(call.funding_rate_pct)),
        ("trl_min", int(call.trl_min)),
        ("trl_max", int(call.trl_max)),
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
         FROM calls c) AS c",
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

fn push_any_of<'a>(builder: &mut QueryBuilder<'a, Db>, values: impl IntoIterator<Item = String>) {
    builder.push(" IN (");
    let mut list = builder.separated(", ");
    for value in values {
        list.push_bind(value);
    }
    list.push_unseparated(")");
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
    push_any_line(builder, "c.domains", &query.domains);
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

/// Keeps rows where every word of `text` occurs in one of `columns`, ignoring case: the
/// database's own text matching, plain substrings — what remains when the search index is
/// unavailable.
fn push_words_like(builder: &mut QueryBuilder<'_, Db>, text: &str, columns: [&'static str; 2]) {
    for word in text
        .split_whitespace()
        .map(|w| w.trim_matches('"').to_lowercase())
        .filter(|w| !w.is_empty())
    {
        let pattern = format!("%{}%", like_escaped(&word));
        builder.push(" AND (LOWER(").push(columns[0]).push(") LIKE ");
        builder.push_bind(pattern.clone()).push(LIKE_ESCAPE);
        builder.push(" OR LOWER(").push(columns[1]).push(") LIKE ");
        builder.push_bind(pattern).push(LIKE_ESCAPE);
        builder.push(")");
    }
}

/// The directory's filters as SQL: any value within a dimension, every dimension.
fn push_organisation_filters(builder: &mut QueryBuilder<'_, Db>, query: &OrganisationQuery) {
    builder.push(" WHERE 1 = 1");
    push_words_like(builder, &query.text, ["o.name", "o.description"]);
    let values = |chosen: Vec<String>| (!chosen.is_empty()).then_some(chosen);
    if let Some(kinds) = values(query.kinds.iter().map(|k| k.as_str().to_owned()).collect()) {
        builder.push(" AND o.kind");
        push_any_of(builder, kinds);
    }
    if let Some(countries) = values(query.countries.clone()) {
        builder.push(" AND o.country");
        push_any_of(builder, countries);
    }
    if let Some(sizes) = values(query.sizes.iter().map(|s| s.as_str().to_owned()).collect()) {
        builder.push(" AND o.size_class");
        push_any_of(builder, sizes);
    }
    if !query.regions.is_empty() {
        // A region takes the regions inside it: FRH matches FRH0.
        builder.push(" AND (1 = 0");
        for region in &query.regions {
            builder.push(" OR o.nuts_code LIKE ").push_bind(format!("{region}%"));
        }
        builder.push(")");
    }
    push_any_line(builder, "o.capabilities", &query.capabilities);
    push_any_line(builder, "o.sectors", &query.sectors);
    push_any_line(builder, "o.certifications", &query.certifications);
    if let Some(clusters) = values(query.clusters.clone()) {
        builder.push(
            " AND EXISTS (SELECT 1 FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id \
             WHERE m.organisation_id = o.id AND c.external_id",
        );
        push_any_of(builder, clusters);
        builder.push(")");
    }
    if query.dual_use {
        builder.push(" AND o.dual_use = ").push_bind(true);
    }
}

/// Keeps rows whose one-per-line `column` holds any of `values` (none chosen: no filter).
fn push_any_line(builder: &mut QueryBuilder<'_, Db>, column: &'static str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    builder.push(" AND (1 = 0");
    for value in values {
        builder.push(" OR ");
        push_has_line(builder, column, value);
    }
    builder.push(")");
}

/// Whether the one-per-line `column` holds `value` as a whole line.
fn push_has_line(builder: &mut QueryBuilder<'_, Db>, column: &'static str, value: &str) {
    builder.push("(").push_bind("\n").push(" || ").push(column).push(" || ");
    builder
        .push_bind("\n")
        .push(") LIKE ")
        .push_bind(format!("%\n{}\n%", like_escaped(value)))
        .push(LIKE_ESCAPE);
}

/// The escape clause that goes after every `LIKE` pattern built with [`like_escaped`].
const LIKE_ESCAPE: &str = " ESCAPE '\\'";

/// `value` with `LIKE`'s wildcards escaped, so a user's `%` or `_` matches itself.
fn like_escaped(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
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
    fn into_summary(self, deadlines: &[Deadline], now: DateTime<Utc>) -> CallSummary {
        let dates = CallDates {
            opening_at: self.opening_at,
            announced_forthcoming: self.announced_forthcoming,
            deadlines,
        };
        CallSummary {
            status: dates.status_at(now),
            next_deadline: dates.next_deadline(now).cloned(),
            deadline_count: deadlines.len(),
            // Only this code writes the column, always from an `InstrumentKind`.
            instrument_kind: self.instrument_kind.parse().unwrap_or(InstrumentKind::Grant),
            external_id: self.external_id,
            title: self.title,
            programme: self.programme,
            programme_part: self.programme_part,
            publisher: self.publisher,
            budget_min_eur: self.budget_min_eur,
            budget_max_eur: self.budget_max_eur,
            sme_only: self.sme_only,
            dual_use: self.dual_use,
        }
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

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    external_id: String,
    name: String,
    kind: String,
    country: String,
    nuts_code: Option<String>,
    size_class: Option<String>,
    headcount: Option<i32>,
    website: Option<String>,
    description: String,
    dual_use: bool,
    capabilities: String,
    sectors: String,
    certifications: String,
}

impl OrganisationRow {
    fn into_organisation(self) -> Organisation {
        Organisation {
            kind: OrganisationKind::parse(&self.kind).unwrap_or(OrganisationKind::Sme),
            size_class: self.size_class.as_deref().and_then(SizeClass::parse),
            capabilities: split_lines(&self.capabilities),
            sectors: split_lines(&self.sectors),
            certifications: split_lines(&self.certifications),
            external_id: self.external_id,
            name: self.name,
            country: self.country,
            nuts_code: self.nuts_code,
            headcount: self.headcount,
            website: self.website,
            description: self.description,
            dual_use: self.dual_use,
        }
    }
}

impl SqlStore {
    /// External ids of `table` in order, after `after`: batches for work over every row.
    async fn ids_after(&self, table: &'static str, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new("SELECT external_id FROM ");
        builder.push(table);
        if let Some(after) = after {
            builder.push(" WHERE external_id > ").push_bind(after.to_owned());
        }
        builder.push(" ORDER BY external_id LIMIT ").push_bind(i64::from(limit));
        Ok(builder.build_query_scalar().fetch_all(&self.pool).await?)
    }

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

    async fn upsert_call(
        tx: &mut sqlx::Transaction<'_, Db>,
        call: &NewCall,
        now: DateTime<Utc>,
    ) -> Result<UpsertOutcome, StoreError> {
        call.validate()
            .map_err(|reason| StoreError::Invalid(format!("call {}: {reason}", call.external_id)))?;
        let existing: Option<(i64, String)> = equals(
            "SELECT id, content_hash FROM calls WHERE external_id = ",
            call.external_id.trim(),
        )
        .build_query_as()
        .fetch_optional(&mut **tx)
        .await?;
        let columns = call_columns(call, now);
        let (id, outcome) = match existing {
            Some((_, hash)) if hash == call.content_hash() => return Ok(UpsertOutcome::Unchanged),
            Some((id, _)) => {
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
                let mut builder = QueryBuilder::<Db>::new("INSERT INTO calls (external_id, created_at");
                for (column, _) in &columns {
                    builder.push(", ").push(*column);
                }
                builder.push(") VALUES (");
                builder.push_bind(call.external_id.trim().to_owned());
                builder.push(", ");
                builder.push_bind(whole_seconds(now));
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
        enqueue(tx, IndexedEntity::Call, call.external_id.trim(), now).await?;
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

/// `sql` followed by one bound text value (e.g. `"… WHERE external_id = "`, id).
/// Owes the index an update of one document, in the caller's transaction.
async fn enqueue(
    tx: &mut sqlx::Transaction<'_, Db>,
    entity: IndexedEntity,
    external_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut builder = QueryBuilder::<Db>::new("INSERT INTO search_outbox (entity, external_id, enqueued_at) VALUES (");
    let mut values = builder.separated(", ");
    values.push_bind(entity.as_str());
    values.push_bind(external_id.to_owned());
    values.push_bind(whole_seconds(now));
    values.push_unseparated(")");
    builder.build().execute(&mut **tx).await?;
    Ok(())
}

fn equals<'a>(sql: &str, value: &str) -> QueryBuilder<'a, Db> {
    let mut builder = QueryBuilder::new(sql);
    builder.push_bind(value.to_owned());
    builder
}

/// Turns a unique-constraint violation into a [`StoreError::Conflict`].
fn conflict(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(db.message().to_owned()),
        _ => StoreError::Database(error),
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn upsert_calls(&self, calls: &[NewCall], now: DateTime<Utc>) -> Result<Vec<UpsertOutcome>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut outcomes = Vec::with_capacity(calls.len());
        for call in calls {
            outcomes.push(Self::upsert_call(&mut tx, call, now).await?);
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

        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut deadlines = self.deadlines_of(&ids).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let own = deadlines.remove(&row.id).unwrap_or_default();
                row.into_summary(&own, now)
            })
            .collect();
        Ok(CallPage {
            items,
            total: u64::try_from(total).unwrap_or(0),
            page: query.page,
            per_page: query.per_page,
        })
    }

    async fn call_details(&self, external_ids: &[String], now: DateTime<Utc>) -> Result<Vec<CallDetail>, StoreError> {
        if external_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder = QueryBuilder::<Db>::new("SELECT ");
        builder.push(SUMMARY_COLUMNS);
        builder.push(
            ", c.source, c.call_identifier, c.call_title, c.action_type, c.deadline_model, c.budget_total_eur, \
             c.expected_grants, c.funding_rate_pct, c.trl_min, c.trl_max, c.min_partners, c.min_countries, \
             c.eligible_countries, c.eligible_regions, c.keywords, c.description, c.url, c.created_at, c.updated_at \
             FROM calls c WHERE c.external_id",
        );
        push_any_of(&mut builder, external_ids.iter().cloned());
        let rows: Vec<DetailRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.summary.id).collect();
        let mut deadlines_by_call = self.deadlines_of(&ids).await?;
        let mut by_external_id: HashMap<String, CallDetail> = HashMap::with_capacity(rows.len());
        for row in rows {
            let deadlines = deadlines_by_call.remove(&row.summary.id).unwrap_or_default();
            let (opening_at, announced_forthcoming) = (row.summary.opening_at, row.summary.announced_forthcoming);
            let external_id = row.summary.external_id.clone();
            let detail = CallDetail {
                summary: row.summary.into_summary(&deadlines, now),
                source: row.source,
                call_identifier: row.call_identifier,
                call_title: row.call_title,
                action_type: row.action_type,
                deadline_model: row.deadline_model,
                opening_at,
                announced_forthcoming,
                deadlines,
                budget_total_eur: row.budget_total_eur,
                expected_grants: row.expected_grants,
                funding_rate_pct: row.funding_rate_pct,
                trl_min: row.trl_min,
                trl_max: row.trl_max,
                min_partners: row.min_partners,
                min_countries: row.min_countries,
                eligible_countries: split_lines(&row.eligible_countries),
                eligible_regions: split_lines(&row.eligible_regions),
                keywords: split_lines(&row.keywords),
                description: row.description,
                url: row.url,
                created_at: row.created_at,
                updated_at: row.updated_at,
            };
            by_external_id.insert(external_id, detail);
        }
        Ok(external_ids.iter().filter_map(|id| by_external_id.remove(id)).collect())
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
        let rows: Vec<SummaryRow> = select.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let mut deadlines = self.deadlines_of(&ids).await?;
        let mut by_id: HashMap<String, CallSummary> = rows
            .into_iter()
            .map(|row| {
                let own = deadlines.remove(&row.id).unwrap_or_default();
                (row.external_id.clone(), row.into_summary(&own, now))
            })
            .collect();
        Ok(external_ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    async fn pending_index_changes(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut builder =
            QueryBuilder::<Db>::new("SELECT id, entity, external_id FROM search_outbox ORDER BY id LIMIT ");
        builder.push_bind(i64::from(limit));
        let rows: Vec<(i64, String, String)> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(id, entity, external_id)| OutboxEntry {
                id,
                entity: IndexedEntity::parse(&entity),
                external_id,
            })
            .collect())
    }

    async fn complete_index_changes(&self, ids: &[i64]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut builder = QueryBuilder::<Db>::new("DELETE FROM search_outbox WHERE id IN (");
        let mut list = builder.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn index_lag(&self) -> Result<IndexLag, StoreError> {
        let (pending, oldest): (i64, Option<DateTime<Utc>>) =
            sqlx::query_as("SELECT COUNT(*), MIN(enqueued_at) FROM search_outbox")
                .fetch_one(&self.pool)
                .await?;
        Ok(IndexLag {
            pending: u64::try_from(pending).unwrap_or(0),
            oldest,
        })
    }

    async fn log_search(&self, entry: &SearchLogEntry) -> Result<(), StoreError> {
        let mut builder =
            QueryBuilder::<Db>::new("INSERT INTO search_log (searched_at, query_text, filters, hits) VALUES (");
        let mut values = builder.separated(", ");
        values.push_bind(whole_seconds(entry.searched_at));
        values.push_bind(entry.text.clone());
        values.push_bind(sqlx::types::Json(entry.filters.clone()));
        values.push_bind(i64::try_from(entry.hits).unwrap_or(i64::MAX));
        values.push_unseparated(")");
        builder.build().execute(&self.pool).await?;
        Ok(())
    }

    async fn recent_searches(&self, limit: u32) -> Result<Vec<SearchLogEntry>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT searched_at, query_text, filters, hits FROM search_log ORDER BY id DESC LIMIT ",
        );
        builder.push_bind(i64::from(limit));
        let rows: Vec<(DateTime<Utc>, String, sqlx::types::Json<serde_json::Value>, i64)> =
            builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(searched_at, text, filters, hits)| SearchLogEntry {
                searched_at,
                text,
                filters: filters.0,
                hits: u64::try_from(hits).unwrap_or(0),
            })
            .collect())
    }

    async fn call_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError> {
        self.ids_after("calls", after, limit).await
    }

    async fn programme_counts(&self) -> Result<Vec<ProgrammeCount>, StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT programme, COUNT(*) AS n FROM calls GROUP BY programme ORDER BY COUNT(*) DESC, programme",
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

    async fn upsert_organisations(
        &self,
        organisations: &[Organisation],
        now: DateTime<Utc>,
    ) -> Result<Vec<UpsertOutcome>, StoreError> {
        for org in organisations {
            org.validate().map_err(StoreError::Invalid)?;
        }
        let mut tx = self.pool.begin().await?;
        let mut outcomes = Vec::with_capacity(organisations.len());
        for org in organisations {
            let exists: Option<i64> = equals("SELECT id FROM organisations WHERE external_id = ", &org.external_id)
                .build_query_scalar()
                .fetch_optional(&mut *tx)
                .await?;
            let mut builder = QueryBuilder::<Db>::new(
                "INSERT INTO organisations (external_id, name, kind, country, nuts_code, size_class, headcount, \
                 website, description, dual_use, capabilities, sectors, certifications, name_key, created_at, \
                 updated_at) VALUES (",
            );
            let mut values = builder.separated(", ");
            values.push_bind(org.external_id.clone());
            values.push_bind(org.name.trim().to_owned());
            values.push_bind(org.kind.as_str());
            values.push_bind(org.country.clone());
            values.push_bind(org.nuts_code.clone());
            values.push_bind(org.size_class.map(SizeClass::as_str));
            values.push_bind(org.headcount);
            values.push_bind(org.website.clone());
            values.push_bind(org.description.clone());
            values.push_bind(org.dual_use);
            values.push_bind(join_lines(&org.capabilities));
            values.push_bind(join_lines(&org.sectors));
            values.push_bind(join_lines(&org.certifications));
            values.push_bind(crate::text::name_key(org.name.trim(), &org.external_id));
            values.push_bind(whole_seconds(now));
            values.push_bind(whole_seconds(now));
            values.push_unseparated(
                ") ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
                 country = excluded.country, nuts_code = excluded.nuts_code, size_class = excluded.size_class, \
                 headcount = excluded.headcount, website = excluded.website, description = excluded.description, \
                 dual_use = excluded.dual_use, capabilities = excluded.capabilities, sectors = excluded.sectors, \
                 certifications = excluded.certifications, name_key = excluded.name_key, \
                 updated_at = excluded.updated_at",
            );
            builder.build().execute(&mut *tx).await?;
            enqueue(&mut tx, IndexedEntity::Organisation, &org.external_id, now).await?;
            outcomes.push(if exists.is_some() {
                UpsertOutcome::Updated
            } else {
                UpsertOutcome::Inserted
            });
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn organisation_details(&self, external_ids: &[String]) -> Result<Vec<OrganisationDetail>, StoreError> {
        if external_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT external_id, name, kind, country, nuts_code, size_class, headcount, website, description, \
             dual_use, capabilities, sectors, certifications FROM organisations WHERE external_id",
        );
        push_any_of(&mut builder, external_ids.iter().cloned());
        let rows: Vec<OrganisationRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT o.external_id, c.external_id, c.name FROM cluster_members m \
             JOIN clusters c ON c.id = m.cluster_id JOIN organisations o ON o.id = m.organisation_id \
             WHERE o.external_id",
        );
        push_any_of(&mut builder, external_ids.iter().cloned());
        builder.push(" ORDER BY c.name, c.external_id");
        let memberships: Vec<(String, String, String)> = builder.build_query_as().fetch_all(&self.pool).await?;
        let mut clusters_of: HashMap<String, Vec<ClusterRef>> = HashMap::new();
        for (organisation, external_id, name) in memberships {
            clusters_of
                .entry(organisation)
                .or_default()
                .push(ClusterRef { external_id, name });
        }
        let mut by_id: HashMap<String, OrganisationDetail> = rows
            .into_iter()
            .map(|row| {
                let clusters = clusters_of.remove(&row.external_id).unwrap_or_default();
                let organisation = row.into_organisation();
                (
                    organisation.external_id.clone(),
                    OrganisationDetail { organisation, clusters },
                )
            })
            .collect();
        Ok(external_ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    async fn organisation_ids(&self, after: Option<&str>, limit: u32) -> Result<Vec<String>, StoreError> {
        self.ids_after("organisations", after, limit).await
    }

    async fn list_organisations(
        &self,
        query: &OrganisationQuery,
    ) -> Result<(Vec<OrganisationDetail>, u64), StoreError> {
        let mut count = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM organisations o");
        push_organisation_filters(&mut count, query);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;
        let mut select = QueryBuilder::<Db>::new("SELECT o.external_id FROM organisations o");
        push_organisation_filters(&mut select, query);
        select.push(match query.effective_sort() {
            OrganisationSort::Size => " ORDER BY COALESCE(o.headcount, -1) DESC, o.name_key",
            OrganisationSort::Name | OrganisationSort::Relevance => " ORDER BY o.name_key",
        });
        select.push(" LIMIT ").push_bind(i64::from(query.per_page));
        select
            .push(" OFFSET ")
            .push_bind(i64::try_from(query.offset()).unwrap_or(i64::MAX));
        let ids: Vec<String> = select.build_query_scalar().fetch_all(&self.pool).await?;
        Ok((
            self.organisation_details(&ids).await?,
            u64::try_from(total).unwrap_or(0),
        ))
    }

    async fn cluster_refs(&self) -> Result<Vec<ClusterRef>, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT external_id, name FROM clusters ORDER BY name, external_id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(external_id, name)| ClusterRef { external_id, name })
            .collect())
    }

    async fn upsert_clusters(
        &self,
        clusters: &[Cluster],
        members: &[ClusterMember],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for cluster in clusters {
            let mut builder = QueryBuilder::<Db>::new(
                "INSERT INTO clusters (external_id, name, country, nuts_code, focus, dual_use_profile, networks, \
                 description, created_at, updated_at) VALUES (",
            );
            let mut values = builder.separated(", ");
            values.push_bind(cluster.external_id.clone());
            values.push_bind(cluster.name.clone());
            values.push_bind(cluster.country.clone());
            values.push_bind(cluster.nuts_code.clone());
            values.push_bind(cluster.focus.clone());
            values.push_bind(cluster.dual_use_profile.as_str());
            values.push_bind(join_lines(&cluster.networks));
            values.push_bind(cluster.description.clone());
            values.push_bind(whole_seconds(now));
            values.push_bind(whole_seconds(now));
            values.push_unseparated(
                ") ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, country = excluded.country, \
                 nuts_code = excluded.nuts_code, focus = excluded.focus, \
                 dual_use_profile = excluded.dual_use_profile, networks = excluded.networks, \
                 description = excluded.description, updated_at = excluded.updated_at",
            );
            builder.build().execute(&mut *tx).await?;
        }
        for member in members {
            let mut builder = QueryBuilder::<Db>::new(
                "INSERT INTO cluster_members (cluster_id, organisation_id, role) SELECT c.id, o.id, ",
            );
            builder.push_bind(member.role.clone());
            builder.push(" FROM clusters c, organisations o WHERE c.external_id = ");
            builder.push_bind(member.cluster_id.clone());
            builder.push(" AND o.external_id = ");
            builder.push_bind(member.organisation_id.clone());
            builder.push(" ON CONFLICT (cluster_id, organisation_id) DO UPDATE SET role = excluded.role");
            let done = builder.build().execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Invalid(format!(
                    "membership of {:?} in {:?}: unknown cluster or organisation",
                    member.organisation_id, member.cluster_id
                )));
            }
        }
        // Members are indexed with their clusters' ids and names: each touched cluster's
        // members are owed an index update.
        let mut touched: Vec<&str> = clusters.iter().map(|c| c.external_id.as_str()).collect();
        touched.extend(members.iter().map(|m| m.cluster_id.as_str()));
        touched.sort_unstable();
        touched.dedup();
        for cluster_id in touched {
            let mut builder =
                QueryBuilder::<Db>::new("INSERT INTO search_outbox (entity, external_id, enqueued_at) SELECT ");
            builder.push_bind(IndexedEntity::Organisation.as_str());
            builder.push(", o.external_id, ");
            builder.push_bind(whole_seconds(now));
            builder.push(
                " FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id \
                 JOIN organisations o ON o.id = m.organisation_id WHERE c.external_id = ",
            );
            builder.push_bind(cluster_id.to_owned());
            builder.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn cluster_members(&self, cluster_id: &str) -> Result<Vec<ClusterMember>, StoreError> {
        let mut builder = equals(
            "SELECT c.external_id, o.external_id, m.role FROM cluster_members m \
             JOIN clusters c ON c.id = m.cluster_id JOIN organisations o ON o.id = m.organisation_id \
             WHERE c.external_id = ",
            cluster_id,
        );
        builder.push(" ORDER BY o.name, o.external_id");
        let rows: Vec<(String, String, String)> = builder.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(cluster_id, organisation_id, role)| ClusterMember {
                cluster_id,
                organisation_id,
                role,
            })
            .collect())
    }

    async fn upsert_regions(&self, regions: &[Region], now: DateTime<Utc>) -> Result<Vec<UpsertOutcome>, StoreError> {
        for region in regions {
            region.validate().map_err(StoreError::Invalid)?;
        }
        let mut tx = self.pool.begin().await?;
        let codes: Vec<String> = regions.iter().map(|r| r.code.clone()).collect();
        let stored = region_names_in(&mut tx, &codes).await?;
        let mut outcomes = Vec::with_capacity(regions.len());
        for region in regions {
            let name = region.name.trim();
            let outcome = match stored.get(&region.code) {
                None => UpsertOutcome::Inserted,
                Some(old) if old == name => UpsertOutcome::Unchanged,
                Some(_) => UpsertOutcome::Updated,
            };
            if outcome != UpsertOutcome::Unchanged {
                let mut builder = QueryBuilder::<Db>::new("INSERT INTO regions (code, name, updated_at) VALUES (");
                let mut values = builder.separated(", ");
                values.push_bind(region.code.clone());
                values.push_bind(name.to_owned());
                values.push_bind(whole_seconds(now));
                values.push_unseparated(
                    ") ON CONFLICT (code) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
                );
                builder.build().execute(&mut *tx).await?;
            }
            outcomes.push(outcome);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn region_names(&self, codes: &[String]) -> Result<BTreeMap<String, String>, StoreError> {
        let mut connection = self.pool.acquire().await?;
        region_names_in(&mut connection, codes).await
    }

    async fn source_id(&self) -> Result<String, StoreError> {
        let (identity, schema): (String, i64) =
            sqlx::query_as("SELECT (SELECT id FROM database_identity), (SELECT MAX(version) FROM _sqlx_migrations)")
                .fetch_one(&self.pool)
                .await?;
        Ok(format!("{identity}/schema-{schema}"))
    }

    async fn counts(&self) -> Result<Counts, StoreError> {
        let (calls, organisations, clusters, cluster_members): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM calls), (SELECT COUNT(*) FROM organisations), \
             (SELECT COUNT(*) FROM clusters), (SELECT COUNT(*) FROM cluster_members)",
        )
        .fetch_one(&self.pool)
        .await?;
        let to_u64 = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(Counts {
            calls: to_u64(calls),
            organisations: to_u64(organisations),
            clusters: to_u64(clusters),
            cluster_members: to_u64(cluster_members),
        })
    }
}

/// The stored names of those of `codes` that have one.
async fn region_names_in(
    connection: &mut <Db as sqlx::Database>::Connection,
    codes: &[String],
) -> Result<BTreeMap<String, String>, StoreError> {
    let mut names = BTreeMap::new();
    for chunk in codes.chunks(500) {
        let mut builder = QueryBuilder::<Db>::new("SELECT code, name FROM regions WHERE code IN (");
        let mut values = builder.separated(", ");
        for code in chunk {
            values.push_bind(code.clone());
        }
        values.push_unseparated(")");
        let rows: Vec<(String, String)> = builder.build_query_as().fetch_all(&mut *connection).await?;
        names.extend(rows);
    }
    Ok(names)
}
