//! The matcher's rules on small worlds written here: each blocker, the parts and their
//! reasons, and — by property — that blockers always exclude, that more shared capabilities
//! never lower a score, that ranking is deterministic and that parts add up to the score.

use super::rank::Matcher;
use super::{BlockerKind, CallMatch, FitKind};
use crate::call::{CallDetail, CallStatus, CallSummary, Deadline, InstrumentKind};
use crate::codes::{CountryCode, NutsCode, Trl};
use crate::geo::RegionNames;
use crate::organisation::{Organisation, OrganisationKind};
use crate::profile::{DualUseInterest, ProfileDetails};
use crate::smart_specialisation::{Priority, Strategy as RegionStrategy};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

fn today() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 12, 0, 0).unwrap()
}

pub(super) fn call(id: &str, title: &str, description: &str) -> CallDetail {
    CallDetail {
        summary: CallSummary {
            external_id: id.to_owned(),
            title: title.to_owned(),
            programme: "Horizon Europe".to_owned(),
            programme_part: Some("CL3".to_owned()),
            instrument_kind: InstrumentKind::Grant,
            publisher: "European Commission".to_owned(),
            status: CallStatus::Open,
            next_deadline: None,
            deadline_count: 1,
            budget_min_eur: None,
            budget_max_eur: None,
            sme_only: false,
            dual_use: false,
        },
        source: "manual".to_owned(),
        call_identifier: Some(format!("{id}-CALL")),
        call_title: None,
        action_type: None,
        deadline_model: None,
        opening_at: Some(today() - Duration::days(30)),
        announced_forthcoming: false,
        deadlines: vec![Deadline {
            stage: 1,
            at: today() + Duration::days(90),
            label: None,
        }],
        deadline_time_zone: None,
        budget_total_eur: None,
        expected_grants: None,
        funding_rate_pct: None,
        trl_min: None,
        trl_max: None,
        min_partners: None,
        min_countries: None,
        eligible_countries: Vec::new(),
        eligible_regions: Vec::new(),
        keywords: Vec::new(),
        domains: Vec::new(),
        sectors: Vec::new(),
        topics_chosen: true,
        applicant_kinds: Vec::new(),
        contact: None,
        documents: Vec::new(),
        local_amounts: None,
        description: description.to_owned(),
        url: None,
        created_at: today(),
        updated_at: today(),
    }
}

pub(super) fn sme() -> Organisation {
    Organisation {
        external_id: "armor-secure".into(),
        name: "Armor Secure".into(),
        kind: OrganisationKind::Sme,
        country: CountryCode::parse("FR").unwrap(),
        nuts_code: Some(NutsCode::parse("FRH0").unwrap()),
        size_class: None,
        headcount: Some(12),
        website: None,
        description: "We monitor industrial networks and build intrusion detection for water utilities.".into(),
        dual_use: false,
        capabilities: vec!["network-security".into(), "incident-handling".into()],
        sectors: vec!["drinking-water".into()],
        certifications: Vec::new(),
        profile: ProfileDetails {
            turnover_eur: Some(1_800_000),
            offer_trl: Some(Trl::new(6).unwrap()),
            dual_use_interest: Some(DualUseInterest::Civil),
            wants_funding: vec![InstrumentKind::Grant],
            ..ProfileDetails::default()
        },
    }
}

fn bretagne() -> (Vec<RegionStrategy>, RegionNames) {
    let strategy = RegionStrategy {
        region: "FRH0".into(),
        organisation_id: "region-bretagne".into(),
        organisation_name: "Région Bretagne".into(),
        summary: String::new(),
        strategy_url: None,
        priorities: vec![Priority {
            title: "Cybersecurity and digital trust".into(),
            domains: vec!["network-security".into()],
            sectors: Vec::new(),
            text: String::new(),
        }],
        updated_at: today(),
    };
    (
        vec![strategy],
        RegionNames::from([("FRH0".to_owned(), "Bretagne".to_owned())]),
    )
}

