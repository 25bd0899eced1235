//! The rules of a match, with no I/O: what the matcher reads of a call ([`CallFacts`]) and of
//! an organisation ([`Applicant`]), what excludes a call ([`blockers`]), the points of each
//! part of its fit ([`evaluate`]) and the words that explain both ([`explain`]). The points
//! and the words are computed from the same facts, so a reason never claims what the score
//! did not count.

use super::capabilities::{self, CapabilitySet};
use super::text_model::Weighted;
use super::{Blocker, BlockerKind, FitKind, FitPart};
use crate::call::{CallDates, CallDetail, CallStatus, CallSummary, Deadline, InstrumentKind};
use crate::codes::{CountryCode, NutsCode, Trl};
use crate::geo::{self, RegionNames};
use crate::organisation::{Organisation, OrganisationKind, SizeClass};
use crate::profile::DualUseInterest;
use crate::taxonomy::{self, Term};
use chrono::{DateTime, Utc};

/// The cosine at which two texts count as fully alike (real profiles and calls rarely pass it).
const TEXT_FULL: f32 = 0.25;
/// Points for one capability shared with a call whose funding body chose it (one read from
/// the call's text counts for less, and less still the more calls mention it).
const CAPABILITY_POINTS: f32 = 18.0;
/// What a research domain covered only half (a sub-domain against its domain) counts for.
const HALF_COVER: f32 = 0.5;
/// Points for one sector shared, weighed the same way.
const SECTOR_POINTS: f32 = 7.0;
/// A term mentioned by this share of the calls or fewer is specific: it counts in full.
const SPECIFIC_SHARE: f32 = 0.05;
/// What a capability or sector read from a call's text (not chosen by its funding body)
/// counts for, at most.
const DERIVED_WEIGHT: f32 = 0.35;
/// Below this many days to the next deadline, a proposal cannot be prepared well: no points.
const DEADLINE_TOO_CLOSE_DAYS: i64 = 7;
/// From this many days to the next deadline on, the time to prepare earns every point.
const DEADLINE_COMFORTABLE_DAYS: i64 = 60;
/// The points taken from a call of the same call (family) as one marked not relevant.
const SAME_CALL_PENALTY: i32 = 8;
/// The points taken from a call of the same programme part as one marked not relevant.
const SAME_PROGRAMME_PENALTY: i32 = 4;

/// The bits of the terms of `vocabulary` among `codes`.
pub fn term_bits(vocabulary: &[Term], codes: &[String]) -> u32 {
    codes
        .iter()
        .filter_map(|code| vocabulary.iter().position(|term| term.code == code))
        .fold(0, |bits, index| bits | 1 << index)
}

/// How specific each capability and sector is among the calls matched: a term that few
/// calls mention says more about each of them than one that half of them mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Specificity {
    /// Per capability bit, from 0 to 1.
    pub capabilities: [f32; 32],
    /// Per sector bit, from 0 to 1.
    pub sectors: [f32; 32],
}

impl Default for Specificity {
    fn default() -> Self {
        Specificity {
            capabilities: [1.0; 32],
            sectors: [1.0; 32],
        }
    }
}

impl Specificity {
    /// The specificity of each term among `calls`: 1 for a term at most
    /// [`SPECIFIC_SHARE`] of them mention, falling with the log of its share beyond.
    pub fn of(calls: &[CallFacts]) -> Specificity {
        let weigh = |bits: &dyn Fn(&CallFacts) -> u32| {
            let mut counts = [0u32; 32];
            for call in calls {
                let bits = bits(call);
                for (bit, count) in counts.iter_mut().enumerate() {
                    *count += (bits >> bit) & 1;
                }
            }
            let total = calls.len().max(1) as f32;
            counts.map(|count| {
                let share = (count.max(1) as f32 / total).max(SPECIFIC_SHARE);
                (share.ln() / SPECIFIC_SHARE.ln()).clamp(0.0, 1.0)
            })
        };
        Specificity {
            capabilities: weigh(&|call| call.capabilities.touched()),
            sectors: weigh(&|call| call.sectors),
        }
    }

    /// The weight of the terms `bits` of a call as evidence: one each when its funding body
    /// chose them; read from its text, [`DERIVED_WEIGHT`] times their specificity each.
    fn evidence(weights: &[f32; 32], bits: u32, chosen: bool) -> f32 {
        let terms = (0..32).filter(|bit| bits & (1 << bit) != 0);
        if chosen {
            terms.count() as f32
        } else {
            terms.map(|bit| weights[bit] * DERIVED_WEIGHT).sum()
        }
    }
}

