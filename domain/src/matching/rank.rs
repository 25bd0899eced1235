//! Ranking every call for an organisation: the calls compiled once ([`Matcher::new`]), each
//! organisation compiled once ([`Matcher::applicant`]), then every call evaluated by the
//! rules and the best kept. The order is total — score, then text likeness, then the
//! earlier deadline, then the identifier — so the same data always ranks the same way.

use super::rules::{self, Applicant, CallFacts, Dismissed, Evaluation, RegionPriority, Specificity};
use super::text_model::TextModel;
use super::CallMatch;
use crate::call::CallDetail;
use crate::geo::{self, RegionNames};
use crate::organisation::Organisation;
use crate::smart_specialisation::Strategy;
use crate::taxonomy;
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::HashMap;

/// One call's place in a ranking: its number in the matcher and its evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// The call's number in the matcher.
    pub call: u32,
    /// Its evaluation.
    pub evaluation: Evaluation,
}

/// The calls a ranking reads, compiled: their facts and the model of their words.
#[derive(Debug, Default)]
pub struct Matcher {
    calls: Vec<CallFacts>,
    text: TextModel,
    specificity: Specificity,
    by_id: HashMap<String, u32>,
}

impl Matcher {
    /// Compiles `calls` (the text of their titles, keywords and descriptions is weighed here
    /// and not kept).
    pub fn new(calls: &[CallDetail]) -> Matcher {
        let bodies: Vec<String> = calls
            .iter()
            .map(|call| format!("{}\n{}", call.keywords.join(", "), call.description))
            .collect();
        let text = TextModel::build(
            calls
                .iter()
                .zip(&bodies)
                .map(|(call, body)| (call.summary.title.as_str(), body.as_str())),
        );
        let by_id = calls
            .iter()
            .enumerate()
            .map(|(number, call)| (call.summary.external_id.clone(), number as u32))
            .collect();
        let calls: Vec<CallFacts> = calls.iter().map(CallFacts::of).collect();
        Matcher {
            specificity: Specificity::of(&calls),
            calls,
            text,
            by_id,
        }
    }

    /// How many calls it ranks.
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    /// Whether it has no calls.
    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    /// The facts of call number `call`.
    pub fn call(&self, call: u32) -> &CallFacts {
        &self.calls[call as usize]
    }

    /// Evaluates call number `call` for `applicant` at `now` without its text likeness (the
    /// blockers and the parts that do not read text).
    pub fn evaluate_without_text(&self, applicant: &Applicant, call: u32, now: DateTime<Utc>) -> Evaluation {
        rules::evaluate(applicant, self.call(call), 0.0, &self.specificity, now)
    }

    /// Call number `call` ranked for `applicant` at `now`, alone.
    pub fn rank_one(&self, applicant: &Applicant, call: u32, now: DateTime<Utc>) -> Ranked {
        let similarity = self.text.similarity(&applicant.text, call);
        Ranked {
            call,
            evaluation: rules::evaluate(applicant, self.call(call), similarity, &self.specificity, now),
        }
    }

    /// The number of the call `external_id`, if the matcher has it.
    pub fn find(&self, external_id: &str) -> Option<u32> {
        self.by_id.get(external_id).copied()
    }

    /// What the matcher reads of `organisation`: with the priorities of `strategies` that
    /// cover its region, and the calls it marked not relevant (`dismissed`, identifiers).
    pub fn applicant(
        &self,
        organisation: &Organisation,
        strategies: &[Strategy],
        dismissed: &[String],
        names: &RegionNames,
    ) -> Applicant {
        let priorities = region_priorities(organisation, strategies, names);
        let mut applicant = Applicant::of(organisation, priorities, self.text.vector(&organisation.description));
        applicant.dismissed = dismissed
            .iter()
            .filter_map(|id| self.find(id))
            .map(|number| {
                let call = self.call(number);
                Dismissed {
                    external_id: call.summary.external_id.clone(),
                    family: call.family.clone(),
                    programme: (call.summary.programme.clone(), call.summary.programme_part.clone()),
                }
            })
            .collect();
        applicant
    }

    /// Every call evaluated for `applicant` at `now`, in the matcher's order. `similarities`
    /// is scratch space reused between calls (one slot per call).
    pub fn evaluate_all(&self, applicant: &Applicant, now: DateTime<Utc>, similarities: &mut Vec<f32>) -> Vec<Ranked> {
        self.similarities(applicant, similarities);
        self.calls
            .iter()
            .zip(similarities.iter())
            .enumerate()
            .map(|(number, (call, similarity))| Ranked {
                call: number as u32,
                evaluation: rules::evaluate(applicant, call, *similarity, &self.specificity, now),
            })
            .collect()
    }