/// Every call matched for `organisation`, blocked ones included, best first.
fn matches(calls: &[CallDetail], organisation: &Organisation) -> Vec<CallMatch> {
    let matcher = Matcher::new(calls);
    let (strategies, names) = bretagne();
    let applicant = matcher.applicant(organisation, &strategies, &[], &names);
    let mut ranked = matcher.evaluate_all(&applicant, today(), &mut Vec::new());
    matcher.sort(&mut ranked);
    ranked
        .iter()
        .map(|r| matcher.explain(&applicant, r, today(), &names))
        .collect()
}

fn blocker_kinds(found: &CallMatch) -> Vec<BlockerKind> {
    found.blockers.iter().map(|b| b.kind).collect()
}

#[test]
fn a_regional_cyber_call_of_the_smes_region_ranks_first_with_its_reasons_and_foreign_sme_calls_are_blocked() {
    let mut regional = call(
        "BZH-CYBER-2026",
        "Securing industrial networks of Breton utilities",
        "Intrusion detection and monitoring of industrial networks for water utilities in Brittany.",
    );
    regional.eligible_regions = vec![NutsCode::parse("FRH0").unwrap()];
    regional.domains = vec!["network-security".into()];
    regional.sectors = vec!["drinking-water".into()];
    regional.summary.sme_only = true;
    regional.summary.budget_max_eur = Some(300_000);
    let mut foreign = call(
        "BY-SME-2026",
        "Bavarian SME network security vouchers",
        "Intrusion detection for industrial networks.",
    );
    foreign.summary.sme_only = true;
    foreign.eligible_countries = vec![CountryCode::parse("DE").unwrap()];
    foreign.domains = vec!["network-security".into()];
    let other = call(
        "SOIL-2026",
        "Soil health living labs",
        "Farming practices for soil health.",
    );
    let found = matches(&[other, foreign, regional], &sme());

    assert_eq!(found[0].call.external_id, "BZH-CYBER-2026");
    assert!(found[0].is_open_to_apply());
    let reasons: Vec<&str> = found[0].parts.iter().map(|p| p.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("Your region Bretagne (FRH0) lists “Cybersecurity and digital trust”")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("Network and Distributed Systems")),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("Drinking water")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("€300,000")), "{reasons:?}");
    let foreign = found.iter().find(|m| m.call.external_id == "BY-SME-2026").unwrap();
    assert_eq!(blocker_kinds(foreign), vec![BlockerKind::Country]);
    assert!(
        foreign.blockers[0].reason.contains("Germany only; you are in France"),
        "{:?}",
        foreign.blockers
    );
}

