//! Where consortia are kept: one per call and lead organisation, with its members' roles and
//! answers.

use super::StoreError;
use crate::matching::consortium::{Answer, ConsortiumRole};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A consortium as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsortiumRecord {
    /// Its row.
    pub id: i64,
    /// The call's public identifier.
    pub call_id: String,
    /// The lead organisation's public identifier.
    pub lead_id: String,
    /// Its name.
    pub name: String,
    /// Whether the partners' people see it.
    pub shared: bool,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
    /// The members, the lead among them, in the order they were picked.
    pub members: Vec<StoredMember>,
}

/// One member of a stored consortium.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMember {
    /// The organisation's public identifier.
    pub organisation_id: String,
    /// Its part.
    pub role: ConsortiumRole,
    /// Where it stands.
    pub answer: Answer,
}

/// A consortium to save, whole: its members replace the stored ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsortiumSave {
    /// The call's public identifier (a published call).
    pub call_id: String,
    /// The lead organisation's public identifier.
    pub lead_id: String,
    /// Its name.
    pub name: String,
    /// Share it with the partners' people (sharing is never taken back).
    pub share: bool,
    /// The lead's role.
    pub lead_role: ConsortiumRole,
    /// The partners with their roles; those kept keep their answers, new ones are invited.
    pub partners: Vec<(String, ConsortiumRole)>,
}

/// Consortia.
#[async_trait]
pub trait Consortia: Send + Sync {
    /// The consortium `id`, if there is one.
    async fn consortium(&self, id: i64) -> Result<Option<ConsortiumRecord>, StoreError>;

    /// The consortium organisation `lead_id` builds for call `call_id`, if it has one.
    async fn consortium_for(&self, call_id: &str, lead_id: &str) -> Result<Option<ConsortiumRecord>, StoreError>;

    /// The consortia any of `organisation_ids` leads, or is a partner of once shared; latest
    /// saved first.
    async fn consortia_of(&self, organisation_ids: &[String]) -> Result<Vec<ConsortiumRecord>, StoreError>;

    /// Creates or replaces the consortium of `save`'s lead for its call (by `person_id`) and
    /// returns its identifier; an unknown call or organisation is not found.
    async fn save_consortium(
        &self,
        save: &ConsortiumSave,
        person_id: i64,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;

    /// Records partner `organisation_id`'s answer to consortium `id` (by `person_id`); a
    /// consortium it is no partner of is not found.
    async fn answer_consortium(
        &self,
        id: i64,
        organisation_id: &str,
        answer: Answer,
        person_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}
