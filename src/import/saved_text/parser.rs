//! The parser of a saved text page: classifies every line by what it is
//! ([`LineKind`]) from its own shape and its neighbours, zone by zone (top,
//! header, body, tail), then assembles the article from the classes.

use super::byline::{
    is_collective, is_valediction, split_authors, split_rights, strip_prefix_ignore_case,
};
use super::dateline::{self, parse_date_line, parse_header_date_line};
use super::shapes::is_tail_start;
use super::shapes::{
    ends_sentence, is_file_name, is_header_label, is_navigation_start, is_print_edition,
    is_rights_line, is_section_label, is_sidebar_heading, is_skip_link, publication_name,
    same_text, starts_with_name, strip_date_prefix, tags_line, without_column_prefix,
};
use super::{
    CaptionCredit, Line, LineKind, PLAUSIBLE_YEARS, SavedTextImporter, implausible_year, series_of,
    split_credit, teasers,
};
use crate::content::{FrontMatter, Image, slugify};
use crate::error::{Diagnostic, Location};
use crate::import::ImportedArticle;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// How many non-blank lines from the top may precede the date line.
const HEADER_WINDOW: usize = 6;

/// How many lines between the date line and the body may be header lines
/// (captions, repeats, update labels).
const HEADER_EXTRAS: usize = 12;

/// How many lines from the top the body of a page in the seed's shape may
/// start at.
pub(super) const SEED_HEADER_LINES: usize = HEADER_WINDOW + HEADER_EXTRAS;

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

/// `Ana Lima and Tom Ng`, not `the numbers`: every word of a name starts
/// with a capital (or comes from a script without case).
fn looks_like_names(text: &str) -> bool {
    text.split([' ', ','])
        .filter(|w| !w.is_empty() && !matches!(*w, "and" | "&"))
        .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
}

/// `June 2016`: a month and a year, no day.
fn is_month_only(text: &str) -> bool {
    let date_part = text.split('|').next().unwrap_or(text).trim();
    let Some((month, year)) = date_part.split_once(' ') else { return false };
    let month = month.trim_end_matches(['.', ',']).to_ascii_lowercase();
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && month.len() >= 3
        && dateline::MONTHS.iter().any(|m| m.starts_with(&month))
}

pub(super) struct Parser<'p, 't> {
    pub importer: &'p SavedTextImporter,
    pub path: &'p Path,
    pub lines: Vec<Line<'t>>,
    /// What each line of `lines` was taken for.
    pub kinds: Vec<LineKind>,
}

/// Everything read from a page before it is assembled.
pub(super) struct Reading {
    pub title: String,
    pub title_line: usize,
    pub date: crate::content::PageDate,
    /// The page shows no date: `date` is the day it was saved.
    pub undated: bool,
    pub publication: Option<String>,
    pub section: Option<String>,
    pub authors: Vec<String>,
    pub image: Option<Image>,
    pub standfirst: Option<String>,
    /// Index range of the body lines in `lines`, bio and rights included.
    pub body: std::ops::Range<usize>,
    pub tags: Vec<String>,
    pub teasers: Vec<crate::content::Teaser>,
    pub warnings: Vec<Diagnostic>,
}

/// What the header says, filled in as its lines are read.
struct Head<'a> {
    title: &'a str,
    date: crate::content::PageDate,
    /// What followed the date line's bar.
    byline: Option<&'a str>,
    authors: Vec<String>,
    image: Option<Image>,
    standfirst: Option<String>,
}

/// What the top of the page says.
struct Top {
    title_index: usize,
    date_index: usize,
    publication: Option<String>,
    section: Option<String>,
    image: Option<CaptionCredit>,
}

