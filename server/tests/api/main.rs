//! The real server on a free port with its own SQLite file: pages, server functions, health.

mod helpers;
#[path = "../../../domain/tests/common/smtp_server.rs"]
mod smtp_server;
// Not every helper of the behaviour suite is used here.
#[allow(dead_code, unused_macros)]
#[path = "../../../domain/tests/behaviour/support.rs"]
mod support;

mod accounts;
mod assets;
mod calls;
mod cli;
mod digests;
mod health;
mod hostile;
mod mail;
mod organisations;
