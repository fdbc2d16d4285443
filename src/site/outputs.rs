//! The output pages of a site: what files a build writes and what each shows.

use super::graph::SiteGraph;
use crate::content::{MAX_SEGMENT, fit_segment};
use crate::error::{Diagnostic, Error};
use std::collections::HashMap;

/// Sitemaps hold at most this many URLs; past it galley writes a sitemap index.
pub const SITEMAP_LIMIT: usize = 50_000;

/// What a paginated listing lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListingKind {
    /// The home page: every article, newest first.
    Home,
    /// One year of the archive (index into `SiteGraph::years`).
    Year(usize),
    /// One month (year index, month index within the year).
    Month(usize, usize),
    /// One term (taxonomy index, term index).
    Term(usize, usize),
}

/// One page of a paginated listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Listing {
    /// What is listed.
    pub kind: ListingKind,
    /// 1-based page number.
    pub number: usize,
}

/// One file of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputPage {
    /// An article's page (index into `SiteGraph::articles`).
    Article(usize),
    /// A page of a listing.
    Listing(Listing),
    /// `/archive/`: all years and months.
    ArchiveIndex,
    /// A taxonomy's page of all terms (index into `SiteGraph::taxonomies`).
    TaxonomyIndex(usize),
    /// `atom.xml`.
    Feed,
    /// `sitemap.xml`, or part N (0-based) when split.
    Sitemap(usize),
    /// `sitemap.xml` as an index of the parts, when there are more than one.
    SitemapIndex,
    /// `robots.txt`.
    Robots,
    /// `404.html`.
    NotFound,
    /// A redirect page at an article's earlier address: alias `n` of
    /// article `i` (its front matter's `aliases`).
    Alias(usize, usize),
    /// `search/`: the search page (unless `search: false`).
    Search,
    /// `_redirects`: every alias as a 301, with `redirects_file: true`.
    Redirects,
    /// The Atom feed of term `term` of taxonomy `t` (`tags/ports/atom.xml`),
    /// unless the taxonomy says `feeds: false`.
    TermFeed(usize, usize),
}

/// The site path an alias names: as written when it names a file
/// (`/old.html`), else a directory (`/2019/06/old` → `/2019/06/old/`).
/// Each segment longer than [`MAX_SEGMENT`] bytes is cut at a word
/// boundary, as every generated name is.
pub fn alias_path(alias: &str) -> String {
    let last = alias.rsplit('/').next().unwrap_or_default();
    let path: String = if alias.split('/').any(|s| s.len() > MAX_SEGMENT) {
        alias.split('/').map(|s| fit_segment(s, MAX_SEGMENT)).collect::<Vec<_>>().join("/")
    } else {
        alias.to_string()
    };
    if alias.ends_with('/') || last.contains('.') { path } else { format!("{path}/") }
}

impl SiteGraph {
    /// An alias at the address of another page, or of another alias: an
    /// error naming both files. Nothing to check, and nothing done, when no
    /// article has aliases.
    pub(crate) fn alias_collisions(&self) -> Vec<Error> {
        if self.articles.iter().all(|a| a.page.front_matter.aliases.is_empty()) {
            return Vec::new();
        }
        let owner = |page: OutputPage| match page {
            OutputPage::Article(i) | OutputPage::Alias(i, _) => {
                self.articles[i].page.file.display().to_string()
            }
            _ => "a page galley generates (a listing, feed or index)".to_string(),
        };
        let mut errors = Vec::new();
        let mut by_file: HashMap<String, OutputPage> = HashMap::new();
        for page in self.output_pages() {
            let file = self.output_file(page);
            let Some(&first) = by_file.get(&file) else {
                by_file.insert(file, page);
                continue;
            };
            // Aliases come last in output order, so `page` is the alias.
            let OutputPage::Alias(i, n) = page else { continue };
            let alias = &self.articles[i].page.front_matter.aliases[n];
            let what = if matches!(first, OutputPage::Alias(..)) {
                "an alias of"
            } else {
                "the address of"
            };
            errors.push(Error::from(Diagnostic::new(
                &self.articles[i].page.file,
                format!("alias `{alias}` is already {what} {}; remove one of them", owner(first)),
            )));
        }
        errors
    }

    /// The articles a listing shows in full (all its pages), newest first.
    pub fn listing_items(&self, kind: ListingKind) -> &[usize] {
        match kind {
            ListingKind::Home => &self.home_items,
            ListingKind::Year(y) => &self.years[y].articles,
            ListingKind::Month(y, m) => &self.years[y].months[m].articles,
            ListingKind::Term(t, term) => &self.taxonomies[t].terms[term].articles,
        }
    }

    /// How many pages a listing has (at least 1, so an empty site still has a home).
    pub fn listing_pages(&self, kind: ListingKind) -> usize {
        self.listing_items(kind).len().div_ceil(self.config.paginate).max(1)
    }

    /// The articles on one page of a listing.
    pub fn listing_page_items(&self, listing: Listing) -> &[usize] {
        let items = self.listing_items(listing.kind);
        let per = self.config.paginate;
        let start = ((listing.number - 1) * per).min(items.len());
        let end = (start + per).min(items.len());
        &items[start..end]
    }

    /// Site path of page 1 of a listing.
    pub fn listing_base_path(&self, kind: ListingKind) -> String {
        match kind {
            ListingKind::Home => "/".to_string(),
            ListingKind::Year(y) => format!("/archive/{:04}/", self.years[y].year),
            ListingKind::Month(y, m) => {
                let month = &self.years[y].months[m];
                format!("/archive/{:04}/{:02}/", month.year, month.month)
            }
            ListingKind::Term(t, term) => {
                let taxonomy = &self.taxonomies[t];
                ["/", &taxonomy.name, "/", &taxonomy.terms[term].slug, "/"].concat()
            }
        }
    }

