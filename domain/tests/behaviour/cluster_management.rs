//! Running a cluster through the services, on both backends: the organisation that runs it
//! edits its page, invites organisations and decides applications; organisations ask to join,
//! answer invitations and leave; outsiders can do none of it; every change is audited and
//! mailed to the other side.

use crate::accounts::{mail, services, start, verified_session};
use domain::cluster::{Cluster, ClusterForm, ClusterRequestKind, DualUseProfile};
use domain::member_import::MemberOutcome;
use domain::organisation::NewOrganisationForm;
use domain::services::{clusters, memberships, AppState, ServiceError};
use domain::store::Store;
use std::sync::Arc;

fn organisation(name: &str, kind: &str, country: &str) -> NewOrganisationForm {
    NewOrganisationForm {
        name: name.into(),
        kind: kind.into(),
        country: country.into(),
        region: String::new(),
        website: String::new(),
        description: format!("{name} works on network security."),
    }
}

/// A person who edits a new organisation: their session and its id.
async fn editor_of(
    store: &Arc<dyn Store>,
    state: &AppState,
    email: &str,
    form: NewOrganisationForm,
) -> (String, String) {
    let session = verified_session(store, email).await;
    let id = memberships::create_organisation(state, Some(&session), &form)
        .await
        .unwrap();
    (session, id)
}

/// The editor of the association that will run the cluster: their session and its id.
async fn running_association(store: &Arc<dyn Store>, state: &AppState) -> (String, String) {
    editor_of(
        store,
        state,
        "lea@breizh-cyber.fr",
        organisation("Breizh Cyber Association", "cluster_organisation", "FR"),
    )
    .await
}

/// The dual-use cluster in Bretagne that `association` runs.
fn breizh(association: &str) -> Cluster {
    Cluster {
        external_id: "breizh-cyber".into(),
        name: "Breizh Cyber Cluster".into(),
        country: "FR".parse().unwrap(),
        nuts_code: Some("FRH0".parse().unwrap()),
        focus: "Maritime cybersecurity".into(),
        dual_use_profile: DualUseProfile::Both,
        networks: vec![],
        description: String::new(),
        managed_by: Some(association.to_owned()),
    }
}

