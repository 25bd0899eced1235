//! Reading the call editor's form into a call — every field's mistake named on that field —
//! and writing a stored call back into the form.

use super::*;
use crate::call::{CallTopics, Deadline, DocumentLink, MAX_DOCUMENTS, MAX_LABEL_CHARS};
use crate::codes::{CallId, CountryCode, NutsCode, Trl};
use crate::money::LocalAmounts;
use crate::organisation::OrganisationKind;
use crate::sanitize::{check_text, is_http_url};
use crate::store::NewCall;
use crate::taxonomy;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Where a call written in the editor comes from (`NewCall::source`).
pub const SOURCE: &str = "publisher";

/// The hour a deadline given as a date alone falls at, local time.
const DEFAULT_DEADLINE_HOUR: u32 = 17;

/// Collects the errors of one form, field by field.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// The value, or `None` with its error recorded.
    fn take<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.add(field, message)).ok()
    }
}

/// A line of at most `max` characters without control characters; `required` refuses empty.
fn line(value: &str, what: &str, max: usize, required: bool) -> Result<String, String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(format!("Give the call a {what}."));
    }
    if value.chars().count() > max {
        return Err(format!("Keep the {what} under {max} characters."));
    }
    check_text(what, value, false).map_err(|_| format!("The {what} contains a control character."))?;
    Ok(value.to_owned())
}

/// An optional whole number between `min` and `max`.
fn number(value: &str, what: &str, min: i64, max: i64) -> Result<Option<i64>, String> {
    match crate::money::typed_whole_number(value) {
        None => Ok(None),
        Some(Ok(n)) if (min..=max).contains(&n) => Ok(Some(n)),
        Some(Ok(_)) => Err(format!("The {what} must be between {min} and {max}.")),
        Some(Err(_)) => Err(format!("The {what} must be a whole number, like 250000.")),
    }
}

/// A wall-clock date and time as a form sends it (`2027-03-04T17:00`, `2027-03-04 17:00`,
/// or a date alone at `default_hour`).
fn wall_clock(value: &str, default_hour: u32) -> Option<NaiveDateTime> {
    let value = value.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .into_iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .or_else(|| {
            let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
            Some(date.and_time(NaiveTime::from_hms_opt(default_hour, 0, 0)?))
        })
}

/// An optional instant typed in `zone`.
fn instant(value: &str, zone: DeadlineZone, default_hour: u32) -> Result<Option<DateTime<Utc>>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    wall_clock(value, default_hour)
        .map(|local| Some(zone.to_utc(local)))
        .ok_or_else(|| "Give a date as 2027-03-04, or a date and time as 2027-03-04 17:00.".to_owned())
}

/// The time an instant reads as in the form (`2027-03-04T17:00` in `zone`).
pub fn form_time(at: DateTime<Utc>, zone: DeadlineZone) -> String {
    zone.to_local(at).format("%Y-%m-%dT%H:%M").to_string()
}

/// Whether `reference` can be a call's address: letters, digits, `-`, `_` and `.`.
fn reference_shape(reference: &str) -> Result<(), String> {
    let fine = reference
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if fine && reference.starts_with(|c: char| c.is_ascii_alphanumeric()) && CallId::parse(reference).is_ok() {
        Ok(())
    } else {
        Err(
            "Use letters, digits, '-', '_' and '.' only, starting with a letter or digit (like RIS3-BE-2027-01)."
                .into(),
        )
    }
}

impl CallForm {
    /// The deadlines' time zone (Brussels when none is chosen).
    pub fn zone(&self) -> Result<DeadlineZone, FieldError> {
        if self.time_zone.trim().is_empty() {
            return Ok(DeadlineZone::Central);
        }
        DeadlineZone::parse(&self.time_zone)
            .ok_or_else(|| FieldError::new("time_zone", "Choose a time zone from the list."))
    }

    /// When to publish once approved (`None`: at once).
    pub fn publication_time(&self) -> Result<Option<DateTime<Utc>>, FieldError> {
        let zone = self.zone()?;
        instant(&self.publish_at, zone, 9).map_err(|message| FieldError::new("publish_at", message))
    }

