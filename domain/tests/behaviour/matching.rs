//! Matching through the services, on both backends: a member sees the calls that fit their
//! organisation first with reasons, calls something excludes listed apart with the reason,
//! "not relevant" marks that stay, the fit on a call's page, outsiders refused, and a new call
//! matched as soon as it is stored.

use crate::accounts::{services, start, verified_session};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::call::{CallTopics, Deadline};
use domain::codes::{CountryCode, NutsCode};
use domain::matching::{BlockerKind, FitKind, MatchQuery, MatchShow};
use domain::organisation::NewOrganisationForm;
use domain::profile::ProfileForm;
use domain::search::embedded::EmbeddedIndex;
use domain::search::{indexer, SearchIndex};
use domain::services::{matching, memberships, profiles, AppState, Clock, ServiceError};
use domain::store::{NewCall, Store};
use std::sync::Arc;

fn days(n: i64) -> DateTime<Utc> {
    start() + Duration::days(n)
}

pub(crate) fn call(id: &str, title: &str, description: &str, domains: &[&str]) -> NewCall {
    let mut call = NewCall::new(id, "test", title, "Horizon Europe", "European Commission");
    call.opening_at = Some(days(-30));
    call.deadlines = vec![Deadline {
        stage: 1,
        at: days(90),
        label: None,
    }];
    call.description = description.to_owned();
    call.chosen_topics = Some(CallTopics {
        domains: domains.iter().map(|d| (*d).to_owned()).collect(),
        sectors: Vec::new(),
    });
    call
}

pub(crate) fn catalogue() -> Vec<NewCall> {
    let eccc = call(
        "HORIZON-CL3-2027-CS-ECCC-01",
        "Intrusion detection for industrial networks",
        "Monitoring of industrial control networks, intrusion detection and incident response for utilities.",
        &["network-security", "incident-handling"],
    );
    let mut bavarian = call(
        "BY-SME-CYBER-2027",
        "Bavarian SME network security vouchers",
        "Intrusion detection and network monitoring for Bavarian SMEs.",
        &["network-security"],
    );
    bavarian.sme_only = true;
    bavarian.eligible_countries = vec![CountryCode::parse("DE").unwrap()];
    let soil = call(
        "HORIZON-MISS-2027-SOIL-01",
        "Soil health living labs",
        "Living labs for soil health and farming practices.",
        &[],
    );
    let mut regional = call(
        "BZH-RIS3-2027-01",
        "Breton cybersecurity demonstrators",
        "Demonstrators of network security for Breton companies.",
        &["network-security"],
    );
    regional.eligible_regions = vec![NutsCode::parse("FRH0").unwrap()];
    vec![eccc, bavarian, soil, regional]
}

pub(crate) fn profile() -> ProfileForm {
    ProfileForm {
        description: "We build intrusion detection and monitoring for industrial control networks of water and energy utilities, and respond to incidents.".into(),
        region: "FRH0".into(),
        headcount: "12".into(),
        turnover: "1800000".into(),
        capabilities: vec!["network-security".into(), "incident-handling".into()],
        wants_funding: vec!["grant".into()],
        dual_use_interest: "civil".into(),
        ..ProfileForm::default()
    }
}

/// A French SME and its editor's session: `(session, organisation id)`.
pub(crate) async fn armor_secure(store: &Arc<dyn Store>, state: &domain::services::AppState) -> (String, String) {
    let editor = verified_session(store, "bid@armor-secure.fr").await;
    let form = NewOrganisationForm {
        name: "Armor Secure".into(),
        kind: "sme".into(),
        country: "FR".into(),
        ..NewOrganisationForm::default()
    };
    let armor = memberships::create_organisation(state, Some(&editor), &form)
        .await
        .unwrap();
    (editor, armor)
}

fn query(organisation: &str, show: MatchShow) -> MatchQuery {
    MatchQuery {
        organisation: organisation.to_owned(),
        show,
        ..MatchQuery::default()
    }
}

