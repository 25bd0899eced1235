// Marks on matches, in SQL shared by both dialects (included by `shared.rs` as the `matches`
// module).

use super::memberships::organisation_row;
use super::*;
use crate::store::{CallsFingerprint, Matches, StoreError};
use crate::time::whole_seconds;
use chrono::{DateTime, Utc};

#[async_trait]
impl Matches for SqlStore {
    async fn dismissed_calls(&self, organisation_id: &str) -> Result<Vec<String>, StoreError> {
        let ids: Vec<String> = equals(
            "SELECT c.external_id FROM match_dismissals d JOIN calls c ON c.id = d.call_id \
             JOIN organisations o ON o.id = d.organisation_id WHERE o.external_id = ",
            organisation_id,
        )
        .push(" ORDER BY d.created_at DESC, c.external_id")
        .build_query_scalar()
        .fetch_all(&self.pool)
        .await?;
        Ok(ids)
    }

    async fn set_dismissed(
        &self,
        organisation_id: &str,
        call_id: &str,
        person_id: i64,
        dismissed: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let organisation = organisation_row(&mut tx, organisation_id).await?;
        let call: i64 = equals(
            "SELECT id FROM calls WHERE state = 'published' AND external_id = ",
            call_id,
        )
        .build_query_scalar()
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound("that call".into()))?;
        if dismissed {
            let mut builder = QueryBuilder::<Db>::new(
                "INSERT INTO match_dismissals (organisation_id, call_id, person_id, created_at) VALUES (",
            );
            let mut values = builder.separated(", ");
            values.push_bind(organisation);
            values.push_bind(call);
            values.push_bind(person_id);
            values.push_bind(whole_seconds(now));
            values.push_unseparated(") ON CONFLICT (organisation_id, call_id) DO NOTHING");
            builder.build().execute(&mut *tx).await?;
        } else {
            let mut builder = QueryBuilder::<Db>::new("DELETE FROM match_dismissals WHERE organisation_id = ");
            builder.push_bind(organisation).push(" AND call_id = ").push_bind(call);
            builder.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn calls_fingerprint(&self) -> Result<CallsFingerprint, StoreError> {
        let (count, latest): (i64, Option<DateTime<Utc>>) =
            sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM calls")
                .fetch_one(&self.pool)
                .await?;
        Ok(CallsFingerprint { count, latest })
    }
}
