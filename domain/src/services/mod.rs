//! The use cases a request reaches, one module each, over one [`AppState`] that the server
//! builds once and hands to every handler and server function. A request flows one way:
//! server function → service → store and search. The call catalogue and the partner
//! directory, accounts, memberships, funding bodies' publishing and regions' strategies are
//! here, matching calls to organisations, and the searches people save to be mailed about.

pub mod accounts;
pub mod alerts;
pub mod catalogue;
pub mod clusters;
pub mod consortia;
pub mod digests;
pub mod directory;
pub mod feeds;
pub mod follows;
pub mod limits;
pub mod matching;
pub mod memberships;
pub mod messages;
pub mod privacy;
pub mod profiles;
pub mod publishing;
pub mod regions;

use crate::geo::RegionNames;
use crate::search::{CallIndex, OrganisationIndex, SearchIndex};
use crate::store::{
    Alerts, CallStore, Clusters, Consortia, Digests, Directory, MailOutbox, Matches, Memberships, Messages, People,
    Publishing, RateLimits, SearchLog, SearchLogEntry, Store, StoreError, Strategies,
};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Why a service could not do what was asked, in terms the caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing asked for does not exist (the message names it).
    #[error("{0} was not found")]
    NotFound(String),
    /// The request cannot be done as asked; the message says what to fix.
    #[error("{0}")]
    Invalid(String),
    /// A form has mistakes; each names its field and what to fix.
    #[error("the form has {} mistakes", .0.len())]
    InvalidFields(Vec<crate::publishing::FieldError>),
    /// The database failed; the details are for the log, not the user.
    #[error(transparent)]
    Store(StoreError),
    /// A part the service needs is unavailable (an optional convenience such as suggestions).
    #[error("{0}")]
    Unavailable(String),
    /// The request needs a logged-in person and has none.
    #[error("please log in first")]
    Unauthenticated,
    /// The person may not do this (the message says what).
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts; the message says how long to wait.
    #[error("{message}")]
    RateLimited {
        /// What to tell the person.
        message: String,
        /// Seconds until the next attempt may succeed (the `Retry-After` header).
        retry_after_seconds: u64,
    },
}

/// Runs `round` at once, then every `interval`, until `shutdown` turns true: the loop of the
/// server's periodic jobs (scheduled publication, the digests).
pub async fn every<Round, Done>(
    interval: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    mut round: Round,
) where
    Round: FnMut() -> Done,
    Done: std::future::Future<Output = ()>,
{
    loop {
        round().await;
        tokio::select! {
            _ = shutdown.changed() => {
                if *shutdown.borrow() {
                    return;
                }
            }
            () = tokio::time::sleep(interval) => {}
        }
    }
}

/// Refusal for a person without the right to `what` ("grant roles", "edit this call").
fn forbidden(what: &str) -> ServiceError {
    ServiceError::Forbidden(format!("You are not allowed to {what}."))
}

/// The organisation `organisation_id` and `viewer`'s role in it, for its members and
/// administrators only (others are refused the right to `what`); what cannot be an
/// identifier, or names no organisation, is not found.
async fn member_organisation(
    state: &AppState,
    viewer: &crate::people::Viewer,
    organisation_id: &str,
    what: &str,
) -> Result<(crate::organisation::Organisation, Option<crate::people::Role>), ServiceError> {
    let not_found = || ServiceError::NotFound("that organisation".into());
    let id = crate::codes::OrganisationId::parse(organisation_id.trim()).map_err(|_| not_found())?;
    let organisation = state
        .directory
        .get_organisation(id.as_str())
        .await?
        .ok_or_else(not_found)?;
    let role = viewer.role_in(id.as_str());
    if role.is_none() && !viewer.is_admin {
        return Err(forbidden(what));
    }
    Ok((organisation, role))
}

