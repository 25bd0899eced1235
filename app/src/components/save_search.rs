//! "Save this search" on the call list and the directory: for a signed-in person it saves the
//! search shown (weekly in their digest) and says so with the sentence of what will be
//! mailed; a visitor is told that logging in lets them save it.

use crate::api::alerts::{save_search, SearchKind};
use crate::pages::account::CurrentViewer;
use leptos::prelude::*;
use leptos_router::components::A;

/// URL pairs as the save button takes them.
pub fn owned_pairs(pairs: Vec<(&'static str, String)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(key, value)| (key.to_owned(), value)).collect()
}

/// The save button for the `kind` search the URL pairs `pairs` describe.
#[component]
pub fn SaveSearch(
    /// Calls or organisations.
    kind: SearchKind,
    /// The search shown, as URL pairs.
    pairs: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    let saved_for = RwSignal::new(None::<Vec<(String, String)>>);
    let save = Action::new(move |pairs: &Vec<(String, String)>| save_search(kind, pairs.clone()));
    let on_click = move |_| {
        let pairs = pairs.get_untracked();
        saved_for.set(Some(pairs.clone()));
        save.dispatch(pairs);
    };
    // What the last save answered, while the page still shows the search it saved.
    let answer = move || {
        let current = saved_for.with(|saved| saved.as_ref() == Some(&pairs.get()));
        current.then(|| save.value().get()).flatten()
    };
    view! {
        <Transition fallback=|| ()>
            {move || match viewer.0.get() {
                Some(Ok(Some(_))) => view! {
                    <div class="save-search" aria-live="polite">
                        {move || match answer() {
                            Some(Ok(saved)) => view! {
                                <p class="save-search-done">
                                    <strong>"Saved. "</strong>
                                    {saved.sentence}
                                    " "
                                    <A href="/preferences">"Change it in your alerts"</A>
                                </p>
                            }.into_any(),
                            other => view! {
                                <button type="button" class="button save-search-button"
                                    disabled=move || save.pending().get() on:click=on_click>
                                    "Save this search"
                                </button>
                                {other.and_then(Result::err).map(|error| view! { <p class="field-error" role="alert">{error.to_string()}</p> })}
                            }.into_any(),
                        }}
                    </div>
                }.into_any(),
                _ => view! {
                    <p class="save-search muted">
                        <A href="/account/login">"Log in"</A>
                        " to save this search and hear of new matches by mail."
                    </p>
                }.into_any(),
            }}
        </Transition>
    }
}
