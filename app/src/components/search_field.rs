//! The search input both list pages share: suggestions while typing, and the list's other
//! parameters carried in hidden fields so the GET form also works without JavaScript.

use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;

/// A search input named `q` with a datalist (`list_id`) of suggestions. It follows `url_text` (back
/// button, chip links) unless the user is typing, and asks `suggest` once two characters are
/// typed. Returns the view and what is typed now.
pub fn suggesting_input<F, Fut>(
    id: &'static str,
    list_id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    url_text: Signal<String>,
    suggest: F,
) -> (impl IntoView, ReadSignal<String>)
where
    F: Fn(String) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Vec<String>, AppError>> + 'static,
{
    let (typed, set_typed) = signal(url_text.get_untracked());
    Effect::new(move |_| set_typed.set(url_text.get()));
    let suggestions = LocalResource::new(move || {
        let text = typed.get();
        async move {
            if text.trim().chars().count() < 2 {
                Vec::new()
            } else {
                suggest(text).await.unwrap_or_default()
            }
        }
    });
    let view = view! {
        <label for=id class="visually-hidden">{label}</label>
        <input
            id=id
            type="search"
            name="q"
            list=list_id
            autocomplete="off"
            placeholder=placeholder
            prop:value=move || typed.get()
            on:input=move |ev| set_typed.set(event_target_value(&ev))
        />
        <datalist id=list_id>
            {move || {
                suggestions
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|suggestion| view! { <option value=suggestion></option> })
                    .collect_view()
            }}
        </datalist>
    };
    (view, typed)
}

/// Hidden fields for a list's URL pairs, except the words and the page (a new search starts
/// on page 1).
pub fn kept_fields(pairs: Vec<(&'static str, String)>) -> impl IntoView {
    pairs
        .into_iter()
        .filter(|(key, _)| *key != "q" && *key != "page")
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view()
}
