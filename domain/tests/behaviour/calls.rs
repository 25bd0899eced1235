//! Calls: create, read, upsert, filter, page, sort and status derivation.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::call::CallDates;
use domain::demo::{self, DemoSize};
use domain::store::{NewCall, Store, UpsertOutcome};
use domain::Trl;
use domain::{BudgetRange, CallQuery, CallSort, CallStatus, ClosesWithin, Deadline, InstrumentKind};
use std::collections::HashSet;

/// The instant these tests call "now".
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn days(n: i64) -> DateTime<Utc> {
    now() + Duration::days(n)
}

fn deadline(stage: i32, at: DateTime<Utc>) -> Deadline {
    Deadline {
        stage,
        at,
        label: Some(format!("Stage {stage}")),
    }
}

fn call(id: &str, title: &str, programme: &str) -> NewCall {
    let mut call = NewCall::new(id, "test", title, programme, "European Commission");
    call.opening_at = Some(days(-30));
    call
}

/// A small catalogue covering each status, kind and sort key.
fn catalogue() -> Vec<NewCall> {
    let mut open_soon = call("HE-OPEN-SOON", "Alpha cyber resilience", "Horizon Europe");
    open_soon.deadlines = vec![deadline(1, days(5))];
    open_soon.sme_only = true;
    open_soon.budget_max_eur = Some(4_000_000);

    let mut open_later = call("HE-OPEN-LATER", "Bravo post-quantum migration", "Horizon Europe");
    open_later.deadlines = vec![deadline(1, days(-10)), deadline(2, days(60))];
    open_later.budget_max_eur = Some(6_000_000);

    let mut forthcoming = call("DEP-FORTHCOMING", "Charlie SOC deployment", "Digital Europe");
    forthcoming.opening_at = Some(days(20));
    forthcoming.deadlines = vec![deadline(1, days(120))];
    forthcoming.budget_max_eur = Some(2_000_000);

    let mut closed = call("EDF-CLOSED", "Delta tactical networks", "European Defence Fund");
    closed.deadlines = vec![deadline(1, days(-3))];
    closed.dual_use = true;
    closed.budget_max_eur = Some(30_000_000);

    let mut rolling = call("EIF-ROLLING", "Echo venture debt window", "InvestEU");
    rolling.instrument_kind = InstrumentKind::QuasiEquity;
    rolling.opening_at = Some(days(-400));

    let mut announced = call("HE-ANNOUNCED", "Foxtrot quantum sensing", "Horizon Europe");
    announced.opening_at = None;
    announced.announced_forthcoming = true;
    announced.deadlines = vec![deadline(1, days(200))];

    vec![open_soon, open_later, forthcoming, closed, rolling, announced]
}

async fn store_with_catalogue(store: &dyn Store) {
    let outcomes = store.upsert_calls(&catalogue(), now()).await.unwrap();
    assert!(outcomes.iter().all(|o| *o == UpsertOutcome::Inserted));
}

fn ids(page: &domain::CallPage) -> Vec<&str> {
    page.items.iter().map(|c| c.external_id.as_str()).collect()
}

async fn list(store: &dyn Store, query: CallQuery) -> domain::CallPage {
    store.list_calls(&query, now()).await.unwrap()
}

