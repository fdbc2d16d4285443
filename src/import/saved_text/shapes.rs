//! What one line is, judged from its own text: the shape predicates the
//! classifier combines with a line's neighbours.
//!
//! Each predicate answers one question about a normalised line (no leading
//! or trailing space, single spaces) and is deliberately narrow: the
//! classifier only asks it where that kind of line can occur, so a body
//! paragraph that happens to share a shape is never asked.

use super::byline::strip_prefix_ignore_case;

/// `Skip to content`: the accessibility link a saved page starts with.
pub fn is_skip_link(text: &str) -> bool {
    text.eq_ignore_ascii_case("skip to content")
        || text.eq_ignore_ascii_case("skip to main content")
}

/// ` date 2021-06-14 IN THE MEDIA` (a date glued in front of line 1): the
/// rest after the prefix, or `None` when there is no such prefix.
pub fn strip_date_prefix(text: &str) -> Option<&str> {
    let rest = strip_prefix_ignore_case(text, "date ")?;
    let (iso, after) = (rest.get(..10)?, rest.get(10..)?);
    let bytes = iso.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let is_iso = digits(0..4) && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-';
    (is_iso && digits(8..10) && (after.is_empty() || after.starts_with(' ')))
        .then(|| after.trim_start())
}

/// `UPDATES`, `IN THE MEDIA`: a label in capitals, not a publication's name.
pub fn is_section_label(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 4 && text.len() <= 40 && !text.chars().any(char::is_lowercase)
}

/// `Vennmark Review, Featured, Dispatches` → `Vennmark Review`: a
/// publication line that also lists the page's categories.
pub fn publication_name(text: &str) -> &str {
    text.split(", ").next().unwrap_or(text).trim()
}

/// Header lines between the date line and the body that a site prints
/// around an update or release: `Update from VCF`, `Media Release`,
/// `Update 06/16 #01`, `Number 06/16 #01`, `06/16 #01`.
pub fn is_header_label(text: &str) -> bool {
    if let Some(rest) = strip_prefix_ignore_case(text, "update from ") {
        return !rest.is_empty() && rest.split(' ').count() <= 6;
    }
    if text.eq_ignore_ascii_case("media release") || text.eq_ignore_ascii_case("press release") {
        return true;
    }
    let number = match text.split_once(' ') {
        Some((word, rest)) if word.chars().all(char::is_alphabetic) && word.len() <= 8 => rest,
        _ => text,
    };
    is_issue_number(number)
}

/// `06/16 #01`: month/year and an issue number.
fn is_issue_number(text: &str) -> bool {
    let Some((period, number)) = text.split_once(" #") else { return false };
    let Some((month, year)) = period.split_once('/') else { return false };
    let all_digits =
        |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(month, 2) && all_digits(year, 4) && all_digits(number, 4)
}

/// An image's alternative text that is only its file name: `IMG_4471`,
/// `DSC04417`, `Pan House 960x540`, `Clarion Logo`, `20230412093115
/// Original`, `Screen Shot 2022 03 14 At 10.12.55`, `Hives_web_final_v2`.
pub fn is_file_name(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    if text.len() > 60 || words.len() > 7 || text.ends_with(['.', '!', '?', ':', ';', ',']) {
        return false;
    }
    if words.len() == 1 {
        let word = words[0];
        let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-');
        return word.len() >= 5
            && word.chars().all(is_name_char)
            && (word.contains('_') || word.chars().filter(char::is_ascii_digit).count() >= 4)
            && word.chars().any(|c| c.is_ascii_alphanumeric());
    }
    let last = words[words.len() - 1];
    if matches!(last, "Logo" | "Original" | "logo" | "original") && words.len() <= 5 {
        return true;
    }
    let is_size = |w: &str| {
        w.split_once(['x', 'X']).is_some_and(|(a, b)| {
            a.len() >= 2
                && b.len() >= 2
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        })
    };
    let long_number = |w: &str| w.len() >= 8 && w.bytes().all(|c| c.is_ascii_digit());
    words.iter().any(|w| is_size(w) || long_number(w))
        || (strip_prefix_ignore_case(text, "screen shot ").is_some()
            || strip_prefix_ignore_case(text, "screenshot ").is_some())
            && text.bytes().any(|b| b.is_ascii_digit())
}