/// The labels of the terms of `vocabulary` whose bits are set, joined for reading.
pub(super) fn term_labels(vocabulary: &[Term], bits: u32) -> String {
    let labels: Vec<&str> = terms_of(vocabulary, bits).map(|term| term.label).collect();
    join_words(&labels)
}

/// The terms of `vocabulary` whose bits are set, in its order.
pub fn terms_of(vocabulary: &[Term], bits: u32) -> impl Iterator<Item = &Term> {
    vocabulary
        .iter()
        .enumerate()
        .filter(move |(index, _)| bits & (1 << index) != 0)
        .map(|(_, term)| term)
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What the matcher reads of a call: its dates, topics and rules, compiled for speed.
#[derive(Debug, Clone)]
pub struct CallFacts {
    /// The list fields (status and next deadline as of when it was compiled).
    pub summary: CallSummary,
    /// When it opens, if known.
    pub opening_at: Option<DateTime<Utc>>,
    /// Announced as forthcoming without an opening date.
    pub announced_forthcoming: bool,
    /// Its deadlines.
    pub deadlines: Vec<Deadline>,
    /// Its capabilities: research domains and sub-domains.
    pub capabilities: CapabilitySet,
    /// Bits of its sectors in [`taxonomy::SECTORS`].
    pub sectors: u32,
    /// Eligible countries; empty: any.
    pub countries: Vec<CountryCode>,
    /// Eligible regions; empty: any.
    pub regions: Vec<NutsCode>,
    /// Lowest readiness level expected.
    pub trl_min: Option<Trl>,
    /// Highest readiness level expected.
    pub trl_max: Option<Trl>,
    /// Kinds of applicant admitted; empty: any.
    pub applicant_kinds: Vec<OrganisationKind>,
    /// Minimum number of partners.
    pub min_partners: Option<i32>,
    /// Minimum number of countries in the consortium.
    pub min_countries: Option<i32>,
    /// The call (family of topics) it belongs to.
    pub family: Option<String>,
    /// Whether its funding body chose its capabilities and sectors (else read from its text).
    pub topics_chosen: bool,
}

impl CallFacts {
    /// The facts of `detail`.
    pub fn of(detail: &CallDetail) -> CallFacts {
        CallFacts {
            summary: detail.summary.clone(),
            opening_at: detail.opening_at,
            announced_forthcoming: detail.announced_forthcoming,
            deadlines: detail.deadlines.clone(),
            capabilities: CapabilitySet::of(&detail.domains),
            sectors: term_bits(taxonomy::SECTORS, &detail.sectors),
            countries: detail.eligible_countries.clone(),
            regions: detail.eligible_regions.clone(),
            trl_min: detail.trl_min,
            trl_max: detail.trl_max,
            applicant_kinds: detail.applicant_kinds.clone(),
            min_partners: detail.min_partners,
            min_countries: detail.min_countries,
            family: detail.call_identifier.clone(),
            topics_chosen: detail.topics_chosen,
        }
    }

    /// Its dates, to derive its status.
    pub fn dates(&self) -> CallDates<'_> {
        CallDates {
            opening_at: self.opening_at,
            announced_forthcoming: self.announced_forthcoming,
            deadlines: &self.deadlines,
        }
    }

    /// Its list fields as of `now`.
    pub fn summary_at(&self, now: DateTime<Utc>) -> CallSummary {
        let dates = self.dates();
        CallSummary {
            status: dates.status_at(now),
            next_deadline: dates.next_deadline(now).cloned(),
            ..self.summary.clone()
        }
    }
}

/// A smart-specialisation priority of the applicant's region (or an area containing it).
#[derive(Debug, Clone)]
pub struct RegionPriority {
    /// The region whose strategy lists it, as people read it.
    pub region_label: String,
    /// The priority's name.
    pub title: String,
    /// Bits of its capabilities.
    pub capabilities: u32,
    /// Bits of its sectors.
    pub sectors: u32,
}

/// A call the applicant marked not relevant: what makes other calls like it.
#[derive(Debug, Clone)]
pub struct Dismissed {
    /// Its identifier.
    pub external_id: String,
    /// The call (family) it belongs to.
    pub family: Option<String>,
    /// Its programme and programme part.
    pub programme: (String, Option<String>),
}

