//! What a user asks of the call list — filters, sort and page — and what comes back.
//! The same type is parsed from and written to the URL, so filters are shareable.

use crate::call::{CallStatus, CallSummary, InstrumentKind};
use crate::codes::{CountryCode, NutsCode};
use crate::sanitize::{bounded_page, bounded_values, clean_line, MAX_VALUE_CHARS};
pub use crate::sanitize::{DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_TEXT_CHARS};
use crate::taxonomy;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How the call list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallSort {
    /// Best match for the search text first (without text: as [`CallSort::Deadline`]).
    Relevance,
    /// Soonest upcoming deadline first; rolling and closed calls last.
    #[default]
    Deadline,
    /// Most recently opened or published first.
    Newest,
    /// Largest per-project budget first.
    Budget,
    /// Alphabetical by title.
    Title,
}

impl CallSort {
    /// Every sort, in the order the UI lists them.
    pub const ALL: [CallSort; 5] = [
        CallSort::Relevance,
        CallSort::Deadline,
        CallSort::Newest,
        CallSort::Budget,
        CallSort::Title,
    ];

    /// The value used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            CallSort::Relevance => "relevance",
            CallSort::Deadline => "deadline",
            CallSort::Newest => "newest",
            CallSort::Budget => "budget",
            CallSort::Title => "title",
        }
    }

    /// The label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            CallSort::Relevance => "Relevance",
            CallSort::Deadline => "Deadline (soonest)",
            CallSort::Newest => "Recently opened",
            CallSort::Budget => "Budget (largest)",
            CallSort::Title => "Title (A–Z)",
        }
    }

    /// Parses the URL form.
    pub fn parse(value: &str) -> Option<Self> {
        CallSort::ALL.into_iter().find(|sort| sort.as_str() == value)
    }
}

/// Budget brackets for the budget facet, on the per-project maximum (else the total), in euro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetRange {
    /// Below €100,000.
    Under100k,
    /// €100,000 to below €500,000.
    From100kTo500k,
    /// €500,000 to below €2 million.
    From500kTo2m,
    /// €2 million to below €10 million.
    From2mTo10m,
    /// €10 million or more.
    From10m,
}

impl BudgetRange {
    /// Every bracket, smallest first.
    pub const ALL: [BudgetRange; 5] = [
        BudgetRange::Under100k,
        BudgetRange::From100kTo500k,
        BudgetRange::From500kTo2m,
        BudgetRange::From2mTo10m,
        BudgetRange::From10m,
    ];

    /// The URL form.
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetRange::Under100k => "lt100k",
            BudgetRange::From100kTo500k => "100k-500k",
            BudgetRange::From500kTo2m => "500k-2m",
            BudgetRange::From2mTo10m => "2m-10m",
            BudgetRange::From10m => "gte10m",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            BudgetRange::Under100k => "Under €100k",
            BudgetRange::From100kTo500k => "€100k – €500k",
            BudgetRange::From500kTo2m => "€500k – €2M",
            BudgetRange::From2mTo10m => "€2M – €10M",
            BudgetRange::From10m => "€10M and more",
        }
    }

    /// Parses the URL form.
    pub fn parse(value: &str) -> Option<Self> {
        BudgetRange::ALL.into_iter().find(|range| range.as_str() == value)
    }

    /// The bracket lower bound (inclusive) and upper bound (exclusive), in euro.
    pub fn bounds(self) -> (i64, Option<i64>) {
        match self {
            BudgetRange::Under100k => (0, Some(100_000)),
            BudgetRange::From100kTo500k => (100_000, Some(500_000)),
            BudgetRange::From500kTo2m => (500_000, Some(2_000_000)),
            BudgetRange::From2mTo10m => (2_000_000, Some(10_000_000)),
            BudgetRange::From10m => (10_000_000, None),
        }
    }

    /// The bracket an amount falls in (none for a negative amount).
    pub fn of(amount_eur: i64) -> Option<BudgetRange> {
        BudgetRange::ALL.into_iter().find(|range| {
            let (low, high) = range.bounds();
            amount_eur >= low && high.is_none_or(|high| amount_eur < high)
        })
    }
}

