//! The frame around every page: header, navigation, footer.

use leptos::prelude::*;
use leptos_router::components::A;

/// Header, main area and footer around `children`.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <div class="container header-row">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    " Fundbridge"
                </A>
                <nav aria-label="Main">
                    <A href="/calls">"Funding calls"</A>
                    <A href="/organisations">"Partners"</A>
                </nav>
            </div>
        </header>
        <main id="main" class="container">{children()}</main>
        <footer class="site-footer">
            <div class="container">
                <p>
                    "Fundbridge matches European SMEs to funding and partners. "
                    "Topic data from the EU Funding & Tenders Portal © European Union, reused under CC BY 4.0."
                </p>
            </div>
        </footer>
    }
}
