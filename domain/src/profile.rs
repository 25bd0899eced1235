//! An organisation's profile beyond its directory card: figures for its size by the EU SME
//! definition, the maturity of its offer, its dual-use interest, certifications with their
//! expiry, and what it looks for (funding, partner capabilities, countries); the form its
//! editors fill in, read field by field; and how complete the profile is for matching.
//! Shared with the UI.

use crate::call::InstrumentKind;
use crate::codes::{CountryCode, NutsCode, Trl};
use crate::organisation::{Organisation, OrganisationKind, SizeClass, MAX_DESCRIPTION_CHARS};
use crate::publishing::FieldError;
use crate::sanitize::{forbidden_control, is_http_url};
use crate::taxonomy::{self, Term};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest turnover or balance sheet accepted, in euro (more than any company's).
pub const MAX_FIGURE_EUR: i64 = 10_000_000_000_000;
/// The largest headcount accepted.
pub const MAX_HEADCOUNT: i32 = 5_000_000;
/// The most values of a list a profile keeps (countries looked for, …).
pub const MAX_LIST: usize = 40;

/// Interest in civil–military work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DualUseInterest {
    /// Civil applications only.
    Civil,
    /// Defence applications.
    Defence,
    /// Both: dual-use.
    Both,
}

impl DualUseInterest {
    /// Every value, in the order forms list them.
    pub const ALL: [DualUseInterest; 3] = [DualUseInterest::Civil, DualUseInterest::Defence, DualUseInterest::Both];

    /// The stored and sent form.
    pub fn as_str(self) -> &'static str {
        match self {
            DualUseInterest::Civil => "civil",
            DualUseInterest::Defence => "defence",
            DualUseInterest::Both => "both",
        }
    }

    /// The value named `value`, if it is one.
    pub fn parse(value: &str) -> Option<DualUseInterest> {
        DualUseInterest::ALL
            .into_iter()
            .find(|interest| interest.as_str() == value)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            DualUseInterest::Civil => "Civil applications",
            DualUseInterest::Defence => "Defence applications",
            DualUseInterest::Both => "Civil and defence (dual-use)",
        }
    }
}

/// Who may see a profile field: everyone, signed-in members of the portal, or only the
/// organisation's own people. Ordered from the widest audience to the narrowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Everyone, signed in or not (and the search index).
    Public,
    /// People signed in to the portal.
    Members,
    /// The organisation's own people.
    Organisation,
}

impl Audience {
    /// Every audience, widest first.
    pub const ALL: [Audience; 3] = [Audience::Public, Audience::Members, Audience::Organisation];

    /// The stored and sent form.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Members => "members",
            Audience::Organisation => "organisation",
        }
    }

    /// The audience named `value`, if it is one.
    pub fn parse(value: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|audience| audience.as_str() == value)
    }

    /// What editors read when choosing.
    pub fn label(self) -> &'static str {
        match self {
            Audience::Public => "Everyone",
            Audience::Members => "Signed-in members",
            Audience::Organisation => "Only our organisation",
        }
    }
}

/// The fields whose audience an organisation's editors choose, with the audience they have
/// until then.
pub const RESTRICTABLE_FIELDS: [(&str, Audience); 3] = [
    ("headcount", Audience::Public),
    ("turnover", Audience::Organisation),
    ("balance_sheet", Audience::Organisation),
];

/// The profile's details beyond the directory card; every one optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileDetails {
    /// Annual turnover, in euro.
    pub turnover_eur: Option<i64>,
    /// Annual balance-sheet total, in euro.
    pub balance_sheet_eur: Option<i64>,
    /// Technology readiness of what it offers.
    pub offer_trl: Option<Trl>,
    /// Civil, defence or both.
    pub dual_use_interest: Option<DualUseInterest>,
    /// When a certification (by code) expires, where the editors said.
    pub certification_expiry: BTreeMap<String, NaiveDate>,
    /// Funding kinds it looks for.
    pub wants_funding: Vec<InstrumentKind>,
    /// Partner capabilities it looks for (codes of [`taxonomy::CAPABILITY_TERMS`]).
    pub wants_capabilities: Vec<String>,
    /// Countries it looks for partners in.
    pub wants_countries: Vec<CountryCode>,
    /// Who sees each of the [`RESTRICTABLE_FIELDS`], where the editors chose.
    pub visibility: BTreeMap<String, Audience>,
}

