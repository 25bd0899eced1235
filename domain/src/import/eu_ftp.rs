//! The EU Funding & Tenders Portal topics format: JSON Lines (one topic per line, as the
//! portal's search API returns them) or the flat CSV export with the same field names.

use super::{csv_reader, csv_rows, read_text, write_rows, ImportSummary, Progress};
use crate::call::{Deadline, InstrumentKind};
use crate::sanitize::collapse_whitespace;
use crate::store::{NewCall, Store};
use crate::time::brussels_deadline;
use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::path::Path;

/// The `source` recorded on imported calls.
pub const SOURCE: &str = "eu-ftp";

/// One topic as the portal publishes it (fields this importer uses; others are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FtpTopic {
    /// Topic identifier, e.g. `HORIZON-CL3-2026-02-CS-ECCC-01`.
    pub topic_id: String,
    /// Topic title.
    pub title: String,
    /// Programme name.
    pub programme: String,
    /// Programme part ("CL3", "MISS", …).
    pub cluster: String,
    /// Identifier of the call.
    pub call_identifier: String,
    /// Title of the call.
    pub call_title: String,
    /// Type of action code (RIA, IA, CSA, Prize, …).
    pub action_type: String,
    /// Next cut-off date, `YYYY-MM-DD`.
    pub deadline: String,
    /// single-stage, two-stage or multiple cut-off.
    pub deadline_model: String,
    /// open, forthcoming or closed, as the portal saw it at export time.
    pub call_status: String,
    /// Per-grant EU contribution, lower bound.
    pub budget_min: Option<i64>,
    /// Per-grant EU contribution, upper bound.
    pub budget_max: Option<i64>,
    /// Expected number of grants.
    pub expected_grants: Option<i64>,
    /// Comma-separated keywords.
    pub keywords: String,
    /// Topic page on the portal.
    pub portal_url: String,
    /// Description text.
    pub description: String,
}

impl FtpTopic {
    /// Turns a portal topic into a call, or says what is wrong with it.
    pub fn into_call(self) -> Result<NewCall, String> {
        let topic_id = self.topic_id.trim().to_owned();
        if topic_id.is_empty() {
            return Err("topicId is missing".into());
        }
        if self.title.trim().is_empty() {
            return Err(format!("{topic_id}: title is missing"));
        }
        if self.programme.trim().is_empty() {
            return Err(format!("{topic_id}: programme is missing"));
        }
        let deadlines = match self.deadline.trim() {
            "" => Vec::new(),
            date => {
                let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .map_err(|_| format!("{topic_id}: deadline {date:?} is not a date (YYYY-MM-DD)"))?;
                let label = match self.deadline_model.trim() {
                    "two-stage" => "First stage",
                    "multiple cut-off" => "Next cut-off",
                    _ => "Deadline",
                };
                vec![Deadline {
                    stage: 1,
                    at: brussels_deadline(date),
                    label: Some(label.to_owned()),
                }]
            }
        };
        for (name, value) in [("budgetMin", self.budget_min), ("budgetMax", self.budget_max)] {
            if value.is_some_and(|v| v < 0) {
                return Err(format!("{topic_id}: {name} is negative"));
            }
        }
        let expected_grants = self
            .expected_grants
            .map(i32::try_from)
            .transpose()
            .map_err(|_| format!("{topic_id}: expectedGrants is out of range"))?;
        let action_type = non_empty(self.action_type);
        let instrument_kind = match action_type.as_deref() {
            Some("Prize") => InstrumentKind::Prize,
            Some(code) if code.contains("PCP") || code.contains("PPI") => InstrumentKind::Procurement,
            _ => InstrumentKind::Grant,
        };
        let programme = self.programme.trim().to_owned();
        let mut call = NewCall::new(
            &topic_id,
            SOURCE,
            &collapse_whitespace(&self.title),
            &programme,
            "European Commission",
        );
        call.dual_use = programme.contains("Defence");
        call.programme_part = non_empty(self.cluster);
        call.call_identifier = non_empty(self.call_identifier);
        call.call_title = non_empty(self.call_title).map(|t| collapse_whitespace(&t));
        call.action_type = action_type;
        call.instrument_kind = instrument_kind;
        call.deadline_model = non_empty(self.deadline_model);
        call.announced_forthcoming = self.call_status.trim() == "forthcoming";
        call.deadlines = deadlines;
        call.budget_min_eur = self.budget_min;
        call.budget_max_eur = self.budget_max;
        call.expected_grants = expected_grants;
        call.keywords = split_keywords(&self.keywords);
        call.description = super::description::restore_structure(&clean_text(&self.description));
        call.url = non_empty(self.portal_url);
        call.validate().map(|()| call)
    }
}

/// The value on one line without control characters, if anything is left.
fn non_empty(value: String) -> Option<String> {
    let line = collapse_whitespace(&value);
    (!line.is_empty()).then_some(line)
}

