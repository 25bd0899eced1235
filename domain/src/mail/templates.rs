//! Every message's words, from one template engine: for each message a plain-text template
//! (which also sets the subject) and an HTML one in the portal's style, readable on a phone.
//! Templates live under `templates/<language>/`; HTML templates escape every value (minijinja
//! escapes by file extension), text ones do not need to. English is the only language yet;
//! another is a folder of the same files and a line in [`LANGUAGES`].

use minijinja::Environment;
use serde::Serialize;
use std::sync::LazyLock;

/// The languages messages are written in; the first is the fallback.
pub const LANGUAGES: [&str; 1] = ["en"];

/// The messages Fundbridge sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message {
    /// Confirm the address an account was signed up with.
    Verify,
    /// Someone signed up with an address that already has an account.
    AlreadyRegistered,
    /// A link to choose a new password.
    Reset,
    /// The password was changed.
    PasswordChanged,
    /// Confirm a new address.
    ConfirmNewEmail,
    /// Told at the old address: the account moved to a new one.
    EmailChanged,
    /// A request to join an organisation was accepted or declined.
    JoinDecided,
    /// A cluster invites an organisation (to its editors).
    ClusterInvitation,
    /// An organisation asks to join a cluster (to the cluster's managers).
    ClusterApplication,
    /// An invitation or application was accepted, declined or withdrawn (to the other side).
    ClusterDecided,
    /// A message or reply reached an inbox.
    ContactMessage,
    /// What is new for a person's saved searches (weekly digest, daily or instant alert).
    Digest,
    /// Material changes to calls a person follows, and reminders before their deadlines.
    FollowedCalls,
    /// Confirm an alert asked for by email without an account (double opt-in).
    ConfirmSubscription,
    /// An alert was asked for by email for an address that has an account: save it there.
    SubscriptionForAccount,
}

impl Message {
    /// The templates' file name, without language and extension.
    fn name(self) -> &'static str {
        match self {
            Message::Verify => "verify",
            Message::AlreadyRegistered => "already_registered",
            Message::Reset => "reset",
            Message::PasswordChanged => "password_changed",
            Message::ConfirmNewEmail => "confirm_new_email",
            Message::EmailChanged => "email_changed",
            Message::JoinDecided => "join_decided",
            Message::ClusterInvitation => "cluster_invitation",
            Message::ClusterApplication => "cluster_application",
            Message::ClusterDecided => "cluster_decided",
            Message::ContactMessage => "contact_message",
            Message::Digest => "digest",
            Message::FollowedCalls => "followed_calls",
            Message::ConfirmSubscription => "confirm_subscription",
            Message::SubscriptionForAccount => "subscription_for_account",
        }
    }
}

/// A message's subject and two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// Declares the template files, each read in at compile time under its name.
macro_rules! templates {
    ($($file:literal),* $(,)?) => {
        [$(($file, include_str!(concat!("templates/", $file)))),*]
    };
}

/// Every template, compiled once.
static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut environment = Environment::new();
    environment.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, source) in templates![
        "en/layout.html",
        "en/button.html",
        "en/verify.txt",
        "en/verify.html",
        "en/already_registered.txt",
        "en/already_registered.html",
        "en/reset.txt",
        "en/reset.html",
        "en/password_changed.txt",
        "en/password_changed.html",
        "en/confirm_new_email.txt",
        "en/confirm_new_email.html",
        "en/email_changed.txt",
        "en/email_changed.html",
        "en/join_decided.txt",
        "en/join_decided.html",
        "en/cluster_invitation.txt",
        "en/cluster_invitation.html",
        "en/cluster_application.txt",
        "en/cluster_application.html",
        "en/cluster_decided.txt",
        "en/cluster_decided.html",
        "en/contact_message.txt",
        "en/contact_message.html",
        "en/digest.txt",
        "en/digest.html",
        "en/followed_calls.txt",
        "en/followed_calls.html",
        "en/confirm_subscription.txt",
        "en/confirm_subscription.html",
        "en/subscription_for_account.txt",
        "en/subscription_for_account.html",
    ] {
        environment
            .add_template(name, source)
            .unwrap_or_else(|error| panic!("mail template {name} does not compile: {error}"));
    }
    environment
});