/// A short message that goes with a request or a report, trimmed: at most
/// [`MAX_MESSAGE_CHARS`](crate::people::MAX_MESSAGE_CHARS), line breaks allowed, no other
/// control characters.
fn short_message(message: &str) -> Result<String, ServiceError> {
    let message = message.trim();
    let max = crate::people::MAX_MESSAGE_CHARS;
    if message.chars().count() > max {
        return Err(ServiceError::Invalid(format!(
            "Keep the message under {max} characters."
        )));
    }
    crate::sanitize::check_text("message", message, true).map_err(ServiceError::Invalid)?;
    Ok(message.to_owned())
}

/// Whether `viewer` speaks for the organisation `organisation_id`: one of its editors (or, for
/// a cluster organisation, managers), or an administrator.
fn speaks_for(viewer: &crate::people::Viewer, organisation_id: &str) -> bool {
    viewer.is_admin
        || viewer
            .role_in(organisation_id)
            .is_some_and(crate::people::Role::admits_members)
}

/// One `message` to each person who speaks for the organisation `organisation_id` (its
/// editors and managers, accounts enabled), keyed `<key>:<person>` and addressed by name;
/// `values` fill the rest of the template.
async fn mail_to_team(
    state: &AppState,
    organisation_id: &str,
    key: &str,
    message: crate::mail::templates::Message,
    values: serde_json::Value,
) -> Result<Vec<crate::store::OutgoingMail>, ServiceError> {
    let mut mails = Vec::new();
    for member in state.memberships.members_of(organisation_id).await? {
        if !member.role.admits_members() {
            continue;
        }
        let Some(person) = state.people.person(member.person_id).await? else {
            continue;
        };
        if person.disabled_at.is_some() {
            continue;
        }
        let mut values = values.clone();
        values["name"] = serde_json::Value::String(person.display_name.clone());
        mails.push(accounts::mail_for(
            state,
            &format!("{key}:{}", person.id),
            &person.email,
            &person.language,
            message,
            values,
        )?);
    }
    Ok(mails)
}

/// `message` with a capital first letter.
fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Invalid(message) => ServiceError::Invalid(message),
            StoreError::NotFound(what) => ServiceError::NotFound(what),
            other => ServiceError::Store(other),
        }
    }
}

/// Where "now" comes from: the system clock, or a fixed instant for tests and demos.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The system clock.
    System,
    /// Always this instant.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current instant by this clock.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(instant) => *instant,
        }
    }
}

/// Everything a request may use, shared by all requests: the parts of the database and of
/// the search engine the services read and write, and the clock.
#[derive(Clone)]
pub struct AppState {
    /// Calls: the source of truth the catalogue reads.
    pub calls: Arc<dyn CallStore>,
    /// The calls' search index, derived from the database.
    pub call_index: Arc<dyn CallIndex>,
    /// Organisations, clusters and region names.
    pub directory: Arc<dyn Directory>,
    /// Clusters run from the portal: pages, requests, members.
    pub clusters: Arc<dyn Clusters>,
    /// The organisations' search index, derived from the database.
    pub organisation_index: Arc<dyn OrganisationIndex>,
    /// The anonymous search log.
    pub search_log: Arc<dyn SearchLog>,
    /// Accounts, tokens and sessions.
    pub people: Arc<dyn People>,
    /// Memberships, requests, administrators and the audit log.
    pub memberships: Arc<dyn Memberships>,
    /// Members' conversations with organisations, blocks and abuse reports.
    pub messages: Arc<dyn Messages>,
    /// Funding bodies' calls through their workflow.
    pub publishing: Arc<dyn Publishing>,
    /// Regions' smart-specialisation strategies.
    pub strategies: Arc<dyn Strategies>,
    /// Rate-limit counters.
    pub rate_limits: Arc<dyn RateLimits>,
    /// Mail owed to people (administrators read what could not be delivered).
    pub mail_outbox: Arc<dyn MailOutbox>,
    /// Calls marked not relevant in matches, and the calls' fingerprint.
    pub matches: Arc<dyn Matches>,
    /// Consortia organisations build for calls.
    pub consortia: Arc<dyn Consortia>,
    /// Saved searches and digest times.
    pub alerts: Arc<dyn Alerts>,
    /// What each person's last digest covered, stops and mutes.
    pub digests: Arc<dyn Digests>,
    /// The matcher, built from the calls and rebuilt when they change.
    pub matcher: Arc<matching::MatcherCache>,
    /// The clock statuses are derived with.
    pub clock: Clock,
    /// Where the portal is reached and what it signs mail with.
    pub site: Site,
}

