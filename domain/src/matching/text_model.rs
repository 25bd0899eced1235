//! How much two texts are about the same thing: TF-IDF vectors of their words (cut and
//! normalised by [`crate::text`], the analyser search uses) compared by cosine. The calls'
//! vectors are built once into postings, so one profile is compared with every call by
//! walking the postings of its own words only.

use std::collections::HashMap;

/// The most words a call's vector keeps (its heaviest); the rest weigh little and cost much.
const CALL_TERMS: usize = 160;
/// The most words a profile's vector keeps.
const PROFILE_TERMS: usize = 64;
/// How many times a title word counts.
const TITLE_WEIGHT: u32 = 3;

/// Words too common in any text to say what it is about.
const STOP_WORDS: &[&str] = &[
    "and", "are", "but", "can", "for", "from", "has", "have", "into", "its", "not", "our", "that", "the", "their",
    "them", "these", "this", "those", "was", "were", "which", "will", "with", "within", "also", "such", "should",
    "other", "all", "any", "may", "more", "well", "who", "how", "what", "been", "being", "both", "each", "than",
    "they", "through", "under", "over", "between", "where", "while", "would", "could", "must", "shall", "you", "your",
    "we", "us",
];

/// A weighted word: its number in the model and its weight in a unit-length vector.
pub type Weighted = (u32, f32);

/// The words of a set of documents (the calls), weighted by how rare they are among them.
#[derive(Debug, Default)]
pub struct TextModel {
    words: HashMap<String, u32>,
    idf: Vec<f32>,
    postings: Vec<Vec<(u32, f32)>>,
    documents: usize,
}

impl TextModel {
    /// Builds the model of `documents`, each a title and a body, numbered in the order given.
    pub fn build<'a>(documents: impl IntoIterator<Item = (&'a str, &'a str)>) -> TextModel {
        let mut model = TextModel::default();
        let mut counts: Vec<Vec<(u32, u32)>> = Vec::new();
        let mut document_frequency: Vec<u32> = Vec::new();
        let mut scratch: HashMap<u32, u32> = HashMap::new();
        for (title, body) in documents {
            scratch.clear();
            for (text, weight) in [(title, TITLE_WEIGHT), (body, 1)] {
                for_each_term(text, |word| {
                    let next = u32::try_from(model.words.len()).unwrap_or(u32::MAX);
                    let id = *model.words.entry(word.to_owned()).or_insert(next);
                    *scratch.entry(id).or_insert(0) += weight;
                });
            }
            document_frequency.resize(model.words.len(), 0);
            for id in scratch.keys() {
                document_frequency[*id as usize] += 1;
            }
            let mut terms: Vec<(u32, u32)> = scratch.iter().map(|(id, n)| (*id, *n)).collect();
            terms.sort_unstable();
            counts.push(terms);
        }
        model.documents = counts.len();
        let documents = counts.len().max(1) as f32;
        model.idf = document_frequency
            .iter()
            .map(|df| (documents / (*df).max(1) as f32).ln())
            .collect();
        model.postings = vec![Vec::new(); model.words.len()];
        for (number, terms) in counts.iter().enumerate() {
            let vector = model.unit_vector(terms.iter().copied(), CALL_TERMS);
            for (id, weight) in vector {
                model.postings[id as usize].push((number as u32, weight));
            }
        }
        model
    }

    /// How many documents the model was built from.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// The unit-length vector of `text`'s words that the documents know (its heaviest ones).
    pub fn vector(&self, text: &str) -> Vec<Weighted> {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for_each_term(text, |word| {
            if let Some(id) = self.words.get(word) {
                *counts.entry(*id).or_insert(0) += 1;
            }
        });
        let mut terms: Vec<(u32, u32)> = counts.into_iter().collect();
        terms.sort_unstable();
        self.unit_vector(terms.into_iter(), PROFILE_TERMS)
    }

    /// Adds, for each document, the cosine between `vector` and the document to
    /// `similarities` (one slot per document, which the caller zeroes).
    pub fn add_similarities(&self, vector: &[Weighted], similarities: &mut [f32]) {
        for (id, weight) in vector {
            for (document, document_weight) in &self.postings[*id as usize] {
                similarities[*document as usize] += weight * document_weight;
            }
        }
    }

    /// The cosine between `vector` and document number `document` alone: each of the
    /// vector's words looked up in its postings (kept in document order).
    pub fn similarity(&self, vector: &[Weighted], document: u32) -> f32 {
        vector
            .iter()
            .filter_map(|(id, weight)| {
                let postings = &self.postings[*id as usize];
                postings
                    .binary_search_by_key(&document, |(number, _)| *number)
                    .ok()
                    .map(|at| weight * postings[at].1)
            })
            .sum()
    }

    /// TF-IDF weights of `terms` (word, count): a sublinear count times the word's rarity,
    /// the `keep` heaviest, scaled to unit length; sorted by word.
    fn unit_vector(&self, terms: impl Iterator<Item = (u32, u32)>, keep: usize) -> Vec<Weighted> {
        let mut weighted: Vec<Weighted> = terms
            .map(|(id, count)| (id, (1.0 + (count as f32).ln()) * self.idf[id as usize]))
            .filter(|(_, weight)| *weight > 0.0)
            .collect();
        if weighted.len() > keep {
            weighted.select_nth_unstable_by(keep, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            weighted.truncate(keep);
        }
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, weight) in &mut weighted {
                *weight /= norm;
            }
        }
        weighted.sort_unstable_by_key(|(id, _)| *id);
        weighted
    }
}

/// Calls `term` with each word of `text` that can say what it is about: normalised, three
/// letters or more, not a number, not a stop word.
fn for_each_term(text: &str, mut term: impl FnMut(&str)) {
    crate::text::for_each_word(text, |range| {
        let word = crate::text::normalise(&text[range]);
        let useful =
            word.len() >= 3 && !word.bytes().all(|b| b.is_ascii_digit()) && !STOP_WORDS.contains(&word.as_str());
        if useful {
            term(&word);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn similarities(model: &TextModel, text: &str) -> Vec<f32> {
        let mut scores = vec![0.0; model.documents()];
        model.add_similarities(&model.vector(text), &mut scores);
        scores
    }

    #[test]
    fn a_text_is_closest_to_the_document_about_the_same_thing() {
        let model = TextModel::build([
            (
                "Post-quantum cryptography",
                "Migrating public key infrastructures to post-quantum algorithms.",
            ),
            (
                "Hydrogen valleys",
                "Electrolysers and hydrogen storage for regional energy systems.",
            ),
            ("Soil health", "Living labs for soil health and farming practices."),
        ]);
        let scores = similarities(&model, "We build post-quantum cryptographic libraries and PKI tooling.");
        assert!(scores[0] > 0.2, "{scores:?}");
        assert_eq!(scores[1], 0.0);
        assert_eq!(scores[2], 0.0);
    }

    #[test]
    fn a_document_compared_with_itself_is_at_most_one_and_words_it_lacks_add_nothing() {
        let model = TextModel::build([("Soil health", "Soil living labs."), ("Energy", "Grid storage.")]);
        let scores = similarities(&model, "Soil health soil living labs");
        assert!(scores[0] > 0.9 && scores[0] <= 1.0 + 1e-5, "{scores:?}");
        assert_eq!(similarities(&model, "unknown words only"), vec![0.0, 0.0]);
        let vector = model.vector("Soil health soil living labs");
        assert_eq!(
            model.similarity(&vector, 0),
            scores[0],
            "one document alone scores as among all"
        );
        assert_eq!(model.similarity(&vector, 1), 0.0);
    }
}
