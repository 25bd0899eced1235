//! `/calls`: search and browse calls — text, filters with counts, sort and paging, all
//! kept in the URL so a search can be shared and the back button works.

use crate::api::{list_calls, suggest_calls, CallListing};
use crate::components::call_card::CallCard;
use crate::components::error_notice::ErrorNotice;
use crate::components::layout::use_hydrated;
use crate::components::page_title::PageTitle;
use crate::components::pager::{Pager, PastTheEnd};
use crate::components::search_field::{kept_fields, suggesting_input};
use crate::error::AppError;
use crate::hooks::use_call_query;
use domain::geo::{area_label, country_label, RegionNames};
use domain::taxonomy;
use domain::{
    BudgetRange, CallQuery, CallSort, CallStatus, ClosesWithin, FacetValue, Facets, InstrumentKind, SearchHit,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::HashMap;

/// Removes one filter from a query.
type Relax = fn(&mut CallQuery);

/// The address of the call list for `query`.
pub fn list_url(query: &CallQuery) -> String {
    format!("/calls{}", query.to_query_string())
}

/// `values` with `value` added, or removed if present.
fn toggle<T: PartialEq + Clone>(values: &[T], value: &T) -> Vec<T> {
    if values.contains(value) {
        values.iter().filter(|v| *v != value).cloned().collect()
    } else {
        values.iter().cloned().chain(std::iter::once(value.clone())).collect()
    }
}

/// `query` searching for `text` instead, on page 1; a sort the user chose is kept, the
/// default one follows the text (relevance when searching, deadline when not).
fn with_text(query: &CallQuery, text: &str) -> CallQuery {
    let chosen_sort = (query.sort != query.default_sort()).then_some(query.sort);
    let mut next = CallQuery {
        text: text.trim().to_owned(),
        page: 1,
        ..query.clone()
    };
    next.sort = chosen_sort.unwrap_or_else(|| next.default_sort());
    next
}

/// The counts of one filter dimension.
fn facet_values<'a>(facets: &'a Facets, dimension: &str) -> &'a [FacetValue] {
    match dimension {
        "status" => &facets.status,
        "kind" => &facets.kind,
        "country" => &facets.country,
        "budget" => &facets.budget,
        "closes" => &facets.closes_within,
        "trl" => &facets.trl,
        "region" => &facets.region,
        "domain" => &facets.domain,
        "sector" => &facets.sector,
        _ => &facets.programme,
    }
}

/// The call list page.
#[component]
pub fn CallsPage() -> impl IntoView {
    let query = use_call_query();
    let listing = Resource::new(move || query.get(), list_calls);

    view! {
        <PageTitle text=move || query.with(|q| if q.text.is_empty() { "Funding calls".to_owned() } else { format!("“{}” — calls", q.text) }) />
        <div class="calls-page">
            <FilterPanel query listing />
            <section class="results" aria-labelledby="results-heading">
                <SearchBox query />
                <div aria-live="polite">
                    <Transition fallback=|| view! { <p class="loading">"Loading calls…"</p> }>
                        {move || Suspend::new(async move {
                            match listing.await {
                                Ok(listing) => view! { <Results listing query=query.get_untracked() /> }.into_any(),
                                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            }
                        })}
                    </Transition>
                </div>
            </section>
        </div>
    }
}

/// The search box, with suggestions while typing. Without JavaScript it is a GET form
/// that keeps the current filters in hidden fields.
#[component]
fn SearchBox(query: Memo<CallQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let (input, typed) = suggesting_input(
        "search-input",
        "call-suggestions",
        "Search calls",
        "Search calls: a technology, a topic id, a programme…",
        Signal::derive(move || query.with(|q| q.text.clone())),
        suggest_calls,
    );
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(
            &list_url(&with_text(&query.get_untracked(), &typed.get_untracked())),
            Default::default(),
        );
    };
    view! {
        <form class="search-box" role="search" method="get" action="/calls" on:submit=on_submit>
            {input}
            {move || query.with(|q| kept_fields(q.to_pairs()))}
            <button type="submit" class="button primary">"Search"</button>
        </form>
    }
}

