//! The search contract, checked on the 629 real Funding & Tenders Portal topics (calls) and
//! on generated organisations (the partner directory, `organisations.rs`).
//!
//! Every engine must pass it: each test below runs once per engine (modules `embedded`
//! and `meilisearch`). The embedded index always runs; the Meilisearch half runs when
//! `MEILI_URL` (and `MEILI_MASTER_KEY`, if the server has one) point at a server, and
//! prints that it was skipped otherwise. It fills a fresh index named
//! `fundbridge-conformance-<pid>`, first deleting those earlier runs left behind.

#[path = "../common/hostile.rs"]
mod hostile;
mod organisations;

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::import::{eu_ftp, Silent};
use domain::search::embedded::EmbeddedIndex;
use domain::search::highlight::word_matches;
use domain::search::meili::MeiliIndex;
use domain::search::{self, CallDocument, CallIndex, IndexChange, SearchIndex, SearchRequest, SearchResults};
use domain::store::{self, NewCall, Store};
use domain::{BudgetRange, CallQuery, CallSort, CallStatus, ClosesWithin, Deadline, Trl};
use organisations::*;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::OnceCell;

/// The snapshot day of the topics file.
fn snapshot_day() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 8, 10, 12, 0, 0).unwrap()
}

struct Corpus {
    store: Arc<dyn Store>,
    embedded: EmbeddedIndex,
    _dir: tempfile::TempDir,
}

/// The real topics imported into SQLite and indexed once for all tests of this binary.
async fn corpus() -> &'static Corpus {
    static CORPUS: OnceCell<Corpus> = OnceCell::const_new();
    CORPUS
        .get_or_init(|| async {
            let dir = tempfile::tempdir().unwrap();
            let store = store::connect(&format!("sqlite://{}", dir.path().join("search.db").display()))
                .await
                .unwrap();
            let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/data/eu-ftp-calls/calls_open_forthcoming.jsonl");
            eu_ftp::import_file(store.as_ref(), &file, snapshot_day(), &Silent)
                .await
                .unwrap();
            let embedded = EmbeddedIndex::open(&dir.path().join("index")).unwrap();
            let written = search::reindex(store.as_ref(), &embedded, &Silent).await.unwrap();
            assert_eq!(written, 629);
            Corpus {
                store,
                embedded,
                _dir: dir,
            }
        })
        .await
}

/// The Meilisearch server the suite may use: its URL and key, from the environment.
fn meili_server() -> Option<(String, Option<String>)> {
    let url = std::env::var("MEILI_URL").ok().filter(|u| !u.is_empty())?;
    Some((url, std::env::var("MEILI_MASTER_KEY").ok().filter(|k| !k.is_empty())))
}

/// A handle on the conformance index, filled from the corpus on first use. Each test gets
/// its own HTTP client: a client's connections belong to the runtime of the test that made them.
async fn meili_index() -> Option<MeiliIndex> {
    static FILLED: OnceCell<String> = OnceCell::const_new();
    let (url, key) = meili_server()?;
    let uid = FILLED
        .get_or_init(|| async {
            const PREFIX: &str = "fundbridge-conformance-";
            let client = meilisearch_sdk::client::Client::new(&url, key.as_deref()).unwrap();
            for stale in client.list_all_indexes().await.unwrap().results {
                // Left by an earlier run (this process's own fresh indexes stay).
                let own = format!("{PREFIX}{}", std::process::id());
                if stale.uid.starts_with(PREFIX) && stale.uid != own && !stale.uid.starts_with(&format!("{own}-")) {
                    stale
                        .delete()
                        .await
                        .unwrap()
                        .wait_for_completion(&client, None, None)
                        .await
                        .unwrap();
                }
            }
            let uid = format!("{PREFIX}{}", std::process::id());
            let index = MeiliIndex::connect(&url, key.as_deref(), &uid).await.unwrap();
            let written = search::reindex(corpus().await.store.as_ref(), &index, &Silent)
                .await
                .unwrap();
            assert_eq!(written, 629);
            uid
        })
        .await;
    Some(MeiliIndex::new(&url, key.as_deref(), uid).unwrap())
}

