//! The services a request reaches: one [`AppState`], built once by the server and
//! handed to every handler and server function.

use crate::search::SearchIndex;
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Where "now" comes from: the system clock, or a fixed instant for tests and demos.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The system clock.
    System,
    /// Always this instant.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current instant by this clock.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(instant) => *instant,
        }
    }
}

/// Everything a request may use, shared by all requests.
#[derive(Clone)]
pub struct AppState {
    /// The database: the source of truth.
    pub store: Arc<dyn Store>,
    /// The search index, derived from the database.
    pub search: Arc<dyn SearchIndex>,
    /// The clock statuses are derived with.
    pub clock: Clock,
}
