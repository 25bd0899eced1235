//! A consortium for a call: the lead organisation and the partners it picked, each with a
//! role and an answer, and the gaps still open against the call's consortium rules — the
//! capabilities the call names that nobody brings, partners and countries short of the
//! call's minimums, no coordinator, members the call does not admit. The types are shared
//! with the UI; [`gaps`] (pure, no I/O) is behind the `server` feature.

use crate::codes::CountryCode;
use crate::organisation::OrganisationKind;
use serde::{Deserialize, Serialize};

/// The most organisations one consortium holds, its lead included.
pub const MAX_CONSORTIUM_MEMBERS: usize = 30;

/// The longest name a consortium may have, in characters.
pub const MAX_CONSORTIUM_NAME_CHARS: usize = 120;

/// A member's part in the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsortiumRole {
    /// Leads the proposal and signs for the consortium.
    Coordinator,
    /// A beneficiary beside the coordinator.
    Partner,
}

impl ConsortiumRole {
    /// Every role, in the order forms list them.
    pub const ALL: [ConsortiumRole; 2] = [ConsortiumRole::Coordinator, ConsortiumRole::Partner];

    /// The role as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsortiumRole::Coordinator => "coordinator",
            ConsortiumRole::Partner => "partner",
        }
    }

    /// The role named `value`, if it is one.
    pub fn parse(value: &str) -> Option<ConsortiumRole> {
        ConsortiumRole::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            ConsortiumRole::Coordinator => "Coordinator",
            ConsortiumRole::Partner => "Partner",
        }
    }
}

/// Where a member stands on being in the consortium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// The organisation that builds the consortium.
    Lead,
    /// Picked, and not answered yet.
    Invited,
    /// Said yes.
    Accepted,
    /// Said no: it no longer counts towards the rules.
    Declined,
}

impl Answer {
    /// Every answer.
    pub const ALL: [Answer; 4] = [Answer::Lead, Answer::Invited, Answer::Accepted, Answer::Declined];

    /// The answer as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Lead => "lead",
            Answer::Invited => "invited",
            Answer::Accepted => "accepted",
            Answer::Declined => "declined",
        }
    }

    /// The answer named `value`, if it is one.
    pub fn parse(value: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|answer| answer.as_str() == value)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Answer::Lead => "Builds this consortium",
            Answer::Invited => "Not answered yet",
            Answer::Accepted => "Accepted",
            Answer::Declined => "Declined",
        }
    }
}

/// One organisation in a consortium, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumMember {
    /// Its public identifier.
    pub organisation_id: String,
    /// Its name.
    pub name: String,
    /// Its country.
    pub country: CountryCode,
    /// Its kind.
    pub kind: OrganisationKind,
    /// Its part in the project.
    pub role: ConsortiumRole,
    /// Where it stands.
    pub answer: Answer,
    /// The call's capabilities it brings (labels).
    pub brings: Vec<String>,
}

/// What a consortium still lacks against its call's rules; nothing lacking: ready to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumGaps {
    /// Capabilities the call names that no member brings (labels).
    pub capabilities: Vec<String>,
    /// The call's minimum number of partners, and how many more are needed.
    pub partners: Option<(i32, usize)>,
    /// The call's minimum number of countries, and how many more are needed.
    pub countries: Option<(i32, usize)>,
    /// No member coordinates.
    pub no_coordinator: bool,
    /// Members the call does not admit, each with why.
    pub not_admitted: Vec<String>,
}

impl ConsortiumGaps {
    /// Whether nothing is missing.
    pub fn is_closed(&self) -> bool {
        self.capabilities.is_empty()
            && self.partners.is_none_or(|(_, short)| short == 0)
            && self.countries.is_none_or(|(_, short)| short == 0)
            && !self.no_coordinator
            && self.not_admitted.is_empty()
    }

    /// Each gap in a sentence, in the order a bid manager closes them.
    pub fn sentences(&self) -> Vec<String> {
        let mut sentences = Vec::new();
        if let Some((minimum, short)) = self.partners.filter(|(_, short)| *short > 0) {
            sentences.push(format!(
                "The call asks for at least {minimum} partners: {short} more {}.",
                if short == 1 { "is needed" } else { "are needed" }
            ));
        }
        if let Some((minimum, short)) = self.countries.filter(|(_, short)| *short > 0) {
            sentences.push(format!(
                "The call asks for partners from at least {minimum} countries: {short} more {}.",
                if short == 1 {
                    "country is needed"
                } else {
                    "countries are needed"
                }
            ));
        }
        sentences.extend(
            self.capabilities
                .iter()
                .map(|capability| format!("Nobody brings {capability} yet, which the call names.")),
        );
        if self.no_coordinator {
            sentences.push("No member coordinates yet: choose a coordinator.".to_owned());
        }
        sentences.extend(self.not_admitted.iter().cloned());
        sentences
    }
}

