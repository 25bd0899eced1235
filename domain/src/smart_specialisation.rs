//! Regional smart-specialisation (RIS3) strategies: the priorities a region's authority
//! records — capability domains and NIS2 sectors from the vocabularies, a short text each, a
//! summary and a link to the published strategy. A region's page shows them with its open
//! calls and organisations; a call restricted to the region says which priorities it serves;
//! the matcher reads them. Shared with the UI.

use crate::call::CallSummary;
use crate::geo::RegionNames;
use crate::organisation::OrganisationDetail;
use crate::publishing::{check_length, FieldError};
use crate::sanitize::is_http_url;
use crate::taxonomy;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most priorities a strategy lists (real RIS3 strategies name four to eight).
pub const MAX_PRIORITIES: usize = 12;
/// The longest priority title.
pub const MAX_TITLE_CHARS: usize = 120;
/// The longest text of one priority.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// The longest summary of the whole strategy.
pub const MAX_SUMMARY_CHARS: usize = 2_000;
/// The longest link to the strategy.
pub const MAX_LINK_CHARS: usize = 2_000;

/// One priority of a region's strategy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    /// Its name ("Cybersecurity and digital trust").
    pub title: String,
    /// Capability codes of [`taxonomy::CAPABILITIES`] it covers.
    pub domains: Vec<String>,
    /// Sector codes of [`taxonomy::SECTORS`] it covers.
    pub sectors: Vec<String>,
    /// What the region means by it, in a few sentences.
    pub text: String,
}

impl Priority {
    /// Whether a call about `domains` and `sectors` serves this priority: it shares a
    /// capability or a sector with it.
    pub fn served_by(&self, domains: &[String], sectors: &[String]) -> bool {
        self.domains.iter().any(|code| domains.contains(code)) || self.sectors.iter().any(|code| sectors.contains(code))
    }
}

/// A region's strategy as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    /// The region's NUTS code.
    pub region: String,
    /// The authority that recorded it (public identifier).
    pub organisation_id: String,
    /// That authority's name.
    pub organisation_name: String,
    /// What the strategy is about, in a paragraph.
    pub summary: String,
    /// The published strategy document, when linked.
    pub strategy_url: Option<String>,
    /// Its priorities, in the authority's order.
    pub priorities: Vec<Priority>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

/// What an authority's editor types: the summary, the link and the priorities, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyForm {
    /// What the strategy is about.
    pub summary: String,
    /// Link to the published strategy (http or https), or empty.
    pub strategy_url: String,
    /// The priorities, in order.
    pub priorities: Vec<Priority>,
}

impl StrategyForm {
    /// The form holding `strategy`, for editing.
    pub fn from_strategy(strategy: &Strategy) -> StrategyForm {
        StrategyForm {
            summary: strategy.summary.clone(),
            strategy_url: strategy.strategy_url.clone().unwrap_or_default(),
            priorities: strategy.priorities.clone(),
        }
    }

    /// Every mistake, each on its field (`priorities.2.title`); empty when it can be saved.
    /// Messages never repeat what was typed.
    pub fn mistakes(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_length(&mut errors, "summary", &self.summary, MAX_SUMMARY_CHARS, true);
        let url = self.strategy_url.trim();
        if url.chars().count() > MAX_LINK_CHARS {
            errors.push(FieldError::new(
                "strategy_url",
                format!("The link is longer than {MAX_LINK_CHARS} characters."),
            ));
        } else if !url.is_empty() && !is_http_url(url) {
            errors.push(FieldError::new(
                "strategy_url",
                "Give the strategy's address starting with https:// (or http://).",
            ));
        }
        if self.priorities.is_empty() {
            errors.push(FieldError::new("priorities", "List at least one priority."));
        }
        if self.priorities.len() > MAX_PRIORITIES {
            errors.push(FieldError::new(
                "priorities",
                format!("A strategy lists at most {MAX_PRIORITIES} priorities."),
            ));
            return errors;
        }
        for (index, priority) in self.priorities.iter().enumerate() {
            let field = |name: &str| format!("priorities.{index}.{name}");
            let title = priority.title.trim();
            if title.is_empty() {
                errors.push(FieldError::new(field("title"), "Give the priority a name."));
            } else {
                check_length(&mut errors, &field("title"), title, MAX_TITLE_CHARS, false);
            }
            check_length(&mut errors, &field("text"), &priority.text, MAX_TEXT_CHARS, true);
            check_codes(
                &mut errors,
                &field("domains"),
                &priority.domains,
                taxonomy::CAPABILITIES,
            );
            check_codes(&mut errors, &field("sectors"), &priority.sectors, taxonomy::SECTORS);
            if priority.domains.is_empty() && priority.sectors.is_empty() {
                errors.push(FieldError::new(
                    field("domains"),
                    "Pick at least one capability or sector, so calls and companies can be matched to it.",
                ));
            }
        }
        errors
    }
}

/// Refuses codes outside `vocabulary` and repeats.
fn check_codes(errors: &mut Vec<FieldError>, field: &str, codes: &[String], vocabulary: &[taxonomy::Term]) {
    let unknown = codes.iter().any(|code| !taxonomy::contains(vocabulary, code));
    let repeated = codes.iter().enumerate().any(|(i, code)| codes[..i].contains(code));
    if unknown || codes.len() > vocabulary.len() {
        errors.push(FieldError::new(field, "Pick from the list."));
    } else if repeated {
        errors.push(FieldError::new(field, "Each one only once."));
    }
}

/// A priority a call serves, for the call's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServedPriority {
    /// The region whose strategy lists it.
    pub region: String,
    /// The region as people read it (`Bretagne (FRH0)`).
    pub region_label: String,
    /// The priority's name.
    pub title: String,
}

