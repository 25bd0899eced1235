//! The built bundle under `/pkg` (wasm, JS, CSS): the files `scripts/build-site` compressed
//! ahead at the best level (`.br`, `.gz`) served to browsers that accept them, and names that
//! carry their content's hash kept by browsers for a year without asking again.

use axum::extract::Request;
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::path::Path;
use tower_http::services::ServeDir;

/// The file beside `pkg/` in which the build names each bundle file's hash (`js: …`).
pub const HASH_FILE: &str = "hash.txt";

/// How long a hashed file is kept: its name changes with its content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// What an unhashed file gets: asked again each time (it changes under the same name).
const REVALIDATE: &str = "no-cache";

/// The router serving the folder `pkg` (mounted at `/pkg`).
pub fn router(pkg: &Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(pkg).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn(cache_control))
}

/// Adds the cache policy for the file asked for to a successful answer.
async fn cache_control(request: Request, next: Next) -> Response {
    let policy = if is_hashed(request.uri().path()) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let mut response = next.run(request).await;
    if response.status().is_success() {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Whether `path`'s file name carries a content hash: `name.<16 hex digits>.ext`.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.');
    let (Some(_), Some(hash), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_names_with_a_content_hash_are_immutable() {
        assert!(is_hashed("/fundbridge.0123456789abcdef.wasm"));
        assert!(is_hashed("/fundbridge.0123456789abcdef.css"));
        assert!(!is_hashed("/fundbridge.css"));
        assert!(!is_hashed("/fundbridge_bg.wasm"));
        assert!(!is_hashed("/fundbridge.0123456789abcdeg.js"), "not hexadecimal");
        assert!(!is_hashed("/fundbridge.0123.js"), "too short");
    }
}