    /// The call this form describes for the funding body `publisher`, or every field's error.
    pub fn to_new_call(&self, publisher: &str) -> Result<NewCall, Vec<FieldError>> {
        let mut errors = Errors::default();
        let reference = errors
            .take(
                "reference",
                line(&self.reference, "reference", MAX_REFERENCE_CHARS, true),
            )
            .filter(|reference| errors.take("reference", reference_shape(reference)).is_some());
        let title = errors.take("title", line(&self.title, "title", MAX_TITLE_CHARS, true));
        let programme = errors.take(
            "programme",
            line(&self.programme, "programme", MAX_PROGRAMME_CHARS, true),
        );
        let kind = errors.take(
            "instrument_kind",
            self.instrument_kind
                .parse::<InstrumentKind>()
                .map_err(|_| "Choose an instrument kind from the list.".to_owned()),
        );
        let zone = match self.zone() {
            Ok(zone) => zone,
            Err(error) => {
                errors.0.push(error);
                DeadlineZone::Central
            }
        };
        let opening = errors.take("opening", instant(&self.opening, zone, 0)).flatten();
        let deadlines = self.deadlines(zone, opening, &mut errors);
        let amount = |errors: &mut Errors, field: &str, value: &str, what: &str| {
            errors.take(field, number(value, what, 0, MAX_AMOUNT_EUR)).flatten()
        };
        let budget_total = amount(&mut errors, "budget_total", &self.budget_total, "total budget");
        let budget_min = amount(&mut errors, "budget_min", &self.budget_min, "minimum per project");
        let budget_max = amount(&mut errors, "budget_max", &self.budget_max, "maximum per project");
        if let (Some(min), Some(max)) = (budget_min, budget_max) {
            if min > max {
                errors.add("budget_max", "The maximum per project is below the minimum.");
            }
        }
        if let (Some(max), Some(total)) = (budget_max, budget_total) {
            if max > total {
                errors.add("budget_max", "The maximum per project is above the total budget.");
            }
        }
        let local_amounts = self.local_amounts(&mut errors, budget_total, budget_min, budget_max);
        let in_euros = |amount: Option<i64>| match &local_amounts {
            Some(local) => amount.map(|amount| local.to_euros(amount)),
            None => amount,
        };
        let (budget_total, budget_min, budget_max) =
            (in_euros(budget_total), in_euros(budget_min), in_euros(budget_max));
        let small = |errors: &mut Errors, field: &str, value: &str, what: &str, max: i64| {
            errors
                .take(field, number(value, what, 1, max))
                .flatten()
                .map(|n| i32::try_from(n).expect("bounded"))
        };
        let funding_rate = small(&mut errors, "funding_rate", &self.funding_rate, "funding rate", 100);
        let min_partners = small(
            &mut errors,
            "min_partners",
            &self.min_partners,
            "minimum of partners",
            100,
        );
        let min_countries = small(
            &mut errors,
            "min_countries",
            &self.min_countries,
            "minimum of countries",
            50,
        );
        if let (Some(partners), Some(countries)) = (min_partners, min_countries) {
            if countries > partners {
                errors.add("min_countries", "More countries than partners cannot be met.");
            }
        }
        let trl = |errors: &mut Errors, field: &str, value: &str| {
            if value.trim().is_empty() {
                return None;
            }
            errors.take(
                field,
                Trl::parse(value).map_err(|_| "A readiness level is 1 to 9.".to_owned()),
            )
        };
        let trl_min = trl(&mut errors, "trl_min", &self.trl_min);
        let trl_max = trl(&mut errors, "trl_max", &self.trl_max);
        if let (Some(min), Some(max)) = (trl_min, trl_max) {
            if min > max {
                errors.add("trl_max", "The highest readiness level is below the lowest.");
            }
        }
        let countries = self.areas("countries", &self.countries, CountryCode::parse, "PT, EL", &mut errors);
        let regions = self.areas("regions", &self.regions, NutsCode::parse, "BE10, PT17", &mut errors);
        let listed = |code: &CountryCode| {
            crate::geo::COUNTRY_NAMES
                .iter()
                .any(|(known, _)| *known == code.as_str())
        };
        for country in countries.iter().filter(|country| !listed(country)) {
            errors.add("countries", format!("{country} is not a country on the list."));
        }
        for region in regions.iter().filter(|region| !listed(&region.country())) {
            errors.add("regions", format!("{region} is not in a country on the list."));
        }
        if !countries.is_empty() {
            for region in regions.iter().filter(|region| !countries.contains(&region.country())) {
                errors.add(
                    "regions",
                    format!("{region} is not in one of the eligible countries; add its country or remove it."),
                );
            }
        }
        let keywords = self.keywords(&mut errors);
        let description = self.description(&mut errors);
        let url = self.link(&mut errors);
        let applicant_kinds = self.applicant_kinds(&mut errors);
        let chosen_topics = self.topics(&mut errors);
        let contact = errors
            .take("contact", line(&self.contact, "contact", MAX_LABEL_CHARS, false))
            .filter(|contact| !contact.is_empty());
        let documents = self.documents(&mut errors);
        if let Err(error) = self.publication_time() {
            errors.0.push(error);
        }
        if let Err(message) = line(&self.change_note, "change note", MAX_COMMENT_CHARS, false) {
            errors.add("change_note", message);
        }
        match (reference, title, programme, kind) {
            (Some(reference), Some(title), Some(programme), Some(kind)) if errors.0.is_empty() => Ok(NewCall {
                instrument_kind: kind,
                deadline_model: Some(deadline_model(self.rolling, deadlines.len()).to_owned()),
                deadline_time_zone: Some(zone),
                opening_at: opening,
                deadlines,
                budget_total_eur: budget_total,
                budget_min_eur: budget_min,
                budget_max_eur: budget_max,
                funding_rate_pct: funding_rate,
                trl_min,
                trl_max,
                sme_only: self.sme_only,
                dual_use: self.dual_use,
                min_partners,
                min_countries,
                eligible_countries: countries,
                eligible_regions: regions,
                keywords,
                description,
                url,
                applicant_kinds,
                chosen_topics,
                contact,
                documents,
                local_amounts,
                ..NewCall::new(&reference, SOURCE, &title, &programme, publisher)
            }),
            _ => Err(errors.0),
        }
    }

