//! An HTML page's metadata, from the most reliable source that gives each
//! field: JSON-LD, then OpenGraph / `article:*` / Dublin Core meta tags,
//! then `<time>` and the visible byline and dateline, then the address.

use crate::content::PageDate;
use crate::import::saved_text::byline::split_authors;
use crate::import::saved_text::dateline::parse_date;
use dom_query::{Document, NodeRef};
use serde_json::Value;
use std::collections::HashMap;
use url::Url;

/// What the page says about its article, before extraction.
#[derive(Debug, Default)]
pub(super) struct PageMeta {
    /// The article's address: canonical link, `og:url`, `<base>`, or the
    /// address the save recorded.
    pub url: Option<Url>,
    /// What relative links resolve against: `<base href>`, else `url`.
    pub base: Option<Url>,
    /// The headline JSON-LD or OpenGraph gives.
    pub headline: Option<String>,
    /// The page's first `<h1>` (else `<h2>`), for a page without `<title>`.
    pub first_heading: Option<String>,
    pub date: Option<PageDate>,
    pub authors: Vec<String>,
    pub publication: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub image: Option<String>,
    pub image_caption: Option<String>,
    /// Whether JSON-LD or `og:type` calls the page an article.
    pub is_article: bool,
}

/// Meta tags by lowercased `property`, `name` or `itemprop`, every value kept.
fn meta_tags(document: &Document) -> HashMap<String, Vec<String>> {
    let mut tags: HashMap<String, Vec<String>> = HashMap::new();
    for node in document.select("meta").nodes() {
        let Some(content) = node.attr("content") else { continue };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop"] {
            if let Some(name) = node.attr(key) {
                for name in name.split_whitespace() {
                    tags.entry(name.to_ascii_lowercase()).or_default().push(content.to_string());
                }
            }
        }
    }
    tags
}

/// Reads the page's metadata. `saved_from` is the address the save
/// itself recorded (an MHTML header), used when the page names none.
pub(super) fn read(document: &Document, html: &str, saved_from: Option<&str>) -> PageMeta {
    let metas = meta_tags(document);
    let first = |names: &[&str]| {
        names.iter().find_map(|n| metas.get(*n).and_then(|v| v.first())).map(|s| clean(s))
    };
    let ld = json_ld(document);
    let url = page_url(document, html, saved_from, &metas);
    let base_href = document.select("base[href]").nodes().first().and_then(|b| b.attr("href"));
    let base = base_href
        .and_then(|href| match &url {
            Some(url) => url.join(href.trim()).ok(),
            None => Url::parse(href.trim()).ok(),
        })
        .or_else(|| url.clone());
    let mut meta = PageMeta { url, base, ..PageMeta::default() };
    meta.is_article = ld.is_some()
        || first(&["og:type"]).is_some_and(|t| t.eq_ignore_ascii_case("article"))
        || metas.contains_key("article:published_time");
    let ld = ld.unwrap_or(Value::Null);
    meta.headline = ld_text(&ld["headline"]).or_else(|| first(&["og:title", "twitter:title"]));
    meta.first_heading = ["h1", "h2"]
        .iter()
        .find_map(|h| document.select(h).nodes().first().map(|n| clean(&n.text())))
        .filter(|h| !h.is_empty());
    meta.date = ld_text(&ld["datePublished"])
        .and_then(|d| date_of(&d))
        .or_else(|| {
            const DATE_METAS: [&str; 16] = [
                "article:published_time",
                "datepublished",
                "og:article:published_time",
                "article.published",
                "published_time",
                "parsely-pub-date",
                "sailthru.date",
                "pubdate",
                "publishdate",
                "publish-date",
                "date",
                "dc.date",
                "dc.date.issued",
                "dcterms.created",
                "dcterms.date",
                "citation_publication_date",
            ];
            DATE_METAS.iter().filter_map(|n| metas.get(*n)?.first()).find_map(|d| date_of(d))
        })
        .or_else(|| ld_text(&ld["dateCreated"]).and_then(|d| date_of(&d)))
        .or_else(|| time_element_date(document))
        .or_else(|| meta.url.as_ref().and_then(url_date))
        .or_else(|| visible_date(document))
        .or_else(|| printed_date(document));
    meta.authors = ld_names(&ld["author"]);
    if meta.authors.is_empty() {
        // Dublin Core's creator first: a page that states it names the
        // author on purpose, where `author` is often a template's default.
        const AUTHOR_METAS: [&str; 9] = [
            "dc:creator",
            "dc.creator",
            "dcterm:creator",
            "dcterms.creator",
            "citation_author",
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
        ];
        let values = AUTHOR_METAS.iter().find_map(|n| metas.get(*n)).cloned().unwrap_or_default();
        meta.authors = match values.as_slice() {
            // One tag a person: each is a whole name, `Surname, Given`
            // included, not a list to split at its commas.
            [_, _, ..] => values
                .iter()
                .filter(|a| !a.starts_with("http"))
                .filter_map(|a| one_author(a))
                .collect(),
            [one] if !one.starts_with("http") => clean_authors(one),
            _ => Vec::new(),
        };
    }
    meta.publication = first(&["og:site_name", "application-name"])
        .or_else(|| ld_names(&ld["publisher"]).into_iter().next());
    meta.description = ld_text(&ld["description"])
        .or_else(|| first(&["og:description", "description", "twitter:description"]));
    let mut tags: Vec<String> = metas.get("article:tag").cloned().unwrap_or_default();
    match &ld["keywords"] {
        Value::Array(words) => {
            tags.extend(words.iter().filter_map(|w| w.as_str().map(str::to_string)))
        }
        Value::String(words) => tags.extend(words.split(',').map(str::to_string)),
        _ => {}
    }
    if tags.is_empty() {
        if let Some(words) = first(&["news_keywords", "keywords"]) {
            tags.extend(words.split([',', ';']).map(str::to_string));
        }
    }
    let mut seen = std::collections::HashSet::new();
    meta.tags = tags
        .into_iter()
        .map(|t| clean(&t))
        .filter(|t| !t.is_empty() && t.chars().count() <= 60 && seen.insert(t.to_lowercase()))
        .take(20)
        .collect();
    let (image, caption) = ld_image(&ld["image"]);
    meta.image = image.or_else(|| first(&["og:image", "twitter:image", "twitter:image:src"]));
    meta.image_caption = caption.or_else(|| first(&["og:image:alt", "twitter:image:alt"]));
    meta
}

