//! Downloads that are files rather than pages: a funding body's audit log as CSV, and
//! everything held about a person as JSON. The services decide who may read what; this only
//! carries the session in and the file out.

use crate::http::ServerState;
use app::error::AppError;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::services::{accounts, privacy, publishing};
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
