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
    /// The code of the broader term it belongs to (a research domain, for a sub-domain).
    pub parent: Option<&'static str>,
}

const fn term(code: &'static str, label: &'static str) -> Term {
    Term {
        code,
        label,
        parent: None,
    }
}

const fn area(code: &'static str, label: &'static str, domain: &'static str) -> Term {
    Term {
        code,
        label,
        parent: Some(domain),
    }
}

/// How many research domains [`CAPABILITY_TERMS`] starts with.
const DOMAIN_COUNT: usize = 15;

/// Capabilities: the research domains of the JRC cybersecurity taxonomy (EUR 29868).
pub const CAPABILITIES: &[Term] = CAPABILITY_TERMS.split_at(DOMAIN_COUNT).0;

/// The sub-domains of the research domains, each naming its domain as parent.
pub const CAPABILITY_AREAS: &[Term] = CAPABILITY_TERMS.split_at(DOMAIN_COUNT).1;

/// Every capability a profile or a call can name: the research domains, then their
/// sub-domains (a sub-domain half-matches its domain when calls are matched).
pub const CAPABILITY_TERMS: &[Term] = &[
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
    area("assurance-assessment", "Assessment", "assurance"),
    area("assurance-assurance-methods", "Assurance", "assurance"),
    area("assurance-audit", "Audit", "assurance"),
    area("assurance-certification", "Certification", "assurance"),
    area("cryptology-asymmetric-cryptography", "Asymmetric cryptography", "cryptology"),
    area("cryptology-cryptanalysis-methodologies-techniques", "Cryptanalysis methodologies, techniques and tools", "cryptology"),
    area("cryptology-crypto-material-management", "Crypto material management (e.g. key management, PKI)", "cryptology"),
    area("cryptology-digital-signatures", "Digital signatures", "cryptology"),
    area("cryptology-functional-encryption", "Functional encryption", "cryptology"),
    area("cryptology-hash-functions", "Hash functions", "cryptology"),
    area("cryptology-homomorphic-encryption", "Homomorphic encryption", "cryptology"),
    area("cryptology-mathematical-foundations-cryptography", "Mathematical foundations of cryptography", "cryptology"),
    area("cryptology-message-authentication", "Message authentication", "cryptology"),
    area("cryptology-post-quantum-cryptography", "Post-quantum cryptography", "cryptology"),
    area("cryptology-quantum-cryptography", "Quantum cryptography", "cryptology"),
    area("cryptology-random-number-generation", "Random number generation", "cryptology"),
    area("cryptology-secure-multi-party", "Secure multi-party computation", "cryptology"),
    area("cryptology-symmetric-cryptography", "Symmetric cryptography", "cryptology"),
    area("data-security-anonymity-pseudonymity-unlinkability", "Anonymity, pseudonymity, unlinkability, undetectability, or unobservability", "data-security"),
    area("data-security-data-integrity", "Data integrity", "data-security"),
    area("data-security-data-usage-control", "Data usage control", "data-security"),
    area("data-security-design-implementation-operation", "Design, implementation, and operation of data management systems that include security and privacy functions", "data-security"),
    area("data-security-digital-rights-management", "Digital Rights Management (DRM)", "data-security"),
    area("data-security-eavesdropping-techniques", "Eavesdropping techniques (e.g. via electromagnetic radiation, visual observation of blinking LEDs, acoustic via keyboard typing noise)", "data-security"),
    area("data-security-privacy-enhancing-technologies", "Privacy Enhancing Technologies (PET)", "data-security"),
    area("data-security-privacy-requirements-data", "Privacy requirements for data management systems", "data-security"),
    area("data-security-risk-analysis-attacks", "Risk analysis and attacks with respect to de-anonymization or data re-identification (e.g. inference attack)", "data-security"),
    area("education-cyber-ranges-capture", "Cyber ranges, Capture the Flag exercises, simulation platforms, educational/training tools, cybersecurity awareness", "education"),
    area("education-cybersecurity-aware-culture", "Cybersecurity-aware culture (e.g. including children education)", "education"),
    area("education-education-methodology", "Education methodology", "education"),
    area("education-higher-education", "Higher education", "education"),
    area("education-professional-training", "Professional training", "education"),
    area("education-vocational-training", "Vocational training", "education"),
    area("human-aspects-accessibility", "Accessibility", "human-aspects"),
    area("human-aspects-automating-security-functionality", "Automating security functionality", "human-aspects"),
    area("human-aspects-computer-ethics-security", "Computer ethics and security", "human-aspects"),
    area("human-aspects-cyberpsychology", "Cyberpsychology", "human-aspects"),
    area("human-aspects-cybersecurity-profiling", "Cybersecurity profiling", "human-aspects"),
    area("human-aspects-enhancing-risk-perception", "Enhancing risk perception", "human-aspects"),
    area("human-aspects-forensic-cyberpsychology", "Forensic cyberpsychology", "human-aspects"),
    area("human-aspects-gamification", "Gamification", "human-aspects"),
    area("human-aspects-history-cybersecurity", "History of cybersecurity", "human-aspects"),
    area("human-aspects-trust", "Human aspects of trust", "human-aspects"),
    area("human-aspects-human-perception-cybersecurity", "Human perception of cybersecurity", "human-aspects"),
    area("human-aspects-human-related-risks", "Human-related risks/threats (social engineering, insider misuse, etc.)", "human-aspects"),
    area("human-aspects-non-intrusive-security", "Non-intrusive security", "human-aspects"),
    area("human-aspects-privacy-concerns-behaviours", "Privacy concerns, behaviours, and practices", "human-aspects"),
    area("human-aspects-psychological-models-cognitive", "Psychological models and cognitive processes", "human-aspects"),
    area("human-aspects-security-visualization", "Security visualization", "human-aspects"),
    area("human-aspects-socio-technical-security", "Socio-technical security", "human-aspects"),
    area("human-aspects-transparent-security", "Transparent security", "human-aspects"),
    area("human-aspects-usability", "Usability", "human-aspects"),
    area("human-aspects-user-acceptance-security", "User acceptance of security policies and technologies", "human-aspects"),
    area("identity-biometric-methods-technologies", "Biometric methods, technologies and tools", "identity"),
    area("identity-identity-attribute-management", "Identity and attribute management models, frameworks, applications, technologies, and tools (e.g. PKI, RFID, SSO, attribute-based credentials, federated IdM)", "identity"),
    area("identity-identity-management-quality", "Identity management quality assurance", "identity"),
    area("identity-legal-aspects-identity", "Legal aspects of identity management", "identity"),
    area("identity-optical-electronic-document", "Optical and electronic document security", "identity"),
    area("identity-privacy-identity-management", "Privacy and identity management (e.g. privacy-preserving authentication)", "identity"),
    area("identity-protocols-frameworks-authentication", "Protocols and frameworks for authentication, authorization, and rights management", "identity"),
    area("incident-handling-anti-forensics-malware", "Anti-forensics and malware analytics", "incident-handling"),
    area("incident-handling-citizen-cooperation-reporting", "Citizen cooperation and reporting", "incident-handling"),
    area("incident-handling-coordination-information-sharing", "Coordination and information sharing in the context of cross-border/organizational incidents", "incident-handling"),
    area("incident-handling-digital-forensic-case", "Digital forensic case studies", "incident-handling"),
    area("incident-handling-digital-forensic-processes", "Digital forensic processes and workflow models", "incident-handling"),
    area("incident-handling-incident-analysis-communication", "Incident analysis, communication, documentation, forecasting (intelligence based), response, and reporting", "incident-handling"),
    area("incident-handling-policy-issues-related", "Policy issues related to digital forensics", "incident-handling"),
    area("incident-handling-resilience-aspects", "Resilience aspects", "incident-handling"),
    area("incident-handling-theories-techniques-tools", "Theories, techniques and tools for the identification, collection, attribution, acquisition, analysis and preservation of digital evidence", "incident-handling"),
    area("incident-handling-vulnerability-analysis-response", "Vulnerability analysis and response", "incident-handling"),
    area("legal-cybercrime-prosecution-law", "Cybercrime prosecution and law enforcement", "legal"),
    area("legal-cybersecurity-regulation-analysis", "Cybersecurity regulation analysis and design", "legal"),
    area("legal-intellectual-property-rights", "Intellectual property rights", "legal"),
    area("legal-investigations-computer-crime", "Investigations of computer crime (cybercrime) and security violations", "legal"),
    area("legal-legal-societal-issues", "Legal and societal issues in information security (e.g. identity management, digital forensics, cybersecurity litigation)", "legal"),
    area("network-security-distributed-consensus-techniques", "Distributed consensus techniques", "network-security"),
    area("network-security-distributed-systems-security", "Distributed systems security", "network-security"),
    area("network-security-distributed-systems-security-analysis", "Distributed systems security analysis and simulation", "network-security"),
    area("network-security-fault-tolerant-models", "Fault tolerant models", "network-security"),
    area("network-security-managerial-procedural-technical", "Managerial, procedural and technical aspects of network security", "network-security"),
    area("network-security-network-attack-propagation", "Network attack propagation analysis", "network-security"),
    area("network-security-network-interoperability", "Network interoperability", "network-security"),
    area("network-security-network-layer-attacks", "Network layer attacks and mitigation techniques", "network-security"),
    area("network-security-principles", "Network security (principles, methods, protocols, algorithms and technologies)", "network-security"),
    area("network-security-network-steganography", "Network steganography", "network-security"),
    area("network-security-privacy-friendly-communication", "Privacy-friendly communication architectures and services (e.g. Mix-networks, broadcast protocols, and anonymous communication)", "network-security"),
    area("network-security-protocols-frameworks-secure", "Protocols and frameworks for secure distributed computing", "network-security"),
    area("network-security-requirements-network-security", "Requirements for network security", "network-security"),
    area("network-security-secure-distributed-computations", "Secure distributed computations", "network-security"),
    area("network-security-secure-system-interconnection", "Secure system interconnection", "network-security"),
    area("governance-assessment-information-security", "Assessment of information security effectiveness and degrees of control", "governance"),
    area("governance-attack-modelling-techniques", "Attack modelling, techniques, and countermeasures (e.g. adversary machine learning)", "governance"),
    area("governance-capability-maturity-models", "Capability maturity models (e.g. assessment of capacities and capabilities)", "governance"),
    area("governance-compliance-information-security", "Compliance with information security and privacy policies, procedures, and regulations", "governance"),
    area("governance-economic-aspects-cybersecurity", "Economic aspects of the cybersecurity ecosystem", "governance"),
    area("governance-governance-aspects-incident", "Governance aspects of incident management, disaster recovery, business continuity", "governance"),
    area("governance-identification-impact-hardware", "Identification of the impact of hardware and software changes on the management of Information Security", "governance"),
    area("governance-managerial-aspects-concerning", "Managerial aspects concerning information security", "governance"),
    area("governance-modelling-cross-sectoral", "Modelling of cross-sectoral interdependencies and cascading effects", "governance"),
    area("governance-privacy-impact-assessment", "Privacy impact assessment and risk management", "governance"),
    area("governance-processes-procedures-ensure", "Processes and procedures to ensure device end-of-life security and privacy (e.g. IT waste management and recycling)", "governance"),
    area("governance-risk-management-including", "Risk management, including modeling, assessment, analysis and mitigation", "governance"),
    area("governance-standards-information-security", "Standards for Information Security", "governance"),
    area("governance-techniques-ensure-business", "Techniques to ensure business continuity/disaster recovery", "governance"),
    area("governance-threats-vulnerabilities-modelling", "Threats and vulnerabilities modelling", "governance"),
    area("measurements-measurement-assessment-security", "Measurement and assessment of security levels", "measurements"),
    area("measurements-security-analytics-visualization", "Security analytics and visualization", "measurements"),
    area("measurements-security-metrics-key", "Security metrics, key performance indicators, and benchmarks", "measurements"),
    area("measurements-validation-comparison-frameworks", "Validation and comparison frameworks for security metrics", "measurements"),
    area("secure-engineering-attack-techniques", "Attack techniques (e.g. side channel attacks, power attacks, stealth attacks, advanced persistent attacks, rowhammer attacks)", "secure-engineering"),
    area("secure-engineering-cybersecurity-cyber-safety", "Cybersecurity and cyber-safety co-engineering", "secure-engineering"),
    area("secure-engineering-fault-injection-testing", "Fault injection testing and analysis", "secure-engineering"),
    area("secure-engineering-intrusion-detection-honeypots", "Intrusion detection and honeypots", "secure-engineering"),
    area("secure-engineering-malware-analysis-including", "Malware analysis including adversarial learning of malware", "secure-engineering"),
    area("secure-engineering-model-driven-security", "Model-driven security and domain-specific modelling languages", "secure-engineering"),
    area("secure-engineering-privacy-by-design", "Privacy by design", "secure-engineering"),
    area("secure-engineering-quantitative-security-assurance", "Quantitative security for assurance", "secure-engineering"),
    area("secure-engineering-refinement-verification-security", "Refinement and verification of security management policy models", "secure-engineering"),
    area("secure-engineering-runtime-security-verification", "Runtime security verification and enforcement", "secure-engineering"),
    area("secure-engineering-secure-programming-principles", "Secure programming principles and best practices", "secure-engineering"),
    area("secure-engineering-secure-software-architectures", "Secure software architectures and design (security by design)", "secure-engineering"),
    area("secure-engineering-security-risk-analysis", "Security and risk analysis of components compositions", "secure-engineering"),
    area("secure-engineering-security-design-patterns", "Security design patterns", "secure-engineering"),
    area("secure-engineering-security-documentation", "Security documentation", "secure-engineering"),
    area("secure-engineering-security-requirements-engineering", "Security requirements engineering with emphasis on identity, privacy, accountability, and trust", "secure-engineering"),
    area("secure-engineering-security-support-programming", "Security support in programming environments", "secure-engineering"),
    area("secure-engineering-security-testing-validation", "Security testing and validation", "secure-engineering"),
    area("secure-engineering-self-protecting", "Self-* including self-healing, self-protecting, self-configuration systems", "secure-engineering"),
    area("secure-engineering-vulnerability-discovery-penetration", "Vulnerability discovery and penetration testing", "secure-engineering"),
    area("steganography-digital-watermarking", "Digital watermarking", "steganography"),
    area("steganography-steganalysis", "Steganalysis", "steganography"),
    area("steganography-steganography", "Steganography", "steganography"),
    area("foundations-cybersecurity-concepts-definitions", "Cybersecurity concepts, definitions, ontologies, taxonomies, foundational aspects", "foundations"),
    area("foundations-cybersecurity-uncertainty-models", "Cybersecurity uncertainty models", "foundations"),
    area("foundations-formal-specification-various", "Formal specification of various aspects of security (e.g properties, threat models, etc.)", "foundations"),
    area("foundations-formal-specification-analysis", "Formal specification, analysis, and verification of software and hardware", "foundations"),
    area("foundations-formal-verification-security", "Formal verification of security assurance", "foundations"),
    area("foundations-information-flow-modelling", "Information flow modelling and its application to confidentiality policies, composition of systems, and covert channel analysis", "foundations"),
    area("foundations-new-theoretically-based", "New theoretically-based techniques for the formal analysis and design of cryptographic protocols and their applications", "foundations"),
    area("trust-algorithmic-auditability-accountability", "Algorithmic auditability and accountability (e.g. explainable AI)", "trust"),
    area("trust-identity-trust-management", "Identity and trust management", "trust"),
    area("trust-reputation-models", "Reputation models", "trust"),
    area("trust-semantics-models-security", "Semantics and models for security, accountability, privacy, and trust", "trust"),
    area("trust-social-aspects-trust", "Social aspects of trust", "trust"),
    area("trust-trust-privacy", "Trust and privacy", "trust"),
    area("trust-trust-reputation-social", "Trust and reputation of social and mainstream media", "trust"),
    area("trust-trust-decision-making", "Trust in decision making algorithms", "trust"),
    area("trust-trust-securing-digital", "Trust in securing digital as well as physical assets", "trust"),
    area("trust-trust-management-architectures", "Trust management architectures, mechanisms and policies", "trust"),
    area("trust-trusted-computing", "Trusted computing", "trust"),
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
pub const CLASSIFICATION_VERSION: &str = "taxonomy-2";

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

/// Words and phrases that put a call's text in a sub-domain (and so in its research domain):
/// only the sub-domains a call's text names in words of their own, specific enough not to
/// be read into every call.
const AREA_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "cryptology-post-quantum-cryptography",
        &["post-quantum", "pqc", "quantum-safe", "quantum-resistant"],
    ),
    (
        "cryptology-quantum-cryptography",
        &["quantum key distribution", "qkd", "quantum cryptography"],
    ),
    ("cryptology-homomorphic-encryption", &["homomorphic"]),
    (
        "cryptology-secure-multi-party",
        &["multi-party computation", "multiparty computation"],
    ),
    (
        "cryptology-crypto-material-management",
        &["key management", "pki", "public key infrastructure*"],
    ),
    (
        "cryptology-digital-signatures",
        &["digital signature*", "electronic signature*"],
    ),
    (
        "data-security-privacy-enhancing-technologies",
        &["privacy-enhancing", "privacy enhancing"],
    ),
    (
        "data-security-anonymity-pseudonymity-unlinkability",
        &["anonymi*", "pseudonymi*"],
    ),
    (
        "education-cyber-ranges-capture",
        &["cyber range*", "capture the flag", "cyber exercise*"],
    ),
    ("education-higher-education", &["higher education"]),
    (
        "education-professional-training",
        &["professional training", "upskilling", "reskilling"],
    ),
    ("education-vocational-training", &["vocational"]),
    (
        "human-aspects-human-related-risks",
        &["social engineering", "insider threat*", "phishing"],
    ),
    ("human-aspects-usability", &["usable security"]),
    ("identity-biometric-methods-technologies", &["biometric*"]),
    (
        "identity-identity-attribute-management",
        &["digital identit*", "identity wallet*", "eudi wallet*", "eidas"],
    ),
    (
        "identity-protocols-frameworks-authentication",
        &[
            "authentication protocol*",
            "multi-factor authentication",
            "access control",
        ],
    ),
    ("incident-handling-anti-forensics-malware", &["malware", "ransomware"]),
    (
        "incident-handling-coordination-information-sharing",
        &[
            "information sharing",
            "threat intelligence",
            "csirt*",
            "security operation centre*",
            "security operations centre*",
            "security operations center*",
        ],
    ),
    ("incident-handling-digital-forensic-processes", &["digital forensic*"]),
    (
        "incident-handling-vulnerability-analysis-response",
        &[
            "vulnerability management",
            "vulnerability handling",
            "vulnerability disclosure",
        ],
    ),
    ("legal-cybercrime-prosecution-law", &["cybercrime", "cyber-crime"]),
    (
        "legal-cybersecurity-regulation-analysis",
        &["cyber resilience act", "nis2", "nis 2 directive", "cybersecurity act"],
    ),
    (
        "network-security-principles",
        &["network security", "5g security", "secure communication*"],
    ),
    (
        "network-security-distributed-consensus-techniques",
        &["consensus protocol*", "blockchain*", "distributed ledger*"],
    ),
    (
        "governance-risk-management-including",
        &["cyber risk*", "cybersecurity risk*", "security risk management"],
    ),
    (
        "governance-standards-information-security",
        &["security standard*", "cybersecurity standard*"],
    ),
    (
        "governance-techniques-ensure-business",
        &["business continuity", "disaster recovery"],
    ),
    (
        "governance-attack-modelling-techniques",
        &["adversarial machine learning", "adversarial attack*"],
    ),
    ("measurements-security-metrics-key", &["security metric*"]),
    ("measurements-security-analytics-visualization", &["security analytics"]),
    (
        "secure-engineering-attack-techniques",
        &["side-channel", "side channel*", "advanced persistent threat*"],
    ),
    (
        "secure-engineering-intrusion-detection-honeypots",
        &["intrusion detection", "honeypot*"],
    ),
    ("secure-engineering-malware-analysis-including", &["malware analysis"]),
    (
        "secure-engineering-privacy-by-design",
        &["privacy by design", "privacy-by-design"],
    ),
    (
        "secure-engineering-secure-software-architectures",
        &[
            "security by design",
            "security-by-design",
            "secure by design",
            "secure-by-design",
        ],
    ),
    (
        "secure-engineering-security-testing-validation",
        &["security testing", "fuzzing"],
    ),
    (
        "secure-engineering-vulnerability-discovery-penetration",
        &[
            "penetration test*",
            "vulnerability discovery",
            "vulnerability detection",
        ],
    ),
    ("steganography-digital-watermarking", &["watermark*"]),
    ("steganography-steganography", &["steganograph*"]),
    (
        "foundations-formal-specification-analysis",
        &["formal verification", "formal methods"],
    ),
    (
        "trust-algorithmic-auditability-accountability",
        &["explainable ai", "explainability", "trustworthy ai"],
    ),
    (
        "trust-trusted-computing",
        &["trusted computing", "trusted execution", "confidential computing"],
    ),
    ("trust-trust-reputation-social", &["disinformation", "misinformation"]),
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

