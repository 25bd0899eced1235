//! Funding bodies publishing their own calls: the states a call goes through and who may move
//! it, the form an editor fills in, and the versions a published call keeps — with the changes
//! readers and followers must hear about marked as material. Shared with the UI; reading a form
//! into a call and comparing two calls are behind `server` ([`form`], [`changes`]).

#[cfg(feature = "server")]
pub mod changes;
#[cfg(feature = "server")]
pub mod form;
#[cfg(feature = "server")]
pub mod sheet;

use crate::call::InstrumentKind;
use crate::people::Role;
use crate::time::DeadlineZone;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest reference a funding body gives its call (it becomes the call's address).
pub const MAX_REFERENCE_CHARS: usize = 60;
/// The longest title.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest programme name.
pub const MAX_PROGRAMME_CHARS: usize = 120;
/// The longest description, in characters (the longest EU topic is about 30 000).
pub const MAX_DESCRIPTION_CHARS: usize = 60_000;
/// The most deadlines (stages or cut-offs) a call may have.
pub const MAX_DEADLINES: usize = 12;
/// The longest stage name.
pub const MAX_STAGE_LABEL_CHARS: usize = 120;
/// The most keywords.
pub const MAX_KEYWORDS: usize = 20;
/// The longest keyword.
pub const MAX_KEYWORD_CHARS: usize = 80;
/// The most eligible countries or regions.
pub const MAX_AREAS: usize = 60;
/// The longest link.
pub const MAX_LINK_CHARS: usize = 2_000;
/// The longest comment a reviewer sends back, an administrator's reason or a change note.
pub const MAX_COMMENT_CHARS: usize = 500;
/// The largest amount accepted, in euro (ten trillion: more than any programme's budget).
pub const MAX_AMOUNT_EUR: i64 = 10_000_000_000_000;

/// Where a call is in its funding body's workflow. Only published calls reach the public list,
/// the search index and alerts; readers' status (open, closed) is derived from the dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Being written; only the funding body sees it.
    Draft,
    /// Submitted; waiting for a reviewer of the same funding body.
    InReview,
    /// Approved; publishes itself at its publication time.
    Scheduled,
    /// Public.
    Published,
    /// Withdrawn from the public list by its funding body; kept for the record.
    Archived,
}

impl CallState {
    /// Every state, in workflow order.
    pub const ALL: [CallState; 5] = [
        CallState::Draft,
        CallState::InReview,
        CallState::Scheduled,
        CallState::Published,
        CallState::Archived,
    ];

    /// The state as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Draft => "draft",
            CallState::InReview => "in_review",
            CallState::Scheduled => "scheduled",
            CallState::Published => "published",
            CallState::Archived => "archived",
        }
    }

    /// The state named `value`, if it is one.
    pub fn parse(value: &str) -> Option<CallState> {
        CallState::ALL.into_iter().find(|state| state.as_str() == value)
    }

    /// The state's name for people.
    pub fn label(self) -> &'static str {
        match self {
            CallState::Draft => "Draft",
            CallState::InReview => "In review",
            CallState::Scheduled => "Scheduled",
            CallState::Published => "Published",
            CallState::Archived => "Archived",
        }
    }

    /// Whether an editor may change the call's fields in this state (a call in review or
    /// scheduled is sent back to draft first; an archived one is kept as it was).
    pub fn is_editable(self) -> bool {
        matches!(self, CallState::Draft | CallState::Published)
    }
}

/// What someone asks to do with a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallAction {
    /// An editor submits a draft for review.
    Submit,
    /// A reviewer approves it: published now, or scheduled for its publication time.
    Approve,
    /// A reviewer sends it back to draft with a comment (or cancels a scheduled publication).
    SendBack,
    /// An editor or reviewer takes a published call off the public list.
    Archive,
    /// An administrator takes a call off the public list with a reason for its funding body.
    Unpublish,
}

