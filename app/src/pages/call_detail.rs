//! `/calls/<id>`: everything known about one call.

use crate::api::{get_call, CallView};
use crate::components::error_notice::ErrorNotice;
use crate::components::follow_call::FollowCall;
use crate::components::page_title::PageTitle;
use crate::components::status_badge::CallBadges;
use crate::format::{budget_range, date, euros, percent_decode, relative_days, term_labels, zoned_date_time};
use crate::hooks::use_call_query;
use crate::pages::calls::list_url;
use crate::pages::matches::{ApplicantsPanel, CallFitPanel};
use chrono::{DateTime, Utc};
use domain::geo::area_label;
use domain::taxonomy::{CAPABILITY_TERMS, SECTORS};
use domain::time::DeadlineZone;
use domain::{CallDetail, CallQuery, Deadline};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page of one call.
#[component]
pub fn CallDetailPage() -> impl IntoView {
    let params = use_params_map();
    let external_id = move || params.with(|p| p.get("id").map(|id| percent_decode(&id)).unwrap_or_default());
    let call = Resource::new(external_id, get_call);
    // The list the reader came from travels in this page's query string; the parser keeps
    // only list parameters, so the link can only ever lead back to the call list.
    let from = use_call_query();
    let back = move || from.with(list_url);
    let back_label = move || {
        if from.with(|q| *q == CallQuery::default()) {
            "← All calls"
        } else {
            "← Back to the list"
        }
    };
    view! {
        <p class="back"><a href=back>{back_label}</a></p>
        <Suspense fallback=|| view! { <p class="loading">"Loading call…"</p> }>
            {move || Suspend::new(async move {
                match call.await {
                    Ok(view) => view! { <CallDetailView view /> }.into_any(),
                    Err(error) => view! { <PageTitle text="Call not found" /> <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A labelled fact, left out when there is nothing to say.
fn fact(label: &'static str, value: Option<String>) -> Option<impl IntoView> {
    value.map(|value| view! { <dt>{label}</dt> <dd>{value}</dd> })
}

/// The readiness levels a call expects, in words.
fn maturity(call: &CallDetail) -> Option<String> {
    match (call.trl_min, call.trl_max) {
        (Some(min), Some(max)) if min == max => Some(format!("TRL {min}")),
        (Some(min), Some(max)) => Some(format!("TRL {min}–{max}")),
        (Some(min), None) => Some(format!("TRL {min} or higher")),
        (None, Some(max)) => Some(format!("up to TRL {max}")),
        (None, None) => None,
    }
}

/// The consortium a call asks for, in words.
fn consortium(call: &CallDetail) -> Option<String> {
    match (call.min_partners, call.min_countries) {
        (Some(p), Some(c)) => Some(format!("at least {p} partners from {c} countries")),
        (Some(p), None) => Some(format!("at least {p} partners")),
        (None, Some(c)) => Some(format!("partners from at least {c} countries")),
        (None, None) => None,
    }
}

/// The deadlines by stage, passed ones marked, or the rolling-call notice.
#[component]
fn DeadlineTable(deadlines: Vec<Deadline>, zone: Option<DeadlineZone>, now: DateTime<Utc>) -> impl IntoView {
    if deadlines.is_empty() {
        return view! { <p>"Rolling: applications are accepted until the funds are used."</p> }.into_any();
    }
    let rows = deadlines
        .into_iter()
        .map(|d| {
            let passed = d.at < now;
            view! {
                <tr class:passed=passed>
                    <td>{d.label.clone().unwrap_or_else(|| format!("Stage {}", d.stage))}</td>
                    <td><time datetime=d.at.to_rfc3339()>{zoned_date_time(d.at, zone)}</time></td>
                    <td>{relative_days(d.at, now)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="deadlines">
            <thead><tr><th scope="col">"Stage"</th><th scope="col">"Deadline"</th><th scope="col">"When"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// A call's page: badges, deadlines, key facts, description and the publisher's link.
#[component]
fn CallDetailView(view: CallView) -> impl IntoView {
    let CallView {
        call,
        now,
        region_names,
        description_html,
        changes,
        priorities,
    } = view;
    let summary = call.summary.clone();
    let (trl, consortium) = (maturity(&call), consortium(&call));
    let deadlines = view! { <DeadlineTable deadlines=call.deadlines.clone() zone=call.deadline_time_zone now /> };
    let applicants = (!call.applicant_kinds.is_empty()).then(|| {
        call.applicant_kinds
            .iter()
            .map(|kind| kind.label())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let documents: Vec<_> = call
        .documents
        .iter()
        .filter(|document| domain::sanitize::is_http_url(&document.url))
        .cloned()
        .collect();
    view! {
        <PageTitle text=summary.title.clone() />
        <article class="call-detail">
            <header>
                <CallBadges call=summary.clone() />
                <h1>{summary.title.clone()}</h1>
                <p class="call-meta">
                    <span class="call-id">{summary.external_id.clone()}</span>
                    {call.opening_at.map(|opening| view! { " · Opens " {date(opening)} })}
                    {call.url.clone().filter(|url| domain::sanitize::is_http_url(url)).map(|url| view! {
                        " · " <a href=url rel="noopener noreferrer" target="_blank">"Official page ↗"</a>
                    })}
                </p>
                <FollowCall external_id=summary.external_id.clone() />
            </header>
            <CallFitPanel external_id=summary.external_id.clone() />
            <ApplicantsPanel external_id=summary.external_id.clone() />
            {(!changes.is_empty()).then(|| view! {
                <section class="call-changes" aria-labelledby="changes-heading">
                    <h2 id="changes-heading">"Changed since publication"</h2>
                    <ul>
                        {changes.into_iter().map(|change| view! {
                            <li>
                                <strong>{format!("Changed on {}: ", date(change.at))}</strong>
                                {change.details.join("; ")}
                                {(!change.note.is_empty()).then(|| view! { <br /><span class="change-note">{change.note.clone()}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {(!priorities.is_empty()).then(|| view! {
                <section class="call-priorities" aria-labelledby="priorities-heading">
                    <h2 id="priorities-heading">"Regional smart-specialisation priorities it serves"</h2>
                    <ul>
                        {priorities.into_iter().map(|served| view! {
                            <li>
                                <strong>{served.title.clone()}</strong>
                                " — "
                                <a href=crate::pages::regions::region_path(&served.region)>{served.region_label.clone()}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section aria-labelledby="deadlines-heading">
                <h2 id="deadlines-heading">"Deadlines"</h2>
                {deadlines}
            </section>
            <section aria-labelledby="facts-heading">
                <h2 id="facts-heading">"Key facts"</h2>
                <dl class="facts">
                    {fact("Programme", Some(summary.programme.clone()))}
                    {fact("Programme part", summary.programme_part.clone())}
                    {fact("Call", call.call_identifier.clone().map(|id| match &call.call_title {
                        Some(title) => format!("{id} — {title}"),
                        None => id,
                    }))}
                    {fact("Publisher", Some(summary.publisher.clone()))}
                    {fact("Type of action", call.action_type.clone())}
                    {fact("Deadline model", call.deadline_model.clone())}
                    {fact("Opens", call.opening_at.map(date))}
                    {match call.local_amounts.clone() {
                        None => view! {
                            {fact("Per project", budget_range(summary.budget_min_eur, summary.budget_max_eur))}
                            {fact("Total budget", call.budget_total_eur.map(euros))}
                        }.into_any(),
                        Some(local) => view! {
                            {fact("Per project", match (local.min, local.max) {
                                (Some(min), Some(max)) => Some(format!("{} to {}", local.shown(min), local.shown(max))),
                                (None, Some(max)) => Some(format!("up to {}", local.shown(max))),
                                (Some(min), None) => Some(format!("from {}", local.shown(min))),
                                (None, None) => None,
                            })}
                            {fact("Total budget", local.total.map(|total| local.shown(total)))}
                            {fact("Exchange rate", Some(format!("{} {} per euro, as the funding body converts", local.rate(), local.currency)))}
                        }.into_any(),
                    }}
                    {fact("Expected projects", call.expected_grants.map(|n| n.to_string()))}
                    {fact("Funding rate", call.funding_rate_pct.map(|r| format!("{r}%")))}
                    {fact("Maturity", trl)}
                    {fact("Consortium", consortium)}
                    {fact("Who may apply", applicants)}
                    {fact("Eligible countries", (!call.eligible_countries.is_empty()).then(|| call.eligible_countries.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")))}
                    {fact("Eligible regions", (!call.eligible_regions.is_empty()).then(|| {
                        let labels: Vec<String> = call.eligible_regions.iter().map(|code| area_label(code.as_str(), &region_names)).collect();
                        labels.join(", ")
                    }))}
                    {fact("Keywords", (!call.keywords.is_empty()).then(|| call.keywords.join(", ")))}
                    {fact("Capabilities", (!call.domains.is_empty()).then(|| term_labels(CAPABILITY_TERMS, &call.domains)))}
                    {fact("NIS2 sectors", (!call.sectors.is_empty()).then(|| term_labels(SECTORS, &call.sectors)))}
                    {fact("Contact", call.contact.clone())}
                    {fact("Last updated", Some(date(call.updated_at)))}
                </dl>
            </section>
            {(!documents.is_empty()).then(|| view! {
                <section aria-labelledby="documents-heading">
                    <h2 id="documents-heading">"Documents"</h2>
                    <ul class="documents">
                        {documents.into_iter().map(|document| view! {
                            <li><a href=document.url rel="noopener noreferrer" target="_blank">{document.label}" ↗"</a></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section aria-labelledby="description-heading">
                <h2 id="description-heading">"Description"</h2>
                // Rendered and sanitised on the server (domain::markdown): no script, handler or
                // style survives, links only to http(s) and mail addresses.
                <div class="description" inner_html=description_html></div>
            </section>
            {call.url.clone().filter(|url| domain::sanitize::is_http_url(url)).map(|url| view! {
                <p><a class="button" href=url rel="noopener noreferrer" target="_blank">"Open on the publisher's site ↗"</a></p>
            })}
        </article>
    }
}
