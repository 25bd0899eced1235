//! Where the digests' bookkeeping is kept: who has saved searches that mail, what each
//! person's last digest per frequency covered, what is new since an instant, and the stops
//! and mutes set from mail links. Recording a composed digest claims its period and queues
//! its mail in one transaction, so a run killed halfway neither skips nor repeats anyone, and
//! of several app servers composing at once only one queues a given person's mail.

use super::{OutgoingMail, StoreError};
use crate::alerts::follows::MaterialChange;
use crate::alerts::{DigestSchedule, MailChannel, SavedSearch};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What a person's last mail of one frequency was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestMark {
    /// Weekly, daily, instant or follows.
    pub channel: MailChannel,
    /// The last period composed (`2026-W49`, `2026-12-05`, `2026-12-05T09:14`), mailed or not.
    pub period: String,
    /// Up to when the last mail actually queued covered what was new (none yet: never mailed).
    pub covered_until: Option<DateTime<Utc>>,
}

/// A saved search that mails, with when it was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribedSearch {
    /// The search.
    pub search: SavedSearch,
    /// When it was saved: nothing older than a period before that is "new" to it.
    pub saved_at: DateTime<Utc>,
}

/// A person with saved searches that mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    /// The person.
    pub person_id: i64,
    /// Where the mail goes.
    pub email: String,
    /// How the mail greets them.
    pub name: String,
    /// When their weekly digest and daily mail are composed.
    pub schedule: DigestSchedule,
    /// Their last mail per frequency.
    pub marks: Vec<DigestMark>,
    /// Their saved searches that mail, oldest first.
    pub searches: Vec<SubscribedSearch>,
    /// The organisations (external ids) whose new top matches their weekly digest carries,
    /// with when they asked for them.
    pub organisations: Vec<(String, DateTime<Utc>)>,
}

/// A person who follows calls that have news, with what their last follow mail covered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Follower {
    /// The person.
    pub person_id: i64,
    /// Where the mail goes.
    pub email: String,
    /// How the mail greets them.
    pub name: String,
    /// Up to when their last follow mail covered the news (none: never mailed).
    pub covered_until: Option<DateTime<Utc>>,
    /// The calls among those asked about that they follow, with when they followed each.
    pub calls: Vec<(String, DateTime<Utc>)>,
}

/// A deadline of a call a person follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowedDeadline {
    /// The person.
    pub person_id: i64,
    /// The call's external id.
    pub call: String,
    /// Its title.
    pub title: String,
    /// The deadline.
    pub at: DateTime<Utc>,
    /// The zone the call states its deadlines in, when it says.
    pub zone: Option<crate::time::DeadlineZone>,
}

/// One person's composed period: claimed, and its mail queued when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestRecord {
    /// The person.
    pub person_id: i64,
    /// Weekly, daily, instant or follows.
    pub channel: MailChannel,
    /// The period composed.
    pub period: String,
    /// The mail, when something was new (its composition instant becomes `covered_until`).
    pub mail: Option<OutgoingMail>,
}

/// What recording a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigestsRecorded {
    /// Mails queued now.
    pub queued: usize,
    /// Periods another run had claimed already (their mail was not queued twice).
    pub taken: usize,
}

/// The digests' bookkeeping.
#[async_trait]
pub trait Digests: Send + Sync {
    /// The key mail links are signed with (written once by the migration).
    async fn link_key(&self) -> Result<String, StoreError>;

    /// Verified, enabled people who have not stopped alert mail and hold a saved search that
    /// mails or want an organisation's top matches (still a member of it) — only the one with
    /// address `email` when given — with their searches, organisations and marks, by person.
    async fn alert_subscribers(&self, email: Option<&str>) -> Result<Vec<Subscriber>, StoreError>;

    /// Published calls that became visible in `(since, until]` (imported: first stored;
    /// published from the portal: their publication), with that instant.
    async fn calls_listed_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError>;

    /// Organisations that joined the directory in `(since, until]`, with that instant.
    async fn organisations_listed_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError>;

    /// Material changes saved in `(since, until]` to published calls (never their first
    /// version), oldest first.
    async fn material_changes_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<MaterialChange>, StoreError>;

    /// The deadlines in `(since, until]` of published calls, as (call, deadline).
    async fn deadlines_between(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError>;

    /// Verified, enabled people who have not stopped alert mail and follow any of `calls`
    /// (each with the instant of its latest news) since before that news, their last follow
    /// mail covering less — only the one with address `email` when given — with those
    /// follows, by person: the followers with something to hear.
    async fn followers_with_news(
        &self,
        calls: &[(String, DateTime<Utc>)],
        email: Option<&str>,
    ) -> Result<Vec<Follower>, StoreError>;

    /// The deadlines in `(since, until]` of published calls each of `person_ids` follows,
    /// soonest first.
    async fn followed_deadlines(
        &self,
        person_ids: &[i64],
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<FollowedDeadline>, StoreError>;

    /// When each of the calls (`kind` calls) or organisations `ids` was listed on Fundbridge:
    /// a call's publication (or, imported, when first stored), an organisation's joining.
    async fn listed_at(
        &self,
        kind: crate::alerts::SearchKind,
        ids: &[String],
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError>;

    /// The calls each of `person_ids` muted.
    async fn muted_calls(&self, person_ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError>;

    /// Records composed periods in one transaction: each claims its person's period unless it
    /// is claimed already (then its mail is dropped), and queues its mail, covered up to `now`.
    async fn record_digests(&self, records: &[DigestRecord], now: DateTime<Utc>)
        -> Result<DigestsRecorded, StoreError>;

    /// Stops (`stopped`) or resumes all alert mail to person `person_id`.
    async fn set_alert_mail_stopped(&self, person_id: i64, stopped: bool, now: DateTime<Utc>)
        -> Result<(), StoreError>;

    /// Whether person `person_id` stopped all alert mail.
    async fn alert_mail_stopped(&self, person_id: i64) -> Result<bool, StoreError>;

    /// Mutes (`muted`) or unmutes call `call` in person `person_id`'s mail.
    async fn set_call_muted(
        &self,
        person_id: i64,
        call: &str,
        muted: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
}