/// A fresh, empty Meilisearch index for one test, when a server is configured.
async fn fresh_meili_index(test: &str) -> Option<MeiliIndex> {
    let (url, key) = meili_server()?;
    let uid = format!("fundbridge-conformance-{}-{test}", std::process::id());
    let index = MeiliIndex::connect(&url, key.as_deref(), &uid).await.unwrap();
    index.clear().await.unwrap();
    Some(index)
}

/// Each contract test, once per engine: on the shared corpus, or on a fresh empty index.
macro_rules! conformance {
    (on_corpus: [$($test:ident),* $(,)?], on_fresh_index: [$($fresh:ident),* $(,)?] $(,)?) => {
        mod embedded {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(&super::corpus().await.embedded).await;
                }
            )*
            $(
                #[tokio::test]
                async fn $fresh() {
                    super::$fresh(&domain::search::embedded::EmbeddedIndex::in_memory().unwrap()).await;
                }
            )*
        }
        mod meilisearch {
            $(
                #[tokio::test]
                async fn $test() {
                    match super::meili_index().await {
                        Some(index) => super::$test(&index).await,
                        None => eprintln!("skipped on Meilisearch: MEILI_URL is not set"),
                    }
                }
            )*
            $(
                #[tokio::test]
                async fn $fresh() {
                    match super::fresh_meili_index(stringify!($fresh)).await {
                        Some(index) => {
                            super::$fresh(&index).await;
                            index.delete_index().await.unwrap();
                        }
                        None => eprintln!("skipped on Meilisearch: MEILI_URL is not set"),
                    }
                }
            )*
        }
    };
}

conformance!(
    on_corpus: [
        calls_with_all_the_words_rank_before_calls_with_some,
        a_typo_finds_what_the_right_spelling_finds,
        a_quoted_phrase_matches_only_calls_with_those_words_in_order,
        quantum_tactical_networks_finds_the_defence_topic_first,
        a_prefix_matches_while_typing,
        facet_counts_equal_counts_from_the_database,
        the_status_filter_gives_the_same_calls_as_the_database,
        sorting_by_deadline_puts_the_soonest_first_and_filters_combine,
        adding_words_never_empties_the_results,
        a_filter_leaves_the_counts_of_its_own_dimension_unchanged,
        the_dual_use_filter_gives_the_same_calls_as_the_database,
        sorting_by_title_is_alphabetical_with_and_without_text,
        suggestions_complete_the_word_being_typed,
        budget_and_deadline_window_filters_give_the_same_calls_as_the_database,
        capability_and_sector_filters_give_the_same_calls_as_the_database,
        hostile_queries_are_answered_within_their_page,
    ],
    on_fresh_index: [
        sorting_by_deadline_merges_stages_then_rolling_then_closed_across_pages,
        updates_and_deletions_are_searchable_once_applied,
        a_country_filter_keeps_calls_open_to_everyone,
        a_trl_filter_keeps_calls_whose_range_includes_the_level,
        a_region_filter_keeps_calls_for_the_region_the_areas_containing_it_and_everyone,
        organisation_facet_counts_equal_counts_over_the_documents,
        a_region_filter_finds_organisations_in_the_regions_inside_it,
        organisations_sort_by_name_across_pages_and_by_headcount,
        organisation_text_search_tolerates_typos_and_reads_capabilities,
        organisation_updates_and_deletions_are_searchable_once_applied,
        organisation_names_are_suggested_while_typing,
    ],
);

async fn search(index: &dyn SearchIndex, text: &str, tweak: impl FnOnce(&mut CallQuery)) -> SearchResults {
    let mut query = CallQuery::from_pairs([("q", text)]);
    query.per_page = 100;
    tweak(&mut query);
    index
        .search(&SearchRequest {
            query,
            now: snapshot_day(),
        })
        .await
        .unwrap()
}

fn ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.external_id.as_str()).collect()
}