/// How soon the next deadline is: a window from the search's instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosesWithin {
    /// The next deadline is within 7 days.
    Week,
    /// Within 30 days.
    Month,
    /// Within 90 days.
    Quarter,
}

impl ClosesWithin {
    /// Every window, shortest first.
    pub const ALL: [ClosesWithin; 3] = [ClosesWithin::Week, ClosesWithin::Month, ClosesWithin::Quarter];

    /// The URL form.
    pub fn as_str(self) -> &'static str {
        match self {
            ClosesWithin::Week => "7d",
            ClosesWithin::Month => "30d",
            ClosesWithin::Quarter => "90d",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            ClosesWithin::Week => "Within 7 days",
            ClosesWithin::Month => "Within 30 days",
            ClosesWithin::Quarter => "Within 90 days",
        }
    }

    /// Parses the URL form.
    pub fn parse(value: &str) -> Option<Self> {
        ClosesWithin::ALL.into_iter().find(|window| window.as_str() == value)
    }

    /// The window's length in seconds.
    pub fn seconds(self) -> i64 {
        let days = match self {
            ClosesWithin::Week => 7,
            ClosesWithin::Month => 30,
            ClosesWithin::Quarter => 90,
        };
        days * 86_400
    }
}

/// `value` as a country code in capitals, if it is one (`pt` → `PT`).
pub(crate) fn country_code(value: String) -> Option<String> {
    CountryCode::parse(&value).ok().map(String::from)
}

/// `value` as a NUTS code in capitals, if it is one (`frh0` → `FRH0`).
pub(crate) fn nuts_code(value: String) -> Option<String> {
    NutsCode::parse(&value).ok().map(String::from)
}

/// Filters, sort and page for the call list. However it is built — from the URL
/// ([`CallQuery::from_pairs`]) or from JSON — it comes out [`CallQuery::sanitized`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
// `remote = "Self"`: the derived code becomes `CallQuery::deserialize`, which the `Deserialize`
// impl below wraps with the sanitiser (and `Serialize` forwards to unchanged).
#[serde(default, remote = "Self")]
pub struct CallQuery {
    /// Free text to search for (empty: no text search).
    pub text: String,
    /// Programmes to include (any of); empty means all.
    pub programmes: Vec<String>,
    /// Instrument kinds to include (any of); empty means all.
    pub kinds: Vec<InstrumentKind>,
    /// Statuses to include (any of); empty means all.
    pub statuses: Vec<CallStatus>,
    /// Only calls reserved for SMEs.
    pub sme_only: bool,
    /// Only calls open to dual-use (civil–military) projects.
    pub dual_use: bool,
    /// Only calls open to applicants from one of these countries (a call without a
    /// country restriction is open to all); empty means all.
    pub countries: Vec<String>,
    /// Only calls open to applicants from one of these NUTS regions (a call restricted to a
    /// larger area containing it, or not restricted, counts); empty means all.
    pub regions: Vec<String>,
    /// Budget brackets to include (any of); empty means all.
    pub budgets: Vec<BudgetRange>,
    /// Only calls whose next deadline falls within this window.
    pub closes_within: Option<ClosesWithin>,
    /// Only calls whose technology-readiness range includes one of these levels (1–9); empty means all.
    pub trl: Vec<u8>,
    /// Only calls about one of these capabilities (JRC research domains, derived from their text).
    pub domains: Vec<String>,
    /// Only calls addressing one of these NIS2 sectors (derived from their text).
    pub sectors: Vec<String>,
    /// Order.
    pub sort: CallSort,
    /// Page number, starting at 1.
    pub page: u32,
    /// Results per page.
    pub per_page: u32,
}

