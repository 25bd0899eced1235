//! `/dev/mailbox`: what the file mailbox holds, newest first, and one message's text part
//! with its links — for trying sign-up and reset on a laptop without a mail server. Served
//! only when configured, which the configuration refuses outside localhost.

use crate::guards::error_response;
use crate::http::ServerState;
use app::format::escape_html;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use mail_parser::MessageParser;
use std::time::SystemTime;

/// How many messages the list shows.
const LISTED: usize = 100;

/// One stored message, as the list shows it.
struct Entry {
    file: String,
    modified: SystemTime,
    to: String,
    subject: String,
}

/// The mailbox's messages, newest first.
fn entries(dir: &std::path::Path) -> Vec<Entry> {
    let Ok(files) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut entries: Vec<Entry> = files
        .filter_map(Result::ok)
        .filter(|file| file.path().extension().is_some_and(|ext| ext == "eml"))
        .filter_map(|file| {
            let raw = std::fs::read(file.path()).ok()?;
            let message = MessageParser::default().parse(&raw)?;
            Some(Entry {
                file: file.file_name().to_string_lossy().into_owned(),
                modified: file
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH),
                to: message
                    .to()
                    .and_then(|to| to.first())
                    .and_then(|address| address.address())
                    .unwrap_or_default()
                    .to_owned(),
                subject: message.subject().unwrap_or_default().to_owned(),
            })
        })
        .collect();
    entries.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| b.file.cmp(&a.file)));
    entries.truncate(LISTED);
    entries
}

/// The page around `body`.
fn page(title: &str, body: &str) -> Response {
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} · Dev mailbox</title>\
         <link rel=\"stylesheet\" href=\"/pkg/{}.css\"></head><body><main class=\"container dev-mailbox\">{body}</main></body></html>",
        escape_html(title),
        app::BUNDLE_NAME
    ))
    .into_response()
}

/// The list of messages.
pub async fn list(State(state): State<ServerState>) -> Response {
    let Some(dir) = state.dev_mailbox.clone() else {
        return error_response(StatusCode::NOT_FOUND, "not found");
    };
    let entries = tokio::task::spawn_blocking(move || entries(&dir))
        .await
        .unwrap_or_default();
    let mut body = String::from("<h1>Dev mailbox</h1><p>Mail the portal sent, newest first (development only).</p>");
    if entries.is_empty() {
        body.push_str("<p class=\"empty-state\">No mail yet.</p>");
    } else {
        body.push_str("<table class=\"mailbox\"><thead><tr><th>To</th><th>Subject</th></tr></thead><tbody>");
        for entry in entries {
            body.push_str(&format!(
                "<tr><td>{}</td><td><a href=\"/dev/mailbox/{}\">{}</a></td></tr>",
                escape_html(&entry.to),
                escape_html(&entry.file),
                escape_html(&entry.subject)
            ));
        }
        body.push_str("</tbody></table>");
    }
    page("Messages", &body)
}

/// One message: its headers, text part, and its links as links.
pub async fn show(State(state): State<ServerState>, Path(name): Path<String>) -> Response {
    let Some(dir) = state.dev_mailbox.clone() else {
        return error_response(StatusCode::NOT_FOUND, "not found");
    };
    let plain_name = name.ends_with(".eml") && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !plain_name || name.starts_with('.') {
        return error_response(StatusCode::NOT_FOUND, "no such message");
    }
    let Ok(raw) = tokio::fs::read(dir.join(&name)).await else {
        return error_response(StatusCode::NOT_FOUND, "no such message");
    };
    let Some(message) = MessageParser::default().parse(&raw) else {
        return error_response(StatusCode::UNPROCESSABLE_ENTITY, "unreadable message");
    };
    let subject = message.subject().unwrap_or_default().to_owned();
    let to = message
        .to()
        .and_then(|to| to.first())
        .and_then(|address| address.address())
        .unwrap_or_default()
        .to_owned();
    let text = message.body_text(0).unwrap_or_default().into_owned();
    let links: Vec<&str> = text
        .split_whitespace()
        .filter(|word| domain::sanitize::is_http_url(word))
        .collect();
    let mut body = format!(
        "<p><a href=\"/dev/mailbox\">← All messages</a></p><h1>{}</h1><p>To: {}</p><pre class=\"mail-text\">{}</pre>",
        escape_html(&subject),
        escape_html(&to),
        escape_html(&text)
    );
    if !links.is_empty() {
        body.push_str("<h2>Links</h2><ul class=\"mail-links\">");
        for link in links {
            body.push_str(&format!("<li><a href=\"{0}\">{0}</a></li>", escape_html(link)));
        }
        body.push_str("</ul>");
    }
    page(&subject, &body)
}
