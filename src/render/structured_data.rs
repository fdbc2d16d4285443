//! Link previews and structured data: what a chat or social site shows for
//! a pasted address (OpenGraph `og:*` and Twitter card tags) and what search
//! engines read (JSON-LD: a `NewsArticle` on an article's page, a `WebSite`
//! with a `SearchAction` on the home page, a `WebPage` or `CollectionPage`
//! elsewhere).
//!
//! [`preview`] makes `preview` for a page's template from the page's own
//! view, borrowing from it. Every string reaches the HTML through Tera's
//! escaping, but for `json_ld`, which is made safe here for a `<script>`
//! element: the JSON-LD objects are structs of borrowed fields that
//! serde_json writes straight into the text (every article page has one, so
//! no intermediate JSON tree), with `<`, `>` and `&` written as `\u003c`,
//! `\u003e` and `\u0026`, so no title can close the element.

use super::context::{ArticleContext, StandaloneContext};
use super::pages::{PageContent, PageView};
use super::views::SiteViews;
use crate::site::outputs::ListingKind;
use serde::Serialize;
use std::borrow::Cow;

/// `preview` in every HTML page's template.
#[derive(Debug, Serialize)]
pub struct Preview<'a> {
    /// The page's title, without the site's name (`og:title`).
    pub title: Cow<'a, str>,
    /// One or two sentences about the page, when there are any (`og:description`).
    pub description: Option<&'a str>,
    /// The page's absolute URL (`og:url`).
    pub url: String,
    /// The site's title (`og:site_name`).
    pub site_name: &'a str,
    /// `article` for an article's page, else `website` (`og:type`).
    pub og_type: &'static str,
    /// The absolute URL of the page's image, when it has one (`og:image`).
    pub image: Option<&'a str>,
    /// `summary_large_image` with an image, else `summary` (`twitter:card`).
    pub twitter_card: &'static str,
    /// `article:*` on an article's page.
    pub article: Option<ArticleMeta<'a>>,
    /// The JSON-LD object, safe to print unescaped inside `<script type="application/ld+json">`
    /// (marked safe: it prints as it is).
    #[serde(serialize_with = "super::values::safe_str")]
    pub json_ld: String,
    /// The fields above as `<meta>` tags (OpenGraph, `article:*`, Twitter),
    /// one a line, escaped: what the default theme prints. Filled in by
    /// `preview_tags::tags_html` where the page is rendered (marked safe).
    #[serde(serialize_with = "super::values::safe_str")]
    pub tags_html: String,
}

/// `article:published_time`, `article:author`, `article:section` and `article:tag`.
#[derive(Debug, Serialize)]
pub struct ArticleMeta<'a> {
    /// RFC 3339.
    pub published_time: &'a str,
    /// Author names.
    pub authors: Vec<&'a str>,
    /// The publication.
    pub section: Option<&'a str>,
    /// Tags.
    pub tags: Vec<&'a str>,
}