impl Default for CallQuery {
    fn default() -> Self {
        CallQuery {
            text: String::new(),
            programmes: Vec::new(),
            kinds: Vec::new(),
            statuses: Vec::new(),
            sme_only: false,
            dual_use: false,
            countries: Vec::new(),
            regions: Vec::new(),
            budgets: Vec::new(),
            closes_within: None,
            trl: Vec::new(),
            domains: Vec::new(),
            sectors: Vec::new(),
            sort: CallSort::default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl<'de> Deserialize<'de> for CallQuery {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        CallQuery::deserialize(deserializer).map(CallQuery::sanitized)
    }
}

impl Serialize for CallQuery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CallQuery::serialize(self, serializer)
    }
}

impl CallQuery {
    /// The URL keys that filter the call list (any value within a key, every key).
    pub const FILTER_KEYS: [&'static str; 12] = [
        "programme",
        "kind",
        "status",
        "country",
        "region",
        "budget",
        "closes",
        "trl",
        "domain",
        "sector",
        "sme_only",
        "dual_use",
    ];

    /// Every key the call list's URL understands: the text, the filters, sort and paging.
    pub fn url_keys() -> impl Iterator<Item = &'static str> {
        url_keys_with(&Self::FILTER_KEYS)
    }

    /// Reads a query from URL pairs. Unknown keys and values are ignored, so an old or
    /// hand-edited link still shows a sensible list; the result is [`CallQuery::sanitized`].
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = CallQuery::default();
        let mut sort = None;
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => query.text = value.to_owned(),
                "programme" => query.programmes.push(value.to_owned()),
                "kind" => query.kinds.extend(value.parse::<InstrumentKind>().ok()),
                "status" => query.statuses.extend(value.parse::<CallStatus>().ok()),
                "country" => query.countries.push(value.to_owned()),
                "region" => query.regions.push(value.to_owned()),
                "budget" => query.budgets.extend(BudgetRange::parse(value)),
                "closes" => query.closes_within = ClosesWithin::parse(value),
                "trl" => query.trl.extend(value.parse::<u8>().ok()),
                "domain" => query.domains.push(value.to_owned()),
                "sector" => query.sectors.push(value.to_owned()),
                "sme_only" => query.sme_only = is_yes(value),
                "dual_use" => query.dual_use = is_yes(value),
                "sort" => sort = CallSort::parse(value),
                "page" => query.page = value.parse().unwrap_or(1),
                "per_page" => query.per_page = value.parse().unwrap_or(DEFAULT_PER_PAGE),
                _ => {}
            }
        }
        let mut query = query.sanitized();
        query.sort = sort.unwrap_or_else(|| query.default_sort());
        query
    }

    /// The query within every bound ([`crate::sanitize`]): text on one line and cut, at most
    /// [`crate::sanitize::MAX_FILTER_VALUES`] distinct well-formed values per filter, terms from
    /// their vocabularies only, and a page inside the result window.
    pub fn sanitized(self) -> Self {
        let (page, per_page) = bounded_page(self.page, self.per_page);
        CallQuery {
            text: clean_line(&self.text, MAX_TEXT_CHARS),
            programmes: bounded_values(self.programmes, |p| {
                Some(clean_line(&p, MAX_VALUE_CHARS)).filter(|p| !p.is_empty())
            }),
            kinds: bounded_values(self.kinds, Some),
            statuses: bounded_values(self.statuses, Some),
            countries: bounded_values(self.countries, country_code),
            regions: bounded_values(self.regions, nuts_code),
            budgets: bounded_values(self.budgets, Some),
            trl: bounded_values(self.trl, |level| (1..=9).contains(&level).then_some(level)),
            domains: bounded_values(self.domains, |d| {
                taxonomy::contains(taxonomy::CAPABILITY_TERMS, &d).then_some(d)
            }),
            sectors: bounded_values(self.sectors, |s| taxonomy::contains(taxonomy::SECTORS, &s).then_some(s)),
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
        pairs.extend(self.statuses.iter().map(|s| ("status", s.as_str().to_owned())));
        pairs.extend(self.programmes.iter().map(|p| ("programme", p.clone())));
        pairs.extend(self.kinds.iter().map(|k| ("kind", k.as_str().to_owned())));
        pairs.extend(self.countries.iter().map(|c| ("country", c.clone())));
        pairs.extend(self.regions.iter().map(|r| ("region", r.clone())));
        pairs.extend(self.budgets.iter().map(|b| ("budget", b.as_str().to_owned())));
        pairs.extend(self.closes_within.map(|w| ("closes", w.as_str().to_owned())));
        pairs.extend(self.trl.iter().map(|level| ("trl", level.to_string())));
        pairs.extend(self.domains.iter().map(|d| ("domain", d.clone())));
        pairs.extend(self.sectors.iter().map(|s| ("sector", s.clone())));
        if self.sme_only {
            pairs.push(("sme_only", "true".to_owned()));
        }
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

    /// The order used when the URL names none: relevance when searching, else deadline.
    pub fn default_sort(&self) -> CallSort {
        if self.text.is_empty() {
            CallSort::Deadline
        } else {
            CallSort::Relevance
        }
    }

    /// The same filters and sort on another page.
    pub fn with_page(&self, page: u32) -> Self {
        CallQuery {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// Whether any filter is set (sort and page aside).
    pub fn has_filters(&self) -> bool {
        !(self.programmes.is_empty()
            && self.kinds.is_empty()
            && self.statuses.is_empty()
            && self.countries.is_empty()
            && self.regions.is_empty()
            && self.budgets.is_empty()
            && self.trl.is_empty()
            && self.domains.is_empty()
            && self.sectors.is_empty())
            || self.closes_within.is_some()
            || self.sme_only
            || self.dual_use
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        page_offset(self.page, self.per_page)
    }
}

/// A list's URL keys: the text, then its `filters`, then sort and paging.
pub(crate) fn url_keys_with(filters: &'static [&'static str]) -> impl Iterator<Item = &'static str> {
    ["q"]
        .into_iter()
        .chain(filters.iter().copied())
        .chain(["sort", "page", "per_page"])
}

/// Ends a list's URL pairs with its sort (when not the default), page size and page, each
/// only when it differs from the default.
pub(crate) fn push_paging_pairs(
    pairs: &mut Vec<(&'static str, String)>,
    chosen_sort: Option<&'static str>,
    per_page: u32,
    page: u32,
) {
    pairs.extend(chosen_sort.map(|sort| ("sort", sort.to_owned())));
    if per_page != DEFAULT_PER_PAGE {
        pairs.push(("per_page", per_page.to_string()));
    }
    if page != 1 {
        pairs.push(("page", page.to_string()));
    }
}

/// The `?…` part of a URL for these pairs, percent-encoded (empty when there are none).
pub(crate) fn query_string(pairs: Vec<(&'static str, String)>) -> String {
    let encoded: Vec<String> = pairs
        .into_iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(&value)))
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

/// Rows before page `page` (from 1) of `per_page` rows.
pub(crate) fn page_offset(page: u32, per_page: u32) -> u64 {
    u64::from(page.max(1) - 1) * u64::from(per_page)
}

/// Whether a URL flag is set (`true`, `1`, `on` — what checkboxes and people write).
pub(crate) fn is_yes(value: &str) -> bool {
    matches!(value, "true" | "1" | "on" | "yes")
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass through).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Where a call's page is: its id percent-encoded, its slashes kept readable.
pub fn call_path(external_id: &str) -> String {
    let encoded: Vec<String> = external_id.split('/').map(percent_encode).collect();
    format!("/calls/{}", encoded.join("/"))
}

/// Where an organisation's page is.
pub fn organisation_path(external_id: &str) -> String {
    format!("/organisations/{}", percent_encode(external_id))
}

/// Decodes `%XX` escapes (invalid escapes are kept as written).
pub fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |byte: u8| char::from(byte).to_digit(16);
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pairs of a URL's `?…` part (the `?` optional; `+` read as a space), decoded.
pub fn query_pairs(query_string: &str) -> Vec<(String, String)> {
    query_string
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |part: &str| percent_decode(&part.replace('+', " "));
            (decode(key), decode(value))
        })
        .collect()
}

