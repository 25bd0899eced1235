//! Regions' smart-specialisation priorities, through the services, on both backends: an
//! authority's editor records its region's priorities, the region's page shows them with the
//! region's own calls and organisations, a call of the region names the priorities it serves,
//! and nobody else writes them.

use crate::accounts::{admin_session, services, start, verified_session};
use crate::publishing::authority;
use domain::call::Deadline;
use domain::organisation::NewOrganisationForm;
use domain::people::Role;
use domain::services::{catalogue, memberships, regions, ServiceError};
use domain::smart_specialisation::{Priority, StrategyForm};
use domain::store::{NewCall, Store};
use domain::NutsCode;
use std::sync::Arc;

fn priority(title: &str, domains: &[&str], sectors: &[&str]) -> Priority {
    Priority {
        title: title.to_owned(),
        domains: domains.iter().map(|d| (*d).to_owned()).collect(),
        sectors: sectors.iter().map(|s| (*s).to_owned()).collect(),
        text: "Where the region puts its ERDF support.".to_owned(),
    }
}

fn strategy() -> StrategyForm {
    StrategyForm {
        summary: "Brussels' research and innovation strategy 2021–2027.".to_owned(),
        strategy_url: "https://innoviris.brussels/ris3.pdf".to_owned(),
        priorities: vec![
            priority("Port and logistics security", &["incident-handling"], &["transport"]),
            priority("Health data", &["data-security"], &["health"]),
        ],
    }
}

/// A published call open at `start()` for 60 days, restricted to `regions`, about `text`.
fn regional_call(id: &str, regions: &[&str], text: &str, closes_in_days: i64) -> NewCall {
    let mut call = NewCall::new(id, "test", &format!("Call {id}"), "Brussels RIS3", "Innoviris");
    call.eligible_countries = vec!["BE".parse().unwrap()];
    call.eligible_regions = regions.iter().map(|r| NutsCode::parse(r).unwrap()).collect();
    call.description = text.to_owned();
    call.opening_at = Some(start() - chrono::Duration::days(10));
    call.deadlines = vec![Deadline {
        stage: 1,
        at: start() + chrono::Duration::days(closes_in_days),
        label: None,
    }];
    call
}

fn fields<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> Vec<String> {
    match result {
        Err(ServiceError::InvalidFields(errors)) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn forbidden<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> bool {
    matches!(result, Err(ServiceError::Forbidden(_)))
}

async fn an_authority_records_its_regions_priorities_and_the_regions_calls_serve_them(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let editor = verified_session(&store, "editor@innoviris.example").await;
    let body = memberships::create_organisation(&state, Some(&editor), &authority("Innoviris Brussels", "BE"))
        .await
        .unwrap();

    let opened = regions::strategy_editor(&state, Some(&editor), &body).await.unwrap();
    assert_eq!(opened.region, "BE10");
    assert!(opened.can_edit);
    assert_eq!(opened.form.priorities.len(), 1, "a blank priority to start from");
    assert_eq!(opened.updated_at, None);

    // A form with mistakes names them and writes nothing.
    let mut wrong = strategy();
    wrong.strategy_url = "javascript:alert(1)".into();
    wrong.priorities[1].domains = vec!["alchemy".into()];
    assert_eq!(
        fields(regions::save_strategy(&state, Some(&editor), &body, &wrong).await),
        ["strategy_url", "priorities.1.domains"]
    );
    assert!(store.strategies(&["BE10".into()]).await.unwrap().is_empty());

    regions::save_strategy(&state, Some(&editor), &body, &strategy())
        .await
        .unwrap();
    let saved = &store.strategies(&["BE10".into()]).await.unwrap()[0];
    assert_eq!(saved.organisation_id, body);
    assert_eq!(saved.priorities, strategy().priorities);
    let reopened = regions::strategy_editor(&state, Some(&editor), &body).await.unwrap();
    assert_eq!(reopened.form, strategy());
    assert_eq!(reopened.updated_at, Some(start()));
    let audit = store.organisation_audit(&body, 10).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|line| line.action == "save_strategy" && line.detail == "BE10"),
        "{audit:?}"
    );

    // The region's own calls: its region, a region inside it, the larger region around it —
    // not a whole country's calls, not closed ones, not another region's.
    let calls = [
        regional_call("R-OWN", &["BE10"], "Security of port and transport logistics.", 60),
        regional_call("R-INSIDE", &["BE100"], "Secure hospital health records.", 30),
        regional_call("R-AROUND", &["BE1"], "Skills.", 90),
        regional_call("R-COUNTRY", &[], "Anything in Belgium.", 60),
        regional_call("R-CLOSED", &["BE10"], "Transport.", -1),
        regional_call("R-FLANDERS", &["BE21"], "Transport.", 60),
    ];
    store.upsert_calls(&calls, start()).await.unwrap();
    let page = regions::region_page(&state, "be10").await.unwrap();
    let listed: Vec<&str> = page.calls.iter().map(|c| c.external_id.as_str()).collect();
    assert_eq!(listed, ["R-INSIDE", "R-OWN", "R-AROUND"], "next deadline first");
    assert_eq!(page.strategy.as_ref().map(|s| s.priorities.len()), Some(2));
    assert_eq!(page.organisation_total, 1);
    assert_eq!(page.organisations[0].organisation.external_id, body);
    assert!(matches!(
        regions::region_page(&state, "BE").await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        regions::region_page(&state, "<script>").await,
        Err(ServiceError::NotFound(_))
    ));

    // A call serves the priorities it shares a capability or a sector with.
    let own = catalogue::get_call(&state, "R-OWN").await.unwrap();
    let served: Vec<&str> = own.priorities.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(served, ["Port and logistics security"]);
    let inside = catalogue::get_call(&state, "R-INSIDE").await.unwrap();
    assert_eq!(inside.priorities.len(), 1);
    assert_eq!(inside.priorities[0].title, "Health data");
    assert_eq!(inside.priorities[0].region, "BE10");
    assert!(catalogue::get_call(&state, "R-FLANDERS")
        .await
        .unwrap()
        .priorities
        .is_empty());
}

