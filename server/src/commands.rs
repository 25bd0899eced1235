//! What the binary can be asked to do: serve, import a feed, load demo data.

use crate::config::Config;
use crate::http::{self, ServerState};
use anyhow::Context;
use chrono::{DateTime, Utc};
use domain::demo::{self, DemoSize};
use domain::import::{eu_ftp, regions, ProgressBar};
use domain::mail::sender::{self, RetryPolicy};
use domain::search::embedded::EmbeddedIndex;
use domain::search::meili::MeiliIndex;
use domain::search::{self, indexer, SearchIndex};
use domain::services::AppState;
use domain::store::{self, OutgoingMail, Store};
use std::path::Path;
use std::sync::Arc;

/// The seed of the portal's demo data: the same seed always gives the same demo.
pub const DEMO_SEED: u64 = 2016_0410;

/// Opens (and migrates) the database. Commands that only write data use this alone, so
/// they can run beside a server that holds the search index.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    store::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", store::redact_url(&config.database_url)))
}

/// Opens the store and the search index.
pub async fn open_store_and_search(config: &Config) -> anyhow::Result<(Arc<dyn Store>, Arc<dyn SearchIndex>)> {
    Ok((open_store(config).await?, open_search(config)?))
}

/// The search engine the configuration asks for: Meilisearch when `MEILI_URL` is set,
/// else the embedded index in `index_dir`.
pub fn open_search(config: &Config) -> anyhow::Result<Arc<dyn SearchIndex>> {
    if let Some(url) = &config.meili_url {
        let shown = domain::store::redact_url(url);
        let index = MeiliIndex::with_search_key(
            url,
            config.meili_master_key.as_deref(),
            config.meili_search_key.as_deref(),
            &config.meili_index,
        )
        .with_context(|| format!("cannot use Meilisearch at {shown}"))?;
        tracing::info!(url = %shown, index = %config.meili_index, "search engine: Meilisearch");
        if config.meili_search_key.is_none() {
            tracing::warn!("MEILI_SEARCH_KEY is not set: searches use the admin key");
        }
        return Ok(Arc::new(index));
    }
    let index = EmbeddedIndex::open(&config.index_dir).with_context(|| {
        format!(
            "cannot open the search index in {} (is a server using it?)",
            config.index_dir.display()
        )
    })?;
    Ok(Arc::new(index))
}

/// Rebuilds the search index from the database, with a progress bar.
pub async fn reindex(config: &Config) -> anyhow::Result<()> {
    let (store, search) = open_store_and_search(config).await?;
    let pending = store.index_lag().await?.pending;
    let written = search::reindex(store.as_ref(), search.as_ref(), &ProgressBar::new("indexing calls")).await?;
    // Everything pending before the rebuild is now in the index.
    let entries = store
        .pending_index_changes(u32::try_from(pending).unwrap_or(u32::MAX))
        .await?;
    store
        .complete_index_changes(&entries.iter().map(|e| e.id).collect::<Vec<_>>())
        .await?;
    println!("search index rebuilt: {written} calls indexed");
    Ok(())
}

/// Serves the portal until Ctrl-C or SIGTERM.
pub async fn serve(config: &Config, seed_demo: bool) -> anyhow::Result<()> {
    let (store, search) = open_store_and_search(config).await?;
    if seed_demo {
        load_demo(store.as_ref(), config.clock().now(), true, config.on_localhost()).await?;
    }
    // A search engine that is down must not keep the portal down: lists come from the
    // database meanwhile, and the indexer catches up when the engine answers.
    if let Err(error) = indexer::catch_up(store.as_ref(), search.as_ref()).await {
        tracing::warn!(
            error = format!("{error:#}"),
            "search index is behind: the indexer will catch up"
        );
    }
    let (stop_jobs, shutdown) = tokio::sync::watch::channel(false);
    let indexer = tokio::spawn({
        let (store, search, shutdown) = (store.clone(), search.clone(), shutdown.clone());
        async move { indexer::run(store.as_ref(), search.as_ref(), shutdown).await }
    });
    let mailer = config.mailer()?;
    let mail_domain = mailer.sender_domain().to_owned();
    tracing::info!(transport = mailer.transport_name(), "mail: sending from the outbox");
    let mail_sender = tokio::spawn({
        let (store, clock) = (store.clone(), config.clock());
        let shutdown = shutdown.clone();
        async move { sender::run(store.as_ref(), &mailer, clock, RetryPolicy::default(), shutdown).await }
    });
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
    let app = AppState::new(store.clone(), search.clone(), config.clock()).with_site(config.site(&mail_domain));
    let schedule = tokio::spawn({
        let (app, shutdown) = (app.clone(), shutdown.clone());
        async move { domain::services::publishing::run_schedule(&app, shutdown).await }
    });
    let digests = tokio::spawn({
        let (app, shutdown) = (app.clone(), shutdown.clone());
        async move { domain::services::digests::run(&app, shutdown).await }
    });
    let stop = http::shutdown_signal();
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let router = http::router(ServerState {
        app,
        dev_mailbox: config.dev_mailbox.then(|| config.mailbox_dir.clone()),
        database: store,
        search,
        leptos: http::leptos_options(&config.site_root, addr),
    });
    tracing::info!(
        backend = config.database_url.split(':').next().unwrap_or(""),
        "Fundbridge listening on http://{addr}"
    );
    let served = http::serve(listener, router, stop)
        .await
        .context("the server stopped with an error");
    let _ = stop_jobs.send(true);
    let _ = indexer.await;
    let _ = mail_sender.await;
    let _ = schedule.await;
    let _ = digests.await;
    served
}

