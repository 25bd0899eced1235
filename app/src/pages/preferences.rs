//! "Your alerts" (`/preferences`): the person's digest time (weekday, hour, time zone) and
//! every search they saved, each with a switch for how often it mails them and the sentence
//! saying what that means, a link that runs it, and a delete button; and the calls they
//! follow, soonest deadline first, each with an unfollow button.

use crate::api::alerts::{
    delete_saved_search, my_preferences, resume_alert_mail, set_digest_schedule, set_search_frequency,
    set_top_matches_alert, unfollow_call, DigestSchedule, FollowedCall, Frequency, OrganisationAlert, Preferences,
    SavedSearch, SearchKind,
};
use crate::components::error_notice::{inline_alert, log_in_first, ErrorNotice};
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::format::{call_path, date};
use crate::pages::publishing::editor::FieldMessage;
use domain::alerts::{TIME_ZONES, WEEKDAYS};
use domain::publishing::FieldError;
use leptos::prelude::*;

/// The preferences page.
#[component]
pub fn PreferencesPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| my_preferences());
    view! {
        <PageTitle text="Your alerts" />
        <section class="preferences-page">
            <h1>"Your alerts"</h1>
            <p class="lede">"What Fundbridge mails you, and when. One digest a week at most, and none in a week with nothing new."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || loaded.get().map(|result| match result {
                    Ok(preferences) => view! { <PreferencesForm preferences /> }.into_any(),
                    Err(AppError::Unauthenticated) => log_in_first("see and change your alerts"),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The digest time and the saved searches, each change saved at once.
#[component]
fn PreferencesForm(preferences: Preferences) -> impl IntoView {
    let schedule = RwSignal::new(preferences.schedule.clone());
    let searches = RwSignal::new(preferences.searches);
    let follows = RwSignal::new(preferences.follows);
    let feed_urls = StoredValue::new(preferences.feed_urls);
    let feed_url = move |id: i64| {
        feed_urls.with_value(|urls| {
            urls.iter()
                .find(|(search, _)| *search == id)
                .map(|(_, url)| url.clone())
        })
    };
    let calendar_url = preferences.calendar_url;
    view! {
        {preferences.mail_stopped.then(|| view! { <MailStopped /> })}
        <ScheduleForm saved=schedule />
        {(!preferences.organisation_alerts.is_empty()).then(|| view! {
            <section class="organisation-alerts" aria-labelledby="organisation-alerts-heading">
                <h2 id="organisation-alerts-heading">"Your organisations"</h2>
                <ul class="organisation-alert-list">
                    {preferences.organisation_alerts.into_iter().map(|alert| view! { <OrganisationAlertRow alert /> }).collect_view()}
                </ul>
            </section>
        })}
        <section class="saved-searches" aria-labelledby="saved-searches-heading">
            <h2 id="saved-searches-heading">"Saved searches"</h2>
            {move || if searches.with(Vec::is_empty) {
                view! {
                    <p class="empty-state">"No saved search yet. Search "
                        <a href="/calls">"the calls"</a> " or " <a href="/organisations">"the partner directory"</a>
                        " and press “Save this search”."</p>
                }.into_any()
            } else {
                view! {
                    <ul class="saved-search-list">
                        <For each=move || searches.get() key=|search| search.id let:search>
                            <SavedSearchRow feed_url=feed_url(search.id) search schedule searches />
                        </For>
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="followed-calls" aria-labelledby="followed-calls-heading">
            <h2 id="followed-calls-heading">"Calls you follow"</h2>
            <p class="muted">"A mail when a call you follow changes its deadlines, budget, eligibility or status, and 14 and 3 days before each deadline."</p>
            <p class="feed-address">
                <label for="calendar-address">"Prefer a calendar? Subscribe to this address in your calendar app: the deadlines of the calls you follow, kept up to date."</label>
                <input id="calendar-address" type="text" readonly value=calendar_url.clone() />
                <a href=calendar_url>"Download the calendar (.ics)"</a>
            </p>
            {move || if follows.with(Vec::is_empty) {
                view! {
                    <p class="empty-state">"You follow no call yet. Open a call and press “Follow this call”."</p>
                }.into_any()
            } else {
                view! {
                    <ul class="followed-call-list">
                        <For each=move || follows.get() key=|followed| followed.external_id.clone() let:followed>
                            <FollowedCallRow followed follows />
                        </For>
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// One of the person's organisations, with the switch for its new top matches.
#[component]
fn OrganisationAlertRow(alert: OrganisationAlert) -> impl IntoView {
    let on = RwSignal::new(alert.top_matches);
    let organisation_id = StoredValue::new(alert.organisation_id.clone());
    let switch = Action::new(move |wanted: &bool| set_top_matches_alert(organisation_id.get_value(), *wanted));
    let input_id = format!("top-matches-{}", alert.organisation_id);
    view! {
        <li class="organisation-alert">
            <input type="checkbox" id=input_id.clone() prop:checked=move || on.get()
                on:change=move |event| {
                    let wanted = event_target_checked(&event);
                    on.set(wanted);
                    switch.dispatch(wanted);
                } />
            <label for=input_id>
                {format!("New top matches for {} in my weekly digest", alert.organisation_name)}
            </label>
            <p class="muted">"New calls that fit its profile best, with the matcher's reasons; calls marked not relevant are left out."</p>
            {move || switch.value().get().and_then(Result::err).map(|error| view! { <p class="field-error" role="alert">{error.to_string()}</p> })}
        </li>
    }
}

/// One followed call: its link, its next deadline and an unfollow button.
#[component]
fn FollowedCallRow(followed: FollowedCall, follows: RwSignal<Vec<FollowedCall>>) -> impl IntoView {
    let id = StoredValue::new(followed.external_id.clone());
    let unfollow = Action::new(move |_: &()| unfollow_call(id.get_value()));
    Effect::new(move |_| {
        if let Some(Ok(())) = unfollow.value().get() {
            follows.update(|list| list.retain(|f| f.external_id != id.get_value()));
        }
    });
    view! {
        <li class="followed-call">
            <a href=call_path(&followed.external_id)>{followed.title.clone()}</a>
            <span class="muted">
                {match followed.next_deadline {
                    Some(deadline) => format!(" · next deadline {}", date(deadline)),
                    None => " · no deadline to come".to_owned(),
                }}
            </span>
            " "
            <button type="button" class="button" disabled=move || unfollow.pending().get()
                on:click=move |_| { unfollow.dispatch(()); }>
                "Unfollow"
            </button>
            {move || unfollow.value().get().and_then(Result::err).map(|error| view! { <p class="field-error" role="alert">{error.to_string()}</p> })}
        </li>
    }
}

/// Says that the person unsubscribed from all alert mail (from a mail's link), with a button
/// that resumes it.
#[component]
fn MailStopped() -> impl IntoView {
    let resume = Action::new(|_: &()| resume_alert_mail());
    view! {
        <div class="mail-stopped" role="status">
            {move || match resume.value().get() {
                Some(Ok(())) => view! { <p>"Alert mail is back on: your saved searches mail you as set below."</p> }.into_any(),
                other => view! {
                    <p>"You unsubscribed from all alert mail: no digest or alert is sent, whatever is set below."</p>
                    <button class="button primary" type="button" on:click=move |_| { resume.dispatch(()); }
                        disabled=move || resume.pending().get()>"Resume alert mail"</button>
                    {other.and_then(Result::err).map(inline_alert)}
                }.into_any(),
            }}
        </div>
    }
}

/// The weekday, hour and time zone of the digest, with a save button.
#[component]
fn ScheduleForm(saved: RwSignal<DigestSchedule>) -> impl IntoView {
    let form = RwSignal::new(saved.get_untracked());
    let save = Action::new(move |schedule: &DigestSchedule| set_digest_schedule(schedule.clone()));
    Effect::new(move |_| {
        if let Some(Ok(schedule)) = save.value().get() {
            saved.set(schedule);
        }
    });
    let errors = Signal::derive(move || match save.value().get() {
        Some(Err(AppError::InvalidFields(errors))) => errors,
        _ => Vec::<FieldError>::new(),
    });
    let mut zones: Vec<String> = TIME_ZONES.iter().map(|zone| (*zone).to_owned()).collect();
    let current = form.with_untracked(|f| f.time_zone.clone());
    if !zones.contains(&current) {
        zones.insert(0, current);
    }
    view! {
        <form class="digest-schedule" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            save.dispatch(form.get_untracked());
        }>
            <fieldset class="group">
                <legend>"Your weekly digest"</legend>
                <label class="field" for="digest_weekday">
                    <span>"Day"</span>
                    <select id="digest_weekday" prop:value=move || form.with(|f| f.weekday.to_string())
                        on:change=move |event| form.update(|f| f.weekday = event_target_value(&event).parse().unwrap_or(0))>
                        {WEEKDAYS.iter().enumerate().map(|(index, day)| view! { <option value=(index + 1).to_string()>{*day}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="weekday".to_owned() />
                </label>
                <label class="field" for="digest_hour">
                    <span>"Around"</span>
                    <select id="digest_hour" prop:value=move || form.with(|f| f.hour.to_string())
                        on:change=move |event| form.update(|f| f.hour = event_target_value(&event).parse().unwrap_or(99))>
                        {(0..24).map(|hour| view! { <option value=hour.to_string()>{format!("{hour:02}:00")}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="hour".to_owned() />
                </label>
                <label class="field" for="digest_time_zone">
                    <span>"Time zone"</span>
                    <select id="digest_time_zone" prop:value=move || form.with(|f| f.time_zone.clone())
                        on:change=move |event| form.update(|f| f.time_zone = event_target_value(&event))>
                        {zones.into_iter().map(|zone| view! { <option value=zone.clone()>{zone.replace('_', " ")}</option> }).collect_view()}
                    </select>
                    <FieldMessage errors field="time_zone".to_owned() />
                </label>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>"Save the digest time"</button>
                <p class="muted" aria-live="polite">
                    {move || saved.with(|s| format!("Your digest comes every {} around {:02}:00 {}.", s.weekday_name(), s.hour, s.time_zone))}
                </p>
            </fieldset>
        </form>
    }
}

/// One saved search: its link, its switch with the sentence, and delete.
#[component]
fn SavedSearchRow(
    search: SavedSearch,
    feed_url: Option<String>,
    schedule: RwSignal<DigestSchedule>,
    searches: RwSignal<Vec<SavedSearch>>,
) -> impl IntoView {
    let id = search.id;
    let chosen = RwSignal::new(search.frequency);
    let switch = Action::new(move |frequency: &Frequency| set_search_frequency(id, *frequency));
    let delete = Action::new(move |_: &()| delete_saved_search(id));
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            searches.update(|list| list.retain(|s| s.id != id));
        }
    });
    let group = format!("frequency-{id}");
    let what = match search.kind {
        SearchKind::Calls => "Calls",
        SearchKind::Organisations => "Partners",
    };
    let sentence = {
        let search = search.clone();
        move || schedule.with(|schedule| search.sentence(chosen.get(), schedule))
    };
    let failed = move || {
        let switch_failed = switch.value().get().and_then(Result::err);
        switch_failed.or_else(|| delete.value().get().and_then(Result::err))
    };
    view! {
        <li class="saved-search">
            <h3><span class="tag">{what}</span> " " <a href=search.href()>{search.title.clone()}</a></h3>
            <fieldset class="frequency-switch">
                <legend class="visually-hidden">{format!("How often “{}” mails you", search.title)}</legend>
                {Frequency::ALL.into_iter().map(|frequency| {
                    let input_id = format!("{group}-{}", frequency.as_str());
                    view! {
                        <input type="radio" id=input_id.clone() name=group.clone() value=frequency.as_str()
                            prop:checked=move || chosen.get() == frequency
                            on:change=move |_| { chosen.set(frequency); switch.dispatch(frequency); } />
                        <label for=input_id>{frequency.label()}</label>
                    }
                }).collect_view()}
            </fieldset>
            <p class="frequency-sentence" aria-live="polite">{sentence}</p>
            <button type="button" class="button danger" disabled=move || delete.pending().get()
                on:click=move |_| { delete.dispatch(()); }>
                "Delete"
            </button>
            {feed_url.map(|url| view! {
                " " <a class="feed-link" href=url title="For a feed reader: no sign-in needed, keep the address to yourself">"Atom feed"</a>
            })}
            {move || failed().map(|error| view! { <p class="field-error" role="alert">{error.to_string()}</p> })}
        </li>
    }
}
