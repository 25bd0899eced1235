//! Fundbridge's user interface: server-rendered Leptos pages that hydrate in the browser,
//! and the server functions they call (their bodies compile only with the `ssr` feature).
#![forbid(unsafe_code)]
// Leptos views are deeply nested types; the call list page needs more than the default 128.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod format;
pub mod hooks;
pub mod pages;

use components::layout::Layout;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The name of the wasm/JS/CSS bundle under `/pkg`.
pub const BUNDLE_NAME: &str = "fundbridge";

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HashedStylesheet id="fundbridge" options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: routes and the page frame.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    pages::account::CurrentViewer::provide();
    view! {
        <Title formatter=site_title />
        <Meta name="description" content="Find EU, regional and investment funding for European SMEs, and the partners to apply with." />
        <Router>
            <Layout>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::HomePage />
                    // Async: the whole page is rendered before the first byte, so it reads
                    // without JavaScript and a missing call can answer 404.
                    <Route path=path!("/calls") view=pages::calls::CallsPage ssr=SsrMode::Async />
                    <Route path=path!("/calls/*id") view=pages::call_detail::CallDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/organisations") view=pages::organisations::OrganisationsPage ssr=SsrMode::Async />
                    <Route path=path!("/clusters") view=pages::clusters::ClustersPage ssr=SsrMode::Async />
                    <Route path=path!("/clusters/:id") view=pages::clusters::ClusterDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/clusters/:id/edit") view=pages::clusters::ClusterEditPage />
                    <Route path=path!("/clusters/:id/import") view=pages::clusters::MemberImportPage />
                    <Route path=path!("/organisations/:id") view=pages::organisation::OrganisationProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/organisations/:id/profile") view=pages::organisation::ProfilePage />
                    <Route path=path!("/organisations/:id/contact") view=pages::messages::ContactPage />
                    <Route path=path!("/matches") view=pages::matches::MatchesPage />
                    <Route path=path!("/consortia") view=pages::consortia::ConsortiaPage />
                    <Route path=path!("/consortia/:id") view=pages::consortia::ConsortiumPage />
                    <Route path=path!("/preferences") view=pages::preferences::PreferencesPage />
                    <Route path=path!("/mail/unsubscribe") view=|| view! { <pages::mail_links::MailLinkPage kind=pages::mail_links::MailLinkKind::Unsubscribe /> } />
                    <Route path=path!("/mail/mute") view=|| view! { <pages::mail_links::MailLinkPage kind=pages::mail_links::MailLinkKind::Mute /> } />
                    <Route path=path!("/mail/stop") view=|| view! { <pages::mail_links::MailLinkPage kind=pages::mail_links::MailLinkKind::Stop /> } />
                    <Route path=path!("/mail/unfollow") view=|| view! { <pages::mail_links::MailLinkPage kind=pages::mail_links::MailLinkKind::Unfollow /> } />
                    <Route path=path!("/inbox") view=pages::messages::InboxPage />
                    <Route path=path!("/inbox/:id") view=pages::messages::ConversationPage />
                    <Route path=path!("/account") view=pages::account::AccountPage />
                    <Route path=path!("/account/signup") view=pages::account::SignUpPage />
                    <Route path=path!("/account/login") view=pages::account::LogInPage />
                    <Route path=path!("/account/verify") view=pages::account::VerifyPage />
                    <Route path=path!("/account/forgot") view=pages::account::ForgotPage />
                    <Route path=path!("/account/reset") view=pages::account::ResetPage />
                    <Route path=path!("/account/confirm-email") view=pages::account::ConfirmEmailPage />
                    <Route path=path!("/account/join") view=pages::account::JoinPage />
                    <Route path=path!("/account/organisations/new") view=pages::account::NewOrganisationPage />
                    <Route path=path!("/admin") view=pages::admin::AdminPage />
                    <Route path=path!("/privacy") view=pages::privacy::PrivacyPage />
                    <Route path=path!("/publish") view=pages::publishing::PublishPage />
                    <Route path=path!("/publish/new/:organisation") view=pages::publishing::NewCallPage />
                    <Route path=path!("/publish/upload/:organisation") view=pages::publishing::sheet::SheetUploadPage />
                    <Route path=path!("/publish/calls/*id") view=pages::publishing::EditCallPage />
                    <Route path=path!("/publish/priorities/:organisation") view=pages::regions::StrategyPage />
                    <Route path=path!("/regions/:code") view=pages::regions::RegionPage ssr=SsrMode::Async />
                    <Route path=path!("/publish/:organisation") view=pages::publishing::DeskPage />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The document title for a page's own title. On the server it is escaped here, for every
/// page at once: leptos_meta writes the server-rendered `<title>` as it is given (in the
/// browser it sets `document.title`, which is text).
fn site_title(page: String) -> String {
    let title = if page.is_empty() {
        "Fundbridge".to_owned()
    } else {
        format!("{page} · Fundbridge")
    };
    if cfg!(feature = "ssr") {
        format::escape_html(&title)
    } else {
        title
    }
}

/// Entry point of the wasm bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