/// One page of the call list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallPage {
    /// The calls on this page.
    pub items: Vec<CallSummary>,
    /// How many calls match in all.
    pub total: u64,
    /// This page's number, starting at 1.
    pub page: u32,
    /// Results per page.
    pub per_page: u32,
}

impl CallPage {
    /// Number of pages (at least 1, so an empty list still has a page).
    pub fn page_count(&self) -> u32 {
        let pages = self.total.div_ceil(u64::from(self.per_page.max(1)));
        u32::try_from(pages).unwrap_or(u32::MAX).max(1)
    }
}

/// A piece of text with the byte ranges that matched the query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlighted {
    /// The text.
    pub text: String,
    /// Byte ranges of `text` to highlight, sorted and disjoint.
    pub ranges: Vec<(usize, usize)>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The public identifier of the call or organisation found.
    pub external_id: String,
    /// The title (an organisation's name) with matches marked.
    pub title: Highlighted,
    /// A passage of the description with matches marked.
    pub snippet: Highlighted,
}

/// A facet value and how many hits have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value (as used in the URL).
    pub value: String,
    /// Hits with this value.
    pub count: u64,
}

/// Counts per facet for the hits of a search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// By programme.
    pub programme: Vec<FacetValue>,
    /// By instrument kind.
    pub kind: Vec<FacetValue>,
    /// By status at the search's instant.
    pub status: Vec<FacetValue>,
    /// Calls open to applicants from each country (unrestricted calls count for every country listed).
    pub country: Vec<FacetValue>,
    /// By budget bracket, in bracket order.
    pub budget: Vec<FacetValue>,
    /// Calls whose next deadline falls within each window, shortest first.
    pub closes_within: Vec<FacetValue>,
    /// Calls open to applicants from each listed NUTS region (as for countries).
    pub region: Vec<FacetValue>,
    /// Calls whose technology-readiness range includes each level, lowest first.
    pub trl: Vec<FacetValue>,
    /// By capability (JRC research domain) derived from the call's text.
    #[serde(default)]
    pub domain: Vec<FacetValue>,
    /// By NIS2 sector derived from the call's text.
    #[serde(default)]
    pub sector: Vec<FacetValue>,
}

