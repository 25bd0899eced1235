//! Deterministic demo data: realistic calls (Horizon Europe, Digital Europe, the European
//! Defence Fund, EIB/EIF-style instruments, RIS3 regional calls), organisations and
//! clusters. The same seed and anchor date always give the same data; dates are placed
//! around the anchor so that a fresh demo shows open, forthcoming and closed calls.

use crate::call::{Deadline, InstrumentKind};
use crate::cluster::{Cluster, ClusterMember, DualUseProfile};
use crate::codes::{CountryCode, NutsCode, Trl};
use crate::organisation::{Organisation, OrganisationKind, SizeClass};
use crate::people::Role;
use crate::store::NewCall;
use crate::taxonomy;
use crate::time::brussels_deadline;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

/// The source recorded on generated calls.
pub const SOURCE: &str = "demo";

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    /// Number of calls.
    pub calls: usize,
    /// Number of organisations.
    pub organisations: usize,
    /// Number of clusters.
    pub clusters: usize,
}

impl DemoSize {
    /// The size the portal's demo uses.
    pub const DEMO: DemoSize = DemoSize {
        calls: 300,
        organisations: 500,
        clusters: 20,
    };
}

/// Everything the generator produced.
#[derive(Debug, Clone)]
pub struct DemoData {
    /// Calls.
    pub calls: Vec<NewCall>,
    /// Organisations.
    pub organisations: Vec<Organisation>,
    /// Clusters.
    pub clusters: Vec<Cluster>,
    /// Cluster memberships.
    pub members: Vec<ClusterMember>,
    /// The names of the regions the demo places things in.
    pub regions: Vec<crate::geo::Region>,
    /// Smart-specialisation strategies, recorded by an authority of each region that has one.
    pub strategies: Vec<crate::store::NewStrategy>,
}

impl DemoData {
    /// Writes everything into `store` — calls, organisations, clusters with their members,
    /// region names, then each region's strategy — each kind in one transaction.
    pub async fn write_to(
        &self,
        store: &dyn crate::store::Store,
        now: DateTime<Utc>,
    ) -> Result<(), crate::store::StoreError> {
        store.upsert_calls(&self.calls, now).await?;
        store.upsert_organisations(&self.organisations, now).await?;
        store.upsert_clusters(&self.clusters, &self.members, now).await?;
        store.upsert_regions(&self.regions, now).await?;
        for strategy in &self.strategies {
            let audit = crate::store::AuditEntry {
                actor_id: None,
                action: "demo_seed",
                subject_id: None,
                organisation_id: Some(strategy.organisation_id.clone()),
                detail: strategy.region.clone(),
                at: now,
            };
            store.save_strategy(strategy, now, &audit).await?;
        }
        Ok(())
    }
}

/// SplitMix64: tiny, fast and stable, so the demo never changes with a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A region the demo places organisations, clusters and regional calls in.
struct Region {
    country: &'static str,
    nuts: &'static str,
    name: &'static str,
    authority: &'static str,
    legal_form: &'static str,
}

/// The readiness level `level` (the generator only asks for levels 1 to 9).
fn trl(level: i64) -> Trl {
    Trl::try_from(level).expect("the demo asks for levels 1 to 9")
}

impl Region {
    /// The region's country (the table below holds only valid codes; a unit test reads them all).
    fn country_code(&self) -> CountryCode {
        CountryCode::parse(self.country).expect("demo regions hold valid country codes")
    }

    /// The region's NUTS code.
    fn nuts_code(&self) -> NutsCode {
        NutsCode::parse(self.nuts).expect("demo regions hold valid NUTS codes")
    }
}

