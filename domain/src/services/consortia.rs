//! Consortia as use cases: the lead's people build one for a call (picking partners, each
//! save showing the gaps still open against the call's rules) and share it; the partners'
//! people see it after signing in and accept or decline; nobody else learns it exists.

use super::{AppState, ServiceError};
use crate::codes::{CallId, OrganisationId};
use crate::matching::consortium::{
    brings, gaps, Answer, ConsortiumForm, ConsortiumMember, ConsortiumRole, ConsortiumView, MemberFacts,
    MAX_CONSORTIUM_MEMBERS, MAX_CONSORTIUM_NAME_CHARS,
};
use crate::matching::rank::Matcher;
use crate::organisation::Organisation;
use crate::people::Viewer;
use crate::store::{ConsortiumRecord, ConsortiumSave, StoredMember};
use std::collections::HashMap;

/// The consortium the viewer's organisation `organisation_id` (blank: their first that
/// applies for calls) builds for call `call_id`: the saved one, or one of the lead alone;
/// nothing for a visitor, an organisation that applies for nothing, or a call the matcher
/// does not hold (closed or unknown).
pub async fn consortium_for_call(
    state: &AppState,
    session: Option<&str>,
    call_id: &str,
    organisation_id: &str,
) -> Result<Option<ConsortiumView>, ServiceError> {
    let Some(viewer) = super::accounts::viewer(state, session).await? else {
        return Ok(None);
    };
    let Some(lead_id) = super::matching::chosen_organisation(&viewer, organisation_id) else {
        return Ok(None);
    };
    let (lead, _) =
        super::member_organisation(state, &viewer, &lead_id, "build a consortium for this organisation").await?;
    let Ok(call) = CallId::parse(call_id) else {
        return Ok(None);
    };
    let record = match state.consortia.consortium_for(call.as_str(), &lead.external_id).await? {
        Some(record) => record,
        None => ConsortiumRecord {
            id: UNSAVED,
            call_id: call.as_str().to_owned(),
            lead_id: lead.external_id.clone(),
            name: String::new(),
            shared: false,
            updated_at: state.clock.now(),
            members: vec![StoredMember {
                organisation_id: lead.external_id.clone(),
                role: ConsortiumRole::Coordinator,
                answer: Answer::Lead,
            }],
        },
    };
    Ok(views(state, &viewer, vec![record]).await?.pop())
}

/// Saves the consortium `form` describes for its lead (one of the viewer's organisations)
/// and returns it with its gaps; refuses, changing nothing, a form that breaks a rule.
pub async fn save_consortium(
    state: &AppState,
    session: Option<&str>,
    form: &ConsortiumForm,
) -> Result<ConsortiumView, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let (lead, _) = super::member_organisation(
        state,
        &viewer,
        &form.lead_id,
        "build a consortium for this organisation",
    )
    .await?;
    let partners = checked_partners(form, &lead.external_id)?;
    let matcher = super::matching::current_matcher(state).await?;
    let call = CallId::parse(&form.call_id)
        .ok()
        .and_then(|id| matcher.find(id.as_str()).map(|number| (id, number)))
        .ok_or_else(|| ServiceError::NotFound("that call".into()));
    let (call, number) = call?;
    let name = form.name.trim();
    crate::sanitize::check_text("name", name, false)
        .map_err(|error| ServiceError::Invalid(super::capitalised(&error)))?;
    if name.chars().count() > MAX_CONSORTIUM_NAME_CHARS {
        return Err(ServiceError::Invalid(format!(
            "Keep the consortium's name under {MAX_CONSORTIUM_NAME_CHARS} characters."
        )));
    }
    let ids: Vec<String> = partners.iter().map(|(id, _)| id.clone()).collect();
    let found = state.directory.organisation_details(&ids).await?;
    if ids
        .iter()
        .any(|id| !found.iter().any(|detail| &detail.organisation.external_id == id))
    {
        return Err(ServiceError::Invalid(
            "An organisation you picked is not in the directory (any more).".into(),
        ));
    }
    let save = ConsortiumSave {
        call_id: call.as_str().to_owned(),
        lead_id: lead.external_id.clone(),
        name: if name.is_empty() {
            matcher.call(number).summary.title.clone()
        } else {
            name.to_owned()
        },
        share: form.share,
        lead_role: form.lead_role,
        partners,
    };
    let id = state
        .consortia
        .save_consortium(&save, viewer.person_id, state.clock.now())
        .await?;
    consortium(state, session, id).await
}

/// The partners of `form`, checked: identifiers that can be ones, none twice, not the lead,
/// at most [`MAX_CONSORTIUM_MEMBERS`] members and one coordinator in all.
fn checked_partners(form: &ConsortiumForm, lead_id: &str) -> Result<Vec<(String, ConsortiumRole)>, ServiceError> {
    if form.partners.len() + 1 > MAX_CONSORTIUM_MEMBERS {
        return Err(ServiceError::Invalid(format!(
            "A consortium holds at most {MAX_CONSORTIUM_MEMBERS} organisations."
        )));
    }
    let mut partners: Vec<(String, ConsortiumRole)> = Vec::with_capacity(form.partners.len());
    for (id, role) in &form.partners {
        let id = OrganisationId::parse(id.trim())
            .map_err(|_| ServiceError::Invalid("An organisation you picked is not in the directory.".into()))?;
        if id.as_str() == lead_id {
            return Err(ServiceError::Invalid(
                "The organisation building the consortium is in it already.".into(),
            ));
        }
        if partners.iter().any(|(known, _)| known == id.as_str()) {
            return Err(ServiceError::Invalid(
                "An organisation is in the consortium twice.".into(),
            ));
        }
        partners.push((id.as_str().to_owned(), *role));
    }
    let coordinators = std::iter::once(form.lead_role)
        .chain(partners.iter().map(|(_, role)| *role))
        .filter(|role| *role == ConsortiumRole::Coordinator)
        .count();
    if coordinators > 1 {
        return Err(ServiceError::Invalid(
            "Only one member can coordinate: choose one coordinator.".into(),
        ));
    }
    Ok(partners)
}

