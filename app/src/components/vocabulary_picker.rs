//! Picking terms of a vocabulary (capabilities, sectors, certifications) by typing: the list
//! narrows as one types, arrow keys move through it, Enter adds, Escape closes; chosen terms
//! are chips with a remove button. Usable with the keyboard alone, announced as a combobox.

use domain::taxonomy::Term;
use leptos::prelude::*;

/// The terms of `vocabulary` whose label — or their broader term's — contains `typed`
/// (ignoring case), leaving out `chosen`: those whose label starts with it first, each broader
/// term followed by its narrower ones.
fn matching(vocabulary: &'static [Term], typed: &str, chosen: &[String]) -> Vec<&'static Term> {
    let typed = typed.trim().to_lowercase();
    let family = |term: &Term| term.parent.unwrap_or(term.code);
    let family_label = |term: &Term| domain::taxonomy::label(vocabulary, family(term));
    let mut found: Vec<&'static Term> = vocabulary
        .iter()
        .filter(|term| !chosen.iter().any(|code| code == term.code))
        .filter(|term| {
            typed.is_empty()
                || term.label.to_lowercase().contains(&typed)
                || family_label(term).to_lowercase().contains(&typed)
        })
        .collect();
    // Terms whose label starts with what was typed first (Enter takes the first), then the rest.
    found.sort_by_key(|term| {
        let starts = term.label.to_lowercase().starts_with(&typed);
        (!starts, vocabulary.iter().position(|t| t.code == family(term)))
    });
    found
}

/// A searchable picker over `vocabulary`, bound to the codes `chosen` (changed through `set`).
#[component]
pub fn VocabularyPicker(
    /// The input's id (the listbox and options derive theirs from it).
    id: &'static str,
    /// What is being picked ("Capabilities").
    label: &'static str,
    /// The terms to pick from.
    vocabulary: &'static [Term],
    /// The codes chosen.
    chosen: Signal<Vec<String>>,
    /// Receives the new list of codes.
    set: Callback<Vec<String>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0_usize);
    let options = Memo::new(move |_| chosen.with(|chosen| matching(vocabulary, &typed.get(), chosen)));
    let listbox = format!("{id}-options");
    let add = move |code: &'static str| {
        let mut codes = chosen.get_untracked();
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
        set.run(codes);
        typed.set(String::new());
        active.set(0);
    };
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = options.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                if open.get_untracked() && count > 0 {
                    active.update(|i| *i = (*i + 1) % count);
                }
                open.set(true);
            }
            "ArrowUp" => {
                event.prevent_default();
                if count > 0 {
                    active.update(|i| *i = (*i + count - 1) % count);
                }
            }
            "Enter" => {
                event.prevent_default();
                let picked =
                    options.with_untracked(|options| options.get(active.get_untracked()).map(|term| term.code));
                if let (true, Some(code)) = (open.get_untracked(), picked) {
                    add(code);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    let option_id = move |index: usize| format!("{id}-option-{index}");
    view! {
        <div class="field picker">
            <label for=id>{label}</label>
            <ul class="chips" aria-label=format!("{label} chosen")>
                {move || chosen.get().into_iter().map(|code| {
                    let shown = domain::taxonomy::label(vocabulary, &code).to_owned();
                    let remove = code.clone();
                    view! {
                        <li class="chip">
                            {shown.clone()}
                            <button type="button" class="chip-remove" aria-label=format!("Remove {shown}")
                                on:click=move |_| set.run(chosen.get_untracked().into_iter().filter(|c| *c != remove).collect())>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <input id=id type="text" role="combobox" autocomplete="off" placeholder="Type to search, ↓ to browse"
                aria-autocomplete="list" aria-controls=listbox.clone()
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || (open.get() && options.with(|o| !o.is_empty())).then(|| option_id(active.get()))
                prop:value=move || typed.get()
                on:input=move |event| { typed.set(event_target_value(&event)); active.set(0); open.set(true); }
                on:focus=move |_| open.set(true)
                on:blur=move |_| open.set(false)
                on:keydown=on_keydown />
            <ul id=listbox role="listbox" class="picker-options" aria-label=label hidden=move || !open.get()>
                {move || options.get().into_iter().enumerate().map(|(index, term)| {
                    let code = term.code;
                    view! {
                        <li id=option_id(index) role="option" class:active=move || active.get() == index
                            aria-selected=move || (active.get() == index).to_string()
                            // Chosen on mouse down, before the input's blur closes the list.
                            on:mousedown=move |event| { event.prevent_default(); add(code); }>
                            {term.label}
                            {term.parent.map(|parent| view! { <small class="muted">{format!(" — in {}", domain::taxonomy::label(vocabulary, parent))}</small> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_narrows_the_terms_and_chosen_ones_are_not_offered_again() {
        let vocabulary = domain::taxonomy::CAPABILITIES;
        let found: Vec<&str> = matching(vocabulary, "CRYPT", &[]).iter().map(|t| t.code).collect();
        assert_eq!(found, ["cryptology"]);
        assert_eq!(matching(vocabulary, "crypt", &["cryptology".to_owned()]).len(), 0);
        assert_eq!(matching(vocabulary, "", &[]).len(), vocabulary.len());
        // Sub-domains are found by their domain's name too; labels starting with the words come
        // first, each domain before its sub-domains.
        let all = domain::taxonomy::CAPABILITY_TERMS;
        let found: Vec<&str> = matching(all, "steganography", &[]).iter().map(|t| t.code).collect();
        assert_eq!(
            found,
            [
                "steganography",
                "steganography-steganography",
                "network-security-network-steganography",
                "steganography-digital-watermarking",
                "steganography-steganalysis",
            ]
        );
        let found: Vec<&str> = matching(all, "post-quantum", &[]).iter().map(|t| t.code).collect();
        assert_eq!(found, ["cryptology-post-quantum-cryptography"]);
    }
}