/// Collapses whitespace and trims.
pub(super) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first absolute http(s) address among the page's declarations.
fn page_url(
    document: &Document,
    html: &str,
    saved_from: Option<&str>,
    metas: &HashMap<String, Vec<String>>,
) -> Option<Url> {
    let canonical = document
        .select("link[rel]")
        .nodes()
        .iter()
        .filter(|l| {
            l.attr("rel")
                .is_some_and(|r| r.split_whitespace().any(|r| r.eq_ignore_ascii_case("canonical")))
        })
        .find_map(|l| l.attr("href").map(|h| h.to_string()));
    let og = metas.get("og:url").and_then(|v| v.first()).cloned();
    let base = document
        .select("base[href]")
        .nodes()
        .first()
        .and_then(|b| b.attr("href"))
        .map(|h| h.to_string());
    let head = &html[..html.len().min(4096)];
    // Chrome's "Save Page As" (`<!-- saved from url=(0042)https://… -->`)
    // and SingleFile (`url: https://…` in its opening comment).
    let recorded = head
        .find("saved from url=(")
        .and_then(|at| head[at..].find(')').map(|end| at + end + 1))
        .or_else(|| head.find("\n url: ").map(|at| at + 7))
        .map(|at| {
            head[at..]
                .split(char::is_whitespace)
                .next()
                .map(|u| u.trim_end_matches(['-', '>']))
                .unwrap_or("")
                .to_string()
        });
    let absolute =
        |u: &str| Url::parse(u.trim()).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
    let anchor = base
        .as_deref()
        .and_then(absolute)
        .or_else(|| saved_from.and_then(absolute))
        .or_else(|| recorded.as_deref().and_then(absolute));
    [canonical, og]
        .into_iter()
        .flatten()
        .find_map(|u| absolute(&u).or_else(|| anchor.as_ref()?.join(u.trim()).ok()))
        .or(anchor)
}

/// The page's JSON-LD object that describes an article (merged from
/// `@graph` and arrays), when there is one.
fn json_ld(document: &Document) -> Option<Value> {
    for script in document.select("script[type]").nodes() {
        if !script.attr("type").is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) {
            continue;
        }
        let text = script.text();
        let text = text.trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>").trim();
        let Ok(value) = serde_json::from_str::<Value>(text) else { continue };
        if let Some(found) = find_article(&value, 0) {
            return Some(found.clone());
        }
    }
    None
}

fn find_article(value: &Value, depth: usize) -> Option<&Value> {
    if depth > 6 {
        return None;
    }
    match value {
        Value::Array(items) => items.iter().find_map(|v| find_article(v, depth + 1)),
        Value::Object(map) => {
            let article_type = |t: &str| {
                t.ends_with("Article")
                    || t.ends_with("Posting")
                    || matches!(t, "Report" | "Review" | "WebPage" | "LiveBlogPosting")
            };
            let typed = match &map.get("@type") {
                Some(Value::String(t)) => article_type(t) && t != "WebPage",
                Some(Value::Array(ts)) => {
                    ts.iter().any(|t| t.as_str().is_some_and(|t| article_type(t) && t != "WebPage"))
                }
                _ => false,
            };
            if typed && (map.contains_key("headline") || map.contains_key("datePublished")) {
                return Some(value);
            }
            map.get("@graph")
                .or_else(|| map.get("mainEntity"))
                .and_then(|v| find_article(v, depth + 1))
        }
        _ => None,
    }
}

