//! The administrators' page: requests waiting (claims and joins), roles, accounts, mail that
//! could not be delivered, and the audit log. Every action is checked again on the server.

use crate::api::accounts::{audit_log, dead_mail, grant_role, set_account_disabled, set_admin, Role};
use crate::components::error_notice::inline_alert;
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::format::brussels_date_time;
use crate::pages::account::{typed, CurrentViewer, Field, FormOutcome, PendingRequests};
use leptos::ev::SubmitEvent;
use leptos::html::Select;
use leptos::prelude::*;

/// The page, for administrators; others are told they may not see it.
#[component]
pub fn AdminPage() -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    view! {
        <PageTitle text="Administration" />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || viewer.0.get().map(|result| match result {
                Ok(Some(person)) if person.is_admin => view! { <AdminSections /> }.into_any(),
                Ok(Some(_)) => view! {
                    <section class="empty-state"><h1>"Administration"</h1><p>"This page is for administrators."</p></section>
                }.into_any(),
                Ok(None) => view! {
                    <section class="empty-state"><h1>"Administration"</h1><p><a href="/account/login">"Log in"</a> " as an administrator."</p></section>
                }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </Transition>
    }
}

/// The administrators' tools.
#[component]
fn AdminSections() -> impl IntoView {
    let changed = RwSignal::new(0_u32);
    view! {
        <section class="account admin">
            <h1>"Administration"</h1>
            <PendingRequests />
            <GrantRole changed />
            <AccountControls changed />
            <DeadMail />
            <AbuseReports />
            <AuditLog changed />
        </section>
    }
}

/// Turns a finished action into the text its form shows.
fn done(result: Option<Result<(), AppError>>, message: &'static str) -> Option<Result<String, AppError>> {
    result.map(|result| result.map(|()| message.to_owned()))
}

/// Gives an account a role in an organisation, or removes it.
#[component]
fn GrantRole(
    /// Bumped after a change (the audit log reloads).
    changed: RwSignal<u32>,
) -> impl IntoView {
    let (email, organisation) = (NodeRef::new(), NodeRef::new());
    let role: NodeRef<Select> = NodeRef::new();
    let action = Action::new(move |(email, organisation, role): &(String, String, Option<Role>)| {
        let (email, organisation, role) = (email.clone(), organisation.clone(), *role);
        async move {
            let result = grant_role(email, organisation, role).await;
            changed.update(|n| *n += 1);
            result
        }
    });
    view! {
        <h2>"Roles"</h2>
        <form on:submit=move |event: SubmitEvent| {
            event.prevent_default();
            let chosen = role.get().map(|select| select.value()).unwrap_or_default();
            action.dispatch((typed(email), typed(organisation), Role::parse(&chosen)));
        }>
            <Field label="Account's email address" name="grant_email" kind="email" autocomplete="off" input=email />
            <Field label="Organisation identifier" name="grant_organisation" kind="text" autocomplete="off" input=organisation />
            <label class="field" for="grant_role">
                <span>"Role"</span>
                <select id="grant_role" name="grant_role" node_ref=role>
                    {Role::ALL.into_iter().map(|role| view! { <option value=role.as_str()>{role.label()}</option> }).collect_view()}
                    <option value="">"Remove from the organisation"</option>
                </select>
            </label>
            <button class="button" type="submit">"Save role"</button>
        </form>
        <FormOutcome outcome=Signal::derive(move || done(action.value().get(), "The role is saved.")) />
    }
}

/// Disables or enables an account, makes it an administrator or not.
#[component]
fn AccountControls(
    /// Bumped after a change (the audit log reloads).
    changed: RwSignal<u32>,
) -> impl IntoView {
    let email = NodeRef::new();
    let action = Action::new(move |(email, what): &(String, &'static str)| {
        let (email, what) = (email.clone(), *what);
        async move {
            let result = match what {
                "disable" => set_account_disabled(email, true).await,
                "enable" => set_account_disabled(email, false).await,
                "admin" => set_admin(email, true).await,
                _ => set_admin(email, false).await,
            };
            changed.update(|n| *n += 1);
            result
        }
    });
    let button = move |what: &'static str, label: &'static str| {
        view! {
            <button class="button" type="button" on:click=move |_| { action.dispatch((typed(email), what)); }>{label}</button>
        }
    };
    view! {
        <h2>"Accounts"</h2>
        <form on:submit=|event: SubmitEvent| event.prevent_default()>
            <Field label="Account's email address" name="account_email" kind="email" autocomplete="off" input=email />
            <p class="button-row">
                {button("disable", "Disable")} " " {button("enable", "Enable")} " "
                {button("admin", "Make administrator")} " " {button("not-admin", "Remove administrator")}
            </p>
        </form>
        <FormOutcome outcome=Signal::derive(move || done(action.value().get(), "Done; it is in the audit log.")) />
    }
}

/// Mail the sender gave up on, with the last error.
#[component]
fn DeadMail() -> impl IntoView {
    let letters = Resource::new(|| (), |_| dead_mail());
    view! {
        <h2>"Undeliverable mail"</h2>
        <Transition fallback=|| ()>
            {move || letters.get().map(|result| match result {
                Ok(letters) if letters.is_empty() => view! { <p>"None: every message was delivered or is still being tried."</p> }.into_any(),
                Ok(letters) => view! {
                    <table class="audit">
                        <thead><tr><th>"Queued"</th><th>"To"</th><th>"Subject"</th><th>"Attempts"</th><th>"Last error"</th></tr></thead>
                        <tbody>
                            {letters.into_iter().map(|letter| view! {
                                <tr>
                                    <td>{brussels_date_time(letter.created_at)}</td>
                                    <td>{letter.recipient}</td>
                                    <td>{letter.subject}</td>
                                    <td>{letter.attempts}</td>
                                    <td>{letter.last_error.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </Transition>
    }
}

/// Conversations members reported, newest first; the sender's address is shown so an
/// administrator can disable the account above.
#[component]
fn AbuseReports() -> impl IntoView {
    let reports = Resource::new(|| (), |_| crate::api::messages::abuse_reports());
    view! {
        <h2>"Reported messages"</h2>
        <Transition fallback=|| ()>
            {move || reports.get().map(|result| match result {
                Ok(reports) if reports.is_empty() => view! { <p>"None reported."</p> }.into_any(),
                Ok(reports) => view! {
                    <table class="audit abuse-reports">
                        <thead><tr><th>"Reported"</th><th>"Sender"</th><th>"To"</th><th>"Subject"</th><th>"Why"</th></tr></thead>
                        <tbody>
                            {reports.into_iter().map(|report| view! {
                                <tr>
                                    <td>{brussels_date_time(report.created_at)}</td>
                                    <td>{report.sender}</td>
                                    <td>{report.organisation_name}</td>
                                    <td>{report.subject}</td>
                                    <td>{report.reason}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </Transition>
    }
}

/// The latest acts on people's rights.
#[component]
fn AuditLog(
    /// Bumped after a change: the log reloads.
    changed: RwSignal<u32>,
) -> impl IntoView {
    let lines = Resource::new(move || changed.get(), |_| audit_log());
    view! {
        <h2>"Audit log"</h2>
        <Transition fallback=|| ()>
            {move || lines.get().map(|result| match result {
                Ok(lines) => view! {
                    <table class="audit">
                        <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"On whom"</th><th>"Organisation"</th><th>"Detail"</th></tr></thead>
                        <tbody>
                            {lines.into_iter().map(|line| view! {
                                <tr>
                                    <td>{brussels_date_time(line.at)}</td>
                                    <td>{line.actor.unwrap_or_else(|| "command line".to_owned())}</td>
                                    <td>{line.action}</td>
                                    <td>{line.subject.unwrap_or_default()}</td>
                                    <td>{line.organisation.unwrap_or_default()}</td>
                                    <td>{line.detail}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </Transition>
    }
}
