//! Signatures: a hash of everything an output page is rendered from.
//!
//! Two builds give a page the same signature exactly when they would render
//! it from the same inputs, so an incremental build re-renders the pages whose
//! signature changed and nothing else. Each function here mirrors what the
//! matching view in `views.rs` reads; a field added to a view must be added
//! here too, which the randomised serve test (incremental equals clean build)
//! guards.

use super::{GraphLinks, SiteViews};
use crate::markdown::LinkResolver;
use crate::render::context::SitemapEntry;
use crate::site::SiteGraph;
use crate::site::outputs::{ListingKind, OutputPage, SITEMAP_LIMIT};
use std::hash::{DefaultHasher, Hash, Hasher};

fn finish(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// An asset: its bytes.
pub(super) fn of_asset(bytes: &[u8]) -> u64 {
    finish(bytes)
}

/// Where each `.md` link of a body points now (`None`: missing).
pub(super) fn link_targets(links: &GraphLinks<'_>, body_links: &[String]) -> Vec<Option<String>> {
    body_links.iter().map(|l| links.resolve(l)).collect()
}

/// Identifies a rendered body: the page's content and where its links point.
pub(super) fn markdown_key(content_hash: u64, link_targets: &[Option<String>]) -> u64 {
    finish((content_hash, link_targets))
}

/// An article page: its body, its place (URL, neighbours) and its teasers' targets.
pub(super) fn of_article(views: &SiteViews<'_>, index: usize, markdown_key: u64) -> u64 {
    let graph = views.graph;
    let article = &graph.articles[index];
    let (older, newer) = views.neighbours(index);
    let neighbour = |i: Option<usize>| {
        i.map(|i| (&graph.articles[i].page.front_matter.title, &graph.articles[i].site_path))
    };
    let related: Vec<Option<(&str, bool)>> = article
        .page
        .front_matter
        .related
        .iter()
        .enumerate()
        .map(|(n, _)| {
            views.teaser_target(index, n).map(|i| {
                let a = &graph.articles[i];
                (a.site_path.as_str(), a.page.front_matter.stub)
            })
        })
        .collect();
    finish((
        "article",
        markdown_key,
        article.content_hash,
        &article.site_path,
        neighbour(older),
        neighbour(newer),
        related,
    ))
}

/// The archive's shape: every year and month with its article count.
fn years_hash(graph: &SiteGraph) -> u64 {
    let mut h = DefaultHasher::new();
    for year in &graph.years {
        (year.year, year.articles.len()).hash(&mut h);
        for month in &year.months {
            (month.month, month.articles.len()).hash(&mut h);
        }
    }
    h.finish()
}

/// Any page but an article. `markdown_keys[i]` identifies article i's body.
pub(super) fn of_page(views: &SiteViews<'_>, page: OutputPage, markdown_keys: &[u64]) -> u64 {
    let graph = views.graph;
    match page {
        OutputPage::Article(i) => of_article(views, i, markdown_keys[i]),
        OutputPage::Listing(listing) => {
            let items: Vec<u64> = graph
                .listing_page_items(listing)
                .iter()
                .map(|&i| graph.articles[i].listing_hash)
                .collect();
            let extra = match listing.kind {
                ListingKind::Home => 0,
                ListingKind::Year(_) | ListingKind::Month(..) => years_hash(graph),
                ListingKind::Term(t, term) => {
                    let value = &graph.taxonomies[t].terms[term];
                    finish((&value.name, value.articles.len()))
                }
            };
            finish((
                "listing",
                graph.listing_path(listing.kind, listing.number),
                graph.listing_pages(listing.kind),
                graph.listing_items(listing.kind).len(),
                items,
                extra,
            ))
        }
        OutputPage::ArchiveIndex => finish(("archive", years_hash(graph))),
        OutputPage::TaxonomyIndex(t) => {
            let terms: Vec<(&str, &str, usize)> = graph.taxonomies[t]
                .terms
                .iter()
                .map(|term| (term.name.as_str(), term.slug.as_str(), term.articles.len()))
                .collect();
            finish(("taxonomy", t, terms))
        }
        OutputPage::Feed => {
            let entries: Vec<(u64, u64, &str)> = views
                .feed_articles()
                .iter()
                .map(|&i| {
                    let a = &graph.articles[i];
                    (markdown_keys[i], a.content_hash, a.site_path.as_str())
                })
                .collect();
            finish(("feed", entries))
        }
        OutputPage::Sitemap(part) => {
            // What the entries are made of (every page's place and date),
            // without building 10,000 URLs on every save.
            let mut h = DefaultHasher::new();
            ("sitemap", part, graph.sitemap_urls()).hash(&mut h);
            for article in &graph.articles {
                (
                    &article.site_path,
                    &article.page.front_matter.date,
                    article.page.front_matter.stub,
                )
                    .hash(&mut h);
            }
            for taxonomy in &graph.taxonomies {
                for term in &taxonomy.terms {
                    (&term.slug, term.articles.len()).hash(&mut h);
                }
            }
            years_hash(graph).hash(&mut h);
            h.finish()
        }
        OutputPage::SitemapIndex => finish(("sitemap-index", graph.sitemap_parts())),
        OutputPage::Robots => finish("robots"),
        OutputPage::NotFound => finish("404"),
        OutputPage::Search => finish("search"),
    }
}

/// The URLs of sitemap part `part` (0-based): every HTML page but 404, with
/// the article date as `lastmod`.
pub(super) fn sitemap_entries(views: &SiteViews<'_>, part: usize) -> Vec<SitemapEntry> {
    let graph = views.graph;
    graph
        .sitemap_pages()
        .into_iter()
        .skip(part * SITEMAP_LIMIT)
        .take(SITEMAP_LIMIT)
        .map(|page| SitemapEntry {
            loc: graph.permalink(&graph.site_path(page)),
            lastmod: match page {
                OutputPage::Article(i) => {
                    Some(graph.articles[i].page.front_matter.date.date().to_string())
                }
                _ => None,
            },
        })
        .collect()
}

/// `sitemap.xml` as a sitemap index, when the site has more URLs than one sitemap may hold.
pub(super) fn sitemap_index(graph: &SiteGraph) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for part in 0..graph.sitemap_parts() {
        let loc = graph.permalink(&graph.site_path(OutputPage::Sitemap(part)));
        xml.push_str("  <sitemap><loc>");
        xml.push_str(&loc.replace('&', "&amp;").replace('<', "&lt;"));
        xml.push_str("</loc></sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
}
