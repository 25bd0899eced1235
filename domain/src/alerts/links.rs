//! Links in alert mail that act without signing in — unsubscribe from all alert mail, leave a
//! call out of one's digests, stop one saved search — each a token signed with the
//! database's link key (HMAC-SHA256): a link cannot be forged, nor changed to act for
//! someone else or on something else.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The longest token accepted (a call id is at most a few hundred characters).
const MAX_TOKEN_CHARS: usize = 800;
/// Bytes of the HMAC kept in a token (128 bits).
const SIGNATURE_BYTES: usize = 16;

/// What a link in alert mail does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailLink {
    /// Stops every alert mail to the person (the `List-Unsubscribe` address).
    Unsubscribe {
        /// Whose mail.
        person_id: i64,
    },
    /// Leaves a call out of the person's digests and alerts.
    MuteCall {
        /// Whose digests.
        person_id: i64,
        /// The call's external id.
        call: String,
    },
    /// Switches one saved search to "no mail".
    StopSearch {
        /// Whose search.
        person_id: i64,
        /// The saved search.
        search_id: i64,
    },
    /// Stops following a call.
    Unfollow {
        /// Who follows it.
        person_id: i64,
        /// The call's external id.
        call: String,
    },
    /// Reads a saved search as an Atom feed (an address, not an action).
    SearchFeed {
        /// Whose search.
        person_id: i64,
        /// The saved search.
        search_id: i64,
    },
    /// Reads the deadlines of followed calls as a calendar (an address, not an action).
    DeadlineCalendar {
        /// Whose follows.
        person_id: i64,
    },
}

impl MailLink {
    /// The person the link acts for.
    pub fn person_id(&self) -> i64 {
        match self {
            MailLink::Unsubscribe { person_id }
            | MailLink::MuteCall { person_id, .. }
            | MailLink::StopSearch { person_id, .. }
            | MailLink::Unfollow { person_id, .. }
            | MailLink::SearchFeed { person_id, .. }
            | MailLink::DeadlineCalendar { person_id } => *person_id,
        }
    }

    /// The page that confirms it (and takes the one-click `POST` for an unsubscribe).
    pub fn path(&self) -> &'static str {
        match self {
            MailLink::Unsubscribe { .. } => "/mail/unsubscribe",
            MailLink::MuteCall { .. } => "/mail/mute",
            MailLink::StopSearch { .. } => "/mail/stop",
            MailLink::Unfollow { .. } => "/mail/unfollow",
            MailLink::SearchFeed { .. } => "/feeds/search.atom",
            MailLink::DeadlineCalendar { .. } => "/feeds/deadlines.ics",
        }
    }

    /// What is signed: the action's letter, the person, and its object.
    fn payload(&self) -> String {
        match self {
            MailLink::Unsubscribe { person_id } => format!("u:{person_id}"),
            MailLink::MuteCall { person_id, call } => format!("m:{person_id}:{call}"),
            MailLink::StopSearch { person_id, search_id } => format!("s:{person_id}:{search_id}"),
            MailLink::Unfollow { person_id, call } => format!("f:{person_id}:{call}"),
            MailLink::SearchFeed { person_id, search_id } => format!("a:{person_id}:{search_id}"),
            MailLink::DeadlineCalendar { person_id } => format!("c:{person_id}"),
        }
    }

    /// The link a payload describes, if it describes one.
    fn from_payload(payload: &str) -> Option<MailLink> {
        let mut parts = payload.splitn(3, ':');
        let action = parts.next()?;
        let person_id: i64 = parts.next()?.parse().ok()?;
        let object = parts.next();
        match (action, object) {
            ("u", None) => Some(MailLink::Unsubscribe { person_id }),
            ("m", Some(call)) if !call.is_empty() => Some(MailLink::MuteCall {
                person_id,
                call: call.to_owned(),
            }),
            ("s", Some(search)) => Some(MailLink::StopSearch {
                person_id,
                search_id: search.parse().ok()?,
            }),
            ("f", Some(call)) if !call.is_empty() => Some(MailLink::Unfollow {
                person_id,
                call: call.to_owned(),
            }),
            ("a", Some(search)) => Some(MailLink::SearchFeed {
                person_id,
                search_id: search.parse().ok()?,
            }),
            ("c", None) => Some(MailLink::DeadlineCalendar { person_id }),
            _ => None,
        }
    }
}

