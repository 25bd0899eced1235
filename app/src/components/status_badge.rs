//! The coloured label that says whether a call is open.

use domain::CallStatus;
use leptos::prelude::*;

/// "Open", "Forthcoming" or "Closed", styled by status.
#[component]
pub fn StatusBadge(
    /// The status to show.
    status: CallStatus,
) -> impl IntoView {
    view! { <span class=format!("badge status-{}", status.as_str())>{status.label()}</span> }
}
