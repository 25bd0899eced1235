//! Reaching a partner: a signed-in person writes to an organisation (about a call, for one of
//! their organisations or as themselves); the organisation's editors are mailed and answer
//! from their inbox; the sender is mailed the answers. Nobody's address reaches the other
//! side — mail comes from the portal and replies go through it. Each person has a rate limit;
//! an organisation can block a sender and report a conversation to the administrators.

use super::accounts::{link, require_viewer};
use super::{forbidden, limits, mail_to_team, short_message, AppState, ServiceError};
use crate::codes::OrganisationId;
use crate::contact::{check_body, AbuseReport, ContactForm, Conversation, ConversationSummary, MessageView};
use crate::mail::templates::Message;
use crate::people::Viewer;
use crate::store::{AuditEntry, ConversationRecord, NewConversation, OutgoingMail};

/// Conversations one person starts per day.
pub const CONVERSATIONS_PER_PERSON: limits::Limit = limits::Limit {
    bucket: "conversations-person",
    max: 10,
    window_minutes: 24 * 60,
};

/// Messages (first ones and replies) one person writes per hour.
pub const MESSAGES_PER_PERSON: limits::Limit = limits::Limit {
    bucket: "messages-person",
    max: 30,
    window_minutes: 60,
};

/// How many conversations an inbox lists.
const INBOX_SIZE: u32 = 200;

/// How many reports the administrators' page lists.
const REPORTS_LISTED: u32 = 200;

/// Who started a conversation, as both sides see it.
fn sender_label(record: &ConversationRecord) -> String {
    match &record.sender_organisation {
        Some(organisation) => format!("{} ({organisation})", record.person_name),
        None => record.person_name.clone(),
    }
}

/// The record as the viewer's inbox lists it.
fn summary(record: &ConversationRecord, viewer: &Viewer) -> ConversationSummary {
    let started_by_viewer = record.person_id == viewer.person_id;
    let read_at = if started_by_viewer {
        record.sender_read_at
    } else {
        record.recipient_read_at
    };
    ConversationSummary {
        id: record.id,
        subject: record.subject.clone(),
        organisation_id: record.organisation_id.clone(),
        organisation_name: record.organisation_name.clone(),
        sender: sender_label(record),
        call: record.call.clone(),
        last_message_at: record.last_message_at,
        started_by_viewer,
        unread: read_at.is_none_or(|read| read < record.last_message_at),
    }
}

/// Refuses people who have not confirmed their address (messages reach others' mailboxes).
fn require_confirmed(viewer: &Viewer) -> Result<(), ServiceError> {
    if viewer.email_verified {
        Ok(())
    } else {
        Err(forbidden("write to organisations before confirming your address"))
    }
}