async fn a_created_call_reads_back_with_all_its_fields(store: &dyn Store) {
    let mut new = call(
        "HORIZON-CL3-2026-02-CS-ECCC-01",
        "Security in software development",
        "Horizon Europe",
    );
    new.programme_part = Some("CL3".into());
    new.call_identifier = Some("HORIZON-CL3-2026-02".into());
    new.action_type = Some("RIA".into());
    new.deadlines = vec![deadline(2, days(90)), deadline(1, days(10))];
    new.budget_min_eur = Some(3_000_000);
    new.budget_max_eur = Some(4_000_000);
    new.expected_grants = Some(5);
    new.trl_min = Trl::new(4).ok();
    new.trl_max = Trl::new(6).ok();
    new.sme_only = true;
    new.dual_use = true;
    new.eligible_countries = vec!["FR".parse().unwrap(), "DE".parse().unwrap()];
    new.eligible_regions = vec!["FRH0".parse().unwrap()];
    new.keywords = vec!["software security".into(), "SBOM".into()];
    new.description = "Line one <script>alert(1)</script>\nLine two".into();
    new.url = Some("https://example.eu/topic".into());
    store.upsert_calls(std::slice::from_ref(&new), now()).await.unwrap();

    let read = store.get_call(&new.external_id, now()).await.unwrap().expect("stored");
    assert_eq!(read.summary.title, new.title);
    assert_eq!(read.summary.programme_part.as_deref(), Some("CL3"));
    assert_eq!(read.summary.status, CallStatus::Open);
    assert_eq!(read.summary.next_deadline.as_ref().map(|d| d.stage), Some(1));
    assert_eq!(read.summary.deadline_count, 2);
    assert!(read.summary.sme_only && read.summary.dual_use);
    assert_eq!(
        read.deadlines.iter().map(|d| (d.stage, d.at)).collect::<Vec<_>>(),
        vec![(1, days(10)), (2, days(90))]
    );
    assert_eq!(read.opening_at, Some(days(-30)));
    assert_eq!(
        (read.summary.budget_min_eur, read.summary.budget_max_eur),
        (Some(3_000_000), Some(4_000_000))
    );
    assert_eq!(
        (read.trl_min, read.trl_max, read.expected_grants),
        (Trl::new(4).ok(), Trl::new(6).ok(), Some(5))
    );
    assert_eq!(read.eligible_countries, vec!["FR", "DE"]);
    assert_eq!(read.eligible_regions, vec!["FRH0"]);
    assert_eq!(read.keywords, vec!["software security", "SBOM"]);
    assert_eq!(read.description, new.description, "text is stored exactly as written");
    assert_eq!(read.url, new.url);
    assert_eq!(store.get_call("NO-SUCH-CALL", now()).await.unwrap(), None);
}

async fn every_field_written_is_read_back_unchanged(store: &dyn Store) {
    let mut data = demo::generate(5, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), DemoSize::DEMO);
    // What only the call editor writes: chosen topics, who may apply, contact, documents.
    let edited = &mut data.calls[0];
    edited.chosen_topics = Some(domain::call::CallTopics {
        domains: vec!["cryptology".into()],
        sectors: vec![],
    });
    edited.applicant_kinds = vec![
        domain::organisation::OrganisationKind::Sme,
        domain::organisation::OrganisationKind::University,
    ];
    edited.contact = Some("helpdesk@region.example".into());
    edited.documents = vec![domain::call::DocumentLink {
        label: "Guide for applicants".into(),
        url: "https://region.example/guide.pdf".into(),
    }];
    edited.local_amounts = Some(domain::money::LocalAmounts {
        currency: "PLN".into(),
        micro_rate: 4_251_300,
        total: Some(8_500_000),
        min: None,
        max: Some(425_000),
    });
    store.upsert_calls(&data.calls, now()).await.unwrap();
    let first = store
        .get_call(&data.calls[0].external_id, now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (first.domains.as_slice(), first.topics_chosen),
        (&["cryptology".to_owned()][..], true)
    );
    for written in &data.calls {
        let read = store.get_call(&written.external_id, now()).await.unwrap().unwrap();
        assert_eq!(&NewCall::from(&read), written);
    }
}