impl CallAction {
    /// The state this action moves a call in `from` to (`Approve` yields `Published`; the
    /// service schedules it instead when its publication time is still ahead), or `None` when
    /// the action does not apply in that state.
    pub fn next_state(self, from: CallState) -> Option<CallState> {
        use CallState::*;
        match (self, from) {
            (CallAction::Submit, Draft) => Some(InReview),
            (CallAction::Approve, InReview) => Some(Published),
            (CallAction::SendBack, InReview | Scheduled) => Some(Draft),
            (CallAction::Archive, Published) => Some(Archived),
            (CallAction::Unpublish, Scheduled | Published) => Some(Draft),
            _ => None,
        }
    }

    /// Whether someone with `role` in the call's funding body may take this action
    /// (administrators may always unpublish; nobody else may).
    pub fn allowed_for(self, role: Option<Role>) -> bool {
        match self {
            CallAction::Submit => role == Some(Role::Editor),
            CallAction::Approve | CallAction::SendBack => role == Some(Role::Reviewer),
            CallAction::Archive => matches!(role, Some(Role::Editor | Role::Reviewer)),
            CallAction::Unpublish => false,
        }
    }

    /// The action as recorded in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            CallAction::Submit => "submit_call",
            CallAction::Approve => "approve_call",
            CallAction::SendBack => "send_back_call",
            CallAction::Archive => "archive_call",
            CallAction::Unpublish => "unpublish_call",
        }
    }

    /// Whether the action needs a comment (a reason the funding body reads).
    pub fn needs_comment(self) -> bool {
        matches!(self, CallAction::SendBack | CallAction::Unpublish)
    }
}

/// One deadline as typed in the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineInput {
    /// The stage's name ("Short proposal"), optional.
    pub label: String,
    /// Wall-clock time in the call's time zone: `2027-03-04T17:00` (a date alone means 17:00).
    pub at: String,
}

/// One document link as typed in the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInput {
    /// What the document is ("Guide for applicants").
    pub label: String,
    /// Its address.
    pub url: String,
}

/// Every field of a call as the editor holds it: text as typed, so that a refused form comes
/// back exactly as it was sent. Fields added later default to empty, so a draft a browser kept
/// from before still opens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CallForm {
    /// The funding body's own reference; it becomes the call's address and never changes.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Programme (the funding body's own, or an EU one).
    pub programme: String,
    /// Instrument kind, as [`InstrumentKind::as_str`].
    pub instrument_kind: String,
    /// Opening date or date and time (`2027-01-15` or `2027-01-15T09:00`), empty when open now.
    pub opening: String,
    /// No deadline: applications are taken until further notice.
    pub rolling: bool,
    /// The deadlines, in order (ignored for a rolling call).
    pub deadlines: Vec<DeadlineInput>,
    /// The deadlines' time zone, as [`DeadlineZone::as_str`].
    pub time_zone: String,
    /// The currency the amounts are stated in (`EUR`, or a code of [`crate::money::CURRENCIES`]).
    pub currency: String,
    /// For another currency than the euro: its units per euro, as the programme converts.
    pub euro_rate: String,
    /// Total budget, in the call's currency.
    pub budget_total: String,
    /// Per-project minimum, in the call's currency.
    pub budget_min: String,
    /// Per-project maximum, in the call's currency.
    pub budget_max: String,
    /// Maximum funding rate, in percent.
    pub funding_rate: String,
    /// Eligible countries (ISO alpha-2); none means no restriction.
    pub countries: Vec<String>,
    /// Eligible NUTS regions; none means no restriction.
    pub regions: Vec<String>,
    /// Only SMEs may apply.
    pub sme_only: bool,
    /// Minimum number of partners in a consortium.
    pub min_partners: String,
    /// Minimum number of countries in a consortium.
    pub min_countries: String,
    /// Lowest TRL expected.
    pub trl_min: String,
    /// Highest TRL expected.
    pub trl_max: String,
    /// Open to civil–military (dual-use) projects.
    pub dual_use: bool,
    /// Keywords, separated by commas.
    pub keywords: String,
    /// Description in Markdown.
    pub description: String,
    /// Link to the funding body's own page for the call.
    pub url: String,
    /// The kinds of organisation that may apply, as [`crate::organisation::OrganisationKind::as_str`];
    /// none: any.
    pub applicant_kinds: Vec<String>,
    /// Capability codes the call is about; none: derived from its text.
    pub domains: Vec<String>,
    /// NIS2 sector codes it addresses; none: derived from its text.
    pub sectors: Vec<String>,
    /// Whom to ask (an address, a telephone number, a helpdesk page).
    pub contact: String,
    /// Links to the call's documents.
    pub documents: Vec<DocumentInput>,
    /// When to publish once approved (`2027-01-10T09:00`, in the call's time zone); empty: at once.
    pub publish_at: String,
    /// For a published call: the one-line public note saying what changed (needed when the
    /// change is material).
    pub change_note: String,
}

