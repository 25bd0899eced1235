//! Accounts and sessions: sign up and confirm the address, log in and out, forget and change
//! a password, change the address, see and end one's sessions. Answers never tell whether an
//! address has an account (sign-up, login and reset answer alike, in comparable time), every
//! form is rate-limited per address and per client IP, and every mail is queued in the same
//! transaction as the change that causes it.

use super::limits::{self, Limit};
use super::{AppState, ServiceError, Site};
use crate::credentials;
use crate::mail::templates::{self, Message};
use crate::people::{check_display_name, check_email, check_password, email_key, SessionView, SignUpForm, Viewer};
use crate::store::{EmailToken, NewPerson, OutgoingMail, Person, Session, StoreError, TokenPurpose};
use chrono::Duration;

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::days(7);
/// A session ends this long after login, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::days(30);
/// How long a mailed link works.
pub const TOKEN_LIFETIME: Duration = Duration::hours(24);
/// A session's last use is written at most this often (not on every request).
const TOUCH_EVERY: Duration = Duration::minutes(5);

/// The answer to a sign-up, whatever happened: no one learns from it whether the address
/// already had an account.
pub const SIGN_UP_ANSWER: &str =
    "Thank you. We have sent a message to that address: open the link in it to confirm your account.";
/// The answer to "forgot password", whatever happened.
pub const RESET_ANSWER: &str = "If an account uses that address, we have sent it a link to choose a new password.";
/// The refusal of a login, whichever part was wrong.
const LOGIN_REFUSAL: &str = "That email address and password do not match an account.";
/// The refusal of a mailed link that cannot be used.
const LINK_REFUSAL: &str = "This link has expired or was used already. Ask for a new one.";

/// Who is calling, as the server sees it: for rate limits and the sessions list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    /// The client's IP address (the key of per-IP limits).
    pub ip: String,
    /// The browser's `User-Agent`, cut to one short line.
    pub user_agent: String,
}

/// A session just begun: the secret for the cookie, and who it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The session id, to put in the cookie (the database keeps only its digest).
    pub token: String,
    /// The person logged in.
    pub viewer: Viewer,
}

/// The public address of a page of the portal, for links in mail.
pub(super) fn link(state: &AppState, path_and_query: &str) -> String {
    format!("{}{path_and_query}", state.site.public_url.trim_end_matches('/'))
}

/// Renders `message` for `person` into an outbox entry keyed `key`.
pub(super) fn mail_for(
    state: &AppState,
    key: &str,
    recipient: &str,
    language: &str,
    message: Message,
    values: serde_json::Value,
) -> Result<OutgoingMail, ServiceError> {
    let rendered = templates::render(message, language, values).map_err(|error| {
        tracing::error!(%error, ?message, "mail template failed");
        ServiceError::Unavailable("the message could not be written".into())
    })?;
    Ok(OutgoingMail::new(
        key,
        &state.site.mail_domain,
        recipient,
        &rendered.subject,
        &rendered.text,
        &rendered.html,
    ))
}

/// A fresh token for `person` and `purpose`, the secret to mail and the record to store.
pub(super) fn new_token(
    state: &AppState,
    person_id: i64,
    purpose: TokenPurpose,
    new_email: Option<String>,
) -> (String, EmailToken) {
    let secret = credentials::new_token();
    let token = EmailToken {
        digest: credentials::digest(&secret),
        person_id,
        purpose,
        new_email,
        expires_at: state.clock.now() + TOKEN_LIFETIME,
    };
    (secret, token)
}

/// Runs the slow password work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServiceError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ServiceError::Unavailable(format!("password check failed: {error}")))
}

/// Limits on a form that mails an address: per client IP, then per address.
pub(super) async fn limit_mail_requests(
    state: &AppState,
    ip_limit: Limit,
    email: &str,
    client: &Client,
) -> Result<(), ServiceError> {
    limits::count(state, ip_limit, &client.ip).await?;
    limits::count(state, limits::MAILS_PER_ADDRESS, &email_key(email)).await
}

