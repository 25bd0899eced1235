//! Funding bodies publishing their own calls, through the services, on both backends: an
//! editor drafts, a reviewer of the same body publishes or sends back, scheduled calls publish
//! themselves, published calls keep versions with material changes, nobody outside the body
//! sees its drafts, and every step is in the body's audit log.

use crate::accounts::{client, services, start, verified_session};
use chrono::{DateTime, Duration, Utc};
use domain::organisation::NewOrganisationForm;
use domain::people::Role;
use domain::profile::ProfileForm;
use domain::publishing::{CallAction, CallForm, CallState, DeadlineInput};
use domain::search::embedded::EmbeddedIndex;
use domain::search::indexer::apply_all_pending;
use domain::services::publishing::SheetUpload;
use domain::services::{
    accounts, catalogue, matching, memberships, profiles, publishing, AppState, Clock, ServiceError,
};
use domain::store::{NewCall, Store, StoreError};
use domain::{CallQuery, InstrumentKind};
use std::sync::Arc;

/// The people of one test: an administrator, an authority's editor and reviewer, and the
/// editor of another authority.
pub(crate) struct Cast {
    pub(crate) admin: String,
    pub(crate) editor: String,
    pub(crate) reviewer: String,
    pub(crate) outsider: String,
    pub(crate) authority: String,
    pub(crate) other_authority: String,
}

pub(crate) fn authority(name: &str, country: &str) -> NewOrganisationForm {
    NewOrganisationForm {
        name: name.to_owned(),
        kind: "public_authority".to_owned(),
        country: country.to_owned(),
        region: format!("{country}10"),
        website: String::new(),
        description: "Regional innovation agency running the RIS3 programme.".to_owned(),
    }
}

pub(crate) async fn cast(store: &Arc<dyn Store>) -> Cast {
    let state = services(store, 0);
    accounts::create_admin(&state, "root@fundbridge.test", "Root", "administrator passphrase")
        .await
        .unwrap();
    let admin = accounts::log_in(
        &state,
        "root@fundbridge.test",
        "administrator passphrase",
        &client("192.0.2.1"),
        None,
    )
    .await
    .unwrap()
    .token;
    let editor = verified_session(store, "editor@innoviris.example").await;
    let reviewer = verified_session(store, "reviewer@innoviris.example").await;
    let outsider = verified_session(store, "editor@other.example").await;
    let authority_id = memberships::create_organisation(&state, Some(&editor), &authority("Innoviris Brussels", "BE"))
        .await
        .unwrap();
    let other_id = memberships::create_organisation(&state, Some(&outsider), &authority("Région Test", "FR"))
        .await
        .unwrap();
    memberships::grant_role(
        &state,
        Some(&admin),
        "reviewer@innoviris.example",
        &authority_id,
        Some(Role::Reviewer),
    )
    .await
    .unwrap();
    Cast {
        admin,
        editor,
        reviewer,
        outsider,
        authority: authority_id,
        other_authority: other_id,
    }
}

/// A two-stage grant for the Brussels region.
pub(crate) fn grant() -> CallForm {
    CallForm {
        reference: "RIS3-BE10-2027-01".into(),
        title: "Cyber resilience for Brussels SMEs".into(),
        programme: "Brussels RIS3 2021-2027".into(),
        opening: "2027-01-15".into(),
        deadlines: vec![
            DeadlineInput {
                label: "Short proposal".into(),
                at: "2027-03-04".into(),
            },
            DeadlineInput {
                label: "Full proposal".into(),
                at: "2027-06-10".into(),
            },
        ],
        countries: vec!["BE".into()],
        regions: vec!["BE10".into()],
        budget_total: "2000000".into(),
        budget_max: "150000".into(),
        sme_only: true,
        description: "## Scope\n\nSecurity audits and **post-quantum** migration plans.".into(),
        ..CallForm::blank(InstrumentKind::Grant)
    }
}

/// A loan with a rolling deadline.
fn loan() -> CallForm {
    CallForm {
        reference: "BE-GUAR-LOAN-01".into(),
        title: "Growth loans for cybersecurity scale-ups".into(),
        programme: "Innoviris Finance".into(),
        rolling: true,
        deadlines: Vec::new(),
        budget_max: "2500000".into(),
        ..CallForm::blank(InstrumentKind::Loan)
    }
}

fn at(minutes: i64) -> DateTime<Utc> {
    start() + Duration::minutes(minutes)
}

