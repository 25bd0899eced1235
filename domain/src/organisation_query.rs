//! What a user asks of the organisation directory (partner search) — text, filters, sort and
//! page — and the facet counts that come back. Parsed from and written to the URL like
//! [`crate::query::CallQuery`], so a partner search is shareable.

use crate::organisation::{OrganisationKind, SizeClass};
use crate::query::{
    country_code, is_yes, nuts_code, page_offset, push_paging_pairs, query_string, url_keys_with, FacetValue,
    DEFAULT_PER_PAGE,
};
use crate::sanitize::{bounded_page, bounded_values, clean_line, MAX_TEXT_CHARS};
use crate::taxonomy;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How the directory is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationSort {
    /// Best match for the search text first (without text: as [`OrganisationSort::Name`]).
    Relevance,
    /// Alphabetical by name.
    #[default]
    Name,
    /// Largest headcount first.
    Size,
}

impl OrganisationSort {
    /// Every sort, in the order the UI lists them.
    pub const ALL: [OrganisationSort; 3] = [
        OrganisationSort::Relevance,
        OrganisationSort::Name,
        OrganisationSort::Size,
    ];

    /// The value used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationSort::Relevance => "relevance",
            OrganisationSort::Name => "name",
            OrganisationSort::Size => "size",
        }
    }

    /// The label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            OrganisationSort::Relevance => "Relevance",
            OrganisationSort::Name => "Name (A–Z)",
            OrganisationSort::Size => "Headcount (largest)",
        }
    }

    /// Parses the URL form.
    pub fn parse(value: &str) -> Option<Self> {
        OrganisationSort::ALL.into_iter().find(|sort| sort.as_str() == value)
    }
}

/// Filters, sort and page for the organisation directory. Within a filter any value matches;
/// across filters all must. Built from the URL or from JSON, it comes out
/// [`OrganisationQuery::sanitized`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
// `remote = "Self"`: see `CallQuery` — deserialising goes through the sanitiser.
#[serde(default, remote = "Self")]
pub struct OrganisationQuery {
    /// Free text to search for (empty: no text search).
    pub text: String,
    /// Kinds of organisation.
    pub kinds: Vec<OrganisationKind>,
    /// Countries the organisation is based in.
    pub countries: Vec<String>,
    /// NUTS regions the organisation is based in (a region includes the regions inside it).
    pub regions: Vec<String>,
    /// Capability codes ([`taxonomy::CAPABILITY_TERMS`]); a domain finds its sub-domains too.
    pub capabilities: Vec<String>,
    /// Sector codes ([`taxonomy::SECTORS`]).
    pub sectors: Vec<String>,
    /// Size classes.
    pub sizes: Vec<SizeClass>,
    /// Certification codes ([`taxonomy::CERTIFICATIONS`]).
    pub certifications: Vec<String>,
    /// Clusters the organisation is a member of (cluster external ids).
    pub clusters: Vec<String>,
    /// Only organisations interested in dual-use (civil–military) work.
    pub dual_use: bool,
    /// Order.
    pub sort: OrganisationSort,
    /// Page number, starting at 1.
    pub page: u32,
    /// Results per page.
    pub per_page: u32,
}

impl Default for OrganisationQuery {
    fn default() -> Self {
        OrganisationQuery {
            text: String::new(),
            kinds: Vec::new(),
            countries: Vec::new(),
            regions: Vec::new(),
            capabilities: Vec::new(),
            sectors: Vec::new(),
            sizes: Vec::new(),
            certifications: Vec::new(),
            clusters: Vec::new(),
            dual_use: false,
            sort: OrganisationSort::default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// Whether `value` could be a cluster's external id (a slug).
fn is_slug(value: &str) -> bool {
    (1..=100).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl<'de> Deserialize<'de> for OrganisationQuery {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        OrganisationQuery::deserialize(deserializer).map(OrganisationQuery::sanitized)
    }
}

impl Serialize for OrganisationQuery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        OrganisationQuery::serialize(self, serializer)
    }
}

impl OrganisationQuery {
    /// The URL keys that filter the directory (any value within a key, every key).
    pub const FILTER_KEYS: [&'static str; 9] = [
        "kind",
        "country",
        "region",
        "capability",
        "sector",
        "size",
        "certification",
        "cluster",
        "dual_use",
    ];

    /// Every key the directory's URL understands: the text, the filters, sort and paging.
    pub fn url_keys() -> impl Iterator<Item = &'static str> {
        url_keys_with(&Self::FILTER_KEYS)
    }

