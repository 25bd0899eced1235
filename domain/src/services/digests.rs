//! The digests as a batch job, and the links in them. [`compose_due`] runs over every person
//! with saved searches that mail: for each frequency whose period is due (the weekly digest
//! at their weekday and hour, daily mail at their hour, instant mail each minute) it finds
//! what is new for each search since the last mail they received, and records the period —
//! with its mail when something is new, never an empty one — in batches whose transactions
//! claim the period and queue the mail together. "What is new" runs each distinct saved
//! query through an in-memory index of just the calls and organisations listed since the
//! earliest cut-off: the same search engine and rules as the lists, over a few hundred
//! documents instead of the catalogue.
//!
//! The links in the mail act without signing in ([`apply_mail_link`]): unsubscribe from all
//! alert mail (also the one-click `List-Unsubscribe` POST), mute a call, stop a search; each
//! is undone from its confirmation page.

use super::{AppState, ServiceError};
use crate::alerts::digest::{first_lookback, Digest, DigestItem, DigestSection, CLOSING_SOON, LONGEST_LOOKBACK};
use crate::alerts::follows::deadline_words;
use crate::alerts::links::{LinkSigner, MailLink};
use crate::alerts::schedule::due_period;
use crate::alerts::{Frequency, MailChannel, MailLinkOutcome, SavedSearch, SearchKind};
use crate::organisation_query::OrganisationQuery;
use crate::query::{call_path, organisation_path, query_pairs, CallQuery};
use crate::search::embedded::EmbeddedIndex;
use crate::search::{CallDocument, CallIndex, IndexChange, OrganisationDocument, OrganisationIndex, SearchRequest};
use crate::store::{DigestRecord, OutgoingMail, StoreError, Subscriber};
use chrono::{DateTime, Utc};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// Periods recorded per transaction.
pub(super) const BATCH: usize = 500;
/// Ids read per store call and hits read per search page.
const CHUNK: usize = 500;

/// How a run is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestOptions {
    /// Compose and report, record nothing.
    pub dry_run: bool,
    /// Only the person with this address.
    pub person: Option<String>,
    /// Compose periods whose hour has not come yet (still once per period).
    pub at_once: bool,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestRun {
    /// People with saved searches that mail, and followers of calls with news.
    pub subscribers: usize,
    /// Periods due (person × frequency; a follower with news).
    pub due: usize,
    /// Mails queued (composed, for a dry run).
    pub queued: usize,
    /// Due periods with nothing new: no mail.
    pub nothing_new: usize,
    /// Periods another run had recorded already.
    pub taken: usize,
    /// The mails a dry run would queue.
    pub previews: Vec<OutgoingMail>,
}

/// A person's period that is due, with each search's and organisation's cut-off: newer than
/// it is new.
struct DuePeriod<'a> {
    subscriber: &'a Subscriber,
    frequency: Frequency,
    period: String,
    searches: Vec<(&'a SavedSearch, DateTime<Utc>)>,
    /// Organisations whose new top matches the (weekly) digest carries.
    organisations: Vec<(&'a str, DateTime<Utc>)>,
}

/// The least score of 100 a new call needs to be one of an organisation's top matches in a
/// digest: well past a passing likeness of words.
pub const TOP_MATCH_MIN_SCORE: i32 = 40;

/// The periods due at `now` among `subscribers`, each search with its cut-off: the last mail's
/// cover, else a period before it was saved — never further back than [`LONGEST_LOOKBACK`].
fn due_periods(subscribers: &[Subscriber], now: DateTime<Utc>, at_once: bool) -> Vec<DuePeriod<'_>> {
    let mut due = Vec::new();
    for subscriber in subscribers {
        let zone = subscriber.schedule.zone().unwrap_or(chrono_tz::Europe::Brussels);
        for frequency in [Frequency::Weekly, Frequency::Daily, Frequency::Instant] {
            // Organisations' top matches come with the weekly digest.
            let organisations: Vec<(&str, DateTime<Utc>)> = if frequency == Frequency::Weekly {
                subscriber
                    .organisations
                    .iter()
                    .map(|(id, opted_at)| (id.as_str(), *opted_at))
                    .collect()
            } else {
                Vec::new()
            };
            let Some(subscribed_at) = subscriber
                .searches
                .iter()
                .filter(|s| s.search.frequency == frequency)
                .map(|s| s.saved_at)
                .chain(organisations.iter().map(|(_, opted_at)| *opted_at))
                .min()
            else {
                continue;
            };
            let mark = subscriber
                .marks
                .iter()
                .find(|mark| mark.channel == MailChannel::Searches(frequency));
            let last_period = mark.map(|mark| mark.period.as_str());
            let schedule = &subscriber.schedule;
            let Some(period) = due_period(frequency, schedule, zone, now, subscribed_at, last_period, at_once) else {
                continue;
            };
            let covered = mark.and_then(|mark| mark.covered_until);
            let cut_off = |saved_at: DateTime<Utc>| {
                let since = (saved_at - first_lookback(frequency)).max(now - LONGEST_LOOKBACK);
                covered.map_or(since, |covered| covered.max(since))
            };
            let searches = subscriber
                .searches
                .iter()
                .filter(|s| s.search.frequency == frequency)
                .map(|s| (&s.search, cut_off(s.saved_at)))
                .collect();
            due.push(DuePeriod {
                subscriber,
                frequency,
                period,
                searches,
                organisations: organisations
                    .into_iter()
                    .map(|(id, opted_at)| (id, cut_off(opted_at)))
                    .collect(),
            });
        }
    }
    due
}

