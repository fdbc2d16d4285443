//! [`SiteGraph`]: articles in order with their URLs, taxonomies and archives.

use super::archive::{YearArchive, build_archive};
use super::article::Article;
use super::taxonomy::{Taxonomy, build_taxonomy};
use super::teaser_targets::TeaserTargets;
use crate::config::SiteConfig;
use crate::content::{Page, PageDate};
use crate::error::{Diagnostic, Error, Result};
use crate::fingerprint::FastMap;
use crate::urls::BaseUrl;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// What [`SiteGraph::build`] places and computes.
#[derive(Debug, Clone, Copy, Default)]
pub struct GraphOptions<'p> {
    /// Drafts are placed too (`--drafts`); otherwise they are left out.
    pub include_drafts: bool,
    /// The graph of the same site before some pages changed, with the same
    /// configuration: each page it placed is taken from it as it was, not
    /// placed again (see [`Article`]).
    pub previous: Option<&'p SiteGraph>,
}

/// The whole site, before rendering.
#[derive(Debug, Clone)]
pub struct SiteGraph {
    /// The configuration.
    pub config: SiteConfig,
    /// The parsed `base_url`.
    pub base: BaseUrl,
    /// Every article, newest first (ties by content path).
    pub articles: Vec<Article>,
    /// Content path (`articles/2019/06/x.md`) → index in `articles`.
    pub by_content_path: FastMap<String, usize>,
    /// Configured taxonomies, in configured order.
    pub taxonomies: Vec<Taxonomy>,
    /// The archive, newest year first.
    pub years: Vec<YearArchive>,
    /// Indices of full (non-stub) articles, newest first: prev/next and the feed use these.
    pub full_articles: Vec<usize>,
    /// What the home page lists: every article, newest first.
    pub home_items: Vec<usize>,
    /// Article indices by the slug of their title, newest first (several
    /// articles may share a headline on different dates): how a teaser finds
    /// its archived page, whatever the page's file is called.
    pub by_title: FastMap<Arc<str>, Vec<usize>>,
    /// For each article, the archived page of each `related` teaser (see
    /// [`SiteGraph::teaser_target`]), resolved once: the article's page asks
    /// for them.
    pub teaser_targets: TeaserTargets,
}

