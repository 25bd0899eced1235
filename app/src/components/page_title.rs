//! The page's `<title>`: the one way a page names itself.

use leptos::prelude::*;
use leptos::text_prop::TextProp;
use leptos_meta::Title;

/// Sets the document title to `text` (the app's formatter adds the site name and, on the
/// server, escapes it). On the server the text is read once, while the page renders:
/// leptos_meta reads titles again only after the page is rendered, when a page's reactive
/// values may already be disposed (under load that lost whole responses). In the browser
/// the title follows `text`.
#[component]
pub fn PageTitle(
    /// The page's own title (empty for the home page).
    #[prop(into)]
    text: TextProp,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = TextProp::from(text.get().into_owned());
    view! { <Title text /> }
}
