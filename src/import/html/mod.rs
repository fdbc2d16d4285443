//! The HTML importer: saved article pages (a browser's "Save Page As",
//! SingleFile's one file with `data:` images, Chrome's `.mhtml`, a crawler's
//! `.html.gz`) become an article.
//!
//! The steps: decode the bytes ([`decode`]); parse once into a `dom_query`
//! document; read the metadata before anything changes the document
//! ([`meta`]); take the related-article lists out ([`teasers`]), so they
//! become `related:` entries and stubs instead of leaking into the body;
//! let `dom_smoothie` (a port of Mozilla's Readability) find and clean the
//! article; write its DOM as Markdown ([`markdown`]), copying the images
//! the save brought beside the article ([`images`]).

mod decode;
mod images;
mod markdown;
pub(crate) mod meta;
mod saved_date;
pub(crate) mod teasers;

use super::{ImportedArticle, Importer, Part};
use crate::content::{FrontMatter, Image, PageDate, Teaser};
use crate::error::{Diagnostic, Location};
use dom_query::Document;
use std::path::Path;

/// Reads saved HTML pages.
pub struct HtmlImporter;

/// Above the saved-text importer, which refuses markup.
const HTML_PRIORITY: i32 = 10;

/// The file name endings this importer collects.
const EXTENSIONS: [&str; 6] = ["html", "htm", "xhtml", "mhtml", "mht", "html.gz"];

impl Importer for HtmlImporter {
    fn name(&self) -> &'static str {
        "HTML"
    }

    fn sniff(&self, path: &Path, text: &str) -> bool {
        self.sniff_bytes(path, text.as_bytes())
    }

    /// Files named like HTML, and any other whose first characters open
    /// an HTML document, except a `.txt` file: that is a saved text page,
    /// and markup in one is refused as such by the saved-text importer.
    fn sniff_bytes(&self, path: &Path, bytes: &[u8]) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
        if EXTENSIONS.iter().any(|e| name.ends_with(&format!(".{e}"))) {
            return true;
        }
        !name.ends_with(".txt") && looks_like_html(bytes)
    }

    fn extensions(&self) -> &[&str] {
        &EXTENSIONS
    }

    fn priority(&self) -> i32 {
        HTML_PRIORITY
    }

    fn parse(&self, path: &Path, text: &str) -> Result<ImportedArticle, Diagnostic> {
        read_page(path, text.as_bytes())
    }

    fn parse_all_bytes(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Part>, Diagnostic> {
        Ok(vec![Part { id: None, record: None, article: read_page(path, bytes)? }])
    }
}

/// Whether the bytes start like an HTML document (after a byte-order mark,
/// white space and comments).
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let lower = head.to_ascii_lowercase();
    let text = String::from_utf8_lossy(&lower);
    let mut rest = text.trim_start();
    while let Some(after) = rest.strip_prefix("<!--") {
        rest = after.split_once("-->").map_or("", |(_, r)| r).trim_start();
    }
    rest.starts_with("<!doctype html") || rest.starts_with("<html") || rest.starts_with("<head")
}

/// Text shorter than this (in words) is not an article.
const MIN_WORDS: usize = 3;

fn refuse(path: &Path, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at(path, Location::line(1), message.into())
}

