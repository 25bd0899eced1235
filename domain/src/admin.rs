//! What administrators read: the audit log of who changed whose rights, and the mail that
//! could not be delivered. Shared with the UI (the admin page).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of the audit log as administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// When.
    pub at: DateTime<Utc>,
    /// Who did it (`None`: the command line or a deleted account).
    pub actor: Option<String>,
    /// What was done.
    pub action: String,
    /// To whom.
    pub subject: Option<String>,
    /// The organisation involved.
    pub organisation: Option<String>,
    /// Anything else recorded.
    pub detail: String,
}

/// A message given up on, with the last reason, for administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The outbox row.
    pub id: i64,
    /// The recipient's address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// How many attempts were made.
    pub attempts: u32,
    /// The last attempt's error.
    pub last_error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
}