const REGIONS: &[Region] = &[
    Region {
        country: "FR",
        nuts: "FRH0",
        name: "Bretagne",
        authority: "Région Bretagne",
        legal_form: "SAS",
    },
    Region {
        country: "FR",
        nuts: "FR10",
        name: "Ile-de-France",
        authority: "Région Île-de-France",
        legal_form: "SAS",
    },
    Region {
        country: "FR",
        nuts: "FRJ2",
        name: "Midi-Pyrénées",
        authority: "Région Occitanie",
        legal_form: "SAS",
    },
    Region {
        country: "DE",
        nuts: "DE21",
        name: "Oberbayern",
        authority: "Bayerisches Staatsministerium für Wirtschaft",
        legal_form: "GmbH",
    },
    Region {
        country: "DE",
        nuts: "DE30",
        name: "Berlin",
        authority: "Senatsverwaltung für Wirtschaft Berlin",
        legal_form: "GmbH",
    },
    Region {
        country: "DE",
        nuts: "DE11",
        name: "Stuttgart",
        authority: "Ministerium für Wirtschaft Baden-Württemberg",
        legal_form: "GmbH",
    },
    Region {
        country: "ES",
        nuts: "ES51",
        name: "Cataluña",
        authority: "Generalitat de Catalunya – ACCIÓ",
        legal_form: "S.L.",
    },
    Region {
        country: "ES",
        nuts: "ES21",
        name: "País Vasco",
        authority: "Gobierno Vasco – SPRI",
        legal_form: "S.L.",
    },
    Region {
        country: "ES",
        nuts: "ES30",
        name: "Comunidad de Madrid",
        authority: "Comunidad de Madrid",
        legal_form: "S.L.",
    },
    Region {
        country: "IT",
        nuts: "ITC4",
        name: "Lombardia",
        authority: "Regione Lombardia",
        legal_form: "S.r.l.",
    },
    Region {
        country: "IT",
        nuts: "ITI4",
        name: "Lazio",
        authority: "Regione Lazio",
        legal_form: "S.r.l.",
    },
    Region {
        country: "NL",
        nuts: "NL32",
        name: "Noord-Holland",
        authority: "Provincie Noord-Holland",
        legal_form: "B.V.",
    },
    Region {
        country: "NL",
        nuts: "NL41",
        name: "Noord-Brabant",
        authority: "Provincie Noord-Brabant",
        legal_form: "B.V.",
    },
    Region {
        country: "BE",
        nuts: "BE24",
        name: "Prov. Vlaams-Brabant",
        authority: "VLAIO",
        legal_form: "BV",
    },
    Region {
        country: "EE",
        nuts: "EE00",
        name: "Eesti",
        authority: "Enterprise Estonia (EIS)",
        legal_form: "OÜ",
    },
    Region {
        country: "FI",
        nuts: "FI1B",
        name: "Helsinki-Uusimaa",
        authority: "Business Finland",
        legal_form: "Oy",
    },
    Region {
        country: "SE",
        nuts: "SE11",
        name: "Stockholm",
        authority: "Region Stockholm",
        legal_form: "AB",
    },
    Region {
        country: "PL",
        nuts: "PL91",
        name: "Warszawski stołeczny",
        authority: "Mazowiecka Jednostka Wdrażania Programów Unijnych",
        legal_form: "sp. z o.o.",
    },
    Region {
        country: "AT",
        nuts: "AT13",
        name: "Wien",
        authority: "Wirtschaftsagentur Wien",
        legal_form: "GmbH",
    },
    Region {
        country: "PT",
        nuts: "PT11",
        name: "Norte",
        authority: "CCDR Norte",
        legal_form: "Lda.",
    },
    Region {
        country: "CZ",
        nuts: "CZ01",
        name: "Praha",
        authority: "Prague City Hall",
        legal_form: "s.r.o.",
    },
    Region {
        country: "LT",
        nuts: "LT01",
        name: "Sostinės regionas",
        authority: "Innovation Agency Lithuania",
        legal_form: "UAB",
    },
    Region {
        country: "IE",
        nuts: "IE06",
        name: "Eastern and Midland",
        authority: "Enterprise Ireland",
        legal_form: "Ltd",
    },
    Region {
        country: "LU",
        nuts: "LU00",
        name: "Luxembourg",
        authority: "Luxinnovation",
        legal_form: "S.à r.l.",
    },
];

/// Technology subjects calls and organisations are about.
const SUBJECTS: &[&str] = &[
    "post-quantum cryptography",
    "cyber threat intelligence",
    "security operations centres",
    "privacy-enhancing technologies",
    "identity and access management",
    "secure software supply chains",
    "industrial control system security",
    "AI-based intrusion detection",
    "secure 5G and 6G networks",
    "hardware security and trusted execution",
    "digital forensics",
    "security certification of ICT products",
    "resilient satellite communications",
    "quantum key distribution",
    "tactical networks",
    "counter-drone systems",
    "maritime surveillance",
    "critical infrastructure protection",
    "secure cloud and edge computing",
    "cyber ranges and training",
    "medical device cybersecurity",
    "smart grid security",
    "automotive cybersecurity",
    "disinformation detection",
    "biometric authentication",
];

const APPLICATIONS: &[&str] = &[
    "for SMEs",
    "for critical infrastructure operators",
    "for public administrations",
    "for hospitals",
    "for energy grids",
    "for ports and logistics",
    "in the defence supply chain",
    "for financial services",
    "across borders",
    "for smart cities",
];

const ACTIONS: &[&str] = &[
    "Developing",
    "Piloting",
    "Scaling up",
    "Deploying",
    "Demonstrating",
    "Validating",
];

/// Generates the demo data for `size`, with dates around `anchor` (normally today).
pub fn generate(seed: u64, anchor: NaiveDate, size: DemoSize) -> DemoData {
    let mut rng = Rng(seed);
    let anchor = Utc.from_utc_datetime(&anchor.and_hms_opt(9, 0, 0).expect("valid time"));
    let calls = (0..size.calls).map(|i| generate_call(&mut rng, i, anchor)).collect();
    let organisations: Vec<Organisation> = (0..size.organisations)
        .map(|i| generate_organisation(&mut rng, i))
        .collect();
    let (clusters, members) = generate_clusters(&mut rng, size.clusters, &organisations);
    let regions = REGIONS
        .iter()
        .map(|region| crate::geo::Region {
            code: region.nuts_code(),
            name: region.name.to_owned(),
        })
        .collect();
    let strategies = generate_strategies(&mut rng, &organisations);
    DemoData {
        calls,
        organisations,
        clusters,
        members,
        regions,
        strategies,
    }
}

