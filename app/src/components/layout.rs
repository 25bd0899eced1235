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

/// Who is logged in and their organisations (linking to the account), or the ways in.
#[component]
fn ViewerBadge() -> impl IntoView {
    let viewer = crate::pages::account::CurrentViewer::use_context();
    view! {
        <div class="viewer">
            <Transition fallback=|| ()>
                {move || viewer.0.get().map(|result| match result {
                    Ok(Some(person)) => {
                        let organisations: Vec<String> =
                            person.memberships.iter().map(|m| m.organisation_name.clone()).collect();
                        let applies = person.memberships.iter().any(|m| !m.organisation_kind.publishes_calls());
                        let publishes = person.memberships.iter().any(|m| {
                            m.organisation_kind.publishes_calls()
                                && matches!(m.role, domain::people::Role::Editor | domain::people::Role::Reviewer)
                        });
                        view! {
                            {publishes.then(|| view! { <A href="/publish" attr:class="publish-link">"Publish"</A> " " })}
                            {applies.then(|| view! { <A href="/matches" attr:class="matches-link">"My matches"</A> " " })}
                            {(!person.memberships.is_empty()).then(|| view! { <A href="/consortia" attr:class="consortia-link">"Consortia"</A> " " })}
                            <A href="/preferences" attr:class="alerts-link">"Alerts"</A> " "
                            <A href="/inbox" attr:class="inbox-link">"Inbox"</A> " "
                            <A href="/account" attr:class="viewer-name">
                                {person.display_name.clone()}
                                {(!organisations.is_empty()).then(|| view! {
                                    <span class="viewer-organisations">{format!(" · {}", organisations.join(", "))}</span>
                                })}
                            </A>
                        }.into_any()
                    }
                    _ => view! {
                        <A href="/account/login">"Log in"</A>
                        " "
                        <A href="/account/signup" attr:class="button">"Sign up"</A>
                    }.into_any(),
                })}
            </Transition>
        </div>
    }
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
                    <A href="/clusters">"Clusters"</A>
                </nav>
                <ViewerBadge />
            </div>
        </header>
        <main id="main" class="container" data-hydrated=move || hydrated.get().to_string()>{children()}</main>
        <footer class="site-footer">
            <div class="container">
                <p>
                    "Fundbridge matches European SMEs to funding and partners. "
                    "Topic data from the EU Funding & Tenders Portal © European Union, reused under CC BY 4.0. "
                    <a href="/privacy">"Privacy"</a>
                </p>
            </div>
        </footer>
    }
}
