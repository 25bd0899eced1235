//! Clusters: the list filtered by region, words of their name or focus and civil–military
//! profile; one cluster's page with its members (as the viewer may see them) and the open
//! calls its members' capabilities touch; and running a cluster — its managers (the editors
//! and managers of the organisation that runs it) edit its page, invite organisations, accept
//! or remove members; an organisation's editors ask to join, answer invitations or leave.
//! Every change is checked here, recorded in the audit log and mailed to the other side
//! through the outbox, in one transaction. Managers also import members from a spreadsheet,
//! matched to the directory by name and country, previewed before anything is written.

use super::accounts::{link, require_viewer, viewer};
use super::publishing::SheetUpload;
use super::{forbidden, limits, mail_to_team, region_names, short_message, speaks_for, AppState, ServiceError};
use crate::call::CallStatus;
use crate::cluster::{
    Cluster, ClusterCard, ClusterEditor, ClusterForm, ClusterPage, ClusterQuery, ClusterRequest, ClusterRequestKind,
};
use crate::codes::{NutsCode, OrganisationId};
use crate::geo::{area_label, country_label, RegionNames};
use crate::mail::templates::Message;
use crate::member_import::{
    read_member, MemberCandidate, MemberField, MemberImportPreview, MemberMapping, MemberOutcome, MemberRow,
};
use crate::organisation::OrganisationKind;
use crate::organisation_query::OrganisationQuery;
use crate::people::Viewer;
use crate::query::{CallQuery, CallSort};
use crate::store::{AuditEntry, MemberImport, NewClusterRequest, StoreError};
use std::collections::BTreeMap;

/// Invitations and applications one person may file per day (each mails a team).
pub const CLUSTER_REQUESTS_PER_PERSON: limits::Limit = limits::Limit {
    bucket: "cluster-requests-person",
    max: 50,
    window_minutes: 24 * 60,
};

/// How many calls a cluster's page lists.
const CLUSTER_CALLS: u32 = 10;

/// Where `cluster` is, as people read it.
fn place(cluster: &Cluster, names: &RegionNames) -> String {
    cluster.nuts_code.as_ref().map_or_else(
        || country_label(cluster.country.as_str()),
        |code| area_label(code.as_str(), names),
    )
}

/// The clusters `query` admits, by name.
pub async fn list_clusters(state: &AppState, query: &ClusterQuery) -> Result<Vec<ClusterCard>, ServiceError> {
    let clusters = state.directory.clusters(None).await?;
    let names = region_names(
        state,
        clusters
            .iter()
            .filter_map(|(c, _)| c.nuts_code.as_ref().map(NutsCode::to_string)),
    )
    .await;
    Ok(clusters
        .into_iter()
        .filter(|(cluster, _)| query.admits(cluster))
        .map(|(cluster, members)| ClusterCard {
            place: place(&cluster, &names),
            cluster,
            members,
        })
        .collect())
}

/// Whether `viewer` runs `cluster`: an editor or manager of the organisation that runs it, or
/// an administrator.
fn manages(viewer: &Viewer, cluster: &Cluster) -> bool {
    viewer.is_admin || cluster.managed_by.as_deref().is_some_and(|org| speaks_for(viewer, org))
}

/// The cluster `external_id`, or not found (also for what cannot be an identifier).
async fn find_cluster(state: &AppState, external_id: &str) -> Result<(Cluster, u64), ServiceError> {
    let not_found = || ServiceError::NotFound("that cluster".into());
    let id = OrganisationId::parse(external_id.trim()).map_err(|_| not_found())?;
    state
        .directory
        .clusters(Some(id.as_str()))
        .await?
        .pop()
        .ok_or_else(not_found)
}

/// The session's person and the cluster `cluster_id`, when they run it (else they are refused
/// the right to `what`).
async fn managed_cluster(
    state: &AppState,
    session: Option<&str>,
    cluster_id: &str,
    what: &str,
) -> Result<(Viewer, Cluster), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (cluster, _) = find_cluster(state, cluster_id).await?;
    if !manages(&viewer, &cluster) {
        return Err(forbidden(what));
    }
    Ok((viewer, cluster))
}