/// A filter value's count, once the listing is loaded.
#[component]
fn FacetCount(
    listing: Resource<Result<CallListing, AppError>>,
    dimension: &'static str,
    value: String,
) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || {
                let value = value.clone();
                Suspend::new(async move {
                    let count = listing
                        .await
                        .ok()
                        .and_then(|l| facet_values(&l.facets, dimension).iter().find(|f| f.value == value).map(|f| f.count));
                    count.map(|count| view! { <span class="count">{count}</span> })
                })
            }}
        </Transition>
    }
}

/// A multi-value filter of the query: its URL name, and how to read and replace its values.
struct MultiFilter<T> {
    name: &'static str,
    pick: fn(&CallQuery) -> &Vec<T>,
    set: fn(&mut CallQuery, Vec<T>),
}

impl<T> Clone for MultiFilter<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for MultiFilter<T> {}

const STATUSES: MultiFilter<CallStatus> = MultiFilter {
    name: "status",
    pick: |q| &q.statuses,
    set: |q, v| q.statuses = v,
};
const KINDS: MultiFilter<InstrumentKind> = MultiFilter {
    name: "kind",
    pick: |q| &q.kinds,
    set: |q, v| q.kinds = v,
};
const BUDGETS: MultiFilter<BudgetRange> = MultiFilter {
    name: "budget",
    pick: |q| &q.budgets,
    set: |q, v| q.budgets = v,
};
const PROGRAMMES: MultiFilter<String> = MultiFilter {
    name: "programme",
    pick: |q| &q.programmes,
    set: |q, v| q.programmes = v,
};
const TRL_LEVELS: MultiFilter<u8> = MultiFilter {
    name: "trl",
    pick: |q| &q.trl,
    set: |q, v| q.trl = v,
};
const REGIONS: MultiFilter<String> = MultiFilter {
    name: "region",
    pick: |q| &q.regions,
    set: |q, v| q.regions = v,
};
const DOMAINS: MultiFilter<String> = MultiFilter {
    name: "domain",
    pick: |q| &q.domains,
    set: |q, v| q.domains = v,
};
const SECTORS: MultiFilter<String> = MultiFilter {
    name: "sector",
    pick: |q| &q.sectors,
    set: |q, v| q.sectors = v,
};
const COUNTRIES: MultiFilter<String> = MultiFilter {
    name: "country",
    pick: |q| &q.countries,
    set: |q, v| q.countries = v,
};

/// The checkboxes of one filter, each with its count; changing one navigates at once when
/// hydrated. `items` are the values with their URL form and label.
fn checkbox_list<T: PartialEq + Clone + Send + Sync + 'static>(
    query: Memo<CallQuery>,
    listing: Resource<Result<CallListing, AppError>>,
    go: impl Fn(CallQuery) + Clone + 'static,
    filter: MultiFilter<T>,
    items: impl IntoIterator<Item = (T, String, String)>,
) -> impl IntoView {
    items
        .into_iter()
        .map(|(item, value, label)| {
            let checked = {
                let item = item.clone();
                move || query.with(|q| (filter.pick)(q).contains(&item))
            };
            let go = go.clone();
            let on_change = move |_| {
                let mut next = query.get_untracked();
                let values = toggle((filter.pick)(&next), &item);
                (filter.set)(&mut next, values);
                go(next);
            };
            view! {
                <label class="check">
                    <input type="checkbox" name=filter.name value=value.clone() prop:checked=checked on:change=on_change />
                    <span class="label">{label}</span>
                    <FacetCount listing dimension=filter.name value />
                </label>
            }
        })
        .collect_view()
}

