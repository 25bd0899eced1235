// Organisations, clusters and region names, in SQL shared by both dialects (included by
// `shared.rs` as the `directory` module).

use super::*;
use crate::cluster::{Cluster, ClusterMember, ClusterRef, DualUseProfile};
use crate::codes::{CodeError, CountryCode, NutsCode};
use crate::geo::Region;
use crate::organisation::{Organisation, OrganisationDetail, OrganisationKind, SizeClass};
use crate::organisation_query::{OrganisationQuery, OrganisationSort};
use crate::store::{join_lines, split_lines, AuditEntry, Directory, IndexedEntity, UpsertOutcome};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

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
    push_any_line(
        builder,
        "o.capabilities",
        &crate::taxonomy::with_sub_domains(&query.capabilities),
    );
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
    profile: String,
}

impl OrganisationRow {
    /// The organisation this row holds; a kind or size this code never writes is reported
    /// as corrupt, naming the row.
    fn into_organisation(self) -> Result<Organisation, StoreError> {
        let corrupt = |what: &str, value: &str| {
            StoreError::Corrupt(format!(
                "organisations {:?}: unknown {what} {value:?}",
                self.external_id
            ))
        };
        let corrupt_code =
            |error: &CodeError| StoreError::Corrupt(format!("organisations {:?}: {error}", self.external_id));
        let kind = OrganisationKind::parse(&self.kind).ok_or_else(|| corrupt("kind", &self.kind))?;
        let size_class = match self.size_class.as_deref() {
            None => None,
            Some(size) => Some(SizeClass::parse(size).ok_or_else(|| corrupt("size class", size))?),
        };
        let country = CountryCode::parse(&self.country).map_err(|error| corrupt_code(&error))?;
        let nuts_code = match self.nuts_code.as_deref() {
            None => None,
            Some(code) => Some(NutsCode::parse(code).map_err(|error| corrupt_code(&error))?),
        };
        let profile = serde_json::from_str(&self.profile)
            .map_err(|error| StoreError::Corrupt(format!("organisations {:?}: profile: {error}", self.external_id)))?;
        Ok(Organisation {
            kind,
            size_class,
            capabilities: split_lines(&self.capabilities),
            sectors: split_lines(&self.sectors),
            certifications: split_lines(&self.certifications),
            external_id: self.external_id,
            name: self.name,
            country,
            nuts_code,
            headcount: self.headcount,
            profile,
            website: self.website,
            description: self.description,
            dual_use: self.dual_use,
        })
    }
}

/// Creates or updates one organisation in the caller's transaction, with its index update.
pub(super) async fn write_organisation(
    tx: &mut sqlx::Transaction<'_, Db>,
    org: &Organisation,
    now: DateTime<Utc>,
) -> Result<UpsertOutcome, StoreError> {
    let exists: Option<i64> = equals("SELECT id FROM organisations WHERE external_id = ", &org.external_id)
        .build_query_scalar()
        .fetch_optional(&mut **tx)
        .await?;
    let mut builder = QueryBuilder::<Db>::new(
        "INSERT INTO organisations (external_id, name, kind, country, nuts_code, size_class, headcount, \
             website, description, dual_use, capabilities, sectors, certifications, profile, name_key, \
             created_at, updated_at) VALUES (",
    );
    let mut values = builder.separated(", ");
    values.push_bind(org.external_id.clone());
    values.push_bind(org.name.trim().to_owned());
    values.push_bind(org.kind.as_str());
    values.push_bind(org.country.to_string());
    values.push_bind(org.nuts_code.as_ref().map(NutsCode::to_string));
    values.push_bind(org.size_class.map(SizeClass::as_str));
    values.push_bind(org.headcount);
    values.push_bind(org.website.clone());
    values.push_bind(org.description.clone());
    values.push_bind(org.dual_use);
    values.push_bind(join_lines(&org.capabilities));
    values.push_bind(join_lines(&org.sectors));
    values.push_bind(join_lines(&org.certifications));
    values.push_bind(serde_json::to_string(&org.profile).expect("a profile always serialises"));
    values.push_bind(crate::text::name_key(org.name.trim(), &org.external_id));
    values.push_bind(whole_seconds(now));
    values.push_bind(whole_seconds(now));
    values.push_unseparated(
        ") ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
             country = excluded.country, nuts_code = excluded.nuts_code, size_class = excluded.size_class, \
             headcount = excluded.headcount, website = excluded.website, description = excluded.description, \
             dual_use = excluded.dual_use, capabilities = excluded.capabilities, sectors = excluded.sectors, \
             certifications = excluded.certifications, profile = excluded.profile, name_key = excluded.name_key, \
             updated_at = excluded.updated_at",
    );
    builder.build().execute(&mut **tx).await?;
    outbox::enqueue(tx, IndexedEntity::Organisation, &org.external_id, now).await?;
    Ok(if exists.is_some() {
        UpsertOutcome::Updated
    } else {
        UpsertOutcome::Inserted
    })
}

