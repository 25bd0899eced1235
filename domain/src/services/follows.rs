//! Following calls as use cases: a signed-in person follows a call from its page (and
//! unfollows it there, on their preferences page or from a mail's link), and
//! [`compose_follow_mail`] — run with the digests — mails each follower what happened to the
//! calls they follow since their last such mail: material changes from the version history
//! and reminders 14 and 3 days before each deadline. A mail is recorded with the instant it
//! covers in the same transaction as its outbox row, so nothing is told twice or skipped.

use super::digests::{DigestOptions, DigestRun};
use super::{AppState, ServiceError};
use crate::alerts::digest::LONGEST_LOOKBACK;
use crate::alerts::follows::{reminders_due, FollowMail, FollowSection, MaterialChange, MAX_FOLLOWS, REMINDER_DAYS};
use crate::alerts::links::{LinkSigner, MailLink};
use crate::alerts::MailChannel;
use crate::codes::CallId;
use crate::query::call_path;
use crate::store::{DigestRecord, StoreError};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, HashSet};

/// The call id `call`, or a not-found refusal without asking the database.
fn call_id(call: &str) -> Result<CallId, ServiceError> {
    CallId::parse(call).map_err(|_| ServiceError::NotFound("That call".into()))
}

/// The signed-in person follows the published call `call` (again: nothing changes).
pub async fn follow_call(state: &AppState, session: Option<&str>, call: &str) -> Result<(), ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let call = call_id(call)?;
    state
        .alerts
        .follow_call(viewer.person_id, call.as_str(), MAX_FOLLOWS, state.clock.now())
        .await
        .map_err(|error| match error {
            StoreError::Conflict(message) => ServiceError::Invalid(format!("{}.", super::capitalised(&message))),
            other => other.into(),
        })
}

/// The signed-in person stops following call `call`.
pub async fn unfollow_call(state: &AppState, session: Option<&str>, call: &str) -> Result<(), ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let call = call_id(call)?;
    Ok(state.alerts.unfollow_call(viewer.person_id, call.as_str()).await?)
}

/// Whether the signed-in person follows call `call`.
pub async fn follows_call(state: &AppState, session: Option<&str>, call: &str) -> Result<bool, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let call = call_id(call)?;
    let follows = state.alerts.followed_calls(viewer.person_id, state.clock.now()).await?;
    Ok(follows.iter().any(|followed| followed.external_id == call.as_str()))
}

/// Composes the mail about followed calls due now (see the module's documentation): one per
/// person with news, recorded in the minute's period; a dry run records nothing.
pub async fn compose_follow_mail(
    state: &AppState,
    options: &DigestOptions,
    signer: &LinkSigner,
) -> Result<DigestRun, ServiceError> {
    let now = state.clock.now();
    let public_url = state.site.public_url.trim_end_matches('/');
    let earliest = now - LONGEST_LOOKBACK;
    let mut changes: HashMap<String, Vec<MaterialChange>> = HashMap::new();
    for change in state.digests.material_changes_between(earliest, now).await? {
        changes.entry(change.call.clone()).or_default().push(change);
    }
    // Each call with news, and the instant of its latest: a change, or a reminder's moment
    // passed for a deadline still to come.
    let mut latest: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut note = |call: &str, at: DateTime<Utc>| {
        let entry = latest.entry(call.to_owned()).or_insert(at);
        *entry = (*entry).max(at);
    };
    for change in changes.values().flatten() {
        note(&change.call, change.at);
    }
    let furthest_reminder = chrono::Duration::days(REMINDER_DAYS.into_iter().max().unwrap_or_default());
    for (call, deadline) in state.digests.deadlines_between(now, now + furthest_reminder).await? {
        let passed = REMINDER_DAYS
            .into_iter()
            .map(|days| deadline - chrono::Duration::days(days))
            .filter(|moment| *moment <= now)
            .max();
        if let Some(moment) = passed {
            note(&call, moment);
        }
    }
    let mut run = DigestRun::default();
    if latest.is_empty() {
        return Ok(run);
    }
    let candidates: Vec<(String, DateTime<Utc>)> = latest.into_iter().collect();
    let followers = state
        .digests
        .followers_with_news(&candidates, options.person.as_deref())
        .await?;
    let followed: Vec<String> = followers
        .iter()
        .flat_map(|follower| follower.calls.iter().map(|(call, _)| call.clone()))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let details: HashMap<String, crate::call::CallDetail> = state
        .calls
        .call_details(&followed, now)
        .await?
        .into_iter()
        .map(|detail| (detail.summary.external_id.clone(), detail))
        .collect();
    let period = now.format("%Y-%m-%dT%H:%M").to_string();
    run.subscribers = followers.len();
    let mut records = Vec::new();
    for follower in followers {
        let person_id = follower.person_id;
        let mut sections = Vec::new();
        for (call, followed_at) in &follower.calls {
            let Some(detail) = details.get(call) else {
                continue;
            };
            let since = cut_off(follower.covered_until, *followed_at, earliest);
            let news: Vec<MaterialChange> = changes
                .get(call)
                .into_iter()
                .flatten()
                .filter(|change| change.at > since)
                .cloned()
                .collect();
            let reminders = reminders_due(&detail.deadlines, since, now);
            if news.is_empty() && reminders.is_empty() {
                continue;
            }
            let unfollow = MailLink::Unfollow {
                person_id,
                call: call.clone(),
            };
            sections.push(FollowSection::new(
                detail.summary.title.clone(),
                format!("{public_url}{}", call_path(call)),
                signer.url(public_url, &unfollow),
                &news,
                &reminders,
                detail.deadline_time_zone.unwrap_or(crate::time::DeadlineZone::Central),
            ));
        }
        if sections.is_empty() {
            continue;
        }
        run.due += 1;
        let mail = FollowMail {
            person_id,
            recipient: follower.email,
            name: follower.name,
            period: period.clone(),
            sections,
            preferences_url: format!("{public_url}/preferences"),
            unsubscribe_url: signer.url(public_url, &MailLink::Unsubscribe { person_id }),
        }
        .to_mail(&state.site.mail_domain)
        .map_err(|error| {
            tracing::error!(%error, "follow mail template failed");
            ServiceError::Unavailable("the mail about followed calls could not be written".into())
        })?;
        if !super::digests::outbox_takes(&mail, person_id) {
            continue;
        }
        if options.dry_run {
            run.queued += 1;
            run.previews.push(mail);
            continue;
        }
        records.push(DigestRecord {
            person_id,
            channel: MailChannel::Follows,
            period: period.clone(),
            mail: Some(mail),
        });
    }
    for batch in records.chunks(super::digests::BATCH) {
        let recorded = state.digests.record_digests(batch, now).await?;
        run.queued += recorded.queued;
        run.taken += recorded.taken;
    }
    Ok(run)
}

/// What is news to a follower about one call: what happened after their last follow mail
/// covered, after they followed it, and within the longest look-back.
fn cut_off(covered_until: Option<DateTime<Utc>>, followed_at: DateTime<Utc>, earliest: DateTime<Utc>) -> DateTime<Utc> {
    covered_until.unwrap_or(followed_at).max(followed_at).max(earliest)
}