#[test]
fn each_blocker_excludes_for_the_reason_it_names() {
    let organisation = sme();
    let mut closed = call("CLOSED", "Closed", "");
    closed.deadlines[0].at = today() - Duration::days(2);
    let mut region = call("REGION", "Region", "");
    region.eligible_regions = vec![NutsCode::parse("DE21").unwrap()];
    let mut loan = call("LOAN", "Loan", "");
    loan.summary.instrument_kind = InstrumentKind::Loan;
    let mut trl = call("TRL", "Trl", "");
    trl.trl_min = Some(Trl::new(7).unwrap());
    trl.trl_max = Some(Trl::new(9).unwrap());
    let mut universities = call("UNI", "Universities", "");
    universities.applicant_kinds = vec![OrganisationKind::University];
    let mut defence = call("EDF", "Defence", "");
    defence.summary.dual_use = true;
    let found = matches(&[closed, region, loan, trl, universities, defence], &organisation);
    let kinds = |id: &str| blocker_kinds(found.iter().find(|m| m.call.external_id == id).unwrap());
    assert_eq!(kinds("CLOSED"), vec![BlockerKind::Closed]);
    assert_eq!(kinds("REGION"), vec![BlockerKind::Region]);
    assert_eq!(kinds("LOAN"), vec![BlockerKind::FundingKind]);
    assert_eq!(kinds("TRL"), vec![BlockerKind::Trl]);
    assert_eq!(kinds("UNI"), vec![BlockerKind::ApplicantKind]);
    assert_eq!(kinds("EDF"), vec![BlockerKind::Defence]);
    let reason = |id: &str| {
        found.iter().find(|m| m.call.external_id == id).unwrap().blockers[0]
            .reason
            .clone()
    };
    assert!(
        reason("TRL").contains("It expects TRL 7–9; you work at TRL 6"),
        "{}",
        reason("TRL")
    );
    assert!(
        reason("LOAN").contains("It offers loan; your profile asks for grant only"),
        "{}",
        reason("LOAN")
    );

    let mut sme_only = call("SME", "Sme only", "");
    sme_only.summary.sme_only = true;
    let mut large = sme();
    large.headcount = Some(400);
    large.profile.turnover_eur = Some(90_000_000);
    assert_eq!(
        blocker_kinds(&matches(&[sme_only.clone()], &large)[0]),
        vec![BlockerKind::NotSme]
    );
    let mut university = sme();
    university.kind = OrganisationKind::University;
    assert_eq!(
        blocker_kinds(&matches(&[sme_only.clone()], &university)[0]),
        vec![BlockerKind::NotSme]
    );
    assert!(
        matches(&[sme_only], &sme())[0].blockers.is_empty(),
        "a small enterprise is an SME"
    );
}

#[test]
fn a_call_marked_not_relevant_is_hidden_and_its_siblings_lose_points_saying_why() {
    let first = call("CL3-A", "Network security A", "intrusion detection networks");
    let mut sibling = call("CL3-B", "Network security B", "intrusion detection networks");
    sibling.call_identifier = first.call_identifier.clone();
    let calls = [first, sibling];
    let matcher = Matcher::new(&calls);
    let (strategies, names) = bretagne();
    let before = matcher.applicant(&sme(), &strategies, &[], &names);
    let after = matcher.applicant(&sme(), &strategies, &["CL3-A".to_owned()], &names);
    let top_before = matcher.top(&before, today(), 10, &mut Vec::new());
    let top_after = matcher.top(&after, today(), 10, &mut Vec::new());
    assert_eq!(top_before.len(), 2);
    assert_eq!(top_after.len(), 1, "the dismissed call is hidden");
    let sibling_before = top_before.iter().find(|r| r.call == 1).unwrap();
    assert!(top_after[0].evaluation.score() < sibling_before.evaluation.score());
    let explained = matcher.explain(&after, &top_after[0], today(), &names);
    let penalty = explained.parts.iter().find(|p| p.kind == FitKind::NotRelevant).unwrap();
    assert_eq!(penalty.points, -8);
    assert!(
        penalty.reason.contains("Like CL3-A, which you marked not relevant"),
        "{penalty:?}"
    );
}

#[test]
fn a_deadline_in_five_days_ranks_below_the_same_call_in_sixty() {
    let mut soon = call("SOON", "Network intrusion detection", "intrusion detection");
    soon.deadlines[0].at = today() + Duration::days(5);
    let mut later = call("LATER", "Network intrusion detection", "intrusion detection");
    later.deadlines[0].at = today() + Duration::days(60);
    let found = matches(&[soon, later], &sme());
    assert_eq!(found[0].call.external_id, "LATER");
    assert!(found[0].score > found[1].score);
    assert!(found[1]
        .parts
        .iter()
        .any(|p| p.reason.contains("in 5 days: very little time")));
}