/// A call or organisation listed since the earliest cut-off.
struct Listed {
    /// When it was listed.
    at: DateTime<Utc>,
    /// Its title or name.
    title: String,
    /// Its one line.
    detail: String,
}

/// Page `page` (of `per_page`) of what saved search `search` finds at `now` in the call or
/// organisation index: the ids in its own order, and how many it finds in all.
pub(super) async fn saved_search_page(
    calls: &dyn CallIndex,
    organisations: &dyn OrganisationIndex,
    search: &SavedSearch,
    page: u32,
    per_page: u32,
    now: DateTime<Utc>,
) -> Result<(Vec<String>, u64), ServiceError> {
    let unavailable = |error: crate::search::SearchError| ServiceError::Unavailable(error.to_string());
    let pairs = query_pairs(&search.query);
    let pairs = pairs.iter().map(|(key, value)| (key.as_str(), value.as_str()));
    let (hits, total) = match search.kind {
        SearchKind::Calls => {
            let query = CallQuery {
                page,
                per_page,
                ..CallQuery::from_pairs(pairs)
            }
            .sanitized();
            let results = calls.search(&SearchRequest { query, now }).await.map_err(unavailable)?;
            (results.hits, results.total)
        }
        SearchKind::Organisations => {
            let query = OrganisationQuery {
                page,
                per_page,
                ..OrganisationQuery::from_pairs(pairs)
            }
            .sanitized();
            let results = organisations.search_organisations(&query).await.map_err(unavailable)?;
            (results.hits, results.total)
        }
    };
    Ok((hits.into_iter().map(|hit| hit.external_id).collect(), total))
}

/// A call in one line of mail or feed: programme, kind, next deadline, largest amount.
pub(super) fn call_line(summary: &crate::call::CallSummary) -> String {
    let mut line = vec![summary.programme.clone(), summary.instrument_kind.label().to_owned()];
    if let Some(deadline) = &summary.next_deadline {
        line.push(format!(
            "closes {}",
            crate::time::to_brussels(deadline.at).format("%-d %B %Y")
        ));
    }
    if let Some(budget) = summary.budget_max_eur {
        line.push(format!("up to €{}", crate::money::thousands(budget)));
    }
    line.join(" · ")
}

/// An organisation in one line of mail or feed: its kind and country.
pub(super) fn organisation_line(organisation: &crate::organisation::Organisation) -> String {
    format!(
        "{} · {}",
        organisation.kind.label(),
        crate::geo::country_label(organisation.country.as_str())
    )
}

/// What was listed since a cut-off, searchable.
struct NewListings {
    calls: HashMap<String, Listed>,
    organisations: HashMap<String, Listed>,
    index: EmbeddedIndex,
}