async fn writing_the_same_external_id_again_updates_the_call(store: &dyn Store) {
    let mut first = call(
        "EDF-2026-RA-CYBER",
        "Cyber situational awareness",
        "European Defence Fund",
    );
    first.deadlines = vec![deadline(1, days(10)), deadline(2, days(40))];
    assert_eq!(
        store.upsert_calls(std::slice::from_ref(&first), now()).await.unwrap(),
        vec![UpsertOutcome::Inserted]
    );
    assert_eq!(
        store.upsert_calls(std::slice::from_ref(&first), now()).await.unwrap(),
        vec![UpsertOutcome::Unchanged]
    );

    let mut changed = first.clone();
    changed.title = "Cyber situational awareness and response".into();
    changed.deadlines = vec![deadline(1, days(15))];
    let later = now() + Duration::hours(1);
    assert_eq!(
        store.upsert_calls(&[changed], later).await.unwrap(),
        vec![UpsertOutcome::Updated]
    );

    let read = store.get_call("EDF-2026-RA-CYBER", now()).await.unwrap().unwrap();
    assert_eq!(read.summary.title, "Cyber situational awareness and response");
    assert_eq!(read.deadlines.len(), 1, "old deadlines are replaced, not kept");
    assert_eq!(read.updated_at, later);
    assert_eq!(store.counts().await.unwrap().calls, 1);
}

async fn an_invalid_call_in_a_batch_writes_nothing(store: &dyn Store) {
    let good = call("GOOD-1", "Good call", "Horizon Europe");
    let mut bad = call("BAD-1", "Bad call", "Horizon Europe");
    bad.trl_min = Trl::new(7).ok();
    bad.trl_max = Trl::new(3).ok();
    let error = store.upsert_calls(&[good, bad], now()).await.unwrap_err().to_string();
    assert!(error.contains("BAD-1") && error.contains("TRL"), "{error}");
    assert_eq!(store.counts().await.unwrap().calls, 0, "the batch is one transaction");
}

async fn filters_by_programme_kind_and_status_combine(store: &dyn Store) {
    store_with_catalogue(store).await;
    let by = |programmes: &[&str], kinds: &[InstrumentKind], statuses: &[CallStatus]| CallQuery {
        programmes: programmes.iter().map(|p| (*p).to_owned()).collect(),
        kinds: kinds.to_vec(),
        statuses: statuses.to_vec(),
        sort: CallSort::Title,
        ..CallQuery::default()
    };

    let page = list(store, by(&["Horizon Europe"], &[], &[])).await;
    assert_eq!(ids(&page), vec!["HE-OPEN-SOON", "HE-OPEN-LATER", "HE-ANNOUNCED"]);
    assert_eq!(page.total, 3);

    let page = list(store, by(&["Horizon Europe", "InvestEU"], &[], &[CallStatus::Open])).await;
    assert_eq!(ids(&page), vec!["HE-OPEN-SOON", "HE-OPEN-LATER", "EIF-ROLLING"]);

    let page = list(
        store,
        by(&[], &[InstrumentKind::QuasiEquity, InstrumentKind::Loan], &[]),
    )
    .await;
    assert_eq!(ids(&page), vec!["EIF-ROLLING"]);

    let page = list(store, by(&[], &[], &[CallStatus::Forthcoming])).await;
    assert_eq!(ids(&page), vec!["DEP-FORTHCOMING", "HE-ANNOUNCED"]);

    let page = list(store, by(&[], &[], &[CallStatus::Closed])).await;
    assert_eq!(ids(&page), vec!["EDF-CLOSED"]);
    assert!(page.items.iter().all(|c| c.status == CallStatus::Closed));

    let page = list(store, by(&["Nonexistent programme"], &[], &[])).await;
    assert!(page.items.is_empty());
    assert_eq!((page.total, page.page_count()), (0, 1));
}

