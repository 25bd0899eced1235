//! "My matches" (`/matches`): the calls that fit one of the viewer's organisations, best
//! first, each with the parts of its score and the reasons for them; the calls something
//! excludes, with what excludes them; and the calls marked not relevant (a mark taken back
//! here). The call's page shows the same fit (see [`CallFitPanel`]).

use crate::api::consortia::consortium_for_call;
use crate::api::matching::{
    call_fits, call_partners, mark_not_relevant, organisation_matches, possible_applicants, MatchQuery, MatchesView,
    PartnersView,
};
use crate::components::call_card::CallCard;
use crate::components::error_notice::{inline_alert, log_in_first, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::components::pager::Pager;
use crate::error::AppError;
use crate::hooks::use_match_query;
use crate::pages::consortia::{Builder, ConsortiumBuilder};
use domain::call::{CallStatus, InstrumentKind};
use domain::matching::{CallMatch, MatchShow, MatchSort, MATCHES_PER_PAGE};
use leptos::prelude::*;

/// The page.
#[component]
pub fn MatchesPage() -> impl IntoView {
    let query = use_match_query();
    let changes = RwSignal::new(0_u32);
    let view = Resource::new(
        move || (query.get(), changes.get()),
        |(query, _)| organisation_matches(query),
    );
    view! {
        <PageTitle text="My matches" />
        <section class="matches-page">
            <h1>"My matches"</h1>
            <Transition fallback=|| view! { <p class="loading">"Matching…"</p> }>
                {move || view.get().map(|result| match result {
                    Ok(matches) => view! { <Matches matches changes /> }.into_any(),
                    Err(AppError::Unauthenticated) => log_in_first("see the calls that fit your organisation"),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// `query` changed by `change`, on its first page.
fn href_with(query: &MatchQuery, change: impl FnOnce(&mut MatchQuery)) -> String {
    let mut query = query.clone();
    change(&mut query);
    query.href(1)
}

#[component]
fn Matches(matches: MatchesView, changes: RwSignal<u32>) -> impl IntoView {
    let MatchesView {
        organisation_id,
        organisation_name,
        organisations,
        completeness,
        query,
        matches,
        total,
        counts,
        now,
    } = matches;
    let count_of = |show: MatchShow| match show {
        MatchShow::Open => counts.open,
        MatchShow::Blocked => counts.blocked,
        MatchShow::NotRelevant => counts.not_relevant,
    };
    let tabs = MatchShow::ALL
        .into_iter()
        .map(|show| {
            let href = href_with(&query, |q| q.show = show);
            let current = (show == query.show).then_some("page");
            view! { <a href=href aria-current=current>{format!("{} ({})", show.label(), count_of(show))}</a> }
        })
        .collect_view();
    let switcher = (organisations.len() > 1).then(|| {
        let links = organisations
            .iter()
            .map(|(id, name)| {
                let href = href_with(&query, |q| q.organisation = id.clone());
                let current = (*id == organisation_id).then_some("page");
                view! { <a href=href aria-current=current>{name.clone()}</a> " " }
            })
            .collect_view();
        view! { <p class="organisation-switch">"For: " {links}</p> }
    });
    let page_count = u32::try_from(total.div_ceil(MATCHES_PER_PAGE as usize))
        .unwrap_or(u32::MAX)
        .max(1);
    let empty = match query.show {
        MatchShow::Open => {
            "No open or forthcoming call fits this profile with these filters. Excluded calls say why in the next tab."
        }
        MatchShow::Blocked => "Nothing excludes the open and forthcoming calls for this organisation.",
        MatchShow::NotRelevant => "No call is marked not relevant.",
    };
    let profile_href = format!("/organisations/{}/profile", organisation_id);
    let confidence = format!(
        "Confidence {}%: the profile of {organisation_name} is {}% complete.",
        completeness.percent, completeness.percent
    );
    let missing = completeness.missing.first().map(|part| {
        view! { <span>" " {part.why.clone()} " " <a href=profile_href.clone()>"Complete the profile"</a> "."</span> }
    });
    view! {
        <p class="lede">{format!("Calls for {organisation_name}, ranked by how well they fit its profile. Each score adds up the parts shown under the call.")}</p>
        {switcher}
        <p class="confidence">{confidence} {missing}</p>
        <nav class="match-tabs" aria-label="Lists">{tabs}</nav>
        <MatchFilters query=query.clone() />
        {if matches.is_empty() {
            view! { <p class="empty-state">{empty}</p> }.into_any()
        } else {
            let organisation = organisation_id.clone();
            view! {
                <ol class="call-list match-list">
                    {matches.into_iter().map(|found| view! {
                        <MatchCard found now organisation=organisation.clone() changes />
                    }).collect_view()}
                </ol>
                <Pager page=query.page page_count href=Callback::new(move |n| query.href(n)) />
            }.into_any()
        }}
    }
}

/// Kind, status and order of the list, as links (the page works without script).
#[component]
fn MatchFilters(query: MatchQuery) -> impl IntoView {
    let kinds = [
        None,
        Some(InstrumentKind::Grant),
        Some(InstrumentKind::Equity),
        Some(InstrumentKind::Loan),
    ]
    .into_iter()
    .map(|kind| {
        let href = href_with(&query, |q| q.kind = kind);
        let current = (query.kind == kind).then_some("page");
        let label = kind.map_or("Any funding", InstrumentKind::label);
        view! { <a href=href aria-current=current>{label}</a> " " }
    })
    .collect_view();
    let statuses = [None, Some(CallStatus::Open), Some(CallStatus::Forthcoming)]
        .into_iter()
        .map(|status| {
            let href = href_with(&query, |q| q.status = status);
            let current = (query.status == status).then_some("page");
            let label = status.map_or("Open or forthcoming", CallStatus::label);
            view! { <a href=href aria-current=current>{label}</a> " " }
        })
        .collect_view();
    let sorts = MatchSort::ALL
        .into_iter()
        .map(|sort| {
            let href = href_with(&query, |q| q.sort = sort);
            let current = (query.sort == sort).then_some("page");
            view! { <a href=href aria-current=current>{sort.label()}</a> " " }
        })
        .collect_view();
    view! {
        <div class="match-filters">
            <p>"Funding: " {kinds}</p>
            <p>"Status: " {statuses}</p>
            <p>"Order: " {sorts}</p>
        </div>
    }
}

/// One match: the call's card, its score, blockers and reasons, and the "not relevant" mark.
#[component]
fn MatchCard(
    found: CallMatch,
    now: chrono::DateTime<chrono::Utc>,
    organisation: String,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let call_id = found.call.external_id.clone();
    let dismissed = found.dismissed;
    let mark = Action::new(move |input: &(String, String, bool)| {
        let (organisation, call, not_relevant) = input.clone();
        async move {
            let result = mark_not_relevant(organisation, call, not_relevant).await;
            if result.is_ok() {
                changes.update(|n| *n += 1);
            }
            result
        }
    });
    let button = if dismissed {
        "Relevant after all"
    } else {
        "Not relevant"
    };
    view! {
        <CallCard call=found.call.clone() now hit=None list_query=String::new()>
            <MatchReasons found=found.clone() />
            <p class="match-actions">
                <button type="button" class="secondary"
                    on:click=move |_| { mark.dispatch((organisation.clone(), call_id.clone(), !dismissed)); }>
                    {button}
                </button>
                {move || mark.value().get().and_then(Result::err).map(inline_alert)}
            </p>
        </CallCard>
    }
}

/// A match's score, what excludes it and the reasons for each part.
#[component]
pub fn MatchReasons(
    /// The match.
    found: CallMatch,
) -> impl IntoView {
    let blockers = (!found.blockers.is_empty()).then(|| {
        view! {
            <ul class="match-blockers">
                {found.blockers.iter().map(|b| view! { <li><strong>"Excluded: "</strong>{b.reason.clone()}</li> }).collect_view()}
            </ul>
        }
    });
    view! {
        <div class="match-reasons">
            <p class="match-score"><strong>{format!("Fit {} / 100", found.score)}</strong></p>
            {blockers}
            <ul class="match-parts">
                {found.parts.iter().map(|part| {
                    let points = if part.points > 0 { format!("+{}", part.points) } else { part.points.to_string() };
                    view! {
                        <li class:earned=part.points != 0>
                            <span class="points">{points}</span> " "
                            <span class="part">{part.kind.label()}</span> ": "
                            {part.reason.clone()}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// How the call in view fits each of the viewer's organisations (nothing for visitors).
#[component]
pub fn CallFitPanel(
    /// The call's identifier.
    external_id: String,
) -> impl IntoView {
    let partners_for = external_id.clone();
    let fits = Resource::new(move || external_id.clone(), call_fits);
    view! {
        <Transition fallback=|| ()>
            {move || fits.get().and_then(Result::ok).filter(|fits| !fits.is_empty()).map(|fits| view! {
                <section class="call-fit" aria-labelledby="call-fit-heading">
                    <h2 id="call-fit-heading">"How it fits you"</h2>
                    {fits.into_iter().map(|fit| {
                        let more = MatchQuery { organisation: fit.organisation_id.clone(), ..MatchQuery::default() }.href(1);
                        view! {
                            <h3>{fit.organisation_name.clone()}</h3>
                            <MatchReasons found=fit.fit />
                            <p class="muted">{format!("Confidence {}% (profile completeness). ", fit.confidence)}
                                <a href=more>"All matches for this organisation"</a></p>
                        }
                    }).collect_view()}
                </section>
            })}
        </Transition>
        <PartnersPanel external_id=partners_for />
    }
}

/// Partners for the call in view and the viewer's first organisation, and the consortium it
/// builds from them (nothing for visitors).
#[component]
fn PartnersPanel(external_id: String) -> impl IntoView {
    let call_id = external_id.clone();
    let consortium_call = external_id.clone();
    let partners = Resource::new(move || external_id.clone(), |id| call_partners(id, String::new()));
    let stored = Resource::new(
        move || consortium_call.clone(),
        |id| consortium_for_call(id, String::new()),
    );
    let builder = Builder::new(Signal::derive(move || stored.get().and_then(Result::ok).flatten()));
    view! {
        <Transition fallback=|| ()>
            {move || partners.get().and_then(Result::ok).flatten().map(|view| {
                view! { <Partners view call_id=call_id.clone() builder /> }
            })}
            <ConsortiumBuilder builder />
        </Transition>
    }
}

#[component]
fn Partners(view: PartnersView, call_id: String, builder: Builder) -> impl IntoView {
    let PartnersView {
        organisation_name,
        missing,
        partners,
        ..
    } = view;
    let lede = if missing.is_empty() {
        format!("{organisation_name} has every capability the call names; these partners serve its sectors.")
    } else {
        format!(
            "The call names {} — {organisation_name}'s profile lacks {}.",
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        )
    };
    view! {
        <section class="call-partners" aria-labelledby="partners-heading">
            <h2 id="partners-heading">"Partners who complete your consortium"</h2>
            <p class="muted">{lede}</p>
            {if partners.is_empty() {
                view! { <p class="empty-state">"No organisation in the directory brings what is missing yet. "
                    <a href="/organisations">"Search the directory"</a> "."</p> }.into_any()
            } else {
                view! {
                    <ol class="partner-list">
                        {partners.into_iter().map(|partner| {
                            let organisation = partner.organisation.organisation;
                            let page = crate::pages::organisation::organisation_path(&organisation.external_id);
                            let contact = format!("{page}/contact?call={}", domain::query::percent_encode(&call_id));
                            let id = organisation.external_id.clone();
                            let held = {
                                let id = id.clone();
                                Signal::derive(move || builder.holds(&id))
                            };
                            view! {
                                <li class="partner-card">
                                    <h3><a href=page>{organisation.name.clone()}</a></h3>
                                    <p class="muted">{format!("{} · {} · fit {} / 100",
                                        organisation.kind.label(), domain::geo::country_label(organisation.country.as_str()), partner.score)}</p>
                                    <ul class="match-parts">
                                        {partner.reasons.into_iter().map(|reason| view! {
                                            <li class="earned"><span class="points">{format!("+{}", reason.points)}</span> " " {reason.reason}</li>
                                        }).collect_view()}
                                    </ul>
                                    <p><a href=contact>"Write to them about this call"</a> " "
                                        <button type="button" class="secondary" disabled=held
                                            on:click=move |_| builder.add(id.clone())>
                                            {move || if held.get() { "In your consortium" } else { "Add to consortium" }}
                                        </button>
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// For the funding body of the call in view: the organisations that could apply, by fit
/// (nothing for anyone else).
#[component]
pub fn ApplicantsPanel(
    /// The call's identifier.
    external_id: String,
) -> impl IntoView {
    let applicants = Resource::new(move || external_id.clone(), possible_applicants);
    view! {
        <Transition fallback=|| ()>
            {move || applicants.get().and_then(Result::ok).flatten().map(|applicants| view! {
                <section class="call-applicants" aria-labelledby="applicants-heading">
                    <h2 id="applicants-heading">"Organisations that could apply"</h2>
                    <p class="muted">"Shown to your funding body only: organisations of the directory that nothing excludes, by fit, as their profiles let you see them."</p>
                    {if applicants.is_empty() {
                        view! { <p class="empty-state">"No organisation of the directory fits this call yet."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="partner-list">
                                {applicants.into_iter().map(|applicant| {
                                    let organisation = applicant.organisation.organisation;
                                    let page = crate::pages::organisation::organisation_path(&organisation.external_id);
                                    let reasons: Vec<String> = applicant.fit.parts.iter()
                                        .filter(|part| part.points > 0)
                                        .take(3)
                                        .map(|part| part.reason.clone())
                                        .collect();
                                    view! {
                                        <li class="partner-card">
                                            <h3><a href=page>{organisation.name.clone()}</a></h3>
                                            <p class="muted">{format!("{} · {} · fit {} / 100", organisation.kind.label(),
                                                domain::geo::country_label(organisation.country.as_str()), applicant.fit.score)}</p>
                                            <ul class="match-parts">
                                                {reasons.into_iter().map(|reason| view! { <li class="earned">{reason}</li> }).collect_view()}
                                            </ul>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </section>
            })}
        </Transition>
    }
}