fn state_with(store: &Arc<dyn Store>, index: &Arc<EmbeddedIndex>, minutes: i64) -> AppState {
    AppState::new(store.clone(), index.clone(), Clock::Fixed(at(minutes)))
}

fn forbidden<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> bool {
    matches!(result, Err(ServiceError::Forbidden(_)))
}

fn not_found<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> bool {
    matches!(result, Err(ServiceError::NotFound(_)))
}

/// The fields a refused form names.
fn refused_fields<T: std::fmt::Debug>(result: Result<T, ServiceError>) -> Vec<String> {
    match result {
        Err(ServiceError::InvalidFields(errors)) => errors.into_iter().map(|error| error.field).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

/// Drafts `form` as the body's editor and submits it for review: the call's address.
pub(crate) async fn submitted(state: &AppState, people: &Cast, form: &CallForm) -> String {
    let id = publishing::create_call(state, Some(&people.editor), &people.authority, form)
        .await
        .unwrap();
    publishing::act_on_call(state, Some(&people.editor), &id, CallAction::Submit, "")
        .await
        .unwrap();
    id
}

async fn public_total(state: &AppState, text: &str) -> u64 {
    let query = CallQuery {
        text: text.to_owned(),
        ..CallQuery::default()
    };
    catalogue::list_calls(state, &query).await.unwrap().page.total
}

async fn an_authority_drafts_a_grant_its_reviewer_publishes_and_its_editor_amends(store: Arc<dyn Store>) {
    let people = cast(&store).await;
    let index = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = state_with(&store, &index, 10);
    let id = publishing::create_call(&state, Some(&people.editor), &people.authority, &grant())
        .await
        .unwrap();
    assert_eq!(id, "RIS3-BE10-2027-01");

    // A draft is the body's own: not public, not searchable, not visible to other bodies.
    apply_all_pending(store.as_ref(), index.as_ref()).await.unwrap();
    assert!(not_found(catalogue::get_call(&state, &id).await));
    assert_eq!(public_total(&state, "resilience").await, 0);
    assert_eq!(public_total(&state, "").await, 0);
    assert!(not_found(
        publishing::editable_call(&state, Some(&people.outsider), &id).await
    ));
    assert!(not_found(
        publishing::save_call(&state, Some(&people.outsider), &id, &grant()).await
    ));
    assert!(not_found(
        publishing::act_on_call(&state, Some(&people.outsider), &id, CallAction::Submit, "").await
    ));
    assert!(forbidden(
        publishing::desk(&state, Some(&people.outsider), &people.authority).await
    ));
    assert!(forbidden(
        publishing::create_call(&state, Some(&people.outsider), &people.authority, &loan()).await
    ));
    assert!(forbidden(
        publishing::create_call(&state, Some(&people.reviewer), &people.authority, &loan()).await
    ));

    // Editors submit; only a reviewer of the same body approves.
    assert!(forbidden(
        publishing::act_on_call(&state, Some(&people.editor), &id, CallAction::Approve, "").await
    ));
    let submitted = publishing::act_on_call(&state, Some(&people.editor), &id, CallAction::Submit, "")
        .await
        .unwrap();
    assert_eq!(submitted, CallState::InReview);
    let seen = publishing::editable_call(&state, Some(&people.reviewer), &id)
        .await
        .unwrap();
    assert_eq!(seen.actions, [CallAction::Approve, CallAction::SendBack]);
    assert!(!seen.editable, "a reviewer reads, an editor writes");
    assert_eq!(seen.submitted_by.as_deref(), Some("Ana Silva"));
    let published = publishing::act_on_call(&state, Some(&people.reviewer), &id, CallAction::Approve, "")
        .await
        .unwrap();
    assert_eq!(published, CallState::Published);

    apply_all_pending(store.as_ref(), index.as_ref()).await.unwrap();
    assert_eq!(public_total(&state, "resilience").await, 1, "searchable once published");
    let page = catalogue::get_call(&state, &id).await.unwrap();
    assert_eq!(page.call.deadlines.len(), 2);
    assert_eq!(page.call.eligible_regions[0].as_str(), "BE10");
    assert!(page.description_html.contains("<strong>post-quantum</strong>"));
    assert!(page.changes.is_empty(), "no change yet");

    // Moving a deadline is material: it needs a public note, and the page tells readers.
    let mut moved = grant();
    moved.deadlines[0].at = "2027-03-18".into();
    assert_eq!(
        refused_fields(publishing::save_call(&state, Some(&people.editor), &id, &moved).await),
        ["change_note"]
    );
    moved.change_note = "Two more weeks for short proposals after the info day.".into();
    assert!(publishing::save_call(&state, Some(&people.editor), &id, &moved)
        .await
        .unwrap());
    let page = catalogue::get_call(&state, &id).await.unwrap();
    assert_eq!(page.changes.len(), 1);
    assert_eq!(
        page.changes[0].note,
        "Two more weeks for short proposals after the info day."
    );
    assert!(
        page.changes[0].details[0].starts_with("Deadline changed from Short proposal: 4 Mar 2027 17:00"),
        "{:?}",
        page.changes[0].details
    );
    assert!(page.changes[0].details[0].contains("18 Mar 2027 17:00"));

    // A wording change is a version too, but not material, and needs no note.
    let mut reworded = moved.clone();
    reworded.title = "Cyber resilience for SMEs in Brussels".into();
    reworded.change_note = String::new();
    assert!(publishing::save_call(&state, Some(&people.editor), &id, &reworded)
        .await
        .unwrap());
    assert!(
        !publishing::save_call(&state, Some(&people.editor), &id, &reworded)
            .await
            .unwrap(),
        "saving the same fields again changes nothing"
    );
    let versions = publishing::editable_call(&state, Some(&people.editor), &id)
        .await
        .unwrap()
        .versions;
    assert_eq!(versions.iter().map(|v| v.number).collect::<Vec<_>>(), [3, 2, 1]);
    assert_eq!(
        versions.iter().map(|v| v.material).collect::<Vec<_>>(),
        [false, true, false]
    );
    assert_eq!(versions[0].changes[0].field, "title");
    assert_eq!(catalogue::get_call(&state, &id).await.unwrap().changes.len(), 1);

    // The body's audit log has every step, and exports as CSV to its editors and reviewers.
    let csv = publishing::audit_csv(&state, Some(&people.reviewer), &people.authority)
        .await
        .unwrap();
    for action in ["create_call", "submit_call", "approve_call", "edit_call"] {
        assert!(csv.contains(action), "{action} missing from {csv}");
    }
    assert!(csv.contains("RIS3-BE10-2027-01: deadlines"));
    assert!(forbidden(
        publishing::audit_csv(&state, Some(&people.outsider), &people.authority).await
    ));
    let desk = publishing::desk(&state, Some(&people.editor), &people.authority)
        .await
        .unwrap();
    assert_eq!(desk.calls.len(), 1);
    assert_eq!(desk.calls[0].state, CallState::Published);
    assert!(
        publishing::desk(&state, Some(&people.outsider), &people.other_authority)
            .await
            .unwrap()
            .calls
            .is_empty()
    );
}

async fn a_loan_sent_back_stays_private_and_a_scheduled_call_publishes_itself(store: Arc<dyn Store>) {
    let people = cast(&store).await;
    let index = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = state_with(&store, &index, 10);
    let loan_id = submitted(&state, &people, &loan()).await;
    assert_eq!(
        refused_fields(
            publishing::act_on_call(&state, Some(&people.reviewer), &loan_id, CallAction::SendBack, " ").await
        ),
        ["comment"]
    );
    let back = publishing::act_on_call(
        &state,
        Some(&people.reviewer),
        &loan_id,
        CallAction::SendBack,
        "State the guarantee rate.",
    )
    .await
    .unwrap();
    assert_eq!(back, CallState::Draft);
    let desk = publishing::desk(&state, Some(&people.editor), &people.authority)
        .await
        .unwrap();
    assert_eq!(
        desk.calls[0].review_comment.as_deref(),
        Some("State the guarantee rate.")
    );
    apply_all_pending(store.as_ref(), index.as_ref()).await.unwrap();
    assert_eq!(public_total(&state, "").await, 0, "a sent-back call stays private");

    // Scheduled: approved now, published by the job once its time has come.
    let scheduled = CallForm {
        publish_at: "2026-11-28T09:00".into(),
        ..grant()
    };
    let id = submitted(&state, &people, &scheduled).await;
    let approved = publishing::act_on_call(&state, Some(&people.reviewer), &id, CallAction::Approve, "")
        .await
        .unwrap();
    assert_eq!(approved, CallState::Scheduled);
    assert!(publishing::publish_due(&state).await.unwrap().is_empty());
    assert!(not_found(catalogue::get_call(&state, &id).await));
    // 28 November 09:00 in Brussels is 08:00 UTC: a day minus two hours after `start`.
    let later = state_with(&store, &index, 22 * 60);
    assert_eq!(publishing::publish_due(&later).await.unwrap(), vec![id.clone()]);
    assert!(
        publishing::publish_due(&later).await.unwrap().is_empty(),
        "published once"
    );
    apply_all_pending(store.as_ref(), index.as_ref()).await.unwrap();
    assert_eq!(public_total(&later, "resilience").await, 1);
    let versions = publishing::editable_call(&later, Some(&people.editor), &id)
        .await
        .unwrap()
        .versions;
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].saved_by, None, "published by the clock");

    // An administrator unpublishes with a reason the body reads; it leaves the index.
    assert!(forbidden(
        publishing::act_on_call(&later, Some(&people.reviewer), &id, CallAction::Unpublish, "no").await
    ));
    let unpublished = publishing::act_on_call(
        &later,
        Some(&people.admin),
        &id,
        CallAction::Unpublish,
        "The budget contradicts the official work programme.",
    )
    .await
    .unwrap();
    assert_eq!(unpublished, CallState::Draft);
    apply_all_pending(store.as_ref(), index.as_ref()).await.unwrap();
    assert_eq!(public_total(&later, "resilience").await, 0);
    let seen = publishing::editable_call(&later, Some(&people.editor), &id)
        .await
        .unwrap();
    assert_eq!(
        seen.review_comment.as_deref(),
        Some("The budget contradicts the official work programme.")
    );
}

