//! Funding bodies publishing their own calls: editors draft and submit, reviewers of the same
//! body approve (publishing now or at the chosen time) or send back with a comment, editors
//! change published calls as versions — material changes with a public note — and
//! administrators unpublish with a reason. Every rule is checked here against the session's
//! person, and every step is in the organisation's audit log.

use super::accounts::require_viewer;
use super::{forbidden, AppState, ServiceError};
use crate::codes::CallId;
use crate::organisation::{Organisation, OrganisationKind};
use crate::people::{Role, Viewer};
use crate::publishing::changes::changes;
use crate::publishing::{
    sheet, CallAction, CallForm, CallState, EditableCall, FieldError, PublishingDesk, SheetOutcome, SheetPreview,
    SheetRow, MAX_COMMENT_CHARS,
};
use crate::store::{AuditEntry, CallRecord, NewVersion, StateChange, StoreError};

/// How many audit lines an organisation's export holds at most.
const AUDIT_EXPORT_LINES: u32 = 10_000;

/// What cannot be a call is not found, without asking the database.
fn call_id(external_id: &str) -> Result<CallId, ServiceError> {
    CallId::parse(external_id).map_err(|_| ServiceError::NotFound("that call".into()))
}

/// The funding body `organisation_id` and the viewer's role in it; an organisation that is not
/// a funding body publishes nothing.
async fn funding_body(
    state: &AppState,
    viewer: &Viewer,
    organisation_id: &str,
) -> Result<(Organisation, Option<Role>), ServiceError> {
    let (organisation, role) =
        super::member_organisation(state, viewer, organisation_id, "see this organisation's calls").await?;
    if !organisation.kind.publishes_calls() {
        return Err(ServiceError::Invalid(format!(
            "{} is not a funding body: only public authorities, agencies and investors publish calls.",
            organisation.name
        )));
    }
    Ok((organisation, role))
}

/// The call `external_id` of a funding body, for someone of that body (or an administrator);
/// to anyone else it does not exist.
async fn owned_call(state: &AppState, viewer: &Viewer, external_id: &str) -> Result<CallRecord, ServiceError> {
    let id = call_id(external_id)?;
    let record = state.publishing.call_record(id.as_str()).await?;
    match record {
        Some(record) if viewer.is_admin || viewer.role_in(&record.organisation_id).is_some() => Ok(record),
        _ => Err(ServiceError::NotFound("that call".into())),
    }
}

/// An audit line about a call of `organisation_id`.
fn audit(state: &AppState, viewer: &Viewer, action: &'static str, organisation_id: &str, detail: String) -> AuditEntry {
    AuditEntry {
        actor_id: Some(viewer.person_id),
        action,
        subject_id: None,
        organisation_id: Some(organisation_id.to_owned()),
        detail,
        at: state.clock.now(),
    }
}

/// A funding body's desk: its calls by state, for its members and administrators.
pub async fn desk(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
) -> Result<PublishingDesk, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (organisation, role) = funding_body(state, &viewer, organisation_id).await?;
    let calls = state
        .publishing
        .organisation_calls(organisation_id.trim(), state.clock.now())
        .await?;
    let records_priorities = organisation.kind == OrganisationKind::PublicAuthority;
    Ok(PublishingDesk {
        organisation_id: organisation_id.trim().to_owned(),
        region: organisation
            .nuts_code
            .filter(|code| records_priorities && code.is_region())
            .map(|code| code.to_string()),
        organisation_name: organisation.name,
        role,
        calls,
        now: state.clock.now(),
    })
}

/// Starts a call as a draft of the funding body `organisation_id`: its editors only. Returns
/// the call's address; a form with mistakes is refused field by field and nothing is written.
pub async fn create_call(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    form: &CallForm,
) -> Result<String, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (organisation, role) = funding_body(state, &viewer, organisation_id).await?;
    if role != Some(Role::Editor) {
        return Err(forbidden("draft calls for this funding body"));
    }
    let call = form
        .to_new_call(&organisation.name)
        .map_err(ServiceError::InvalidFields)?;
    let publish_at = form
        .publication_time()
        .map_err(|error| ServiceError::InvalidFields(vec![error]))?;
    let entry = audit(
        state,
        &viewer,
        "create_call",
        organisation_id.trim(),
        call.external_id.clone(),
    );
    match state
        .publishing
        .create_call(&call, organisation_id.trim(), publish_at, &entry)
        .await
    {
        Ok(()) => Ok(call.external_id),
        Err(StoreError::Conflict(_)) => Err(ServiceError::InvalidFields(vec![FieldError::new(
            "reference",
            "This reference is already used by another call; give this edition its own (like …-2028).",
        )])),
        Err(error) => Err(error.into()),
    }
}