/// Normalises line breaks and runs of spaces, keeping paragraphs.
fn clean_text(text: &str) -> String {
    text.lines()
        .map(collapse_whitespace)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

fn split_keywords(keywords: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for keyword in keywords.split(',').map(collapse_whitespace).filter(|k| !k.is_empty()) {
        if !out.iter().any(|k| k.eq_ignore_ascii_case(&keyword)) {
            out.push(keyword);
        }
    }
    out
}

/// Reads every row of a topics file: JSON Lines unless the name ends in `.csv`.
/// Each row is a call or the reason it was refused, with its line number.
pub fn read_topics(path: &Path) -> anyhow::Result<Vec<(u64, Result<NewCall, String>)>> {
    let text = read_text(path)?;
    let is_csv = path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("csv"));
    if is_csv {
        parse_csv(&text)
    } else {
        Ok(parse_json_lines(&text))
    }
}

/// Parses JSON Lines; blank lines are skipped, a leading byte-order mark is ignored.
pub fn parse_json_lines(text: &str) -> Vec<(u64, Result<NewCall, String>)> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let parsed = serde_json::from_str::<FtpTopic>(line)
                .map_err(|e| format!("not a valid topic: {e}"))
                .and_then(FtpTopic::into_call);
            (index as u64 + 1, parsed)
        })
        .collect()
}

/// Parses the flat CSV export (header row with the portal's field names).
pub fn parse_csv(text: &str) -> anyhow::Result<Vec<(u64, Result<NewCall, String>)>> {
    let mut reader = csv_reader(text);
    let headers = reader.headers().context("the CSV file has no header row")?.clone();
    if !headers.iter().any(|h| h == "topicId") {
        anyhow::bail!("the CSV header has no topicId column: is this a Funding & Tenders topics export?");
    }
    Ok(csv_rows(&mut reader, |record| {
        record
            .deserialize::<FtpTopic>(Some(&headers))
            .map_err(|e| format!("not a valid topic: {e}"))
            .and_then(FtpTopic::into_call)
    }))
}

/// Imports a topics file into the store: good rows are written (idempotently by topic id,
/// in transactions); bad rows are reported with their line numbers and
/// do not stop the rest. A repeated topic id in one file is refused after its first row.
pub async fn import_file(
    store: &dyn Store,
    path: &Path,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> anyhow::Result<ImportSummary> {
    let rows = read_topics(path)?;
    import_rows(store, rows, now, progress).await
}

/// Imports parsed rows; see [`import_file`].
pub async fn import_rows(
    store: &dyn Store,
    rows: Vec<(u64, Result<NewCall, String>)>,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> anyhow::Result<ImportSummary> {
    write_rows(
        store,
        rows,
        "topic",
        |call| &call.external_id,
        progress,
        move |store, batch| store.upsert_calls(batch, now),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_line_becomes_a_call_with_a_brussels_deadline() {
        let rows = parse_json_lines(
            r#"{"topicId":"X-1","title":" A  title ","programme":"Horizon Europe","cluster":"CL3","actionType":"RIA","deadline":"2026-09-16","deadlineModel":"two-stage","callStatus":"forthcoming","budgetMin":1000,"budgetMax":2000,"keywords":"a, b, A"}"#,
        );
        let call = rows[0].1.clone().unwrap();
        assert_eq!(call.title, "A title");
        assert_eq!(call.programme_part.as_deref(), Some("CL3"));
        assert_eq!(call.deadlines[0].at.to_rfc3339(), "2026-09-16T15:00:00+00:00");
        assert_eq!(call.deadlines[0].label.as_deref(), Some("First stage"));
        assert!(call.announced_forthcoming);
        assert_eq!(call.keywords, vec!["a", "b"]);
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_numbers() {
        let text = "{\"topicId\":\"OK-1\",\"title\":\"t\",\"programme\":\"p\"}\n\n{not json\n{\"topicId\":\"X\",\"title\":\"t\",\"programme\":\"p\",\"deadline\":\"17/03/2026\"}\n{\"title\":\"no id\",\"programme\":\"p\"}\n";
        let rows = parse_json_lines(text);
        let lines: Vec<(u64, bool)> = rows.iter().map(|(line, row)| (*line, row.is_ok())).collect();
        assert_eq!(lines, vec![(1, true), (3, false), (4, false), (5, false)]);
        assert!(rows[2].1.as_ref().unwrap_err().contains("not a date"));
        assert!(rows[3].1.as_ref().unwrap_err().contains("topicId is missing"));
    }

    #[test]
    fn a_prize_is_a_prize_and_procurement_is_procurement() {
        let kind = |action: &str| {
            FtpTopic {
                topic_id: "T".into(),
                title: "t".into(),
                programme: "p".into(),
                action_type: action.into(),
                ..FtpTopic::default()
            }
            .into_call()
            .unwrap()
            .instrument_kind
        };
        assert_eq!(kind("Prize"), InstrumentKind::Prize);
        assert_eq!(kind("HORIZON-PCP"), InstrumentKind::Procurement);
        assert_eq!(kind("RIA"), InstrumentKind::Grant);
    }
}