/// Signs a person up: the account is stored with a verification link mailed in the same
/// transaction. An address that already has an account gets a notice instead (with a link
/// to reset the password); the answer is [`SIGN_UP_ANSWER`] either way.
pub async fn sign_up(state: &AppState, form: &SignUpForm, client: &Client) -> Result<&'static str, ServiceError> {
    check_email(&form.email).map_err(ServiceError::Invalid)?;
    check_display_name(&form.display_name).map_err(ServiceError::Invalid)?;
    check_password(&form.password).map_err(ServiceError::Invalid)?;
    limit_mail_requests(state, limits::SIGN_UPS_PER_IP, &form.email, client).await?;
    let password = form.password.clone();
    let password_hash = blocking(move || credentials::hash_password(&password)).await?;
    let now = state.clock.now();
    if let Some(existing) = state.people.person_by_email(&form.email).await? {
        let (secret, token) = new_token(state, existing.id, TokenPurpose::Reset, None);
        let mail = mail_for(
            state,
            &format!("already-registered:{}", token.digest),
            &existing.email,
            &existing.language,
            Message::AlreadyRegistered,
            serde_json::json!({ "name": existing.display_name, "link": link(state, &format!("/account/reset?token={secret}")) }),
        )?;
        state.people.issue_token(&token, &mail, now).await?;
        return Ok(SIGN_UP_ANSWER);
    }
    let person = NewPerson {
        email: form.email.trim().to_owned(),
        display_name: form.display_name.trim().to_owned(),
        password_hash,
        verified: false,
        is_admin: false,
    };
    let (secret, token) = new_token(state, 0, TokenPurpose::Verify, None);
    let mail = verification_mail(state, &person.email, &person.display_name, "en", &token, &secret)?;
    match state.people.create_person(&person, Some((&token, &mail)), now).await {
        // Two sign-ups for one address at once: the other one won; answer alike.
        Ok(_) | Err(StoreError::Conflict(_)) => Ok(SIGN_UP_ANSWER),
        Err(error) => Err(error.into()),
    }
}

/// The message with a link confirming `email`.
fn verification_mail(
    state: &AppState,
    email: &str,
    name: &str,
    language: &str,
    token: &EmailToken,
    secret: &str,
) -> Result<OutgoingMail, ServiceError> {
    mail_for(
        state,
        &format!("verify:{}", token.digest),
        email,
        language,
        Message::Verify,
        serde_json::json!({ "name": name, "link": link(state, &format!("/account/verify?token={secret}")) }),
    )
}

/// Mails a new verification link to an address whose account is not confirmed yet (nothing
/// for other addresses; the answer is the same).
pub async fn resend_verification(state: &AppState, email: &str, client: &Client) -> Result<&'static str, ServiceError> {
    check_email(email).map_err(ServiceError::Invalid)?;
    limit_mail_requests(state, limits::MAIL_REQUESTS_PER_IP, email, client).await?;
    if let Some(person) = state.people.person_by_email(email).await? {
        if person.email_verified_at.is_none() && person.disabled_at.is_none() {
            send_verification(state, &person).await?;
        }
    }
    Ok(SIGN_UP_ANSWER)
}

/// Issues and mails a fresh verification link to `person`.
async fn send_verification(state: &AppState, person: &Person) -> Result<(), ServiceError> {
    let (secret, token) = new_token(state, person.id, TokenPurpose::Verify, None);
    let mail = verification_mail(
        state,
        &person.email,
        &person.display_name,
        &person.language,
        &token,
        &secret,
    )?;
    state.people.issue_token(&token, &mail, state.clock.now()).await?;
    Ok(())
}

/// Confirms the address the link in a verification mail was sent to.
pub async fn verify_email(state: &AppState, secret: &str) -> Result<(), ServiceError> {
    let token = spend_token(state, secret, TokenPurpose::Verify).await?;
    state.people.mark_verified(token.person_id, state.clock.now()).await?;
    Ok(())
}

