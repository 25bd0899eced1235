//! The call editor: every field of a call, each mistake shown on its field, the description
//! previewed as the call page will show it, and what was typed kept in the browser until the
//! server has it — a refused form, an expired session or a closed tab loses nothing.

use crate::api::publishing::{preview_description, CallForm, DeadlineInput, DocumentInput, FieldError};
use crate::components::check_list::{terms, CheckList};
use crate::error::AppError;
use domain::call::MAX_DOCUMENTS;
use domain::codes::{CountryCode, NutsCode};
use domain::organisation::OrganisationKind;
use domain::publishing::{MAX_AREAS, MAX_DEADLINES, MAX_DESCRIPTION_CHARS};
use domain::time::DeadlineZone;
use domain::InstrumentKind;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// The field errors of the latest answer, if it was a refused form.
pub fn field_errors(answer: Option<&Result<impl Clone, AppError>>) -> Vec<FieldError> {
    match answer {
        Some(Err(AppError::InvalidFields(errors))) => errors.clone(),
        _ => Vec::new(),
    }
}

/// The message for `field` (or any of its parts: `deadlines` covers `deadlines.2`).
pub(crate) fn message_for(errors: &[FieldError], field: &str) -> Option<String> {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|error| error.field == field)
        .map(|error| error.message.as_str())
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// The error under a field, announced when it appears.
#[component]
pub(crate) fn FieldMessage(errors: Signal<Vec<FieldError>>, field: String) -> impl IntoView {
    let id = format!("{}-error", field.replace('.', "-"));
    move || {
        errors.with(|errors| message_for(errors, &field)).map(|message| {
            view! { <p class="field-error" id=id.clone() role="alert">{message}</p> }
        })
    }
}

type ReadField = fn(&CallForm) -> String;
type WriteField = fn(&mut CallForm, String);

/// A labelled text input bound to one field of the form.
#[component]
fn TextField(
    form: RwSignal<CallForm>,
    errors: Signal<Vec<FieldError>>,
    name: &'static str,
    label: &'static str,
    get: ReadField,
    set: WriteField,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] disabled: bool,
    #[prop(default = 300)] max: usize,
) -> impl IntoView {
    let id = format!("call_{name}");
    let invalid = move || errors.with(|errors| message_for(errors, name).is_some()).to_string();
    view! {
        <label class="field" for=id.clone()>
            <span>{label}</span>
            <input
                id=id.clone()
                name=name
                type=kind
                maxlength=max.to_string()
                disabled=disabled
                aria-invalid=invalid
                aria-describedby=format!("{name}-error")
                prop:value=move || form.with(get)
                on:input=move |event| form.update(|f| set(f, event_target_value(&event)))
            />
            {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
            <FieldMessage errors field=name.to_owned() />
        </label>
    }
}

/// A labelled checkbox bound to one flag of the form.
#[component]
fn CheckField(
    form: RwSignal<CallForm>,
    name: &'static str,
    label: &'static str,
    get: fn(&CallForm) -> bool,
    set: fn(&mut CallForm, bool),
) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                name=name
                prop:checked=move || form.with(get)
                on:change=move |event| form.update(|f| set(f, event_target_checked(&event)))
            />
            " "
            {label}
        </label>
    }
}

