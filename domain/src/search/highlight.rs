//! Matching query words against text the way a reader expects: exact words, the word
//! being typed as a prefix, and small typos — used to mark matches in titles and snippets.

use super::Highlighted;

pub use crate::text::Token;

/// What the user typed, split into what the engines match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Loose words (normalised), matched with typo tolerance.
    pub words: Vec<String>,
    /// Quoted phrases, each a list of normalised words that must appear in order.
    pub phrases: Vec<Vec<String>>,
    /// Whether the last loose word is still being typed (no space after it): match it as a prefix.
    pub last_word_is_prefix: bool,
}

impl ParsedQuery {
    /// Splits `text` into quoted phrases and loose words, normalising with `tokenize`.
    pub fn parse(text: &str, tokenize: impl Fn(&str) -> Vec<Token>) -> ParsedQuery {
        let mut parsed = ParsedQuery::default();
        let mut loose = String::new();
        for (i, part) in text.split('"').enumerate() {
            // Odd parts are inside quotes (an unclosed quote runs to the end).
            if i % 2 == 1 {
                let words: Vec<String> = tokenize(part).into_iter().map(|t| t.text).collect();
                if !words.is_empty() {
                    parsed.phrases.push(words);
                }
            } else {
                loose.push(' ');
                loose.push_str(part);
            }
        }
        parsed.words = tokenize(&loose).into_iter().map(|t| t.text).collect();
        let quotes_balanced = text.matches('"').count() % 2 == 0;
        parsed.last_word_is_prefix =
            quotes_balanced && !parsed.words.is_empty() && text.chars().last().is_some_and(|c| c.is_alphanumeric());
        parsed
    }

    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }
}

/// Typos tolerated in a word of `len` characters (as Meilisearch does: 1 from 5, 2 from 9).
pub fn allowed_typos(len: usize) -> u8 {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Edit distance with adjacent transpositions counting one, giving up above `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous_previous: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(previous_previous[j - 2] + 1);
            }
        }
        previous_previous = std::mem::replace(&mut previous, current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

/// Whether a text token matches a query word (exactly, within its typo budget, or — for
/// the word being typed — as a prefix).
pub fn word_matches(word: &str, token: &str, as_prefix: bool) -> bool {
    let typos = usize::from(allowed_typos(word.chars().count()));
    if token == word || edit_distance(word, token, typos).is_some() {
        return true;
    }
    if as_prefix {
        let head: String = token.chars().take(word.chars().count()).collect();
        return head == word || edit_distance(word, &head, typos).is_some();
    }
    false
}

/// Marks every token of `text` that matches the query.
pub fn highlight(text: &str, tokens: &[Token], query: &ParsedQuery) -> Highlighted {
    let last = query.words.len().saturating_sub(1);
    let phrase_words: Vec<&String> = query.phrases.iter().flatten().collect();
    let ranges = tokens
        .iter()
        .filter(|token| {
            query
                .words
                .iter()
                .enumerate()
                .any(|(i, word)| word_matches(word, &token.text, query.last_word_is_prefix && i == last))
                || phrase_words.iter().any(|word| **word == token.text)
        })
        .map(|token| (token.range.start, token.range.end))
        .collect();
    Highlighted {
        text: text.to_owned(),
        ranges,
    }
}

/// A passage of at most about `max_chars` characters around the first match (or the start).
pub fn snippet(text: &str, tokens: &[Token], query: &ParsedQuery, max_chars: usize) -> Highlighted {
    let whole = highlight(text, tokens, query);
    let first_match = whole.ranges.first().map_or(0, |range| range.0);
    // Start a little before the first match, on a character boundary.
    let mut start = first_match.saturating_sub(max_chars / 4);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start > 0 {
        // Begin at a word boundary when one is near.
        if let Some(space) = text[start..first_match].find(char::is_whitespace) {
            start += space + 1;
        }
    }
    let mut end = (start + max_chars).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    if end < text.len() {
        if let Some(space) = text[start..end].rfind(char::is_whitespace) {
            end = start + space;
        }
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let shift = prefix.len();
    let ranges = whole
        .ranges
        .into_iter()
        .filter(|(from, to)| *from >= start && *to <= end)
        .map(|(from, to)| (from - start + shift, to - start + shift))
        .collect();
    Highlighted {
        text: format!("{prefix}{}{suffix}", &text[start..end]),
        ranges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::text::tokenize;

    #[test]
    fn quoted_phrases_and_loose_words_are_told_apart() {
        let parsed = ParsedQuery::parse(r#""post-quantum" crypto migr"#, tokenize);
        assert_eq!(parsed.phrases, vec![vec!["post".to_owned(), "quantum".to_owned()]]);
        assert_eq!(parsed.words, vec!["crypto", "migr"]);
        assert!(parsed.last_word_is_prefix);
        assert!(!ParsedQuery::parse("crypto ", tokenize).last_word_is_prefix);
    }

    #[test]
    fn typos_are_counted_with_transpositions_as_one() {
        assert_eq!(edit_distance("cybersecurty", "cybersecurity", 2), Some(1));
        assert_eq!(edit_distance("secruity", "security", 1), Some(1));
        assert_eq!(edit_distance("quantum", "tactical", 2), None);
        assert!(word_matches("cybersecurty", "cybersecurity", false));
        assert!(!word_matches("sme", "smes", false), "short words need an exact match");
        assert!(word_matches("quant", "quantum", true));
    }

    #[test]
    fn matches_are_marked_by_byte_range() {
        let text = "Secure PQC implementations and Post-Quantum trust";
        let parsed = ParsedQuery::parse("quantum implementatoins", tokenize);
        let marked = highlight(text, &tokenize(text), &parsed);
        let words: Vec<&str> = marked.ranges.iter().map(|(a, b)| &text[*a..*b]).collect();
        assert_eq!(words, vec!["implementations", "Quantum"]);
    }

    #[test]
    fn a_snippet_starts_near_the_first_match_and_keeps_ranges_right() {
        let text = format!(
            "{} the cybersecurity of SMEs matters. {}",
            "intro ".repeat(60),
            "outro ".repeat(60)
        );
        let parsed = ParsedQuery::parse("cybersecurity", tokenize);
        let cut = snippet(&text, &tokenize(&text), &parsed, 120);
        assert!(cut.text.starts_with('…') && cut.text.ends_with('…'));
        let (a, b) = cut.ranges[0];
        assert_eq!(&cut.text[a..b], "cybersecurity");
    }
}
