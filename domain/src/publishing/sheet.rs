//! A spreadsheet of calls (CSV, or the first worksheet of an XLSX workbook): its columns
//! mapped to the editor's fields — guessed from the headers, corrected by the editor — and
//! every row read into a call through the same form rules as the editor, with its mistakes by
//! line, before anything is written.

use super::{CallForm, DeadlineInput, FieldError, SheetColumn, SheetPreview, SheetRow, SHEET_FIELDS};
use crate::store::NewCall;

use crate::spreadsheet::{folded, read_table};
pub use crate::spreadsheet::{MAX_SHEET_COLUMNS, MAX_SHEET_ROWS};

/// One row of a sheet, read.
#[derive(Debug)]
pub struct ReadRow {
    /// Its line in the file (the header is line 1).
    pub line: usize,
    /// The call, or what is wrong with the row.
    pub call: Result<NewCall, Vec<FieldError>>,
    /// The reference it names (empty when none).
    pub reference: String,
    /// The title it names.
    pub title: String,
}

/// Other words spreadsheets use for a field.
const ALIASES: [(&str, &str); 19] = [
    ("ref", "reference"),
    ("id", "reference"),
    ("name", "title"),
    ("instrument", "instrument_kind"),
    ("kind", "instrument_kind"),
    ("type", "instrument_kind"),
    ("deadline", "deadline_1"),
    ("closes", "deadline_1"),
    ("budget", "budget_total"),
    ("country", "countries"),
    ("region", "regions"),
    ("nuts", "regions"),
    ("smes", "sme_only"),
    ("link", "url"),
    ("timezone", "time_zone"),
    ("opens", "opening"),
    ("rate", "euro_rate"),
    ("applicants", "applicant_kinds"),
    ("email", "contact"),
];

/// The field a header names, if it names one.
pub fn guess_field(header: &str) -> Option<&'static str> {
    let header = folded(header);
    SHEET_FIELDS
        .iter()
        .find(|(field, label)| folded(field) == header || folded(label) == header)
        .map(|(field, _)| *field)
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| folded(alias) == header)
                .map(|(_, field)| *field)
        })
}

/// A yes/no cell: yes, true, 1, x (and the same in French, German, Dutch, Portuguese).
fn yes(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "yes" | "y" | "true" | "1" | "x" | "oui" | "ja" | "sim" | "si" | "sí"
    )
}

/// A list cell: values separated by commas, semicolons, bars or spaces.
fn list(cell: &str) -> Vec<String> {
    cell.split([',', ';', '|', ' ', '\n'])
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_uppercase)
        .collect()
}

/// Kinds of applicant, by code (`research_organisation`) or name (`Research organisation`);
/// what is neither is kept for the form to refuse.
fn applicant_kinds(cell: &str) -> Vec<String> {
    use crate::organisation::OrganisationKind;
    cell.split([',', ';', '|', '\n'])
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(|value| {
            OrganisationKind::ALL
                .into_iter()
                .find(|kind| folded(kind.as_str()) == folded(value) || folded(kind.label()) == folded(value))
                .map_or_else(|| value.to_owned(), |kind| kind.as_str().to_owned())
        })
        .collect()
}

/// Puts `cell` into the form's `field`.
fn fill(form: &mut CallForm, field: &str, cell: &str) {
    let text = cell.trim().to_owned();
    let mut deadline = |index: usize, label: bool| {
        while form.deadlines.len() <= index {
            form.deadlines.push(DeadlineInput::default());
        }
        if label {
            form.deadlines[index].label = text.clone();
        } else {
            form.deadlines[index].at = text.clone();
        }
    };
    match field {
        "deadline_1" => deadline(0, false),
        "deadline_1_label" => deadline(0, true),
        "deadline_2" => deadline(1, false),
        "deadline_2_label" => deadline(1, true),
        "deadline_3" => deadline(2, false),
        "deadline_3_label" => deadline(2, true),
        "reference" => form.reference = text,
        "title" => form.title = text,
        "programme" => form.programme = text,
        "instrument_kind" => form.instrument_kind = text.to_lowercase().replace(['-', ' '], "_"),
        "opening" => form.opening = text,
        "rolling" => form.rolling = yes(&text),
        "time_zone" => form.time_zone = text,
        "budget_total" => form.budget_total = text,
        "budget_min" => form.budget_min = text,
        "budget_max" => form.budget_max = text,
        "funding_rate" => form.funding_rate = text.trim_end_matches('%').to_owned(),
        "countries" => form.countries = list(&text),
        "regions" => form.regions = list(&text),
        "sme_only" => form.sme_only = yes(&text),
        "min_partners" => form.min_partners = text,
        "min_countries" => form.min_countries = text,
        "trl_min" => form.trl_min = text,
        "trl_max" => form.trl_max = text,
        "dual_use" => form.dual_use = yes(&text),
        "currency" => form.currency = text.to_uppercase(),
        "euro_rate" => form.euro_rate = text,
        "applicant_kinds" => form.applicant_kinds = applicant_kinds(&text),
        "contact" => form.contact = text,
        "keywords" => form.keywords = text.replace(';', ","),
        "description" => form.description = cell.to_owned(),
        "url" => form.url = text,
        _ => {}
    }
}

