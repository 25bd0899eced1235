//! "Save this search" on the call list and the directory: for a signed-in person it saves the
//! search shown (weekly in their digest) and says so with the sentence of what will be
//! mailed; a visitor can have it mailed weekly without an account (after confirming their
//! address), or log in to save it.

use crate::api::alerts::{save_search, subscribe_by_email, SearchKind};
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
                _ => view! { <SubscribeByEmail kind pairs /> }.into_any(),
            }}
        </Transition>
    }
}

/// For a visitor: the search shown mailed weekly to an address, once confirmed from a mail.
#[component]
fn SubscribeByEmail(
    /// Calls or organisations.
    kind: SearchKind,
    /// The search shown, as URL pairs.
    pairs: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let subscribe = Action::new(move |(pairs, email): &(Vec<(String, String)>, String)| {
        subscribe_by_email(kind, pairs.clone(), email.clone())
    });
    view! {
        <form class="save-search subscribe-by-email" aria-live="polite" on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            subscribe.dispatch((pairs.get_untracked(), email.get_untracked()));
        }>
            {move || match subscribe.value().get() {
                Some(Ok(answer)) => view! { <p class="save-search-done">{answer}</p> }.into_any(),
                other => view! {
                    <label for="subscribe-email">"Get new matches for this search by mail, weekly:"</label>
                    " "
                    <input id="subscribe-email" type="email" required autocomplete="email" maxlength="254"
                        placeholder="you@example.eu" prop:value=move || email.get()
                        on:input=move |event| email.set(event_target_value(&event)) />
                    " "
                    <button type="submit" class="button" disabled=move || subscribe.pending().get()>"Mail me"</button>
                    " or " <A href="/account/login">"log in"</A> " to save it."
                    {other.and_then(Result::err).map(|error| view! { <p class="field-error" role="alert">{error.to_string()}</p> })}
                }.into_any(),
            }}
        </form>
    }
}
