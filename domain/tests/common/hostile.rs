//! Hostile queries as both lists' URLs can carry them: every key with every payload, and
//! all keys at once. Shared by the store's behaviour suite and the search conformance suite
//! (included with `#[path]`), so the database and both engines answer the same inputs.

use domain::organisation_query::OrganisationQuery;
use domain::CallQuery;

/// Values an attacker would try in any field.
pub const PAYLOADS: [&str; 12] = [
    "</title><script>window.__xss=1</script>",
    "100% _ ' \" \\ ; -- /*",
    "%",
    "_",
    "quantum \u{0}\u{7}\u{1b}[31m\u{202e} key",
    "\"unclosed phrase",
    "*:* OR 1=1",
    "title:quantum AND NOT x",
    "999999999999",
    "-1",
    "0",
    "𝕏𝕏𝕏 ∅ 🛰️",
];

/// One query per URL key and payload, one with every key set to each payload, and one per
/// key with a 10,000-character value — each as the URL parser (and so the sanitiser) makes it.
fn queries<Q>(keys: impl Iterator<Item = &'static str>, parse: impl Fn(&[(&str, &str)]) -> Q) -> Vec<Q> {
    let keys: Vec<&str> = keys.collect();
    let long = "quantum ".repeat(1250);
    let mut queries = Vec::new();
    for payload in PAYLOADS.iter().copied().chain([long.as_str()]) {
        for key in &keys {
            queries.push(parse(&[(key, payload)]));
        }
        let every_key: Vec<(&str, &str)> = keys.iter().map(|key| (*key, payload)).collect();
        queries.push(parse(&every_key));
    }
    queries
}

/// Hostile call-list queries.
pub fn call_queries() -> Vec<CallQuery> {
    queries(CallQuery::url_keys(), |pairs| {
        CallQuery::from_pairs(pairs.iter().copied())
    })
}

/// Hostile directory queries.
pub fn directory_queries() -> Vec<OrganisationQuery> {
    queries(OrganisationQuery::url_keys(), |pairs| {
        OrganisationQuery::from_pairs(pairs.iter().copied())
    })
}
