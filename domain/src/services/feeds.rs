//! Feeds as use cases: a saved search read as an Atom feed and the deadlines of followed calls
//! read as a calendar. A feed reader or a calendar app cannot sign in, so each address carries
//! a signed token naming the person (and the search); the token only reads, and a deleted
//! search's feed is gone.

use super::digests::{call_line, organisation_line, saved_search_page};
use super::{AppState, ServiceError};
use crate::alerts::feeds::{calendar, AtomFeed, CalendarEvent, FeedEntry, FEED_ENTRIES};
use crate::alerts::links::{LinkSigner, MailLink};
use crate::alerts::{SavedSearch, SearchKind};
use crate::query::{call_path, organisation_path};
use crate::sanitize::MAX_PER_PAGE;
use std::collections::HashMap;

/// The person's feed addresses: each saved search's Atom feed, and their deadline calendar.
pub(super) async fn feed_addresses(
    state: &AppState,
    person_id: i64,
    searches: &[SavedSearch],
) -> Result<(Vec<(i64, String)>, String), ServiceError> {
    let signer = LinkSigner::new(&state.digests.link_key().await?);
    let public_url = &state.site.public_url;
    let feeds = searches
        .iter()
        .map(|search| {
            let link = MailLink::SearchFeed {
                person_id,
                search_id: search.id,
            };
            (search.id, signer.url(public_url, &link))
        })
        .collect();
    Ok((feeds, signer.url(public_url, &MailLink::DeadlineCalendar { person_id })))
}

/// What the feed token `token` stands for, when it is one of ours.
async fn verified(state: &AppState, token: &str) -> Result<(LinkSigner, MailLink), ServiceError> {
    let signer = LinkSigner::new(&state.digests.link_key().await?);
    let link = signer.verify(token).ok_or_else(|| {
        ServiceError::Invalid("This feed address is not valid: copy it again from your alerts page.".into())
    })?;
    Ok((signer, link))
}

/// The saved search the feed token `token` names, as an Atom feed: what it finds, newest on
/// Fundbridge first, at most [`FEED_ENTRIES`] (taken from its first [`MAX_PER_PAGE`] hits).
pub async fn search_feed(state: &AppState, token: &str) -> Result<String, ServiceError> {
    let (signer, link) = verified(state, token).await?;
    let MailLink::SearchFeed { person_id, search_id } = link else {
        return Err(ServiceError::Invalid("This address is not a search's feed.".into()));
    };
    let search = state
        .alerts
        .saved_searches(person_id)
        .await?
        .into_iter()
        .find(|search| search.id == search_id)
        .ok_or_else(|| ServiceError::NotFound("That saved search (it was deleted)".into()))?;
    let now = state.clock.now();
    let public_url = state.site.public_url.trim_end_matches('/');
    let (ids, _) = saved_search_page(
        state.call_index.as_ref(),
        state.organisation_index.as_ref(),
        &search,
        1,
        MAX_PER_PAGE,
        now,
    )
    .await?;
    let listed: HashMap<String, _> = state.digests.listed_at(search.kind, &ids).await?.into_iter().collect();
    let entry = |id: &str, path: String, title: String, summary: String| {
        Some(FeedEntry {
            updated: *listed.get(id)?,
            url: format!("{public_url}{path}"),
            title,
            summary,
        })
    };
    let mut entries: Vec<FeedEntry> = match search.kind {
        SearchKind::Calls => state
            .calls
            .call_summaries(&ids, now)
            .await?
            .into_iter()
            .filter_map(|summary| {
                let line = call_line(&summary);
                entry(
                    &summary.external_id,
                    call_path(&summary.external_id),
                    summary.title,
                    line,
                )
            })
            .collect(),
        SearchKind::Organisations => state
            .directory
            .organisation_details(&ids)
            .await?
            .into_iter()
            .filter_map(|detail| {
                let organisation = detail.organisation;
                let line = organisation_line(&organisation);
                let path = organisation_path(&organisation.external_id);
                entry(&organisation.external_id, path, organisation.name, line)
            })
            .collect(),
    };
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    let feed = AtomFeed {
        self_url: signer.url(public_url, &MailLink::SearchFeed { person_id, search_id }),
        page_url: format!("{public_url}{}", search.href()),
        title: format!("Fundbridge: {}", search.title),
        updated: entries.first().map_or(now, |entry| entry.updated),
        entries,
    };
    Ok(feed.to_xml())
}

/// The deadlines of the calls the person of the calendar token `token` follows, as an
/// iCalendar file (every deadline of each, past ones included, with alarms before).
pub async fn deadline_calendar(state: &AppState, token: &str) -> Result<String, ServiceError> {
    let (_, link) = verified(state, token).await?;
    let MailLink::DeadlineCalendar { person_id } = link else {
        return Err(ServiceError::Invalid("This address is not a deadline calendar.".into()));
    };
    let now = state.clock.now();
    let followed: Vec<String> = state
        .alerts
        .followed_calls(person_id, now)
        .await?
        .into_iter()
        .map(|followed| followed.external_id)
        .collect();
    let public_url = state.site.public_url.trim_end_matches('/');
    let mut events = Vec::new();
    for call in state.calls.call_details(&followed, now).await? {
        let summary = &call.summary;
        for deadline in &call.deadlines {
            let stage = deadline.label.clone().unwrap_or_else(|| "Deadline".to_owned());
            events.push(CalendarEvent {
                uid: format!("{}-{}@{}", summary.external_id, deadline.stage, state.site.mail_domain),
                summary: format!("Deadline: {}", summary.title),
                at: deadline.at,
                url: format!("{public_url}{}", call_path(&summary.external_id)),
                description: format!("{stage}\n{}\n{}", summary.programme, summary.external_id),
            });
        }
    }
    events.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.uid.cmp(&b.uid)));
    Ok(calendar("Fundbridge: calls I follow", &events, now))
}