/// The cluster `external_id`'s page, as the session's person (or anyone) may see it.
pub async fn cluster_page(
    state: &AppState,
    session: Option<&str>,
    external_id: &str,
) -> Result<ClusterPage, ServiceError> {
    let (cluster, count) = find_cluster(state, external_id).await?;
    let viewer = viewer(state, session).await?;
    let memberships = state.directory.cluster_members(&cluster.external_id).await?;
    let ids: Vec<String> = memberships.iter().map(|m| m.organisation_id.clone()).collect();
    let details = super::directory::seen_by(state.directory.organisation_details(&ids).await?, viewer.as_ref());
    let roles: BTreeMap<&str, &str> = memberships
        .iter()
        .map(|m| (m.organisation_id.as_str(), m.role.as_str()))
        .collect();
    // The capabilities most of its members bring, for the calls they could lead.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for detail in &details {
        for capability in &detail.organisation.capabilities {
            *counts.entry(capability.as_str()).or_default() += 1;
        }
    }
    let mut capabilities: Vec<(&str, usize)> = counts.into_iter().collect();
    capabilities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let now = state.clock.now();
    let calls = if capabilities.is_empty() {
        Vec::new()
    } else {
        let query = CallQuery {
            domains: capabilities
                .iter()
                .take(5)
                .map(|(code, _)| (*code).to_owned())
                .collect(),
            statuses: vec![CallStatus::Open, CallStatus::Forthcoming],
            sort: CallSort::Deadline,
            per_page: CLUSTER_CALLS,
            ..CallQuery::default()
        }
        .sanitized();
        state.calls.list_calls(&query, now).await?.items
    };
    let members = details
        .into_iter()
        .map(|detail| {
            let role = roles
                .get(detail.organisation.external_id.as_str())
                .copied()
                .unwrap_or("member")
                .to_owned();
            (detail, role)
        })
        .collect();
    let names = region_names(state, cluster.nuts_code.iter().map(NutsCode::to_string)).await;
    let manages = viewer.as_ref().is_some_and(|viewer| manages(viewer, &cluster));
    let own_members = viewer.as_ref().map_or_else(Vec::new, |viewer| {
        roles
            .keys()
            .filter(|org| speaks_for(viewer, org))
            .map(|org| (*org).to_owned())
            .collect()
    });
    let (requests, may_ask) = match &viewer {
        None => (Vec::new(), Vec::new()),
        Some(viewer) => {
            let own = viewer.teams();
            let requests = if manages {
                state.clusters.cluster_requests(Some(&cluster.external_id), &[]).await?
            } else if own.is_empty() {
                Vec::new()
            } else {
                state
                    .clusters
                    .cluster_requests(Some(&cluster.external_id), &own)
                    .await?
            };
            let may_ask = viewer
                .memberships
                .iter()
                .filter(|m| m.role.admits_members())
                .filter(|m| !roles.contains_key(m.organisation_id.as_str()))
                .filter(|m| !requests.iter().any(|r| r.organisation_id == m.organisation_id))
                .map(|m| (m.organisation_id.clone(), m.organisation_name.clone()))
                .collect();
            (requests, may_ask)
        }
    };
    Ok(ClusterPage {
        card: ClusterCard {
            place: place(&cluster, &names),
            cluster,
            members: count,
        },
        members,
        calls,
        now,
        manages,
        requests,
        may_ask,
        own_members,
    })
}

/// An audit line for a change to `cluster` concerning the organisation `organisation_id`.
fn cluster_audit(
    state: &AppState,
    viewer: &Viewer,
    action: &'static str,
    organisation_id: Option<&str>,
    cluster: &Cluster,
) -> AuditEntry {
    AuditEntry {
        actor_id: Some(viewer.person_id),
        action,
        subject_id: None,
        organisation_id: organisation_id.map(str::to_owned),
        detail: format!("cluster {}", cluster.external_id),
        at: state.clock.now(),
    }
}

/// The cluster's page, for its managers to edit.
pub async fn cluster_editor(
    state: &AppState,
    session: Option<&str>,
    cluster_id: &str,
) -> Result<ClusterEditor, ServiceError> {
    let (_, cluster) = managed_cluster(state, session, cluster_id, "edit this cluster").await?;
    Ok(ClusterEditor {
        external_id: cluster.external_id.clone(),
        country: cluster.country.to_string(),
        form: ClusterForm::from_cluster(&cluster),
    })
}

/// Saves the cluster's page as its managers edited it; mistakes are named on their fields
/// and nothing is written.
pub async fn save_cluster(
    state: &AppState,
    session: Option<&str>,
    cluster_id: &str,
    form: &ClusterForm,
) -> Result<(), ServiceError> {
    let (viewer, cluster) = managed_cluster(state, session, cluster_id, "edit this cluster").await?;
    let mistakes = form.mistakes(&cluster.country);
    if !mistakes.is_empty() {
        return Err(ServiceError::InvalidFields(mistakes));
    }
    let edited = form.apply_to(&cluster);
    let audit = cluster_audit(state, &viewer, "cluster_edit", cluster.managed_by.as_deref(), &cluster);
    state.clusters.save_cluster(&edited, state.clock.now(), &audit).await?;
    Ok(())
}