impl NewListings {
    /// The calls and organisations listed in `(since, now]`, indexed in memory.
    async fn gather(state: &AppState, since: DateTime<Utc>, now: DateTime<Utc>) -> Result<NewListings, ServiceError> {
        let unavailable = |error: crate::search::SearchError| ServiceError::Unavailable(error.to_string());
        let index = EmbeddedIndex::in_memory().map_err(unavailable)?;
        let listed_calls: HashMap<String, DateTime<Utc>> = state
            .digests
            .calls_listed_between(since, now)
            .await?
            .into_iter()
            .collect();
        let mut calls = HashMap::new();
        let ids: Vec<String> = listed_calls.keys().cloned().collect();
        for chunk in ids.chunks(CHUNK) {
            let details = state.calls.call_details(chunk, now).await?;
            let documents = details
                .iter()
                .map(|call| IndexChange::Upsert(Box::new(CallDocument::from_detail(call))))
                .collect();
            index.apply(documents).await.map_err(unavailable)?;
            for call in details {
                let summary = &call.summary;
                calls.insert(
                    summary.external_id.clone(),
                    Listed {
                        at: listed_calls[&summary.external_id],
                        title: summary.title.clone(),
                        detail: call_line(summary),
                    },
                );
            }
        }
        let listed_organisations: HashMap<String, DateTime<Utc>> = state
            .digests
            .organisations_listed_between(since, now)
            .await?
            .into_iter()
            .collect();
        let mut organisations = HashMap::new();
        let ids: Vec<String> = listed_organisations.keys().cloned().collect();
        for chunk in ids.chunks(CHUNK) {
            let details = state.directory.organisation_details(chunk).await?;
            let documents = details
                .iter()
                .map(|detail| IndexChange::Upsert(Box::new(OrganisationDocument::from_detail(detail))))
                .collect();
            index.apply_organisations(documents).await.map_err(unavailable)?;
            for detail in details {
                let organisation = detail.organisation;
                organisations.insert(
                    organisation.external_id.clone(),
                    Listed {
                        at: listed_organisations[&organisation.external_id],
                        detail: organisation_line(&organisation),
                        title: organisation.name,
                    },
                );
            }
        }
        Ok(NewListings {
            calls,
            organisations,
            index,
        })
    }

    /// Whether nothing was listed.
    fn is_empty(&self) -> bool {
        self.calls.is_empty() && self.organisations.is_empty()
    }

    /// The new calls or organisations `search` finds at `now`, best first (its own order).
    async fn matching(&self, search: &SavedSearch, now: DateTime<Utc>) -> Result<Vec<String>, ServiceError> {
        let mut found = Vec::new();
        for page in 1.. {
            let (ids, total) = saved_search_page(&self.index, &self.index, search, page, CHUNK as u32, now).await?;
            let last_page = ids.len() < CHUNK;
            found.extend(ids);
            if last_page || found.len() as u64 >= total {
                break;
            }
        }
        Ok(found)
    }

    /// The listing of `id`, a call or an organisation.
    fn get(&self, kind: SearchKind, id: &str) -> Option<&Listed> {
        match kind {
            SearchKind::Calls => self.calls.get(id),
            SearchKind::Organisations => self.organisations.get(id),
        }
    }
}

impl DigestRun {
    /// Adds what `other` did.
    fn add(&mut self, other: DigestRun) {
        self.subscribers += other.subscribers;
        self.due += other.due;
        self.queued += other.queued;
        self.nothing_new += other.nothing_new;
        self.taken += other.taken;
        self.previews.extend(other.previews);
    }
}

/// Composes the mail of every period due now and records it (see the module's documentation),
/// then the mail about followed calls; a dry run composes the same and records nothing.
pub async fn compose_due(state: &AppState, options: &DigestOptions) -> Result<DigestRun, ServiceError> {
    let signer = LinkSigner::new(&state.digests.link_key().await?);
    let mut run = compose_searches(state, options, &signer).await?;
    run.add(super::follows::compose_follow_mail(state, options, &signer).await?);
    Ok(run)
}

