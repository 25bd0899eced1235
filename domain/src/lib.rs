//! Fundbridge's domain: funding calls, organisations and clusters, the rules that
//! derive what a user sees (a call's status, its next deadline), and — behind the
//! `server` feature — the store, the importers and the demo-data generator.
#![forbid(unsafe_code)]

pub mod admin;
pub mod alerts;
pub mod call;
pub mod cluster;
pub mod codes;
pub mod contact;
pub mod geo;
pub mod listing;
pub mod matching;
pub mod member_import;
pub mod money;
pub mod organisation;
pub mod organisation_query;
pub mod people;
pub mod profile;
pub mod publishing;
pub mod query;
pub mod sanitize;
pub mod smart_specialisation;
pub mod taxonomy;
pub mod time;

#[cfg(feature = "server")]
pub mod credentials;
#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
pub mod import;
#[cfg(feature = "server")]
pub mod mail;
#[cfg(feature = "server")]
pub mod markdown;
#[cfg(feature = "server")]
pub mod progress;
#[cfg(feature = "server")]
pub mod search;
#[cfg(feature = "server")]
pub mod services;
#[cfg(feature = "server")]
pub mod spreadsheet;
#[cfg(feature = "server")]
pub mod store;
#[cfg(feature = "server")]
pub mod text;

pub use call::{CallDetail, CallStatus, CallSummary, Deadline, InstrumentKind};
pub use codes::{CallId, CodeError, CountryCode, NutsCode, OrganisationId, Trl};
pub use query::{
    BudgetRange, CallPage, CallQuery, CallSort, ClosesWithin, FacetValue, Facets, Highlighted, ProgrammeCount,
    SearchHit,
};
