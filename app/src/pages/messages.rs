//! Members reaching a partner: the contact form on an organisation (`/organisations/:id/contact`),
//! the inbox (`/inbox`) and one conversation (`/inbox/:id`) with replies, and — for the
//! organisation's side — blocking the sender and reporting abuse.

use crate::api::messages::{
    block_sender, contact_organisation, inbox, open_conversation, reply, report_abuse, ContactForm, Conversation,
};
use crate::api::profiles::get_organisation_page;
use crate::components::error_notice::{inline_alert, log_in_first, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::format::percent_decode;
use crate::pages::account::CurrentViewer;
use crate::pages::organisation::organisation_path;
use crate::pages::publishing::editor::{field_errors, FieldMessage};
use domain::contact::{MAX_BODY_CHARS, MAX_REASON_CHARS, MAX_SUBJECT_CHARS};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Where a conversation is.
fn conversation_path(id: i64) -> String {
    format!("/inbox/{id}")
}

/// The form to write to the organisation in the address.
#[component]
pub fn ContactPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || percent_decode(&params.with(|p| p.get("id").unwrap_or_default()));
    let page = Resource::new(id, get_organisation_page);
    let viewer = CurrentViewer::use_context();
    view! {
        <PageTitle text="Write to an organisation" />
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let page = match page.await {
                    Ok(page) => page,
                    Err(error) => return view! { <ErrorNotice error /> }.into_any(),
                };
                match viewer.0.await {
                    Ok(Some(person)) => {
                        let own: Vec<(String, String)> = person
                            .memberships
                            .iter()
                            .map(|m| (m.organisation_id.clone(), m.organisation_name.clone()))
                            .collect();
                        let calls: Vec<(String, String)> = page
                            .calls
                            .iter()
                            .map(|call| (call.external_id.clone(), call.title.clone()))
                            .collect();
                        view! {
                            <ContactFormView organisation_id=page.detail.organisation.external_id.clone()
                                name=page.detail.organisation.name.clone() calls own />
                        }.into_any()
                    }
                    Ok(None) => log_in_first("write to an organisation"),
                    Err(error) => inline_alert(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn ContactFormView(
    organisation_id: String,
    name: String,
    calls: Vec<(String, String)>,
    own: Vec<(String, String)>,
) -> impl IntoView {
    let url = use_query_map();
    let form = RwSignal::new(ContactForm {
        call_id: url.with_untracked(|map| map.get("call").unwrap_or_default()),
        on_behalf_of: own.first().map(|(id, _)| id.clone()).unwrap_or_default(),
        ..ContactForm::default()
    });
    // A call named in the address that is not among the organisation's calls is still offered.
    let mut calls = calls;
    let asked = form.with_untracked(|f| f.call_id.clone());
    if !asked.is_empty() && !calls.iter().any(|(id, _)| *id == asked) {
        calls.insert(0, (asked.clone(), asked));
    }
    let send = Action::new(|(id, form): &(String, ContactForm)| contact_organisation(id.clone(), form.clone()));
    let errors = Signal::derive(move || send.value().with(|answer| field_errors(answer.as_ref())));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = send.value().get() {
            navigate(&conversation_path(id), Default::default());
        }
    });
    let back = organisation_path(&organisation_id);
    view! {
        <p class="back"><a href=back>{format!("← {name}")}</a></p>
        <h1>{format!("Write to {name}")}</h1>
        <p class="hint">"Its editors get your message by mail and answer here. Neither side sees the other's address."</p>
        <form class="contact-form" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            send.dispatch((organisation_id.clone(), form.get_untracked()));
        }>
            <label class="field" for="contact_subject">
                <span>"Subject"</span>
                <input id="contact_subject" name="subject" maxlength=MAX_SUBJECT_CHARS.to_string() prop:value=move || form.with(|f| f.subject.clone())
                    on:input=move |event| form.update(|f| f.subject = event_target_value(&event)) />
                <FieldMessage errors field="subject".to_owned() />
            </label>
            <label class="field" for="contact_call">
                <span>"About the call"</span>
                <select id="contact_call" name="call" prop:value=move || form.with(|f| f.call_id.clone())
                    on:change=move |event| form.update(|f| f.call_id = event_target_value(&event))>
                    <option value="">"No particular call"</option>
                    {calls.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                </select>
            </label>
            {(!own.is_empty()).then(|| view! {
                <label class="field" for="contact_on_behalf">
                    <span>"Writing for"</span>
                    <select id="contact_on_behalf" name="on_behalf_of" prop:value=move || form.with(|f| f.on_behalf_of.clone())
                        on:change=move |event| form.update(|f| f.on_behalf_of = event_target_value(&event))>
                        {own.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                        <option value="">"Myself only"</option>
                    </select>
                </label>
            })}
            <label class="field" for="contact_body">
                <span>"Message"</span>
                <textarea id="contact_body" name="body" rows="8" maxlength=MAX_BODY_CHARS.to_string() prop:value=move || form.with(|f| f.body.clone())
                    on:input=move |event| form.update(|f| f.body = event_target_value(&event))></textarea>
                <FieldMessage errors field="body".to_owned() />
            </label>
            <button class="button primary" type="submit" disabled=move || send.pending().get()>"Send"</button>
            {move || send.value().get().and_then(|answer| match answer {
                Err(AppError::InvalidFields(_)) | Ok(_) => None,
                Err(error) => Some(inline_alert(error)),
            })}
        </form>
    }
}

/// The person's conversations.
#[component]
pub fn InboxPage() -> impl IntoView {
    let conversations = Resource::new(|| (), |_| inbox());
    view! {
        <PageTitle text="Inbox" />
        <section class="inbox">
            <h1>"Inbox"</h1>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || conversations.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">"No messages yet. Write to a partner from its page in the "
                            <a href="/organisations">"partner directory"</a> "."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="conversations">
                            {list.into_iter().map(|summary| {
                                let with = if summary.started_by_viewer {
                                    format!("To {}", summary.organisation_name)
                                } else {
                                    format!("From {} to {}", summary.sender, summary.organisation_name)
                                };
                                view! {
                                    <li class:unread=summary.unread>
                                        <a href=conversation_path(summary.id)><strong>{summary.subject.clone()}</strong></a>
                                        {summary.unread.then(|| view! { <span class="badge">"new"</span> })}
                                        <br /><small class="muted">{format!("{with} · {}", summary.last_message_at.format("%-d %b %Y %H:%M UTC"))}</small>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::Unauthenticated) => log_in_first("read your messages"),
                    Err(error) => inline_alert(error),
                })}
            </Transition>
        </section>
    }
}

/// One conversation with its messages and a reply box.
#[component]
pub fn ConversationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0));
    let changes = RwSignal::new(0_u32);
    let conversation = Resource::new(move || (id(), changes.get()), |(id, _)| open_conversation(id));
    view! {
        <PageTitle text="Conversation" />
        <p class="back"><a href="/inbox">"← Inbox"</a></p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || conversation.get().map(|result| match result {
                Ok(conversation) => view! { <ConversationView conversation changes /> }.into_any(),
                Err(AppError::Unauthenticated) => log_in_first("read your messages"),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ConversationView(conversation: Conversation, changes: RwSignal<u32>) -> impl IntoView {
    let Conversation {
        summary,
        messages,
        blocked,
        for_organisation,
    } = conversation;
    let id = summary.id;
    let body = RwSignal::new(String::new());
    let send = Action::new(move |text: &String| {
        let text = text.clone();
        async move { reply(id, text).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = send.value().get() {
            body.set(String::new());
            changes.update(|n| *n += 1);
        }
    });
    let errors = Signal::derive(move || send.value().with(|answer| field_errors(answer.as_ref())));
    let block = Action::new(move |block: &bool| block_sender(id, *block));
    Effect::new(move |_| {
        if let Some(Ok(())) = block.value().get() {
            changes.update(|n| *n += 1);
        }
    });
    let reason = RwSignal::new(String::new());
    let report = Action::new(move |reason: &String| report_abuse(id, reason.clone()));
    view! {
        <article class="conversation">
            <h1>{summary.subject.clone()}</h1>
            <p class="call-meta">
                {format!("From {} to ", summary.sender)}
                <a href=organisation_path(&summary.organisation_id)>{summary.organisation_name.clone()}</a>
                {summary.call.clone().map(|(call_id, title)| view! {
                    " · about " <a href=format!("/calls/{}", domain::query::percent_encode(&call_id))>{title}</a>
                })}
            </p>
            <ol class="messages">
                {messages.into_iter().map(|message| view! {
                    <li class="message" class:ours=message.ours>
                        <p class="message-meta"><strong>{message.author.clone()}</strong>
                            {format!(" · {}", message.at.format("%-d %b %Y %H:%M UTC"))}</p>
                        <p class="message-body">{message.body.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
            {if blocked {
                view! { <p class="notice" role="status">"This conversation is closed: the organisation blocked the sender."</p> }.into_any()
            } else {
                view! {
                    <form class="reply-form" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
                        event.prevent_default();
                        send.dispatch(body.get_untracked());
                    }>
                        <label class="field" for="reply_body"><span>"Your reply"</span>
                            <textarea id="reply_body" name="body" rows="5" maxlength=MAX_BODY_CHARS.to_string() prop:value=move || body.get()
                                on:input=move |event| body.set(event_target_value(&event))></textarea>
                            <FieldMessage errors field="body".to_owned() /></label>
                        <button class="button primary" type="submit" disabled=move || send.pending().get()>"Send the reply"</button>
                        {move || send.value().get().and_then(|answer| match answer {
                            Err(AppError::InvalidFields(_)) | Ok(()) => None,
                            Err(error) => Some(inline_alert(error)),
                        })}
                    </form>
                }.into_any()
            }}
            {for_organisation.then(|| view! {
                <section class="moderation" aria-labelledby="moderation-heading">
                    <h2 id="moderation-heading">"Unwanted?"</h2>
                    <p>
                        <button class="button" type="button" on:click=move |_| { block.dispatch(!blocked); }>
                            {if blocked { "Let this sender write again" } else { "Block this sender" }}</button>
                    </p>
                    <form class="report-form" on:submit=move |event: leptos::ev::SubmitEvent| {
                        event.prevent_default();
                        report.dispatch(reason.get_untracked());
                    }>
                        <label class="field" for="report_reason"><span>"Report to the administrators: what is wrong?"</span>
                            <textarea id="report_reason" rows="2" maxlength=MAX_REASON_CHARS.to_string() prop:value=move || reason.get()
                                on:input=move |event| reason.set(event_target_value(&event))></textarea></label>
                        <button class="button" type="submit">"Report abuse"</button>
                        {move || report.value().get().map(|answer| match answer {
                            Ok(()) => view! { <p class="notice" role="status">"Reported. The administrators will look at it."</p> }.into_any(),
                            Err(error) => inline_alert(error),
                        })}
                    </form>
                    {move || block.value().get().and_then(|answer| answer.err()).map(inline_alert)}
                </section>
            })}
        </article>
    }
}
