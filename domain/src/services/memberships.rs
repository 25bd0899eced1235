//! Who may act for an organisation: adding one, asking to join or claiming one, deciding requests,
//! granting roles, and the administrators' powers over accounts — each checked here against
//! the session's person, never only in the UI, and each recorded in the audit log.

use super::accounts::require_viewer;
use super::{forbidden, limits, AppState, ServiceError};
use crate::mail::templates::Message;
use crate::organisation::NewOrganisationForm;
use crate::people::{Role, Viewer};
use crate::store::{AuditEntry, AuditRecord, DeadLetter, JoinRequest, Member, RequestKind, StoreError};

/// How many audit lines the admin page shows.
const AUDIT_LINES: u32 = 200;

/// Refuses an organisation identifier that cannot exist before asking the database.
fn check_organisation_id(organisation_id: &str) -> Result<(), ServiceError> {
    crate::codes::OrganisationId::parse(organisation_id)
        .map(drop)
        .map_err(|_| ServiceError::NotFound("that organisation".into()))
}

/// Refuses unless the viewer is an administrator.
fn require_admin(viewer: &Viewer, what: &str) -> Result<(), ServiceError> {
    if viewer.is_admin {
        Ok(())
    } else {
        Err(forbidden(what))
    }
}

/// An audit line for `action` by `actor` at the state's clock.
fn audit(
    state: &AppState,
    actor: Option<&Viewer>,
    action: &'static str,
    subject_id: Option<i64>,
    organisation_id: Option<&str>,
    detail: String,
) -> AuditEntry {
    AuditEntry {
        actor_id: actor.map(|viewer| viewer.person_id),
        action,
        subject_id,
        organisation_id: organisation_id.map(str::to_owned),
        detail,
        at: state.clock.now(),
    }
}

/// The host of a website address, lower-cased and without `www.`.
fn website_host(website: &str) -> Option<String> {
    let rest = website.split_once("://").map_or(website, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

/// Whether a confirmed address at `email` may speak for the organisation at `website`:
/// the address's domain is the website's host or one of its parents' subdomains.
pub fn email_matches_website(email: &str, website: &str) -> bool {
    let (Some((_, domain)), Some(host)) = (email.trim().rsplit_once('@'), website_host(website)) else {
        return false;
    };
    let domain = domain.to_lowercase();
    domain == host || domain.ends_with(&format!(".{host}"))
}

/// Asks to join the organisation `organisation_id` (`Join`: its editors or an administrator
/// accept), or to speak for it (`Claim`: an administrator approves — at once when the
/// person's confirmed address is at the organisation's website, they become its editor).
/// Returns what happens next, for the person.
pub async fn request_membership(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    kind: RequestKind,
    message: &str,
) -> Result<String, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    if !viewer.email_verified {
        return Err(forbidden("ask before confirming your address"));
    }
    let message = super::short_message(message)?;
    if viewer.role_in(organisation_id).is_some() {
        return Err(ServiceError::Invalid("You belong to this organisation already.".into()));
    }
    let organisation = super::directory::get_organisation(state, None, organisation_id).await?;
    let name = organisation.organisation.name.clone();
    if kind == RequestKind::Claim {
        let website = organisation.organisation.website.as_deref().unwrap_or_default();
        if email_matches_website(&viewer.email, website) {
            let entry = audit(
                state,
                Some(&viewer),
                "claim_by_domain",
                Some(viewer.person_id),
                Some(organisation_id),
                format!("address at {website}"),
            );
            state
                .memberships
                .set_membership(viewer.person_id, organisation_id, Some(Role::Editor), &entry)
                .await?;
            return Ok(format!("Your address is at {name}'s website: you are now its editor."));
        }
    }
    match state
        .memberships
        .request_membership(viewer.person_id, organisation_id, kind, &message, state.clock.now())
        .await
    {
        Ok(_) => Ok(match kind {
            RequestKind::Join => format!("Your request to join {name} was sent to its editors."),
            RequestKind::Claim => format!("Your claim to {name} was sent to the administrators."),
        }),
        Err(StoreError::Conflict(_)) => Err(ServiceError::Invalid(format!(
            "You have already asked about {name}; the request is waiting for an answer."
        ))),
        Err(error) => Err(error.into()),
    }
}

/// Whether `viewer` may decide `request`: administrators any; an organisation's editors and
/// managers its requests to join (claims go to administrators).
fn may_decide(viewer: &Viewer, request: &JoinRequest) -> bool {
    viewer.is_admin || (request.kind == RequestKind::Join && super::speaks_for(viewer, &request.organisation_id))
}

/// The pending requests the session's person may decide.
pub async fn pending_requests(state: &AppState, session: Option<&str>) -> Result<Vec<JoinRequest>, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let requests = if viewer.is_admin {
        state.memberships.pending_requests(None).await?
    } else {
        let mut requests = Vec::new();
        for membership in viewer.memberships.iter().filter(|m| m.role.admits_members()) {
            requests.extend(
                state
                    .memberships
                    .pending_requests(Some(&membership.organisation_id))
                    .await?,
            );
        }
        requests
    };
    Ok(requests
        .into_iter()
        .filter(|request| may_decide(&viewer, request))
        .collect())
}

