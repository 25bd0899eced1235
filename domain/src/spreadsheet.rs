//! Spreadsheets people upload — CSV (comma or semicolon separated), or the first worksheet of
//! an XLSX workbook — read as a table of text: the column names, and each non-blank row's
//! cells with the line the person sees it on. What the columns mean is the caller's business
//! (calls in `publishing::sheet`, cluster members in `services::clusters`).

/// The most rows one upload may hold.
pub const MAX_SHEET_ROWS: usize = 1_000;
/// The most columns one upload may hold.
pub const MAX_SHEET_COLUMNS: usize = 60;
pub use crate::publishing::{MAX_SHEET_BYTES, MAX_XLSX_BYTES};
/// The most text the cells of one workbook may hold in all.
const MAX_XLSX_TEXT_BYTES: usize = 2_000_000;

/// A sheet read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The column names of the first line, on one line each, cut to 80 characters.
    pub headers: Vec<String>,
    /// Every row that is not blank, in order.
    pub rows: Vec<TableRow>,
}

/// One row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// Its line in the file (the column names are line 1).
    pub line: usize,
    /// Its cells, or why the line cannot be read.
    pub cells: Result<Vec<String>, String>,
}

/// A header as compared: lower case, letters and digits only.
pub fn folded(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The CSV text of an upload: `text` itself (bounded), or — when `xlsx_base64` is given — the
/// first worksheet of that workbook (base64, as JSON carries bytes) as CSV, its lines the
/// spreadsheet's row numbers.
pub fn upload_text(text: &str, xlsx_base64: Option<&str>) -> Result<String, String> {
    let Some(encoded) = xlsx_base64 else {
        if text.len() > MAX_SHEET_BYTES {
            return Err(format!(
                "The file is larger than {} KB: split it, or leave the long texts out.",
                MAX_SHEET_BYTES / 1_000
            ));
        }
        return Ok(text.to_owned());
    };
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| "The workbook did not arrive whole; choose the file again.".to_owned())?;
    if bytes.len() > MAX_XLSX_BYTES {
        return Err(format!(
            "The workbook is larger than {} KB: split it, or save it as CSV.",
            MAX_XLSX_BYTES / 1_000
        ));
    }
    xlsx_as_csv(&bytes)
}

/// The text of one spreadsheet cell as forms read it: whole numbers without a decimal
/// point, dates as `2027-03-04` (with `T17:00` when they have a time), booleans as yes or no.
fn cell_text(cell: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match cell {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(text) => text.clone(),
        DataRef::SharedString(text) => (*text).to_owned(),
        DataRef::Bool(yes) => if *yes { "yes" } else { "no" }.to_owned(),
        DataRef::DateTime(at) => match at.as_datetime() {
            Some(at) if at.time() == chrono::NaiveTime::MIN => at.format("%Y-%m-%d").to_string(),
            Some(at) => at.format("%Y-%m-%dT%H:%M").to_string(),
            None => String::new(),
        },
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => text.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// The first worksheet of an XLSX workbook as CSV, one line per spreadsheet row (empty rows
/// kept, so lines are the spreadsheet's row numbers). Cells are read one at a time: a sheet
/// claiming a million rows costs nothing until it has them, and is refused at the limits.
pub fn xlsx_as_csv(bytes: &[u8]) -> Result<String, String> {
    use calamine::{Reader, Xlsx};
    let unreadable =
        |_| "The file cannot be read as an Excel workbook (.xlsx); save it again as .xlsx or as CSV.".to_owned();
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| "The workbook has no worksheet.".to_owned())?;
    let mut cells = workbook.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut held = 0_usize;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        if column >= MAX_SHEET_COLUMNS {
            return Err(format!("The sheet has more than {MAX_SHEET_COLUMNS} columns."));
        }
        if row > MAX_SHEET_ROWS {
            return Err(format!("The sheet has more than {MAX_SHEET_ROWS} rows; split it."));
        }
        held += text.len();
        if held > MAX_XLSX_TEXT_BYTES {
            return Err(format!(
                "The sheet holds more than {} MB of text; split it.",
                MAX_XLSX_TEXT_BYTES / 1_000_000
            ));
        }
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = text;
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    for mut row in rows {
        row.resize(width.max(1), String::new());
        writer
            .write_record(&row)
            .map_err(|error| format!("The sheet cannot be read: {error}."))?;
    }
    let csv = writer
        .into_inner()
        .map_err(|error| format!("The sheet cannot be read: {error}."))?;
    String::from_utf8(csv).map_err(|_| "The sheet holds text that is not valid Unicode.".to_owned())
}

/// Reads CSV `text` (comma or semicolon separated, first line the column names) into a
/// [`Table`], or says why the file cannot be read at all. Blank rows are left out; quoted
/// cells may span lines, and each row keeps the line it starts on.
pub fn read_table(text: &str) -> Result<Table, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| format!("The first line cannot be read as column names: {error}."))?
        .iter()
        .map(|header| crate::sanitize::clean_line(header, 80))
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err("The file has no column names on its first line.".into());
    }
    if headers.len() > MAX_SHEET_COLUMNS {
        return Err(format!("The file has more than {MAX_SHEET_COLUMNS} columns."));
    }
    let mut rows = Vec::new();
    // Where each row starts in the file, counted from its byte offset: blank lines are
    // skipped and quoted cells may span lines, so the record count is not the line.
    let (mut counted_to, mut line) = (0_usize, 1_usize);
    for (index, record) in reader.records().enumerate() {
        let start = match &record {
            Ok(record) => record.position().map(|at| at.byte() as usize),
            Err(error) => error.position().map(|at| at.byte() as usize),
        };
        // The reader's position is where it began reading: before any blank lines it skipped.
        let start = start.map(|start| {
            let bytes = text.as_bytes();
            let mut first = start.min(bytes.len());
            while first < bytes.len() && matches!(bytes[first], b'\n' | b'\r') {
                first += 1;
            }
            first
        });
        let line = match start.filter(|start| *start >= counted_to) {
            Some(start) => {
                line += text.as_bytes()[counted_to..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted_to = start;
                line
            }
            None => index + 2,
        };
        if rows.len() == MAX_SHEET_ROWS {
            return Err(format!("The file has more than {MAX_SHEET_ROWS} rows; split it."));
        }
        let cells = match record {
            Ok(record) if record.iter().all(|cell| cell.trim().is_empty()) => continue,
            Ok(record) => Ok(record.iter().map(str::to_owned).collect()),
            Err(error) => Err(format!("This line cannot be read: {error}.")),
        };
        rows.push(TableRow { line, cells });
    }
    Ok(Table { headers, rows })
}
