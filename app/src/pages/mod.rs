//! One module per route.

pub mod account;
pub mod admin;
pub mod call_detail;
pub mod calls;
pub mod clusters;
pub mod consortia;
pub mod home;
pub mod mail_links;
pub mod matches;
pub mod messages;
pub mod not_found;
pub mod organisation;
pub mod organisations;
pub mod preferences;
pub mod privacy;
pub mod publishing;
pub mod regions;
