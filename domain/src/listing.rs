//! What the two lists and a call's page show, as the services return them and the browser
//! receives them: a page of results with its facets, region names and whether it came from
//! the database because the search index was down.

use crate::cluster::ClusterRef;
use crate::geo::RegionNames;
use crate::organisation::OrganisationDetail;
use crate::organisation_query::OrganisationFacets;
use crate::query::{CallPage, Facets, SearchHit};
use crate::CallDetail;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One page of the call list with what the filter panel needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallListing {
    /// The calls.
    pub page: CallPage,
    /// The matched words of each call on the page, when searching.
    pub highlights: Vec<SearchHit>,
    /// Counts per filter value over all matching calls (status counts ignore the status filter).
    pub facets: Facets,
    /// The search index was unavailable: the list comes from the database, text matches titles only.
    pub degraded: bool,
    /// The instant statuses were derived at (so server and browser render alike).
    pub now: DateTime<Utc>,
    /// The names of the regions offered or chosen as filters.
    pub region_names: RegionNames,
}

/// One call for its page, with the instant its status was derived at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallView {
    /// The call.
    pub call: CallDetail,
    /// The instant its status was derived at.
    pub now: DateTime<Utc>,
    /// The names of its eligible regions.
    pub region_names: RegionNames,
    /// Its description (Markdown) rendered to HTML with nothing active left in it.
    pub description_html: String,
    /// Its funding body's material changes since publication, newest first.
    pub changes: Vec<crate::publishing::PublicChange>,
    /// The smart-specialisation priorities of its regions it serves.
    pub priorities: Vec<crate::smart_specialisation::ServedPriority>,
}

/// One page of the partner directory with what its filter panel needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationListing {
    /// The organisations on this page, with their clusters.
    pub items: Vec<OrganisationDetail>,
    /// The matched words of each, when searching.
    pub highlights: Vec<SearchHit>,
    /// How many organisations match in all.
    pub total: u64,
    /// Counts per filter value over all matching organisations.
    pub facets: OrganisationFacets,
    /// Every cluster's name, for the cluster filter's labels.
    pub clusters: Vec<ClusterRef>,
    /// The names of the regions offered or chosen as filters and of the organisations' regions.
    pub region_names: RegionNames,
    /// The search engine was unavailable: the page comes from the database, without counts,
    /// and words match names and descriptions as plain text.
    pub degraded: bool,
}