    /// Reads a query from URL pairs; unknown keys and values are ignored, and the result is
    /// [`OrganisationQuery::sanitized`].
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = OrganisationQuery::default();
        let mut sort = None;
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => query.text = value.to_owned(),
                "kind" => query.kinds.extend(OrganisationKind::parse(value)),
                "country" => query.countries.push(value.to_owned()),
                "region" => query.regions.push(value.to_owned()),
                "capability" => query.capabilities.push(value.to_owned()),
                "sector" => query.sectors.push(value.to_owned()),
                "certification" => query.certifications.push(value.to_owned()),
                "size" => query.sizes.extend(SizeClass::parse(value)),
                "cluster" => query.clusters.push(value.to_owned()),
                "dual_use" => query.dual_use = is_yes(value),
                "sort" => sort = OrganisationSort::parse(value),
                "page" => query.page = value.parse().unwrap_or(1),
                "per_page" => query.per_page = value.parse().unwrap_or(DEFAULT_PER_PAGE),
                _ => {}
            }
        }
        let mut query = query.sanitized();
        query.sort = sort.unwrap_or_else(|| query.default_sort());
        query
    }

    /// The query within every bound ([`crate::sanitize`]), as for calls: clean text, bounded
    /// lists of well-formed codes and vocabulary terms, a page inside the result window.
    pub fn sanitized(self) -> Self {
        let term = |vocabulary: &'static [taxonomy::Term]| {
            move |value: String| taxonomy::contains(vocabulary, &value).then_some(value)
        };
        let (page, per_page) = bounded_page(self.page, self.per_page);
        OrganisationQuery {
            text: clean_line(&self.text, MAX_TEXT_CHARS),
            kinds: bounded_values(self.kinds, Some),
            countries: bounded_values(self.countries, country_code),
            regions: bounded_values(self.regions, nuts_code),
            capabilities: bounded_values(self.capabilities, term(taxonomy::CAPABILITY_TERMS)),
            sectors: bounded_values(self.sectors, term(taxonomy::SECTORS)),
            sizes: bounded_values(self.sizes, Some),
            certifications: bounded_values(self.certifications, term(taxonomy::CERTIFICATIONS)),
            clusters: bounded_values(self.clusters, |c| is_slug(&c).then_some(c)),
            page,
            per_page,
            ..self
        }
    }

    /// The URL pairs for this query; defaults are left out to keep links short.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.text.is_empty() {
            pairs.push(("q", self.text.clone()));
        }
        pairs.extend(self.kinds.iter().map(|k| ("kind", k.as_str().to_owned())));
        pairs.extend(self.countries.iter().map(|c| ("country", c.clone())));
        pairs.extend(self.regions.iter().map(|r| ("region", r.clone())));
        pairs.extend(self.capabilities.iter().map(|c| ("capability", c.clone())));
        pairs.extend(self.sectors.iter().map(|s| ("sector", s.clone())));
        pairs.extend(self.sizes.iter().map(|s| ("size", s.as_str().to_owned())));
        pairs.extend(self.certifications.iter().map(|c| ("certification", c.clone())));
        pairs.extend(self.clusters.iter().map(|c| ("cluster", c.clone())));
        if self.dual_use {
            pairs.push(("dual_use", "true".to_owned()));
        }
        let chosen_sort = (self.sort != self.default_sort()).then(|| self.sort.as_str());
        push_paging_pairs(&mut pairs, chosen_sort, self.per_page, self.page);
        pairs
    }

    /// The `?…` part of a URL for this query (empty for the default list).
    pub fn to_query_string(&self) -> String {
        query_string(self.to_pairs())
    }

    /// The order used when the URL names none: relevance when searching, else by name.
    pub fn default_sort(&self) -> OrganisationSort {
        if self.text.is_empty() {
            OrganisationSort::Name
        } else {
            OrganisationSort::Relevance
        }
    }

    /// The order actually applied: relevance without text falls back to names.
    pub fn effective_sort(&self) -> OrganisationSort {
        match (self.sort, self.text.trim().is_empty()) {
            (OrganisationSort::Relevance, true) => OrganisationSort::Name,
            (sort, _) => sort,
        }
    }

    /// The same filters and sort on another page.
    pub fn with_page(&self, page: u32) -> Self {
        OrganisationQuery {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Whether any filter is set (sort and page aside).
    pub fn has_filters(&self) -> bool {
        !(self.kinds.is_empty()
            && self.countries.is_empty()
            && self.regions.is_empty()
            && self.capabilities.is_empty()
            && self.sectors.is_empty()
            && self.sizes.is_empty()
            && self.certifications.is_empty()
            && self.clusters.is_empty())
            || self.dual_use
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        page_offset(self.page, self.per_page)
    }
}

/// Counts per facet for the organisations a search found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationFacets {
    /// By kind.
    pub kind: Vec<FacetValue>,
    /// By country.
    pub country: Vec<FacetValue>,
    /// By NUTS region (the organisation's own region).
    pub region: Vec<FacetValue>,
    /// By capability.
    pub capability: Vec<FacetValue>,
    /// By sector.
    pub sector: Vec<FacetValue>,
    /// By size class, smallest first.
    pub size: Vec<FacetValue>,
    /// By certification.
    pub certification: Vec<FacetValue>,
    /// By cluster membership.
    pub cluster: Vec<FacetValue>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sanitize::MAX_PER_PAGE;
    use proptest::prelude::*;

    #[test]
    fn unknown_terms_are_dropped_and_codes_kept() {
        let query = OrganisationQuery::from_pairs([
            ("capability", "cryptology"),
            ("capability", "astrology"),
            ("sector", "health"),
            ("certification", "iso27001"),
            ("size", "tiny"),
            ("size", "small"),
            ("cluster", "cluster-frh0-00"),
            ("cluster", "<script>"),
            ("region", "frh0"),
        ]);
        assert_eq!(query.capabilities, vec!["cryptology".to_owned()]);
        assert_eq!(query.sectors, vec!["health".to_owned()]);
        assert_eq!(query.certifications, vec!["iso27001".to_owned()]);
        assert_eq!(query.sizes, vec![SizeClass::Small]);
        assert_eq!(query.clusters, vec!["cluster-frh0-00".to_owned()]);
        assert_eq!(query.regions, vec!["FRH0".to_owned()]);
        assert!(query.has_filters());
    }

    #[test]
    fn searching_defaults_to_relevance_and_browsing_to_names() {
        assert_eq!(
            OrganisationQuery::from_pairs([("q", "crypto")]).sort,
            OrganisationSort::Relevance
        );
        assert_eq!(OrganisationQuery::from_pairs([]).sort, OrganisationSort::Name);
        assert_eq!(OrganisationQuery::default().to_query_string(), "");
        let relevance_without_text = OrganisationQuery {
            sort: OrganisationSort::Relevance,
            ..OrganisationQuery::default()
        };
        assert_eq!(relevance_without_text.effective_sort(), OrganisationSort::Name);
    }

    fn any_query() -> impl Strategy<Value = OrganisationQuery> {
        let codes = |vocabulary: &'static [taxonomy::Term]| {
            proptest::sample::subsequence(vocabulary.iter().map(|t| t.code.to_owned()).collect::<Vec<_>>(), 0..3)
        };
        (
            "[a-z \"-]{0,20}",
            proptest::sample::subsequence(OrganisationKind::ALL.to_vec(), 0..3),
            proptest::sample::subsequence(vec!["PT".to_owned(), "EL".to_owned(), "FR".to_owned()], 0..3),
            proptest::sample::subsequence(vec!["FRH0".to_owned(), "PT11".to_owned()], 0..2),
            (
                codes(taxonomy::CAPABILITIES),
                codes(taxonomy::SECTORS),
                codes(taxonomy::CERTIFICATIONS),
            ),
            proptest::sample::subsequence(SizeClass::ALL.to_vec(), 0..3),
            proptest::sample::subsequence(vec!["cluster-a".to_owned(), "cluster-b-01".to_owned()], 0..2),
            proptest::sample::select(OrganisationSort::ALL.to_vec()),
            (1u32..=100, 1u32..=MAX_PER_PAGE, proptest::bool::ANY),
        )
            .prop_map(
                |(
                    text,
                    kinds,
                    countries,
                    regions,
                    (capabilities, sectors, certifications),
                    sizes,
                    clusters,
                    sort,
                    (page, per_page, dual_use),
                )| OrganisationQuery {
                    text: text.trim().to_owned(),
                    kinds,
                    countries,
                    regions,
                    capabilities,
                    sectors,
                    sizes,
                    certifications,
                    clusters,
                    dual_use,
                    sort,
                    page,
                    per_page,
                },
            )
    }

    /// Any text at all: control characters, markup, long runs.
    fn hostile_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<char>(), 0..400).prop_map(String::from_iter)
    }

    /// A query as an attacker could write it in JSON: any text, any numbers, long lists.
    fn hostile_query() -> impl Strategy<Value = OrganisationQuery> {
        let list = || proptest::collection::vec(hostile_text(), 0..40);
        (
            hostile_text(),
            (list(), list(), list(), list(), list(), list()),
            proptest::sample::select(OrganisationSort::ALL.to_vec()),
            (any::<u32>(), any::<u32>(), any::<bool>()),
        )
            .prop_map(
                |(
                    text,
                    (countries, regions, capabilities, sectors, certifications, clusters),
                    sort,
                    (page, per_page, dual_use),
                )| {
                    OrganisationQuery {
                        text,
                        kinds: OrganisationKind::ALL.to_vec(),
                        countries,
                        regions,
                        capabilities,
                        sectors,
                        sizes: SizeClass::ALL.to_vec(),
                        certifications,
                        clusters,
                        dual_use,
                        sort,
                        page,
                        per_page,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn a_query_survives_the_round_trip_through_url_pairs(query in any_query()) {
            let pairs = query.to_pairs();
            let parsed = OrganisationQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(parsed, query);
        }

        #[test]
        fn a_sanitised_hostile_query_is_bounded_and_survives_the_url(query in hostile_query()) {
            let clean = query.sanitized();
            prop_assert!(clean.text.chars().count() <= MAX_TEXT_CHARS && !clean.text.contains(char::is_control));
            prop_assert!(u64::from(clean.page) * u64::from(clean.per_page) <= u64::from(crate::sanitize::MAX_RESULT_WINDOW));
            prop_assert!(clean.clusters.len() <= crate::sanitize::MAX_FILTER_VALUES);
            prop_assert_eq!(clean.clone().sanitized(), clean.clone());
            let pairs = clean.to_pairs();
            let parsed = OrganisationQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(parsed, clean);
        }
    }
}