    /// Site path of page `number` of a listing: page 1 at its base, others at `page/N/`.
    pub fn listing_path(&self, kind: ListingKind, number: usize) -> String {
        let base = self.listing_base_path(kind);
        if number <= 1 { base } else { format!("{base}page/{number}/") }
    }

    /// Every output page, in a fixed order.
    pub fn output_pages(&self) -> Vec<OutputPage> {
        let mut pages: Vec<OutputPage> =
            (0..self.articles.len()).map(OutputPage::Article).collect();
        let listing = |kind: ListingKind, pages: &mut Vec<OutputPage>| {
            for number in 1..=self.listing_pages(kind) {
                pages.push(OutputPage::Listing(Listing { kind, number }));
            }
        };
        listing(ListingKind::Home, &mut pages);
        pages.push(OutputPage::ArchiveIndex);
        for (y, year) in self.years.iter().enumerate() {
            listing(ListingKind::Year(y), &mut pages);
            for m in 0..year.months.len() {
                listing(ListingKind::Month(y, m), &mut pages);
            }
        }
        for (t, taxonomy) in self.taxonomies.iter().enumerate() {
            pages.push(OutputPage::TaxonomyIndex(t));
            let feeds = self.term_feeds(t);
            for term in 0..taxonomy.terms.len() {
                listing(ListingKind::Term(t, term), &mut pages);
                if feeds {
                    pages.push(OutputPage::TermFeed(t, term));
                }
            }
        }
        pages.push(OutputPage::Feed);
        let parts = self.sitemap_parts();
        if parts > 1 {
            pages.push(OutputPage::SitemapIndex);
        }
        pages.extend((0..parts).map(OutputPage::Sitemap));
        pages.push(OutputPage::Robots);
        pages.push(OutputPage::NotFound);
        if self.config.search {
            pages.push(OutputPage::Search);
        }
        for (i, article) in self.articles.iter().enumerate() {
            let aliases = article.page.front_matter.aliases.len();
            pages.extend((0..aliases).map(|n| OutputPage::Alias(i, n)));
        }
        if self.config.redirects_file {
            pages.push(OutputPage::Redirects);
        }
        pages
    }

    /// Site path of an output page (`/2019/06/x/`, `/atom.xml`).
    pub fn site_path(&self, page: OutputPage) -> String {
        match page {
            OutputPage::Article(i) => self.articles[i].site_path.to_string(),
            OutputPage::Listing(l) => self.listing_path(l.kind, l.number),
            OutputPage::ArchiveIndex => "/archive/".to_string(),
            OutputPage::TaxonomyIndex(t) => format!("/{}/", self.taxonomies[t].name),
            OutputPage::Feed => "/atom.xml".to_string(),
            OutputPage::Redirects => "/_redirects".to_string(),
            OutputPage::TermFeed(t, term) => {
                format!("{}atom.xml", self.listing_base_path(ListingKind::Term(t, term)))
            }
            OutputPage::Sitemap(part) => {
                if self.sitemap_parts() > 1 {
                    format!("/sitemap-{}.xml", part + 1)
                } else {
                    "/sitemap.xml".to_string()
                }
            }
            OutputPage::SitemapIndex => "/sitemap.xml".to_string(),
            OutputPage::Robots => "/robots.txt".to_string(),
            OutputPage::NotFound => "/404.html".to_string(),
            OutputPage::Search => "/search/".to_string(),
            OutputPage::Alias(i, n) => alias_path(&self.articles[i].page.front_matter.aliases[n]),
        }
    }

    /// The output file of a page, relative to the output directory.
    pub fn output_file(&self, page: OutputPage) -> String {
        if let OutputPage::Article(i) = page {
            return self.articles[i].output_file.to_string();
        }
        let path = self.site_path(page);
        let path = path.trim_start_matches('/');
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }

    /// How many sitemap files the site needs.
    pub fn sitemap_parts(&self) -> usize {
        self.sitemap_urls().div_ceil(SITEMAP_LIMIT).max(1)
    }

    /// How many URLs the sitemap lists: every HTML page except 404 and stubs
    /// (a stub page asks search engines not to index it).
    pub fn sitemap_urls(&self) -> usize {
        let listing = |kind| self.listing_pages(kind);
        let standalone =
            self.articles.iter().filter(|a| a.page.standalone && !a.page.front_matter.stub).count();
        let mut count = self.full_articles.len() + standalone + listing(ListingKind::Home) + 1;
        for (y, year) in self.years.iter().enumerate() {
            count += listing(ListingKind::Year(y));
            for m in 0..year.months.len() {
                count += listing(ListingKind::Month(y, m));
            }
        }
        for (t, taxonomy) in self.taxonomies.iter().enumerate() {
            count += 1;
            for term in 0..taxonomy.terms.len() {
                count += listing(ListingKind::Term(t, term));
            }
        }
        count
    }

    /// The HTML pages the sitemap lists, in output order.
    pub fn sitemap_pages(&self) -> Vec<OutputPage> {
        self.output_pages()
            .into_iter()
            .filter(|p| match p {
                OutputPage::Article(i) => !self.articles[*i].page.front_matter.stub,
                OutputPage::Listing(_)
                | OutputPage::ArchiveIndex
                | OutputPage::TaxonomyIndex(_) => true,
                _ => false,
            })
            .collect()
    }
}
