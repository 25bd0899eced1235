//! What the binary can be asked to do: serve, import a feed, load demo data.

use crate::config::Config;
use crate::http::{self, ServerState};
use anyhow::Context;
use domain::demo::{self, DemoSize};
use domain::import::{eu_ftp, ProgressBar};
use domain::services::AppState;
use domain::store;
use std::path::Path;

/// The seed of the portal's demo data: the same seed always gives the same demo.
pub const DEMO_SEED: u64 = 2016_0410;

/// Opens the store and builds the one `AppState`.
pub async fn app_state(config: &Config) -> anyhow::Result<AppState> {
    let store = store::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                store::redact_url(&config.database_url)
            )
        })?;
    Ok(AppState {
        store,
        clock: config.clock(),
    })
}

/// Serves the portal until Ctrl-C or SIGTERM.
pub async fn serve(config: &Config, seed_demo: bool) -> anyhow::Result<()> {
    let state = app_state(config).await?;
    if seed_demo {
        load_demo(&state, true).await?;
    }
    if !config
        .site_root
        .join("pkg")
        .join(format!("{}.js", app::BUNDLE_NAME))
        .exists()
    {
        tracing::warn!(
            site_root = %config.site_root.display(),
            "the built site is missing: pages render but will not hydrate (run scripts/build-site)"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let router = http::router(ServerState {
        app: state,
        leptos: http::leptos_options(&config.site_root, addr),
    });
    tracing::info!(
        backend = config.database_url.split(':').next().unwrap_or(""),
        "Fundbridge listening on http://{addr}"
    );
    http::serve(listener, router)
        .await
        .context("the server stopped with an error")
}

/// Imports a Funding & Tenders Portal topics file, showing progress and a summary.
pub async fn import(config: &Config, path: &Path) -> anyhow::Result<()> {
    let state = app_state(config).await?;
    let progress = ProgressBar::new("importing topics");
    let summary =
        eu_ftp::import_file(state.store.as_ref(), path, state.clock.now(), &progress).await?;
    println!("{summary}");
    Ok(())
}

/// Loads the generated demo data; with `only_if_empty`, does nothing when calls exist.
pub async fn load_demo(state: &AppState, only_if_empty: bool) -> anyhow::Result<()> {
    let store = state.store.as_ref();
    if only_if_empty && store.counts().await?.calls > 0 {
        tracing::info!("the database already has calls: demo data not loaded");
        return Ok(());
    }
    let now = state.clock.now();
    let data = demo::generate(DEMO_SEED, now.date_naive(), DemoSize::DEMO);
    store
        .upsert_calls(&data.calls, now)
        .await
        .context("writing demo calls")?;
    store
        .upsert_organisations(&data.organisations, now)
        .await
        .context("writing demo organisations")?;
    store
        .upsert_clusters(&data.clusters, &data.members, now)
        .await
        .context("writing demo clusters")?;
    let counts = store.counts().await?;
    println!(
        "demo data loaded: {} calls, {} organisations, {} clusters, {} memberships",
        counts.calls, counts.organisations, counts.clusters, counts.cluster_members
    );
    Ok(())
}
