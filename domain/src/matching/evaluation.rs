//! Measuring the matcher: cases written by hand (a profile, a day, the calls a bid consultant
//! would put first), read from JSON Lines, and the measures the `evaluate` command prints —
//! recall at 5 and 10 and the reciprocal rank of the first relevant call.

use crate::call::InstrumentKind;
use crate::codes::{CountryCode, NutsCode, Trl};
use crate::organisation::{Organisation, OrganisationKind};
use crate::profile::{DualUseInterest, ProfileDetails};
use crate::taxonomy::{self, Term};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

/// One case: a profile on a day, and the calls relevant to it, best first.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    /// Its name in the report.
    pub id: String,
    /// The day the matches are for.
    pub today: NaiveDate,
    /// The organisation.
    pub profile: CaseProfile,
    /// The identifiers of the relevant calls, best first.
    pub relevant: Vec<String>,
}

/// The organisation of a case, in the words a person writes it with.
#[derive(Debug, Clone, Deserialize)]
pub struct CaseProfile {
    /// Its name.
    pub name: String,
    /// `sme`, `research`, `university`, `large` or `authority`.
    pub kind: String,
    /// ISO 3166 alpha-2 (`GR` and `GB` read as the EU's `EL` and `UK`).
    pub country: String,
    /// NUTS code.
    #[serde(default)]
    pub region: Option<String>,
    /// Headcount.
    #[serde(default)]
    pub staff: Option<i32>,
    /// Yearly turnover.
    #[serde(default)]
    pub turnover_eur: Option<i64>,
    /// JRC research domain labels (or Fundbridge's codes for them).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// NIS2 sector labels (or codes).
    #[serde(default)]
    pub sectors: Vec<String>,
    /// Technology readiness level.
    #[serde(default)]
    pub trl: Option<u8>,
    /// `civil`, `defence` or `both`.
    #[serde(default)]
    pub dual_use: Option<String>,
    /// Funding kinds wanted (`grant`, `equity`, `loan`, …).
    #[serde(default)]
    pub wants: Vec<String>,
    /// What the organisation does.
    #[serde(default)]
    pub description: String,
}

impl Case {
    /// The instant the case's day stands for: its noon, UTC.
    pub fn now(&self) -> DateTime<Utc> {
        self.today
            .and_hms_opt(12, 0, 0)
            .expect("every day has a noon")
            .and_utc()
    }
}

/// The code of the term of `vocabulary` whose label or code is `value` (any case).
fn term_code(vocabulary: &[Term], value: &str, what: &str) -> Result<String, String> {
    let value = value.trim();
    vocabulary
        .iter()
        .find(|term| term.label.eq_ignore_ascii_case(value) || term.code.eq_ignore_ascii_case(value))
        .map(|term| term.code.to_owned())
        .ok_or_else(|| format!("{value:?} is not a {what}"))
}

impl CaseProfile {
    /// The organisation this profile describes, identified `external_id`; what is not a
    /// known value is refused, naming it.
    pub fn organisation(&self, external_id: &str) -> Result<Organisation, String> {
        let kind = match self.kind.trim() {
            "sme" => OrganisationKind::Sme,
            "research" => OrganisationKind::ResearchOrganisation,
            "university" => OrganisationKind::University,
            "large" => OrganisationKind::LargeEnterprise,
            "authority" => OrganisationKind::PublicAuthority,
            other => {
                return Err(format!(
                    "kind {other:?} is not sme, research, university, large or authority"
                ))
            }
        };
        let country = CountryCode::parse_iso(&self.country).map_err(|e| e.to_string())?;
        let nuts_code = self
            .region
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(NutsCode::parse)
            .transpose()
            .map_err(|e| e.to_string())?;
        let capabilities = self
            .capabilities
            .iter()
            .map(|label| term_code(taxonomy::CAPABILITY_TERMS, label, "JRC research domain or sub-domain"))
            .collect::<Result<Vec<_>, _>>()?;
        let sectors = self
            .sectors
            .iter()
            .map(|label| term_code(taxonomy::SECTORS, label, "NIS2 sector"))
            .collect::<Result<Vec<_>, _>>()?;
        let wants_funding = self
            .wants
            .iter()
            .map(|kind| kind.trim().parse::<InstrumentKind>().map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let offer_trl = self
            .trl
            .map(|level| Trl::new(level).map_err(|e| e.to_string()))
            .transpose()?;
        let dual_use_interest = match self.dual_use.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(value) => Some(
                DualUseInterest::parse(value)
                    .ok_or_else(|| format!("dual_use {value:?} is not civil, defence or both"))?,
            ),
        };
        Ok(Organisation {
            external_id: external_id.to_owned(),
            name: self.name.clone(),
            kind,
            country,
            nuts_code,
            size_class: None,
            headcount: self.staff,
            website: None,
            description: self.description.clone(),
            dual_use: matches!(
                dual_use_interest,
                Some(DualUseInterest::Defence | DualUseInterest::Both)
            ),
            capabilities,
            sectors,
            certifications: Vec::new(),
            profile: ProfileDetails {
                turnover_eur: self.turnover_eur,
                offer_trl,
                dual_use_interest,
                wants_funding,
                ..ProfileDetails::default()
            },
        })
    }
}