    /// The deadlines in order, each after the opening and after the one before.
    fn deadlines(&self, zone: DeadlineZone, opening: Option<DateTime<Utc>>, errors: &mut Errors) -> Vec<Deadline> {
        if self.rolling {
            return Vec::new();
        }
        let typed: Vec<&DeadlineInput> = self
            .deadlines
            .iter()
            .filter(|d| !d.at.trim().is_empty() || !d.label.trim().is_empty())
            .collect();
        if typed.is_empty() {
            errors.add("deadlines", "Give at least one deadline, or mark the call as rolling.");
            return Vec::new();
        }
        if typed.len() > MAX_DEADLINES {
            errors.add("deadlines", format!("A call has at most {MAX_DEADLINES} deadlines."));
            return Vec::new();
        }
        let mut deadlines: Vec<Deadline> = Vec::new();
        for (index, input) in typed.into_iter().enumerate() {
            let field = format!("deadlines.{index}");
            let stage = i32::try_from(index + 1).expect("at most a dozen");
            let label = errors.take(&field, line(&input.label, "stage name", MAX_STAGE_LABEL_CHARS, false));
            let at = match instant(&input.at, zone, DEFAULT_DEADLINE_HOUR) {
                Ok(Some(at)) => at,
                Ok(None) => {
                    errors.add(&field, "Give this deadline a date.");
                    continue;
                }
                Err(message) => {
                    errors.add(&field, message);
                    continue;
                }
            };
            if opening.is_some_and(|opening| at <= opening) {
                errors.add(&field, "This deadline is not after the opening date.");
            } else if deadlines.last().is_some_and(|previous| at <= previous.at) {
                errors.add(&field, "Each stage closes after the one before.");
            }
            deadlines.push(Deadline {
                stage,
                at,
                label: label.filter(|label| !label.is_empty()),
            });
        }
        deadlines
    }