/// Queues a test message to `address` and sends it at once, saying what the mail server
/// answered: the way to check `SMTP_URL` and `MAIL_FROM`.
pub async fn mail_send_test(config: &Config, address: &str) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let mailer = config.mailer()?;
    let now = config.clock().now();
    let mail = OutgoingMail::new(
        &format!("send-test:{address}:{}", now.timestamp_micros()),
        mailer.sender_domain(),
        address,
        "Fundbridge test message",
        "This message checks Fundbridge's mail configuration. Nothing else needs doing.",
        "<p>This message checks Fundbridge's mail configuration. Nothing else needs doing.</p>",
    );
    store.queue_mail(&mail, now).await?;
    let policy = RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    };
    let round = sender::send_due(store.as_ref(), &mailer, now, policy).await?;
    if round.sent > 0 {
        println!(
            "sent a test message to {address} (transport: {})",
            mailer.transport_name()
        );
        return Ok(());
    }
    let reason = store
        .dead_mail(1)
        .await?
        .into_iter()
        .next()
        .and_then(|dead| dead.last_error)
        .unwrap_or_else(|| "unknown".to_owned());
    anyhow::bail!("the test message to {address} was not sent: {reason}")
}

/// Composes the digests and alerts due now (`at_once`: also those whose hour has not come
/// this period) and queues them — or, with `dry_run`, prints what each person would receive
/// and records nothing; `person` narrows it to one address.
pub async fn digest(config: &Config, dry_run: bool, at_once: bool, person: Option<String>) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    // Composing searches its own in-memory index of what is new, never the live one (which a
    // running server holds open): an empty one stands in for it.
    let search = Arc::new(EmbeddedIndex::in_memory()?);
    let mail_domain = config.mailer()?.sender_domain().to_owned();
    let app = AppState::new(store, search, config.clock()).with_site(config.site(&mail_domain));
    let options = domain::services::digests::DigestOptions {
        dry_run,
        person,
        at_once,
    };
    let run = domain::services::digests::compose_due(&app, &options).await?;
    for mail in &run.previews {
        println!(
            "To: {}\nSubject: {}\n\n{}\n",
            mail.recipient, mail.subject, mail.text_body
        );
    }
    let verb = if dry_run { "would be queued" } else { "queued" };
    let taken = if run.taken > 0 {
        format!(", {} composed by another run", run.taken)
    } else {
        String::new()
    };
    println!(
        "{} subscribers, {} periods due: {} {verb}, {} with nothing new{taken}",
        run.subscribers, run.due, run.queued, run.nothing_new
    );
    Ok(())
}

/// What an imported file holds.
#[derive(Debug, Clone, Copy)]
pub enum Feed {
    /// Funding & Tenders Portal topics (.jsonl or .csv).
    Topics,
    /// A Eurostat region list (NUTS or statistical regions, .csv).
    Regions,
}

/// Imports a file, showing progress and a summary. The search index catches up with new
/// topics through the outbox (a running server applies it within a second).
pub async fn import(config: &Config, feed: Feed, path: &Path) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let now = config.clock().now();
    let summary = match feed {
        Feed::Topics => eu_ftp::import_file(store.as_ref(), path, now, &ProgressBar::new("importing topics")).await?,
        Feed::Regions => {
            regions::import_file(store.as_ref(), path, now, &ProgressBar::new("importing regions")).await?
        }
    };
    println!("{summary}");
    Ok(())
}

