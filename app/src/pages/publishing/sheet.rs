//! Uploading a spreadsheet of calls (CSV or XLSX): the file is read in the browser (a workbook
//! travels as base64 and is read on the server), its columns are mapped to fields (guessed from
//! the headers, changeable here), every row is previewed with its mistakes by line, and nothing
//! is written until the editor confirms.

use crate::api::publishing::{import_sheet, preview_sheet, SheetOutcome, SheetPreview, SHEET_FIELDS};
use crate::components::error_notice::inline_alert;
use crate::components::page_title::PageTitle;
use crate::components::sheet_file::{SheetFileInput, Upload};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The upload page of the funding body in the address.
#[component]
pub fn SheetUploadPage() -> impl IntoView {
    let params = use_params_map();
    let organisation = params.with_untracked(|p| p.get("organisation").unwrap_or_default());
    let upload = RwSignal::new(None::<Upload>);
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
    let desk = format!("/publish/{}", domain::query::percent_encode(&organisation));
    view! {
        <PageTitle text="Upload calls" />
        <section class="publish sheet-upload">
            <p><a href=desk.clone()>"← Back to the desk"</a></p>
            <h1>"Upload a spreadsheet of calls"</h1>
            <p>"Upload an Excel workbook (.xlsx, its first sheet, up to 45 KB) or a CSV file (UTF-8, comma or semicolon separated, up to 60 KB), with column names on the first row. Each row becomes a draft; a reference that is already one of your drafts updates it. Nothing is written until you confirm."</p>
            <SheetFileInput upload on_chosen=Callback::new(move |()| mapping.set(None)) />
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
