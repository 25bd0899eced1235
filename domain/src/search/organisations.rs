//! Where organisations are searched (the partner directory): the document every engine
//! indexes for an organisation, its facet dimensions, and how engines' raw counts become
//! the facets people see. Filters combine as for calls: any value within a dimension, all
//! dimensions together; a filtered dimension is counted without its own filter.

use super::{nuts_lineage, with_chosen, FacetValue, SearchHit};
use crate::codes::NutsCode;
use crate::organisation::{OrganisationDetail, OrganisationKind, SizeClass};
use crate::organisation_query::{OrganisationFacets, OrganisationQuery};
use crate::taxonomy;
use serde::{Deserialize, Serialize};

/// What the index holds for one organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationDocument {
    /// The organisation's public identifier.
    pub external_id: String,
    /// Name.
    pub name: String,
    /// Searchable text besides the name: description, capability, sector and certification
    /// labels, and the names of its clusters.
    pub body: String,
    /// Kind.
    pub kind: OrganisationKind,
    /// Country (ISO 3166 alpha-2).
    pub country: String,
    /// Its NUTS region, when known.
    pub region: Option<String>,
    /// Size class, for enterprises.
    pub size: Option<SizeClass>,
    /// Staff headcount (the size sort), when known.
    pub headcount: Option<i32>,
    /// Capability codes.
    pub capabilities: Vec<String>,
    /// Sector codes.
    pub sectors: Vec<String>,
    /// Certification codes.
    pub certifications: Vec<String>,
    /// External ids of its clusters.
    pub clusters: Vec<String>,
    /// Interested in dual-use work.
    pub dual_use: bool,
}

impl OrganisationDocument {
    /// The document for a stored organisation.
    pub fn from_detail(detail: &OrganisationDetail) -> OrganisationDocument {
        // The index answers anyone: it holds only what the public may see.
        let org = &detail.organisation.clone().as_seen_by(crate::profile::Audience::Public);
        let labels = |codes: &[String], vocabulary: &[taxonomy::Term]| -> Vec<String> {
            codes
                .iter()
                .map(|code| taxonomy::label(vocabulary, code).to_owned())
                .collect()
        };
        let mut body = vec![org.description.clone()];
        body.extend(labels(&org.capabilities, taxonomy::CAPABILITY_TERMS));
        body.extend(labels(&org.sectors, taxonomy::SECTORS));
        body.extend(labels(&org.certifications, taxonomy::CERTIFICATIONS));
        body.extend(detail.clusters.iter().map(|c| c.name.clone()));
        OrganisationDocument {
            external_id: org.external_id.clone(),
            name: org.name.clone(),
            body: body.join("\n"),
            kind: org.kind,
            country: org.country.to_string(),
            region: org.nuts_code.as_ref().map(NutsCode::to_string),
            size: org.size_class,
            headcount: org.headcount,
            capabilities: taxonomy::with_domains(&org.capabilities),
            sectors: org.sectors.clone(),
            certifications: org.certifications.clone(),
            clusters: detail.clusters.iter().map(|c| c.external_id.clone()).collect(),
            dual_use: org.dual_use,
        }
    }

    /// The name sort key: the name's words as the index folds them (lower case, accents
    /// off: "S.à r.l." → `s a r l`), then the id the same way — plain ASCII, so every engine
    /// orders it alike (Meilisearch folds accents in sort values too), and equal names tie-break.
    pub fn name_key(&self) -> String {
        crate::text::name_key(&self.name, &self.external_id)
    }

    /// The headcount sort key (unknown sorts last).
    pub fn headcount_key(&self) -> i64 {
        self.headcount.map_or(-1, i64::from)
    }

    /// The values the region filter matches: its region and the areas containing it, down
    /// to NUTS 1 (a filter on FRH finds an organisation in FRH0).
    pub fn region_areas(&self) -> Vec<String> {
        self.region
            .as_deref()
            .map(|code| areas_of(code).map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// The document's values in one dimension, as counted.
    pub(crate) fn values(&self, dimension: OrganisationDimension) -> Vec<String> {
        match dimension {
            OrganisationDimension::Kind => vec![self.kind.as_str().to_owned()],
            OrganisationDimension::Country => vec![self.country.clone()],
            OrganisationDimension::Region => self.region.iter().cloned().collect(),
            OrganisationDimension::Capability => self.capabilities.clone(),
            OrganisationDimension::Sector => self.sectors.clone(),
            OrganisationDimension::Size => self.size.iter().map(|s| s.as_str().to_owned()).collect(),
            OrganisationDimension::Certification => self.certifications.clone(),
            OrganisationDimension::Cluster => self.clusters.clone(),
        }
    }
}

/// The areas a region lies in, itself included: its NUTS levels 1 to 3 (the country is a
/// filter of its own). A region filter finds the organisations whose region has a chosen area.
pub(crate) fn areas_of(region: &str) -> impl Iterator<Item = &str> {
    nuts_lineage(region).filter(|area| area.len() > 2)
}

/// A facet dimension of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrganisationDimension {
    Kind,
    Country,
    Region,
    Capability,
    Sector,
    Size,
    Certification,
    Cluster,
}

impl OrganisationDimension {
    /// Every dimension, in the order [`assemble_organisation_facets`] reads them.
    pub(crate) const ALL: [OrganisationDimension; 8] = [
        OrganisationDimension::Kind,
        OrganisationDimension::Country,
        OrganisationDimension::Region,
        OrganisationDimension::Capability,
        OrganisationDimension::Sector,
        OrganisationDimension::Size,
        OrganisationDimension::Certification,
        OrganisationDimension::Cluster,
    ];

