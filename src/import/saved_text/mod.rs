//! The saved-text importer: pages saved from a magazine site as plain text.
//!
//! The shape (see DESIGN.md, "Import of a saved page"):
//! ```text
//! Publication            (or a section label such as UPDATES)
//! Headline
//! Jun 28, 2019 | Byline
//! Standfirst             (optional; a repeated copy is dropped)
//! Body paragraphs…       (one line = one paragraph)
//! Bio © Rights.          (optional)
//! Tags: a, b             (optional)
//! caption (Image: credit) / teaser title / May 31, 2024 | byline   (teasers, optional)
//! ```
//! Blank lines only separate; their number matters in one place (a standfirst
//! is often followed by two). Every decision is made on normalised lines
//! that remember their line number, so errors name the file's line.

mod byline;
mod caption;
mod dateline;
mod teasers;

pub use caption::{CaptionCredit, split_credit};
pub use dateline::{DateLine, parse_date, parse_date_line, parse_header_date_line};

use super::{ImportedArticle, Importer};
use crate::config::ImportConfig;
use crate::content::{FrontMatter, Image};
use crate::error::{Diagnostic, Location};
use byline::{is_bio, is_valediction, split_authors, split_rights, strip_prefix_ignore_case};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// How many non-blank lines from the top may precede the date line.
const HEADER_WINDOW: usize = 6;

/// Imports pages in the saved-text shape.
#[derive(Debug, Clone, Default)]
pub struct SavedTextImporter {
    /// Publication assumed when line 1 is a section label.
    publication: Option<String>,
    /// Title prefixes that name a series.
    series_prefixes: Vec<String>,
}

impl SavedTextImporter {
    /// An importer using the site's `import:` settings.
    pub fn new(config: &ImportConfig) -> Self {
        SavedTextImporter {
            publication: config.publication.clone(),
            series_prefixes: config.series_prefixes.clone(),
        }
    }
}

/// One non-blank line, normalised, with where it was.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// The text: NBSP and other spaces as one space, trimmed.
    pub text: Cow<'a, str>,
    /// 1-based line number in the file.
    pub number: usize,
    /// How many blank lines came right before it.
    pub blanks_before: usize,
}

impl Importer for SavedTextImporter {
    fn name(&self) -> &'static str {
        "saved text"
    }

    /// Any text that is not markup: the parser itself says what is missing.
    fn sniff(&self, _path: &Path, text: &str) -> bool {
        !looks_like_markup(text)
    }

    fn parse(&self, path: &Path, text: &str) -> Result<ImportedArticle, Diagnostic> {
        Parser { importer: self, path, lines: split_lines(text) }.parse()
    }
}

/// Whether the text is an HTML or XML document rather than saved text.
pub fn looks_like_markup(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let head = head.get(..head.len().min(512)).unwrap_or(head).to_ascii_lowercase();
    head.starts_with("<!doctype") || head.starts_with("<html") || head.starts_with("<?xml")
}

/// Splits text into normalised non-blank lines.
pub(crate) fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(text.len() / 200 + 8);
    let mut blanks = 0;
    for (index, raw) in text.split('\n').enumerate() {
        let normalised = normalise(raw);
        if normalised.is_empty() {
            blanks += 1;
            continue;
        }
        lines.push(Line { text: normalised, number: index + 1, blanks_before: blanks });
        blanks = 0;
    }
    lines
}

/// NBSP, tabs and other spaces become one ASCII space; the line is trimmed;
/// zero-width spaces and stray byte-order marks are dropped. Works on bytes:
/// this runs on every line of every page.
pub fn normalise(raw: &str) -> Cow<'_, str> {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let bytes = raw.as_bytes();
    if is_clean(bytes) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        if let Some((len, is_space)) = space_at(bytes, i) {
            // A zero-width character joins the words around it.
            pending_space |= is_space && !out.is_empty();
            i += len;
            continue;
        }
        // Copy the run up to the next byte that may start a space.
        let run_end = bytes[i + 1..]
            .iter()
            .position(|&b| MAY_START_SPACE[usize::from(b)])
            .map_or(bytes.len(), |p| i + 1 + p);
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push_str(&raw[i..run_end]);
        i = run_end;
    }
    Cow::Owned(out)
}