    /// The best `limit` calls for `applicant` at `now` that nothing excludes and that it did
    /// not mark not relevant, best first.
    pub fn top(
        &self,
        applicant: &Applicant,
        now: DateTime<Utc>,
        limit: usize,
        similarities: &mut Vec<f32>,
    ) -> Vec<Ranked> {
        self.similarities(applicant, similarities);
        let mut kept: Vec<Ranked> = Vec::with_capacity(limit + 1);
        for (number, (call, similarity)) in self.calls.iter().zip(similarities.iter()).enumerate() {
            let evaluation = rules::evaluate(applicant, call, *similarity, &self.specificity, now);
            if evaluation.blockers != 0 || evaluation.dismissed {
                continue;
            }
            let candidate = Ranked {
                call: number as u32,
                evaluation,
            };
            if kept.len() == limit {
                match kept.last() {
                    Some(worst) if self.order(&candidate, worst) == Ordering::Less => {
                        kept.pop();
                    }
                    _ => continue,
                }
            }
            let at = kept.partition_point(|other| self.order(other, &candidate) == Ordering::Less);
            kept.insert(at, candidate);
        }
        kept
    }

    /// Sorts `ranked` best first.
    pub fn sort(&self, ranked: &mut [Ranked]) {
        ranked.sort_by(|a, b| self.order(a, b));
    }

    /// The ranking order: higher score, then more alike in text, then the earlier next
    /// deadline (none last), then the identifier.
    fn order(&self, a: &Ranked, b: &Ranked) -> Ordering {
        let (call_a, call_b) = (self.call(a.call), self.call(b.call));
        let deadline = |call: &CallFacts| call.deadlines.iter().map(|d| d.at).min();
        b.evaluation
            .score()
            .cmp(&a.evaluation.score())
            .then(comparable(b.evaluation.similarity).cmp(&comparable(a.evaluation.similarity)))
            .then_with(|| match (deadline(call_a), deadline(call_b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| call_a.summary.external_id.cmp(&call_b.summary.external_id))
    }

    /// `ranked` for `applicant` in words: the call as of `now`, its blockers and its parts.
    pub fn explain(
        &self,
        applicant: &Applicant,
        ranked: &Ranked,
        now: DateTime<Utc>,
        names: &RegionNames,
    ) -> CallMatch {
        let call = self.call(ranked.call);
        let (blockers, parts) = rules::explain(applicant, call, &ranked.evaluation, now, names);
        CallMatch {
            call: call.summary_at(now),
            score: ranked.evaluation.score(),
            parts,
            blockers,
            dismissed: ranked.evaluation.dismissed,
        }
    }

    /// The text likeness of `applicant`'s description to every call, into `similarities`.
    fn similarities(&self, applicant: &Applicant, similarities: &mut Vec<f32>) {
        similarities.clear();
        similarities.resize(self.calls.len(), 0.0);
        self.text.add_similarities(&applicant.text, similarities);
    }
}

/// The priorities of the strategies of `organisation`'s region and the areas containing it.
fn region_priorities(organisation: &Organisation, strategies: &[Strategy], names: &RegionNames) -> Vec<RegionPriority> {
    let Some(region) = &organisation.nuts_code else {
        return Vec::new();
    };
    let mut priorities = Vec::new();
    for strategy in strategies {
        if !geo::nuts_lineage(region.as_str()).any(|area| area == strategy.region) {
            continue;
        }
        for priority in &strategy.priorities {
            priorities.push(RegionPriority {
                region_label: geo::area_label(&strategy.region, names),
                title: priority.title.clone(),
                capabilities: rules::term_bits(taxonomy::CAPABILITIES, &priority.domains),
                sectors: rules::term_bits(taxonomy::SECTORS, &priority.sectors),
            });
        }
    }
    priorities
}

/// A text likeness as the ranking compares it: to a millionth. Sums of the same weights added
/// in another order (the words are numbered as the calls come) differ in their last bits, and
/// must not reorder calls that are equally alike.
fn comparable(similarity: f32) -> i64 {
    (f64::from(similarity) * 1e6).round() as i64
}
