//! The Fundbridge server: configuration, wiring of the one `AppState`, the HTTP router
//! and the command-line tasks. `main.rs` only parses arguments and calls in here.
#![forbid(unsafe_code)]

pub mod assets;
pub mod commands;
pub mod config;
pub mod dev_mailbox;
pub mod exports;
pub mod guards;
pub mod http;
pub mod mail_links;
pub mod sessions;