impl Parser<'_, '_> {
    pub(super) fn error(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.path, Location::line(line), message)
    }

    pub(super) fn text(&self, index: usize) -> &str {
        &self.lines[index].text
    }

    pub(super) fn parse(mut self) -> Result<ImportedArticle, Diagnostic> {
        let reading = self.read()?;
        let mut body: Vec<String> = Vec::with_capacity(reading.body.len());
        let mut author_bio = None;
        let mut rights = None;
        for (index, kind) in reading.body.clone().zip(&self.kinds[reading.body.clone()]) {
            let text = self.lines[index].text.to_string();
            match kind {
                LineKind::Body => body.push(text),
                LineKind::Bio => {
                    // A signature block's lines are one bio, joined with a space.
                    let bio: &mut String = author_bio.get_or_insert_with(String::new);
                    if !bio.is_empty() {
                        bio.push(' ');
                    }
                    bio.push_str(&text);
                }
                LineKind::Rights => rights = Some(text),
                _ => {}
            }
        }
        if let Some(bio) = author_bio.take() {
            // `Bio sentence. © Publisher, reprinted by permission.`
            match split_rights(&bio) {
                Some((before, found)) if rights.is_none() && !before.is_empty() => {
                    rights = Some(found.to_string());
                    author_bio = Some(before.to_string());
                }
                _ => author_bio = Some(bio),
            }
        }
        if rights.is_none() && author_bio.is_none() && body.len() > 1 {
            // A trailing rights sentence inside the last paragraph.
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
        }

        let series = series_of(&reading.title, &self.importer.series_prefixes);
        let mut extra = BTreeMap::new();
        if let Some(section) = reading.section {
            extra.insert("section".to_string(), crate::yaml::Value::String(section));
        }
        let front_matter = FrontMatter {
            title: reading.title,
            date: reading.date,
            authors: reading.authors,
            publication: reading.publication,
            standfirst: reading.standfirst,
            image: reading.image,
            tags: reading.tags,
            series,
            author_bio,
            rights,
            related: reading.teasers,
            source: reading.undated.then(|| crate::content::SourceRef::seen_at(None, true)),
            slug: None,
            aliases: Vec::new(),
            draft: false,
            stub: false,
            extra,
        };
        Ok(ImportedArticle {
            front_matter,
            body,
            body_is_markdown: false,
            assets: Vec::new(),
            warnings: reading.warnings,
            title_line: reading.title_line,
        })
    }

    /// Classifies every line, zone by zone, and reads the values.
    pub(super) fn read(&mut self) -> Result<Reading, Diagnostic> {
        if self.lines.is_empty() {
            return Err(self.error(
                1,
                "empty page; expected a saved article (publication, headline, date line, body)",
            ));
        }
        let top = match self.top() {
            Ok(top) => top,
            // Not the seed's shape: the article is looked for in the whole page.
            Err(refusal) => return self.read_whole_page(refusal),
        };
        let title = self.text(top.title_index).to_string();
        if slugify(&title).is_empty() {
            return Err(self.error(
                self.lines[top.title_index].number,
                format!(
                    "the headline `{title}` has no letter or digit to make a file name from; \
                     expected the headline above the date line"
                ),
            ));
        }
        let date_line = &self.lines[top.date_index];
        let parsed = parse_header_date_line(&date_line.text)
            .ok_or_else(|| self.error(date_line.number, "expected a date line"))?;
        let date = parsed.date.map_err(|e| {
            self.error(date_line.number, format!("{e}; expected the article's date"))
        })?;
        if implausible_year(date) {
            return Err(self.error(
                date_line.number,
                format!(
                    "year {} is implausible; expected the article's date (years {} to {})",
                    date.year(),
                    PLAUSIBLE_YEARS.start(),
                    PLAUSIBLE_YEARS.end()
                ),
            ));
        }
        let byline = parsed.byline.map(str::to_string);
        let mut publication = top.publication;
        let mut authors = Vec::new();
        // `A and B`, or `A | Publication`: each part between bars is read alone.
        for part in byline.iter().flat_map(|b| b.split('|')).map(str::trim) {
            if part.is_empty() {
                continue;
            }
            let known = publication.as_deref().or(self.importer.publication.as_deref());
            let is_publication = !is_collective(part)
                && match known {
                    Some(p) => same_text(p, part),
                    None => looks_like_publication(part),
                };
            if is_publication {
                publication.get_or_insert_with(|| part.to_string());
            } else if authors.is_empty() {
                authors = split_authors(part);
            }
        }

        let mut head = Head {
            title: &title,
            date,
            byline: byline.as_deref(),
            authors,
            image: top.image.map(|c| Image {
                src: None,
                caption: c.caption,
                credit: Some(c.credit),
            }),
            standfirst: None,
        };
        let body_start = self.header_extras(top.date_index + 1, &mut head);
        let Head { authors, image, standfirst, .. } = head;
        let n = self.lines.len();
        let marker = (body_start..n).find(|&i| self.is_tail_marker(i));
        let tail_start = match marker {
            Some(at) => at,
            None => teasers::trailing_teasers_start(&self.lines, body_start + 1),
        };
        let tail =
            teasers::read_tail(self.path, &self.lines[tail_start..], &mut self.kinds[tail_start..]);
        // A share bar, comments or a newsletter box before the tail: the
        // page's furniture, dropped.
        let furniture = (body_start + 1..tail_start).find(|&i| is_tail_start(self.text(i)));
        let body_end = match furniture {
            Some(at) => {
                self.kinds[at..tail_start].fill(LineKind::Junk);
                self.tail_of_body(body_start, at, &authors)
            }
            None => self.tail_of_body(body_start, tail_start, &authors),
        };
        if !self.kinds[body_start..body_end].contains(&LineKind::Body) {
            let after = self.lines[body_start.saturating_sub(1).min(n - 1)].number;
            return Err(self
                .error(after, "expected the article's body (paragraphs of text) after this line"));
        }
        Ok(Reading {
            title,
            title_line: self.lines[top.title_index].number,
            date,
            undated: false,
            publication,
            section: top.section,
            authors,
            image,
            standfirst,
            body: body_start..body_end,
            tags: tail.tags,
            teasers: tail.teasers,
            warnings: tail.warnings,
        })
    }

    /// Finds the date line and reads the lines above it: `Skip to content`,
    /// the publication (or a section label), more labels, the headline.
    fn top(&mut self) -> Result<Top, Diagnostic> {
        let n = self.lines.len();
        let mut first = 0;
        if is_skip_link(self.text(0)) && n > 1 {
            self.kinds[0] = LineKind::Junk;
            first = 1;
        }
        let window = n.min(first + HEADER_WINDOW + 1);
        let found = (first + 1..window).find(|&i| parse_header_date_line(self.text(i)).is_some());
        // A date above the date line is a dateline too, not a headline.
        let headline_is_date = |i: usize| parse_header_date_line(self.text(i - 1)).is_some();
        let Some(date_index) = found.filter(|&i| !headline_is_date(i)) else {
            return Err(self.missing_date_line(first));
        };
        let title_index = date_index - 1;
        // The seed's pages open with a publication, a label or a skip link
        // above the headline, and a headline is no menu entry: a page whose
        // first line, or `Subscribe`, stands over a date is read whole.
        let headline = self.text(title_index);
        let words = headline.split(' ').count();
        // `Headline` / `By Ann Lee` / `Oct 28, 2019`: the line over the date
        // signs the article and the headline is higher up, which the
        // whole-page reading finds.
        let signed = super::header::byline_names(headline).is_some();
        if title_index == 0
            || signed
            || (words <= 3 && super::shapes::is_furniture(headline, words))
        {
            return Err(self.missing_date_line(first));
        }
        self.kinds[date_index] = LineKind::DateLine;
        self.kinds[title_index] = LineKind::Title;
        let mut top =
            Top { title_index, date_index, publication: None, section: None, image: None };
        if title_index > first {
            let line = self.text(first);
            let line = strip_date_prefix(line).unwrap_or(line);
            if same_text(line, self.text(title_index)) || line.is_empty() {
                self.kinds[first] = LineKind::Junk;
            } else if is_section_label(line) {
                top.publication = self.importer.publication.clone();
                top.section = Some(line.to_string());
                self.kinds[first] = LineKind::Label;
            } else {
                top.publication = Some(publication_name(line).to_string());
                self.kinds[first] = LineKind::Publication;
            }
            for i in first + 1..title_index {
                // A credited caption above the headline is the lead image's;
                // any other line here is a label.
                match split_credit(self.text(i)) {
                    Some(found) if top.image.is_none() && !is_section_label(self.text(i)) => {
                        top.image = Some(found);
                        self.kinds[i] = LineKind::Caption;
                    }
                    _ => self.kinds[i] = LineKind::Label,
                }
            }
        }
        Ok(top)
    }

    /// The refusal for a page with no date line under its headline.
    fn missing_date_line(&self, first: usize) -> Diagnostic {
        let n = self.lines.len();
        if let Some(at) = self.month_only_line(first) {
            let line = &self.lines[at];
            return self.error(
                line.number,
                format!(
                    "`{}` gives a month but no day; expected a date line like `Jun 28, 2019 | Author`",
                    line.text.split('|').next().unwrap_or_default().trim()
                ),
            );
        }
        let headline = (first + 1).min(n - 1);
        let headline = (headline..n).find(|&i| !is_section_label(self.text(i))).unwrap_or(headline);
        let at = match self.lines.get(headline + 1) {
            Some(line) => line.number,
            None => self.lines[headline].number + 1,
        };
        self.error(
            at,
            format!(
                "expected a date line like `Jun 28, 2019 | Author` below the headline `{}`",
                shorten(self.text(headline))
            ),
        )
    }

    /// A header line giving a month but no day (`June 2016 | Author`).
    pub(super) fn month_only_line(&self, first: usize) -> Option<usize> {
        let window = self.lines.len().min(first + HEADER_WINDOW + 1);
        (first + 1..window).find(|&i| is_month_only(self.text(i)))
    }

    /// Reads the lines between the date line and the body: a doubled
    /// caption (caption and standfirst, credit apart), the title, an author
    /// or the date repeated, a `By …` line, update and release labels, an
    /// image's file name, a lone credited caption, a standfirst. Returns
    /// where the body starts.
    fn header_extras(&mut self, mut next: usize, head: &mut Head<'_>) -> usize {
        let unprefixed_title = without_column_prefix(head.title);
        let n = self.lines.len();
        for _ in 0..HEADER_EXTRAS {
            if next >= n || self.is_tail_marker(next) {
                break;
            }
            let text: &str = &self.lines[next].text;
            let doubled = self.lines.get(next + 1).is_some_and(|l| l.text == text);
            if doubled && head.image.is_none() && head.standfirst.is_none() {
                // The line is the lead image's caption and the standfirst at
                // once; it is kept once, as the standfirst, so a page does not
                // print it twice. Its credit goes to the image.
                match split_credit(text) {
                    Some(found) => {
                        head.standfirst = found.caption;
                        head.image =
                            Some(Image { src: None, caption: None, credit: Some(found.credit) });
                    }
                    None => head.standfirst = Some(text.to_string()),
                }
                self.kinds[next] = LineKind::Caption;
                self.kinds[next + 1] = LineKind::Repeat;
                next += 2;
                continue;
            }
            let unprefixed = strip_prefix_ignore_case(text, "by ").unwrap_or(text).trim();
            let repeated = same_text(text, head.title)
                || unprefixed_title.is_some_and(|t| same_text(text, t))
                || head.byline.is_some_and(|b| same_text(unprefixed, b))
                || head.authors.iter().any(|a| same_text(unprefixed, a))
                || parse_date_line(text)
                    .is_some_and(|d| d.byline.is_none() && d.date.is_ok_and(|d| d == head.date));
            if repeated {
                self.kinds[next] = LineKind::Repeat;
                next += 1;
                continue;
            }
            if is_header_label(text) {
                self.kinds[next] = LineKind::Label;
                next += 1;
                continue;
            }
            if head.authors.is_empty()
                && text.len() > 3
                && strip_prefix_ignore_case(text, "by ").is_some_and(looks_like_names)
                && text.split(' ').count() <= 12
                && !ends_sentence(text)
            {
                head.authors = split_authors(text);
                self.kinds[next] = LineKind::Byline;
                next += 1;
                continue;
            }
            if head.image.is_none() && is_file_name(text) {
                head.image =
                    Some(Image { src: None, caption: Some(text.to_string()), credit: None });
                self.kinds[next] = LineKind::Caption;
                next += 1;
                continue;
            }
            if head.image.is_none() && text.len() < 400 && self.has_body_after(next) {
                if let Some(found) = split_credit(text) {
                    head.image = Some(Image {
                        src: None,
                        caption: found.caption,
                        credit: Some(found.credit),
                    });
                    self.kinds[next] = LineKind::Caption;
                    next += 1;
                    continue;
                }
            }
            if head.standfirst.is_none() && head.image.is_none() && self.is_standfirst(next) {
                head.standfirst = Some(text.to_string());
                self.kinds[next] = LineKind::Standfirst;
                next += 1;
                continue;
            }
            break;
        }
        next
    }

    /// Whether a line after `at` can still be body.
    fn has_body_after(&self, at: usize) -> bool {
        at + 1 < self.lines.len() && !self.is_tail_marker(at + 1)
    }

    /// A standfirst printed once: a phrase of seven or more words that does
    /// not end a sentence, right under the header, with body after it. A
    /// shorter line there is the body's first subheading.
    fn is_standfirst(&self, at: usize) -> bool {
        let text = self.text(at);
        let first = text.chars().next().unwrap_or(' ');
        self.has_body_after(at)
            && text.split(' ').count() >= 7
            && text.chars().count() <= 300
            && (first.is_alphanumeric() || matches!(first, '“' | '‘' | '"' | '\'' | '«'))
            && !ends_sentence(text)
            && !text.ends_with([',', '?'])
            && !is_valediction(text)
    }

    /// `Tags:`, `RELATED ARTICLES`, `RECENT POSTS`, `Print edition`, `SORT BY
    /// TOPICS`: where the body ends.
    pub(super) fn is_tail_marker(&self, at: usize) -> bool {
        let text = self.text(at);
        tags_line(text).is_some()
            || is_sidebar_heading(text)
            || is_print_edition(text)
            || is_navigation_start(text)
    }

    /// Marks the end of the body (`body_start..tail_start`): a standalone
    /// rights line, then the author's bio or a letter's signature block.
    /// Returns where the body's lines end (all of them, bio included).
    fn tail_of_body(&mut self, body_start: usize, tail_start: usize, authors: &[String]) -> usize {
        let mut end = tail_start;
        let paragraphs = |end: usize| end.saturating_sub(body_start);
        if paragraphs(end) >= 2 && is_rights_line(self.text(end - 1)) {
            self.kinds[end - 1] = LineKind::Rights;
            end -= 1;
        }
        if authors.is_empty() || paragraphs(end) < 2 {
            return tail_start;
        }
        let starts_with_author = |text: &str| authors.iter().any(|a| starts_with_name(text, a));
        let last = self.text(end - 1);
        // A signature block: `Name PhD,` ⏎ `Board, Town`, printed without a
        // blank line between, under the letter.
        if paragraphs(end) >= 3 {
            let previous = self.text(end - 2);
            let is_signature = starts_with_author(previous)
                && previous.split(' ').count() <= 8
                && !ends_sentence(previous)
                && self.lines[end - 1].blanks_before == 0
                && last.split(' ').count() <= 12
                && !last.ends_with('.');
            if is_signature {
                self.kinds[end - 2] = LineKind::Bio;
                self.kinds[end - 1] = LineKind::Bio;
                return tail_start;
            }
        }
        if starts_with_author(last) && !is_valediction(last) {
            self.kinds[end - 1] = LineKind::Bio;
        }
        tail_start
    }
}

/// A line shortened for a message.
pub(super) fn shorten(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(80) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}
