//! Regions: a region's public page (its smart-specialisation strategy, open calls and
//! organisations), its authority recording the strategy, and the priorities a call of the
//! region serves. Only editors of a public authority based in the region write its strategy.

use super::accounts::require_viewer;
use super::{forbidden, region_names, AppState, ServiceError};
use crate::call::CallDetail;
use crate::codes::NutsCode;
use crate::geo::{area_label, country_label, nuts_lineage};
use crate::organisation::{Organisation, OrganisationKind};
use crate::organisation_query::OrganisationQuery;
use crate::people::{Role, Viewer};
use crate::smart_specialisation::{
    served_priorities, Priority, RegionView, ServedPriority, StrategyEditor, StrategyForm,
};
use crate::store::{AuditEntry, NewStrategy, StoreError};

/// How many of a region's calls its page lists.
const REGION_CALLS: u32 = 50;
/// How many of a region's organisations its page lists (the directory has the rest).
const REGION_ORGANISATIONS: u32 = 12;

/// The region `code` for its public page; what is not a region code is not found.
pub async fn region_page(state: &AppState, code: &str) -> Result<RegionView, ServiceError> {
    let region = NutsCode::parse(code.trim())
        .ok()
        .filter(NutsCode::is_region)
        .ok_or_else(|| ServiceError::NotFound("that region".into()))?;
    let code = region.as_str();
    let now = state.clock.now();
    let strategy = state.strategies.strategies(&[code.to_owned()]).await?.pop();
    let calls = state.calls.regional_calls(code, now, REGION_CALLS).await?;
    let query = OrganisationQuery {
        regions: vec![code.to_owned()],
        per_page: REGION_ORGANISATIONS,
        ..OrganisationQuery::default()
    };
    let (organisations, organisation_total) = state.directory.list_organisations(&query).await?;
    let names = region_names(state, std::iter::once(code.to_owned())).await;
    Ok(RegionView {
        code: code.to_owned(),
        label: area_label(code, &names),
        country: country_label(region.country().as_str()),
        strategy,
        calls,
        organisations: super::directory::seen_by(organisations, None),
        organisation_total,
        now,
    })
}

/// The authority `organisation_id`, its region and the viewer's role there: its members (and
/// administrators) read its strategy; an organisation that is not a public authority, or has
/// no region on its profile, has none to record.
async fn authority(
    state: &AppState,
    viewer: &Viewer,
    organisation_id: &str,
) -> Result<(Organisation, NutsCode, Option<Role>), ServiceError> {
    let (organisation, role) =
        super::member_organisation(state, viewer, organisation_id, "see this organisation's strategy").await?;
    if organisation.kind != OrganisationKind::PublicAuthority {
        return Err(ServiceError::Invalid(format!(
            "{} is not a public authority: only a region's authorities record its smart-specialisation priorities.",
            organisation.name
        )));
    }
    let region = organisation
        .nuts_code
        .clone()
        .filter(NutsCode::is_region)
        .ok_or_else(|| {
            ServiceError::Invalid(format!(
                "{} has no NUTS region on its profile: the priorities belong to a region.",
                organisation.name
            ))
        })?;
    Ok((organisation, region, role))
}

/// The strategy editor of the authority `organisation_id`: its region's strategy as saved (or
/// an empty form), for its members; only editors may save.
pub async fn strategy_editor(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
) -> Result<StrategyEditor, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (organisation, region, role) = authority(state, &viewer, organisation_id).await?;
    let saved = state.strategies.strategies(&[region.to_string()]).await?.pop();
    let names = region_names(state, std::iter::once(region.to_string())).await;
    let owned_elsewhere = saved
        .as_ref()
        .is_some_and(|strategy| strategy.organisation_id != organisation.external_id);
    Ok(StrategyEditor {
        region_label: area_label(region.as_str(), &names),
        region: region.to_string(),
        form: saved.as_ref().map_or_else(
            || StrategyForm {
                priorities: vec![Priority::default()],
                ..StrategyForm::default()
            },
            StrategyForm::from_strategy,
        ),
        updated_at: saved.as_ref().map(|strategy| strategy.updated_at),
        can_edit: role == Some(Role::Editor) && !owned_elsewhere,
        organisation_id: organisation.external_id,
        organisation_name: organisation.name,
    })
}

/// Saves the strategy of the region of the authority `organisation_id`: its editors only; a
/// form with mistakes is refused field by field and nothing is written.
pub async fn save_strategy(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    form: &StrategyForm,
) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (organisation, region, role) = authority(state, &viewer, organisation_id).await?;
    if role != Some(Role::Editor) {
        return Err(forbidden("record this region's priorities"));
    }
    let mistakes = form.mistakes();
    if !mistakes.is_empty() {
        return Err(ServiceError::InvalidFields(mistakes));
    }
    let url = form.strategy_url.trim();
    let strategy = NewStrategy {
        region: region.to_string(),
        organisation_id: organisation.external_id.clone(),
        summary: form.summary.trim().to_owned(),
        strategy_url: (!url.is_empty()).then(|| url.to_owned()),
        priorities: form
            .priorities
            .iter()
            .map(|priority| Priority {
                title: priority.title.trim().to_owned(),
                domains: priority.domains.clone(),
                sectors: priority.sectors.clone(),
                text: priority.text.trim().to_owned(),
            })
            .collect(),
    };
    let now = state.clock.now();
    let audit = AuditEntry {
        actor_id: Some(viewer.person_id),
        action: "save_strategy",
        subject_id: None,
        organisation_id: Some(organisation.external_id.clone()),
        detail: region.to_string(),
        at: now,
    };
    match state.strategies.save_strategy(&strategy, now, &audit).await {
        Ok(()) => Ok(()),
        Err(StoreError::Conflict(owner)) => Err(ServiceError::Invalid(format!(
            "The priorities of {region} are recorded by {owner}; ask them to change them."
        ))),
        Err(error) => Err(error.into()),
    }
}

/// The smart-specialisation priorities `call` serves: those of the strategies of its eligible
/// regions (and of the regions around them) that share a capability or a sector with it.
/// A convenience: when the strategies cannot be read, the page goes without.
pub async fn call_priorities(state: &AppState, call: &CallDetail) -> Vec<ServedPriority> {
    let regions: Vec<String> = call.eligible_regions.iter().map(NutsCode::to_string).collect();
    let mut areas: Vec<String> = regions
        .iter()
        .flat_map(|region| nuts_lineage(region).filter(|area| area.len() > 2).map(str::to_owned))
        .collect();
    if areas.is_empty() {
        return Vec::new();
    }
    areas.sort_unstable();
    areas.dedup();
    let strategies = match state.strategies.strategies(&areas).await {
        Ok(strategies) => strategies,
        Err(error) => {
            tracing::warn!(%error, "smart-specialisation priorities unavailable");
            return Vec::new();
        }
    };
    let names = region_names(state, strategies.iter().map(|s| s.region.clone())).await;
    served_priorities(&strategies, &regions, &call.domains, &call.sectors, &names)
}