/// What the matcher reads of an organisation, compiled for speed.
#[derive(Debug, Clone)]
pub struct Applicant {
    /// Its kind.
    pub kind: OrganisationKind,
    /// Its country.
    pub country: CountryCode,
    /// Its region, when known.
    pub region: Option<NutsCode>,
    /// Its capabilities: research domains and sub-domains.
    pub capabilities: CapabilitySet,
    /// Bits of its sectors.
    pub sectors: u32,
    /// Why it is not an SME by the EU definition, or `None` when it is one.
    pub not_sme: Option<String>,
    /// Funding kinds it wants; empty: any.
    pub wants: Vec<InstrumentKind>,
    /// Its readiness level.
    pub trl: Option<Trl>,
    /// Civil, defence or both.
    pub interest: Option<DualUseInterest>,
    /// Its yearly turnover (or, from its size class, an estimate), for companies.
    pub scale_eur: Option<i64>,
    /// Its region's smart-specialisation priorities.
    pub priorities: Vec<RegionPriority>,
    /// Its description's words, weighted.
    pub text: Vec<Weighted>,
    /// Calls it marked not relevant.
    pub dismissed: Vec<Dismissed>,
}

impl Applicant {
    /// The facts of `organisation`, with its region's `priorities` and its description's
    /// weighted words; no dismissed calls.
    pub fn of(organisation: &Organisation, priorities: Vec<RegionPriority>, text: Vec<Weighted>) -> Applicant {
        let details = &organisation.profile;
        let finding =
            SizeClass::classify_known(organisation.headcount, details.turnover_eur, details.balance_sheet_eur);
        let class = finding.as_ref().map(|f| f.class).or(organisation.size_class);
        let not_sme = match (organisation.kind, class) {
            (OrganisationKind::Sme, Some(SizeClass::Large)) => Some(format!(
                "by the EU definition your figures make {} a large enterprise",
                organisation.name
            )),
            (OrganisationKind::Sme, _) => None,
            (kind, _) => Some(format!("{} is a {}", organisation.name, kind.label().to_lowercase())),
        };
        let is_company = matches!(
            organisation.kind,
            OrganisationKind::Sme | OrganisationKind::LargeEnterprise
        );
        let scale_eur = is_company
            .then(|| {
                details.turnover_eur.or_else(|| {
                    class.map(|class| match class {
                        SizeClass::Micro => 1_000_000,
                        SizeClass::Small => 5_000_000,
                        SizeClass::Medium => 25_000_000,
                        SizeClass::Large => 200_000_000,
                    })
                })
            })
            .flatten();
        let interest = details
            .dual_use_interest
            .or(organisation.dual_use.then_some(DualUseInterest::Both));
        Applicant {
            kind: organisation.kind,
            country: organisation.country.clone(),
            region: organisation.nuts_code.clone(),
            capabilities: CapabilitySet::of(&organisation.capabilities),
            sectors: term_bits(taxonomy::SECTORS, &organisation.sectors),
            not_sme,
            wants: details.wants_funding.clone(),
            trl: details.offer_trl,
            interest,
            scale_eur,
            priorities,
            text,
            dismissed: Vec::new(),
        }
    }
}

/// The points of each part of a call's fit, and what excludes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// The blockers' bits ([`BlockerKind::bit`]).
    pub blockers: u16,
    /// Points per part, in [`FitKind::ALL`]'s order.
    pub points: [i32; 9],
    /// The text likeness (cosine), to order calls of equal score.
    pub similarity: f32,
    /// Whether the applicant marked this call not relevant.
    pub dismissed: bool,
}

impl Evaluation {
    /// The score: the sum of the parts.
    pub fn score(&self) -> i32 {
        self.points.iter().sum()
    }

    /// The points of one part.
    pub fn points_of(&self, kind: FitKind) -> i32 {
        self.points[kind as usize]
    }
}

/// Days from `now` to `deadline`, rounded down.
fn days_until(now: DateTime<Utc>, deadline: DateTime<Utc>) -> i64 {
    (deadline - now).num_days()
}