    /// Eligible areas parsed with `parse`, without repeats.
    fn areas<T: PartialEq + std::fmt::Display>(
        &self,
        field: &str,
        values: &[String],
        parse: impl Fn(&str) -> Result<T, crate::codes::CodeError>,
        example: &str,
        errors: &mut Errors,
    ) -> Vec<T> {
        if values.len() > MAX_AREAS {
            errors.add(field, format!("Choose at most {MAX_AREAS}."));
            return Vec::new();
        }
        let mut areas = Vec::new();
        for value in values.iter().filter(|value| !value.trim().is_empty()) {
            match parse(value) {
                Ok(area) if !areas.contains(&area) => areas.push(area),
                Ok(_) => {}
                // The value is not repeated back: only what could be a code is shown.
                Err(_) => {
                    let shown: String = value.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
                    errors.add(field, format!("{shown:?} is not a code from the list ({example})."));
                }
            }
        }
        areas
    }

    fn keywords(&self, errors: &mut Errors) -> Vec<String> {
        let mut keywords: Vec<String> = Vec::new();
        for word in self.keywords.split(',').map(str::trim).filter(|word| !word.is_empty()) {
            match line(word, "keyword", MAX_KEYWORD_CHARS, false) {
                Ok(word) if !keywords.contains(&word) => keywords.push(word),
                Ok(_) => {}
                Err(message) => errors.add("keywords", message),
            }
        }
        if keywords.len() > MAX_KEYWORDS {
            errors.add("keywords", format!("Give at most {MAX_KEYWORDS} keywords."));
        }
        keywords
    }

    fn description(&self, errors: &mut Errors) -> String {
        let text = self.description.trim();
        if text.chars().count() > MAX_DESCRIPTION_CHARS {
            errors.add(
                "description",
                format!("Keep the description under {MAX_DESCRIPTION_CHARS} characters."),
            );
        } else if check_text("description", text, true).is_err() {
            errors.add("description", "The description contains a control character.");
        }
        text.replace("\r\n", "\n")
    }

    fn link(&self, errors: &mut Errors) -> Option<String> {
        let url = self.url.trim();
        if url.is_empty() {
            return None;
        }
        if url.chars().count() > MAX_LINK_CHARS || !is_http_url(url) || check_text("link", url, false).is_err() {
            errors.add("url", "Give an address starting with https:// (or http://).");
            return None;
        }
        Some(url.to_owned())
    }

