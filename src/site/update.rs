//! Changing a [`SiteGraph`] in place after a save that keeps the site's shape.
//!
//! Most saves in preview change what an article says (its title, tags,
//! authors, standfirst, stub flag) but not where it stands: same date, same
//! address, so the same place in every ordered list. Then the graph is
//! patched where the article is, instead of being built again from every
//! page: its entry in the title index, the taxonomies whose terms it changed,
//! the full-article list when its stub flag flipped, and the teasers that
//! named its old or new title. Anything else (a new, deleted or drafted page,
//! a new date, address or alias) builds the graph again.

use super::article::Article;
use super::graph::{SiteGraph, full_articles, full_neighbours, resolve_teasers};
use super::taxonomy::{article_terms, build_taxonomy};
use crate::content::Page;
use crate::fingerprint::FastMap;
use std::sync::Arc;

impl SiteGraph {
    /// Puts each changed page (with its [`page_hash`](super::graph::page_hash))
    /// in place of the article it was, when none of them moves. Returns the
    /// indices of the articles it changed (those replaced, and those whose
    /// teasers now lead elsewhere), or `None`, leaving the graph as it was,
    /// when a page is new or would move: the caller builds the graph again.
    pub fn update_in_place(&mut self, pages: &[(Arc<Page>, u64)]) -> Option<Vec<usize>> {
        let mut replacements = Vec::with_capacity(pages.len());
        for (page, hash) in pages {
            let &index = self.by_content_path.get(&page.relative_path)?;
            let old = &self.articles[index];
            let article = Article::new(page.clone(), *hash, &self.config.permalink);
            let (before, after) = (&old.page.front_matter, &page.front_matter);
            let stays = article.site_path == old.site_path
                && page.standalone == old.page.standalone
                && after.date == before.date
                && after.draft == before.draft
                && after.aliases == before.aliases;
            if !stays || replacements.iter().any(|(i, _)| *i == index) {
                return None;
            }
            replacements.push((index, article));
        }

        let mut titles: FastMap<Arc<str>, ()> = FastMap::default();
        let mut taxonomies_changed = vec![false; self.taxonomies.len()];
        let mut stubs_changed = false;
        let mut replaced = Vec::with_capacity(replacements.len());
        for (index, article) in replacements {
            let old = std::mem::replace(&mut self.articles[index], article);
            let new_title = self.articles[index].title_slug.clone();
            if old.title_slug != new_title && !old.page.standalone {
                self.move_title(index, &old.title_slug, &new_title);
                titles.insert(old.title_slug.clone(), ());
                titles.insert(new_title, ());
            }
            let new = &self.articles[index];
            for (t, taxonomy) in self.taxonomies.iter().enumerate() {
                if !article_terms(&old, &taxonomy.name).eq(article_terms(new, &taxonomy.name)) {
                    taxonomies_changed[t] = true;
                }
            }
            stubs_changed |= old.page.front_matter.stub != new.page.front_matter.stub;
            replaced.push(index);
        }

        for (t, changed) in taxonomies_changed.into_iter().enumerate() {
            if changed {
                self.taxonomies[t] = build_taxonomy(&self.taxonomies[t].name, &self.articles);
            }
        }
        if stubs_changed {
            self.full_articles = full_articles(&self.articles);
        }
        // Teasers are resolved by title: those of the replaced articles, and
        // every teaser naming a title that came or went.
        let mut retargeted = Vec::new();
        for i in 0..self.articles.len() {
            let names_a_changed_title = !titles.is_empty()
                && self.articles[i].teaser_slugs.iter().any(|s| titles.contains_key(s.as_str()));
            if names_a_changed_title || replaced.contains(&i) {
                let targets = resolve_teasers(&self.articles, &self.by_title, &self.articles[i]);
                if targets != self.teaser_targets[i] && !replaced.contains(&i) {
                    retargeted.push(i);
                }
                self.teaser_targets[i] = targets;
            }
        }
        replaced.extend(retargeted);
        Some(replaced)
    }

    /// Moves article `index` from one title's entry to another's, keeping
    /// each entry newest first (ascending indices).
    fn move_title(&mut self, index: usize, from: &Arc<str>, to: &Arc<str>) {
        if let Some(entry) = self.by_title.get_mut(from) {
            entry.retain(|&i| i != index);
            if entry.is_empty() {
                self.by_title.remove(from);
            }
        }
        let entry = self.by_title.entry(to.clone()).or_default();
        let at = entry.partition_point(|&i| i < index);
        entry.insert(at, index);
    }
}

/// A content path that changed, with its page now and the page's
/// [`page_hash`](super::graph::page_hash) (`None`: the file is gone).
pub type ChangedPage = (String, Option<(Arc<Page>, u64)>);