/// Whether `applicant`'s region is within one of `regions`; without a region, whether one of
/// them is in its country (it may be; the profile does not say).
fn region_eligible(applicant: &Applicant, regions: &[NutsCode]) -> bool {
    match &applicant.region {
        Some(region) => regions
            .iter()
            .any(|eligible| geo::nuts_lineage(region.as_str()).any(|area| area == eligible.as_str())),
        None => regions.iter().any(|eligible| eligible.country() == applicant.country),
    }
}

/// The bits of what excludes `call` (whose status is `status`) for `applicant`.
pub fn blockers(applicant: &Applicant, call: &CallFacts, status: CallStatus) -> u16 {
    let mut bits = 0;
    let mut block = |kind: BlockerKind, excluded: bool| {
        if excluded {
            bits |= kind.bit();
        }
    };
    block(BlockerKind::Closed, status == CallStatus::Closed);
    block(
        BlockerKind::Country,
        !call.countries.is_empty() && !call.countries.contains(&applicant.country),
    );
    block(
        BlockerKind::Region,
        !call.regions.is_empty() && !region_eligible(applicant, &call.regions),
    );
    block(
        BlockerKind::NotSme,
        call.summary.sme_only && applicant.not_sme.is_some(),
    );
    block(
        BlockerKind::FundingKind,
        !applicant.wants.is_empty() && !applicant.wants.contains(&call.summary.instrument_kind),
    );
    block(
        BlockerKind::Trl,
        applicant
            .trl
            .is_some_and(|trl| call.trl_min.is_some_and(|min| trl < min) || call.trl_max.is_some_and(|max| trl > max)),
    );
    block(
        BlockerKind::ApplicantKind,
        !call.applicant_kinds.is_empty() && !call.applicant_kinds.contains(&applicant.kind),
    );
    block(
        BlockerKind::Defence,
        call.summary.dual_use && applicant.interest == Some(DualUseInterest::Civil),
    );
    bits
}

/// The priorities of the applicant's region that a regional `call` serves.
fn served_priorities<'a>(applicant: &'a Applicant, call: &CallFacts) -> impl Iterator<Item = &'a RegionPriority> {
    let regional = !call.regions.is_empty();
    let (capabilities, sectors) = (call.capabilities.touched(), call.sectors);
    applicant
        .priorities
        .iter()
        .filter(move |p| regional && (p.capabilities & capabilities != 0 || p.sectors & sectors != 0))
}

/// Days left to prepare: `None` for a forthcoming or rolling call (time enough).
fn days_to_prepare(call: &CallFacts, status: CallStatus, now: DateTime<Utc>) -> Option<i64> {
    if status == CallStatus::Forthcoming {
        return None;
    }
    call.dates()
        .next_deadline(now)
        .map(|deadline| days_until(now, deadline.at))
}

/// The money per partner of `call`, when its budget is known.
fn share_per_partner(call: &CallFacts) -> Option<i64> {
    let budget = call.summary.budget_max_eur.or(call.summary.budget_min_eur)?;
    Some(budget / i64::from(call.min_partners.unwrap_or(1).max(1)))
}

/// How a dismissed call is like `call`: the penalty and the dismissed call it is like.
fn likeness_to_dismissed<'a>(applicant: &'a Applicant, call: &CallFacts) -> Option<(i32, &'a Dismissed)> {
    let same_call = applicant
        .dismissed
        .iter()
        .find(|d| d.family.is_some() && d.family == call.family);
    if let Some(dismissed) = same_call {
        return Some((SAME_CALL_PENALTY, dismissed));
    }
    applicant
        .dismissed
        .iter()
        .find(|d| {
            d.programme.1.is_some()
                && d.programme.0 == call.summary.programme
                && d.programme.1 == call.summary.programme_part
        })
        .map(|dismissed| (SAME_PROGRAMME_PENALTY, dismissed))
}

