//! Region names: Eurostat's lists in `../shared/data/nuts/` imported, read back and refused.

use chrono::{DateTime, TimeZone, Utc};
use domain::geo::Region;
use domain::import::{regions, Silent};
use domain::store::{Store, UpsertOutcome};
use std::io::Write;
use std::path::PathBuf;

fn nuts_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/nuts")
        .join(name)
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap()
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

async fn every_nuts_and_statistical_region_imports_and_names_read_back(store: &dyn Store) {
    let nuts = regions::import_file(store, &nuts_file("nuts2024.csv"), now(), &Silent)
        .await
        .unwrap();
    assert_eq!((nuts.read, nuts.imported), (1582, 1582), "{nuts}");
    assert!(nuts.rejected.is_empty(), "{nuts}");
    let statistical = regions::import_file(store, &nuts_file("statistical_regions_2024_non_eu.csv"), now(), &Silent)
        .await
        .unwrap();
    assert_eq!((statistical.read, statistical.imported), (284, 284), "{statistical}");

    let names = store
        .region_names(&codes(&["FRH0", "PT11", "IS001", "ZZ99"]))
        .await
        .unwrap();
    assert_eq!(names.get("FRH0").map(String::as_str), Some("Bretagne"));
    assert_eq!(names.get("PT11").map(String::as_str), Some("Norte"));
    assert_eq!(names.get("IS001").map(String::as_str), Some("Höfuðborgarsvæði"));
    assert!(!names.contains_key("ZZ99"), "unknown codes have no name");

    let again = regions::import_file(store, &nuts_file("nuts2024.csv"), now(), &Silent)
        .await
        .unwrap();
    assert_eq!(
        (again.imported, again.updated, again.unchanged),
        (0, 0, 1582),
        "{again}"
    );
}

async fn a_renamed_region_is_updated_and_bad_rows_are_reported_by_line(store: &dyn Store) {
    let mut file = tempfile::NamedTempFile::with_suffix(".csv").unwrap();
    writeln!(file, "country_code,nuts_code,nuts_label,nuts_level").unwrap();
    writeln!(file, "FR,FRH0,Bretagne,2").unwrap(); // line 2
    writeln!(file, "FR,FRH0,Breizh,2").unwrap(); // line 3: repeats line 2
    writeln!(file, "FR,FRH01,,3").unwrap(); // line 4: no name
    writeln!(file, "PT,PT11,Norte,3").unwrap(); // line 5: wrong level
    file.flush().unwrap();
    let summary = regions::import_file(store, file.path(), now(), &Silent).await.unwrap();
    assert_eq!((summary.read, summary.imported), (4, 1), "{summary}");
    let lines: Vec<u64> = summary.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4, 5], "{summary}");
    assert!(summary.rejected[0].reason.contains("line 2"), "{summary}");

    let outcomes = store
        .upsert_regions(
            &[Region {
                code: "FRH0".parse().unwrap(),
                name: " Breizh ".into(),
            }],
            now(),
        )
        .await
        .unwrap();
    assert_eq!(outcomes, vec![UpsertOutcome::Updated]);
    let names = store.region_names(&codes(&["FRH0"])).await.unwrap();
    assert_eq!(names["FRH0"], "Breizh", "stored trimmed");
}

async fn a_batch_with_an_invalid_region_writes_nothing(store: &dyn Store) {
    let batch = [
        Region {
            code: "FRH0".parse().unwrap(),
            name: "Bretagne".into(),
        },
        Region {
            code: "FR".parse().unwrap(),
            name: "France".into(),
        },
    ];
    let error = store.upsert_regions(&batch, now()).await.unwrap_err();
    assert!(error.to_string().contains("FR is a country, not a region"), "{error}");
    assert!(store.region_names(&codes(&["FRH0"])).await.unwrap().is_empty());
}

crate::on_both_backends!(
    every_nuts_and_statistical_region_imports_and_names_read_back,
    a_renamed_region_is_updated_and_bad_rows_are_reported_by_line,
    a_batch_with_an_invalid_region_writes_nothing,
);
