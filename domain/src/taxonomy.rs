//! The built-in vocabularies organisations are described with: capabilities (the research
//! domains of the JRC cybersecurity taxonomy), sectors (the NIS2 sectors) and the security
//! and quality certifications SMEs hold. Each term has a stable code (stored, used in URLs)
//! and a label (shown). Written by the project; checked against the published taxonomies.

/// A term of a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// Stable code, stored and used in URLs.
    pub code: &'static str,
    /// What people read.
    pub label: &'static str,
}

const fn term(code: &'static str, label: &'static str) -> Term {
    Term { code, label }
}

/// Capabilities: the research domains of the JRC cybersecurity taxonomy (EUR 29868).
pub const CAPABILITIES: &[Term] = &[
    term("assurance", "Assurance, Audit, and Certification"),
    term("cryptology", "Cryptology (Cryptography and Cryptanalysis)"),
    term("data-security", "Data Security and Privacy"),
    term("education", "Education and Training"),
    term("human-aspects", "Human aspects"),
    term("identity", "Identity Management"),
    term("incident-handling", "Incident Handling and Digital Forensics"),
    term("legal", "Legal aspects"),
    term("network-security", "Network and Distributed Systems"),
    term("governance", "Security Management and Governance"),
    term("measurements", "Security Measurements"),
    term("secure-engineering", "Software and Hardware Security Engineering"),
    term("steganography", "Steganography, Steganalysis and Watermarking"),
    term("foundations", "Theoretical Foundations"),
    term("trust", "Trust Management and Accountability"),
];

/// Sectors: the sectors of the NIS2 Directive (EU 2022/2555), Annexes I and II.
pub const SECTORS: &[Term] = &[
    term("energy", "Energy"),
    term("transport", "Transport"),
    term("banking", "Banking"),
    term("financial", "Financial market infrastructures"),
    term("health", "Health"),
    term("drinking-water", "Drinking water"),
    term("waste-water", "Waste water"),
    term("digital-infrastructure", "Digital infrastructure"),
    term("ict-services", "ICT service management (business-to-business)"),
    term("public-administration", "Public administration"),
    term("space", "Space"),
    term("courier", "Postal and courier services"),
    term("waste-management", "Waste management"),
    term("chemical", "Manufacture, production and distribution of chemicals"),
    term("food", "Production, processing and distribution of food"),
    term("manufacturing", "Manufacturing"),
    term("digital-providers", "Digital providers"),
    term("research", "Research"),
];

/// Certifications an organisation can hold.
pub const CERTIFICATIONS: &[Term] = &[
    term("iso27001", "ISO/IEC 27001"),
    term("iso27701", "ISO/IEC 27701"),
    term("iso9001", "ISO 9001"),
    term("iec62443", "IEC 62443"),
    term("common-criteria", "Common Criteria (EAL)"),
    term("eucc", "EUCC (EU Common Criteria scheme)"),
    term("cspn", "CSPN (ANSSI)"),
    term("bsz", "BSZ (BSI)"),
    term("soc2", "SOC 2"),
    term("tisax", "TISAX"),
    term("aqap2110", "AQAP 2110 (NATO quality)"),
];

/// Bumped whenever a keyword list below changes, so stored calls are classified anew on
/// their next write (it is part of [`crate::store::NewCall::content_hash`]'s input).
pub const CLASSIFICATION_VERSION: &str = "taxonomy-1";