/// The points of each part of `call`'s fit for `applicant` at `now`, the text likeness being
/// `similarity` (cosine, 0 to 1), and what excludes it.
pub fn evaluate(
    applicant: &Applicant,
    call: &CallFacts,
    similarity: f32,
    specificity: &Specificity,
    now: DateTime<Utc>,
) -> Evaluation {
    let status = call.dates().status_at(now);
    let mut points = [0; 9];
    let evidence = |weights: &[f32; 32], bits: u32| Specificity::evidence(weights, bits, call.topics_chosen);
    let points_for =
        |evidence: f32, per_term: f32, kind: FitKind| ((per_term * evidence).round() as i32).min(kind.max_points());
    let cover = capabilities::cover(&call.capabilities, &applicant.capabilities);
    points[FitKind::Capabilities as usize] = points_for(
        evidence(&specificity.capabilities, cover.full) + HALF_COVER * evidence(&specificity.capabilities, cover.half),
        CAPABILITY_POINTS,
        FitKind::Capabilities,
    );
    points[FitKind::Sectors as usize] = points_for(
        evidence(&specificity.sectors, applicant.sectors & call.sectors),
        SECTOR_POINTS,
        FitKind::Sectors,
    );
    let text_max = FitKind::Text.max_points() as f32;
    points[FitKind::Text as usize] = (text_max * (similarity / TEXT_FULL).clamp(0.0, 1.0)).round() as i32;
    if served_priorities(applicant, call).next().is_some() {
        points[FitKind::RegionPriority as usize] = FitKind::RegionPriority.max_points();
    }
    points[FitKind::Deadline as usize] = deadline_points(days_to_prepare(call, status, now));
    let trl_known = call.trl_min.is_some() || call.trl_max.is_some();
    if applicant.trl.is_some() && trl_known {
        points[FitKind::Trl as usize] = FitKind::Trl.max_points();
    }
    points[FitKind::Budget as usize] = budget_points(applicant, call);
    points[FitKind::DualUse as usize] = dual_use_points(applicant, call);
    let blockers = blockers(applicant, call, status);
    // An out-of-range TRL is a blocker; in range it earned its points above.
    if blockers & BlockerKind::Trl.bit() != 0 {
        points[FitKind::Trl as usize] = 0;
    }
    let dismissed = applicant
        .dismissed
        .iter()
        .any(|d| d.external_id == call.summary.external_id);
    if !dismissed {
        if let Some((penalty, _)) = likeness_to_dismissed(applicant, call) {
            let earned: i32 = points.iter().sum();
            points[FitKind::NotRelevant as usize] = -penalty.min(earned);
        }
    }
    Evaluation {
        blockers,
        points,
        similarity,
        dismissed,
    }
}

/// Points for the time left to prepare (`None`: time enough).
fn deadline_points(days: Option<i64>) -> i32 {
    let max = FitKind::Deadline.max_points();
    match days {
        None => max,
        Some(days) if days >= DEADLINE_COMFORTABLE_DAYS => max,
        Some(days) if days < DEADLINE_TOO_CLOSE_DAYS => 0,
        Some(days) => {
            let span = (DEADLINE_COMFORTABLE_DAYS - DEADLINE_TOO_CLOSE_DAYS) as f32;
            (max as f32 * (days - DEADLINE_TOO_CLOSE_DAYS) as f32 / span).round() as i32
        }
    }
}

/// Points for the money per partner next to a company's turnover: all when it is at most
/// the turnover, half up to five times it, none beyond.
fn budget_points(applicant: &Applicant, call: &CallFacts) -> i32 {
    let (Some(scale), Some(share)) = (applicant.scale_eur, share_per_partner(call)) else {
        return 0;
    };
    let max = FitKind::Budget.max_points();
    if share <= scale.max(1) {
        max
    } else if share <= scale.max(1).saturating_mul(5) {
        max / 2
    } else {
        0
    }
}

/// Points for civil or defence work as the applicant wants it.
fn dual_use_points(applicant: &Applicant, call: &CallFacts) -> i32 {
    let aligned = match (applicant.interest, call.summary.dual_use) {
        (Some(DualUseInterest::Both), _) => true,
        (Some(DualUseInterest::Defence), defence) => defence,
        (Some(DualUseInterest::Civil), defence) => !defence,
        (None, _) => false,
    };
    if aligned {
        FitKind::DualUse.max_points()
    } else {
        0
    }
}

/// A day as people read it: `4 December 2026`.
fn day(instant: DateTime<Utc>) -> String {
    instant.format("%-d %B %Y").to_string()
}

/// Euro amounts as people read them: `€2.5 million`, `€600,000`.
fn euros(amount: i64) -> String {
    if amount >= 1_000_000 {
        let millions = amount as f64 / 1_000_000.0;
        let shown = format!("{millions:.1}");
        format!("€{} million", shown.trim_end_matches(".0"))
    } else {
        let digits = amount.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        format!("€{grouped}")
    }
}

