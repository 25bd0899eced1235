//! A cluster's members imported from a spreadsheet (a CORDIS-style participants export, or
//! the cluster's own list): each column mapped to a field in the browser — guessed from its
//! header first — and each row read into an organisation to match by name and country, or to
//! add to the directory; the preview shows every row's outcome and mistakes by line, and
//! nothing is written until the manager confirms. Shared with the UI.

use crate::codes::{CountryCode, NutsCode};
use crate::organisation::{NewOrganisationForm, OrganisationKind};
use serde::{Deserialize, Serialize};

/// What a column of the sheet can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberField {
    /// The organisation's name (required).
    Name,
    /// Its country, as the EU writes it (ISO alpha-2 with `EL` and `UK`; `GR` and `GB` are
    /// understood; required).
    Country,
    /// Its NUTS region.
    Region,
    /// Its kind: ours (`sme`, `university`, …) or CORDIS activity types (PRC, REC, HES, PUB).
    Kind,
    /// Whether it is an SME (`true`/`yes`): a private company (PRC) is an SME or a large one.
    Sme,
    /// Its website.
    Website,
    /// Its role in the cluster (`member`, `board`, `coordinator`; anything else is `member`).
    Role,
}

impl MemberField {
    /// Every field, in the order the mapping lists them.
    pub const ALL: [MemberField; 7] = [
        MemberField::Name,
        MemberField::Country,
        MemberField::Region,
        MemberField::Kind,
        MemberField::Sme,
        MemberField::Website,
        MemberField::Role,
    ];

    /// The value used in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberField::Name => "name",
            MemberField::Country => "country",
            MemberField::Region => "region",
            MemberField::Kind => "kind",
            MemberField::Sme => "sme",
            MemberField::Website => "website",
            MemberField::Role => "role",
        }
    }

    /// The field named `value`.
    pub fn parse(value: &str) -> Option<MemberField> {
        MemberField::ALL.into_iter().find(|field| field.as_str() == value)
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            MemberField::Name => "Name",
            MemberField::Country => "Country",
            MemberField::Region => "NUTS region",
            MemberField::Kind => "Kind of organisation",
            MemberField::Sme => "SME (yes/no)",
            MemberField::Website => "Website",
            MemberField::Role => "Role in the cluster",
        }
    }

    /// The field a header names, if it names one (`legalName`, `nutsCode`, `activityType`,
    /// `organizationURL`, …), compared in lower case, letters and digits only.
    pub fn guess(header: &str) -> Option<MemberField> {
        let folded: String = header
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match folded.as_str() {
            "name" | "legalname" | "organisation" | "organization" | "organisationname" | "organizationname" => {
                MemberField::Name
            }
            "country" | "countrycode" => MemberField::Country,
            "nuts" | "nutscode" | "region" | "nuts2" | "nuts3" => MemberField::Region,
            "kind" | "type" | "activitytype" | "organisationtype" | "organizationtype" => MemberField::Kind,
            "sme" => MemberField::Sme,
            "website" | "url" | "organizationurl" | "organisationurl" | "web" => MemberField::Website,
            "role" | "clusterrole" => MemberField::Role,
            _ => return None,
        })
    }
}

/// How the columns are read: one field or none per column, and the kind of an organisation
/// whose row does not say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberMapping {
    /// The field of each column, in order (`None`: ignored).
    pub columns: Vec<Option<MemberField>>,
    /// The kind (as stored) of organisations whose kind is missing or `OTH`.
    pub default_kind: String,
}

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum MemberOutcome {
    /// An organisation of the directory, matched by name and country, joins.
    Joins {
        /// Its external id.
        organisation_id: String,
    },
    /// It is a member already: nothing changes.
    AlreadyMember {
        /// Its external id.
        organisation_id: String,
    },
    /// A new organisation is added to the directory and joins.
    Added,
    /// The row has mistakes and is left out.
    LeftOut {
        /// What is wrong, in order.
        errors: Vec<String>,
    },
}

/// One row of the preview or of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    /// Its line in the file (the column names are line 1).
    pub line: usize,
    /// The organisation's name as read (one line, bounded).
    pub name: String,
    /// Its country as read.
    pub country: String,
    /// What becomes of it.
    pub outcome: MemberOutcome,
}

/// The preview of an import (or, once confirmed, what it did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberImportPreview {
    /// The column names, each with the field it fills.
    pub columns: Vec<(String, Option<MemberField>)>,
    /// Every row read.
    pub rows: Vec<MemberRow>,
    /// Written: the import was confirmed and done.
    pub written: bool,
}

impl MemberImportPreview {
    /// How many rows have each outcome: joining from the directory, added new, already
    /// members, left out.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut counts = (0, 0, 0, 0);
        for row in &self.rows {
            match row.outcome {
                MemberOutcome::Joins { .. } => counts.0 += 1,
                MemberOutcome::Added => counts.1 += 1,
                MemberOutcome::AlreadyMember { .. } => counts.2 += 1,
                MemberOutcome::LeftOut { .. } => counts.3 += 1,
            }
        }
        counts
    }
}

/// One row read: the organisation it describes (checked as the "add an organisation" form
/// checks it) and its role in the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCandidate {
    /// The organisation as a new-organisation form.
    pub form: NewOrganisationForm,
    /// Its role in the cluster.
    pub role: String,
}

/// A country as spreadsheets write it, in the EU's codes Fundbridge keeps (`EL` for Greece,
/// `UK` for the United Kingdom; ISO's `GR` and `GB` are read as those).
fn country(cell: &str) -> Option<CountryCode> {
    CountryCode::parse_iso(cell).ok()
}