/// The codes of `table` whose keywords the words `text` mention, in table order.
fn classify<'a>(table: &'a [(&'static str, &[&str])], text: &'a [String]) -> impl Iterator<Item = &'static str> + 'a {
    table
        .iter()
        .filter(|(_, keywords)| keywords.iter().any(|keyword| mentions(text, keyword)))
        .map(|(code, _)| *code)
}

/// The capabilities a call's text is about, derived from its words: the research domains it
/// names (or names a sub-domain of), in vocabulary order, then the sub-domains it names.
pub fn call_capabilities(text: &str) -> Vec<String> {
    let text = words(text);
    let areas: Vec<&str> = classify(AREA_KEYWORDS, &text).collect();
    let mut domains: Vec<&str> = classify(CAPABILITY_KEYWORDS, &text).collect();
    domains.extend(areas.iter().filter_map(|code| domain_of(code)));
    CAPABILITIES
        .iter()
        .map(|term| term.code)
        .filter(|code| domains.contains(code))
        .chain(areas)
        .map(str::to_owned)
        .collect()
}

/// The NIS2 sectors a call's text addresses, derived from its words.
pub fn call_sectors(text: &str) -> Vec<String> {
    classify(SECTOR_KEYWORDS, &words(text)).map(str::to_owned).collect()
}

/// The research domain capability `code` belongs to: itself for a domain, its parent for a
/// sub-domain; `None` for a code of neither.
pub fn domain_of(code: &str) -> Option<&'static str> {
    CAPABILITY_TERMS
        .iter()
        .find(|term| term.code == code)
        .map(|term| term.parent.unwrap_or(term.code))
}

