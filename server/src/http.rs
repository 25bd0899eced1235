//! The HTTP side: one router serving the Leptos pages, server functions, static files
//! and `/healthz`, with request tracing, compression, and the guards and security headers
//! of [`crate::guards`].

use crate::{assets, dev_mailbox, exports, guards, mail_links, sessions};
use app::{shell, App, BUNDLE_NAME};
use axum::error_handling::HandleErrorLayer;
use axum::extract::{FromRef, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use domain::search::SearchIndex;
use domain::services::AppState;
use domain::store::Store;
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, IntoView};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use serde_json::json;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, LazyLock};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach: the app's services and Leptos's options.
#[derive(Clone)]
pub struct ServerState {
    /// The services.
    pub app: AppState,
    /// The whole database, for the health check.
    pub database: Arc<dyn Store>,
    /// The whole search engine, for the health check.
    pub search: Arc<dyn SearchIndex>,
    /// Where the built site is and how it is named.
    pub leptos: LeptosOptions,
    /// The file mailbox to show at `/dev/mailbox` (development only; `None` in production).
    pub dev_mailbox: Option<std::path::PathBuf>,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

/// Leptos options for a site built into `site_root`, served on `addr`: where the build named
/// the bundle's files by their hashes ([`assets::HASH_FILE`]), pages link those.
pub fn leptos_options(site_root: &Path, addr: SocketAddr) -> LeptosOptions {
    // Absolute: Leptos reads a relative hash file from beside the executable.
    let hash_file = std::path::absolute(site_root.join(assets::HASH_FILE)).unwrap_or_default();
    LeptosOptions::builder()
        .output_name(BUNDLE_NAME)
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(hash_file.is_file())
        .hash_file(Arc::<str>::from(hash_file.to_string_lossy().as_ref()))
        .build()
}

/// The app's routes, generated once per process.
///
/// Generating them runs the app with resource loading switched off for the whole process
/// (leptos-rs/leptos#4773): a page rendering at that moment would wait forever. Once
/// generated, no later router (a test server, say) switches it off again.
static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

/// The whole router, behind the request guards ([`crate::guards`]).
pub fn router(state: ServerState) -> Router {
    let routes = ROUTES.clone();
    let app_state = state.app.clone();
    let options = state.leptos.clone();
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/exports/audit.csv", get(exports::audit_csv))
        .route("/exports/my-data.json", get(exports::personal_data))
        .route("/feeds/search.atom", get(exports::search_feed))
        .route("/feeds/deadlines.ics", get(exports::deadline_calendar))
        .route(
            mail_links::ONE_CLICK_PATH,
            axum::routing::post(mail_links::one_click_unsubscribe),
        );
    if state.dev_mailbox.is_some() {
        router = router
            .route("/dev/mailbox", get(dev_mailbox::list))
            .route("/dev/mailbox/{name}", get(dev_mailbox::show));
    }
    let mut router = router
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(app_state.clone()),
            move || page_shell(options.clone()),
        )
        .nest_service("/pkg", assets::router(&pkg))
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(page_shell))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            sessions::rotate_due_session,
        ))
        .layer(axum::middleware::from_fn(guards::check_request))
        .layer(axum::middleware::from_fn(guards::identify_client))
        .layer(RequestBodyLimitLayer::new(guards::MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            guards::REQUEST_TIMEOUT,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(guards::overloaded))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(guards::MAX_IN_FLIGHT)),
        );
    // Outside the guards, so that their refusals carry the headers too.
    for (name, value) in guards::SECURITY_HEADERS {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router.layer(TraceLayer::new_for_http()).with_state(state)
}

/// The HTML document of every page (and of the not-found page), with the page's
/// Content-Security-Policy set for this render's nonce.
fn page_shell(options: LeptosOptions) -> impl IntoView {
    guards::set_page_csp();
    shell(options)
}

/// `200` with the database, search index and mail outbox state (`"degraded"` when only the
/// index is failing), `503` when the database does not answer.
async fn healthz(State(state): State<ServerState>) -> impl IntoResponse {
    let store = &state.database;
    let backend = store.backend().name();
    let (database_ok, lag) = match (store.ping().await, store.index_lag().await) {
        (Ok(()), Ok(lag)) => (true, Some(lag)),
        (Ok(()), Err(_)) => (true, None),
        (Err(error), _) => {
            tracing::warn!(%error, "health check: database unreachable");
            (false, None)
        }
    };
    let documents = state.search.document_count().await;
    let organisations = state.search.organisation_count().await;
    let now = state.app.clock.now();
    let search = json!({
        "engine": state.search.name(),
        "status": if documents.is_ok() { "ok" } else { "unavailable" },
        "documents": documents.as_ref().ok(),
        "organisations": organisations.as_ref().ok(),
        "lag": lag.map(|lag| json!({
            "pending": lag.pending,
            "oldest_seconds": lag.oldest.map(|oldest| (now - oldest).num_seconds().max(0)),
        })),
    });
    let (code, status) = match (database_ok, documents.is_ok()) {
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        (true, false) => (StatusCode::OK, "degraded"),
        (true, true) => (StatusCode::OK, "ok"),
    };
    let database = json!({ "backend": backend, "status": if database_ok { "ok" } else { "unreachable" } });
    let mail = store.mail_backlog().await.ok().map(|backlog| {
        json!({
            "pending": backlog.pending,
            "oldest_seconds": backlog.oldest.map(|oldest| (now - oldest).num_seconds().max(0)),
            "dead": backlog.dead,
        })
    });
    (
        code,
        Json(json!({ "status": status, "database": database, "search": search, "mail": mail })),
    )
}

/// Serves `router` on `listener` until `stop` (see [`shutdown_signal`]) completes, then lets
/// requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(stop)
        .await
}

/// Completes at Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: call it before the listener is bound, so that a signal sent as
/// soon as the port answers stops the server gracefully instead of killing it.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{signal, SignalKind};
        (signal(SignalKind::interrupt()), signal(SignalKind::terminate()))
    };
    async move {
        #[cfg(unix)]
        match signals {
            (Ok(mut interrupt), Ok(mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
            }
            (interrupt, terminate) => {
                tracing::warn!(
                    interrupt = interrupt.is_ok(),
                    terminate = terminate.is_ok(),
                    "cannot listen for signals: falling back to Ctrl-C"
                );
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    }
}