/// The preview of an HTML page whose absolute URL is `url`; `None` for
/// feeds, sitemaps and other files.
pub fn preview<'a>(
    views: &'a SiteViews<'_>,
    view: &'a PageView<'_>,
    url: String,
) -> Option<Preview<'a>> {
    let graph = views.graph;
    let site = &graph.config;
    let home: &str = &views.site.home_permalink;
    let site_description = site.description.as_deref();
    let web_page =
        |kind, name, description| WebPage::new(kind, name, description, site, home, &url);
    let mut image = None;
    let (title, description, article, json_ld): (Cow<'a, str>, _, _, _) = match &view.content {
        PageContent::Article(page) => {
            let description = page.standfirst.as_deref().or(site_description);
            image = page.image_url.as_deref();
            let json_ld = if page.stub {
                script_safe_json(&web_page("WebPage", &page.title, description))
            } else {
                news_article(views, page, &url, home)
            };
            let meta = ArticleMeta {
                published_time: &page.date_rfc3339,
                authors: page.authors.iter().map(|a| &*a.name).collect(),
                section: page.publication.as_ref().map(|p| &*p.name),
                tags: page.tags.iter().map(|t| &*t.name).collect(),
            };
            (Cow::Borrowed(&*page.title), description, Some(meta), json_ld)
        }
        PageContent::Standalone(page) => {
            let description = page.standfirst.as_deref().or(site_description);
            let json_ld = standalone(page, web_page("WebPage", &page.title, description));
            (Cow::Borrowed(&*page.title), description, None, json_ld)
        }
        PageContent::Listing { pages, taxonomy, term, archive, .. } => {
            let (title, kind): (Cow<'a, str>, _) = match (pages.kind(), term, archive) {
                (ListingKind::Home, ..) => (Cow::Borrowed(&site.title), "WebSite"),
                (_, Some(term), _) => {
                    let of = taxonomy.as_ref().map_or(String::new(), |t| format!(" ({})", t.title));
                    (Cow::Owned(format!("{}{of}", term.name)), "CollectionPage")
                }
                (_, _, Some(archive)) => (Cow::Borrowed(&archive.title), "CollectionPage"),
                _ => (Cow::Borrowed(&site.title), "CollectionPage"),
            };
            let json_ld = if kind == "WebSite" {
                website(views, &url, site_description)
            } else {
                script_safe_json(&web_page(kind, &title, site_description))
            };
            (title, site_description, None, json_ld)
        }
        PageContent::ArchiveIndex(archive) => {
            let json_ld =
                script_safe_json(&web_page("CollectionPage", &archive.title, site_description));
            (Cow::Borrowed(&archive.title), site_description, None, json_ld)
        }
        PageContent::TaxonomyIndex { taxonomy, .. } => {
            let json_ld =
                script_safe_json(&web_page("CollectionPage", &taxonomy.title, site_description));
            (Cow::Borrowed(&*taxonomy.title), site_description, None, json_ld)
        }
        PageContent::Search => {
            let json_ld =
                script_safe_json(&web_page("SearchResultsPage", "Search", site_description));
            (Cow::Borrowed("Search"), site_description, None, json_ld)
        }
        PageContent::NotFound => {
            let json_ld = script_safe_json(&web_page("WebPage", "Page not found", None));
            (Cow::Borrowed("Page not found"), None, None, json_ld)
        }
        PageContent::Feed(_)
        | PageContent::Sitemap(_)
        | PageContent::SitemapIndex(_)
        | PageContent::Robots(_)
        | PageContent::Redirects(_)
        | PageContent::Alias { .. } => return None,
    };
    let og_type = if article.is_some() { "article" } else { "website" };
    let twitter_card = if image.is_some() { "summary_large_image" } else { "summary" };
    Some(Preview {
        title,
        description,
        url,
        site_name: &site.title,
        og_type,
        image,
        twitter_card,
        article,
        json_ld,
        tags_html: String::new(),
    })
}

const SCHEMA_ORG: &str = "https://schema.org";

// The JSON-LD objects, serialised straight from borrowed fields. Their
// fields are in the byte order of their JSON keys, the order the JSON-LD
// has always been printed in.

/// A `WebPage`, `CollectionPage` or `SearchResultsPage`.
#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "isPartOf")]
    is_part_of: Named<'a>,
    name: &'a str,
    url: &'a str,
}

impl<'a> WebPage<'a> {
    fn new(
        kind: &'a str,
        name: &'a str,
        description: Option<&'a str>,
        site: &'a crate::config::SiteConfig,
        home: &'a str,
        url: &'a str,
    ) -> WebPage<'a> {
        WebPage {
            context: SCHEMA_ORG,
            kind,
            date_published: None,
            description,
            is_part_of: Named { kind: "WebSite", name: &site.title, url: Some(home) },
            name,
            url,
        }
    }
}

/// A typed name with an address: a `Person`, an `Organization`, a `WebSite`, a `Periodical`.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The `NewsArticle` of a full article's page.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    author: Vec<Named<'a>>,
    #[serde(rename = "copyrightNotice", skip_serializing_if = "Option::is_none")]
    copyright_notice: Option<&'a str>,
    #[serde(rename = "dateModified")]
    date_modified: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: EntityOfPage<'a>,
    publisher: Named<'a>,
    url: &'a str,
}

/// `mainEntityOfPage`: the page the article is the subject of.
#[derive(Serialize)]
struct EntityOfPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
}

/// The home page's `WebSite`.
#[derive(Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    name: &'a str,
    #[serde(rename = "potentialAction", skip_serializing_if = "Option::is_none")]
    potential_action: Option<SearchAction<'a>>,
    url: &'a str,
}

/// The search a `WebSite` offers.
#[derive(Serialize)]
struct SearchAction<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "query-input")]
    query_input: &'a str,
    target: EntryPoint,
}

/// Where a `SearchAction` leads.
#[derive(Serialize)]
struct EntryPoint {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "urlTemplate")]
    url_template: String,
}

