//! The `fundbridge` binary: parses the command line and runs the chosen command.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use server::commands::{self, Feed};
use server::config::Config;
use std::path::PathBuf;

/// Fundbridge: EU, regional and investment funding for SMEs, and the partners to apply with.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// A TOML configuration file (default: ./fundbridge.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve {
        /// Load the demo data first if the database has no calls.
        #[arg(long)]
        seed_demo: bool,
    },
    /// Import an EU Funding & Tenders Portal topics file (.jsonl or .csv).
    Import {
        /// The file to import.
        file: PathBuf,
    },
    /// Import region names from a Eurostat list (NUTS 2024 or statistical regions, .csv).
    ImportRegions {
        /// The file to import.
        file: PathBuf,
    },
    /// Load the generated demo data (calls, organisations, clusters).
    SeedDemo {
        /// Do nothing if the database already has calls.
        #[arg(long)]
        if_empty: bool,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Measure the matcher against hand-written cases (JSON Lines) beside the search box.
    Evaluate {
        /// The cases: one JSON object per line (see `docs/matching-cases.jsonl`).
        file: PathBuf,
        /// Print each case's first ten of both rankings (relevant ones starred).
        #[arg(long)]
        show: bool,
    },
    /// Compose the digests and alerts that are due and queue them for sending.
    Digest {
        /// Print what each person would receive; queue nothing.
        #[arg(long)]
        dry_run: bool,
        /// Compose this period's digests now, before their weekday and hour (still one per
        /// person and period).
        #[arg(long)]
        now: bool,
        /// Only the person with this address.
        #[arg(long, value_name = "EMAIL")]
        person: Option<String>,
    },
    /// Create or update the database schema, then exit.
    Migrate,
    /// Mail: check the configuration.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Make EMAIL an administrator (a new account takes its password from
    /// FUNDBRIDGE_ADMIN_PASSWORD).
    CreateAdmin {
        /// The administrator's address.
        email: String,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Send a test message to ADDRESS through the configured mail transport.
    SendTest {
        /// Who gets the test message.
        address: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), |key| std::env::var(key).ok()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error:#}");
            return std::process::ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log))
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command.unwrap_or(Command::Serve { seed_demo: false }) {
        Command::Serve { seed_demo } => commands::serve(&config, seed_demo).await,
        Command::Import { file } => commands::import(&config, Feed::Topics, &file).await,
        Command::ImportRegions { file } => commands::import(&config, Feed::Regions, &file).await,
        Command::SeedDemo { if_empty } => match commands::open_store(&config).await {
            Ok(store) => {
                commands::load_demo(store.as_ref(), config.clock().now(), if_empty, config.on_localhost()).await
            }
            Err(error) => Err(error),
        },
        Command::Reindex => commands::reindex(&config).await,
        Command::Evaluate { file, show } => commands::evaluate(&config, &file, show).await,
        Command::Digest { dry_run, now, person } => commands::digest(&config, dry_run, now, person).await,
        Command::Mail(MailCommand::SendTest { address }) => commands::mail_send_test(&config, &address).await,
        Command::CreateAdmin { email } => {
            commands::create_admin(&config, &email, std::env::var("FUNDBRIDGE_ADMIN_PASSWORD").ok()).await
        }
        Command::Migrate => commands::open_store(&config)
            .await
            .map(|_| println!("database schema is up to date")),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