/// The cases of a JSON Lines text, and one message per bad line (`line 3: …`); blank lines
/// are skipped, unknown fields ignored.
pub fn read_cases(text: &str) -> (Vec<Case>, Vec<String>) {
    let mut cases = Vec::new();
    let mut mistakes = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case = serde_json::from_str::<Case>(line)
            .map_err(|e| e.to_string())
            .and_then(|case| case.profile.organisation(&case.id).map(|_| case));
        match case {
            Ok(case) => cases.push(case),
            Err(error) => mistakes.push(format!("line {}: {error}", number + 1)),
        }
    }
    (cases, mistakes)
}

/// How well one ranking found a case's relevant calls.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    /// Share of the relevant calls among the first 5.
    pub recall_at_5: f64,
    /// Share of the relevant calls among the first 10.
    pub recall_at_10: f64,
    /// One over the rank of the first relevant call (0 when none is ranked).
    pub reciprocal_rank: f64,
}

impl Measures {
    /// The measures of `ranked` (identifiers, best first) against `relevant`.
    pub fn of(ranked: &[String], relevant: &[String]) -> Measures {
        let recall = |k: usize| {
            if relevant.is_empty() {
                return 0.0;
            }
            let found = ranked.iter().take(k).filter(|id| relevant.contains(id)).count();
            found as f64 / relevant.len() as f64
        };
        let first = ranked.iter().position(|id| relevant.contains(id));
        Measures {
            recall_at_5: recall(5),
            recall_at_10: recall(10),
            reciprocal_rank: first.map_or(0.0, |rank| 1.0 / (rank + 1) as f64),
        }
    }

    /// The mean of `all`.
    pub fn mean(all: &[Measures]) -> Measures {
        let n = all.len().max(1) as f64;
        Measures {
            recall_at_5: all.iter().map(|m| m.recall_at_5).sum::<f64>() / n,
            recall_at_10: all.iter().map(|m| m.recall_at_10).sum::<f64>() / n,
            reciprocal_rank: all.iter().map(|m| m.reciprocal_rank).sum::<f64>() / n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recall_and_reciprocal_rank_count_what_the_ranking_found() {
        let ids = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let ranked = ids(&["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]);
        let measures = Measures::of(&ranked, &ids(&["c", "j", "z", "k"]));
        assert_eq!(measures.recall_at_5, 0.25);
        assert_eq!(measures.recall_at_10, 0.5);
        assert!((measures.reciprocal_rank - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(Measures::of(&ranked, &ids(&["z"])), Measures::default());
    }

    #[test]
    fn bad_lines_are_reported_by_number_and_unknown_fields_ignored() {
        let text = concat!(
            r#"{"id":"ok","today":"2026-09-01","extra":1,"profile":{"name":"A","kind":"sme","country":"GR","capabilities":["Cryptology (Cryptography and Cryptanalysis)"],"sectors":["Energy"],"wants":["grant"]},"relevant":["X"]}"#,
            "\n\n",
            r#"{"id":"bad","today":"2026-09-01","profile":{"name":"B","kind":"giant","country":"FR"},"relevant":[]}"#,
            "\n",
            r#"{"id":"worse","today":"soon"}"#,
            "\n",
            r#"{"id":"label","today":"2026-09-01","profile":{"name":"C","kind":"sme","country":"FR","capabilities":["Quantum gravity"]},"relevant":[]}"#,
        );
        let (cases, mistakes) = read_cases(text);
        assert_eq!(cases.len(), 1);
        let organisation = cases[0].profile.organisation("ok").unwrap();
        assert_eq!(organisation.country.as_str(), "EL");
        assert_eq!(organisation.capabilities, vec!["cryptology".to_owned()]);
        assert_eq!(mistakes.len(), 3, "{mistakes:?}");
        assert!(mistakes[0].starts_with("line 3: kind \"giant\""), "{mistakes:?}");
        assert!(mistakes[1].starts_with("line 4: "), "{mistakes:?}");
        assert!(
            mistakes[2].contains("\"Quantum gravity\" is not a JRC research domain"),
            "{mistakes:?}"
        );
    }
}
