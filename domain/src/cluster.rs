//! Clusters: groups of organisations in one or more regions, with a civil/defence profile.

use crate::codes::{CountryCode, NutsCode};
use serde::{Deserialize, Serialize};

/// A cluster's civil–military profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DualUseProfile {
    /// Civil markets only.
    Civil,
    /// Defence and security markets.
    Defence,
    /// Both (dual-use).
    Both,
}

impl DualUseProfile {
    /// The value used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            DualUseProfile::Civil => "civil",
            DualUseProfile::Defence => "defence",
            DualUseProfile::Both => "both",
        }
    }

    /// Parses the storage form.
    pub fn parse(value: &str) -> Option<Self> {
        [DualUseProfile::Civil, DualUseProfile::Defence, DualUseProfile::Both]
            .into_iter()
            .find(|profile| profile.as_str() == value)
    }
}

/// A cluster as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Stable public identifier (a slug).
    pub external_id: String,
    /// Name.
    pub name: String,
    /// Home country (ISO 3166 alpha-2).
    pub country: CountryCode,
    /// Home NUTS region.
    pub nuts_code: Option<NutsCode>,
    /// Thematic focus.
    pub focus: String,
    /// Civil–military profile.
    pub dual_use_profile: DualUseProfile,
    /// Networks the cluster belongs to (e.g. a defence-related regions network).
    pub networks: Vec<String>,
    /// What the cluster does.
    pub description: String,
}

/// A cluster's identifier and name, as lists and facets show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRef {
    /// The cluster's external id.
    pub external_id: String,
    /// Its name.
    pub name: String,
}

/// A member of a cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterMember {
    /// The cluster's external id.
    pub cluster_id: String,
    /// The organisation's external id.
    pub organisation_id: String,
    /// Role in the cluster (member, board, coordinator, …).
    pub role: String,
}