/// The `NewsArticle` of a full article's page, script-safe.
fn news_article(views: &SiteViews<'_>, page: &ArticleContext<'_>, url: &str, home: &str) -> String {
    let graph = views.graph;
    let absolute = |public: &str| {
        let site_path = public.strip_prefix(graph.base.prefix()).unwrap_or(public);
        graph.base.absolute(&format!("/{site_path}"))
    };
    let author_urls: Vec<Option<String>> =
        page.authors.iter().map(|author| author.url.as_deref().map(absolute)).collect();
    let publication_url = page.publication.as_ref().and_then(|p| p.url.as_deref().map(absolute));
    let article = NewsArticle {
        context: SCHEMA_ORG,
        kind: "NewsArticle",
        author: page
            .authors
            .iter()
            .zip(&author_urls)
            .map(|(author, url)| Named { kind: "Person", name: &author.name, url: url.as_deref() })
            .collect(),
        copyright_notice: page.rights.as_deref(),
        date_modified: &page.date_rfc3339,
        date_published: &page.date_rfc3339,
        description: page.standfirst.as_deref(),
        headline: &page.title,
        image: page.image_url.as_deref(),
        in_language: &graph.config.language,
        is_part_of: page.publication.as_ref().map(|publication| Named {
            kind: "Periodical",
            name: &publication.name,
            url: publication_url.as_deref(),
        }),
        keywords: (!page.tags.is_empty()).then(|| {
            let tags: Vec<&str> = page.tags.iter().map(|t| &*t.name).collect();
            tags.join(", ")
        }),
        main_entity_of_page: EntityOfPage { id: url, kind: "WebPage" },
        publisher: Named { kind: "Organization", name: &graph.config.title, url: Some(home) },
        url,
    };
    script_safe_json(&article)
}
/// The `WebPage` of a standalone page, script-safe.
fn standalone<'a>(page: &'a StandaloneContext<'_>, mut web_page: WebPage<'a>) -> String {
    web_page.date_published = page.date_rfc3339.as_deref();
    script_safe_json(&web_page)
}

/// The home page's `WebSite`, with a `SearchAction` at `search/?q=` when the
/// site has search, script-safe.
fn website(views: &SiteViews<'_>, url: &str, description: Option<&str>) -> String {
    let graph = views.graph;
    let search = graph.config.search.then(|| SearchAction {
        kind: "SearchAction",
        query_input: "required name=search_term_string",
        target: EntryPoint {
            kind: "EntryPoint",
            url_template: format!("{}?q={{search_term_string}}", graph.permalink("/search/")),
        },
    });
    script_safe_json(&WebSite {
        context: SCHEMA_ORG,
        kind: "WebSite",
        description,
        in_language: &graph.config.language,
        name: &graph.config.title,
        potential_action: search,
        url,
    })
}

/// `value` as compact JSON that no string inside can end a `<script>`
/// element with: `<`, `>` and `&` written as JSON escapes, which parse back
/// to the same text. (JSON has them nowhere but inside strings, and few
/// titles have them: the common case is one scan for each.)
fn script_safe_json(value: &impl Serialize) -> String {
    // Room for an article's `NewsArticle`, so the text is not grown step by step.
    let mut bytes = Vec::with_capacity(1024);
    // The objects have string keys only, and writing into a Vec cannot fail;
    // serde_json writes UTF-8.
    let json = match serde_json::to_writer(&mut bytes, value) {
        Ok(()) => String::from_utf8(bytes).unwrap_or_else(|_| "null".to_string()),
        Err(_) => "null".to_string(),
    };
    if ![b'<', b'>', b'&'].iter().any(|c| json.as_bytes().contains(c)) {
        return json;
    }
    let mut escaped = String::with_capacity(json.len() + 32);
    for c in json.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::script_safe_json;
    use serde_json::json;

    #[test]
    fn a_title_cannot_close_the_script_element() {
        let title = "Quotes \" and </script><script>alert(1)</script> & more";
        let safe = script_safe_json(&json!({"headline": title, "<&>": "a<b"}));
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["headline"], title);
        assert_eq!(back["<&>"], "a<b");
    }

    #[test]
    fn the_output_is_compact_json_as_serde_json_writes_it() {
        let value = json!({"@type": "Person", "name": "Ann \"L\" \u{1}é", "n": [1, null]});
        assert_eq!(script_safe_json(&value), value.to_string());
    }
}