/// The normalised words of a stored call's title and description.
async fn words_of(id: &str) -> Vec<String> {
    let call = corpus()
        .await
        .store
        .get_call(id, snapshot_day())
        .await
        .unwrap()
        .unwrap();
    let text = format!(
        "{} {} {}",
        call.summary.title,
        call.description,
        call.keywords.join(" ")
    );
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn calls_with_all_the_words_rank_before_calls_with_some(index: &dyn SearchIndex) {
    let results = search(index, "cybersecurity sme", |_| {}).await;
    let mut all_words = Vec::new();
    for id in corpus().await.store.call_ids(None, 1000).await.unwrap() {
        // Matching as the engine promises: typo-tolerant, the last word as a prefix.
        let words = words_of(&id).await;
        if words.iter().any(|w| word_matches("cybersecurity", w, false))
            && words.iter().any(|w| word_matches("sme", w, true))
        {
            all_words.push(id);
        }
    }
    assert!(!all_words.is_empty());
    let top: HashSet<&str> = ids(&results).into_iter().take(all_words.len()).collect();
    let expected: HashSet<&str> = all_words.iter().map(String::as_str).collect();
    assert_eq!(top, expected, "the calls with both words come first");
    assert!(
        results.total as usize > all_words.len(),
        "calls with one of the words still match"
    );
}

async fn a_typo_finds_what_the_right_spelling_finds(index: &dyn SearchIndex) {
    let typo = search(index, "cybersecurty", |_| {}).await;
    // Every call with the word itself is found despite the typo (an engine may find more,
    // such as "cyber security" written apart).
    let mut with_word = HashSet::new();
    for id in corpus().await.store.call_ids(None, 1000).await.unwrap() {
        if words_of(&id).await.iter().any(|w| w == "cybersecurity") {
            with_word.insert(id);
        }
    }
    assert!(with_word.len() > 10, "{}", with_word.len());
    let found: HashSet<String> = ids(&typo).into_iter().map(str::to_owned).collect();
    let missed: Vec<&String> = with_word.difference(&found).collect();
    assert!(missed.is_empty(), "the typo missed {missed:?}");
    let top_two: HashSet<&str> = ids(&typo).into_iter().take(2).collect();
    let titled: HashSet<&str> = ["EuropeAid/187202/DD/ACT/MK", "HORIZON-CL3-2027-02-CS-ECCC-01"].into();
    assert_eq!(top_two, titled, "the two calls with Cybersecurity in the title lead");
    let hit = &typo.hits[0];
    let marked: Vec<&str> = hit.title.ranges.iter().map(|(a, b)| &hit.title.text[*a..*b]).collect();
    assert_eq!(marked, vec!["Cybersecurity"], "the misspelt word is still highlighted");
}

async fn a_quoted_phrase_matches_only_calls_with_those_words_in_order(index: &dyn SearchIndex) {
    let results = search(index, "\"post-quantum\"", |q| q.per_page = 100).await;
    assert_eq!(
        ids(&results)[0],
        "HORIZON-CL3-2027-02-CS-ECCC-03",
        "the phrase in the title ranks first"
    );
    for hit in &results.hits {
        let words = words_of(&hit.external_id).await;
        assert!(
            words.windows(2).any(|pair| pair == ["post", "quantum"]),
            "{} lacks the phrase",
            hit.external_id
        );
    }
    assert!(results.total >= 10, "{}", results.total);
    let loose = search(index, "post quantum", |_| {}).await;
    assert!(loose.total > results.total, "without quotes, either word is enough");
}

async fn quantum_tactical_networks_finds_the_defence_topic_first(index: &dyn SearchIndex) {
    let results = search(index, "quantum tactical networks", |_| {}).await;
    assert_eq!(ids(&results)[0], "EDF-2026-RA-CYBER-QSTN");
    let marked: Vec<&str> = results.hits[0]
        .title
        .ranges
        .iter()
        .map(|(a, b)| &results.hits[0].title.text[*a..*b])
        .collect();
    assert_eq!(marked, vec!["Quantum", "tactical", "networks"]);
}

async fn a_prefix_matches_while_typing(index: &dyn SearchIndex) {
    let results = search(index, "quantum tacti", |_| {}).await;
    assert_eq!(ids(&results)[0], "EDF-2026-RA-CYBER-QSTN");
}

async fn facet_counts_equal_counts_from_the_database(index: &dyn SearchIndex) {
    let results = search(index, "", |_| {}).await;
    assert_eq!(results.total, 629);
    let store = &corpus().await.store;
    let mut from_db: Vec<(String, u64)> = store
        .programme_counts()
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.programme, p.count))
        .collect();
    let mut from_index: Vec<(String, u64)> = results
        .facets
        .programme
        .iter()
        .map(|f| (f.value.clone(), f.count))
        .collect();
    from_db.sort();
    from_index.sort();
    assert_eq!(from_index, from_db);
    for facet in &results.facets.status {
        let status: CallStatus = facet.value.parse().unwrap();
        let query = CallQuery {
            statuses: vec![status],
            ..CallQuery::default()
        };
        let db_total = store.list_calls(&query, snapshot_day()).await.unwrap().total;
        assert_eq!(facet.count, db_total, "{status:?}");
    }
}

