//! Consortia through the services, on both backends: the lead's people build one for a call,
//! each save showing the gaps still open against the call's rules; the partners' people see
//! it only once shared, and accept or decline (a decline opens its gaps again); every broken
//! rule is refused with nothing changed; outsiders learn nothing.

use crate::accounts::{services, start, verified_session};
use crate::matching::{armor_secure, call};
use domain::matching::consortium::{Answer, ConsortiumForm, ConsortiumRole, MAX_CONSORTIUM_MEMBERS};
use domain::organisation::NewOrganisationForm;
use domain::profile::ProfileForm;
use domain::services::{consortia, memberships, profiles, AppState, ServiceError};
use domain::store::Store;
use std::sync::Arc;

const CALL: &str = "HORIZON-CL3-2027-CS-ECCC-03";
const CRYPTOLOGY: &str = "Cryptology (Cryptography and Cryptanalysis)";

/// An organisation of `country` with `capabilities`, and its editor's session.
async fn organisation(
    store: &Arc<dyn Store>,
    state: &AppState,
    email: &str,
    name: &str,
    country: &str,
    capabilities: &[&str],
) -> (String, String) {
    let editor = verified_session(store, email).await;
    let form = NewOrganisationForm {
        name: name.into(),
        kind: "sme".into(),
        country: country.into(),
        ..NewOrganisationForm::default()
    };
    let id = memberships::create_organisation(state, Some(&editor), &form)
        .await
        .unwrap();
    let profile = ProfileForm {
        capabilities: capabilities.iter().map(|c| (*c).to_owned()).collect(),
        ..ProfileForm::default()
    };
    profiles::save_profile(state, Some(&editor), &id, &profile)
        .await
        .unwrap();
    (editor, id)
}

fn form(lead: &str, partners: &[&str], share: bool) -> ConsortiumForm {
    ConsortiumForm {
        call_id: CALL.into(),
        lead_id: lead.into(),
        name: String::new(),
        partners: partners
            .iter()
            .map(|p| ((*p).to_owned(), ConsortiumRole::Partner))
            .collect(),
        lead_role: ConsortiumRole::Coordinator,
        share,
    }
}

async fn a_consortium_closes_its_gaps_as_partners_join_and_partners_see_it_once_shared(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let mut eccc = call(
        CALL,
        "Post-quantum networks",
        "Quantum-safe network security for operators.",
        &["network-security", "cryptology"],
    );
    eccc.min_partners = Some(3);
    eccc.min_countries = Some(3);
    store.upsert_calls(&[eccc], start()).await.unwrap();
    let (editor, armor) = armor_secure(&store, &state).await;
    profiles::save_profile(
        &state,
        Some(&editor),
        &armor,
        &ProfileForm {
            capabilities: vec!["network-security".into()],
            ..ProfileForm::default()
        },
    )
    .await
    .unwrap();
    let (kaia, tartu) = organisation(&store, &state, "kaia@tartu.ee", "Tartu Crypto", "EE", &["cryptology"]).await;
    let (_, porto) = organisation(&store, &state, "rui@porto.pt", "Porto Labs", "PT", &[]).await;

    // Before anything is saved: the lead alone, coordinating, and what it lacks.
    let alone = consortia::consortium_for_call(&state, Some(&editor), CALL, "")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alone.id, None);
    assert_eq!(alone.members.len(), 1);
    assert_eq!(alone.gaps.capabilities, [CRYPTOLOGY]);
    assert_eq!(
        (alone.gaps.partners, alone.gaps.countries),
        (Some((3, 2)), Some((3, 2)))
    );
    assert!(!alone.gaps.no_coordinator);
    assert!(consortia::consortium_for_call(&state, None, CALL, "")
        .await
        .unwrap()
        .is_none());

    // Adding Tartu closes the capability gap; a draft the partner does not see.
    let draft = consortia::save_consortium(&state, Some(&editor), &form(&armor, &[&tartu], false))
        .await
        .unwrap();
    let id = draft.id.expect("saved");
    assert_eq!(draft.name, "Post-quantum networks", "a blank name is the call's title");
    assert!(draft.gaps.capabilities.is_empty());
    assert_eq!(draft.gaps.partners, Some((3, 1)));
    assert_eq!(draft.members[1].brings, [CRYPTOLOGY]);
    assert_eq!(draft.members[1].answer, Answer::Invited);
    assert!(consortia::my_consortia(&state, Some(&kaia)).await.unwrap().is_empty());
    assert!(matches!(
        consortia::consortium(&state, Some(&kaia), id).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        consortia::answer_consortium(&state, Some(&kaia), id, &tartu, true).await,
        Err(ServiceError::NotFound(_))
    ));

    // Porto closes the last gaps; shared, the partner sees it and accepts.
    let shared = consortia::save_consortium(&state, Some(&editor), &form(&armor, &[&tartu, &porto], true))
        .await
        .unwrap();
    assert_eq!(shared.id, Some(id), "one consortium per call and lead");
    assert!(shared.gaps.is_closed(), "{:?}", shared.gaps.sentences());
    let seen = consortia::my_consortia(&state, Some(&kaia)).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].answering_for,
        [(tartu.clone(), "Tartu Crypto".to_owned(), Answer::Invited)]
    );
    assert!(!seen[0].can_edit);
    let accepted = consortia::answer_consortium(&state, Some(&kaia), id, &tartu, true)
        .await
        .unwrap();
    assert_eq!(accepted.members[1].answer, Answer::Accepted);

    // The lead saving again keeps the answer; a decline opens the gap again.
    let renamed = ConsortiumForm {
        name: "PQ-NET".into(),
        ..form(&armor, &[&tartu, &porto], false)
    };
    let kept = consortia::save_consortium(&state, Some(&editor), &renamed)
        .await
        .unwrap();
    assert_eq!(
        (kept.name.as_str(), kept.shared),
        ("PQ-NET", true),
        "sharing is never taken back"
    );
    assert_eq!(kept.members[1].answer, Answer::Accepted);
    let declined = consortia::answer_consortium(&state, Some(&kaia), id, &tartu, false)
        .await
        .unwrap();
    assert_eq!(declined.gaps.capabilities, [CRYPTOLOGY]);
    assert!(!declined.gaps.is_closed());
    let listed = consortia::my_consortia(&state, Some(&editor)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].can_edit);
}

