//! `/calls`: the call list with filters, sort and paging, all kept in the URL.

use crate::api::{list_calls, CallListing};
use crate::components::call_card::CallCard;
use crate::error::AppError;
use domain::{CallQuery, CallSort, CallStatus, InstrumentKind};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The address of the call list for `query`.
fn list_url(query: &CallQuery) -> String {
    format!("/calls{}", query.to_query_string())
}

/// `values` with `value` added, or removed if present.
fn toggle<T: PartialEq + Clone>(values: &[T], value: &T) -> Vec<T> {
    if values.contains(value) {
        values.iter().filter(|v| *v != value).cloned().collect()
    } else {
        values
            .iter()
            .cloned()
            .chain(std::iter::once(value.clone()))
            .collect()
    }
}

/// The call list page.
#[component]
pub fn CallsPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|map| {
            CallQuery::from_pairs(map.into_iter().map(|(key, value)| (key.as_ref(), value)))
        })
    });
    let listing = Resource::new(move || query.get(), list_calls);

    view! {
        <Title text="Funding calls" />
        <div class="calls-page">
            <FilterPanel query listing />
            <section class="results" aria-labelledby="results-heading" aria-live="polite">
                <Transition fallback=|| view! { <p class="loading">"Loading calls…"</p> }>
                    {move || Suspend::new(async move {
                        match listing.await {
                            Ok(listing) => view! { <Results listing query=query.get_untracked() /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// Status, programme and kind checkboxes, and the sort order.
///
/// Without JavaScript it is a plain GET form with an Apply button; once hydrated, every
/// change navigates at once (client-side) and the Apply button is hidden.
#[component]
fn FilterPanel(
    query: Memo<CallQuery>,
    listing: Resource<Result<CallListing, AppError>>,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let navigate = use_navigate();
    let go = move |next: CallQuery| {
        navigate(
            &list_url(&CallQuery { page: 1, ..next }),
            Default::default(),
        )
    };
    let (panel_open, set_panel_open) = signal(false);

    let status_boxes = {
        let go = go.clone();
        CallStatus::ALL
            .into_iter()
            .map(|status| {
                let go = go.clone();
                let checked = move || query.with(|q| q.statuses.contains(&status));
                let on_change = move |_| {
                    let current = query.get_untracked();
                    go(CallQuery { statuses: toggle(&current.statuses, &status), ..current });
                };
                view! {
                    <label class="check">
                        <input type="checkbox" name="status" value=status.as_str() prop:checked=checked on:change=on_change />
                        {status.label()}
                    </label>
                }
            })
            .collect_view()
    };

    let kind_boxes = {
        let go = go.clone();
        InstrumentKind::ALL
            .into_iter()
            .map(|kind| {
                let go = go.clone();
                let checked = move || query.with(|q| q.kinds.contains(&kind));
                let on_change = move |_| {
                    let current = query.get_untracked();
                    go(CallQuery { kinds: toggle(&current.kinds, &kind), ..current });
                };
                view! {
                    <label class="check">
                        <input type="checkbox" name="kind" value=kind.as_str() prop:checked=checked on:change=on_change />
                        {kind.label()}
                    </label>
                }
            })
            .collect_view()
    };

    let programme_go = go.clone();
    let programme_boxes = move || {
        let go = programme_go.clone();
        Suspend::new(async move {
            let programmes = listing.await.map(|l| l.programmes).unwrap_or_default();
            programmes
                .into_iter()
                .map(|option| {
                    let go = go.clone();
                    let name = option.programme.clone();
                    let checked = {
                        let name = name.clone();
                        move || query.with(|q| q.programmes.contains(&name))
                    };
                    let on_change = {
                        let name = name.clone();
                        move |_| {
                            let current = query.get_untracked();
                            go(CallQuery { programmes: toggle(&current.programmes, &name), ..current });
                        }
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" name="programme" value=name.clone() prop:checked=checked on:change=on_change />
                            {name.clone()}
                            <span class="count">{option.count}</span>
                        </label>
                    }
                })
                .collect_view()
        })
    };

    let sort_go = go.clone();
    let on_sort = move |ev| {
        let current = query.get_untracked();
        let sort = CallSort::parse(&event_target_value(&ev)).unwrap_or_default();
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
                <label class="sort">
                    "Sort by "
                    <select name="sort" on:change=on_sort prop:value=move || query.with(|q| q.sort.as_str())>
                        {CallSort::ALL
                            .into_iter()
                            .map(|sort| view! { <option value=sort.as_str()>{sort.label()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <fieldset>
                    <legend>"Status"</legend>
                    {status_boxes}
                </fieldset>
                <fieldset>
                    <legend>"Programme"</legend>
                    <Transition fallback=|| ()>{programme_boxes}</Transition>
                </fieldset>
                <fieldset>
                    <legend>"Instrument"</legend>
                    {kind_boxes}
                </fieldset>
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
    let CallListing { page, now, .. } = listing;
    let page_count = page.page_count();
    let heading = match page.total {
        1 => "1 call".to_owned(),
        n => format!("{n} calls"),
    };
    let chips = active_filter_chips(&query);
    let body = if page.items.is_empty() {
        view! {
            <div class="empty-state">
                <h3>"No calls match these filters"</h3>
                <p>
                    {if query.has_filters() {
                        "Try removing a filter above, or "
                    } else {
                        "There are no calls yet. Import some, or "
                    }}
                    <a href="/calls">"show all calls"</a>
                    "."
                </p>
            </div>
        }
        .into_any()
    } else {
        let cards = page
            .items
            .into_iter()
            .map(|call| view! { <CallCard call now /> })
            .collect_view();
        view! {
            <ol class="call-list">{cards}</ol>
            <Pager query=query.clone() page=page.page page_count />
        }
        .into_any()
    };
    view! {
        <h2 id="results-heading" class="results-heading">{heading}</h2>
        {chips}
        {body}
    }
}

/// Links that remove one active filter each.
fn active_filter_chips(query: &CallQuery) -> impl IntoView {
    let mut chips: Vec<(String, CallQuery)> = Vec::new();
    for status in &query.statuses {
        let without = CallQuery {
            statuses: toggle(&query.statuses, status),
            page: 1,
            ..query.clone()
        };
        chips.push((status.label().to_owned(), without));
    }
    for programme in &query.programmes {
        let without = CallQuery {
            programmes: toggle(&query.programmes, programme),
            page: 1,
            ..query.clone()
        };
        chips.push((programme.clone(), without));
    }
    for kind in &query.kinds {
        let without = CallQuery {
            kinds: toggle(&query.kinds, kind),
            page: 1,
            ..query.clone()
        };
        chips.push((kind.label().to_owned(), without));
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

/// Previous / next links and the page position.
#[component]
fn Pager(query: CallQuery, page: u32, page_count: u32) -> impl IntoView {
    let previous = (page > 1).then(|| list_url(&query.with_page(page - 1)));
    let next = (page < page_count).then(|| list_url(&query.with_page(page + 1)));
    view! {
        <nav class="pager" aria-label="Pages">
            {match previous {
                Some(href) => view! { <a rel="prev" href=href>"← Previous"</a> }.into_any(),
                None => view! { <span class="disabled">"← Previous"</span> }.into_any(),
            }}
            <span class="position">{format!("Page {page} of {page_count}")}</span>
            {match next {
                Some(href) => view! { <a rel="next" href=href>"Next →"</a> }.into_any(),
                None => view! { <span class="disabled">"Next →"</span> }.into_any(),
            }}
        </nav>
    }
}

/// What went wrong, in words a user can act on.
#[component]
pub fn ErrorNotice(
    /// The error to explain.
    error: AppError,
) -> impl IntoView {
    view! {
        <div class="error-notice" role="alert">
            <h3>"We could not load this"</h3>
            <p>{error.to_string()}</p>
        </div>
    }
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
}
