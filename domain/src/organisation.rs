//! Organisations: SMEs, large enterprises, research organisations, authorities, investors.

use crate::cluster::ClusterRef;
use crate::codes::{CountryCode, NutsCode, OrganisationId};
use crate::sanitize::{check_link, check_text};
use crate::taxonomy;
use serde::{Deserialize, Serialize};

/// What kind of organisation this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// Small or medium-sized enterprise (EU SME definition).
    Sme,
    /// Large enterprise.
    LargeEnterprise,
    /// Research and technology organisation.
    ResearchOrganisation,
    /// University or higher-education institution.
    University,
    /// Public authority (national, regional, local).
    PublicAuthority,
    /// Cluster organisation.
    ClusterOrganisation,
    /// Investor or financial intermediary.
    Investor,
}

impl OrganisationKind {
    /// Every kind.
    pub const ALL: [OrganisationKind; 7] = [
        OrganisationKind::Sme,
        OrganisationKind::LargeEnterprise,
        OrganisationKind::ResearchOrganisation,
        OrganisationKind::University,
        OrganisationKind::PublicAuthority,
        OrganisationKind::ClusterOrganisation,
        OrganisationKind::Investor,
    ];

    /// The value used in URLs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Sme => "sme",
            OrganisationKind::LargeEnterprise => "large_enterprise",
            OrganisationKind::ResearchOrganisation => "research_organisation",
            OrganisationKind::University => "university",
            OrganisationKind::PublicAuthority => "public_authority",
            OrganisationKind::ClusterOrganisation => "cluster_organisation",
            OrganisationKind::Investor => "investor",
        }
    }

    /// Parses the storage form.
    pub fn parse(value: &str) -> Option<Self> {
        OrganisationKind::ALL.into_iter().find(|kind| kind.as_str() == value)
    }

    /// Whether organisations of this kind publish calls (authorities and agencies, banks and
    /// funds).
    pub fn publishes_calls(self) -> bool {
        matches!(self, OrganisationKind::PublicAuthority | OrganisationKind::Investor)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::Sme => "SME",
            OrganisationKind::LargeEnterprise => "Large enterprise",
            OrganisationKind::ResearchOrganisation => "Research organisation",
            OrganisationKind::University => "University",
            OrganisationKind::PublicAuthority => "Public authority",
            OrganisationKind::ClusterOrganisation => "Cluster organisation",
            OrganisationKind::Investor => "Investor",
        }
    }
}

/// Size class by the EU SME definition (Recommendation 2003/361/EC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    /// Fewer than 10 staff, turnover or balance sheet ≤ €2 m.
    Micro,
    /// Fewer than 50 staff, turnover or balance sheet ≤ €10 m.
    Small,
    /// Fewer than 250 staff, turnover ≤ €50 m or balance sheet ≤ €43 m.
    Medium,
    /// Anything larger.
    Large,
}

impl SizeClass {
    /// The value used in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            SizeClass::Micro => "micro",
            SizeClass::Small => "small",
            SizeClass::Medium => "medium",
            SizeClass::Large => "large",
        }
    }

    /// Every class, smallest first.
    pub const ALL: [SizeClass; 4] = [SizeClass::Micro, SizeClass::Small, SizeClass::Medium, SizeClass::Large];

    /// Parses the storage form.
    pub fn parse(value: &str) -> Option<Self> {
        SizeClass::ALL.into_iter().find(|class| class.as_str() == value)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            SizeClass::Micro => "Micro (< 10 staff)",
            SizeClass::Small => "Small (< 50 staff)",
            SizeClass::Medium => "Medium (< 250 staff)",
            SizeClass::Large => "Large",
        }
    }

    /// Classifies by headcount and the better of turnover and balance sheet (in euro).
    pub fn classify(headcount: u32, turnover_eur: u64, balance_sheet_eur: u64) -> SizeClass {
        let within = |staff: u32, turnover: u64, balance: u64| {
            headcount < staff && (turnover_eur <= turnover || balance_sheet_eur <= balance)
        };
        if within(10, 2_000_000, 2_000_000) {
            SizeClass::Micro
        } else if within(50, 10_000_000, 10_000_000) {
            SizeClass::Small
        } else if within(250, 50_000_000, 43_000_000) {
            SizeClass::Medium
        } else {
            SizeClass::Large
        }
    }
}

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Stable public identifier (a slug).
    pub external_id: String,
    /// Legal or usual name.
    pub name: String,
    /// Kind.
    pub kind: OrganisationKind,
    /// Country (ISO 3166 alpha-2, `EL` for Greece).
    pub country: CountryCode,
    /// NUTS region, when known.
    pub nuts_code: Option<NutsCode>,
    /// Size class, for enterprises.
    pub size_class: Option<SizeClass>,
    /// Staff headcount, when known.
    pub headcount: Option<i32>,
    /// Website.
    pub website: Option<String>,
    /// What the organisation does.
    pub description: String,
    /// Interest in civil–military (dual-use) work.
    pub dual_use: bool,
    /// What it can do: codes of [`taxonomy::CAPABILITY_TERMS`] (research domains and sub-domains).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// Sectors it serves: codes of [`taxonomy::SECTORS`].
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Certifications it holds: codes of [`taxonomy::CERTIFICATIONS`].
    #[serde(default)]
    pub certifications: Vec<String>,
    /// The rest of its profile, as its editors gave it.
    #[serde(default)]
    pub profile: crate::profile::ProfileDetails,
}

/// An organisation with the clusters it belongs to, as profiles and the index show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationDetail {
    /// The organisation.
    pub organisation: Organisation,
    /// Its clusters, by name.
    pub clusters: Vec<ClusterRef>,
}