async fn nobody_approves_their_own_submission_and_importers_cannot_overwrite_a_bodys_call(store: Arc<dyn Store>) {
    let people = cast(&store).await;
    let index = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = state_with(&store, &index, 10);
    let id = submitted(&state, &people, &grant()).await;
    // The submitter becomes a reviewer: still not the one to approve their own call.
    memberships::grant_role(
        &state,
        Some(&people.admin),
        "editor@innoviris.example",
        &people.authority,
        Some(Role::Reviewer),
    )
    .await
    .unwrap();
    let seen = publishing::editable_call(&state, Some(&people.editor), &id)
        .await
        .unwrap();
    assert_eq!(seen.actions, [CallAction::SendBack]);
    assert!(forbidden(
        publishing::act_on_call(&state, Some(&people.editor), &id, CallAction::Approve, "").await
    ));

    // The same reference again is refused on its field, for any body.
    memberships::grant_role(
        &state,
        Some(&people.admin),
        "editor@innoviris.example",
        &people.authority,
        Some(Role::Editor),
    )
    .await
    .unwrap();
    assert_eq!(
        refused_fields(publishing::create_call(&state, Some(&people.editor), &people.authority, &grant()).await),
        ["reference"]
    );
    assert_eq!(
        refused_fields(
            publishing::create_call(&state, Some(&people.outsider), &people.other_authority, &grant()).await
        ),
        ["reference"]
    );

    // An import carrying the same identifier cannot overwrite the body's call.
    let imported = NewCall::new(&id, "eu-ftp", "Hijacked", "Horizon Europe", "European Commission");
    assert!(matches!(
        store.upsert_calls(&[imported], at(20)).await,
        Err(StoreError::Conflict(_))
    ));
    let record = store.call_record(&id).await.unwrap().unwrap();
    assert_eq!(record.call.title, "Cyber resilience for Brussels SMEs");

    // A call in review is not edited; an organisation that is not a funding body publishes nothing.
    assert!(matches!(
        publishing::save_call(&state, Some(&people.editor), &id, &grant()).await,
        Err(ServiceError::Invalid(message)) if message.contains("send it back")
    ));
    let sme_editor = verified_session(&store, "ana@aveiro-labs.pt").await;
    let sme = memberships::create_organisation(
        &state,
        Some(&sme_editor),
        &NewOrganisationForm {
            kind: "sme".into(),
            ..authority("Aveiro Labs", "PT")
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        publishing::create_call(&state, Some(&sme_editor), &sme, &loan()).await,
        Err(ServiceError::Invalid(message)) if message.contains("not a funding body")
    ));
}