/// Composes the saved searches' mail of every period due now and records it.
async fn compose_searches(
    state: &AppState,
    options: &DigestOptions,
    signer: &LinkSigner,
) -> Result<DigestRun, ServiceError> {
    let now = state.clock.now();
    let public_url = state.site.public_url.trim_end_matches('/').to_owned();
    let subscribers = state.digests.alert_subscribers(options.person.as_deref()).await?;
    let due = due_periods(&subscribers, now, options.at_once);
    let mut run = DigestRun {
        subscribers: subscribers.len(),
        due: due.len(),
        ..DigestRun::default()
    };
    let Some(earliest) = due
        .iter()
        .flat_map(|d| {
            let searches = d.searches.iter().map(|(_, since)| *since);
            searches.chain(d.organisations.iter().map(|(_, since)| *since))
        })
        .min()
    else {
        return Ok(run);
    };
    let listings = NewListings::gather(state, earliest, now).await?;
    let people: Vec<i64> = due.iter().map(|d| d.subscriber.person_id).collect();
    let muted: HashSet<(i64, String)> = if listings.calls.is_empty() {
        HashSet::new()
    } else {
        state.digests.muted_calls(&people).await?.into_iter().collect()
    };
    let mut closing_soon = closing_soon(state, &due, &public_url, now).await?;
    let mut found_by_query: HashMap<(SearchKind, &str), Vec<String>> = HashMap::new();
    let mut top_by_organisation: HashMap<&str, TopMatches> = HashMap::new();
    let mut matcher = None;
    let mut records = Vec::with_capacity(BATCH);
    for period in &due {
        let person_id = period.subscriber.person_id;
        let mut sections = Vec::new();
        for (search, since) in &period.searches {
            if listings.is_empty() {
                break;
            }
            let found = match found_by_query.entry((search.kind, search.query.as_str())) {
                Entry::Occupied(found) => found.into_mut(),
                Entry::Vacant(slot) => slot.insert(listings.matching(search, now).await?),
            };
            let items: Vec<DigestItem> = found
                .iter()
                .filter_map(|id| Some((id, listings.get(search.kind, id)?)))
                .filter(|(id, listed)| listed.at > *since && !muted.contains(&(person_id, (*id).clone())))
                .map(|(id, listed)| {
                    let (path, mute_url) = match search.kind {
                        SearchKind::Calls => (
                            call_path(id),
                            Some(signer.url(
                                &public_url,
                                &MailLink::MuteCall {
                                    person_id,
                                    call: id.clone(),
                                },
                            )),
                        ),
                        SearchKind::Organisations => (organisation_path(id), None),
                    };
                    DigestItem {
                        external_id: id.clone(),
                        title: listed.title.clone(),
                        detail: listed.detail.clone(),
                        url: format!("{public_url}{path}"),
                        mute_url,
                    }
                })
                .collect();
            if !items.is_empty() {
                let stop = MailLink::StopSearch {
                    person_id,
                    search_id: search.id,
                };
                sections.push(DigestSection::new(
                    search,
                    items,
                    &public_url,
                    signer.url(&public_url, &stop),
                ));
            }
        }
        for (organisation, since) in &period.organisations {
            if listings.calls.is_empty() {
                break;
            }
            let top = match top_by_organisation.entry(organisation) {
                Entry::Occupied(top) => top.into_mut(),
                Entry::Vacant(slot) => {
                    slot.insert(top_matches(state, &listings, organisation, now, &mut matcher).await?)
                }
            };
            let items: Vec<DigestItem> = top
                .matches
                .iter()
                .filter(|found| {
                    listings.calls[&found.external_id].at > *since
                        && !muted.contains(&(person_id, found.external_id.clone()))
                })
                .map(|found| {
                    let mute = MailLink::MuteCall {
                        person_id,
                        call: found.external_id.clone(),
                    };
                    DigestItem {
                        mute_url: Some(signer.url(&public_url, &mute)),
                        ..found.clone()
                    }
                })
                .collect();
            if !items.is_empty() {
                sections.push(DigestSection::top_matches(organisation, &top.name, items, &public_url));
            }
        }
        let mail = if sections.is_empty() {
            run.nothing_new += 1;
            None
        } else {
            let digest = Digest {
                person_id,
                recipient: period.subscriber.email.clone(),
                name: period.subscriber.name.clone(),
                frequency: period.frequency,
                period: period.period.clone(),
                closing_soon: if period.frequency == Frequency::Weekly {
                    closing_soon.remove(&person_id).unwrap_or_default()
                } else {
                    Vec::new()
                },
                sections,
                preferences_url: format!("{public_url}/preferences"),
                unsubscribe_url: signer.url(&public_url, &MailLink::Unsubscribe { person_id }),
            };
            let mail = digest
                .to_mail(&state.site.mail_domain, &period.subscriber.schedule)
                .map_err(|error| {
                    tracing::error!(%error, "digest template failed");
                    ServiceError::Unavailable("the digest could not be written".into())
                })?;
            if !outbox_takes(&mail, person_id) {
                continue;
            }
            Some(mail)
        };
        if options.dry_run {
            run.queued += usize::from(mail.is_some());
            run.previews.extend(mail);
            continue;
        }
        records.push(DigestRecord {
            person_id,
            channel: MailChannel::Searches(period.frequency),
            period: period.period.clone(),
            mail,
        });
        if records.len() == BATCH {
            record(state, &mut records, now, &mut run).await?;
        }
    }
    record(state, &mut records, now, &mut run).await?;
    Ok(run)
}

