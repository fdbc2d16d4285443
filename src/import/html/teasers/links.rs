//! What a link points at: the same site or another, an article or a
//! section, tag, author or utility page; and whether its text reads as a
//! headline.

use url::Url;

/// A link's target: absolute when the page's URL is known, else as written.
#[derive(Debug, Clone)]
pub(super) struct Target {
    /// The URL as the teaser records it (fragment removed).
    pub url: String,
    /// The host without `www.`, lowercase; empty for a relative link with no base.
    pub host: String,
    pub path: String,
    pub query: String,
}

impl Target {
    /// The key two links to the same article share: host, path without a
    /// trailing slash, and query.
    pub fn key(&self) -> String {
        format!("{}{}?{}", self.host, self.path.trim_end_matches('/'), self.query)
    }
}

/// Resolves `href` against `base`; `None` for links that lead to no page
/// (`javascript:`, `mailto:`, a fragment of this page, empty).
pub(super) fn resolve(href: &str, base: Option<&Url>) -> Option<Target> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower: String = href.chars().take(11).map(|c| c.to_ascii_lowercase()).collect();
    if lower.contains(':') && !(lower.starts_with("http:") || lower.starts_with("https:")) {
        return None;
    }
    let parsed = match base {
        Some(base) => base.join(href).ok(),
        None => Url::parse(href).ok(),
    };
    match parsed {
        Some(mut url) => {
            if !matches!(url.scheme(), "http" | "https") {
                return None;
            }
            url.set_fragment(None);
            let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
            let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
            Some(Target {
                host,
                path: url.path().to_string(),
                query: url.query().unwrap_or_default().to_string(),
                url: url.into(),
            })
        }
        None if base.is_none() && !href.starts_with("//") => {
            let without_fragment = href.split('#').next().unwrap_or_default();
            let (path, query) = without_fragment.split_once('?').unwrap_or((without_fragment, ""));
            Some(Target {
                url: without_fragment.to_string(),
                host: String::new(),
                path: path.to_string(),
                query: query.to_string(),
            })
        }
        None => None,
    }
}

/// Blog platforms whose subdomains are separate sites, and whose country
/// domains (`blogspot.com`, `blogspot.tw`) are the same one.
const PLATFORMS: &[&str] =
    &["blogspot", "wordpress", "tumblr", "github", "typepad", "livejournal", "substack"];

/// Second-level labels under which a country domain registers names
/// (`co.uk`, `com.au`, `co.jp`).
const SECOND_LEVELS: &[&str] =
    &["co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "nic"];

/// The site a host belongs to: its registrable domain, so that
/// `sport.aktualne.cz` and `zpravy.aktualne.cz` are one site.
pub(super) fn site_of(host: &str) -> String {
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let n = labels.len();
    if n < 2 {
        return host.to_string();
    }
    let mut take = 2;
    if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVELS.contains(&labels[n - 2]) {
        take = 3;
    }
    let name = labels[n - take];
    if PLATFORMS.contains(&name) && n > take {
        return format!("{}.{}", labels[n - take - 1], name);
    }
    labels[n - take..].join(".")
}

/// Path words that mark a listing, a person or a utility page, not an article.
const NOT_ARTICLE_SEGMENTS: &[&str] = &[
    "tag",
    "tags",
    "topic",
    "topics",
    "category",
    "categories",
    "author",
    "authors",
    "autor",
    "auteur",
    "user",
    "users",
    "profile",
    "people",
    "search",
    "login",
    "signin",
    "signup",
    "register",
    "subscribe",
    "subscription",
    "account",
    "about",
    "contact",
    "privacy",
    "terms",
    "help",
    "feed",
    "rss",
    "label",
    "labels",
    "archive",
    "archives",
    "shop",
    "cart",
    "newsletter",
    "newsletters",
    "comments",
    "share",
    "print",
    "collection",
    "collections",
    "series",
];

/// How much a link's address says it leads to one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Address {
    /// A section, tag, author or utility page, or a bare site.
    NotArticle,
    /// An article's address only by its query (`?id=12345`) or its slug
    /// alone where the site's articles carry a date or id: trusted inside a
    /// marked box only.
    Weak,
    /// A slug of several words, a date, or a long numeric id in the path.
    Article,
}

/// What a path (and query) looks like: one article's address (a slug of
/// several words, a date, or a long numeric id), or a section, tag or
/// author page.
pub(super) fn classify_address(path: &str, query: &str) -> Address {
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    if segments.iter().any(|segment| {
        let lower = segment.to_ascii_lowercase();
        NOT_ARTICLE_SEGMENTS.contains(&lower.as_str())
            || lower.starts_with('@') && segments.len() == 1
    }) {
        return Address::NotArticle;
    }
    if has_date_or_id(path) {
        return Address::Article;
    }
    if segments.iter().any(|segment| is_slug(segment)) {
        return Address::Article;
    }
    if query
        .split('&')
        .any(|pair| pair.split_once('=').is_some_and(|(_, value)| has_long_number(value)))
    {
        return Address::Weak;
    }
    Address::NotArticle
}

/// Whether a path carries a date (`/2019/01/`) or a long numeric id.
pub(super) fn has_date_or_id(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    segments.iter().any(|segment| has_long_number(segment))
        || segments.windows(2).any(|pair| {
            pair[0].len() == 4
                && pair[0].parse::<u16>().is_ok_and(|year| (1990..2100).contains(&year))
                && pair[1].len() <= 2
                && pair[1].parse::<u8>().is_ok_and(|month| (1..=12).contains(&month))
        })
}

/// A path segment of several words (`sql-tricks-application-dba`), or of
/// non-Latin text long enough to be a headline.
fn is_slug(segment: &str) -> bool {
    let stem = segment.rsplit_once('.').map_or(segment, |(stem, _)| stem);
    let words = stem
        .split(['-', '_', '+', ','])
        .filter(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    words >= 3
        || stem.matches('%').count() >= 6
        || stem.chars().filter(|c| !c.is_ascii()).count() >= 4
}

/// Five digits in a row or more: an article id or a compact date.
fn has_long_number(segment: &str) -> bool {
    let mut run = 0;
    for c in segment.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 5 {
            return true;
        }
    }
    false
}

/// Link texts that lead somewhere but name no article.
const NOT_HEADLINES: &[&str] = &[
    "read more",
    "learn more",
    "find out more",
    "more about",
    "more info",
    "continue reading",
    "see all",
    "see more",
    "view all",
    "view more",
    "more from",
    "more stories",
    "next article",
    "previous article",
    "next post",
    "previous post",
    "older post",
    "newer post",
    "next story",
    "previous story",
    "next chapter",
    "previous chapter",
    "leave a comment",
    "comments",
    "share on",
    "click here",
    "sign up",
    "log in",
    "subscribe",
];

/// Whether a link's text reads as a headline: several words (or, in
/// scripts written without spaces, several characters), not a label.
pub(super) fn is_headline(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if !(6..=300).contains(&letters) {
        return false;
    }
    let unspaced = text.chars().filter(|&c| is_unspaced_script(c)).count();
    let words =
        text.split_whitespace().filter(|word| word.chars().any(char::is_alphanumeric)).count();
    if unspaced * 2 < letters && (words < 3 || letters < 12) {
        return false;
    }
    let lower = text.to_lowercase();
    !NOT_HEADLINES.iter().any(|label| lower.starts_with(label)) || words > 6
}

/// Chinese, Japanese and Thai text, written without spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x0E00..=0x0E7F)
}