impl CallForm {
    /// An empty form for a new call of `kind`, with deadlines in Brussels time.
    pub fn blank(kind: InstrumentKind) -> CallForm {
        CallForm {
            instrument_kind: kind.as_str().to_owned(),
            time_zone: DeadlineZone::Central.as_str().to_owned(),
            currency: "EUR".to_owned(),
            deadlines: vec![DeadlineInput::default()],
            ..CallForm::default()
        }
    }
}

/// What is wrong with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name in the form (`title`, `deadlines.2`, …).
    pub field: String,
    /// What to fix, for the person.
    pub message: String,
}

impl FieldError {
    /// An error on `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Adds an error on `field` when `value` is longer than `max` characters or holds control
/// characters (line breaks and tabs allowed where `multiline`).
pub fn check_length(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize, multiline: bool) {
    if value.chars().count() > max {
        errors.push(FieldError::new(field, format!("Keep it under {max} characters.")));
    } else if crate::sanitize::forbidden_control(value, multiline).is_some() {
        errors.push(FieldError::new(field, "Remove the control characters."));
    }
}

/// One field that changed between two versions of a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field (`deadlines`, `budget_total`, …), for followers' rules.
    pub field: String,
    /// Its name for people.
    pub label: String,
    /// The value before, as shown.
    pub before: String,
    /// The value after, as shown.
    pub after: String,
    /// Whether applicants must hear of it (deadlines, budget, eligibility, status).
    pub material: bool,
}

impl FieldChange {
    /// "Deadline moved from … to …" style sentence for the public history.
    pub fn sentence(&self) -> String {
        match (self.before.is_empty(), self.after.is_empty()) {
            (true, _) => format!("{} set to {}", self.label, self.after),
            (_, true) => format!("{} removed (was {})", self.label, self.before),
            _ => format!("{} changed from {} to {}", self.label, self.before, self.after),
        }
    }
}

/// One saved version of a published call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallVersion {
    /// 1 for the version first published, then one more per save.
    pub number: i64,
    /// When it was saved.
    pub saved_at: DateTime<Utc>,
    /// Who saved it (`None`: the publication job, or a deleted account).
    pub saved_by: Option<String>,
    /// Whether any change in it is material.
    pub material: bool,
    /// The funding body's one-line public note.
    pub note: String,
    /// Every field that changed.
    pub changes: Vec<FieldChange>,
}

/// One of a funding body's calls, as its dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedCall {
    /// The call's address.
    pub external_id: String,
    /// Title.
    pub title: String,
    /// Instrument kind.
    pub instrument_kind: InstrumentKind,
    /// Workflow state.
    pub state: CallState,
    /// The next deadline, if any is ahead.
    pub next_deadline: Option<DateTime<Utc>>,
    /// When it publishes itself (scheduled) or was asked to.
    pub publish_at: Option<DateTime<Utc>>,
    /// The last reviewer's or administrator's comment, while it is a draft again.
    pub review_comment: Option<String>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A funding body's publishing desk: its calls by state, and what the person may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishingDesk {
    /// The funding body's identifier.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// The NUTS region whose smart-specialisation priorities it records (public authorities
    /// with a region on their profile).
    pub region: Option<String>,
    /// The person's role there (`None`: an administrator looking in).
    pub role: Option<Role>,
    /// Its calls, most recently changed first.
    pub calls: Vec<OwnedCall>,
    /// The instant the desk was read at.
    pub now: DateTime<Utc>,
}

