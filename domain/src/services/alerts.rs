//! Saved searches and the digest time as use cases (following calls is in `follows`): a signed-in person saves the call search
//! or directory search they are looking at, switches how often each mails them, deletes it,
//! and chooses the weekday, hour and time zone of their digest. Everything here is the
//! person's own: another person's saved search is not found.

use super::{AppState, ServiceError};
use crate::alerts::{
    describe_calls, describe_organisations, saved_call_query, saved_organisation_query, DigestSchedule, Frequency,
    OrganisationAlert, Preferences, SavedNotice, SavedSearch, SearchKind, MAX_SAVED_SEARCHES,
};
use crate::mail::templates::Message;
use crate::organisation_query::OrganisationQuery;
use crate::publishing::FieldError;
use crate::query::CallQuery;
use crate::store::{NewPerson, NewSavedSearch, StoreError, TokenPurpose};

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
    let search = search_to_save(kind, pairs)?;
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

/// The `kind` search the URL pairs `pairs` describe, as it is saved (see [`save_search`]).
fn search_to_save(kind: SearchKind, pairs: &[(String, String)]) -> Result<NewSavedSearch, ServiceError> {
    if pairs.len() > MAX_QUERY_PAIRS {
        return Err(ServiceError::Invalid(format!(
            "A search to save has at most {MAX_QUERY_PAIRS} filters."
        )));
    }
    let pairs = pairs.iter().map(|(key, value)| (key.as_str(), value.as_str()));
    Ok(match kind {
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
    })
}

/// The answer to a subscription by email, whatever happened (it tells nobody whether an
/// address has an account).
pub const SUBSCRIBE_ANSWER: &str = "Check your inbox: we sent a link to confirm. Nothing is mailed until you open it.";

/// A visitor asks for the `kind` search `pairs` describe to be mailed weekly to `email`,
/// without an account (double opt-in). An address without an account gets a passwordless
/// account, unconfirmed, holding the search, and a link to confirm it: nothing is mailed until
/// it is opened (the digest reads confirmed people only). An unconfirmed account gets the
/// search and a fresh link. An address with a confirmed account is changed in no way: it is
/// told how to save the search itself. The answer is [`SUBSCRIBE_ANSWER`] in every case.
pub async fn subscribe_by_email(
    state: &AppState,
    client: &super::accounts::Client,
    kind: SearchKind,
    pairs: &[(String, String)],
    email: &str,
) -> Result<&'static str, ServiceError> {
    crate::people::check_email(email).map_err(ServiceError::Invalid)?;
    let search = search_to_save(kind, pairs)?;
    super::accounts::limit_mail_requests(state, super::limits::SUBSCRIPTIONS_PER_IP, email, client).await?;
    let now = state.clock.now();
    let sentence = SavedSearch {
        id: 0,
        kind: search.kind,
        query: search.query.clone(),
        title: search.title.clone(),
        frequency: Frequency::Weekly,
    }
    .sentence(Frequency::Weekly, &DigestSchedule::default());
    let existing = state.people.person_by_email(email).await?;
    if let Some(person) = existing.as_ref().filter(|person| person.email_verified_at.is_some()) {
        let page = format!("{}{}", kind.path(), search.query);
        let mail = super::accounts::mail_for(
            state,
            &format!(
                "subscription-for-account:{}:{}",
                person.id,
                crate::credentials::new_token()
            ),
            &person.email,
            &person.language,
            Message::SubscriptionForAccount,
            serde_json::json!({ "name": person.display_name, "sentence": sentence,
                "link": super::accounts::link(state, &page) }),
        )?;
        state.mail_outbox.queue_mail(&mail, now).await?;
        return Ok(SUBSCRIBE_ANSWER);
    }
    let name = email.split('@').next().unwrap_or_default().trim();
    let name = crate::sanitize::clean_line(name, 40);
    let name = if name.is_empty() { "there".to_owned() } else { name };
    let (secret, token) = super::accounts::new_token(state, 0, TokenPurpose::Verify, None);
    let mail = super::accounts::mail_for(
        state,
        &format!("confirm-subscription:{}", token.digest),
        email.trim(),
        "en",
        Message::ConfirmSubscription,
        serde_json::json!({ "name": name, "sentence": sentence,
            "link": super::accounts::link(state, &format!("/account/verify?token={secret}")) }),
    )?;
    let person_id = match existing {
        Some(person) => {
            let token = crate::store::EmailToken {
                person_id: person.id,
                ..token
            };
            state.people.issue_token(&token, &mail, now).await?;
            person.id
        }
        None => {
            let password_hash = tokio::task::spawn_blocking(crate::credentials::unusable_password_hash)
                .await
                .map_err(|error| ServiceError::Unavailable(format!("the account could not be made: {error}")))?;
            let person = NewPerson {
                email: email.trim().to_owned(),
                display_name: name,
                password_hash,
                verified: false,
                is_admin: false,
            };
            match state.people.create_person(&person, Some((&token, &mail)), now).await {
                Ok(id) => id,
                // Two subscriptions for one address at once: the other one won; answer alike.
                Err(StoreError::Conflict(_)) => return Ok(SUBSCRIBE_ANSWER),
                Err(error) => return Err(error.into()),
            }
        }
    };
    state
        .alerts
        .save_search(person_id, &search, MAX_SAVED_SEARCHES, now)
        .await
        .map_err(limit_reached)?;
    Ok(SUBSCRIBE_ANSWER)
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
