//! How a profile's capabilities cover a call's, with no I/O. Capabilities are research domains
//! and their sub-domains ([`taxonomy::CAPABILITY_TERMS`]), read as bit sets. Per research
//! domain both sides name: the same term on both (the whole domain, or one sub-domain) covers
//! it in full; the same domain through different terms — a sub-domain against its domain, or
//! two sub-domains of it — covers it half.

use crate::taxonomy::{self, Term};
use std::sync::LazyLock;

/// Words of the sub-domain bit set.
const AREA_WORDS: usize = 3;
const _: () = assert!(taxonomy::CAPABILITY_AREAS.len() <= AREA_WORDS * 64);
const _: () = assert!(taxonomy::CAPABILITIES.len() <= 32);

/// Sub-domains of [`taxonomy::CAPABILITY_AREAS`], one bit each (in its order).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AreaSet([u64; AREA_WORDS]);

impl AreaSet {
    /// The sub-domains among `codes` (other codes are left out).
    pub fn of(codes: &[String]) -> AreaSet {
        let mut set = AreaSet::default();
        for index in codes
            .iter()
            .filter_map(|code| taxonomy::CAPABILITY_AREAS.iter().position(|term| term.code == code))
        {
            set.0[index / 64] |= 1 << (index % 64);
        }
        set
    }

    /// Whether it holds none.
    pub fn is_empty(self) -> bool {
        self.0.iter().all(|word| *word == 0)
    }

    /// The sub-domains in both.
    pub fn and(self, other: AreaSet) -> AreaSet {
        AreaSet(std::array::from_fn(|word| self.0[word] & other.0[word]))
    }

    /// The positions of its sub-domains in [`taxonomy::CAPABILITY_AREAS`], in order.
    pub fn indices(self) -> impl Iterator<Item = usize> {
        (0..AREA_WORDS * 64).filter(move |index| self.0[index / 64] & (1 << (index % 64)) != 0)
    }
}

/// Per sub-domain, its domain's bit; per domain bit, its sub-domains.
struct Tables {
    domain_of_area: Vec<u32>,
    areas_of_domain: [AreaSet; 32],
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let domain_of_area: Vec<u32> = taxonomy::CAPABILITY_AREAS
        .iter()
        .map(|area| {
            let parent = area.parent.unwrap_or_default();
            let index = taxonomy::CAPABILITIES.iter().position(|term| term.code == parent);
            index.map_or(0, |index| 1 << index)
        })
        .collect();
    let mut areas_of_domain = [AreaSet::default(); 32];
    for (index, bit) in domain_of_area.iter().enumerate() {
        let set = &mut areas_of_domain[bit.trailing_zeros() as usize % 32];
        set.0[index / 64] |= 1 << (index % 64);
    }
    Tables {
        domain_of_area,
        areas_of_domain,
    }
});

/// Capabilities as the matcher reads them: whole research domains (bits of
/// [`taxonomy::CAPABILITIES`]) and sub-domains.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CapabilitySet {
    /// Research domains named whole.
    pub domains: u32,
    /// Sub-domains named.
    pub areas: AreaSet,
}

impl CapabilitySet {
    /// The capabilities among `codes` (codes of neither kind are left out).
    pub fn of(codes: &[String]) -> CapabilitySet {
        CapabilitySet {
            domains: super::rules::term_bits(taxonomy::CAPABILITIES, codes),
            areas: AreaSet::of(codes),
        }
    }

    /// Research domains named whole, as a set with no sub-domains.
    pub fn whole(domains: u32) -> CapabilitySet {
        CapabilitySet {
            domains,
            areas: AreaSet::default(),
        }
    }

    /// The research domains it names, whole or through a sub-domain.
    pub fn touched(&self) -> u32 {
        if self.areas.is_empty() {
            return self.domains;
        }
        let tables = &*TABLES;
        self.areas
            .indices()
            .fold(self.domains, |bits, index| bits | tables.domain_of_area[index])
    }

    /// Its sub-domains within the domain of bit `bit`.
    fn areas_in(&self, bit: usize) -> AreaSet {
        self.areas.and(TABLES.areas_of_domain[bit])
    }

