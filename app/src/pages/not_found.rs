//! The page for an unknown address.

use crate::components::page_title::PageTitle;
use leptos::prelude::*;

/// "Page not found", with a 404 status when rendered on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle text="Page not found" />
        <section class="empty-state">
            <h1>"Page not found"</h1>
            <p>"This address does not lead anywhere on Fundbridge."</p>
            <p><a href="/calls">"Browse funding calls"</a></p>
        </section>
    }
}
