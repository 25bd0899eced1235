//! Organisations in Meilisearch (the partner directory): one document per organisation with
//! every facet dimension as an attribute; counts of a filtered dimension come from an extra
//! query without its filter, sent in the same multi-search request.

use super::{any_of, document_key, facet_values, MeiliIndex, Planned, MAX_TOTAL_HITS, RANKING_RULES};
use crate::organisation_query::{OrganisationQuery, OrganisationSort};
use crate::search::highlight::ParsedQuery;
use crate::search::organisations::{assemble_organisation_facets, OrganisationDimension};
use crate::search::{hit, OrganisationDocument, OrganisationResults, SearchError};
use crate::text::tokenize;
use meilisearch_sdk::settings::{PaginationSetting, Settings};
use serde::{Deserialize, Serialize};

/// What Meilisearch stores for one organisation.
#[derive(Debug, Serialize)]
pub(super) struct MeiliOrganisation<'a> {
    /// The primary key: the external id in hex.
    key: String,
    external_id: &'a str,
    name: &'a str,
    body: &'a str,
    kind: &'static str,
    country: &'a str,
    region: Option<&'a str>,
    /// [`OrganisationDocument::region_areas`]: what the region filter matches.
    region_areas: Vec<String>,
    size: Option<&'static str>,
    capabilities: &'a [String],
    sectors: &'a [String],
    certifications: &'a [String],
    clusters: &'a [String],
    dual_use: bool,
    name_key: String,
    headcount: i64,
}

impl<'a> MeiliOrganisation<'a> {
    pub(super) fn new(org: &'a OrganisationDocument) -> MeiliOrganisation<'a> {
        MeiliOrganisation {
            key: document_key(&org.external_id),
            external_id: &org.external_id,
            name: &org.name,
            body: &org.body,
            kind: org.kind.as_str(),
            country: &org.country,
            region: org.region.as_deref(),
            region_areas: org.region_areas(),
            size: org.size.map(|s| s.as_str()),
            capabilities: &org.capabilities,
            sectors: &org.sectors,
            certifications: &org.certifications,
            clusters: &org.clusters,
            dual_use: org.dual_use,
            name_key: org.name_key(),
            headcount: org.headcount_key(),
        }
    }
}

/// The fields a search reads back.
#[derive(Debug, Deserialize)]
struct Found {
    external_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    body: String,
}

const RETRIEVED: [&str; 3] = ["external_id", "name", "body"];

/// The organisations index's settings.
pub(super) fn settings() -> Settings {
    let mut filterable: Vec<&str> = OrganisationDimension::ALL.iter().map(|d| d.name()).collect();
    filterable.extend([OrganisationDimension::Region.filter_name(), "dual_use"]);
    Settings::new()
        .with_searchable_attributes(["name", "body"])
        .with_filterable_attributes(filterable)
        .with_sortable_attributes(["name_key", "headcount"])
        .with_ranking_rules(RANKING_RULES)
        .with_pagination(PaginationSetting {
            max_total_hits: MAX_TOTAL_HITS,
        })
}

/// Every filter of `query` except `skip`'s, joined with AND.
fn filter_without(query: &OrganisationQuery, skip: Option<OrganisationDimension>) -> String {
    let mut filters: Vec<String> = OrganisationDimension::ALL
        .into_iter()
        .filter(|dimension| Some(*dimension) != skip)
        .filter_map(|dimension| any_of(dimension.filter_name(), &dimension.chosen(query)))
        .collect();
    if query.dual_use {
        filters.push("dual_use = true".to_owned());
    }
    filters
        .iter()
        .map(|f| format!("({f})"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

impl MeiliIndex {
    /// Searches the organisations: the page with every dimension's counts, then a count query
    /// per filtered dimension.
    pub(super) async fn search_organisation_index(
        &self,
        query: &OrganisationQuery,
    ) -> Result<OrganisationResults, SearchError> {
        let parsed = ParsedQuery::parse(&query.text, tokenize);
        let text = if parsed.is_empty() { "" } else { query.text.trim() };
        let mut planned = vec![Planned {
            filter: filter_without(query, None),
            sort: match query.effective_sort() {
                OrganisationSort::Relevance => vec![],
                OrganisationSort::Name => vec!["name_key:asc"],
                OrganisationSort::Size => vec!["headcount:desc"],
            },
            facets: OrganisationDimension::ALL.iter().map(|d| d.name()).collect(),
            page: query.page.max(1) as usize,
            hits_per_page: query.per_page as usize,
        }];
        let mut counted_at = Vec::new();
        for dimension in OrganisationDimension::ALL {
            if dimension.chosen(query).is_empty() {
                counted_at.push(0);
            } else {
                counted_at.push(planned.len());
                planned.push(Planned::count(
                    filter_without(query, Some(dimension)),
                    vec![dimension.name()],
                ));
            }
        }
        let results = self
            .run::<Found>(&self.organisations, text, &planned, &RETRIEVED)
            .await?;
        let raw = OrganisationDimension::ALL
            .iter()
            .zip(counted_at)
            .map(|(dimension, at)| facet_values(&results[at], dimension.name()))
            .collect();
        let first = results
            .into_iter()
            .next()
            .ok_or_else(|| SearchError::Index("meilisearch answered no query".into()))?;
        Ok(OrganisationResults {
            total: first.total_hits.unwrap_or_default() as u64,
            hits: first
                .hits
                .into_iter()
                .map(|h| hit(h.result.external_id, &h.result.name, &h.result.body, &parsed))
                .collect(),
            facets: assemble_organisation_facets(query, raw),
        })
    }
}
