//! Hard-wrapped text: a page whose paragraphs were broken into lines of a
//! fixed width (an RFC, a page whose text kept its HTML source's own line
//! breaks) has its wrapped lines joined back into paragraphs before the
//! whole-page reading weighs them, so a paragraph reads as prose and not as
//! a column of short lines.
//!
//! A page is hard-wrapped when its lines of five words or more are almost
//! never longer than [`LONG_LINE`] (a page with one paragraph to a line has
//! many such lines) and its lines often break mid-sentence: a line that
//! ends no sentence, then a line opening in lowercase with no blank line
//! between.

use super::Line;
use super::shapes::{ends_sentence, is_code, is_list_item};

/// Characters beyond any fixed wrapping width: a line this long is a
/// paragraph printed on one line.
const LONG_LINE: usize = 100;

/// The page's lines with each hard-wrapped paragraph joined into one line
/// (numbered as its first line), or `None` when the page is not
/// hard-wrapped and its lines stand as they are.
pub(super) fn join_wrapped_lines<'t>(lines: &[Line<'t>]) -> Option<Vec<Line<'t>>> {
    let width = wrap_width(lines)?;
    let mut joined: Vec<Line<'t>> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        match joined.last_mut() {
            // `lines[i - 1]` is the last wrapped line of `previous`.
            Some(previous) if continues(&lines[i - 1].text, line, width) => {
                // Appended in place: a paragraph of many lines is copied once.
                let hyphenated = is_hyphenated(&previous.text, &line.text);
                let text = previous.text.to_mut();
                if !hyphenated {
                    text.push(' ');
                }
                text.push_str(&line.text);
            }
            _ => joined.push(line.clone()),
        }
    }
    Some(joined)
}

/// `Internet-` ⏎ `Drafts`: a word hyphenated at the margin.
fn is_hyphenated(text: &str, next: &str) -> bool {
    text.strip_suffix('-').is_some_and(|t| t.ends_with(char::is_alphabetic))
        && next.starts_with(char::is_alphabetic)
}

/// The width the page's text was wrapped at (the 90th percentile of its
/// lines' lengths in characters), or `None` when the page is not
/// hard-wrapped.
fn wrap_width(lines: &[Line<'_>]) -> Option<usize> {
    let mut sentences = 0usize;
    let mut long = 0usize;
    let mut breaks = 0usize;
    let mut widths = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let words = line.text.split(' ').count();
        let chars = line.text.chars().count();
        if words >= 3 {
            widths.push(chars);
        }
        if words >= 5 {
            sentences += 1;
            long += usize::from(chars > LONG_LINE);
        }
        if let Some(next) = lines.get(i + 1) {
            let mid_sentence = next.blanks_before == 0
                && words >= 3
                && !ends_sentence(&line.text)
                && !line.text.ends_with('?')
                && next.text.starts_with(char::is_lowercase)
                && !is_code_line(&line.text)
                && !is_code_line(&next.text);
            breaks += usize::from(mid_sentence);
        }
    }
    let wrapped = long * 20 < sentences && breaks >= 3 && breaks * 4 >= sentences;
    if !wrapped {
        return None;
    }
    widths.sort_unstable();
    widths.get(widths.len() * 9 / 10).copied()
}

/// Whether `next` carries on the paragraph whose last wrapped line is
/// `previous` (no blank line between): a word is hyphenated across them,
/// or `next` opens in lowercase after a line that ends no sentence, or
/// `previous` ran to the margin: most of the width, all of it when it ends
/// a sentence (a short line ending a sentence ends its paragraph).
fn continues(previous: &str, next: &Line<'_>, width: usize) -> bool {
    if next.blanks_before > 0
        || is_list_item(&next.text)
        || is_code_line(previous)
        || is_code_line(&next.text)
    {
        return false;
    }
    let sentence_ends = ends_sentence(previous) || previous.ends_with('?');
    let chars = previous.chars().count();
    let full = |share: usize| chars * 100 >= width * share;
    is_hyphenated(previous, &next.text)
        || (!sentence_ends && (next.text.starts_with(char::is_lowercase) || full(60)))
        || full(85)
}

/// A line of code, where a wrapped line of prose ending in a comma is not.
fn is_code_line(text: &str) -> bool {
    is_code(text.trim_end_matches(','))
}

#[cfg(test)]
mod tests {
    use super::super::split_lines;
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        let lines = split_lines(text);
        join_wrapped_lines(&lines)
            .map(|joined| joined.iter().map(|l| l.text.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn wrapped_paragraphs_are_joined_and_their_breaks_kept() {
        let page = "Abstract\n\n\
            This draft describes a protocol by which client-side applications,\n\
            running inside a web browser, can communicate with a data storage\n\
            server that is hosted on a different domain name. This way, the\n\
            provider of a web application need not also play the role of a\n\
            storage provider.\n\n\
            The list of current Internet-\n\
            Drafts is at the usual address, and drafts are valid for a maximum\n\
            of six months and may be replaced by other documents at any time.\n\n\
            1. Introduction\n\
            2. Terminology\n";
        assert_eq!(
            texts(page),
            [
                "Abstract",
                "This draft describes a protocol by which client-side applications, running \
                 inside a web browser, can communicate with a data storage server that is \
                 hosted on a different domain name. This way, the provider of a web \
                 application need not also play the role of a storage provider.",
                "The list of current Internet-Drafts is at the usual address, and drafts are \
                 valid for a maximum of six months and may be replaced by other documents at \
                 any time.",
                "1. Introduction",
                "2. Terminology",
            ]
        );
    }

    #[test]
    fn a_hundred_thousand_wrapped_lines_are_joined_into_one_paragraph() {
        // Each line is appended in place (no copy of the paragraph so far),
        // which keeps this page linear; a timing here would only measure the
        // shared machine.
        let line = "the tide came in over the bar and the gauge read it slow again\n";
        let page = line.repeat(100_000);
        let joined = join_wrapped_lines(&split_lines(&page)).unwrap();
        assert_eq!(joined.len(), 1);
        assert_eq!(joined[0].text.len(), page.len() - 1);
    }

    #[test]
    fn a_page_with_a_paragraph_to_a_line_is_not_rewrapped() {
        let page = "The Ferry Returns\n\
            The ferry to the island ran again on Monday after a winter in the dry dock at the yard, and the islanders met it.\n\
            then a line in lowercase\n\
            Islanders met the first crossing at the pier, and the harbour master rang the old bell for it.\n";
        assert!(join_wrapped_lines(&split_lines(page)).is_none());
    }
}
