//! Members reaching a partner through the services, on both backends: the organisation's
//! editors are mailed and answer from their inbox, the sender is mailed the answer, nobody
//! sees the other's address, outsiders see nothing, a blocked sender is refused, abuse reaches
//! the administrators, the limits hold, and deleting an account deletes what it started.

use crate::accounts::{admin_session, mail, services, verified_session};
use domain::contact::ContactForm;
use domain::organisation::NewOrganisationForm;
use domain::services::{memberships, messages, privacy, ServiceError};
use domain::store::Store;
use std::sync::Arc;

fn organisation(name: &str, country: &str) -> NewOrganisationForm {
    NewOrganisationForm {
        name: name.into(),
        kind: "sme".into(),
        country: country.into(),
        region: String::new(),
        website: String::new(),
        description: String::new(),
    }
}

fn message(subject: &str) -> ContactForm {
    ContactForm {
        subject: subject.into(),
        body: "Hello,\nwe bring cryptology for your DIGITAL-ECCC proposal. <script>x</script>".into(),
        ..ContactForm::default()
    }
}

async fn a_member_writes_to_an_organisation_and_its_editors_answer(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let sender = verified_session(&store, "ana@aveiro-labs.pt").await;
    let aveiro = memberships::create_organisation(&state, Some(&sender), &organisation("Aveiro Labs", "PT"))
        .await
        .unwrap();
    let partner = verified_session(&store, "jo@tartu-lab.ee").await;
    let tartu = memberships::create_organisation(&state, Some(&partner), &organisation("Tartu Lab", "EE"))
        .await
        .unwrap();
    let outsider = verified_session(&store, "eve@example.eu").await;
    mail(&store).await;

    // Mistakes are named and nothing is sent; writing to one's own organisation is refused.
    assert!(matches!(
        messages::contact_organisation(&state, Some(&sender), &tartu, &ContactForm::default()).await,
        Err(ServiceError::InvalidFields(errors)) if errors.len() == 2
    ));
    assert!(matches!(
        messages::contact_organisation(&state, Some(&sender), &aveiro, &message("Hi")).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        messages::contact_organisation(
            &state,
            Some(&sender),
            &tartu,
            &ContactForm {
                on_behalf_of: tartu.clone(),
                ..message("Hi")
            }
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        messages::contact_organisation(&state, None, &tartu, &message("Hi")).await,
        Err(ServiceError::Unauthenticated)
    ));
    assert!(mail(&store).await.is_empty());

    let form = ContactForm {
        on_behalf_of: aveiro.clone(),
        ..message("Consortium for DIGITAL-ECCC")
    };
    let id = messages::contact_organisation(&state, Some(&sender), &tartu, &form)
        .await
        .unwrap();
    let sent = mail(&store).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "jo@tartu-lab.ee");
    assert!(
        sent[0].text_body.contains("Ana Silva (Aveiro Labs) wrote to Tartu Lab"),
        "{}",
        sent[0].text_body
    );
    assert!(
        !sent[0].text_body.contains("ana@aveiro-labs.pt"),
        "the sender's address is not exposed"
    );
    assert!(sent[0].html_body.contains("&lt;script&gt;") && !sent[0].html_body.contains("<script>x"));

    // The partner's inbox shows it unread; reading it marks it read.
    let inbox = messages::inbox(&state, Some(&partner)).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(inbox[0].unread && !inbox[0].started_by_viewer);
    let opened = messages::conversation(&state, Some(&partner), id).await.unwrap();
    assert!(opened.for_organisation && !opened.blocked);
    assert_eq!(opened.messages.len(), 1);
    assert!(!opened.messages[0].ours);
    assert!(!messages::inbox(&state, Some(&partner)).await.unwrap()[0].unread);
    // Outsiders learn nothing of it.
    assert!(matches!(
        messages::conversation(&state, Some(&outsider), id).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        messages::reply(&state, Some(&outsider), id, "me too").await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(messages::inbox(&state, Some(&outsider)).await.unwrap().is_empty());

    // The partner answers; the sender is mailed, by name, without the partner's address.
    messages::reply(&state, Some(&partner), id, "Gladly — call on Monday?")
        .await
        .unwrap();
    let answered = mail(&store).await;
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].recipient, "ana@aveiro-labs.pt");
    assert!(!answered[0].text_body.contains("jo@tartu-lab.ee"));
    let thread = messages::conversation(&state, Some(&sender), id).await.unwrap();
    assert_eq!(thread.messages.len(), 2);
    assert!(thread.messages[0].ours && !thread.messages[1].ours);
    assert!(thread.messages[1].author.contains("Tartu Lab"));
    assert!(matches!(
        messages::reply(&state, Some(&sender), id, "  ").await,
        Err(ServiceError::InvalidFields(_))
    ));

    // Only the organisation's side blocks; a blocked sender can neither reply nor write again.
    assert!(matches!(
        messages::block_sender(&state, Some(&sender), id, true).await,
        Err(ServiceError::Forbidden(_))
    ));
    messages::block_sender(&state, Some(&partner), id, true).await.unwrap();
    assert!(messages::conversation(&state, Some(&sender), id).await.unwrap().blocked);
    assert!(matches!(
        messages::reply(&state, Some(&sender), id, "Please?").await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        messages::contact_organisation(&state, Some(&sender), &tartu, &message("Again")).await,
        Err(ServiceError::Forbidden(_))
    ));

    // Abuse reaches the administrators, and only them.
    messages::report_abuse(&state, Some(&partner), id, "Unsolicited sales pitch")
        .await
        .unwrap();
    assert!(matches!(
        messages::report_abuse(&state, Some(&outsider), id, "x").await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        messages::abuse_reports(&state, Some(&partner)).await,
        Err(ServiceError::Forbidden(_))
    ));
    let admin = admin_session(&store).await;
    let reports = messages::abuse_reports(&state, Some(&admin)).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].sender.contains("ana@aveiro-labs.pt") && reports[0].reason == "Unsolicited sales pitch");
    let audit: Vec<String> = store
        .audit_log(20)
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.action)
        .collect();
    assert!(
        audit.contains(&"block_sender".to_owned()) && audit.contains(&"report_abuse".to_owned()),
        "{audit:?}"
    );

    // The partner's reply is in their download; deleting the sender's account deletes the
    // conversation they started, on both sides.
    let download = privacy::personal_data(&state, Some(&partner)).await.unwrap();
    assert_eq!(download.messages.len(), 1);
    assert!(download.messages[0].for_organisation);
    // A reply the partner wrote for its organisation in a conversation someone else started
    // stays when the partner deletes their account, shown as from a deleted account.
    let third = verified_session(&store, "bo@example.eu").await;
    let other = messages::contact_organisation(&state, Some(&third), &tartu, &message("Another idea"))
        .await
        .unwrap();
    messages::reply(&state, Some(&partner), other, "Noted.").await.unwrap();
    privacy::delete_account(&state, Some(&sender), "correct horse battery")
        .await
        .unwrap();
    let left: Vec<i64> = messages::inbox(&state, Some(&partner))
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(left, [other], "the deleted sender's conversation is gone on both sides");
    privacy::delete_account(&state, Some(&partner), "correct horse battery")
        .await
        .unwrap();
    let kept = messages::conversation(&state, Some(&third), other).await.unwrap();
    assert_eq!(kept.messages.len(), 2);
    assert_eq!(kept.messages[1].author, "deleted account");
    assert_eq!(kept.messages[1].body, "Noted.");
}