/// Renders `message` in `language` (the fallback when it is not one of [`LANGUAGES`]) with
/// `values` (each template names what it needs: `name`, `link`, …). A missing value is an
/// error, never an empty hole in a sent message.
pub fn render(message: Message, language: &str, values: impl Serialize) -> Result<Rendered, minijinja::Error> {
    let language = LANGUAGES.into_iter().find(|l| *l == language).unwrap_or(LANGUAGES[0]);
    let values = minijinja::Value::from_serialize(&values);
    let text_template = ENVIRONMENT.get_template(&format!("{language}/{}.txt", message.name()))?;
    let captured = text_template.render_captured(&values)?;
    let subject = captured
        .state()
        .lookup("subject")
        .and_then(|subject| subject.as_str().map(str::to_owned))
        .ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::UndefinedError,
                "the text template sets no subject",
            )
        })?;
    let html_values = minijinja::context! { subject => subject.clone(), language => language, ..values };
    let html = ENVIRONMENT
        .get_template(&format!("{language}/{}.html", message.name()))?
        .render(html_values)?;
    Ok(Rendered {
        subject,
        text: captured.into_output().trim_start().to_owned(),
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_message_renders_both_parts_with_its_link() {
        for message in [
            Message::Verify,
            Message::AlreadyRegistered,
            Message::Reset,
            Message::PasswordChanged,
            Message::ConfirmNewEmail,
            Message::EmailChanged,
            Message::JoinDecided,
            Message::ClusterInvitation,
            Message::ClusterApplication,
            Message::ClusterDecided,
            Message::ContactMessage,
            Message::Digest,
            Message::FollowedCalls,
            Message::ConfirmSubscription,
            Message::SubscriptionForAccount,
        ] {
            let values = json!({
                "headline": "Your Fundbridge week: 1 new call", "intro": "New since your last digest.",
                "sections": [{ "heading": "Calls matching “quantum”", "total": 1, "more": 0,
                    "title": "Quantum", "url": "https://fundbridge.example/calls/Q", "changes": ["Budget changed"],
                    "notes": ["More money"], "reminders": [], "unfollow_url": "https://fundbridge.example/mail/unfollow",
                    "see_all_url": "https://fundbridge.example/calls", "stop_url": "https://fundbridge.example/mail/stop",
                    "stop_label": "Stop mail for this search",
                    "items": [{ "title": "Quantum", "detail": "Horizon Europe", "url": "https://fundbridge.example/calls/Q",
                        "mute_url": "https://fundbridge.example/mail/mute" }] }],
                "closing_soon": [], "when": "Every Monday.", "preferences_url": "https://fundbridge.example/preferences",
                "unsubscribe_url": "https://fundbridge.example/mail/unsubscribe",
                "name": "Ana", "link": "https://fundbridge.example/account?token=abc",
                "new_email": "new@example.eu", "organisation": "Aveiro Labs", "accepted": true,
                "cluster": "Bretagne Cyber Cluster", "message": "Welcome", "sender": "Bo", "recipient": "Aveiro Labs",
                "call": "", "body": "Shall we bid together?", "first": true,
                "sentence": "Every Monday around 08:00 Europe/Brussels: new calls matching “quantum”.",
            });
            let rendered = render(message, "en", values).expect("renders");
            assert!(
                !rendered.subject.is_empty() && !rendered.subject.contains('\n'),
                "{message:?}"
            );
            assert!(
                rendered.text.starts_with("Hello Ana,"),
                "{message:?}: {}",
                rendered.text
            );
            assert!(rendered.html.contains("<title>"), "{message:?}");
            assert!(rendered.html.contains("Hello Ana,"), "{message:?}");
        }
    }

    #[test]
    fn html_escapes_what_people_wrote_and_text_keeps_it() {
        let values = json!({ "name": "<script>alert(1)</script>", "link": "https://x.example/?a=1&b=2" });
        let rendered = render(Message::Verify, "en", values).unwrap();
        assert!(!rendered.html.contains("<script>"));
        assert!(rendered.html.contains("&lt;script&gt;"));
        assert!(rendered.html.contains("a=1&amp;b=2"));
        assert!(rendered.text.contains("Hello <script>alert(1)</script>,"));
    }

    #[test]
    fn an_unknown_language_falls_back_and_a_missing_value_is_an_error() {
        let values = json!({ "name": "Ana", "link": "https://x.example/" });
        let english = render(Message::Reset, "en", &values).unwrap();
        assert_eq!(render(Message::Reset, "xx", &values).unwrap(), english);
        assert!(render(Message::Reset, "en", json!({ "name": "Ana" })).is_err());
    }
}
