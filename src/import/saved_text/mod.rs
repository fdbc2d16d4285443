//! The saved-text importer: pages saved from a magazine site as plain text.
//!
//! The shape (see DESIGN.md, "Import of a saved page", and the 330 generated
//! cases in `tests/fixtures/import-cases/`, whose README says where they
//! come from):
//! ```text
//! [Skip to content]
//! Publication[, Featured]  (or a section label such as UPDATES; more labels)
//! Headline
//! Jun 28, 2019 | Byline
//! caption (Image: credit)  (printed twice: caption and standfirst)
//! header lines             (title or author repeated, `Update from …`, a file name)
//! Body paragraphs…         (one line = one paragraph)
//! Bio © Rights. / signature block / © rights line
//! Tags: a, b               (or RELATED ARTICLES / RECENT POSTS / Print edition)
//! caption / teaser title / May 31, 2024 | byline   (teasers, optional)
//! SORT BY TOPICS …         (site navigation, dropped)
//! ```
//! The parser classifies every non-blank line by what it is ([`LineKind`])
//! from its own shape ([`shapes`]) and its neighbours, zone by zone (top,
//! header, body, tail), then assembles the article from the classes. Every
//! decision is made on normalised lines that remember their line number, so
//! errors and warnings name the file's line.

mod article;
pub(crate) mod byline;
mod caption;
mod date_order;
pub(crate) mod dateline;
mod dates;
mod header;
pub mod shapes;
mod tail_teasers;
mod teasers;

pub use caption::{CaptionCredit, split_credit};
pub use dateline::{DateLine, parse_date, parse_date_line, parse_header_date_line};
mod lexer;
mod parser;
mod reflow;

pub(crate) use lexer::{Line, split_lines};
pub use lexer::{looks_like_markup, normalise};

use super::{ImportedArticle, Importer};
use crate::config::ImportConfig;
use crate::error::{Diagnostic, Location};
use byline::strip_prefix_ignore_case;
use parser::Parser;
use std::path::Path;

/// The saved-text importer's [`Importer::priority`]: below every importer
/// that keeps the default.
pub const SAVED_TEXT_PRIORITY: i32 = -100;

/// Years outside this range are a misread, not a date a saved page carries.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i16> = 1000..=2100;

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

impl Importer for SavedTextImporter {
    fn name(&self) -> &'static str {
        "saved text"
    }

    /// Any text: the parser itself says what is missing (and refuses an
    /// HTML document as such).
    fn sniff(&self, _path: &Path, _text: &str) -> bool {
        true
    }

    /// Asked last: it reads any text, so an importer for a format of its
    /// own claims its files first.
    fn priority(&self) -> i32 {
        SAVED_TEXT_PRIORITY
    }

    fn parse(&self, path: &Path, text: &str) -> Result<ImportedArticle, Diagnostic> {
        if looks_like_markup(text) {
            return Err(Diagnostic::at(
                path,
                Location::line(1),
                "an HTML document; expected a saved text page (publication, headline, date line, body)",
            ));
        }
        let lines = split_lines(text);
        let kinds = vec![LineKind::Body; lines.len()];
        Parser { importer: self, path, lines, kinds }.parse()
    }
}

impl SavedTextImporter {
    /// Every non-blank line's number and what the parser took it for; the
    /// same error as [`Importer::parse`] when the page is refused.
    pub fn classify(&self, path: &Path, text: &str) -> Result<Vec<(usize, LineKind)>, Diagnostic> {
        let lines = split_lines(text);
        let numbers: Vec<usize> = lines.iter().map(|l| l.number).collect();
        let kinds = vec![LineKind::Body; lines.len()];
        let mut parser = Parser { importer: self, path, lines, kinds };
        parser.read()?;
        Ok(numbers.into_iter().zip(parser.kinds).collect())
    }
}

/// What one non-blank line of a saved page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// Page furniture with no content: `Skip to content`, site navigation.
    Junk,
    /// The publication's name (line 1).
    Publication,
    /// A section label or header line that is not content (`UPDATES`,
    /// `Update from …`, `Media Release`, `Update 06/16 #01`).
    Label,
    /// The headline.
    Title,
    /// The article's date line (`Jun 3, 2016 | byline`).
    DateLine,
    /// A header line repeating the title, an author or the date, or the
    /// second copy of a doubled caption.
    Repeat,
    /// A `By …` line naming the authors.
    Byline,
    /// The lead image's caption (or credit, or file name).
    Caption,
    /// The standfirst.
    Standfirst,
    /// A body paragraph.
    Body,
    /// The author's bio, or a letter's signature block.
    Bio,
    /// A rights line.
    Rights,
    /// `Tags:`, `RELATED ARTICLES`, `RECENT POSTS`, `Print edition`, and
    /// labels in the sidebar.
    TailMarker,
    /// A teaser's image caption.
    TeaserCaption,
    /// A teaser's title.
    TeaserTitle,
    /// A teaser's date line (or `| byline` line).
    TeaserDate,
}

/// Whether a date is outside the years any saved page carries.
pub(crate) fn implausible_year(date: crate::content::PageDate) -> bool {
    !PLAUSIBLE_YEARS.contains(&date.year())
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
