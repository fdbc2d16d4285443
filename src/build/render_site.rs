//! Rendering a whole site from its pages: the graph, every article's
//! Markdown and page, every other page, the assets.

use super::engine::Engine;
use super::timings::Phase;
use super::{Builder, Emit, GraphLinks, drop_in_background, signature};
use crate::content::BodyReader;
use crate::content::Page;
use crate::error::{Error, Result};
use crate::markdown::{Highlighter, RenderedMarkdown, render_markdown_body};
use crate::render::{Body, SiteViews, render_page};
use crate::site::outputs::OutputPage;
use crate::site::{GraphOptions, SiteGraph};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

/// The most articles one rayon task renders before the rest of its range can
/// be taken by an idle thread: an article with code blocks costs ten times
/// one without, and long runs left one core busy while the other idled.
const ARTICLES_PER_TASK: usize = 8;

/// What rendering one article left behind.
struct ArticleOutcome {
    file: String,
    signature: u64,
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
    cache: Option<&HashMap<String, (u64, Arc<RenderedMarkdown>)>>,
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

impl Builder {
    /// Renders every output page whose signature changed since the last
    /// successful build (a one-shot builder: every page) and hands it to
    /// `emit`, from several threads; files that no longer exist are emitted
    /// as `None`. The builder's state is only updated when the whole build
    /// succeeds, so a failed build leaves the next one comparing against the
    /// last good site.
    pub(super) fn render(&mut self, emit: &Emit<'_>) -> Result<()> {
        if self.engine.is_none() {
            self.engine = Some(Engine::load(&self.root, self.options.base_url.as_deref())?);
        }
        let Some(engine) = self.engine.as_ref() else { return Ok(()) };
        let timings = &self.timings;
        timings.mark("engine");
        let incremental = self.cache.is_some();
        // The last build's search index, updated in place below when the
        // site has the same articles in the same order (a retitled article).
        let old_search = self.cache.as_mut().and_then(|c| c.search.take());
        let pages: Vec<(Arc<Page>, u64)> = match &self.cache {
            Some(cache) => cache.pages.values().cloned().collect(),
            None => std::mem::take(&mut self.one_shot_pages).into_iter().map(|p| (p, 0)).collect(),
        };
        let mut graph = timings.time(Phase::Graph, || {
            let options = GraphOptions { include_drafts: self.options.drafts };
            SiteGraph::build(engine.config.clone(), engine.base.clone(), pages, options)
        })?;
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
        let views = SiteViews::new(&graph);
        timings.mark("views");
        let links = GraphLinks(&graph);
        let renderer = &engine.renderer;
        let feed: HashSet<usize> = views.feed_articles().iter().copied().collect();
        let previous = self.cache.as_ref().map(|c| &c.signatures);
        let unchanged =
            |file: &str, signature: u64| previous.is_some_and(|p| p.get(file) == Some(&signature));
        let markdown_cache = self.cache.as_ref().map(|c| &c.markdown);
        // Search: each article goes into the index as it is rendered; the
        // index's files are emitted like assets, when their bytes changed.
        let same_articles = self.graph.as_ref().is_some_and(|old| {
            old.articles.len() == graph.articles.len()
                && old
                    .articles
                    .iter()
                    .zip(&graph.articles)
                    .all(|(a, b)| a.page.relative_path == b.page.relative_path)
        });
        let old_search = old_search.filter(|_| engine.config.search && same_articles);
        let search = (engine.config.search && old_search.is_none())
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
            signatures.push((file.to_string(), signature));
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
                let file = graph.output_file(page);
                let view = views.page(page, &|_| Some(Body { key, rendered: &body }));
                // A one-shot build renders everything: no signature needed.
                let signature = if incremental { view.signature() } else { 0 };
                if !unchanged(&file, signature) {
                    let bytes = timings
                        .time(Phase::ArticlePages, || render_page(&views, renderer, &view))
                        .map_err(|e| vec![e])?;
                    emit(&file, Some(&bytes)).map_err(|e| vec![e])?;
                }
                drop(view);
                let keep = incremental || feed.contains(&i);
                Ok(ArticleOutcome { file, signature, key, body: keep.then_some(body) })
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
        let reused_search = old_search.is_some();
        let search = match (search, old_search) {
            (Some(search), _) => search.finish(&search_emit)?,
            (None, Some(mut index)) => {
                for (i, outcome) in outcomes.iter().enumerate() {
                    let Some(body) = &outcome.body else { continue };
                    crate::search::with_article_doc(&graph, i, &body.text, outcome.key, |doc| {
                        index.update(i, doc, &search_emit)
                    })?;
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
        let other_results: Vec<Result<(String, u64), Error>> = others
            .par_iter()
            // One page per task, for the same reason as `ARTICLES_PER_TASK`.
            .with_max_len(1)
            .map(|&page| {
                let file = graph.output_file(page);
                let view = views.page(page, &body);
                let signature = if incremental { view.signature() } else { 0 };
                if !unchanged(&file, signature) {
                    let bytes =
                        timings.time(Phase::OtherPages, || render_page(&views, renderer, &view))?;
                    emit(&file, Some(&bytes))?;
                }
                Ok((file, signature))
            })
            .collect();
        let mut current: HashMap<String, u64> = HashMap::new();
        if incremental {
            current.extend(outcomes.iter().map(|o| (o.file.clone(), o.signature)));
        }
        for result in other_results {
            match result {
                Ok((file, signature)) if incremental => {
                    current.insert(file, signature);
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
                current.insert(file.clone(), signature);
            }
        }
        if let (true, Some(previous)) = (reused_search, previous) {
            // Index files an in-place update left alone.
            let kept = previous.iter().filter(|(f, _)| crate::search::is_index_file(f));
            current.extend(kept.map(|(f, s)| (f.clone(), *s)));
        }
        current.extend(search_signatures.into_inner().unwrap_or_else(PoisonError::into_inner));
        if let Some(previous) = previous {
            let mut removed: Vec<&String> =
                previous.keys().filter(|f| !current.contains_key(*f)).collect();
            removed.sort();
            for file in removed {
                emit(file, None)?;
            }
        }

        drop_in_background(views.into_caches());
        match &mut self.cache {
            Some(cache) => {
                cache.markdown = graph
                    .articles
                    .iter()
                    .zip(outcomes)
                    .filter_map(|(a, o)| o.body.map(|b| (a.page.relative_path.clone(), (o.key, b))))
                    .collect();
                cache.signatures = current;
                cache.search = search;
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
