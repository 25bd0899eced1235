//! Where the links in alert mail land (`/mail/unsubscribe`, `/mail/mute`, `/mail/stop`,
//! `/mail/unfollow`): one
//! button does what the link says — a button, not the page load, which mail scanners also do
//! (a mail client's one-click unsubscribe POST acts at once, see `server::mail_links`) — and
//! the page then offers to undo it. No sign-in needed: the signed token is the authority.

use crate::api::alerts::{apply_mail_link, MailLinkOutcome};
use crate::components::error_notice::inline_alert;
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::pages::account::token_from_address;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// What a mail link asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailLinkKind {
    /// Stop all alert mail.
    Unsubscribe,
    /// Leave one call out of the digests.
    Mute,
    /// Switch one saved search to no mail.
    Stop,
    /// Stop following one call.
    Unfollow,
}

impl MailLinkKind {
    /// The page's heading.
    fn heading(self) -> &'static str {
        match self {
            MailLinkKind::Unsubscribe => "Unsubscribe from Fundbridge alerts",
            MailLinkKind::Mute => "Mute this call",
            MailLinkKind::Stop => "Stop mail for this search",
            MailLinkKind::Unfollow => "Stop following this call",
        }
    }

    /// What the button does.
    fn explanation(self) -> &'static str {
        match self {
            MailLinkKind::Unsubscribe => {
                "No more weekly digests, daily or instant alerts. Mail about your account (password, sign-in) still arrives."
            }
            MailLinkKind::Mute => "The call is left out of your digests and alerts from now on.",
            MailLinkKind::Stop => "The search stays saved on your alerts page; it just sends no more mail.",
            MailLinkKind::Unfollow => "No more mail about its changes and deadlines. You can follow it again from its page.",
        }
    }

    /// The button's label.
    fn button(self) -> &'static str {
        match self {
            MailLinkKind::Unsubscribe => "Unsubscribe",
            MailLinkKind::Mute => "Mute this call",
            MailLinkKind::Stop => "Stop mail",
            MailLinkKind::Unfollow => "Unfollow",
        }
    }
}

/// The confirmation page of one kind of mail link.
#[component]
pub fn MailLinkPage(
    /// What the link asks for.
    kind: MailLinkKind,
) -> impl IntoView {
    let token = token_from_address();
    let action = Action::new(move |undo: &bool| apply_mail_link(token.get_untracked(), *undo));
    let outcome = move || action.value().get();
    let done = move || matches!(outcome(), Some(Ok(MailLinkOutcome { in_effect: true, .. })));
    view! {
        <PageTitle text=kind.heading() />
        <section class="account-form mail-link">
            <h1>{kind.heading()}</h1>
            <p>{kind.explanation()}</p>
            <form on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                action.dispatch(done());
            }>
                <button class="button primary" type="submit" disabled=move || action.pending().get()>
                    {move || if done() { "Undo" } else { kind.button() }}
                </button>
            </form>
            {move || outcome().map(|result: Result<MailLinkOutcome, AppError>| match result {
                Ok(outcome) => view! { <p class="form-success" role="status">{outcome.sentence}</p> }.into_any(),
                Err(error) => inline_alert(error),
            })}
            <p><a href="/preferences">"All your alerts"</a></p>
        </section>
    }
}