    /// The amounts as stated in the call's currency with its rate, when that is not the euro.
    fn local_amounts(
        &self,
        errors: &mut Errors,
        total: Option<i64>,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Option<LocalAmounts> {
        let currency = self.currency.trim();
        if currency.is_empty() || currency == "EUR" {
            return None;
        }
        let Some((currency, _)) = crate::money::CURRENCIES.iter().find(|(code, _)| *code == currency) else {
            errors.add("currency", "Choose the currency from the list.");
            return None;
        };
        let Some(micro_rate) = crate::money::parse_rate(&self.euro_rate) else {
            errors.add(
                "euro_rate",
                format!("Give the rate your programme converts at: {currency} per euro, like 4.25."),
            );
            return None;
        };
        Some(LocalAmounts {
            currency: (*currency).to_owned(),
            micro_rate,
            total,
            min,
            max,
        })
    }

    /// The kinds of organisation admitted, each known and listed once.
    fn applicant_kinds(&self, errors: &mut Errors) -> Vec<OrganisationKind> {
        let mut kinds = Vec::new();
        for value in &self.applicant_kinds {
            match OrganisationKind::parse(value) {
                Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
                Some(_) => {}
                None => {
                    errors.add("applicant_kinds", "Pick the kinds of applicant from the list.");
                    return Vec::new();
                }
            }
        }
        kinds
    }

    /// The capabilities and sectors chosen from the vocabularies (`None` when neither is:
    /// they are derived from the text).
    fn topics(&self, errors: &mut Errors) -> Option<CallTopics> {
        let mut picked = |field: &str, codes: &[String], vocabulary: &[taxonomy::Term]| {
            taxonomy::picked(vocabulary, codes).unwrap_or_else(|| {
                errors.add(field, "Pick from the list.");
                Vec::new()
            })
        };
        let domains = picked("domains", &self.domains, taxonomy::CAPABILITY_TERMS);
        let sectors = picked("sectors", &self.sectors, taxonomy::SECTORS);
        (!domains.is_empty() || !sectors.is_empty()).then_some(CallTopics { domains, sectors })
    }

    /// The document links, each with a label and an http(s) address.
    fn documents(&self, errors: &mut Errors) -> Vec<DocumentLink> {
        if self.documents.len() > MAX_DOCUMENTS {
            errors.add("documents", format!("Link at most {MAX_DOCUMENTS} documents."));
            return Vec::new();
        }
        let mut documents = Vec::new();
        for (index, document) in self.documents.iter().enumerate() {
            let field = format!("documents.{index}");
            let (label, url) = (document.label.trim(), document.url.trim());
            if label.is_empty() && url.is_empty() {
                continue;
            }
            let label = errors.take(&field, line(label, "document's name", MAX_LABEL_CHARS, true));
            if url.chars().count() > MAX_LINK_CHARS || !is_http_url(url) || check_text("link", url, false).is_err() {
                errors.add(
                    &field,
                    "Give the document's address starting with https:// (or http://).",
                );
                continue;
            }
            if let Some(label) = label {
                documents.push(DocumentLink {
                    label,
                    url: url.to_owned(),
                });
            }
        }
        documents
    }

    /// The form showing a stored call.
    pub fn from_call(call: &NewCall) -> CallForm {
        let zone = call.deadline_time_zone.unwrap_or(DeadlineZone::Central);
        let amount = |value: Option<i64>| value.map(|n| n.to_string()).unwrap_or_default();
        let small = |value: Option<i32>| value.map(|n| n.to_string()).unwrap_or_default();
        let trl = |value: Option<Trl>| value.map(|level| level.get().to_string()).unwrap_or_default();
        CallForm {
            reference: call.external_id.clone(),
            title: call.title.clone(),
            programme: call.programme.clone(),
            instrument_kind: call.instrument_kind.as_str().to_owned(),
            opening: call.opening_at.map(|at| form_time(at, zone)).unwrap_or_default(),
            rolling: call.deadlines.is_empty(),
            deadlines: call
                .deadlines
                .iter()
                .map(|d| DeadlineInput {
                    label: d.label.clone().unwrap_or_default(),
                    at: form_time(d.at, zone),
                })
                .collect(),
            time_zone: zone.as_str().to_owned(),
            budget_total: amount(
                call.local_amounts
                    .as_ref()
                    .map_or(call.budget_total_eur, |local| local.total),
            ),
            budget_min: amount(
                call.local_amounts
                    .as_ref()
                    .map_or(call.budget_min_eur, |local| local.min),
            ),
            budget_max: amount(
                call.local_amounts
                    .as_ref()
                    .map_or(call.budget_max_eur, |local| local.max),
            ),
            currency: call
                .local_amounts
                .as_ref()
                .map_or_else(|| "EUR".to_owned(), |local| local.currency.clone()),
            euro_rate: call.local_amounts.as_ref().map(LocalAmounts::rate).unwrap_or_default(),
            funding_rate: small(call.funding_rate_pct),
            countries: call.eligible_countries.iter().map(ToString::to_string).collect(),
            regions: call.eligible_regions.iter().map(ToString::to_string).collect(),
            sme_only: call.sme_only,
            min_partners: small(call.min_partners),
            min_countries: small(call.min_countries),
            trl_min: trl(call.trl_min),
            trl_max: trl(call.trl_max),
            dual_use: call.dual_use,
            keywords: call.keywords.join(", "),
            description: call.description.clone(),
            url: call.url.clone().unwrap_or_default(),
            applicant_kinds: call
                .applicant_kinds
                .iter()
                .map(|kind| kind.as_str().to_owned())
                .collect(),
            domains: call
                .chosen_topics
                .as_ref()
                .map(|t| t.domains.clone())
                .unwrap_or_default(),
            sectors: call
                .chosen_topics
                .as_ref()
                .map(|t| t.sectors.clone())
                .unwrap_or_default(),
            contact: call.contact.clone().unwrap_or_default(),
            documents: call
                .documents
                .iter()
                .map(|document| DocumentInput {
                    label: document.label.clone(),
                    url: document.url.clone(),
                })
                .collect(),
            publish_at: String::new(),
            change_note: String::new(),
        }
    }
}

/// How the deadlines are shown in the call's facts.
fn deadline_model(rolling: bool, count: usize) -> &'static str {
    match (rolling, count) {
        (true, _) | (_, 0) => "Rolling",
        (_, 1) => "Single-stage",
        (_, 2) => "Two-stage",
        _ => "Multiple cut-off",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> CallForm {
        CallForm {
            reference: "RIS3-BE10-2027-01".into(),
            title: "Cyber resilience of Brussels SMEs".into(),
            programme: "Brussels RIS3".into(),
            deadlines: vec![
                DeadlineInput {
                    label: "Short proposal".into(),
                    at: "2027-03-04".into(),
                },
                DeadlineInput {
                    label: "Full proposal".into(),
                    at: "2027-06-10T12:00".into(),
                },
            ],
            countries: vec!["BE".into()],
            regions: vec!["BE10".into()],
            budget_total: "2 000 000".into(),
            budget_max: "150,000".into(),
            applicant_kinds: vec!["sme".into(), "research_organisation".into()],
            sectors: vec!["transport".into()],
            contact: "ris3@innoviris.example".into(),
            documents: vec![DocumentInput {
                label: "Guide for applicants".into(),
                url: "https://innoviris.example/guide.pdf".into(),
            }],
            ..CallForm::blank(InstrumentKind::Grant)
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|error| error.field).collect()
    }

    #[test]
    fn a_two_stage_grant_reads_into_a_call_in_brussels_time() {
        let call = grant().to_new_call("Brussels Region").unwrap();
        assert_eq!(call.external_id, "RIS3-BE10-2027-01");
        assert_eq!(call.deadlines.len(), 2);
        assert_eq!(call.deadlines[0].at.to_rfc3339(), "2027-03-04T16:00:00+00:00");
        assert_eq!(call.deadlines[1].at.to_rfc3339(), "2027-06-10T10:00:00+00:00");
        assert_eq!(call.deadlines[1].label.as_deref(), Some("Full proposal"));
        assert_eq!(call.deadline_model.as_deref(), Some("Two-stage"));
        assert_eq!(call.budget_total_eur, Some(2_000_000));
        assert_eq!(call.budget_max_eur, Some(150_000));
        assert_eq!(call.eligible_regions[0].as_str(), "BE10");
        assert_eq!(call.source, SOURCE);
        assert_eq!(
            call.applicant_kinds,
            [OrganisationKind::Sme, OrganisationKind::ResearchOrganisation]
        );
        assert_eq!(call.sectors(), ["transport"], "chosen, not derived from the text");
        assert_eq!(call.domains(), Vec::<String>::new());
        assert_eq!(call.contact.as_deref(), Some("ris3@innoviris.example"));
        assert_eq!(call.documents[0].label, "Guide for applicants");
        let derived = CallForm {
            sectors: Vec::new(),
            title: "Security of hospital networks".into(),
            ..grant()
        }
        .to_new_call("Brussels Region")
        .unwrap();
        assert_eq!(derived.chosen_topics, None);
        assert!(
            derived.sectors().contains(&"health".to_owned()),
            "{:?}",
            derived.sectors()
        );
    }

    #[test]
    fn amounts_in_another_currency_are_kept_exactly_and_converted_for_comparison() {
        let zloty = CallForm {
            currency: "PLN".into(),
            euro_rate: "4,25".into(),
            budget_total: "8 500 000".into(),
            budget_max: "425 000".into(),
            ..grant()
        };
        let call = zloty.to_new_call("Mazowieckie").unwrap();
        let local = call.local_amounts.clone().unwrap();
        assert_eq!(
            (local.currency.as_str(), local.total, local.max),
            ("PLN", Some(8_500_000), Some(425_000))
        );
        assert_eq!(
            (call.budget_total_eur, call.budget_max_eur),
            (Some(2_000_000), Some(100_000))
        );
        let again = CallForm::from_call(&call);
        assert_eq!(
            (
                again.currency.as_str(),
                again.euro_rate.as_str(),
                again.budget_total.as_str()
            ),
            ("PLN", "4.25", "8500000")
        );
        assert_eq!(again.to_new_call("Mazowieckie").unwrap(), call);
        let no_rate = CallForm {
            euro_rate: "about four".into(),
            ..zloty.clone()
        };
        assert_eq!(fields(no_rate.to_new_call("M").unwrap_err()), ["euro_rate"]);
        let unknown = CallForm {
            currency: "XBT".into(),
            ..zloty
        };
        assert_eq!(fields(unknown.to_new_call("M").unwrap_err()), ["currency"]);
    }

    #[test]
    fn a_stored_call_comes_back_as_the_same_form() {
        let call = grant().to_new_call("Brussels Region").unwrap();
        let again = CallForm::from_call(&call).to_new_call("Brussels Region").unwrap();
        assert_eq!(again, call);
    }

    #[test]
    fn every_mistake_is_named_on_its_field() {
        let form = CallForm {
            reference: "has spaces/slash".into(),
            title: " ".into(),
            instrument_kind: "shares".into(),
            opening: "2027-07-01".into(),
            deadlines: vec![
                DeadlineInput {
                    label: String::new(),
                    at: "next week".into(),
                },
                DeadlineInput {
                    label: String::new(),
                    at: "2027-06-01".into(),
                },
            ],
            budget_min: "10 000".into(),
            budget_max: "5000".into(),
            funding_rate: "140".into(),
            trl_min: "7".into(),
            trl_max: "3".into(),
            countries: vec!["FR".into()],
            regions: vec!["BE10".into(), "XX99".into()],
            url: "javascript:alert(1)".into(),
            applicant_kinds: vec!["pirates".into()],
            domains: vec!["alchemy".into()],
            sectors: vec!["<b>".into()],
            contact: "a\u{7}b".into(),
            documents: vec![
                DocumentInput {
                    label: String::new(),
                    url: String::new(),
                },
                DocumentInput {
                    label: "Guide".into(),
                    url: "javascript:alert(1)".into(),
                },
            ],
            ..grant()
        };
        let errors = fields(form.to_new_call("Body").unwrap_err());
        for field in [
            "reference",
            "title",
            "instrument_kind",
            "deadlines.0",
            "deadlines.1",
            "budget_max",
            "funding_rate",
            "trl_max",
            "regions",
            "url",
            "applicant_kinds",
            "domains",
            "sectors",
            "contact",
            "documents.1",
        ] {
            assert!(errors.iter().any(|f| f == field), "{field} missing from {errors:?}");
        }
    }

    #[test]
    fn a_rolling_call_needs_no_deadline_and_a_dated_one_needs_one() {
        let rolling = CallForm {
            rolling: true,
            ..grant()
        };
        let call = rolling.to_new_call("Body").unwrap();
        assert!(call.deadlines.is_empty());
        assert_eq!(call.deadline_model.as_deref(), Some("Rolling"));
        let undated = CallForm {
            deadlines: vec![DeadlineInput::default()],
            ..grant()
        };
        assert_eq!(fields(undated.to_new_call("Body").unwrap_err()), ["deadlines"]);
    }

    #[test]
    fn stages_must_close_in_order() {
        let mut form = grant();
        form.deadlines.swap(0, 1);
        assert_eq!(fields(form.to_new_call("Body").unwrap_err()), ["deadlines.1"]);
    }
}