/// Signs and checks mail links with one key.
#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
}

impl LinkSigner {
    /// A signer with `secret` (the database's link key).
    pub fn new(secret: &str) -> LinkSigner {
        LinkSigner {
            key: secret.as_bytes().to_vec(),
        }
    }

    /// The HMAC of `payload` under this key.
    fn mac(&self, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(payload);
        mac
    }

    /// The token for `link`: its payload and signature, both base64url.
    pub fn token(&self, link: &MailLink) -> String {
        let payload = link.payload();
        let signature = self.mac(payload.as_bytes()).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(&signature[..SIGNATURE_BYTES])
        )
    }

    /// The absolute address of `link` under `public_url`.
    pub fn url(&self, public_url: &str, link: &MailLink) -> String {
        format!(
            "{}{}?token={}",
            public_url.trim_end_matches('/'),
            link.path(),
            self.token(link)
        )
    }

    /// The link `token` stands for, when this key signed it (compared in constant time).
    pub fn verify(&self, token: &str) -> Option<MailLink> {
        if token.len() > MAX_TOKEN_CHARS {
            return None;
        }
        let (payload, signature) = token.trim().split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        if signature.len() != SIGNATURE_BYTES {
            return None;
        }
        self.mac(&payload).verify_truncated_left(&signature).ok()?;
        MailLink::from_payload(std::str::from_utf8(&payload).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn links() -> Vec<MailLink> {
        vec![
            MailLink::Unsubscribe { person_id: 7 },
            MailLink::MuteCall {
                person_id: 7,
                call: "HORIZON-CL3-2026-02-CS-ECCC-01".into(),
            },
            MailLink::MuteCall {
                person_id: 7,
                call: "odd:id.with/marks".into(),
            },
            MailLink::StopSearch {
                person_id: 7,
                search_id: 42,
            },
            MailLink::Unfollow {
                person_id: 7,
                call: "EIC-2027-ACCELERATOR-01".into(),
            },
            MailLink::SearchFeed {
                person_id: 7,
                search_id: 42,
            },
            MailLink::DeadlineCalendar { person_id: 7 },
        ]
    }

    #[test]
    fn a_signed_link_reads_back_and_lands_on_its_page() {
        let signer = LinkSigner::new("key-one");
        for link in links() {
            let token = signer.token(&link);
            assert_eq!(signer.verify(&token), Some(link.clone()));
            let url = signer.url("https://fundbridge.eu/", &link);
            assert!(
                url.starts_with(&format!("https://fundbridge.eu{}?token=", link.path())),
                "{url}"
            );
            assert!(
                token.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
                "{token}"
            );
        }
    }

    #[test]
    fn another_key_a_changed_payload_or_a_cut_signature_is_refused() {
        let signer = LinkSigner::new("key-one");
        let token = signer.token(&MailLink::Unsubscribe { person_id: 7 });
        assert_eq!(LinkSigner::new("key-two").verify(&token), None);
        let (_, signature) = token.split_once('.').unwrap();
        let forged = format!("{}.{signature}", URL_SAFE_NO_PAD.encode("u:8"));
        assert_eq!(
            signer.verify(&forged),
            None,
            "another person's id under the same signature"
        );
        let cut = &token[..token.len() - 4];
        assert_eq!(signer.verify(cut), None, "a shortened signature");
        for bad in ["", ".", "abc", "abc.def", &"a".repeat(2_000)] {
            assert_eq!(signer.verify(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn no_garbage_token_verifies(token in "[A-Za-z0-9_.-]{0,120}") {
            prop_assert_eq!(LinkSigner::new("key-one").verify(&token), None);
        }
    }
}