/// Accepts (a join as member, a claim as editor) or declines a pending request; the person
/// is told by mail.
pub async fn decide_request(
    state: &AppState,
    session: Option<&str>,
    request_id: i64,
    accept: bool,
) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let request = state
        .memberships
        .pending_request(request_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound("that request".into()))?;
    if !may_decide(&viewer, &request) {
        return Err(forbidden("decide this request"));
    }
    let role = accept.then_some(match request.kind {
        RequestKind::Join => Role::Member,
        RequestKind::Claim => Role::Editor,
    });
    let action = if accept { "accept_request" } else { "decline_request" };
    let entry = audit(
        state,
        Some(&viewer),
        action,
        Some(request.person_id),
        Some(&request.organisation_id),
        request.kind.as_str().to_owned(),
    );
    let person = state.people.person(request.person_id).await?;
    let mail = match person {
        Some(person) => Some(super::accounts::mail_for(
            state,
            &format!("request-decided:{request_id}"),
            &person.email,
            &person.language,
            Message::JoinDecided,
            serde_json::json!({
                "name": person.display_name, "organisation": request.organisation_name,
                "accepted": accept, "link": super::accounts::link(state, "/account"),
            }),
        )?),
        None => None,
    };
    if state
        .memberships
        .decide_request(request_id, role, &entry, mail.as_ref())
        .await?
    {
        Ok(())
    } else {
        Err(ServiceError::Invalid(
            "Someone else has decided this request already.".into(),
        ))
    }
}

/// The account at `email`, or "not found".
async fn person_at(state: &AppState, email: &str) -> Result<i64, ServiceError> {
    crate::people::check_email(email).map_err(ServiceError::Invalid)?;
    let person = state.people.person_by_email(email).await?;
    person
        .map(|person| person.id)
        .ok_or_else(|| ServiceError::NotFound(format!("an account at {:?}", crate::sanitize::clean_line(email, 254))))
}

/// Gives the account at `email` a role in an organisation, or removes it (`None`):
/// administrators only.
pub async fn grant_role(
    state: &AppState,
    session: Option<&str>,
    email: &str,
    organisation_id: &str,
    role: Option<Role>,
) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    require_admin(&viewer, "grant roles")?;
    check_organisation_id(organisation_id)?;
    let person_id = person_at(state, email).await?;
    let detail = role.map_or("removed".to_owned(), |role| role.as_str().to_owned());
    let entry = audit(
        state,
        Some(&viewer),
        "grant_role",
        Some(person_id),
        Some(organisation_id),
        detail,
    );
    state
        .memberships
        .set_membership(person_id, organisation_id, role, &entry)
        .await?;
    Ok(())
}

/// An organisation's members: for its members and administrators.
pub async fn members(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
) -> Result<Vec<Member>, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    check_organisation_id(organisation_id)?;
    if !viewer.is_admin && viewer.role_in(organisation_id).is_none() {
        return Err(forbidden("see this organisation's members"));
    }
    Ok(state.memberships.members_of(organisation_id).await?)
}

/// Disables the account at `email` (its sessions end) or enables it again: administrators
/// only, and not their own.
pub async fn set_disabled(
    state: &AppState,
    session: Option<&str>,
    email: &str,
    disabled: bool,
) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    require_admin(&viewer, "disable accounts")?;
    let person_id = person_at(state, email).await?;
    if person_id == viewer.person_id {
        return Err(ServiceError::Invalid("You cannot disable your own account.".into()));
    }
    let action = if disabled { "disable_account" } else { "enable_account" };
    let entry = audit(state, Some(&viewer), action, Some(person_id), None, String::new());
    state.memberships.set_disabled(person_id, disabled, &entry).await?;
    Ok(())
}

/// Makes the account at `email` an administrator or not: administrators only, never
/// themselves.
pub async fn set_admin(state: &AppState, session: Option<&str>, email: &str, admin: bool) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    require_admin(&viewer, "appoint administrators")?;
    let person_id = person_at(state, email).await?;
    if person_id == viewer.person_id {
        return Err(ServiceError::Invalid(
            "You cannot change your own administrator role.".into(),
        ));
    }
    record_admin(state, Some(&viewer), person_id, admin).await
}

