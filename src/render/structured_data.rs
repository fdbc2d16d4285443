//! Link previews and structured data: what a chat or social site shows for
//! a pasted address (OpenGraph `og:*` and Twitter card tags) and what search
//! engines read (JSON-LD: a `NewsArticle` on an article's page, a `WebSite`
//! with a `SearchAction` on the home page, a `WebPage` or `CollectionPage`
//! elsewhere).
//!
//! [`preview`] makes `preview` for a page's template from the page's own
//! view, so a page's signature (the hash of its view) covers it. Every
//! string reaches the HTML through Tera's escaping, but for `json_ld`, which
//! is made safe here for a `<script>` element: serialised by serde_json and
//! with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`, so no
//! title can close the element.

use super::context::{ArticleContext, Link, StandaloneContext};
use super::pages::{PageContent, PageView};
use super::views::SiteViews;
use crate::site::outputs::ListingKind;
use serde::Serialize;
use serde_json::{Value, json};

/// `preview` in every HTML page's template.
#[derive(Debug, Serialize)]
pub struct Preview {
    /// The page's title, without the site's name (`og:title`).
    pub title: String,
    /// One or two sentences about the page, when there are any (`og:description`).
    pub description: Option<String>,
    /// The page's absolute URL (`og:url`).
    pub url: String,
    /// The site's title (`og:site_name`).
    pub site_name: String,
    /// `article` for an article's page, else `website` (`og:type`).
    pub og_type: &'static str,
    /// The absolute URL of the page's image, when it has one (`og:image`).
    pub image: Option<String>,
    /// `summary_large_image` with an image, else `summary` (`twitter:card`).
    pub twitter_card: &'static str,
    /// `article:*` on an article's page.
    pub article: Option<ArticleMeta>,
    /// The JSON-LD object, safe to print unescaped inside `<script type="application/ld+json">`.
    pub json_ld: String,
}

