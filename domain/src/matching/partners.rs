//! Partners for a call, with no I/O: which organisations bring the capabilities the call names
//! that the applicant lacks, add a country the consortium needs, share a cluster with it or
//! serve the call's sectors — each reason in words, the parts adding up to the score.

use super::capabilities::{cover, CapabilitySet};
use super::rules::{term_bits, term_labels, CallFacts};
use super::{PartnerMatch, PartnerPart, PartnerReason};
use crate::geo;
use crate::organisation::{Organisation, OrganisationDetail, OrganisationKind};
use crate::taxonomy;

/// Points for each missing capability a partner brings, up to [`PartnerPart::Brings`]'s most.
const POINTS_PER_CAPABILITY: i32 = 25;

/// The research domains of `call` that `applicant` does not cover in full (bits).
pub fn missing_capabilities(call: &CallFacts, applicant: &Organisation) -> u32 {
    call.capabilities.touched() & !cover(&call.capabilities, &CapabilitySet::of(&applicant.capabilities)).full
}

/// The `candidates` ranked as partners of `applicant` (in the clusters `applicant_clusters`)
/// for `call`, best first: those the call's eligible countries or applicant kinds exclude,
/// investors, the applicant itself and those that bring nothing are left out. Ties go to the name, then the identifier.
pub fn rank_partners(
    call: &CallFacts,
    applicant: &Organisation,
    applicant_clusters: &[String],
    candidates: Vec<OrganisationDetail>,
) -> Vec<PartnerMatch> {
    let missing = missing_capabilities(call, applicant);
    let countries_needed = call.min_countries.unwrap_or(1).max(1);
    let mut ranked: Vec<PartnerMatch> = candidates
        .into_iter()
        .filter(|candidate| candidate.organisation.external_id != applicant.external_id)
        .filter(|candidate| call.countries.is_empty() || call.countries.contains(&candidate.organisation.country))
        .filter(|candidate| may_partner(call, candidate.organisation.kind))
        .filter_map(|candidate| {
            let reasons = partner_reasons(
                call,
                applicant,
                applicant_clusters,
                &candidate,
                missing,
                countries_needed,
            );
            let score = reasons.iter().map(|r| r.points).sum::<i32>();
            (score > 0).then_some(PartnerMatch {
                organisation: candidate,
                score,
                reasons,
            })
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.organisation.organisation.name.cmp(&b.organisation.organisation.name))
            .then_with(|| {
                a.organisation
                    .organisation
                    .external_id
                    .cmp(&b.organisation.organisation.external_id)
            })
    });
    ranked
}

/// Whether an organisation of `kind` can be a partner in a project of `call`: a kind the call
/// admits (any, when it names none), and not an investor (who funds, not joins, a consortium).
fn may_partner(call: &CallFacts, kind: OrganisationKind) -> bool {
    kind != OrganisationKind::Investor && (call.applicant_kinds.is_empty() || call.applicant_kinds.contains(&kind))
}

