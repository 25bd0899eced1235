//! The codes records are keyed and classified by — country, NUTS region, technology
//! readiness level, call and organisation identifiers — each a type that only holds a valid
//! value. `parse` says what is wrong with a bad one; serde reads and writes them as the plain
//! strings (or number, for a TRL) they always were, so URLs, JSON and stored rows do not change.

use crate::sanitize::{forbidden_control, MAX_ID_CHARS};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value is not a valid code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not two capital letters.
    #[error("{0:?} is not a country code (two capital letters, as in PT or EL)")]
    Country(String),
    /// Not a country code followed by up to three capitals or digits.
    #[error("{0:?} is not a NUTS code (a country code and up to three capitals or digits, as in FRH0)")]
    Nuts(String),
    /// Not a whole number from 1 to 9.
    #[error("{0:?} is not a technology readiness level (1 to 9)")]
    Trl(String),
    /// Empty, too long, or holding control characters.
    #[error("{0:?} cannot identify a record (1 to 200 characters, no control characters)")]
    Id(String),
}

/// Declares a code held as a string: `as_str`, `Display`, `FromStr` and serde as a plain
/// string, all through the type's `parse`.
macro_rules! string_code {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The code as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = CodeError;
            fn from_str(value: &str) -> Result<Self, CodeError> {
                $name::parse(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = CodeError;
            fn try_from(value: String) -> Result<Self, CodeError> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(code: $name) -> String {
                code.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

string_code!(
    /// A country as the EU writes it: two capital letters (`PT`, `EL` for Greece).
    CountryCode
);

impl CountryCode {
    /// A country as ISO 3166 or the EU writes it, in the EU's codes Fundbridge keeps (ISO's
    /// `GR` and `GB` read as `EL` and `UK`).
    pub fn parse_iso(value: &str) -> Result<CountryCode, CodeError> {
        match value.trim().to_ascii_uppercase().as_str() {
            "GR" => Ok(CountryCode("EL".to_owned())),
            "GB" => Ok(CountryCode("UK".to_owned())),
            _ => CountryCode::parse(value),
        }
    }

    /// The code, read in capitals (`pt` → `PT`).
    pub fn parse(value: &str) -> Result<CountryCode, CodeError> {
        let code = value.trim().to_ascii_uppercase();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(CountryCode(code))
        } else {
            Err(CodeError::Country(value.to_owned()))
        }
    }
}

string_code!(
    /// A NUTS region (or a country, its level 0): a country code and up to three capitals or
    /// digits (`FRH0`, `PT11`, `EL301`).
    NutsCode
);

impl NutsCode {
    /// The code, read in capitals (`frh0` → `FRH0`).
    pub fn parse(value: &str) -> Result<NutsCode, CodeError> {
        let code = value.trim().to_ascii_uppercase();
        let valid = (2..=5).contains(&code.len())
            && code.get(..2).is_some_and(|country| CountryCode::parse(country).is_ok())
            && code
                .bytes()
                .skip(2)
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if valid {
            Ok(NutsCode(code))
        } else {
            Err(CodeError::Nuts(value.to_owned()))
        }
    }

    /// The country the region is in.
    pub fn country(&self) -> CountryCode {
        CountryCode(self.0[..2].to_owned())
    }

    /// Whether this is a region (level 1 to 3) rather than a whole country.
    pub fn is_region(&self) -> bool {
        self.0.len() > 2
    }
}

string_code!(
    /// A call's public identifier (`HORIZON-CL3-2027-CS-01-01`): what its page is addressed by.
    CallId
);

string_code!(
    /// An organisation's public identifier.
    OrganisationId
);

/// The shape every record identifier has.
fn parse_id(value: &str) -> Result<String, CodeError> {
    let id = value.trim();
    if id.is_empty() || id.chars().count() > MAX_ID_CHARS || forbidden_control(id, false).is_some() {
        Err(CodeError::Id(value.chars().take(MAX_ID_CHARS).collect()))
    } else {
        Ok(id.to_owned())
    }
}

impl CallId {
    /// The identifier, trimmed.
    pub fn parse(value: &str) -> Result<CallId, CodeError> {
        parse_id(value).map(CallId)
    }
}

impl OrganisationId {
    /// The identifier, trimmed.
    pub fn parse(value: &str) -> Result<OrganisationId, CodeError> {
        parse_id(value).map(OrganisationId)
    }
}

/// A technology readiness level, 1 (basic principles observed) to 9 (proven in operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Trl(u8);

impl Trl {
    /// Every level, lowest first.
    pub const ALL: [Trl; 9] = [Trl(1), Trl(2), Trl(3), Trl(4), Trl(5), Trl(6), Trl(7), Trl(8), Trl(9)];

    /// The level `value` names (`"4"`, `" 7 "`).
    pub fn parse(value: &str) -> Result<Trl, CodeError> {
        value
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(|level| Trl::new(level).ok())
            .ok_or_else(|| CodeError::Trl(value.to_owned()))
    }

    /// The level numbered `level`.
    pub fn new(level: u8) -> Result<Trl, CodeError> {
        if (1..=9).contains(&level) {
            Ok(Trl(level))
        } else {
            Err(CodeError::Trl(level.to_string()))
        }
    }

    /// The level's number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl std::str::FromStr for Trl {
    type Err = CodeError;
    fn from_str(value: &str) -> Result<Trl, CodeError> {
        Trl::parse(value)
    }
}

impl TryFrom<u8> for Trl {
    type Error = CodeError;
    fn try_from(level: u8) -> Result<Trl, CodeError> {
        Trl::new(level)
    }
}

impl TryFrom<i64> for Trl {
    type Error = CodeError;
    fn try_from(level: i64) -> Result<Trl, CodeError> {
        u8::try_from(level)
            .map_err(|_| CodeError::Trl(level.to_string()))
            .and_then(Trl::new)
    }
}

impl From<Trl> for u8 {
    fn from(level: Trl) -> u8 {
        level.0
    }
}

impl fmt::Display for Trl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_read_in_capitals_and_nonsense_is_refused() {
        assert_eq!(CountryCode::parse(" pt ").unwrap().as_str(), "PT");
        assert_eq!(CountryCode::parse("EL").unwrap(), "EL");
        for bad in ["", "P", "PRT", "P1", "ÉT", "<b"] {
            assert_eq!(CountryCode::parse(bad), Err(CodeError::Country(bad.into())), "{bad}");
        }
    }

    #[test]
    fn nuts_codes_start_with_a_country_and_know_it() {
        let code = NutsCode::parse("frh0").unwrap();
        assert_eq!(
            (code.as_str(), code.country().as_str(), code.is_region()),
            ("FRH0", "FR", true)
        );
        assert!(!NutsCode::parse("DE").unwrap().is_region());
        assert!(NutsCode::parse("EL301").is_ok());
        for bad in ["F", "FRH0123", "1RH0", "FR-H", ""] {
            assert!(matches!(NutsCode::parse(bad), Err(CodeError::Nuts(_))), "{bad}");
        }
    }

    #[test]
    fn readiness_levels_run_from_one_to_nine() {
        assert_eq!(Trl::parse(" 4 ").unwrap().get(), 4);
        assert_eq!(Trl::ALL.map(Trl::get), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        for bad in ["0", "10", "-1", "four", "4.5", ""] {
            assert_eq!(Trl::parse(bad), Err(CodeError::Trl(bad.into())), "{bad}");
        }
        assert!(Trl::try_from(300_i64).is_err());
    }

    #[test]
    fn identifiers_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(
            CallId::parse(" HORIZON-CL3-2027-CS-01-01 ").unwrap(),
            "HORIZON-CL3-2027-CS-01-01"
        );
        assert!(CallId::parse("").is_err() && CallId::parse("   ").is_err());
        assert!(CallId::parse("a\u{0}b").is_err());
        assert!(CallId::parse(&"x".repeat(201)).is_err() && CallId::parse(&"x".repeat(200)).is_ok());
        assert!(OrganisationId::parse("org/with/slashes é").is_ok());
    }

    #[test]
    fn codes_travel_as_plain_strings_and_numbers() {
        let json = serde_json::json!({ "c": "PT", "n": "PT11", "t": 4, "id": "A/1" });
        #[derive(Debug, Deserialize, Serialize)]
        struct Record {
            c: CountryCode,
            n: NutsCode,
            t: Trl,
            id: CallId,
        }
        let record: Record = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(serde_json::to_value(&record).unwrap(), json);
        let bad = serde_json::from_value::<Record>(serde_json::json!({ "c": "PT", "n": "PT11", "t": 12, "id": "x" }));
        assert!(bad.unwrap_err().to_string().contains("readiness level"));
    }
}
