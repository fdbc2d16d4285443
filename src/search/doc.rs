//! What the index holds of one article ([`SearchDoc`]) and the document
//! files (`search/d/N.json`) that carry it to the search page. Below both
//! the analysis of its words (`analyze`) and the index built from them
//! (`index`), so neither has to reach into the other for it.

use serde::Serialize;
use std::hash::{Hash, Hasher};

/// Where the index goes, under the output root (the search page is there too).
pub const DIR: &str = "search";
/// A document file holds about this much of an article's text, its
/// beginning (cut at a space), for a snippet without fetching the article.
pub const EXCERPT_BYTES: usize = 480;

/// What the index holds of one article.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchDoc<'a> {
    /// Its public URL (with the base path).
    pub url: &'a str,
    pub title: &'a str,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// The date as the site shows it.
    pub date_display: &'a str,
    /// Authors, or the publication when there are none.
    pub byline: &'a str,
    /// A teaser whose text is not archived: found by its title only.
    pub stub: bool,
    pub standfirst: &'a str,
    /// The body as plain text.
    pub text: &'a str,
    /// Identifies `text` (equal keys, equal text), so that an update can
    /// tell an unchanged article without reading it; 0: unknown.
    pub text_key: u64,
}

/// Identifies everything the index holds of an article; 0: unknown.
pub(super) fn doc_key(doc: &SearchDoc<'_>) -> u64 {
    if doc.text_key == 0 {
        return 0;
    }
    let mut h = std::hash::DefaultHasher::new();
    (doc.url, doc.title, doc.date, doc.date_display, doc.byline, doc.stub, doc.standfirst)
        .hash(&mut h);
    doc.text_key.hash(&mut h);
    h.finish() | 1
}

/// One article in a document file.
#[derive(Serialize)]
struct DocJson<'a> {
    url: &'a str,
    title: &'a str,
    date: &'a str,
    shown: &'a str,
    byline: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    stub: bool,
    #[serde(skip_serializing_if = "str::is_empty")]
    standfirst: &'a str,
    /// The text's beginning, or all of it.
    text: &'a str,
    /// Whether the text goes on after `text`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    more: bool,
}

/// The beginning of `text`: all of it when it is short, else up to
/// [`EXCERPT_BYTES`] cut before a space; and whether it was cut.
fn excerpt(text: &str) -> (&str, bool) {
    if text.len() <= EXCERPT_BYTES {
        return (text, false);
    }
    let mut end = EXCERPT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    match head.rfind(char::is_whitespace) {
        Some(space) if space > EXCERPT_BYTES / 2 => (head[..space].trim_end(), true),
        _ => (head, true),
    }
}

pub(super) fn doc_json(doc: &SearchDoc<'_>) -> Vec<u8> {
    let (text, more) = excerpt(doc.text.trim());
    let json = DocJson {
        url: doc.url,
        title: doc.title,
        date: doc.date,
        shown: doc.date_display,
        byline: doc.byline,
        stub: doc.stub,
        standfirst: doc.standfirst.trim(),
        text,
        more,
    };
    let mut out = Vec::with_capacity(text.len() + doc.standfirst.len() + 256);
    // Writing strings and a bool to a vector cannot fail.
    let _ = serde_json::to_writer(&mut out, &json);
    out
}

pub(super) fn group_file(group: usize) -> String {
    format!("{DIR}/d/{group}.json")
}

pub(super) fn group_bytes(fragments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(fragments.iter().map(|f| f.len() + 1).sum::<usize>() + 2);
    out.push(b'[');
    for (i, fragment) in fragments.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(fragment);
    }
    out.extend_from_slice(b"]\n");
    out
}
