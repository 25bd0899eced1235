//! A person's data, through the services, on both backends: everything held downloads, and a
//! deleted account leaves no name behind — the audit log keeps its lines with a tombstone that
//! no later account inherits, and the organisation stays.

use crate::accounts::{client, mail, services, verified_session};
use domain::organisation::NewOrganisationForm;
use domain::services::{accounts, alerts, memberships, privacy, profiles, ServiceError};
use domain::store::Store;
use std::sync::Arc;

async fn a_person_downloads_their_data_and_deletes_their_account(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let session = verified_session(&store, "ana@aveiro-labs.pt").await;
    let organisation = NewOrganisationForm {
        name: "Aveiro Labs".into(),
        kind: "sme".into(),
        country: "PT".into(),
        ..NewOrganisationForm::default()
    };
    let id = memberships::create_organisation(&state, Some(&session), &organisation)
        .await
        .unwrap();
    let form = domain::profile::ProfileForm {
        description: "Post-quantum key exchange.".into(),
        ..domain::profile::ProfileForm::default()
    };
    profiles::save_profile(&state, Some(&session), &id, &form)
        .await
        .unwrap();
    accounts::request_password_reset(&state, "ana@aveiro-labs.pt", &client("192.0.2.1"))
        .await
        .unwrap();
    alerts::save_search(
        &state,
        Some(&session),
        domain::alerts::SearchKind::Calls,
        &[("q".to_owned(), "post-quantum".to_owned())],
    )
    .await
    .unwrap();
    alerts::set_top_matches_alert(&state, Some(&session), &id, true)
        .await
        .unwrap();

    let data = privacy::personal_data(&state, Some(&session)).await.unwrap();
    assert_eq!(data.email, "ana@aveiro-labs.pt");
    assert_eq!(data.memberships.len(), 1);
    assert!(!data.sessions.is_empty());
    let actions: Vec<&str> = data.activity.iter().map(|line| line.action.as_str()).collect();
    assert!(
        actions.contains(&"create_organisation") && actions.contains(&"edit_profile"),
        "{actions:?}"
    );
    assert_eq!(
        data.saved_searches.len(),
        1,
        "what they asked to be mailed is theirs too"
    );
    assert_eq!(data.top_matches_for, std::slice::from_ref(&id));
    let json = serde_json::to_string(&data).unwrap();
    assert!(!json.contains("argon2"), "no password hash in the download");
    assert!(matches!(
        privacy::personal_data(&state, None).await,
        Err(ServiceError::Unauthenticated)
    ));

    // A wrong password deletes nothing.
    assert!(matches!(
        privacy::delete_account(&state, Some(&session), "not my password").await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(store.person_by_email("ana@aveiro-labs.pt").await.unwrap().is_some());

    privacy::delete_account(&state, Some(&session), "correct horse battery")
        .await
        .unwrap();
    assert!(store.person_by_email("ana@aveiro-labs.pt").await.unwrap().is_none());
    assert!(
        accounts::viewer(&state, Some(&session)).await.unwrap().is_none(),
        "the session ended"
    );
    assert!(
        mail(&store).await.iter().all(|m| m.recipient != "ana@aveiro-labs.pt"),
        "mail owed to her is gone"
    );
    assert!(
        store.get_organisation(&id).await.unwrap().is_some(),
        "the organisation stays"
    );

    // The audit log keeps its lines under a tombstone that a new account does not inherit.
    let _newcomer = verified_session(&store, "bob@elsewhere.example").await;
    let lines = store.organisation_audit(&id, 20).await.unwrap();
    assert!(lines.iter().any(|line| line.action == "edit_profile"));
    for line in &lines {
        assert_eq!(line.actor.as_deref(), Some("deleted account"), "{line:?}");
    }
    let all = store.audit_log(100).await.unwrap();
    assert!(all.iter().any(|line| line.action == "delete_account"));
    assert!(
        all.iter()
            .all(|line| line.actor.as_deref() != Some("Ana Silva") || line.action == "sign_up"),
        "{all:?}"
    );
}

crate::on_both_backends!(shared: a_person_downloads_their_data_and_deletes_their_account);
