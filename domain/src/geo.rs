//! Country names for the codes the EU writes (ISO 3166 alpha-2, with `EL` for Greece and
//! `UK` for the United Kingdom), for filter labels.

/// Names of the EU, EEA and Horizon Europe associated countries most calls list.
const COUNTRY_NAMES: &[(&str, &str)] = &[
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

#[cfg(test)]
mod tests {
    use super::*;

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