/// What [`SiteGraph::update_moving`] did.
#[derive(Debug)]
pub struct Moved {
    /// Articles whose page may show something different: the ones that came
    /// in, the full articles that were next to one that left, and those whose
    /// teasers now lead elsewhere (indices in the updated graph).
    pub touched: Vec<usize>,
    /// The content paths of the articles that left the site or changed
    /// their address: a page linking to one of them renders differently.
    pub readdressed: Vec<String>,
}

/// The graph's order: newest first, ties by content path.
fn newest_first(a: &Article, b: &Article) -> std::cmp::Ordering {
    let (da, db) = (a.page.front_matter.date, b.page.front_matter.date);
    db.cmp(&da).then_with(|| a.page.relative_path.cmp(&b.page.relative_path))
}

fn comes_before(a: &Article, b: &Article) -> bool {
    newest_first(a, b).is_lt()
}

impl SiteGraph {
    /// Applies changed content paths (`None`: the file is gone) that may add,
    /// remove or move articles: the articles that stay keep their place
    /// relative to each other, so every list of article indices is mapped
    /// from old indices to new instead of being made again, and only what the
    /// changed articles touch is looked at (their terms, titles and teasers).
    /// `None`, leaving the graph as it was, when a changed article has
    /// aliases or would take another's address: building the graph again
    /// checks those.
    pub fn update_moving(
        &mut self,
        changed: &[ChangedPage],
        include_drafts: bool,
    ) -> Option<Moved> {
        let count = self.articles.len();
        let mut leaving = vec![false; count];
        let mut incoming: Vec<Article> = Vec::new();
        for (path, page) in changed {
            if let Some(&i) = self.by_content_path.get(path) {
                leaving[i] = true;
            }
            if let Some((page, hash)) = page {
                if !page.front_matter.draft || include_drafts {
                    incoming.push(Article::new(page.clone(), *hash, &self.config.permalink));
                }
            }
        }
        // An alias anywhere could meet an incoming address (or a leaving
        // article's alias could free one): `SiteGraph::build` checks aliases.
        let has_aliases = |a: &Article| !a.page.front_matter.aliases.is_empty();
        if self.articles.iter().any(has_aliases) || incoming.iter().any(has_aliases) {
            return None;
        }
        // So could a standalone page's address meet a generated page's.
        if incoming.iter().any(|a| a.page.standalone) {
            return None;
        }
        for (n, article) in incoming.iter().enumerate() {
            let taken_by_staying =
                (0..count).any(|i| !leaving[i] && self.articles[i].site_path == article.site_path);
            let taken_by_incoming = incoming[..n].iter().any(|a| a.site_path == article.site_path);
            if taken_by_staying || taken_by_incoming {
                return None;
            }
        }
        let readdressed: Vec<String> = (0..count)
            .filter(|&i| leaving[i])
            .map(|i| &self.articles[i])
            .filter(|old| {
                !incoming.iter().any(|a| {
                    a.page.relative_path == old.page.relative_path && a.site_path == old.site_path
                })
            })
            .map(|old| old.page.relative_path.clone())
            .collect();
        incoming.sort_by(newest_first);

        // The new order: the staying articles as they were, the incoming
        // ones merged in where they belong.
        let old = std::mem::take(&mut self.articles);
        let mut articles = Vec::with_capacity(count + incoming.len());
        let mut old_to_new: Vec<Option<usize>> = vec![None; count];
        let mut fresh = Vec::with_capacity(incoming.len());
        let mut left = Vec::new();
        let mut incoming = incoming.into_iter().peekable();
        for (i, article) in old.into_iter().enumerate() {
            if leaving[i] {
                left.push((i, article));
                continue;
            }
            while let Some(next) = incoming.next_if(|next| comes_before(next, &article)) {
                fresh.push(articles.len());
                articles.push(next);
            }
            old_to_new[i] = Some(articles.len());
            articles.push(article);
        }
        for rest in incoming {
            fresh.push(articles.len());
            articles.push(rest);
        }
        let old_full = std::mem::take(&mut self.full_articles);
        let old_targets = std::mem::take(&mut self.teaser_targets);
        self.articles = articles;
        let remap = |i: usize| old_to_new[i];

        self.by_content_path = self
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.page.relative_path.clone(), i))
            .collect();
        // Titles: the staying articles mapped, the incoming ones added.
        for entry in self.by_title.values_mut() {
            *entry = entry.iter().filter_map(|&i| remap(i)).collect();
        }
        for &j in &fresh {
            // (An incoming standalone page builds the graph again, above.)
            self.by_title.entry(self.articles[j].title_slug.clone()).or_default().push(j);
        }
        self.by_title.retain(|_, entry| !entry.is_empty());
        self.by_title.values_mut().for_each(|entry| entry.sort_unstable());

        for t in 0..self.taxonomies.len() {
            if !self.carry_taxonomy(t, &remap, &fresh) {
                self.taxonomies[t] = build_taxonomy(&self.taxonomies[t].name, &self.articles);
            }
        }
        self.years = super::archive::build_archive(&self.articles);
        self.full_articles = full_articles(&self.articles);
        self.home_items = super::graph::listed_articles(&self.articles);

        // Teasers: resolved again where they name a title that came or went,
        // led to an article that left, or belong to an incoming article.
        let mut titles: FastMap<Arc<str>, ()> = FastMap::default();
        for article in left.iter().map(|(_, a)| a).chain(fresh.iter().map(|&j| &self.articles[j])) {
            titles.insert(article.title_slug.clone(), ());
        }
        let mut new_to_old = vec![None; self.articles.len()];
        for (i, j) in old_to_new.iter().enumerate() {
            if let Some(j) = *j {
                new_to_old[j] = Some(i);
            }
        }
        let mut touched = fresh.clone();
        let mut targets_now = Vec::with_capacity(self.articles.len());
        for (j, old_index) in new_to_old.iter().enumerate() {
            let article = &self.articles[j];
            let carried: Option<Vec<Option<usize>>> = old_index.and_then(|i| {
                let names_a_changed_title =
                    article.teaser_slugs.iter().any(|s| titles.contains_key(s.as_str()));
                if names_a_changed_title {
                    return None;
                }
                // A target that left makes the teaser resolve again.
                old_targets[i].iter().map(|t| t.map(remap).map(|n| n.ok_or(()))).try_fold(
                    Vec::new(),
                    |mut targets, target| {
                        targets.push(target.transpose().ok()?);
                        Some(targets)
                    },
                )
            });
            let targets = match carried {
                Some(targets) => targets,
                None => {
                    let targets = resolve_teasers(&self.articles, &self.by_title, article);
                    // What the teasers led to before, in new indices; a
                    // target that left is a change whatever they lead to now.
                    let before: Option<Option<Vec<Option<usize>>>> = old_index.map(|i| {
                        let target = |t: &Option<usize>| match *t {
                            None => Some(None),
                            Some(t) => remap(t).map(Some),
                        };
                        old_targets[i].iter().map(target).collect()
                    });
                    if before.is_some_and(|before| before.as_ref() != Some(&targets)) {
                        touched.push(j);
                    }
                    targets
                }
            };
            targets_now.push(targets);
        }
        self.teaser_targets = targets_now;

        // The full articles that were next to one that left: their
        // `prev`/`next` now lead elsewhere.
        for (i, _) in &left {
            let neighbours = full_neighbours(&old_full, *i);
            touched.extend(neighbours.into_iter().flatten().filter_map(remap));
        }
        touched.sort_unstable();
        touched.dedup();
        Some(Moved { touched, readdressed })
    }

    /// Maps taxonomy `t`'s lists to the new indices and adds the incoming
    /// articles to the terms they name. `false` when that cannot be done in
    /// place (a new term or spelling, a term left empty): build it again.
    fn carry_taxonomy(
        &mut self,
        t: usize,
        remap: &dyn Fn(usize) -> Option<usize>,
        fresh: &[usize],
    ) -> bool {
        let articles = &self.articles;
        let taxonomy = &mut self.taxonomies[t];
        let mut additions: Vec<(usize, usize)> = Vec::new();
        for &j in fresh {
            for value in article_terms(&articles[j], &taxonomy.name) {
                if value.trim().is_empty() || crate::content::slugify(value.trim()).is_empty() {
                    continue;
                }
                let Some(&term) = taxonomy.by_value.get(value) else { return false };
                if !additions.contains(&(term, j)) {
                    additions.push((term, j));
                }
            }
        }
        let mut terms = taxonomy.terms.clone();
        for term in &mut terms {
            term.articles = term.articles.iter().filter_map(|&i| remap(i)).collect();
        }
        for (term, j) in additions {
            terms[term].articles.push(j);
        }
        for (index, term) in terms.iter_mut().enumerate() {
            if term.articles.is_empty() {
                return false;
            }
            term.articles.sort_unstable();
            // The name as first written: by the newest article using it.
            let first = &articles[term.articles[0]];
            let name = article_terms(first, &taxonomy.name)
                .find(|value| taxonomy.by_value.get(*value) == Some(&index));
            if let Some(name) = name {
                term.name = name.trim().to_string();
            }
        }
        taxonomy.terms = terms;
        true
    }
}