async fn a_member_sees_fitting_calls_first_with_reasons_and_excluded_ones_apart(store: Arc<dyn Store>) {
    let search: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = AppState::new(store.clone(), search.clone(), Clock::Fixed(start()));
    store.upsert_calls(&catalogue(), start()).await.unwrap();
    let (editor, armor) = armor_secure(&store, &state).await;
    profiles::save_profile(&state, Some(&editor), &armor, &profile())
        .await
        .unwrap();

    // The organisation is the editor's first: an empty query picks it.
    let open = matching::organisation_matches(&state, Some(&editor), &MatchQuery::default())
        .await
        .unwrap();
    assert_eq!(open.organisation_id, armor);
    let ids: Vec<&str> = open.matches.iter().map(|m| m.call.external_id.as_str()).collect();
    assert_eq!(ids[0], "HORIZON-CL3-2027-CS-ECCC-01", "{ids:?}");
    assert!(!ids.contains(&"BY-SME-CYBER-2027"), "{ids:?}");
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(
        (open.counts.open, open.counts.blocked, open.counts.not_relevant),
        (3, 1, 0)
    );
    let best = &open.matches[0];
    let capabilities = best.parts.iter().find(|p| p.kind == FitKind::Capabilities).unwrap();
    assert_eq!(capabilities.points, FitKind::Capabilities.max_points());
    assert!(
        capabilities
            .reason
            .contains("Incident Handling and Digital Forensics and Network and Distributed Systems"),
        "{capabilities:?}"
    );
    assert_eq!(best.parts.iter().map(|p| p.points).sum::<i32>(), best.score);
    assert!(open.matches.windows(2).all(|w| w[0].score >= w[1].score));

    let blocked = matching::organisation_matches(&state, Some(&editor), &query(&armor, MatchShow::Blocked))
        .await
        .unwrap();
    assert_eq!(blocked.matches.len(), 1);
    assert_eq!(blocked.matches[0].blockers[0].kind, BlockerKind::Country);
    assert!(blocked.matches[0].blockers[0]
        .reason
        .contains("Germany only; you are in France"));

    // The call's page says how it fits; anonymous visitors get nothing.
    let fits = matching::call_fits(&state, Some(&editor), "BZH-RIS3-2027-01")
        .await
        .unwrap();
    assert_eq!(fits.len(), 1);
    assert_eq!(fits[0].organisation_id, armor);
    assert!(fits[0].fit.blockers.is_empty());
    assert!(matching::call_fits(&state, None, "BZH-RIS3-2027-01")
        .await
        .unwrap()
        .is_empty());

    // "Not relevant" hides the call from the list, is remembered, and can be taken back.
    matching::mark_not_relevant(&state, Some(&editor), &armor, "HORIZON-MISS-2027-SOIL-01", true)
        .await
        .unwrap();
    let after = matching::organisation_matches(&state, Some(&editor), &query(&armor, MatchShow::Open))
        .await
        .unwrap();
    assert_eq!((after.counts.open, after.counts.not_relevant), (2, 1));
    let hidden = matching::organisation_matches(&state, Some(&editor), &query(&armor, MatchShow::NotRelevant))
        .await
        .unwrap();
    assert_eq!(hidden.matches[0].call.external_id, "HORIZON-MISS-2027-SOIL-01");
    assert!(hidden.matches[0].dismissed);
    matching::mark_not_relevant(&state, Some(&editor), &armor, "HORIZON-MISS-2027-SOIL-01", false)
        .await
        .unwrap();
    let back = matching::organisation_matches(&state, Some(&editor), &query(&armor, MatchShow::Open))
        .await
        .unwrap();
    assert_eq!(back.counts.open, 3);

    // Partners for a call: those bringing what the call names and the SME lacks, as the
    // editor may see them; nothing for anonymous visitors.
    let mut crypto = catalogue().remove(0);
    crypto.external_id = "HORIZON-CL3-2027-CS-ECCC-03".into();
    crypto.chosen_topics = Some(CallTopics {
        domains: vec!["network-security".into(), "cryptology".into()],
        sectors: Vec::new(),
    });
    store.upsert_calls(&[crypto], start()).await.unwrap();
    let partner = verified_session(&store, "kaia@tartu-crypto.ee").await;
    let tartu_form = NewOrganisationForm {
        name: "Tartu Crypto".into(),
        kind: "sme".into(),
        country: "EE".into(),
        ..NewOrganisationForm::default()
    };
    let tartu = memberships::create_organisation(&state, Some(&partner), &tartu_form)
        .await
        .unwrap();
    let crypto_profile = ProfileForm {
        capabilities: vec!["cryptology".into()],
        ..ProfileForm::default()
    };
    profiles::save_profile(&state, Some(&partner), &tartu, &crypto_profile)
        .await
        .unwrap();
    indexer::apply_all_pending(store.as_ref(), search.as_ref())
        .await
        .unwrap();
    let view = matching::call_partners(&state, Some(&editor), "HORIZON-CL3-2027-CS-ECCC-03", "")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        view.missing,
        vec!["Cryptology (Cryptography and Cryptanalysis)".to_owned()]
    );
    let first = &view.partners[0];
    assert_eq!(first.organisation.organisation.external_id, tartu);
    assert!(
        first.reasons.iter().any(|r| r.reason.starts_with("Brings Cryptology")),
        "{first:?}"
    );
    assert!(
        first.reasons.iter().any(|r| r.reason.starts_with("Estonia")),
        "{first:?}"
    );
    assert!(matching::call_partners(&state, None, "HORIZON-CL3-2027-CS-ECCC-03", "")
        .await
        .unwrap()
        .is_none());

    // A call stored later is matched at once.
    let mut later = catalogue().remove(0);
    later.external_id = "HORIZON-CL3-2027-CS-ECCC-02".into();
    store.upsert_calls(&[later], start()).await.unwrap();
    let grown = matching::organisation_matches(&state, Some(&editor), &query(&armor, MatchShow::Open))
        .await
        .unwrap();
    assert_eq!(grown.counts.open, 5);
}