/// Bytes that can start a whitespace or zero-width character in UTF-8.
const MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let starts = [b' ', 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF];
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether a line needs no normalising: single ASCII spaces between words only.
fn is_clean(bytes: &[u8]) -> bool {
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut previous_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b' ' {
            if previous_space {
                return false;
            }
            previous_space = true;
            continue;
        }
        previous_space = false;
        if matches!(b, 0x09..=0x0D | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
            && space_at(bytes, i).is_some()
        {
            return false;
        }
    }
    true
}

/// The whitespace (or zero-width) character starting at byte `i`, as (length
/// in bytes, whether it is a space rather than a zero-width character).
fn space_at(bytes: &[u8], i: usize) -> Option<(usize, bool)> {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b' ' | 0x09..=0x0D => Some((1, true)),
        0xC2 if matches!(next(1), 0x85 | 0xA0) => Some((2, true)),
        0xE1 if next(1) == 0x9A && next(2) == 0x80 => Some((3, true)),
        0xE2 if next(1) == 0x80 => match next(2) {
            0x80..=0x8A | 0xA8 | 0xA9 | 0xAF => Some((3, true)),
            0x8B => Some((3, false)),
            _ => None,
        },
        0xE2 if next(1) == 0x81 && next(2) == 0x9F => Some((3, true)),
        0xE3 if next(1) == 0x80 && next(2) == 0x80 => Some((3, true)),
        0xEF if next(1) == 0xBB && next(2) == 0xBF => Some((3, false)),
        _ => None,
    }
}

/// Used only when the page names no publication: a byline such as
/// `Australia/Israel Review` is a publication, not a person.
fn looks_like_publication(byline: &str) -> bool {
    const WORDS: &[&str] = &[
        "review",
        "times",
        "post",
        "journal",
        "news",
        "magazine",
        "herald",
        "institute",
        "press",
        "daily",
        "weekly",
        "tribune",
        "gazette",
        "guardian",
        "monitor",
        "bulletin",
        "quarterly",
    ];
    byline.contains('/')
        || byline
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| WORDS.contains(&w.to_lowercase().as_str()))
}

/// Compares two lines as a reader would: case and spacing aside.
fn same_text(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.to_lowercase() == b.to_lowercase()
}

/// `UPDATES`, `IN THE MEDIA`: a label in capitals, not a publication's name.
fn is_section_label(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 4 && text.len() <= 40 && !text.chars().any(char::is_lowercase)
}

/// `Tags: a, b` → the tags; `Tags: ,`, `Tags:` and `Tags` → none.
pub(crate) fn tags_line(text: &str) -> Option<Vec<String>> {
    let rest = strip_prefix_ignore_case(text, "tags")?.trim_start();
    let list = if rest.is_empty() { "" } else { rest.strip_prefix(':')? };
    if list.len() > 1000 || list.contains(". ") {
        return None;
    }
    let mut tags: Vec<String> = Vec::new();
    for tag in list.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    Some(tags)
}

/// Whether a paragraph ends a sentence (`.`, `!`, `:` before closing quotes).
fn ends_sentence(text: &str) -> bool {
    let end = text.trim_end_matches(['”', '’', '"', '\'', ')', ']']);
    end.ends_with(['.', '!', ':', ';', '…'])
}

struct Parser<'p, 't> {
    importer: &'p SavedTextImporter,
    path: &'p Path,
    lines: Vec<Line<'t>>,
}

/// What the top of the page says.
struct Header {
    title: String,
    publication: Option<String>,
    section: Option<String>,
    image: Option<CaptionCredit>,
    /// Index of the date line in `lines`.
    date_index: usize,
}

