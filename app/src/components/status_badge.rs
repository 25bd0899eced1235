//! The coloured labels that say whether a call is open and what it offers.

use domain::{CallStatus, CallSummary};
use leptos::prelude::*;

/// "Open", "Forthcoming" or "Closed", styled by status.
#[component]
pub fn StatusBadge(
    /// The status to show.
    status: CallStatus,
) -> impl IntoView {
    view! { <span class=format!("badge status-{}", status.as_str())>{status.label()}</span> }
}

/// A call's status, instrument kind, and SME-only and dual-use marks.
#[component]
pub fn CallBadges(
    /// The call.
    call: CallSummary,
) -> impl IntoView {
    view! {
        <div class="call-card-head">
            <StatusBadge status=call.status />
            <span class="badge kind">{call.instrument_kind.label()}</span>
            {call.sme_only.then(|| view! { <span class="badge sme">"SME only"</span> })}
            {call.dual_use.then(|| view! { <span class="badge dual">"Dual-use"</span> })}
        </div>
    }
}
