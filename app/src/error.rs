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
    /// A form has mistakes; each names its field and what to fix.
    #[error("please correct the marked fields")]
    InvalidFields(Vec<domain::publishing::FieldError>),
    /// The request needs a logged-in person.
    #[error("please log in first")]
    Unauthenticated,
    /// The person may not do this; the message says what.
    #[error("{0}")]
    Forbidden(String),
    /// Too many attempts; the message says how long to wait.
    #[error("{message}")]
    TooManyRequests {
        /// What to tell the person.
        message: String,
        /// Seconds until trying again may succeed.
        retry_after_seconds: u64,
    },
    /// Something failed on our side; the details are in the server log.
    #[error("something went wrong on our side; please try again in a moment")]
    Internal,
    /// The request did not reach the server or its answer was unreadable.
    #[error("could not reach Fundbridge ({0}); check your connection and try again")]
    Transport(String),
}

impl AppError {
    /// The HTTP status that goes with this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::BadRequest(_) | AppError::InvalidFields(_) => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    /// This error, with its status set on the response being built (a server function's
    /// JSON, or the page that called it while rendering).
    pub fn with_status(self) -> Self {
        #[cfg(feature = "ssr")]
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = http::StatusCode::from_u16(self.status()) {
                response.set_status(status);
            }
            if let AppError::TooManyRequests {
                retry_after_seconds, ..
            } = &self
            {
                response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(*retry_after_seconds));
            }
        }
        self
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // On the server, reading the request's body is the only deserialising there is: a
            // body that is not this function's arguments. The parser's detail stays in the
            // log; the caller is told what to send.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail) => {
                tracing::debug!(%detail, "unreadable server function arguments");
                AppError::BadRequest("the request is not a JSON object with this function's arguments".into())
                    .with_status()
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::services::ServiceError> for AppError {
    fn from(error: domain::services::ServiceError) -> Self {
        use domain::services::ServiceError;
        match error {
            ServiceError::NotFound(what) => AppError::NotFound(what),
            ServiceError::Invalid(message) => AppError::BadRequest(message),
            ServiceError::InvalidFields(errors) => AppError::InvalidFields(errors),
            ServiceError::Unavailable(_) => AppError::Internal,
            ServiceError::Unauthenticated => AppError::Unauthenticated,
            ServiceError::Forbidden(message) => AppError::Forbidden(message),
            ServiceError::RateLimited {
                message,
                retry_after_seconds,
            } => AppError::TooManyRequests {
                message,
                retry_after_seconds,
            },
            ServiceError::Store(error) => {
                // Log the whole cause chain for operators; show users a message they can act on.
                let mut chain = error.to_string();
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    chain.push_str(": ");
                    chain.push_str(&cause.to_string());
                    source = cause.source();
                }
                tracing::error!(error = %chain, "store error");
                AppError::Internal
            }
        }
        .with_status()
    }
}
