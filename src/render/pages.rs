//! One output page: what it shows ([`PageView`]).
//!
//! [`SiteViews::page`] gathers everything a page's template receives, and
//! [`render_page`](super::render_page) renders it.

use super::context::*;
use super::views::{Body, SiteViews};
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
    /// `atom.xml`: `feed` (a [`FeedContext`] as a Tera value).
    Feed(tera::Value),
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
    pub(super) listing: Listing,
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
                PageContent::Feed(self.feed_value(page, &bodies))
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
