//! The error the UI shows: a message a user can act on, never a raw database error.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// An error as it crosses from the server to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist.
    #[error("{0} was not found")]
    NotFound(String),
    /// The request was malformed; the message says what to fix.
    #[error("{0}")]
    BadRequest(String),
    /// Something failed on our side; the details are in the server log.
    #[error("something went wrong on our side; please try again in a moment")]
    Internal,
    /// The request did not reach the server or its answer was unreadable.
    #[error("could not reach Fundbridge ({0}); check your connection and try again")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<domain::store::StoreError> for AppError {
    fn from(error: domain::store::StoreError) -> Self {
        // Log the whole cause chain for operators; show users a message they can act on.
        let mut chain = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(error = %chain, "store error");
        match error {
            domain::store::StoreError::Invalid(message) => AppError::BadRequest(message),
            _ => AppError::Internal,
        }
    }
}
