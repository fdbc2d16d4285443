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

use super::date_order::{page_order, resolve};
use super::dates::{FoundDate, find_dates};
use super::header::{HEADER_LINES, best_title, byline_near};
use super::parser::{Parser, Reading, SEED_HEADER_LINES};
use super::shapes::{ends_sentence, is_code, is_furniture, is_list_item, is_tail_start};
use super::tail_teasers::read_tail_teasers;
use super::{Line, LineKind, reflow};
use crate::content::slugify;
use crate::error::Diagnostic;
use crate::import::names::title_from_file_name;
use std::ops::Range;

/// The article a whole-page reading found: indices into the page's lines.
pub(super) struct Found {
    /// The headline's line, when a line above the body reads as one.
    pub title: Option<usize>,
    /// The date's line and the date, when the page shows one.
    pub date: Option<(usize, crate::content::PageDate)>,
    pub authors: Vec<String>,
    pub body: std::ops::Range<usize>,
}

/// What one line is, as the whole-page reading weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    /// A paragraph of prose.
    Prose,
    /// A line of text that is not a paragraph: a list item, a wrapped
    /// line, a short sentence, a line of code.
    Text,
    /// A line as long as a headline: the article's, a teaser's, a link's.
    Headline,
    /// A short line: a heading, a menu entry, a label.
    Short,
    /// Page furniture: a notice, a share bar, a count.
    Furniture,
}