/// What `viewer` may do with `record` now.
fn actions_for(viewer: &Viewer, record: &CallRecord) -> Vec<CallAction> {
    let role = viewer.role_in(&record.organisation_id);
    [
        CallAction::Submit,
        CallAction::Approve,
        CallAction::SendBack,
        CallAction::Archive,
        CallAction::Unpublish,
    ]
    .into_iter()
    .filter(|action| action.next_state(record.state).is_some())
    .filter(|action| action.allowed_for(role) || (*action == CallAction::Unpublish && viewer.is_admin))
    .filter(|action| !(*action == CallAction::Approve && record.submitted_by == Some(viewer.person_id)))
    .collect()
}

/// A funding body's call as its editor opens it, with its versions and what may be done next.
pub async fn editable_call(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
) -> Result<EditableCall, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let record = owned_call(state, &viewer, external_id).await?;
    let versions = state.publishing.call_versions(&record.call.external_id).await?;
    let mut form = CallForm::from_call(&record.call);
    if let Some(at) = record.publish_at {
        form.publish_at =
            crate::publishing::form::form_time(at, form.zone().unwrap_or(crate::time::DeadlineZone::Central));
    }
    Ok(EditableCall {
        actions: actions_for(&viewer, &record),
        editable: record.state.is_editable() && viewer.role_in(&record.organisation_id) == Some(Role::Editor),
        external_id: record.call.external_id.clone(),
        organisation_id: record.organisation_id,
        organisation_name: record.organisation_name,
        state: record.state,
        form,
        publish_at: record.publish_at,
        review_comment: record.review_comment,
        submitted_by: record.submitted_by_name,
        versions,
    })
}

/// Saves an editor's changes to a draft or a published call. A published call keeps each save
/// as a version; a material change (deadline, budget, eligibility) needs a public note.
/// Returns whether anything changed.
pub async fn save_call(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
    form: &CallForm,
) -> Result<bool, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let record = owned_call(state, &viewer, external_id).await?;
    if viewer.role_in(&record.organisation_id) != Some(Role::Editor) {
        return Err(forbidden("edit this funding body's calls"));
    }
    if !record.state.is_editable() {
        return Err(ServiceError::Invalid(format!(
            "A call {} cannot be edited; send it back to draft first.",
            record.state.label().to_lowercase()
        )));
    }
    // The reference is the call's address: it never changes.
    let form = CallForm {
        reference: record.call.external_id.clone(),
        ..form.clone()
    };
    let call = form
        .to_new_call(&record.call.publisher)
        .map_err(ServiceError::InvalidFields)?;
    // A published call's publication time is history, not something to edit.
    let publish_at = match record.state {
        CallState::Published => record.publish_at,
        _ => form
            .publication_time()
            .map_err(|error| ServiceError::InvalidFields(vec![error]))?,
    };
    let found = changes(&record.call, &call);
    let version = match record.state {
        CallState::Published if found.is_empty() => return Ok(false),
        CallState::Published => {
            let material = found.iter().any(|change| change.material);
            if material && form.change_note.trim().is_empty() {
                return Err(ServiceError::InvalidFields(vec![FieldError::new(
                    "change_note",
                    "This change matters to applicants: say in one line what changed and why.",
                )]));
            }
            Some(NewVersion {
                saved_by: Some(viewer.person_id),
                at: state.clock.now(),
                note: crate::sanitize::clean_line(&form.change_note, MAX_COMMENT_CHARS),
                changes: found,
            })
        }
        _ if found.is_empty() && publish_at == record.publish_at => return Ok(false),
        _ => None,
    };
    let fields: Vec<&str> = version
        .iter()
        .flat_map(|v| v.changes.iter().map(|c| c.field.as_str()))
        .collect();
    let detail = if fields.is_empty() {
        call.external_id.clone()
    } else {
        format!("{}: {}", call.external_id, fields.join(", "))
    };
    let entry = audit(state, &viewer, "edit_call", &record.organisation_id, detail);
    let saved = state
        .publishing
        .save_call(&call, record.state, publish_at, version.as_ref(), &entry)
        .await?;
    if saved {
        Ok(true)
    } else {
        Err(moved_on())
    }
}

/// Someone else moved the call while this person was looking at it.
fn moved_on() -> ServiceError {
    ServiceError::Invalid("Someone changed this call's state a moment ago; reload the page and try again.".into())
}