/// Consortium `id`, for its lead's people, administrators and — once shared — its partners'
/// people; for anyone else it is not found.
pub async fn consortium(state: &AppState, session: Option<&str>, id: i64) -> Result<ConsortiumView, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let not_found = || ServiceError::NotFound("that consortium".into());
    let record = state.consortia.consortium(id).await?.ok_or_else(not_found)?;
    if !may_see(&viewer, &record) {
        return Err(not_found());
    }
    views(state, &viewer, vec![record]).await?.pop().ok_or_else(not_found)
}

/// The consortia the viewer's organisations build, and those shared with them; latest first.
pub async fn my_consortia(state: &AppState, session: Option<&str>) -> Result<Vec<ConsortiumView>, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    let organisations: Vec<String> = viewer.memberships.iter().map(|m| m.organisation_id.clone()).collect();
    let records = state.consortia.consortia_of(&organisations).await?;
    views(state, &viewer, records).await
}

/// Partner `organisation_id` (one of the viewer's) accepts or declines consortium `id`,
/// which must have been shared with it.
pub async fn answer_consortium(
    state: &AppState,
    session: Option<&str>,
    id: i64,
    organisation_id: &str,
    accept: bool,
) -> Result<ConsortiumView, ServiceError> {
    let viewer = super::accounts::require_viewer(state, session).await?;
    // Only the partner's own people answer for it (administrators included only as members).
    let (organisation, role) =
        super::member_organisation(state, &viewer, organisation_id, "answer for this organisation").await?;
    if role.is_none() {
        return Err(super::forbidden("answer for this organisation"));
    }
    let answer = if accept { Answer::Accepted } else { Answer::Declined };
    state
        .consortia
        .answer_consortium(
            id,
            &organisation.external_id,
            answer,
            viewer.person_id,
            state.clock.now(),
        )
        .await
        .map_err(|_| ServiceError::NotFound("that consortium".into()))?;
    consortium(state, session, id).await
}

/// The identifier of a consortium not saved yet (rows start at 1).
const UNSAVED: i64 = 0;

/// Whether `viewer` may see `record`: an administrator, one of its lead's people, or — once
/// shared — one of a partner's.
fn may_see(viewer: &Viewer, record: &ConsortiumRecord) -> bool {
    viewer.is_admin
        || viewer.role_in(&record.lead_id).is_some()
        || (record.shared
            && record
                .members
                .iter()
                .any(|m| viewer.role_in(&m.organisation_id).is_some()))
}

/// `records` as `viewer` sees them, each with its gaps against its call (those whose call the
/// matcher no longer holds are left out).
async fn views(
    state: &AppState,
    viewer: &Viewer,
    records: Vec<ConsortiumRecord>,
) -> Result<Vec<ConsortiumView>, ServiceError> {
    let matcher = super::matching::current_matcher(state).await?;
    let mut ids: Vec<String> = records
        .iter()
        .flat_map(|record| record.members.iter().map(|m| m.organisation_id.clone()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let organisations: HashMap<String, Organisation> = state
        .directory
        .organisation_details(&ids)
        .await?
        .into_iter()
        .map(|detail| (detail.organisation.external_id.clone(), detail.organisation))
        .collect();
    Ok(records
        .into_iter()
        .filter_map(|record| view(&matcher, viewer, &organisations, record))
        .collect())
}

/// One consortium as `viewer` sees it, if its call is still held by `matcher`.
fn view(
    matcher: &Matcher,
    viewer: &Viewer,
    organisations: &HashMap<String, Organisation>,
    record: ConsortiumRecord,
) -> Option<ConsortiumView> {
    let call = matcher.call(matcher.find(&record.call_id)?);
    let members: Vec<(&Organisation, &StoredMember)> = record
        .members
        .iter()
        .filter_map(|member| Some((organisations.get(&member.organisation_id)?, member)))
        .collect();
    let facts: Vec<MemberFacts<'_>> = members
        .iter()
        .map(|(organisation, member)| MemberFacts {
            organisation,
            role: member.role,
            answer: member.answer,
        })
        .collect();
    let answering_for = members
        .iter()
        .filter(|(_, member)| record.shared && member.answer != Answer::Lead)
        .filter(|(_, member)| viewer.role_in(&member.organisation_id).is_some())
        .map(|(organisation, member)| {
            (
                organisation.external_id.clone(),
                organisation.name.clone(),
                member.answer,
            )
        })
        .collect();
    Some(ConsortiumView {
        id: (record.id != UNSAVED).then_some(record.id),
        call_id: record.call_id.clone(),
        call_title: call.summary.title.clone(),
        name: record.name.clone(),
        shared: record.shared,
        gaps: gaps(call, &facts),
        members: members
            .iter()
            .map(|(organisation, member)| ConsortiumMember {
                organisation_id: organisation.external_id.clone(),
                name: organisation.name.clone(),
                country: organisation.country.clone(),
                kind: organisation.kind,
                role: member.role,
                answer: member.answer,
                brings: brings(call, organisation),
            })
            .collect(),
        can_edit: viewer.role_in(&record.lead_id).is_some(),
        answering_for,
        updated_at: (record.id != UNSAVED).then_some(record.updated_at),
    })
}