async fn only_members_see_or_mark_an_organisations_matches(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    store.upsert_calls(&catalogue(), start()).await.unwrap();
    let (editor, armor) = armor_secure(&store, &state).await;
    let outsider = verified_session(&store, "eve@example.eu").await;
    assert!(matches!(
        matching::organisation_matches(&state, Some(&outsider), &query(&armor, MatchShow::Open)).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        matching::organisation_matches(&state, Some(&outsider), &MatchQuery::default()).await,
        Err(ServiceError::Invalid(message)) if message.contains("Join or add your organisation")
    ));
    assert!(matches!(
        matching::organisation_matches(&state, None, &MatchQuery::default()).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        matching::mark_not_relevant(&state, Some(&outsider), &armor, "HORIZON-MISS-2027-SOIL-01", true).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        matching::mark_not_relevant(&state, Some(&editor), &armor, "NO-SUCH-CALL", true).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(store.dismissed_calls(&armor).await.unwrap().is_empty());
}

/// The hand-written cases of `docs/matching-cases.jsonl` over the 629 real topics: every line
/// reads, the matcher finds at least as many relevant calls in its first ten as the search
/// box, and most of them, and none of its first tens holds a call it excludes (the figures are
/// in BENCHMARKS.md).
async fn the_matcher_finds_the_hand_picked_calls_at_least_as_well_as_the_search_box(store: Arc<dyn Store>) {
    let topics = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/eu-ftp-calls/calls_open_forthcoming.jsonl");
    let day = chrono::Utc.with_ymd_and_hms(2026, 8, 20, 12, 0, 0).unwrap();
    domain::import::eu_ftp::import_file(store.as_ref(), &topics, day, &domain::import::Silent)
        .await
        .unwrap();
    let search: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    indexer::apply_all_pending(store.as_ref(), search.as_ref())
        .await
        .unwrap();
    let state = AppState::new(store.clone(), search, Clock::Fixed(day));
    let cases = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/matching-cases.jsonl"),
    )
    .unwrap();
    let (cases, mistakes) = domain::matching::evaluation::read_cases(&cases);
    assert!(mistakes.is_empty(), "{mistakes:?}");
    assert!(cases.len() >= 20);
    let reports = matching::evaluate(&state, &cases).await.unwrap();
    let mean = |pick: fn(&matching::CaseReport) -> f64| reports.iter().map(pick).sum::<f64>() / reports.len() as f64;
    let matcher = mean(|r| r.matcher.recall_at_10);
    let baseline = mean(|r| r.baseline.recall_at_10);
    assert!(
        matcher >= baseline && matcher >= 0.8,
        "recall@10: matcher {matcher:.2}, search box {baseline:.2}"
    );
    // No closed or ineligible call in any of the matcher's first tens.
    assert!(reports.iter().all(|r| r.matcher_excluded == 0), "{reports:?}");
}

crate::on_both_backends!(shared:
    the_matcher_finds_the_hand_picked_calls_at_least_as_well_as_the_search_box,
    a_member_sees_fitting_calls_first_with_reasons_and_excluded_ones_apart,
    only_members_see_or_mark_an_organisations_matches,
);
