//! Keeps the search index in step with the database: applies the index updates that
//! writes left in the outbox, and retries with backoff while the engine is unavailable,
//! so the index reconverges by itself after an outage.

use super::{CallDocument, IndexChange, OrganisationDocument, SearchIndex};
use crate::store::{IndexedEntity, Store};
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::watch;

/// Outbox rows applied per round.
const BATCH: u32 = 2_000;
/// How often an idle indexer looks for new work.
const IDLE_POLL: Duration = Duration::from_millis(500);
/// The longest wait between retries after failures.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Applies one batch of pending index updates. Returns how many outbox rows it completed
/// (0 when there was nothing to do). On error nothing is marked done: the batch is retried.
pub async fn apply_pending(store: &dyn Store, index: &dyn SearchIndex) -> anyhow::Result<usize> {
    let entries = store.pending_index_changes(BATCH).await?;
    if entries.is_empty() {
        return Ok(0);
    }
    for entity in [IndexedEntity::Call, IndexedEntity::Organisation] {
        let mut seen = HashSet::new();
        let ids: Vec<String> = entries
            .iter()
            .filter(|entry| entry.entity == entity && seen.insert(entry.external_id.as_str()))
            .map(|entry| entry.external_id.clone())
            .collect();
        if !ids.is_empty() {
            refresh(store, index, entity, &ids).await?;
        }
    }
    let ids: Vec<i64> = entries.iter().map(|entry| entry.id).collect();
    store.complete_index_changes(&ids).await?;
    Ok(entries.len())
}

/// Writes the documents of these calls or organisations as the database has them now
/// (later writes fold into this one update); an id the database no longer has is removed
/// from the index. Returns how many documents were written.
pub(crate) async fn refresh(
    store: &dyn Store,
    index: &dyn SearchIndex,
    entity: IndexedEntity,
    ids: &[String],
) -> anyhow::Result<usize> {
    /// Upserts for what was found, deletions for the rest.
    fn changes<D>(ids: &[String], found: Vec<(String, D)>) -> Vec<IndexChange<D>> {
        let present: HashSet<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        let mut changes: Vec<IndexChange<D>> = ids
            .iter()
            .filter(|id| !present.contains(id.as_str()))
            .map(|id| IndexChange::Delete(id.clone()))
            .collect();
        changes.extend(found.into_iter().map(|(_, doc)| IndexChange::Upsert(Box::new(doc))));
        changes
    }
    match entity {
        IndexedEntity::Call => {
            // A document holds a call's dates, never its status (derived per search), so the
            // instant the store derives statuses at does not matter here: no clock is read.
            let found: Vec<(String, CallDocument)> = store
                .call_details(ids, chrono::DateTime::UNIX_EPOCH)
                .await?
                .iter()
                .map(|call| (call.summary.external_id.clone(), CallDocument::from_detail(call)))
                .collect();
            let written = found.len();
            index.apply(changes(ids, found)).await?;
            Ok(written)
        }
        IndexedEntity::Organisation => {
            let found: Vec<(String, OrganisationDocument)> = store
                .organisation_details(ids)
                .await?
                .iter()
                .map(|detail| {
                    let doc = OrganisationDocument::from_detail(detail);
                    (doc.external_id.clone(), doc)
                })
                .collect();
            let written = found.len();
            index.apply_organisations(changes(ids, found)).await?;
            Ok(written)
        }
    }
}

/// Applies every pending update now (at start-up, and in tests).
pub async fn apply_all_pending(store: &dyn Store, index: &dyn SearchIndex) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        match apply_pending(store, index).await? {
            0 => return Ok(total),
            done => total += done,
        }
    }
}

/// Brings the index up to date: emptied first when it was built from another database (or
/// schema), a full rebuild when it is empty but the database is not (first start, a lost
/// folder, a search server that came back without its data, a switched database), then
/// whatever the outbox still owes. Returns how many documents were written or updated.
pub async fn catch_up(store: &dyn Store, index: &dyn SearchIndex) -> anyhow::Result<u64> {
    let source = store.source_id().await?;
    if let Some(built_from) = index.source().await?.filter(|built_from| *built_from != source) {
        tracing::warn!(
            %built_from,
            database = %source,
            "the search index was built from another database or schema: rebuilding it"
        );
        index.clear().await?;
    }
    let counts = store.counts().await?;
    let mut written = 0;
    let calls_missing = counts.calls > 0 && index.document_count().await? == 0;
    let organisations_missing = counts.organisations > 0 && index.organisation_count().await? == 0;
    if calls_missing || organisations_missing {
        tracing::info!(
            calls = counts.calls,
            organisations = counts.organisations,
            engine = index.name(),
            "search index is empty: rebuilding it from the database"
        );
        written = super::reindex(store, index, &crate::progress::Silent).await?;
    }
    index.set_source(&source).await?;
    Ok(written + apply_all_pending(store, index).await? as u64)
}

/// Runs until `shutdown` turns true: applies updates as they come, backing off on errors.
/// Its first round, and the first after any failure, is a full catch-up (so an engine that
/// was down at start-up, or came back empty, is refilled once it answers).
pub async fn run(store: &dyn Store, index: &dyn SearchIndex, mut shutdown: watch::Receiver<bool>) {
    let mut backoff = IDLE_POLL;
    let mut catch_up_next = true;
    loop {
        let round = if catch_up_next {
            catch_up(store, index).await.map(|done| done as usize)
        } else {
            apply_pending(store, index).await
        };
        let wait = match round {
            Ok(0) => {
                catch_up_next = false;
                backoff = IDLE_POLL;
                IDLE_POLL
            }
            Ok(_) => {
                catch_up_next = false;
                backoff = IDLE_POLL;
                Duration::ZERO
            }
            Err(error) => {
                catch_up_next = true;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                tracing::warn!(error = format!("{error:#}"), retry_in = ?backoff, "search index update failed");
                backoff
            }
        };
        tokio::select! {
            _ = shutdown.changed() => {
                if *shutdown.borrow() {
                    return;
                }
            }
            () = tokio::time::sleep(wait) => {}
        }
    }
}
