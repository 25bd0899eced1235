//! Importing the EU Funding & Tenders Portal topics in `../shared/data/eu-ftp-calls/`.

use chrono::{DateTime, TimeZone, Utc};
use domain::import::{eu_ftp, Silent};
use domain::store::Store;
use domain::{CallQuery, CallStatus};
use std::io::Write;
use std::path::PathBuf;

/// The real topics file (629 topics, snapshot of 2026-08-10).
fn topics_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/eu-ftp-calls")
        .join(name)
}

/// The day of the snapshot, so statuses match what the portal showed.
fn snapshot_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 8, 10, 12, 0, 0).unwrap()
}

async fn all_629_real_topics_import_with_their_fields(store: &dyn Store) {
    let path = topics_file("calls_open_forthcoming.jsonl");
    let summary = eu_ftp::import_file(store, &path, snapshot_day(), &Silent)
        .await
        .unwrap();
    assert_eq!(
        (summary.read, summary.imported, summary.updated),
        (629, 629, 0),
        "{summary}"
    );
    assert!(summary.rejected.is_empty(), "{summary}");
    assert_eq!(store.counts().await.unwrap().calls, 629);

    let topic = store
        .get_call("HORIZON-CL3-2026-02-CS-ECCC-01", snapshot_day())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        topic.summary.title,
        "Approaches and tools for security in software and hardware development and assessment"
    );
    assert_eq!(topic.summary.programme, "Horizon Europe");
    assert_eq!(topic.summary.programme_part.as_deref(), Some("CL3"));
    assert_eq!(topic.action_type.as_deref(), Some("RIA"));
    assert_eq!(
        (topic.summary.budget_min_eur, topic.summary.budget_max_eur),
        (Some(3_000_000), Some(4_000_000))
    );
    assert_eq!(topic.expected_grants, Some(5));
    assert_eq!(topic.deadlines.len(), 1);
    assert_eq!(
        topic.deadlines[0].at.to_rfc3339(),
        "2026-09-15T15:00:00+00:00",
        "17:00 CEST"
    );
    assert_eq!(topic.summary.status, CallStatus::Open);

    let forthcoming = store
        .get_call("HORIZON-CL3-2027-02-CS-ECCC-01", snapshot_day())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(forthcoming.summary.status, CallStatus::Forthcoming);

    let closed = store.get_call("ERC-2026-POC", snapshot_day()).await.unwrap().unwrap();
    assert_eq!(
        closed.summary.status,
        CallStatus::Closed,
        "its cut-off of 2026-03-17 has passed"
    );

    let defence = CallQuery {
        programmes: vec!["European Defence Fund".into()],
        ..CallQuery::default()
    };
    let page = store.list_calls(&defence, snapshot_day()).await.unwrap();
    assert_eq!(page.total, 37);
    assert!(page.items.iter().all(|c| c.dual_use));
}

async fn importing_the_same_file_again_changes_nothing(store: &dyn Store) {
    let path = topics_file("calls_open_forthcoming.jsonl");
    eu_ftp::import_file(store, &path, snapshot_day(), &Silent)
        .await
        .unwrap();
    let again = eu_ftp::import_file(store, &path, snapshot_day(), &Silent)
        .await
        .unwrap();
    assert_eq!((again.imported, again.updated, again.unchanged), (0, 0, 629), "{again}");
    assert_eq!(store.counts().await.unwrap().calls, 629);
}

async fn the_csv_export_holds_the_same_topics_as_the_json_lines(store: &dyn Store) {
    eu_ftp::import_file(
        store,
        &topics_file("calls_open_forthcoming.jsonl"),
        snapshot_day(),
        &Silent,
    )
    .await
    .unwrap();
    let csv = eu_ftp::import_file(store, &topics_file("calls_flat.csv"), snapshot_day(), &Silent)
        .await
        .unwrap();
    assert!(csv.rejected.is_empty(), "{csv}");
    assert_eq!((csv.read, csv.imported), (629, 0), "{csv}");
    assert_eq!(csv.unchanged, 629, "the CSV carries the same fields: {csv}");
}

