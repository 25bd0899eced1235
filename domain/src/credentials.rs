//! Secrets and how they are kept: random session ids and mailed tokens (only their SHA-256
//! digests are stored, so a copy of the database opens no session), and Argon2id password
//! hashes with OWASP's parameters (19 MiB, 2 passes, 1 lane). Hashing is slow on purpose:
//! callers run it on a blocking thread.

use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Bytes of randomness in a session id or token (256 bits).
const TOKEN_BYTES: usize = 32;

/// A fresh random secret, hex-encoded (64 characters), for a session id or a mailed link.
pub fn new_token() -> String {
    let mut bytes = [0_u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    hex(&bytes)
}

/// The digest a secret is stored and looked up by.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` has the shape [`new_token`] gives (a cheap refusal before any lookup).
pub fn is_token(secret: &str) -> bool {
    secret.len() == TOKEN_BYTES * 2 && secret.bytes().all(|b| b.is_ascii_hexdigit())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The PHC string of an Argon2id hash of `password` with a fresh salt.
pub fn hash_password(password: &str) -> String {
    password_auth::generate_hash(password)
}

/// Whether `password` matches the PHC string `hash` (false for a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    password_auth::verify_password(password, hash).is_ok()
}

/// The hash an account made without a password gets (a subscription by email): an Argon2id
/// hash of a random secret nobody holds, so no password opens it until one is set by a reset
/// link, and checking against it takes as long as against any other.
pub fn unusable_password_hash() -> String {
    hash_password(&new_token())
}

/// A hash no password is known to match, checked against when an address has no account so
/// that the answer takes as long as for one that has.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| hash_password(&new_token()));

/// Spends the time a password check takes, without an account to check against.
pub fn verify_decoy(password: &str) {
    let _ = verify_password(password, &DECOY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_by_digest() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(is_token(&a) && !is_token("abc") && !is_token(&"g".repeat(64)));
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), a);
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
