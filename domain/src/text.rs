//! The one text analyser: how Fundbridge cuts text into words and normalises them (lower
//! case, accents and ligatures folded to ASCII). Both search engines, the store's name sort
//! key, the highlighter and the matcher use it, so a change here reaches all of them at once
//! (the embedded index wraps it as its tantivy tokenizer; see `search::embedded::text`).

use std::ops::Range;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A word of a text: where it is, and its normalised form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// Normalised form: lower case, folded to ASCII where the letter has an ASCII form.
    pub text: String,
}

/// The words of `text`: runs of letters and digits, normalised ([`normalise`]).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_word(text, |range| {
        let text_of = normalise(&text[range.clone()]);
        tokens.push(Token { range, text: text_of });
    });
    tokens
}

/// Calls `word` with the byte range of each run of letters and digits in `text`.
pub fn for_each_word(text: &str, mut word: impl FnMut(Range<usize>)) {
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                word(from..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        word(from..text.len());
    }
}

/// A word in lower case with accents, ligatures and compatibility forms folded to ASCII
/// (`Sécurité` → `securite`, `Straße` → `strasse`, `ﬁ` → `fi`); letters without an ASCII
/// form (Greek, Cyrillic, …) stay as they are, in lower case.
pub fn normalise(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        fold_char(c, &mut out);
    }
    out
}

/// Appends `c` (lower case) folded to ASCII where it has an ASCII form.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    if let Some(folded) = special_fold(c) {
        out.push_str(folded);
        return;
    }
    let mut decomposed = String::new();
    decompose_compatible(c, |part| {
        if !is_combining_mark(part) {
            decomposed.extend(part.to_lowercase());
        }
    });
    if !decomposed.is_empty() && decomposed.chars().all(|part| part.is_ascii_alphanumeric()) {
        out.push_str(&decomposed);
    } else {
        out.push(c);
    }
}

/// Letters of European languages that no Unicode decomposition turns into ASCII.
fn special_fold(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ß' => "ss",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        'ŀ' => "l",
        'ŧ' => "t",
        'ĸ' => "q",
        'ŋ' => "n",
        'ſ' => "s",
        _ => return None,
    })
}

/// The order of names as every engine and the database sort them: the name's words as the
/// analyser folds them, then the identifier the same way (`S.à r.l.` → `s a r l …`) — plain
/// ASCII, so every engine orders it alike, and equal names tie-break by identifier.
pub fn name_key(name: &str, external_id: &str) -> String {
    let words = |text: &str| -> String {
        tokenize(text)
            .into_iter()
            .map(|token| token.text)
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("{} {}", words(name), words(external_id))
}

/// An identifier made from a name: its folded words joined by `-`, ASCII letters and digits
/// only, at most `max_chars` long (`Société Générale d'Électronique` → `societe-generale-d-electronique`);
/// empty when nothing of the name has an ASCII form.
pub fn slug(name: &str, max_chars: usize) -> String {
    let mut slug = String::new();
    for token in tokenize(name) {
        let word: String = token.text.chars().filter(char::is_ascii_alphanumeric).collect();
        if word.is_empty() {
            continue;
        }
        if slug.len() + word.len() + 1 > max_chars {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_folded_ascii_words() {
        assert_eq!(
            slug("Société Générale d'Électronique", 60),
            "societe-generale-d-electronique"
        );
        assert_eq!(slug("  Aveiro Labs, Lda. ", 60), "aveiro-labs-lda");
        assert_eq!(slug("Αθήνα", 60), "");
        assert_eq!(slug("one two three", 8), "one-two");
    }

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn words_are_cut_at_anything_but_letters_and_digits_and_folded() {
        assert_eq!(
            words("Post-quantum Cryptography, 5G!"),
            ["post", "quantum", "cryptography", "5g"]
        );
        assert_eq!(
            words("Sécurité des systèmes d'information"),
            ["securite", "des", "systemes", "d", "information"]
        );
        assert_eq!(
            words("Straße Ærø Łódź Œuvre ﬁnance"),
            ["strasse", "aero", "lodz", "oeuvre", "finance"]
        );
        assert_eq!(
            words("Κυβερνοασφάλεια"),
            ["κυβερνοασφάλεια"],
            "no ASCII form: lower case only"
        );
        assert_eq!(words(""), Vec::<String>::new());
    }

    #[test]
    fn ranges_point_at_the_words_in_the_original_text() {
        let text = "  Zürich—Genève ";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[0].range.clone()], "Zürich");
        assert_eq!(&text[tokens[1].range.clone()], "Genève");
        assert_eq!(tokens[1].text, "geneve");
    }

    #[test]
    fn name_keys_are_ascii_words_then_the_identifier() {
        assert_eq!(name_key("Aegis S.à r.l.", "aegis-lu"), "aegis s a r l aegis lu");
    }
}
