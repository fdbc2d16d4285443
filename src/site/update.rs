//! Changing a [`SiteGraph`] in place after a save.
//!
//! Most saves in preview change what an article says (its title, tags,
//! authors, standfirst, stub flag) but not where it stands: same date, same
//! address, so the same place in every ordered list. Then the graph is
//! patched where the article is, instead of being built again from every
//! page: its entry in the title index, the taxonomies whose terms it changed,
//! the full-article list when its stub flag flipped, and the teasers that
//! named its old or new title ([`SiteGraph::update_in_place`]). A new,
//! deleted or drafted page, or a new date or address, is merged into every
//! list with the others keeping their order ([`SiteGraph::update_moving`]);
//! aliases, or an address another page has, build the graph again.

use super::article::{Article, title_bit};
use super::graph::{SiteGraph, full_articles, full_neighbours, resolve_teasers};
use super::taxonomy::{Taxonomy, Term, article_terms, build_taxonomy};
use super::teaser_targets::TeaserTargets;
use crate::content::{MAX_SEGMENT, Page, slugify};
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

        let mut titles: Vec<Arc<str>> = Vec::new();
        let mut taxonomies_changed = vec![false; self.taxonomies.len()];
        let mut stubs_changed = false;
        let mut replaced = Vec::with_capacity(replacements.len());
        for (index, article) in replacements {
            let old = std::mem::replace(&mut self.articles[index], article);
            let new_title = self.articles[index].title_slug.clone();
            if old.title_slug != new_title && !old.page.standalone {
                self.move_title(index, &old.title_slug, &new_title);
                titles.push(old.title_slug.clone());
                titles.push(new_title);
            }
            let (articles, taxonomies) = (&self.articles, &mut self.taxonomies);
            let new = &articles[index];
            for (t, taxonomy) in taxonomies.iter_mut().enumerate() {
                let same =
                    article_terms(&old, &taxonomy.name).eq(article_terms(new, &taxonomy.name));
                // Once a taxonomy is to be built again, patching it is wasted.
                if !same && !taxonomies_changed[t] && !move_terms(taxonomy, articles, index, &old) {
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
        let titles = ChangedTitles::new(titles);
        let mut retargeted = Vec::new();
        for i in 0..self.articles.len() {
            if titles.named_by(&self.articles[i]) || replaced.contains(&i) {
                let targets = resolve_teasers(&self.articles, &self.by_title, &self.articles[i]);
                if !self.teaser_targets.are(i, &targets) && !replaced.contains(&i) {
                    retargeted.push(i);
                }
                self.teaser_targets.set(i, &targets);
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

/// Titles that came or went in a save: the teasers naming one are
/// resolved again.
struct ChangedTitles {
    /// A few at most: compared directly, not hashed for each teaser.
    slugs: Vec<Arc<str>>,
    /// Their [`title_bit`]s together.
    bits: u64,
}

impl ChangedTitles {
    fn new(slugs: Vec<Arc<str>>) -> Self {
        let bits = slugs.iter().fold(0, |bits, slug| bits | title_bit(slug));
        ChangedTitles { slugs, bits }
    }

    /// Whether a teaser of `article` names one of the titles. Most articles
    /// are answered by their bits alone, without reading a slug.
    fn named_by(&self, article: &Article) -> bool {
        article.teaser_bits & self.bits != 0
            && article.teaser_slugs.iter().any(|slug| self.slugs.iter().any(|t| **t == **slug))
    }
}

/// The terms of `taxonomy` that `article` names, each once; `None` when a
/// value names no term the taxonomy has (a new term or spelling).
fn terms_named(taxonomy: &Taxonomy, article: &Article) -> Option<Vec<usize>> {
    let mut terms = Vec::new();
    for value in article_terms(article, &taxonomy.name) {
        if value.trim().is_empty() || slugify(value.trim()).is_empty() {
            continue;
        }
        let &term = taxonomy.by_value.get(value)?;
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    Some(terms)
}

/// Moves article `index` (now `articles[index]`, before `old`) from the
/// terms it no longer names to those it names now, keeping each term's list
/// newest first and its name as its newest article writes it; a term it is
/// the first to name comes in at its place by slug, a term it leaves empty
/// goes. `false` when that cannot be done (the caller builds the taxonomy
/// again, so what was changed by then need not be undone).
fn move_terms(taxonomy: &mut Taxonomy, articles: &[Article], index: usize, old: &Article) -> bool {
    if !add_missing_terms(taxonomy, &articles[index]) {
        return false;
    }
    let (Some(before), Some(after)) =
        (terms_named(taxonomy, old), terms_named(taxonomy, &articles[index]))
    else {
        return false;
    };
    let left: Vec<usize> = before.iter().copied().filter(|t| !after.contains(t)).collect();
    for &t in &left {
        taxonomy.terms[t].articles.retain(|&i| i != index);
    }
    for &t in after.iter().filter(|t| !before.contains(t)) {
        let list = &mut taxonomy.terms[t].articles;
        let at = list.partition_point(|&i| i < index);
        list.insert(at, index);
    }
    for &t in before.iter().chain(&after) {
        name_term(taxonomy, articles, t);
    }
    let emptied = left.into_iter().filter(|&t| taxonomy.terms[t].articles.is_empty()).collect();
    remove_terms(taxonomy, emptied);
    true
}

/// Gives each value of `article` that names no term yet a term of its own,
/// with no articles, at its place by slug (or, for a new spelling of a
/// term, maps it there). `false` when that cannot be done in place: a slug
/// too long for a file name is cut with regard to the others.
fn add_missing_terms(taxonomy: &mut Taxonomy, article: &Article) -> bool {
    for value in article_terms(article, &taxonomy.name) {
        let written = value.trim();
        if written.is_empty() || taxonomy.by_value.contains_key(value) {
            continue;
        }
        let slug = slugify(written);
        if slug.is_empty() {
            continue;
        }
        if taxonomy.cut_slugs || slug.len() > MAX_SEGMENT {
            return false;
        }
        // Terms are in slug order, and each slug has one term.
        let at = taxonomy.terms.partition_point(|term| term.slug < slug);
        if taxonomy.terms.get(at).is_none_or(|term| term.slug != slug) {
            let term = Term { name: written.to_string(), slug, articles: Vec::new() };
            taxonomy.terms.insert(at, term);
            taxonomy.by_value.values_mut().filter(|t| **t >= at).for_each(|t| *t += 1);
        }
        taxonomy.by_value.insert(value.to_string(), at);
    }
    true
}

/// Takes out the terms at `emptied` (left with no article), with the
/// spellings that named them.
fn remove_terms(taxonomy: &mut Taxonomy, mut emptied: Vec<usize>) {
    // The last first, so the others keep their index.
    emptied.sort_unstable_by(|a, b| b.cmp(a));
    emptied.dedup();
    for t in emptied {
        taxonomy.terms.remove(t);
        taxonomy.by_value.retain(|_, term| *term != t);
        taxonomy.by_value.values_mut().filter(|term| **term > t).for_each(|term| *term -= 1);
    }
}

/// Names term `t` as its newest article writes it (how `build_taxonomy`
/// names it).
fn name_term(taxonomy: &mut Taxonomy, articles: &[Article], t: usize) {
    let Some(&first) = taxonomy.terms[t].articles.first() else { return };
    let name = article_terms(&articles[first], &taxonomy.name)
        .find(|value| taxonomy.by_value.get(*value) == Some(&t))
        .map(|name| name.trim().to_string());
    if let Some(name) = name {
        taxonomy.terms[t].name = name;
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

/// Puts `incoming[m]` at position `at[m]` of `articles` (`at` ascending, each
/// past the articles that stay before it), moving the others back without a
/// new vector: from the end, each position takes its incoming article or the
/// next staying one from further forward.
fn merge_in_place(articles: &mut Vec<Article>, mut incoming: Vec<Article>, at: &[usize]) {
    let Some(first) = incoming.first() else { return };
    // Places for the incoming articles, overwritten below.
    let placeholder = first.clone();
    let mut staying = articles.len();
    articles.resize(articles.len() + incoming.len(), placeholder);
    let mut position = articles.len();
    while let Some(article) = incoming.pop() {
        let target = at[incoming.len()];
        while position > target + 1 {
            position -= 1;
            staying -= 1;
            articles.swap(position, staying);
        }
        position -= 1;
        articles[position] = article;
    }
}

/// Inserts `index` in the ascending list `list`.
fn insert_sorted(list: &mut Vec<usize>, index: usize) {
    let at = list.partition_point(|&i| i < index);
    list.insert(at, index);
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
        let has_aliases = |a: &Article| a.has_aliases;
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

        // The new order, made in place: the staying articles keep theirs,
        // those leaving are taken out and the incoming ones merged in where
        // they belong. (A new vector of the whole site would be fresh memory
        // for the kernel to zero on every save that moves an article.)
        let mut left = Vec::new();
        let mut old_to_new: Vec<Option<usize>> = vec![None; count];
        let mut kept = 0;
        for i in 0..count {
            if leaving[i] {
                // Position `i` still holds article `i`: only those before it moved.
                left.push((i, self.articles[i].clone()));
            } else {
                self.articles.swap(kept, i);
                old_to_new[i] = Some(kept);
                kept += 1;
            }
        }
        self.articles.truncate(kept);
        // Where each incoming article goes among the staying ones; the
        // m-th (in order) lands at its place plus the m before it.
        let places: Vec<usize> = incoming
            .iter()
            .map(|new| self.articles.partition_point(|staying| !comes_before(new, staying)))
            .collect();
        let fresh: Vec<usize> = places.iter().enumerate().map(|(m, place)| place + m).collect();
        if !places.is_empty() {
            for new in old_to_new.iter_mut().flatten() {
                *new += places.partition_point(|&place| place <= *new);
            }
        }
        merge_in_place(&mut self.articles, incoming, &fresh);
        let old_full = std::mem::take(&mut self.full_articles);
        let remap = |i: usize| old_to_new[i];

        // Titles only a leaving article had: every teaser naming one led to
        // that article (a sole candidate is always taken), so each is found
        // below as lost, its target gone, and resolved again.
        let sole_before: Vec<Arc<str>> = left
            .iter()
            .filter(|(i, article)| {
                self.by_title.get(&article.title_slug).is_some_and(|e| e == &[*i])
            })
            .map(|(_, article)| article.title_slug.clone())
            .collect();

        // The staying articles keep their relative order, so every list of
        // indices stays sorted when mapped in place: only the lists of the
        // articles that left or came in change otherwise.
        for (_, article) in &left {
            self.by_content_path.remove(&article.page.relative_path);
            if let Some(entry) = self.by_title.get_mut(&article.title_slug) {
                entry.retain(|&i| remap(i).is_some());
            }
        }
        for index in self.by_content_path.values_mut() {
            *index = remap(*index).unwrap_or(*index);
        }
        for entry in self.by_title.values_mut() {
            entry.iter_mut().for_each(|i| *i = remap(*i).unwrap_or(*i));
        }
        for &j in &fresh {
            // (An incoming standalone page builds the graph again, above.)
            let article = &self.articles[j];
            self.by_content_path.insert(article.page.relative_path.clone(), j);
            let entry = self.by_title.entry(article.title_slug.clone()).or_default();
            let at = entry.partition_point(|&i| i < j);
            entry.insert(at, j);
        }
        for (_, article) in &left {
            if self.by_title.get(&article.title_slug).is_some_and(Vec::is_empty) {
                self.by_title.remove(&article.title_slug);
            }
        }

        for t in 0..self.taxonomies.len() {
            if !self.carry_taxonomy(t, &remap, &fresh) {
                self.taxonomies[t] = build_taxonomy(&self.taxonomies[t].name, &self.articles);
            }
        }
        super::archive::carry_archive(&mut self.years, &self.articles, &remap, &fresh);
        let mut full: Vec<usize> = old_full.iter().filter_map(|&i| remap(i)).collect();
        for &j in fresh.iter().filter(|&&j| !self.articles[j].page.front_matter.stub) {
            insert_sorted(&mut full, j);
        }
        self.full_articles = full;
        // (No incoming article is standalone, see above: each is listed.)
        self.home_items.retain_mut(|i| remap(*i).map(|new| *i = new).is_some());
        for &j in &fresh {
            insert_sorted(&mut self.home_items, j);
        }

        // Teasers: resolved again where they name a title that came or went,
        // led to an article that left, or belong to an incoming article.
        let titles = ChangedTitles::new(
            left.iter()
                .map(|(_, a)| a)
                .chain(fresh.iter().map(|&j| &self.articles[j]))
                .map(|article| article.title_slug.clone())
                .filter(|slug| !sole_before.contains(slug))
                .collect(),
        );
        let mut new_to_old = vec![None; self.articles.len()];
        for (i, j) in old_to_new.iter().enumerate() {
            if let Some(j) = *j {
                new_to_old[j] = Some(i);
            }
        }
        let old_targets = std::mem::take(&mut self.teaser_targets);
        let mut targets =
            TeaserTargets::with_capacity(self.articles.len(), old_targets.teasers() + 16);
        let mut touched = fresh.clone();
        for (j, old_index) in new_to_old.iter().enumerate() {
            let article = &self.articles[j];
            let Some(i) = *old_index else {
                targets.push(&resolve_teasers(&self.articles, &self.by_title, article));
                continue;
            };
            // The old targets, in new indices; a target that left is a
            // change whatever the teaser leads to now.
            let lost = targets.push_mapped(&old_targets, i, remap);
            if lost || titles.named_by(article) {
                let now = resolve_teasers(&self.articles, &self.by_title, article);
                if lost || !targets.are(j, &now) {
                    touched.push(j);
                }
                targets.set(j, &now);
            }
        }
        self.teaser_targets = targets;

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
    /// articles to the terms they name; a term first named comes in, one
    /// left empty goes. `false` when that cannot be done in place (see
    /// [`add_missing_terms`]): build it again.
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
            if !add_missing_terms(taxonomy, &articles[j]) {
                return false;
            }
        }
        for &j in fresh {
            let Some(terms) = terms_named(taxonomy, &articles[j]) else { return false };
            additions.extend(terms.into_iter().map(|term| (term, j)));
        }
        // Mapped in place (the caller builds the taxonomy again when this
        // gives up half-way, so nothing needs to be kept).
        let mut emptied = Vec::new();
        for index in 0..taxonomy.terms.len() {
            let list = &mut taxonomy.terms[index].articles;
            let first_before = list.first().copied().and_then(remap);
            list.retain_mut(|i| remap(*i).map(|new| *i = new).is_some());
            for &(_, j) in additions.iter().filter(|(term, _)| *term == index) {
                let at = list.partition_point(|&i| i < j);
                list.insert(at, j);
            }
            if list.is_empty() {
                emptied.push(index);
            } else if list.first().copied() != first_before {
                // The name as first written: by the newest article using it.
                name_term(taxonomy, articles, index);
            }
        }
        remove_terms(taxonomy, emptied);
        true
    }
}