/// Spends a mailed token, or refuses with [`LINK_REFUSAL`].
async fn spend_token(state: &AppState, secret: &str, purpose: TokenPurpose) -> Result<EmailToken, ServiceError> {
    if !credentials::is_token(secret) {
        return Err(ServiceError::Invalid(LINK_REFUSAL.into()));
    }
    state
        .people
        .use_token(&credentials::digest(secret), purpose, state.clock.now())
        .await?
        .ok_or_else(|| ServiceError::Invalid(LINK_REFUSAL.into()))
}

/// Logs a person in: a new session (ending `previous`, the session this browser had: the id
/// always changes at login). A wrong address or password is refused alike and in comparable
/// time; an unconfirmed address gets a fresh link; a disabled account is refused.
pub async fn log_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: &Client,
    previous: Option<&str>,
) -> Result<NewSession, ServiceError> {
    let key = email_key(email);
    if check_email(email).is_err() || password.chars().count() > crate::people::MAX_PASSWORD_CHARS {
        return Err(ServiceError::Invalid(LOGIN_REFUSAL.into()));
    }
    limits::count(state, limits::LOGINS_PER_IP, &client.ip).await?;
    limits::check(state, limits::LOGIN_FAILURES_PER_ADDRESS, &key).await?;
    let person = state.people.person_by_email(email).await?;
    let password = password.to_owned();
    let matches = match &person {
        Some(person) => {
            let hash = person.password_hash.clone();
            blocking(move || credentials::verify_password(&password, &hash)).await?
        }
        None => {
            blocking(move || credentials::verify_decoy(&password)).await?;
            false
        }
    };
    let person = match person {
        Some(person) if matches => person,
        _ => {
            limits::record_failure(state, limits::LOGIN_FAILURES_PER_ADDRESS, &key).await?;
            return Err(ServiceError::Invalid(LOGIN_REFUSAL.into()));
        }
    };
    if person.disabled_at.is_some() {
        return Err(ServiceError::Forbidden(
            "This account is disabled. Write to the Fundbridge administrators if you think this is a mistake.".into(),
        ));
    }
    if person.email_verified_at.is_none() {
        limits::count(state, limits::MAILS_PER_ADDRESS, &key).await?;
        send_verification(state, &person).await?;
        return Err(ServiceError::Invalid(
            "Please confirm your address first: we have sent you a new link.".into(),
        ));
    }
    start_session(state, &person, client, previous).await
}

/// A new session for `person`, replacing `previous`.
async fn start_session(
    state: &AppState,
    person: &Person,
    client: &Client,
    previous: Option<&str>,
) -> Result<NewSession, ServiceError> {
    let now = state.clock.now();
    let token = credentials::new_token();
    let session = Session {
        digest: credentials::digest(&token),
        person_id: person.id,
        created_at: now,
        last_seen_at: now,
        user_agent: crate::sanitize::clean_line(&client.user_agent, 200),
        rotate: false,
    };
    let previous = previous.filter(|p| credentials::is_token(p)).map(credentials::digest);
    state.people.start_session(&session, previous.as_deref()).await?;
    let viewer = viewer_of(state, person).await?;
    Ok(NewSession { token, viewer })
}

/// The person as the UI and the services' checks see them.
async fn viewer_of(state: &AppState, person: &Person) -> Result<Viewer, ServiceError> {
    Ok(Viewer {
        person_id: person.id,
        email: person.email.clone(),
        display_name: person.display_name.clone(),
        email_verified: person.email_verified_at.is_some(),
        is_admin: person.is_admin,
        memberships: state.memberships.memberships_of(person.id).await?,
    })
}

