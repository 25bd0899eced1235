//! Regions: the public page of a NUTS region (`/regions/:code`) with its smart-specialisation
//! priorities, open calls and organisations; and the page where an authority's editors record
//! those priorities (`/publish/priorities/:organisation`).

use crate::api::regions::{
    get_region, open_strategy, save_strategy, Priority, RegionView, StrategyEditor, StrategyForm,
};
use crate::components::call_card::CallCard;
use crate::components::check_list::{terms, CheckList};
use crate::components::error_notice::{inline_alert, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::format::{date, term_labels};
use crate::pages::publishing::editor::{field_errors, FieldMessage};
use domain::publishing::FieldError;
use domain::smart_specialisation::{MAX_PRIORITIES, MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use domain::taxonomy::{self, CAPABILITIES, CAPABILITY_TERMS, SECTORS};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Where a region's public page is.
pub fn region_path(code: &str) -> String {
    format!("/regions/{}", domain::query::percent_encode(code))
}

/// A region's public page.
#[component]
pub fn RegionPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let region = Resource::new(code, get_region);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading region…"</p> }>
            {move || Suspend::new(async move {
                match region.await {
                    Ok(view) => region_view(view).into_any(),
                    Err(error) => view! { <PageTitle text="Region not found" /> <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn region_view(region: RegionView) -> impl IntoView {
    let RegionView {
        code,
        label,
        country,
        strategy,
        calls,
        organisations,
        organisation_total,
        now,
    } = region;
    let directory = format!("/organisations?region={}", domain::query::percent_encode(&code));
    view! {
        <PageTitle text=label.clone() />
        <article class="region-page">
            <header>
                <h1>{label.clone()}</h1>
                <p class="call-meta">{format!("NUTS region {code} · {country}")}</p>
            </header>
            <section aria-labelledby="priorities-heading">
                <h2 id="priorities-heading">"Smart-specialisation priorities"</h2>
                {match strategy {
                    None => view! {
                        <p class="empty-state">"The region's authority has not recorded its priorities on Fundbridge yet."</p>
                    }.into_any(),
                    Some(strategy) => view! {
                        <p>{strategy.summary.clone()}</p>
                        <ol class="priorities">
                            {strategy.priorities.into_iter().map(|priority| view! {
                                <li class="priority">
                                    <h3>{priority.title.clone()}</h3>
                                    {(!priority.text.is_empty()).then(|| view! { <p>{priority.text.clone()}</p> })}
                                    <ul class="tags" aria-label="Capabilities and sectors">
                                        {priority.domains.iter().map(|code| view! { <li class="tag capability">{taxonomy::label(CAPABILITIES, code).to_owned()}</li> }).collect_view()}
                                        {priority.sectors.iter().map(|code| view! { <li class="tag sector">{taxonomy::label(SECTORS, code).to_owned()}</li> }).collect_view()}
                                    </ul>
                                </li>
                            }).collect_view()}
                        </ol>
                        <p class="muted">
                            {format!("Recorded by {} · updated {}", strategy.organisation_name, date(strategy.updated_at))}
                            {strategy.strategy_url.clone().filter(|url| domain::sanitize::is_http_url(url)).map(|url| view! {
                                " · " <a href=url rel="noopener noreferrer" target="_blank">"The strategy ↗"</a>
                            })}
                        </p>
                    }.into_any(),
                }}
            </section>
            <section aria-labelledby="region-calls-heading">
                <h2 id="region-calls-heading">{format!("Open and forthcoming calls of the region ({})", calls.len())}</h2>
                {if calls.is_empty() {
                    view! { <p class="empty-state">"No open or forthcoming call is restricted to this region. "
                        <a href="/calls">"All calls"</a></p> }.into_any()
                } else {
                    view! {
                        <ol class="call-list">
                            {calls.into_iter().map(|call| view! { <CallCard call now hit=None list_query=String::new() /> }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
            <section aria-labelledby="region-organisations-heading">
                <h2 id="region-organisations-heading">{format!("Organisations based here ({organisation_total})")}</h2>
                {if organisations.is_empty() {
                    view! { <p class="empty-state">"No organisation of the directory is based in this region yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="region-organisations">
                            {organisations.into_iter().map(|detail| {
                                let org = detail.organisation;
                                view! {
                                    <li>
                                        <strong>{org.name.clone()}</strong>
                                        {format!(" · {}", org.kind.label())}
                                        {(!org.capabilities.is_empty()).then(|| view! { <br /><small class="muted">{term_labels(CAPABILITY_TERMS, &org.capabilities)}</small> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p><a href=directory>{format!("All {organisation_total} in the partner directory →")}</a></p>
                    }.into_any()
                }}
            </section>
        </article>
    }
}

/// An authority's editors record their region's priorities; its other members read them.
#[component]
pub fn StrategyPage() -> impl IntoView {
    let params = use_params_map();
    let organisation = move || params.with(|p| p.get("organisation").unwrap_or_default());
    let editor = Resource::new(organisation, open_strategy);
    view! {
        <PageTitle text="Smart-specialisation priorities" />
        <section class="publish strategy-page">
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || editor.get().map(|result| match result {
                    Ok(editor) => view! { <StrategyEditorView editor /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn StrategyEditorView(editor: StrategyEditor) -> impl IntoView {
    let form = RwSignal::new(editor.form.clone());
    let organisation = editor.organisation_id.clone();
    let save = Action::new(move |(organisation, form): &(String, StrategyForm)| {
        let (organisation, form) = (organisation.clone(), form.clone());
        async move { save_strategy(organisation, form).await }
    });
    let errors = Signal::derive(move || save.value().with(|answer| field_errors(answer.as_ref())));
    let count = Memo::new(move |_| form.with(|f| f.priorities.len()));
    let full = move || count.get() >= MAX_PRIORITIES;
    let can_edit = editor.can_edit;
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch((organisation.clone(), form.get_untracked()));
    };
    view! {
        <p><a href=format!("/publish/{}", domain::query::percent_encode(&editor.organisation_id))>"← Back to the desk"</a></p>
        <h1>{format!("Smart-specialisation priorities of {}", editor.region_label)}</h1>
        <p>
            {format!("Recorded by {}. ", editor.organisation_name)}
            "They appear on the region's "
            <a href=region_path(&editor.region)>"public page"</a>
            ", on its calls that serve them, and in the matches of the region's companies."
            {editor.updated_at.map(|at| format!(" Last saved {}.", date(at)))}
        </p>
        {(!can_edit).then(|| view! { <p class="notice">"Only the authority's editors can change the priorities."</p> })}
        <form class="strategy-form" on:submit=on_submit novalidate>
            <fieldset disabled=!can_edit>
                <label class="field" for="strategy_summary">
                    <span>"What the strategy is about"</span>
                    <textarea id="strategy_summary" name="summary" rows="3" maxlength=MAX_SUMMARY_CHARS.to_string()
                        prop:value=move || form.with(|f| f.summary.clone())
                        on:input=move |event| form.update(|f| f.summary = event_target_value(&event))></textarea>
                    <FieldMessage errors field="summary".to_owned() />
                </label>
                <label class="field" for="strategy_url">
                    <span>"Link to the published strategy"</span>
                    <input id="strategy_url" name="strategy_url" type="url" maxlength="2000" placeholder="https://…"
                        prop:value=move || form.with(|f| f.strategy_url.clone())
                        on:input=move |event| form.update(|f| f.strategy_url = event_target_value(&event)) />
                    <FieldMessage errors field="strategy_url".to_owned() />
                </label>
                <FieldMessage errors field="priorities".to_owned() />
                {move || (0..count.get()).map(|index| view! { <PriorityFields form errors index /> }).collect_view()}
                <p>
                    <button type="button" class="button" disabled=full
                        on:click=move |_| form.update(|f| f.priorities.push(Priority::default()))>"Add a priority"</button>
                    " "
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>"Save priorities"</button>
                </p>
            </fieldset>
        </form>
        {move || save.value().get().map(|answer| match answer {
            Ok(()) => view! { <p class="notice success" role="status">"Saved: the region's page shows them now."</p> }.into_any(),
            Err(crate::error::AppError::InvalidFields(_)) => view! { <p class="field-error" role="alert">"Nothing was saved: see the fields marked above."</p> }.into_any(),
            Err(error) => inline_alert(error),
        })}
    }
}

/// One priority's fields: its name, text, capabilities and sectors, and a way to remove it.
#[component]
fn PriorityFields(form: RwSignal<StrategyForm>, errors: Signal<Vec<FieldError>>, index: usize) -> impl IntoView {
    let read =
        move |pick: fn(&Priority) -> String| form.with(|f| f.priorities.get(index).map(pick).unwrap_or_default());
    let write = move |update: &dyn Fn(&mut Priority)| {
        form.update(|f| {
            if let Some(priority) = f.priorities.get_mut(index) {
                update(priority);
            }
        })
    };
    let field = |name: &str| format!("priorities.{index}.{name}");
    let title_id = format!("priority_{index}_title");
    let text_id = format!("priority_{index}_text");
    view! {
        <fieldset class="field priority-fields">
            <legend>{format!("Priority {}", index + 1)}</legend>
            <label class="field" for=title_id.clone()>
                <span>"Name"</span>
                <input id=title_id.clone() type="text" maxlength=MAX_TITLE_CHARS.to_string()
                    prop:value=move || read(|p| p.title.clone())
                    on:input=move |event| { let value = event_target_value(&event); write(&|p| p.title = value.clone()) } />
                <FieldMessage errors field=field("title") />
            </label>
            <label class="field" for=text_id.clone()>
                <span>"What the region means by it"</span>
                <textarea id=text_id.clone() rows="2" maxlength=MAX_TEXT_CHARS.to_string()
                    prop:value=move || read(|p| p.text.clone())
                    on:input=move |event| { let value = event_target_value(&event); write(&|p| p.text = value.clone()) }></textarea>
                <FieldMessage errors field=field("text") />
            </label>
            <CheckList name="domains" legend="Capabilities" options=terms(CAPABILITIES)
                chosen=Signal::derive(move || form.with(|f| f.priorities.get(index).map(|p| p.domains.clone()).unwrap_or_default()))
                set=Callback::new(move |codes: Vec<String>| write(&|p| p.domains = codes.clone())) />
            <FieldMessage errors field=field("domains") />
            <CheckList name="sectors" legend="NIS2 sectors" options=terms(SECTORS)
                chosen=Signal::derive(move || form.with(|f| f.priorities.get(index).map(|p| p.sectors.clone()).unwrap_or_default()))
                set=Callback::new(move |codes: Vec<String>| write(&|p| p.sectors = codes.clone())) />
            <FieldMessage errors field=field("sectors") />
            <button type="button" class="button"
                on:click=move |_| form.update(|f| { if index < f.priorities.len() { f.priorities.remove(index); } })>
                "Remove this priority"
            </button>
        </fieldset>
    }
}
