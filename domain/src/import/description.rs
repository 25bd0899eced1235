//! The EU portal's export flattens a topic's description: its section headings run into the
//! text ("Expected Outcome:Proposals…"), paragraphs run into each other ("…services.This
//! Destination…") and lists become one line of items glued by semicolons
//! ("…the following:Enhanced security…;Secure chips…"). This gives them back as Markdown,
//! which the call page renders like any description a funding body writes. Everything the
//! export holds is kept, in its order; only structure is added (and Markdown's own marks in
//! the text are escaped, so they show as written).

/// Section headings of the portal's topics, longest first where one begins another.
const SECTIONS: [&str; 8] = [
    "Expected Outcomes",
    "Expected Outcome",
    "Expected Impact",
    "Scope",
    "Objectives",
    "Objective",
    "Targeted types of activities",
    "Indicative budget",
];

/// A piece of the description, in order.
#[derive(Debug, PartialEq, Eq)]
enum Block {
    /// A section heading.
    Heading(&'static str),
    /// A paragraph (perhaps introducing a list).
    Text(String),
}

/// The description as Markdown: headings, paragraphs and lists restored.
pub fn restore_structure(flat: &str) -> String {
    let mut markdown = String::with_capacity(flat.len() + flat.len() / 8);
    for block in blocks(flat) {
        match block {
            Block::Heading(label) => {
                // `#`: the page renders it as its third level, under "Description".
                markdown.push_str("# ");
                markdown.push_str(label);
                markdown.push_str("\n\n");
            }
            Block::Text(text) => push_text(&mut markdown, &text),
        }
    }
    markdown.trim_end().to_owned()
}

/// Splits the text at its section headings and at the paragraph breaks the export glued
/// shut (a sentence's end directly followed by a capital), and at its own line breaks.
fn blocks(flat: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, blocks: &mut Vec<Block>| {
        let text = current.trim();
        if !text.is_empty() {
            blocks.push(Block::Text(text.to_owned()));
        }
        current.clear();
    };
    let mut previous: Option<char> = None;
    // The last character that was not a space: a heading follows a sentence's end only.
    let mut last_mark: Option<char> = None;
    let mut rest = flat;
    while let Some(c) = rest.chars().next() {
        let at_sentence_start = previous.is_none_or(|p| !p.is_alphanumeric())
            && last_mark.is_none_or(|m| matches!(m, '.' | ':' | ';' | '!' | '?' | ')' | '”' | '\n'));
        if at_sentence_start {
            if let Some(label) = SECTIONS
                .iter()
                .find(|label| rest.strip_prefix(**label).is_some_and(|after| after.starts_with(':')))
            {
                flush(&mut current, &mut blocks);
                blocks.push(Block::Heading(label));
                rest = rest[label.len() + 1..].trim_start();
                previous = Some(':');
                last_mark = previous;
                continue;
            }
        }
        rest = &rest[c.len_utf8()..];
        if !c.is_whitespace() || c == '\n' {
            last_mark = Some(c);
        }
        if c == '\n' {
            flush(&mut current, &mut blocks);
            previous = Some(c);
            continue;
        }
        current.push(c);
        let next = rest.chars().next();
        let glued_sentence = matches!(c, '.' | '?' | '!')
            && next.is_some_and(char::is_uppercase)
            && previous.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit() || matches!(p, ')' | '”' | '’'));
        if glued_sentence {
            flush(&mut current, &mut blocks);
        }
        previous = Some(c);
    }
    flush(&mut current, &mut blocks);
    blocks
}

/// Appends one block of text: a list when it introduces items glued by semicolons
/// (`…the following:First;Second;Third.`), else a paragraph — split after a colon glued to
/// a capital (`…of this topic are :Functional demonstrators…`).
fn push_text(markdown: &mut String, text: &str) {
    if let Some((intro, items)) = glued_list(text) {
        if !intro.is_empty() {
            push_paragraph(markdown, intro);
        }
        for item in items {
            markdown.push_str("- ");
            markdown.push_str(&escaped(item));
            markdown.push('\n');
        }
        markdown.push('\n');
        return;
    }
    let mut from = 0;
    for (at, _) in text.match_indices(':') {
        if text[at + 1..].chars().next().is_some_and(char::is_uppercase) {
            push_paragraph(markdown, &text[from..=at]);
            from = at + 1;
        }
    }
    push_paragraph(markdown, &text[from..]);
}

/// The introduction and items of a list glued into one line: a colon directly followed by
/// the first item, and at least one semicolon directly followed by the next.
fn glued_list(text: &str) -> Option<(&str, Vec<&str>)> {
    let colon = text
        .match_indices(':')
        .map(|(at, _)| at)
        .find(|at| text[at + 1..].chars().next().is_some_and(|c| !c.is_whitespace()))?;
    let body = &text[colon + 1..];
    let mut items = Vec::new();
    let mut from = 0;
    for (at, _) in body.match_indices(';') {
        if body[at + 1..].chars().next().is_some_and(|c| !c.is_whitespace()) {
            items.push(&body[from..at]);
            from = at + 1;
        }
    }
    if items.is_empty() {
        return None;
    }
    items.push(&body[from..]);
    let items = items
        .into_iter()
        .map(|item| item.trim().trim_start_matches('-').trim_end_matches(';').trim())
        .filter(|item| !item.is_empty())
        .collect();
    Some((text[..=colon].trim(), items))
}

fn push_paragraph(markdown: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    markdown.push_str(&escaped(text));
    markdown.push_str("\n\n");
}

/// `text` with Markdown's marks escaped, so that it shows as written: inline marks anywhere,
/// and what would start a list, heading or quote at the beginning.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_glued_lists_come_back() {
        let flat = "Expected Outcome:Proposals are expected to contribute to one or more of the following:\
                    Enhanced security frameworks;Secure and trusted chip architectures;-the action should \
                    generate a portfolio. Scope:The supply chains introduce new vulnerabilities.This topic \
                    aims to develop tools.";
        assert_eq!(
            restore_structure(flat),
            "# Expected Outcome\n\n\
             Proposals are expected to contribute to one or more of the following:\n\n\
             - Enhanced security frameworks\n\
             - Secure and trusted chip architectures\n\
             - the action should generate a portfolio.\n\n\
             # Scope\n\n\
             The supply chains introduce new vulnerabilities.\n\n\
             This topic aims to develop tools."
        );
    }

    #[test]
    fn a_colon_glued_to_a_capital_starts_a_paragraph_and_prose_is_left_alone() {
        let flat = "The expected outcomes of this topic are :Functional demonstrators (PCB-level).Validation on \
                    a common platform; and e.g. a label. Costs: EUR 3.5 million.";
        assert_eq!(
            restore_structure(flat),
            "The expected outcomes of this topic are :\n\n\
             Functional demonstrators (PCB-level).\n\n\
             Validation on a common platform; and e.g. a label. Costs: EUR 3.5 million."
        );
    }

    #[test]
    fn markdown_marks_in_the_text_show_as_written() {
        assert_eq!(
            restore_structure("1. Use *all* [links] <b> & #tags\n- a dash"),
            "1\\. Use \\*all\\* \\[links\\] \\<b\\> \\& \\#tags\n\n\\- a dash"
        );
        assert_eq!(restore_structure("Scopes: not a heading"), "Scopes: not a heading");
        assert_eq!(
            restore_structure("Within the Scope: of this call, nothing."),
            "Within the Scope: of this call, nothing.",
            "a label inside a sentence is no heading"
        );
    }
}