    /// What it names within the domains `domains`, in vocabulary order: a domain named whole
    /// as itself, else its sub-domains.
    pub fn terms_within(&self, domains: u32) -> Vec<&'static Term> {
        terms(domains, |bit| {
            if self.domains & (1 << bit) != 0 {
                AreaSet::default()
            } else {
                self.areas_in(bit)
            }
        })
    }

    /// What it shares with `other` within the domains `domains`: per domain the sub-domains
    /// both name, or the domain itself when they share none.
    pub fn shared_within(&self, other: &CapabilitySet, domains: u32) -> Vec<&'static Term> {
        terms(domains, |bit| self.areas_in(bit).and(other.areas_in(bit)))
    }
}

/// Per set bit of `domains`, in vocabulary order: the sub-domains `areas` gives for it, or
/// the domain itself when it gives none.
fn terms(domains: u32, areas: impl Fn(usize) -> AreaSet) -> Vec<&'static Term> {
    let mut terms = Vec::new();
    for (bit, domain) in taxonomy::CAPABILITIES.iter().enumerate() {
        if domains & (1 << bit) == 0 {
            continue;
        }
        let areas = areas(bit);
        if areas.is_empty() {
            terms.push(domain);
        } else {
            terms.extend(areas.indices().map(|index| &taxonomy::CAPABILITY_AREAS[index]));
        }
    }
    terms
}

/// Which of a call's research domains a profile covers: in full, or half.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cover {
    /// Domains where both name the same term.
    pub full: u32,
    /// Domains both name, through different terms.
    pub half: u32,
}

/// How `profile` covers `call`'s capabilities (see the module's rule).
pub fn cover(call: &CapabilitySet, profile: &CapabilitySet) -> Cover {
    let whole = call.domains & profile.domains;
    if call.areas.is_empty() && profile.areas.is_empty() {
        return Cover { full: whole, half: 0 };
    }
    let both = call.touched() & profile.touched();
    let mut full = whole;
    for bit in (0..32).filter(|bit| both & !whole & (1 << bit) != 0) {
        if !call.areas_in(bit).and(profile.areas_in(bit)).is_empty() {
            full |= 1 << bit;
        }
    }
    Cover {
        full,
        half: both & !full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(codes: &[&str]) -> CapabilitySet {
        let codes: Vec<String> = codes.iter().map(|code| (*code).to_owned()).collect();
        CapabilitySet::of(&codes)
    }

    fn bit(domain: &str) -> u32 {
        1 << taxonomy::CAPABILITIES
            .iter()
            .position(|t| t.code == domain)
            .expect("a domain")
    }

    fn codes(terms: Vec<&Term>) -> Vec<&str> {
        terms.into_iter().map(|term| term.code).collect()
    }

    #[test]
    fn the_same_term_covers_in_full_and_the_same_domain_half() {
        let crypto = bit("cryptology");
        let pqc = "cryptology-post-quantum-cryptography";
        let hashes = "cryptology-hash-functions";
        let full = Cover { full: crypto, half: 0 };
        let half = Cover { full: 0, half: crypto };
        // Whole domain on both sides; the same sub-domain on both sides.
        assert_eq!(cover(&set(&["cryptology"]), &set(&["cryptology"])), full);
        assert_eq!(cover(&set(&[pqc]), &set(&[pqc, "legal"])), full);
        // A sub-domain against its domain, either way, and two sub-domains of one domain.
        assert_eq!(cover(&set(&["cryptology"]), &set(&[pqc])), half);
        assert_eq!(cover(&set(&[pqc]), &set(&["cryptology"])), half);
        assert_eq!(cover(&set(&[pqc]), &set(&[hashes])), half);
        // A call naming the domain and a sub-domain: the domain alone covers it.
        assert_eq!(cover(&set(&["cryptology", pqc]), &set(&["cryptology"])), full);
        // Another domain covers nothing.
        assert_eq!(cover(&set(&[pqc]), &set(&["legal"])), Cover::default());
        assert_eq!(set(&[pqc, "legal"]).touched(), crypto | bit("legal"));
    }

    #[test]
    fn terms_are_named_at_the_level_they_were_given() {
        let call = set(&[
            "legal",
            "cryptology-post-quantum-cryptography",
            "cryptology-hash-functions",
        ]);
        let everything = call.touched();
        assert_eq!(
            codes(call.terms_within(everything)),
            [
                "cryptology-hash-functions",
                "cryptology-post-quantum-cryptography",
                "legal"
            ]
        );
        let profile = set(&["cryptology-hash-functions", "legal"]);
        assert_eq!(
            codes(call.shared_within(&profile, everything)),
            ["cryptology-hash-functions", "legal"]
        );
    }
}
