//! The frame around every page: header, navigation, footer.

use leptos::prelude::*;
use leptos_router::components::A;

/// A flag that turns true once the wasm bundle runs (never on the server): what a page
/// shows differently with JavaScript, and what browser tests wait for.
pub fn use_hydrated() -> RwSignal<bool> {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    hydrated
}

/// Header, main area and footer around `children`. The main area says
/// `data-hydrated="true"` once the wasm bundle runs (browser tests wait for it).
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let hydrated = use_hydrated();
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
        <main id="main" class="container" data-hydrated=move || hydrated.get().to_string()>{children()}</main>
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
