//! Organisations' pages and profiles, through the services, on both backends: an editor fills
//! the profile (mistakes refused, nothing written), the size class follows the EU rule, the
//! figures stay with the organisation's people, and only its editors change it.

use crate::accounts::{services, verified_session};
use domain::organisation::{NewOrganisationForm, SizeClass};
use domain::organisation_query::OrganisationQuery;
use domain::profile::ProfileForm;
use domain::services::{directory, memberships, profiles, ServiceError};
use domain::store::{NewCall, Store};
use std::sync::Arc;

fn company() -> NewOrganisationForm {
    NewOrganisationForm {
        name: "Aveiro Labs".into(),
        kind: "sme".into(),
        country: "PT".into(),
        region: "PT16".into(),
        website: "https://aveiro-labs.pt".into(),
        description: "Post-quantum key exchange for utilities.".into(),
    }
}

fn profile() -> ProfileForm {
    ProfileForm {
        description: "Post-quantum key exchange for utilities and grid operators.".into(),
        region: "PT16".into(),
        headcount: "12".into(),
        turnover: "2 000 000".into(),
        balance_sheet: "1 200 000".into(),
        capabilities: vec!["cryptology".into()],
        sectors: vec!["energy".into()],
        offer_trl: "6".into(),
        wants_funding: vec!["grant".into()],
        ..ProfileForm::default()
    }
}

