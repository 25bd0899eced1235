//! Region names from Eurostat's CSV lists: the NUTS regions
//! (`country_code,nuts_code,nuts_label,nuts_level`) or the statistical regions of EFTA and
//! candidate countries (`country_code,sr_code,sr_label,sr_level`). A region's level and
//! country, when given, must agree with its code.

use super::{csv_reader, csv_rows, read_text, write_rows, ImportSummary, Progress};
use crate::codes::NutsCode;
use crate::geo::Region;
use crate::store::Store;
use anyhow::Context;
use chrono::{DateTime, Utc};
use std::path::Path;

/// The columns of a region list, by the names of either Eurostat file.
struct Columns {
    code: usize,
    name: usize,
    level: Option<usize>,
    country: Option<usize>,
}

impl Columns {
    fn find(headers: &csv::StringRecord) -> anyhow::Result<Columns> {
        let position = |names: &[&str]| headers.iter().position(|h| names.contains(&h.trim()));
        let (Some(code), Some(name)) = (
            position(&["nuts_code", "sr_code"]),
            position(&["nuts_label", "sr_label"]),
        ) else {
            anyhow::bail!(
                "the CSV header needs nuts_code and nuts_label (or sr_code and sr_label) columns: is this a Eurostat region list?"
            );
        };
        Ok(Columns {
            code,
            name,
            level: position(&["nuts_level", "sr_level"]),
            country: position(&["country_code"]),
        })
    }

    /// The region of one row, or why it is refused.
    fn region(&self, record: &csv::StringRecord) -> Result<Region, String> {
        let field = |index: usize| record.get(index).unwrap_or_default().trim();
        let region = Region {
            code: NutsCode::parse(field(self.code)).map_err(|error| error.to_string())?,
            name: field(self.name).to_owned(),
        };
        region.validate()?;
        if let Some(level) = self.level.map(field) {
            if level != (region.code.as_str().len() - 2).to_string() {
                return Err(format!("{}: level {level:?} does not match the code", region.code));
            }
        }
        if let Some(country) = self.country.map(field) {
            if !region.code.country().as_str().eq_ignore_ascii_case(country) {
                return Err(format!("{}: not in country {country:?}", region.code));
            }
        }
        Ok(region)
    }
}

/// Parses a region list; each row is a region or the reason it was refused, with its line.
pub fn parse_csv(text: &str) -> anyhow::Result<Vec<(u64, Result<Region, String>)>> {
    let mut reader = csv_reader(text);
    let columns = Columns::find(reader.headers().context("the CSV file has no header row")?)?;
    Ok(csv_rows(&mut reader, |record| columns.region(record)))
}

/// Imports a region list: good rows are written (by code, idempotently); bad rows are
/// reported with their line numbers and do not stop the rest.
pub async fn import_file(
    store: &dyn Store,
    path: &Path,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> anyhow::Result<ImportSummary> {
    let text = read_text(path)?;
    let rows = parse_csv(&text)?;
    write_rows(
        store,
        rows,
        "region",
        |region| region.code.as_str(),
        progress,
        move |store, batch| store.upsert_regions(batch, now),
    )
    .await
    .context("writing regions to the database")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_eurostat_lists_are_read_and_bad_rows_refused_with_their_lines() {
        let nuts = "country_code,nuts_code,nuts_label,nuts_level\nFR,FRH,Bretagne,1\nFR,FRH0,Bretagne,2\nFR,FRH01, ,3\nFR,FRH02,Finistère,2\nPT,FRH03,Morbihan,3\nfr,frh04,Vannes,3\nFR,FR-H5,x,3\n";
        let rows = parse_csv(nuts).unwrap();
        let lines: Vec<(u64, bool)> = rows.iter().map(|(line, row)| (*line, row.is_ok())).collect();
        assert_eq!(
            lines,
            vec![
                (2, true),
                (3, true),
                (4, false),
                (5, false),
                (6, false),
                (7, true),
                (8, false)
            ]
        );
        assert!(rows[2].1.as_ref().unwrap_err().contains("name is empty"));
        assert!(rows[3].1.as_ref().unwrap_err().contains("level"));
        assert!(rows[4].1.as_ref().unwrap_err().contains("country"));
        assert_eq!(rows[5].1.as_ref().unwrap().code, "FRH04", "codes are read in capitals");
        assert!(rows[6].1.as_ref().unwrap_err().contains("not a NUTS code"));

        let statistical = "country_code,sr_code,sr_label,sr_level\nIS,IS00,Ísland,2\n";
        let rows = parse_csv(statistical).unwrap();
        assert_eq!(rows[0].1.as_ref().unwrap().name, "Ísland");
    }

    #[test]
    fn a_file_without_region_columns_is_refused_whole() {
        let error = parse_csv("topicId,title\nX,y\n").unwrap_err().to_string();
        assert!(error.contains("nuts_code"), "{error}");
    }
}
