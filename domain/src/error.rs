//! The error users see: a message they can act on, never a raw database error.

use serde::{Deserialize, Serialize};

/// An application error as it crosses to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The request was malformed; the message says what to fix.
    #[error("{0}")]
    BadRequest(String),
    /// Something failed on our side; details are in the server log.
    #[error("something went wrong on our side; please try again")]
    Internal,
    /// The transport failed (server unreachable, bad response).
    #[error("could not reach Fundbridge: {0}")]
    Transport(String),
}