impl ProfileDetails {
    /// Who may see `field` (one of [`RESTRICTABLE_FIELDS`]).
    pub fn audience(&self, field: &str) -> Audience {
        self.visibility.get(field).copied().unwrap_or_else(|| {
            RESTRICTABLE_FIELDS
                .iter()
                .find(|(name, _)| *name == field)
                .map_or(Audience::Organisation, |(_, default)| *default)
        })
    }
}

impl Organisation {
    /// This organisation as someone of `viewer`'s audience sees it: each restricted field
    /// left out unless its audience includes them (the size class stays public).
    pub fn as_seen_by(mut self, viewer: Audience) -> Organisation {
        let hidden = |profile: &ProfileDetails, field: &str| profile.audience(field) > viewer;
        if hidden(&self.profile, "headcount") {
            self.headcount = None;
        }
        if hidden(&self.profile, "turnover") {
            self.profile.turnover_eur = None;
        }
        if hidden(&self.profile, "balance_sheet") {
            self.profile.balance_sheet_eur = None;
        }
        self
    }
}

/// One organisation's public page, with what its own people see besides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationPage {
    /// The organisation and its clusters (figures only for its own people).
    pub detail: crate::organisation::OrganisationDetail,
    /// Where it is, as people read it (`Bretagne (FRH0)`, or the country).
    pub place: String,
    /// Its size class with the rule, when its figures give one.
    pub size: Option<SizeFinding>,
    /// Open and forthcoming calls its capabilities touch, in its country.
    pub calls: Vec<crate::call::CallSummary>,
    /// The instant statuses were derived at.
    pub now: chrono::DateTime<chrono::Utc>,
    /// The viewer's role in it, if any.
    pub role: Option<crate::people::Role>,
    /// How complete the profile is (for its own people only).
    pub completeness: Option<Completeness>,
}

/// What an organisation's editors see when editing its profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEditor {
    /// The organisation's public identifier.
    pub organisation_id: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: OrganisationKind,
    /// Its country code.
    pub country: String,
    /// The profile as saved.
    pub form: ProfileForm,
    /// How complete it is.
    pub completeness: Completeness,
}

/// A size class with the rule that gave it, for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeFinding {
    /// The class.
    pub class: SizeClass,
    /// The rule of Recommendation 2003/361/EC it meets, in words.
    pub rule: String,
}

/// What the size finding leaves out, said wherever it is shown.
pub const SIZE_SCOPE_NOTE: &str = "By Commission Recommendation 2003/361/EC, for this organisation alone: \
    the staff and figures of partner and linked enterprises are not added here.";

impl SizeClass {
    /// The rule a class stands for, in words.
    pub fn rule(self) -> &'static str {
        match self {
            SizeClass::Micro => "fewer than 10 staff, and a turnover or a balance sheet of at most €2 million",
            SizeClass::Small => "fewer than 50 staff, and a turnover or a balance sheet of at most €10 million",
            SizeClass::Medium => {
                "fewer than 250 staff, and a turnover of at most €50 million or a balance sheet of at most €43 million"
            }
            SizeClass::Large => "250 staff or more, or both turnover and balance sheet above the medium-sized limits",
        }
    }

    /// The class of an organisation with `headcount` staff and at least one of the two
    /// figures (an unknown one cannot help it qualify); `None` without enough to say.
    pub fn classify_known(
        headcount: Option<i32>,
        turnover_eur: Option<i64>,
        balance_eur: Option<i64>,
    ) -> Option<SizeFinding> {
        let staff = u32::try_from(headcount?).ok()?;
        if turnover_eur.is_none() && balance_eur.is_none() {
            return None;
        }
        let figure = |value: Option<i64>| value.map_or(u64::MAX, |v| u64::try_from(v).unwrap_or(u64::MAX));
        let class = SizeClass::classify(staff, figure(turnover_eur), figure(balance_eur));
        Some(SizeFinding {
            class,
            rule: class.rule().to_owned(),
        })
    }
}

