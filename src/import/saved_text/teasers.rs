//! The page's tail after the body: the tags line, the sidebar's headings and
//! its teasers of other articles, and the site navigation that may follow.
//!
//! Each teaser is caption / title / date line (`May 31, 2024 | byline`); the
//! next caption may follow a date line with no blank line between. A date
//! line closes a teaser; with no date lines, captions and titles simply
//! alternate. A problem inside a teaser (a day that does not exist, a year
//! no page carries, a byline that is not one) costs that teaser the field,
//! never the article: it becomes a warning naming the line.

use super::shapes::{
    is_file_name, is_navigation_start, is_print_edition, is_section_label, is_sidebar_heading,
    tags_line,
};
use super::{Line, LineKind, implausible_year, parse_date_line, split_credit};
use crate::content::{PageDate, Teaser};
use crate::error::{Diagnostic, Location};
use std::path::Path;

/// A byline longer than this is a paragraph that lost its way, not a byline.
const MAX_BYLINE: usize = 200;

/// What the tail of a page holds.
#[derive(Debug, Default)]
pub(crate) struct Tail {
    pub tags: Vec<String>,
    pub teasers: Vec<Teaser>,
    pub warnings: Vec<Diagnostic>,
}

/// Reads the tail `lines` (everything after the body), marking each line's
/// kind in `kinds` (aligned with `lines`).
pub(crate) fn read_tail(path: &Path, lines: &[Line<'_>], kinds: &mut [LineKind]) -> Tail {
    let mut tail = Tail::default();
    let mut tags_seen = false;
    let mut pending: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let text: &str = &line.text;
        if is_navigation_start(text) {
            kinds[i..].fill(LineKind::Junk);
            break;
        }
        if !tags_seen {
            if let Some(tags) = tags_line(text) {
                tags_seen = true;
                tail.tags = tags;
                kinds[i] = LineKind::TailMarker;
                continue;
            }
        }
        if is_sidebar_heading(text)
            || is_print_edition(text)
            || (is_section_label(text) && split_credit(text).is_none())
        {
            kinds[i] = LineKind::TailMarker;
            continue;
        }
        let closing = if let Some(byline) = text.strip_prefix('|') {
            // `| Culture, Media`: a byline whose teaser showed no date.
            Some(Closing {
                date: None,
                byline: checked_byline(path, line, byline.trim(), &mut tail),
            })
        } else if let Some(date_line) = parse_date_line(text) {
            let date = match date_line.date {
                Ok(date) if implausible_year(date) => {
                    tail.warnings.push(warning(
                        path,
                        line,
                        format!("year {} is implausible in a teaser's date", date.year()),
                    ));
                    None
                }
                Ok(date) => Some(date),
                Err(e) => {
                    tail.warnings.push(warning(path, line, format!("{e} in a teaser")));
                    None
                }
            };
            let byline = date_line.byline.and_then(|b| checked_byline(path, line, b, &mut tail));
            Some(Closing { date, byline })
        } else {
            None
        };
        match closing {
            Some(closing) => {
                kinds[i] = LineKind::TeaserDate;
                close_segment(lines, &pending, Some(closing), kinds, &mut tail.teasers);
                pending.clear();
            }
            None => pending.push(i),
        }
    }
    close_segment(lines, &pending, None, kinds, &mut tail.teasers);
    tail
}

fn warning(path: &Path, line: &Line<'_>, message: String) -> Diagnostic {
    Diagnostic::at(
        path,
        Location::line(line.number),
        format!("{message}; the teaser keeps no date"),
    )
}

/// The byline after a teaser's bar, unless it is too long to be one.
fn checked_byline(path: &Path, line: &Line<'_>, byline: &str, tail: &mut Tail) -> Option<String> {
    if byline.is_empty() {
        return None;
    }
    if byline.chars().count() > MAX_BYLINE {
        tail.warnings.push(Diagnostic::at(
            path,
            Location::line(line.number),
            format!(
                "a teaser's byline of {} characters is not a byline; the teaser keeps none",
                byline.chars().count()
            ),
        ));
        return None;
    }
    Some(byline.to_string())
}