async fn the_status_filter_gives_the_same_calls_as_the_database(index: &dyn SearchIndex) {
    for status in CallStatus::ALL {
        let query = CallQuery {
            statuses: vec![status],
            ..CallQuery::default()
        };
        let (from_index, total) = all_from_index(index, &query).await;
        assert_eq!(from_index.len() as u64, total);
        assert_eq!(from_index, all_from_db(&query).await, "{status:?}");
    }
}

async fn sorting_by_deadline_puts_the_soonest_first_and_filters_combine(index: &dyn SearchIndex) {
    let results = search(index, "security", |q| {
        q.sort = CallSort::Deadline;
        q.statuses = vec![CallStatus::Open];
        q.programmes = vec!["Horizon Europe".into()];
    })
    .await;
    assert!(results.total > 3);
    let store = &corpus().await.store;
    let mut previous = None;
    for hit in &results.hits {
        let call = store.get_call(&hit.external_id, snapshot_day()).await.unwrap().unwrap();
        assert_eq!(call.summary.status, CallStatus::Open);
        assert_eq!(call.summary.programme, "Horizon Europe");
        let next = call.summary.next_deadline.map(|d| d.at);
        if let (Some(before), Some(now)) = (previous, next) {
            assert!(before <= now, "{} is out of order", hit.external_id);
        }
        previous = next.or(previous);
    }
}

async fn adding_words_never_empties_the_results(index: &dyn SearchIndex) {
    let one = search(index, "hydrogen", |_| {}).await;
    let more = search(index, "hydrogen zeppelin xylophone", |_| {}).await;
    assert!(one.total > 0);
    assert!(more.total >= one.total);
}

async fn a_filter_leaves_the_counts_of_its_own_dimension_unchanged(index: &dyn SearchIndex) {
    let unfiltered = search(index, "security", |_| {}).await;
    let filtered = search(index, "security", |q| {
        q.programmes = vec!["European Defence Fund".into()]
    })
    .await;
    assert_eq!(
        filtered.facets.programme, unfiltered.facets.programme,
        "other programmes stay choosable"
    );
    let edf = unfiltered
        .facets
        .programme
        .iter()
        .find(|f| f.value == "European Defence Fund")
        .unwrap();
    assert_eq!(
        filtered.total, edf.count,
        "the chosen programme's count was the number of hits"
    );
    let kinds_total: u64 = filtered.facets.kind.iter().map(|f| f.count).sum();
    assert_eq!(kinds_total, filtered.total, "other dimensions count within the filter");
    let statuses_total: u64 = filtered.facets.status.iter().map(|f| f.count).sum();
    assert_eq!(statuses_total, filtered.total);
}

async fn the_dual_use_filter_gives_the_same_calls_as_the_database(index: &dyn SearchIndex) {
    let found = search(index, "", |q| q.dual_use = true).await;
    let query = CallQuery {
        dual_use: true,
        per_page: 100,
        ..CallQuery::default()
    };
    let from_db = corpus().await.store.list_calls(&query, snapshot_day()).await.unwrap();
    assert_eq!(found.total, from_db.total);
    assert_eq!(found.total, 37, "the European Defence Fund topics");
    let a: HashSet<&str> = ids(&found).into_iter().collect();
    let b: HashSet<&str> = from_db.items.iter().map(|c| c.external_id.as_str()).collect();
    assert_eq!(a, b);
}

async fn sorting_by_title_is_alphabetical_with_and_without_text(index: &dyn SearchIndex) {
    for text in ["", "security"] {
        let results = search(index, text, |q| q.sort = CallSort::Title).await;
        let titles: Vec<String> = results.hits.iter().map(|h| h.title.text.to_lowercase()).collect();
        assert!(titles.len() > 10);
        assert!(titles.windows(2).all(|pair| pair[0] <= pair[1]), "{text:?}: {titles:?}");
    }
}