/// Files an invitation (by the cluster's managers) or an application (by the organisation's
/// editors) and mails the side that decides. Returns what happens next, for the person.
pub async fn request_cluster_membership(
    state: &AppState,
    session: Option<&str>,
    cluster_id: &str,
    organisation_id: &str,
    kind: ClusterRequestKind,
    message: &str,
) -> Result<String, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (cluster, _) = find_cluster(state, cluster_id).await?;
    let allowed = match kind {
        ClusterRequestKind::Invitation => manages(&viewer, &cluster),
        ClusterRequestKind::Application => speaks_for(&viewer, organisation_id.trim()),
    };
    if !allowed {
        return Err(forbidden(match kind {
            ClusterRequestKind::Invitation => "invite organisations to this cluster",
            ClusterRequestKind::Application => "ask to join for this organisation",
        }));
    }
    let message = short_message(message)?;
    let not_found = || ServiceError::NotFound("that organisation".into());
    let organisation_id = OrganisationId::parse(organisation_id.trim()).map_err(|_| not_found())?;
    let organisation = state
        .directory
        .get_organisation(organisation_id.as_str())
        .await?
        .ok_or_else(not_found)?;
    limits::count(state, CLUSTER_REQUESTS_PER_PERSON, &viewer.person_id.to_string()).await?;
    let values = serde_json::json!({
        "cluster": cluster.name, "organisation": organisation.name, "message": message,
        "link": link(state, &format!("/clusters/{}", cluster.external_id)),
    });
    let key = format!(
        "cluster-{}:{}:{}:{}",
        kind.as_str(),
        cluster.external_id,
        organisation.external_id,
        state.clock.now().timestamp()
    );
    let (team, template, action) = match kind {
        ClusterRequestKind::Invitation => (
            Some(organisation.external_id.as_str()),
            Message::ClusterInvitation,
            "cluster_invite",
        ),
        ClusterRequestKind::Application => (
            cluster.managed_by.as_deref(),
            Message::ClusterApplication,
            "cluster_apply",
        ),
    };
    let mails = match team {
        Some(team) => mail_to_team(state, team, &key, template, values).await?,
        None => Vec::new(),
    };
    let request = NewClusterRequest {
        cluster_id: cluster.external_id.clone(),
        organisation_id: organisation.external_id.clone(),
        kind,
        message,
        created_by: viewer.person_id,
    };
    let audit = cluster_audit(state, &viewer, action, Some(&organisation.external_id), &cluster);
    match state
        .clusters
        .file_cluster_request(&request, state.clock.now(), &audit, &mails)
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict(reason)) => {
            return Err(ServiceError::Invalid(format!("{}: {reason}", organisation.name)))
        }
        Err(other) => return Err(other.into()),
    }
    let told = if mails.is_empty() {
        "Nobody can be mailed yet; the request waits on the cluster's page."
    } else {
        "They have been mailed."
    };
    Ok(match kind {
        ClusterRequestKind::Invitation => format!(
            "{} is invited. Its editors accept or decline on this page. {told}",
            organisation.name
        ),
        ClusterRequestKind::Application => format!(
            "{} asked to join {}. The cluster's managers decide. {told}",
            organisation.name, cluster.name
        ),
    })
}

