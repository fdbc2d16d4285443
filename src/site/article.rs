//! [`Article`]: one page placed in the site. The graph's parts (archive,
//! taxonomies, outputs) are built from articles, so this sits below them all.

use crate::content::{Page, slugify};
use std::sync::Arc;

/// An article (full or stub) placed in the site; a standalone page
/// ([`Page::standalone`]) is placed as one too, at its own address, and the
/// graph's lists (archive, listings, feed, taxonomies, teasers) leave it out.
///
/// Everything here is derived from the page alone (and site.yaml's
/// `permalink`), and shared: a graph rebuilt after a save takes the article of
/// every unchanged page from the graph before it for the cost of a few
/// reference counts (see [`SiteGraph::build`](super::SiteGraph::build)).
#[derive(Debug, Clone)]
pub struct Article {
    /// The loaded page (shared with the loader's cache, so a rebuild does not copy bodies).
    pub page: Arc<Page>,
    /// Its path in the site, `/2019/06/slug/` (before the base_url prefix).
    pub site_path: Arc<str>,
    /// Its page's file in the output, `2019/06/slug/index.html`.
    pub output_file: Arc<str>,
    /// Hash of the whole page (front matter and body).
    pub content_hash: u64,
    /// The slug of its title: how teasers on other pages find it.
    pub title_slug: Arc<str>,
    /// The slug of each `related` teaser's title, to find its archived page.
    pub teaser_slugs: Arc<[String]>,
    /// One bit per teaser title ([`title_bit`]): whether a teaser may name
    /// a given title is answered without reading the slugs (a save that
    /// moves or renames an article asks it of every article).
    pub teaser_bits: u64,
    /// Whether its front matter gives `aliases:`; kept beside the rest so
    /// that asking it of every article reads no page.
    pub has_aliases: bool,
}

/// The bit standing for title slug `slug` in [`Article::teaser_bits`].
pub fn title_bit(slug: &str) -> u64 {
    1 << (crate::fingerprint::of(slug) % 64)
}

impl Article {
    /// Places `page` at the address `permalink` (site.yaml's pattern) gives it.
    pub fn new(page: Arc<Page>, content_hash: u64, permalink: &str) -> Article {
        let site_path: Arc<str> = if page.standalone {
            standalone_path(&page).into()
        } else {
            permalink_path(permalink, &page).into()
        };
        // A permalink always ends with a slash: the page is its index.html.
        let output_file = format!("{}index.html", site_path.trim_start_matches('/')).into();
        let title_slug = slugify(&page.front_matter.title).into();
        let teaser_slugs: Arc<[String]> =
            page.front_matter.related.iter().map(|t| slugify(&t.title)).collect();
        let teaser_bits = teaser_slugs.iter().fold(0, |bits, slug| bits | title_bit(slug));
        let has_aliases = !page.front_matter.aliases.is_empty();
        Article {
            page,
            site_path,
            output_file,
            content_hash,
            title_slug,
            teaser_slugs,
            teaser_bits,
            has_aliases,
        }
    }
}

/// Fills the configured pattern (`/:year/:month/:slug/`) for a page, always
/// with a leading and trailing slash; a segment that fills to nothing is
/// left out. One pass into one string: it runs for every page of every build.
pub fn permalink_path(pattern: &str, page: &Page) -> String {
    use std::fmt::Write;
    let date = page.front_matter.date;
    let mut path = String::with_capacity(pattern.len() + page.slug.len() + 8);
    for segment in pattern.split('/').filter(|s| !s.is_empty()) {
        let segment_start = path.len();
        path.push('/');
        let mut rest = segment;
        while let Some(colon) = rest.find(':') {
            path.push_str(&rest[..colon]);
            let after = &rest[colon + 1..];
            // Writing numbers into a String cannot fail.
            rest = if let Some(after) = after.strip_prefix("year") {
                let _ = write!(path, "{:04}", date.year());
                after
            } else if let Some(after) = after.strip_prefix("month") {
                let _ = write!(path, "{:02}", date.month());
                after
            } else if let Some(after) = after.strip_prefix("day") {
                let _ = write!(path, "{:02}", date.day());
                after
            } else if let Some(after) = after.strip_prefix("slug") {
                // A `slug:` or file name past the limit still makes a directory name.
                path.push_str(crate::content::fit_segment(&page.slug, crate::content::MAX_SEGMENT));
                after
            } else {
                path.push(':');
                after
            };
        }
        path.push_str(rest);
        if path.len() == segment_start + 1 {
            path.truncate(segment_start);
        }
    }
    path.push('/');
    path
}

/// A standalone page's site path: `/<slug>/`.
pub fn standalone_path(page: &Page) -> String {
    format!("/{}/", crate::content::fit_segment(&page.slug, crate::content::MAX_SEGMENT))
}
