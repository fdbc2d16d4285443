//! Link previews and structured data: what a chat or social site shows for
//! a pasted address (OpenGraph `og:*` and Twitter card tags) and what search
//! engines read (JSON-LD: a `NewsArticle` on an article's page, a `WebSite`
//! with a `SearchAction` on the home page, a `WebPage` or `CollectionPage`
//! elsewhere).
//!
//! [`preview`] makes `preview` for a page's template from the page's own
//! view, borrowing from it. Every string reaches the HTML through Tera's
//! escaping, but for `json_ld`, which is made safe here for a `<script>`
//! element: the JSON-LD objects are written field by field straight into
//! their text (every article page has one, so no intermediate JSON tree),
//! with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`, so no
//! title can close the element (see `json_ld`).

use super::context::{ArticleContext, StandaloneContext};
use super::json_ld::JsonText;
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
                web_page("WebPage", &page.title, description).json()
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
                web_page(kind, &title, site_description).json()
            };
            (title, site_description, None, json_ld)
        }
        PageContent::ArchiveIndex(archive) => {
            let json_ld = web_page("CollectionPage", &archive.title, site_description).json();
            (Cow::Borrowed(&archive.title), site_description, None, json_ld)
        }
        PageContent::TaxonomyIndex { taxonomy, .. } => {
            let json_ld = web_page("CollectionPage", &taxonomy.title, site_description).json();
            (Cow::Borrowed(&*taxonomy.title), site_description, None, json_ld)
        }
        PageContent::Search => {
            let json_ld = web_page("SearchResultsPage", "Search", site_description).json();
            (Cow::Borrowed("Search"), site_description, None, json_ld)
        }
        PageContent::NotFound => {
            let json_ld = web_page("WebPage", "Page not found", None).json();
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

// The JSON-LD objects, written straight from borrowed fields. Their fields
// are in the byte order of their JSON keys, the order the JSON-LD has always
// been printed in.

/// Room for an article's `NewsArticle`, so its text is not grown step by step.
const JSON_LD_CAPACITY: usize = 1024;

/// A `WebPage`, `CollectionPage` or `SearchResultsPage`.
struct WebPage<'a> {
    kind: &'a str,
    date_published: Option<&'a str>,
    description: Option<&'a str>,
    /// The site's title.
    site_name: &'a str,
    /// The home page's absolute URL.
    home: &'a str,
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
        WebPage { kind, date_published: None, description, site_name: &site.title, home, name, url }
    }

    /// The object's text, script-safe.
    fn json(&self) -> String {
        let mut json = JsonText::with_capacity(JSON_LD_CAPACITY);
        json.begin_object();
        json.field("@context", SCHEMA_ORG);
        json.field("@type", self.kind);
        json.optional_field("datePublished", self.date_published);
        json.optional_field("description", self.description);
        json.key("isPartOf");
        named(&mut json, "WebSite", self.site_name, Some(self.home));
        json.field("name", self.name);
        json.field("url", self.url);
        json.end_object();
        json.finish()
    }
}

/// A typed name with an address: a `Person`, an `Organization`, a `WebSite`, a `Periodical`.
fn named(json: &mut JsonText, kind: &str, name: &str, url: Option<&str>) {
    json.begin_object();
    json.field("@type", kind);
    json.field("name", name);
    json.optional_field("url", url);
    json.end_object();
}

/// The `NewsArticle` of a full article's page, script-safe.
fn news_article(views: &SiteViews<'_>, page: &ArticleContext<'_>, url: &str, home: &str) -> String {
    let graph = views.graph;
    // A term page's public path as an absolute URL.
    let absolute = |public: &str| {
        let site_path = public.strip_prefix(graph.base.prefix()).unwrap_or(public);
        graph.base.absolute(site_path)
    };
    let mut json = JsonText::with_capacity(JSON_LD_CAPACITY);
    json.begin_object();
    json.field("@context", SCHEMA_ORG);
    json.field("@type", "NewsArticle");
    json.key("author");
    json.begin_array();
    for author in &page.authors {
        let url = author.url.as_deref().map(absolute);
        named(&mut json, "Person", &author.name, url.as_deref());
    }
    json.end_array();
    json.optional_field("copyrightNotice", page.rights.as_deref());
    json.field("dateModified", &page.date_rfc3339);
    json.field("datePublished", &page.date_rfc3339);
    json.optional_field("description", page.standfirst.as_deref());
    json.field("headline", &page.title);
    json.optional_field("image", page.image_url.as_deref());
    json.field("inLanguage", &graph.config.language);
    if let Some(publication) = &page.publication {
        let url = publication.url.as_deref().map(absolute);
        json.key("isPartOf");
        named(&mut json, "Periodical", &publication.name, url.as_deref());
    }
    if !page.tags.is_empty() {
        let tags: Vec<&str> = page.tags.iter().map(|t| &*t.name).collect();
        json.field("keywords", &tags.join(", "));
    }
    json.key("mainEntityOfPage");
    json.begin_object();
    json.field("@id", url);
    json.field("@type", "WebPage");
    json.end_object();
    json.key("publisher");
    named(&mut json, "Organization", &graph.config.title, Some(home));
    json.field("url", url);
    json.end_object();
    json.finish()
}

/// The `WebPage` of a standalone page, script-safe.
fn standalone<'a>(page: &'a StandaloneContext<'_>, mut web_page: WebPage<'a>) -> String {
    web_page.date_published = page.date_rfc3339.as_deref();
    web_page.json()
}

/// The home page's `WebSite`, with a `SearchAction` at `search/?q=` when the
/// site has search, script-safe.
fn website(views: &SiteViews<'_>, url: &str, description: Option<&str>) -> String {
    let graph = views.graph;
    let mut json = JsonText::with_capacity(JSON_LD_CAPACITY);
    json.begin_object();
    json.field("@context", SCHEMA_ORG);
    json.field("@type", "WebSite");
    json.optional_field("description", description);
    json.field("inLanguage", &graph.config.language);
    json.field("name", &graph.config.title);
    if graph.config.search {
        json.key("potentialAction");
        json.begin_object();
        json.field("@type", "SearchAction");
        json.field("query-input", "required name=search_term_string");
        json.key("target");
        json.begin_object();
        json.field("@type", "EntryPoint");
        let search = graph.permalink("/search/");
        json.field("urlTemplate", &format!("{search}?q={{search_term_string}}"));
        json.end_object();
        json.end_object();
    }
    json.field("url", url);
    json.end_object();
    json.finish()
}