/// Words and phrases that put a call's text in a capability (research domain). A trailing
/// `*` matches any word starting so (`cryptograph*`: cryptography, cryptographic).
const CAPABILITY_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "assurance",
        &[
            "certification",
            "certified",
            "assurance",
            "audit*",
            "cybersecurity act",
            "conformity assessment",
            "evaluation of ict",
        ],
    ),
    (
        "cryptology",
        &[
            "cryptograph*",
            "cryptolog*",
            "cryptanaly*",
            "encryption",
            "post-quantum",
            "quantum key distribution",
            "qkd",
            "homomorphic",
        ],
    ),
    (
        "data-security",
        &[
            "privacy",
            "data protection",
            "gdpr",
            "personal data",
            "privacy-enhancing",
            "anonymi*",
            "data security",
            "confidential computing",
        ],
    ),
    (
        "education",
        &[
            "skills",
            "training",
            "education*",
            "curricul*",
            "cyber range*",
            "upskilling",
            "reskilling",
        ],
    ),
    (
        "human-aspects",
        &[
            "awareness",
            "human factor*",
            "social engineering",
            "disinformation",
            "usable security",
            "behaviour*",
            "behavior*",
        ],
    ),
    (
        "identity",
        &[
            "identity",
            "identities",
            "authentication",
            "eid",
            "eidas",
            "biometric*",
            "access management",
            "digital wallet*",
        ],
    ),
    (
        "incident-handling",
        &[
            "incident*",
            "forensic*",
            "threat intelligence",
            "csirt*",
            "cert",
            "security operations",
            "soc",
            "socs",
            "intrusion detection",
            "cyber attack*",
            "cyberattack*",
            "ransomware",
            "malware",
            "detection and response",
        ],
    ),
    (
        "legal",
        &[
            "legal",
            "legislation",
            "regulation",
            "regulatory",
            "law enforcement",
            "compliance",
            "liability",
        ],
    ),
    (
        "network-security",
        &[
            "network*",
            "5g",
            "6g",
            "cloud",
            "edge computing",
            "iot",
            "internet of things",
            "satellite communication*",
            "telecommunication*",
            "communication infrastructure*",
        ],
    ),
    (
        "governance",
        &[
            "governance",
            "risk management",
            "nis2",
            "nis directive",
            "resilience",
            "critical infrastructure*",
            "security management",
            "cyber resilience act",
        ],
    ),
    (
        "measurements",
        &[
            "security metrics",
            "measurement*",
            "benchmarking",
            "situational awareness",
            "monitoring",
            "testing and experimentation",
        ],
    ),
    (
        "secure-engineering",
        &[
            "software",
            "hardware",
            "secure by design",
            "security by design",
            "supply chain*",
            "open source",
            "chip*",
            "semiconductor*",
            "vulnerabilit*",
            "firmware",
            "trusted execution",
        ],
    ),
    (
        "steganography",
        &[
            "steganograph*",
            "steganaly*",
            "watermark*",
            "deepfake*",
            "media forensics",
        ],
    ),
    (
        "foundations",
        &[
            "formal method*",
            "formal verification",
            "mathematical",
            "theoretical",
            "quantum computing",
        ],
    ),
    (
        "trust",
        &[
            "trust",
            "trusted",
            "trustworthy",
            "trustworthiness",
            "accountability",
            "blockchain",
            "distributed ledger*",
            "provenance",
        ],
    ),
];

