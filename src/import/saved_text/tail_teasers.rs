//! Teasers in the tail of a whole page: the related / more / read next /
//! most read box after the body, whose entries are headlines each dated on
//! its own line or the next (`Tide barrier opens a year late` / `Nov 2,
//! 2019`, or `Tide barrier opens a year late — Nov 2, 2019`).
//!
//! Text keeps no links, so only a date tells an entry of such a box from a
//! menu's: an undated line is never a teaser. The teasers join the article's
//! `related` exactly as the seed's tail teasers do, and so become stubs the
//! same way.

use super::dates::{FoundDate, find_dates};
use super::shapes::{ends_sentence, is_code, is_furniture, is_tail_start};
use super::{Line, LineKind, implausible_year};
use crate::content::{PageDate, Teaser};

/// Lines of a box that are no entry (a section label, a summary, an image
/// credit) tolerated in a row before the box is taken to have ended.
const MAX_GAP: usize = 3;

/// A teaser's headline is at least this many words and at most this many.
const TITLE_WORDS: std::ops::RangeInclusive<usize> = 3..=25;

/// What may stand beside the date on an entry's date line (`By Ann Lee`,
/// `5 min read`), in words.
const DATE_LINE_EXTRA_WORDS: usize = 6;

/// The teasers of the boxes in `lines[from..]` (the page's tail), in page
/// order, none titled `own_title`; marks their lines in `kinds`.
pub(super) fn read_tail_teasers(
    lines: &[Line<'_>],
    from: usize,
    own_title: &str,
    kinds: &mut [LineKind],
) -> Vec<Teaser> {
    let mut teasers: Vec<Teaser> = Vec::new();
    let mut in_box = false;
    let mut gap = 0;
    let mut i = from;
    while i < lines.len() {
        let text: &str = &lines[i].text;
        if opens_teaser_box(text) {
            (in_box, gap) = (true, 0);
            i += 1;
            continue;
        }
        if !in_box {
            i += 1;
            continue;
        }
        if is_tail_start(text) || gap > MAX_GAP {
            // Comments, a share bar, the footer, or a run of lines that are
            // no entries: the box has ended.
            in_box = false;
            continue;
        }
        let Some((entry, used)) = entry_at(lines, i) else {
            gap += 1;
            i += 1;
            continue;
        };
        gap = 0;
        kinds[i] = LineKind::TeaserTitle;
        kinds[i + used - 1] = LineKind::TeaserDate;
        let known = |t: &Teaser| t.title.eq_ignore_ascii_case(&entry.title);
        if !entry.title.eq_ignore_ascii_case(own_title) && !teasers.iter().any(known) {
            teasers.push(entry);
        }
        i += used;
    }
    teasers
}

/// `Related`, `Related articles`, `More from Harbour`, `More stories`,
/// `Read next`, `Most read`, `You may also like`, `Recommended`.
fn opens_teaser_box(text: &str) -> bool {
    if text.chars().count() > 40 {
        return false;
    }
    let lower = text.to_lowercase();
    let lower = lower.trim_end_matches([':', '.', '!', ' ']);
    const EXACT: [&str; 14] = [
        "related",
        "more",
        "read next",
        "read more",
        "most read",
        "most popular",
        "most viewed",
        "recommended",
        "recommended for you",
        "you may also like",
        "you might also like",
        "editor's picks",
        "top stories",
        "latest",
    ];
    const PREFIXES: [&str; 8] = [
        "related ",
        "more from ",
        "more on ",
        "more in ",
        "more stories",
        "more news",
        "more articles",
        "latest news",
    ];
    EXACT.contains(&lower) || PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// The teaser whose headline is line `at`, and how many lines it takes:
/// the headline with its date at its end or start (one line), or the
/// headline over a line that is mostly a date (two), perhaps with a byline
/// line between (`Ann Lee in Harbour Notes`, `By Ann Lee`: three).
fn entry_at(lines: &[Line<'_>], at: usize) -> Option<(Teaser, usize)> {
    let text: &str = &lines[at].text;
    let dates = plausible_dates(text);
    if let [date] = dates.as_slice() {
        let title = without_date(text, date);
        return headline_like(title).then(|| (teaser(title, date.date, None), 1));
    }
    let by = text.get(..3).is_some_and(|by| by.eq_ignore_ascii_case("by "));
    if !dates.is_empty() || !headline_like(text) || (by && byline_line(text).is_some()) {
        return None;
    }
    // A headline under another undated one is a standfirst or sits under a
    // kicker: which line is the headline, the text does not tell.
    if let Some(above) = at.checked_sub(1).map(|i| &*lines[i].text) {
        if headline_like(above) && plausible_dates(above).is_empty() && !opens_teaser_box(above) {
            return None;
        }
    }
    let next: &str = &lines.get(at + 1)?.text;
    let (byline_above, date_at) = match marked_byline(next) {
        Some(name) => (Some(name), at + 2),
        None => (None, at + 1),
    };
    let date_line: &str = &lines.get(date_at)?.text;
    let found = plausible_dates(date_line);
    let [date] = found.as_slice() else { return None };
    let rest = without_date(date_line, date);
    let by_name = byline_line(rest);
    // `Tide barrier opens a year late JULY 2, 2016` under this line is an
    // entry of its own, not this one's date.
    let own_entry = by_name.is_none() && headline_like(rest);
    if own_entry || rest.split(' ').filter(|w| !w.is_empty()).count() > DATE_LINE_EXTRA_WORDS {
        return None;
    }
    let byline = byline_above.or(by_name).map(str::to_string);
    Some((teaser(text, date.date, byline), date_at + 1 - at))
}

/// A byline that says it is one (`By …`, `… in …`): only such a line
/// stands between a headline and its date.
fn marked_byline(text: &str) -> Option<&str> {
    let marked = text.to_lowercase().starts_with("by ") || text.contains(" in ");
    byline_line(text).filter(|_| marked)
}

/// `By Ann Lee`, `Ann Lee in Harbour Notes`, `Ann Lee`: the authors'
/// names (up to four capitalised words); `None` for anything else.
fn byline_line(text: &str) -> Option<&str> {
    let text = text.trim();
    let names = match text.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => text[3..].trim(),
        _ => text.split_once(" in ").map_or(text, |(name, _)| name),
    };
    let words: Vec<&str> = names.split(' ').collect();
    let name_like = (2..=4).contains(&words.len())
        && words.iter().all(|w| w.starts_with(char::is_uppercase) && !w.ends_with(':'));
    name_like.then_some(names)
}

fn plausible_dates(text: &str) -> Vec<FoundDate> {
    let mut dates = find_dates(text);
    dates.retain(|d| !implausible_year(d.date));
    dates
}

/// The line with the date cut out, when the date stands at its start or
/// its end, and the separators beside it (`—`, `|`, `·`, `,`) dropped.
fn without_date<'a>(text: &'a str, date: &FoundDate) -> &'a str {
    const SEPARATORS: [char; 8] = [' ', '—', '–', '-', '|', '·', ',', '•'];
    let (before, after) = (text[..date.start].trim(), text[date.end..].trim());
    if after.trim_matches(SEPARATORS).is_empty() {
        before.trim_end_matches(SEPARATORS)
    } else if before.trim_matches(SEPARATORS).is_empty() {
        after.trim_start_matches(SEPARATORS)
    } else {
        // A date in the middle of the line: the line is a sentence or a
        // date line with a byline, not a dated headline.
        ""
    }
}

/// A line that reads as an article's headline: a few words, capitalised,
/// ending no sentence, nothing a menu, notice or code is made of.
fn headline_like(text: &str) -> bool {
    let words = text.split(' ').filter(|w| !w.is_empty()).count();
    let first = text.chars().next();
    TITLE_WORDS.contains(&words)
        && text.chars().count() <= 200
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'".contains(c))
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 10
        && (!ends_sentence(text) || text.ends_with('!'))
        // A title cut short (`… Improve Privacy in...`) would name no
        // article a later import brings.
        && !text.ends_with("...")
        && !is_furniture(text, words)
        && !is_tail_start(text)
        && !is_code(text)
}

fn teaser(title: &str, date: PageDate, byline: Option<String>) -> Teaser {
    Teaser {
        title: title.to_string(),
        url: None,
        date: Some(date),
        byline,
        caption: None,
        credit: None,
    }
}
