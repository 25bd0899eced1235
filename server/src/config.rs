//! Configuration: built-in defaults, then an optional TOML file, then environment
//! variables (which win). Secrets never appear in `Debug` output.

use anyhow::Context;
use chrono::{DateTime, Utc};
use domain::mail::Mailer;
use domain::services::Clock;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "fundbridge.toml";

/// Everything the server can be told.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://path` (default) or `postgres://user:pass@host/db`. Env: `DATABASE_URL`.
    pub database_url: String,
    /// Address to listen on. Env: `FUNDBRIDGE_LISTEN`.
    pub listen: SocketAddr,
    /// Folder of the embedded search index. Env: `FUNDBRIDGE_INDEX_DIR`.
    pub index_dir: PathBuf,
    /// Folder holding the built site (`pkg/` with the wasm, JS and CSS). Env: `FUNDBRIDGE_SITE_ROOT`.
    pub site_root: PathBuf,
    /// Log filter, as for `RUST_LOG`. Env: `RUST_LOG`.
    pub log: String,
    /// A fixed "now" (RFC 3339) for demos and tests; the system clock when unset. Env: `FUNDBRIDGE_NOW`.
    pub now: Option<DateTime<Utc>>,
    /// Meilisearch's address; when set, search runs there instead of the embedded index. Env: `MEILI_URL`.
    pub meili_url: Option<String>,
    /// Meilisearch's API key (the master key or an admin key). Env: `MEILI_MASTER_KEY`.
    pub meili_master_key: Option<String>,
    /// A Meilisearch key allowed only to search, used for every query (the admin key only
    /// sets indexes up and writes). Env: `MEILI_SEARCH_KEY`.
    pub meili_search_key: Option<String>,
    /// The Meilisearch index holding calls. Env: `MEILI_INDEX`.
    pub meili_index: String,
    /// The SMTP server mail is sent through (`smtp://host:587?tls=required`, `smtps://host`,
    /// `user:password@` for credentials); unset, mail goes to `mailbox_dir`. Env: `SMTP_URL`.
    pub smtp_url: Option<String>,
    /// The sender of every message (`Fundbridge <mail@example.eu>`). Env: `MAIL_FROM`.
    pub mail_from: String,
    /// Where mail goes as `.eml` files when no SMTP server is set. Env: `FUNDBRIDGE_MAILBOX_DIR`.
    pub mailbox_dir: PathBuf,
    /// The address people reach the portal at, for links in mail (`https://fundbridge.eu`);
    /// default `http://` and the listen address. Plain `http` is accepted only for
    /// localhost, and only then are session cookies sent without `Secure`. Env:
    /// `FUNDBRIDGE_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// Serve the file mailbox at `/dev/mailbox` (development only: refused unless mail goes
    /// to the file mailbox and the portal is on localhost). Env: `FUNDBRIDGE_DEV_MAILBOX=1`.
    pub dev_mailbox: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/fundbridge.db".to_owned(),
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            index_dir: PathBuf::from("data/index"),
            site_root: PathBuf::from("target/site"),
            log: "info,sqlx=warn,tantivy=warn,tower_http=info".to_owned(),
            now: None,
            meili_url: None,
            meili_master_key: None,
            meili_search_key: None,
            meili_index: "fundbridge-calls".to_owned(),
            smtp_url: None,
            mail_from: "Fundbridge <noreply@fundbridge.localhost>".to_owned(),
            mailbox_dir: PathBuf::from("data/mailbox"),
            public_url: None,
            dev_mailbox: false,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &domain::store::redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("index_dir", &self.index_dir)
            .field("site_root", &self.site_root)
            .field("log", &self.log)
            .field("now", &self.now)
            .field("meili_url", &self.meili_url.as_deref().map(domain::store::redact_url))
            .field(
                "meili_master_key",
                &self.meili_master_key.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "meili_search_key",
                &self.meili_search_key.as_ref().map(|_| "<redacted>"),
            )
            .field("meili_index", &self.meili_index)
            .field("smtp_url", &self.smtp_url.as_deref().map(domain::store::redact_url))
            .field("mail_from", &self.mail_from)
            .field("mailbox_dir", &self.mailbox_dir)
            .field("public_url", &self.public_url)
            .field("dev_mailbox", &self.dev_mailbox)
            .finish()
    }
}