/// Loads the generated demo data; with `only_if_empty`, does nothing when calls exist.
pub async fn load_demo(
    store: &dyn Store,
    now: DateTime<Utc>,
    only_if_empty: bool,
    with_people: bool,
) -> anyhow::Result<()> {
    if only_if_empty && store.counts().await?.calls > 0 {
        tracing::info!("the database already has calls: demo data not loaded");
        return Ok(());
    }
    let data = demo::generate(DEMO_SEED, now.date_naive(), DemoSize::DEMO);
    data.write_to(store, now).await.context("writing the demo data")?;
    let counts = store.counts().await?;
    println!(
        "demo data loaded: {} calls, {} organisations, {} clusters, {} memberships",
        counts.calls, counts.organisations, counts.clusters, counts.cluster_members
    );
    if with_people {
        let people = demo::people(&data);
        let hash = tokio::task::spawn_blocking(|| domain::credentials::hash_password(demo::DEMO_PASSWORD)).await?;
        demo::write_people(store, &people, &hash, now)
            .await
            .context("writing the demo people")?;
        println!("demo people (password \"{}\"; localhost only):", demo::DEMO_PASSWORD);
        for person in &people {
            let role = match (&person.membership, person.is_admin) {
                (_, true) => "administrator".to_owned(),
                (Some((organisation, role)), false) => format!("{} of {organisation}", role.as_str()),
                (None, false) => "no organisation".to_owned(),
            };
            println!("  {:<32} {role}", person.email);
        }
    } else {
        println!("no demo people: the portal is not on localhost");
    }
    Ok(())
}

/// Makes `email` an administrator: an existing account is promoted; otherwise a confirmed
/// account is created with the password read from `FUNDBRIDGE_ADMIN_PASSWORD` (so it is not
/// left in the shell's history). Recorded in the audit log.
pub async fn create_admin(config: &Config, email: &str, password: Option<String>) -> anyhow::Result<()> {
    let (store, search) = open_store_and_search(config).await?;
    let state = AppState::new(store, search, config.clock());
    let name = email.split('@').next().unwrap_or(email);
    let created = domain::services::accounts::create_admin(&state, email, name, password.as_deref().unwrap_or(""))
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    if created {
        println!("{email} is a new administrator; they log in with the password given.");
    } else {
        println!("{email} is now an administrator.");
    }
    Ok(())
}

/// Measures the matcher against the cases in `path` (JSON Lines) beside the search box's
/// ranking, printing recall at 5 and 10 and the reciprocal rank per case and overall; with
/// `show`, each case's first ten of both.
pub async fn evaluate(config: &Config, path: &Path, show: bool) -> anyhow::Result<()> {
    use domain::matching::evaluation::{read_cases, Measures};
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (cases, mistakes) = read_cases(&text);
    for mistake in &mistakes {
        eprintln!("{}: {mistake}", path.display());
    }
    anyhow::ensure!(!cases.is_empty(), "{} holds no case to evaluate", path.display());
    let (store, search) = open_store_and_search(config).await?;
    let state = AppState::new(store, search, config.clock());
    let reports = domain::services::matching::evaluate(&state, &cases)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let row = |m: &Measures| {
        format!(
            "{:>5.2} {:>5.2} {:>5.2}",
            m.recall_at_5, m.recall_at_10, m.reciprocal_rank
        )
    };
    println!(
        "{:<36} {:^17} | {:^17} | excluded in top 10",
        "case", "matcher", "search box"
    );
    println!(
        "{:<36} {:^17} | {:^17} | matcher / box",
        "", "  R@5  R@10   RR", "  R@5  R@10   RR"
    );
    if show {
        println!("    (parts: capabilities sectors text region deadline trl budget dual-use not-relevant)");
    }
    for report in &reports {
        println!(
            "{:<36} {} | {} | {} / {}",
            report.id,
            row(&report.matcher),
            row(&report.baseline),
            report.matcher_excluded,
            report.baseline_excluded
        );
        if show {
            let relevant = &cases
                .iter()
                .find(|c| c.id == report.id)
                .map(|c| c.relevant.clone())
                .unwrap_or_default();
            let mark = |id: &str| if relevant.iter().any(|r| r == id) { "*" } else { " " };
            for (i, (id, score)) in report.matcher_top.iter().enumerate() {
                let boxed = report
                    .baseline_top
                    .get(i)
                    .map_or(String::new(), |b| format!("{}{b}", mark(b)));
                let parts = report.matcher_parts[i].map(|p| format!("{p:>2}")).join(" ");
                println!("    {:>2}. {}{id:<44} {score:>3} [{parts}]   {boxed}", i + 1, mark(id));
            }
        }
    }
    let matcher = Measures::mean(&reports.iter().map(|r| r.matcher).collect::<Vec<_>>());
    let baseline = Measures::mean(&reports.iter().map(|r| r.baseline).collect::<Vec<_>>());
    let matcher_excluded: usize = reports.iter().map(|r| r.matcher_excluded).sum();
    let baseline_excluded: usize = reports.iter().map(|r| r.baseline_excluded).sum();
    println!(
        "{:<36} {} | {} | {matcher_excluded} / {baseline_excluded}",
        format!("overall ({} cases)", reports.len()),
        row(&matcher),
        row(&baseline)
    );
    anyhow::ensure!(
        mistakes.is_empty(),
        "{} bad lines in {}",
        mistakes.len(),
        path.display()
    );
    Ok(())
}