async fn only_the_authoritys_editors_write_its_regions_priorities(store: Arc<dyn Store>) {
    let state = services(&store, 0);
    let editor = verified_session(&store, "editor@innoviris.example").await;
    let body = memberships::create_organisation(&state, Some(&editor), &authority("Innoviris Brussels", "BE"))
        .await
        .unwrap();
    regions::save_strategy(&state, Some(&editor), &body, &strategy())
        .await
        .unwrap();

    // Another authority of the same region cannot take the region's priorities over.
    let rival_editor = verified_session(&store, "editor@brussels-economy.example").await;
    let rival = memberships::create_organisation(&state, Some(&rival_editor), &authority("Brussels Economy", "BE"))
        .await
        .unwrap();
    let mut takeover = strategy();
    takeover.summary = "Ours now.".into();
    let refused = regions::save_strategy(&state, Some(&rival_editor), &rival, &takeover).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(message)) if message.contains("Innoviris Brussels")),
        "{refused:?}"
    );
    assert!(
        !regions::strategy_editor(&state, Some(&rival_editor), &rival)
            .await
            .unwrap()
            .can_edit
    );
    // Nor can its editor write through the first authority's address.
    assert!(forbidden(
        regions::save_strategy(&state, Some(&rival_editor), &body, &takeover).await
    ));

    // A member who is not an editor reads but does not write; nobody logged out does either.
    let reader = verified_session(&store, "reader@innoviris.example").await;
    let admin = admin_session(&store).await;
    memberships::grant_role(
        &state,
        Some(&admin),
        "reader@innoviris.example",
        &body,
        Some(Role::Reviewer),
    )
    .await
    .unwrap();
    assert!(
        !regions::strategy_editor(&state, Some(&reader), &body)
            .await
            .unwrap()
            .can_edit
    );
    assert!(forbidden(
        regions::save_strategy(&state, Some(&reader), &body, &takeover).await
    ));
    assert!(matches!(
        regions::save_strategy(&state, None, &body, &takeover).await,
        Err(ServiceError::Unauthenticated)
    ));

    // A company has no region's priorities to record.
    let sme_editor = verified_session(&store, "ana@aveiro-labs.pt").await;
    let sme_form = NewOrganisationForm {
        kind: "sme".into(),
        ..authority("Aveiro Labs", "PT")
    };
    let sme = memberships::create_organisation(&state, Some(&sme_editor), &sme_form)
        .await
        .unwrap();
    assert!(matches!(
        regions::save_strategy(&state, Some(&sme_editor), &sme, &strategy()).await,
        Err(ServiceError::Invalid(message)) if message.contains("not a public authority")
    ));

    let kept = &store.strategies(&["BE10".into()]).await.unwrap()[0];
    assert_eq!(kept.summary, strategy().summary, "nothing above changed the priorities");
}

crate::on_both_backends!(shared:
    an_authority_records_its_regions_priorities_and_the_regions_calls_serve_them,
    only_the_authoritys_editors_write_its_regions_priorities,
);
