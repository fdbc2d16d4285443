//! The header zone of the whole-page reading: the headline and the byline
//! among the lines above the body, around the date.

use super::byline::{split_authors, strip_prefix_ignore_case};
use super::dates::{FoundDate, find_dates};
use super::shapes::{is_code, is_furniture, is_tail_start};
use super::{Line, split_credit};
use crate::content::slugify;

/// How many lines above the body the header (headline, date, byline) may
/// start.
pub(super) const HEADER_LINES: usize = 30;

/// How many lines around the date line the headline may stand.
pub(super) const TITLE_REACH: usize = 6;

/// Whether a line can be a headline.
fn is_headline(text: &str) -> bool {
    let chars = text.chars().count();
    let words = text.split(' ').count();
    let wide = text.chars().filter(|&c| c >= '\u{2e80}').count();
    let long_enough = words >= 3 || (wide >= 4 && wide * 2 > chars);
    // A headline starts with a capital, a digit or a quote, never in the
    // middle of a sentence (`in Featured Article …`).
    let opens = !text.starts_with(char::is_lowercase);
    long_enough && opens && could_name_article(text, chars, words)
}

/// Whether a line of any length could be an article's name: not a
/// sentence, a date, a byline, a credit, a breadcrumb trail or furniture.
fn could_name_article(text: &str, chars: usize, words: usize) -> bool {
    chars <= 250
        && words <= 30
        && (!text.ends_with(['.', ',', ':', ';']) || ends_with_abbreviation(text))
        && !text.contains(" | ")
        && !text.ends_with(" by")
        && !slugify(text).is_empty()
        && find_dates(text).is_empty()
        && byline_names(text).is_none()
        && !is_credit_line(text)
        && !is_photo_credit(text)
        && !is_breadcrumbs(text)
        && !is_code(text)
        && !is_furniture(text, words)
        && !is_tail_start(text)
}

/// `… Underneath N.Y.C.`: a line ending in an abbreviation, not a sentence.
fn ends_with_abbreviation(text: &str) -> bool {
    text.rsplit(' ').next().is_some_and(|word| word.matches('.').count() >= 2)
}

/// `Home > News > Article`, `首页 >> 教育资讯 >> 正文`: where the page sits
/// on its site.
fn is_breadcrumbs(text: &str) -> bool {
    [" > ", " >> ", " › ", " » ", " / "].iter().any(|sep| text.matches(sep).count() >= 2)
        || text.matches('>').count() >= 2
}

/// `JIM WATSON/AFP/Getty Images`, `(Photo: Reuters)`: who took a picture.
fn is_photo_credit(text: &str) -> bool {
    // `… - Heinrich Aikawa/Instituto Lula`: a caption ending in its credit,
    // a name over an agency.
    let credit = text.rsplit_once(" - ").is_some_and(|(_, tail)| {
        tail.split(' ').count() <= 6
            && tail.split('/').count() == 2
            && tail.split('/').all(|side| side.trim().starts_with(char::is_uppercase))
    });
    if credit {
        return true;
    }
    let lower = text.to_lowercase();
    // `Credit Harry Campbell`, `Credits: AP`.
    if lower.starts_with("credit ") || lower.starts_with("credits:") {
        return true;
    }
    [
        "getty images",
        "/afp",
        "afp/",
        "ap photo",
        "reuters",
        "shutterstock",
        "photo:",
        "image:",
        "(photo ",
        ". source:",
        "picture:",
        "image caption",
        "media caption",
    ]
    .iter()
    .any(|c| lower.contains(c))
}

/// `Powered by`, `Theme by`: the start of a site's credit to its tools.
fn is_site_credit(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["powered by", "theme by", "designed by", "hosted by", "built with"].contains(&lower.as_str())
}

