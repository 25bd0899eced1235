//! Choosing a spreadsheet to upload (CSV, or an XLSX workbook): the file is read in the
//! browser — a workbook travels as base64 and is read on the server — bounded before it is
//! sent, and its mistakes shown where the person chose it.

use leptos::prelude::*;

/// A chosen file as it is sent: CSV text, or an XLSX workbook in base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The CSV text (empty for a workbook).
    pub text: String,
    /// The workbook, base64-encoded.
    pub xlsx: Option<String>,
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
            "The file is larger than {} KB: split it, or leave the long texts out.",
            MAX_SHEET_BYTES / 1_000
        ));
    }
    Ok(Upload { text, xlsx: None })
}

/// The file input: a chosen file lands in `upload` (and `on_chosen` runs, to reset what
/// depended on the previous one), or its problem is shown under the input.
#[component]
pub fn SheetFileInput(
    /// Where the chosen file goes.
    upload: RwSignal<Option<Upload>>,
    /// Runs when a new file is chosen, before it lands in `upload`.
    on_chosen: Callback<()>,
) -> impl IntoView {
    let read_error = RwSignal::new(None::<String>);
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
                        on_chosen.run(());
                        upload.set(Some(chosen));
                    }
                    Err(message) => read_error.set(Some(message)),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, read_error, on_chosen, upload);
    };
    view! {
        <label class="field" for="sheet_file">
            <span>"CSV or XLSX file"</span>
            <input id="sheet_file" name="sheet_file" type="file" accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=on_file />
        </label>
        {move || read_error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
    }
}