/// What closed a teaser: its date (if shown and real) and byline.
struct Closing {
    date: Option<PageDate>,
    byline: Option<String>,
}

/// Turns the lines before one date line (or the undated rest) into teasers:
/// the last line is the dated teaser's title, the one before its caption,
/// and any earlier lines are undated teasers.
fn close_segment(
    lines: &[Line<'_>],
    pending: &[usize],
    closing: Option<Closing>,
    kinds: &mut [LineKind],
    teasers: &mut Vec<Teaser>,
) {
    let Some(closing) = closing else {
        pair_undated(lines, pending, kinds, teasers);
        return;
    };
    let Some((&title, before)) = pending.split_last() else { return };
    let (caption, undated) = match before.split_last() {
        Some((&caption, undated)) => (Some(caption), undated),
        None => (None, before),
    };
    pair_undated(lines, undated, kinds, teasers);
    let mut teaser = teaser(lines, caption, title, kinds);
    teaser.date = closing.date;
    teaser.byline = closing.byline;
    teasers.push(teaser);
}

/// Undated teasers: caption and title alternate. When a credited caption
/// sits where a title would, the credits decide instead: a caption-like
/// line opens a teaser, any other line is a title on its own.
fn pair_undated(
    lines: &[Line<'_>],
    run: &[usize],
    kinds: &mut [LineKind],
    teasers: &mut Vec<Teaser>,
) {
    let credited = |i: usize| split_credit(&lines[i].text).is_some();
    let caption_like = |i: usize| credited(i) || is_file_name(&lines[i].text);
    let positional = run.len() % 2 == 0 && run.iter().skip(1).step_by(2).all(|&i| !credited(i));
    let mut k = 0;
    while k < run.len() {
        if k + 1 < run.len() && (positional || caption_like(run[k])) {
            teasers.push(teaser(lines, Some(run[k]), run[k + 1], kinds));
            k += 2;
        } else {
            teasers.push(teaser(lines, None, run[k], kinds));
            k += 1;
        }
    }
}

fn teaser(
    lines: &[Line<'_>],
    caption: Option<usize>,
    title: usize,
    kinds: &mut [LineKind],
) -> Teaser {
    kinds[title] = LineKind::TeaserTitle;
    let (caption, credit) = match caption {
        Some(at) => {
            kinds[at] = LineKind::TeaserCaption;
            let text = &lines[at].text;
            match split_credit(text) {
                Some(found) => (found.caption, Some(found.credit)),
                None => (Some(text.to_string()), None),
            }
        }
        None => (None, None),
    };
    Teaser {
        title: lines[title].text.to_string(),
        url: None,
        date: None,
        byline: None,
        caption,
        credit,
    }
}

/// Without a tags line or sidebar heading, teasers are recognised only by
/// their date lines at the very end of the page (`title` / `date | byline`,
/// with an optional credited caption above). Returns where they start
/// (`lines.len()` if none), never before `min_start`.
pub(crate) fn trailing_teasers_start(lines: &[Line<'_>], min_start: usize) -> usize {
    let mut start = lines.len();
    while let Some(last) = start.checked_sub(1).map(|i| &lines[i]) {
        if start < 2 + min_start {
            break;
        }
        // A bare date (no `| byline`) closes a teaser only under a credited
        // caption and a title, so a letter dated at its foot stays in the body.
        let captioned = start >= 3 + min_start && split_credit(&lines[start - 3].text).is_some();
        let dated = parse_date_line(&last.text)
            .is_some_and(|d| d.date.is_ok() && (d.byline.is_some() || captioned));
        if !dated {
            break;
        }
        let mut group_start = start - 2;
        if group_start > min_start && split_credit(&lines[group_start - 1].text).is_some() {
            group_start -= 1;
        }
        start = group_start;
    }
    start
}