/// `From Wikipedia, the free encyclopedia`: a site's line under its
/// headline, naming where the page comes from.
fn is_source_tagline(text: &str) -> bool {
    strip_prefix_ignore_case(text, "from ").is_some_and(|rest| {
        rest.starts_with(char::is_uppercase) && rest.contains(", ") && rest.split(' ').count() <= 8
    })
}

/// The headline: of the headline-shaped lines above the body, the one
/// that reads most like the article's (a date or a byline right by it or
/// next to it, printed twice, a headline's length, near the body). Lines
/// no headline is parted from its dateline by (share buttons, counts,
/// one-word links) are stepped over when lines are counted.
pub(super) fn best_title(
    lines: &[Line<'_>],
    start: usize,
    dates: &[(usize, FoundDate)],
) -> Option<usize> {
    let low = start.saturating_sub(HEADER_LINES);
    let mut dated = vec![false; lines.len()];
    // A dateline opening the first paragraph is the body's, not a header
    // line to stand by; a date in a picture's caption is the picture's.
    for (at, _) in dates.iter().filter(|(at, _)| *at < start) {
        dated[*at] = !is_photo_credit(&lines[*at].text);
    }
    let steps = Steps::new(lines);
    let has_date = |i: usize| dated[i];
    let is_byline = |j: usize| byline_names(&lines[j].text).is_some();
    let above_tagline = |i: usize| lines.get(i + 1).is_some_and(|l| is_source_tagline(&l.text));
    // A headline over a source tagline is the page's, however far above
    // the body (a table of contents may stand between).
    let tagged = (0..low).find(|&i| above_tagline(i));
    // A headline over its dateline and byline is the page's a little
    // farther above the body too (a table, a gallery between).
    let signed = (low.saturating_sub(HEADER_LINES)..low)
        .filter(|&i| steps.below(i, 2).any(has_date) && steps.below(i, 2).any(&is_byline));
    let site_titles = site_titles(lines);
    let candidate = |i: usize| {
        let text: &str = &lines[i].text;
        is_headline(text)
            || ((above_tagline(i) || site_titles.contains(&text))
                && could_name_article(text, text.chars().count(), text.split(' ').count()))
    };
    let candidates = tagged.into_iter().chain(signed).chain(low..start);
    candidates.filter(|&i| candidate(i)).max_by_key(|&i| {
        let text: &str = &lines[i].text;
        let words = i64::try_from(text.split(' ').count().min(15)).unwrap_or(0);
        let distance = i64::try_from(steps.between(i, start).min(HEADER_LINES)).unwrap_or(0);
        let mut score = 2 * words - distance;
        let half = TITLE_REACH / 2;
        if steps.above(i, half).chain(steps.below(i, half)).any(has_date) {
            score += 16;
        }
        if steps.below(i, half).any(has_date) {
            // The usual order: the headline, then its dateline.
            score += 4;
        }
        if steps.above(i, half).chain(steps.below(i, half)).any(&is_byline) {
            score += 8;
        }
        // Right by its dateline, or over its byline (a byline above is
        // another's, or the name of a desk under the headline).
        if steps.above(i, 1).chain(steps.below(i, 1)).any(has_date) {
            score += 8;
        }
        let under = steps.below(i, 1).last();
        // A byline under share buttons still signs the headline; a bare name
        // only right under it (a section's name stands above menus too).
        if under.is_some_and(is_byline) || lines.get(i + 1).is_some_and(|l| is_bare_name(&l.text)) {
            score += 8;
        }
        if above_tagline(i) {
            score += 40;
        }
        // The page's own title (`Headline | Site` at its top) names it.
        if site_titles.contains(&text) {
            score += 30;
        }
        // A headline is often printed twice: in a sticky bar and above
        // the article.
        if (0..start).any(|j| j != i && lines[j].text == *text) {
            score += 10;
        }
        // `Powered by` / `A Very Old Fork of Jekyll`: what a site's footer
        // credits is a link, not the article.
        if i > 0 && is_site_credit(&lines[i - 1].text) {
            score -= 20;
        }
        if is_standfirst(text) {
            score -= 12;
        } else if under.is_some_and(|j| j < start && is_standfirst(&lines[j].text)) {
            score += 8;
        }
        if split_credit(text).is_some() || text.contains('/') {
            score -= 10;
        }
        (score, std::cmp::Reverse(i))
    })
}

/// How many lines to the top of the page the document's own title is
/// looked for in.
const SITE_TITLE_LINES: usize = 5;

/// The headlines the page's first lines name as its title with the site's
/// name (`Headline | Site`, `Site: Headline`, `Headline — Site`), when the
/// headline stands on a line of its own further down. When the site's name
/// stands alone too, it is the part printed first (the masthead).
fn site_titles<'a>(lines: &'a [Line<'_>]) -> Vec<&'a str> {
    const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", ": ", " · "];
    let mut found = Vec::new();
    for (at_line, line) in lines.iter().enumerate().take(SITE_TITLE_LINES) {
        let text: &str = &line.text;
        let standing = |part: &str| {
            (part.split(' ').count() >= 2)
                .then(|| lines.iter().enumerate().position(|(j, l)| j != at_line && l.text == part))
                .flatten()
        };
        for sep in SEPARATORS {
            for (at, _) in text.match_indices(sep) {
                let (first, second) = (text[..at].trim(), text[at + sep.len()..].trim());
                match (standing(first), standing(second)) {
                    (Some(a), Some(b)) => found.push(if a > b { first } else { second }),
                    (Some(_), None) => found.push(first),
                    (None, Some(_)) => found.push(second),
                    (None, None) => {}
                }
            }
        }
    }
    found
}

/// Walks the lines around a line as a reader's eye does: over share
/// buttons, counts and one-word links, which part no headline from its
/// dateline.
struct Steps {
    /// Whether each line is one the walk steps over.
    slight: Vec<bool>,
}

impl Steps {
    fn new(lines: &[Line<'_>]) -> Self {
        let slight = lines
            .iter()
            .map(|l| {
                let words = l.text.split(' ').count();
                (is_furniture(&l.text, words) || words <= 2 && l.text.chars().count() <= 24)
                    && find_dates(&l.text).is_empty()
                    && !is_bare_name(&l.text)
            })
            .collect();
        Steps { slight }
    }

    /// The lines below `i`, up to and including the `reach`-th line that is
    /// not slight.
    fn below(&self, i: usize, reach: usize) -> impl Iterator<Item = usize> + '_ {
        let mut left = reach;
        (i + 1..self.slight.len()).take_while(move |&j| {
            if left == 0 {
                return false;
            }
            if !self.slight[j] {
                left -= 1;
            }
            true
        })
    }

    /// The lines above `i`, nearest first, as [`Steps::below`].
    fn above(&self, i: usize, reach: usize) -> impl Iterator<Item = usize> + '_ {
        let mut left = reach;
        (0..i).rev().take_while(move |&j| {
            if left == 0 {
                return false;
            }
            if !self.slight[j] {
                left -= 1;
            }
            true
        })
    }

    /// How many lines that are not slight stand from `i` up to `end`.
    fn between(&self, i: usize, end: usize) -> usize {
        self.slight[i.min(end)..end].iter().filter(|&&s| !s).count()
    }
}

/// A standfirst under the headline reads as a sentence: long, its clauses
/// joined by a comma and a lowercase word.
fn is_standfirst(text: &str) -> bool {
    text.split(' ').count() >= 10
        && text.split(", ").skip(1).any(|c| c.starts_with(char::is_lowercase))
}

/// The authors of a `By …` line near the headline, or of the date line's
/// words besides the date (`Dan Goodin - Apr 16, 2015`).
pub(super) fn byline_near(
    lines: &[Line<'_>],
    title: usize,
    start: usize,
    date: Option<usize>,
) -> Vec<String> {
    let date_or_title = date.unwrap_or(title);
    let from = title.min(date_or_title).saturating_sub(2);
    let to =
        start.max(date_or_title + 1).min(lines.len()).min(title.max(date_or_title) + TITLE_REACH);
    if let Some(names) = (from..to).find_map(|i| byline_names(&lines[i].text)) {
        return authors_of(names);
    }
    if let Some(date) = date {
        let text: &str = &lines[date].text;
        let found = find_dates(text);
        if let Some(first) = found.first() {
            let rest =
                text[..first.start].trim_end_matches([' ', '-', '|', '—', '–', '·', '•', ',']);
            if is_bare_name(rest.trim()) {
                return authors_of(rest.trim());
            }
            // `on March 10, 2015 by Nikhil Marathe`: the byline after the date.
            let after = found.last().map_or("", |last| &text[last.end..]);
            let after = after.trim_start_matches([' ', ',', '|', '-', '—', '–', '·', '•']);
            if let Some(names) = byline_names(after) {
                return authors_of(names);
            }
        }
    }
    // A name on a line of its own by the date or under the headline.
    let by_date = date.into_iter().flat_map(|d| [d.wrapping_sub(1), d + 1]);
    let under_title = title + 1..(title + 4).min(start);
    by_date
        .chain(under_title)
        .filter(|&i| i < lines.len() && i != title && Some(i) != date)
        .find(|&i| is_bare_name(&lines[i].text))
        .map(|i| authors_of(&lines[i].text))
        .unwrap_or_default()
}

/// Two to four capitalised words and nothing else (`Mike Conley`, `Ana
/// M. Lima`): a name standing alone, not a weekday, a place or a label.
fn is_bare_name(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        })
        && !words.iter().any(|w| NOT_IN_NAMES.contains(w))
        && !is_furniture(text, words.len())
        && !is_tail_start(text)
}

