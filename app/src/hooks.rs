//! Hooks the pages share: the list queries read from the page's URL.

use domain::matching::MatchQuery;
use domain::organisation_query::OrganisationQuery;
use domain::CallQuery;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A query read from the page's URL by `parse`, following every navigation.
pub fn use_url_query<Q: Clone + PartialEq + Send + Sync + 'static>(
    parse: for<'a> fn(&mut dyn Iterator<Item = (&'a str, &'a str)>) -> Q,
) -> Memo<Q> {
    let query_map = use_query_map();
    Memo::new(move |_| query_map.with(|map| parse(&mut map.into_iter().map(|(key, value)| (key.as_ref(), value)))))
}

/// The call list query in the page's URL (unknown keys and bad values ignored, bounds applied).
pub fn use_call_query() -> Memo<CallQuery> {
    use_url_query(|pairs| CallQuery::from_pairs(pairs))
}

/// The directory query in the page's URL (unknown keys and bad values ignored, bounds applied).
pub fn use_organisation_query() -> Memo<OrganisationQuery> {
    use_url_query(|pairs| OrganisationQuery::from_pairs(pairs))
}

/// The matches query in the page's URL (unknown keys and bad values ignored, bounds applied).
pub fn use_match_query() -> Memo<MatchQuery> {
    use_url_query(|pairs| MatchQuery::from_pairs(pairs))
}