async fn an_editor_fills_the_profile_and_outsiders_never_see_its_figures(store: Arc<dyn Store>) {
    let index = Arc::new(domain::search::embedded::EmbeddedIndex::in_memory().unwrap());
    let state = domain::services::AppState::new(
        store.clone(),
        index.clone(),
        domain::services::Clock::Fixed(crate::accounts::start()),
    );
    let editor = verified_session(&store, "ana@aveiro-labs.pt").await;
    let id = memberships::create_organisation(&state, Some(&editor), &company())
        .await
        .unwrap();

    let opened = profiles::profile_editor(&state, Some(&editor), &id).await.unwrap();
    assert_eq!(opened.form.region, "PT16");
    assert!(opened.completeness.percent < 50, "{:?}", opened.completeness);

    // Mistakes are named on their fields and nothing is written.
    let wrong = ProfileForm {
        turnover: "lots".into(),
        capabilities: vec!["alchemy".into()],
        ..profile()
    };
    match profiles::save_profile(&state, Some(&editor), &id, &wrong).await {
        Err(ServiceError::InvalidFields(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["turnover", "capabilities"]);
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert_eq!(store.get_organisation(&id).await.unwrap().unwrap().headcount, None);

    let done = profiles::save_profile(&state, Some(&editor), &id, &profile())
        .await
        .unwrap();
    assert!(done.percent >= 70, "{done:?}");
    let stored = store.get_organisation(&id).await.unwrap().unwrap();
    assert_eq!(stored.size_class, Some(SizeClass::Small));
    assert_eq!(stored.profile.turnover_eur, Some(2_000_000));
    let audit = store.organisation_audit(&id, 10).await.unwrap();
    assert!(audit.iter().any(|line| line.action == "edit_profile"), "{audit:?}");

    // Its own people see the figures; everyone else sees the size class only.
    let own = profiles::organisation_page(&state, Some(&editor), &id).await.unwrap();
    assert_eq!(own.detail.organisation.profile.turnover_eur, Some(2_000_000));
    assert!(own.completeness.is_some());
    let public = profiles::organisation_page(&state, None, &id).await.unwrap();
    assert_eq!(public.detail.organisation.profile.turnover_eur, None);
    assert_eq!(public.detail.organisation.profile.balance_sheet_eur, None);
    assert_eq!(public.size.map(|finding| finding.class), Some(SizeClass::Small));
    assert!(public.completeness.is_none());
    let card = directory::get_organisation(&state, None, &id).await.unwrap();
    assert_eq!(card.organisation.profile.turnover_eur, None);
    domain::search::indexer::apply_all_pending(store.as_ref(), index.as_ref())
        .await
        .unwrap();
    let listed = directory::search_organisations(&state, None, &OrganisationQuery::default())
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].organisation.profile.turnover_eur, None);
    assert_eq!(listed.items[0].organisation.headcount, Some(12));

    // Staff for signed-in members only: not for the public, nor in the index.
    let stranger = verified_session(&store, "eve@elsewhere.example").await;
    let members_only = ProfileForm {
        visibility: [("headcount".to_owned(), "members".to_owned())].into(),
        ..profile()
    };
    profiles::save_profile(&state, Some(&editor), &id, &members_only)
        .await
        .unwrap();
    domain::search::indexer::apply_all_pending(store.as_ref(), index.as_ref())
        .await
        .unwrap();
    let seen = |page: domain::profile::OrganisationPage| page.detail.organisation.headcount;
    assert_eq!(
        seen(profiles::organisation_page(&state, None, &id).await.unwrap()),
        None
    );
    assert_eq!(
        seen(profiles::organisation_page(&state, Some(&stranger), &id).await.unwrap()),
        Some(12)
    );
    let anonymous = directory::search_organisations(&state, None, &OrganisationQuery::default())
        .await
        .unwrap();
    assert_eq!(anonymous.items[0].organisation.headcount, None);
    let signed_in = directory::search_organisations(&state, Some(&stranger), &OrganisationQuery::default())
        .await
        .unwrap();
    assert_eq!(signed_in.items[0].organisation.headcount, Some(12));
    assert_eq!(
        signed_in.items[0].organisation.profile.turnover_eur, None,
        "the figures stay the organisation's"
    );
    let document = domain::search::organisations::OrganisationDocument::from_detail(
        &store.organisation_details(std::slice::from_ref(&id)).await.unwrap()[0],
    );
    assert_eq!(document.headcount, None, "the index holds only what the public may see");

    // The page lists the open calls its capabilities touch, in its country.
    let mut call = NewCall::new(
        "PQC-PT",
        "test",
        "Post-quantum cryptography pilots",
        "Horizon Europe",
        "EC",
    );
    call.description = "Cryptography for utilities.".into();
    call.deadlines = vec![domain::Deadline {
        stage: 1,
        at: crate::accounts::start() + chrono::Duration::days(30),
        label: None,
    }];
    let mut elsewhere = call.clone();
    elsewhere.external_id = "PQC-FR".into();
    elsewhere.eligible_countries = vec!["FR".parse().unwrap()];
    store
        .upsert_calls(&[call, elsewhere], crate::accounts::start())
        .await
        .unwrap();
    let page = profiles::organisation_page(&state, None, &id).await.unwrap();
    let ids: Vec<&str> = page.calls.iter().map(|c| c.external_id.as_str()).collect();
    assert_eq!(ids, ["PQC-PT"]);
}

async fn only_the_organisations_editors_change_its_profile(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let editor = verified_session(&store, "ana@aveiro-labs.pt").await;
    let id = memberships::create_organisation(&state, Some(&editor), &company())
        .await
        .unwrap();
    let stranger = verified_session(&store, "eve@elsewhere.example").await;
    for session in [Some(stranger.as_str()), None] {
        let refused = profiles::save_profile(&state, session, &id, &profile()).await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_) | ServiceError::Unauthenticated)),
            "{refused:?}"
        );
        assert!(profiles::profile_editor(&state, session, &id).await.is_err());
    }
    assert!(matches!(
        profiles::organisation_page(&state, None, "no-such-organisation").await,
        Err(ServiceError::NotFound(_))
    ));
    assert_eq!(store.get_organisation(&id).await.unwrap().unwrap().headcount, None);
}

crate::on_both_backends!(shared:
    an_editor_fills_the_profile_and_outsiders_never_see_its_figures,
    only_the_organisations_editors_change_its_profile,
);
