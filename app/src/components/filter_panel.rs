//! The filter panel both lists share, driven by a description of each facet (legend, URL
//! key, values with labels and counts, single or multiple choice), and the row of active
//! filters above the results.
//!
//! The panel works on the query's URL pairs, so it knows nothing of calls or organisations:
//! without JavaScript it is a plain GET form with an Apply button; once hydrated, every
//! change navigates at once (client-side) and the Apply button is hidden.

use crate::components::layout::use_hydrated;
use domain::FacetValue;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// A query as the URL writes it: `(key, value)` pairs.
pub type Pairs = Vec<(&'static str, String)>;

/// How many of a facet's values can be chosen at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Checkboxes: any number of values.
    Multiple,
    /// Radio buttons: one value, or none (an option with an empty value stands for "any").
    Single,
}

/// One value a facet offers.
#[derive(Debug, Clone, PartialEq)]
pub struct FacetOption {
    /// The URL key the value is written under.
    pub key: &'static str,
    /// The URL value (empty for the "any" option of a single choice).
    pub value: String,
    /// What people read.
    pub label: String,
    /// How many results the value would give, when counted.
    pub count: Option<u64>,
}

impl FacetOption {
    /// The value `value` under `key`, labelled `label`, not counted.
    pub fn new(key: &'static str, value: impl Into<String>, label: impl Into<String>) -> FacetOption {
        FacetOption {
            key,
            value: value.into(),
            label: label.into(),
            count: None,
        }
    }

    /// The option with its count from `counts` (zero when the value is not among them).
    pub fn counted(self, counts: &[FacetValue]) -> FacetOption {
        let count = counts.iter().find(|f| f.value == self.value).map_or(0, |f| f.count);
        FacetOption {
            count: Some(count),
            ..self
        }
    }
}

/// One filter dimension as the panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Facet {
    /// The fieldset's legend.
    pub legend: &'static str,
    /// Checkboxes or radio buttons.
    pub choice: Choice,
    /// The values offered, in order; a facet without any is not shown.
    pub options: Vec<FacetOption>,
}

impl Facet {
    /// Checkboxes for `options`.
    pub fn multiple(legend: &'static str, options: impl IntoIterator<Item = FacetOption>) -> Facet {
        Facet {
            legend,
            choice: Choice::Multiple,
            options: options.into_iter().collect(),
        }
    }

    /// Radio buttons for `options`.
    pub fn single(legend: &'static str, options: impl IntoIterator<Item = FacetOption>) -> Facet {
        Facet {
            legend,
            choice: Choice::Single,
            options: options.into_iter().collect(),
        }
    }

    /// Checkboxes for the values a search counted under `key` (with `counted`, their counts;
    /// without, as a list of terms), then the chosen values it did not count, so they can be
    /// unticked.
    pub fn listed(
        legend: &'static str,
        key: &'static str,
        values: &[FacetValue],
        counted: bool,
        chosen: &Pairs,
        label: impl Fn(&str) -> String,
    ) -> Facet {
        let listed = values.iter().map(|f| (f.value.clone(), f.count));
        let missing = chosen
            .iter()
            .filter(|(k, v)| *k == key && !values.iter().any(|f| f.value == *v))
            .map(|(_, v)| (v.clone(), 0));
        Facet::multiple(
            legend,
            listed.chain(missing).map(|(value, count)| FacetOption {
                key,
                label: label(&value),
                count: counted.then_some(count),
                value,
            }),
        )
    }
}

/// Whether `pairs` choose `option` (the "any" option: when they choose nothing under its key).
fn is_chosen(pairs: &Pairs, option: &FacetOption) -> bool {
    if option.value.is_empty() {
        !pairs.iter().any(|(k, _)| *k == option.key)
    } else {
        pairs.iter().any(|(k, v)| *k == option.key && *v == option.value)
    }
}

/// `pairs` after choosing (or unchoosing) `option`, back on page 1.
pub fn toggled(pairs: &Pairs, option: &FacetOption, choice: Choice) -> Pairs {
    let mut next: Pairs = pairs.iter().filter(|(k, _)| *k != "page").cloned().collect();
    let unchoosing = choice == Choice::Multiple && is_chosen(&next, option);
    match choice {
        Choice::Single => next.retain(|(k, _)| *k != option.key),
        Choice::Multiple => next.retain(|(k, v)| !(*k == option.key && *v == option.value)),
    }
    let choosing_a_value = !unchoosing && !option.value.is_empty();
    if choosing_a_value {
        next.push((option.key, option.value.clone()));
    }
    next
}