/// Which priorities of `strategies` a call restricted to `regions` and about `domains` and
/// `sectors` serves: those of the strategies of its regions or of the areas containing them.
pub fn served_priorities(
    strategies: &[Strategy],
    regions: &[String],
    domains: &[String],
    sectors: &[String],
    names: &RegionNames,
) -> Vec<ServedPriority> {
    let mut served = Vec::new();
    for strategy in strategies {
        let covers_call = regions
            .iter()
            .any(|region| crate::geo::nuts_lineage(region).any(|area| area == strategy.region));
        if !covers_call {
            continue;
        }
        for priority in strategy.priorities.iter().filter(|p| p.served_by(domains, sectors)) {
            served.push(ServedPriority {
                region: strategy.region.clone(),
                region_label: crate::geo::area_label(&strategy.region, names),
                title: priority.title.clone(),
            });
        }
    }
    served
}

/// Everything a region's public page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionView {
    /// The region's NUTS code.
    pub code: String,
    /// The region as people read it (`Bretagne (FRH0)`).
    pub label: String,
    /// Its country's name.
    pub country: String,
    /// Its smart-specialisation strategy, when its authority has recorded one.
    pub strategy: Option<Strategy>,
    /// Open and forthcoming calls restricted to the region (or to an area inside or around it).
    pub calls: Vec<CallSummary>,
    /// Organisations based in the region, first page by name.
    pub organisations: Vec<OrganisationDetail>,
    /// How many organisations are based there in all.
    pub organisation_total: u64,
    /// The instant statuses were derived at.
    pub now: DateTime<Utc>,
}

/// What an authority's editors see when recording their region's strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategyEditor {
    /// The authority (public identifier).
    pub organisation_id: String,
    /// Its name.
    pub organisation_name: String,
    /// Its region's NUTS code.
    pub region: String,
    /// The region as people read it.
    pub region_label: String,
    /// The strategy as saved, or an empty form with one priority.
    pub form: StrategyForm,
    /// Whether the viewer may save (editors); others read.
    pub can_edit: bool,
    /// When it was last saved, if ever.
    pub updated_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn priority(title: &str, domains: &[&str], sectors: &[&str]) -> Priority {
        Priority {
            title: title.into(),
            domains: domains.iter().map(|d| (*d).to_owned()).collect(),
            sectors: sectors.iter().map(|s| (*s).to_owned()).collect(),
            text: String::new(),
        }
    }

    fn fields(form: &StrategyForm) -> Vec<String> {
        form.mistakes().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_form_with_named_priorities_from_the_vocabularies_is_accepted() {
        let form = StrategyForm {
            summary: "Digital trust for the maritime economy.".into(),
            strategy_url: "https://www.bretagne.bzh/ris3".into(),
            priorities: vec![priority(
                "Maritime cybersecurity",
                &["network-security"],
                &["transport"],
            )],
        };
        assert_eq!(fields(&form), Vec::<String>::new());
    }

    #[test]
    fn every_mistake_is_named_on_its_field() {
        let form = StrategyForm {
            summary: "a\u{1b}b".into(),
            strategy_url: "javascript:alert(1)".into(),
            priorities: vec![
                priority("", &["network-security"], &[]),
                priority("Unknown", &["alchemy"], &["energy", "energy"]),
                priority("Nothing picked", &[], &[]),
                Priority {
                    text: "x".repeat(MAX_TEXT_CHARS + 1),
                    ..priority("Long", &["legal"], &[])
                },
            ],
        };
        assert_eq!(
            fields(&form),
            [
                "summary",
                "strategy_url",
                "priorities.0.title",
                "priorities.1.domains",
                "priorities.1.sectors",
                "priorities.2.domains",
                "priorities.3.text"
            ]
        );
        assert!(form.mistakes().iter().all(|e| !e.message.contains("alchemy")));
    }

    #[test]
    fn the_number_of_priorities_is_bounded_and_one_is_needed() {
        let many = StrategyForm {
            priorities: vec![priority("P", &["legal"], &[]); MAX_PRIORITIES + 1],
            ..StrategyForm::default()
        };
        assert_eq!(fields(&many), ["priorities"]);
        assert_eq!(fields(&StrategyForm::default()), ["priorities"]);
    }

    #[test]
    fn a_call_serves_the_priorities_of_its_region_and_of_the_areas_around_it_that_share_a_topic() {
        let strategy = |region: &str| Strategy {
            region: region.into(),
            organisation_id: "region".into(),
            organisation_name: "Region".into(),
            summary: String::new(),
            strategy_url: None,
            priorities: vec![
                priority("Maritime cybersecurity", &["network-security"], &["transport"]),
                priority("Health data", &["data-security"], &["health"]),
            ],
            updated_at: DateTime::UNIX_EPOCH,
        };
        let names = RegionNames::from([("FRH0".to_owned(), "Bretagne".to_owned())]);
        let strategies = [strategy("FRH0"), strategy("FR10")];
        let served = served_priorities(
            &strategies,
            &["FRH01".to_owned()],
            &[],
            &["transport".to_owned()],
            &names,
        );
        assert_eq!(served.len(), 1, "{served:?}");
        assert_eq!(served[0].title, "Maritime cybersecurity");
        assert_eq!(served[0].region_label, "Bretagne (FRH0)");
        assert!(served_priorities(&strategies, &["FRH0".to_owned()], &["legal".to_owned()], &[], &names).is_empty());
        assert!(served_priorities(&strategies, &[], &["data-security".to_owned()], &[], &names).is_empty());
    }
}