impl Config {
    /// Loads the configuration: `file` if given (it must exist), else `fundbridge.toml` if
    /// present, then environment variables from `env`.
    pub fn load(file: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
        let mut config = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => Self::from_file(Path::new(DEFAULT_CONFIG_FILE))?,
            None => Config::default(),
        };
        if let Some(url) = env("DATABASE_URL") {
            config.database_url = url;
        }
        if let Some(listen) = env("FUNDBRIDGE_LISTEN") {
            config.listen = listen
                .parse()
                .with_context(|| format!("FUNDBRIDGE_LISTEN={listen:?} is not host:port"))?;
        }
        if let Some(dir) = env("FUNDBRIDGE_INDEX_DIR") {
            config.index_dir = PathBuf::from(dir);
        }
        if let Some(root) = env("FUNDBRIDGE_SITE_ROOT") {
            config.site_root = PathBuf::from(root);
        }
        if let Some(log) = env("RUST_LOG") {
            config.log = log;
        }
        if let Some(now) = env("FUNDBRIDGE_NOW") {
            let instant = DateTime::parse_from_rfc3339(&now)
                .with_context(|| format!("FUNDBRIDGE_NOW={now:?} is not an RFC 3339 instant"))?;
            config.now = Some(instant.with_timezone(&Utc));
        }
        for (var, slot) in [
            ("MEILI_URL", &mut config.meili_url),
            ("MEILI_MASTER_KEY", &mut config.meili_master_key),
            ("MEILI_SEARCH_KEY", &mut config.meili_search_key),
            ("SMTP_URL", &mut config.smtp_url),
        ] {
            if let Some(value) = env(var) {
                *slot = Some(value).filter(|v| !v.is_empty());
            }
        }
        if let Some(index) = env("MEILI_INDEX") {
            config.meili_index = index;
        }
        if let Some(from) = env("MAIL_FROM") {
            config.mail_from = from;
        }
        if let Some(dir) = env("FUNDBRIDGE_MAILBOX_DIR") {
            config.mailbox_dir = PathBuf::from(dir);
        }
        if let Some(url) = env("FUNDBRIDGE_PUBLIC_URL") {
            config.public_url = Some(url.trim_end_matches('/').to_owned()).filter(|url| !url.is_empty());
        }
        if let Some(flag) = env("FUNDBRIDGE_DEV_MAILBOX") {
            config.dev_mailbox = matches!(flag.as_str(), "1" | "true" | "yes");
        }
        domain::store::Backend::for_url(&config.database_url)?;
        Mailer::check(config.smtp_url.as_deref(), &config.mail_from)?;
        let public_url = config.public_url();
        if !domain::sanitize::is_http_url(&public_url) {
            anyhow::bail!("FUNDBRIDGE_PUBLIC_URL={public_url:?} is not an http(s) address");
        }
        if !config.secure_cookies() && !config.on_localhost() {
            anyhow::bail!(
                "FUNDBRIDGE_PUBLIC_URL={public_url:?}: plain http is only for localhost (sessions need https)"
            );
        }
        if config.dev_mailbox && (config.smtp_url.is_some() || !config.on_localhost()) {
            anyhow::bail!("FUNDBRIDGE_DEV_MAILBOX is for development: only with the file mailbox on localhost");
        }
        Ok(config)
    }

    /// The address people reach the portal at, without a trailing slash.
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    /// Whether session cookies are `Secure` (with the `__Host-` prefix): whenever the portal
    /// is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url().to_ascii_lowercase().starts_with("https://")
    }

    /// Whether the portal is reached on this machine only (its public address is a loopback).
    pub fn on_localhost(&self) -> bool {
        let url = self.public_url().to_ascii_lowercase();
        let host = url.split_once("://").map_or("", |(_, rest)| rest);
        let host = host.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        });
        matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost")
    }

    /// Where links in mail point and what mail is signed with.
    pub fn site(&self, mail_domain: &str) -> domain::services::Site {
        domain::services::Site {
            public_url: self.public_url(),
            mail_domain: mail_domain.to_owned(),
            secure_cookies: self.secure_cookies(),
        }
    }

    fn from_file(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{} is not a valid configuration", path.display()))
    }

    /// The mailer this configuration asks for: SMTP when `smtp_url` is set, else the file
    /// mailbox (creating its folder). Call it inside the async runtime.
    pub fn mailer(&self) -> anyhow::Result<Mailer> {
        Ok(match &self.smtp_url {
            Some(url) => Mailer::smtp(url, &self.mail_from)?,
            None => Mailer::file_mailbox(&self.mailbox_dir, &self.mail_from)?,
        })
    }

    /// The clock this configuration asks for.
    pub fn clock(&self) -> Clock {
        self.now.map_or(Clock::System, Clock::Fixed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn environment_variables_override_the_file() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(
            &mut file,
            b"database_url = \"sqlite://from-file.db\"\nlisten = \"127.0.0.1:4000\"\n",
        )
        .unwrap();
        let config = Config::load(Some(file.path()), env(&[("DATABASE_URL", "postgres://u:secret@h/db")])).unwrap();
        assert_eq!(config.database_url, "postgres://u:secret@h/db");
        assert_eq!(config.listen.port(), 4000);
        assert!(
            !format!("{config:?}").contains("secret"),
            "the password stays out of Debug"
        );
    }

    #[test]
    fn meilisearch_is_chosen_by_its_url_and_its_key_stays_out_of_debug() {
        let config = Config::load(None, env(&[])).unwrap();
        assert_eq!(config.meili_url, None, "the embedded index by default");
        let config = Config::load(
            None,
            env(&[
                ("MEILI_URL", "http://127.0.0.1:7700"),
                ("MEILI_MASTER_KEY", "masterkey-secret"),
                ("MEILI_INDEX", "calls-staging"),
            ]),
        )
        .unwrap();
        assert_eq!(config.meili_url.as_deref(), Some("http://127.0.0.1:7700"));
        assert_eq!(config.meili_index, "calls-staging");
        assert_eq!(config.meili_master_key.as_deref(), Some("masterkey-secret"));
        assert!(!format!("{config:?}").contains("masterkey-secret"));
        let config = Config::load(None, env(&[("MEILI_URL", "")])).unwrap();
        assert_eq!(config.meili_url, None, "an empty MEILI_URL means the embedded index");
    }

    #[test]
    fn bad_values_are_refused_with_the_variable_named() {
        let error = Config::load(None, env(&[("FUNDBRIDGE_LISTEN", "everywhere")])).unwrap_err();
        assert!(format!("{error:#}").contains("FUNDBRIDGE_LISTEN"));
        let error = Config::load(None, env(&[("DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(format!("{error:#}").contains("sqlite://"));
    }

    #[test]
    fn cookies_are_secure_except_on_plain_http_localhost() {
        let local = Config::load(None, env(&[])).unwrap();
        assert_eq!(local.public_url(), "http://127.0.0.1:3000");
        assert!(local.on_localhost() && !local.secure_cookies());
        let public = Config::load(None, env(&[("FUNDBRIDGE_PUBLIC_URL", "https://fundbridge.eu/")])).unwrap();
        assert_eq!(public.public_url(), "https://fundbridge.eu");
        assert!(public.secure_cookies() && !public.on_localhost());
        let error = Config::load(None, env(&[("FUNDBRIDGE_PUBLIC_URL", "http://fundbridge.eu")])).unwrap_err();
        assert!(format!("{error:#}").contains("only for localhost"), "{error:#}");
        let error = Config::load(
            None,
            env(&[
                ("FUNDBRIDGE_PUBLIC_URL", "https://fundbridge.eu"),
                ("FUNDBRIDGE_DEV_MAILBOX", "1"),
            ]),
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("development"), "{error:#}");
        assert!(
            Config::load(None, env(&[("FUNDBRIDGE_DEV_MAILBOX", "1")]))
                .unwrap()
                .dev_mailbox
        );
    }

    #[tokio::test]
    async fn mail_goes_to_smtp_when_configured_and_bad_senders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mailbox = dir.path().join("mailbox");
        let mailbox = mailbox.to_str().unwrap();
        let config = Config::load(None, env(&[("FUNDBRIDGE_MAILBOX_DIR", mailbox)])).unwrap();
        assert_eq!(config.mailer().unwrap().transport_name(), "file mailbox");
        assert_eq!(config.mailer().unwrap().sender_domain(), "fundbridge.localhost");
        let config = Config::load(
            None,
            env(&[
                ("SMTP_URL", "smtp://mailer:hunter2@127.0.0.1:2525"),
                ("MAIL_FROM", "Calls <calls@fundbridge.eu>"),
            ]),
        )
        .unwrap();
        assert_eq!(config.mailer().unwrap().transport_name(), "smtp");
        assert_eq!(config.mailer().unwrap().sender_domain(), "fundbridge.eu");
        assert!(!format!("{config:?}").contains("hunter2"));
        let error = Config::load(
            None,
            env(&[("FUNDBRIDGE_MAILBOX_DIR", mailbox), ("MAIL_FROM", "nobody")]),
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("MAIL_FROM"), "{error:#}");
        let error = Config::load(None, env(&[("SMTP_URL", "carrier-pigeon://loft")])).unwrap_err();
        assert!(format!("{error:#}").contains("SMTP_URL"), "{error:#}");
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, b"databse_url = \"typo\"\n").unwrap();
        let error = Config::load(Some(file.path()), env(&[])).unwrap_err();
        assert!(format!("{error:#}").contains("databse_url"), "{error:#}");
    }
}