/// The live session for the cookie's `token` and its person, or `None` (no cookie, unknown,
/// idle or too old — an expired one is deleted —, or the account disabled).
pub(super) async fn live_session(
    state: &AppState,
    token: Option<&str>,
) -> Result<Option<(Session, Person)>, ServiceError> {
    let Some(token) = token.filter(|token| credentials::is_token(token)) else {
        return Ok(None);
    };
    let Some(session) = state.people.session(&credentials::digest(token)).await? else {
        return Ok(None);
    };
    let now = state.clock.now();
    if now - session.last_seen_at > IDLE_TIMEOUT || now - session.created_at > ABSOLUTE_TIMEOUT {
        state.people.end_session(session.person_id, &session.digest).await?;
        return Ok(None);
    }
    let Some(person) = state.people.person(session.person_id).await? else {
        return Ok(None);
    };
    if person.disabled_at.is_some() {
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        state.people.touch_session(&session.digest, now).await?;
    }
    Ok(Some((session, person)))
}

/// Who the session cookie's `token` belongs to, if anyone.
pub async fn viewer(state: &AppState, token: Option<&str>) -> Result<Option<Viewer>, ServiceError> {
    match live_session(state, token).await? {
        Some((_, person)) => Ok(Some(viewer_of(state, &person).await?)),
        None => Ok(None),
    }
}

/// Gives the session a new id when the person's rights changed since it was issued (a granted
/// role, administrator rights), so that an id seen before a privilege change never carries the
/// new privileges. Returns the new id, for the caller to set in the cookie (the server does it
/// for every request, before the page or function runs).
pub async fn rotate_if_due(state: &AppState, token: Option<&str>) -> Result<Option<String>, ServiceError> {
    let Some((session, _)) = live_session(state, token).await? else {
        return Ok(None);
    };
    if !session.rotate {
        return Ok(None);
    }
    let token = credentials::new_token();
    let fresh = Session {
        digest: credentials::digest(&token),
        last_seen_at: state.clock.now(),
        rotate: false,
        ..session.clone()
    };
    state.people.start_session(&fresh, Some(&session.digest)).await?;
    Ok(Some(token))
}

/// The session cookie's name: with the `__Host-` prefix (secure, this host only, path `/`)
/// whenever cookies are secure.
pub fn cookie_name(site: &Site) -> &'static str {
    if site.secure_cookies {
        "__Host-fundbridge-session"
    } else {
        "fundbridge-session"
    }
}

/// The session id among a request's `Cookie` header values, if any.
pub fn token_in_cookies<'a>(site: &Site, cookie_headers: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let name = cookie_name(site);
    cookie_headers
        .into_iter()
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The `Set-Cookie` value keeping `token` for the session's longest life (`None` clears it):
/// `HttpOnly`, `SameSite=Lax`, path `/`, and `Secure` whenever the site is served over https.
pub fn set_cookie_value(site: &Site, token: Option<&str>) -> String {
    let secure = if site.secure_cookies { "; Secure" } else { "" };
    let (value, max_age) = match token {
        Some(token) => (token, ABSOLUTE_TIMEOUT.num_seconds()),
        None => ("", 0),
    };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(site)
    )
}

/// Who the session belongs to, or [`ServiceError::Unauthenticated`].
pub async fn require_viewer(state: &AppState, token: Option<&str>) -> Result<Viewer, ServiceError> {
    viewer(state, token).await?.ok_or(ServiceError::Unauthenticated)
}

/// Ends the session (nothing when there is none).
pub async fn log_out(state: &AppState, token: Option<&str>) -> Result<(), ServiceError> {
    if let Some((session, _)) = live_session(state, token).await? {
        state.people.end_session(session.person_id, &session.digest).await?;
    }
    Ok(())
}

/// Mails a link to choose a new password, if the address has an account; the answer is
/// [`RESET_ANSWER`] either way.
pub async fn request_password_reset(
    state: &AppState,
    email: &str,
    client: &Client,
) -> Result<&'static str, ServiceError> {
    check_email(email).map_err(ServiceError::Invalid)?;
    limit_mail_requests(state, limits::MAIL_REQUESTS_PER_IP, email, client).await?;
    if let Some(person) = state.people.person_by_email(email).await? {
        if person.disabled_at.is_none() {
            let (secret, token) = new_token(state, person.id, TokenPurpose::Reset, None);
            let mail = mail_for(
                state,
                &format!("reset:{}", token.digest),
                &person.email,
                &person.language,
                Message::Reset,
                serde_json::json!({ "name": person.display_name, "link": link(state, &format!("/account/reset?token={secret}")) }),
            )?;
            state.people.issue_token(&token, &mail, state.clock.now()).await?;
        }
    }
    Ok(RESET_ANSWER)
}