/// The reasons for `evaluation` of `call` for `applicant`: its blockers, then its parts —
/// those with points first, largest first, then those without, saying what would earn them.
pub fn explain(
    applicant: &Applicant,
    call: &CallFacts,
    evaluation: &Evaluation,
    now: DateTime<Utc>,
    names: &RegionNames,
) -> (Vec<Blocker>, Vec<FitPart>) {
    let blockers = BlockerKind::ALL
        .into_iter()
        .filter(|kind| evaluation.blockers & kind.bit() != 0)
        .map(|kind| Blocker {
            kind,
            reason: blocker_reason(kind, applicant, call, names),
        })
        .collect();
    let mut parts: Vec<FitPart> = FitKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let points = evaluation.points_of(kind);
            part_reason(kind, points, applicant, call, evaluation, now).map(|reason| FitPart { kind, points, reason })
        })
        .collect();
    parts.sort_by_key(|part| (part.points <= 0, -part.points.abs()));
    (blockers, parts)
}

/// Why `kind` excludes `call`.
fn blocker_reason(kind: BlockerKind, applicant: &Applicant, call: &CallFacts, names: &RegionNames) -> String {
    match kind {
        BlockerKind::Closed => match call.deadlines.iter().map(|d| d.at).max() {
            Some(last) => format!("Closed: its last deadline was {}.", day(last)),
            None => "Closed.".to_owned(),
        },
        BlockerKind::Country => {
            let countries: Vec<String> = call.countries.iter().map(|c| geo::country_label(c.as_str())).collect();
            let countries: Vec<&str> = countries.iter().map(String::as_str).collect();
            format!(
                "Open to applicants from {} only; you are in {}.",
                join_words(&countries),
                geo::country_label(applicant.country.as_str())
            )
        }
        BlockerKind::Region => {
            let regions: Vec<String> = call
                .regions
                .iter()
                .map(|r| geo::area_label(r.as_str(), names))
                .collect();
            let regions: Vec<&str> = regions.iter().map(String::as_str).collect();
            let yours = match &applicant.region {
                Some(region) => format!("your region is {}", geo::area_label(region.as_str(), names)),
                None => format!("you are in {}", geo::country_label(applicant.country.as_str())),
            };
            format!("Restricted to applicants in {}; {yours}.", join_words(&regions))
        }
        BlockerKind::NotSme => format!(
            "Only SMEs may apply; {}.",
            applicant.not_sme.as_deref().unwrap_or("you are not an SME")
        ),
        BlockerKind::FundingKind => {
            let wanted: Vec<&str> = applicant.wants.iter().map(|kind| kind.label()).collect();
            format!(
                "It offers {}; your profile asks for {} only.",
                call.summary.instrument_kind.label().to_lowercase(),
                join_words(&wanted).to_lowercase()
            )
        }
        BlockerKind::Trl => format!(
            "It expects {}; you work at TRL {}.",
            trl_range(call),
            applicant.trl.map_or(0, u8::from)
        ),
        BlockerKind::ApplicantKind => {
            let kinds: Vec<String> = call.applicant_kinds.iter().map(|k| k.label().to_lowercase()).collect();
            let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
            format!(
                "Open to {} only; you are a {}.",
                join_words(&kinds),
                applicant.kind.label().to_lowercase()
            )
        }
        BlockerKind::Defence => "A defence call; your profile says civil applications only.".to_owned(),
    }
}

/// Why a vocabulary part got its points: the terms the profile (`mine`) shares with the
/// call's (`theirs`) in `shared` words (given their labels and whether there is one), else
/// the call's terms the profile lacks, else `none_named`.
fn overlap_reason(
    vocabulary: &[Term],
    mine: u32,
    call: &CallFacts,
    theirs: u32,
    shared: impl Fn(String, bool) -> String,
    none_named: &str,
) -> String {
    let common = mine & theirs;
    if common != 0 {
        format!(
            "{}{}.",
            shared(term_labels(vocabulary, common), common.count_ones() == 1),
            read_from_text(call)
        )
    } else if theirs == 0 {
        none_named.to_owned()
    } else {
        format!(
            "It names {}; your profile lists none of them.",
            term_labels(vocabulary, theirs)
        )
    }
}