async fn bad_rows_are_reported_by_line_and_the_rest_is_imported(store: &dyn Store) {
    let real = std::fs::read_to_string(topics_file("calls_open_forthcoming.jsonl")).unwrap();
    let mut lines = real.lines();
    let mut file = tempfile::NamedTempFile::with_suffix(".jsonl").unwrap();
    writeln!(file, "{}", lines.next().unwrap()).unwrap(); // line 1: good
    writeln!(file, "{{\"topicId\": \"BROKEN\", ").unwrap(); // line 2: truncated JSON
    writeln!(file, "{}", lines.next().unwrap()).unwrap(); // line 3: good
    writeln!(
        file,
        "{{\"topicId\":\"BAD-DATE\",\"title\":\"t\",\"programme\":\"p\",\"deadline\":\"31/12/2026\"}}"
    )
    .unwrap();
    writeln!(file).unwrap(); // line 5: blank, skipped
    writeln!(file, "{}", real.lines().next().unwrap()).unwrap(); // line 6: repeats line 1
    file.flush().unwrap();

    let summary = eu_ftp::import_file(store, file.path(), snapshot_day(), &Silent)
        .await
        .unwrap();
    assert_eq!((summary.read, summary.imported), (5, 2), "{summary}");
    let lines: Vec<u64> = summary.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 4, 6], "{summary}");
    assert!(summary.rejected[1].reason.contains("not a date"), "{summary}");
    assert!(summary.rejected[2].reason.contains("line 1"), "{summary}");
    assert_eq!(store.counts().await.unwrap().calls, 2);
}

async fn a_missing_file_is_an_error_that_writes_nothing(store: &dyn Store) {
    let error = eu_ftp::import_file(store, &topics_file("no-such-file.jsonl"), snapshot_day(), &Silent)
        .await
        .unwrap_err();
    assert!(format!("{error:#}").contains("cannot read"), "{error:#}");
    assert_eq!(store.counts().await.unwrap().calls, 0);
}

crate::on_both_backends!(
    all_629_real_topics_import_with_their_fields,
    importing_the_same_file_again_changes_nothing,
    the_csv_export_holds_the_same_topics_as_the_json_lines,
    bad_rows_are_reported_by_line_and_the_rest_is_imported,
    a_missing_file_is_an_error_that_writes_nothing,
);

/// The letters and digits of `text`, in order: what restoring structure must keep exactly.
fn words_of(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[test]
fn every_real_description_keeps_its_words_and_gets_its_structure_back() {
    let path = topics_file("calls_open_forthcoming.jsonl");
    let raw = std::fs::read_to_string(&path).unwrap();
    let restored: std::collections::HashMap<String, String> = eu_ftp::read_topics(&path)
        .unwrap()
        .into_iter()
        .filter_map(|(_, call)| call.ok())
        .map(|call| (call.external_id, call.description))
        .collect();
    let (mut headings, mut items, mut described) = (0, 0, 0);
    for line in raw.lines() {
        let topic: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = topic["topicId"].as_str().unwrap();
        let original = topic["description"].as_str().unwrap_or_default();
        let markdown = &restored[id];
        assert_eq!(
            words_of(original),
            words_of(&domain::markdown::plain_text(markdown)),
            "{id}: restoring the structure changed the words"
        );
        if !original.is_empty() {
            described += 1;
        }
        headings += markdown.matches("\n# ").count() + usize::from(markdown.starts_with("# "));
        items += markdown.matches("\n- ").count();
        let html = domain::markdown::to_safe_html(markdown);
        assert!(!html.contains("<script"), "{id}");
    }
    assert_eq!(described, 605);
    assert!(headings > 1_000, "{headings} section headings over 605 descriptions");
    assert!(items > 1_500, "{items} list items (1,682 when written)");
    let eccc = &restored["HORIZON-CL3-2026-02-CS-ECCC-01"];
    assert!(eccc.starts_with("# Expected Outcome\n\n"), "{eccc}");
    assert!(eccc.contains("\n- Secure and trusted chip architectures"), "{eccc}");
    assert!(eccc.contains("\n# Scope\n"), "{eccc}");
}
