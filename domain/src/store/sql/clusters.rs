// Clusters run from the portal, in SQL shared by both dialects (included by `shared.rs` as the
// `clusters` module). Members are indexed with their clusters' names, so every change to a
// membership or a cluster's name owes the organisations concerned an index update.

use super::mail_outbox::queue;
use super::memberships::{organisation_row, record};
use super::*;
use crate::cluster::{Cluster, ClusterRequest, ClusterRequestKind};
use crate::codes::NutsCode;
use crate::store::{
    join_lines, AuditEntry, Clusters, ImportedMembers, IndexedEntity, MemberImport, NewClusterRequest, OutgoingMail,
    StoreError,
};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

/// The columns a [`RequestRow`] is read from.
const REQUEST_COLUMNS: &str = "SELECT r.id, c.external_id AS cluster_id, c.name AS cluster_name, \
     o.external_id AS organisation_id, o.name AS organisation_name, r.kind, r.message, r.created_at \
     FROM cluster_requests r JOIN clusters c ON c.id = r.cluster_id JOIN organisations o ON o.id = r.organisation_id";

/// A request as read back.
#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    cluster_id: String,
    cluster_name: String,
    organisation_id: String,
    organisation_name: String,
    kind: String,
    message: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<RequestRow> for ClusterRequest {
    type Error = StoreError;
    fn try_from(row: RequestRow) -> Result<ClusterRequest, StoreError> {
        let kind = ClusterRequestKind::parse(&row.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("cluster request {}: unknown kind {:?}", row.id, row.kind)))?;
        Ok(ClusterRequest {
            id: row.id,
            cluster_id: row.cluster_id,
            cluster_name: row.cluster_name,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            kind,
            message: row.message,
            created_at: row.created_at,
        })
    }
}

/// The row id of the cluster `external_id`, or `NotFound`.
async fn cluster_row(tx: &mut sqlx::Transaction<'_, Db>, external_id: &str) -> Result<i64, StoreError> {
    equals("SELECT id FROM clusters WHERE external_id = ", external_id)
        .build_query_scalar()
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound("that cluster".into()))
}

/// Whether the organisation (row) is a member of the cluster (row).
async fn is_member(tx: &mut sqlx::Transaction<'_, Db>, cluster: i64, organisation: i64) -> Result<bool, StoreError> {
    let mut builder = QueryBuilder::<Db>::new("SELECT COUNT(*) FROM cluster_members WHERE cluster_id = ");
    builder
        .push_bind(cluster)
        .push(" AND organisation_id = ")
        .push_bind(organisation);
    let count: i64 = builder.build_query_scalar().fetch_one(&mut **tx).await?;
    Ok(count > 0)
}

/// Makes the organisation a member with `role` (an existing membership keeps its role);
/// returns whether it was new. Owes its index document an update.
async fn add_member(
    tx: &mut sqlx::Transaction<'_, Db>,
    cluster: i64,
    organisation: i64,
    role: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut builder =
        QueryBuilder::<Db>::new("INSERT INTO cluster_members (cluster_id, organisation_id, role) VALUES (");
    let mut values = builder.separated(", ");
    values.push_bind(cluster);
    values.push_bind(organisation);
    values.push_bind(role.to_owned());
    values.push_unseparated(") ON CONFLICT (cluster_id, organisation_id) DO NOTHING");
    let added = builder.build().execute(&mut **tx).await?.rows_affected() == 1;
    reindex_organisation(tx, organisation, now).await?;
    Ok(added)
}

/// Owes the organisation (row)'s index document an update.
async fn reindex_organisation(
    tx: &mut sqlx::Transaction<'_, Db>,
    organisation: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut builder = QueryBuilder::<Db>::new("INSERT INTO search_outbox (entity, external_id, enqueued_at) SELECT ");
    builder.push_bind(IndexedEntity::Organisation.as_str());
    builder.push(", external_id, ").push_bind(whole_seconds(now));
    builder.push(" FROM organisations WHERE id = ").push_bind(organisation);
    builder.build().execute(&mut **tx).await?;
    Ok(())
}

/// Queues every one of `mails` in the caller's transaction.
async fn queue_all(
    tx: &mut sqlx::Transaction<'_, Db>,
    mails: &[OutgoingMail],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for mail in mails {
        queue(tx, mail, now).await?;
    }
    Ok(())
}

