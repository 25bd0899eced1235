//! The real server on a free port with its own SQLite file: pages, server functions, health.

mod helpers;

mod calls;
mod cli;
mod health;
mod hostile;
mod organisations;
