//! Organisations' own pages and profiles: the public page of one organisation (with the calls
//! its capabilities touch), and its editors editing the profile. Turnover and balance sheet are
//! the organisation's own: only its people see them; everyone sees the size class they give.

use super::accounts::{require_viewer, viewer};
use super::{forbidden, region_names, AppState, ServiceError};
use crate::call::CallStatus;
use crate::codes::NutsCode;
use crate::geo::{area_label, country_label};
use crate::organisation::{Organisation, OrganisationKind, SizeClass};
use crate::people::Role;
use crate::profile::{completeness, OrganisationPage, ProfileEditor, ProfileForm};
use crate::query::{CallQuery, CallSort};
use crate::store::AuditEntry;

/// How many calls an organisation's page lists.
const PAGE_CALLS: u32 = 10;

/// The page of the organisation `external_id`, as the session's person (or anyone) sees it.
pub async fn organisation_page(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
) -> Result<OrganisationPage, ServiceError> {
    let detail = super::directory::organisation_detail(state, external_id).await?;
    let viewer = viewer(state, session).await?;
    let role = viewer
        .as_ref()
        .and_then(|viewer| viewer.role_in(&detail.organisation.external_id));
    let org = &detail.organisation;
    let is_company = matches!(org.kind, OrganisationKind::Sme | OrganisationKind::LargeEnterprise);
    let size = is_company
        .then(|| SizeClass::classify_known(org.headcount, org.profile.turnover_eur, org.profile.balance_sheet_eur))
        .flatten();
    let now = state.clock.now();
    let calls = if org.capabilities.is_empty() {
        Vec::new()
    } else {
        let query = CallQuery {
            domains: org.capabilities.clone(),
            countries: vec![org.country.to_string()],
            statuses: vec![CallStatus::Open, CallStatus::Forthcoming],
            sort: CallSort::Deadline,
            per_page: PAGE_CALLS,
            ..CallQuery::default()
        }
        .sanitized();
        state.calls.list_calls(&query, now).await?.items
    };
    let names = region_names(state, org.nuts_code.iter().map(NutsCode::to_string)).await;
    let place = org.nuts_code.as_ref().map_or_else(
        || country_label(org.country.as_str()),
        |code| area_label(code.as_str(), &names),
    );
    let completeness = role.is_some().then(|| completeness(org));
    let detail = super::directory::seen_by(vec![detail], viewer.as_ref()).remove(0);
    Ok(OrganisationPage {
        detail,
        place,
        size,
        calls,
        now,
        role,
        completeness,
    })
}

/// The profile editor of the organisation `external_id`, for its editors.
pub async fn profile_editor(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
) -> Result<ProfileEditor, ServiceError> {
    let (organisation, _) = editable(state, session, external_id).await?;
    Ok(ProfileEditor {
        form: ProfileForm::from_organisation(&organisation),
        completeness: completeness(&organisation),
        organisation_id: organisation.external_id,
        name: organisation.name,
        kind: organisation.kind,
        country: organisation.country.to_string(),
    })
}

/// The organisation `external_id` and the person, when the person is one of its editors.
async fn editable(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
) -> Result<(Organisation, i64), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let detail = super::directory::organisation_detail(state, external_id).await?;
    if viewer.role_in(&detail.organisation.external_id) != Some(Role::Editor) {
        return Err(forbidden("edit this organisation's profile"));
    }
    Ok((detail.organisation, viewer.person_id))
}

/// Saves the profile of the organisation `external_id`: its editors only; a form with
/// mistakes is refused field by field and nothing is written. Returns how complete it is now.
pub async fn save_profile(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
    form: &ProfileForm,
) -> Result<crate::profile::Completeness, ServiceError> {
    let (organisation, person_id) = editable(state, session, external_id).await?;
    let edited = form.apply_to(&organisation).map_err(ServiceError::InvalidFields)?;
    let now = state.clock.now();
    let audit = AuditEntry {
        actor_id: Some(person_id),
        action: "edit_profile",
        subject_id: None,
        organisation_id: Some(edited.external_id.clone()),
        detail: String::new(),
        at: now,
    };
    state.directory.save_organisation(&edited, now, &audit).await?;
    Ok(completeness(&edited))
}