/// Five calls, three of them with a mistake (no title; an unreadable deadline; an unknown country).
const SHEET: &str = "Reference;Title;Programme;Instrument;Deadline;Countries;Budget\n\
    SH-1;Cyber vouchers;Innoviris RIS3;voucher;2027-03-04;BE;50 000\n\
    SH-2;;Innoviris RIS3;grant;2027-03-04;BE;1000\n\
    SH-3;Growth loans;Innoviris RIS3;loan;next week;BE;\n\
    SH-4;Audits;Innoviris RIS3;grant;2027-04-01;XX;100\n\
    SH-5;Training;Innoviris RIS3;grant;2027-05-01;BE;20000\n";

async fn a_sheet_names_its_bad_lines_writes_nothing_until_confirmed_and_imports_once(store: Arc<dyn Store>) {
    let people = cast(&store).await;
    let index = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = state_with(&store, &index, 10);
    let preview = publishing::preview_sheet(
        &state,
        Some(&people.editor),
        &people.authority,
        &SheetUpload::csv(SHEET),
        None,
    )
    .await
    .unwrap();
    let bad: Vec<usize> = preview
        .rows
        .iter()
        .filter(|row| !row.errors.is_empty())
        .map(|row| row.line)
        .collect();
    assert_eq!(bad, [3, 4, 5]);
    assert_eq!(preview.rows[1].errors[0].field, "title");
    assert!(
        publishing::desk(&state, Some(&people.editor), &people.authority)
            .await
            .unwrap()
            .calls
            .is_empty(),
        "a preview writes nothing"
    );
    for someone in [&people.reviewer, &people.outsider] {
        assert!(forbidden(
            publishing::preview_sheet(&state, Some(someone), &people.authority, &SheetUpload::csv(SHEET), None).await
        ));
        assert!(forbidden(
            publishing::import_sheet(&state, Some(someone), &people.authority, &SheetUpload::csv(SHEET), None).await
        ));
    }

    let outcome = publishing::import_sheet(
        &state,
        Some(&people.editor),
        &people.authority,
        &SheetUpload::csv(SHEET),
        None,
    )
    .await
    .unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (2, 0, 0));
    assert_eq!(
        outcome.refused.iter().map(|row| row.line).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    let again = publishing::import_sheet(
        &state,
        Some(&people.editor),
        &people.authority,
        &SheetUpload::csv(SHEET),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 2),
        "idempotent by reference"
    );
    let changed = SHEET.replace("50 000", "60 000");
    let third = publishing::import_sheet(
        &state,
        Some(&people.editor),
        &people.authority,
        &SheetUpload::csv(&changed),
        None,
    )
    .await
    .unwrap();
    assert_eq!((third.created, third.updated, third.unchanged), (0, 1, 1));
    let desk = publishing::desk(&state, Some(&people.editor), &people.authority)
        .await
        .unwrap();
    assert_eq!(desk.calls.len(), 2);
    assert!(desk.calls.iter().all(|call| call.state == CallState::Draft));
    assert!(
        not_found(catalogue::get_call(&state, "SH-1").await),
        "drafts stay private"
    );

    // A reference another body uses is refused on its line.
    let theirs = "Reference,Title,Programme,Deadline\nSH-1,Copy,Other RIS3,2027-03-04\n";
    let outcome = publishing::import_sheet(
        &state,
        Some(&people.outsider),
        &people.other_authority,
        &SheetUpload::csv(theirs),
        None,
    )
    .await
    .unwrap();
    assert_eq!(outcome.refused.len(), 1);
    assert_eq!(outcome.refused[0].line, 2);
    assert_eq!(
        store.call_record("SH-1").await.unwrap().unwrap().call.budget_total_eur,
        Some(60_000)
    );
}