/// Sets a new password with a reset link: every session of the person ends, the address
/// counts as confirmed (the link reached it), and its failed-login count starts afresh.
pub async fn reset_password(state: &AppState, secret: &str, new_password: &str) -> Result<(), ServiceError> {
    check_password(new_password).map_err(ServiceError::Invalid)?;
    let token = spend_token(state, secret, TokenPurpose::Reset).await?;
    let person = state
        .people
        .person(token.person_id)
        .await?
        .ok_or_else(|| ServiceError::Invalid(LINK_REFUSAL.into()))?;
    store_password(state, &person, new_password, None).await?;
    state.people.mark_verified(person.id, state.clock.now()).await?;
    limits::forget(state, limits::LOGIN_FAILURES_PER_ADDRESS, &email_key(&person.email)).await
}

/// Hashes and stores `password` for `person`, ending their sessions except `keep`, and tells
/// them by mail.
async fn store_password(
    state: &AppState,
    person: &Person,
    password: &str,
    keep: Option<&str>,
) -> Result<(), ServiceError> {
    let password = password.to_owned();
    let hash = blocking(move || credentials::hash_password(&password)).await?;
    let now = state.clock.now();
    let mail = mail_for(
        state,
        &format!("password-changed:{}:{}", person.id, credentials::digest(&hash)),
        &person.email,
        &person.language,
        Message::PasswordChanged,
        serde_json::json!({ "name": person.display_name, "link": link(state, "/account/forgot") }),
    )?;
    state
        .people
        .set_password(person.id, &hash, keep, Some(&mail), now)
        .await?;
    Ok(())
}

/// Changes the password of the session's person, who proves it with the current one; every
/// other session of theirs ends.
pub async fn change_password(
    state: &AppState,
    token: Option<&str>,
    current: &str,
    new_password: &str,
) -> Result<(), ServiceError> {
    let (session, person) = live_session(state, token).await?.ok_or(ServiceError::Unauthenticated)?;
    check_password(new_password).map_err(ServiceError::Invalid)?;
    confirm_password(state, &person, current).await?;
    store_password(state, &person, new_password, Some(&session.digest)).await
}

/// Refuses unless `password` is the person's current one (failures count against the address).
pub(super) async fn confirm_password(state: &AppState, person: &Person, password: &str) -> Result<(), ServiceError> {
    let key = email_key(&person.email);
    limits::check(state, limits::LOGIN_FAILURES_PER_ADDRESS, &key).await?;
    let (password, hash) = (password.to_owned(), person.password_hash.clone());
    if password.chars().count() <= crate::people::MAX_PASSWORD_CHARS
        && blocking(move || credentials::verify_password(&password, &hash)).await?
    {
        return Ok(());
    }
    limits::record_failure(state, limits::LOGIN_FAILURES_PER_ADDRESS, &key).await?;
    Err(ServiceError::Invalid("The current password is not right.".into()))
}

/// Starts moving the session's person to `new_email`: a link is mailed to the new address,
/// and the account keeps the old one until it is opened.
pub async fn request_email_change(
    state: &AppState,
    token: Option<&str>,
    password: &str,
    new_email: &str,
) -> Result<(), ServiceError> {
    let (_, person) = live_session(state, token).await?.ok_or(ServiceError::Unauthenticated)?;
    check_email(new_email).map_err(ServiceError::Invalid)?;
    confirm_password(state, &person, password).await?;
    limits::count(state, limits::MAILS_PER_ADDRESS, &email_key(new_email)).await?;
    let (secret, token) = new_token(
        state,
        person.id,
        TokenPurpose::ChangeEmail,
        Some(new_email.trim().to_owned()),
    );
    let mail = mail_for(
        state,
        &format!("confirm-email:{}", token.digest),
        new_email.trim(),
        &person.language,
        Message::ConfirmNewEmail,
        serde_json::json!({ "name": person.display_name, "link": link(state, &format!("/account/confirm-email?token={secret}")) }),
    )?;
    state.people.issue_token(&token, &mail, state.clock.now()).await?;
    Ok(())
}