/// A kind as spreadsheets write it: ours, CORDIS activity types, or none (`default_kind`).
fn kind(cell: &str, sme: Option<bool>, default_kind: OrganisationKind) -> Option<OrganisationKind> {
    let value = cell.trim();
    if let Some(kind) = OrganisationKind::parse(&value.to_lowercase()) {
        return Some(kind);
    }
    Some(match value.to_uppercase().as_str() {
        "PRC" if sme == Some(false) => OrganisationKind::LargeEnterprise,
        "PRC" => OrganisationKind::Sme,
        "REC" => OrganisationKind::ResearchOrganisation,
        "HES" => OrganisationKind::University,
        "PUB" => OrganisationKind::PublicAuthority,
        "" | "OTH" => default_kind,
        _ => return None,
    })
}

/// Reads one row's `cells` with the columns' `fields`: the organisation and its role, or what
/// is wrong with the row (never repeating what was typed).
pub fn read_member(
    cells: &[String],
    fields: &[Option<MemberField>],
    default_kind: OrganisationKind,
) -> Result<MemberCandidate, Vec<String>> {
    let cell = |wanted: MemberField| -> &str {
        fields
            .iter()
            .position(|field| *field == Some(wanted))
            .and_then(|index| cells.get(index))
            .map_or("", |cell| cell.trim())
    };
    let mut errors = Vec::new();
    let name = crate::sanitize::clean_line(cell(MemberField::Name), crate::sanitize::MAX_TEXT_CHARS + 1);
    if name.is_empty() {
        errors.push("The name is missing.".to_owned());
    }
    let country = country(cell(MemberField::Country));
    if country.is_none() {
        errors.push("The country is missing or not a two-letter code such as PT or EL.".to_owned());
    }
    let sme = match cell(MemberField::Sme).to_lowercase().as_str() {
        "yes" | "true" | "1" | "y" | "x" => Some(true),
        "no" | "false" | "0" | "n" => Some(false),
        _ => None,
    };
    let kind = kind(cell(MemberField::Kind), sme, default_kind);
    if kind.is_none() {
        errors.push("The kind is not one Fundbridge knows (sme, university, PRC, REC, HES, PUB, …).".to_owned());
    }
    let region = cell(MemberField::Region).to_uppercase();
    // A NUTS 3 code is read as its region; anything that is no code of the country is dropped.
    let region = NutsCode::parse(region.get(..4).unwrap_or(&region))
        .ok()
        .filter(|code| code.is_region() && Some(code.country()) == country)
        .map(|code| code.to_string())
        .unwrap_or_default();
    let role = match cell(MemberField::Role).to_lowercase().as_str() {
        "board" => "board",
        "coordinator" => "coordinator",
        _ => "member",
    };
    let (Some(country), Some(kind)) = (country, kind) else {
        return Err(errors);
    };
    let form = NewOrganisationForm {
        name,
        kind: kind.as_str().to_owned(),
        country: country.to_string(),
        region,
        website: cell(MemberField::Website).to_owned(),
        description: String::new(),
    };
    // The form's own rules, as for an organisation added by hand.
    if let Err(error) = form.to_organisation("import-check") {
        errors.push(crate::sanitize::clean_line(&error, 200));
    }
    if errors.is_empty() {
        Ok(MemberCandidate {
            form,
            role: role.to_owned(),
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn cordis_headers_are_guessed_and_its_codes_understood() {
        let headers = [
            "projectID",
            "name",
            "SME",
            "activityType",
            "country",
            "nutsCode",
            "organizationURL",
            "role",
        ];
        let fields: Vec<Option<MemberField>> = headers.iter().map(|h| MemberField::guess(h)).collect();
        assert_eq!(
            fields,
            [
                None,
                Some(MemberField::Name),
                Some(MemberField::Sme),
                Some(MemberField::Kind),
                Some(MemberField::Country),
                Some(MemberField::Region),
                Some(MemberField::Website),
                Some(MemberField::Role)
            ]
        );
        let row = cells(&[
            "101",
            "Athena Labs",
            "false",
            "PRC",
            "EL",
            "EL303",
            "https://athena.example",
            "coordinator",
        ]);
        let member = read_member(&row, &fields, OrganisationKind::Sme).unwrap();
        assert_eq!(member.form.country, "EL");
        assert_eq!(member.form.kind, "large_enterprise");
        assert_eq!(member.form.region, "EL30");
        assert_eq!(member.role, "coordinator");
        let other = cells(&["", "Cluster Hub", "", "OTH", "GB", "", "", "participant"]);
        let member = read_member(&other, &fields, OrganisationKind::ClusterOrganisation).unwrap();
        assert_eq!(
            (
                member.form.kind.as_str(),
                member.form.country.as_str(),
                member.role.as_str()
            ),
            ("cluster_organisation", "UK", "member")
        );
    }

    #[test]
    fn a_row_with_mistakes_says_each_without_repeating_it() {
        let fields = [
            Some(MemberField::Name),
            Some(MemberField::Country),
            Some(MemberField::Kind),
            Some(MemberField::Website),
        ];
        let errors = read_member(
            &cells(&["", "<script>", "alien", "javascript:alert(1)"]),
            &fields,
            OrganisationKind::Sme,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().all(|e| !e.contains("<script>") && !e.contains("alien")));
        let bad_site = read_member(
            &cells(&["Lab", "PT", "sme", "javascript:alert(1)"]),
            &fields,
            OrganisationKind::Sme,
        )
        .unwrap_err();
        assert!(
            bad_site[0].contains("website") && !bad_site[0].contains("javascript"),
            "{bad_site:?}"
        );
    }
}