/// Sends a first message to the organisation `organisation_id`; returns the conversation's id.
pub async fn contact_organisation(
    state: &AppState,
    session: Option<&str>,
    organisation_id: &str,
    form: &ContactForm,
) -> Result<i64, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    require_confirmed(&viewer)?;
    let not_found = || ServiceError::NotFound("that organisation".into());
    let id = OrganisationId::parse(organisation_id.trim()).map_err(|_| not_found())?;
    let organisation = state
        .directory
        .get_organisation(id.as_str())
        .await?
        .ok_or_else(not_found)?;
    if viewer.role_in(id.as_str()).is_some() {
        return Err(ServiceError::Invalid(format!(
            "You belong to {}: write to its people directly.",
            organisation.name
        )));
    }
    let mistakes = form.mistakes();
    if !mistakes.is_empty() {
        return Err(ServiceError::InvalidFields(mistakes));
    }
    let on_behalf_of = form.on_behalf_of.trim();
    let sender_organisation = if on_behalf_of.is_empty() {
        None
    } else {
        let membership = viewer
            .memberships
            .iter()
            .find(|m| m.organisation_id == on_behalf_of)
            .ok_or_else(|| forbidden("write for an organisation you do not belong to"))?;
        Some(membership.clone())
    };
    let call = match form.call_id.trim() {
        "" => None,
        call_id => {
            let call = state
                .calls
                .get_call(call_id, state.clock.now())
                .await?
                .ok_or_else(|| ServiceError::NotFound("that call".into()))?;
            Some((call.summary.external_id.clone(), call.summary.title.clone()))
        }
    };
    if state.messages.is_blocked(id.as_str(), viewer.person_id).await? {
        return Err(ServiceError::Forbidden(format!(
            "{} does not accept messages from you.",
            organisation.name
        )));
    }
    let person_key = viewer.person_id.to_string();
    limits::count(state, CONVERSATIONS_PER_PERSON, &person_key).await?;
    limits::count(state, MESSAGES_PER_PERSON, &person_key).await?;
    let now = state.clock.now();
    let sender = match &sender_organisation {
        Some(membership) => format!("{} ({})", viewer.display_name, membership.organisation_name),
        None => viewer.display_name.clone(),
    };
    let conversation = NewConversation {
        organisation_id: organisation.external_id.clone(),
        person_id: viewer.person_id,
        sender_organisation_id: sender_organisation.map(|m| m.organisation_id),
        call_id: call.as_ref().map(|(id, _)| id.clone()),
        subject: form.subject.trim().to_owned(),
        body: form.body.trim().to_owned(),
    };
    // The conversation's id is in the mail's link, so the mail is written after the row; the
    // key is unique per person and instant, and both commit together.
    let key = format!(
        "contact:{}:{}:{}",
        viewer.person_id,
        organisation.external_id,
        now.timestamp()
    );
    let values = serde_json::json!({
        "sender": sender, "recipient": organisation.name, "first": true,
        "call": call.as_ref().map_or(String::new(), |(_, title)| title.clone()),
        "body": conversation.body, "link": link(state, "/inbox"),
    });
    let mails = mail_to_team(state, &organisation.external_id, &key, Message::ContactMessage, values).await?;
    Ok(state.messages.start_conversation(&conversation, now, &mails).await?)
}

/// The conversations of the session's person: those they started and those addressed to
/// organisations they speak for, latest first.
pub async fn inbox(state: &AppState, session: Option<&str>) -> Result<Vec<ConversationSummary>, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let records = state
        .messages
        .conversations(viewer.person_id, &viewer.teams(), INBOX_SIZE)
        .await?;
    Ok(records.iter().map(|record| summary(record, &viewer)).collect())
}

/// The conversation `id` and the viewer's side in it (`true`: the organisation's), for its
/// participants only; to anyone else it does not exist.
async fn participant(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(ConversationRecord, Vec<crate::store::MessageRecord>, bool), ServiceError> {
    let not_found = || ServiceError::NotFound("that conversation".into());
    let (record, messages) = state.messages.conversation(id).await?.ok_or_else(not_found)?;
    let for_organisation = viewer
        .role_in(&record.organisation_id)
        .is_some_and(crate::people::Role::admits_members);
    if record.person_id != viewer.person_id && !for_organisation {
        return Err(not_found());
    }
    Ok((record, messages, for_organisation))
}

/// One conversation with its messages; reading it marks it read for the viewer's side.
pub async fn conversation(state: &AppState, session: Option<&str>, id: i64) -> Result<Conversation, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (record, messages, for_organisation) = participant(state, &viewer, id).await?;
    let blocked = state
        .messages
        .is_blocked(&record.organisation_id, record.person_id)
        .await?;
    state
        .messages
        .mark_read(id, for_organisation, state.clock.now())
        .await?;
    let messages = messages
        .into_iter()
        .map(|message| MessageView {
            author: match (&message.author_name, message.from_organisation) {
                (Some(name), true) => format!("{name} ({})", record.organisation_name),
                (Some(_), false) => sender_label(&record),
                (None, _) => "deleted account".to_owned(),
            },
            ours: message.from_organisation == for_organisation,
            from_organisation: message.from_organisation,
            body: message.body,
            at: message.created_at,
        })
        .collect();
    Ok(Conversation {
        summary: summary(&record, &viewer),
        messages,
        blocked,
        for_organisation,
    })
}

