//! Clusters: groups of organisations in one or more regions, with a civil/defence profile.

use crate::codes::{CountryCode, NutsCode};
use crate::publishing::{check_length, FieldError};
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
    /// Whether the viewer runs this cluster (edits it, invites, accepts and removes members).
    pub manages: bool,
    /// Invitations and applications the viewer may see: all of them for its managers, those
    /// of the viewer's own organisations for anyone else.
    pub requests: Vec<ClusterRequest>,
    /// The organisations the viewer edits that could ask to join (identifier, name).
    pub may_ask: Vec<(String, String)>,
    /// The members the viewer speaks for (they may take them out).
    pub own_members: Vec<String>,
}

/// Which side asked for a pending cluster membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterRequestKind {
    /// The cluster's managers invited the organisation; its editors decide.
    Invitation,
    /// The organisation asked to join; the cluster's managers decide.
    Application,
}

impl ClusterRequestKind {
    /// The value used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterRequestKind::Invitation => "invitation",
            ClusterRequestKind::Application => "application",
        }
    }

    /// Parses the storage form.
    pub fn parse(value: &str) -> Option<Self> {
        [ClusterRequestKind::Invitation, ClusterRequestKind::Application]
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
}

/// An invitation or application waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRequest {
    /// Its row.
    pub id: i64,
    /// The cluster's external id.
    pub cluster_id: String,
    /// The cluster's name.
    pub cluster_name: String,
    /// The organisation's external id.
    pub organisation_id: String,
    /// The organisation's name.
    pub organisation_name: String,
    /// Who asked.
    pub kind: ClusterRequestKind,
    /// What the asking side wrote.
    pub message: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A cluster's page as its managers open it for editing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterEditor {
    /// The cluster's external id.
    pub external_id: String,
    /// Its home country (regions must lie in it).
    pub country: String,
    /// The form, filled from the stored cluster.
    pub form: ClusterForm,
}

/// The longest cluster name.
pub const MAX_CLUSTER_NAME_CHARS: usize = 120;
/// The longest focus line.
pub const MAX_FOCUS_CHARS: usize = 200;
/// The longest description.
pub const MAX_CLUSTER_DESCRIPTION_CHARS: usize = 4_000;
/// The most networks a cluster lists.
pub const MAX_NETWORKS: usize = 12;

/// A cluster's page as its managers edit it; every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterForm {
    /// Its name.
    pub name: String,
    /// Its thematic focus, one line.
    pub focus: String,
    /// What it does.
    pub description: String,
    /// Its home NUTS region (empty: the country only).
    pub region: String,
    /// Its civil–military profile (`civil`, `defence`, `both`).
    pub profile: String,
    /// Networks it belongs to, one per line.
    pub networks: String,
}

impl ClusterForm {
    /// The form filled from `cluster`.
    pub fn from_cluster(cluster: &Cluster) -> ClusterForm {
        ClusterForm {
            name: cluster.name.clone(),
            focus: cluster.focus.clone(),
            description: cluster.description.clone(),
            region: cluster.nuts_code.as_ref().map(NutsCode::to_string).unwrap_or_default(),
            profile: cluster.dual_use_profile.as_str().to_owned(),
            networks: cluster.networks.join("\n"),
        }
    }

    /// The networks, one per non-empty line, trimmed.
    fn network_lines(&self) -> Vec<String> {
        self.networks
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// What is wrong with the form for a cluster in `country`, each on its field; never
    /// echoes what was typed.
    pub fn mistakes(&self, country: &CountryCode) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new("name", "Give the cluster's name."));
        } else {
            check_length(&mut errors, "name", self.name.trim(), MAX_CLUSTER_NAME_CHARS, false);
        }
        check_length(&mut errors, "focus", self.focus.trim(), MAX_FOCUS_CHARS, false);
        check_length(
            &mut errors,
            "description",
            &self.description,
            MAX_CLUSTER_DESCRIPTION_CHARS,
            true,
        );
        let region = self.region.trim();
        if !region.is_empty() {
            match NutsCode::parse(&region.to_uppercase()) {
                Ok(code) if code.as_str().starts_with(country.as_str()) => {}
                Ok(_) => errors.push(FieldError::new(
                    "region",
                    format!("Pick a region in the cluster's country ({country})."),
                )),
                Err(_) => errors.push(FieldError::new("region", "Give a NUTS code such as FRH0.")),
            }
        }
        if DualUseProfile::parse(&self.profile).is_none() {
            errors.push(FieldError::new("profile", "Pick civil, defence or dual-use."));
        }
        if self.networks.chars().count() > MAX_NETWORKS * MAX_CLUSTER_NAME_CHARS {
            errors.push(FieldError::new("networks", "The list of networks is too long."));
        } else {
            let lines = self.network_lines();
            if lines.len() > MAX_NETWORKS {
                errors.push(FieldError::new(
                    "networks",
                    format!("List at most {MAX_NETWORKS} networks."),
                ));
            } else if lines.iter().any(|line| line.chars().count() > MAX_CLUSTER_NAME_CHARS) {
                errors.push(FieldError::new(
                    "networks",
                    format!("Keep each network under {MAX_CLUSTER_NAME_CHARS} characters."),
                ));
            } else {
                check_length(&mut errors, "networks", &self.networks, usize::MAX, true);
            }
        }
        errors
    }

    /// `cluster` with this (checked) form's values.
    pub fn apply_to(&self, cluster: &Cluster) -> Cluster {
        Cluster {
            name: self.name.trim().to_owned(),
            focus: self.focus.trim().to_owned(),
            description: self.description.trim().to_owned(),
            nuts_code: NutsCode::parse(&self.region.trim().to_uppercase()).ok(),
            dual_use_profile: DualUseProfile::parse(&self.profile).unwrap_or(cluster.dual_use_profile),
            networks: self.network_lines(),
            ..cluster.clone()
        }
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
    /// The organisation (public identifier) whose editors and managers run the cluster on the
    /// portal; none: only administrators.
    #[serde(default)]
    pub managed_by: Option<String>,
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
            managed_by: None,
        }
    }

    #[test]
    fn the_cluster_form_names_its_mistakes_and_applies_cleanly() {
        let original = cluster("FRH0", DualUseProfile::Civil);
        let mut form = ClusterForm::from_cluster(&original);
        assert!(
            form.mistakes(&original.country).is_empty(),
            "{:?}",
            form.mistakes(&original.country)
        );
        form.region = "DE21".into();
        form.profile = "pirate".into();
        form.name = " ".into();
        form.networks = (0..13).map(|i| format!("Network {i}\n")).collect();
        let fields: Vec<String> = form.mistakes(&original.country).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "region", "profile", "networks"]);
        let edited = ClusterForm {
            name: " Breizh Cyber ".into(),
            region: "frh0".into(),
            profile: "both".into(),
            networks: "ENDR\n\n  ECSO \n".into(),
            ..ClusterForm::from_cluster(&original)
        };
        assert!(edited.mistakes(&original.country).is_empty());
        let applied = edited.apply_to(&original);
        assert_eq!(applied.name, "Breizh Cyber");
        assert_eq!(applied.dual_use_profile, DualUseProfile::Both);
        assert_eq!(applied.networks, ["ENDR", "ECSO"]);
        assert_eq!(applied.external_id, original.external_id);
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