/// Why the capabilities part got its points: the terms the profile shares with the call, then
/// the domains it covers half, with the terms on each side; else the call's terms it lacks.
fn capability_reason(applicant: &Applicant, call: &CallFacts) -> String {
    let (mine, theirs) = (&applicant.capabilities, &call.capabilities);
    let asked = theirs.touched();
    let cover = capabilities::cover(theirs, mine);
    let labels = |terms: Vec<&Term>| {
        let labels: Vec<&str> = terms.iter().map(|term| term.label).collect();
        join_words(&labels)
    };
    if asked == 0 {
        return "The call names no cybersecurity capability.".to_owned();
    }
    if cover.full == 0 && cover.half == 0 {
        return format!(
            "It names {}; your profile lists none of them.",
            labels(theirs.terms_within(asked))
        );
    }
    let mut sentences = Vec::new();
    if cover.full != 0 {
        let shared = mine.shared_within(theirs, cover.full);
        let (noun, verb) = if shared.len() == 1 {
            ("capability", "is")
        } else {
            ("capabilities", "are")
        };
        sentences.push(format!(
            "Your {noun} {} {verb} among this call's topics.",
            labels(shared)
        ));
    }
    for (bit, domain) in taxonomy::CAPABILITIES.iter().enumerate() {
        if cover.half & (1 << bit) == 0 {
            continue;
        }
        let (yours, its) = (mine.terms_within(1 << bit), theirs.terms_within(1 << bit));
        let sentence = if its.first() == Some(&domain) {
            format!(
                "Your {} is part of {}, which it names: counts half.",
                labels(yours),
                domain.label
            )
        } else if yours.first() == Some(&domain) {
            format!("It names {}, part of your {}: counts half.", labels(its), domain.label)
        } else {
            format!(
                "Your {} and its {} are both part of {}: counts half.",
                labels(yours),
                labels(its),
                domain.label
            )
        };
        sentences.push(sentence);
    }
    let mut reason = sentences.join(" ");
    if !call.topics_chosen {
        reason.pop();
        reason.push_str(read_from_text(call));
        reason.push('.');
    }
    reason
}

/// What a reason adds when the call's topics were read from its text: that they weigh less.
fn read_from_text(call: &CallFacts) -> &'static str {
    if call.topics_chosen {
        ""
    } else {
        " (read from its text, so it counts for less)"
    }
}

/// `TRL 4–6`, `TRL 5 or more`, `TRL 7 at most`.
fn trl_range(call: &CallFacts) -> String {
    match (call.trl_min, call.trl_max) {
        (Some(min), Some(max)) if min == max => format!("TRL {}", u8::from(min)),
        (Some(min), Some(max)) => format!("TRL {}–{}", u8::from(min), u8::from(max)),
        (Some(min), None) => format!("TRL {} or more", u8::from(min)),
        (None, Some(max)) => format!("TRL {} at most", u8::from(max)),
        (None, None) => "no particular TRL".to_owned(),
    }
}

