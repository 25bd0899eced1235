//! Places: country names for the codes the EU writes (ISO 3166 alpha-2, with `EL` for Greece
//! and `UK` for the United Kingdom), region names (imported, see [`Region`]), and the labels
//! people read for either.

use crate::codes::NutsCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The country or region value of a call without that restriction (open to applicants from anywhere).
pub const ANYWHERE: &str = "*";

/// A NUTS code and the codes of the areas containing it, smallest first ("FRH0" → FRH0, FRH,
/// FR); a country code is its own lineage.
pub fn nuts_lineage(code: &str) -> impl Iterator<Item = &str> {
    (2..=code.len()).rev().filter_map(move |len| code.get(..len))
}

/// The values a country or region filter matches: the chosen areas, the areas containing them,
/// and [`ANYWHERE`] (a call without that restriction is open to applicants from everywhere).
pub fn open_to_filter_values(chosen: &[String]) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for code in chosen {
        for area in nuts_lineage(code) {
            if !values.iter().any(|v| v == area) {
                values.push(area.to_owned());
            }
        }
    }
    values.push(ANYWHERE.to_owned());
    values
}

/// Names of the EU, EEA and Horizon Europe associated countries most calls list.
pub const COUNTRY_NAMES: &[(&str, &str)] = &[
    ("AT", "Austria"),
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("CH", "Switzerland"),
    ("CY", "Cyprus"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("EE", "Estonia"),
    ("EL", "Greece"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("HR", "Croatia"),
    ("HU", "Hungary"),
    ("IE", "Ireland"),
    ("IL", "Israel"),
    ("IS", "Iceland"),
    ("IT", "Italy"),
    ("LI", "Liechtenstein"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("LV", "Latvia"),
    ("MD", "Moldova"),
    ("ME", "Montenegro"),
    ("MK", "North Macedonia"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("RS", "Serbia"),
    ("SE", "Sweden"),
    ("SI", "Slovenia"),
    ("SK", "Slovakia"),
    ("TR", "Türkiye"),
    ("UA", "Ukraine"),
    ("UK", "United Kingdom"),
];

/// The English name of a country code, or the code itself when it is not in the list.
pub fn country_label(code: &str) -> String {
    COUNTRY_NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, name)| (*name).to_owned())
}

/// A region's name: a NUTS region (levels 1 to 3) or a statistical region of an EFTA or
/// candidate country, as Eurostat lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    /// The code (`FRH0`): a country code and one to three capitals or digits.
    pub code: NutsCode,
    /// The name, in the region's own language (`Bretagne`).
    pub name: String,
}

impl Region {
    /// Checks the code's form and that there is a name.
    pub fn validate(&self) -> Result<(), String> {
        if !self.code.is_region() {
            return Err(format!("{} is a country, not a region", self.code));
        }
        let name = self.name.trim();
        if name.is_empty() {
            return Err(format!("{}: the name is empty", self.code));
        }
        if name.chars().count() > 200 {
            return Err(format!("{}: the name is longer than 200 characters", self.code));
        }
        crate::sanitize::check_text("name", name, false).map_err(|error| format!("{}: {error}", self.code))
    }
}

/// Region names by code, for labels.
pub type RegionNames = BTreeMap<String, String>;

/// What people read for a place code: a country's name; a region's name and code when its
/// name is known (`Bretagne (FRH0)`), else its code and country (`FRH0 · France`).
pub fn area_label(code: &str, names: &RegionNames) -> String {
    match (code.get(..2), names.get(code)) {
        (_, Some(name)) => format!("{name} ({code})"),
        (Some(country), None) if code.len() > 2 => format!("{code} · {}", country_label(country)),
        _ => country_label(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_labelled_by_name_when_known() {
        let names = RegionNames::from([("FRH0".to_owned(), "Bretagne".to_owned())]);
        assert_eq!(area_label("FRH0", &names), "Bretagne (FRH0)");
        assert_eq!(area_label("PT11", &names), "PT11 · Portugal");
        assert_eq!(area_label("PT", &names), "Portugal");
    }

    #[test]
    fn a_region_needs_a_code_of_its_form_and_a_name() {
        let region = |code: &str, name: &str| Region {
            code: code.parse().unwrap(),
            name: name.into(),
        };
        assert!(region("FRH0", "Bretagne").validate().is_ok());
        assert!(region("IS001", "Höfuðborgarsvæði").validate().is_ok());
        for (code, name) in [("FR", "France"), ("FRH0", "  "), ("FRH0", "a\u{7}b")] {
            assert!(region(code, name).validate().is_err(), "{code} {name:?}");
        }
        assert!(
            NutsCode::parse("FRH012").is_err(),
            "a code of the wrong form is no region code at all"
        );
    }

    #[test]
    fn codes_are_named_and_unknown_ones_shown_as_they_are() {
        assert_eq!(country_label("EL"), "Greece");
        assert_eq!(country_label("PT"), "Portugal");
        assert_eq!(country_label("XK"), "XK");
        assert!(
            COUNTRY_NAMES.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no duplicates"
        );
    }
}