/// What an organisation's editors type: every field of the profile, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    /// What the organisation does.
    pub description: String,
    /// Its website, or empty.
    pub website: String,
    /// Its NUTS region, or empty.
    pub region: String,
    /// Staff headcount (annual work units), or empty.
    pub headcount: String,
    /// Annual turnover in euro, or empty.
    pub turnover: String,
    /// Balance-sheet total in euro, or empty.
    pub balance_sheet: String,
    /// Capability codes.
    pub capabilities: Vec<String>,
    /// NIS2 sector codes.
    pub sectors: Vec<String>,
    /// Certification codes.
    pub certifications: Vec<String>,
    /// Expiry dates (`2027-06-30`) by certification code; empty: none given.
    pub certification_expiry: BTreeMap<String, String>,
    /// TRL of what it offers (1–9), or empty.
    pub offer_trl: String,
    /// `civil`, `defence`, `both`, or empty.
    pub dual_use_interest: String,
    /// Funding kinds it looks for, as [`InstrumentKind::as_str`].
    pub wants_funding: Vec<String>,
    /// Partner capability codes it looks for.
    pub wants_capabilities: Vec<String>,
    /// Countries it looks for partners in.
    pub wants_countries: Vec<String>,
    /// Who sees each of the [`RESTRICTABLE_FIELDS`] (`public`, `members`, `organisation`).
    pub visibility: BTreeMap<String, String>,
}

/// Collects a form's mistakes, each on its field.
#[derive(Default)]
struct Mistakes(Vec<FieldError>);

impl Mistakes {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// A whole number in `0..=max`, or none when empty.
    fn number(&mut self, field: &str, value: &str, max: i64) -> Option<i64> {
        match crate::money::typed_whole_number(value)? {
            Ok(n) if (0..=max).contains(&n) => Some(n),
            _ => {
                self.add(field, format!("Give a whole number between 0 and {max}."));
                None
            }
        }
    }

    /// Codes of `vocabulary`, each once; a code outside it is a mistake.
    fn codes(&mut self, field: &str, codes: &[String], vocabulary: &[Term]) -> Vec<String> {
        taxonomy::picked(vocabulary, codes).unwrap_or_else(|| {
            self.add(field, "Pick from the list.");
            Vec::new()
        })
    }
}

impl ProfileForm {
    /// The form showing `organisation`'s profile.
    pub fn from_organisation(organisation: &Organisation) -> ProfileForm {
        let details = &organisation.profile;
        let number = |value: Option<i64>| value.map(|n| n.to_string()).unwrap_or_default();
        ProfileForm {
            description: organisation.description.clone(),
            website: organisation.website.clone().unwrap_or_default(),
            region: organisation
                .nuts_code
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            headcount: organisation.headcount.map(|n| n.to_string()).unwrap_or_default(),
            turnover: number(details.turnover_eur),
            balance_sheet: number(details.balance_sheet_eur),
            capabilities: organisation.capabilities.clone(),
            sectors: organisation.sectors.clone(),
            certifications: organisation.certifications.clone(),
            certification_expiry: details
                .certification_expiry
                .iter()
                .map(|(code, date)| (code.clone(), date.format("%Y-%m-%d").to_string()))
                .collect(),
            offer_trl: details
                .offer_trl
                .map(|level| level.get().to_string())
                .unwrap_or_default(),
            dual_use_interest: details
                .dual_use_interest
                .map(|interest| interest.as_str().to_owned())
                .unwrap_or_default(),
            wants_funding: details
                .wants_funding
                .iter()
                .map(|kind| kind.as_str().to_owned())
                .collect(),
            wants_capabilities: details.wants_capabilities.clone(),
            wants_countries: details.wants_countries.iter().map(ToString::to_string).collect(),
            visibility: RESTRICTABLE_FIELDS
                .iter()
                .map(|(field, _)| ((*field).to_owned(), details.audience(field).as_str().to_owned()))
                .collect(),
        }
    }

