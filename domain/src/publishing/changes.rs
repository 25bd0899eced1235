//! What changed between two versions of a call, field by field, and which changes are
//! material: deadlines and opening, budget and funding rate, eligibility. Followers are told of
//! material changes only, so this list is the one place that decides what they hear.

use super::FieldChange;
use crate::money::LocalAmounts;
use crate::store::NewCall;
use crate::time::DeadlineZone;
use chrono::{DateTime, Utc};

/// An instant as the public history shows it, in the call's zone.
fn shown_time(at: DateTime<Utc>, zone: DeadlineZone) -> String {
    format!("{} ({})", zone.to_local(at).format("%-d %b %Y %H:%M"), zone.label())
}

fn euro(value: Option<i64>) -> String {
    value.map(crate::money::exact_euros).unwrap_or_default()
}

fn whole(value: Option<i32>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

fn list<T: ToString>(values: &[T]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// A call's fields as the history shows them: (field, label, shown value, material).
fn shown_fields(call: &NewCall) -> Vec<(&'static str, &'static str, String, bool)> {
    let zone = call.deadline_time_zone.unwrap_or(DeadlineZone::Central);
    let deadlines = if call.deadlines.is_empty() {
        "rolling".to_owned()
    } else {
        call.deadlines
            .iter()
            .map(|d| match &d.label {
                Some(label) => format!("{label}: {}", shown_time(d.at, zone)),
                None => shown_time(d.at, zone),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let trl = match (call.trl_min, call.trl_max) {
        (None, None) => String::new(),
        (min, max) => format!(
            "{}–{}",
            min.map_or("?".into(), |l| l.get().to_string()),
            max.map_or("?".into(), |l| l.get().to_string())
        ),
    };
    // An amount as stated (in another currency, with its value in euro), or in euro.
    let local = |pick: fn(&LocalAmounts) -> Option<i64>| call.local_amounts.as_ref().map(|l| (l, pick(l)));
    let amount = |in_euro: Option<i64>, stated: Option<(&LocalAmounts, Option<i64>)>| match stated {
        Some((local, value)) => value.map(|value| local.shown(value)).unwrap_or_default(),
        None => euro(in_euro),
    };
    vec![
        ("title", "Title", call.title.clone(), false),
        ("programme", "Programme", call.programme.clone(), false),
        (
            "instrument_kind",
            "Instrument",
            call.instrument_kind.label().to_owned(),
            false,
        ),
        (
            "opening",
            "Opening",
            call.opening_at.map(|at| shown_time(at, zone)).unwrap_or_default(),
            true,
        ),
        ("deadlines", "Deadline", deadlines, true),
        (
            "budget_total",
            "Total budget",
            amount(call.budget_total_eur, local(|l| l.total)),
            true,
        ),
        (
            "budget_min",
            "Minimum per project",
            amount(call.budget_min_eur, local(|l| l.min)),
            true,
        ),
        (
            "budget_max",
            "Maximum per project",
            amount(call.budget_max_eur, local(|l| l.max)),
            true,
        ),
        (
            "funding_rate",
            "Funding rate",
            call.funding_rate_pct.map(|n| format!("{n}%")).unwrap_or_default(),
            true,
        ),
        ("countries", "Eligible countries", list(&call.eligible_countries), true),
        ("regions", "Eligible regions", list(&call.eligible_regions), true),
        ("sme_only", "SMEs only", yes_no(call.sme_only), true),
        ("min_partners", "Minimum partners", whole(call.min_partners), true),
        ("min_countries", "Minimum countries", whole(call.min_countries), true),
        ("trl", "Readiness levels", trl, true),
        (
            "applicant_kinds",
            "Who may apply",
            if call.applicant_kinds.is_empty() {
                "anyone".to_owned()
            } else {
                call.applicant_kinds
                    .iter()
                    .map(|kind| kind.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            true,
        ),
        ("dual_use", "Dual use", yes_no(call.dual_use), false),
        ("domains", "Capabilities", call.domains().join(", "), false),
        ("sectors", "Sectors", call.sectors().join(", "), false),
        ("contact", "Contact", call.contact.clone().unwrap_or_default(), false),
        (
            "documents",
            "Documents",
            call.documents
                .iter()
                .map(|d| d.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            false,
        ),
        ("keywords", "Keywords", call.keywords.join(", "), false),
        ("description", "Description", call.description.clone(), false),
        ("url", "Official page", call.url.clone().unwrap_or_default(), false),
    ]
}

/// The longest value a change keeps (descriptions are compared, not copied into the history).
const SHOWN_VALUE_CHARS: usize = 200;

/// Every field that differs between `before` and `after`, in form order.
pub fn changes(before: &NewCall, after: &NewCall) -> Vec<FieldChange> {
    shown_fields(before)
        .into_iter()
        .zip(shown_fields(after))
        .filter(|((_, _, old, _), (_, _, new, _))| old != new)
        .map(|((field, label, old, material), (_, _, new, _))| {
            let (before, after) = if field == "description" {
                (String::new(), "edited".to_owned())
            } else {
                (
                    crate::sanitize::clean_line(&old, SHOWN_VALUE_CHARS),
                    crate::sanitize::clean_line(&new, SHOWN_VALUE_CHARS),
                )
            };
            FieldChange {
                field: field.to_owned(),
                label: label.to_owned(),
                before,
                after,
                material,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Deadline;
    use chrono::TimeZone;

    fn call() -> NewCall {
        NewCall {
            deadlines: vec![Deadline {
                stage: 1,
                at: Utc.with_ymd_and_hms(2027, 3, 4, 16, 0, 0).unwrap(),
                label: None,
            }],
            deadline_time_zone: Some(DeadlineZone::Central),
            budget_total_eur: Some(2_000_000),
            description: "Long text".into(),
            ..NewCall::new("RIS3-1", "publisher", "Cyber vouchers", "RIS3", "Region")
        }
    }

    #[test]
    fn a_moved_deadline_is_a_material_change_named_in_local_time() {
        let mut moved = call();
        moved.deadlines[0].at = Utc.with_ymd_and_hms(2027, 3, 18, 16, 0, 0).unwrap();
        let found = changes(&call(), &moved);
        assert_eq!(found.len(), 1);
        assert!(found[0].material);
        assert_eq!(found[0].field, "deadlines");
        assert_eq!(
            found[0].sentence(),
            "Deadline changed from 4 Mar 2027 17:00 (Brussels time (CET)) to 18 Mar 2027 17:00 (Brussels time (CET))"
        );
    }

    #[test]
    fn wording_changes_are_not_material_and_descriptions_are_not_copied() {
        let mut edited = call();
        edited.title = "Cyber vouchers for SMEs".into();
        edited.description = "Another long text".into();
        let found = changes(&call(), &edited);
        assert_eq!(
            found.iter().map(|c| c.field.as_str()).collect::<Vec<_>>(),
            ["title", "description"]
        );
        assert!(found.iter().all(|change| !change.material));
        assert_eq!(found[1].after, "edited");
        assert!(changes(&call(), &call()).is_empty());
    }

    #[test]
    fn budget_and_eligibility_changes_are_material() {
        let mut changed = call();
        changed.budget_total_eur = Some(1_500_000);
        changed.sme_only = true;
        changed.applicant_kinds = vec![crate::organisation::OrganisationKind::Sme];
        let found = changes(&call(), &changed);
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|change| change.material));
        assert_eq!(found[2].sentence(), "Who may apply changed from anyone to SME");
        assert_eq!(
            found[0].sentence(),
            "Total budget changed from €2,000,000 to €1,500,000"
        );
    }
}
