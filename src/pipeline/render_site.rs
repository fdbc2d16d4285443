//! Rendering a whole site from its pages: the graph, every article's
//! Markdown and page, every other page, the assets.

use super::cache::FileKey;
use super::engine::Engine;
use super::timings::Phase;
use super::{Builder, Emit, GraphLinks, drop_in_background, signature};
use crate::content::BodyReader;
use crate::content::Page;
use crate::error::{Error, Result};
use crate::fingerprint::FastMap;
use crate::markdown::{Highlighter, RenderedMarkdown, render_markdown_body};
use crate::render::{Body, SiteViews, render_page};
use crate::site::outputs::{ListingKind, OutputPage};
use crate::site::{ChangedPage, GraphOptions, SiteGraph};
use rayon::prelude::*;
use std::sync::{Arc, Mutex, PoisonError};

/// The most articles one rayon task renders before the rest of its range can
/// be taken by an idle thread: an article with code blocks costs ten times
/// one without, and long runs left one core busy while the other idled.
const ARTICLES_PER_TASK: usize = 8;

/// What rendering one article left behind.
struct ArticleOutcome {
    file: Arc<str>,
    file_key: FileKey,
    /// Identifies the rendered Markdown (page content plus link targets).
    key: u64,
    /// The rendered body, when still needed (serve's cache, or the feed).
    body: Option<Arc<RenderedMarkdown>>,
}

/// An article's rendered Markdown: from the cache when the page and the
/// targets of its links are unchanged, else rendered now from `markdown`
/// (the page's own body, or read again from its file).
pub(super) fn article_body(
    article: &crate::site::Article,
    markdown: &str,
    cache: Option<&FastMap<String, (u64, Arc<RenderedMarkdown>)>>,
    links: &GraphLinks<'_>,
    highlighter: &Highlighter,
) -> std::result::Result<(u64, Arc<RenderedMarkdown>), Vec<Error>> {
    if let Some((key, cached)) = cache.and_then(|c| c.get(&article.page.relative_path)) {
        let current = signature::markdown_key(
            article.content_hash,
            &signature::link_targets(links, &cached.links),
        );
        if *key == current {
            return Ok((current, cached.clone()));
        }
    }
    let rendered = render_markdown_body(&article.page, markdown, links, highlighter)
        .map_err(|diagnostics| diagnostics.into_iter().map(Error::from).collect::<Vec<_>>())?;
    let key = signature::markdown_key(
        article.content_hash,
        &signature::link_targets(links, &rendered.links),
    );
    Ok((key, Arc::new(rendered)))
}

/// How a save patched the last graph.
struct Patch {
    /// The articles whose page may show something different (see
    /// `SiteGraph::update_in_place` and `SiteGraph::update_moving`).
    touched: Vec<usize>,
    /// The articles kept their order (ids in the search index still hold).
    same_order: bool,
    /// The content paths of articles that left or changed address.
    readdressed: Vec<String>,
}

/// Whether a page can be brought up to date after a save's reload, by
/// `Builder::catch_up`, rather than before it: the pages of a listing after
/// its first (a new article shifts every page of the home listing, and a
/// browser is rarely on page 300 of it while an article is being written),
/// the sitemap and the taxonomies' indexes of every term (long, and nobody
/// previews them while writing).
pub(super) fn can_wait(page: OutputPage) -> bool {
    match page {
        OutputPage::Listing(listing) => listing.number > 1,
        OutputPage::Sitemap(_) | OutputPage::SitemapIndex | OutputPage::TaxonomyIndex(_) => true,
        _ => false,
    }
}