/// Why part `kind` got `points` — or, without points, what would earn them; `None` when the
/// part says nothing about this call (a penalty not applied).
fn part_reason(
    kind: FitKind,
    points: i32,
    applicant: &Applicant,
    call: &CallFacts,
    evaluation: &Evaluation,
    now: DateTime<Utc>,
) -> Option<String> {
    let status = call.dates().status_at(now);
    Some(match kind {
        FitKind::Capabilities => capability_reason(applicant, call),
        FitKind::Sectors => overlap_reason(
            taxonomy::SECTORS,
            applicant.sectors,
            call,
            call.sectors,
            |labels, _| format!("It addresses your sectors: {labels}"),
            "The call names no NIS2 sector.",
        ),
        FitKind::Text => {
            let percent = (evaluation.similarity * 100.0).round();
            if points > 0 {
                format!("Your description and the call's text share rare words ({percent:.0}% alike).")
            } else if applicant.text.is_empty() {
                "Add a description of what you do to compare it with the call's text.".to_owned()
            } else {
                "Your description and the call's text have little in common.".to_owned()
            }
        }
        FitKind::RegionPriority => match served_priorities(applicant, call).next() {
            Some(priority) => format!(
                "Your region {} lists “{}” among its smart-specialisation priorities, and this regional call serves it.",
                priority.region_label, priority.title
            ),
            None if call.regions.is_empty() => return None,
            None => "A regional call that serves none of your region's recorded priorities.".to_owned(),
        },
        FitKind::Deadline => match days_to_prepare(call, status, now) {
            None if status == CallStatus::Forthcoming => match call.opening_at {
                Some(opening) => format!("Opens on {}: time to prepare.", day(opening)),
                None => "Forthcoming: time to prepare.".to_owned(),
            },
            None => "No deadline: applications are taken continuously.".to_owned(),
            Some(days) => {
                let deadline = call.dates().next_deadline(now).map(|d| day(d.at)).unwrap_or_default();
                if days < DEADLINE_TOO_CLOSE_DAYS {
                    format!("Closes on {deadline}, in {days} days: very little time to prepare.")
                } else {
                    format!("Closes on {deadline}, in {days} days.")
                }
            }
        },
        FitKind::Trl => {
            let known = call.trl_min.is_some() || call.trl_max.is_some();
            match applicant.trl {
                Some(trl) if known && points > 0 => {
                    format!("You work at TRL {}; it expects {}.", u8::from(trl), trl_range(call))
                }
                None if known => format!("It expects {}; add your readiness level to check.", trl_range(call)),
                _ if !known => return None,
                _ => format!("It expects {}.", trl_range(call)),
            }
        }
        FitKind::Budget => match (applicant.scale_eur, share_per_partner(call)) {
            (Some(scale), Some(share)) => {
                let per = if call.min_partners.unwrap_or(1) > 1 {
                    " per partner"
                } else {
                    " per project"
                };
                if points == FitKind::Budget.max_points() {
                    format!("Up to {}{per}: in proportion to your turnover of {}.", euros(share), euros(scale))
                } else {
                    format!("Up to {}{per}: large next to your turnover of {}.", euros(share), euros(scale))
                }
            }
            (None, Some(_)) if matches!(applicant.kind, OrganisationKind::Sme | OrganisationKind::LargeEnterprise) => {
                "Add your turnover to compare it with the call's budget.".to_owned()
            }
            _ => return None,
        },
        FitKind::DualUse => match (applicant.interest, call.summary.dual_use) {
            (None, true) => "A defence call; say whether you want defence work.".to_owned(),
            (None, false) => return None,
            (Some(_), true) if points > 0 => "A defence call, and you want defence or dual-use work.".to_owned(),
            (Some(_), false) if points > 0 => "A civil call, and you want civil work.".to_owned(),
            (Some(interest), _) => format!("Your interest is {}.", interest.label().to_lowercase()),
        },
        FitKind::NotRelevant => {
            let (_, dismissed) = likeness_to_dismissed(applicant, call)?;
            if points == 0 {
                return None;
            }
            format!(
                "Like {}, which you marked not relevant.",
                dismissed.external_id
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(euros(2_500_000), "€2.5 million");
        assert_eq!(euros(4_000_000), "€4 million");
        assert_eq!(euros(600_000), "€600,000");
        assert_eq!(join_words(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn a_term_half_the_calls_mention_counts_for_less_than_a_rare_one() {
        let call = |capabilities: u32| CallFacts {
            capabilities: CapabilitySet::whole(capabilities),
            ..CallFacts::of(&crate::matching::tests::call("X", "", ""))
        };
        let mut calls: Vec<CallFacts> = (0..50).map(|_| call(0b01)).collect();
        calls.extend((0..50).map(|_| call(0)));
        calls.push(call(0b10));
        let specificity = Specificity::of(&calls);
        assert!(
            specificity.capabilities[0] < 0.3,
            "{:?}",
            &specificity.capabilities[..2]
        );
        assert_eq!(specificity.capabilities[1], 1.0);
        assert_eq!(
            Specificity::evidence(&specificity.capabilities, 0b10, false),
            DERIVED_WEIGHT
        );
    }

    #[test]
    fn a_deadline_in_five_days_is_worth_less_than_one_in_sixty() {
        assert_eq!(deadline_points(Some(5)), 0);
        assert!(deadline_points(Some(30)) > deadline_points(Some(10)));
        assert_eq!(deadline_points(Some(60)), FitKind::Deadline.max_points());
        assert_eq!(deadline_points(None), FitKind::Deadline.max_points());
    }

    #[test]
    fn the_positive_parts_add_up_to_a_hundred() {
        let total: i32 = FitKind::ALL
            .into_iter()
            .filter(|kind| *kind != FitKind::NotRelevant)
            .map(FitKind::max_points)
            .sum();
        assert_eq!(total, 100);
    }
}