/// `pairs` ordered by `sort` instead, back on page 1.
fn sorted_by(pairs: &Pairs, sort: &'static str) -> Pairs {
    let mut next: Pairs = pairs
        .iter()
        .filter(|(k, _)| *k != "page" && *k != "sort")
        .cloned()
        .collect();
    next.push(("sort", sort.to_owned()));
    next
}

/// The filter panel: the sort order, then one fieldset per facet that has values.
#[component]
pub fn FilterPanel(
    /// The list's address, where the plain form goes.
    action: &'static str,
    /// The current query's URL pairs.
    pairs: Signal<Pairs>,
    /// The address of the list for some pairs.
    href: Callback<Pairs, String>,
    /// The sort orders offered: URL value and label.
    sorts: Vec<(&'static str, &'static str)>,
    /// The sort in effect (its URL value).
    sort: Signal<&'static str>,
    /// The facets, in the order shown.
    facets: Vec<Facet>,
    /// Whether a small screen shows the panel (owned by the page, so it survives re-renders).
    open: RwSignal<bool>,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let navigate = use_navigate();
    let go = move |next: Pairs| navigate(&href.run(next), Default::default());
    let sort_go = go.clone();
    let offered: Vec<&'static str> = sorts.iter().map(|(value, _)| *value).collect();
    let on_sort = move |ev| {
        let value = event_target_value(&ev);
        if let Some(sort) = offered.iter().find(|offered| **offered == value) {
            sort_go(sorted_by(&pairs.get_untracked(), sort));
        }
    };
    let sort_options = sorts
        .iter()
        .map(|(value, label)| {
            let value = *value;
            let chosen = move || sort.get() == value;
            view! { <option value=value selected=chosen prop:selected=chosen>{*label}</option> }
        })
        .collect_view();
    let fieldsets = facets
        .into_iter()
        .filter(|facet| !facet.options.is_empty())
        .map(|facet| view! { <FacetFieldset facet pairs go=go.clone() /> })
        .collect_view();
    view! {
        <aside class="filters" class:open=open data-hydrated=move || hydrated.get().to_string()>
            <button
                type="button"
                class="filters-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls="filter-form"
                on:click=move |_| open.update(|shown| *shown = !*shown)
            >
                {move || if open.get() { "Hide filters" } else { "Show filters" }}
            </button>
            <form id="filter-form" method="get" action=action class="filter-form">
                {move || pairs.with(|p| p.iter().find(|(k, _)| *k == "q").map(|(_, text)| view! { <input type="hidden" name="q" value=text.clone() /> }))}
                <label class="sort">
                    "Sort by "
                    // Selected per option (attribute for the server HTML, property once
                    // hydrated): a select's own value set before its options exist is lost.
                    <select name="sort" on:change=on_sort>{sort_options}</select>
                </label>
                {fieldsets}
                <button type="submit" class="button apply" class:hidden=move || hydrated.get()>
                    "Apply filters"
                </button>
            </form>
        </aside>
    }
}