/// `codes` (capabilities) with the research domains of their sub-domains added after them,
/// each once: what a search for a domain should find.
pub fn with_domains(codes: &[String]) -> Vec<String> {
    let mut all: Vec<String> = codes.to_vec();
    for domain in codes.iter().filter_map(|code| domain_of(code)) {
        if !all.iter().any(|code| code == domain) {
            all.push(domain.to_owned());
        }
    }
    all
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

/// `codes` (capabilities) with the sub-domains of their research domains added after them:
/// what a filter on a domain should match in lists of codes as stored.
pub fn with_sub_domains(codes: &[String]) -> Vec<String> {
    let mut all: Vec<String> = codes.to_vec();
    all.extend(
        CAPABILITY_AREAS
            .iter()
            .filter(|area| codes.iter().any(|code| Some(code.as_str()) == area.parent))
            .map(|area| area.code.to_owned()),
    );
    all
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
        for vocabulary in [CAPABILITY_TERMS, SECTORS, CERTIFICATIONS] {
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
        for (code, keywords) in AREA_KEYWORDS {
            assert!(contains(CAPABILITY_AREAS, code), "{code}");
            assert!(!keywords.is_empty(), "{code}");
        }
    }

    #[test]
    fn a_sub_domain_belongs_to_its_domain() {
        assert_eq!(CAPABILITIES.len() + CAPABILITY_AREAS.len(), CAPABILITY_TERMS.len());
        assert!(CAPABILITIES.iter().all(|term| term.parent.is_none()));
        for area in CAPABILITY_AREAS {
            let parent = area.parent.expect("a sub-domain has a domain");
            assert!(contains(CAPABILITIES, parent), "{}", area.code);
            assert!(area.code.starts_with(parent), "{} starts with its domain", area.code);
        }
        assert_eq!(domain_of("cryptology-post-quantum-cryptography"), Some("cryptology"));
        assert_eq!(domain_of("cryptology"), Some("cryptology"));
        assert_eq!(domain_of("alchemy"), None);
        let codes = [
            "cryptology-hash-functions".to_owned(),
            "legal".to_owned(),
            "cryptology-hash-functions".to_owned(),
        ];
        assert_eq!(
            with_domains(&codes),
            [
                "cryptology-hash-functions",
                "legal",
                "cryptology-hash-functions",
                "cryptology"
            ]
        );
        let steganography = with_sub_domains(&["steganography".to_owned()]);
        assert_eq!(
            steganography,
            [
                "steganography",
                "steganography-digital-watermarking",
                "steganography-steganalysis",
                "steganography-steganography"
            ]
        );
    }

    #[test]
    fn calls_are_classified_by_whole_words_and_stems() {
        let text = "Post-quantum cryptographic migration for hospitals and energy grids";
        assert_eq!(
            call_capabilities(text),
            ["cryptology", "cryptology-post-quantum-cryptography"]
        );
        // A sub-domain named in words of its own brings its domain along.
        assert_eq!(
            call_capabilities("Ransomware response"),
            ["incident-handling", "incident-handling-anti-forensics-malware"]
        );
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
    fn sub_domains_are_exactly_the_jrc_second_level_domains() {
        let csv = shared("jrc_cybersecurity_taxonomy.csv");
        // Second-level domains: `domain,<id>,<label>,<parent id>,<parent label>,2`, labels quoted
        // when they hold commas; read with a small quote-aware splitter.
        let published: Vec<(String, String)> = csv
            .lines()
            .filter(|line| line.starts_with("domain,") && line.ends_with(",2"))
            .map(|line| {
                let fields = csv_fields(line);
                (fields[2].clone(), fields[4].clone())
            })
            .collect();
        assert_eq!(published.len(), CAPABILITY_AREAS.len());
        for area in CAPABILITY_AREAS {
            let domain = label(CAPABILITIES, area.parent.expect("parent"));
            assert!(
                published
                    .iter()
                    .any(|(label, parent)| label == area.label && parent == domain),
                "{} under {domain} is a JRC sub-domain",
                area.label
            );
        }
    }

    /// The fields of one CSV line, double quotes around a field removed.
    fn csv_fields(line: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(String::new()),
                c => fields.last_mut().expect("one field").push(c),
            }
        }
        fields
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
