//! The whole-page reading: the article inside the text of a page saved from
//! any site, read when the page does not open in the seed's shape
//! (publication, headline, date line within the first lines).
//!
//! It generalises the classifier's zones. The body zone is the page's main
//! run of prose: every line is weighed (prose for, menus, link lists, notices
//! and counts against) and the run of greatest weight is the body, cut where
//! the tail begins (share bars, related, comments, newsletter, footer). The
//! header zone is the lines above it: the headline, the date and the byline,
//! in any order. The date is the one nearest the headline (a revision date
//! only when no other is there). A page with no run of prose or no date is
//! refused, naming what is missing.

use super::byline::{split_authors, strip_prefix_ignore_case};
use super::dates::{FoundDate, find_dates};
use super::parser::{Parser, Reading, shorten};
use super::shapes::{ends_sentence, is_tail_start};
use super::{Line, LineKind, split_credit};
use crate::content::slugify;
use crate::error::Diagnostic;

/// How many lines above the body the header (headline, date, byline) may
/// start.
const HEADER_LINES: usize = 30;

/// How many lines around the date line the headline may stand.
const TITLE_REACH: usize = 6;

/// What a whole-page reading found, or what it is missing.
pub(super) enum WholePage {
    Read(Found),
    /// A run of prose, but no date anywhere near it; the headline's index.
    NoDate {
        title: Option<usize>,
    },
    /// No run of prose at all.
    NoArticle,
}

/// The article a whole-page reading found: indices into the page's lines.
pub(super) struct Found {
    pub title: usize,
    pub date_index: usize,
    pub date: crate::content::PageDate,
    pub authors: Vec<String>,
    pub body: std::ops::Range<usize>,
}

/// What one line is, as the whole-page reading weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    /// A paragraph of prose.
    Prose,
    /// A short line: a heading, a list item, a menu entry.
    Short,
    /// Page furniture: a notice, a share bar, a count.
    Furniture,
}