/// How far ahead the desk looks for deadlines coming.
pub const DEADLINES_AHEAD_DAYS: i64 = 42;

impl PublishingDesk {
    /// The body's public or scheduled calls whose next deadline falls within
    /// [`DEADLINES_AHEAD_DAYS`], soonest first.
    pub fn deadlines_coming(&self) -> Vec<&OwnedCall> {
        let horizon = self.now + chrono::Duration::days(DEADLINES_AHEAD_DAYS);
        let mut coming: Vec<&OwnedCall> = self
            .calls
            .iter()
            .filter(|call| matches!(call.state, CallState::Published | CallState::Scheduled))
            .filter(|call| call.next_deadline.is_some_and(|at| at >= self.now && at <= horizon))
            .collect();
        coming.sort_by_key(|call| call.next_deadline);
        coming
    }
}

/// A call as its editor opens it: the form, where it stands and what may be done next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableCall {
    /// The call's address.
    pub external_id: String,
    /// The funding body it belongs to.
    pub organisation_id: String,
    /// That body's name.
    pub organisation_name: String,
    /// Workflow state.
    pub state: CallState,
    /// The fields, as the form shows them.
    pub form: CallForm,
    /// When it publishes itself, if scheduled.
    pub publish_at: Option<DateTime<Utc>>,
    /// The last comment sent back with it, or an administrator's reason for unpublishing.
    pub review_comment: Option<String>,
    /// Who submitted it for review.
    pub submitted_by: Option<String>,
    /// What the person asking may do now.
    pub actions: Vec<CallAction>,
    /// Whether the person may change its fields now.
    pub editable: bool,
    /// Its versions since publication, newest first.
    pub versions: Vec<CallVersion>,
}

/// The public record of material changes to a call, for its page: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicChange {
    /// When it changed.
    pub at: DateTime<Utc>,
    /// The funding body's note.
    pub note: String,
    /// The material changes, as sentences.
    pub details: Vec<String>,
}

/// The largest spreadsheet upload, in bytes: what fits in one request (the server takes
/// requests of up to 64 KiB) — about a hundred calls without long descriptions.
pub const MAX_SHEET_BYTES: usize = 60_000;
/// The largest XLSX workbook accepted, in bytes (sent as base64 inside a request's JSON; its
/// cells are bounded again as they are read).
pub const MAX_XLSX_BYTES: usize = 45_000;

/// The fields a spreadsheet column can fill, with their names for people.
pub const SHEET_FIELDS: [(&str, &str); 32] = [
    ("reference", "Your reference"),
    ("title", "Title"),
    ("programme", "Programme"),
    ("instrument_kind", "Instrument kind"),
    ("opening", "Opening"),
    ("rolling", "Rolling"),
    ("deadline_1", "Deadline 1"),
    ("deadline_1_label", "Deadline 1 name"),
    ("deadline_2", "Deadline 2"),
    ("deadline_2_label", "Deadline 2 name"),
    ("deadline_3", "Deadline 3"),
    ("deadline_3_label", "Deadline 3 name"),
    ("time_zone", "Time zone"),
    ("currency", "Currency"),
    ("euro_rate", "Exchange rate"),
    ("budget_total", "Total budget"),
    ("budget_min", "Minimum per project"),
    ("budget_max", "Maximum per project"),
    ("funding_rate", "Funding rate"),
    ("countries", "Eligible countries"),
    ("regions", "Eligible regions"),
    ("sme_only", "SMEs only"),
    ("min_partners", "Minimum partners"),
    ("min_countries", "Minimum countries"),
    ("trl_min", "Lowest TRL"),
    ("trl_max", "Highest TRL"),
    ("dual_use", "Dual use"),
    ("applicant_kinds", "Who may apply"),
    ("contact", "Contact"),
    ("keywords", "Keywords"),
    ("description", "Description"),
    ("url", "Link"),
];

