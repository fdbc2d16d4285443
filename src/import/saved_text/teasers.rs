//! Teasers: the page's sidebar of other articles, after the tags line.
//!
//! Each teaser is `caption (Image: credit)` / title / `May 31, 2024 | byline`,
//! any part but the title optional; a caption may follow the previous
//! teaser's date line with no blank line between. A date line closes a
//! teaser; a line with a credit opens one.

use super::{Line, is_section_label, parse_date_line, split_credit};
use crate::content::Teaser;
use crate::error::{Diagnostic, Location};
use std::path::Path;

/// Reads the teasers in `lines` (everything after the tags line).
pub(crate) fn parse_teasers(path: &Path, lines: &[Line<'_>]) -> Result<Vec<Teaser>, Diagnostic> {
    let mut teasers = Vec::new();
    let mut pending: Vec<&Line<'_>> = Vec::new();
    for line in lines {
        let dated = if let Some(byline) = line.text.strip_prefix('|') {
            // `| Culture, Media`: a byline whose teaser showed no date.
            Some((None, Some(byline.trim().to_string()).filter(|b| !b.is_empty())))
        } else if let Some(date_line) = parse_date_line(&line.text) {
            let date = date_line.date.map_err(|e| {
                Diagnostic::at(path, Location::line(line.number), format!("{e} in a teaser"))
            })?;
            Some((Some(date), date_line.byline.map(str::to_string)))
        } else {
            None
        };
        if dated.is_some() {
            close_segment(&pending, dated, &mut teasers);
            pending.clear();
        } else if is_section_label(&line.text) && split_credit(&line.text).is_none() {
            // `RELATED ARTICLES` and similar headings of the sidebar.
            continue;
        } else {
            pending.push(line);
        }
    }
    close_segment(&pending, None, &mut teasers);
    Ok(teasers)
}

/// What closed a teaser: its date (if shown) and byline.
type Dated = Option<(Option<crate::content::PageDate>, Option<String>)>;

/// Turns the lines before one date line (or the undated rest) into teasers.
fn close_segment(lines: &[&Line<'_>], dated: Dated, teasers: &mut Vec<Teaser>) {
    // Groups start at each line carrying a credit: that line is a caption.
    let mut groups: Vec<&[&Line<'_>]> = Vec::new();
    let mut start = 0;
    for i in 1..lines.len() {
        if split_credit(&lines[i].text).is_some() {
            groups.push(&lines[start..i]);
            start = i;
        }
    }
    if start < lines.len() {
        groups.push(&lines[start..]);
    }
    let group_count = groups.len();
    for (g, group) in groups.into_iter().enumerate() {
        let is_last = g + 1 == group_count;
        let (mut caption, mut credit, titles) = match split_credit(&group[0].text) {
            Some(found) => (found.caption, Some(found.credit), &group[1..]),
            // Caption without a credit, right before a dated title.
            None if is_last && dated.is_some() && group.len() == 2 => {
                (Some(group[0].text.to_string()), None, &group[1..])
            }
            None => (None, None, group),
        };
        for (t, title) in titles.iter().enumerate() {
            let mut teaser = Teaser {
                title: title.text.to_string(),
                date: None,
                byline: None,
                caption: caption.take(),
                credit: credit.take(),
            };
            if is_last && t + 1 == titles.len() {
                if let Some((date, byline)) = &dated {
                    teaser.date = *date;
                    teaser.byline = byline.clone();
                }
            }
            teasers.push(teaser);
        }
    }
}

/// Without a tags line, teasers are recognised only by their date lines at
/// the very end of the page (`title` / `date | byline`, with an optional
/// credited caption above). Returns where they start (`lines.len()` if none),
/// never before `min_start`.
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
