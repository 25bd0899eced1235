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

/// The label of `code` in `vocabulary`, or the code itself when it is not a term of it.
pub fn label<'a>(vocabulary: &[Term], code: &'a str) -> &'a str {
    match vocabulary.iter().find(|term| term.code == code) {
        Some(term) => term.label,
        None => code,
    }
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
