//! The anonymous search log, through its own narrow interface.

use chrono::{TimeZone, Utc};
use domain::store::{SearchLog, SearchLogEntry};

async fn logged_searches_read_back_newest_first(log: &dyn SearchLog) {
    let at = |minute: u32| Utc.with_ymd_and_hms(2026, 11, 27, 9, minute, 0).unwrap();
    let first = SearchLogEntry {
        searched_at: at(1),
        text: "quantum".into(),
        filters: serde_json::json!({ "countries": ["PT"], "trl": [4] }),
        hits: 12,
    };
    let second = SearchLogEntry {
        searched_at: at(2),
        text: "cyber ranges".into(),
        filters: serde_json::json!({ "closes_within": "month" }),
        hits: 0,
    };
    log.log_search(&first).await.unwrap();
    log.log_search(&second).await.unwrap();
    assert_eq!(log.recent_searches(10).await.unwrap(), vec![second.clone(), first]);
    assert_eq!(log.recent_searches(1).await.unwrap(), vec![second]);
}

async fn search_texts_keep_every_character(log: &dyn SearchLog) {
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
    let texts = [
        "Robert'); DROP TABLE search_log;--",
        "🛰 Re\u{301}seau \\ % _",
        "<script>",
    ];
    for (i, text) in texts.iter().enumerate() {
        let entry = SearchLogEntry {
            searched_at: at,
            text: (*text).to_owned(),
            filters: serde_json::json!({ "list": "calls", "query": format!("q={i}") }),
            hits: u64::try_from(i).unwrap(),
        };
        log.log_search(&entry).await.unwrap();
    }
    let read: Vec<String> = log
        .recent_searches(10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect();
    assert_eq!(read, texts.iter().rev().map(|t| t.to_string()).collect::<Vec<_>>());
    assert_eq!(log.recent_searches(0).await.unwrap(), Vec::new());
}

// The tests take the narrow interface; the macro hands in the whole store, upcast.
crate::on_both_backends!(
    logged_searches_read_back_newest_first,
    search_texts_keep_every_character
);