/// Reads an upload: CSV `text`, or — when `xlsx_base64` is given — the first worksheet of that
/// XLSX workbook (base64, as JSON carries bytes), its rows numbered as the spreadsheet numbers
/// them. See [`read_sheet`] for the rest.
pub fn read_upload(
    text: &str,
    xlsx_base64: Option<&str>,
    mapping: Option<&[Option<String>]>,
    publisher: &str,
) -> Result<(Vec<SheetColumn>, Vec<ReadRow>), String> {
    read_rows(&crate::spreadsheet::upload_text(text, xlsx_base64)?, mapping, publisher)
}

/// Reads `text` (CSV, comma or semicolon separated, first line the headers) with `mapping`
/// (one field or none per column; `None`: guessed from the headers) for the funding body
/// `publisher`. Returns the columns with their fields and every row read, or why the file
/// cannot be read at all.
pub fn read_sheet(
    text: &str,
    mapping: Option<&[Option<String>]>,
    publisher: &str,
) -> Result<(Vec<SheetColumn>, Vec<ReadRow>), String> {
    read_upload(text, None, mapping, publisher)
}

/// [`read_sheet`] without the limit on the upload's size (a workbook's cells are bounded
/// as they are read).
fn read_rows(
    text: &str,
    mapping: Option<&[Option<String>]>,
    publisher: &str,
) -> Result<(Vec<SheetColumn>, Vec<ReadRow>), String> {
    let table = read_table(text)?;
    let headers = table.headers;
    let fields: Vec<Option<&'static str>> = match mapping {
        Some(mapping) => headers
            .iter()
            .enumerate()
            .map(|(index, _)| {
                let chosen = mapping.get(index).cloned().flatten()?;
                SHEET_FIELDS
                    .iter()
                    .find(|(field, _)| *field == chosen)
                    .map(|(field, _)| *field)
            })
            .collect(),
        None => {
            let mut taken = Vec::new();
            headers
                .iter()
                .map(|header| {
                    let field = guess_field(header).filter(|field| !taken.contains(field))?;
                    taken.push(field);
                    Some(field)
                })
                .collect()
        }
    };
    let columns = headers
        .into_iter()
        .zip(&fields)
        .map(|(header, field)| SheetColumn {
            header,
            field: field.map(str::to_owned),
        })
        .collect();
    let mut rows = Vec::new();
    for row in table.rows {
        let record = match row.cells {
            Ok(cells) => cells,
            Err(error) => {
                rows.push(ReadRow {
                    line: row.line,
                    call: Err(vec![FieldError::new("row", error)]),
                    reference: String::new(),
                    title: String::new(),
                });
                continue;
            }
        };
        let mut form = CallForm {
            deadlines: Vec::new(),
            ..CallForm::blank(crate::call::InstrumentKind::Grant)
        };
        for (cell, field) in record.iter().zip(&fields) {
            if let Some(field) = field {
                fill(&mut form, field, cell);
            }
        }
        rows.push(ReadRow {
            line: row.line,
            reference: crate::sanitize::clean_line(&form.reference, 60),
            title: crate::sanitize::clean_line(&form.title, 120),
            call: form.to_new_call(publisher),
        });
    }
    Ok((columns, rows))
}

