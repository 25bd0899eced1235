//! Uploading a spreadsheet of calls (CSV or XLSX): the file is read in the browser (a workbook
//! travels as base64 and is read on the server), its columns are mapped to fields (guessed from
//! the headers, changeable here), every row is previewed with its mistakes by line, and nothing
//! is written until the editor confirms.

use crate::api::publishing::{import_sheet, preview_sheet, SheetOutcome, SheetPreview, SHEET_FIELDS};
use crate::components::error_notice::inline_alert;
use crate::components::page_title::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A chosen file as it is sent: CSV text, or an XLSX workbook in base64.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Upload {
    /// The CSV text (empty for a workbook).
    text: String,
    /// The workbook, base64-encoded.
    xlsx: Option<String>,
}

/// Reads the file chosen in `input`: a `.xlsx` workbook as base64, anything else as text.
#[cfg(feature = "hydrate")]
async fn chosen_file(input: web_sys::HtmlInputElement) -> Result<Upload, String> {
    use domain::publishing::{MAX_SHEET_BYTES, MAX_XLSX_BYTES};
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or_else(|| "Choose a file first.".to_owned())?;
    if file.name().to_lowercase().ends_with(".xlsx") {
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| "The workbook cannot be read; choose it again.".to_owned())?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        if bytes.len() > MAX_XLSX_BYTES {
            return Err(format!(
                "The workbook is larger than {} KB: split it, or save it as CSV.",
                MAX_XLSX_BYTES / 1_000
            ));
        }
        use base64::Engine as _;
        return Ok(Upload {
            text: String::new(),
            xlsx: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
        });
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| "The file cannot be read as text; save it as CSV (UTF-8) or XLSX.".to_owned())?
        .as_string()
        .ok_or_else(|| "The file is not text.".to_owned())?;
    if text.len() > MAX_SHEET_BYTES {
        return Err(format!(
            "The file is larger than {} KB: split it, or leave the long descriptions out.",
            MAX_SHEET_BYTES / 1_000
        ));
    }
    Ok(Upload { text, xlsx: None })
}

