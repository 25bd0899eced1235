//! Saved searches and the digest time as use cases (following calls is in `follows`): a signed-in person saves the call search
//! or directory search they are looking at, switches how often each mails them, deletes it,
//! and chooses the weekday, hour and time zone of their digest. Everything here is the
//! person's own: another person's saved search is not found.

use super::{AppState, ServiceError};
use crate::alerts::{
    describe_calls, describe_organisations, saved_call_query, saved_organisation_query, DigestSchedule, Frequency,
    OrganisationAlert, Preferences, SavedNotice, SavedSearch, SearchKind, MAX_SAVED_SEARCHES,
};
use crate::organisation_query::OrganisationQuery;
use crate::publishing::FieldError;
use crate::query::CallQuery;
use crate::store::{NewSavedSearch, StoreError};

/// The most URL pairs a search to save may hold (a query has far fewer filters).
pub const MAX_QUERY_PAIRS: usize = 100;

/// The signed-in person's saved searches, followed calls, feed addresses and digest time.
pub async fn preferences(state: &AppState, session: Option<&str>) -> Result<Preferences, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let searches = state.alerts.saved_searches(viewer.person_id).await?;
    let (feed_urls, calendar_url) = super::feeds::feed_addresses(state, viewer.person_id, &searches).await?;
    Ok(Preferences {
        searches,
        schedule: state.alerts.digest_schedule(viewer.person_id).await?,
        mail_stopped: state.digests.alert_mail_stopped(viewer.person_id).await?,
        follows: state.alerts.followed_calls(viewer.person_id, state.clock.now()).await?,
        feed_urls,
        calendar_url,
        organisation_alerts: organisation_alerts(state, &viewer).await?,
    })
}

/// The organisations `viewer` applies for calls with, each with whether its new top matches
/// are in their weekly digest.
async fn organisation_alerts(
    state: &AppState,
    viewer: &crate::people::Viewer,
) -> Result<Vec<OrganisationAlert>, ServiceError> {
    let on = state.alerts.top_matches_alerts(viewer.person_id).await?;
    Ok(super::matching::applying_organisations(viewer)
        .into_iter()
        .map(|(organisation_id, organisation_name)| OrganisationAlert {
            top_matches: on.contains(&organisation_id),
            organisation_id,
            organisation_name,
        })
        .collect())
}

/// Puts (`on`) or leaves out the new top matches of `organisation_id` in the signed-in
/// person's weekly digest: for its members, and only for an organisation that applies for
/// calls (a funding body has no matches).
pub async fn set_top_matches_alert(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    on: bool,
) -> Result<OrganisationAlert, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let (organisation, _) = super::member_organisation(
        state,
        &viewer,
        organisation_id,
        "get this organisation's matches by mail",
    )
    .await?;
    if organisation.kind.publishes_calls() {
        return Err(ServiceError::Invalid(
            "Matches are for organisations that apply for calls; this one publishes them.".into(),
        ));
    }
    state
        .alerts
        .set_top_matches_alert(viewer.person_id, &organisation.external_id, on, state.clock.now())
        .await?;
    Ok(OrganisationAlert {
        organisation_id: organisation.external_id,
        organisation_name: organisation.name,
        top_matches: on,
    })
}

/// Resumes all alert mail to the signed-in person after an unsubscribe (what the mail's
/// confirmation page undoes too).
pub async fn resume_alert_mail(state: &AppState, session: Option<&str>) -> Result<(), ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    Ok(state
        .digests
        .set_alert_mail_stopped(viewer.person_id, false, state.clock.now())
        .await?)
}

/// Saves the `kind` search the URL pairs `pairs` describe (read as the list page reads them:
/// unknown keys and values left out; saved as its first page in its default order), mailed
/// weekly; saving the same search again returns the one saved. With it, the sentence of what
/// it will mail at the person's digest time.
pub async fn save_search(
    state: &AppState,
    session: Option<&str>,
    kind: SearchKind,
    pairs: &[(String, String)],
) -> Result<SavedNotice, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    if pairs.len() > MAX_QUERY_PAIRS {
        return Err(ServiceError::Invalid(format!(
            "A search to save has at most {MAX_QUERY_PAIRS} filters."
        )));
    }
    let pairs = pairs.iter().map(|(key, value)| (key.as_str(), value.as_str()));
    let search = match kind {
        SearchKind::Calls => {
            let query = saved_call_query(&CallQuery::from_pairs(pairs));
            NewSavedSearch {
                kind,
                query: query.to_query_string(),
                title: describe_calls(&query),
            }
        }
        SearchKind::Organisations => {
            let query = saved_organisation_query(&OrganisationQuery::from_pairs(pairs));
            NewSavedSearch {
                kind,
                query: query.to_query_string(),
                title: describe_organisations(&query),
            }
        }
    };
    let search = state
        .alerts
        .save_search(viewer.person_id, &search, MAX_SAVED_SEARCHES, state.clock.now())
        .await
        .map_err(limit_reached)?;
    let schedule = state.alerts.digest_schedule(viewer.person_id).await?;
    Ok(SavedNotice {
        sentence: search.sentence(search.frequency, &schedule),
        search,
    })
}

/// Sets how often the signed-in person's saved search `id` mails them.
pub async fn set_search_frequency(
    state: &AppState,
    session: Option<&str>,
    id: i64,
    frequency: Frequency,
) -> Result<SavedSearch, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    Ok(state
        .alerts
        .set_search_frequency(viewer.person_id, id, frequency, state.clock.now())
        .await?)
}

/// Deletes the signed-in person's saved search `id`.
pub async fn delete_saved_search(state: &AppState, session: Option<&str>, id: i64) -> Result<(), ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    Ok(state.alerts.delete_saved_search(viewer.person_id, id).await?)
}

/// Records when the signed-in person's digest is composed; a day, hour or zone that is not
/// one is refused on its field and nothing changes.
pub async fn set_digest_schedule(
    state: &AppState,
    session: Option<&str>,
    schedule: &DigestSchedule,
) -> Result<DigestSchedule, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let mistake = schedule.mistake().or_else(|| {
        schedule
            .zone()
            .is_none()
            .then(|| ("time_zone", "Choose a time zone from the list.".to_owned()))
    });
    if let Some((field, message)) = mistake {
        return Err(ServiceError::InvalidFields(vec![FieldError::new(field, message)]));
    }
    state
        .alerts
        .set_digest_schedule(viewer.person_id, schedule, state.clock.now())
        .await?;
    Ok(schedule.clone())
}

/// A full list of saved searches becomes a mistake the person can fix.
fn limit_reached(error: StoreError) -> ServiceError {
    match error {
        StoreError::Conflict(message) => ServiceError::Invalid(format!("{}.", super::capitalised(&message))),
        other => other.into(),
    }
}
