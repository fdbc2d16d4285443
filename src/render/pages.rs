//! One output page: what it shows ([`PageView`]), and rendering it.
//!
//! [`SiteViews::page`] gathers everything a page's template receives, and
//! [`render_page`] renders it: `galley build` renders every page this way,
//! and `galley serve` the page a browser asks for, so the two agree by
//! construction.

use super::Renderer;
use super::context::*;
use super::views::{Body, SiteViews};
use crate::error::Result;
use crate::markdown::RenderedMarkdown;
use crate::site::outputs::{Listing, ListingKind, OutputPage};

/// Everything one output page is made from.
pub struct PageView<'s> {
    /// The page's path in the site (`current_url` and `canonical_url` come from it).
    pub site_path: String,
    /// What its template receives besides `site`.
    pub content: PageContent<'s>,
}

/// What a page's template receives, by kind of page.
// One is made per page and consumed at once: boxing the large article
// variant would add an allocation per page and save nothing.
#[allow(clippy::large_enum_variant)]
pub enum PageContent<'s> {
    /// `article.html` or `stub.html`.
    Article(ArticleContext<'s>),
    /// `page.html`: a standalone page.
    Standalone(StandaloneContext<'s>),
    /// `index.html`, `archive.html` (a year or a month) or `term.html`.
    Listing {
        /// The articles of this page.
        pages: ListingItems,
        paginator: PaginatorContext,
        archive: Option<ArchiveContext<'s>>,
        taxonomy: Option<TaxonomyContext<'s>>,
        term: Option<TermContext<'s>>,
    },
    /// `archive.html` for the archive index.
    ArchiveIndex(ArchiveContext<'s>),
    /// `taxonomy.html`.
    TaxonomyIndex { taxonomy: TaxonomyContext<'s>, terms: Vec<TermContext<'s>> },
    /// `atom.xml`.
    Feed(FeedContext<'s>),
    /// `sitemap.xml` (or one part of it).
    Sitemap(Vec<SitemapEntry>),
    /// `sitemap.xml` as an index of its parts' absolute URLs.
    SitemapIndex(Vec<String>),
    /// `robots.txt`, naming the sitemap's absolute URL.
    Robots(String),
    /// `404.html`.
    NotFound,
    /// `search.html`.
    Search,
    /// `_redirects`: each alias's public path and where it leads now.
    Redirects(Vec<(String, String)>),
    /// A redirect from an article's earlier address to where it is now.
    Alias {
        /// The article's title.
        title: Text<'s>,
        /// Its public path now.
        url: Text<'s>,
        /// Its absolute URL now.
        permalink: String,
        /// The site's language.
        language: Text<'s>,
    },
}

/// The articles a listing page shows, rendered as their summaries (made
/// once per article, not once per listing the article is on).
pub struct ListingItems {
    listing: Listing,
}

impl ListingItems {
    /// What the listing lists.
    pub fn kind(&self) -> ListingKind {
        self.listing.kind
    }
}

impl<'s> SiteViews<'s> {
    /// What output page `page` shows. `body(i)` is article i's rendered
    /// Markdown; only the article's own page and the feed ask for it.
    pub fn page(
        &'s self,
        page: OutputPage,
        body: &dyn Fn(usize) -> Option<Body<'s>>,
    ) -> PageView<'s> {
        static EMPTY: RenderedMarkdown = RenderedMarkdown::EMPTY;
        let empty = Body { key: 0, rendered: &EMPTY };
        let graph = self.graph;
        let content = match page {
            OutputPage::Article(i) if graph.articles[i].page.standalone => {
                PageContent::Standalone(self.standalone(i, body(i).unwrap_or(empty)))
            }
            OutputPage::Article(i) => {
                PageContent::Article(self.article(i, body(i).unwrap_or(empty)))
            }
            OutputPage::Listing(listing) => {
                let (archive, taxonomy, term) = match listing.kind {
                    ListingKind::Home => (None, None, None),
                    ListingKind::Year(_) | ListingKind::Month(..) => {
                        (Some(self.archive(Some(listing.kind))), None, None)
                    }
                    ListingKind::Term(t, term) => {
                        (None, Some(self.taxonomy(t)), Some(self.term(t, term)))
                    }
                };
                PageContent::Listing {
                    pages: ListingItems { listing },
                    paginator: self.paginator(listing),
                    archive,
                    taxonomy,
                    term,
                }
            }
            OutputPage::ArchiveIndex => PageContent::ArchiveIndex(self.archive(None)),
            OutputPage::TaxonomyIndex(t) => {
                PageContent::TaxonomyIndex { taxonomy: self.taxonomy(t), terms: self.terms(t) }
            }
            OutputPage::Feed | OutputPage::TermFeed(..) => {
                let bodies: Vec<Body<'s>> =
                    self.articles_of_feed(page).iter().map(|&i| body(i).unwrap_or(empty)).collect();
                PageContent::Feed(self.feed_of(page, &bodies))
            }
            OutputPage::Sitemap(part) => PageContent::Sitemap(self.sitemap_entries(part)),
            OutputPage::SitemapIndex => PageContent::SitemapIndex(self.sitemap_parts()),
            OutputPage::Robots => PageContent::Robots(graph.permalink("/sitemap.xml")),
            OutputPage::Redirects => PageContent::Redirects(self.redirects()),
            OutputPage::NotFound => PageContent::NotFound,
            OutputPage::Search => PageContent::Search,
            OutputPage::Alias(i, _) => {
                let article = &graph.articles[i];
                PageContent::Alias {
                    title: std::borrow::Cow::Borrowed(&article.page.front_matter.title),
                    url: graph.url(&article.site_path).into(),
                    permalink: graph.permalink(&article.site_path),
                    language: std::borrow::Cow::Borrowed(&graph.config.language),
                }
            }
        };
        PageView { site_path: graph.site_path(page), content }
    }
}

/// Renders one page's view to bytes.
pub fn render_page(
    views: &SiteViews<'_>,
    renderer: &Renderer,
    view: &PageView<'_>,
) -> Result<Vec<u8>> {
    let graph = views.graph;
    let mut context = tera::Context::new();
    context.insert_value("site", views.site_value.clone());
    context.insert("current_url", &graph.url(&view.site_path));
    context.insert("canonical_url", &graph.permalink(&view.site_path));
    if let Some(preview) = super::structured_data::preview(views, view) {
        context.insert("preview", &preview);
    }
    // Room for a typical listing page; an article's page is its body and a few kilobytes.
    let mut capacity = 24 * 1024;
    let template = match &view.content {
        PageContent::Article(article) => {
            capacity = article.content_html.html.len() + 8 * 1024;
            context.insert_value("page", super::values::to_value(article));
            if article.stub { "stub.html" } else { "article.html" }
        }
        PageContent::Standalone(page) => {
            capacity = page.content_html.html.len() + 8 * 1024;
            context.insert_value("page", super::values::to_value(page));
            "page.html"
        }
        PageContent::Listing { pages, paginator, archive, taxonomy, term } => {
            context.insert_value("pages", views.listing_summary_values(pages.listing, renderer)?);
            context.insert("paginator", paginator);
            if let Some(archive) = archive {
                context.insert_value("archive", views.archive_value(archive));
            }
            if let Some(taxonomy) = taxonomy {
                context.insert("taxonomy", taxonomy);
            }
            if let Some(term) = term {
                context.insert("term", term);
            }
            match pages.listing.kind {
                ListingKind::Home => "index.html",
                ListingKind::Year(_) | ListingKind::Month(..) => "archive.html",
                ListingKind::Term(..) => "term.html",
            }
        }
        PageContent::ArchiveIndex(archive) => {
            context.insert_value("archive", views.archive_value(archive));
            context.insert("pages", &Vec::<()>::new());
            "archive.html"
        }
        PageContent::TaxonomyIndex { taxonomy, terms } => {
            context.insert("taxonomy", taxonomy);
            context.insert("terms", terms);
            "taxonomy.html"
        }
        PageContent::Feed(feed) => {
            context.insert("feed", feed);
            "atom.xml"
        }
        PageContent::Sitemap(entries) => {
            context.insert("entries", entries);
            "sitemap.xml"
        }
        PageContent::SitemapIndex(parts) => return Ok(sitemap_index(parts).into_bytes()),
        PageContent::Robots(sitemap) => {
            return Ok(format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n").into_bytes());
        }
        PageContent::Redirects(redirects) => {
            let lines: String =
                redirects.iter().map(|(from, to)| format!("{from} {to} 301\n")).collect();
            return Ok(lines.into_bytes());
        }
        PageContent::NotFound => "404.html",
        PageContent::Search => "search.html",
        PageContent::Alias { title, url, permalink, language } => {
            return Ok(alias_page(title, url, permalink, language).into_bytes());
        }
    };
    renderer.render_bytes(template, &context, capacity)
}

/// A page that sends browsers and crawlers from an old address to the
/// article's current one: a meta refresh for browsers, `rel=canonical` for
/// crawlers, and a plain link for everyone else. Built in rather than a theme
/// template, as Hugo and Zola do, so every theme gets working redirects. Its
/// empty icon keeps a browser from asking the host's root for one.
fn alias_page(title: &str, url: &str, permalink: &str, language: &str) -> String {
    let (title, url, permalink, language) =
        (escape_html(title), escape_html(url), escape_html(permalink), escape_html(language));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This article has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Text made safe for HTML, in element content and quoted attributes alike.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// `sitemap.xml` as a sitemap index, when the site has more URLs than one sitemap may hold.
fn sitemap_index(parts: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for loc in parts {
        xml.push_str("  <sitemap><loc>");
        xml.push_str(&loc.replace('&', "&amp;").replace('<', "&lt;"));
        xml.push_str("</loc></sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
}