async fn a_person_starts_a_bounded_number_of_conversations(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let partner = verified_session(&store, "jo@tartu-lab.ee").await;
    let tartu = memberships::create_organisation(&state, Some(&partner), &organisation("Tartu Lab", "EE"))
        .await
        .unwrap();
    let sender = verified_session(&store, "ana@aveiro-labs.pt").await;
    let limit = messages::CONVERSATIONS_PER_PERSON.max;
    for n in 0..limit {
        messages::contact_organisation(&state, Some(&sender), &tartu, &message(&format!("Idea {n}")))
            .await
            .unwrap();
    }
    assert!(matches!(
        messages::contact_organisation(&state, Some(&sender), &tartu, &message("One more")).await,
        Err(ServiceError::RateLimited { .. })
    ));
    assert_eq!(
        messages::inbox(&state, Some(&partner)).await.unwrap().len(),
        limit as usize
    );
    // The next day the window is fresh.
    let tomorrow = crate::accounts::services(&store, 24 * 60);
    messages::contact_organisation(&tomorrow, Some(&sender), &tartu, &message("Next day"))
        .await
        .unwrap();
}

crate::on_both_backends!(shared:
    a_member_writes_to_an_organisation_and_its_editors_answer,
    a_person_starts_a_bounded_number_of_conversations,
);