/// Moves the account to the address the link was mailed to, and tells the old address.
pub async fn confirm_email_change(state: &AppState, secret: &str) -> Result<(), ServiceError> {
    let token = spend_token(state, secret, TokenPurpose::ChangeEmail).await?;
    let (Some(person), Some(new_email)) = (state.people.person(token.person_id).await?, token.new_email.clone()) else {
        return Err(ServiceError::Invalid(LINK_REFUSAL.into()));
    };
    let mail = mail_for(
        state,
        &format!("email-changed:{}", token.digest),
        &person.email,
        &person.language,
        Message::EmailChanged,
        serde_json::json!({ "name": person.display_name, "new_email": new_email }),
    )?;
    match state
        .people
        .change_email(person.id, &new_email, &mail, state.clock.now())
        .await
    {
        Err(StoreError::Conflict(_)) => Err(ServiceError::Invalid(
            "Another account uses that address now; the change was not made.".into(),
        )),
        other => Ok(other?),
    }
}

/// The session's person's sessions, the current one marked.
pub async fn sessions(state: &AppState, token: Option<&str>) -> Result<Vec<SessionView>, ServiceError> {
    let (current, person) = live_session(state, token).await?.ok_or(ServiceError::Unauthenticated)?;
    let now = state.clock.now();
    Ok(state
        .people
        .sessions_of(person.id)
        .await?
        .into_iter()
        .filter(|session| now - session.last_seen_at <= IDLE_TIMEOUT && now - session.created_at <= ABSOLUTE_TIMEOUT)
        .map(|session| SessionView {
            current: session.digest == current.digest,
            handle: session.digest,
            created_at: session.created_at,
            last_seen_at: session.last_seen_at,
            user_agent: session.user_agent,
        })
        .collect())
}

/// Ends one of the session's person's sessions (only theirs: another person's handle ends
/// nothing and is answered "not found").
pub async fn end_session(state: &AppState, token: Option<&str>, handle: &str) -> Result<(), ServiceError> {
    let (_, person) = live_session(state, token).await?.ok_or(ServiceError::Unauthenticated)?;
    // A handle is a digest: 64 hex digits, like a token.
    if credentials::is_token(handle) && state.people.end_session(person.id, handle).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound("that session".into()))
    }
}

/// Renames the session's person.
pub async fn rename(state: &AppState, session: Option<&str>, display_name: &str) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    check_display_name(display_name).map_err(ServiceError::Invalid)?;
    state.people.rename(viewer.person_id, display_name.trim()).await?;
    Ok(())
}

/// Makes (or promotes) an administrator from the command line: an existing account becomes
/// one; otherwise a confirmed account is created with `password`. Returns whether it was new.
pub async fn create_admin(
    state: &AppState,
    email: &str,
    display_name: &str,
    password: &str,
) -> Result<bool, ServiceError> {
    check_email(email).map_err(ServiceError::Invalid)?;
    if let Some(person) = state.people.person_by_email(email).await? {
        super::memberships::record_admin(state, None, person.id, true).await?;
        return Ok(false);
    }
    check_display_name(display_name).map_err(ServiceError::Invalid)?;
    check_password(password).map_err(ServiceError::Invalid)?;
    let password = password.to_owned();
    let hash = blocking(move || credentials::hash_password(&password)).await?;
    let person = NewPerson {
        email: email.trim().to_owned(),
        display_name: display_name.trim().to_owned(),
        password_hash: hash,
        verified: true,
        is_admin: true,
    };
    let id = state.people.create_person(&person, None, state.clock.now()).await?;
    super::memberships::record_admin(state, None, id, true).await?;
    Ok(true)
}