#[async_trait]
impl Directory for SqlStore {
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
            outcomes.push(write_organisation(&mut tx, org, now).await?);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn save_organisation(
        &self,
        organisation: &Organisation,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        organisation.validate().map_err(StoreError::Invalid)?;
        let mut tx = self.pool.begin().await?;
        super::memberships::organisation_row(&mut tx, &organisation.external_id).await?;
        write_organisation(&mut tx, organisation, now).await?;
        super::memberships::record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn organisation_details(&self, external_ids: &[String]) -> Result<Vec<OrganisationDetail>, StoreError> {
        if external_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT external_id, name, kind, country, nuts_code, size_class, headcount, website, description, \
             dual_use, capabilities, sectors, certifications, profile FROM organisations WHERE external_id",
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
                let organisation = row.into_organisation()?;
                Ok((
                    organisation.external_id.clone(),
                    OrganisationDetail { organisation, clusters },
                ))
            })
            .collect::<Result<_, StoreError>>()?;
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
                 description, created_at, updated_at, managed_by) VALUES (",
            );
            let mut values = builder.separated(", ");
            values.push_bind(cluster.external_id.clone());
            values.push_bind(cluster.name.clone());
            values.push_bind(cluster.country.to_string());
            values.push_bind(cluster.nuts_code.as_ref().map(NutsCode::to_string));
            values.push_bind(cluster.focus.clone());
            values.push_bind(cluster.dual_use_profile.as_str());
            values.push_bind(join_lines(&cluster.networks));
            values.push_bind(cluster.description.clone());
            values.push_bind(whole_seconds(now));
            values.push_bind(whole_seconds(now));
            values.push("(SELECT id FROM organisations WHERE external_id = ");
            values.push_bind_unseparated(cluster.managed_by.clone());
            // A batch that names no manager keeps the one the portal has.
            values.push_unseparated(
                ")) ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, country = excluded.country, \
                 nuts_code = excluded.nuts_code, focus = excluded.focus, \
                 dual_use_profile = excluded.dual_use_profile, networks = excluded.networks, \
                 description = excluded.description, updated_at = excluded.updated_at, \
                 managed_by = COALESCE(excluded.managed_by, clusters.managed_by)",
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

    async fn clusters(&self, only: Option<&str>) -> Result<Vec<(Cluster, u64)>, StoreError> {
        type Row = (
            String,
            String,
            String,
            Option<String>,
            String,
            String,
            String,
            String,
            i64,
            Option<String>,
        );
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT c.external_id, c.name, c.country, c.nuts_code, c.focus, c.dual_use_profile, c.networks, \
             c.description, (SELECT COUNT(*) FROM cluster_members m WHERE m.cluster_id = c.id), \
             (SELECT o.external_id FROM organisations o WHERE o.id = c.managed_by) FROM clusters c",
        );
        if let Some(external_id) = only {
            builder
                .push(" WHERE c.external_id = ")
                .push_bind(external_id.to_owned());
        }
        builder.push(" ORDER BY c.name, c.external_id");
        let rows: Vec<Row> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(
                |(
                    external_id,
                    name,
                    country,
                    nuts_code,
                    focus,
                    profile,
                    networks,
                    description,
                    members,
                    managed_by,
                )| {
                    let corrupt = |what: String| StoreError::Corrupt(format!("clusters {external_id:?}: {what}"));
                    let cluster = Cluster {
                        country: CountryCode::parse(&country).map_err(|error| corrupt(error.to_string()))?,
                        nuts_code: nuts_code
                            .map(|code| NutsCode::parse(&code))
                            .transpose()
                            .map_err(|error| corrupt(error.to_string()))?,
                        dual_use_profile: DualUseProfile::parse(&profile)
                            .ok_or_else(|| corrupt(format!("unknown profile {profile:?}")))?,
                        networks: split_lines(&networks),
                        external_id: external_id.clone(),
                        name,
                        focus,
                        description,
                        managed_by,
                    };
                    Ok((cluster, u64::try_from(members).unwrap_or(0)))
                },
            )
            .collect()
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
        let codes: Vec<String> = regions.iter().map(|r| r.code.to_string()).collect();
        let stored = region_names_in(&mut tx, &codes).await?;
        let mut outcomes = Vec::with_capacity(regions.len());
        for region in regions {
            let name = region.name.trim();
            let outcome = match stored.get(region.code.as_str()) {
                None => UpsertOutcome::Inserted,
                Some(old) if old == name => UpsertOutcome::Unchanged,
                Some(_) => UpsertOutcome::Updated,
            };
            if outcome != UpsertOutcome::Unchanged {
                let mut builder = QueryBuilder::<Db>::new("INSERT INTO regions (code, name, updated_at) VALUES (");
                let mut values = builder.separated(", ");
                values.push_bind(region.code.to_string());
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