/// Reads the article from `lines`: the body, then the header around it;
/// `None` when the page holds no run of prose.
pub(super) fn read_whole_page(lines: &[Line<'_>]) -> Option<Found> {
    let weights: Vec<Weight> = lines.iter().map(|l| weigh(&l.text)).collect();
    let (start, end) = main_run(lines, &weights)?;
    // How many lines of prose come before each line: the tail test counts
    // the prose around a line without a scan of its own.
    let prose_before: Vec<usize> = std::iter::once(0)
        .chain(weights.iter().scan(0, |n, w| {
            *n += usize::from(*w == Weight::Prose);
            Some(*n)
        }))
        .collect();
    let end = (start + 1..end)
        .find(|&i| ends_article(&lines[i].text, &prose_before, i, start..end))
        .unwrap_or(end);
    let every_date: Vec<(usize, FoundDate)> = (0..lines.len())
        .flat_map(|i| find_dates(&lines[i].text).into_iter().map(move |d| (i, d)))
        .collect();
    let order = page_order(lines, &every_date);
    let dates: Vec<(usize, FoundDate)> = every_date
        .iter()
        .filter(|(i, _)| {
            // Prose in the body holds dates of its own; only a dateline
            // opening one of its first paragraphs (`April 17, 2015 -- …`) is
            // the article's.
            let in_body = weights[*i] == Weight::Prose && (start..end).contains(i);
            let line_first = || &every_date[every_date.partition_point(|(j, _)| j < i)].1;
            !in_body || (*i < start + 3 && line_first().start == 0)
        })
        .filter_map(|(i, found)| {
            // A date either order reads stands for the page's order, and for
            // nothing when the page does not tell.
            let date = resolve(found, order, &every_date)?;
            Some((*i, FoundDate { date, ..*found }))
        })
        .collect();
    let title = best_title(lines, start, &dates);
    let anchor = title.unwrap_or(start);
    let date = nearest(&dates, anchor).map(|at| (at, pick_date(&dates, at)));
    let authors = byline_near(lines, anchor, start, date.map(|(at, _)| at));
    Some(Found { title, date, authors, body: start..end })
}

/// A page that is all body: a paragraph, or a few lines of text, with no
/// run of prose and nothing on it that heads, dates or frames an article
/// (no line that could head it, no date, notice, tail or
/// code), as a note or a fragment saved alone is. Every line is kept; a
/// page of fewer than three words is no article.
fn all_body(lines: &[Line<'_>]) -> Option<Found> {
    let words: usize = lines.iter().map(|l| l.text.split(' ').count()).sum();
    if words < 3 {
        return None;
    }
    let numbered = numbered_headings(lines);
    // A capitalised line that is no sentence: a headline, a publication's
    // name, a label.
    let heads = |i: usize, text: &str| {
        !text.starts_with(char::is_lowercase)
            && !ends_sentence(text)
            && !text.ends_with('?')
            && !has_sentence_inside(text)
            && !numbered[i]
    };
    let frames = |i: usize| {
        let text: &str = &lines[i].text;
        is_furniture(text, text.split(' ').count())
            || is_tail_start(text)
            || is_code(text)
            || !find_dates(text).is_empty()
            || heads(i, text)
    };
    if (0..lines.len()).any(frames) {
        return None;
    }
    Some(Found { title: None, date: None, authors: Vec::new(), body: 0..lines.len() })
}

/// `… so far. Deep fake phishing …`: a sentence ends inside the line (a
/// lowercase word of three letters or more, then `.`, `!` or `?` and a
/// capital), so it is prose, not a headline.
fn has_sentence_inside(text: &str) -> bool {
    text.split(' ').collect::<Vec<_>>().windows(2).any(|pair| {
        let word = pair[0].trim_end_matches(['.', '!', '?']);
        pair[0].len() > word.len()
            && word.chars().count() >= 3
            && word.chars().all(char::is_lowercase)
            && pair[1].starts_with(char::is_uppercase)
    })
}

/// Which lines are numbered headings of a series: `Step 1`, `Step 2`;
/// `Test Case 1`, `Test Case 2` (up to three words and a number of up to
/// three digits, another line alike but for its number).
fn numbered_headings(lines: &[Line<'_>]) -> Vec<bool> {
    let series = |text: &str| -> Option<String> {
        let (words, number) = text.rsplit_once(' ')?;
        let numeric = (1..=3).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
        (numeric && words.split(' ').count() <= 3 && words.chars().any(char::is_alphabetic))
            .then(|| words.to_lowercase())
    };
    let names: Vec<Option<String>> =
        lines.iter().map(|l| if l.text.len() <= 40 { series(&l.text) } else { None }).collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for name in names.iter().flatten() {
        *counts.entry(name).or_default() += 1;
    }
    names.iter().map(|name| name.as_deref().is_some_and(|n| counts[n] >= 2)).collect()
}

/// Where the page's tail begins (related, comments, share bars): the
/// comments or the author's box always; a `Read more` link never, sites set
/// one inside the article before a teaser of another; a related box, a
/// share bar or a newsletter box only when the article's paragraphs do not
/// resume right after it, or less of the run's prose follows it than comes
/// before (such boxes stand inside articles too).
fn ends_article(text: &str, prose_before: &[usize], at: usize, run: Range<usize>) -> bool {
    if !is_tail_start(text) {
        return false;
    }
    let lower = text.to_lowercase();
    if lower.starts_with("read more") {
        return false;
    }
    let always = [
        "comment",
        "reply",
        "about the author",
        "tags",
        "filed under",
        "print edition",
        "sort by topics",
    ];
    if always.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // The article's paragraphs resume right after an inline box: two in a
    // row within a dozen lines.
    let resumes = (at + 1..(at + 13).min(run.end.saturating_sub(1))).any(|i| {
        prose_before[i + 1] - prose_before[i] == 1 && prose_before[i + 2] - prose_before[i + 1] == 1
    });
    !resumes
        || 2 * (prose_before[run.end] - prose_before[at])
            < prose_before[at] - prose_before[run.start]
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
    let cjk = wide * 2 > chars;
    let prose = if cjk { chars >= 30 } else { words >= 10 && chars >= 60 && sentence() };
    // A dateline with a byline and a place is long, and still a header line.
    let dateline = || words <= 30 && !find_dates(text).is_empty();
    if prose && !dateline() {
        Weight::Prose
    } else if is_text(text, chars, words, cjk) {
        Weight::Text
    } else if (cjk && chars >= 12) || (words >= 7 && chars >= 40) {
        Weight::Headline
    } else {
        Weight::Short
    }
}

/// A line of an article's text that is not a paragraph of prose: a list
/// item or wrapped line as long as a sentence, a short sentence, code.
fn is_text(text: &str, chars: usize, words: usize, cjk: bool) -> bool {
    if cjk {
        return chars >= 40;
    }
    is_code(text)
        || is_table_row(text)
        || is_list_item(text)
        || words >= 15
        || chars >= 100
        || is_short_sentence(text, words)
}

/// `12 │ 2.4873951240050256`, `───┼───`: a row of a table drawn with
/// box-drawing characters (a query's result, a terminal's output).
fn is_table_row(text: &str) -> bool {
    text.contains(|c: char| ('\u{2500}'..='\u{257f}').contains(&c))
}

/// `Insert the plant into the hole.`: a sentence too short for a paragraph
/// of prose, as steps and captions are.
fn is_short_sentence(text: &str, words: usize) -> bool {
    words >= 3 && ends_sentence(text)
}

/// The score a line adds to a run: prose by its length, other text
/// nothing, anything else a small cost, so a menu of forty entries or a
/// list of links parts two runs of prose and a subheading does not.
fn score(text: &str, weight: Weight) -> i64 {
    match weight {
        Weight::Prose => 2 + i64::try_from(text.len().min(2000) / 60).unwrap_or(0),
        // A short sentence adds a little: steps of a how-to, captions.
        Weight::Text if is_short_sentence(text, text.split(' ').count()) => 1,
        Weight::Text => 0,
        Weight::Headline => -1,
        Weight::Short => -2,
        Weight::Furniture => -4,
    }
}

/// `Table of Contents`, `Contents`, `On this page`, `In this article`.
fn is_contents_heading(text: &str) -> bool {
    ["table of contents", "contents", "on this page", "in this article"]
        .iter()
        .any(|h| text.eq_ignore_ascii_case(h))
}

/// The run of lines with the greatest summed score (Kadane's scan: one
/// pass), as `start..end` indices; `None` when no line is prose.
fn main_run(lines: &[Line<'_>], weights: &[Weight]) -> Option<(usize, usize)> {
    let (mut best, mut best_range) = (0i64, None);
    let (mut sum, mut run_start) = (0i64, 0);
    // The entries of an article's table of contents cost nothing: they
    // stand between its first paragraphs and the rest.
    let mut in_contents = false;
    let mut previous_in_block = false;
    // `Step 1`, `Step 2`: the headings of a how-to's steps cost nothing.
    let numbered = numbered_headings(lines);
    // The items of a list a line ending in `:` introduces (`What you'll
    // need:`) cost nothing, as a list printed without marks.
    let mut in_list = false;
    // Where the list the line belongs to began: a list leading into the
    // prose (a changelog's items, then its notes) opens the run.
    let mut list_start = None;
    for (i, (line, &weight)) in lines.iter().zip(weights).enumerate() {
        if sum <= 0 {
            sum = 0;
            run_start = list_start.unwrap_or(i);
        }
        let listed = weight == Weight::Text && is_list_item(&line.text);
        list_start = if listed { list_start.or(Some(i)) } else { None };
        if is_contents_heading(&line.text) {
            in_contents = true;
        } else if weight == Weight::Prose {
            in_contents = false;
        }
        let entry = in_contents && matches!(weight, Weight::Short | Weight::Headline);
        // A short line inside a block of code or a table (`FROM`, `)`,
        // `5 │ f`) costs nothing, as the block's other lines.
        let in_block = weight == Weight::Short && previous_in_block;
        previous_in_block = (weight == Weight::Text && is_code(&line.text)) || in_block;
        let item = in_list && matches!(weight, Weight::Short | Weight::Headline);
        in_list = (item || line.text.ends_with(':'))
            && weight != Weight::Prose
            && weight != Weight::Furniture;
        sum += if entry || in_block || item || numbered[i] { 0 } else { score(&line.text, weight) };
        // A paragraph that keeps the best run's sum extends it.
        let extends = sum == best && best_range.is_some_and(|(from, _)| from == run_start);
        if (sum > best || extends) && weight == Weight::Prose {
            best = sum;
            best_range = Some((run_start, i + 1));
        }
    }
    let (mut start, mut end) = best_range?;
    // A list after the last paragraph still belongs to it.
    while end < lines.len() && weights[end] == Weight::Text && is_list_item(&lines[end].text) {
        end += 1;
    }
    // The body opens with a paragraph or a list, not with the header's
    // lines that cost nothing.
    while weights[start] != Weight::Prose && !is_list_item(&lines[start].text) {
        start += 1;
    }
    Some((start, end))
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

impl Parser<'_, '_> {
    /// The whole-page reading of a page the seed's reading refused
    /// (`refusal`): its article, or the refusal naming what is missing.
    pub(super) fn read_whole_page(&mut self, refusal: Diagnostic) -> Result<Reading, Diagnostic> {
        // A page in the seed's family keeps the seed's refusal: its shape
        // promises a headline over a date line, so a missing one is a
        // mistake, not a page of another shape.
        let month_only = self.month_only_line(0).is_some();
        let seed_tail = self.has_seed_tail();
        if let Some(joined) = reflow::join_wrapped_lines(&self.lines) {
            self.kinds = vec![LineKind::Body; joined.len()];
            self.lines = joined;
        }
        let found = read_whole_page(&self.lines)
            .or_else(|| if month_only || seed_tail { None } else { all_body(&self.lines) });
        let Some(found) = found else { return Err(refusal) };
        // The seed's tail (`Tags:`, `More stories`) under an article that
        // opens the page as the seed's do; under one past a page of
        // navigation it is another site's sidebar.
        let seed_shaped = month_only || (seed_tail && found.body.start <= SEED_HEADER_LINES);
        let title = found.title.or_else(|| self.fallback_title(found.body.start));
        let mut warnings = Vec::new();
        let (date, undated) = match found.date {
            Some((_, date)) => (date, false),
            None if seed_shaped => return Err(refusal),
            None => {
                let line = self.lines[title.unwrap_or(found.body.start)].number;
                let saved = crate::import::modified_on(self.path).ok_or_else(|| {
                    self.error(
                        line,
                        "no date anywhere in the page and no time of saving; expected the \
                         article's date (like `Jun 28, 2019`) near its headline",
                    )
                })?;
                warnings.push(self.error(
                    line,
                    format!(
                        "no publication date on the page; dated by when it was saved ({saved}): \
                         set date: by hand"
                    ),
                ));
                (crate::content::PageDate::from_date(saved), true)
            }
        };
        self.kinds.fill(LineKind::Junk);
        for i in found.body.clone() {
            if weigh(self.text(i)) != Weight::Furniture {
                self.kinds[i] = LineKind::Body;
            }
        }
        if let Some((at, _)) = found.date {
            self.kinds[at] = LineKind::DateLine;
        }
        let (title_text, title_line) = match title {
            Some(at) => {
                self.kinds[at] = LineKind::Title;
                (self.text(at).to_string(), self.lines[at].number)
            }
            // No line reads as a headline: the file's name names the
            // article, as the HTML importer does (the body's first words
            // when the name gives none).
            None => {
                let first = &self.lines[found.body.start];
                let named = title_from_file_name(
                    self.path,
                    crate::import::Importer::extensions(self.importer),
                );
                if named.is_some() {
                    warnings.push(self.error(
                        first.number,
                        "no title on the page; titled after the file name: set title: by hand",
                    ));
                }
                (named.unwrap_or_else(|| opening_words(&first.text)), first.number)
            }
        };
        let teasers = read_tail_teasers(&self.lines, found.body.end, &title_text, &mut self.kinds);
        Ok(Reading {
            title: title_text,
            title_line,
            date,
            undated,
            publication: None,
            section: None,
            authors: found.authors,
            image: None,
            standfirst: None,
            body: found.body,
            tags: Vec::new(),
            teasers,
            warnings,
        })
    }

    /// The line nearest above the body that could name the article (a short
    /// line with letters, not furniture), when no headline-shaped line is
    /// there.
    fn fallback_title(&self, start: usize) -> Option<usize> {
        (start.saturating_sub(3)..start).rev().find(|&i| {
            let text = self.text(i);
            !slugify(text).is_empty()
                && text.chars().count() <= 250
                && matches!(weigh(text), Weight::Short | Weight::Headline)
                && !is_furniture(text, text.split(' ').count())
        })
    }

    /// Whether the page ends the way the seed's pages do (`Tags:`, `Print
    /// edition`, a sidebar heading, `SORT BY TOPICS`).
    fn has_seed_tail(&self) -> bool {
        (0..self.lines.len()).any(|i| self.is_tail_marker(i))
    }
}

/// The first words of a paragraph, as a title: up to the end of its first
/// sentence, at most twelve words.
fn opening_words(text: &str) -> String {
    let sentence = text.split_inclusive(['.', '!', '?', '。']).next().unwrap_or(text);
    let words: Vec<&str> = sentence.split(' ').take(12).collect();
    words.join(" ").trim_end_matches(['.', ',', ';', ':']).to_string()
}
