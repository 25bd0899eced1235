//! The store's behaviour suite: every test runs on SQLite and on PostgreSQL, each on a
//! database of its own, so the two backends cannot drift apart.

mod support;

mod accounts;
mod alerts;
mod calls;
mod cluster_management;
mod clusters;
mod consortia;
mod corrupt_rows;
mod digests;
mod follows;
mod hostile;
mod import;
mod indexing;
mod mail_outbox;
mod mail_sending;
mod matching;
mod messages;
mod organisations;
mod privacy;
mod profiles;
mod publishing;
mod regions;
mod search_log;
mod services;
mod smart_specialisation;
#[path = "../common/smtp_server.rs"]
mod smtp_server;
