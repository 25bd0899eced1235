// Regions' smart-specialisation strategies, in SQL shared by both dialects (included by
// `shared.rs` as the `strategies` module). The priorities are one JSON column: they are
// always read and written whole.

use super::memberships::{organisation_row, record};
use super::*;
use crate::smart_specialisation::{Priority, Strategy};
use crate::store::strategies::{NewStrategy, Strategies};
use crate::store::{AuditEntry, StoreError};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
struct StrategyRow {
    region: String,
    organisation_id: String,
    organisation_name: String,
    summary: String,
    strategy_url: Option<String>,
    priorities: String,
    updated_at: DateTime<Utc>,
}

impl StrategyRow {
    fn into_strategy(self) -> Result<Strategy, StoreError> {
        let priorities: Vec<Priority> = serde_json::from_str(&self.priorities).map_err(|error| {
            StoreError::Corrupt(format!("region_strategies {:?}: priorities: {error}", self.region))
        })?;
        Ok(Strategy {
            region: self.region,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            summary: self.summary,
            strategy_url: self.strategy_url,
            priorities,
            updated_at: self.updated_at,
        })
    }
}

#[async_trait]
impl Strategies for SqlStore {
    async fn save_strategy(
        &self,
        strategy: &NewStrategy,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let organisation = organisation_row(&mut tx, &strategy.organisation_id).await?;
        let owner: Option<(i64, String)> = equals(
            "SELECT o.id, o.name FROM region_strategies s JOIN organisations o ON o.id = s.organisation_id \
             WHERE s.region = ",
            &strategy.region,
        )
        .build_query_as()
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((_, name)) = owner.filter(|(owner, _)| *owner != organisation) {
            return Err(StoreError::Conflict(name));
        }
        let priorities = serde_json::to_string(&strategy.priorities).expect("priorities always serialise");
        let mut builder = QueryBuilder::<Db>::new(
            "INSERT INTO region_strategies (region, organisation_id, summary, strategy_url, priorities, updated_at) \
             VALUES (",
        );
        let mut values = builder.separated(", ");
        values.push_bind(strategy.region.clone());
        values.push_bind(organisation);
        values.push_bind(strategy.summary.clone());
        values.push_bind(strategy.strategy_url.clone());
        values.push_bind(priorities);
        values.push_bind(whole_seconds(now));
        values.push_unseparated(
            ") ON CONFLICT (region) DO UPDATE SET summary = excluded.summary, \
             strategy_url = excluded.strategy_url, priorities = excluded.priorities, \
             updated_at = excluded.updated_at",
        );
        builder.build().execute(&mut *tx).await?;
        record(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn strategies(&self, regions: &[String]) -> Result<Vec<Strategy>, StoreError> {
        if regions.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder = QueryBuilder::<Db>::new(
            "SELECT s.region, o.external_id AS organisation_id, o.name AS organisation_name, s.summary, \
             s.strategy_url, s.priorities, s.updated_at \
             FROM region_strategies s JOIN organisations o ON o.id = s.organisation_id WHERE s.region",
        );
        push_any_of(&mut builder, regions.iter().take(500).cloned());
        builder.push(" ORDER BY s.region");
        let rows: Vec<StrategyRow> = builder.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(StrategyRow::into_strategy).collect()
    }
}