/// Status, programme and kind checkboxes with counts, and the sort order.
///
/// Without JavaScript it is a plain GET form with an Apply button; once hydrated, every
/// change navigates at once (client-side) and the Apply button is hidden.
#[component]
fn FilterPanel(query: Memo<CallQuery>, listing: Resource<Result<CallListing, AppError>>) -> impl IntoView {
    let hydrated = use_hydrated();
    let navigate = use_navigate();
    let go = move |next: CallQuery| navigate(&list_url(&CallQuery { page: 1, ..next }), Default::default());
    let (panel_open, set_panel_open) = signal(false);

    let status_boxes = checkbox_list(
        query,
        listing,
        go.clone(),
        STATUSES,
        CallStatus::ALL.map(|s| (s, s.as_str().to_owned(), s.label().to_owned())),
    );
    let kind_boxes = checkbox_list(
        query,
        listing,
        go.clone(),
        KINDS,
        InstrumentKind::ALL.map(|k| (k, k.as_str().to_owned(), k.label().to_owned())),
    );
    let budget_boxes = checkbox_list(
        query,
        listing,
        go.clone(),
        BUDGETS,
        BudgetRange::ALL.map(|b| (b, b.as_str().to_owned(), b.label().to_owned())),
    );

    // One window at a time (each contains the shorter ones), so radio buttons with "any".
    let window_radio = |window: Option<ClosesWithin>| {
        let go = go.clone();
        let value = window.map_or("", ClosesWithin::as_str);
        let label = window.map_or("Any time", ClosesWithin::label);
        let on_change = move |_| {
            go(CallQuery {
                closes_within: window,
                ..query.get_untracked()
            })
        };
        view! {
            <label class="check">
                <input
                    type="radio"
                    name="closes"
                    value=value
                    prop:checked=move || query.with(|q| q.closes_within == window)
                    on:change=on_change
                />
                <span class="label">{label}</span>
                {window.map(|w| view! { <FacetCount listing dimension="closes" value=w.as_str().to_owned() /> })}
            </label>
        }
    };
    let window_radios = std::iter::once(None)
        .chain(ClosesWithin::ALL.into_iter().map(Some))
        .map(window_radio)
        .collect_view();

    let trl_go = go.clone();
    let trl_boxes = move || {
        let go = trl_go.clone();
        Suspend::new(async move {
            let mut levels: Vec<u8> = listing
                .await
                .map(|l| l.facets.trl.iter().filter_map(|f| f.value.parse().ok()).collect())
                .unwrap_or_default();
            // A chosen level stays listed (and can be unchosen) even with no matches.
            for chosen in query.get_untracked().trl {
                if !levels.contains(&chosen) {
                    levels.push(chosen);
                }
            }
            levels.sort_unstable();
            let empty = levels.is_empty();
            let items: Vec<(u8, String, String)> = levels
                .into_iter()
                .map(|level| (level, level.to_string(), format!("TRL {level}")))
                .collect();
            let boxes = checkbox_list(query, listing, go, TRL_LEVELS, items);
            (!empty).then(|| {
                view! {
                    <fieldset>
                        <legend>"Technology readiness"</legend>
                        {boxes}
                    </fieldset>
                }
            })
        })
    };

    // Values that come with the results (countries and regions calls list, each counting the
    // unrestricted calls too; topic areas and sectors derived from the calls' text), labelled.
    let listed_go = go.clone();
    let listed_boxes = move |legend: &'static str,
                             filter: MultiFilter<String>,
                             pick: fn(Facets) -> Vec<FacetValue>,
                             label: fn(&str, &RegionNames) -> String| {
        let go = listed_go.clone();
        move || {
            let go = go.clone();
            Suspend::new(async move {
                let (codes, names): (Vec<String>, RegionNames) = listing
                    .await
                    .map(|l| (pick(l.facets).into_iter().map(|f| f.value).collect(), l.region_names))
                    .unwrap_or_default();
                let empty = codes.is_empty();
                let items: Vec<(String, String, String)> = codes
                    .into_iter()
                    .map(|code| (code.clone(), code.clone(), label(&code, &names)))
                    .collect();
                let boxes = checkbox_list(query, listing, go, filter, items);
                (!empty).then(|| {
                    view! {
                        <fieldset>
                            <legend>{legend}</legend>
                            {boxes}
                        </fieldset>
                    }
                })
            })
        }
    };
    let country_boxes = listed_boxes("Open to applicants from", COUNTRIES, |f| f.country, area_label);
    let region_boxes = listed_boxes("Region", REGIONS, |f| f.region, area_label);
    let domain_boxes = listed_boxes(
        "Topic area",
        DOMAINS,
        |f| f.domain,
        |code, _| taxonomy::label(taxonomy::CAPABILITIES, code).to_owned(),
    );
    let sector_boxes = listed_boxes(
        "Sector",
        SECTORS,
        |f| f.sector,
        |code, _| taxonomy::label(taxonomy::SECTORS, code).to_owned(),
    );

    let flag_box = |name: &'static str,
                    label: &'static str,
                    get: fn(&CallQuery) -> bool,
                    set: fn(&mut CallQuery, bool)| {
        let go = go.clone();
        let on_change = move |_| {
            let mut next = query.get_untracked();
            let flipped = !get(&next);
            set(&mut next, flipped);
            go(next);
        };
        view! {
            <label class="check">
                <input type="checkbox" name=name value="true" prop:checked=move || query.with(get) on:change=on_change />
                <span class="label">{label}</span>
            </label>
        }
    };
    let eligibility_boxes = (
        flag_box("sme_only", "Reserved for SMEs", |q| q.sme_only, |q, on| q.sme_only = on),
        flag_box(
            "dual_use",
            "Dual-use (civil–military)",
            |q| q.dual_use,
            |q, on| q.dual_use = on,
        ),
    );

    let programme_go = go.clone();
    let programme_boxes = move || {
        let go = programme_go.clone();
        Suspend::new(async move {
            let mut names: Vec<String> = listing
                .await
                .map(|l| l.facets.programme.into_iter().map(|f| f.value).collect())
                .unwrap_or_default();
            // A chosen programme stays listed (and can be unchosen) even with no matches.
            for chosen in query.get_untracked().programmes {
                if !names.contains(&chosen) {
                    names.push(chosen);
                }
            }
            let items: Vec<(String, String, String)> = names
                .into_iter()
                .map(|name| (name.clone(), name.clone(), name))
                .collect();
            checkbox_list(query, listing, go, PROGRAMMES, items)
        })
    };

    let sort_go = go.clone();
    let on_sort = move |ev| {
        let current = query.get_untracked();
        let sort = CallSort::parse(&event_target_value(&ev)).unwrap_or_else(|| current.default_sort());
        sort_go(CallQuery { sort, ..current });
    };

    view! {
        <aside class="filters" class:open=panel_open data-hydrated=move || hydrated.get().to_string()>
            <button
                type="button"
                class="filters-toggle"
                aria-expanded=move || panel_open.get().to_string()
                aria-controls="filter-form"
                on:click=move |_| set_panel_open.update(|open| *open = !*open)
            >
                {move || if panel_open.get() { "Hide filters" } else { "Show filters" }}
            </button>
            <form id="filter-form" method="get" action="/calls" class="filter-form">
                {move || query.with(|q| (!q.text.is_empty()).then(|| view! { <input type="hidden" name="q" value=q.text.clone() /> }))}
                <label class="sort">
                    "Sort by "
                    <select name="sort" on:change=on_sort>
                        // Selected per option (attribute for the server HTML, property once
                        // hydrated): a select's own value set before its options exist is lost.
                        {CallSort::ALL
                            .into_iter()
                            .map(|sort| {
                                let chosen = move || query.with(|q| q.sort == sort);
                                view! {
                                    <option value=sort.as_str() selected=chosen prop:selected=chosen>
                                        {sort.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <fieldset>
                    <legend>"Status"</legend>
                    {status_boxes}
                </fieldset>
                <fieldset>
                    <legend>"Eligibility"</legend>
                    {eligibility_boxes}
                </fieldset>
                <fieldset>
                    <legend>"Programme"</legend>
                    <Transition fallback=|| ()>{programme_boxes}</Transition>
                </fieldset>
                <fieldset>
                    <legend>"Next deadline"</legend>
                    {window_radios}
                </fieldset>
                <fieldset>
                    <legend>"Instrument"</legend>
                    {kind_boxes}
                </fieldset>
                <fieldset>
                    <legend>"Budget per project"</legend>
                    {budget_boxes}
                </fieldset>
                <Transition fallback=|| ()>{domain_boxes}</Transition>
                <Transition fallback=|| ()>{sector_boxes}</Transition>
                <Transition fallback=|| ()>{trl_boxes}</Transition>
                <Transition fallback=|| ()>{country_boxes}</Transition>
                <Transition fallback=|| ()>{region_boxes}</Transition>
                <button type="submit" class="button apply" class:hidden=move || hydrated.get()>
                    "Apply filters"
                </button>
            </form>
        </aside>
    }
}

/// The count, the active filters, the calls and the pager — or the empty state.
#[component]
fn Results(listing: CallListing, query: CallQuery) -> impl IntoView {
    let CallListing {
        page,
        highlights,
        facets,
        degraded,
        now,
        region_names,
    } = listing;
    let page_count = page.page_count();
    let heading = match (page.total, query.text.is_empty()) {
        (1, true) => "1 call".to_owned(),
        (n, true) => format!("{n} calls"),
        (1, false) => format!("1 call for “{}”", query.text),
        (n, false) => format!("{n} calls for “{}”", query.text),
    };
    let notice = degraded.then(|| {
        view! {
            <p class="notice" role="status">
                "Full-text search is temporarily unavailable: filters work, and words are matched in titles only."
            </p>
        }
    });
    let chips = active_filter_chips(&query, &region_names);
    let list_query = query.to_query_string();
    let body = if page.items.is_empty() && page.total > 0 {
        let last_page = list_url(&query.with_page(page_count));
        view! { <PastTheEnd page=page.page page_count last_page /> }.into_any()
    } else if page.items.is_empty() {
        view! { <EmptyState query=query.clone() facets /> }.into_any()
    } else {
        let mut hits: HashMap<String, SearchHit> = highlights
            .into_iter()
            .map(|hit| (hit.external_id.clone(), hit))
            .collect();
        let cards = page
            .items
            .into_iter()
            .map(|call| {
                let hit = hits.remove(&call.external_id);
                view! { <CallCard call now hit list_query=list_query.clone() /> }
            })
            .collect_view();
        view! {
            <ol class="call-list">{cards}</ol>
            <Pager page=page.page page_count href=Callback::new({
                let query = query.clone();
                move |n| list_url(&query.with_page(n))
            }) />
        }
        .into_any()
    };
    view! {
        {notice}
        <h2 id="results-heading" class="results-heading">{heading}</h2>
        {chips}
        {body}
    }
}

/// What to do when nothing matches: the ways to relax the search that would find calls.
#[component]
fn EmptyState(query: CallQuery, facets: Facets) -> impl IntoView {
    let mut suggestions: Vec<(String, CallQuery)> = Vec::new();
    if !query.statuses.is_empty() {
        for facet in facets.status.iter().filter(|f| f.count > 0) {
            if let Ok(status) = facet.value.parse::<CallStatus>() {
                if !query.statuses.contains(&status) {
                    let label = format!("Show the {} {} calls", facet.count, status.label().to_lowercase());
                    suggestions.push((
                        label,
                        CallQuery {
                            statuses: vec![status],
                            page: 1,
                            ..query.clone()
                        },
                    ));
                }
            }
        }
    }
    // The narrowest filters, each offered on its own for removal.
    let relaxations: [(bool, &str, Relax); 7] = [
        (query.closes_within.is_some(), "Any deadline", |q| {
            q.closes_within = None
        }),
        (!query.budgets.is_empty(), "Any budget", |q| q.budgets.clear()),
        (!query.trl.is_empty(), "Any readiness level", |q| q.trl.clear()),
        (!query.domains.is_empty(), "Any topic area", |q| q.domains.clear()),
        (!query.sectors.is_empty(), "Any sector", |q| q.sectors.clear()),
        (!query.regions.is_empty(), "Any region", |q| q.regions.clear()),
        (!query.countries.is_empty(), "Any country", |q| q.countries.clear()),
    ];
    for (active, label, relax) in relaxations {
        if active {
            let mut relaxed = CallQuery {
                page: 1,
                ..query.clone()
            };
            relax(&mut relaxed);
            suggestions.push((label.to_owned(), relaxed));
        }
    }
    if !query.text.is_empty() && query.has_filters() {
        let anywhere = CallQuery {
            text: query.text.clone(),
            ..CallQuery::default()
        };
        suggestions.push((
            format!("Search “{}” without filters", query.text),
            with_text(&anywhere, &query.text),
        ));
    }
    if !query.text.is_empty() {
        suggestions.push((
            "Show these filters without the search words".to_owned(),
            with_text(&query, ""),
        ));
    }
    view! {
        <div class="empty-state">
            <h3>"No calls match these filters"</h3>
            <p>
                {if query.text.is_empty() {
                    "Try removing a filter."
                } else {
                    "Check the spelling, use fewer or more general words, or remove a filter."
                }}
            </p>
            <ul class="suggestions">
                {suggestions
                    .into_iter()
                    .map(|(label, next)| view! { <li><a href=list_url(&next)>{label}</a></li> })
                    .collect_view()}
                <li><a href="/calls">"show all calls"</a></li>
            </ul>
        </div>
    }
}

/// One chip per chosen value of `filter`: its label, and the query without that value.
fn value_chips<T: PartialEq + Clone>(
    query: &CallQuery,
    filter: MultiFilter<T>,
    label: impl Fn(&T) -> String,
) -> Vec<(String, CallQuery)> {
    let chosen = (filter.pick)(query);
    chosen
        .iter()
        .map(|value| {
            let mut without = CallQuery {
                page: 1,
                ..query.clone()
            };
            (filter.set)(&mut without, toggle(chosen, value));
            (label(value), without)
        })
        .collect()
}

/// Links that remove one active filter (or the search words) each.
fn active_filter_chips(query: &CallQuery, region_names: &RegionNames) -> impl IntoView {
    let mut chips: Vec<(String, CallQuery)> = Vec::new();
    if !query.text.is_empty() {
        chips.push((format!("“{}”", query.text), with_text(query, "")));
    }
    chips.extend(value_chips(query, STATUSES, |s| s.label().to_owned()));
    chips.extend(value_chips(query, PROGRAMMES, String::clone));
    chips.extend(value_chips(query, KINDS, |k| k.label().to_owned()));
    chips.extend(value_chips(query, COUNTRIES, |c| {
        format!("Open to {}", country_label(c))
    }));
    chips.extend(value_chips(query, REGIONS, |r| {
        format!("Region {}", area_label(r, region_names))
    }));
    chips.extend(value_chips(query, BUDGETS, |b| b.label().to_owned()));
    chips.extend(value_chips(query, TRL_LEVELS, |level| format!("TRL {level}")));
    chips.extend(value_chips(query, DOMAINS, |d| {
        taxonomy::label(taxonomy::CAPABILITIES, d).to_owned()
    }));
    chips.extend(value_chips(query, SECTORS, |d| {
        taxonomy::label(taxonomy::SECTORS, d).to_owned()
    }));
    if let Some(window) = query.closes_within {
        let without = CallQuery {
            closes_within: None,
            page: 1,
            ..query.clone()
        };
        chips.push((format!("Deadline {}", window.label().to_lowercase()), without));
    }
    if query.sme_only {
        chips.push((
            "SME only".to_owned(),
            CallQuery {
                sme_only: false,
                page: 1,
                ..query.clone()
            },
        ));
    }
    if query.dual_use {
        chips.push((
            "Dual-use".to_owned(),
            CallQuery {
                dual_use: false,
                page: 1,
                ..query.clone()
            },
        ));
    }
    (!chips.is_empty()).then(|| {
        view! {
            <ul class="chips" aria-label="Active filters">
                {chips
                    .into_iter()
                    .map(|(label, without)| {
                        view! {
                            <li>
                                <a class="chip" href=list_url(&without) aria-label=format!("Remove filter {label}")>
                                    {label.clone()}
                                    <span aria-hidden="true">" ×"</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
                <li><a class="chip clear" href="/calls">"Clear all"</a></li>
            </ul>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_adds_then_removes() {
        let added = toggle(&[CallStatus::Open], &CallStatus::Closed);
        assert_eq!(added, vec![CallStatus::Open, CallStatus::Closed]);
        assert_eq!(toggle(&added, &CallStatus::Open), vec![CallStatus::Closed]);
    }

    #[test]
    fn new_search_words_keep_a_chosen_sort_but_not_the_default_one() {
        let listing = CallQuery {
            page: 3,
            ..CallQuery::default()
        };
        assert_eq!(with_text(&listing, " quantum ").sort, CallSort::Relevance);
        assert_eq!(with_text(&listing, "quantum").page, 1);
        let by_budget = CallQuery {
            sort: CallSort::Budget,
            ..CallQuery::default()
        };
        assert_eq!(with_text(&by_budget, "quantum").sort, CallSort::Budget);
        let searching = CallQuery::from_pairs([("q", "quantum")]);
        assert_eq!(with_text(&searching, "").sort, CallSort::Deadline);
    }
}