async fn a_consortium_refuses_broken_rules_and_outsiders_with_nothing_changed(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    store
        .upsert_calls(&[call(CALL, "Post-quantum networks", "", &["cryptology"])], start())
        .await
        .unwrap();
    let (editor, armor) = armor_secure(&store, &state).await;
    let (kaia, tartu) = organisation(&store, &state, "kaia@tartu.ee", "Tartu Crypto", "EE", &["cryptology"]).await;
    let outsider = verified_session(&store, "eve@example.eu").await;
    let id = consortia::save_consortium(&state, Some(&editor), &form(&armor, &[&tartu], true))
        .await
        .unwrap()
        .id
        .unwrap();
    let before = store.consortium(id).await.unwrap();

    let two_coordinators = ConsortiumForm {
        partners: vec![(tartu.clone(), ConsortiumRole::Coordinator)],
        ..form(&armor, &[], false)
    };
    let too_many: Vec<String> = (0..MAX_CONSORTIUM_MEMBERS).map(|n| format!("org-{n}")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let broken = [
        (form(&armor, &[&tartu, &tartu], false), "twice"),
        (form(&armor, &[&armor], false), "in it already"),
        (form(&armor, &["no-such-organisation"], false), "not in the directory"),
        (form(&armor, &["<script>"], false), "not in the directory"),
        (two_coordinators, "one coordinator"),
        (form(&armor, &too_many, false), "at most 30"),
        (
            ConsortiumForm {
                name: "PQ\u{1b}[31m".into(),
                ..form(&armor, &[&tartu], false)
            },
            "control character",
        ),
        (
            ConsortiumForm {
                name: "n".repeat(121),
                ..form(&armor, &[&tartu], false)
            },
            "under 120",
        ),
    ];
    for (form, expected) in broken {
        match consortia::save_consortium(&state, Some(&editor), &form).await {
            Err(ServiceError::Invalid(message)) => assert!(message.contains(expected), "{message}"),
            other => panic!("{expected}: {other:?}"),
        }
    }
    let unknown_call = ConsortiumForm {
        call_id: "NO-SUCH-CALL".into(),
        ..form(&armor, &[&tartu], false)
    };
    assert!(matches!(
        consortia::save_consortium(&state, Some(&editor), &unknown_call).await,
        Err(ServiceError::NotFound(_))
    ));

    // Outsiders: not the lead's to change, not theirs to see or answer for.
    assert!(matches!(
        consortia::save_consortium(&state, Some(&outsider), &form(&armor, &[&tartu], true)).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        consortia::save_consortium(&state, None, &form(&armor, &[&tartu], true)).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(matches!(
        consortia::consortium(&state, Some(&outsider), id).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        consortia::answer_consortium(&state, Some(&outsider), id, &tartu, true).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(
        matches!(
            consortia::answer_consortium(&state, Some(&editor), id, &armor, false).await,
            Err(ServiceError::NotFound(_))
        ),
        "the lead does not answer its own consortium"
    );
    assert!(matches!(
        consortia::answer_consortium(&state, Some(&kaia), id + 1000, &tartu, true).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(consortia::my_consortia(&state, Some(&outsider))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.consortium(id).await.unwrap(), before, "nothing changed");
}

crate::on_both_backends!(shared:
    a_consortium_closes_its_gaps_as_partners_join_and_partners_see_it_once_shared,
    a_consortium_refuses_broken_rules_and_outsiders_with_nothing_changed,
);
