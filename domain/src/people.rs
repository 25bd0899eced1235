//! People and what they may do: the roles a membership gives, who is asking (a [`Viewer`]),
//! and the rules every account form obeys — a plain email address, a display name on one
//! line, a password long enough to resist guessing but not so long that hashing it is a
//! denial of service. Shared with the UI, so forms can say the same thing the server will.

use crate::sanitize::forbidden_control;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest address a mail server must accept (RFC 5321: 254 characters).
pub const MAX_ADDRESS_CHARS: usize = 254;
/// The shortest password accepted (NIST SP 800-63B: at least 8; we ask for more).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted: long passphrases fit, megabyte ones do not reach Argon2.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The longest display name.
pub const MAX_NAME_CHARS: usize = 80;
/// The longest message attached to a request to join an organisation.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// What a membership lets a person do for one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sees the organisation's private pages and its matches.
    Member,
    /// Edits the organisation's profile; for a funding body, drafts calls; accepts new members.
    Editor,
    /// A funding body's approver of calls.
    Reviewer,
    /// Manages a cluster's membership and page.
    Manager,
}

impl Role {
    /// Every role, in the order forms list them.
    pub const ALL: [Role; 4] = [Role::Member, Role::Editor, Role::Reviewer, Role::Manager];

    /// The role as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::Manager => "manager",
        }
    }

    /// The role named `value`, if it is one.
    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// The role's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "Member",
            Role::Editor => "Editor",
            Role::Reviewer => "Reviewer",
            Role::Manager => "Manager",
        }
    }

    /// Whether this role may accept others into the organisation (editors and cluster managers).
    pub fn admits_members(self) -> bool {
        matches!(self, Role::Editor | Role::Manager)
    }
}

/// One organisation a person belongs to, as the header and account pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The organisation's public identifier.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Its kind (whether it publishes calls, records a region's priorities, …).
    pub organisation_kind: crate::organisation::OrganisationKind,
    /// What the person may do for it.
    pub role: Role,
}

/// The person a request comes from, as the services check it and the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    /// The person's row.
    pub person_id: i64,
    /// Their address.
    pub email: String,
    /// How they are named on the site.
    pub display_name: String,
    /// Whether they have confirmed their address.
    pub email_verified: bool,
    /// A platform administrator.
    pub is_admin: bool,
    /// The organisations they belong to.
    pub memberships: Vec<Membership>,
}

impl Viewer {
    /// The organisations this person speaks for (as an editor, or a cluster organisation's
    /// manager): whose inbox they read, for which they ask to join clusters.
    pub fn teams(&self) -> Vec<String> {
        self.memberships
            .iter()
            .filter(|membership| membership.role.admits_members())
            .map(|membership| membership.organisation_id.clone())
            .collect()
    }

    /// The role this person holds in the organisation `organisation_id`, if any.
    pub fn role_in(&self, organisation_id: &str) -> Option<Role> {
        self.memberships
            .iter()
            .find(|membership| membership.organisation_id == organisation_id)
            .map(|membership| membership.role)
    }
}

/// The sign-up form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpForm {
    /// The address to confirm.
    pub email: String,
    /// How they want to be named.
    pub display_name: String,
    /// The password they chose.
    pub password: String,
}

/// One of a person's sessions, as the "your sessions" list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// What ends it (the digest of its id: knowing it opens nothing).
    pub handle: String,
    /// When it began.
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    pub last_seen_at: DateTime<Utc>,
    /// The browser that began it.
    pub user_agent: String,
    /// The session this request comes from.
    pub current: bool,
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// To become a member (its editors or an administrator accept).
    Join,
    /// To speak for an organisation listed in the directory (an administrator approves).
    Claim,
}

impl RequestKind {
    /// The kind as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Join => "join",
            RequestKind::Claim => "claim",
        }
    }
}

/// A pending request, as the people deciding it see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The request's row.
    pub id: i64,
    /// Who asks.
    pub person_id: i64,
    /// Their name.
    pub person_name: String,
    /// Their address.
    pub person_email: String,
    /// The organisation's public identifier.
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Join or claim.
    pub kind: RequestKind,
    /// What they wrote.
    pub message: String,
    /// When they asked.
    pub created_at: DateTime<Utc>,
}

/// One member of an organisation, for its editors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The person's row.
    pub person_id: i64,
    /// Their name.
    pub display_name: String,
    /// Their role here.
    pub role: Role,
}

/// An address in the one form accounts are keyed by: trimmed and lower-cased, so
/// `Ana@Example.EU` and `ana@example.eu` are one account.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Refuses what is not one plain address (`local@domain`, no spaces, no display name, no
/// list, no control characters, at most [`MAX_ADDRESS_CHARS`]).
pub fn check_email(email: &str) -> Result<(), String> {
    let email = email.trim();
    let mut parts = email.split('@');
    let plain = email.chars().count() <= MAX_ADDRESS_CHARS
        && matches!((parts.next(), parts.next(), parts.next()), (Some(local), Some(domain), None)
            if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'))
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c));
    if plain {
        Ok(())
    } else {
        Err("enter one email address, like ana@example.eu".into())
    }
}

/// Refuses an empty, multi-line or overlong display name.
pub fn check_display_name(name: &str) -> Result<(), String> {
    let length = name.trim().chars().count();
    if length == 0 || length > MAX_NAME_CHARS {
        return Err(format!("the name must have 1 to {MAX_NAME_CHARS} characters"));
    }
    if forbidden_control(name, false).is_some() {
        return Err("the name must be one line of text".into());
    }
    Ok(())
}

/// Refuses a password too short to resist guessing, or too long to hash cheaply.
pub fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters (a few words make a good one)"
        ));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(format!(
            "the password must have at most {MAX_PASSWORD_CHARS} characters"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_plain_and_keyed_without_case() {
        assert!(check_email("ana@example.eu").is_ok());
        assert!(check_email("  Ana.Silva+calls@Example.EU ").is_ok());
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.eu",
            "ana@example",
            "a@b@example.eu",
            "Ana <ana@example.eu>",
            "ana@example.eu, eve@example.eu",
            "ana\r\nBcc: eve@example.eu",
            "ana @example.eu",
        ] {
            assert!(check_email(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(check_email(&format!("{}@example.eu", "a".repeat(250))).is_err());
        assert_eq!(email_key("  Ana@Example.EU "), "ana@example.eu");
    }

    #[test]
    fn names_and_passwords_are_bounded() {
        assert!(check_display_name("Ana Silva").is_ok());
        assert!(check_display_name("  ").is_err());
        assert!(check_display_name("Ana\nSilva").is_err());
        assert!(check_display_name(&"a".repeat(81)).is_err());
        assert!(check_password("short").is_err());
        assert!(check_password("correct horse battery").is_ok());
        assert!(check_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn roles_round_trip_and_only_editors_and_managers_admit() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Editor.admits_members() && Role::Manager.admits_members());
        assert!(!Role::Member.admits_members() && !Role::Reviewer.admits_members());
    }
}