/// Smart-specialisation themes a region's strategy picks from: (title, capabilities,
/// sectors, what the region means by it).
const PRIORITY_THEMES: &[(&str, &[&str], &[&str], &str)] = &[
    (
        "Maritime and port cybersecurity",
        &["network-security", "incident-handling"],
        &["transport"],
        "Securing ports, shipping and offshore platforms: monitoring, incident response and resilient communications for the maritime economy.",
    ),
    (
        "Digital health and patient data",
        &["data-security", "identity"],
        &["health"],
        "Hospitals, medical devices and health data spaces that patients can trust, built with the region's medical technology companies.",
    ),
    (
        "Secure and smart energy grids",
        &["secure-engineering", "network-security"],
        &["energy"],
        "Protecting grids, renewables and storage as they are digitalised, from substation equipment to the control room.",
    ),
    (
        "Industry 4.0 and industrial control security",
        &["secure-engineering", "measurements"],
        &["manufacturing"],
        "Security by design for the region's manufacturers: connected machines, industrial control systems and their supply chains.",
    ),
    (
        "Trusted digital public services",
        &["identity", "trust"],
        &["public-administration"],
        "Electronic identity, trust services and resilient municipal IT so citizens and businesses can rely on online public services.",
    ),
    (
        "Space and secure satellite communications",
        &["cryptology", "network-security"],
        &["space"],
        "Ground segments, secure links and quantum-safe encryption for the region's space and telecommunications industry.",
    ),
    (
        "Financial services resilience",
        &["governance", "assurance"],
        &["banking", "financial"],
        "Helping banks, insurers and fintechs meet DORA and NIS2 through testing, audit and certification services from local SMEs.",
    ),
    (
        "Post-quantum and applied cryptography",
        &["cryptology", "foundations"],
        &["digital-infrastructure"],
        "Research and early products in post-quantum cryptography and quantum key distribution, from the region's laboratories to market.",
    ),
    (
        "Cyber skills and training",
        &["education", "human-aspects"],
        &["research"],
        "Cyber ranges, vocational courses and university programmes that grow the security workforce the region's companies need.",
    ),
    (
        "Agri-food supply-chain security",
        &["data-security", "trust"],
        &["food"],
        "Traceability and protection of data along the agri-food chain, from farm sensors to retail platforms.",
    ),
];

/// A strategy for each demo region that has a public authority: three to five themes, recorded
/// by the region's first authority.
fn generate_strategies(rng: &mut Rng, organisations: &[Organisation]) -> Vec<crate::store::NewStrategy> {
    let owned = |codes: &[&str]| codes.iter().map(|code| (*code).to_owned()).collect::<Vec<_>>();
    REGIONS
        .iter()
        .filter_map(|region| {
            let authority = organisations.iter().find(|o| {
                o.kind == OrganisationKind::PublicAuthority
                    && o.nuts_code.as_ref().map(NutsCode::as_str) == Some(region.nuts)
            })?;
            let count = rng.range(3, 5) as usize;
            let first = rng.below(PRIORITY_THEMES.len());
            let priorities = (0..count)
                .map(|offset| {
                    let (title, domains, sectors, text) = PRIORITY_THEMES[(first + offset * 3) % PRIORITY_THEMES.len()];
                    crate::smart_specialisation::Priority {
                        title: title.to_owned(),
                        domains: owned(domains),
                        sectors: owned(sectors),
                        text: text.to_owned(),
                    }
                })
                .collect();
            Some(crate::store::NewStrategy {
                region: region.nuts.to_owned(),
                organisation_id: authority.external_id.clone(),
                summary: format!(
                    "{}'s research and innovation strategy for smart specialisation (RIS3) 2021–2027 names the fields \
                     where the region concentrates its ERDF support; calls of the region favour projects serving them.",
                    region.name
                ),
                strategy_url: Some(format!(
                    "https://ris3.example.eu/{}/strategy-2021-2027.pdf",
                    region.nuts.to_lowercase()
                )),
                priorities,
            })
        })
        .collect()
}

/// Which family a generated call belongs to, cycling so every family is represented.
fn generate_call(rng: &mut Rng, index: usize, anchor: DateTime<Utc>) -> NewCall {
    match index % 10 {
        0..=3 => horizon_call(rng, index, anchor),
        4 => digital_europe_call(rng, index, anchor),
        5 => defence_fund_call(rng, index, anchor),
        6 | 7 => financial_instrument(rng, index, anchor),
        _ => regional_call(rng, index, anchor),
    }
}

fn base_call(rng: &mut Rng, external_id: String, title: String, programme: &str, anchor: DateTime<Utc>) -> NewCall {
    let subject = title.to_lowercase();
    let mut call = NewCall::new(&external_id, SOURCE, &title, programme, "European Commission");
    call.deadline_model = Some("single-stage".to_owned());
    call.opening_at = Some(anchor + Duration::days(rng.range(-150, 45)));
    call.funding_rate_pct = Some(100);
    call.description = format!(
        "This call supports projects on {subject}. Proposals should describe the expected impact on \
         Europe's cybersecurity and digital sovereignty, the role of SMEs in the consortium, and a plan \
         to take results to market."
    );
    call
}

/// One or two deadlines after the opening date; some already passed at the anchor.
fn grant_deadlines(rng: &mut Rng, opening: DateTime<Utc>, two_stage: bool) -> Vec<Deadline> {
    let first = (opening + Duration::days(rng.range(30, 200))).date_naive();
    let mut deadlines = vec![Deadline {
        stage: 1,
        at: brussels_deadline(first),
        label: Some(
            if two_stage {
                "First stage (short proposal)"
            } else {
                "Deadline"
            }
            .to_owned(),
        ),
    }];
    if two_stage {
        let second = first + Duration::days(rng.range(90, 150));
        deadlines.push(Deadline {
            stage: 2,
            at: brussels_deadline(second),
            label: Some("Second stage (full proposal)".to_owned()),
        });
    }
    deadlines
}

fn subject_title(rng: &mut Rng) -> (String, &'static str) {
    let subject = *rng.pick(SUBJECTS);
    let title = format!("{} {} {}", rng.pick(ACTIONS), subject, rng.pick(APPLICATIONS));
    (title, subject)
}

