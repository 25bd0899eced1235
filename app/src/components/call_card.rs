//! One call in a list.

use crate::components::marked::Marked;
use crate::components::status_badge::CallBadges;
use crate::format::{budget_range, call_path, date, relative_days};
use chrono::{DateTime, Utc};
use domain::{CallSummary, SearchHit};
use leptos::prelude::*;

/// A call's title, identifiers, status, next deadline and budget.
#[component]
pub fn CallCard(
    /// The call.
    call: CallSummary,
    /// The instant "in N days" counts from.
    now: DateTime<Utc>,
    /// The words a search matched in it, if this list is a search.
    hit: Option<SearchHit>,
    /// The list's own query string (`?q=…`), carried to the call page for its way back.
    list_query: String,
    /// What a list adds under the call's facts (a match's reasons).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let href = format!("{}{list_query}", call_path(&call.external_id));
    let deadline = match &call.next_deadline {
        Some(deadline) => {
            let stages = if call.deadline_count > 1 {
                format!(" · {} of {} stages", deadline.stage, call.deadline_count)
            } else {
                String::new()
            };
            format!(
                "Deadline {} ({}){stages}",
                date(deadline.at),
                relative_days(deadline.at, now)
            )
        }
        None if call.deadline_count == 0 => "Rolling: no deadline".to_owned(),
        None => "All deadlines passed".to_owned(),
    };
    let budget = budget_range(call.budget_min_eur, call.budget_max_eur).map(|b| format!("{b} per project"));
    let programme = match &call.programme_part {
        Some(part) => format!("{} · {part}", call.programme),
        None => call.programme.clone(),
    };
    view! {
        <li class="call-card" data-call-id=call.external_id.clone()>
            <CallBadges call=call.clone() />
            <h3 class="call-title">
                <a href=href>
                    {match &hit {
                        Some(hit) => view! { <Marked text=hit.title.clone() /> }.into_any(),
                        None => call.title.clone().into_any(),
                    }}
                </a>
            </h3>
            <p class="call-meta">
                <span class="call-id">{call.external_id.clone()}</span>
                " · "
                <span>{programme}</span>
                " · "
                <span>{call.publisher.clone()}</span>
            </p>
            {hit
                .filter(|hit| !hit.snippet.ranges.is_empty())
                .map(|hit| view! { <p class="snippet"><Marked text=hit.snippet /></p> })}
            <p class="call-facts">
                <span class="deadline">{deadline}</span>
                {budget.map(|b| view! { <span class="budget">{b}</span> })}
            </p>
            {children.map(|children| children())}
        </li>
    }
}
