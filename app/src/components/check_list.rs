//! A list of checkboxes bound to a list of codes: the call editor's applicant kinds and
//! topics, a region's priorities, what an organisation looks for.

use leptos::prelude::*;

/// `(code, label)` of every term of a vocabulary, for a [`CheckList`].
pub fn terms(vocabulary: &'static [domain::taxonomy::Term]) -> Vec<(&'static str, &'static str)> {
    vocabulary.iter().map(|term| (term.code, term.label)).collect()
}

/// One checkbox per `(code, label)` of `options`; ticking adds the code to `chosen` (through
/// `set`), unticking removes it.
#[component]
pub fn CheckList(
    /// The inputs' `name`.
    name: &'static str,
    /// What the list is ("NIS2 sectors").
    legend: &'static str,
    /// The codes and labels offered.
    options: Vec<(&'static str, &'static str)>,
    /// The codes ticked.
    chosen: Signal<Vec<String>>,
    /// Receives the new list of codes.
    set: Callback<Vec<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="field checks">
            <legend>{legend}</legend>
            {options.into_iter().map(|(code, label)| view! {
                <label class="check">
                    <input type="checkbox" name=name value=code
                        prop:checked=move || chosen.with(|codes| codes.iter().any(|c| c == code))
                        on:change=move |event| {
                            let mut codes = chosen.get_untracked();
                            codes.retain(|c| c != code);
                            if event_target_checked(&event) {
                                codes.push(code.to_owned());
                            }
                            set.run(codes);
                        } />
                    " " {label}
                </label>
            }).collect_view()}
        </fieldset>
    }
}
