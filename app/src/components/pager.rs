//! Paging links and the past-the-last-page notice every list page shows.

use leptos::prelude::*;

/// Previous / next links and the page position.
#[component]
pub fn Pager(
    /// This page's number, from 1.
    page: u32,
    /// How many pages there are.
    page_count: u32,
    /// The address of page `n`.
    href: Callback<u32, String>,
) -> impl IntoView {
    let previous = (page > 1).then(|| href.run(page - 1));
    let next = (page < page_count).then(|| href.run(page + 1));
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

/// What a page past the last one shows instead of "nothing matches": where the results end.
#[component]
pub fn PastTheEnd(
    /// The page asked for.
    page: u32,
    /// The last page there is.
    page_count: u32,
    /// The address of the last page.
    last_page: String,
) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <h3>{format!("There is no page {page}")}</h3>
            <p>
                {format!("These results end on page {page_count}. ")}
                <a href=last_page>{format!("Go to page {page_count}")}</a>
            </p>
        </div>
    }
}