impl Organisation {
    /// Why this organisation cannot be stored as it is, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        OrganisationId::parse(&self.external_id).map_err(|error| error.to_string())?;
        if self.name.trim().is_empty() {
            return Err(format!("{}: the name is empty", self.external_id));
        }
        if let Some(code) = &self.nuts_code {
            if code.country() != self.country {
                return Err(format!(
                    "{}: {code} is not a NUTS region of {}",
                    self.external_id, self.country
                ));
            }
        }
        for (field, codes, vocabulary) in [
            ("capability", &self.capabilities, taxonomy::CAPABILITY_TERMS),
            ("sector", &self.sectors, taxonomy::SECTORS),
            ("certification", &self.certifications, taxonomy::CERTIFICATIONS),
        ] {
            if let Some(unknown) = codes.iter().find(|code| !taxonomy::contains(vocabulary, code)) {
                return Err(format!("{}: unknown {field} {unknown:?}", self.external_id));
            }
        }
        let id = &self.external_id;
        let in_record = |error: String| format!("{id}: {error}");
        check_text("name", &self.name, false).map_err(in_record)?;
        check_text("description", &self.description, true).map_err(in_record)?;
        self.website
            .as_deref()
            .map_or(Ok(()), |url| check_link("website", url))
            .map_err(in_record)
    }
}

/// The longest description a person may type for their organisation.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// What a person types to add their organisation to the directory (the profile's other
/// fields are edited afterwards).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOrganisationForm {
    /// Legal or usual name.
    pub name: String,
    /// Its kind, as [`OrganisationKind::as_str`] writes it.
    pub kind: String,
    /// Its country code (`PT`).
    pub country: String,
    /// Its NUTS region (`PT11`; empty: not said). A public authority records its region's
    /// smart-specialisation priorities.
    #[serde(default)]
    pub region: String,
    /// Its website (empty: none).
    pub website: String,
    /// What it does.
    pub description: String,
}

impl NewOrganisationForm {
    /// The organisation this form describes, under `external_id`, or what to fix.
    pub fn to_organisation(&self, external_id: &str) -> Result<Organisation, String> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > crate::sanitize::MAX_TEXT_CHARS {
            return Err(format!(
                "the name must have 1 to {} characters",
                crate::sanitize::MAX_TEXT_CHARS
            ));
        }
        let kind = OrganisationKind::parse(&self.kind).ok_or("choose what kind of organisation it is")?;
        // The messages do not repeat what was typed: a form answers in its own words.
        let country = CountryCode::parse(self.country.trim())
            .map_err(|_| "choose a country (a two-letter code such as PT or EL)".to_owned())?;
        let region = self.region.trim();
        let nuts_code = if region.is_empty() {
            None
        } else {
            let code = NutsCode::parse(&region.to_uppercase())
                .ok()
                .filter(|code| code.is_region() && code.country() == country)
                .ok_or("the region must be a NUTS code of the chosen country (such as PT11), or empty")?;
            Some(code)
        };
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(format!(
                "the description must have at most {MAX_DESCRIPTION_CHARS} characters"
            ));
        }
        let website = Some(self.website.trim().to_owned()).filter(|url| !url.is_empty());
        if website
            .as_deref()
            .is_some_and(|url| !crate::sanitize::is_http_url(url) || url.chars().count() > 300)
        {
            return Err(
                "the website must be one address starting with https:// or http:// (at most 300 characters)".into(),
            );
        }
        let organisation = Organisation {
            external_id: external_id.to_owned(),
            name: name.to_owned(),
            kind,
            country,
            nuts_code,
            size_class: None,
            headcount: None,
            website,
            description: self.description.trim().to_owned(),
            dual_use: false,
            capabilities: Vec::new(),
            sectors: Vec::new(),
            certifications: Vec::new(),
            profile: crate::profile::ProfileDetails::default(),
        };
        // The record's rules name the record; the person filling the form knows which one.
        let prefix = format!("{external_id}: ");
        organisation
            .validate()
            .map_err(|error| error.strip_prefix(&prefix).map_or(error.clone(), str::to_owned))?;
        Ok(organisation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_organisations_region_must_lie_in_its_country() {
        let form = |region: &str| NewOrganisationForm {
            name: "Région Bretagne".into(),
            kind: "public_authority".into(),
            country: "FR".into(),
            region: region.into(),
            ..NewOrganisationForm::default()
        };
        let placed = form(" frh0 ").to_organisation("region-bretagne").unwrap();
        assert_eq!(placed.nuts_code.map(|code| code.to_string()).as_deref(), Some("FRH0"));
        assert_eq!(form("").to_organisation("region-bretagne").unwrap().nuts_code, None);
        for wrong in ["PT11", "FR", "<b>", "FRH0123"] {
            let error = form(wrong).to_organisation("region-bretagne").unwrap_err();
            assert!(error.contains("NUTS code of the chosen country"), "{wrong}: {error}");
        }
    }

    #[test]
    fn a_twelve_person_company_with_two_million_turnover_is_small() {
        assert_eq!(SizeClass::classify(12, 2_000_000, 1_500_000), SizeClass::Small);
        assert_eq!(SizeClass::classify(9, 1_000_000, 5_000_000), SizeClass::Micro);
        assert_eq!(SizeClass::classify(240, 60_000_000, 40_000_000), SizeClass::Medium);
        assert_eq!(SizeClass::classify(240, 60_000_000, 50_000_000), SizeClass::Large);
        assert_eq!(SizeClass::classify(300, 1, 1), SizeClass::Large);
    }
}