async fn suggestions_complete_the_word_being_typed(index: &dyn SearchIndex) {
    let titles = index.suggest("quantum tacti", 5).await.unwrap();
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Quantum secured tactical networks")
    );
    assert!(titles.len() <= 5);
    assert!(index.suggest("  ", 5).await.unwrap().is_empty());
}

/// A call for the fresh-index tests: open since two months before the snapshot day.
fn test_call(id: &str, title: &str, deadlines_in_days: &[i64]) -> CallDocument {
    let day = |n: i64| snapshot_day() + Duration::days(n);
    let mut call = NewCall::new(id, "test", title, "Horizon Europe", "European Commission");
    call.opening_at = Some(day(-60));
    call.deadlines = deadlines_in_days
        .iter()
        .enumerate()
        .map(|(i, n)| Deadline {
            stage: i as i32 + 1,
            at: day(*n),
            label: None,
        })
        .collect();
    call.description = format!("{title}: a pilot for testing.");
    CallDocument::from_new_call(&call, day(-90))
}

async fn put(index: &dyn SearchIndex, calls: Vec<CallDocument>) {
    let changes = calls.into_iter().map(|c| IndexChange::Upsert(Box::new(c))).collect();
    index.apply(changes).await.unwrap();
}

async fn sorting_by_deadline_merges_stages_then_rolling_then_closed_across_pages(index: &dyn SearchIndex) {
    let mut forthcoming = test_call("FORTHCOMING", "Forthcoming pilot", &[40]);
    forthcoming.opening_at = Some(snapshot_day() + Duration::days(5));
    put(
        index,
        vec![
            test_call("CLOSED", "Closed pilot", &[-5]),
            test_call("ROLLING", "Rolling pilot", &[]),
            test_call("LATER", "Later pilot", &[30]),
            // Its first stage has passed: it sorts by its second deadline.
            test_call("BETWEEN", "Two-stage pilot", &[-10, 20]),
            test_call("SOON", "Soon pilot", &[10]),
            forthcoming,
        ],
    )
    .await;
    for text in ["", "pilot"] {
        let mut pages = Vec::new();
        for page in 1..=4 {
            let found = search(index, text, |q| {
                q.sort = CallSort::Deadline;
                q.per_page = 2;
                q.page = page;
            })
            .await;
            assert_eq!(found.total, 6);
            pages.push(ids(&found).into_iter().map(str::to_owned).collect::<Vec<_>>());
        }
        assert_eq!(
            pages,
            vec![
                vec!["SOON", "BETWEEN"],
                vec!["LATER", "FORTHCOMING"],
                vec!["ROLLING", "CLOSED"],
                vec![]
            ],
            "{text:?}"
        );
    }
    let counts: Vec<(String, u64)> = search(index, "", |_| {})
        .await
        .facets
        .status
        .into_iter()
        .map(|f| (f.value, f.count))
        .collect();
    assert_eq!(
        counts,
        vec![("open".into(), 4), ("forthcoming".into(), 1), ("closed".into(), 1)]
    );
}

async fn updates_and_deletions_are_searchable_once_applied(index: &dyn SearchIndex) {
    put(
        index,
        vec![
            test_call("A/1", "Hydrogen valleys", &[10]),
            test_call("B/2", "Quantum sensing", &[10]),
        ],
    )
    .await;
    assert_eq!(ids(&search(index, "hydrogen", |_| {}).await), vec!["A/1"]);
    put(index, vec![test_call("A/1", "Offshore wind", &[10])]).await;
    assert_eq!(
        search(index, "hydrogen", |_| {}).await.total,
        0,
        "the old title is gone"
    );
    assert_eq!(ids(&search(index, "offshore", |_| {}).await), vec!["A/1"]);
    index.apply(vec![IndexChange::Delete("B/2".into())]).await.unwrap();
    assert_eq!(ids(&search(index, "", |_| {}).await), vec!["A/1"]);
    assert_eq!(index.document_count().await.unwrap(), 1);
    index.clear().await.unwrap();
    assert_eq!(index.document_count().await.unwrap(), 0);
}

/// Every call of a query from the index, all pages, and the total the index announced.
async fn all_from_index(index: &dyn SearchIndex, query: &CallQuery) -> (HashSet<String>, u64) {
    let (mut found, mut total) = (HashSet::new(), 0);
    for page in 1..=7 {
        let results = search(index, &query.text, |q| {
            *q = CallQuery {
                per_page: 100,
                page,
                ..query.clone()
            }
        })
        .await;
        total = results.total;
        found.extend(results.hits.into_iter().map(|h| h.external_id));
    }
    (found, total)
}

