//! The one-click unsubscribe of RFC 8058: a mail client that shows "Unsubscribe" next to a
//! digest POSTs `List-Unsubscribe=One-Click` to the `List-Unsubscribe` address, from its own
//! servers (no browser, no cookie, no same-site origin). The signed token in the address is
//! the authority; it takes effect at once. Opened in a browser, the same address is the
//! confirmation page (`app::pages::mail_links`), which offers to undo.

use crate::guards::error_response;
use crate::http::ServerState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::services::{digests, ServiceError};
use serde::Deserialize;

/// Where the one-click POST goes (the confirmation page's address too).
pub const ONE_CLICK_PATH: &str = "/mail/unsubscribe";

/// The token in the address.
#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: String,
}

/// `POST /mail/unsubscribe?token=…` with the body `List-Unsubscribe=One-Click`.
pub async fn one_click_unsubscribe(
    State(state): State<ServerState>,
    Query(query): Query<TokenQuery>,
    body: String,
) -> Response {
    let one_click = body.split('&').any(|pair| pair.trim() == "List-Unsubscribe=One-Click");
    if !one_click {
        return error_response(
            StatusCode::BAD_REQUEST,
            "a one-click unsubscribe sends List-Unsubscribe=One-Click",
        );
    }
    match digests::apply_mail_link(&state.app, &query.token, false).await {
        Ok(outcome) if outcome.action == "unsubscribe" => (StatusCode::OK, outcome.sentence).into_response(),
        Ok(_) => error_response(StatusCode::BAD_REQUEST, "this link does not unsubscribe"),
        Err(ServiceError::Invalid(message)) => error_response(StatusCode::BAD_REQUEST, &message),
        Err(error) => {
            tracing::warn!(%error, "one-click unsubscribe failed");
            error_response(StatusCode::SERVICE_UNAVAILABLE, "please try again in a moment")
        }
    }
}
