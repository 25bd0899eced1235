//! Funding bodies' pages: the list of bodies a person publishes for (`/publish`), a body's desk
//! with its calls by state (`/publish/:organisation`), the editor for a new call and for an
//! existing one with its workflow and versions (`/publish/calls/:id`).

pub mod editor;
pub mod sheet;

use crate::api::publishing::{
    act_on_call, create_call, open_call_editor, open_desk, save_call, CallAction, CallForm, CallState, EditableCall,
    OwnedCall, PublishingDesk,
};
use crate::components::error_notice::{inline_alert, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::format::{brussels_date_time, call_path, date};
use crate::pages::account::CurrentViewer;
use domain::people::Role;
use domain::InstrumentKind;
use editor::{field_errors, keep_form, CallEditor};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Where a call is edited.
pub fn editor_path(external_id: &str) -> String {
    format!("/publish/calls/{}", domain::query::percent_encode(external_id))
}

/// The funding bodies the person edits or reviews for, each linking to its desk.
#[component]
pub fn PublishPage() -> impl IntoView {
    let viewer = CurrentViewer::use_context();
    view! {
        <PageTitle text="Publish calls" />
        <section class="publish">
            <h1>"Publish calls"</h1>
            <p>"Regional authorities, agencies, banks and funds publish their calls here: editors draft them, reviewers of the same body approve them, and SMEs find them the moment they are published."</p>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || viewer.0.get().map(|result| match result {
                    Ok(Some(person)) => {
                        let bodies: Vec<_> = person.memberships.iter()
                            .filter(|m| m.organisation_kind.publishes_calls() && matches!(m.role, Role::Editor | Role::Reviewer))
                            .cloned().collect();
                        if bodies.is_empty() {
                            view! {
                                <p class="empty-state">"You do not edit or review for any organisation yet. "
                                    <a href="/account/organisations/new">"Add your authority or fund"</a>
                                    " (as a public authority or investor), or ask to join it from its card among the "
                                    <a href="/organisations">"partners"</a>"."</p>
                            }.into_any()
                        } else {
                            view! {
                                <ul class="desk-list">
                                    {bodies.into_iter().map(|m| view! {
                                        <li><a href=format!("/publish/{}", domain::query::percent_encode(&m.organisation_id))>{m.organisation_name.clone()}</a>
                                            " · " {m.role.label()}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }
                    Ok(None) => view! { <p><a href="/account/login">"Log in"</a>" to publish calls."</p> }.into_any(),
                    Err(error) => inline_alert(error),
                })}
            </Transition>
        </section>
    }
}

/// One state's calls on the desk.
#[component]
fn DeskSection(title: &'static str, calls: Vec<OwnedCall>, empty: &'static str) -> impl IntoView {
    view! {
        <section class="desk-section">
            <h2>{format!("{title} ({})", calls.len())}</h2>
            {if calls.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <table class="desk-table">
                        <thead><tr><th scope="col">"Call"</th><th scope="col">"Instrument"</th><th scope="col">"Next deadline"</th><th scope="col">"Changed"</th></tr></thead>
                        <tbody>
                            {calls.into_iter().map(|call| view! {
                                <tr>
                                    <td>
                                        <a href=editor_path(&call.external_id)>{call.title.clone()}</a>
                                        <br /><small class="muted">{call.external_id.clone()}</small>
                                        {call.review_comment.clone().map(|comment| view! { <p class="review-comment">"Comment: " {comment}</p> })}
                                        {(call.state == CallState::Scheduled).then(|| call.publish_at.map(|at| view! { <p class="muted">"Publishes " {brussels_date_time(at)}</p> })).flatten()}
                                    </td>
                                    <td>{call.instrument_kind.label()}</td>
                                    <td>{call.next_deadline.map(date).unwrap_or_else(|| "—".into())}</td>
                                    <td>{date(call.updated_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The body's public deadlines of the coming weeks, soonest first.
#[component]
fn DeadlinesComing(calls: Vec<OwnedCall>, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    view! {
        <section class="desk-section deadlines-coming">
            <h2>{format!("Deadlines in the next {} weeks ({})", domain::publishing::DEADLINES_AHEAD_DAYS / 7, calls.len())}</h2>
            {if calls.is_empty() {
                view! { <p class="muted">"No published call closes in the coming weeks."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {calls.into_iter().map(|call| {
                            let at = call.next_deadline.unwrap_or(now);
                            view! {
                                <li>
                                    <a href=editor_path(&call.external_id)>{call.title.clone()}</a>
                                    {format!(" — {} ({})", brussels_date_time(at), crate::format::relative_days(at, now))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// A funding body's desk: drafts, calls waiting for review, scheduled, published and archived.
#[component]
pub fn DeskPage() -> impl IntoView {
    let params = use_params_map();
    let organisation = move || params.with(|p| p.get("organisation").unwrap_or_default());
    let desk = Resource::new(organisation, open_desk);
    view! {
        <PageTitle text="Publishing desk" />
        <section class="publish desk">
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || desk.get().map(|result| match result {
                    Ok(desk) => desk_view(desk).into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

fn desk_view(desk: PublishingDesk) -> impl IntoView {
    let by_state = |state: CallState| -> Vec<OwnedCall> {
        desk.calls.iter().filter(|call| call.state == state).cloned().collect()
    };
    let encoded = domain::query::percent_encode(&desk.organisation_id);
    let is_editor = desk.role == Some(Role::Editor);
    view! {
        <h1>{desk.organisation_name.clone()}</h1>
        <p class="desk-actions">
            {is_editor.then(|| view! {
                <a class="button primary" href=format!("/publish/new/{encoded}")>"New call"</a>
                " "
                <a class="button" href=format!("/publish/upload/{encoded}")>"Upload a spreadsheet"</a>
                " "
            })}
            <a class="button" href=format!("/exports/audit.csv?organisation={encoded}") download="">"Audit log (CSV)"</a>
            {desk.region.clone().map(|region| view! {
                " "
                <a class="button" href=format!("/publish/priorities/{encoded}")>"Regional priorities (RIS3)"</a>
                " "
                <a href=crate::pages::regions::region_path(&region)>{format!("Public page of {region}")}</a>
            })}
        </p>
        <DeadlinesComing calls=desk.deadlines_coming().into_iter().cloned().collect() now=desk.now />
        <DeskSection title="Waiting for review" calls=by_state(CallState::InReview) empty="Nothing waits for a reviewer." />
        <DeskSection title="Drafts" calls=by_state(CallState::Draft) empty="No drafts." />
        <DeskSection title="Scheduled" calls=by_state(CallState::Scheduled) empty="Nothing scheduled." />
        <DeskSection title="Published" calls=by_state(CallState::Published) empty="No published calls yet." />
        <DeskSection title="Archived" calls=by_state(CallState::Archived) empty="Nothing archived." />
    }
}

/// A new call for the body in the address; `?from=ID` starts from a copy of another of its
/// calls (next year's edition), with a reference of its own to choose.
#[component]
pub fn NewCallPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let organisation = params.with_untracked(|p| p.get("organisation").unwrap_or_default());
    let from = query.with_untracked(|q| q.get("from"));
    let form = RwSignal::new(CallForm::blank(InstrumentKind::Grant));
    if let Some(from) = from.clone() {
        // The copy arrives after the page: the form takes it once.
        let source = Resource::new(move || from.clone(), open_call_editor);
        Effect::new(move |_| {
            if let Some(Ok(call)) = source.get() {
                form.set(CallForm {
                    reference: String::new(),
                    change_note: String::new(),
                    publish_at: String::new(),
                    ..call.form
                });
            }
        });
    }
    let navigate = use_navigate();
    let draft_key = format!("new.{organisation}");
    let key_for_save = draft_key.clone();
    let create = Action::new(move |(organisation, form): &(String, CallForm)| {
        let (organisation, form) = (organisation.clone(), form.clone());
        async move { create_call(organisation, form).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            keep_form(&key_for_save, None);
            navigate(&editor_path(&id), Default::default());
        }
    });
    let errors = Signal::derive(move || create.value().with(|answer| field_errors(answer.as_ref())));
    let organisation_for_submit = organisation.clone();
    view! {
        <PageTitle text="New call" />
        <section class="publish editor-page">
            <p><a href=format!("/publish/{}", domain::query::percent_encode(&organisation))>"← Back to the desk"</a></p>
            <h1>{if from.is_some() { "New edition of a call" } else { "New call" }}</h1>
            <CallEditor form errors draft_key is_new=true published=false
                pending=create.pending().into()
                submit_label="Save draft"
                on_submit=Callback::new(move |form: CallForm| { create.dispatch((organisation_for_submit.clone(), form)); }) />
            {move || create.value().get().and_then(|answer| answer.err()).map(inline_alert)}
        </section>
    }
}

/// A funding body's call: its editor (when it may be changed), the workflow's actions, and its
/// versions.
#[component]
pub fn EditCallPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || crate::format::percent_decode(&params.with(|p| p.get("id").unwrap_or_default()));
    let version = RwSignal::new(0_u32);
    // What the last save or action did: kept here, above the editor that reloads after it.
    let flash = RwSignal::new(None::<String>);
    let call = Resource::new(move || (id(), version.get()), |(id, _)| open_call_editor(id));
    let on_change = Callback::new(move |message: String| {
        flash.set(Some(message));
        version.update(|v| *v += 1);
    });
    view! {
        <PageTitle text="Edit call" />
        <section class="publish editor-page">
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || call.get().map(|result| match result {
                    Ok(call) => view! { <EditCall call on_change flash /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EditCall(call: EditableCall, on_change: Callback<String>, flash: RwSignal<Option<String>>) -> impl IntoView {
    let form = RwSignal::new(call.form.clone());
    let id = call.external_id.clone();
    let draft_key = format!("call.{id}");
    let key_for_save = draft_key.clone();
    let save = Action::new(move |(id, form): &(String, CallForm)| {
        let (id, form) = (id.clone(), form.clone());
        async move { save_call(id, form).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(changed)) = save.value().get() {
            keep_form(&key_for_save, None);
            on_change.run(if changed { "Saved." } else { "Nothing had changed." }.to_owned());
        }
    });
    let errors = Signal::derive(move || save.value().with(|answer| field_errors(answer.as_ref())));
    let published = call.state == CallState::Published;
    let desk = format!("/publish/{}", domain::query::percent_encode(&call.organisation_id));
    let id_for_submit = id.clone();
    view! {
        <p><a href=desk>{format!("← {}", call.organisation_name)}</a></p>
        <h1>{call.form.title.clone()}</h1>
        <p class="call-state">
            <span class=format!("state-badge state-{}", call.state.as_str())>{call.state.label()}</span>
            {published.then(|| view! { " · " <a href=call_path(&call.external_id)>"Public page"</a> })}
            {call.submitted_by.clone().map(|name| view! { <span class="muted">{format!(" · submitted by {name}")}</span> })}
            {call.publish_at.filter(|_| call.state == CallState::Scheduled).map(|at| view! { <span>{format!(" · publishes {}", brussels_date_time(at))}</span> })}
        </p>
        {call.review_comment.clone().map(|comment| view! {
            <div class="notice review" role="note"><strong>"Comment: "</strong>{comment}</div>
        })}
        {move || flash.get().map(|message| view! { <p class="form-success" role="status">{message}</p> })}
        <Workflow id=id.clone() actions=call.actions.clone() on_change />
        {if call.editable {
            view! {
                <CallEditor form errors draft_key is_new=false published
                    pending=save.pending().into()
                    submit_label=if published { "Save and publish the change" } else { "Save draft" }
                    on_submit=Callback::new(move |form: CallForm| { save.dispatch((id_for_submit.clone(), form)); }) />
                {move || save.value().get().and_then(|answer| answer.err()).map(inline_alert)}
            }.into_any()
        } else {
            view! { <CallSummary form=call.form.clone() /> }.into_any()
        }}
        {(call.state != CallState::Draft || !call.editable).then(|| {
            let copy = format!("/publish/new/{}?from={}", domain::query::percent_encode(&call.organisation_id), domain::query::percent_encode(&call.external_id));
            view! { <p><a class="button" href=copy>"Start next year's edition from this call"</a></p> }
        })}
        <Versions versions=call.versions.clone() />
    }
}

/// A read-only summary for reviewers and for calls that cannot be edited now.
#[component]
fn CallSummary(form: CallForm) -> impl IntoView {
    let deadlines = if form.rolling {
        "Rolling".to_owned()
    } else {
        form.deadlines
            .iter()
            .map(|d| {
                if d.label.is_empty() {
                    d.at.clone()
                } else {
                    format!("{}: {}", d.label, d.at)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    view! {
        <dl class="call-facts">
            <dt>"Reference"</dt><dd>{form.reference.clone()}</dd>
            <dt>"Programme"</dt><dd>{form.programme.clone()}</dd>
            <dt>"Instrument"</dt><dd>{form.instrument_kind.clone()}</dd>
            <dt>"Deadlines"</dt><dd>{deadlines}" ("{form.time_zone.clone()}")"</dd>
            <dt>"Budget"</dt><dd>{form.budget_total.clone()}</dd>
            <dt>"Eligible"</dt><dd>{[form.countries.join(", "), form.regions.join(", ")].join(" ")}</dd>
        </dl>
        <pre class="description-source">{form.description.clone()}</pre>
    }
}

/// The workflow's buttons for what the person may do now, with a comment where one is needed.
#[component]
fn Workflow(id: String, actions: Vec<CallAction>, on_change: Callback<String>) -> impl IntoView {
    if actions.is_empty() {
        return ().into_any();
    }
    let comment = RwSignal::new(String::new());
    let act = Action::new(move |(id, action, comment): &(String, CallAction, String)| {
        let (id, action, comment) = (id.clone(), *action, comment.clone());
        async move { act_on_call(id, action, comment).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(state)) = act.value().get() {
            on_change.run(format!("The call is now {}.", state.label().to_lowercase()));
        }
    });
    let needs_comment = actions.iter().any(|action| action.needs_comment());
    view! {
        <section class="workflow" aria-label="Workflow">
            {needs_comment.then(|| view! {
                <label class="field" for="workflow_comment">
                    <span>"Comment for the funding body (needed to send back or unpublish)"</span>
                    <input id="workflow_comment" name="comment" type="text" maxlength="500"
                        prop:value=move || comment.get()
                        on:input=move |event| comment.set(event_target_value(&event)) />
                </label>
            })}
            <div class="workflow-buttons">
                {actions.into_iter().map(|action| {
                    let id = id.clone();
                    let label = match action {
                        CallAction::Submit => "Submit for review",
                        CallAction::Approve => "Approve and publish",
                        CallAction::SendBack => "Send back",
                        CallAction::Archive => "Archive",
                        CallAction::Unpublish => "Unpublish",
                    };
                    let class = if action == CallAction::Approve || action == CallAction::Submit { "button primary" } else { "button" };
                    view! {
                        <button type="button" class=class disabled=move || act.pending().get()
                            on:click=move |_| { act.dispatch((id.clone(), action, comment.get_untracked())); }>{label}</button>
                    }
                }).collect_view()}
            </div>
            {move || act.value().get().and_then(|answer| answer.err()).map(|error| match error {
                AppError::InvalidFields(errors) => view! {
                    <p class="form-error" role="alert">{errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" ")}</p>
                }.into_any(),
                error => inline_alert(error),
            })}
        </section>
    }
    .into_any()
}

/// The versions of a published call, newest first, with what changed in each.
#[component]
fn Versions(versions: Vec<domain::publishing::CallVersion>) -> impl IntoView {
    (!versions.is_empty()).then(|| view! {
        <section class="versions">
            <h2>"History"</h2>
            <ol class="version-list" reversed>
                {versions.into_iter().map(|version| view! {
                    <li class:material=version.material>
                        <strong>{format!("Version {}", version.number)}</strong>
                        {format!(" · {} · {}", brussels_date_time(version.saved_at), version.saved_by.clone().unwrap_or_else(|| "published on schedule".into()))}
                        {version.material.then(|| view! { <span class="material-badge">" material"</span> })}
                        {(!version.note.is_empty()).then(|| view! { <p>{version.note.clone()}</p> })}
                        <ul>
                            {version.changes.iter().map(|change| view! { <li>{change.sentence()}</li> }).collect_view()}
                        </ul>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    })
}