const CAPABILITIES: [&str; 9] = [
    "network-security",
    "cryptology",
    "incident-handling",
    "identity",
    "data-security",
    "governance",
    "cryptology-post-quantum-cryptography",
    "cryptology-hash-functions",
    "incident-handling-anti-forensics-malware",
];
#[test]
fn a_sub_domain_half_matches_its_domain_and_says_so() {
    let mut whole = call("WHOLE", "Cryptography for the grid", "Cryptography for the grid");
    whole.domains = vec!["cryptology".to_owned()];
    let mut specific = call("PQC", "Migrating to new algorithms", "Migrating to new algorithms");
    specific.domains = vec!["cryptology-post-quantum-cryptography".to_owned()];
    let calls = [whole, specific];
    let points = |organisation: &Organisation, id: &str| {
        let found = matches(&calls, organisation);
        let found = found.into_iter().find(|m| m.call.external_id == id).unwrap();
        let part = found
            .parts
            .into_iter()
            .find(|p| p.kind == FitKind::Capabilities)
            .unwrap();
        (part.points, part.reason)
    };
    let mut generalist = sme();
    generalist.description.clear();
    generalist.capabilities = vec!["cryptology".to_owned()];
    let mut specialist = generalist.clone();
    specialist.capabilities = vec!["cryptology-post-quantum-cryptography".to_owned()];
    let mut neighbour = generalist.clone();
    neighbour.capabilities = vec!["cryptology-hash-functions".to_owned()];

    let (full, reason) = points(&generalist, "WHOLE");
    assert!(full > 0);
    assert_eq!(
        reason,
        "Your capability Cryptology (Cryptography and Cryptanalysis) is among this call's topics."
    );
    assert_eq!(
        points(&specialist, "PQC").0,
        full,
        "the same sub-domain matches in full"
    );
    let (half, reason) = points(&specialist, "WHOLE");
    assert_eq!(half, (full as f32 / 2.0).round() as i32);
    assert_eq!(
        reason,
        "Your Post-quantum cryptography is part of Cryptology (Cryptography and Cryptanalysis), which it names: counts half."
    );
    let (half, reason) = points(&generalist, "PQC");
    assert_eq!(half, (full as f32 / 2.0).round() as i32);
    assert!(
        reason.starts_with("It names Post-quantum cryptography, part of your Cryptology"),
        "{reason}"
    );
    let (half, reason) = points(&neighbour, "PQC");
    assert_eq!(half, (full as f32 / 2.0).round() as i32);
    assert!(
        reason.contains("Your Hash functions and its Post-quantum cryptography are both part of"),
        "{reason}"
    );
}

const WORDS: [&str; 8] = [
    "intrusion",
    "detection",
    "cryptography",
    "water",
    "hydrogen",
    "soil",
    "forensics",
    "identity",
];

prop_compose! {
    fn arbitrary_call(number: usize)(
        capabilities in proptest::sample::subsequence(CAPABILITIES.to_vec(), 0..3),
        words in proptest::sample::subsequence(WORDS.to_vec(), 1..4),
        deadline_days in -20i64..200,
        sme_only in any::<bool>(),
        dual_use in any::<bool>(),
        foreign in any::<bool>(),
        trl_min in proptest::option::of(1u8..=9),
        loan in any::<bool>(),
        budget in proptest::option::of(10_000i64..20_000_000),
    ) -> CallDetail {
        let mut detail = call(&format!("CALL-{number}"), &words.join(" "), &words.join(" "));
        detail.domains = capabilities.iter().map(|c| (*c).to_owned()).collect();
        detail.deadlines[0].at = today() + Duration::days(deadline_days);
        detail.summary.sme_only = sme_only;
        detail.summary.dual_use = dual_use;
        if foreign {
            detail.eligible_countries = vec![CountryCode::parse("DE").unwrap()];
        }
        detail.trl_min = trl_min.map(|level| Trl::new(level).unwrap());
        if loan {
            detail.summary.instrument_kind = InstrumentKind::Loan;
        }
        detail.summary.budget_max_eur = budget;
        detail
    }
}

fn arbitrary_calls() -> impl Strategy<Value = Vec<CallDetail>> {
    (1usize..12).prop_flat_map(|n| (0..n).map(arbitrary_call).collect::<Vec<_>>())
}