fn ld_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(clean(&decode_entities(s))).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(ld_text),
        _ => None,
    }
}

/// JSON-LD sometimes carries HTML entities (`&amp;`) in its strings.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    Document::from(format!("<p>{text}</p>").as_str()).select("p").text().to_string()
}

/// Names of people or organisations: a string, an object with `name`, or a list.
fn ld_names(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) if !s.starts_with("http") => clean_authors(s),
        Value::Object(map) => {
            map.get("name").and_then(ld_text).map(|n| clean_authors(&n)).unwrap_or_default()
        }
        Value::Array(items) => {
            let mut names: Vec<String> = Vec::new();
            for name in items.iter().flat_map(ld_names) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            names
        }
        _ => Vec::new(),
    }
}

/// The image's address and caption.
fn ld_image(value: &Value) -> (Option<String>, Option<String>) {
    match value {
        Value::String(s) => (Some(s.clone()), None),
        Value::Array(items) => items.first().map_or((None, None), ld_image),
        Value::Object(map) => (
            map.get("url").or_else(|| map.get("contentUrl")).and_then(ld_text),
            map.get("caption").and_then(ld_text),
        ),
        _ => (None, None),
    }
}

/// Last words that make a byline piece a role, not a name.
const ROLES: [&str; 12] = [
    "editor",
    "writer",
    "correspondent",
    "reporter",
    "contributor",
    "columnist",
    "staff",
    "photographer",
    "author",
    "producer",
    "critic",
    "analyst",
];

/// Author names from a byline: without `By`, without roles, and without
/// what follows the names on the same line (a date, a reading time, a
/// link in parentheses).
pub(super) fn clean_authors(byline: &str) -> Vec<String> {
    let byline = clean(byline);
    let byline = without_by(&byline);
    let byline = byline.split(['|', '\n', '•', '·', '(']).next().unwrap_or("").trim();
    // Names end where a date or a number starts.
    let mut kept = Vec::new();
    for word in byline.split(' ') {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        let is_month = bare.len() >= 3
            && crate::import::saved_text::dateline::MONTHS.iter().any(|m| m.starts_with(&bare));
        if word.chars().any(|c| c.is_ascii_digit())
            || (is_month && !kept.is_empty() && kept.len() >= 2)
        {
            break;
        }
        kept.push(word);
    }
    let byline = kept.join(" ");
    split_authors(&byline).into_iter().filter_map(|n| name_of(&n)).collect()
}

/// One author's name (a tag of its own), `Surname, Given` kept whole.
fn one_author(value: &str) -> Option<String> {
    name_of(without_by(&clean(value)))
}

