//! Bounds on everything handed in from outside — a URL, a server function's JSON, a feed's
//! row: text without control characters and of bounded length, filter lists of bounded
//! size without repeats, pages inside a bounded result window, links only over http(s).
//! The query types apply these rules whenever one is built ([`crate::CallQuery::sanitized`]),
//! so no entry point can hand an unbounded query to a search engine or the database.

/// Search text longer than this is cut.
pub const MAX_TEXT_CHARS: usize = 200;
/// A free-text filter value (a programme name) longer than this is cut.
pub const MAX_VALUE_CHARS: usize = 120;
/// At most this many values of one filter are kept; the rest are dropped.
pub const MAX_FILTER_VALUES: usize = 20;
/// An identifier (a call's, an organisation's) is never longer than this.
pub const MAX_ID_CHARS: usize = 200;
/// Results per page unless the URL asks otherwise.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// The largest page a client may ask for.
pub const MAX_PER_PAGE: u32 = 100;
/// How deep into a result list anyone may page: offset + page size never exceed it, so a
/// huge page number cannot make an engine reserve memory for millions of results.
pub const MAX_RESULT_WINDOW: u32 = 10_000;

/// `value` on one line: control characters (NUL, newlines, escapes) removed, surrounding
/// whitespace trimmed, cut to `max_chars` characters.
pub fn clean_line(value: &str, max_chars: usize) -> String {
    let kept: String = value
        .chars()
        .filter(|c| !c.is_control())
        .skip_while(|c| c.is_whitespace())
        .take(max_chars)
        .collect();
    kept.trim_end().to_owned()
}

/// Words separated by single spaces; control characters (a stray NUL or escape in an
/// export, the line breaks of a server's reply) separate words too.
pub fn collapse_whitespace(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first control character of `value` that a text may not hold (tabs and line breaks
/// are allowed where `multiline`).
pub fn forbidden_control(value: &str, multiline: bool) -> Option<char> {
    value
        .chars()
        .find(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t' | '\r')))
}

/// Refuses text a record may not store: a control character (a NUL breaks PostgreSQL, an
/// escape sequence garbles logs and mail) where `multiline` allows only tabs and line breaks,
/// none at all otherwise. The message names `field` and the character.
pub fn check_text(field: &str, value: &str, multiline: bool) -> Result<(), String> {
    match forbidden_control(value, multiline) {
        Some(c) => Err(format!(
            "the {field} contains a control character (U+{:04X})",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// Refuses a link that is not an absolute http(s) address (see [`is_http_url`]).
pub fn check_link(field: &str, url: &str) -> Result<(), String> {
    if is_http_url(url) {
        Ok(())
    } else {
        Err(format!("the {field} {url:?} is not an http(s) address"))
    }
}

/// The values `keep` accepts (it may also normalise them), without repeats, in their first
/// order, at most [`MAX_FILTER_VALUES`] of them. Stops reading once the list is full, so a
/// hostile list costs no more than the values it had to look at.
pub fn bounded_values<T: PartialEq>(values: Vec<T>, keep: impl FnMut(T) -> Option<T>) -> Vec<T> {
    let mut kept = Vec::new();
    for value in values.into_iter().filter_map(keep) {
        if kept.len() == MAX_FILTER_VALUES {
            break;
        }
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    kept
}

/// A page size between 1 and [`MAX_PER_PAGE`] and a page number between 1 and the last page
/// inside [`MAX_RESULT_WINDOW`].
pub fn bounded_page(page: u32, per_page: u32) -> (u32, u32) {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    (page.clamp(1, last_page_in_window(per_page)), per_page)
}

/// The deepest page of `per_page` results that still ends inside [`MAX_RESULT_WINDOW`].
fn last_page_in_window(per_page: u32) -> u32 {
    (MAX_RESULT_WINDOW / per_page.max(1)).max(1)
}

/// Whether `url` is an absolute `http` or `https` address — the only links taken from data
/// (a `javascript:` or `data:` link would run or show whatever its author wanted).
pub fn is_http_url(url: &str) -> bool {
    let after_scheme = ["https://", "http://"].into_iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    after_scheme.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_lose_control_characters_and_are_cut() {
        assert_eq!(clean_line("  quantum\0 key\u{7}\n ", 50), "quantum key");
        assert_eq!(clean_line("abcdef", 3), "abc");
        assert_eq!(clean_line("\u{1b}[31m red", 50), "[31m red");
        assert_eq!(forbidden_control("ok\nfine", true), None);
        assert_eq!(forbidden_control("ok\nfine", false), Some('\n'));
        assert_eq!(forbidden_control("nul\0", true), Some('\0'));
    }

    #[test]
    fn value_lists_are_deduplicated_filtered_and_capped() {
        let values: Vec<u32> = (0..1000).chain(0..1000).collect();
        let kept = bounded_values(values, |v| (v % 2 == 0).then_some(v));
        assert_eq!(kept.len(), MAX_FILTER_VALUES);
        assert_eq!(kept[..3], [0, 2, 4]);
        assert_eq!(bounded_values(vec![3, 3, 1], Some), vec![3, 1]);
    }

    #[test]
    fn pages_stay_inside_the_result_window() {
        assert_eq!(bounded_page(0, 0), (1, 1));
        assert_eq!(bounded_page(999_999_999, 20), (500, 20));
        assert_eq!(bounded_page(7, u32::MAX), (7, MAX_PER_PAGE));
        assert_eq!(bounded_page(u32::MAX, 1), (MAX_RESULT_WINDOW, 1));
    }

    #[test]
    fn only_http_links_are_links() {
        assert!(is_http_url(
            "https://ec.europa.eu/info/funding-tenders/opportunities/portal/topic"
        ));
        assert!(is_http_url("HTTP://example.org/a?b=c"));
        for bad in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example",
            "https://",
            "https://a b",
            "https://a\n.example",
            "vbscript:x",
            "",
        ] {
            assert!(!is_http_url(bad), "{bad:?}");
        }
    }
}
