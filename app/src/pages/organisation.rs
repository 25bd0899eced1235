//! One organisation: its public page (`/organisations/:id`) with its profile, clusters and the
//! calls its capabilities touch; and the profile editor for its editors
//! (`/organisations/:id/profile`), with the size class worked out as the figures are typed.

use crate::api::profiles::{
    get_organisation_page, open_profile, save_profile, OrganisationPage, ProfileEditor, ProfileForm,
};
use crate::components::call_card::CallCard;
use crate::components::check_list::CheckList;
use crate::components::error_notice::{inline_alert, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::components::vocabulary_picker::VocabularyPicker;
use crate::format::{percent_decode, term_labels};
use crate::pages::publishing::editor::{field_errors, FieldMessage};
use domain::organisation::SizeClass;
use domain::people::Role;
use domain::profile::{Audience, Completeness, DualUseInterest, SIZE_SCOPE_NOTE};
use domain::publishing::FieldError;
use domain::taxonomy::{CAPABILITY_TERMS, CERTIFICATIONS, SECTORS};
use domain::InstrumentKind;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

pub use domain::query::organisation_path;

/// A labelled fact, left out when there is nothing to say.
fn fact(label: &'static str, value: Option<String>) -> Option<impl IntoView> {
    value.map(|value| view! { <dt>{label}</dt> <dd>{value}</dd> })
}

/// The page of the organisation in the address.
#[component]
pub fn OrganisationProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || percent_decode(&params.with(|p| p.get("id").unwrap_or_default()));
    let page = Resource::new(id, get_organisation_page);
    view! {
        <p class="back"><a href="/organisations">"← All partners"</a></p>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => organisation_view(page).into_any(),
                    Err(error) => view! { <PageTitle text="Organisation not found" /> <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// How complete the profile is and what would help most, for its own people.
fn completeness_view(completeness: Completeness, edit: Option<String>) -> impl IntoView {
    view! {
        <aside class="completeness" aria-label="Profile completeness">
            <p>
                <strong>{format!("Profile {} % complete", completeness.percent)}</strong>
                <progress max="100" value=completeness.percent.to_string()></progress>
            </p>
            {(!completeness.missing.is_empty()).then(|| view! {
                <ul>
                    {completeness.missing.iter().take(4).map(|part| view! { <li>{part.why.clone()}</li> }).collect_view()}
                </ul>
            })}
            {edit.map(|href| view! { <p><a class="button primary" href=href>"Edit the profile"</a></p> })}
        </aside>
    }
}

fn organisation_view(page: OrganisationPage) -> impl IntoView {
    let OrganisationPage {
        detail,
        place,
        size,
        calls,
        now,
        role,
        completeness,
    } = page;
    let org = detail.organisation;
    let details = org.profile.clone();
    let edit = (role == Some(Role::Editor)).then(|| format!("{}/profile", organisation_path(&org.external_id)));
    let region_link = org
        .nuts_code
        .as_ref()
        .map(|code| crate::pages::regions::region_path(code.as_str()));
    let website = org.website.clone().filter(|url| domain::sanitize::is_http_url(url));
    let certifications = (!org.certifications.is_empty()).then(|| {
        org.certifications
            .iter()
            .map(|code| {
                let label = domain::taxonomy::label(CERTIFICATIONS, code);
                match details.certification_expiry.get(code) {
                    Some(until) => format!("{label} (until {})", until.format("%-d %b %Y")),
                    None => label.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    });
    let euros = |value: Option<i64>| value.map(domain::money::exact_euros);
    view! {
        <PageTitle text=org.name.clone() />
        <article class="organisation-page">
            <header>
                <h1>{org.name.clone()}</h1>
                <p class="call-meta">
                    {org.kind.label()} " · "
                    {match region_link {
                        Some(href) => view! { <a href=href>{place.clone()}</a> }.into_any(),
                        None => place.clone().into_any(),
                    }}
                    {website.clone().map(|url| view! { " · " <a href=url.clone() rel="nofollow noopener">{url.clone()}</a> })}
                </p>
            </header>
            {completeness.map(|completeness| completeness_view(completeness, edit.clone()))}
            {(!org.description.is_empty()).then(|| view! { <p class="organisation-description">{org.description.clone()}</p> })}
            <dl class="facts">
                {fact("Capabilities", (!org.capabilities.is_empty()).then(|| term_labels(CAPABILITY_TERMS, &org.capabilities)))}
                {fact("NIS2 sectors", (!org.sectors.is_empty()).then(|| term_labels(SECTORS, &org.sectors)))}
                {fact("Certifications", certifications)}
                {fact("Size", size.clone().map(|finding| format!("{}: {}", finding.class.label(), finding.rule)).or_else(|| org.size_class.map(|class| class.label().to_owned())))}
                {fact("Staff", org.headcount.map(|n| n.to_string()))}
                {fact("Turnover", euros(details.turnover_eur))}
                {fact("Balance sheet", euros(details.balance_sheet_eur))}
                {fact("Readiness of its offer", details.offer_trl.map(|level| format!("TRL {level}")))}
                {fact("Civil or defence", details.dual_use_interest.map(|interest| interest.label().to_owned()))}
                {fact("Looks for funding", (!details.wants_funding.is_empty()).then(|| details.wants_funding.iter().map(|k| k.label()).collect::<Vec<_>>().join(", ")))}
                {fact("Looks for partners in", (!details.wants_capabilities.is_empty()).then(|| term_labels(CAPABILITY_TERMS, &details.wants_capabilities)))}
                {fact("Looks for partners from", (!details.wants_countries.is_empty()).then(|| details.wants_countries.iter().map(|c| domain::geo::country_label(c.as_str())).collect::<Vec<_>>().join(", ")))}
                {(!detail.clusters.is_empty()).then(|| view! {
                    <dt>"Clusters"</dt>
                    <dd>{detail.clusters.iter().map(|c| view! {
                        <a class="cluster-link" href=crate::pages::clusters::cluster_path(&c.external_id)>{c.name.clone()}</a> " "
                    }).collect_view()}</dd>
                })}
            </dl>
            {size.map(|_| view! { <p class="muted">{SIZE_SCOPE_NOTE}</p> })}
            <section aria-labelledby="organisation-calls-heading">
                <h2 id="organisation-calls-heading">{format!("Open calls its capabilities touch ({})", calls.len())}</h2>
                {if calls.is_empty() {
                    view! { <p class="empty-state">"No open or forthcoming call in its country matches its capabilities. " <a href="/calls">"All calls"</a></p> }.into_any()
                } else {
                    view! { <ol class="call-list">{calls.into_iter().map(|call| view! { <CallCard call now hit=None list_query=String::new() /> }).collect_view()}</ol> }.into_any()
                }}
            </section>
            {role.is_none().then(|| view! {
                <p class="organisation-actions">
                    <a class="button primary contact-link" href=format!("{}/contact", organisation_path(&org.external_id))>"Contact"</a>
                    " "
                    <a class="join-link" href=format!("/account/join?organisation={}", domain::query::percent_encode(&org.external_id))>"Work here? Ask to join"</a>
                </p>
            })}
        </article>
    }
}

/// The profile editor of the organisation in the address, for its editors.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || percent_decode(&params.with(|p| p.get("id").unwrap_or_default()));
    let editor = Resource::new(id, open_profile);
    view! {
        <PageTitle text="Edit the profile" />
        <section class="profile-editor">
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || editor.get().map(|result| match result {
                    Ok(editor) => view! { <ProfileEditorView editor /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// A labelled text input bound to one field of the profile form.
#[component]
fn ProfileField(
    form: RwSignal<ProfileForm>,
    errors: Signal<Vec<FieldError>>,
    name: &'static str,
    label: &'static str,
    get: fn(&ProfileForm) -> String,
    set: fn(&mut ProfileForm, String),
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = 300)] max: usize,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let id = format!("profile_{name}");
    view! {
        <label class="field" for=id.clone()>
            <span>{label}</span>
            <input id=id.clone() name=name type=kind maxlength=max.to_string()
                prop:value=move || form.with(get)
                on:input=move |event| form.update(|f| set(f, event_target_value(&event))) />
            {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
            <FieldMessage errors field=name.to_owned() />
        </label>
    }
}

/// Who sees one restricted field of the profile.
#[component]
fn AudienceSelect(form: RwSignal<ProfileForm>, field: &'static str, label: &'static str) -> impl IntoView {
    let id = format!("profile_{field}_audience");
    view! {
        <label class="field audience" for=id.clone()>
            <span>{format!("Who sees the {label}")}</span>
            <select id=id.clone() name=format!("{field}_audience")
                prop:value=move || form.with(|f| f.visibility.get(field).cloned().unwrap_or_default())
                on:change=move |event| form.update(|f| { f.visibility.insert(field.to_owned(), event_target_value(&event)); })>
                {Audience::ALL.into_iter().map(|audience| view! { <option value=audience.as_str()>{audience.label()}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// A figure as typed (the server reads it again, strictly).
fn typed_figure(value: &str) -> Option<i64> {
    domain::money::typed_whole_number(value).and_then(Result::ok)
}

#[component]
fn ProfileEditorView(editor: ProfileEditor) -> impl IntoView {
    let form = RwSignal::new(editor.form.clone());
    let id = editor.organisation_id.clone();
    let save = Action::new(move |(id, form): &(String, ProfileForm)| {
        let (id, form) = (id.clone(), form.clone());
        async move { save_profile(id, form).await }
    });
    let errors = Signal::derive(move || save.value().with(|answer| field_errors(answer.as_ref())));
    let size = Memo::new(move |_| {
        form.with(|f| {
            SizeClass::classify_known(
                typed_figure(&f.headcount).and_then(|n| i32::try_from(n).ok()),
                typed_figure(&f.turnover),
                typed_figure(&f.balance_sheet),
            )
        })
    });
    let list = |get: fn(&ProfileForm) -> Vec<String>| Signal::derive(move || form.with(get));
    let page = organisation_path(&editor.organisation_id);
    let id_for_submit = id.clone();
    view! {
        <p><a href=page.clone()>"← Back to the page"</a></p>
        <h1>{format!("Profile of {}", editor.name)}</h1>
        {completeness_view(editor.completeness.clone(), None)}
        <form class="profile-form" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            save.dispatch((id_for_submit.clone(), form.get_untracked()));
        }>
            <fieldset class="group">
                <legend>"What it does"</legend>
                <label class="field" for="profile_description">
                    <span>"Description"</span>
                    <textarea id="profile_description" name="description" rows="5" maxlength="2000"
                        prop:value=move || form.with(|f| f.description.clone())
                        on:input=move |event| form.update(|f| f.description = event_target_value(&event))></textarea>
                    <FieldMessage errors field="description".to_owned() />
                </label>
                <VocabularyPicker id="profile_capabilities" label="Capabilities" vocabulary=CAPABILITY_TERMS
                    chosen=list(|f| f.capabilities.clone()) set=Callback::new(move |codes| form.update(|f| f.capabilities = codes)) />
                <FieldMessage errors field="capabilities".to_owned() />
                <VocabularyPicker id="profile_sectors" label="NIS2 sectors served" vocabulary=SECTORS
                    chosen=list(|f| f.sectors.clone()) set=Callback::new(move |codes| form.update(|f| f.sectors = codes)) />
                <FieldMessage errors field="sectors".to_owned() />
                <label class="field" for="profile_offer_trl">
                    <span>"Readiness of what it offers"</span>
                    <select id="profile_offer_trl" name="offer_trl" prop:value=move || form.with(|f| f.offer_trl.clone())
                        on:change=move |event| form.update(|f| f.offer_trl = event_target_value(&event))>
                        <option value="">"Not said"</option>
                        {(1..=9).map(|level| view! { <option value=level.to_string()>{format!("TRL {level}")}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="offer_trl".to_owned() />
                </label>
                <label class="field" for="profile_dual_use">
                    <span>"Civil or defence"</span>
                    <select id="profile_dual_use" name="dual_use_interest" prop:value=move || form.with(|f| f.dual_use_interest.clone())
                        on:change=move |event| form.update(|f| f.dual_use_interest = event_target_value(&event))>
                        <option value="">"Not said"</option>
                        {DualUseInterest::ALL.into_iter().map(|interest| view! { <option value=interest.as_str()>{interest.label()}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="dual_use_interest".to_owned() />
                </label>
            </fieldset>
            <fieldset class="group">
                <legend>"Where and how big"</legend>
                <ProfileField form errors name="region" label="NUTS region" max=5 hint="Such as PT11; regional calls and priorities use it."
                    get=|f| f.region.clone() set=|f, v| f.region = v />
                <ProfileField form errors name="website" label="Website" kind="url" get=|f| f.website.clone() set=|f, v| f.website = v />
                <div class="field-with-audience">
                    <ProfileField form errors name="headcount" label="Staff (annual work units)" max=10 get=|f| f.headcount.clone() set=|f, v| f.headcount = v />
                    <AudienceSelect form field="headcount" label="staff" />
                </div>
                <div class="field-with-audience">
                    <ProfileField form errors name="turnover" label="Annual turnover (€)" max=20 get=|f| f.turnover.clone() set=|f, v| f.turnover = v />
                    <AudienceSelect form field="turnover" label="turnover" />
                </div>
                <div class="field-with-audience">
                    <ProfileField form errors name="balance_sheet" label="Balance-sheet total (€)" max=20 get=|f| f.balance_sheet.clone() set=|f, v| f.balance_sheet = v />
                    <AudienceSelect form field="balance_sheet" label="balance sheet" />
                </div>
                <FieldMessage errors field="visibility".to_owned() />
                <p class="size-finding" role="status">
                    {move || match size.get() {
                        Some(finding) => format!("{}: {}.", finding.class.label(), finding.rule),
                        None => "Give the staff and the turnover or the balance sheet to see the size class.".to_owned(),
                    }}
                </p>
                <p class="hint">{SIZE_SCOPE_NOTE} " Each figure reaches only whom you choose — never the search index unless everyone may see it; the size class is public."</p>
            </fieldset>
            <fieldset class="group">
                <legend>"Certifications"</legend>
                <VocabularyPicker id="profile_certifications" label="Certifications held" vocabulary=CERTIFICATIONS
                    chosen=list(|f| f.certifications.clone()) set=Callback::new(move |codes| form.update(|f| f.certifications = codes)) />
                <FieldMessage errors field="certifications".to_owned() />
                {move || form.with(|f| f.certifications.clone()).into_iter().map(|code| {
                    let label = domain::taxonomy::label(CERTIFICATIONS, &code).to_owned();
                    let input_id = format!("profile_expiry_{code}");
                    let (read, write) = (code.clone(), code.clone());
                    view! {
                        <label class="field" for=input_id.clone()>
                            <span>{format!("{label}: valid until (optional)")}</span>
                            <input id=input_id.clone() type="date"
                                prop:value=move || form.with(|f| f.certification_expiry.get(&read).cloned().unwrap_or_default())
                                on:input=move |event| { let value = event_target_value(&event); form.update(|f| { f.certification_expiry.insert(write.clone(), value); }) } />
                            <FieldMessage errors field=format!("certification_expiry.{code}") />
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="group">
                <legend>"What it looks for"</legend>
                <CheckList name="wants_funding" legend="Funding"
                    options=InstrumentKind::ALL.into_iter().map(|kind| (kind.as_str(), kind.label())).collect()
                    chosen=list(|f| f.wants_funding.clone()) set=Callback::new(move |codes| form.update(|f| f.wants_funding = codes)) />
                <FieldMessage errors field="wants_funding".to_owned() />
                <VocabularyPicker id="profile_wants_capabilities" label="Partner capabilities" vocabulary=CAPABILITY_TERMS
                    chosen=list(|f| f.wants_capabilities.clone()) set=Callback::new(move |codes| form.update(|f| f.wants_capabilities = codes)) />
                <FieldMessage errors field="wants_capabilities".to_owned() />
                <CheckList name="wants_countries" legend="Partners from"
                    options=domain::geo::COUNTRY_NAMES.to_vec()
                    chosen=list(|f| f.wants_countries.clone()) set=Callback::new(move |codes| form.update(|f| f.wants_countries = codes)) />
                <FieldMessage errors field="wants_countries".to_owned() />
            </fieldset>
            <button class="button primary" type="submit" disabled=move || save.pending().get()>"Save the profile"</button>
        </form>
        {move || save.value().get().map(|answer| match answer {
            Ok(completeness) => view! {
                <div class="notice success" role="status">
                    <p>{format!("Saved. The profile is {} % complete.", completeness.percent)} " " <a href=page.clone()>"See the page"</a></p>
                </div>
            }.into_any(),
            Err(crate::error::AppError::InvalidFields(_)) => view! { <p class="field-error" role="alert">"Nothing was saved: see the fields marked above."</p> }.into_any(),
            Err(error) => inline_alert(error),
        })}
    }
}