/// Words and phrases that put a call's text in a NIS2 sector.
const SECTOR_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "energy",
        &[
            "energy",
            "electricity",
            "power grid*",
            "smart grid*",
            "grid",
            "grids",
            "hydrogen",
            "oil",
            "gas",
            "renewable*",
            "district heating",
        ],
    ),
    (
        "transport",
        &[
            "transport*",
            "aviation",
            "airport*",
            "aircraft",
            "maritime",
            "shipping",
            "port",
            "ports",
            "rail*",
            "road",
            "automotive",
            "vehicle*",
            "mobility",
            "logistics",
        ],
    ),
    ("banking", &["bank", "banks", "banking", "credit institution*"]),
    (
        "financial",
        &[
            "financial market*",
            "fintech",
            "payment*",
            "financial services",
            "insurance",
        ],
    ),
    (
        "health",
        &[
            "health*",
            "hospital*",
            "medical",
            "clinical",
            "patient*",
            "medicine*",
            "pharmaceutical*",
        ],
    ),
    ("drinking-water", &["drinking water", "water supply", "water utilit*"]),
    ("waste-water", &["waste water", "wastewater", "sewage"]),
    (
        "digital-infrastructure",
        &[
            "data centre*",
            "data center*",
            "internet exchange*",
            "dns",
            "telecom*",
            "electronic communication*",
            "5g",
            "6g",
            "cloud computing",
            "digital infrastructure*",
        ],
    ),
    (
        "ict-services",
        &[
            "managed service*",
            "managed security",
            "ict service*",
            "ict supply chain*",
        ],
    ),
    (
        "public-administration",
        &[
            "public administration*",
            "public authorit*",
            "government*",
            "e-government",
            "municipalit*",
            "public sector",
            "public services",
        ],
    ),
    (
        "space",
        &[
            "space",
            "satellite*",
            "spacecraft",
            "galileo",
            "copernicus",
            "launcher*",
        ],
    ),
    ("courier", &["postal", "courier*", "parcel*"]),
    (
        "waste-management",
        &["waste management", "recycling", "circular economy"],
    ),
    ("chemical", &["chemical*", "chemistry"]),
    ("food", &["food", "agri-food", "agricultur*", "farming", "farm"]),
    (
        "manufacturing",
        &[
            "manufactur*",
            "industrial",
            "industry 4.0",
            "factory",
            "factories",
            "production lines",
            "robotics",
        ],
    ),
    (
        "digital-providers",
        &[
            "online marketplace*",
            "search engine*",
            "social network*",
            "online platform*",
        ],
    ),
    (
        "research",
        &[
            "research infrastructure*",
            "research organisation*",
            "universit*",
            "academia",
            "academic",
        ],
    ),
];

/// Lower-case alphanumeric words of `text` (hyphens and dots kept inside words: `post-quantum`, `4.0`).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .map(|w| w.trim_matches(|c: char| c == '-' || c == '.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the word sequence `keyword` occurs in `text` (a trailing `*` makes its last word a prefix).
fn mentions(text: &[String], keyword: &str) -> bool {
    let (keyword, prefix) = match keyword.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (keyword, false),
    };
    let wanted = words(keyword);
    let Some((last, first)) = wanted.split_last() else {
        return false;
    };
    text.windows(wanted.len()).any(|window| {
        let (window_last, window_first) = window.split_last().expect("windows are not empty");
        window_first == first
            && if prefix {
                window_last.starts_with(last.as_str())
            } else {
                window_last == last
            }
    })
}

/// The codes of `table` whose keywords `text` mentions, in table order.
fn classify(table: &[(&'static str, &[&str])], text: &str) -> Vec<String> {
    let text = words(text);
    table
        .iter()
        .filter(|(_, keywords)| keywords.iter().any(|keyword| mentions(&text, keyword)))
        .map(|(code, _)| (*code).to_owned())
        .collect()
}

/// The capabilities (JRC research domains) a call's text is about, derived from its words.
pub fn call_capabilities(text: &str) -> Vec<String> {
    classify(CAPABILITY_KEYWORDS, text)
}

/// The NIS2 sectors a call's text addresses, derived from its words.
pub fn call_sectors(text: &str) -> Vec<String> {
    classify(SECTOR_KEYWORDS, text)
}

/// The label of `code` in `vocabulary`, or the code itself when it is not a term of it.
pub fn label<'a>(vocabulary: &[Term], code: &'a str) -> &'a str {
    match vocabulary.iter().find(|term| term.code == code) {
        Some(term) => term.label,
        None => code,
    }
}

/// `codes` as picked from `vocabulary`: each once, in the order given; `None` when one of
/// them is not a term of it (or there are more than it has, repeats aside, to read).
pub fn picked(vocabulary: &[Term], codes: &[String]) -> Option<Vec<String>> {
    let mut kept: Vec<String> = Vec::new();
    for code in codes {
        if !contains(vocabulary, code) || kept.len() == vocabulary.len() {
            return None;
        }
        if !kept.contains(code) {
            kept.push(code.clone());
        }
    }
    Some(kept)
}