/// The parts of `candidate`'s score as a partner, with their reasons (only parts with points).
fn partner_reasons(
    call: &CallFacts,
    applicant: &Organisation,
    applicant_clusters: &[String],
    candidate: &OrganisationDetail,
    missing: u32,
    countries_needed: i32,
) -> Vec<PartnerReason> {
    let organisation = &candidate.organisation;
    let mut reasons = Vec::new();
    let theirs = CapabilitySet::of(&organisation.capabilities);
    let brings = cover(&call.capabilities, &theirs).full & missing;
    if brings != 0 {
        let labels: Vec<&str> = theirs
            .shared_within(&call.capabilities, brings)
            .iter()
            .map(|term| term.label)
            .collect();
        reasons.push(PartnerReason {
            part: PartnerPart::Brings,
            points: (POINTS_PER_CAPABILITY * brings.count_ones() as i32).min(PartnerPart::Brings.max_points()),
            reason: format!(
                "Brings {}, which the call names and your profile lacks.",
                super::rules::join_words(&labels)
            ),
        });
    }
    if organisation.country != applicant.country {
        let country = geo::country_label(organisation.country.as_str());
        let reason = if countries_needed > 1 {
            format!("{country} adds a second country; the call asks for partners from {countries_needed} countries.")
        } else {
            format!("{country}: a partner from another country than yours.")
        };
        let points = if countries_needed > 1 {
            PartnerPart::Country.max_points()
        } else {
            PartnerPart::Country.max_points() / 2
        };
        reasons.push(PartnerReason {
            part: PartnerPart::Country,
            points,
            reason,
        });
    }
    if let Some(shared) = candidate
        .clusters
        .iter()
        .find(|cluster| applicant_clusters.contains(&cluster.external_id))
    {
        reasons.push(PartnerReason {
            part: PartnerPart::Cluster,
            points: PartnerPart::Cluster.max_points(),
            reason: format!("You are both members of {}.", shared.name),
        });
    }
    let sectors = term_bits(taxonomy::SECTORS, &organisation.sectors) & call.sectors;
    if sectors != 0 {
        reasons.push(PartnerReason {
            part: PartnerPart::Sectors,
            points: PartnerPart::Sectors.max_points(),
            reason: format!(
                "Serves {}, which the call addresses.",
                term_labels(taxonomy::SECTORS, sectors)
            ),
        });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ClusterRef;
    use crate::codes::CountryCode;
    use crate::matching::tests::call;

    fn organisation(id: &str, country: &str, capabilities: &[&str], clusters: &[&str]) -> OrganisationDetail {
        let mut organisation = crate::matching::tests::sme();
        organisation.external_id = id.to_owned();
        organisation.name = id.to_owned();
        organisation.country = CountryCode::parse(country).unwrap();
        organisation.capabilities = capabilities.iter().map(|c| (*c).to_owned()).collect();
        organisation.sectors = Vec::new();
        OrganisationDetail {
            organisation,
            clusters: clusters
                .iter()
                .map(|c| ClusterRef {
                    external_id: (*c).to_owned(),
                    name: format!("Cluster {c}"),
                })
                .collect(),
        }
    }

    #[test]
    fn a_partner_bringing_the_missing_capability_from_another_country_comes_first_and_says_so() {
        let mut detail = call("ECCC", "Post-quantum networks", "");
        detail.domains = vec!["network-security".into(), "cryptology".into()];
        detail.min_countries = Some(3);
        let facts = CallFacts::of(&detail);
        let applicant = organisation("armor", "FR", &["network-security"], &["breizh"]).organisation;
        let ranked = rank_partners(
            &facts,
            &applicant,
            &["breizh".to_owned()],
            vec![
                organisation("armor", "FR", &["cryptology"], &[]),
                organisation("tartu-crypto", "EE", &["cryptology"], &[]),
                organisation("lyon-crypto", "FR", &["cryptology"], &["breizh"]),
                organisation("nothing", "FR", &["legal"], &[]),
            ],
        );
        let ids: Vec<&str> = ranked
            .iter()
            .map(|p| p.organisation.organisation.external_id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["tartu-crypto", "lyon-crypto"],
            "itself and those bringing nothing are left out"
        );
        let reasons: Vec<&str> = ranked[0].reasons.iter().map(|r| r.reason.as_str()).collect();
        assert!(
            reasons.contains(
                &"Brings Cryptology (Cryptography and Cryptanalysis), which the call names and your profile lacks."
            ),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("Estonia adds a second country; the call asks for partners from 3 countries")),
            "{reasons:?}"
        );
        assert!(ranked[1]
            .reasons
            .iter()
            .any(|r| r.reason == "You are both members of Cluster breizh."));
        for partner in &ranked {
            assert_eq!(partner.reasons.iter().map(|r| r.points).sum::<i32>(), partner.score);
        }
    }

    #[test]
    fn partners_from_countries_the_call_excludes_and_investors_are_left_out() {
        let mut detail = call("BY", "Bavarian vouchers", "");
        detail.domains = vec!["cryptology".into()];
        detail.eligible_countries = vec![CountryCode::parse("DE").unwrap()];
        let facts = CallFacts::of(&detail);
        let applicant = organisation("bayern-sec", "DE", &[], &[]).organisation;
        let ranked = rank_partners(
            &facts,
            &applicant,
            &[],
            vec![
                organisation("tartu-crypto", "EE", &["cryptology"], &[]),
                organisation("munich-crypto", "DE", &["cryptology"], &[]),
            ],
        );
        let ids: Vec<&str> = ranked
            .iter()
            .map(|p| p.organisation.organisation.external_id.as_str())
            .collect();
        assert_eq!(ids, ["munich-crypto"]);
        let mut fund = organisation("munich-fund", "DE", &["cryptology"], &[]);
        fund.organisation.kind = OrganisationKind::Investor;
        assert!(
            rank_partners(&facts, &applicant, &[], vec![fund]).is_empty(),
            "investors fund, not join"
        );
    }
}