impl SiteGraph {
    /// Places pages in the site; each comes with its [`page_hash`], computed
    /// once when the page was loaded (or 0 when nothing will compare them).
    /// Two pages at one permalink are an error naming both files.
    pub fn build(
        config: SiteConfig,
        base: BaseUrl,
        pages: Vec<(Arc<Page>, u64)>,
        options: GraphOptions<'_>,
    ) -> Result<SiteGraph> {
        let GraphOptions { include_drafts, previous } = options;
        // Per-article work is independent: parallel, since `serve` runs this on every save.
        // Drafts are left out before the parallel map, which then knows its
        // length and collects into one vector instead of appending pieces.
        let pages: Vec<(Arc<Page>, u64)> = if include_drafts {
            pages
        } else {
            pages.into_iter().filter(|(p, _)| !p.front_matter.draft).collect()
        };
        let placed_before = |page: &Arc<Page>| {
            let previous = previous?;
            let &index = previous.by_content_path.get(&page.relative_path)?;
            let article = &previous.articles[index];
            Arc::ptr_eq(&article.page, page).then(|| article.clone())
        };
        let articles: Vec<Article> = pages
            .into_par_iter()
            .map(|(page, content_hash)| {
                placed_before(&page)
                    .unwrap_or_else(|| Article::new(page, content_hash, &config.permalink))
            })
            .collect();
        let articles = newest_first(articles);

        // The duplicate check and the indexes are independent passes over the
        // articles; run side by side, the graph is ready sooner (it is built
        // while the rest of the build waits, in every build and on every save).
        let content_paths = || {
            articles
                .iter()
                .enumerate()
                .map(|(i, a)| (a.page.relative_path.clone(), i))
                .collect::<FastMap<String, usize>>()
        };
        let titles = || {
            let mut by_title: FastMap<Arc<str>, Vec<usize>> =
                FastMap::with_capacity_and_hasher(articles.len(), Default::default());
            for (i, article) in articles.iter().enumerate().filter(|(_, a)| !a.page.standalone) {
                by_title.entry(article.title_slug.clone()).or_default().push(i);
            }
            by_title
        };
        let taxonomies = || {
            config
                .taxonomies
                .par_iter()
                .map(|t| build_taxonomy(&t.name, &articles))
                .collect::<Vec<_>>()
        };
        let archive = || (build_archive(&articles), full_articles(&articles));
        let (duplicates, ((by_content_path, by_title), (taxonomies, (years, full_articles)))) =
            rayon::join(
                || duplicate_permalinks(&articles),
                || {
                    rayon::join(
                        || rayon::join(content_paths, titles),
                        || rayon::join(taxonomies, archive),
                    )
                },
            );
        let mut duplicates = duplicates;
        duplicates.extend(super::standalone::standalone_conflicts(&config, &articles));
        if !duplicates.is_empty() {
            return Err(Error::many(duplicates));
        }
        let home_items = listed_articles(&articles);
        let teaser_lists: Vec<Vec<Option<usize>>> = articles
            .par_iter()
            .map(|article| resolve_teasers(&articles, &by_title, article))
            .collect();
        let teaser_targets = TeaserTargets::from_lists(&teaser_lists);
        let graph = SiteGraph {
            config,
            base,
            articles,
            by_content_path,
            taxonomies,
            years,
            full_articles,
            home_items,
            by_title,
            teaser_targets,
        };
        let collisions = graph.alias_collisions();
        if !collisions.is_empty() {
            return Err(Error::many(collisions));
        }
        Ok(graph)
    }

    /// The public path (under base_url) of a site path.
    pub fn url(&self, site_path: &str) -> String {
        self.base.path(site_path)
    }

    /// The absolute URL of a site path.
    pub fn permalink(&self, site_path: &str) -> String {
        self.base.absolute(site_path)
    }

    /// The archived page of teaser `n` of article `index` (see [`resolve_teasers`]).
    pub fn teaser_target(&self, index: usize, n: usize) -> Option<usize> {
        self.teaser_targets.get(index, n)
    }

    /// Resolves the teasers of article `index` again, after its `related` changed in place.
    pub fn refresh_teaser_targets(&mut self, index: usize) {
        let Some(article) = self.articles.get(index) else { return };
        let targets = resolve_teasers(&self.articles, &self.by_title, article);
        self.teaser_targets.set(index, &targets);
    }

    /// The taxonomy named `name`, if configured.
    pub fn taxonomy(&self, name: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// The indices of the full (non-stub) articles, in order; standalone pages
/// are not articles here (no `prev`/`next`, not in the feed).
pub fn full_articles(articles: &[Article]) -> Vec<usize> {
    (0..articles.len())
        .filter(|&i| !articles[i].page.front_matter.stub && !articles[i].page.standalone)
        .collect()
}

/// The indices of the articles listings show (all but standalone pages), in order.
pub fn listed_articles(articles: &[Article]) -> Vec<usize> {
    (0..articles.len()).filter(|&i| !articles[i].page.standalone).collect()
}

/// The full articles on either side of article `index` in `full` (a
/// [`SiteGraph::full_articles`] list), whether or not `index` is in it:
/// the newer one and the older one, its `next` and `prev` when it is full.
pub fn full_neighbours(full: &[usize], index: usize) -> [Option<usize>; 2] {
    let at = full.partition_point(|&f| f < index);
    let newer = at.checked_sub(1).map(|p| full[p]);
    let older = full[at..].iter().copied().find(|&f| f != index);
    [newer, older]
}

/// Articles newest first, ties by content path. The sort keys are copied
/// out (comparing through each `Arc<Page>` was most of the graph's time) and
/// sorted on all cores: this runs while the rest of the build waits.
fn newest_first(articles: Vec<Article>) -> Vec<Article> {
    let mut keys: Vec<(PageDate, &str, usize)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.page.front_matter.date, a.page.relative_path.as_str(), i))
        .collect();
    // Content paths are unique, so the order is total and an unstable sort is deterministic.
    keys.par_sort_unstable_by(|(date_a, path_a, _), (date_b, path_b, _)| {
        date_b.cmp(date_a).then_with(|| path_a.cmp(path_b))
    });
    let order: Vec<usize> = keys.into_iter().map(|(_, _, i)| i).collect();
    let mut articles = articles;
    permute_in_place(&mut articles, order);
    articles
}

