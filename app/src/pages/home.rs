//! The landing page.

use crate::components::page_title::PageTitle;
use leptos::prelude::*;

/// What Fundbridge is, and the way in.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <PageTitle text="" />
        <section class="hero">
            <h1>"Funding and partners for Europe's SMEs"</h1>
            <p class="lead">
                "Horizon Europe and Digital Europe topics, European Defence Fund calls, EIB and EIF "
                "equity, loans and guarantees, and regional smart-specialisation calls — in one place, "
                "with their real status and deadlines."
            </p>
            <p>
                <a class="button primary" href="/calls?status=open">"Browse open calls"</a>
                " "
                <a class="button" href="/calls?status=forthcoming">"See what is coming"</a>
            </p>
        </section>
    }
}
