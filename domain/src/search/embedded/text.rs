//! Full-text matching shared by the embedded indexes (calls, organisations): the analyzer,
//! and the query for what a user typed — exact words score most, typos and prefixes less,
//! documents with every word rank in a tier of their own, quoted phrases must match.

use crate::search::highlight::{allowed_typos, ParsedQuery, Token};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, SchemaBuilder, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, Score, Term};

/// The name the text analyzer is registered under.
const ANALYZER: &str = "fundbridge";
/// The score added to documents that match every word.
const ALL_WORDS_TIER: Score = 10_000.0;

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the analyzer the text fields are indexed with.
pub(super) fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

/// Splits text into normalised tokens exactly as the index does.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let token = stream.token();
        tokens.push(Token {
            range: token.offset_from..token.offset_to,
            text: token.text.clone(),
        });
    }
    tokens
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
        let Some(query) = self.text_query(&ParsedQuery::parse(prefix, tokenize)) else {
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