/// Reorders `items` so that position `k` holds the item that was at
/// `order[k]` (`order` must be a permutation of the positions), by swapping
/// along each cycle of the permutation: a new vector would be fresh memory
/// the kernel zeroes while this serial step holds the build up (see
/// docs/performance.md, "articles sorted in place").
fn permute_in_place<T>(items: &mut [T], mut order: Vec<usize>) {
    debug_assert_eq!(items.len(), order.len());
    for start in 0..items.len() {
        // A position already filled is marked by pointing at itself.
        let mut position = start;
        while order[position] != position {
            let source = order[position];
            order[position] = position;
            if source == start {
                // The cycle is closed: the item from `start` has been carried
                // along to `position`, where it belongs.
                break;
            }
            items.swap(position, source);
            position = source;
        }
    }
}

/// An error for each article whose permalink an earlier one already has,
/// naming both files.
fn duplicate_permalinks(articles: &[Article]) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut by_site_path: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(articles.len(), Default::default());
    for (i, article) in articles.iter().enumerate() {
        if let Some(&other) = by_site_path.get(&*article.site_path) {
            let first = &articles[other].page;
            errors.push(Error::from(Diagnostic::new(
                &article.page.file,
                format!(
                    "duplicate permalink {}: {} has it too; give one of them a `slug:`",
                    article.site_path,
                    first.file.display()
                ),
            )));
        } else {
            by_site_path.insert(&article.site_path, i);
        }
    }
    errors
}

/// The archived page of each of `article`'s teasers: the same title (as a
/// slug, so case and punctuation do not matter), and the same date when the
/// teaser has one; without a date, only an unambiguous title.
pub fn resolve_teasers(
    articles: &[Article],
    by_title: &FastMap<Arc<str>, Vec<usize>>,
    article: &Article,
) -> Vec<Option<usize>> {
    let related = &article.page.front_matter.related;
    related
        .iter()
        .zip(article.teaser_slugs.iter())
        .map(|(teaser, slug)| {
            let candidates = by_title.get(slug.as_str())?;
            match teaser.date {
                Some(date) => candidates
                    .iter()
                    .copied()
                    .find(|&i| articles[i].page.front_matter.date.date() == date.date())
                    .or_else(|| (candidates.len() == 1).then(|| candidates[0])),
                None => (candidates.len() == 1).then(|| candidates[0]),
            }
        })
        .collect()
}

/// Hash of everything about a page (front matter and body): two loads of
/// the same file give the same hash within one process.
pub fn page_hash(page: &Page) -> u64 {
    let mut h = crate::fingerprint::hasher();
    (&page.front_matter, &page.body, &page.slug, &page.relative_path).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::permute_in_place;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn permuting_in_place_gathers_like_indexing(
            order in (0..40usize).prop_flat_map(|n| Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
        ) {
            let items: Vec<String> = (0..order.len()).map(|i| format!("item {i}")).collect();
            let gathered: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            let mut permuted = items;
            permute_in_place(&mut permuted, order);
            prop_assert_eq!(permuted, gathered);
        }
    }
}
