//! Downloads that are files rather than pages: a funding body's audit log as CSV, everything
//! held about a person as JSON, a saved search as an Atom feed and the deadlines of followed
//! calls as a calendar (those two by signed token, for readers that cannot sign in). The
//! services decide who may read what; this only carries the session or token in and the file
//! out.

use crate::http::ServerState;
use app::error::AppError;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::services::{accounts, feeds, privacy, publishing};
use serde::Deserialize;

/// The organisation whose log is asked for.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    organisation: String,
}

/// `GET /exports/audit.csv?organisation=ID`: the body's audit log, for its editors,
/// reviewers and administrators.
pub async fn audit_csv(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> Response {
    let token = session_token(&state, &headers);
    match publishing::audit_csv(&state.app, token.as_deref(), &query.organisation).await {
        Ok(csv) => {
            let name = format!("audit-{}.csv", domain::text::slug(&query.organisation, 60));
            (
                [
                    (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                    (CACHE_CONTROL, "no-store".to_owned()),
                ],
                csv,
            )
                .into_response()
        }
        Err(error) => refusal(error),
    }
}

/// `GET /exports/my-data.json`: everything held about the session's person.
pub async fn personal_data(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    let token = session_token(&state, &headers);
    match privacy::personal_data(&state.app, token.as_deref()).await {
        Ok(data) => (
            [
                (CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
                (
                    CONTENT_DISPOSITION,
                    "attachment; filename=\"fundbridge-my-data.json\"".to_owned(),
                ),
                (CACHE_CONTROL, "no-store".to_owned()),
            ],
            serde_json::to_string_pretty(&data).expect("personal data always serialises"),
        )
            .into_response(),
        Err(error) => refusal(error),
    }
}

/// The signed token of a feed's address.
#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    token: String,
}

/// `GET /feeds/search.atom?token=…`: a saved search as an Atom feed.
pub async fn search_feed(State(state): State<ServerState>, Query(query): Query<FeedQuery>) -> Response {
    match feeds::search_feed(&state.app, &query.token).await {
        Ok(xml) => feed_response("application/atom+xml; charset=utf-8", xml),
        Err(error) => refusal(error),
    }
}

/// `GET /feeds/deadlines.ics?token=…`: the deadlines of followed calls as a calendar.
pub async fn deadline_calendar(State(state): State<ServerState>, Query(query): Query<FeedQuery>) -> Response {
    match feeds::deadline_calendar(&state.app, &query.token).await {
        Ok(ics) => feed_response("text/calendar; charset=utf-8", ics),
        Err(error) => refusal(error),
    }
}

/// A feed of `content_type`: private (it names a person), fresh for a quarter of an hour.
fn feed_response(content_type: &str, body: String) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CACHE_CONTROL, "private, max-age=900".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The session id the request's cookies carry.
fn session_token(state: &ServerState, headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
    accounts::token_in_cookies(&state.app.site, cookies)
}

/// A service's refusal as a plain-text answer with its status.
fn refusal(error: domain::services::ServiceError) -> Response {
    let error = AppError::from(error);
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, error.to_string()).into_response()
}