/// An organisation's top matches among the new calls, best first (without mute links).
struct TopMatches {
    /// The organisation's name.
    name: String,
    /// The matches, each with its score and first reasons as its line.
    matches: Vec<DigestItem>,
}

/// Organisation `organisation_id`'s top matches among the calls in `listings`: open to it
/// (nothing blocks it, not marked not relevant) and scoring at least [`TOP_MATCH_MIN_SCORE`].
/// The matcher is built on first need and kept in `matcher` for the run.
async fn top_matches(
    state: &AppState,
    listings: &NewListings,
    organisation_id: &str,
    now: DateTime<Utc>,
    matcher: &mut Option<std::sync::Arc<crate::matching::rank::Matcher>>,
) -> Result<TopMatches, ServiceError> {
    let Some(organisation) = state.directory.get_organisation(organisation_id).await? else {
        return Ok(TopMatches {
            name: String::new(),
            matches: Vec::new(),
        });
    };
    let matcher = match matcher {
        Some(matcher) => matcher.clone(),
        None => matcher.insert(super::matching::current_matcher(state).await?).clone(),
    };
    let (applicant, names) = super::matching::applicant_for(state, &matcher, &organisation).await?;
    let mut ranked: Vec<_> = matcher
        .evaluate_all(&applicant, now, &mut Vec::new())
        .into_iter()
        .filter(|ranked| {
            let evaluation = &ranked.evaluation;
            evaluation.blockers == 0
                && !evaluation.dismissed
                && evaluation.score() >= TOP_MATCH_MIN_SCORE
                && listings
                    .calls
                    .contains_key(&matcher.call(ranked.call).summary.external_id)
        })
        .collect();
    matcher.sort(&mut ranked);
    let public_url = state.site.public_url.trim_end_matches('/');
    let matches = ranked
        .iter()
        .map(|ranked| {
            let found = matcher.explain(&applicant, ranked, now, &names);
            let reasons: Vec<&str> = found
                .parts
                .iter()
                .filter(|part| part.points > 0)
                .take(2)
                .map(|part| part.reason.as_str())
                .collect();
            let id = found.call.external_id;
            DigestItem {
                url: format!("{public_url}{}", call_path(&id)),
                title: found.call.title,
                detail: format!("Fit {} / 100 · {}", found.score, reasons.join(" · ")),
                external_id: id,
                mute_url: None,
            }
        })
        .collect();
    Ok(TopMatches {
        name: organisation.name,
        matches,
    })
}

/// For each person with a weekly digest due, the calls they follow that close within
/// [`CLOSING_SOON`], soonest first (a call once, at its next deadline).
async fn closing_soon(
    state: &AppState,
    due: &[DuePeriod<'_>],
    public_url: &str,
    now: DateTime<Utc>,
) -> Result<HashMap<i64, Vec<DigestItem>>, ServiceError> {
    let weekly: Vec<i64> = due
        .iter()
        .filter(|period| period.frequency == Frequency::Weekly)
        .map(|period| period.subscriber.person_id)
        .collect();
    let mut closing: HashMap<i64, Vec<DigestItem>> = HashMap::new();
    if weekly.is_empty() {
        return Ok(closing);
    }
    for deadline in state
        .digests
        .followed_deadlines(&weekly, now, now + CLOSING_SOON)
        .await?
    {
        let items = closing.entry(deadline.person_id).or_default();
        if items.iter().any(|item| item.external_id == deadline.call) {
            continue;
        }
        let zone = deadline.zone.unwrap_or(crate::time::DeadlineZone::Central);
        let days = (deadline.at - now).num_days();
        let when = match days {
            0 => "within a day".to_owned(),
            1 => "tomorrow".to_owned(),
            days => format!("in {days} days"),
        };
        items.push(DigestItem {
            url: format!("{public_url}{}", call_path(&deadline.call)),
            detail: format!("Closes {when}: {}", deadline_words(deadline.at, zone)),
            external_id: deadline.call,
            title: deadline.title,
            mute_url: None,
        });
    }
    Ok(closing)
}

/// Whether the outbox takes `mail` (for person `person_id`). One mail it would refuse is
/// logged and left out — its period stays unclaimed, tried again at the next tick — rather
/// than stopping everyone else's.
pub(super) fn outbox_takes(mail: &OutgoingMail, person_id: i64) -> bool {
    match mail.validate() {
        Ok(()) => true,
        Err(problem) => {
            tracing::error!(person_id, %problem, "a composed alert mail was left out");
            false
        }
    }
}

/// Records a batch of composed periods (emptied after) and adds what it did to `run`.
async fn record(
    state: &AppState,
    records: &mut Vec<DigestRecord>,
    now: DateTime<Utc>,
    run: &mut DigestRun,
) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let recorded = state.digests.record_digests(records, now).await?;
    run.queued += recorded.queued;
    run.taken += recorded.taken;
    records.clear();
    Ok(())
}

