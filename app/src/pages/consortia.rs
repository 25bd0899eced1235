//! Consortia: the builder on a call's page (partners picked from the suggestions or the
//! directory, the gaps against the call's rules shown again after each change, every change
//! saved, then shared with the partners), the viewer's consortia (`/consortia`) and one
//! consortium (`/consortia/:id`), where an invited partner's people accept or decline.

use crate::api::consortia::{
    answer_consortium, consortium, my_consortia, save_consortium, ConsortiumForm, ConsortiumView,
};
use crate::api::search_organisations;
use crate::components::error_notice::{inline_alert, log_in_first, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::format::call_path;
use crate::pages::organisation::organisation_path;
use domain::matching::consortium::{Answer, ConsortiumGaps, ConsortiumMember, ConsortiumRole};
use domain::organisation_query::{OrganisationQuery, OrganisationSort};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// How many organisations a directory search in the builder offers.
const DIRECTORY_CHOICES: u32 = 5;

/// The consortium being built on a call's page and the action that saves a change to it:
/// shared by the partner suggestions (which add to it) and the builder.
#[derive(Clone, Copy)]
pub struct Builder {
    /// The consortium as last loaded or saved.
    pub current: Signal<Option<ConsortiumView>>,
    /// Saves a changed consortium (the result replaces `current`).
    pub save: Action<ConsortiumForm, Result<(), AppError>>,
}

impl Builder {
    /// A builder starting from `loaded` (the consortium stored for the call, if any).
    pub fn new(loaded: Signal<Option<ConsortiumView>>) -> Builder {
        let saved = RwSignal::new(None::<ConsortiumView>);
        let save = Action::new(move |form: &ConsortiumForm| {
            let form = form.clone();
            async move {
                let view = save_consortium(form).await?;
                saved.set(Some(view));
                Ok(())
            }
        });
        Builder {
            current: Signal::derive(move || saved.get().or_else(|| loaded.get())),
            save,
        }
    }

    /// Whether `organisation_id` is in the consortium.
    pub fn holds(&self, organisation_id: &str) -> bool {
        self.current.with(|current| {
            current
                .as_ref()
                .is_some_and(|view| view.members.iter().any(|m| m.organisation_id == organisation_id))
        })
    }

    /// Saves the consortium changed by `change` (nothing before it is loaded).
    pub fn change(&self, change: impl FnOnce(&mut ConsortiumForm)) {
        if let Some(mut form) = self.current.with_untracked(|current| current.as_ref().map(form_of)) {
            change(&mut form);
            self.save.dispatch(form);
        }
    }

    /// Adds `organisation_id` as a partner.
    pub fn add(&self, organisation_id: String) {
        self.change(|form| form.partners.push((organisation_id, ConsortiumRole::Partner)));
    }
}

/// The form that saves `view` as it is.
fn form_of(view: &ConsortiumView) -> ConsortiumForm {
    let lead = view.lead();
    ConsortiumForm {
        call_id: view.call_id.clone(),
        lead_id: lead.map(|m| m.organisation_id.clone()).unwrap_or_default(),
        name: view.name.clone(),
        partners: view
            .members
            .iter()
            .filter(|member| member.answer != Answer::Lead)
            .map(|member| (member.organisation_id.clone(), member.role))
            .collect(),
        lead_role: lead.map_or(ConsortiumRole::Coordinator, |m| m.role),
        share: view.shared,
    }
}

/// `form` with `organisation_id` in role `role`, every other member a partner when it
/// coordinates (a consortium has one coordinator).
fn with_role(form: &mut ConsortiumForm, organisation_id: &str, role: ConsortiumRole) {
    let coordinating = role == ConsortiumRole::Coordinator;
    if coordinating {
        form.lead_role = ConsortiumRole::Partner;
        for (_, partner_role) in &mut form.partners {
            *partner_role = ConsortiumRole::Partner;
        }
    }
    if form.lead_id == organisation_id {
        form.lead_role = role;
    } else if let Some((_, partner_role)) = form.partners.iter_mut().find(|(id, _)| id == organisation_id) {
        *partner_role = role;
    }
}

/// The builder on a call's page: the members with their roles, what is still missing,
/// organisations from the directory, the name, and sharing.
#[component]
pub fn ConsortiumBuilder(
    /// The consortium and its save action.
    builder: Builder,
) -> impl IntoView {
    move || {
        builder.current.get().map(|view| {
            let lead_name = view.lead().map(|m| m.name.clone()).unwrap_or_default();
            let status = if view.shared {
                "Shared with the partners' people: they see it under Consortia after signing in.".to_owned()
            } else if view.id.is_some() {
                format!("A draft only {lead_name}'s people see, saved at every change. Share it when it is ready.")
            } else {
                "Add partners from the suggestions above or from the directory; every change is saved.".to_owned()
            };
            let page = view
                .id
                .map(|id| view! { " " <a href=format!("/consortia/{id}")>"Its own page"</a> });
            let editable = view.can_edit;
            let members = view
                .members
                .iter()
                .cloned()
                .map(|member| view! { <MemberRow member builder editable /> })
                .collect_view();
            let name = view.name.clone();
            let share_button = (editable && !view.shared && view.id.is_some()).then(|| {
                view! {
                    <button type="button" on:click=move |_| builder.change(|form| form.share = true)>
                        "Share with the partners"
                    </button>
                }
            });
            view! {
                <section class="consortium-builder" aria-labelledby="consortium-heading">
                    <h2 id="consortium-heading">"Your consortium"</h2>
                    <p class="muted">{status} {page}</p>
                    <ol class="consortium-members">{members}</ol>
                    <GapList gaps=view.gaps.clone() />
                    {editable.then(|| view! {
                        <DirectoryPicker builder />
                        <p class="consortium-name">
                            <label>"Name "
                                <input type="text" maxlength=domain::matching::consortium::MAX_CONSORTIUM_NAME_CHARS
                                    prop:value=name
                                    on:change=move |event| {
                                        let name = event_target_value(&event);
                                        builder.change(|form| form.name = name);
                                    } />
                            </label>
                            " " {share_button}
                        </p>
                    })}
                    {move || builder.save.value().get().and_then(Result::err).map(inline_alert)}
                </section>
            }
        })
    }
}

/// One member in the builder: who, what it brings, its role (a choice for the lead's
/// people) and its answer, and a way to take it out.
#[component]
fn MemberRow(member: ConsortiumMember, builder: Builder, editable: bool) -> impl IntoView {
    let id = member.organisation_id.clone();
    let role = if editable {
        let id = id.clone();
        let options = ConsortiumRole::ALL
            .into_iter()
            .map(|role| view! { <option value=role.as_str() selected=role == member.role>{role.label()}</option> })
            .collect_view();
        view! {
            <select aria-label=format!("Role of {}", member.name) on:change=move |event| {
                if let Some(role) = ConsortiumRole::parse(&event_target_value(&event)) {
                    builder.change(|form| with_role(form, &id, role));
                }
            }>{options}</select>
        }
        .into_any()
    } else {
        view! { <span class="consortium-role">{member.role.label()}</span> }.into_any()
    };
    let remove = (editable && member.answer != Answer::Lead).then(|| {
        let id = id.clone();
        let label = format!("Remove {}", member.name);
        view! {
            <button type="button" class="secondary" aria-label=label
                on:click=move |_| builder.change(|form| form.partners.retain(|(partner, _)| *partner != id))>
                "Remove"
            </button>
        }
    });
    view! {
        <li class="consortium-member">
            <MemberFacts member=member.clone() />
            " " {role} " " {remove}
        </li>
    }
}

/// A member's name, country, kind, answer and what it brings.
#[component]
fn MemberFacts(member: ConsortiumMember) -> impl IntoView {
    let brings = (!member.brings.is_empty()).then(|| format!(" Brings {}.", member.brings.join(", ")));
    view! {
        <a href=organisation_path(&member.organisation_id)>{member.name.clone()}</a>
        <span class="muted">{format!(" · {} · {}", domain::geo::country_label(member.country.as_str()), member.kind.label())}</span>
        " " <span class=format!("answer answer-{}", member.answer.as_str())>{member.answer.label()}</span>
        {brings}
    }
}

/// What a consortium still lacks, or that nothing does.
#[component]
fn GapList(gaps: ConsortiumGaps) -> impl IntoView {
    if gaps.is_closed() {
        view! { <p class="consortium-complete">"Nothing is missing: the consortium meets the call's rules."</p> }
            .into_any()
    } else {
        view! {
            <div class="consortium-gaps">
                <h3>"Still missing"</h3>
                <ul>{gaps.sentences().into_iter().map(|gap| view! { <li>{gap}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any()
    }
}

/// A search of the directory whose results can be added to the consortium.
#[component]
fn DirectoryPicker(builder: Builder) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let find = Action::new(move |text: &String| {
        let query = OrganisationQuery {
            text: text.clone(),
            per_page: DIRECTORY_CHOICES,
            sort: OrganisationSort::Relevance,
            ..OrganisationQuery::default()
        };
        async move { search_organisations(query).await }
    });
    view! {
        <form class="directory-picker" on:submit=move |event| {
            event.prevent_default();
            find.dispatch(text.get_untracked());
        }>
            <label>"Add an organisation from the directory "
                <input type="search" maxlength=domain::sanitize::MAX_TEXT_CHARS placeholder="Name or capability"
                    bind:value=text />
            </label>
            " " <button type="submit" class="secondary">"Find"</button>
        </form>
        {move || find.value().get().map(|result| match result {
            Ok(listing) if listing.items.is_empty() => view! { <p class="empty-state">"No organisation of the directory matches."</p> }.into_any(),
            Ok(listing) => view! {
                <ul class="directory-choices">
                    {listing.items.into_iter().map(|detail| {
                        let organisation = detail.organisation;
                        let id = organisation.external_id.clone();
                        let held = {
                            let id = id.clone();
                            Signal::derive(move || builder.holds(&id))
                        };
                        view! {
                            <li>
                                {organisation.name.clone()}
                                <span class="muted">{format!(" · {} · {}", domain::geo::country_label(organisation.country.as_str()), organisation.kind.label())}</span>
                                " "
                                <button type="button" class="secondary" disabled=held
                                    aria-label=format!("Add {} to the consortium", organisation.name)
                                    on:click=move |_| builder.add(id.clone())>
                                    {move || if held.get() { "In the consortium" } else { "Add" }}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
            Err(error) => inline_alert(error),
        })}
    }
}

/// `/consortia`: the consortia the viewer's organisations build or were invited to.
#[component]
pub fn ConsortiaPage() -> impl IntoView {
    let consortia = Resource::new(|| (), |_| my_consortia());
    view! {
        <PageTitle text="Consortia" />
        <section class="consortia-page">
            <h1>"Consortia"</h1>
            <p class="lede">"The consortia your organisations build for calls, and those partners shared with you."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || consortia.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! {
                        <p class="empty-state">"No consortium yet. Open a call from "
                            <a href="/matches">"your matches"</a> " and pick partners under “Your consortium”."</p>
                    }.into_any(),
                    Ok(list) => view! {
                        <ol class="consortium-list">
                            {list.into_iter().map(|view| view! { <ConsortiumCard view /> }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(AppError::Unauthenticated) => log_in_first("see your consortia"),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// One consortium in the list: name, call, lead, how far it is, and the viewer's part.
#[component]
fn ConsortiumCard(view: ConsortiumView) -> impl IntoView {
    let href = view.id.map(|id| format!("/consortia/{id}")).unwrap_or_default();
    let lead = view.lead().map(|m| m.name.clone()).unwrap_or_default();
    let missing = view.gaps.sentences().len();
    let progress = if missing == 0 {
        "Nothing missing".to_owned()
    } else {
        format!("{missing} {} missing", if missing == 1 { "thing" } else { "things" })
    };
    let yours = view
        .answering_for
        .iter()
        .map(|(_, name, answer)| format!("{name}: {}", answer.label()))
        .collect::<Vec<_>>()
        .join("; ");
    view! {
        <li class="consortium-card">
            <h2><a href=href>{view.name.clone()}</a></h2>
            <p>"For " <a href=call_path(&view.call_id)>{view.call_title.clone()}</a></p>
            <p class="muted">{format!("Led by {lead} · {} organisations · {progress}{}", view.members.len(),
                if view.shared { "" } else { " · draft" })}</p>
            {(!yours.is_empty()).then(|| view! { <p class="consortium-yours">{yours}</p> })}
        </li>
    }
}

/// `/consortia/:id`: one consortium, its members' answers and gaps; an invited partner's
/// people accept or decline here.
#[component]
pub fn ConsortiumPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0));
    let answered = RwSignal::new(None::<ConsortiumView>);
    let loaded = Resource::new(id, consortium);
    view! {
        <PageTitle text="Consortium" />
        <p class="back"><a href="/consortia">"← Consortia"</a></p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || loaded.get().map(|result| match answered.get().map(Ok).unwrap_or(result) {
                Ok(view) => view! { <ConsortiumDetail view answered /> }.into_any(),
                Err(AppError::Unauthenticated) => log_in_first("see this consortium"),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </Transition>
    }
}

/// One consortium: the viewer's invitations to answer, its members and its gaps.
#[component]
fn ConsortiumDetail(view: ConsortiumView, answered: RwSignal<Option<ConsortiumView>>) -> impl IntoView {
    let id = view.id.unwrap_or_default();
    let answer = Action::new(move |input: &(String, bool)| {
        let (organisation, accept) = input.clone();
        async move {
            let view = answer_consortium(id, organisation, accept).await?;
            answered.set(Some(view));
            Ok::<(), AppError>(())
        }
    });
    let questions = view
        .answering_for
        .iter()
        .map(|(organisation, name, current)| {
            let current = *current;
            let accept_for = organisation.clone();
            let organisation = organisation.clone();
            let question = match current {
                Answer::Accepted => format!("{name} accepted. You can still decline."),
                Answer::Declined => format!("{name} declined. You can still accept."),
                _ => format!("{name} is invited to this consortium."),
            };
            view! {
                <p class="consortium-answer">{question} " "
                    {(current != Answer::Accepted).then(|| view! {
                        <button type="button" on:click=move |_| { answer.dispatch((accept_for.clone(), true)); }>"Accept"</button>
                    })} " "
                    {(current != Answer::Declined).then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| { answer.dispatch((organisation.clone(), false)); }>"Decline"</button>
                    })}
                </p>
            }
        })
        .collect_view();
    let lead = view.lead().map(|m| m.name.clone()).unwrap_or_default();
    let edit = view.can_edit.then(|| {
        view! { <p><a href=call_path(&view.call_id)>"Change it on the call's page"</a></p> }
    });
    view! {
        <section class="consortium-page">
            <h1>{view.name.clone()}</h1>
            <p class="lede">"For " <a href=call_path(&view.call_id)>{view.call_title.clone()}</a>
                {format!(", led by {lead}.")}</p>
            {(!view.shared).then(|| view! { <p class="muted">"A draft: the partners do not see it yet."</p> })}
            {questions}
            {move || answer.value().get().and_then(Result::err).map(inline_alert)}
            <ol class="consortium-members">
                {view.members.iter().map(|member| view! {
                    <li class="consortium-member">
                        <MemberFacts member=member.clone() />
                        " " <span class="consortium-role">{member.role.label()}</span>
                    </li>
                }).collect_view()}
            </ol>
            <GapList gaps=view.gaps.clone() />
            {edit}
        </section>
    }
}
