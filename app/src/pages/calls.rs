//! `/calls`: search and browse calls — text, filters with counts, sort and paging, all
//! kept in the URL so a search can be shared and the back button works.

use crate::api::alerts::SearchKind;
use crate::api::{list_calls, suggest_calls, CallListing};
use crate::components::call_card::CallCard;
use crate::components::error_notice::ErrorNotice;
use crate::components::filter_panel::{filter_chips, ActiveFilters, Facet, FacetOption, FilterPanel, Pairs};
use crate::components::page_title::PageTitle;
use crate::components::pager::{Pager, PastTheEnd};
use crate::components::save_search::{owned_pairs, SaveSearch};
use crate::components::search_field::{kept_fields, suggesting_input};
use crate::hooks::use_call_query;
use domain::geo::{area_label, country_label, RegionNames};
use domain::taxonomy;
use domain::{BudgetRange, CallQuery, CallSort, CallStatus, ClosesWithin, Facets, InstrumentKind, SearchHit};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::collections::HashMap;

/// Removes one filter from a query.
type Relax = fn(&mut CallQuery);

/// The address of the call list for `query`.
pub fn list_url(query: &CallQuery) -> String {
    format!("/calls{}", query.to_query_string())
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

/// The call list for URL pairs.
fn pairs_url(pairs: Pairs) -> String {
    list_url(&CallQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))))
}

/// The call list page.
#[component]
pub fn CallsPage() -> impl IntoView {
    let query = use_call_query();
    // Outlives the panel's re-renders: a small screen's open panel stays open between filters.
    let filters_open = RwSignal::new(false);
    let listing = Resource::new(move || query.get(), list_calls);

    view! {
        <PageTitle text=move || query.with(|q| if q.text.is_empty() { "Funding calls".to_owned() } else { format!("“{}” — calls", q.text) }) />
        <div class="calls-page">
            <Transition fallback=|| view! { <aside class="filters"></aside> }>
                {move || Suspend::new(async move {
                    listing.await.ok().map(|listing| view! { <CallFilters query listing open=filters_open /> })
                })}
            </Transition>
            <section class="results" aria-labelledby="results-heading">
                <SearchBox query />
                <SaveSearch kind=SearchKind::Calls pairs=Signal::derive(move || query.with(|q| owned_pairs(q.to_pairs()))) />
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

/// The facets of the call list: what the panel offers, with the counts of `listing`.
fn call_facets(listing: &CallListing, chosen: &Pairs) -> Vec<Facet> {
    let Facets {
        status,
        kind,
        budget,
        closes_within,
        programme,
        domain,
        sector,
        trl,
        country,
        region,
    } = &listing.facets;
    let names = &listing.region_names;
    let any_time = FacetOption::new("closes", "", "Any time");
    let windows = ClosesWithin::ALL.map(|w| FacetOption::new("closes", w.as_str(), w.label()).counted(closes_within));
    let mut levels = Facet::listed("Technology readiness", "trl", trl, true, chosen, |l| format!("TRL {l}"));
    levels.options.sort_by_key(|o| o.value.parse::<u8>().unwrap_or(u8::MAX));
    vec![
        Facet::multiple(
            "Status",
            CallStatus::ALL.map(|s| FacetOption::new("status", s.as_str(), s.label()).counted(status)),
        ),
        Facet::multiple(
            "Eligibility",
            [
                FacetOption::new("sme_only", "true", "Reserved for SMEs"),
                FacetOption::new("dual_use", "true", "Dual-use (civil–military)"),
            ],
        ),
        Facet::listed("Programme", "programme", programme, true, chosen, str::to_owned),
        Facet::single("Next deadline", std::iter::once(any_time).chain(windows)),
        Facet::multiple(
            "Instrument",
            InstrumentKind::ALL.map(|k| FacetOption::new("kind", k.as_str(), k.label()).counted(kind)),
        ),
        Facet::multiple(
            "Budget per project",
            BudgetRange::ALL.map(|b| FacetOption::new("budget", b.as_str(), b.label()).counted(budget)),
        ),
        Facet::listed("Topic area", "domain", domain, true, chosen, |code| {
            taxonomy::label(taxonomy::CAPABILITY_TERMS, code).to_owned()
        }),
        Facet::listed("Sector", "sector", sector, true, chosen, |code| {
            taxonomy::label(taxonomy::SECTORS, code).to_owned()
        }),
        levels,
        Facet::listed("Open to applicants from", "country", country, true, chosen, |code| {
            area_label(code, names)
        }),
        Facet::listed("Region", "region", region, true, chosen, |code| area_label(code, names)),
    ]
}

/// The call list's filter panel for a loaded listing.
#[component]
fn CallFilters(query: Memo<CallQuery>, listing: CallListing, open: RwSignal<bool>) -> impl IntoView {
    let facets = call_facets(&listing, &query.with_untracked(CallQuery::to_pairs));
    view! {
        <FilterPanel
            action="/calls"
            pairs=Signal::derive(move || query.with(CallQuery::to_pairs))
            href=Callback::new(pairs_url)
            sorts=CallSort::ALL.map(|sort| (sort.as_str(), sort.label())).to_vec()
            sort=Signal::derive(move || query.with(|q| q.sort.as_str()))
            facets
            open
        />
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

/// What a chip reads for one filter value of the call list.
fn chip_label(key: &str, value: &str, region_names: &RegionNames) -> String {
    let label = |parsed: Option<&'static str>| parsed.unwrap_or(value).to_owned();
    match key {
        "status" => label(value.parse::<CallStatus>().ok().map(CallStatus::label)),
        "kind" => label(value.parse::<InstrumentKind>().ok().map(InstrumentKind::label)),
        "budget" => label(BudgetRange::parse(value).map(BudgetRange::label)),
        "country" => format!("Open to {}", country_label(value)),
        "region" => format!("Region {}", area_label(value, region_names)),
        "trl" => format!("TRL {value}"),
        "domain" => taxonomy::label(taxonomy::CAPABILITY_TERMS, value).to_owned(),
        "sector" => taxonomy::label(taxonomy::SECTORS, value).to_owned(),
        "closes" => format!(
            "Deadline {}",
            label(ClosesWithin::parse(value).map(ClosesWithin::label)).to_lowercase()
        ),
        "sme_only" => "SME only".to_owned(),
        "dual_use" => "Dual-use".to_owned(),
        _ => value.to_owned(),
    }
}

/// Links that remove one active filter (or the search words) each.
fn active_filter_chips(query: &CallQuery, region_names: &RegionNames) -> impl IntoView {
    let mut chips = Vec::new();
    if !query.text.is_empty() {
        chips.push((format!("“{}”", query.text), list_url(&with_text(query, ""))));
    }
    chips.extend(filter_chips(
        &query.to_pairs(),
        &CallQuery::FILTER_KEYS,
        |key, value| chip_label(key, value, region_names),
        pairs_url,
    ));
    view! { <ActiveFilters chips clear="/calls" /> }
}

#[cfg(test)]
mod tests {
    use super::*;

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
