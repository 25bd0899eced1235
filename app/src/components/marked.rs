//! Text with the words that matched a search marked — rendered as text nodes and
//! `<mark>` elements, never as HTML, so nothing a publisher wrote can run as script.

use domain::Highlighted;
use leptos::prelude::*;

/// Splits highlighted text into (piece, is_match) parts, skipping any range that does not fit.
pub fn parts(text: &Highlighted) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut at = 0;
    for &(from, to) in &text.ranges {
        let fits = from >= at && from < to && to <= text.text.len();
        if !fits || !text.text.is_char_boundary(from) || !text.text.is_char_boundary(to) {
            continue;
        }
        if from > at {
            parts.push((text.text[at..from].to_owned(), false));
        }
        parts.push((text.text[from..to].to_owned(), true));
        at = to;
    }
    if at < text.text.len() {
        parts.push((text.text[at..].to_owned(), false));
    }
    parts
}

/// The text with its matches in `<mark>`.
#[component]
pub fn Marked(
    /// The text and its matched ranges.
    text: Highlighted,
) -> impl IntoView {
    parts(&text)
        .into_iter()
        .map(|(piece, is_match)| {
            if is_match {
                view! { <mark>{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_split_the_text_and_bad_ranges_are_ignored() {
        let text = Highlighted {
            text: "Quantum secured tactical networks".into(),
            ranges: vec![(0, 7), (3, 5), (25, 99)],
        };
        assert_eq!(
            parts(&text),
            vec![
                ("Quantum".to_owned(), true),
                (" secured tactical networks".to_owned(), false)
            ]
        );
    }
}
