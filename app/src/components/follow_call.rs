//! "Follow this call" on a call's page: a signed-in person follows it (a mail when its
//! deadlines, budget, eligibility or status change, and reminders before each deadline) or
//! unfollows it; a visitor is told that logging in lets them follow it.

use crate::api::alerts::{follow_call, follows_call, unfollow_call};
use crate::pages::account::CurrentViewer;
use leptos::prelude::*;
use leptos_router::components::A;

/// What following a call brings, in one sentence.
const FOLLOW_SENTENCE: &str =
    "A mail when its deadlines, budget, eligibility or status change, and 14 and 3 days before each deadline.";

/// The follow switch for call `external_id`.
#[component]
pub fn FollowCall(
    /// The call's external id.
    external_id: String,
) -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    let call = StoredValue::new(external_id);
    let following = Resource::new(
        move || viewer.0.get().and_then(Result::ok).flatten().is_some(),
        move |signed_in| async move {
            if signed_in {
                follows_call(call.get_value()).await.ok()
            } else {
                None
            }
        },
    );
    let toggle = Action::new(move |follow: &bool| {
        let follow = *follow;
        async move {
            let done = if follow {
                follow_call(call.get_value()).await
            } else {
                unfollow_call(call.get_value()).await
            };
            done.map(|()| follow)
        }
    });
    // The state shown: the last switch that worked, else what the server said.
    let now_following = move || match toggle.value().get() {
        Some(Ok(follow)) => Some(follow),
        _ => following.get().flatten(),
    };
    view! {
        <Transition fallback=|| ()>
            {move || match now_following() {
                Some(is_following) => view! {
                    <div class="follow-call" aria-live="polite">
                        <button type="button" class=if is_following { "button" } else { "button primary" }
                            aria-pressed=if is_following { "true" } else { "false" }
                            disabled=move || toggle.pending().get()
                            on:click=move |_| { toggle.dispatch(!is_following); }>
                            {if is_following { "Following ✓ — unfollow" } else { "Follow this call" }}
                        </button>
                        <p class="muted">
                            {if is_following { "You get " } else { "Get " }}
                            {FOLLOW_SENTENCE.to_lowercase()}
                            " "
                            <A href="/preferences">"Your alerts"</A>
                        </p>
                        {move || toggle.value().get().and_then(Result::err).map(|error| view! {
                            <p class="field-error" role="alert">{error.to_string()}</p>
                        })}
                    </div>
                }.into_any(),
                None => view! {
                    <p class="follow-call muted">
                        <A href="/account/login">"Log in"</A>
                        " to follow this call: " {FOLLOW_SENTENCE.to_lowercase()}
                    </p>
                }.into_any(),
            }}
        </Transition>
    }
}
