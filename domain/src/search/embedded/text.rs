//! Full-text matching shared by the embedded indexes (calls, organisations): the analyzer,
//! and the query for what a user typed — exact words score most, typos and prefixes less,
//! documents with every word rank in a tier of their own, quoted phrases must match.

use crate::search::highlight::{allowed_typos, ParsedQuery};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, SchemaBuilder, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{TextAnalyzer, Token as TantivyToken, TokenStream, Tokenizer};
use tantivy::{Index, Score, Term};

/// The name the text analyzer is registered under.
const ANALYZER: &str = "fundbridge";
/// The score added to documents that match every word.
const ALL_WORDS_TIER: Score = 10_000.0;

/// Fundbridge's one text analyser ([`crate::text::tokenize`]) as a tantivy tokenizer, so the
/// index holds exactly the words every other part of Fundbridge cuts.
#[derive(Clone, Default)]
pub(crate) struct AnalyserTokenizer;

/// The words of one text, handed to tantivy one by one.
pub(crate) struct AnalyserStream {
    words: std::vec::IntoIter<crate::text::Token>,
    token: TantivyToken,
}

impl Tokenizer for AnalyserTokenizer {
    type TokenStream<'a> = AnalyserStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalyserStream {
        AnalyserStream {
            words: crate::text::tokenize(text).into_iter(),
            token: TantivyToken::default(),
        }
    }
}

impl TokenStream for AnalyserStream {
    fn advance(&mut self) -> bool {
        let Some(word) = self.words.next() else {
            return false;
        };
        self.token.offset_from = word.range.start;
        self.token.offset_to = word.range.end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.text = word.text;
        true
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

/// Registers the analyzer the text fields are indexed with.
pub(super) fn register_analyzer(index: &Index) {
    index
        .tokenizers()
        .register(ANALYZER, TextAnalyzer::builder(AnalyserTokenizer).build());
}

/// The searchable fields of a document kind.
#[derive(Clone, Copy)]
pub(super) struct TextFields {
    /// The title (an organisation's name): stored, matches weigh most.
    pub title: Field,
    /// Identifiers people type (topic and call ids).
    pub identifiers: Field,
    /// The longer text: stored for snippets.
    pub body: Field,
    /// Title, identifiers and body together: where typos and prefixes are matched.
    pub all: Field,
}

impl TextFields {
    /// Adds the text fields to a schema.
    pub fn add_to(builder: &mut SchemaBuilder) -> TextFields {
        let text = |stored: bool| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        TextFields {
            title: builder.add_text_field("title", text(true)),
            identifiers: builder.add_text_field("identifiers", text(false)),
            all: builder.add_text_field("all", text(false)),
            body: builder.add_text_field("body", text(true)),
        }
    }

    /// Writes a document's text into these fields.
    pub fn fill(&self, doc: &mut tantivy::TantivyDocument, title: &str, identifiers: &[String], body: &str) {
        doc.add_text(self.title, title);
        for identifier in identifiers {
            doc.add_text(self.identifiers, identifier);
        }
        doc.add_text(self.body, body);
        for text in std::iter::once(title)
            .chain(identifiers.iter().map(String::as_str))
            .chain(std::iter::once(body))
        {
            doc.add_text(self.all, text);
        }
    }

    /// The query for one loose word: exact matches score most, typos and prefixes less.
    fn word_query(&self, word: &str, as_prefix: bool) -> Box<dyn Query> {
        let mut variants: Vec<Box<dyn Query>> = [(self.title, 3.0), (self.identifiers, 4.0), (self.body, 1.0)]
            .into_iter()
            .map(|(field, boost)| {
                let exact = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs);
                boosted(Box::new(exact), boost)
            })
            .collect();
        // Typos and prefixes: in the title (so a misspelt title word still ranks first) and once
        // more on the field holding every searchable word.
        for (field, weight) in [(self.title, 3.0), (self.all, 1.0)] {
            let loose = loose_variants(field, word, as_prefix);
            variants.extend(loose.into_iter().map(|(query, boost)| boosted(query, boost * weight)));
        }
        Box::new(BooleanQuery::union(variants))
    }

    /// Whether a document has the word in any form, without scoring (for the all-words tier).
    fn word_presence(&self, word: &str, as_prefix: bool) -> Box<dyn Query> {
        let exact = TermQuery::new(Term::from_field_text(self.all, word), IndexRecordOption::Basic);
        let mut forms: Vec<Box<dyn Query>> = vec![Box::new(exact)];
        forms.extend(
            loose_variants(self.all, word, as_prefix)
                .into_iter()
                .map(|(query, _)| query),
        );
        Box::new(BooleanQuery::union(forms))
    }

    /// A quoted phrase, in the title or the body.
    fn phrase_query(&self, words: &[String]) -> Box<dyn Query> {
        let in_field = |field: Field| -> Box<dyn Query> {
            if words.len() == 1 {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &words[0]),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(
                    words.iter().map(|w| Term::from_field_text(field, w)).collect(),
                ))
            }
        };
        Box::new(BooleanQuery::union(vec![
            boosted(in_field(self.title), 3.0),
            in_field(self.body),
        ]))
    }

    /// The text part: every phrase must match; documents with all words rank first, but a
    /// document with only some of them still matches (more words never means zero hits).
    pub fn text_query(&self, parsed: &ParsedQuery) -> Option<Box<dyn Query>> {
        if parsed.is_empty() {
            return None;
        }
        let last = parsed.words.len().saturating_sub(1);
        let words: Vec<Box<dyn Query>> = parsed
            .words
            .iter()
            .enumerate()
            .map(|(i, word)| self.word_query(word, parsed.last_word_is_prefix && i == last))
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if words.len() > 1 {
            // A constant far above any BM25 score puts every all-words match in a tier of its own.
            let presence = parsed
                .words
                .iter()
                .enumerate()
                .map(|(i, word)| self.word_presence(word, parsed.last_word_is_prefix && i == last))
                .collect();
            let all_words = BooleanQuery::intersection(presence);
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(all_words), ALL_WORDS_TIER)),
            ));
        }
        clauses.extend(words.into_iter().map(|q| (Occur::Should, q)));
        for phrase in &parsed.phrases {
            clauses.push((Occur::Must, self.phrase_query(phrase)));
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// The titles of the best matches for what the user is typing: no counts, facets or
    /// snippets (it runs on every keystroke).
    pub fn suggest(&self, searcher: &tantivy::Searcher, prefix: &str, limit: usize) -> tantivy::Result<Vec<String>> {
        use tantivy::schema::Value;
        let Some(query) = self.text_query(&ParsedQuery::parse(prefix, crate::text::tokenize)) else {
            return Ok(Vec::new());
        };
        let top = searcher.search(&query, &tantivy::collector::TopDocs::with_limit(limit).order_by_score())?;
        let mut titles = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: tantivy::TantivyDocument = searcher.doc(address)?;
            titles.extend(doc.get_first(self.title).and_then(|v| v.as_str()).map(str::to_owned));
        }
        Ok(titles)
    }

    /// The text query, or every document when nothing was typed.
    pub fn text_or_all(&self, parsed: &ParsedQuery) -> Box<dyn Query> {
        self.text_query(parsed)
            .unwrap_or_else(|| Box::new(tantivy::query::AllQuery))
    }

    /// The stored title and body of a found document, marked with the query's words.
    pub fn hit(&self, doc: &tantivy::TantivyDocument, id: Field, parsed: &ParsedQuery) -> crate::query::SearchHit {
        use tantivy::schema::Value;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        crate::search::hit(text(id), &text(self.title), &text(self.body), parsed)
    }
}

