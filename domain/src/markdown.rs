//! Call descriptions as funding bodies write them (Markdown) and as pages show them: HTML
//! that can hold nothing active — no script, no event handler, no style, no embedded image,
//! links only to http(s) and mail addresses and never handed the page (`rel="noopener
//! noreferrer nofollow"`). Raw HTML in the source is shown as text. Headings start at
//! `<h3>`: a call's page has its title and its "Description" heading above them.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

/// The Markdown extensions descriptions may use.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// A heading two levels down (`#` → `<h3>`), never below `<h6>`.
fn demoted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// What the sanitiser lets through: ammonia's conservative defaults, without images, with
/// only http(s) and mail links, each marked as not endorsed and not given the page.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .rm_tags(["img"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer nofollow"));
    builder
});

/// `markdown` rendered to HTML that is safe to insert into a page as it is.
pub fn to_safe_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demoted(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demoted(level))),
        // Raw HTML is shown as the text it is, never passed through.
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    SANITISER.clean(&html).to_string()
}

/// The words of `markdown` without its markup, blocks on lines of their own: what the search
/// index reads and snippets are cut from.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(words) | Event::Code(words) | Event::Html(words) | Event::InlineHtml(words) => {
                text.push_str(&words);
            }
            Event::SoftBreak => text.push(' '),
            Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
                if !text.ends_with('\n') && !text.is_empty() =>
            {
                text.push('\n');
            }
            _ => {}
        }
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_structure_with_headings_below_the_page_s() {
        let html = to_safe_html("# Scope\n\nProposals should:\n\n- build *secure* chips\n- test them\n");
        assert!(html.contains("<h3>Scope</h3>"), "{html}");
        assert!(html.contains("<li>build <em>secure</em> chips</li>"), "{html}");
    }

    /// The tags of `html` (text cannot hold `<`: it is escaped).
    fn tags(html: &str) -> Vec<&str> {
        html.split('<')
            .skip(1)
            .filter_map(|rest| rest.split('>').next())
            .collect()
    }

    #[test]
    fn nothing_active_survives() {
        let hostile = "<script>window.__xss=1</script>\n\n<img src=x onerror=window.__xss=1>\n\n\
                       [click](javascript:window.__xss=1) <a href=\"https://x.example\" onclick=\"evil()\">x</a>\n\n\
                       <p style=\"position:fixed\">over</p>\n\n[ok](https://ec.europa.eu/info) *fine*";
        let html = to_safe_html(hostile);
        for tag in tags(&html) {
            let tag = tag.to_lowercase();
            assert!(
                !tag.starts_with("script") && !tag.starts_with("img"),
                "<{tag}> in {html}"
            );
            assert!(
                !tag.contains(" on") && !tag.contains("style") && !tag.contains("javascript:"),
                "<{tag}>"
            );
        }
        assert!(html.contains("&lt;script&gt;"), "raw HTML shows as text: {html}");
        assert!(
            html.contains("<a href=\"https://ec.europa.eu/info\" rel=\"noopener noreferrer nofollow\">ok</a>"),
            "{html}"
        );
        assert!(html.contains("<em>fine</em>"), "{html}");
    }

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let text = plain_text("### Scope\n\nBuild **secure** chips:\n\n- one\n- two\n");
        assert_eq!(text, "Scope\nBuild secure chips:\none\ntwo");
    }
}