/// Reads the article from `lines`: the body, then the header around it.
pub(super) fn read_whole_page(lines: &[Line<'_>]) -> WholePage {
    let weights: Vec<Weight> = lines.iter().map(|l| weigh(&l.text)).collect();
    let Some((start, end)) = main_run(lines, &weights) else {
        return WholePage::NoArticle;
    };
    let end = (start + 1..end).find(|&i| is_tail_start(&lines[i].text)).unwrap_or(end);
    let dates: Vec<(usize, FoundDate)> = (0..lines.len())
        .flat_map(|i| {
            let found = find_dates(&lines[i].text);
            // Prose in the body holds dates of its own; only a dateline
            // opening one of its first paragraphs (`April 17, 2015 -- …`) is
            // the article's.
            let in_body = weights[i] == Weight::Prose && (start..end).contains(&i);
            let opening = i < start + 3 && found.first().is_some_and(|d| d.start == 0);
            let keep = !in_body || opening;
            found.into_iter().take(if keep { usize::MAX } else { 0 }).map(move |d| (i, d))
        })
        .collect();
    let title = best_title(lines, start, &dates);
    let anchor = title.unwrap_or(start);
    let Some(date_index) = nearest(&dates, anchor) else {
        return WholePage::NoDate { title };
    };
    let Some(title) = title else {
        return WholePage::NoArticle;
    };
    let date = pick_date(&dates, date_index);
    let authors = byline_near(lines, title, start, date_index);
    WholePage::Read(Found { title, date_index, date, authors, body: start..end })
}

/// Weighs one line.
pub(super) fn weigh(text: &str) -> Weight {
    let chars = text.chars().count();
    let wide = text.chars().filter(|&c| c >= '\u{2e80}').count();
    let words = text.split(' ').count();
    if is_furniture(text, words) {
        return Weight::Furniture;
    }
    // A headline is as long as a short paragraph but ends no sentence.
    let sentence = || words >= 25 || ends_sentence(text) || text.ends_with(['?', '»', '。', '”']);
    let prose =
        if wide * 2 > chars { chars >= 30 } else { words >= 10 && chars >= 60 && sentence() };
    // A dateline with a byline and a place is long, and still a header line.
    let dateline = || words <= 30 && !find_dates(text).is_empty();
    if prose && !dateline() { Weight::Prose } else { Weight::Short }
}

/// The score a line adds to a run: prose by its length, anything else a
/// small cost, so a menu of forty entries parts two runs of prose and a
/// subheading does not.
fn score(text: &str, weight: Weight) -> i64 {
    match weight {
        Weight::Prose => 2 + i64::try_from(text.len().min(2000) / 60).unwrap_or(0),
        Weight::Short => -2,
        Weight::Furniture => -4,
    }
}

/// The run of lines with the greatest summed score (Kadane's scan: one
/// pass), as `start..end` indices; `None` when no line is prose.
fn main_run(lines: &[Line<'_>], weights: &[Weight]) -> Option<(usize, usize)> {
    let (mut best, mut best_range) = (0i64, None);
    let (mut sum, mut run_start) = (0i64, 0);
    for (i, (line, &weight)) in lines.iter().zip(weights).enumerate() {
        if sum <= 0 {
            sum = 0;
            run_start = i;
        }
        sum += score(&line.text, weight);
        if sum > best && weight == Weight::Prose {
            best = sum;
            best_range = Some((run_start, i + 1));
        }
    }
    let (mut start, end) = best_range?;
    while weights[start] != Weight::Prose {
        start += 1;
    }
    Some((start, end))
}

/// Notices, share bars and counts: lines no article's text is made of.
fn is_furniture(text: &str, words: usize) -> bool {
    if words > 40 {
        return false;
    }
    let lower = text.to_lowercase();
    const NOTICES: [&str; 10] = [
        "cookie",
        "privacy policy",
        "terms of use",
        "terms of service",
        "subscribe",
        "sign in",
        "log in",
        "newsletter",
        "javascript",
        "advertisement",
    ];
    if NOTICES.iter().any(|n| lower.contains(n)) {
        return true;
    }
    const BARS: [&str; 6] =
        ["continue reading", "skip to", "share this", "read more", "search", "menu"];
    if words <= 8 && BARS.iter().any(|n| lower.contains(n)) {
        return true;
    }
    words <= 4
        && matches!(
            lower.trim_end_matches([':', '.']),
            "share"
                | "tweet"
                | "email"
                | "e-mail"
                | "print"
                | "save"
                | "more"
                | "menu"
                | "search"
                | "close"
                | "home"
                | "facebook"
                | "twitter"
                | "linkedin"
                | "whatsapp"
                | "reddit"
                | "pinterest"
                | "comments"
                | "loading..."
                | "loading"
                | "photo"
                | "video"
                | "continue reading the main story"
        )
}

/// The index of the line holding the date nearest `anchor` (earlier first
/// on a tie); a revision date only when no publication date is as near as
/// [`HEADER_LINES`] lines.
fn nearest(dates: &[(usize, FoundDate)], anchor: usize) -> Option<usize> {
    let distance = |i: usize| (i.abs_diff(anchor), i > anchor);
    let published = dates
        .iter()
        .filter(|(_, d)| !d.updated)
        .map(|(i, _)| *i)
        .min_by_key(|&i| distance(i))
        .filter(|&i| i.abs_diff(anchor) <= HEADER_LINES);
    published.or_else(|| dates.iter().map(|(i, _)| *i).min_by_key(|&i| distance(i)))
}

/// The date on line `at`: its first date that is not a revision's.
fn pick_date(dates: &[(usize, FoundDate)], at: usize) -> crate::content::PageDate {
    let on_line = || dates.iter().filter(move |(i, _)| *i == at).map(|(_, d)| d);
    let found = on_line().find(|d| !d.updated).or_else(|| on_line().next());
    // `at` came from `dates`, so the line has a date.
    found.map_or_else(|| dates[0].1.date, |d| d.date)
}

/// Whether a line can be a headline.
fn is_headline(text: &str) -> bool {
    let chars = text.chars().count();
    let words = text.split(' ').count();
    let wide = text.chars().filter(|&c| c >= '\u{2e80}').count();
    let long_enough = words >= 3 || (wide >= 4 && wide * 2 > chars);
    long_enough
        && chars <= 250
        && words <= 30
        && !text.ends_with(['.', ',', ':', ';'])
        && !slugify(text).is_empty()
        && find_dates(text).is_empty()
        && byline_names(text).is_none()
        && !is_credit_line(text)
        && !is_furniture(text, words)
        && !is_tail_start(text)
}

/// The headline: of the headline-shaped lines above the body, the one
/// that reads most like the article's (a date or a byline right by it, a
/// headline's length, near the body).
fn best_title(lines: &[Line<'_>], start: usize, dates: &[(usize, FoundDate)]) -> Option<usize> {
    let low = start.saturating_sub(HEADER_LINES);
    let has_date = |i: usize| dates.iter().any(|(at, _)| *at == i);
    let near = |i: usize, test: &dyn Fn(usize) -> bool| {
        (i.saturating_sub(TITLE_REACH / 2)..(i + TITLE_REACH / 2 + 1).min(lines.len()))
            .any(|j| j != i && test(j))
    };
    (low..start).filter(|&i| is_headline(&lines[i].text)).max_by_key(|&i| {
        let text: &str = &lines[i].text;
        let words = i64::try_from(text.split(' ').count().min(15)).unwrap_or(0);
        let mut score = 2 * words - i64::try_from(start - i).unwrap_or(0);
        if near(i, &has_date) {
            score += 16;
        }
        if (i + 1..(i + TITLE_REACH / 2 + 1).min(lines.len())).any(has_date) {
            // The usual order: the headline, then its dateline.
            score += 4;
        }
        if near(i, &|j| byline_names(&lines[j].text).is_some()) {
            score += 8;
        }
        if split_credit(text).is_some() || text.contains('/') {
            score -= 10;
        }
        (score, i)
    })
}

/// The authors of a `By …` line near the headline, or of the date line's
/// words besides the date (`Dan Goodin - Apr 16, 2015`).
fn byline_near(lines: &[Line<'_>], title: usize, start: usize, date: usize) -> Vec<String> {
    let from = title.min(date).saturating_sub(2);
    let to = start.max(date + 1).min(lines.len()).min(title.max(date) + TITLE_REACH);
    if let Some(names) = (from..to).find_map(|i| byline_names(&lines[i].text)) {
        return split_authors(names);
    }
    let text: &str = &lines[date].text;
    let found = find_dates(text);
    let Some(first) = found.first() else { return Vec::new() };
    let rest = text[..first.start].trim_end_matches([' ', '-', '|', '—', '–', '·', '•', ',']);
    let rest = rest.trim();
    // Two to six capitalised words: a name, not a weekday or a place.
    let names_only = (2..=6).contains(&rest.split(' ').count())
        && rest.split(' ').all(|w| w.chars().next().is_some_and(char::is_uppercase));
    if names_only { split_authors(rest) } else { Vec::new() }
}

/// `By Sarah E. Needleman` (`Par`, `Von`, `Por`, `Di`, `Door` too) → the
/// names; `None` for any other line.
fn byline_names(text: &str) -> Option<&str> {
    let rest = ["by ", "par ", "von ", "por ", "di ", "door ", "posted by ", "written by "]
        .iter()
        .find_map(|p| strip_prefix_ignore_case(text, p))?
        .trim();
    let rest = match find_dates(rest).first() {
        Some(date) => rest[..date.start].trim_end_matches([' ', ',', '|', '-', '—']),
        None => rest,
    };
    // `By Ana Lima, Senior Writer, Politics Desk`: the name before the roles.
    let rest = match rest.split_once(", ") {
        Some((name, _)) if rest.split(' ').count() > 8 => name,
        _ => rest,
    };
    let words: Vec<&str> = rest.split(' ').filter(|w| !w.is_empty()).collect();
    let names = !words.is_empty()
        && words.len() <= 8
        && !rest.ends_with(['.', '!', '?'])
        && words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count() * 2
            > words.len();
    names.then_some(rest)
}

impl Parser<'_, '_> {
    /// The whole-page reading of a page the seed's reading refused
    /// (`refusal`): its article, or the refusal naming what is missing.
    pub(super) fn read_whole_page(&mut self, refusal: Diagnostic) -> Result<Reading, Diagnostic> {
        let found = match read_whole_page(&self.lines) {
            WholePage::Read(found) => found,
            WholePage::NoDate { title: Some(title) } if self.month_only_line(0).is_none() => {
                return Err(self.error(
                    self.lines[title].number,
                    format!(
                        "no date anywhere in the page; expected the article's date \
                         (like `Jun 28, 2019`) near its headline `{}`",
                        shorten(self.text(title))
                    ),
                ));
            }
            WholePage::NoDate { .. } | WholePage::NoArticle => return Err(refusal),
        };
        self.kinds.fill(LineKind::Junk);
        for i in found.body.clone() {
            if weigh(self.text(i)) != Weight::Furniture {
                self.kinds[i] = LineKind::Body;
            }
        }
        self.kinds[found.title] = LineKind::Title;
        self.kinds[found.date_index] = LineKind::DateLine;
        Ok(Reading {
            title: self.text(found.title).to_string(),
            title_line: self.lines[found.title].number,
            date: found.date,
            publication: None,
            section: None,
            authors: found.authors,
            image: None,
            standfirst: None,
            body: found.body,
            tags: Vec::new(),
            teasers: Vec::new(),
            warnings: Vec::new(),
        })
    }
}

/// `Reviewed by …`, `Photo by …`, `Edited by …`: a credit, not a headline.
fn is_credit_line(text: &str) -> bool {
    text.split_once(' ').is_some_and(|(first, rest)| {
        first.chars().all(char::is_alphabetic)
            && strip_prefix_ignore_case(rest, "by ").is_some()
            && rest.split(' ').count() <= 10
    })
}