    /// `organisation` with this form's fields, or every mistake on its field (messages never
    /// repeat what was typed). Name, kind and country stay as they are.
    pub fn apply_to(&self, organisation: &Organisation) -> Result<Organisation, Vec<FieldError>> {
        let mut mistakes = Mistakes::default();
        let description = self.description.trim();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            mistakes.add(
                "description",
                format!("Keep it under {MAX_DESCRIPTION_CHARS} characters."),
            );
        } else if forbidden_control(description, true).is_some() {
            mistakes.add("description", "Remove the control characters.");
        }
        let website = self.website.trim();
        if !website.is_empty()
            && (!is_http_url(website) || website.chars().count() > 300 || forbidden_control(website, false).is_some())
        {
            mistakes.add("website", "Give one address starting with https:// (or http://).");
        }
        let region = self.region.trim().to_uppercase();
        let nuts_code = if region.is_empty() {
            None
        } else {
            let code = NutsCode::parse(&region)
                .ok()
                .filter(|code| code.is_region() && code.country() == organisation.country);
            if code.is_none() {
                mistakes.add("region", "Give a NUTS region code of your country, such as PT11.");
            }
            code
        };
        let headcount = mistakes
            .number("headcount", &self.headcount, i64::from(MAX_HEADCOUNT))
            .map(|n| i32::try_from(n).unwrap_or(MAX_HEADCOUNT));
        let turnover_eur = mistakes.number("turnover", &self.turnover, MAX_FIGURE_EUR);
        let balance_sheet_eur = mistakes.number("balance_sheet", &self.balance_sheet, MAX_FIGURE_EUR);
        let capabilities = mistakes.codes("capabilities", &self.capabilities, taxonomy::CAPABILITY_TERMS);
        let sectors = mistakes.codes("sectors", &self.sectors, taxonomy::SECTORS);
        let certifications = mistakes.codes("certifications", &self.certifications, taxonomy::CERTIFICATIONS);
        let wants_capabilities = mistakes.codes(
            "wants_capabilities",
            &self.wants_capabilities,
            taxonomy::CAPABILITY_TERMS,
        );
        let mut certification_expiry = BTreeMap::new();
        for (code, date) in &self.certification_expiry {
            let date = date.trim();
            if date.is_empty() {
                continue;
            }
            if !certifications.contains(code) {
                mistakes.add("certifications", "An expiry date belongs to a certification you hold.");
                break;
            }
            match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
                Ok(date) => {
                    certification_expiry.insert(code.clone(), date);
                }
                Err(_) => {
                    mistakes.add(&format!("certification_expiry.{code}"), "Give the date as 2027-06-30.");
                }
            }
        }
        let offer_trl = match self.offer_trl.trim() {
            "" => None,
            level => {
                let parsed = level.parse::<i64>().ok().and_then(|level| Trl::try_from(level).ok());
                if parsed.is_none() {
                    mistakes.add("offer_trl", "Give a readiness level from 1 to 9.");
                }
                parsed
            }
        };
        let dual_use_interest = match self.dual_use_interest.trim() {
            "" => None,
            value => {
                let parsed = DualUseInterest::parse(value);
                if parsed.is_none() {
                    mistakes.add("dual_use_interest", "Pick from the list.");
                }
                parsed
            }
        };
        let mut wants_funding = Vec::new();
        for value in &self.wants_funding {
            match value.parse::<InstrumentKind>() {
                Ok(kind) if !wants_funding.contains(&kind) => wants_funding.push(kind),
                Ok(_) => {}
                Err(_) => {
                    mistakes.add("wants_funding", "Pick from the list.");
                    break;
                }
            }
        }
        let mut wants_countries: Vec<CountryCode> = Vec::new();
        if self.wants_countries.len() > MAX_LIST {
            mistakes.add("wants_countries", format!("Pick at most {MAX_LIST} countries."));
        } else {
            for value in &self.wants_countries {
                let listed = crate::geo::COUNTRY_NAMES.iter().any(|(code, _)| code == value);
                match CountryCode::parse(value) {
                    Ok(code) if listed => {
                        if !wants_countries.contains(&code) {
                            wants_countries.push(code);
                        }
                    }
                    _ => {
                        mistakes.add("wants_countries", "Pick countries from the list.");
                        break;
                    }
                }
            }
        }
        let mut visibility = BTreeMap::new();
        for (field, value) in &self.visibility {
            let default = RESTRICTABLE_FIELDS
                .iter()
                .find(|(name, _)| name == field)
                .map(|(_, audience)| *audience);
            match (Audience::parse(value.trim()), default) {
                // Only a choice other than the default is kept: the default may change later.
                (Some(audience), Some(default)) => {
                    if audience != default {
                        visibility.insert(field.clone(), audience);
                    }
                }
                _ => {
                    mistakes.add("visibility", "Choose who sees each field from the list.");
                    break;
                }
            }
        }
        if !mistakes.0.is_empty() {
            return Err(mistakes.0);
        }
        let size_class = if matches!(
            organisation.kind,
            OrganisationKind::Sme | OrganisationKind::LargeEnterprise
        ) {
            SizeClass::classify_known(headcount, turnover_eur, balance_sheet_eur)
                .map(|finding| finding.class)
                .or(organisation.size_class)
        } else {
            organisation.size_class
        };
        Ok(Organisation {
            description: description.to_owned(),
            website: (!website.is_empty()).then(|| website.to_owned()),
            nuts_code,
            headcount,
            size_class,
            capabilities,
            sectors,
            certifications,
            dual_use: matches!(
                dual_use_interest,
                Some(DualUseInterest::Defence | DualUseInterest::Both)
            ),
            profile: ProfileDetails {
                turnover_eur,
                balance_sheet_eur,
                offer_trl,
                dual_use_interest,
                certification_expiry,
                wants_funding,
                wants_capabilities,
                wants_countries,
                visibility,
            },
            ..organisation.clone()
        })
    }
}