async fn sme_only_and_dual_use_narrow_the_list(store: &dyn Store) {
    store_with_catalogue(store).await;
    let sme = list(
        store,
        CallQuery {
            sme_only: true,
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(ids(&sme), vec!["HE-OPEN-SOON"]);
    let dual = list(
        store,
        CallQuery {
            dual_use: true,
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(ids(&dual), vec!["EDF-CLOSED"]);
    let both = list(
        store,
        CallQuery {
            sme_only: true,
            dual_use: true,
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(both.total, 0);
}

async fn country_budget_trl_and_deadline_window_filters_narrow_the_list(store: &dyn Store) {
    let mut calls = catalogue();
    calls[0].eligible_countries = vec!["PT".parse().unwrap(), "ES".parse().unwrap()];
    calls[1].eligible_countries = vec!["FR".parse().unwrap()];
    (calls[0].trl_min, calls[0].trl_max) = (Trl::new(3).ok(), Trl::new(5).ok());
    (calls[1].trl_min, calls[1].trl_max) = (Trl::new(6).ok(), None);
    calls[2].eligible_regions = vec!["FRH0".parse().unwrap()];
    calls[3].eligible_regions = vec!["FRH".parse().unwrap()];
    calls[4].eligible_regions = vec!["FR10".parse().unwrap()];
    store.upsert_calls(&calls, now()).await.unwrap();
    let sorted = |page: domain::CallPage| {
        let mut ids: Vec<String> = page.items.into_iter().map(|c| c.external_id).collect();
        ids.sort();
        ids
    };
    let portugal = list(
        store,
        CallQuery {
            countries: vec!["PT".into()],
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(portugal.total, 5, "the call for France only is left out");
    assert!(!sorted(portugal).contains(&"HE-OPEN-LATER".to_owned()));
    let budgets = list(
        store,
        CallQuery {
            budgets: vec![BudgetRange::From2mTo10m],
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(
        sorted(budgets),
        vec!["DEP-FORTHCOMING", "HE-OPEN-LATER", "HE-OPEN-SOON"],
        "€2M is in the bracket, €30M and no budget are not"
    );
    let within_week = list(
        store,
        CallQuery {
            closes_within: Some(ClosesWithin::Week),
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(sorted(within_week), vec!["HE-OPEN-SOON"]);
    let trl = |levels: Vec<u8>| CallQuery {
        trl: levels,
        ..CallQuery::default()
    };
    assert_eq!(sorted(list(store, trl(vec![5])).await), vec!["HE-OPEN-SOON"]);
    assert_eq!(
        sorted(list(store, trl(vec![6])).await),
        vec!["HE-OPEN-LATER"],
        "one stated bound is the whole range"
    );
    assert_eq!(list(store, trl(vec![9])).await.total, 0);
    let region = list(
        store,
        CallQuery {
            regions: vec!["FRH0".into()],
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(
        sorted(region),
        vec![
            "DEP-FORTHCOMING",
            "EDF-CLOSED",
            "HE-ANNOUNCED",
            "HE-OPEN-LATER",
            "HE-OPEN-SOON"
        ],
        "the region's own call, the one for the area containing it, and the unrestricted ones"
    );
    let within_quarter = list(
        store,
        CallQuery {
            closes_within: Some(ClosesWithin::Quarter),
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(
        sorted(within_quarter),
        vec!["HE-OPEN-LATER", "HE-OPEN-SOON"],
        "a second stage in 60 days counts; a passed first stage and a closed call do not"
    );
}

async fn topic_area_and_sector_filters_use_the_classification_of_the_text(store: &dyn Store) {
    let mut pqc = call("PQC", "Post-quantum cryptography for hospitals", "Horizon Europe");
    pqc.description = "Migrating patient records to quantum-safe encryption.".into();
    let mut space = call("SAT", "Resilient satellite ground stations", "Horizon Europe");
    space.keywords = vec!["Space".into(), "ground segment".into()];
    store.upsert_calls(&[pqc, space], now()).await.unwrap();
    let found = |pairs: &'static [(&'static str, &'static str)]| {
        let query = CallQuery::from_pairs(pairs.iter().copied());
        async move { list(store, query).await }
    };
    assert_eq!(ids(&found(&[("domain", "cryptology")]).await), vec!["PQC"]);
    assert_eq!(ids(&found(&[("sector", "health")]).await), vec!["PQC"]);
    assert_eq!(ids(&found(&[("sector", "space")]).await), vec!["SAT"]);
    assert_eq!(
        found(&[("domain", "cryptology"), ("sector", "space")]).await.total,
        0,
        "filters of different dimensions combine"
    );
    let both = found(&[("sector", "health"), ("sector", "space")]).await;
    assert_eq!(both.total, 2, "values of one dimension are alternatives");
}

async fn calls_read_in_a_batch_keep_the_order_asked_and_skip_unknown_ids(store: &dyn Store) {
    store_with_catalogue(store).await;
    let asked: Vec<String> = ["HE-OPEN-LATER", "NO-SUCH-CALL", "EIF-ROLLING", "HE-OPEN-SOON"]
        .map(str::to_owned)
        .to_vec();
    let found = store.call_details(&asked, now()).await.unwrap();
    let ids: Vec<&str> = found.iter().map(|c| c.summary.external_id.as_str()).collect();
    assert_eq!(ids, vec!["HE-OPEN-LATER", "EIF-ROLLING", "HE-OPEN-SOON"]);
    assert_eq!(found[0].deadlines.len(), 2, "each call with its own deadlines");
    assert!(found[1].deadlines.is_empty());
    assert_eq!(found[2], store.get_call("HE-OPEN-SOON", now()).await.unwrap().unwrap());
    assert!(store.call_details(&[], now()).await.unwrap().is_empty());
}

async fn the_deadline_sort_puts_upcoming_deadlines_first_then_rolling_then_closed(store: &dyn Store) {
    store_with_catalogue(store).await;
    let page = list(store, CallQuery::default()).await;
    assert_eq!(
        ids(&page),
        vec![
            "HE-OPEN-SOON",
            "HE-OPEN-LATER",
            "DEP-FORTHCOMING",
            "HE-ANNOUNCED",
            "EIF-ROLLING",
            "EDF-CLOSED"
        ]
    );
    let later = &page.items[1];
    assert_eq!(
        later.next_deadline.as_ref().map(|d| d.stage),
        Some(2),
        "the passed first stage is skipped"
    );
}

async fn other_sorts_order_by_budget_title_and_newest(store: &dyn Store) {
    store_with_catalogue(store).await;
    let sorted = |sort| CallQuery {
        sort,
        ..CallQuery::default()
    };
    let by_budget = list(store, sorted(CallSort::Budget)).await;
    assert_eq!(
        ids(&by_budget)[..4],
        ["EDF-CLOSED", "HE-OPEN-LATER", "HE-OPEN-SOON", "DEP-FORTHCOMING"]
    );
    let by_title = list(store, sorted(CallSort::Title)).await;
    assert_eq!(
        by_title.items.first().map(|c| c.title.as_str()),
        Some("Alpha cyber resilience")
    );
    assert_eq!(
        by_title.items.last().map(|c| c.title.as_str()),
        Some("Foxtrot quantum sensing")
    );
    let newest = list(store, sorted(CallSort::Newest)).await;
    assert_eq!(
        ids(&newest)[0],
        "DEP-FORTHCOMING",
        "opens in 20 days: the most recent opening date"
    );
}

async fn pages_cover_every_call_exactly_once(store: &dyn Store) {
    let data = demo::generate(3, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), DemoSize::DEMO);
    store.upsert_calls(&data.calls, now()).await.unwrap();
    for sort in CallSort::ALL {
        let mut seen = HashSet::new();
        let mut page_number = 1;
        loop {
            let page = list(
                store,
                CallQuery {
                    sort,
                    page: page_number,
                    per_page: 37,
                    ..CallQuery::default()
                },
            )
            .await;
            assert_eq!(page.total, 300);
            if page.items.is_empty() {
                break;
            }
            for item in &page.items {
                assert!(
                    seen.insert(item.external_id.clone()),
                    "{} appears twice with {sort:?}",
                    item.external_id
                );
            }
            page_number += 1;
        }
        assert_eq!(seen.len(), 300, "{sort:?}");
        assert_eq!(page_number - 1, 300_u32.div_ceil(37));
    }
}

async fn the_status_filter_agrees_with_the_status_rule_at_every_instant(store: &dyn Store) {
    let data = demo::generate(11, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), DemoSize::DEMO);
    store.upsert_calls(&data.calls, now()).await.unwrap();
    for offset_days in [-200, -30, 0, 45, 400] {
        let instant = now() + Duration::days(offset_days) + Duration::minutes(7);
        for status in CallStatus::ALL {
            let expected: HashSet<&str> = data
                .calls
                .iter()
                .filter(|c| {
                    let dates = CallDates {
                        opening_at: c.opening_at,
                        announced_forthcoming: c.announced_forthcoming,
                        deadlines: &c.deadlines,
                    };
                    dates.status_at(instant) == status
                })
                .map(|c| c.external_id.as_str())
                .collect();
            let query = CallQuery {
                statuses: vec![status],
                per_page: 100,
                ..CallQuery::default()
            };
            let mut found = HashSet::new();
            let mut page = 1;
            loop {
                let result = store
                    .list_calls(&CallQuery { page, ..query.clone() }, instant)
                    .await
                    .unwrap();
                if result.items.is_empty() {
                    break;
                }
                for item in result.items {
                    assert_eq!(item.status, status, "{} at {instant}", item.external_id);
                    found.insert(item.external_id);
                }
                page += 1;
            }
            let found: HashSet<&str> = found.iter().map(String::as_str).collect();
            assert_eq!(found, expected, "{status:?} at {instant}");
        }
    }
}

async fn a_call_whose_deadline_passed_an_hour_ago_is_closed_now(store: &dyn Store) {
    let mut just_closed = call("JUST-CLOSED", "Just closed", "Horizon Europe");
    just_closed.deadlines = vec![deadline(1, now() - Duration::hours(1))];
    store
        .upsert_calls(&[just_closed], now() - Duration::days(1))
        .await
        .unwrap();
    let read = store.get_call("JUST-CLOSED", now()).await.unwrap().unwrap();
    assert_eq!(read.summary.status, CallStatus::Closed);
    let earlier = store
        .get_call("JUST-CLOSED", now() - Duration::hours(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(earlier.summary.status, CallStatus::Open);
    let closed = list(
        store,
        CallQuery {
            statuses: vec![CallStatus::Closed],
            ..CallQuery::default()
        },
    )
    .await;
    assert_eq!(ids(&closed), vec!["JUST-CLOSED"]);
}

async fn programmes_are_counted_largest_first(store: &dyn Store) {
    store_with_catalogue(store).await;
    let counts = store.programme_counts().await.unwrap();
    let pairs: Vec<(&str, u64)> = counts.iter().map(|c| (c.programme.as_str(), c.count)).collect();
    assert_eq!(
        pairs,
        vec![
            ("Horizon Europe", 3),
            ("Digital Europe", 1),
            ("European Defence Fund", 1),
            ("InvestEU", 1)
        ]
    );
}

crate::on_both_backends!(
    topic_area_and_sector_filters_use_the_classification_of_the_text,
    a_created_call_reads_back_with_all_its_fields,
    every_field_written_is_read_back_unchanged,
    writing_the_same_external_id_again_updates_the_call,
    an_invalid_call_in_a_batch_writes_nothing,
    filters_by_programme_kind_and_status_combine,
    sme_only_and_dual_use_narrow_the_list,
    the_deadline_sort_puts_upcoming_deadlines_first_then_rolling_then_closed,
    other_sorts_order_by_budget_title_and_newest,
    pages_cover_every_call_exactly_once,
    the_status_filter_agrees_with_the_status_rule_at_every_instant,
    a_call_whose_deadline_passed_an_hour_ago_is_closed_now,
    programmes_are_counted_largest_first,
    country_budget_trl_and_deadline_window_filters_narrow_the_list,
    calls_read_in_a_batch_keep_the_order_asked_and_skip_unknown_ids,
);