/// A programme and how many calls it has, for the filter list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeCount {
    /// Programme name.
    pub programme: String,
    /// Number of calls.
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unknown_values_are_ignored_and_pages_clamped() {
        let query = CallQuery::from_pairs([
            ("kind", "shares"),
            ("status", "open"),
            ("page", "0"),
            ("per_page", "5000"),
        ]);
        assert!(query.kinds.is_empty());
        assert_eq!(query.statuses, vec![CallStatus::Open]);
        assert_eq!(query.page, 1);
        assert_eq!(query.per_page, MAX_PER_PAGE);
    }

    #[test]
    fn searching_defaults_to_relevance_and_listing_to_deadline() {
        assert_eq!(CallQuery::from_pairs([("q", " quantum ")]).sort, CallSort::Relevance);
        assert_eq!(
            CallQuery::from_pairs([("q", "quantum")]).to_query_string(),
            "?q=quantum"
        );
        assert_eq!(CallQuery::from_pairs([]).sort, CallSort::Deadline);
        let by_budget = CallQuery::from_pairs([("q", "quantum"), ("sort", "budget")]);
        assert_eq!(by_budget.to_query_string(), "?q=quantum&sort=budget");
    }

    #[test]
    fn the_default_query_has_an_empty_query_string() {
        assert_eq!(CallQuery::default().to_query_string(), "");
    }

    #[test]
    fn programme_names_are_percent_encoded() {
        let query = CallQuery {
            programmes: vec!["Horizon Europe".into()],
            ..CallQuery::default()
        };
        assert_eq!(query.to_query_string(), "?programme=Horizon%20Europe");
    }

    #[test]
    fn an_empty_list_still_has_one_page() {
        let page = CallPage {
            items: vec![],
            total: 0,
            page: 1,
            per_page: 20,
        };
        assert_eq!(page.page_count(), 1);
        assert_eq!(CallPage { total: 41, ..page }.page_count(), 3);
    }

    fn any_query() -> impl Strategy<Value = CallQuery> {
        (
            "[a-z \"-]{0,20}",
            proptest::collection::vec("[A-Za-z &+/-]{1,12}", 0..3),
            proptest::sample::subsequence(InstrumentKind::ALL.to_vec(), 0..3),
            proptest::sample::subsequence(CallStatus::ALL.to_vec(), 0..3),
            proptest::sample::select(CallSort::ALL.to_vec()),
            (
                1u32..=100,
                1u32..=MAX_PER_PAGE,
                proptest::bool::ANY,
                proptest::bool::ANY,
            ),
            (
                proptest::sample::subsequence(vec!["PT".to_owned(), "EL".to_owned(), "FR".to_owned()], 0..3),
                proptest::sample::subsequence(BudgetRange::ALL.to_vec(), 0..3),
                proptest::option::of(proptest::sample::select(ClosesWithin::ALL.to_vec())),
                proptest::sample::subsequence((1u8..=9).collect::<Vec<_>>(), 0..3),
                proptest::sample::subsequence(vec!["FRH0".to_owned(), "PT11".to_owned()], 0..2),
            ),
            (
                proptest::sample::subsequence(vec!["cryptology".to_owned(), "identity".to_owned()], 0..2),
                proptest::sample::subsequence(vec!["health".to_owned(), "space".to_owned()], 0..2),
            ),
        )
            .prop_map(
                |(
                    text,
                    programmes,
                    kinds,
                    statuses,
                    sort,
                    (page, per_page, sme_only, dual_use),
                    (countries, budgets, closes_within, trl, regions),
                    (domains, sectors),
                )| {
                    let unique = bounded_values(programmes, |p| Some(p.trim().to_owned()).filter(|p| !p.is_empty()));
                    CallQuery {
                        text: text.trim().to_owned(),
                        programmes: unique,
                        kinds,
                        statuses,
                        sme_only,
                        dual_use,
                        countries,
                        regions,
                        budgets,
                        closes_within,
                        trl,
                        domains,
                        sectors,
                        sort,
                        page,
                        per_page,
                    }
                },
            )
    }

    #[test]
    fn region_filters_keep_nuts_codes_in_capitals() {
        let query = CallQuery::from_pairs([("region", "frh0"), ("region", "Bretagne")]);
        assert_eq!(query.regions, vec!["FRH0".to_owned()]);
    }

    #[test]
    fn budgets_fall_in_one_bracket_each() {
        assert_eq!(BudgetRange::of(99_999), Some(BudgetRange::Under100k));
        assert_eq!(BudgetRange::of(100_000), Some(BudgetRange::From100kTo500k));
        assert_eq!(BudgetRange::of(2_000_000), Some(BudgetRange::From2mTo10m));
        assert_eq!(BudgetRange::of(250_000_000), Some(BudgetRange::From10m));
        assert_eq!(BudgetRange::of(-1), None);
    }

    #[test]
    fn country_codes_are_read_in_capitals_and_nonsense_is_dropped() {
        let query = CallQuery::from_pairs([
            ("country", "pt"),
            ("country", "Portugal"),
            ("budget", "huge"),
            ("closes", "30d"),
        ]);
        assert_eq!(query.countries, vec!["PT".to_owned()]);
        assert!(query.budgets.is_empty());
        assert_eq!(query.closes_within, Some(ClosesWithin::Month));
    }

    #[test]
    fn huge_pages_stay_inside_the_result_window_and_long_lists_are_cut() {
        let many: Vec<String> = (0..2000).map(|i| format!("programme={i}")).collect();
        let pairs: Vec<(&str, &str)> = many
            .iter()
            .map(|pair| pair.split_once('=').unwrap())
            .chain([("page", "999999999"), ("per_page", "0"), ("q", "\0quantum\u{7}")])
            .collect();
        let query = CallQuery::from_pairs(pairs);
        assert_eq!(query.programmes.len(), crate::sanitize::MAX_FILTER_VALUES);
        assert_eq!((query.page, query.per_page), (crate::sanitize::MAX_RESULT_WINDOW, 1));
        assert_eq!(query.text, "quantum");
        let json = r#"{"text":"a\u0000b","page":4294967295,"per_page":1000,"programmes":["%","%"],"trl":[0,10,3]}"#;
        let query: CallQuery = serde_json::from_str(json).unwrap();
        assert_eq!(
            (query.text.as_str(), query.page, query.per_page),
            ("ab", 100, MAX_PER_PAGE)
        );
        assert_eq!((query.programmes, query.trl), (vec!["%".to_owned()], vec![3]));
    }

    /// Any text at all: control characters, markup, long runs.
    fn hostile_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<char>(), 0..400).prop_map(String::from_iter)
    }

    /// A query as an attacker could write it in JSON: any text, any numbers, long lists.
    pub(crate) fn hostile_query() -> impl Strategy<Value = CallQuery> {
        let list = || proptest::collection::vec(hostile_text(), 0..40);
        (
            hostile_text(),
            (list(), list(), list(), list(), list()),
            proptest::collection::vec(any::<u8>(), 0..40),
            proptest::sample::select(CallSort::ALL.to_vec()),
            (any::<u32>(), any::<u32>(), any::<bool>(), any::<bool>()),
        )
            .prop_map(
                |(
                    text,
                    (programmes, countries, regions, domains, sectors),
                    trl,
                    sort,
                    (page, per_page, sme_only, dual_use),
                )| {
                    CallQuery {
                        text,
                        programmes,
                        kinds: InstrumentKind::ALL.to_vec(),
                        statuses: CallStatus::ALL.to_vec(),
                        sme_only,
                        dual_use,
                        countries,
                        regions,
                        budgets: BudgetRange::ALL.to_vec(),
                        closes_within: Some(ClosesWithin::Week),
                        trl,
                        domains,
                        sectors,
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
            let parsed = CallQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(parsed, query.clone());
            let read_back = query_pairs(&query.to_query_string());
            let parsed = CallQuery::from_pairs(read_back.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            prop_assert_eq!(parsed, query);
        }

        #[test]
        fn a_sanitised_hostile_query_is_bounded_and_survives_the_url(query in hostile_query()) {
            let clean = query.sanitized();
            prop_assert!(clean.text.chars().count() <= MAX_TEXT_CHARS && !clean.text.contains(char::is_control));
            prop_assert!(clean.programmes.iter().all(|p| !p.is_empty() && !p.contains(char::is_control)));
            prop_assert!(u64::from(clean.page) * u64::from(clean.per_page) <= u64::from(crate::sanitize::MAX_RESULT_WINDOW));
            prop_assert!(clean.programmes.len() <= crate::sanitize::MAX_FILTER_VALUES);
            prop_assert_eq!(clean.clone().sanitized(), clean.clone());
            let pairs = clean.to_pairs();
            let parsed = CallQuery::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
            prop_assert_eq!(parsed, clean);
        }
    }
}