async fn a_cluster_is_run_by_its_organisation_and_joined_by_request(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let (manager, association) = running_association(&store, &state).await;
    let (sme, company) = editor_of(
        &store,
        &state,
        "ana@aveiro-labs.pt",
        organisation("Aveiro Labs", "sme", "PT"),
    )
    .await;
    let (other, lab) = editor_of(
        &store,
        &state,
        "jo@tartu-lab.ee",
        organisation("Tartu Lab", "research_organisation", "EE"),
    )
    .await;
    let outsider = verified_session(&store, "eve@example.eu").await;
    let cluster = breizh(&association);
    store.upsert_clusters(&[cluster], &[], start()).await.unwrap();
    mail(&store).await; // the sign-up mail is not what this test reads

    // The company asks to join; the cluster's editors are mailed.
    let answer = clusters::request_cluster_membership(
        &state,
        Some(&sme),
        "breizh-cyber",
        &company,
        ClusterRequestKind::Application,
        "We bring <b>PQC</b>.",
    )
    .await
    .unwrap();
    assert!(answer.contains("managers decide"), "{answer}");
    let sent = mail(&store).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "lea@breizh-cyber.fr");
    assert!(
        sent[0].subject.contains("Aveiro Labs asks to join"),
        "{}",
        sent[0].subject
    );
    assert!(
        sent[0].html_body.contains("&lt;b&gt;PQC"),
        "what people wrote is escaped"
    );
    assert!(matches!(
        clusters::request_cluster_membership(&state, Some(&sme), "breizh-cyber", &company, ClusterRequestKind::Application, "").await,
        Err(ServiceError::Invalid(message)) if message.contains("waiting")
    ));
    // Nobody asks for an organisation they do not speak for, nor invites for a cluster they do not run.
    assert!(matches!(
        clusters::request_cluster_membership(
            &state,
            Some(&outsider),
            "breizh-cyber",
            &lab,
            ClusterRequestKind::Application,
            ""
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        clusters::request_cluster_membership(
            &state,
            Some(&sme),
            "breizh-cyber",
            &lab,
            ClusterRequestKind::Invitation,
            ""
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));

    // The managers see it; the company sees its own; an outsider sees none.
    let page = clusters::cluster_page(&state, Some(&manager), "breizh-cyber")
        .await
        .unwrap();
    assert!(page.manages);
    assert_eq!(page.requests.len(), 1);
    let request = page.requests[0].id;
    let seen_by_company = clusters::cluster_page(&state, Some(&sme), "breizh-cyber")
        .await
        .unwrap();
    assert!(!seen_by_company.manages && seen_by_company.requests.len() == 1 && seen_by_company.may_ask.is_empty());
    let seen_by_outsider = clusters::cluster_page(&state, Some(&outsider), "breizh-cyber")
        .await
        .unwrap();
    assert!(seen_by_outsider.requests.is_empty() && !seen_by_outsider.manages);

    // Only the other side accepts; an outsider learns nothing.
    assert!(matches!(
        clusters::decide_cluster_request(&state, Some(&sme), request, true).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        clusters::decide_cluster_request(&state, Some(&outsider), request, false).await,
        Err(ServiceError::NotFound(_))
    ));
    clusters::decide_cluster_request(&state, Some(&manager), request, true)
        .await
        .unwrap();
    let told = mail(&store).await;
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].recipient, "ana@aveiro-labs.pt");
    assert!(told[0].subject.contains("is now a member"), "{}", told[0].subject);
    let page = clusters::cluster_page(&state, None, "breizh-cyber").await.unwrap();
    assert_eq!(page.card.members, 1);
    assert_eq!(page.members[0].0.organisation.external_id, company);
    assert!(matches!(
        clusters::decide_cluster_request(&state, Some(&manager), request, true).await,
        Err(ServiceError::NotFound(_))
    ));

    // An invitation: the managers cannot accept it themselves; the invited side declines.
    clusters::request_cluster_membership(
        &state,
        Some(&manager),
        "breizh-cyber",
        &lab,
        ClusterRequestKind::Invitation,
        "Join us",
    )
    .await
    .unwrap();
    let invited = mail(&store).await;
    assert_eq!(invited.len(), 1);
    assert_eq!(invited[0].recipient, "jo@tartu-lab.ee");
    let invitation = clusters::cluster_page(&state, Some(&other), "breizh-cyber")
        .await
        .unwrap()
        .requests[0]
        .clone();
    assert_eq!(invitation.kind, ClusterRequestKind::Invitation);
    assert!(matches!(
        clusters::decide_cluster_request(&state, Some(&manager), invitation.id, true).await,
        Err(ServiceError::Forbidden(_))
    ));
    clusters::decide_cluster_request(&state, Some(&other), invitation.id, false)
        .await
        .unwrap();
    assert_eq!(
        clusters::cluster_page(&state, None, "breizh-cyber")
            .await
            .unwrap()
            .card
            .members,
        1
    );
    // A member cannot be invited again.
    assert!(matches!(
        clusters::request_cluster_membership(&state, Some(&manager), "breizh-cyber", &company, ClusterRequestKind::Invitation, "").await,
        Err(ServiceError::Invalid(message)) if message.contains("member already")
    ));

    // Editing the page: the managers only, mistakes named, nothing written on a mistake.
    let editor = clusters::cluster_editor(&state, Some(&manager), "breizh-cyber")
        .await
        .unwrap();
    assert!(matches!(
        clusters::cluster_editor(&state, Some(&sme), "breizh-cyber").await,
        Err(ServiceError::Forbidden(_))
    ));
    let wrong = ClusterForm {
        region: "DE21".into(),
        ..editor.form.clone()
    };
    assert!(matches!(
        clusters::save_cluster(&state, Some(&manager), "breizh-cyber", &wrong).await,
        Err(ServiceError::InvalidFields(errors)) if errors[0].field == "region"
    ));
    let renamed = ClusterForm {
        name: "Breizh Cyber & Defence".into(),
        networks: "ENDR\nECSO".into(),
        ..editor.form
    };
    assert!(matches!(
        clusters::save_cluster(&state, Some(&sme), "breizh-cyber", &renamed).await,
        Err(ServiceError::Forbidden(_))
    ));
    clusters::save_cluster(&state, Some(&manager), "breizh-cyber", &renamed)
        .await
        .unwrap();
    let saved = clusters::cluster_page(&state, None, "breizh-cyber")
        .await
        .unwrap()
        .card
        .cluster;
    assert_eq!(
        (saved.name.as_str(), saved.networks.len()),
        ("Breizh Cyber & Defence", 2)
    );
    assert_eq!(
        saved.managed_by.as_deref(),
        Some(association.as_str()),
        "editing keeps who runs it"
    );
    let listed = store
        .organisation_details(std::slice::from_ref(&company))
        .await
        .unwrap();
    assert_eq!(listed[0].clusters[0].name, "Breizh Cyber & Defence");

    // Leaving: an outsider cannot take a member out; the company leaves on its own.
    assert!(matches!(
        clusters::remove_cluster_member(&state, Some(&outsider), "breizh-cyber", &company).await,
        Err(ServiceError::Forbidden(_))
    ));
    clusters::remove_cluster_member(&state, Some(&sme), "breizh-cyber", &company)
        .await
        .unwrap();
    assert!(matches!(
        clusters::remove_cluster_member(&state, Some(&manager), "breizh-cyber", &company).await,
        Err(ServiceError::NotFound(_))
    ));

    let audit = store.audit_log(50).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|line| line.action.as_str()).collect();
    for action in [
        "cluster_apply",
        "cluster_accept",
        "cluster_invite",
        "cluster_decline",
        "cluster_edit",
        "cluster_remove",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

async fn a_manager_imports_members_from_a_cordis_export_matched_by_name_and_country(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let (manager, association) = running_association(&store, &state).await;
    let (outsider, lab) = editor_of(
        &store,
        &state,
        "jo@tartu-lab.ee",
        organisation("Tartu Lab", "research_organisation", "EE"),
    )
    .await;
    let cluster = breizh(&association);
    let member = domain::cluster::ClusterMember {
        cluster_id: "breizh-cyber".into(),
        organisation_id: association.clone(),
        role: "coordinator".into(),
    };
    store.upsert_clusters(&[cluster], &[member], start()).await.unwrap();
    // Tartu Lab written in another case; the association is a member already; a new company
    // twice; a row without a country; an Estonian "Tartu Lab" in Latvia is someone else.
    let csv = "projectID;name;SME;activityType;country;nutsCode;organizationURL\n\
        101;TARTU LAB;false;REC;EE;EE001;https://tartu-lab.example\n\
        101;Breizh Cyber Association;;OTH;FR;;\n\
        101;Athena Secure;true;PRC;EL;EL303;https://athena.example\n\
        102;Athena Secure;true;PRC;EL;;\n\
        102;Nowhere Ltd;true;PRC;;;\n\
        103;Tartu Lab;false;REC;LV;;\n";
    let upload = domain::services::publishing::SheetUpload::csv(csv);
    let before = store.counts().await.unwrap();
    let preview = clusters::preview_member_import(&state, Some(&manager), "breizh-cyber", &upload, None)
        .await
        .unwrap();
    assert!(!preview.written);
    let outcomes: Vec<(usize, &MemberOutcome)> = preview.rows.iter().map(|r| (r.line, &r.outcome)).collect();
    assert_eq!(
        outcomes[0],
        (
            2,
            &MemberOutcome::Joins {
                organisation_id: lab.clone()
            }
        )
    );
    assert_eq!(
        outcomes[1],
        (
            3,
            &MemberOutcome::AlreadyMember {
                organisation_id: association.clone()
            }
        )
    );
    assert_eq!(outcomes[2], (4, &MemberOutcome::Added));
    assert!(matches!(outcomes[3].1, MemberOutcome::LeftOut { errors } if errors[0].contains("line 4")));
    assert!(matches!(outcomes[4].1, MemberOutcome::LeftOut { errors } if errors[0].contains("country")));
    assert_eq!(outcomes[5], (7, &MemberOutcome::Added));
    assert_eq!(store.counts().await.unwrap(), before, "a preview writes nothing");
    // Only the cluster's managers import.
    assert!(matches!(
        clusters::import_members(&state, Some(&outsider), "breizh-cyber", &upload, None).await,
        Err(ServiceError::Forbidden(_))
    ));

    let done = clusters::import_members(&state, Some(&manager), "breizh-cyber", &upload, None)
        .await
        .unwrap();
    assert!(done.written);
    assert_eq!(done.counts(), (1, 2, 1, 2));
    let after = store.counts().await.unwrap();
    assert_eq!(after.organisations, before.organisations + 2);
    assert_eq!(after.cluster_members, before.cluster_members + 3);
    let page = clusters::cluster_page(&state, None, "breizh-cyber").await.unwrap();
    let names: Vec<&str> = page.members.iter().map(|(d, _)| d.organisation.name.as_str()).collect();
    assert!(
        names.contains(&"Athena Secure") && names.contains(&"Tartu Lab"),
        "{names:?}"
    );
    let athena = page
        .members
        .iter()
        .find(|(d, _)| d.organisation.name == "Athena Secure")
        .unwrap();
    assert_eq!(athena.0.organisation.country.as_str(), "EL");
    assert_eq!(
        athena.0.organisation.nuts_code.as_ref().map(|c| c.as_str()),
        Some("EL30")
    );
    assert_eq!(athena.0.organisation.kind, domain::organisation::OrganisationKind::Sme);
    // The same sheet again changes nothing: everyone is a member now.
    let again = clusters::preview_member_import(&state, Some(&manager), "breizh-cyber", &upload, None)
        .await
        .unwrap();
    assert_eq!(again.counts(), (0, 0, 4, 2));
    let audit = store.audit_log(5).await.unwrap();
    assert_eq!(audit[0].action, "cluster_import");

    // A file that cannot be read is refused as a whole, plainly.
    let junk = domain::services::publishing::SheetUpload::csv("");
    assert!(matches!(
        clusters::preview_member_import(&state, Some(&manager), "breizh-cyber", &junk, None).await,
        Err(ServiceError::Invalid(_))
    ));
}

crate::on_both_backends!(shared:
    a_cluster_is_run_by_its_organisation_and_joined_by_request,
    a_manager_imports_members_from_a_cordis_export_matched_by_name_and_country,
);