/// What links in mail and `Message-ID`s are built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The address the portal is reached at (`https://fundbridge.eu`), no trailing slash.
    pub public_url: String,
    /// The sender's mail domain (every `Message-ID` ends in it).
    pub mail_domain: String,
    /// Session cookies are `Secure` with the `__Host-` prefix (off only for plain-http
    /// localhost).
    pub secure_cookies: bool,
}

impl Default for Site {
    fn default() -> Site {
        Site {
            public_url: "http://127.0.0.1:3000".into(),
            mail_domain: "fundbridge.localhost".into(),
            secure_cookies: true,
        }
    }
}

impl AppState {
    /// The state for one database, one search engine and one clock.
    pub fn new(store: Arc<dyn Store>, search: Arc<dyn SearchIndex>, clock: Clock) -> AppState {
        AppState {
            calls: store.clone(),
            call_index: search.clone(),
            directory: store.clone(),
            clusters: store.clone(),
            organisation_index: search,
            search_log: store.clone(),
            people: store.clone(),
            memberships: store.clone(),
            messages: store.clone(),
            mail_outbox: store.clone(),
            matches: store.clone(),
            consortia: store.clone(),
            alerts: store.clone(),
            digests: store.clone(),
            matcher: Arc::default(),
            publishing: store.clone(),
            strategies: store.clone(),
            rate_limits: store,
            clock,
            site: Site::default(),
        }
    }

    /// This state, with links and `Message-ID`s built for `site`.
    pub fn with_site(self, site: Site) -> AppState {
        AppState { site, ..self }
    }
}

/// The names of those of `codes` that are regions with a name; labels show codes instead
/// when the database cannot say.
async fn region_names(state: &AppState, codes: impl Iterator<Item = String>) -> RegionNames {
    let mut codes: Vec<String> = codes.filter(|code| code.len() > 2).collect();
    codes.sort_unstable();
    codes.dedup();
    if codes.is_empty() {
        return RegionNames::new();
    }
    state.directory.region_names(&codes).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "region names unavailable");
        RegionNames::new()
    })
}

/// Records a search with text in the anonymous log, the same way for every list: which list
/// (`list`), and the query as its URL writes it. A failure is logged, never the user's problem.
async fn log_search(state: &AppState, list: &str, text: &str, url_query: String, hits: u64) {
    if text.is_empty() {
        return;
    }
    let entry = SearchLogEntry {
        searched_at: state.clock.now(),
        text: text.to_owned(),
        filters: serde_json::json!({ "list": list, "query": url_query }),
        hits,
    };
    if let Err(error) = state.search_log.log_search(&entry).await {
        tracing::warn!(%error, "could not log the search");
    }
}

/// What was typed, without control characters and cut to the longest search text, when it
/// is long enough to complete. A trailing space stays: it says the last word is finished.
fn suggestion_prefix(text: &str) -> Option<String> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(crate::sanitize::MAX_TEXT_CHARS)
        .collect();
    (text.trim().chars().count() >= 2).then_some(text)
}

/// How many suggestions a search box shows.
const SUGGESTIONS: usize = 8;

/// Suggestions are a convenience: an engine error is logged and reported as unavailable.
fn suggestions_unavailable(error: crate::search::SearchError) -> ServiceError {
    tracing::warn!(%error, "suggestions unavailable");
    ServiceError::Unavailable("suggestions are unavailable".into())
}