/// A consortium as its lead's people and its partners' people see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsortiumView {
    /// Its identifier; none until it is first saved.
    pub id: Option<i64>,
    /// The call's identifier.
    pub call_id: String,
    /// The call's title.
    pub call_title: String,
    /// Its name.
    pub name: String,
    /// Whether the partners' people see it.
    pub shared: bool,
    /// The lead first, then the partners in the order they were picked.
    pub members: Vec<ConsortiumMember>,
    /// What it still lacks.
    pub gaps: ConsortiumGaps,
    /// Whether the viewer may change it (a person of the lead).
    pub can_edit: bool,
    /// The viewer's organisations invited to it: identifier, name and answer.
    pub answering_for: Vec<(String, String, Answer)>,
    /// When it was last saved.
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl ConsortiumView {
    /// The lead organisation.
    pub fn lead(&self) -> Option<&ConsortiumMember> {
        self.members.iter().find(|member| member.answer == Answer::Lead)
    }
}

/// A consortium as its lead saves it: the members with their roles, the lead among them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsortiumForm {
    /// The call.
    pub call_id: String,
    /// The organisation that builds it (one of the viewer's).
    pub lead_id: String,
    /// Its name (the call's title when blank).
    pub name: String,
    /// Every member but the lead, with its role.
    pub partners: Vec<(String, ConsortiumRole)>,
    /// The lead's role.
    pub lead_role: ConsortiumRole,
    /// Whether the partners' people see it (once shared, it stays shared).
    pub share: bool,
}

/// What [`gaps`] reads of one member.
#[cfg(feature = "server")]
pub struct MemberFacts<'a> {
    /// The organisation, whole.
    pub organisation: &'a crate::organisation::Organisation,
    /// Its part.
    pub role: ConsortiumRole,
    /// Where it stands (declined members do not count).
    pub answer: Answer,
}

