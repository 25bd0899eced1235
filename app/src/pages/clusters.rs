//! Clusters: the list (`/clusters`, filtered by words, region and civil–military profile in
//! its URL), one cluster's page (`/clusters/:id`) with its members and the calls they could
//! lead — and, for the people concerned, running it: its managers invite organisations,
//! decide applications and remove members; an organisation's editors ask to join, answer an
//! invitation or leave; the managers edit the page (`/clusters/:id/edit`) and import members
//! from a spreadsheet (`/clusters/:id/import`).

use crate::api::clusters::{
    decide_cluster_request, get_cluster_page, import_members, list_clusters, open_cluster_editor,
    preview_member_import, remove_cluster_member, request_cluster_membership, save_cluster, ClusterForm,
    ClusterRequest, ClusterRequestKind, MemberField, MemberImportPreview, MemberMapping, MemberOutcome,
};
use crate::api::search_organisations;
use crate::components::call_card::CallCard;
use crate::components::error_notice::{inline_alert, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::components::sheet_file::{SheetFileInput, Upload};
use crate::error::AppError;
use crate::format::{percent_decode, term_labels};
use crate::pages::organisation::organisation_path;
use crate::pages::publishing::editor::{field_errors, FieldMessage};
use domain::cluster::{ClusterCard, ClusterPage, ClusterQuery, DualUseProfile};
use domain::organisation::OrganisationKind;
use domain::organisation_query::OrganisationQuery;
use domain::publishing::FieldError;
use domain::taxonomy::CAPABILITY_TERMS;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Where a cluster's page is.
pub fn cluster_path(external_id: &str) -> String {
    format!("/clusters/{}", domain::query::percent_encode(external_id))
}

/// The cluster list, filtered by its URL.
#[component]
pub fn ClustersPage() -> impl IntoView {
    let url = use_query_map();
    let query = Memo::new(move |_| {
        url.with(|map| {
            let get = |key: &str| map.get(key).unwrap_or_default();
            let (q, region, profile) = (get("q"), get("region"), get("profile"));
            ClusterQuery::from_pairs([
                ("q", q.as_str()),
                ("region", region.as_str()),
                ("profile", profile.as_str()),
            ])
        })
    });
    let clusters = Resource::new(move || query.get(), list_clusters);
    view! {
        <PageTitle text="Clusters" />
        <section class="clusters">
            <h1>"Clusters"</h1>
            <form class="cluster-filters" method="get" action="/clusters">
                <label class="field" for="cluster_q"><span>"Name or focus"</span>
                    <input id="cluster_q" name="q" type="search" maxlength="200" prop:value=move || query.with(|q| q.text.clone()) /></label>
                <label class="field" for="cluster_region"><span>"NUTS region or country"</span>
                    <input id="cluster_region" name="region" type="text" maxlength="5" placeholder="e.g. FRH or DE" prop:value=move || query.with(|q| q.region.clone()) /></label>
                <label class="field" for="cluster_profile"><span>"Civil or defence"</span>
                    <select id="cluster_profile" name="profile" prop:value=move || query.with(|q| q.profile.map(|p| p.as_str().to_owned()).unwrap_or_default())>
                        <option value="">"Any"</option>
                        {DualUseProfile::ALL.into_iter().map(|profile| view! { <option value=profile.as_str()>{profile.label()}</option> }).collect_view()}
                    </select></label>
                <button class="button" type="submit">"Filter"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Loading clusters…"</p> }>
                {move || Suspend::new(async move {
                    match clusters.await {
                        Ok(cards) if cards.is_empty() => view! {
                            <p class="empty-state">"No cluster matches. " <a href="/clusters">"All clusters"</a></p>
                        }.into_any(),
                        Ok(cards) => view! {
                            <h2 id="cluster-count">{format!("{} clusters", cards.len())}</h2>
                            <ul class="call-list cluster-list">{cards.into_iter().map(cluster_card).collect_view()}</ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn cluster_card(card: ClusterCard) -> impl IntoView {
    let ClusterCard {
        cluster,
        place,
        members,
    } = card;
    view! {
        <li class="call-card cluster-card">
            <h3 class="call-title"><a href=cluster_path(&cluster.external_id)>{cluster.name.clone()}</a></h3>
            <p class="call-meta">{format!("{place} · {} · {members} members", cluster.dual_use_profile.label())}</p>
            <p class="snippet">{cluster.focus.clone()}</p>
        </li>
    }
}

/// One cluster's page.
#[component]
pub fn ClusterDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || percent_decode(&params.with(|p| p.get("id").unwrap_or_default()));
    // Every change made on the page reloads it (members, requests, counts).
    let changes = RwSignal::new(0_u32);
    let page = Resource::new(move || (id(), changes.get()), |(id, _)| get_cluster_page(id));
    let status = RwSignal::new(None::<Result<String, AppError>>);
    provide_context(ClusterChanges { changes, status });
    view! {
        <p class="back"><a href="/clusters">"← All clusters"</a></p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => cluster_view(page).into_any(),
                    Err(error) => view! { <PageTitle text="Cluster not found" /> <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the cluster page's actions share: a counter that reloads the page, and the last
/// action's outcome, shown in one live region.
#[derive(Clone, Copy)]
struct ClusterChanges {
    changes: RwSignal<u32>,
    status: RwSignal<Option<Result<String, AppError>>>,
}

impl ClusterChanges {
    /// Records an action's outcome (`done` says what happened) and reloads on success.
    fn settle(self, outcome: Result<String, AppError>) {
        if outcome.is_ok() {
            self.changes.update(|n| *n += 1);
        }
        self.status.set(Some(outcome));
    }
}

/// Runs `call` and settles its outcome with `done` as the message of a success.
fn act<F>(call: F, done: &'static str)
where
    F: std::future::Future<Output = Result<(), AppError>> + 'static,
{
    let changes = expect_context::<ClusterChanges>();
    leptos::task::spawn_local(async move {
        changes.settle(call.await.map(|()| done.to_owned()));
    });
}

/// The outcome of the last action on the page.
#[component]
fn ClusterStatus() -> impl IntoView {
    let changes = expect_context::<ClusterChanges>();
    view! {
        <div class="cluster-status" aria-live="polite">
            {move || changes.status.get().map(|outcome| match outcome {
                Ok(message) => view! { <p class="notice" role="status">{message}</p> }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </div>
    }
}

/// A pending invitation or application with the buttons the viewer may use.
fn request_item(request: ClusterRequest, manages: bool) -> impl IntoView {
    let id = request.id;
    // Only the side that did not ask accepts; either side may decline (the asking side withdraws).
    let may_accept = match request.kind {
        ClusterRequestKind::Invitation => !manages,
        ClusterRequestKind::Application => manages,
    };
    let what = match request.kind {
        ClusterRequestKind::Invitation => format!("{} is invited", request.organisation_name),
        ClusterRequestKind::Application => format!("{} asks to join", request.organisation_name),
    };
    view! {
        <li class="cluster-request">
            <a href=organisation_path(&request.organisation_id)><strong>{what}</strong></a>
            {format!(" · since {}", request.created_at.format("%-d %B %Y"))}
            {(!request.message.is_empty()).then(|| view! { <q>{request.message.clone()}</q> })}
            " "
            {may_accept.then(|| view! {
                <button class="button primary" type="button" on:click=move |_| act(decide_cluster_request(id, true), "Accepted: it is a member now.")>"Accept"</button>
                " "
                <button class="button" type="button" on:click=move |_| act(decide_cluster_request(id, false), "Declined.")>"Decline"</button>
            })}
            {(!may_accept).then(|| view! {
                <button class="button" type="button" on:click=move |_| act(decide_cluster_request(id, false), "Withdrawn.")>"Withdraw"</button>
            })}
        </li>
    }
}

/// The managers' search for organisations to invite, with a message for all of them.
#[component]
fn InviteOrganisations(cluster_id: String, members: Vec<String>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let found = Resource::new(
        move || text.get(),
        |text| async move {
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            let query = OrganisationQuery {
                text,
                per_page: 8,
                ..OrganisationQuery::default()
            };
            search_organisations(query).await.map(|listing| listing.items)
        },
    );
    let changes = expect_context::<ClusterChanges>();
    view! {
        <div class="invite">
            <h3>"Invite an organisation"</h3>
            <label class="field" for="invite_search"><span>"Find it by name"</span>
                <input id="invite_search" type="search" maxlength="200" autocomplete="off"
                    on:input=move |event| text.set(event_target_value(&event)) /></label>
            <label class="field" for="invite_message"><span>"Message with the invitation (optional)"</span>
                <textarea id="invite_message" rows="2" maxlength="500" prop:value=move || message.get()
                    on:input=move |event| message.set(event_target_value(&event))></textarea></label>
            <Transition fallback=|| ()>
                {move || found.get().map(|result| match result {
                    Ok(items) => view! {
                        <ul class="invite-results">
                            {items.into_iter().map(|detail| {
                                let org = detail.organisation;
                                let member = members.contains(&org.external_id);
                                let (cluster_id, org_id) = (cluster_id.clone(), org.external_id.clone());
                                view! {
                                    <li>
                                        <strong>{org.name.clone()}</strong>
                                        {format!(" · {} · {}", org.kind.label(), org.country)}
                                        " "
                                        {if member {
                                            view! { <span class="muted">"a member"</span> }.into_any()
                                        } else {
                                            view! {
                                                <button class="button" type="button" on:click=move |_| {
                                                    let call = request_cluster_membership(cluster_id.clone(), org_id.clone(), ClusterRequestKind::Invitation, message.get_untracked());
                                                    leptos::task::spawn_local(async move { changes.settle(call.await) });
                                                }>{format!("Invite {}", org.name)}</button>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => inline_alert(error),
                })}
            </Transition>
        </div>
    }
}

/// An organisation's editors ask to join, for one of the organisations they speak for.
#[component]
fn AskToJoin(cluster_id: String, organisations: Vec<(String, String)>) -> impl IntoView {
    let chosen = RwSignal::new(organisations.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let message = RwSignal::new(String::new());
    let changes = expect_context::<ClusterChanges>();
    let single = (organisations.len() == 1).then(|| organisations[0].1.clone());
    view! {
        <form class="ask-to-join" on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let call = request_cluster_membership(cluster_id.clone(), chosen.get_untracked(), ClusterRequestKind::Application, message.get_untracked());
            leptos::task::spawn_local(async move { changes.settle(call.await) });
        }>
            <h2>"Join this cluster"</h2>
            {match single {
                Some(name) => view! { <p>{format!("Ask for {name} to join. The cluster's managers decide.")}</p> }.into_any(),
                None => view! {
                    <label class="field" for="ask_organisation"><span>"For"</span>
                        <select id="ask_organisation" prop:value=move || chosen.get() on:change=move |event| chosen.set(event_target_value(&event))>
                            {organisations.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                        </select></label>
                }.into_any(),
            }}
            <label class="field" for="ask_message"><span>"Message to the managers (optional)"</span>
                <textarea id="ask_message" rows="2" maxlength="500" prop:value=move || message.get()
                    on:input=move |event| message.set(event_target_value(&event))></textarea></label>
            <button class="button primary" type="submit">"Ask to join"</button>
        </form>
    }
}

fn cluster_view(page: ClusterPage) -> impl IntoView {
    let ClusterPage {
        card,
        members,
        calls,
        now,
        manages,
        requests,
        may_ask,
        own_members,
    } = page;
    let cluster = card.cluster;
    let cluster_id = cluster.external_id.clone();
    let member_ids: Vec<String> = members
        .iter()
        .map(|(detail, _)| detail.organisation.external_id.clone())
        .collect();
    view! {
        <PageTitle text=cluster.name.clone() />
        <article class="cluster-page">
            <h1>{cluster.name.clone()}</h1>
            <p class="call-meta">{format!("{} · {} · {} members", card.place, cluster.dual_use_profile.label(), card.members)}</p>
            <p>{cluster.description.clone()}</p>
            <dl class="facts">
                <dt>"Focus"</dt><dd>{cluster.focus.clone()}</dd>
                {(!cluster.networks.is_empty()).then(|| view! { <dt>"Networks"</dt><dd>{cluster.networks.join(", ")}</dd> })}
            </dl>
            <ClusterStatus />
            {manages.then(|| view! {
                <section class="cluster-admin" aria-labelledby="cluster-admin-heading">
                    <h2 id="cluster-admin-heading">"Run this cluster"</h2>
                    <p>
                        <a class="button" href=format!("{}/edit", cluster_path(&cluster_id))>"Edit the cluster's page"</a>
                        " "
                        <a class="button" href=format!("{}/import", cluster_path(&cluster_id))>"Import members from a CSV"</a>
                    </p>
                    <InviteOrganisations cluster_id=cluster_id.clone() members=member_ids.clone() />
                </section>
            })}
            {(!requests.is_empty()).then(|| view! {
                <section aria-labelledby="cluster-requests-heading">
                    <h2 id="cluster-requests-heading">{format!("Waiting for a decision ({})", requests.len())}</h2>
                    <ul class="requests">{requests.into_iter().map(|request| request_item(request, manages)).collect_view()}</ul>
                </section>
            })}
            {(!may_ask.is_empty()).then(|| view! { <AskToJoin cluster_id=cluster_id.clone() organisations=may_ask /> })}
            <section aria-labelledby="cluster-members-heading">
                <h2 id="cluster-members-heading">{format!("Members ({})", members.len())}</h2>
                <ul class="region-organisations">
                    {members.into_iter().map(|(detail, role)| {
                        let org = detail.organisation;
                        let (cluster_id, org_id) = (cluster_id.clone(), org.external_id.clone());
                        let label = if manages { format!("Remove {}", org.name) } else { "Leave".to_owned() };
                        view! {
                            <li>
                                <a href=organisation_path(&org.external_id)><strong>{org.name.clone()}</strong></a>
                                {format!(" · {} · {role}", org.kind.label())}
                                {(manages || own_members.contains(&org.external_id)).then(|| view! {
                                    " "
                                    <button class="button small" type="button" on:click=move |_| act(remove_cluster_member(cluster_id.clone(), org_id.clone()), "Removed from the cluster.")>{label.clone()}</button>
                                })}
                                {(!org.capabilities.is_empty()).then(|| view! { <br /><small class="muted">{term_labels(CAPABILITY_TERMS, &org.capabilities)}</small> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="cluster-calls-heading">
                <h2 id="cluster-calls-heading">{format!("Open calls its members could lead ({})", calls.len())}</h2>
                {if calls.is_empty() {
                    view! { <p class="empty-state">"No open or forthcoming call touches its members' capabilities."</p> }.into_any()
                } else {
                    view! { <ol class="call-list">{calls.into_iter().map(|call| view! { <CallCard call now hit=None list_query=String::new() /> }).collect_view()}</ol> }.into_any()
                }}
            </section>
        </article>
    }
}

/// The cluster's page as its managers edit it (`/clusters/:id/edit`).
#[component]
pub fn ClusterEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || percent_decode(&params.with(|p| p.get("id").unwrap_or_default()));
    let editor = Resource::new(id, open_cluster_editor);
    view! {
        <PageTitle text="Edit the cluster" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(editor) => view! { <ClusterEditor external_id=editor.external_id country=editor.country form=editor.form /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One line of the cluster form.
#[component]
fn ClusterField(
    form: RwSignal<ClusterForm>,
    errors: Signal<Vec<FieldError>>,
    name: &'static str,
    label: &'static str,
    max: usize,
    get: fn(&ClusterForm) -> String,
    set: fn(&mut ClusterForm, String),
) -> impl IntoView {
    let id = format!("cluster_{name}");
    view! {
        <label class="field" for=id.clone()>
            <span>{label}</span>
            <input id=id.clone() name=name maxlength=max.to_string() prop:value=move || form.with(get)
                on:input=move |event| form.update(|f| set(f, event_target_value(&event))) />
            <FieldMessage errors field=name.to_owned() />
        </label>
    }
}

#[component]
fn ClusterEditor(external_id: String, country: String, form: ClusterForm) -> impl IntoView {
    let form = RwSignal::new(form);
    let save = Action::new(|(id, form): &(String, ClusterForm)| save_cluster(id.clone(), form.clone()));
    let errors = Signal::derive(move || save.value().with(|answer| field_errors(answer.as_ref())));
    let page = cluster_path(&external_id);
    view! {
        <p class="back"><a href=page.clone()>"← Back to the cluster"</a></p>
        <h1>{move || format!("Edit {}", form.with(|f| f.name.clone()))}</h1>
        <form class="cluster-form" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            save.dispatch((external_id.clone(), form.get_untracked()));
        }>
            <ClusterField form errors name="name" label="Name" max=120 get=|f| f.name.clone() set=|f, v| f.name = v />
            <ClusterField form errors name="focus" label="Focus (one line)" max=200 get=|f| f.focus.clone() set=|f, v| f.focus = v />
            <label class="field" for="cluster_description">
                <span>"What the cluster does"</span>
                <textarea id="cluster_description" name="description" rows="6" maxlength="4000"
                    prop:value=move || form.with(|f| f.description.clone())
                    on:input=move |event| form.update(|f| f.description = event_target_value(&event))></textarea>
                <FieldMessage errors field="description".to_owned() />
            </label>
            <ClusterField form errors name="region" label="NUTS region" max=5 get=|f| f.region.clone() set=|f, v| f.region = v />
            <p class="hint">{format!("A region in {country}, such as {country}1; empty for the whole country.")}</p>
            <label class="field" for="cluster_profile_edit">
                <span>"Civil or defence"</span>
                <select id="cluster_profile_edit" name="profile" prop:value=move || form.with(|f| f.profile.clone())
                    on:change=move |event| form.update(|f| f.profile = event_target_value(&event))>
                    {DualUseProfile::ALL.into_iter().map(|profile| view! { <option value=profile.as_str()>{profile.label()}</option> }).collect_view()}
                </select>
                <FieldMessage errors field="profile".to_owned() />
            </label>
            <label class="field" for="cluster_networks">
                <span>"Networks it belongs to (one per line)"</span>
                <textarea id="cluster_networks" name="networks" rows="3"
                    prop:value=move || form.with(|f| f.networks.clone())
                    on:input=move |event| form.update(|f| f.networks = event_target_value(&event))></textarea>
                <FieldMessage errors field="networks".to_owned() />
            </label>
            <button class="button primary" type="submit" disabled=move || save.pending().get()>"Save"</button>
            {move || save.value().get().map(|answer| match answer {
                Ok(()) => view! { <p class="notice" role="status">"Saved. " <a href=page.clone()>"See the page"</a></p> }.into_any(),
                Err(AppError::InvalidFields(_)) => view! { <p class="form-error" role="alert">"Please correct the fields marked above."</p> }.into_any(),
                Err(error) => inline_alert(error),
            })}
        </form>
    }
}

/// Importing members from a spreadsheet (`/clusters/:id/import`): choose the file, check how
/// its columns are read, see every row's outcome, then confirm.
#[component]
pub fn MemberImportPage() -> impl IntoView {
    let params = use_params_map();
    let cluster_id = percent_decode(&params.with_untracked(|p| p.get("id").unwrap_or_default()));
    let upload = RwSignal::new(None::<Upload>);
    let mapping = RwSignal::new(None::<MemberMapping>);
    let id_for_preview = cluster_id.clone();
    let preview = Resource::new(
        move || (upload.get(), mapping.get()),
        move |(upload, mapping)| {
            let cluster_id = id_for_preview.clone();
            async move {
                match upload {
                    Some(Upload { text, xlsx }) => {
                        preview_member_import(cluster_id, text, xlsx, mapping).await.map(Some)
                    }
                    None => Ok(None),
                }
            }
        },
    );
    let id_for_import = cluster_id.clone();
    let confirm = Action::new(move |(chosen, mapping): &(Upload, Option<MemberMapping>)| {
        let (cluster_id, chosen, mapping) = (id_for_import.clone(), chosen.clone(), mapping.clone());
        async move { import_members(cluster_id, chosen.text, chosen.xlsx, mapping).await }
    });
    let back = cluster_path(&cluster_id);
    view! {
        <PageTitle text="Import members" />
        <section class="member-import sheet-upload">
            <p class="back"><a href=back.clone()>"← Back to the cluster"</a></p>
            <h1>"Import members from a spreadsheet"</h1>
            <p>"A CSV file or an Excel workbook with a name and a country per row — a CORDIS participants export works as it is. Organisations already in the directory are matched by name and country; the others are added to it. Nothing is written until you confirm."</p>
            <SheetFileInput upload on_chosen=Callback::new(move |()| mapping.set(None)) />
            <Transition fallback=|| view! { <p>"Reading…"</p> }>
                {move || preview.get().map(|result| match result {
                    Ok(None) => ().into_any(),
                    Ok(Some(preview)) => {
                        let (joins, added, _, _) = preview.counts();
                        view! {
                            <MemberMappingView preview=preview.clone() mapping />
                            <MemberRowsView preview />
                            <button class="button primary" type="button" disabled=move || confirm.pending().get() || joins + added == 0
                                on:click=move |_| {
                                    if let Some(chosen) = upload.get_untracked() {
                                        confirm.dispatch((chosen, mapping.get_untracked()));
                                    }
                                }>
                                {format!("Import {} members", joins + added)}
                            </button>
                        }.into_any()
                    }
                    Err(error) => inline_alert(error),
                })}
            </Transition>
            {move || confirm.value().get().map(|answer| match answer {
                Ok(done) => {
                    let (joins, added, already, left_out) = done.counts();
                    view! {
                        <p class="notice" role="status">
                            {format!("Done: {} joined from the directory, {added} added to it and joined, {already} were members already, {left_out} left out. ", joins)}
                            <a href=back.clone()>"See the cluster"</a>
                        </p>
                    }.into_any()
                }
                Err(error) => inline_alert(error),
            })}
        </section>
    }
}

/// Each column with the field it fills (changeable), and the kind of rows that do not say.
#[component]
fn MemberMappingView(preview: MemberImportPreview, mapping: RwSignal<Option<MemberMapping>>) -> impl IntoView {
    let guessed: Vec<Option<MemberField>> = preview.columns.iter().map(|(_, field)| *field).collect();
    let current = move || {
        mapping.get_untracked().unwrap_or_else(|| MemberMapping {
            columns: guessed.clone(),
            default_kind: OrganisationKind::Sme.as_str().to_owned(),
        })
    };
    let current_for_kind = current.clone();
    let default_kind = mapping
        .with_untracked(|m| m.as_ref().map(|m| m.default_kind.clone()))
        .unwrap_or_else(|| OrganisationKind::Sme.as_str().to_owned());
    view! {
        <fieldset class="group sheet-mapping">
            <legend>"How the columns are read"</legend>
            {preview.columns.iter().enumerate().map(|(index, (header, field))| {
                let current = current.clone();
                let id = format!("member_column_{index}");
                view! {
                    <label class="field" for=id.clone()>
                        <span>{if header.is_empty() { format!("Column {}", index + 1) } else { header.clone() }}</span>
                        <select id=id.clone() prop:value=field.map_or("", |f| f.as_str()) on:change=move |event| {
                            let mut next = current();
                            if let Some(slot) = next.columns.get_mut(index) {
                                *slot = MemberField::parse(&event_target_value(&event));
                            }
                            mapping.set(Some(next));
                        }>
                            <option value="">"Not imported"</option>
                            {MemberField::ALL.into_iter().map(|f| view! { <option value=f.as_str()>{f.label()}</option> }).collect_view()}
                        </select>
                    </label>
                }
            }).collect_view()}
            <label class="field" for="member_default_kind">
                <span>"Kind of organisations whose row does not say"</span>
                <select id="member_default_kind" prop:value=default_kind on:change=move |event| {
                    let mut next = current_for_kind();
                    next.default_kind = event_target_value(&event);
                    mapping.set(Some(next));
                }>
                    {OrganisationKind::ALL.into_iter().map(|kind| view! { <option value=kind.as_str()>{kind.label()}</option> }).collect_view()}
                </select>
            </label>
        </fieldset>
    }
}

/// Every row with what becomes of it.
#[component]
fn MemberRowsView(preview: MemberImportPreview) -> impl IntoView {
    let (joins, added, already, left_out) = preview.counts();
    view! {
        <p role="status">{format!("{joins} from the directory join, {added} are new to it, {already} are members already, {left_out} rows are left out.")}</p>
        <table class="sheet-preview member-preview">
            <thead><tr><th>"Line"</th><th>"Organisation"</th><th>"Country"</th><th>"What happens"</th></tr></thead>
            <tbody>
                {preview.rows.into_iter().map(|row| {
                    let outcome = match row.outcome {
                        MemberOutcome::Joins { organisation_id } => view! {
                            "Joins: " <a href=organisation_path(&organisation_id)>"in the directory"</a>
                        }.into_any(),
                        MemberOutcome::AlreadyMember { .. } => "A member already".into_any(),
                        MemberOutcome::Added => "Added to the directory and joins".into_any(),
                        MemberOutcome::LeftOut { errors } => view! {
                            <span class="form-error">{format!("Left out: {}", errors.join(" "))}</span>
                        }.into_any(),
                    };
                    view! {
                        <tr>
                            <td>{row.line}</td>
                            <td>{row.name}</td>
                            <td>{row.country}</td>
                            <td>{outcome}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