fn read_page(path: &Path, bytes: &[u8]) -> Result<ImportedArticle, Diagnostic> {
    let decoded = decode::decode(path, bytes)?;
    let document = Document::from(decoded.html.as_str());
    flatten_deep_nesting(&document);
    let page = meta::read(&document, &decoded.html, decoded.location.as_deref());
    let found = teasers::find_teasers(&document, page.url.as_ref());
    for id in &found.boxes {
        if let Some(node) = document.tree.get(id) {
            node.remove_from_parent();
        }
    }
    let page_url = page.url.as_ref().map(|u| u.to_string());
    let config = dom_smoothie::Config { max_elements_to_parse: 0, ..Default::default() };
    // No address for the extractor: links stay as written, so an image in
    // the save's `_files/` folder is still known by its relative path.
    let mut readability = dom_smoothie::Readability::with_document(document, None, Some(config))
        .map_err(|e| refuse(path, format!("cannot read the page ({e})")))?;
    let article = readability.parse().map_err(|_| {
        refuse(
            path,
            "no article found on the page (a home page or a listing?); expected a saved article",
        )
    })?;
    let title =
        [Some(meta::clean(&article.title)), page.headline.clone(), page.first_heading.clone()]
            .into_iter()
            .flatten()
            .find(|t| !t.is_empty())
            .map(|t| without_site_suffix(&t, &page));
    let words = article.text_content.split_whitespace().count();
    let cjk = article.text_content.chars().filter(|c| u32::from(*c) >= 0x2E80).count();
    if words + cjk / 2 < MIN_WORDS {
        return Err(refuse(
            path,
            format!(
                "no article found on the page ({words} word{} of text); expected a saved article",
                if words == 1 { "" } else { "s" }
            ),
        ));
    }
    if !page.is_article && page.url.as_ref().is_some_and(|u| u.path() == "/" && u.query().is_none())
    {
        return Err(refuse(path, "a home page, not an article; expected a saved article"));
    }
    let content = Document::from(article.content.as_ref());
    if !page.is_article && is_listing(&content) {
        return Err(refuse(
            path,
            "a listing of links (a home or section page), not an article; expected a saved article",
        ));
    }
    let mut warnings = Vec::new();
    let title = match title {
        Some(title) => title,
        None => {
            let title = super::names::title_from_file_name(path, &EXTENSIONS).ok_or_else(|| refuse(path, "the page has no title (no <title>, headline, og:title or heading) and its file name gives none; expected a saved article with a title"))?;
            warnings.push(refuse(
                path,
                "no title on the page; titled after the file name: set title: by hand",
            ));
            title
        }
    };
    let published = page.date.or_else(|| article.published_time.as_deref().and_then(meta::date_of));
    let undated = published.is_none();
    let date = match published {
        Some(date) => date,
        None => {
            let addresses: Vec<&str> =
                decoded.location.iter().map(String::as_str).chain(page_url.as_deref()).collect();
            let saved = saved_date::saved_on(path, &decoded.html, decoded.saved_at.as_deref(), &addresses)
                .ok_or_else(|| refuse(path, "no date anywhere on the page (meta tags, JSON-LD, <time>, byline, address) and no time of saving; expected an article's publication date"))?;
            warnings.push(refuse(path, format!("no publication date on the page; dated by when it was saved ({saved}): set date: by hand")));
            PageDate::from_date(saved)
        }
    };
    let mut authors = page.authors.clone();
    if authors.is_empty() {
        authors = article.byline.as_deref().map(meta::clean_authors).unwrap_or_default();
    }
    let mut assets = images::Assets::new(&decoded, path);
    let base = page.base.clone();
    let mut map = |raw: &str, absolute: &str| assets.local(raw, absolute);
    let body =
        markdown::convert(&content.root(), base.as_ref(), page.url.as_ref(), &title, &mut map);
    let publication = page
        .publication
        .clone()
        .or_else(|| article.site_name.as_deref().map(meta::clean))
        .filter(|p| !p.is_empty());
    let standfirst = page
        .description
        .clone()
        .or_else(|| article.excerpt.as_deref().map(meta::clean))
        .filter(|d| !d.is_empty() && !body_starts_with(&body, d));
    let image = page.image.as_ref().map(|src| Image {
        src: {
            let absolute = base
                .as_ref()
                .and_then(|b| b.join(src).ok())
                .map_or_else(|| src.clone(), |u| u.to_string());
            Some(assets.local(src, &absolute)).filter(|s| !s.is_empty())
        },
        caption: page.image_caption.clone(),
        credit: None,
    });
    let related = found
        .teasers
        .into_iter()
        .filter(|t| !t.title.trim().is_empty())
        .map(|t| Teaser {
            title: meta::clean(&t.title),
            url: Some(t.url),
            date: t.date.map(PageDate::from_date),
            byline: None,
            caption: t.caption,
            credit: None,
        })
        .collect();
    let front_matter = FrontMatter {
        title,
        date,
        authors,
        publication,
        standfirst,
        image,
        tags: page.tags.clone(),
        series: None,
        author_bio: None,
        rights: None,
        related,
        source: Some(crate::content::SourceRef::seen_at(page_url, undated)),
        slug: None,
        aliases: Vec::new(),
        draft: false,
        stub: false,
        extra: Default::default(),
    };
    Ok(ImportedArticle {
        front_matter,
        body,
        body_is_markdown: true,
        assets: assets.into_files(),
        warnings,
        title_line: 1,
    })
}

/// Whether the description is the body's opening (then it is no standfirst).
fn body_starts_with(body: &[String], description: &str) -> bool {
    let prefix: String = description.chars().filter(|c| c.is_alphanumeric()).take(60).collect();
    let opening: String = body
        .iter()
        .take(3)
        .flat_map(|b| b.chars())
        .filter(|c| c.is_alphanumeric())
        .take(400)
        .collect();
    !prefix.is_empty() && opening.contains(&prefix)
}

/// Whether the extracted content is mostly links: a list of headlines
/// (a home or section page) rather than prose.
fn is_listing(content: &Document) -> bool {
    let words = |text: &str| text.split_whitespace().count();
    let all = words(&content.root().text());
    let linked: usize = content.select("a").nodes().iter().map(|a| words(&a.text())).sum();
    let paragraphs = content.select("p").nodes().iter().filter(|p| words(&p.text()) >= 25).count();
    all > 0 && linked * 2 > all && paragraphs < 2
}

/// The headline without the site's name that `<title>` adds (`Headline |
/// Site`, `Headline - Site`): cut where the part before the separator is
/// the page's own headline (its `<h1>`, JSON-LD or OpenGraph headline) or
/// the part after it is the publication's name.
fn without_site_suffix(title: &str, page: &meta::PageMeta) -> String {
    for separator in [" | ", " - ", " – ", " — ", " · ", " :: "] {
        let Some((head, tail)) = title.rsplit_once(separator) else { continue };
        let head = head.trim();
        let same = |other: &Option<String>| {
            other.as_deref().is_some_and(|o| o.trim().eq_ignore_ascii_case(head))
        };
        let names_site =
            page.publication.as_deref().is_some_and(|p| tail.trim().eq_ignore_ascii_case(p.trim()));
        if !head.is_empty() && (same(&page.first_heading) || same(&page.headline) || names_site) {
            return head.to_string();
        }
    }
    title.to_string()
}

/// Elements nested deeper than this keep only their text: no real page
/// nests so deep, and extraction time grows with depth times size (10,000
/// nested elements took 11 s before this cut, well under a second after).
const MAX_NESTING: usize = 200;

fn flatten_deep_nesting(document: &Document) {
    let mut stack = vec![(document.root(), 0usize)];
    let mut too_deep = Vec::new();
    while let Some((node, depth)) = stack.pop() {
        for child in node.children_it(false).filter(|c| c.is_element()) {
            if depth + 1 >= MAX_NESTING {
                too_deep.push(child);
            } else {
                stack.push((child, depth + 1));
            }
        }
    }
    for node in too_deep {
        let text = node.text();
        node.set_text(text.as_ref());
    }
}
