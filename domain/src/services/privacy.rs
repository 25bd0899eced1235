//! A person's rights over what Fundbridge holds about them (GDPR articles 15, 17 and 20):
//! everything downloaded as JSON, and the account deleted. What deletion keeps is said here and
//! on the privacy page: the audit log's lines (the person in them replaced by a tombstone,
//! shown as "deleted account"), the organisations, calls and versions they worked on
//! (organisations' data, not theirs; their name is no longer attached), and the replies they
//! wrote for an organisation in conversations others started (shown as from "deleted
//! account"). The conversations they started are deleted with them, on both sides.

use super::accounts::{confirm_password, live_session};
use super::{AppState, ServiceError};
use crate::people::Membership;
use crate::store::{AuditEntry, AuditRecord};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// How many of the person's audit lines the download holds at most.
const ACTIVITY_LINES: u32 = 10_000;

/// One session, as the download shows it (never its secret).
#[derive(Debug, Serialize)]
pub struct SessionRecord {
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    pub last_seen_at: DateTime<Utc>,
    /// The browser it was started from.
    pub user_agent: String,
}

/// Everything Fundbridge holds about one person.
#[derive(Debug, Serialize)]
pub struct PersonalData {
    /// What this file is.
    pub about: &'static str,
    /// When it was made.
    pub exported_at: DateTime<Utc>,
    /// Their address.
    pub email: String,
    /// Their name as shown.
    pub display_name: String,
    /// When the address was confirmed.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Their language.
    pub language: String,
    /// Their time zone.
    pub time_zone: String,
    /// Whether they administer the portal.
    pub is_admin: bool,
    /// When the account was made.
    pub created_at: DateTime<Utc>,
    /// The organisations they belong to, and their role.
    pub memberships: Vec<Membership>,
    /// Their open sessions.
    pub sessions: Vec<SessionRecord>,
    /// What they did, and what was done to their account, from the audit log.
    pub activity: Vec<AuditRecord>,
    /// Every message they wrote to or for an organisation.
    pub messages: Vec<WrittenMessage>,
    /// Their saved searches (each with how often it mails them).
    pub saved_searches: Vec<crate::alerts::SavedSearch>,
    /// The calls they follow.
    pub followed_calls: Vec<crate::alerts::follows::FollowedCall>,
    /// When their digest is composed.
    pub digest_schedule: crate::alerts::DigestSchedule,
    /// The organisations whose new top matches their digest carries.
    pub top_matches_for: Vec<String>,
    /// Whether they unsubscribed from all alert mail.
    pub alert_mail_stopped: bool,
}

/// One message a person wrote, as the download shows it.
#[derive(Debug, Serialize)]
pub struct WrittenMessage {
    /// Written for the organisation the conversation was addressed to (else to it).
    pub for_organisation: bool,
    /// What it says.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// How many messages the download holds at most.
const MESSAGE_LINES: u32 = 10_000;

/// What the download says of itself.
const ABOUT: &str = "Everything Fundbridge holds about you: your account, memberships, sessions, the messages \
    you wrote, your saved searches, followed calls and what you asked to be mailed, and the audit log's lines about what you did. Your password is kept only as an Argon2id hash and is not included.";

/// Everything held about the session's person.
pub async fn personal_data(state: &AppState, session: Option<&str>) -> Result<PersonalData, ServiceError> {
    let (_, person) = live_session(state, session)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    let memberships = state.memberships.memberships_of(person.id).await?;
    let sessions = state
        .people
        .sessions_of(person.id)
        .await?
        .into_iter()
        .map(|session| SessionRecord {
            created_at: session.created_at,
            last_seen_at: session.last_seen_at,
            user_agent: session.user_agent,
        })
        .collect();
    let activity = state.memberships.person_activity(person.id, ACTIVITY_LINES).await?;
    let messages = state
        .messages
        .messages_by(person.id, MESSAGE_LINES)
        .await?
        .into_iter()
        .map(|message| WrittenMessage {
            for_organisation: message.from_organisation,
            body: message.body,
            at: message.created_at,
        })
        .collect();
    Ok(PersonalData {
        about: ABOUT,
        exported_at: state.clock.now(),
        email: person.email,
        display_name: person.display_name,
        email_verified_at: person.email_verified_at,
        language: person.language,
        time_zone: person.time_zone,
        is_admin: person.is_admin,
        created_at: person.created_at,
        memberships,
        sessions,
        activity,
        messages,
        saved_searches: state.alerts.saved_searches(person.id).await?,
        followed_calls: state.alerts.followed_calls(person.id, state.clock.now()).await?,
        digest_schedule: state.alerts.digest_schedule(person.id).await?,
        top_matches_for: state.alerts.top_matches_alerts(person.id).await?,
        alert_mail_stopped: state.digests.alert_mail_stopped(person.id).await?,
    })
}

/// Deletes the session's person's account once they confirm it with their password; their
/// sessions end with it.
pub async fn delete_account(state: &AppState, session: Option<&str>, password: &str) -> Result<(), ServiceError> {
    let (_, person) = live_session(state, session)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    confirm_password(state, &person, password).await?;
    let audit = AuditEntry {
        actor_id: Some(person.id),
        action: "delete_account",
        subject_id: Some(person.id),
        organisation_id: None,
        detail: String::new(),
        at: state.clock.now(),
    };
    state.people.delete_person(person.id, &audit).await?;
    Ok(())
}