/// Sets the administrator flag and records who did it (`None`: the command line).
pub(super) async fn record_admin(
    state: &AppState,
    actor: Option<&Viewer>,
    person_id: i64,
    admin: bool,
) -> Result<(), ServiceError> {
    let action = if admin { "grant_admin" } else { "revoke_admin" };
    let entry = audit(state, actor, action, Some(person_id), None, String::new());
    state.memberships.set_admin(person_id, admin, &entry).await?;
    Ok(())
}

/// The latest lines of the audit log: administrators only.
pub async fn audit_log(state: &AppState, session: Option<&str>) -> Result<Vec<AuditRecord>, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    require_admin(&viewer, "read the audit log")?;
    Ok(state.memberships.audit_log(AUDIT_LINES).await?)
}

/// A free identifier for the organisation `form` describes — `<name>-<country>`, then
/// `-2`, `-3`, … — that is not among `taken` either (identifiers chosen for the same batch).
/// The form must be valid; when the directory has an organisation of that name already, the
/// answer says what to do instead.
pub(super) async fn free_organisation_id(
    state: &AppState,
    form: &NewOrganisationForm,
    taken: &[String],
) -> Result<String, ServiceError> {
    let country = form.country.trim().to_lowercase();
    let mut slug = crate::text::slug(&form.name, 60);
    if slug.is_empty() {
        slug = "organisation".to_owned();
    }
    let base = format!("{slug}-{country}");
    let organisation = form.to_organisation(&base).map_err(ServiceError::Invalid)?;
    let mut external_id = base.clone();
    let mut suffix = 1;
    loop {
        if !taken.contains(&external_id) {
            match state.directory.get_organisation(&external_id).await? {
                None => return Ok(external_id),
                Some(existing) if existing.name.trim().eq_ignore_ascii_case(organisation.name.trim()) => {
                    return Err(ServiceError::Invalid(format!(
                        "{} is already in the directory: ask to join it, or claim it if you speak for it.",
                        existing.name
                    )));
                }
                Some(_) => {}
            }
        }
        suffix += 1;
        if suffix > 20 {
            return Err(ServiceError::Invalid("choose a more distinctive name".into()));
        }
        external_id = format!("{base}-{suffix}");
    }
}

/// Adds the session's person's organisation to the directory and makes them its editor
/// (recorded in the audit log). Its identifier comes from its name and country; an existing
/// organisation is never overwritten — one with the same name and country is pointed to
/// instead, to claim or join.
pub async fn create_organisation(
    state: &AppState,
    session: Option<&str>,
    form: &NewOrganisationForm,
) -> Result<String, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    if !viewer.email_verified {
        return Err(forbidden("add an organisation before confirming your address"));
    }
    let external_id = free_organisation_id(state, form, &[]).await?;
    let organisation = form.to_organisation(&external_id).map_err(ServiceError::Invalid)?;
    limits::count(state, limits::ORGANISATIONS_PER_PERSON, &viewer.person_id.to_string()).await?;
    let entry = audit(
        state,
        Some(&viewer),
        "create_organisation",
        Some(viewer.person_id),
        Some(&external_id),
        String::new(),
    );
    match state
        .memberships
        .add_organisation(&organisation, viewer.person_id, Role::Editor, &entry)
        .await
    {
        // Someone took the identifier since it was found free: rare, and trying again works.
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Invalid(
                "Someone added an organisation of that name just now; please try again.".into(),
            ))
        }
        other => other?,
    }
    Ok(external_id)
}

/// How many undeliverable messages the admin page shows.
const DEAD_LETTERS: u32 = 100;

/// Mail given up on, with the last error: administrators only.
pub async fn dead_mail(state: &AppState, session: Option<&str>) -> Result<Vec<DeadLetter>, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    require_admin(&viewer, "read undeliverable mail")?;
    Ok(state.mail_outbox.dead_mail(DEAD_LETTERS).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_match_their_organisations_website() {
        assert!(email_matches_website(
            "ana@aveiro-labs.pt",
            "https://www.aveiro-labs.pt/about"
        ));
        assert!(email_matches_website(
            "Ana@Mail.Aveiro-Labs.PT",
            "http://aveiro-labs.pt"
        ));
        assert!(!email_matches_website(
            "eve@evil-aveiro-labs.pt",
            "https://aveiro-labs.pt"
        ));
        assert!(!email_matches_website("eve@gmail.com", "https://aveiro-labs.pt"));
        assert!(!email_matches_website("ana@aveiro-labs.pt", ""));
    }
}
