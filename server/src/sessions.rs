//! Session ids are replaced when a person's rights change: before a page or server function
//! runs, a session marked for rotation gets a new id — the request goes on with it, and the
//! response sets it in the cookie. Done here rather than in the app because a page's headers
//! may be sent before its data loads.

use crate::http::ServerState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use domain::services::accounts;

/// Rotates the request's session if it is due (see the module's documentation).
pub async fn rotate_due_session(State(state): State<ServerState>, mut request: Request<Body>, next: Next) -> Response {
    if request.uri().path().starts_with("/pkg/") {
        return next.run(request).await; // the built site's files need no session
    }
    let site = &state.app.site;
    let cookies = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok());
    let Some(token) = accounts::token_in_cookies(site, cookies) else {
        return next.run(request).await;
    };
    let rotated = match accounts::rotate_if_due(&state.app, Some(&token)).await {
        Ok(rotated) => rotated,
        Err(error) => {
            tracing::warn!(%error, "could not check the session for rotation");
            None
        }
    };
    let Some(new_token) = rotated else {
        return next.run(request).await;
    };
    // The rest of this request sees the new id only.
    let name = accounts::cookie_name(site);
    let others: Vec<String> = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .map(str::trim)
        .filter(|pair| !pair.is_empty() && pair.split_once('=').map(|(key, _)| key) != Some(name))
        .map(str::to_owned)
        .collect();
    let mut cookie = others.join("; ");
    if !cookie.is_empty() {
        cookie.push_str("; ");
    }
    cookie.push_str(&format!("{name}={new_token}"));
    request.headers_mut().remove(COOKIE);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        request.headers_mut().insert(COOKIE, value);
    }
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&accounts::set_cookie_value(site, Some(&new_token))) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}