impl Parser<'_, '_> {
    fn error(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.path, Location::line(line), message)
    }

    fn parse(self) -> Result<ImportedArticle, Diagnostic> {
        if self.lines.is_empty() {
            return Err(self.error(
                1,
                "empty page; expected a saved article (publication, headline, date line, body)",
            ));
        }
        let header = self.header()?;
        let date_line = &self.lines[header.date_index];
        let parsed = parse_header_date_line(&date_line.text)
            .ok_or_else(|| self.error(date_line.number, "expected a date line"))?;
        let date = parsed.date.map_err(|e| {
            self.error(date_line.number, format!("{e}; expected the article's date"))
        })?;
        let mut publication = header.publication;
        let mut authors = Vec::new();
        // `A and B`, or `A | Publication`: each part between bars is read alone.
        for part in parsed.byline.into_iter().flat_map(|b| b.split('|')).map(str::trim) {
            let known = publication.as_deref().or(self.importer.publication.as_deref());
            let is_publication = match known {
                Some(p) => same_text(p, part),
                None => looks_like_publication(part),
            };
            if part.is_empty() {
                continue;
            } else if is_publication {
                publication.get_or_insert_with(|| part.to_string());
            } else if authors.is_empty() {
                authors = split_authors(part);
            }
        }

        let mut next = header.date_index + 1;
        next = self.skip_repeats(next, &header.title, parsed.byline, &mut authors);

        let (body_end, teasers) = self.tail(next)?;
        let tags = match self.lines.get(body_end) {
            Some(line) => tags_line(&line.text).unwrap_or_default(),
            None => Vec::new(),
        };

        let mut image = header.image;
        let mut standfirst = None;
        for _ in 0..3 {
            if next + 1 >= body_end {
                break;
            }
            let text = &self.lines[next].text;
            if image.is_none() && text.len() < 400 {
                if let Some(found) = split_credit(text) {
                    image = Some(found);
                    next += 1;
                    continue;
                }
            }
            if standfirst.is_none() && self.is_standfirst(next, body_end) {
                standfirst = Some(text.to_string());
                next += 1;
                if next + 1 < body_end && self.lines[next].text == *text {
                    next += 1;
                }
                continue;
            }
            break;
        }

        let mut body: Vec<String> =
            self.lines[next..body_end].iter().map(|l| l.text.to_string()).collect();
        let mut rights = None;
        if let Some(last) = body.last_mut() {
            if let Some((before, found)) = split_rights(last) {
                rights = Some(found.to_string());
                let before = before.to_string();
                if before.is_empty() {
                    body.pop();
                } else {
                    *last = before;
                }
            }
        }
        let signed_letter = body.iter().rev().take(5).any(|p| is_valediction(p));
        let mut author_bio = None;
        if !signed_letter && body.len() > 1 && body.last().is_some_and(|p| is_bio(p, &authors)) {
            author_bio = body.pop();
        }
        if body.is_empty() {
            let after = self.lines[next.saturating_sub(1).min(body_end.saturating_sub(1))].number;
            return Err(self
                .error(after, "expected the article's body (paragraphs of text) after this line"));
        }

        let title = header.title;
        let series = series_of(&title, &self.importer.series_prefixes);
        let mut extra = BTreeMap::new();
        if let Some(section) = header.section {
            extra.insert("section".to_string(), crate::yaml::Value::String(section));
        }
        let front_matter = FrontMatter {
            title,
            date,
            authors,
            publication,
            standfirst,
            image: image.map(|c| Image { caption: c.caption, credit: Some(c.credit) }),
            tags,
            series,
            author_bio,
            rights,
            related: teasers,
            source: None,
            slug: None,
            aliases: Vec::new(),
            draft: false,
            stub: false,
            extra,
        };
        Ok(ImportedArticle { front_matter, body })
    }

    /// Finds the date line and reads the lines above it.
    fn header(&self) -> Result<Header, Diagnostic> {
        let window = self.lines.len().min(HEADER_WINDOW);
        let Some(date_index) =
            (0..window).find(|&i| parse_header_date_line(&self.lines[i].text).is_some())
        else {
            let (at, what) = match self.lines.len() {
                1 => (self.lines[0].number + 1, format!("`{}`", self.lines[0].text)),
                _ => (
                    self.lines[2.min(self.lines.len() - 1)].number,
                    format!("`{}`", self.lines[1].text),
                ),
            };
            return Err(self.error(
                at,
                format!(
                    "expected a date line like `Jun 28, 2019 | Author` below the headline {what}"
                ),
            ));
        };
        if date_index == 0 {
            return Err(
                self.error(self.lines[0].number, "expected a headline before the date line")
            );
        }
        let top = &self.lines[..date_index];
        let title = top[date_index - 1].text.to_string();
        let mut header =
            Header { title, publication: None, section: None, image: None, date_index };
        if date_index >= 2 && !same_text(&top[0].text, &header.title) {
            let first = top[0].text.to_string();
            if is_section_label(&first) {
                header.publication = self.importer.publication.clone();
                header.section = Some(first);
            } else {
                header.publication = Some(first);
            }
        }
        let between = top.get(1..date_index - 1).unwrap_or_default();
        header.image = between.iter().find_map(|l| split_credit(&l.text));
        Ok(header)
    }

    /// Skips the title, byline or author repeated under the date line; takes
    /// authors from a `By …` line when the date line named none.
    fn skip_repeats(
        &self,
        mut next: usize,
        title: &str,
        byline: Option<&str>,
        authors: &mut Vec<String>,
    ) -> usize {
        for _ in 0..3 {
            let Some(line) = self.lines.get(next) else { break };
            let text: &str = &line.text;
            let unprefixed = strip_prefix_ignore_case(text, "by ").unwrap_or(text).trim();
            let repeated = same_text(text, title)
                || byline.is_some_and(|b| same_text(unprefixed, b))
                || authors.iter().any(|a| same_text(unprefixed, a));
            if repeated {
                next += 1;
                continue;
            }
            if authors.is_empty()
                && text.len() > 3
                && strip_prefix_ignore_case(text, "by ").is_some()
                && text.split_whitespace().count() <= 12
                && !ends_sentence(text)
            {
                *authors = split_authors(text);
                next += 1;
                continue;
            }
            break;
        }
        next
    }

    /// Where the body ends, and the teasers after it.
    fn tail(&self, body_start: usize) -> Result<(usize, Vec<crate::content::Teaser>), Diagnostic> {
        let n = self.lines.len();
        if let Some(tags_at) =
            (body_start..n).rev().find(|&i| tags_line(&self.lines[i].text).is_some())
        {
            let teasers = teasers::parse_teasers(self.path, &self.lines[tags_at + 1..])?;
            return Ok((tags_at, teasers));
        }
        let start = teasers::trailing_teasers_start(&self.lines, body_start + 1);
        let teasers = teasers::parse_teasers(self.path, &self.lines[start..])?;
        Ok((start, teasers))
    }

    /// A standfirst is repeated, or is a short line that is not a finished
    /// sentence, or stands apart from the body by two blank lines.
    fn is_standfirst(&self, at: usize, body_end: usize) -> bool {
        let line = &self.lines[at];
        let Some(following) = self.lines.get(at + 1).filter(|_| at + 1 < body_end) else {
            return false;
        };
        if following.text == line.text {
            return true;
        }
        let words = line.text.split_whitespace().count();
        let short = line.text.chars().count() <= 300 && words >= 3;
        let first = line.text.chars().next().unwrap_or(' ');
        short
            && (first.is_alphanumeric() || matches!(first, '“' | '‘' | '"' | '\'' | '«'))
            && (!ends_sentence(&line.text) || following.blanks_before >= 2)
            && !is_valediction(&line.text)
    }
}

/// The series a title belongs to: the first configured prefix it starts with
/// (`The Last Word: …` → `The Last Word`).
pub fn series_of(title: &str, prefixes: &[String]) -> Option<String> {
    prefixes.iter().find_map(|prefix| {
        let rest = strip_prefix_ignore_case(title, prefix)?;
        (rest.is_empty() || rest.starts_with([':', ' '])).then(|| prefix.clone())
    })
}

#[cfg(test)]
mod tests;