/// `article:published_time`, `article:author`, `article:section` and `article:tag`.
#[derive(Debug, Serialize)]
pub struct ArticleMeta {
    /// RFC 3339.
    pub published_time: String,
    /// Author names.
    pub authors: Vec<String>,
    /// The publication.
    pub section: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

/// The preview of an HTML page; `None` for feeds, sitemaps and other files.
pub fn preview(views: &SiteViews<'_>, view: &PageView<'_>) -> Option<Preview> {
    let graph = views.graph;
    let site = &graph.config;
    let url = graph.permalink(&view.site_path);
    let absolute = |public: &str| {
        let site_path = public.strip_prefix(graph.base.prefix()).unwrap_or(public);
        graph.base.absolute(&format!("/{site_path}"))
    };
    let site_description = site.description.clone();
    let web_page = |kind: &str, name: &str, description: &Option<String>| {
        let mut page = json!({
            "@context": "https://schema.org",
            "@type": kind,
            "name": name,
            "url": url,
            "isPartOf": {"@type": "WebSite", "name": site.title, "url": graph.permalink("/")},
        });
        if let Some(description) = description {
            page["description"] = json!(description);
        }
        page
    };
    let mut image: Option<String> = None;
    let (title, description, article, json_ld) = match &view.content {
        PageContent::Article(page) => {
            let description = page.standfirst.as_deref().map(str::to_string).or(site_description);
            image = page.image_url.as_deref().map(str::to_string);
            let json_ld = if page.stub {
                web_page("WebPage", &page.title, &description)
            } else {
                news_article(page, &url, views, &absolute)
            };
            let meta = ArticleMeta {
                published_time: page.date_rfc3339.to_string(),
                authors: page.authors.iter().map(|a| a.name.to_string()).collect(),
                section: page.publication.as_ref().map(|p| p.name.to_string()),
                tags: page.tags.iter().map(|t| t.name.to_string()).collect(),
            };
            (page.title.to_string(), description, Some(meta), json_ld)
        }
        PageContent::Standalone(page) => {
            let description = page.standfirst.as_deref().map(str::to_string).or(site_description);
            (
                page.title.to_string(),
                description.clone(),
                None,
                standalone(page, &description, &web_page),
            )
        }
        PageContent::Listing { pages, taxonomy, term, archive, .. } => {
            let (title, kind) = match (pages.kind(), term, archive) {
                (ListingKind::Home, ..) => (site.title.clone(), "WebSite"),
                (_, Some(term), _) => {
                    let of = taxonomy.as_ref().map_or(String::new(), |t| format!(" ({})", t.title));
                    (format!("{}{of}", term.name), "CollectionPage")
                }
                (_, _, Some(archive)) => (archive.title.clone(), "CollectionPage"),
                _ => (site.title.clone(), "CollectionPage"),
            };
            let json_ld = if kind == "WebSite" {
                website(views, &url, &site_description)
            } else {
                web_page(kind, &title, &site_description)
            };
            (title, site_description, None, json_ld)
        }
        PageContent::ArchiveIndex(archive) => {
            let json_ld = web_page("CollectionPage", &archive.title, &site_description);
            (archive.title.clone(), site_description, None, json_ld)
        }
        PageContent::TaxonomyIndex { taxonomy, .. } => {
            let json_ld = web_page("CollectionPage", &taxonomy.title, &site_description);
            (taxonomy.title.to_string(), site_description, None, json_ld)
        }
        PageContent::Search => {
            let json_ld = web_page("SearchResultsPage", "Search", &site_description);
            ("Search".to_string(), site_description, None, json_ld)
        }
        PageContent::NotFound => {
            let json_ld = web_page("WebPage", "Page not found", &None);
            ("Page not found".to_string(), None, None, json_ld)
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
        site_name: site.title.clone(),
        og_type,
        image,
        twitter_card,
        article,
        json_ld: script_safe(&json_ld),
    })
}

/// The `NewsArticle` of a full article's page.
fn news_article(
    page: &ArticleContext<'_>,
    url: &str,
    views: &SiteViews<'_>,
    absolute: &dyn Fn(&str) -> String,
) -> Value {
    let graph = views.graph;
    let person = |author: &Link<'_>| {
        let mut person = json!({"@type": "Person", "name": author.name});
        if let Some(url) = &author.url {
            person["url"] = json!(absolute(url));
        }
        person
    };
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "url": url,
        "datePublished": page.date_rfc3339,
        "dateModified": page.date_rfc3339,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "author": page.authors.iter().map(person).collect::<Vec<Value>>(),
        "publisher": {"@type": "Organization", "name": graph.config.title, "url": graph.permalink("/")},
        "inLanguage": graph.config.language,
    });
    if let Some(standfirst) = &page.standfirst {
        article["description"] = json!(standfirst);
    }
    if let Some(image) = &page.image_url {
        article["image"] = json!(image);
    }
    if let Some(publication) = &page.publication {
        let mut periodical = json!({"@type": "Periodical", "name": publication.name});
        if let Some(url) = &publication.url {
            periodical["url"] = json!(absolute(url));
        }
        article["isPartOf"] = periodical;
    }
    if !page.tags.is_empty() {
        let tags: Vec<&str> = page.tags.iter().map(|t| &*t.name).collect();
        article["keywords"] = json!(tags.join(", "));
    }
    if let Some(rights) = &page.rights {
        article["copyrightNotice"] = json!(rights);
    }
    article
}

/// The `WebPage` of a standalone page.
fn standalone(
    page: &StandaloneContext<'_>,
    description: &Option<String>,
    web_page: &dyn Fn(&str, &str, &Option<String>) -> Value,
) -> Value {
    let mut json = web_page("WebPage", &page.title, description);
    if let Some(date) = &page.date_rfc3339 {
        json["datePublished"] = json!(date);
    }
    json
}

/// The home page's `WebSite`, with a `SearchAction` at `search/?q=` when the site has search.
fn website(views: &SiteViews<'_>, url: &str, description: &Option<String>) -> Value {
    let graph = views.graph;
    let mut site = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": graph.config.title,
        "url": url,
        "inLanguage": graph.config.language,
    });
    if let Some(description) = description {
        site["description"] = json!(description);
    }
    if graph.config.search {
        site["potentialAction"] = json!({
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!("{}?q={{search_term_string}}", graph.permalink("/search/")),
            },
            "query-input": "required name=search_term_string",
        });
    }
    site
}

/// JSON that no string inside can end a `<script>` element with: `<`, `>`
/// and `&` written as JSON escapes, which parse back to the same text.
fn script_safe(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::script_safe;
    use serde_json::json;

    #[test]
    fn a_title_cannot_close_the_script_element() {
        let title = "Quotes \" and </script><script>alert(1)</script> & more";
        let safe = script_safe(&json!({"headline": title}));
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["headline"], title);
    }
}
