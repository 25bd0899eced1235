//! Downloads that are files rather than pages: a funding body's audit log as CSV. The services
//! decide who may read what; this only carries the session in and the file out.

use crate::http::ServerState;
use app::error::AppError;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::services::{accounts, publishing};
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
    let cookies = headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
    let token = accounts::token_in_cookies(&state.app.site, cookies);
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
        Err(error) => {
            let error = AppError::from(error);
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, error.to_string()).into_response()
        }
    }
}