/// Every call of a query, from the database, all pages.
async fn all_from_db(query: &CallQuery) -> HashSet<String> {
    let store = &corpus().await.store;
    let mut found = HashSet::new();
    for page in 1..=7 {
        let query = CallQuery {
            per_page: 100,
            page,
            ..query.clone()
        };
        found.extend(
            store
                .list_calls(&query, snapshot_day())
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|c| c.external_id),
        );
    }
    found
}

/// Whatever a URL carries, the engine answers the sanitised query: no error, no more hits
/// than a page, and the page inside the result window.
async fn hostile_queries_are_answered_within_their_page(index: &dyn SearchIndex) {
    for query in hostile::call_queries() {
        let request = SearchRequest {
            query: query.clone(),
            now: snapshot_day(),
        };
        let results = index
            .search(&request)
            .await
            .unwrap_or_else(|e| panic!("{query:?}: {e}"));
        assert!(results.hits.len() <= query.per_page as usize, "{query:?}");
    }
    for query in hostile::directory_queries() {
        let results = index
            .search_organisations(&query)
            .await
            .unwrap_or_else(|e| panic!("{query:?}: {e}"));
        assert!(results.hits.len() <= query.per_page as usize, "{query:?}");
    }
}

async fn budget_and_deadline_window_filters_give_the_same_calls_as_the_database(index: &dyn SearchIndex) {
    let unfiltered = search(index, "", |_| {}).await;
    let count_of =
        |values: &[domain::FacetValue], value: &str| values.iter().find(|f| f.value == value).map(|f| f.count);
    let mut queries: Vec<(CallQuery, Option<u64>)> = Vec::new();
    for range in BudgetRange::ALL {
        let query = CallQuery {
            budgets: vec![range],
            ..CallQuery::default()
        };
        queries.push((query, count_of(&unfiltered.facets.budget, range.as_str())));
    }
    for window in ClosesWithin::ALL {
        let query = CallQuery {
            closes_within: Some(window),
            ..CallQuery::default()
        };
        queries.push((query, count_of(&unfiltered.facets.closes_within, window.as_str())));
    }
    let mut non_empty = 0;
    for (query, facet_count) in queries {
        let from_db = all_from_db(&query).await;
        let (from_index, total) = all_from_index(index, &query).await;
        assert_eq!(from_index, from_db, "{query:?}");
        assert_eq!(total, from_db.len() as u64, "{query:?}");
        assert_eq!(
            facet_count.unwrap_or(0),
            total,
            "the facet count announced it: {query:?}"
        );
        non_empty += usize::from(total > 0);
    }
    assert!(non_empty >= 6, "the corpus exercises most brackets and windows");
}

async fn capability_and_sector_filters_give_the_same_calls_as_the_database(index: &dyn SearchIndex) {
    let unfiltered = search(index, "", |_| {}).await;
    let mut checked = 0;
    let domains = unfiltered.facets.domain.iter().map(|f| (true, f));
    let sectors = unfiltered.facets.sector.iter().map(|f| (false, f));
    for (is_domain, facet) in domains.chain(sectors) {
        let mut query = CallQuery::default();
        if is_domain {
            query.domains = vec![facet.value.clone()];
        } else {
            query.sectors = vec![facet.value.clone()];
        }
        let from_db = all_from_db(&query).await;
        let (from_index, total) = all_from_index(index, &query).await;
        assert_eq!(from_index, from_db, "{query:?}");
        assert_eq!(total, facet.count, "the facet count announced it: {query:?}");
        checked += 1;
    }
    assert!(
        unfiltered.facets.domain.len() >= 10 && unfiltered.facets.sector.len() >= 10,
        "the real topics touch most domains and sectors: {:?} {:?}",
        unfiltered.facets.domain,
        unfiltered.facets.sector
    );
    assert!(checked >= 20);
    // A post-quantum topic is classified under cryptology.
    let cryptology = search(index, "\"post-quantum\"", |q| q.domains = vec!["cryptology".into()]).await;
    assert!(cryptology.total > 0);
}