fn horizon_call(rng: &mut Rng, index: usize, anchor: DateTime<Utc>) -> NewCall {
    const PARTS: &[(&str, &str, &str)] = &[
        ("CL3", "CS", "Civil Security for Society"),
        ("CL3", "FCT", "Civil Security for Society"),
        ("CL4", "DIGITAL-EMERGING", "Digital, Industry and Space"),
        ("CL4", "SPACE", "Digital, Industry and Space"),
        ("CL5", "D3", "Climate, Energy and Mobility"),
        ("CL1", "TOOL", "Health"),
    ];
    let (part, area, part_name) = *rng.pick(PARTS);
    let year = 2026 + rng.range(0, 1);
    let (title, subject) = subject_title(rng);
    let call_identifier = format!("HORIZON-{part}-{year}-0{}", 1 + rng.below(3));
    let external_id = format!("{call_identifier}-{area}-{index:03}");
    let mut call = base_call(rng, external_id, title, "Horizon Europe", anchor);
    let two_stage = rng.chance(20);
    let action = *rng.pick(&["RIA", "IA", "CSA"]);
    let per_project = rng.range(2, 12) * 500_000;
    call.programme_part = Some(part.to_owned());
    call.call_title = Some(part_name.to_owned());
    call.call_identifier = Some(call_identifier);
    call.action_type = Some(action.to_owned());
    call.deadline_model = Some(if two_stage { "two-stage" } else { "single-stage" }.to_owned());
    call.deadlines = grant_deadlines(rng, call.opening_at.expect("set by base_call"), two_stage);
    call.budget_min_eur = Some(per_project - 1_000_000.min(per_project / 2));
    call.budget_max_eur = Some(per_project);
    call.expected_grants = Some(rng.range(1, 6) as i32);
    call.budget_total_eur = Some(per_project * i64::from(call.expected_grants.unwrap_or(1)));
    call.funding_rate_pct = Some(if action == "IA" { 70 } else { 100 });
    let trl_min = match action {
        "RIA" => rng.range(2, 4),
        "IA" => rng.range(5, 6),
        _ => 1,
    };
    call.trl_min = Some(trl(trl_min));
    call.trl_max = Some(trl((trl_min + rng.range(1, 3)).min(9)));
    call.min_partners = Some(3);
    call.min_countries = Some(3);
    call.keywords = vec![subject.to_owned(), part.to_owned(), "Horizon Europe".to_owned()];
    call.url = Some(format!(
        "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/{}",
        call.external_id.to_lowercase()
    ));
    call
}

fn digital_europe_call(rng: &mut Rng, index: usize, anchor: DateTime<Utc>) -> NewCall {
    let (title, subject) = subject_title(rng);
    let year = 2026 + rng.range(0, 1);
    let external_id = format!("DIGITAL-ECCC-{year}-DEPLOY-CYBER-{index:03}");
    let mut call = base_call(rng, external_id, title, "Digital Europe", anchor);
    call.programme_part = Some("ECCC".to_owned());
    call.publisher = "European Cybersecurity Competence Centre".to_owned();
    call.action_type = Some(
        if rng.chance(50) {
            "DIGITAL-SME"
        } else {
            "DIGITAL-SIMPLE"
        }
        .to_owned(),
    );
    call.sme_only = call.action_type.as_deref() == Some("DIGITAL-SME");
    call.funding_rate_pct = Some(if call.sme_only { 75 } else { 50 });
    call.deadlines = grant_deadlines(rng, call.opening_at.expect("set by base_call"), false);
    let per_project = rng.range(1, 8) * 500_000;
    call.budget_max_eur = Some(per_project);
    call.budget_total_eur = Some(per_project * rng.range(2, 8));
    call.trl_min = Some(trl(6));
    call.trl_max = Some(trl(8));
    call.keywords = vec![subject.to_owned(), "ECCC".to_owned(), "deployment".to_owned()];
    call
}

fn defence_fund_call(rng: &mut Rng, index: usize, anchor: DateTime<Utc>) -> NewCall {
    let subject = *rng.pick(&SUBJECTS[12..]);
    let research = rng.chance(50);
    let kind = if research { "RA" } else { "DA" };
    let year = 2026 + rng.range(0, 1);
    let external_id = format!("EDF-{year}-{kind}-{index:03}");
    let title = format!(
        "{} {subject} for European defence capabilities",
        if research { "Research on" } else { "Development of" }
    );
    let mut call = base_call(rng, external_id, title, "European Defence Fund", anchor);
    call.publisher = "European Commission – DG DEFIS".to_owned();
    call.action_type = Some(format!("EDF-{kind}"));
    call.dual_use = true;
    call.min_partners = Some(3);
    call.min_countries = Some(3);
    call.deadlines = grant_deadlines(rng, call.opening_at.expect("set by base_call"), false);
    let per_project = rng.range(4, 40) * 1_000_000;
    call.budget_max_eur = Some(per_project);
    call.budget_total_eur = Some(per_project * rng.range(1, 3));
    call.funding_rate_pct = Some(if research { 100 } else { 80 });
    call.keywords = vec![subject.to_owned(), "defence".to_owned(), "dual-use".to_owned()];
    call
}

