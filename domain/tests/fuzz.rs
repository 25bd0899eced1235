//! Fuzz targets on stable Rust (proptest): the URL query parsers of both lists and the row
//! parsers of both importers, fed arbitrary input. None may panic; what the query parsers
//! return is always within the sanitiser's bounds and survives the trip through the URL;
//! every row an importer accepts passes the store's validation.
//!
//! CI runs a few hundred cases per target. A longer run (see README, "Fuzzing"):
//! `FUZZ_CASES=200000 cargo test --release -p domain --features server --test fuzz -- --nocapture`

use domain::organisation_query::OrganisationQuery;
use domain::sanitize::{MAX_FILTER_VALUES, MAX_RESULT_WINDOW, MAX_TEXT_CHARS};
use domain::CallQuery;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Cases per target: `FUZZ_CASES`, else a quick run.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

/// Runs `check` on `cases()` inputs from `strategy` and reports how many ran.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let cases = cases();
    let started = std::time::Instant::now();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(failure) = runner.run(&strategy, check) {
        panic!("{name}: {failure}");
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name}: {cases} cases in {seconds:.1} s ({:.0}/s), no findings",
        f64::from(cases) / seconds
    );
}

/// Any text, weighted towards what breaks parsers: markup, escapes, digits, huge runs.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<char>(), 0..60).prop_map(String::from_iter),
        "[0-9-]{0,12}",
        "[A-Za-z]{2,5}",
        Just("</title><script>x</script>".to_owned()),
        Just("\u{0}\u{1b}[31m%_\\".to_owned()),
        (1usize..3000).prop_map(|n| "a".repeat(n)),
    ]
}

/// URL pairs with known and unknown keys.
fn pairs(keys: impl Iterator<Item = &'static str>) -> impl Strategy<Value = Vec<(String, String)>> {
    let keys: Vec<&'static str> = keys.collect();
    let key = prop_oneof![
        4 => proptest::sample::select(keys).prop_map(str::to_owned),
        1 => text(),
    ];
    proptest::collection::vec((key, text()), 0..80)
}

#[test]
fn call_list_url_parser() {
    fuzz("call list URL", pairs(CallQuery::url_keys()), |pairs| {
        let query = CallQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        prop_assert!(query.text.chars().count() <= MAX_TEXT_CHARS);
        prop_assert!(query.programmes.len() <= MAX_FILTER_VALUES && query.regions.len() <= MAX_FILTER_VALUES);
        prop_assert!(query.page >= 1 && query.per_page >= 1);
        prop_assert!(u64::from(query.page) * u64::from(query.per_page) <= u64::from(MAX_RESULT_WINDOW));
        let again = query.to_pairs();
        let reparsed = CallQuery::from_pairs(again.iter().map(|(k, v)| (*k, v.as_str())));
        prop_assert_eq!(reparsed, query);
        Ok(())
    });
}

#[test]
fn directory_url_parser() {
    fuzz("directory URL", pairs(OrganisationQuery::url_keys()), |pairs| {
        let query = OrganisationQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        prop_assert!(query.text.chars().count() <= MAX_TEXT_CHARS);
        prop_assert!(query.clusters.len() <= MAX_FILTER_VALUES);
        prop_assert!(u64::from(query.page) * u64::from(query.per_page) <= u64::from(MAX_RESULT_WINDOW));
        let again = query.to_pairs();
        let reparsed = OrganisationQuery::from_pairs(again.iter().map(|(k, v)| (*k, v.as_str())));
        prop_assert_eq!(reparsed, query);
        Ok(())
    });
}

#[test]
fn call_query_json() {
    let json = prop_oneof![
        text(),
        (text(), any::<i64>(), text()).prop_map(|(t, n, p)| {
            serde_json::json!({ "text": t, "page": n, "per_page": n, "programmes": [p], "trl": [n] }).to_string()
        }),
    ];
    fuzz("call query JSON", json, |json| {
        if let Ok(query) = serde_json::from_str::<CallQuery>(&json) {
            prop_assert_eq!(query.clone().sanitized(), query);
        }
        Ok(())
    });
}

/// A JSON Lines topic with arbitrary values in its fields, or arbitrary text.
fn topic_line() -> impl Strategy<Value = String> {
    let field = proptest::sample::select(vec![
        "topicId",
        "title",
        "programme",
        "deadline",
        "deadlineModel",
        "budgetMin",
        "budgetMax",
        "expectedGrants",
        "keywords",
        "portalUrl",
        "description",
        "callStatus",
    ]);
    prop_oneof![
        text(),
        proptest::collection::vec((field, text()), 0..12).prop_map(|fields| {
            let mut topic = serde_json::json!({
                "topicId": "T-1", "title": "Quantum", "programme": "Horizon Europe", "deadline": "2027-01-31"
            });
            for (name, value) in fields {
                topic[name] = match value.parse::<i64>() {
                    Ok(number) => serde_json::json!(number),
                    Err(_) => serde_json::json!(value),
                };
            }
            topic.to_string()
        }),
    ]
}

#[test]
fn topic_json_lines_rows() {
    let file = proptest::collection::vec(topic_line(), 0..8).prop_map(|lines| lines.join("\n"));
    fuzz("topics JSON Lines", file, |text| {
        for (_, row) in domain::import::eu_ftp::parse_json_lines(&text) {
            if let Ok(call) = row {
                prop_assert_eq!(call.validate(), Ok(()));
            }
        }
        Ok(())
    });
}

#[test]
fn topic_and_region_csv_rows() {
    let cell = text().prop_map(|t| format!("\"{}\"", t.replace('"', "\"\"")));
    let rows = proptest::collection::vec(proptest::collection::vec(cell, 0..6), 0..8);
    let headers = proptest::sample::select(vec![
        "topicId,title,programme,deadline,portalUrl,description",
        "country_code,nuts_code,nuts_label,nuts_level",
        "",
    ]);
    fuzz("topic and region CSV", (headers, rows), |(header, rows)| {
        let body: Vec<String> = rows.iter().map(|row| row.join(",")).collect();
        let text = format!("{header}\n{}", body.join("\n"));
        if let Ok(rows) = domain::import::eu_ftp::parse_csv(&text) {
            for (_, row) in rows {
                if let Ok(call) = row {
                    prop_assert_eq!(call.validate(), Ok(()));
                }
            }
        }
        if let Ok(rows) = domain::import::regions::parse_csv(&text) {
            for (_, row) in rows {
                if let Ok(region) = row {
                    prop_assert_eq!(region.validate(), Ok(()));
                }
            }
        }
        Ok(())
    });
}