/// One facet's checkboxes or radio buttons, each with its count.
#[component]
fn FacetFieldset(facet: Facet, pairs: Signal<Pairs>, go: impl Fn(Pairs) + Clone + 'static) -> impl IntoView {
    let kind = match facet.choice {
        Choice::Multiple => "checkbox",
        Choice::Single => "radio",
    };
    let choice = facet.choice;
    let options = facet
        .options
        .into_iter()
        .map(|option| {
            let checked = {
                let option = option.clone();
                move || pairs.with(|p| is_chosen(p, &option))
            };
            let go = go.clone();
            let on_change = {
                let option = option.clone();
                move |_| go(toggled(&pairs.get_untracked(), &option, choice))
            };
            let count = option.count.map(|count| view! { <span class="count">{count}</span> });
            view! {
                <label class="check">
                    <input type=kind name=option.key value=option.value.clone() checked=checked.clone() prop:checked=checked on:change=on_change />
                    <span class="label">{option.label}</span>
                    {count}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend>{facet.legend}</legend>
            {options}
        </fieldset>
    }
}

/// One chip per filter value in `pairs` (those under `filter_keys`), labelled by `label`, each
/// with the address (`href`) of the list without that value, back on page 1.
pub fn filter_chips(
    pairs: &Pairs,
    filter_keys: &[&str],
    label: impl Fn(&str, &str) -> String,
    href: impl Fn(Pairs) -> String,
) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter(|(key, _)| filter_keys.contains(key))
        .map(|(key, value)| {
            let without: Pairs = pairs
                .iter()
                .filter(|(k, v)| !(k == key && v == value) && *k != "page")
                .cloned()
                .collect();
            (label(key, value), href(without))
        })
        .collect()
}

/// The active filters above the results: each a link to the list without it, then "Clear all".
#[component]
pub fn ActiveFilters(
    /// Each active filter's label and the address of the list without it.
    chips: Vec<(String, String)>,
    /// The address of the list without any filter.
    clear: &'static str,
) -> impl IntoView {
    (!chips.is_empty()).then(|| {
        let links = chips
            .into_iter()
            .map(|(label, without)| {
                view! {
                    <li>
                        <a class="chip" href=without aria-label=format!("Remove filter {label}")>
                            {label.clone()}
                            <span aria-hidden="true">" ×"</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul class="chips" aria-label="Active filters">
                {links}
                <li><a class="chip clear" href=clear>"Clear all"</a></li>
            </ul>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&'static str, &str)]) -> Pairs {
        list.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    #[test]
    fn a_checkbox_adds_then_removes_its_value_and_goes_back_to_page_one() {
        let open = FacetOption::new("status", "open", "Open");
        let start = pairs(&[("status", "closed"), ("page", "3")]);
        let added = toggled(&start, &open, Choice::Multiple);
        assert_eq!(added, pairs(&[("status", "closed"), ("status", "open")]));
        assert_eq!(toggled(&added, &open, Choice::Multiple), pairs(&[("status", "closed")]));
    }

    #[test]
    fn a_radio_replaces_its_key_and_the_any_option_clears_it() {
        let week = FacetOption::new("closes", "week", "Within 7 days");
        let any = FacetOption::new("closes", "", "Any time");
        let start = pairs(&[("q", "cyber"), ("closes", "month")]);
        assert!(is_chosen(&pairs(&[("q", "cyber")]), &any) && !is_chosen(&start, &any));
        let chosen = toggled(&start, &week, Choice::Single);
        assert_eq!(chosen, pairs(&[("q", "cyber"), ("closes", "week")]));
        assert_eq!(toggled(&chosen, &any, Choice::Single), pairs(&[("q", "cyber")]));
    }

    #[test]
    fn listed_values_keep_chosen_ones_without_matches_and_counts_only_when_counted() {
        let counts = [FacetValue {
            value: "PT".into(),
            count: 4,
        }];
        let chosen = pairs(&[("country", "FR")]);
        let facet = Facet::listed("Country", "country", &counts, true, &chosen, str::to_lowercase);
        let shown: Vec<(&str, &str, Option<u64>)> = facet
            .options
            .iter()
            .map(|o| (o.value.as_str(), o.label.as_str(), o.count))
            .collect();
        assert_eq!(shown, vec![("PT", "pt", Some(4)), ("FR", "fr", Some(0))]);
        let uncounted = Facet::listed("Country", "country", &counts, false, &chosen, str::to_owned);
        assert!(uncounted.options.iter().all(|o| o.count.is_none()));
    }

    #[test]
    fn each_filter_value_is_a_chip_that_removes_only_itself() {
        let start = pairs(&[("q", "x"), ("status", "open"), ("status", "closed"), ("page", "2")]);
        let chips = filter_chips(&start, &["status"], |k, v| format!("{k}:{v}"), |p| format!("{p:?}"));
        assert_eq!(chips.len(), 2);
        assert_eq!(chips[0].0, "status:open");
        assert_eq!(chips[0].1, format!("{:?}", pairs(&[("q", "x"), ("status", "closed")])));
    }

    #[test]
    fn sorting_replaces_the_sort_and_the_page() {
        let start = pairs(&[("q", "x"), ("sort", "title"), ("page", "2")]);
        assert_eq!(sorted_by(&start, "budget"), pairs(&[("q", "x"), ("sort", "budget")]));
    }
}