/// Whether `code` is a term of `vocabulary`.
pub fn contains(vocabulary: &[Term], code: &str) -> bool {
    vocabulary.iter().any(|term| term.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_are_unique_slugs(vocabulary: &[Term]) {
        let mut codes: Vec<&str> = vocabulary.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), vocabulary.len(), "codes are unique");
        for code in codes {
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{code} is a slug"
            );
        }
    }

    #[test]
    fn codes_are_unique_url_safe_slugs() {
        for vocabulary in [CAPABILITIES, SECTORS, CERTIFICATIONS] {
            codes_are_unique_slugs(vocabulary);
        }
    }

    #[test]
    fn every_classifier_code_is_a_term_and_every_term_has_keywords() {
        for (table, vocabulary) in [(CAPABILITY_KEYWORDS, CAPABILITIES), (SECTOR_KEYWORDS, SECTORS)] {
            assert_eq!(table.len(), vocabulary.len());
            for (code, keywords) in table {
                assert!(contains(vocabulary, code), "{code}");
                assert!(!keywords.is_empty(), "{code}");
            }
        }
    }

    #[test]
    fn calls_are_classified_by_whole_words_and_stems() {
        let text = "Post-quantum cryptographic migration for hospitals and energy grids";
        assert_eq!(call_capabilities(text), vec!["cryptology".to_owned()]);
        assert_eq!(call_sectors(text), vec!["energy".to_owned(), "health".to_owned()]);
        // Whole words (or stems marked `*`): a portfolio of passports is not about ports.
        assert!(call_sectors("A portfolio of passports").is_empty());
        assert_eq!(call_sectors("Transportation hubs"), vec!["transport".to_owned()]);
        assert!(call_capabilities("").is_empty());
    }

    #[test]
    fn labels_fall_back_to_the_code() {
        assert_eq!(label(SECTORS, "health"), "Health");
        assert_eq!(label(SECTORS, "no-such-sector"), "no-such-sector");
        assert!(contains(CERTIFICATIONS, "iso27001"));
        assert!(!contains(CERTIFICATIONS, "ISO27001"));
    }

    /// The published taxonomies, read from the shared data folder (never copied).
    fn shared(path: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/taxonomies")
            .join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[test]
    fn capabilities_are_exactly_the_jrc_research_domains() {
        let csv = shared("jrc_cybersecurity_taxonomy.csv");
        // Top-level domains are the rows `domain,<id>,<label>,,,1`; labels may be quoted.
        let published: Vec<String> = csv
            .lines()
            .filter(|line| line.starts_with("domain,") && line.ends_with(",,,1"))
            .map(|line| {
                let rest = &line["domain,".len()..line.len() - ",,,1".len()];
                let label = &rest[rest.find(',').expect("id column") + 1..];
                label.trim_matches('"').to_owned()
            })
            .collect();
        let ours: Vec<&str> = CAPABILITIES.iter().map(|t| t.label).collect();
        assert_eq!(published.len(), ours.len(), "{published:?}");
        for label in ours {
            assert!(published.iter().any(|p| p == label), "{label} is a JRC domain");
        }
    }

    #[test]
    fn sectors_are_exactly_the_nis2_sectors() {
        let json: serde_json::Value = serde_json::from_str(&shared("misp_nis2_machinetag.json")).expect("json");
        let entries = json["values"]
            .as_array()
            .expect("values")
            .iter()
            .find(|v| v["predicate"] == "impact-sectors-impacted")
            .expect("sectors predicate")["entry"]
            .as_array()
            .expect("entries")
            .clone();
        assert_eq!(entries.len(), SECTORS.len());
        for entry in entries {
            let (code, label) = (entry["value"].as_str().unwrap(), entry["expanded"].as_str().unwrap());
            assert!(
                SECTORS.iter().any(|t| t.code == code && t.label == label),
                "{code} = {label}"
            );
        }
    }
}