/// Moves a call along its workflow: editors submit and archive, reviewers of the same body
/// approve (not their own submission) or send back with a comment, administrators unpublish
/// with a reason. Returns the state the call is in afterwards.
pub async fn act_on_call(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
    action: CallAction,
    comment: &str,
) -> Result<CallState, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let record = owned_call(state, &viewer, external_id).await?;
    let role = viewer.role_in(&record.organisation_id);
    let allowed = action.allowed_for(role) || (action == CallAction::Unpublish && viewer.is_admin);
    if !allowed {
        return Err(forbidden("do that with this call"));
    }
    if action == CallAction::Approve && record.submitted_by == Some(viewer.person_id) {
        return Err(forbidden("approve a call you submitted yourself"));
    }
    let Some(mut to) = action.next_state(record.state) else {
        return Err(ServiceError::Invalid(format!(
            "A call {} cannot be {}.",
            record.state.label().to_lowercase(),
            past_tense(action)
        )));
    };
    let comment = comment.trim();
    if action.needs_comment() && comment.is_empty() {
        return Err(ServiceError::InvalidFields(vec![FieldError::new(
            "comment",
            "Say why, in a line the funding body will read.",
        )]));
    }
    if comment.chars().count() > MAX_COMMENT_CHARS || crate::sanitize::check_text("comment", comment, false).is_err() {
        return Err(ServiceError::InvalidFields(vec![FieldError::new(
            "comment",
            format!("Keep the comment to one line under {MAX_COMMENT_CHARS} characters."),
        )]));
    }
    let now = state.clock.now();
    if to == CallState::Published && record.publish_at.is_some_and(|at| at > now) {
        to = CallState::Scheduled;
    }
    let change = StateChange {
        from: record.state,
        to,
        publish_at: record.publish_at,
        submitted_by: (action == CallAction::Submit).then_some(viewer.person_id),
        comment: action.needs_comment().then(|| comment.to_owned()),
        version: (to == CallState::Published).then(|| NewVersion {
            saved_by: Some(viewer.person_id),
            at: now,
            note: "Published".into(),
            changes: Vec::new(),
        }),
    };
    let detail = if comment.is_empty() {
        record.call.external_id.clone()
    } else {
        format!("{}: {comment}", record.call.external_id)
    };
    let entry = audit(state, &viewer, action.as_str(), &record.organisation_id, detail);
    if state
        .publishing
        .move_call(&record.call.external_id, &change, &entry)
        .await?
    {
        Ok(to)
    } else {
        Err(moved_on())
    }
}

fn past_tense(action: CallAction) -> &'static str {
    match action {
        CallAction::Submit => "submitted",
        CallAction::Approve => "approved",
        CallAction::SendBack => "sent back",
        CallAction::Archive => "archived",
        CallAction::Unpublish => "unpublished",
    }
}

/// Publishes every scheduled call whose time has come (the server runs this every few
/// seconds; the index learns of each through the outbox). Returns their addresses.
pub async fn publish_due(state: &AppState) -> Result<Vec<String>, ServiceError> {
    Ok(state.publishing.publish_due(state.clock.now()).await?)
}

/// Who may upload a sheet for `organisation_id` (its editors), and the body's name.
async fn sheet_editor(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
) -> Result<(Viewer, String), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (organisation, role) = funding_body(state, &viewer, organisation_id).await?;
    if role != Some(Role::Editor) {
        return Err(forbidden("upload calls for this funding body"));
    }
    Ok((viewer, organisation.name))
}

/// A spreadsheet as uploaded: CSV text, or an XLSX workbook in base64 (then `text` is unused).
#[derive(Debug, Clone, Copy, Default)]
pub struct SheetUpload<'a> {
    /// The CSV text.
    pub text: &'a str,
    /// The workbook, base64-encoded.
    pub xlsx_base64: Option<&'a str>,
}