fn financial_instrument(rng: &mut Rng, index: usize, anchor: DateTime<Utc>) -> NewCall {
    const KINDS: &[(InstrumentKind, &str, &str)] = &[
        (
            InstrumentKind::Equity,
            "European Investment Fund",
            "Venture capital for cybersecurity scale-ups",
        ),
        (
            InstrumentKind::QuasiEquity,
            "European Investment Bank",
            "Venture debt for deep-tech SMEs",
        ),
        (
            InstrumentKind::Loan,
            "European Investment Bank",
            "Innovation loans for digital security",
        ),
        (
            InstrumentKind::Guarantee,
            "European Investment Fund",
            "InvestEU SME guarantee for digitalisation",
        ),
        (
            InstrumentKind::CounterGuarantee,
            "European Investment Fund",
            "Counter-guarantees for cyber-innovation lending",
        ),
    ];
    let (kind, publisher, stem) = *rng.pick(KINDS);
    let region = rng.pick(REGIONS);
    let title = format!("{stem} — {} intermediary window", region.name);
    let external_id = format!(
        "EIF-{}-{}-{index:03}",
        kind.as_str().to_uppercase().replace('_', ""),
        region.country
    );
    let mut call = base_call(rng, external_id, title, "InvestEU", anchor);
    call.instrument_kind = kind;
    call.publisher = publisher.to_owned();
    call.deadline_model = Some("rolling".to_owned());
    call.opening_at = Some(anchor - Duration::days(rng.range(30, 700)));
    call.funding_rate_pct = None;
    // Most instruments are rolling; a few have an availability end date.
    if rng.chance(25) {
        let end = (anchor + Duration::days(rng.range(-60, 400))).date_naive();
        call.deadline_model = Some("availability period".to_owned());
        call.deadlines = vec![Deadline {
            stage: 1,
            at: brussels_deadline(end),
            label: Some("End of availability".to_owned()),
        }];
    }
    let ticket = rng.range(1, 30) * 250_000;
    call.budget_min_eur = Some(ticket / 5);
    call.budget_max_eur = Some(ticket);
    call.budget_total_eur = Some(rng.range(20, 400) * 1_000_000);
    call.sme_only = rng.chance(70);
    call.eligible_countries = vec![region.country_code()];
    call.keywords = vec![
        "financial instrument".to_owned(),
        kind.label().to_lowercase(),
        "EFSI".to_owned(),
    ];
    call.description = format!(
        "{stem}, available through financial intermediaries in {}. Backed by the EU budget guarantee \
         (EFSI / InvestEU). Applications are made to participating banks and funds, not to the EU.",
        region.name
    );
    call
}

fn regional_call(rng: &mut Rng, index: usize, anchor: DateTime<Utc>) -> NewCall {
    let region = rng.pick(REGIONS);
    let subject = *rng.pick(SUBJECTS);
    let voucher = rng.chance(40);
    let title = if voucher {
        format!("{} cybersecurity voucher: {subject}", region.name)
    } else {
        format!("{} smart specialisation call: {subject}", region.name)
    };
    let external_id = format!("RIS3-{}-{}-{index:03}", region.nuts, 2026 + rng.range(0, 1));
    let mut call = base_call(rng, external_id, title, "ERDF – Regional smart specialisation", anchor);
    call.publisher = region.authority.to_owned();
    call.instrument_kind = if voucher {
        InstrumentKind::Voucher
    } else {
        InstrumentKind::Grant
    };
    call.sme_only = voucher || rng.chance(60);
    call.eligible_countries = vec![region.country_code()];
    call.eligible_regions = vec![region.nuts_code()];
    call.deadlines = grant_deadlines(rng, call.opening_at.expect("set by base_call"), false);
    if !voucher && rng.chance(30) {
        call.deadline_model = Some("multiple cut-off".to_owned());
        let last = call.deadlines[0].at;
        call.deadlines.push(Deadline {
            stage: 2,
            at: brussels_deadline((last + Duration::days(120)).date_naive()),
            label: Some("Second cut-off".to_owned()),
        });
    }
    let max = if voucher {
        rng.range(1, 6) * 10_000
    } else {
        rng.range(2, 20) * 50_000
    };
    call.budget_max_eur = Some(max);
    call.budget_total_eur = Some(max * rng.range(10, 60));
    call.funding_rate_pct = Some(if voucher { 80 } else { 50 });
    call.keywords = vec![subject.to_owned(), "RIS3".to_owned(), region.name.to_owned()];
    call
}