/// Words a headline in title case has and a person's name has not.
const NOT_IN_NAMES: [&str; 22] = [
    "A", "An", "The", "On", "Of", "In", "For", "To", "And", "With", "At", "From", "Is", "Are",
    "How", "Why", "What", "My", "Your", "Our", "This", "That",
];

/// The names of a byline, without a handle or a trailing label (`Ana Lima
/// @ana`, `Ana Lima Updated`), `et`, `und`, `y` read as `and`.
fn authors_of(byline: &str) -> Vec<String> {
    let words: Vec<&str> = byline
        .split(' ')
        .map(|w| w.split('@').next().unwrap_or_default())
        .filter(|w| !w.is_empty() && !matches!(*w, "Updated" | "Follow" | "Published"))
        .map(|w| match w {
            "et" | "und" | "y" | "e" | "en" => "and",
            _ => w,
        })
        .collect();
    split_authors(&words.join(" "))
}

/// `By Sarah E. Needleman` (`Par`, `Von`, `Por`, `Di`, `Door` too) → the
/// names; `None` for any other line.
pub(super) fn byline_names(text: &str) -> Option<&str> {
    // `// By Ana Lima • Nov 11, 2020`: a site's mark before the byline.
    let text = text.trim_start_matches(['/', '•', '·', '—', '–', '-', '|', ' ']);
    let rest = ["by ", "by: ", "par ", "von ", "por ", "di ", "door ", "posted by ", "written by "]
        .iter()
        .find_map(|p| strip_prefix_ignore_case(text, p))?
        .trim();
    let rest = match find_dates(rest).first() {
        Some(date) => rest[..date.start].trim_end_matches([' ', ',', '|', '-', '—', '•', '·']),
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

/// `Reviewed by …`, `Photo by …`, `Edited by …`: a credit, not a headline.
fn is_credit_line(text: &str) -> bool {
    text.split_once(' ').is_some_and(|(first, rest)| {
        first.chars().all(char::is_alphabetic)
            && strip_prefix_ignore_case(rest, "by ").is_some()
            && rest.split(' ').count() <= 10
    })
}
