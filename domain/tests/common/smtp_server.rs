//! A real SMTP server process for the mail tests: aiosmtpd (installed by `scripts/setup` in
//! `.venv-smtp/`), storing each message it accepts as a file in a Maildir. Shared by the
//! domain's and the server's tests (included with `#[path]`).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running (or stopped) aiosmtpd on a port of its own.
pub struct SmtpServer {
    /// The port it listens on (kept across restarts).
    pub port: u16,
    maildir: tempfile::TempDir,
    process: Option<Child>,
}

/// The Python that has aiosmtpd: the project's venv, else the system's.
fn python() -> PathBuf {
    // Both crates that include this file sit one folder below the workspace root.
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv-smtp/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

impl SmtpServer {
    /// Starts a server on a free port.
    pub fn start() -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut server = SmtpServer {
            port,
            maildir: tempfile::tempdir().unwrap(),
            process: None,
        };
        server.restart();
        server
    }

    /// The `SMTP_URL` that reaches it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts the process again (on the same port, into the same Maildir) and waits until it
    /// accepts connections.
    pub fn restart(&mut self) {
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{}", self.port)])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd must be installed (scripts/setup puts it in .venv-smtp/)");
        self.process = Some(child);
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(15), "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Kills the process: connections are refused until [`SmtpServer::restart`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far, as raw text, in the order it arrived.
    pub fn received(&self) -> Vec<String> {
        let mut files = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.path().join("mail").join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let written = entry.metadata().and_then(|m| m.modified()).ok();
                files.push((written, entry.path()));
            }
        }
        files.sort();
        files
            .into_iter()
            .map(|(_, path)| std::fs::read_to_string(path).unwrap())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}