/// Chosen countries or regions as removable chips, with a way to add one more.
#[component]
fn AreaPicker(
    form: RwSignal<CallForm>,
    errors: Signal<Vec<FieldError>>,
    name: &'static str,
    label: &'static str,
    get: fn(&CallForm) -> Vec<String>,
    set: fn(&mut CallForm, Vec<String>),
    /// For countries: pick from the list; for regions: type a NUTS code.
    countries: bool,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let add = move |code: String| {
        let code = code.trim().to_uppercase();
        if code.is_empty() {
            return;
        }
        let valid = if countries {
            CountryCode::parse(&code).map(drop)
        } else {
            NutsCode::parse(&code).map(drop)
        };
        match valid {
            Err(error) => local_error.set(Some(error.to_string())),
            Ok(()) => {
                local_error.set(None);
                typed.set(String::new());
                form.update(|f| {
                    let mut areas = get(f);
                    if !areas.contains(&code) && areas.len() < MAX_AREAS {
                        areas.push(code);
                    }
                    set(f, areas);
                });
            }
        }
    };
    let input_id = format!("call_{name}_add");
    view! {
        <fieldset class="field area-picker">
            <legend>{label}</legend>
            <ul class="chips" aria-label=label>
                {move || form.with(get).into_iter().map(|code| {
                    let shown = if countries {
                        domain::geo::COUNTRY_NAMES.iter().find(|(c, _)| *c == code).map_or(code.clone(), |(_, n)| format!("{n} ({code})"))
                    } else {
                        code.clone()
                    };
                    let remove = code.clone();
                    view! {
                        <li class="chip">
                            {shown}
                            <button type="button" class="chip-remove" aria-label=format!("Remove {code}")
                                on:click=move |_| form.update(|f| {
                                    let areas = get(f).into_iter().filter(|c| *c != remove).collect();
                                    set(f, areas);
                                })>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {if countries {
                view! {
                    <select id=input_id.clone() aria-label="Add a country"
                        on:change=move |event| add(event_target_value(&event))
                        prop:value=move || typed.get()>
                        <option value="">"Add a country…"</option>
                        {domain::geo::COUNTRY_NAMES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
                    </select>
                }.into_any()
            } else {
                view! {
                    <span class="add-row">
                        <input id=input_id.clone() type="text" maxlength="5" placeholder="NUTS code, e.g. BE10" aria-label="NUTS region code"
                            prop:value=move || typed.get()
                            on:input=move |event| typed.set(event_target_value(&event))
                            on:keydown=move |event| if event.key() == "Enter" { event.prevent_default(); add(typed.get_untracked()); } />
                        <button type="button" class="button" on:click=move |_| add(typed.get_untracked())>"Add region"</button>
                    </span>
                }.into_any()
            }}
            {move || local_error.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
            <FieldMessage errors field=name.to_owned() />
        </fieldset>
    }
}

/// The deadlines: one row per stage, or none for a rolling call.
#[component]
fn DeadlineRows(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let rolling = move || form.with(|f| f.rolling);
    view! {
        <fieldset class="field deadlines">
            <legend>"Deadlines"</legend>
            <CheckField form name="rolling" label="Rolling: applications are taken until further notice"
                get=|f| f.rolling set=|f, v| f.rolling = v />
            <Show when=move || !rolling()>
                <ol class="deadline-rows">
                    {move || (0..form.with(|f| f.deadlines.len())).map(|index| {
                        let field = format!("deadlines.{index}");
                        view! {
                            <li class="deadline-row">
                                <label>
                                    <span>{format!("Stage {} name (optional)", index + 1)}</span>
                                    <input type="text" name=format!("deadline_label_{index}") maxlength="120"
                                        prop:value=move || form.with(|f| f.deadlines.get(index).map(|d| d.label.clone()).unwrap_or_default())
                                        on:input=move |event| form.update(|f| if let Some(d) = f.deadlines.get_mut(index) { d.label = event_target_value(&event) }) />
                                </label>
                                <label>
                                    <span>{format!("Stage {} closes", index + 1)}</span>
                                    <input type="datetime-local" name=format!("deadline_at_{index}")
                                        prop:value=move || form.with(|f| f.deadlines.get(index).map(|d| d.at.clone()).unwrap_or_default())
                                        on:input=move |event| form.update(|f| if let Some(d) = f.deadlines.get_mut(index) { d.at = event_target_value(&event) }) />
                                </label>
                                <button type="button" class="button" aria-label=format!("Remove stage {}", index + 1)
                                    on:click=move |_| form.update(|f| { if index < f.deadlines.len() { f.deadlines.remove(index); } })>"Remove"</button>
                                <FieldMessage errors field=field />
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <button type="button" class="button"
                    disabled=move || form.with(|f| f.deadlines.len() >= MAX_DEADLINES)
                    on:click=move |_| form.update(|f| f.deadlines.push(DeadlineInput::default()))>"Add a stage"</button>
            </Show>
            <FieldMessage errors field="deadlines".to_owned() />
        </fieldset>
    }
}

/// The description in Markdown beside its preview, refreshed a moment after typing stops.
#[component]
fn DescriptionField(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let settled = RwSignal::new(form.with_untracked(|f| f.description.clone()));
    let typing = StoredValue::new(0_u64);
    let preview = Resource::new(move || settled.get(), preview_description);
    let on_input = move |event| {
        let text = event_target_value(&event);
        form.update(|f| f.description = text.clone());
        let generation = typing.get_value() + 1;
        typing.set_value(generation);
        set_timeout(
            move || {
                if typing.get_value() == generation {
                    settled.set(text);
                }
            },
            std::time::Duration::from_millis(400),
        );
    };
    view! {
        <div class="description-editor">
            <label class="field" for="call_description">
                <span>"Description (Markdown: ## headings, lists, **bold**, links)"</span>
                <textarea id="call_description" name="description" rows="16" maxlength=MAX_DESCRIPTION_CHARS.to_string()
                    aria-describedby="description-error"
                    prop:value=move || form.with(|f| f.description.clone())
                    on:input=on_input></textarea>
                <FieldMessage errors field="description".to_owned() />
            </label>
            <section class="description-preview" aria-label="Preview" aria-live="polite">
                <h3>"Preview"</h3>
                <Transition fallback=|| view! { <p class="muted">"Rendering…"</p> }>
                    {move || preview.get().map(|result| match result {
                        Ok(html) if html.is_empty() => view! { <p class="muted">"Nothing written yet."</p> }.into_any(),
                        Ok(html) => view! { <div class="call-description" inner_html=html></div> }.into_any(),
                        Err(error) => crate::components::error_notice::inline_alert(error),
                    })}
                </Transition>
            </section>
        </div>
    }
}

/// Where the browser keeps an unsaved form.
fn storage_key(draft_key: &str) -> String {
    format!("fundbridge.call-editor.{draft_key}")
}

/// What the browser kept for `draft_key`, if anything.
fn kept_form(draft_key: &str) -> Option<CallForm> {
    #[cfg(feature = "hydrate")]
    {
        let storage = web_sys::window()?.local_storage().ok()??;
        let json = storage.get_item(&storage_key(draft_key)).ok()??;
        serde_json::from_str(&json).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = storage_key(draft_key);
        None
    }
}

/// Keeps `form` in the browser under `draft_key` (`None` forgets it).
pub fn keep_form(draft_key: &str, form: Option<&CallForm>) {
    #[cfg(feature = "hydrate")]
    if let Some(Ok(Some(storage))) = web_sys::window().map(|window| window.local_storage()) {
        let key = storage_key(draft_key);
        let _ = match form.and_then(|form| serde_json::to_string(form).ok()) {
            Some(json) => storage.set_item(&key, &json),
            None => storage.remove_item(&key),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (storage_key(draft_key), form);
}

/// The whole editor. Each group of fields is its own type-erased view: as one view type the
/// form needed more stack to render than a debug build's thread has. `on_submit` sends the form; `draft_key` names what the browser keeps
/// meanwhile; `published` asks for the public change note.
#[component]
pub fn CallEditor(
    /// The fields, as typed.
    form: RwSignal<CallForm>,
    /// The latest answer's field errors.
    errors: Signal<Vec<FieldError>>,
    /// What the browser keeps the unsaved form under.
    draft_key: String,
    /// A new call (its reference can still be chosen).
    is_new: bool,
    /// A published call (changes are versions with a note).
    published: bool,
    /// Sends the form.
    on_submit: Callback<CallForm>,
    /// Whether a send is under way.
    pending: Signal<bool>,
    /// The submit button's words.
    submit_label: &'static str,
) -> impl IntoView {
    let restorable = RwSignal::new(None::<CallForm>);
    let key = StoredValue::new(draft_key);
    // After hydration: offer what the browser kept, then keep every change.
    Effect::new(move |_| {
        let kept = key.with_value(|key| kept_form(key));
        if let Some(kept) = kept.filter(|kept| *kept != form.get_untracked()) {
            restorable.set(Some(kept));
        }
    });
    Effect::new(move |first: Option<()>| {
        let current = form.get();
        if first.is_some() && restorable.get_untracked().is_none() {
            key.with_value(|key| keep_form(key, Some(&current)));
        }
    });
    view! {
        {move || restorable.get().map(|kept| {
            let restore = kept.clone();
            view! {
                <div class="notice restore" role="status">
                    <p>"This browser kept changes you had not saved."</p>
                    <button type="button" class="button primary" on:click=move |_| { form.set(restore.clone()); restorable.set(None); }>"Restore them"</button>
                    " "
                    <button type="button" class="button" on:click=move |_| { key.with_value(|key| keep_form(key, None)); restorable.set(None); }>"Discard them"</button>
                </div>
            }
        })}
        <form class="call-editor" novalidate on:submit=move |event: SubmitEvent| {
            event.prevent_default();
            on_submit.run(form.get_untracked());
        }>
            {identity_group(form, errors, is_new)}
            {dates_group(form, errors, published)}
            {money_group(form, errors)}
            {eligibility_group(form, errors)}
            {topics_group(form, errors)}
            {texts_group(form, errors)}
            {published.then(|| view! {
                <TextField form errors name="change_note" label="What changed, for applicants (shown on the call page)" max=500
                    hint="Needed when a deadline, the budget or who may apply changes."
                    get=|f| f.change_note.clone() set=|f, v| f.change_note = v />
            })}
            <button class="button primary" type="submit" disabled=move || pending.get()>{submit_label}</button>
        </form>
    }
}

/// The call's identity: reference, title, programme, instrument.
fn identity_group(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>, is_new: bool) -> AnyView {
    view! {
            <fieldset class="group">
                <legend>"The call"</legend>
                <TextField form errors name="reference" label="Your reference" max=60 disabled=!is_new
                    hint="Becomes the call's address; letters, digits, '-', '_' and '.'. It cannot change later."
                    get=|f| f.reference.clone() set=|f, v| f.reference = v />
                <TextField form errors name="title" label="Title" get=|f| f.title.clone() set=|f, v| f.title = v />
                <TextField form errors name="programme" label="Programme" max=120
                    hint="Your own programme, or an EU one (Horizon Europe, InvestEU, …)."
                    get=|f| f.programme.clone() set=|f, v| f.programme = v />
                <label class="field" for="call_instrument_kind">
                    <span>"Instrument"</span>
                    <select id="call_instrument_kind" name="instrument_kind"
                        prop:value=move || form.with(|f| f.instrument_kind.clone())
                        on:change=move |event| form.update(|f| f.instrument_kind = event_target_value(&event))>
                        {InstrumentKind::ALL.into_iter().map(|kind| view! { <option value=kind.as_str()>{kind.label()}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="instrument_kind".to_owned() />
                </label>
            </fieldset>
    }
    .into_any()
}

/// Dates: time zone, opening, deadlines, publication time.
fn dates_group(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>, published: bool) -> AnyView {
    view! {
            <fieldset class="group">
                <legend>"Dates"</legend>
                <label class="field" for="call_time_zone">
                    <span>"Time zone of the dates below"</span>
                    <select id="call_time_zone" name="time_zone"
                        prop:value=move || form.with(|f| f.time_zone.clone())
                        on:change=move |event| form.update(|f| f.time_zone = event_target_value(&event))>
                        {DeadlineZone::ALL.into_iter().map(|zone| view! { <option value=zone.as_str()>{zone.label()}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="time_zone".to_owned() />
                </label>
                <TextField form errors name="opening" label="Opens (leave empty if open now)" kind="datetime-local"
                    get=|f| f.opening.clone() set=|f, v| f.opening = v />
                <DeadlineRows form errors />
                {(!published).then(|| view! {
                    <TextField form errors name="publish_at" label="Publish on (once approved; empty: at once)" kind="datetime-local"
                        get=|f| f.publish_at.clone() set=|f, v| f.publish_at = v />
                })}
            </fieldset>
    }
    .into_any()
}

/// Money: budget, per-project range, funding rate.
fn money_group(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>) -> AnyView {
    view! {
            <fieldset class="group">
                <legend>"Money"</legend>
                <label class="field" for="call_currency">
                    <span>"Currency of the amounts"</span>
                    <select id="call_currency" name="currency"
                        prop:value=move || form.with(|f| if f.currency.is_empty() { "EUR".to_owned() } else { f.currency.clone() })
                        on:change=move |event| form.update(|f| f.currency = event_target_value(&event))>
                        <option value="EUR">"Euro (EUR)"</option>
                        {domain::money::CURRENCIES.iter().map(|(code, name)| view! { <option value=*code>{format!("{name} ({code})")}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="currency".to_owned() />
                </label>
                <Show when=move || form.with(|f| !f.currency.is_empty() && f.currency != "EUR")>
                    <TextField form errors name="euro_rate" label="Exchange rate: units of the currency per euro" max=14
                        hint="As your programme converts (e.g. 4.25). The amounts stay as you state them; readers also see them in euro."
                        get=|f| f.euro_rate.clone() set=|f, v| f.euro_rate = v />
                </Show>
                <TextField form errors name="budget_total" label="Total budget" max=20 get=|f| f.budget_total.clone() set=|f, v| f.budget_total = v />
                <TextField form errors name="budget_min" label="Minimum per project" max=20 get=|f| f.budget_min.clone() set=|f, v| f.budget_min = v />
                <TextField form errors name="budget_max" label="Maximum per project" max=20 get=|f| f.budget_max.clone() set=|f, v| f.budget_max = v />
                <TextField form errors name="funding_rate" label="Funding rate (%)" max=3 get=|f| f.funding_rate.clone() set=|f, v| f.funding_rate = v />
            </fieldset>
    }
    .into_any()
}

/// Who may apply: areas, SMEs, consortium, readiness.
fn eligibility_group(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>) -> AnyView {
    view! {
            <fieldset class="group">
                <legend>"Who may apply"</legend>
                <AreaPicker form errors name="countries" label="Eligible countries (none: no restriction)" countries=true
                    get=|f| f.countries.clone() set=|f, v| f.countries = v />
                <AreaPicker form errors name="regions" label="Eligible NUTS regions (none: no restriction)" countries=false
                    get=|f| f.regions.clone() set=|f, v| f.regions = v />
                <CheckField form name="sme_only" label="SMEs only" get=|f| f.sme_only set=|f, v| f.sme_only = v />
                <TextField form errors name="min_partners" label="Minimum partners in a consortium" max=3 get=|f| f.min_partners.clone() set=|f, v| f.min_partners = v />
                <TextField form errors name="min_countries" label="Minimum countries in a consortium" max=3 get=|f| f.min_countries.clone() set=|f, v| f.min_countries = v />
                <TextField form errors name="trl_min" label="Lowest readiness level (TRL 1–9)" max=1 get=|f| f.trl_min.clone() set=|f, v| f.trl_min = v />
                <TextField form errors name="trl_max" label="Highest readiness level (TRL 1–9)" max=1 get=|f| f.trl_max.clone() set=|f, v| f.trl_max = v />
                <CheckField form name="dual_use" label="Open to dual-use (civil–military) projects" get=|f| f.dual_use set=|f, v| f.dual_use = v />
                <CheckList name="applicant_kinds" legend="Kinds of applicant (none ticked: anyone)"
                    options=OrganisationKind::ALL.into_iter().map(|kind| (kind.as_str(), kind.label())).collect()
                    chosen=Signal::derive(move || form.with(|f| f.applicant_kinds.clone()))
                    set=Callback::new(move |codes| form.update(|f| f.applicant_kinds = codes)) />
                <FieldMessage errors field="applicant_kinds".to_owned() />
            </fieldset>
    }
    .into_any()
}

/// Capabilities and sectors, picked from the vocabularies or suggested from the text.
fn topics_group(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>) -> AnyView {
    let suggest = move |_| {
        form.update(|f| {
            let text = format!("{}\n{}\n{}", f.title, f.keywords.replace(',', "\n"), f.description);
            f.domains = domain::taxonomy::call_capabilities(&text);
            f.sectors = domain::taxonomy::call_sectors(&text);
        })
    };
    view! {
            <fieldset class="group">
                <legend>"What it is about"</legend>
                <p class="hint">"Companies are matched to the call by these. Leave them all unticked to have them derived from the text, or start from what the text suggests."</p>
                <button type="button" class="button" on:click=suggest>"Suggest from the title and description"</button>
                <CheckList name="domains" legend="Capabilities (JRC cybersecurity taxonomy)"
                    options=terms(domain::taxonomy::CAPABILITIES)
                    chosen=Signal::derive(move || form.with(|f| f.domains.clone()))
                    set=Callback::new(move |codes| form.update(|f| f.domains = codes)) />
                <FieldMessage errors field="domains".to_owned() />
                <CheckList name="sectors" legend="NIS2 sectors"
                    options=terms(domain::taxonomy::SECTORS)
                    chosen=Signal::derive(move || form.with(|f| f.sectors.clone()))
                    set=Callback::new(move |codes| form.update(|f| f.sectors = codes)) />
                <FieldMessage errors field="sectors".to_owned() />
            </fieldset>
    }
    .into_any()
}

/// The document links: one row per document, added and removed as needed.
#[component]
fn DocumentRows(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let count = Memo::new(move |_| form.with(|f| f.documents.len()));
    let full = move || count.get() >= MAX_DOCUMENTS;
    view! {
        <fieldset class="field documents">
            <legend>"Documents (work programme, guide for applicants, templates)"</legend>
            <ol class="document-rows">
                {move || (0..count.get()).map(|index| view! {
                    <li class="document-row">
                        <label>
                            <span>{format!("Document {} name", index + 1)}</span>
                            <input type="text" maxlength="200"
                                prop:value=move || form.with(|f| f.documents.get(index).map(|d| d.label.clone()).unwrap_or_default())
                                on:input=move |event| form.update(|f| if let Some(d) = f.documents.get_mut(index) { d.label = event_target_value(&event) }) />
                        </label>
                        <label>
                            <span>{format!("Document {} address", index + 1)}</span>
                            <input type="url" maxlength="2000" placeholder="https://…"
                                prop:value=move || form.with(|f| f.documents.get(index).map(|d| d.url.clone()).unwrap_or_default())
                                on:input=move |event| form.update(|f| if let Some(d) = f.documents.get_mut(index) { d.url = event_target_value(&event) }) />
                        </label>
                        <button type="button" class="button" aria-label=format!("Remove document {}", index + 1)
                            on:click=move |_| form.update(|f| { if index < f.documents.len() { f.documents.remove(index); } })>"Remove"</button>
                        <FieldMessage errors field=format!("documents.{index}") />
                    </li>
                }).collect_view()}
            </ol>
            <button type="button" class="button" disabled=full
                on:click=move |_| form.update(|f| f.documents.push(DocumentInput::default()))>"Add a document"</button>
            <FieldMessage errors field="documents".to_owned() />
        </fieldset>
    }
}

/// Keywords, link and the description with its preview.
fn texts_group(form: RwSignal<CallForm>, errors: Signal<Vec<FieldError>>) -> AnyView {
    view! {
            <fieldset class="group">
                <legend>"Description and links"</legend>
                <TextField form errors name="keywords" label="Keywords (separated by commas)" max=2000 get=|f| f.keywords.clone() set=|f, v| f.keywords = v />
                <TextField form errors name="url" label="Your page for this call (optional)" kind="url" max=2000 get=|f| f.url.clone() set=|f, v| f.url = v />
                <TextField form errors name="contact" label="Contact (an address, a telephone number or a helpdesk page)" max=200
                    get=|f| f.contact.clone() set=|f, v| f.contact = v />
                <DocumentRows form errors />
                <DescriptionField form errors />
            </fieldset>
    }
    .into_any()
}