/// One thing a profile lacks, and what it would improve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingPart {
    /// The form field to fill.
    pub field: String,
    /// Why it matters, for the editors.
    pub why: String,
}

/// How complete a profile is for matching and partner finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completeness {
    /// From 0 to 100.
    pub percent: u8,
    /// What is missing, most useful first.
    pub missing: Vec<MissingPart>,
}

/// How complete `organisation`'s profile is: each part weighs what it adds to matches and
/// partner finds.
pub fn completeness(organisation: &Organisation) -> Completeness {
    let details = &organisation.profile;
    let is_company = matches!(
        organisation.kind,
        OrganisationKind::Sme | OrganisationKind::LargeEnterprise
    );
    let parts: [(bool, u8, &str, &str); 10] = [
        (
            !organisation.capabilities.is_empty(),
            20,
            "capabilities",
            "Calls and partners are matched on capabilities first.",
        ),
        (
            organisation.description.chars().count() >= 200,
            15,
            "description",
            "A description of 200 characters or more lets the text of calls match yours.",
        ),
        (
            !organisation.sectors.is_empty(),
            10,
            "sectors",
            "Calls addressing your NIS2 sectors rank higher.",
        ),
        (
            organisation.nuts_code.is_some(),
            10,
            "region",
            "Regional calls and your region's smart-specialisation priorities need your NUTS region.",
        ),
        (
            !is_company
                || SizeClass::classify_known(organisation.headcount, details.turnover_eur, details.balance_sheet_eur)
                    .is_some(),
            15,
            "headcount",
            "Staff and turnover or balance sheet decide whether SME-only calls are open to you.",
        ),
        (
            !details.wants_funding.is_empty(),
            10,
            "wants_funding",
            "Saying which funding you want hides calls of other kinds.",
        ),
        (
            details.offer_trl.is_some(),
            5,
            "offer_trl",
            "Calls expecting another readiness level rank lower.",
        ),
        (
            !details.wants_capabilities.is_empty(),
            5,
            "wants_capabilities",
            "Partner suggestions bring the capabilities you look for.",
        ),
        (
            details.dual_use_interest.is_some(),
            5,
            "dual_use_interest",
            "Defence and dual-use calls are shown or hidden by it.",
        ),
        (
            organisation.website.is_some(),
            5,
            "website",
            "Partners check a website before they write.",
        ),
    ];
    let percent = parts
        .iter()
        .filter(|(done, ..)| *done)
        .map(|(_, weight, ..)| u32::from(*weight))
        .sum::<u32>();
    Completeness {
        percent: u8::try_from(percent.min(100)).unwrap_or(100),
        missing: parts
            .iter()
            .filter(|(done, ..)| !*done)
            .map(|(_, _, field, why)| MissingPart {
                field: (*field).to_owned(),
                why: (*why).to_owned(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sme() -> Organisation {
        Organisation {
            external_id: "aveiro-labs".into(),
            name: "Aveiro Labs".into(),
            kind: OrganisationKind::Sme,
            country: CountryCode::parse("PT").unwrap(),
            nuts_code: None,
            size_class: None,
            headcount: None,
            website: None,
            description: String::new(),
            dual_use: false,
            capabilities: Vec::new(),
            sectors: Vec::new(),
            certifications: Vec::new(),
            profile: ProfileDetails::default(),
        }
    }

    #[test]
    fn twelve_staff_and_two_million_turnover_make_a_small_enterprise_with_the_rule_said() {
        let finding = SizeClass::classify_known(Some(12), Some(2_000_000), None).unwrap();
        assert_eq!(finding.class, SizeClass::Small);
        assert!(finding.rule.contains("fewer than 50 staff"));
        assert_eq!(
            SizeClass::classify_known(Some(12), None, None),
            None,
            "a figure is needed"
        );
        assert_eq!(SizeClass::classify_known(None, Some(1), Some(1)), None);
        assert_eq!(
            SizeClass::classify_known(Some(9), None, Some(1_500_000)).map(|f| f.class),
            Some(SizeClass::Micro),
            "the balance sheet alone can qualify"
        );
    }

    #[test]
    fn a_filled_form_becomes_the_profile_and_comes_back_the_same() {
        let form = ProfileForm {
            description: "Post-quantum key exchange for utilities.".into(),
            website: "https://aveiro-labs.pt".into(),
            region: "pt16".into(),
            headcount: "12".into(),
            turnover: "2 000 000".into(),
            capabilities: vec!["cryptology".into()],
            sectors: vec!["energy".into()],
            certifications: vec!["iso27001".into()],
            certification_expiry: BTreeMap::from([("iso27001".into(), "2027-06-30".into())]),
            offer_trl: "6".into(),
            dual_use_interest: "both".into(),
            wants_funding: vec!["grant".into(), "equity".into()],
            wants_capabilities: vec!["network-security".into()],
            wants_countries: vec!["EE".into()],
            ..ProfileForm::default()
        };
        let profiled = form.apply_to(&sme()).unwrap();
        assert_eq!(profiled.size_class, Some(SizeClass::Small));
        assert_eq!(
            profiled.nuts_code.as_ref().map(ToString::to_string).as_deref(),
            Some("PT16")
        );
        assert!(profiled.dual_use);
        assert_eq!(profiled.profile.turnover_eur, Some(2_000_000));
        let again = ProfileForm::from_organisation(&profiled);
        assert_eq!(again.apply_to(&sme()).unwrap(), profiled);
        assert!(profiled.validate().is_ok());
    }

    #[test]
    fn every_mistake_is_named_on_its_field_without_repeating_it() {
        let form = ProfileForm {
            website: "javascript:alert(1)".into(),
            region: "FRH0".into(),
            headcount: "-3".into(),
            turnover: "lots".into(),
            capabilities: vec!["alchemy".into()],
            certification_expiry: BTreeMap::from([("iso27001".into(), "soon".into())]),
            offer_trl: "12".into(),
            dual_use_interest: "<b>".into(),
            wants_funding: vec!["shares".into()],
            wants_countries: vec!["XX".into()],
            ..ProfileForm::default()
        };
        let mistakes = form.apply_to(&sme()).unwrap_err();
        let fields: Vec<&str> = mistakes.iter().map(|m| m.field.as_str()).collect();
        for field in [
            "website",
            "region",
            "headcount",
            "turnover",
            "capabilities",
            "certifications",
            "offer_trl",
            "dual_use_interest",
            "wants_funding",
            "wants_countries",
        ] {
            assert!(fields.contains(&field), "{field} missing from {fields:?}");
        }
        assert!(mistakes
            .iter()
            .all(|m| !m.message.contains("alchemy") && !m.message.contains("<b>")));
    }

    #[test]
    fn each_restricted_field_reaches_only_its_audience() {
        let mut org = sme();
        org.headcount = Some(12);
        org.profile.turnover_eur = Some(2_000_000);
        assert_eq!(
            org.clone().as_seen_by(Audience::Public).headcount,
            Some(12),
            "staff are public by default"
        );
        assert_eq!(
            org.clone().as_seen_by(Audience::Members).profile.turnover_eur,
            None,
            "figures are the organisation's"
        );
        org.profile.visibility.insert("headcount".into(), Audience::Members);
        assert_eq!(org.clone().as_seen_by(Audience::Public).headcount, None);
        assert_eq!(org.clone().as_seen_by(Audience::Members).headcount, Some(12));
        let own = org.clone().as_seen_by(Audience::Organisation);
        assert_eq!((own.headcount, own.profile.turnover_eur), (Some(12), Some(2_000_000)));
        let wrong = ProfileForm {
            visibility: BTreeMap::from([("headcount".into(), "everyone-ish".into())]),
            ..ProfileForm::default()
        };
        assert_eq!(wrong.apply_to(&sme()).unwrap_err()[0].field, "visibility");
    }

    #[test]
    fn completeness_counts_what_matching_uses_and_names_what_is_missing() {
        let empty = completeness(&sme());
        assert_eq!(empty.percent, 0);
        assert_eq!(empty.missing[0].field, "capabilities");
        let mut fuller = sme();
        fuller.capabilities = vec!["cryptology".into()];
        fuller.headcount = Some(12);
        fuller.profile.turnover_eur = Some(2_000_000);
        let some = completeness(&fuller);
        assert_eq!(some.percent, 35);
        assert!(some
            .missing
            .iter()
            .all(|part| part.field != "capabilities" && part.field != "headcount"));
    }
}