fn generate_organisation(rng: &mut Rng, index: usize) -> Organisation {
    const STEMS: &[&str] = &[
        "Cyber", "Quantum", "Secure", "Sentinel", "Aegis", "Nordic", "Crypto", "Shield", "Vigil", "Bastion", "Trust",
        "Argus", "Helix", "Orbit", "Tessera", "Lumen", "Vector", "Cobalt", "Iris", "Nexus",
    ];
    const TAILS: &[&str] = &[
        "Labs",
        "Systems",
        "Security",
        "Analytics",
        "Networks",
        "Defence",
        "Solutions",
        "Technologies",
        "Works",
    ];
    let region = rng.pick(REGIONS);
    let roll = rng.below(100);
    let kind = match roll {
        0..=59 => OrganisationKind::Sme,
        60..=69 => OrganisationKind::LargeEnterprise,
        70..=79 => OrganisationKind::ResearchOrganisation,
        80..=87 => OrganisationKind::University,
        88..=93 => OrganisationKind::PublicAuthority,
        _ => OrganisationKind::Investor,
    };
    let stem = rng.pick(STEMS);
    let tail = rng.pick(TAILS);
    let name = match kind {
        OrganisationKind::Sme | OrganisationKind::LargeEnterprise => {
            format!("{stem}{} {}", tail.to_lowercase(), region.legal_form)
        }
        OrganisationKind::ResearchOrganisation => {
            format!("{} Institute for {stem} {tail}", region.name)
        }
        OrganisationKind::University => format!("University of {} — {stem} Lab", region.name),
        OrganisationKind::PublicAuthority => {
            format!("{} ({stem} programme office)", region.authority)
        }
        _ => format!("{stem} Ventures {}", region.name),
    };
    let headcount = match kind {
        OrganisationKind::Sme => rng.range(2, 240) as u32,
        OrganisationKind::LargeEnterprise => rng.range(260, 20_000) as u32,
        _ => rng.range(20, 2_000) as u32,
    };
    let turnover = matches!(kind, OrganisationKind::Sme | OrganisationKind::LargeEnterprise)
        .then(|| u64::from(headcount) * rng.range(60_000, 180_000) as u64);
    let size_class = turnover.map(|turnover| SizeClass::classify(headcount, turnover, turnover / 2));
    let focus = rng.pick(SUBJECTS);
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let application = rng.pick(APPLICATIONS);
    let mut capabilities: Vec<String> = subject_capabilities(focus).iter().map(|c| (*c).to_owned()).collect();
    if rng.chance(35) {
        let extra = rng.pick(taxonomy::CAPABILITIES).code.to_owned();
        if !capabilities.contains(&extra) {
            capabilities.push(extra);
        }
    }
    let mut sectors: Vec<String> = application_sector(application).into_iter().map(str::to_owned).collect();
    if rng.chance(30) {
        let extra = rng.pick(taxonomy::SECTORS).code.to_owned();
        if !sectors.contains(&extra) {
            sectors.push(extra);
        }
    }
    let certification_odds = match kind {
        OrganisationKind::Sme | OrganisationKind::LargeEnterprise => 55,
        _ => 10,
    };
    let certifications: Vec<String> = if rng.chance(certification_odds) {
        let mut held = vec!["iso27001".to_owned()];
        if rng.chance(40) {
            let extra = rng.pick(taxonomy::CERTIFICATIONS).code.to_owned();
            if !held.contains(&extra) {
                held.push(extra);
            }
        }
        held
    } else {
        Vec::new()
    };
    let dual_use = rng.chance(30);
    Organisation {
        external_id: format!("{slug}-{index:04}"),
        website: Some(format!("https://{}.example.eu", slug.replace('-', ""))),
        name,
        kind,
        country: region.country_code(),
        nuts_code: Some(region.nuts_code()),
        size_class,
        headcount: Some(headcount as i32),
        description: format!("Works on {focus} {application}."),
        dual_use,
        profile: demo_profile(index, turnover, dual_use, &capabilities),
        capabilities,
        sectors,
        certifications,
    }
}

/// The rest of a demo organisation's profile, from what was drawn for it (no further draws,
/// so the data drawn after it stays as it was).
fn demo_profile(
    index: usize,
    turnover: Option<u64>,
    dual_use: bool,
    capabilities: &[String],
) -> crate::profile::ProfileDetails {
    use crate::profile::{DualUseInterest, ProfileDetails};
    let turnover = turnover.map(|t| i64::try_from(t).unwrap_or(i64::MAX));
    let wants_funding = match index % 3 {
        0 => vec![InstrumentKind::Grant],
        1 => vec![InstrumentKind::Grant, InstrumentKind::Voucher],
        _ => vec![InstrumentKind::Grant, InstrumentKind::Equity, InstrumentKind::Loan],
    };
    let partner = taxonomy::CAPABILITIES[index % taxonomy::CAPABILITIES.len()]
        .code
        .to_owned();
    ProfileDetails {
        turnover_eur: turnover,
        balance_sheet_eur: turnover.map(|t| t / 2),
        offer_trl: Some(trl(3 + (index % 6) as i64)),
        dual_use_interest: Some(if dual_use {
            DualUseInterest::Both
        } else {
            DualUseInterest::Civil
        }),
        wants_funding,
        wants_capabilities: (!capabilities.contains(&partner))
            .then_some(partner)
            .into_iter()
            .collect(),
        ..ProfileDetails::default()
    }
}

/// The JRC research domains a technology subject belongs to, then the sub-domains it is
/// precisely about, where the taxonomy names them.
fn subject_capabilities(subject: &str) -> &'static [&'static str] {
    match subject {
        "post-quantum cryptography" => &["cryptology", "cryptology-post-quantum-cryptography"],
        "quantum key distribution" => &["cryptology", "cryptology-quantum-cryptography"],
        "cyber threat intelligence" => &[
            "incident-handling",
            "human-aspects",
            "incident-handling-coordination-information-sharing",
        ],
        "disinformation detection" => &["incident-handling", "human-aspects", "trust-trust-reputation-social"],
        "security operations centres" => &["incident-handling", "network-security"],
        "AI-based intrusion detection" => &[
            "incident-handling",
            "network-security",
            "secure-engineering-intrusion-detection-honeypots",
        ],
        "privacy-enhancing technologies" => &["data-security", "data-security-privacy-enhancing-technologies"],
        "identity and access management" => &["identity"],
        "biometric authentication" => &["identity", "identity-biometric-methods-technologies"],
        "secure software supply chains" | "hardware security and trusted execution" => &["secure-engineering"],
        "industrial control system security" | "smart grid security" | "critical infrastructure protection" => {
            &["network-security", "governance"]
        }
        "secure 5G and 6G networks" | "resilient satellite communications" | "tactical networks" => {
            &["network-security"]
        }
        "digital forensics" => &["incident-handling", "incident-handling-digital-forensic-processes"],
        "security certification of ICT products" => &["assurance"],
        "counter-drone systems" | "maritime surveillance" => &["measurements", "network-security"],
        "secure cloud and edge computing" => &["network-security", "data-security"],
        "cyber ranges and training" => &["education"],
        "medical device cybersecurity" | "automotive cybersecurity" => &["secure-engineering", "assurance"],
        _ => &["governance"],
    }
}