async fn a_country_filter_keeps_calls_open_to_everyone(index: &dyn SearchIndex) {
    let mut in_france = test_call("FR-1", "Bretagne pilot", &[10]);
    in_france.countries = vec!["FR".into()];
    let mut in_portugal = test_call("PT-1", "Norte pilot", &[10]);
    in_portugal.countries = vec!["PT".into()];
    put(
        index,
        vec![in_france, in_portugal, test_call("EU-1", "European pilot", &[10])],
    )
    .await;

    let found = search(index, "pilot", |q| q.countries = vec!["PT".into()]).await;
    let mut found_ids = ids(&found);
    found_ids.sort();
    assert_eq!(found_ids, vec!["EU-1", "PT-1"]);
    let counts: Vec<(String, u64)> = found.facets.country.into_iter().map(|f| (f.value, f.count)).collect();
    assert_eq!(
        counts,
        vec![("FR".into(), 2), ("PT".into(), 2)],
        "each country counts its own calls and the unrestricted one, whatever country is chosen"
    );
}

async fn a_trl_filter_keeps_calls_whose_range_includes_the_level(index: &dyn SearchIndex) {
    let mut research = test_call("R-1", "Research pilot", &[10]);
    research.trl_levels = search::trl_levels(Trl::new(2).ok(), Trl::new(4).ok());
    let mut demonstration = test_call("D-1", "Demonstration pilot", &[10]);
    demonstration.trl_levels = search::trl_levels(Trl::new(5).ok(), Trl::new(7).ok());
    put(
        index,
        vec![research, demonstration, test_call("N-1", "Unrated pilot", &[10])],
    )
    .await;

    assert_eq!(ids(&search(index, "", |q| q.trl = vec![4]).await), vec!["R-1"]);
    let both = search(index, "pilot", |q| q.trl = vec![3, 6]).await;
    assert_eq!(both.total, 2);
    let levels: Vec<(String, u64)> = both.facets.trl.into_iter().map(|f| (f.value, f.count)).collect();
    let expected: Vec<(String, u64)> = (2..=7).map(|level: u8| (level.to_string(), 1)).collect();
    assert_eq!(levels, expected, "levels in order, each counted without the TRL filter");
}

async fn a_region_filter_keeps_calls_for_the_region_the_areas_containing_it_and_everyone(index: &dyn SearchIndex) {
    let in_region = |id: &str, region: &str| {
        let mut call = test_call(id, "Regional pilot", &[10]);
        call.regions = vec![region.to_owned()];
        call
    };
    put(
        index,
        vec![
            in_region("BRETAGNE", "FRH0"),
            in_region("WEST-FRANCE", "FRH"),
            in_region("ILE-DE-FRANCE", "FR10"),
            test_call("EVERYWHERE", "European pilot", &[10]),
        ],
    )
    .await;
    let found = search(index, "pilot", |q| q.regions = vec!["FRH0".into()]).await;
    let mut found_ids = ids(&found);
    found_ids.sort();
    assert_eq!(found_ids, vec!["BRETAGNE", "EVERYWHERE", "WEST-FRANCE"]);
    let counts: Vec<(String, u64)> = found.facets.region.into_iter().map(|f| (f.value, f.count)).collect();
    assert_eq!(
        counts,
        vec![("FRH0".into(), 3), ("FR10".into(), 2), ("FRH".into(), 2)],
        "each region counts the calls open to it: its own, its larger areas' and the unrestricted"
    );
}

/// Meilisearch only: a refused request is an error the caller sees, never an empty result.
#[tokio::test]
async fn meilisearch_errors_are_surfaced_not_swallowed() {
    let Some((url, _)) = meili_server() else {
        eprintln!("skipped on Meilisearch: MEILI_URL is not set");
        return;
    };
    let wrong_key = MeiliIndex::new(&url, Some("not-the-key"), "fundbridge-conformance-refused").unwrap();
    let error = wrong_key
        .search(&SearchRequest {
            query: CallQuery::default(),
            now: snapshot_day(),
        })
        .await
        .unwrap_err();
    assert!(error.to_string().contains("meilisearch"), "{error}");
    let error = wrong_key
        .apply(vec![IndexChange::Delete("A/1".into())])
        .await
        .unwrap_err();
    assert!(error.to_string().contains("meilisearch"), "{error}");
}