prop_compose! {
    fn arbitrary_organisation()(
        capabilities in proptest::sample::subsequence(CAPABILITIES.to_vec(), 0..4),
        words in proptest::sample::subsequence(WORDS.to_vec(), 0..4),
        interest in proptest::option::of(proptest::sample::select(DualUseInterest::ALL.to_vec())),
        trl in proptest::option::of(1u8..=9),
        wants_loans in any::<bool>(),
        kind in proptest::sample::select(vec![OrganisationKind::Sme, OrganisationKind::University]),
    ) -> Organisation {
        let mut organisation = sme();
        organisation.kind = kind;
        organisation.capabilities = capabilities.iter().map(|c| (*c).to_owned()).collect();
        organisation.description = words.join(" ");
        organisation.profile.dual_use_interest = interest;
        organisation.profile.offer_trl = trl.map(|level| Trl::new(level).unwrap());
        if wants_loans {
            organisation.profile.wants_funding.push(InstrumentKind::Loan);
        }
        organisation
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_blocked_call_is_never_among_the_top_and_every_unblocked_open_call_is(
        calls in arbitrary_calls(),
        organisation in arbitrary_organisation(),
    ) {
        let matcher = Matcher::new(&calls);
        let (strategies, names) = bretagne();
        let applicant = matcher.applicant(&organisation, &strategies, &[], &names);
        let all = matcher.evaluate_all(&applicant, today(), &mut Vec::new());
        let top = matcher.top(&applicant, today(), calls.len(), &mut Vec::new());
        for ranked in &top {
            prop_assert_eq!(ranked.evaluation.blockers, 0);
            let explained = matcher.explain(&applicant, ranked, today(), &names);
            prop_assert!(explained.blockers.is_empty());
            prop_assert_ne!(explained.call.status, CallStatus::Closed);
        }
        let unblocked = all.iter().filter(|r| r.evaluation.blockers == 0).count();
        prop_assert_eq!(top.len(), unblocked);
    }

    #[test]
    fn the_parts_of_every_score_add_up_to_it_between_0_and_100(
        calls in arbitrary_calls(),
        organisation in arbitrary_organisation(),
    ) {
        for found in matches(&calls, &organisation) {
            let sum: i32 = found.parts.iter().map(|p| p.points).sum();
            prop_assert_eq!(sum, found.score);
            prop_assert!((0..=100).contains(&found.score), "{}", found.score);
            for part in &found.parts {
                prop_assert!(part.points.abs() <= part.kind.max_points());
                prop_assert!(!part.reason.is_empty());
            }
        }
    }

    #[test]
    fn adding_a_capability_a_call_asks_for_never_lowers_its_score(
        calls in arbitrary_calls(),
        organisation in arbitrary_organisation(),
        extra in proptest::sample::select(CAPABILITIES.to_vec()),
    ) {
        let mut richer = organisation.clone();
        if !richer.capabilities.iter().any(|c| c == extra) {
            richer.capabilities.push(extra.to_owned());
        }
        let before = matches(&calls, &organisation);
        let after = matches(&calls, &richer);
        for found in &before {
            let again = after.iter().find(|m| m.call.external_id == found.call.external_id).unwrap();
            prop_assert!(again.score >= found.score, "{} fell from {} to {}", found.call.external_id, found.score, again.score);
        }
    }

    #[test]
    fn ranking_is_deterministic_whatever_order_the_calls_come_in(
        calls in arbitrary_calls(),
        organisation in arbitrary_organisation(),
        seed in any::<u64>(),
    ) {
        let mut shuffled = calls.clone();
        let len = shuffled.len();
        for i in (1..len).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        let ids = |found: Vec<CallMatch>| found.into_iter().map(|m| (m.call.external_id, m.score)).collect::<Vec<_>>();
        let first = ids(matches(&calls, &organisation));
        prop_assert_eq!(&first, &ids(matches(&calls, &organisation)));
        prop_assert_eq!(&first, &ids(matches(&shuffled, &organisation)));
    }
}
