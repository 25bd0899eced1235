//! Request hygiene: what every request passes before the app sees it, and the headers every
//! answer carries. Bounded bodies and time, shed load instead of queueing without end,
//! only the methods and content types a route takes, no state-changing request from
//! another site, and a Content-Security-Policy whose per-request nonce lets only the
//! page's own scripts run.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use leptos::prelude::use_context;
use serde_json::json;

/// Server functions live under this prefix; everything else is a page or a file.
pub const API_PREFIX: &str = "/api/";
/// The largest request body accepted (server functions take small JSON objects).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// A request still unanswered after this long is abandoned with `503`.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// Requests served at once; more are turned away with `503` rather than queued.
pub const MAX_IN_FLIGHT: usize = 256;

/// The policy for answers that are not pages (JSON, files, errors): nothing may run.
pub const STRICT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The policy for a page: its own scripts (those carrying `nonce`, and what they load), the
/// wasm they instantiate, styles, images and requests to this origin only; no plugins, no
/// `<base>`, no framing.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the page's CSP, with the nonce Leptos gives this render's scripts, on the response.
/// Called while a page renders (from the HTML shell).
pub fn set_page_csp() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Headers every response carries unless it set its own.
pub const SECURITY_HEADERS: [(header::HeaderName, &str); 7] = [
    (header::CONTENT_SECURITY_POLICY, STRICT_CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
    (
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        header::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
];

/// A plain JSON error: `{"error": message}` with `status`.
pub fn error_response(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// Turns away what no route here takes: a server function called other than by a same-site
/// `POST` of JSON, a page or file asked for with a method other than `GET`/`HEAD`, and any
/// state-changing request sent from another site (`Sec-Fetch-Site`, else `Origin` against
/// `Host`) — the cross-site request forgery check every later form relies on. The one
/// exception is the one-click unsubscribe POST ([`crate::mail_links`]), which carries its
/// own signed authority.
pub async fn check_request(request: Request<Body>, next: Next) -> Response {
    let method = request.method().clone();
    let is_api = request.uri().path().starts_with(API_PREFIX);
    let reads_only = method == Method::GET || method == Method::HEAD;
    if method == Method::POST && request.uri().path() == crate::mail_links::ONE_CLICK_PATH {
        // Mail providers POST from their own servers; the signed token is the authority.
        return next.run(request).await;
    }
    if !reads_only && is_cross_site(request.headers()) {
        return error_response(StatusCode::FORBIDDEN, "requests from other sites are not accepted");
    }
    if is_api {
        if method != Method::POST {
            let mut response = error_response(StatusCode::METHOD_NOT_ALLOWED, "server functions take POST");
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
        if !is_json(request.headers()) {
            return error_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the arguments as a JSON object (Content-Type: application/json)",
            );
        }
    } else if !reads_only {
        let mut response = error_response(StatusCode::METHOD_NOT_ALLOWED, "this address can only be read");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    next.run(request).await
}

/// Records who is calling — the peer's IP address and the browser's `User-Agent` — for the
/// services' rate limits and sessions list. The peer is the TCP peer: behind a reverse proxy
/// every client shares its address (rate limits then count the proxy; see the README).
pub async fn identify_client(mut request: Request<Body>, next: Next) -> Response {
    let ip = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_default();
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|agent| domain::sanitize::clean_line(agent, 200))
        .unwrap_or_default();
    request
        .extensions_mut()
        .insert(domain::services::accounts::Client { ip, user_agent });
    next.run(request).await
}

/// Whether the body is declared as JSON (`application/json`, with or without parameters).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

/// Whether the browser says the request comes from another site: `Sec-Fetch-Site` when it
/// sends one (every current browser), else an `Origin` whose host is not this `Host`.
fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return !matches!(site, "same-origin" | "none");
    }
    match (text(header::ORIGIN), text(header::HOST)) {
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, authority)| authority) != Some(host),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The answer when a request is shed because the server is at [`MAX_IN_FLIGHT`] (a request
/// that runs past [`REQUEST_TIMEOUT`] is answered `503` by the timeout layer itself).
pub async fn overloaded(error: tower::BoxError) -> Response {
    if error.is::<tower::load_shed::error::Overloaded>() {
        error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy; please try again in a moment",
        )
    } else {
        tracing::error!(%error, "request failed in a middleware");
        error_response(StatusCode::INTERNAL_SERVER_ERROR, "something went wrong on our side")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (header::HeaderName::from_static(name), HeaderValue::from_static(value)))
            .collect()
    }

    #[test]
    fn other_sites_are_told_apart_from_this_one() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_cross_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "fundbridge.eu")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "https://fundbridge.eu"),
            ("host", "fundbridge.eu")
        ])));
        assert!(
            !is_cross_site(&headers(&[("host", "fundbridge.eu")])),
            "no Origin: a non-browser client"
        );
        assert!(is_cross_site(&headers(&[
            ("origin", "null"),
            ("host", "fundbridge.eu")
        ])));
    }

    #[test]
    fn only_json_is_json() {
        assert!(is_json(&headers(&[(
            "content-type",
            "application/json; charset=utf-8"
        )])));
        assert!(!is_json(&headers(&[("content-type", "text/plain")])));
        assert!(!is_json(&headers(&[(
            "content-type",
            "application/x-www-form-urlencoded"
        )])));
        assert!(!is_json(&HeaderMap::new()));
    }
}