/// [`SHEET`] as an Excel workbook, its deadlines as date cells: base64, as the browser sends it.
fn sheet_as_workbook() -> String {
    use base64::Engine as _;
    let mut book = rust_xlsxwriter::Workbook::new();
    let page = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (row, line) in SHEET.lines().enumerate() {
        for (column, cell) in line.trim().split(';').enumerate() {
            let (row, column) = (row as u32, column as u16);
            match rust_xlsxwriter::ExcelDateTime::parse_from_str(cell) {
                Ok(at) if row > 0 => page.write_datetime_with_format(row, column, at, &date),
                _ => page.write_string(row, column, cell),
            }
            .unwrap();
        }
    }
    base64::engine::general_purpose::STANDARD.encode(book.save_to_buffer().unwrap())
}

async fn a_workbook_previews_like_its_csv_and_imports_its_good_rows(store: Arc<dyn Store>) {
    let people = cast(&store).await;
    let index = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = state_with(&store, &index, 10);
    let workbook = sheet_as_workbook();
    let upload = SheetUpload {
        text: "",
        xlsx_base64: Some(&workbook),
    };
    let preview = publishing::preview_sheet(&state, Some(&people.editor), &people.authority, &upload, None)
        .await
        .unwrap();
    let csv = publishing::preview_sheet(
        &state,
        Some(&people.editor),
        &people.authority,
        &SheetUpload::csv(SHEET),
        None,
    )
    .await
    .unwrap();
    assert_eq!(preview, csv, "the same columns, rows, lines and mistakes");
    let outcome = publishing::import_sheet(&state, Some(&people.editor), &people.authority, &upload, None)
        .await
        .unwrap();
    assert_eq!((outcome.created, outcome.refused.len()), (2, 3));
    let deadline = store.call_record("SH-1").await.unwrap().unwrap().call.deadlines[0].at;
    assert_eq!(
        deadline.to_rfc3339(),
        "2027-03-04T16:00:00+00:00",
        "a date cell is a date, 17:00 Brussels"
    );
    let garbage = SheetUpload {
        text: "",
        xlsx_base64: Some("UEsDBBQAAAAIAA=="),
    };
    assert!(matches!(
        publishing::preview_sheet(&state, Some(&people.editor), &people.authority, &garbage, None).await,
        Err(ServiceError::Invalid(message)) if message.contains("Excel workbook")
    ));
}

