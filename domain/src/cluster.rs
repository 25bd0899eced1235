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

    /// Every profile, in the order filters list them.
    pub const ALL: [DualUseProfile; 3] = [DualUseProfile::Civil, DualUseProfile::Defence, DualUseProfile::Both];

    /// Parses the storage form.
    pub fn parse(value: &str) -> Option<Self> {
        DualUseProfile::ALL
            .into_iter()
            .find(|profile| profile.as_str() == value)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            DualUseProfile::Civil => "Civil",
            DualUseProfile::Defence => "Defence and security",
            DualUseProfile::Both => "Dual-use (civil and defence)",
        }
    }
}

/// What the cluster list is filtered by, as its URL holds it (`?region=FRH&profile=both&q=space`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterQuery {
    /// Words its name or focus must contain (empty: any).
    pub text: String,
    /// A NUTS area its home region lies in (empty: anywhere).
    pub region: String,
    /// Its civil–military profile (none: any).
    pub profile: Option<DualUseProfile>,
}

impl ClusterQuery {
    /// The query a URL's pairs describe: unknown keys and values ignored, text bounded.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ClusterQuery {
        let mut query = ClusterQuery::default();
        for (key, value) in pairs {
            match key {
                "q" => query.text = crate::sanitize::clean_line(value, crate::sanitize::MAX_TEXT_CHARS),
                "region" => {
                    query.region = crate::codes::NutsCode::parse(&value.trim().to_uppercase())
                        .map(|code| code.to_string())
                        .unwrap_or_default()
                }
                "profile" => query.profile = DualUseProfile::parse(value),
                _ => {}
            }
        }
        query
    }

    /// Whether `cluster` passes the filters.
    pub fn admits(&self, cluster: &Cluster) -> bool {
        let text = self.text.to_lowercase();
        let words_found = text
            .split_whitespace()
            .all(|word| cluster.name.to_lowercase().contains(word) || cluster.focus.to_lowercase().contains(word));
        let in_region = self.region.is_empty()
            || cluster
                .nuts_code
                .as_ref()
                .is_some_and(|code| code.as_str().starts_with(&self.region))
            || cluster.country.as_str() == self.region;
        words_found && in_region && self.profile.is_none_or(|profile| profile == cluster.dual_use_profile)
    }
}

/// One cluster in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterCard {
    /// The cluster.
    pub cluster: Cluster,
    /// Where it is, as people read it.
    pub place: String,
    /// How many organisations belong to it.
    pub members: u64,
}

/// One cluster's page: its members and the calls they could lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterPage {
    /// The cluster, where it is and how many belong to it.
    pub card: ClusterCard,
    /// Its members (as the viewer may see them), by name, with their role in the cluster.
    pub members: Vec<(crate::organisation::OrganisationDetail, String)>,
    /// Open and forthcoming calls touching its members' capabilities.
    pub calls: Vec<crate::call::CallSummary>,
    /// The instant statuses were derived at.
    pub now: chrono::DateTime<chrono::Utc>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(nuts: &str, profile: DualUseProfile) -> Cluster {
        Cluster {
            external_id: "c".into(),
            name: "Bretagne Cyber Cluster".into(),
            country: CountryCode::parse(&nuts[..2]).unwrap(),
            nuts_code: Some(NutsCode::parse(nuts).unwrap()),
            focus: "Maritime cybersecurity and space".into(),
            dual_use_profile: profile,
            networks: vec![],
            description: String::new(),
        }
    }

    #[test]
    fn the_list_filters_by_words_area_and_profile_from_its_url() {
        let query = ClusterQuery::from_pairs([("q", "maritime"), ("region", "frh"), ("profile", "both"), ("x", "y")]);
        assert_eq!(query.region, "FRH");
        assert!(query.admits(&cluster("FRH0", DualUseProfile::Both)));
        assert!(!query.admits(&cluster("FRH0", DualUseProfile::Civil)));
        assert!(!query.admits(&cluster("FR10", DualUseProfile::Both)));
        let country = ClusterQuery::from_pairs([("region", "FR")]);
        assert!(country.admits(&cluster("FR10", DualUseProfile::Civil)));
        let junk = ClusterQuery::from_pairs([("region", "<script>"), ("profile", "pirate")]);
        assert_eq!(junk, ClusterQuery::default());
        assert!(!ClusterQuery::from_pairs([("q", "drones")]).admits(&cluster("FRH0", DualUseProfile::Both)));
    }
}