/// Accepts or declines a pending request. Only the side that did not ask may accept; either
/// side may decline (the asking side withdraws). The other side is mailed.
pub async fn decide_cluster_request(
    state: &AppState,
    session: Option<&str>,
    request_id: i64,
    accept: bool,
) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let not_found = || ServiceError::NotFound("that request".into());
    let request: ClusterRequest = state
        .clusters
        .cluster_request(request_id)
        .await?
        .ok_or_else(not_found)?;
    let (cluster, _) = find_cluster(state, &request.cluster_id).await?;
    let for_cluster = manages(&viewer, &cluster);
    let for_organisation = speaks_for(&viewer, &request.organisation_id);
    let deciding_side = match request.kind {
        ClusterRequestKind::Invitation => for_organisation,
        ClusterRequestKind::Application => for_cluster,
    };
    if !(deciding_side || (!accept && (for_cluster || for_organisation))) {
        // Outsiders learn nothing about other organisations' requests.
        return Err(if for_cluster || for_organisation {
            forbidden("accept a request your side made")
        } else {
            not_found()
        });
    }
    // The side that is told: the organisation when the cluster acted, the cluster otherwise.
    let cluster_acted = for_cluster && !(for_organisation && request.kind == ClusterRequestKind::Invitation);
    let team = if cluster_acted {
        Some(request.organisation_id.as_str())
    } else {
        cluster.managed_by.as_deref()
    };
    let values = serde_json::json!({
        "cluster": cluster.name, "organisation": request.organisation_name, "accepted": accept,
        "link": link(state, &format!("/clusters/{}", cluster.external_id)),
    });
    let mails = match team {
        Some(team) => {
            mail_to_team(
                state,
                team,
                &format!("cluster-decided:{request_id}"),
                Message::ClusterDecided,
                values,
            )
            .await?
        }
        None => Vec::new(),
    };
    let action = if accept { "cluster_accept" } else { "cluster_decline" };
    let audit = cluster_audit(state, &viewer, action, Some(&request.organisation_id), &cluster);
    if state
        .clusters
        .decide_cluster_request(request_id, accept, state.clock.now(), &audit, &mails)
        .await?
    {
        Ok(())
    } else {
        Err(ServiceError::Invalid(
            "Someone else has decided this request already.".into(),
        ))
    }
}

/// Removes an organisation from the cluster: its managers remove any member; an
/// organisation's editors take their own organisation out.
pub async fn remove_cluster_member(
    state: &AppState,
    session: Option<&str>,
    cluster_id: &str,
    organisation_id: &str,
) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (cluster, _) = find_cluster(state, cluster_id).await?;
    let organisation_id = organisation_id.trim();
    if !(manages(&viewer, &cluster) || speaks_for(&viewer, organisation_id)) {
        return Err(forbidden("remove members of this cluster"));
    }
    let not_member = || ServiceError::NotFound("that member".into());
    let id = OrganisationId::parse(organisation_id).map_err(|_| not_member())?;
    let audit = cluster_audit(state, &viewer, "cluster_remove", Some(id.as_str()), &cluster);
    match state
        .clusters
        .remove_cluster_member(&cluster.external_id, id.as_str(), state.clock.now(), &audit)
        .await
    {
        Ok(true) => Ok(()),
        Ok(false) | Err(StoreError::NotFound(_)) => Err(not_member()),
        Err(other) => Err(other.into()),
    }
}

/// Reads an uploaded member list (CSV, or an XLSX workbook) with `mapping`
/// (`None`: guessed from the headers) and decides each row's outcome against the directory
/// and the cluster's members; nothing is written.
async fn plan_member_import(
    state: &AppState,
    cluster: &Cluster,
    upload: &SheetUpload<'_>,
    mapping: Option<&MemberMapping>,
) -> Result<(MemberImportPreview, Vec<(usize, MemberCandidate)>), ServiceError> {
    let table = crate::spreadsheet::upload_text(upload.text, upload.xlsx_base64)
        .and_then(|csv| crate::spreadsheet::read_table(&csv))
        .map_err(ServiceError::Invalid)?;
    let fields: Vec<Option<MemberField>> = match mapping {
        Some(mapping) => (0..table.headers.len())
            .map(|index| mapping.columns.get(index).copied().flatten())
            .collect(),
        None => {
            let mut taken = Vec::new();
            table
                .headers
                .iter()
                .map(|header| {
                    let field = MemberField::guess(header).filter(|field| !taken.contains(field))?;
                    taken.push(field);
                    Some(field)
                })
                .collect()
        }
    };
    let default_kind = mapping
        .and_then(|mapping| OrganisationKind::parse(&mapping.default_kind))
        .unwrap_or(OrganisationKind::Sme);
    let members: Vec<String> = state
        .directory
        .cluster_members(&cluster.external_id)
        .await?
        .into_iter()
        .map(|member| member.organisation_id)
        .collect();
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut new = Vec::new();
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    for row in &table.rows {
        let read = row
            .cells
            .as_ref()
            .map_err(|error| vec![error.clone()])
            .and_then(|cells| read_member(cells, &fields, default_kind));
        let (name, country, outcome) = match read {
            Err(errors) => {
                let cells = row.cells.as_deref().unwrap_or_default();
                let name_at = fields.iter().position(|f| *f == Some(MemberField::Name));
                let name = name_at
                    .and_then(|at| cells.get(at))
                    .map(|cell| crate::sanitize::clean_line(cell, 120))
                    .unwrap_or_default();
                (name, String::new(), MemberOutcome::LeftOut { errors })
            }
            Ok(candidate) => {
                let key = crate::spreadsheet::folded(&candidate.form.name);
                let (name, country) = (candidate.form.name.clone(), candidate.form.country.clone());
                if let Some((_, _, line)) = seen.iter().find(|(k, c, _)| *k == key && *c == country) {
                    let errors = vec![format!("The same organisation as line {line}.")];
                    (name, country, MemberOutcome::LeftOut { errors })
                } else {
                    seen.push((key.clone(), country.clone(), row.line));
                    let found = same_organisation(state, &candidate.form.name, &country).await?;
                    let outcome = match found {
                        Some(id) if members.contains(&id) => MemberOutcome::AlreadyMember { organisation_id: id },
                        Some(id) => MemberOutcome::Joins { organisation_id: id },
                        None => MemberOutcome::Added,
                    };
                    if !matches!(outcome, MemberOutcome::AlreadyMember { .. }) {
                        new.push((rows.len(), candidate));
                    }
                    (name, country, outcome)
                }
            }
        };
        rows.push(MemberRow {
            line: row.line,
            name,
            country,
            outcome,
        });
    }
    let preview = MemberImportPreview {
        columns: table.headers.into_iter().zip(fields).collect(),
        rows,
        written: false,
    };
    Ok((preview, new))
}