/// One column of an uploaded sheet and the field it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetColumn {
    /// The column's name in the file.
    pub header: String,
    /// The field it fills (`None`: ignored).
    pub field: Option<String>,
}

/// One row of an uploaded sheet, as the preview and the summary show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    /// Its line in the file (the column names are line 1).
    pub line: usize,
    /// The reference it gives.
    pub reference: String,
    /// The title it gives.
    pub title: String,
    /// Its mistakes (none: it can be written).
    pub errors: Vec<FieldError>,
    /// Whether it would update one of the body's drafts.
    pub updates: bool,
}

/// An uploaded sheet before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetPreview {
    /// Its columns and their fields.
    pub columns: Vec<SheetColumn>,
    /// Its rows, in file order.
    pub rows: Vec<SheetRow>,
}

/// What writing a sheet did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetOutcome {
    /// New drafts.
    pub created: usize,
    /// Drafts changed.
    pub updated: usize,
    /// Rows already stored exactly so.
    pub unchanged: usize,
    /// Rows not written, with why.
    pub refused: Vec<SheetRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_lists_public_deadlines_of_the_next_six_weeks_soonest_first() {
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(20_000);
        let call = |id: &str, state: CallState, days: Option<i64>| OwnedCall {
            external_id: id.into(),
            title: id.into(),
            instrument_kind: InstrumentKind::Grant,
            state,
            next_deadline: days.map(|d| now + chrono::Duration::days(d)),
            publish_at: None,
            review_comment: None,
            updated_at: now,
        };
        let desk = PublishingDesk {
            organisation_id: "body".into(),
            organisation_name: "Body".into(),
            region: None,
            role: None,
            calls: vec![
                call("late", CallState::Published, Some(40)),
                call("soon", CallState::Scheduled, Some(3)),
                call("far", CallState::Published, Some(60)),
                call("draft", CallState::Draft, Some(5)),
                call("rolling", CallState::Published, None),
            ],
            now,
        };
        let coming: Vec<&str> = desk.deadlines_coming().iter().map(|c| c.external_id.as_str()).collect();
        assert_eq!(coming, ["soon", "late"]);
    }

    #[test]
    fn the_workflow_moves_only_along_its_arrows() {
        use CallAction::*;
        use CallState::*;
        assert_eq!(Submit.next_state(Draft), Some(InReview));
        assert_eq!(Approve.next_state(InReview), Some(Published));
        assert_eq!(SendBack.next_state(InReview), Some(Draft));
        assert_eq!(SendBack.next_state(Scheduled), Some(Draft));
        assert_eq!(Archive.next_state(Published), Some(Archived));
        assert_eq!(Unpublish.next_state(Published), Some(Draft));
        for (action, from) in [
            (Approve, Draft),
            (Submit, InReview),
            (Submit, Published),
            (Archive, Draft),
            (Approve, Archived),
            (Unpublish, Draft),
        ] {
            assert_eq!(action.next_state(from), None, "{action:?} from {from:?}");
        }
    }

    #[test]
    fn editors_submit_and_reviewers_decide() {
        assert!(CallAction::Submit.allowed_for(Some(Role::Editor)));
        assert!(!CallAction::Submit.allowed_for(Some(Role::Reviewer)));
        assert!(CallAction::Approve.allowed_for(Some(Role::Reviewer)));
        assert!(!CallAction::Approve.allowed_for(Some(Role::Editor)));
        assert!(!CallAction::Approve.allowed_for(Some(Role::Member)));
        assert!(!CallAction::SendBack.allowed_for(None));
        assert!(!CallAction::Unpublish.allowed_for(Some(Role::Reviewer)));
    }

    #[test]
    fn states_round_trip_through_their_stored_form() {
        for state in CallState::ALL {
            assert_eq!(CallState::parse(state.as_str()), Some(state));
        }
        assert_eq!(CallState::parse("deleted"), None);
    }
}