/// The NIS2 sector an application serves, if it names one.
fn application_sector(application: &str) -> Option<&'static str> {
    match application {
        "for critical infrastructure operators" | "for energy grids" => Some("energy"),
        "for public administrations" | "for smart cities" => Some("public-administration"),
        "for hospitals" => Some("health"),
        "for ports and logistics" => Some("transport"),
        "for financial services" => Some("banking"),
        "in the defence supply chain" => Some("manufacturing"),
        _ => None,
    }
}

fn generate_clusters(
    rng: &mut Rng,
    count: usize,
    organisations: &[Organisation],
) -> (Vec<Cluster>, Vec<ClusterMember>) {
    const NETWORKS: &[&str] = &[
        "European Network of Defence-related Regions (ENDR)",
        "European Cyber Security Organisation (ECSO)",
        "European Digital Innovation Hubs network",
    ];
    let mut clusters = Vec::with_capacity(count);
    let mut members = Vec::new();
    for index in 0..count {
        let region = &REGIONS[index % REGIONS.len()];
        let profile = *rng.pick(&[DualUseProfile::Civil, DualUseProfile::Defence, DualUseProfile::Both]);
        let focus = *rng.pick(SUBJECTS);
        let name = match profile {
            DualUseProfile::Civil => format!("{} Cyber Cluster", region.name),
            DualUseProfile::Defence => format!("{} Defence & Security Cluster", region.name),
            DualUseProfile::Both => format!("{} Dual-Use Technology Cluster", region.name),
        };
        let external_id = format!("cluster-{}-{index:02}", region.nuts.to_lowercase());
        let networks = NETWORKS
            .iter()
            .filter(|_| rng.chance(40))
            .map(|n| (*n).to_owned())
            .collect();
        // Members: organisations of the same country first, then a few from elsewhere.
        let mut chosen: Vec<&Organisation> = organisations
            .iter()
            .filter(|o| o.country == region.country)
            .take(12 + rng.below(20))
            .collect();
        for _ in 0..rng.below(4) {
            if !organisations.is_empty() {
                let other = &organisations[rng.below(organisations.len())];
                if !chosen.iter().any(|o| o.external_id == other.external_id) {
                    chosen.push(other);
                }
            }
        }
        // The coordinating member runs the cluster on the portal.
        let managed_by = chosen.first().map(|o| o.external_id.clone());
        for (position, organisation) in chosen.into_iter().enumerate() {
            members.push(ClusterMember {
                cluster_id: external_id.clone(),
                organisation_id: organisation.external_id.clone(),
                role: if position == 0 {
                    "coordinator"
                } else if position < 3 {
                    "board"
                } else {
                    "member"
                }
                .to_owned(),
            });
        }
        clusters.push(Cluster {
            external_id,
            description: format!(
                "Brings together companies, research and authorities in {} around {focus}.",
                region.name
            ),
            name,
            country: region.country_code(),
            nuts_code: Some(region.nuts_code()),
            focus: focus.to_owned(),
            dual_use_profile: profile,
            networks,
            managed_by,
        });
    }
    (clusters, members)
}

/// The password of every demo person. Demo people exist only where the portal runs on
/// localhost (the server refuses to seed them elsewhere); `scripts/demo` prints them.
pub const DEMO_PASSWORD: &str = "fundbridge demo 2026";

/// A demo account and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    /// Its address (`<role>@fundbridge.localhost`).
    pub email: String,
    /// Its name.
    pub display_name: String,
    /// A platform administrator.
    pub is_admin: bool,
    /// The organisation (public identifier) it belongs to, and its role there.
    pub membership: Option<(String, Role)>,
}

/// One demo person per role: an administrator; a member of the first demo organisation; an
/// editor and a reviewer of the first public authority (a funding body); a manager of the
/// organisation that runs the first dual-use cluster the SME is not in (else of the second
/// organisation); an editor of the first SME (its profile).
pub fn people(data: &DemoData) -> Vec<DemoPerson> {
    let organisation = |index: usize| data.organisations.get(index).map(|o| o.external_id.clone());
    let person = |local: &str, name: &str, membership: Option<(String, Role)>| DemoPerson {
        email: format!("{local}@fundbridge.localhost"),
        display_name: name.to_owned(),
        is_admin: local == "admin",
        membership,
    };
    // The editor and reviewer work for a funding body, so that the demo can publish calls.
    let funding_body = data
        .organisations
        .iter()
        .find(|o| o.kind == crate::organisation::OrganisationKind::PublicAuthority)
        .map(|o| o.external_id.clone())
        .or_else(|| organisation(0));
    // An editor of a company, who keeps its profile.
    let company = data
        .organisations
        .iter()
        .find(|o| o.kind == crate::organisation::OrganisationKind::Sme)
        .map(|o| o.external_id.clone());
    // A manager of a cluster the company could join.
    let cluster_runner = data
        .clusters
        .iter()
        .filter(|c| c.dual_use_profile == DualUseProfile::Both)
        .filter(|c| {
            !data
                .members
                .iter()
                .any(|m| m.cluster_id == c.external_id && Some(&m.organisation_id) == company.as_ref())
        })
        .filter_map(|c| c.managed_by.as_ref())
        // A partner from another country than the company's.
        .find(|runner| {
            let country = |id: &str| {
                data.organisations
                    .iter()
                    .find(|o| o.external_id == id)
                    .map(|o| o.country.clone())
            };
            company
                .as_deref()
                .is_none_or(|company| country(company) != country(runner))
        })
        .cloned()
        .or_else(|| organisation(1));
    vec![
        person("admin", "Ada Admin", None),
        person("member", "Marta Member", organisation(0).map(|id| (id, Role::Member))),
        person(
            "editor",
            "Eduardo Editor",
            funding_body.clone().map(|id| (id, Role::Editor)),
        ),
        person("reviewer", "Rita Reviewer", funding_body.map(|id| (id, Role::Reviewer))),
        person(
            "manager",
            "Magnus Manager",
            cluster_runner.map(|id| (id, Role::Manager)),
        ),
        person("sme", "Sofia SME", company.map(|id| (id, Role::Editor))),
    ]
}