/// What the editor sees before confirming: the columns and each row's outcome.
pub fn preview(columns: Vec<SheetColumn>, rows: &[ReadRow], existing: &[String]) -> SheetPreview {
    SheetPreview {
        columns,
        rows: rows
            .iter()
            .map(|row| SheetRow {
                line: row.line,
                reference: row.reference.clone(),
                title: row.title.clone(),
                errors: row.call.as_ref().err().cloned().unwrap_or_default(),
                updates: existing.contains(&row.reference),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::xlsx_as_csv;

    const SHEET: &str = "Reference;Title;Programme;Instrument;Deadline;Countries;Budget;SMEs\n\
        RIS3-1;Cyber vouchers;RIS3;voucher;2027-03-04;BE;50 000;yes\n\
        RIS3-2;;RIS3;grant;2027-03-04;BE;1000;no\n\
        \n\
        RIS3-3;Growth loans;RIS3;loan;next week;XX;;\n";

    #[test]
    fn headers_are_guessed_and_rows_read_with_their_line_numbers() {
        let (columns, rows) = read_sheet(SHEET, None, "Region").unwrap();
        let fields: Vec<Option<&str>> = columns.iter().map(|c| c.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                Some("reference"),
                Some("title"),
                Some("programme"),
                Some("instrument_kind"),
                Some("deadline_1"),
                Some("countries"),
                Some("budget_total"),
                Some("sme_only")
            ]
        );
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 5]);
        let first = rows[0].call.as_ref().unwrap();
        assert_eq!(first.budget_total_eur, Some(50_000));
        assert!(first.sme_only);
        let second = rows[1].call.as_ref().unwrap_err();
        assert_eq!(second[0].field, "title");
        let third: Vec<&str> = rows[2]
            .call
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert!(
            third.contains(&"deadlines.0") && third.contains(&"countries"),
            "{third:?}"
        );
    }

    #[test]
    fn a_chosen_mapping_overrides_the_guess_and_unmapped_columns_are_ignored() {
        let text = "Code,Heading,Prog,Closes\nA-1,Cyber,RIS3,2027-01-10\n";
        let mapping = [
            Some("reference".to_owned()),
            Some("title".to_owned()),
            Some("programme".to_owned()),
            None,
        ];
        let (_, rows) = read_sheet(text, Some(&mapping), "Region").unwrap();
        let errors = rows[0].call.as_ref().unwrap_err();
        assert_eq!(errors[0].field, "deadlines", "the deadline column was left unmapped");
    }

    /// A workbook whose first sheet holds `rows` (dates in the "Deadline" column as dates).
    fn workbook(rows: &[&[&str]]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if let Ok(at) = rust_xlsxwriter::ExcelDateTime::parse_from_str(cell) {
                    sheet.write_datetime_with_format(r, c, at, &date).unwrap();
                } else if let Ok(number) = cell.parse::<f64>() {
                    sheet.write_number(r, c, number).unwrap();
                } else if !cell.is_empty() {
                    sheet.write_string(r, c, *cell).unwrap();
                }
            }
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn currency_rate_applicants_and_contact_columns_fill_their_fields() {
        let text = "Ref;Title;Programme;Rolling;Currency;Rate;Budget;Applicants;Email\n\
                    PL-1;Bony;RPO Mazowsze;yes;pln;4,25;8 500 000;SME, Research organisation;ris3@mazovia.example\n";
        let (columns, rows) = read_sheet(text, None, "Mazowsze").unwrap();
        assert!(columns.iter().all(|column| column.field.is_some()), "{columns:?}");
        let call = rows[0].call.as_ref().unwrap();
        assert_eq!(
            call.local_amounts.as_ref().map(|l| (l.currency.as_str(), l.total)),
            Some(("PLN", Some(8_500_000)))
        );
        assert_eq!(call.budget_total_eur, Some(2_000_000));
        assert_eq!(call.applicant_kinds.len(), 2);
        assert_eq!(call.contact.as_deref(), Some("ris3@mazovia.example"));
    }

    #[test]
    fn an_xlsx_sheet_reads_like_its_csv_with_dates_numbers_and_row_numbers_kept() {
        let bytes = workbook(&[
            &["Reference", "Title", "Programme", "Deadline", "Budget"],
            &["X-1", "Cyber vouchers", "RIS3", "2027-03-04", "50000"],
            &[],
            &["X-2", "", "RIS3", "2027-04-01", "1000"],
        ]);
        let csv = xlsx_as_csv(&bytes).unwrap();
        assert_eq!(
            csv,
            "Reference,Title,Programme,Deadline,Budget\nX-1,Cyber vouchers,RIS3,2027-03-04,50000\n,,,,\nX-2,,RIS3,2027-04-01,1000\n"
        );
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let (_, rows) = read_upload("", Some(&encoded), None, "Region").unwrap();
        assert_eq!(
            rows.iter().map(|row| row.line).collect::<Vec<_>>(),
            [2, 4],
            "spreadsheet row numbers"
        );
        assert_eq!(rows[0].call.as_ref().unwrap().budget_total_eur, Some(50_000));
        assert!(rows[1].call.is_err(), "no title");
    }

    #[test]
    fn a_workbook_that_is_not_one_or_claims_too_much_is_refused_plainly() {
        let not_a_workbook = xlsx_as_csv(b"Reference,Title\nX-1,Vouchers\n").unwrap_err();
        assert!(
            not_a_workbook.contains("cannot be read as an Excel workbook"),
            "{not_a_workbook}"
        );
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Reference").unwrap();
        sheet.write_string(1_048_575, 0, "far away").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let error = xlsx_as_csv(&bytes).unwrap_err();
        assert!(error.contains("more than 1000 rows"), "{error}");
        let error = read_upload("", Some("not base64!"), None, "Region").unwrap_err();
        assert!(error.contains("did not arrive whole"), "{error}");
    }

    #[test]
    fn a_file_without_headers_or_too_wide_is_refused_as_a_whole() {
        assert!(read_sheet("", None, "Region").is_err());
        let wide = (0..61).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
        assert!(read_sheet(&wide, None, "Region").unwrap_err().contains("60 columns"));
    }
}