/// The typo and prefix forms of a word in `field`, with their weights.
fn loose_variants(field: Field, word: &str, as_prefix: bool) -> Vec<(Box<dyn Query>, Score)> {
    let term = Term::from_field_text(field, word);
    let mut variants: Vec<(Box<dyn Query>, Score)> = Vec::new();
    let typos = allowed_typos(word.chars().count());
    if typos > 0 {
        variants.push((Box::new(FuzzyTermQuery::new(term.clone(), typos, true)), 0.5));
    }
    if as_prefix && word.chars().count() >= 2 {
        variants.push((Box::new(FuzzyTermQuery::new_prefix(term, 0, true)), 0.8));
    }
    variants
}

fn boosted(query: Box<dyn Query>, boost: Score) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, boost))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer};

    /// (start, end, word) for every word `tokenizer` cuts from `text`.
    fn cut(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, usize, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            let token = stream.token();
            words.push((token.offset_from, token.offset_to, token.text.clone()));
        }
        words
    }

    /// The analyser the index was built with before the neutral one: tantivy's simple words,
    /// lower-cased, ASCII-folded.
    fn tantivys_own() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build()
    }

    /// The real topics' titles and descriptions (~9 MB of EU text in many languages' names).
    fn real_texts() -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/eu-ftp-calls/calls_open_forthcoming.jsonl");
        let text = std::fs::read_to_string(path).expect("the shared topics file");
        text.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .flat_map(|topic| {
                ["title", "description", "keywords", "callTitle"]
                    .map(|field| topic[field].as_str().unwrap_or_default().to_owned())
            })
            .collect()
    }

    #[test]
    fn the_index_cuts_text_exactly_as_the_analyser_does() {
        let analyser = TextAnalyzer::builder(AnalyserTokenizer).build();
        for text in real_texts()
            .iter()
            .take(200)
            .map(String::as_str)
            .chain(["Ærø — Straße", ""])
        {
            let expected: Vec<(usize, usize, String)> = crate::text::tokenize(text)
                .into_iter()
                .map(|t| (t.range.start, t.range.end, t.text))
                .collect();
            assert_eq!(cut(analyser.clone(), text), expected);
        }
    }

    #[test]
    fn the_analyser_cuts_the_real_topics_as_tantivys_own_did() {
        let mut words = 0;
        for text in real_texts() {
            let ours = cut(TextAnalyzer::builder(AnalyserTokenizer).build(), &text);
            let theirs = cut(tantivys_own(), &text);
            assert_eq!(ours, theirs, "in {:?}", text.chars().take(80).collect::<String>());
            words += ours.len();
        }
        assert!(words > 400_000, "{words} words compared");
        // And on the letters of every EU language's names, where folding matters most.
        let names = "Łódź Ærøskøbing Straße Œuvre Ðakovo Þingvellir Ħamrun Sveti Đorđe Citroën Čakovec ŽILINA São Paulo İzmir ﬁnance";
        assert_eq!(
            cut(TextAnalyzer::builder(AnalyserTokenizer).build(), names),
            cut(tantivys_own(), names)
        );
    }
}