/// `Tags: a, b` → the tags; `Tags: ,`, `Tags:` and `Tags` → none.
pub fn tags_line(text: &str) -> Option<Vec<String>> {
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

/// `RELATED ARTICLES`, `RECENT POSTS`: the headings of a page's sidebar.
pub fn is_sidebar_heading(text: &str) -> bool {
    ["related articles", "recent posts", "related posts", "related stories", "more stories"]
        .iter()
        .any(|h| text.eq_ignore_ascii_case(h))
}

/// `Print edition`: the link that ends an article on some sites.
pub fn is_print_edition(text: &str) -> bool {
    text.eq_ignore_ascii_case("print edition")
}

/// `SORT BY TOPICS`: where a sidebar turns into site navigation.
pub fn is_navigation_start(text: &str) -> bool {
    text.eq_ignore_ascii_case("sort by topics")
}

/// A rights line standing alone: `© Vennmark Review 2013. All rights
/// reserved.`, `Reprinted from …`, `Reprinted courtesy of …`.
pub fn is_rights_line(text: &str) -> bool {
    text.starts_with('©')
        || strip_prefix_ignore_case(text, "reprinted ").is_some()
        || strip_prefix_ignore_case(text, "(c) ").is_some()
        || strip_prefix_ignore_case(text, "copyright ").is_some()
}

/// Whether a paragraph ends a sentence (`.`, `!`, `:` before closing quotes).
pub fn ends_sentence(text: &str) -> bool {
    let end = text.trim_end_matches(['”', '’', '"', '\'', ')', ']']);
    end.ends_with(['.', '!', ':', ';', '…'])
}

/// `Ridgeline: Dark skies` → `Dark skies`: a title without its column name.
pub fn without_column_prefix(title: &str) -> Option<&str> {
    let (prefix, rest) = title.split_once(": ")?;
    (prefix.split(' ').count() <= 4 && !rest.is_empty()).then_some(rest)
}

/// Compares two lines as a reader would: case and spacing aside.
pub fn same_text(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.len() < 4 * b.len() + 8 && a.to_lowercase() == b.to_lowercase()
}

/// Whether `text` starts with the name `name`, as a whole word.
pub fn starts_with_name(text: &str, name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && text.starts_with(name)
        && (text.len() == name.len() || text[name.len()..].starts_with([',', ' ', '’', '\'']))
}

/// Lines where an article's tail begins.
pub fn is_tail_start(text: &str) -> bool {
    // Asked of every body line: a long one is answered from its byte length.
    if text.len() > 240 || text.chars().count() > 60 {
        return false;
    }
    if tags_line(text).is_some()
        || is_sidebar_heading(text)
        || is_print_edition(text)
        || is_navigation_start(text)
    {
        return true;
    }
    let lower = text.to_lowercase();
    let lower = lower.trim_end_matches([':', '.', '!']);
    const EXACT: [&str; 16] = [
        "related",
        "comments",
        "share this",
        "share this article",
        "share this story",
        "share this post",
        "leave a comment",
        "leave a reply",
        "post a comment",
        "you may also like",
        "you might also like",
        "recommended",
        "most popular",
        "most read",
        "read more",
        "about the author",
    ];
    const PREFIXES: [&str; 7] = [
        "more from ",
        "related ",
        "sign up for ",
        "share on ",
        "filed under",
        "more on this",
        "comments (",
    ];
    EXACT.contains(&lower) || PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// A line of code or markup: `exports.Cow = Cow;`, `});`, `<html>`,
/// `// cow.js`, `fetch(url).then(function(res) {`.
pub(super) fn is_code(text: &str) -> bool {
    text.contains(['{', '}', ';', '='])
        || text.ends_with(['(', '{', ','])
        || (text.starts_with('<') && text.ends_with('>'))
        || text.starts_with("//")
        || text.contains("()")
        || text.contains(").")
        || (text.starts_with(|c: char| c.is_ascii_lowercase() || c == '$') && text.contains('('))
}

/// Notices, share bars and counts: lines no article's text is made of.
pub(super) fn is_furniture(text: &str, words: usize) -> bool {
    if words > 40 {
        return false;
    }
    let lower = text.to_lowercase();
    // `JavaScript` alone is a subject of articles; a notice asks for it.
    const NOTICES: [&str; 16] = [
        "cookie",
        "privacy policy",
        "terms of use",
        "terms of service",
        "subscribe",
        "sign in",
        "log in",
        "newsletter",
        "enable javascript",
        "javascript is required",
        "javascript is disabled",
        "javascript is not",
        "javascript enabled",
        "javascript disabled",
        "requires javascript",
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
    // `Share on Facebook`, `Share via Email`, `Share to Twitter`.
    if words <= 4
        && ["share on ", "share via ", "share to ", "share with "]
            .iter()
            .any(|s| lower.starts_with(s))
    {
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
                | "permalink"
                | "go to permalink"
                | "loading..."
                | "loading"
                | "photo"
                | "video"
                | "continue reading the main story"
        )
}

/// `+ Added a command`, `* Fixed`, `- Removed`, `• One`, `1. First`: an
/// item of a list printed with its marks.
pub(super) fn is_list_item(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = digits > 0 && digits < 3 && text[digits..].starts_with([')', '.']);
    numbered || ["+ ", "* ", "- ", "• ", "– ", "· "].iter().any(|m| text.starts_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        for name in [
            "IMG_4471",
            "DSC04417",
            "Ridge Turbines 1200x675",
            "Screen Shot 2022 03 14 At 10.12.55",
            "20230412093115 Original",
            "P1030987",
            "Clarion Logo",
            "Kx7_QpLmAAE2vZ",
            "Pan House 960x540",
            "Upland Affairs Digest Logo",
            "Vault_cold_room_02",
            "Hives_web_final_v2",
            "1628840071552 Original",
        ] {
            assert!(is_file_name(name), "{name}");
        }
        for text in [
            "The view from the valley",
            "A record year",
            "By the numbers",
            "Covid-19",
            "The 2019 budget in 12 charts",
            "Heather",
            "Forty tables",
        ] {
            assert!(!is_file_name(text), "{text}");
        }
    }

    #[test]
    fn header_labels() {
        for label in [
            "Update from VCF",
            "Media Release",
            "Update 06/16 #01",
            "Number 11/25 #05",
            "06/16 #01",
        ] {
            assert!(is_header_label(label), "{label}");
        }
        for text in [
            "Update",
            "An update from the council on the ferry timetable, the fares, and more and more",
            "06/16",
            "Media releases are dull",
        ] {
            assert!(!is_header_label(text), "{text}");
        }
    }

    #[test]
    fn a_javascript_notice_is_furniture_and_an_article_on_javascript_is_not() {
        let notice = "Please enable JavaScript to view the comments";
        assert!(is_furniture(notice, notice.split(' ').count()));
        let headline = "Get your Frontend JavaScript Code Covered";
        assert!(!is_furniture(headline, headline.split(' ').count()));
    }

    #[test]
    fn date_prefix() {
        assert_eq!(strip_date_prefix("date 2026-01-23 IN THE MEDIA"), Some("IN THE MEDIA"));
        assert_eq!(strip_date_prefix("date 2026-01-23"), Some(""));
        assert_eq!(strip_date_prefix("date night in the valley"), None);
        assert_eq!(strip_date_prefix("date 2026-01-2x X"), None);
    }

    #[test]
    fn publication_lists_and_labels() {
        assert_eq!(publication_name("Vennmark Review, Featured"), "Vennmark Review");
        assert_eq!(publication_name("Australia/Israel Review"), "Australia/Israel Review");
        assert!(is_section_label("IN THE MEDIA"));
        assert!(!is_section_label("Vennmark Review"));
    }
}