async fn a_funding_body_sees_who_could_apply_to_its_call_and_nobody_else_does(store: Arc<dyn Store>) {
    let people = cast(&store).await;
    let index = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let state = state_with(&store, &index, 10);
    let id = submitted(&state, &people, &grant()).await;
    publishing::act_on_call(&state, Some(&people.reviewer), &id, CallAction::Approve, "")
        .await
        .unwrap();
    for (email, name, country, region) in [
        ("ana@brussels-audit.example", "Brussels Audit", "BE", "BE10"),
        ("luc@lyon-audit.example", "Lyon Audit", "FR", "FRK2"),
    ] {
        let session = verified_session(&store, email).await;
        let form = NewOrganisationForm {
            name: name.into(),
            kind: "sme".into(),
            country: country.into(),
            ..NewOrganisationForm::default()
        };
        let company = memberships::create_organisation(&state, Some(&session), &form)
            .await
            .unwrap();
        let profile = ProfileForm {
            region: region.into(),
            capabilities: vec!["assurance".into(), "cryptology".into()],
            ..ProfileForm::default()
        };
        profiles::save_profile(&state, Some(&session), &company, &profile)
            .await
            .unwrap();
    }
    apply_all_pending(store.as_ref(), index.as_ref()).await.unwrap();

    // The body sees the Brussels company (the call is for Brussels SMEs), with its reasons;
    // the Lyon one is excluded by the call's country.
    for person in [&people.editor, &people.reviewer] {
        let seen = matching::possible_applicants(&state, Some(person), &id)
            .await
            .unwrap()
            .unwrap();
        let names: Vec<&str> = seen.iter().map(|a| a.organisation.organisation.name.as_str()).collect();
        assert_eq!(names, ["Brussels Audit"]);
        assert!(seen[0].fit.blockers.is_empty());
        assert!(seen[0]
            .fit
            .parts
            .iter()
            .any(|p| p.reason.contains("Assurance, Audit, and Certification")));
    }
    // Anyone else sees nothing.
    assert!(matching::possible_applicants(&state, Some(&people.outsider), &id)
        .await
        .unwrap()
        .is_none());
    assert!(matching::possible_applicants(&state, None, &id)
        .await
        .unwrap()
        .is_none());
}

crate::on_both_backends!(shared:
    a_funding_body_sees_who_could_apply_to_its_call_and_nobody_else_does,
    an_authority_drafts_a_grant_its_reviewer_publishes_and_its_editor_amends,
    a_workbook_previews_like_its_csv_and_imports_its_good_rows,
    a_loan_sent_back_stays_private_and_a_scheduled_call_publishes_itself,
    nobody_approves_their_own_submission_and_importers_cannot_overwrite_a_bodys_call,
    a_sheet_names_its_bad_lines_writes_nothing_until_confirmed_and_imports_once,
);