/// Answers in a conversation; the other side is mailed.
pub async fn reply(state: &AppState, session: Option<&str>, id: i64, body: &str) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    require_confirmed(&viewer)?;
    let (record, _, for_organisation) = participant(state, &viewer, id).await?;
    let mut mistakes = Vec::new();
    check_body(&mut mistakes, "body", body);
    if !mistakes.is_empty() {
        return Err(ServiceError::InvalidFields(mistakes));
    }
    if state
        .messages
        .is_blocked(&record.organisation_id, record.person_id)
        .await?
    {
        return Err(ServiceError::Forbidden(
            "This conversation is closed: the organisation blocked the sender.".into(),
        ));
    }
    limits::count(state, MESSAGES_PER_PERSON, &viewer.person_id.to_string()).await?;
    let now = state.clock.now();
    let body = body.trim();
    let key = format!("reply:{id}:{}:{}", viewer.person_id, now.timestamp());
    let call = record.call.as_ref().map_or(String::new(), |(_, title)| title.clone());
    let mails: Vec<OutgoingMail> = if for_organisation {
        // To the sender, by name, at the address only the portal knows.
        match state.people.person(record.person_id).await? {
            Some(person) if person.disabled_at.is_none() => vec![super::accounts::mail_for(
                state,
                &key,
                &person.email,
                &person.language,
                Message::ContactMessage,
                serde_json::json!({
                    "name": person.display_name, "sender": format!("{} ({})", viewer.display_name, record.organisation_name),
                    "recipient": sender_label(&record), "first": false, "call": call, "body": body,
                    "link": link(state, &format!("/inbox/{id}")),
                }),
            )?],
            _ => Vec::new(),
        }
    } else {
        let values = serde_json::json!({
            "sender": sender_label(&record), "recipient": record.organisation_name, "first": false,
            "call": call, "body": body, "link": link(state, &format!("/inbox/{id}")),
        });
        mail_to_team(state, &record.organisation_id, &key, Message::ContactMessage, values).await?
    };
    state
        .messages
        .add_message(id, viewer.person_id, for_organisation, body, now, &mails)
        .await?;
    Ok(())
}

/// An audit line about the conversation `record`'s sender.
fn sender_audit(
    state: &AppState,
    viewer: &Viewer,
    action: &'static str,
    record: &ConversationRecord,
    detail: String,
) -> AuditEntry {
    AuditEntry {
        actor_id: Some(viewer.person_id),
        action,
        subject_id: Some(record.person_id),
        organisation_id: Some(record.organisation_id.clone()),
        detail,
        at: state.clock.now(),
    }
}

/// Blocks the sender of a conversation from writing to the organisation again (or lets them):
/// the organisation's editors only.
pub async fn block_sender(state: &AppState, session: Option<&str>, id: i64, block: bool) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (record, _, for_organisation) = participant(state, &viewer, id).await?;
    if !for_organisation {
        return Err(forbidden("block senders of this organisation"));
    }
    let action = if block { "block_sender" } else { "unblock_sender" };
    let audit = sender_audit(state, &viewer, action, &record, format!("conversation {id}"));
    state
        .messages
        .set_blocked(
            &record.organisation_id,
            record.person_id,
            block,
            state.clock.now(),
            &audit,
        )
        .await?;
    Ok(())
}

/// Reports a conversation to the administrators, with a reason: its participants only.
pub async fn report_abuse(state: &AppState, session: Option<&str>, id: i64, reason: &str) -> Result<(), ServiceError> {
    let viewer = require_viewer(state, session).await?;
    let (record, _, _) = participant(state, &viewer, id).await?;
    let reason = short_message(reason)?;
    if reason.is_empty() {
        return Err(ServiceError::Invalid("Say what is wrong.".into()));
    }
    limits::count(state, MESSAGES_PER_PERSON, &viewer.person_id.to_string()).await?;
    let audit = sender_audit(state, &viewer, "report_abuse", &record, format!("conversation {id}"));
    state
        .messages
        .report_abuse(id, viewer.person_id, &reason, state.clock.now(), &audit)
        .await?;
    Ok(())
}

/// The reports of abuse, newest first: administrators only.
pub async fn abuse_reports(state: &AppState, session: Option<&str>) -> Result<Vec<AbuseReport>, ServiceError> {
    let viewer = require_viewer(state, session).await?;
    if !viewer.is_admin {
        return Err(forbidden("read reports of abuse"));
    }
    Ok(state.messages.abuse_reports(REPORTS_LISTED).await?)
}