    /// The name engines store the counted values under.
    pub(crate) fn name(self) -> &'static str {
        match self {
            OrganisationDimension::Kind => "kind",
            OrganisationDimension::Country => "country",
            OrganisationDimension::Region => "region",
            OrganisationDimension::Capability => "capabilities",
            OrganisationDimension::Sector => "sectors",
            OrganisationDimension::Size => "size",
            OrganisationDimension::Certification => "certifications",
            OrganisationDimension::Cluster => "clusters",
        }
    }

    /// The name engines filter on: the counted values, except for regions, whose filter
    /// also matches the regions inside the one chosen ([`OrganisationDocument::region_areas`]).
    pub(crate) fn filter_name(self) -> &'static str {
        match self {
            OrganisationDimension::Region => "region_areas",
            other => other.name(),
        }
    }

    /// The values `query` chose in this dimension (any of them matches).
    pub(crate) fn chosen(self, query: &OrganisationQuery) -> Vec<String> {
        match self {
            OrganisationDimension::Kind => query.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            OrganisationDimension::Country => query.countries.clone(),
            OrganisationDimension::Region => query.regions.clone(),
            OrganisationDimension::Capability => query.capabilities.clone(),
            OrganisationDimension::Sector => query.sectors.clone(),
            OrganisationDimension::Size => query.sizes.iter().map(|s| s.as_str().to_owned()).collect(),
            OrganisationDimension::Certification => query.certifications.clone(),
            OrganisationDimension::Cluster => query.clusters.clone(),
        }
    }
}

/// What an organisation search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationResults {
    /// This page of hits, best first (or in the requested order).
    pub hits: Vec<SearchHit>,
    /// How many organisations match in all.
    pub total: u64,
    /// Facet counts over all matching organisations.
    pub facets: OrganisationFacets,
}

/// The facets from an engine's raw counts per dimension, in [`OrganisationDimension::ALL`]
/// order: most frequent first (ties by value), sizes smallest first; chosen values stay
/// listed even at zero, so they can be unticked.
pub(crate) fn assemble_organisation_facets(query: &OrganisationQuery, raw: Vec<Vec<FacetValue>>) -> OrganisationFacets {
    let mut raw = raw.into_iter();
    let mut next = |dimension: OrganisationDimension| {
        let mut values = with_chosen(raw.next().unwrap_or_default(), &dimension.chosen(query));
        if dimension == OrganisationDimension::Size {
            values.sort_by_key(|f| {
                SizeClass::ALL
                    .iter()
                    .position(|s| s.as_str() == f.value)
                    .unwrap_or(usize::MAX)
            });
        }
        values
    };
    use OrganisationDimension as D;
    OrganisationFacets {
        kind: next(D::Kind),
        country: next(D::Country),
        region: next(D::Region),
        capability: next(D::Capability),
        sector: next(D::Sector),
        size: next(D::Size),
        certification: next(D::Certification),
        cluster: next(D::Cluster),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::Organisation;

    #[test]
    fn a_regions_filter_values_run_up_to_nuts_1() {
        let detail = OrganisationDetail {
            organisation: Organisation {
                external_id: "a".into(),
                name: "Aegis SAS".into(),
                kind: OrganisationKind::Sme,
                country: "FR".parse().unwrap(),
                nuts_code: Some("FRH01".parse().unwrap()),
                size_class: None,
                headcount: None,
                website: None,
                description: "Audits.".into(),
                dual_use: false,
                capabilities: vec!["assurance".into()],
                sectors: vec![],
                certifications: vec!["iso27001".into()],
                profile: Default::default(),
            },
            clusters: vec![],
        };
        let doc = OrganisationDocument::from_detail(&detail);
        assert_eq!(doc.region_areas(), vec!["FRH01", "FRH0", "FRH"]);
        assert!(doc.body.contains("Assurance, Audit, and Certification") && doc.body.contains("ISO/IEC 27001"));
        assert_eq!(doc.headcount_key(), -1);
    }

    #[test]
    fn sizes_keep_their_scale_and_chosen_values_stay_listed() {
        let query = OrganisationQuery {
            sectors: vec!["space".into()],
            ..OrganisationQuery::default()
        };
        let count = |value: &str, count: u64| FacetValue {
            value: value.into(),
            count,
        };
        let mut raw = vec![Vec::new(); OrganisationDimension::ALL.len()];
        raw[4] = vec![count("health", 3), count("energy", 3)];
        raw[5] = vec![count("medium", 9), count("micro", 1)];
        let facets = assemble_organisation_facets(&query, raw);
        assert_eq!(facets.size, vec![count("micro", 1), count("medium", 9)]);
        assert_eq!(
            facets.sector,
            vec![count("energy", 3), count("health", 3), count("space", 0)]
        );
    }
}