/// Applies the mail link `token` (or undoes it, `undo`): effective at once, no sign-in needed;
/// a token that is not one of ours changes nothing.
pub async fn apply_mail_link(state: &AppState, token: &str, undo: bool) -> Result<MailLinkOutcome, ServiceError> {
    let signer = LinkSigner::new(&state.digests.link_key().await?);
    let link = signer.verify(token).ok_or_else(|| {
        ServiceError::Invalid("This link is not valid: it may have been cut short. Open it again from the mail.".into())
    })?;
    let now = state.clock.now();
    let in_effect = !undo;
    let (action, sentence) = match &link {
        MailLink::Unsubscribe { person_id } => {
            state.digests.set_alert_mail_stopped(*person_id, in_effect, now).await?;
            let sentence = if in_effect {
                "You are unsubscribed: Fundbridge sends you no more digests or alerts. Mail about your account still arrives."
            } else {
                "You are subscribed again: your saved searches mail you as before."
            };
            ("unsubscribe", sentence.to_owned())
        }
        MailLink::MuteCall { person_id, call } => {
            state.digests.set_call_muted(*person_id, call, in_effect, now).await?;
            let title = call_title(state, call, now).await?;
            let sentence = if in_effect {
                format!("Muted: “{title}” is left out of your digests and alerts.")
            } else {
                format!("Unmuted: “{title}” can appear in your digests and alerts again.")
            };
            ("mute", sentence)
        }
        MailLink::Unfollow { person_id, call } => {
            let title = call_title(state, call, now).await?;
            let sentence = if in_effect {
                state.alerts.unfollow_call(*person_id, call).await?;
                format!("Unfollowed: you hear no more about “{title}”.")
            } else {
                state
                    .alerts
                    .follow_call(*person_id, call, crate::alerts::follows::MAX_FOLLOWS, now)
                    .await?;
                format!("Following again: changes to “{title}” and its deadlines are mailed to you.")
            };
            ("unfollow", sentence)
        }
        MailLink::SearchFeed { .. } | MailLink::DeadlineCalendar { .. } => {
            return Err(ServiceError::Invalid(
                "This address is a feed for a reader or a calendar app, not a link that changes anything.".into(),
            ))
        }
        MailLink::StopSearch { person_id, search_id } => {
            let frequency = if in_effect { Frequency::Off } else { Frequency::Weekly };
            let search = state
                .alerts
                .set_search_frequency(*person_id, *search_id, frequency, now)
                .await?;
            let sentence = if in_effect {
                format!("Stopped: {} sends no more mail. It stays saved.", search.title)
            } else {
                format!("Back on: {} is in your weekly digest again.", search.title)
            };
            ("stop", sentence)
        }
    };
    Ok(MailLinkOutcome {
        action: action.to_owned(),
        in_effect,
        sentence,
    })
}

/// The title of call `call` (its id when it is gone).
async fn call_title(state: &AppState, call: &str, now: DateTime<Utc>) -> Result<String, ServiceError> {
    Ok(state
        .calls
        .call_summaries(&[call.to_owned()], now)
        .await?
        .into_iter()
        .next()
        .map_or_else(|| call.to_owned(), |summary| summary.title))
}

/// How often the scheduler looks for due periods (instant mail goes out within about this).
const SCHEDULE_POLL: std::time::Duration = std::time::Duration::from_secs(60);

/// Composes due mail every minute until `shutdown` turns true. Several app servers may run
/// it: each period is recorded once (the others' claims find it taken).
pub async fn run(state: &AppState, shutdown: tokio::sync::watch::Receiver<bool>) {
    super::every(SCHEDULE_POLL, shutdown, || async {
        match compose_due(state, &DigestOptions::default()).await {
            Ok(run) if run.due > 0 => tracing::info!(
                due = run.due,
                queued = run.queued,
                nothing_new = run.nothing_new,
                taken = run.taken,
                "digests composed"
            ),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "composing digests failed; trying again"),
        }
    })
    .await;
}