impl<'a> SheetUpload<'a> {
    /// An upload of CSV `text`.
    pub fn csv(text: &'a str) -> SheetUpload<'a> {
        SheetUpload {
            text,
            xlsx_base64: None,
        }
    }
}

/// A spreadsheet of calls read before anything is written: its columns with their fields
/// (guessed unless `mapping` is given) and each row's outcome, with its mistakes by line.
pub async fn preview_sheet(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    upload: &SheetUpload<'_>,
    mapping: Option<&[Option<String>]>,
) -> Result<SheetPreview, ServiceError> {
    let (_, name) = sheet_editor(state, session, organisation_id).await?;
    let (columns, rows) =
        sheet::read_upload(upload.text, upload.xlsx_base64, mapping, &name).map_err(ServiceError::Invalid)?;
    let existing: Vec<String> = state
        .publishing
        .organisation_calls(organisation_id.trim(), state.clock.now())
        .await?
        .into_iter()
        .filter(|call| call.state == CallState::Draft)
        .map(|call| call.external_id)
        .collect();
    Ok(sheet::preview(columns, &rows, &existing))
}

/// Writes the good rows of a sheet as drafts: a reference that is already a draft of this body
/// updates it (importing the same sheet again changes nothing); a reference used by a call in
/// another state or by someone else is refused, like a row with mistakes.
pub async fn import_sheet(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    upload: &SheetUpload<'_>,
    mapping: Option<&[Option<String>]>,
) -> Result<SheetOutcome, ServiceError> {
    let (viewer, name) = sheet_editor(state, session, organisation_id).await?;
    let organisation_id = organisation_id.trim();
    let (_, rows) =
        sheet::read_upload(upload.text, upload.xlsx_base64, mapping, &name).map_err(ServiceError::Invalid)?;
    let mut outcome = SheetOutcome::default();
    for row in rows {
        let refuse = |message: &str| SheetRow {
            line: row.line,
            reference: row.reference.clone(),
            title: row.title.clone(),
            errors: vec![FieldError::new("reference", message)],
            updates: false,
        };
        let call = match row.call {
            Ok(call) => call,
            Err(ref errors) => {
                outcome.refused.push(SheetRow {
                    errors: errors.clone(),
                    ..refuse("")
                });
                continue;
            }
        };
        let entry = audit(
            state,
            &viewer,
            "import_call",
            organisation_id,
            format!("{} (line {})", call.external_id, row.line),
        );
        match state.publishing.call_record(&call.external_id).await? {
            None => match state.publishing.create_call(&call, organisation_id, None, &entry).await {
                Ok(()) => outcome.created += 1,
                Err(StoreError::Conflict(_)) => outcome
                    .refused
                    .push(refuse("This reference is already used by another call.")),
                Err(error) => return Err(error.into()),
            },
            Some(record) if record.organisation_id != organisation_id => {
                outcome
                    .refused
                    .push(refuse("This reference is already used by another call."));
            }
            Some(record) if record.state != CallState::Draft => outcome.refused.push(refuse(&format!(
                "This call is {}: change it in the editor.",
                record.state.label().to_lowercase()
            ))),
            Some(record) if changes(&record.call, &call).is_empty() => outcome.unchanged += 1,
            Some(record) => {
                if state
                    .publishing
                    .save_call(&call, CallState::Draft, record.publish_at, None, &entry)
                    .await?
                {
                    outcome.updated += 1;
                } else {
                    outcome
                        .refused
                        .push(refuse("This call changed state meanwhile: try again."));
                }
            }
        }
    }
    Ok(outcome)
}

/// A description's Markdown as the call page will show it (sanitised HTML), for the editor's
/// live preview.
pub fn preview_description(markdown: &str) -> Result<String, ServiceError> {
    if markdown.chars().count() > crate::publishing::MAX_DESCRIPTION_CHARS {
        return Err(ServiceError::Invalid("The description is too long to preview.".into()));
    }
    Ok(crate::markdown::to_safe_html(markdown))
}

/// How often the server looks for scheduled calls whose time has come.
pub const SCHEDULE_POLL: std::time::Duration = std::time::Duration::from_secs(15);

/// Runs until `shutdown` turns true: publishes scheduled calls as their time comes (a failure
/// is logged and tried again at the next poll).
pub async fn run_schedule(state: &AppState, shutdown: tokio::sync::watch::Receiver<bool>) {
    super::every(SCHEDULE_POLL, shutdown, || async {
        match publish_due(state).await {
            Ok(published) if !published.is_empty() => {
                tracing::info!(calls = ?published, "scheduled calls published");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "scheduled publication failed; trying again"),
        }
    })
    .await;
}

/// A funding body's audit log as CSV (time, who, what, details): for its editors, reviewers
/// and administrators. Cells a spreadsheet would run as a formula are quoted as text.
pub async fn audit_csv(state: &AppState, session: Option<&str>, organisation_id: &str) -> Result<String, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (_, role) = funding_body(state, &viewer, organisation_id).await?;
    if !viewer.is_admin && !matches!(role, Some(Role::Editor | Role::Reviewer)) {
        return Err(forbidden("export this funding body's audit log"));
    }
    let lines = state
        .publishing
        .organisation_audit(organisation_id.trim(), AUDIT_EXPORT_LINES)
        .await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = ["time (UTC)", "who", "action", "details"];
    let write_error = |error: csv::Error| ServiceError::Invalid(format!("could not write the export: {error}"));
    writer.write_record(header).map_err(write_error)?;
    for line in lines {
        let at = line.at.format("%Y-%m-%d %H:%M:%S").to_string();
        let who = line.actor.unwrap_or_else(|| "Fundbridge".into());
        writer
            .write_record([at, who, line.action, line.detail].map(|cell| spreadsheet_safe(&cell)))
            .map_err(write_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| ServiceError::Invalid(error.to_string()))?;
    Ok(String::from_utf8(bytes).expect("CSV of strings is UTF-8"))
}

/// `cell` as a spreadsheet shows it, never runs it: a leading `=`, `+`, `-`, `@` or tab gets an
/// apostrophe (OWASP CSV injection).
fn spreadsheet_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_as_text_in_exports() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("RIS3-1: moved"), "RIS3-1: moved");
    }
}
