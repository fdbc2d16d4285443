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
use super::graph::{SiteGraph, resolve_teasers};
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
            if old.title_slug != new_title {
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
            self.full_articles = (0..self.articles.len())
                .filter(|&i| !self.articles[i].page.front_matter.stub)
                .collect();
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