/// Stores `people` (confirmed, all with the password hashed as `password_hash`) and their
/// memberships; an address already taken is left as it is. Returns how many were created.
pub async fn write_people(
    store: &dyn crate::store::Store,
    people: &[DemoPerson],
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<usize, crate::store::StoreError> {
    let mut created = 0;
    for person in people {
        let account = crate::store::NewPerson {
            email: person.email.clone(),
            display_name: person.display_name.clone(),
            password_hash: password_hash.to_owned(),
            verified: true,
            is_admin: person.is_admin,
        };
        let id = match store.create_person(&account, None, now).await {
            Ok(id) => id,
            Err(crate::store::StoreError::Conflict(_)) => continue,
            Err(error) => return Err(error),
        };
        created += 1;
        if let Some((organisation, role)) = &person.membership {
            let audit = crate::store::AuditEntry {
                actor_id: None,
                action: "demo_seed",
                subject_id: Some(id),
                organisation_id: Some(organisation.clone()),
                detail: role.as_str().to_owned(),
                at: now,
            };
            store.set_membership(id, organisation, Some(*role), &audit).await?;
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn demo_regions_carry_their_eurostat_codes_and_names() {
        // Eurostat's NUTS 2024 list, read from the shared data folder (never copied): every
        // demo region exists there, at level 2, under the name the demo shows.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/nuts/nuts2024.csv");
        let csv = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let published: std::collections::HashMap<String, (String, String)> = reader
            .records()
            .map(|record| {
                let record = record.unwrap();
                (record[1].to_owned(), (record[2].to_owned(), record[3].to_owned()))
            })
            .collect();
        for region in REGIONS {
            let (name, level) = published
                .get(region.nuts)
                .unwrap_or_else(|| panic!("{} is not a NUTS 2024 code", region.nuts));
            assert_eq!(level, "2", "{}", region.nuts);
            assert_eq!(name, region.name, "{}", region.nuts);
            assert!(region.nuts.starts_with(region.country), "{}", region.nuts);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let a = generate(7, anchor(), DemoSize::DEMO);
        let b = generate(7, anchor(), DemoSize::DEMO);
        assert_eq!(a.calls, b.calls);
        assert_eq!(a.organisations, b.organisations);
        assert_ne!(a.calls, generate(8, anchor(), DemoSize::DEMO).calls);
    }

    #[test]
    fn the_demo_has_every_family_unique_ids_and_valid_calls() {
        let data = generate(1, anchor(), DemoSize::DEMO);
        assert_eq!(data.calls.len(), 300);
        assert_eq!(data.organisations.len(), 500);
        assert_eq!(data.clusters.len(), 20);
        for programme in ["Horizon Europe", "Digital Europe", "European Defence Fund", "InvestEU"] {
            assert!(data.calls.iter().any(|c| c.programme == programme), "{programme}");
        }
        assert!(data
            .calls
            .iter()
            .any(|c| c.instrument_kind.is_financial_instrument() && c.deadlines.is_empty()));
        assert!(data.calls.iter().any(|c| c.deadlines.len() == 2));
        assert!(data.calls.iter().any(|c| !c.eligible_regions.is_empty()));
        let mut ids: Vec<&str> = data.calls.iter().map(|c| c.external_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), data.calls.len(), "call ids are unique");
        let mut org_ids: Vec<&str> = data.organisations.iter().map(|o| o.external_id.as_str()).collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        assert_eq!(org_ids.len(), data.organisations.len(), "organisation ids are unique");
        for call in &data.calls {
            call.validate().unwrap_or_else(|e| panic!("{}: {e}", call.external_id));
        }
        for organisation in &data.organisations {
            organisation.validate().unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(data.organisations.iter().any(|o| !o.certifications.is_empty()));
        assert!(data.organisations.iter().all(|o| !o.capabilities.is_empty()));
        assert!(data.strategies.len() >= 5, "most demo regions have a strategy");
        for strategy in &data.strategies {
            let form = crate::smart_specialisation::StrategyForm {
                summary: strategy.summary.clone(),
                strategy_url: strategy.strategy_url.clone().unwrap_or_default(),
                priorities: strategy.priorities.clone(),
            };
            assert_eq!(form.mistakes(), Vec::new(), "{}", strategy.region);
        }
    }
}