/// The byline without its leading "By" (in the languages the pages use).
fn without_by(byline: &str) -> &str {
    let lower = byline.to_lowercase();
    ["by ", "von ", "por ", "par ", "di ", "door ", "av "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(byline, |p| &byline[p.len()..])
}

/// The name trimmed, unless it is a role, an address or too long to be one.
fn name_of(name: &str) -> Option<String> {
    let n = name.trim_matches(|c: char| c.is_whitespace() || c == '.' || c == ',');
    let words: Vec<String> = n.split_whitespace().map(str::to_lowercase).collect();
    let role = words.len() <= 3
        && words.last().is_some_and(|w| ROLES.iter().any(|r| w.trim_end_matches('s') == *r));
    let is_name =
        !n.is_empty() && n.chars().count() <= 60 && !role && !n.contains("://") && !n.contains('@');
    is_name.then(|| n.to_string())
}

/// A date from a machine-readable value (`2019-06-05T10:00:00-04:00`)
/// or a printed one (`June 5, 2019`); year-0001 placeholders are ignored.
pub(super) fn date_of(text: &str) -> Option<PageDate> {
    let text = text.trim();
    let date = text
        .get(..10)
        .and_then(|day| PageDate::parse(day).ok())
        .or_else(|| parse_date(text)?.ok())
        .or_else(|| text_date(text))?;
    (1990..=2100).contains(&date.year()).then(|| PageDate::from_date(date.date()))
}

/// The first `<time>` that carries a machine-readable date, preferring one
/// marked as the publication date.
fn time_element_date(document: &Document) -> Option<PageDate> {
    let times = document.select("time");
    let nodes = times.nodes();
    let marked = |n: &&NodeRef| {
        n.has_attr("pubdate")
            || n.attr("itemprop").is_some_and(|p| p.contains("datePublished"))
            || n.attr("class").is_some_and(|c| c.to_lowercase().contains("publish"))
    };
    let value = |n: &NodeRef| {
        n.attr("datetime")
            .or_else(|| n.attr("content"))
            .and_then(|d| date_of(&d))
            .or_else(|| date_of(&n.text()))
    };
    let published = document.select("[itemprop~=datePublished]");
    published
        .nodes()
        .iter()
        .find_map(value)
        .or_else(|| nodes.iter().filter(marked).find_map(value))
        .or_else(|| nodes.iter().find_map(value))
}

/// The first date printed in a short run of the page's text (a dateline
/// that no markup names): the last resort before refusing the page.
fn printed_date(document: &Document) -> Option<PageDate> {
    let body = document.select("body");
    let root = *body.nodes().first()?;
    let mut seen = 0;
    for node in root.descendants_it() {
        if !node.is_text() {
            continue;
        }
        if node
            .parent()
            .and_then(|p| p.node_name())
            .is_some_and(|n| matches!(n.as_ref(), "script" | "style" | "noscript"))
        {
            continue;
        }
        let text = node.text();
        seen += text.len();
        if seen > 200_000 {
            break;
        }
        if text.len() <= 200 {
            if let Some(date) = text_date(&text) {
                return Some(date);
            }
        }
    }
    None
}

/// `/2019/06/05/` or `/2019-06-05-` in the address.
fn url_date(url: &Url) -> Option<PageDate> {
    let path = url.path();
    let bytes = path.as_bytes();
    for at in 0..bytes.len().saturating_sub(9) {
        if at > 0 && bytes[at - 1].is_ascii_digit() {
            continue;
        }
        let window = &path[at..];
        let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
        let year = window.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?;
        let Some(sep) = window.as_bytes().get(4).filter(|s| matches!(s, b'/' | b'-')) else {
            continue;
        };
        let rest: Vec<&str> = window[5..].splitn(3, *sep as char).collect();
        if let [month, day, ..] = rest.as_slice() {
            let day = day.get(..2).unwrap_or(day);
            if digits(month)
                && digits(day)
                && !window[5..].get(5..6).is_some_and(|c| c.bytes().all(|b| b.is_ascii_digit()))
            {
                if let Ok(date) = PageDate::parse(&format!("{year}-{month}-{day}")) {
                    if (1990..=2100).contains(&date.year()) {
                        return Some(date);
                    }
                }
            }
        }
    }
    None
}

/// A date printed in an element whose class or id says it holds one
/// (`date`, `time`, `posted`, `published`, `byline`, `meta`).
fn visible_date(document: &Document) -> Option<PageDate> {
    const HINTS: [&str; 7] = ["date", "time", "posted", "publish", "byline", "meta", "dateline"];
    for node in document.select("[class], [id]").nodes() {
        let names = format!(
            "{} {}",
            node.attr("class").unwrap_or_default(),
            node.attr("id").unwrap_or_default()
        )
        .to_lowercase();
        if !HINTS.iter().any(|h| names.contains(h)) {
            continue;
        }
        let text = node.text();
        if text.len() > 300 {
            continue;
        }
        if let Some(date) = text_date(&text) {
            return Some(date);
        }
    }
    None
}

/// The first date printed in a short text: `June 5, 2019`, `5 June 2019`,
/// `2019-06-05`, `05.06.2019`, `2019年6月5日`.
pub(super) fn text_date(text: &str) -> Option<PageDate> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '(' || c == ')')
        .map(|w| w.trim_end_matches(['.', ';', ':']))
        .filter(|w| !w.is_empty())
        .collect();
    for i in 0..words.len() {
        for len in [3, 1] {
            let Some(window) = words.get(i..i + len) else { continue };
            if let Some(Ok(date)) = parse_date(&window.join(" ")) {
                if (1990..=2100).contains(&date.year()) {
                    return Some(date);
                }
            }
        }
    }
    cjk_date(text)
}

/// `2019年6月5日` (Chinese and Japanese), `2019년 6월 5일` (Korean).
fn cjk_date(text: &str) -> Option<PageDate> {
    let year_at = text.find(['年', '년'])?;
    let year: String = text[..year_at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let rest = text[year_at..].trim_start_matches(['年', '년', ' ']);
    let (month, rest) = rest.split_once(['月', '월'])?;
    let rest = rest.trim_start();
    let (day, _) = rest.split_once(['日', '일'])?;
    let date =
        PageDate::parse(&format!("{year:0>4}-{:0>2}-{:0>2}", month.trim(), day.trim())).ok()?;
    (1990..=2100).contains(&date.year()).then_some(date)
}

#[cfg(test)]
mod tests;
