//! The `fundbridge` binary as an operator runs it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fundbridge(database: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fundbridge"));
    command
        .env("DATABASE_URL", format!("sqlite://{}", database.display()))
        .env("FUNDBRIDGE_INDEX_DIR", database.with_extension("index"))
        .env("RUST_LOG", "warn")
        .env_remove("FUNDBRIDGE_LISTEN");
    command
}

fn topics_file() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/eu-ftp-calls/calls_open_forthcoming.jsonl")
}

#[test]
fn import_prints_a_summary_and_a_second_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("cli.db");
    let first = fundbridge(&database).arg("import").arg(topics_file()).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains("629 rows read: 629 imported, 0 updated, 0 unchanged, 0 rejected"),
        "{stdout}"
    );

    let second = fundbridge(&database).arg("import").arg(topics_file()).output().unwrap();
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("629 rows read: 0 imported, 0 updated, 629 unchanged, 0 rejected"),
        "{stdout}"
    );
}

#[test]
fn region_names_are_imported_from_a_eurostat_list_and_a_wrong_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("regions.db");
    let nuts = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/nuts/nuts2024.csv");
    let output = fundbridge(&database).arg("import-regions").arg(nuts).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("1582 rows read: 1582 imported, 0 updated, 0 unchanged, 0 rejected"),
        "{stdout}"
    );

    let wrong = fundbridge(&database)
        .arg("import-regions")
        .arg(topics_file())
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("nuts_code"), "{stderr}");
}

#[test]
fn a_bad_configuration_is_refused_before_anything_starts() {
    let output = Command::new(env!("CARGO_BIN_EXE_fundbridge"))
        .env("DATABASE_URL", "mysql://nope")
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("use sqlite://… or postgres://…"), "{stderr}");
}

#[test]
fn the_server_seeds_the_demo_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::helpers::free_port();
    let mut child = fundbridge(&dir.path().join("serve.db"))
        .args(["serve", "--seed-demo"])
        .env("FUNDBRIDGE_LISTEN", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the server exited before listening: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "a graceful shutdown exits with 0, got {:?}",
        output.status
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("demo data loaded: 300 calls, 500 organisations, 20 clusters"),
        "{stdout}"
    );
    for person in ["admin@", "member@", "editor@", "reviewer@", "manager@"] {
        assert!(stdout.contains(person), "a demo person per role on localhost: {stdout}");
    }
}

#[test]
fn demo_people_are_not_seeded_off_localhost() {
    let dir = tempfile::tempdir().unwrap();
    let output = fundbridge(&dir.path().join("public.db"))
        .env("FUNDBRIDGE_PUBLIC_URL", "https://fundbridge.example")
        .arg("seed-demo")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("no demo people"), "{stdout}");
    assert!(!stdout.contains("@fundbridge.localhost"), "{stdout}");
}