/// What the consortium of `members` lacks against `call`'s rules; declined members do not
/// count.
#[cfg(feature = "server")]
pub fn gaps(call: &super::rules::CallFacts, members: &[MemberFacts<'_>]) -> ConsortiumGaps {
    use super::capabilities::{cover, CapabilitySet};
    let counted: Vec<&MemberFacts<'_>> = members.iter().filter(|m| m.answer != Answer::Declined).collect();
    let brought = counted.iter().fold(0, |bits, member| {
        bits | cover(
            &call.capabilities,
            &CapabilitySet::of(&member.organisation.capabilities),
        )
        .full
    });
    let mut countries: Vec<&CountryCode> = counted.iter().map(|m| &m.organisation.country).collect();
    countries.sort_unstable_by_key(|country| country.as_str());
    countries.dedup();
    let short = |minimum: Option<i32>, have: usize| {
        minimum
            .filter(|minimum| *minimum > 1)
            .map(|minimum| (minimum, (minimum.max(0) as usize).saturating_sub(have)))
    };
    let not_admitted = counted
        .iter()
        .filter_map(|member| {
            let organisation = member.organisation;
            if !call.countries.is_empty() && !call.countries.contains(&organisation.country) {
                Some(format!(
                    "{}: {} is not among the call's eligible countries.",
                    organisation.name,
                    crate::geo::country_label(organisation.country.as_str())
                ))
            } else if organisation.kind == OrganisationKind::Investor {
                Some(format!(
                    "{}: an investor funds projects rather than joining them.",
                    organisation.name
                ))
            } else if !call.applicant_kinds.is_empty() && !call.applicant_kinds.contains(&organisation.kind) {
                let admitted: Vec<&str> = call.applicant_kinds.iter().map(|kind| kind.label()).collect();
                Some(format!(
                    "{}: the call admits {} only.",
                    organisation.name,
                    admitted.join(", ")
                ))
            } else {
                None
            }
        })
        .collect();
    ConsortiumGaps {
        capabilities: call
            .capabilities
            .terms_within(call.capabilities.touched() & !brought)
            .into_iter()
            .map(|term| term.label.to_owned())
            .collect(),
        partners: short(call.min_partners, counted.len()),
        countries: short(call.min_countries, countries.len()),
        no_coordinator: !counted.iter().any(|m| m.role == ConsortiumRole::Coordinator),
        not_admitted,
    }
}

/// The capabilities of `call` that `organisation` covers in full (labels).
#[cfg(feature = "server")]
pub fn brings(call: &super::rules::CallFacts, organisation: &crate::organisation::Organisation) -> Vec<String> {
    use super::capabilities::{cover, CapabilitySet};
    let theirs = CapabilitySet::of(&organisation.capabilities);
    theirs
        .shared_within(&call.capabilities, cover(&call.capabilities, &theirs).full)
        .into_iter()
        .map(|term| term.label.to_owned())
        .collect()
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use crate::matching::rules::CallFacts;
    use crate::matching::tests::{call, sme};
    use crate::organisation::Organisation;

    fn organisation(id: &str, country: &str, capabilities: &[&str]) -> Organisation {
        let mut organisation = sme();
        organisation.external_id = id.to_owned();
        organisation.name = id.to_owned();
        organisation.country = CountryCode::parse(country).unwrap();
        organisation.capabilities = capabilities.iter().map(|c| (*c).to_owned()).collect();
        organisation
    }

    fn member(organisation: &Organisation, role: ConsortiumRole, answer: Answer) -> MemberFacts<'_> {
        MemberFacts {
            organisation,
            role,
            answer,
        }
    }

    #[test]
    fn gaps_close_one_by_one_as_partners_are_added_and_a_decline_opens_them_again() {
        let mut detail = call("ECCC", "Post-quantum networks", "");
        detail.domains = vec!["network-security".into(), "cryptology".into()];
        detail.min_partners = Some(3);
        detail.min_countries = Some(3);
        let facts = CallFacts::of(&detail);
        let lead = organisation("armor", "FR", &["network-security"]);
        let tartu = organisation("tartu", "EE", &["cryptology"]);
        let lyon = organisation("lyon", "FR", &[]);
        let porto = organisation("porto", "PT", &[]);

        let alone = gaps(&facts, &[member(&lead, ConsortiumRole::Partner, Answer::Lead)]);
        assert_eq!(alone.capabilities, ["Cryptology (Cryptography and Cryptanalysis)"]);
        assert_eq!(alone.partners, Some((3, 2)));
        assert_eq!(alone.countries, Some((3, 2)));
        assert!(alone.no_coordinator);
        assert_eq!(
            alone.sentences()[..2],
            [
                "The call asks for at least 3 partners: 2 more are needed.",
                "The call asks for partners from at least 3 countries: 2 more countries are needed."
            ]
        );

        let mut members = vec![
            member(&lead, ConsortiumRole::Coordinator, Answer::Lead),
            member(&tartu, ConsortiumRole::Partner, Answer::Invited),
        ];
        let two = gaps(&facts, &members);
        assert!(two.capabilities.is_empty(), "Tartu brings cryptology");
        assert_eq!((two.partners, two.countries), (Some((3, 1)), Some((3, 1))));
        assert!(!two.no_coordinator);

        members.push(member(&lyon, ConsortiumRole::Partner, Answer::Accepted));
        let same_country = gaps(&facts, &members);
        assert_eq!(same_country.partners, Some((3, 0)));
        assert_eq!(
            same_country.countries,
            Some((3, 1)),
            "a second French partner adds no country"
        );

        members.push(member(&porto, ConsortiumRole::Partner, Answer::Accepted));
        let complete = gaps(&facts, &members);
        assert!(complete.is_closed(), "{:?}", complete.sentences());
        assert!(complete.sentences().is_empty());

        members[1].answer = Answer::Declined;
        let declined = gaps(&facts, &members);
        assert_eq!(declined.capabilities, ["Cryptology (Cryptography and Cryptanalysis)"]);
        assert!(!declined.is_closed());
    }

    #[test]
    fn members_the_call_does_not_admit_are_named_with_why() {
        let mut detail = call("BY", "Bavarian vouchers", "");
        detail.eligible_countries = vec![CountryCode::parse("DE").unwrap()];
        detail.applicant_kinds = vec![OrganisationKind::Sme];
        let facts = CallFacts::of(&detail);
        let lead = organisation("bayern", "DE", &[]);
        let tartu = organisation("tartu", "EE", &[]);
        let mut fund = organisation("munich-fund", "DE", &[]);
        fund.kind = OrganisationKind::Investor;
        let mut lab = organisation("munich-lab", "DE", &[]);
        lab.kind = OrganisationKind::University;
        let found = gaps(
            &facts,
            &[
                member(&lead, ConsortiumRole::Coordinator, Answer::Lead),
                member(&tartu, ConsortiumRole::Partner, Answer::Invited),
                member(&fund, ConsortiumRole::Partner, Answer::Invited),
                member(&lab, ConsortiumRole::Partner, Answer::Invited),
            ],
        );
        assert_eq!(
            found.not_admitted,
            [
                "tartu: Estonia is not among the call's eligible countries.",
                "munich-fund: an investor funds projects rather than joining them.",
                "munich-lab: the call admits SME only.",
            ]
        );
        assert_eq!(found.partners, None, "the call sets no minimum");
        assert!(!found.is_closed());
    }
}
