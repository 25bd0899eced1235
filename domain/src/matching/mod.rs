//! The matcher: which calls fit an organisation, and why, in words a person can check.
//!
//! A match is a call's *blockers* (what excludes it: closed, country or region not eligible,
//! SME-only, a funding kind not wanted, TRL, applicant kind, defence for a civil-only
//! profile), its *fit* — parts that add up to a score from 0 to 100, each with the reason it
//! got its points — and the *confidence* the profile's completeness allows. The types here
//! are shared with the UI; the rules (pure, no I/O) are behind the `server` feature:
//! [`rules`] decides blockers and parts, [`text_model`] weighs the words two texts share
//! (with the one text analyser search uses), [`rank`] ranks every call for an organisation,
//! and [`evaluation`] measures the ranking against cases a bid consultant wrote.

#[cfg(feature = "server")]
pub mod evaluation;
#[cfg(feature = "server")]
pub mod rank;
#[cfg(feature = "server")]
pub mod rules;
#[cfg(all(test, feature = "server"))]
mod tests;
#[cfg(feature = "server")]
pub mod text_model;

use crate::call::CallSummary;
use serde::{Deserialize, Serialize};

/// What excludes a call for an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockerKind {
    /// Every deadline has passed.
    Closed,
    /// The organisation's country is not among the eligible ones.
    Country,
    /// The organisation's region is not within the eligible regions.
    Region,
    /// Only SMEs may apply, and the organisation is not one by the EU definition.
    NotSme,
    /// The call offers a kind of funding the organisation does not want.
    FundingKind,
    /// The organisation's readiness level is outside the call's range.
    Trl,
    /// The call admits other kinds of applicant.
    ApplicantKind,
    /// A defence call, and the organisation wants civil work only.
    Defence,
}

impl BlockerKind {
    /// Every kind, in the order they are checked and shown.
    pub const ALL: [BlockerKind; 8] = [
        BlockerKind::Closed,
        BlockerKind::Country,
        BlockerKind::Region,
        BlockerKind::NotSme,
        BlockerKind::FundingKind,
        BlockerKind::Trl,
        BlockerKind::ApplicantKind,
        BlockerKind::Defence,
    ];

    /// The bit of this kind in a set of blockers.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// One thing that excludes a call, said so a person can check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blocker {
    /// What excludes it.
    pub kind: BlockerKind,
    /// Why, pointing at the data ("Only SMEs may apply; …").
    pub reason: String,
}

/// One part of a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitKind {
    /// Capabilities shared with the call's topics.
    Capabilities,
    /// NIS2 sectors shared with the call.
    Sectors,
    /// Words the profile's description and the call's text share.
    Text,
    /// A regional call serving a smart-specialisation priority of the organisation's region.
    RegionPriority,
    /// Time left to prepare a proposal.
    Deadline,
    /// The organisation's readiness level within the call's range.
    Trl,
    /// The money per project next to the organisation's size.
    Budget,
    /// Civil, defence or dual-use, as the organisation wants.
    DualUse,
    /// Likeness to calls the organisation marked not relevant (negative).
    NotRelevant,
}

impl FitKind {
    /// Every part, in the order they are shown.
    pub const ALL: [FitKind; 9] = [
        FitKind::Capabilities,
        FitKind::Sectors,
        FitKind::Text,
        FitKind::RegionPriority,
        FitKind::Deadline,
        FitKind::Trl,
        FitKind::Budget,
        FitKind::DualUse,
        FitKind::NotRelevant,
    ];

    /// The most points this part gives (the positive parts add up to 100; the penalty for
    /// likeness to dismissed calls takes up to this many away).
    pub fn max_points(self) -> i32 {
        match self {
            FitKind::Capabilities => 30,
            FitKind::Sectors => 10,
            FitKind::Text => 25,
            FitKind::RegionPriority => 8,
            FitKind::Deadline => 8,
            FitKind::Trl => 5,
            FitKind::Budget => 6,
            FitKind::DualUse => 8,
            FitKind::NotRelevant => 8,
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            FitKind::Capabilities => "Capabilities",
            FitKind::Sectors => "Sectors",
            FitKind::Text => "Text",
            FitKind::RegionPriority => "Regional priority",
            FitKind::Deadline => "Time to prepare",
            FitKind::Trl => "Readiness level",
            FitKind::Budget => "Budget",
            FitKind::DualUse => "Civil / defence",
            FitKind::NotRelevant => "Marked not relevant",
        }
    }
}

/// One part of a score with its points and why it got them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitPart {
    /// Which part.
    pub kind: FitKind,
    /// Points it adds (negative for the likeness to dismissed calls).
    pub points: i32,
    /// Why, pointing at the data.
    pub reason: String,
}

/// A call matched to an organisation: its blockers, its score and the parts that make it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallMatch {
    /// The call.
    pub call: CallSummary,
    /// From 0 to 100: the sum of the parts' points.
    pub score: i32,
    /// The parts with points, largest first, then those without (with what would earn them).
    pub parts: Vec<FitPart>,
    /// What excludes the call; empty for a call the organisation can apply to.
    pub blockers: Vec<Blocker>,
    /// Whether the organisation marked this call not relevant.
    pub dismissed: bool,
}

impl CallMatch {
    /// Whether nothing excludes the call.
    pub fn is_open_to_apply(&self) -> bool {
        self.blockers.is_empty()
    }
}