/// The upload page of the funding body in the address.
#[component]
pub fn SheetUploadPage() -> impl IntoView {
    let params = use_params_map();
    let organisation = params.with_untracked(|p| p.get("organisation").unwrap_or_default());
    let upload = RwSignal::new(None::<Upload>);
    let read_error = RwSignal::new(None::<String>);
    let mapping = RwSignal::new(None::<Vec<Option<String>>>);
    let organisation_for_preview = organisation.clone();
    let preview = Resource::new(
        move || (upload.get(), mapping.get()),
        move |(upload, mapping)| {
            let organisation = organisation_for_preview.clone();
            async move {
                match upload {
                    Some(Upload { text, xlsx }) => preview_sheet(organisation, text, mapping, xlsx).await.map(Some),
                    None => Ok(None),
                }
            }
        },
    );
    let organisation_for_import = organisation.clone();
    let confirm = Action::new(move |(chosen, mapping): &(Upload, Option<Vec<Option<String>>>)| {
        let (organisation, chosen, mapping) = (organisation_for_import.clone(), chosen.clone(), mapping.clone());
        async move { import_sheet(organisation, chosen.text, mapping, chosen.xlsx).await }
    });
    let on_file = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(input) = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            leptos::task::spawn_local(async move {
                match chosen_file(input).await {
                    Ok(chosen) => {
                        read_error.set(None);
                        mapping.set(None);
                        upload.set(Some(chosen));
                    }
                    Err(message) => read_error.set(Some(message)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, read_error);
    };
    let desk = format!("/publish/{}", domain::query::percent_encode(&organisation));
    view! {
        <PageTitle text="Upload calls" />
        <section class="publish sheet-upload">
            <p><a href=desk.clone()>"← Back to the desk"</a></p>
            <h1>"Upload a spreadsheet of calls"</h1>
            <p>"Upload an Excel workbook (.xlsx, its first sheet, up to 45 KB) or a CSV file (UTF-8, comma or semicolon separated, up to 60 KB), with column names on the first row. Each row becomes a draft; a reference that is already one of your drafts updates it. Nothing is written until you confirm."</p>
            <label class="field" for="sheet_file">
                <span>"CSV or XLSX file"</span>
                <input id="sheet_file" name="sheet_file" type="file" accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=on_file />
            </label>
            {move || read_error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <Transition fallback=|| view! { <p>"Reading…"</p> }>
                {move || preview.get().map(|result| match result {
                    Ok(None) => ().into_any(),
                    Ok(Some(preview)) => view! {
                        <SheetPreviewView preview=preview.clone() mapping />
                        <button class="button primary" type="button"
                            disabled=move || confirm.pending().get() || preview.rows.iter().all(|row| !row.errors.is_empty())
                            on:click=move |_| {
                                if let Some(chosen) = upload.get_untracked() {
                                    confirm.dispatch((chosen, mapping.get_untracked()));
                                }
                            }>
                            {format!("Write the {} good rows as drafts", preview.rows.iter().filter(|row| row.errors.is_empty()).count())}
                        </button>
                    }.into_any(),
                    Err(error) => inline_alert(error),
                })}
            </Transition>
            {move || confirm.value().get().map(|answer| match answer {
                Ok(outcome) => outcome_view(outcome, &desk).into_any(),
                Err(error) => inline_alert(error),
            })}
        </section>
    }
}

/// The columns with their fields (changeable) and each row with its mistakes.
#[component]
fn SheetPreviewView(preview: SheetPreview, mapping: RwSignal<Option<Vec<Option<String>>>>) -> impl IntoView {
    let current: Vec<Option<String>> = preview.columns.iter().map(|column| column.field.clone()).collect();
    let bad = preview.rows.iter().filter(|row| !row.errors.is_empty()).count();
    view! {
        <h2>"Columns"</h2>
        <table class="sheet-columns">
            <thead><tr><th scope="col">"Column in your file"</th><th scope="col">"Field"</th></tr></thead>
            <tbody>
                {preview.columns.iter().enumerate().map(|(index, column)| {
                    let current = current.clone();
                    view! {
                        <tr>
                            <td>{column.header.clone()}</td>
                            <td>
                                <select aria-label=format!("Field for the column {}", column.header)
                                    prop:value=column.field.clone().unwrap_or_default()
                                    on:change=move |event| {
                                        let value = event_target_value(&event);
                                        let mut chosen = mapping.get_untracked().unwrap_or_else(|| current.clone());
                                        if let Some(slot) = chosen.get_mut(index) {
                                            *slot = (!value.is_empty()).then_some(value);
                                        }
                                        mapping.set(Some(chosen));
                                    }>
                                    <option value="">"(ignore this column)"</option>
                                    {SHEET_FIELDS.iter().map(|(field, label)| view! { <option value=*field>{*label}</option> }).collect_view()}
                                </select>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h2>{format!("Rows: {} good, {} with mistakes", preview.rows.len() - bad, bad)}</h2>
        <table class="sheet-rows">
            <thead><tr><th scope="col">"Line"</th><th scope="col">"Reference"</th><th scope="col">"Title"</th><th scope="col">"Outcome"</th></tr></thead>
            <tbody>
                {preview.rows.into_iter().map(|row| {
                    let ok = row.errors.is_empty();
                    view! {
                        <tr class:row-error=!ok data-line=row.line.to_string()>
                            <td>{row.line}</td>
                            <td>{row.reference.clone()}</td>
                            <td>{row.title.clone()}</td>
                            <td>{if ok {
                                if row.updates { "updates your draft".to_owned() } else { "new draft".to_owned() }
                            } else {
                                row.errors.iter().map(|error| format!("{}: {}", error.field, error.message)).collect::<Vec<_>>().join(" ")
                            }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

fn outcome_view(outcome: SheetOutcome, desk: &str) -> impl IntoView {
    view! {
        <div class="form-success" role="status">
            <p>{format!(
                "{} created, {} updated, {} unchanged, {} not written.",
                outcome.created, outcome.updated, outcome.unchanged, outcome.refused.len()
            )}</p>
            {(!outcome.refused.is_empty()).then(|| view! {
                <ul>{outcome.refused.iter().map(|row| view! {
                    <li>{format!("Line {} ({}): {}", row.line, row.reference, row.errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "))}</li>
                }).collect_view()}</ul>
            })}
            <p><a href=desk.to_owned()>"Back to the desk"</a></p>
        </div>
    }
}