impl Builder {
    /// Renders every output page whose signature changed since the last
    /// successful build (a one-shot builder: every page) and hands it to
    /// `emit`, from several threads; files that no longer exist are emitted
    /// as `None`. The builder's state is only updated when the whole build
    /// succeeds, so a failed build leaves the next one comparing against the
    /// last good site.
    ///
    /// `changed` names the content paths loaded again since the last build,
    /// when they are known (a save in serve).
    pub(super) fn render(&mut self, changed: Option<&[String]>, emit: &Emit<'_>) -> Result<()> {
        let new_engine = self.engine.is_none();
        if new_engine {
            self.engine = Some(Engine::load(&self.root, self.options.base_url.as_deref())?);
        }
        let Some(engine) = self.engine.as_ref() else { return Ok(()) };
        let timings = &self.timings;
        timings.mark("engine");
        let incremental = self.cache.is_some();
        // The last build's search index, updated in place below when the
        // site has the same articles in the same order (a retitled article).
        let old_search = self.cache.as_mut().and_then(|c| c.search.take());
        let had_graph = self.graph.is_some();
        // A save patches the last graph: where the saved articles stand when
        // none moves (`SiteGraph::update_in_place`), else by mapping every
        // list to the new order (`SiteGraph::update_moving`).
        let mut patched: Option<(SiteGraph, Patch)> = None;
        if let (Some(changed), Some(cache), false) = (changed, &self.cache, new_engine) {
            if let Some(mut graph) = self.graph.take() {
                let pages: Vec<ChangedPage> = changed
                    .iter()
                    .map(|path| (path.clone(), cache.pages.get(path).cloned()))
                    .collect();
                let present: Option<Vec<(Arc<Page>, u64)>> =
                    pages.iter().map(|(_, page)| page.clone()).collect();
                let in_place = present.and_then(|present| graph.update_in_place(&present));
                let patch = match in_place {
                    Some(touched) => {
                        Some(Patch { touched, same_order: true, readdressed: Vec::new() })
                    }
                    None => graph.update_moving(&pages, self.options.drafts).map(|moved| Patch {
                        touched: moved.touched,
                        same_order: false,
                        readdressed: moved.readdressed,
                    }),
                };
                match patch {
                    Some(patch) => patched = Some((graph, patch)),
                    None => self.graph = Some(graph),
                }
            }
        }
        timings.mark("pages");
        let (mut graph, patch) = match patched {
            Some((graph, patch)) => (graph, Some(patch)),
            None => {
                let pages: Vec<(Arc<Page>, u64)> = match &self.cache {
                    Some(cache) => cache.pages.values().cloned().collect(),
                    None => std::mem::take(&mut self.one_shot_pages)
                        .into_iter()
                        .map(|p| (p, 0))
                        .collect(),
                };
                let graph = timings.time(Phase::Graph, || {
                    // The last graph's articles are placed as they were, unless
                    // the configuration (the permalink pattern) may have changed.
                    let previous = self.graph.as_ref().filter(|_| !new_engine);
                    let options = GraphOptions { include_drafts: self.options.drafts, previous };
                    SiteGraph::build(engine.config.clone(), engine.base.clone(), pages, options)
                })?;
                (graph, None)
            }
        };
        // A one-shot build's bodies, taken out of their pages so that each is
        // freed once its Markdown is rendered and its memory reused.
        let taken_bodies: Vec<Mutex<Option<String>>> = if incremental {
            Vec::new()
        } else {
            let take = |page: &mut Arc<Page>| Arc::get_mut(page).and_then(|p| p.body.take());
            graph.articles.iter_mut().map(|a| Mutex::new(take(&mut a.page))).collect()
        };
        let graph = graph;
        // For the pages loaded without their bodies (see `cache::load_pages`).
        let body_reader = BodyReader::new(&self.content_dir());
        timings.mark("graph");
        let views = match &self.cache {
            Some(cache) => SiteViews::with_known_summaries(&graph, &cache.summaries),
            None => SiteViews::new(&graph),
        };
        // After a patch, only the pages of the articles that show a changed
        // one can differ; the others' keys and bodies are carried over
        // (unless a body links to an article that left or moved: then every
        // body's links are looked at again).
        let links_readdressed = |patch: &Patch| {
            !patch.readdressed.is_empty()
                && self.cache.as_ref().is_some_and(|cache| {
                    cache.markdown.values().any(|(_, body)| {
                        body.links.iter().any(|link| patch.readdressed.contains(link))
                    })
                })
        };
        let showing = patch
            .as_ref()
            .filter(|patch| !links_readdressed(patch))
            .map(|patch| views.articles_showing(&patch.touched));
        timings.mark("views");
        let links = GraphLinks(&graph);
        let renderer = &engine.renderer;
        // Bodies a feed (the site's or a term's) shows are kept for it.
        let mut in_feed = graph.in_term_feeds();
        views.feed_articles().iter().for_each(|&i| in_feed[i] = true);
        let previous = self.cache.as_ref().map(|c| &c.signatures);
        let unchanged = |file: &str, signature: u64| {
            previous.is_some_and(|p| p.get(file).is_some_and(|k| k.signature == signature))
        };
        // The signature a page had, when its inputs are the ones it had then
        // (see `SiteViews::page_inputs`): its view need not be made.
        let known = |file: &str, inputs: Option<u64>| {
            previous.and_then(|p| p.get(file)).and_then(|k| k.signature_for(inputs))
        };
        let markdown_cache = self.cache.as_ref().map(|c| &c.markdown);
        // Search: each article goes into the index as it is rendered; the
        // index's files are emitted like assets, when their bytes changed.
        // With the same articles in the same order, an index is updated in
        // place, where an article changed (its id is its place in the order).
        let changed_in_place: Option<Vec<usize>> = match &patch {
            Some(patch) => patch.same_order.then(|| patch.touched.clone()),
            None => self.graph.as_ref().and_then(|old| {
                let same_order = old.articles.len() == graph.articles.len()
                    && old
                        .articles
                        .iter()
                        .zip(&graph.articles)
                        .all(|(a, b)| a.page.relative_path == b.page.relative_path);
                same_order.then(|| {
                    let pairs = old.articles.iter().zip(&graph.articles).enumerate();
                    pairs
                        .filter(|(_, (a, b))| a.content_hash != b.content_hash)
                        .map(|(i, _)| i)
                        .collect()
                })
            }),
        };
        let old_search = old_search.filter(|_| engine.config.search && changed_in_place.is_some());
        // Otherwise an incremental build leaves the index as it was and marks
        // it stale: making it again costs as much as the rest of a save many
        // times over, so serve does it after the pages are out, when no save
        // is waiting (`Builder::catch_up`).
        let defer_search =
            incremental && engine.config.search && old_search.is_none() && had_graph && !new_engine;
        let search = (engine.config.search && old_search.is_none() && !defer_search)
            .then(|| crate::search::IndexBuilder::new(graph.articles.len(), incremental));
        let search_signatures = Mutex::new(Vec::new());
        let search_emit = |file: &str, bytes: &[u8]| -> Result<()> {
            if !incremental {
                return emit(file, Some(bytes));
            }
            let signature = signature::of_asset(bytes);
            if !unchanged(file, signature) {
                emit(file, Some(bytes))?;
            }
            let mut signatures = search_signatures.lock().unwrap_or_else(PoisonError::into_inner);
            signatures.push((Arc::from(file), FileKey::new(None, signature)));
            Ok(())
        };

        // Articles: Markdown (from the cache when neither the page nor the
        // pages it links to changed), then the page itself when what it
        // shows changed. Rendered bodies are kept only where still needed.
        let article_results: Vec<Result<ArticleOutcome, Vec<Error>>> = graph
            .articles
            .par_iter()
            .enumerate()
            .with_max_len(ARTICLES_PER_TASK)
            .map_init(String::new, |buffer, (i, article)| {
                if showing.as_ref().is_some_and(|showing| !showing[i]) {
                    let cached = markdown_cache.and_then(|c| c.get(&article.page.relative_path));
                    let known = previous.and_then(|p| p.get(&*article.output_file));
                    if let (Some((key, body)), Some(&file_key)) = (cached, known) {
                        let file = article.output_file.clone();
                        let (key, body) = (*key, Some(body.clone()));
                        return Ok(ArticleOutcome { file, file_key, key, body });
                    }
                }
                let (key, body) = timings.time(Phase::Markdown, || {
                    let taken = taken_bodies.get(i).and_then(|body| {
                        body.lock().unwrap_or_else(PoisonError::into_inner).take()
                    });
                    let markdown = match &taken {
                        Some(body) => body.as_str(),
                        None => body_reader.body(&article.page, buffer).map_err(|e| vec![e])?,
                    };
                    article_body(article, markdown, markdown_cache, &links, &engine.highlighter)
                })?;
                if let Some(search) = &search {
                    crate::search::with_article_doc(&graph, i, &body.text, key, |doc| {
                        search.add(i, doc, &search_emit)
                    })
                    .map_err(|e| vec![e])?;
                }
                let page = OutputPage::Article(i);
                let file = article.output_file.clone();
                // A one-shot build renders everything: no keys needed.
                let inputs = if incremental { views.page_inputs(page, key) } else { None };
                let signature = match known(&file, inputs) {
                    Some(signature) => signature,
                    None => {
                        let view = views.page(page, &|_| Some(Body { key, rendered: &body }));
                        let signature = if incremental { view.signature() } else { 0 };
                        if !unchanged(&file, signature) {
                            let bytes = timings
                                .time(Phase::ArticlePages, || render_page(&views, renderer, &view))
                                .map_err(|e| vec![e])?;
                            emit(&file, Some(&bytes))
                                .map_err(|e| vec![graph.blame_write(page, e)])?;
                        }
                        signature
                    }
                };
                let keep = incremental || in_feed[i];
                let file_key = FileKey::new(inputs, signature);
                Ok(ArticleOutcome { file, file_key, key, body: keep.then_some(body) })
            })
            .collect();
        let mut errors: Vec<Error> = Vec::new();
        let mut outcomes: Vec<ArticleOutcome> = Vec::with_capacity(article_results.len());
        for result in article_results {
            match result {
                Ok(outcome) => outcomes.push(outcome),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }
        let kept_search_files = old_search.is_some() || defer_search;
        let search = match (search, old_search) {
            (Some(search), _) => search.finish(&search_emit)?,
            (None, Some(mut index)) => {
                for &i in changed_in_place.iter().flatten() {
                    let Some(body) = &outcomes[i].body else { continue };
                    crate::search::with_article_doc(
                        &graph,
                        i,
                        &body.text,
                        outcomes[i].key,
                        |doc| index.update(i, doc, &search_emit),
                    )?;
                }
                Some(index)
            }
            (None, None) => None,
        };
        timings.mark("articles");
        let body = |i: usize| {
            let outcome = outcomes.get(i)?;
            outcome.body.as_deref().map(|rendered| Body { key: outcome.key, rendered })
        };

        // Every other page: listings, archives, taxonomies, feed, sitemap.
        let mut others: Vec<OutputPage> = graph
            .output_pages()
            .into_iter()
            .filter(|p| !matches!(p, OutputPage::Article(_)))
            .collect();
        // The sitemap and the feed are single pages that each take tens of
        // milliseconds on a large site: started first, they are not left
        // running on one core after every listing is done.
        others.sort_by_key(|p| !matches!(p, OutputPage::Sitemap(_) | OutputPage::Feed));
        // In serve, some pages are brought up to date just after the reload
        // (see `can_wait`); after a patch, so are the archive pages that list
        // none of the changed articles (mostly a count in their navigation
        // changed; one that lost a deleted article lists one more older one).
        let defer_later_pages = incremental && !new_engine;
        let touched: Option<Vec<bool>> = patch.as_ref().map(|patch| {
            let mut touched = vec![false; graph.articles.len()];
            patch.touched.iter().for_each(|&i| touched[i] = true);
            touched
        });
        let lists_no_change = |page: OutputPage| match (page, &touched) {
            (OutputPage::Listing(listing), Some(touched)) => {
                matches!(listing.kind, ListingKind::Year(_) | ListingKind::Month(..))
                    && graph.listing_page_items(listing).iter().all(|&i| !touched[i])
            }
            _ => false,
        };
        // Each page's file and key, and whether it was left for later.
        type Outcome = Result<(Arc<str>, FileKey, bool), Error>;
        let other_results: Vec<Outcome> = others
            .par_iter()
            // One page per task, for the same reason as `ARTICLES_PER_TASK`.
            .with_max_len(1)
            .map(|&page| {
                let file = graph.output_file(page);
                let inputs = if incremental { views.page_inputs(page, 0) } else { None };
                if let Some(signature) = known(&file, inputs) {
                    return Ok((file.into(), FileKey::new(inputs, signature), false));
                }
                let waits = can_wait(page) || lists_no_change(page);
                if let (true, true, Some(served)) =
                    (defer_later_pages, waits, previous.and_then(|p| p.get(file.as_str())))
                {
                    // What is served stays what its signature says; its
                    // inputs are unknown until it is looked at again.
                    return Ok((file.into(), FileKey::new(None, served.signature), true));
                }
                let view = views.page(page, &body);
                let signature = if incremental { view.signature() } else { 0 };
                if !unchanged(&file, signature) {
                    let bytes =
                        timings.time(Phase::OtherPages, || render_page(&views, renderer, &view))?;
                    emit(&file, Some(&bytes)).map_err(|e| graph.blame_write(page, e))?;
                }
                Ok((file.into(), FileKey::new(inputs, signature), false))
            })
            .collect();
        let mut deferred_pages = Vec::new();
        let mut current: FastMap<Arc<str>, FileKey> =
            FastMap::with_capacity_and_hasher(previous.map_or(0, |p| p.len()), Default::default());
        if incremental {
            current.extend(outcomes.iter().map(|o| (o.file.clone(), o.file_key)));
        }
        for result in other_results {
            match result {
                Ok((file, file_key, deferred)) if incremental => {
                    if deferred {
                        deferred_pages.push(file.clone());
                    }
                    current.insert(file, file_key);
                }
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }
        timings.mark("other pages");

        // Assets (theme files, fingerprinted CSS, static/) carry the hash of their bytes.
        for (file, bytes) in &engine.assets {
            let signature = signature::of_asset(bytes);
            if !unchanged(file, signature) {
                emit(file, Some(bytes))?;
            }
            if incremental {
                current.insert(file.as_str().into(), FileKey::new(None, signature));
            }
        }
        if let (true, Some(previous)) = (kept_search_files, previous) {
            // Index files an in-place update left alone, or a stale index's.
            let kept = previous.iter().filter(|(f, _)| crate::search::is_index_file(f));
            current.extend(kept.map(|(f, s)| (f.clone(), *s)));
        }
        current.extend(search_signatures.into_inner().unwrap_or_else(PoisonError::into_inner));
        if let Some(previous) = previous {
            let mut removed: Vec<&Arc<str>> =
                previous.keys().filter(|f| !current.contains_key(&***f)).collect();
            removed.sort();
            for file in removed {
                emit(file, None)?;
            }
        }

        let made_summaries: Vec<(u64, tera::Value)> =
            if incremental { views.made_summaries().collect() } else { Vec::new() };
        drop_in_background(views.into_caches());
        match &mut self.cache {
            Some(cache) => {
                cache.summaries.extend(made_summaries);
                // Entries of pages since changed or gone, once they outnumber the site.
                if cache.summaries.len() > 2 * graph.articles.len() {
                    let current: std::collections::HashSet<u64> =
                        graph.articles.iter().map(|a| a.content_hash).collect();
                    cache.summaries.retain(|hash, _| current.contains(hash));
                }
                // Rendered bodies kept where they changed; the others are the
                // cached ones already.
                let markdown = &mut cache.markdown;
                for (article, outcome) in graph.articles.iter().zip(outcomes) {
                    let Some(body) = outcome.body else { continue };
                    let path = &article.page.relative_path;
                    match markdown.get_mut(path) {
                        Some(cached) if Arc::ptr_eq(&cached.1, &body) => {}
                        Some(cached) => *cached = (outcome.key, body),
                        None => {
                            markdown.insert(path.clone(), (outcome.key, body));
                        }
                    }
                }
                if markdown.len() != graph.articles.len() {
                    markdown.retain(|path, _| graph.by_content_path.contains_key(path));
                }
                drop_in_background(std::mem::replace(&mut cache.signatures, current));
                cache.search = search;
                cache.search_stale = defer_search;
                cache.deferred_pages = deferred_pages;
            }
            None => drop_in_background(outcomes),
        }
        timings.mark("finished");
        // The old graph holds the whole site's structure: freeing it is no
        // reason to keep a save's reload waiting.
        if let Some(old) = self.graph.replace(graph) {
            drop_in_background(old);
        }
        Ok(())
    }
}