/// The organisation of the directory called `name` (ignoring case, spaces and punctuation)
/// in `country`, if there is one.
async fn same_organisation(state: &AppState, name: &str, country: &str) -> Result<Option<String>, ServiceError> {
    let query = OrganisationQuery {
        text: name.to_owned(),
        countries: vec![country.to_owned()],
        per_page: 50,
        ..OrganisationQuery::default()
    };
    let wanted = crate::spreadsheet::folded(name);
    let (found, _) = state.directory.list_organisations(&query.sanitized()).await?;
    Ok(found
        .into_iter()
        .find(|detail| crate::spreadsheet::folded(&detail.organisation.name) == wanted)
        .map(|detail| detail.organisation.external_id))
}

/// Previews an import of members into the cluster: its managers only; nothing is written.
pub async fn preview_member_import(
    state: &AppState,
    session: Option<&str>,
    cluster_id: &str,
    upload: &SheetUpload<'_>,
    mapping: Option<&MemberMapping>,
) -> Result<MemberImportPreview, ServiceError> {
    let (_, cluster) = managed_cluster(state, session, cluster_id, "import members of this cluster").await?;
    Ok(plan_member_import(state, &cluster, upload, mapping).await?.0)
}

/// Imports the members of the sheet as previewed: organisations matched by name and country
/// join, new ones are added to the directory and join, rows with mistakes are left out — all
/// in one transaction with its audit line. Returns what was done.
pub async fn import_members(
    state: &AppState,
    session: Option<&str>,
    cluster_id: &str,
    upload: &SheetUpload<'_>,
    mapping: Option<&MemberMapping>,
) -> Result<MemberImportPreview, ServiceError> {
    let (viewer, cluster) = managed_cluster(state, session, cluster_id, "import members of this cluster").await?;
    let (mut preview, candidates) = plan_member_import(state, &cluster, upload, mapping).await?;
    let mut import = MemberImport {
        cluster_id: cluster.external_id.clone(),
        new_organisations: Vec::new(),
        members: Vec::new(),
    };
    let mut taken: Vec<String> = Vec::new();
    for (index, candidate) in candidates {
        let organisation_id = match &preview.rows[index].outcome {
            MemberOutcome::Joins { organisation_id } => organisation_id.clone(),
            _ => {
                let id = super::memberships::free_organisation_id(state, &candidate.form, &taken).await?;
                let organisation = candidate.form.to_organisation(&id).map_err(ServiceError::Invalid)?;
                import.new_organisations.push(organisation);
                taken.push(id.clone());
                id
            }
        };
        import.members.push((organisation_id, candidate.role));
    }
    let audit = AuditEntry {
        detail: format!(
            "cluster {}: {} rows, {} new organisations",
            cluster.external_id,
            preview.rows.len(),
            import.new_organisations.len()
        ),
        ..cluster_audit(
            state,
            &viewer,
            "cluster_import",
            cluster.managed_by.as_deref(),
            &cluster,
        )
    };
    state
        .clusters
        .import_cluster_members(&import, state.clock.now(), &audit)
        .await?;
    preview.written = true;
    Ok(preview)
}
