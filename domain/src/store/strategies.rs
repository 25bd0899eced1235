//! Where regions' smart-specialisation strategies are kept: one per NUTS region, owned by the
//! authority that recorded it, saved with its audit line.

use super::{AuditEntry, StoreError};
use crate::smart_specialisation::{Priority, Strategy};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A strategy to save for a region on behalf of one of its authorities (already checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStrategy {
    /// The region's NUTS code.
    pub region: String,
    /// The authority recording it (public identifier).
    pub organisation_id: String,
    /// What the strategy is about.
    pub summary: String,
    /// Link to the published strategy.
    pub strategy_url: Option<String>,
    /// Its priorities, in order.
    pub priorities: Vec<Priority>,
}

/// Regions' smart-specialisation strategies.
#[async_trait]
pub trait Strategies: Send + Sync {
    /// Saves `strategy` for its region, recording `audit`. A region whose strategy another
    /// organisation recorded is a [`StoreError::Conflict`] naming that organisation, and
    /// nothing is written.
    async fn save_strategy(
        &self,
        strategy: &NewStrategy,
        now: DateTime<Utc>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// The strategies of those of `regions` that have one, by region code.
    async fn strategies(&self, regions: &[String]) -> Result<Vec<Strategy>, StoreError>;
}