#[async_trait]
impl Clusters for SqlStore {
    async fn save_cluster(&self, cluster: &Cluster, now: DateTime<Utc>, audit: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let row = cluster_row(&mut tx, &cluster.external_id).await?;
        let mut builder = QueryBuilder::<Db>::new("UPDATE clusters SET name = ");
        builder.push_bind(cluster.name.clone());
        builder
            .push(", nuts_code = ")
            .push_bind(cluster.nuts_code.as_ref().map(NutsCode::to_string));
        builder.push(", focus = ").push_bind(cluster.focus.clone());
        builder
            .push(", dual_use_profile = ")
            .push_bind(cluster.dual_use_profile.as_str());
        builder.push(", networks = ").push_bind(join_lines(&cluster.networks));
        builder.push(", description = ").push_bind(cluster.description.clone());
        builder.push(", updated_at = ").push_bind(whole_seconds(now));
        builder.push(" WHERE id = ").push_bind(row);
        builder.build().execute(&mut *tx).await?;
        let mut members = QueryBuilder::<Db>::new("SELECT organisation_id FROM cluster_members WHERE cluster_id = ");
        members.push_bind(row);
        let organisations: Vec<i64> = members.build_query_scalar().fetch_all(&mut *tx).await?;
        for organisation in organisations {
            reindex_organisation(&mut tx, organisation, now).await?;
        }
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn cluster_requests(
        &self,
        cluster_id: Option<&str>,
        organisations: &[String],
    ) -> Result<Vec<ClusterRequest>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(REQUEST_COLUMNS);
        builder.push(" WHERE 1 = 1");
        if let Some(cluster_id) = cluster_id {
            builder.push(" AND c.external_id = ").push_bind(cluster_id.to_owned());
        }
        if !organisations.is_empty() {
            builder.push(" AND o.external_id");
            push_any_of(&mut builder, organisations.iter().take(500).cloned());
        }
        builder.push(" ORDER BY r.created_at, r.id");
        let rows: Vec<RequestRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(ClusterRequest::try_from).collect()
    }

    async fn cluster_request(&self, id: i64) -> Result<Option<ClusterRequest>, StoreError> {
        let mut builder = QueryBuilder::<Db>::new(REQUEST_COLUMNS);
        builder.push(" WHERE r.id = ").push_bind(id);
        let row: Option<RequestRow> = builder.build_query_as().fetch_optional(&self.pool).await?;
        row.map(ClusterRequest::try_from).transpose()
    }

    async fn file_cluster_request(
        &self,
        request: &NewClusterRequest,
        now: DateTime<Utc>,
        audit: &AuditEntry,
        mails: &[OutgoingMail],
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let cluster = cluster_row(&mut tx, &request.cluster_id).await?;
        let organisation = organisation_row(&mut tx, &request.organisation_id).await?;
        if is_member(&mut tx, cluster, organisation).await? {
            return Err(StoreError::Conflict("It is a member already.".into()));
        }
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO cluster_requests (cluster_id, organisation_id, kind, message, created_by, created_at) VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(cluster);
        values.push_bind(organisation);
        values.push_bind(request.kind.as_str());
        values.push_bind(request.message.clone());
        values.push_bind(request.created_by);
        values.push_bind(whole_seconds(now));
        values.push_unseparated(") RETURNING id");
        let id: i64 = builder
            .build_query_scalar()
            .fetch_one(&mut *tx)
            .await
            .map_err(|error| match conflict(error) {
                StoreError::Conflict(_) => StoreError::Conflict("A request is waiting for a decision already.".into()),
                other => other,
            })?;
        record(&mut tx, audit).await?;
        queue_all(&mut tx, mails, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn decide_cluster_request(
        &self,
        id: i64,
        accept: bool,
        now: DateTime<Utc>,
        audit: &AuditEntry,
        mails: &[OutgoingMail],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut builder = QueryBuilder::<Db>::new("DELETE FROM cluster_requests WHERE id = ");
        builder.push_bind(id).push(" RETURNING cluster_id, organisation_id");
        let pending: Option<(i64, i64)> = builder.build_query_as().fetch_optional(&mut *tx).await?;
        let Some((cluster, organisation)) = pending else {
            return Ok(false);
        };
        if accept {
            add_member(&mut tx, cluster, organisation, "member", now).await?;
        }
        record(&mut tx, audit).await?;
        queue_all(&mut tx, mails, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn remove_cluster_member(
        &self,
        cluster_id: &str,
        organisation_id: &str,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let cluster = cluster_row(&mut tx, cluster_id).await?;
        let organisation = organisation_row(&mut tx, organisation_id).await?;
        let mut builder = QueryBuilder::<Db>::new("DELETE FROM cluster_members WHERE cluster_id = ");
        builder
            .push_bind(cluster)
            .push(" AND organisation_id = ")
            .push_bind(organisation);
        if builder.build().execute(&mut *tx).await?.rows_affected() == 0 {
            return Ok(false);
        }
        reindex_organisation(&mut tx, organisation, now).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn import_cluster_members(
        &self,
        import: &MemberImport,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<ImportedMembers, StoreError> {
        for organisation in &import.new_organisations {
            organisation.validate().map_err(StoreError::Invalid)?;
        }
        let mut tx = self.pool.begin().await?;
        let cluster = cluster_row(&mut tx, &import.cluster_id).await?;
        let mut outcome = ImportedMembers::default();
        for organisation in &import.new_organisations {
            let written = super::directory::write_organisation(&mut tx, organisation, now).await?;
            if written == crate::store::UpsertOutcome::Inserted {
                outcome.organisations_created += 1;
            }
        }
        for (organisation_id, role) in &import.members {
            let organisation = organisation_row(&mut tx, organisation_id).await?;
            if add_member(&mut tx, cluster, organisation, role, now).await? {
                outcome.added += 1;
            } else {
                outcome.already_members += 1;
            }
        }
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(outcome)
    }
}
