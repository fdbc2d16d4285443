//! Rendering a whole site from its pages: the graph, every article's
//! Markdown and page, every other page, the assets.

use super::engine::Engine;
use super::timings::Phase;
use super::{Builder, Emit, GraphLinks, drop_in_background, signature};
use crate::content::BodyReader;
use crate::error::{Error, Result};
use crate::markdown::{Highlighter, RenderedMarkdown, render_markdown_body};
use crate::render::{Body, SiteViews, render_page};
use crate::site::outputs::OutputPage;
use crate::site::{GraphOptions, SiteGraph};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

/// The most articles one rayon task renders before the rest of its range can
/// be taken by an idle thread: an article with code blocks costs ten times
/// one without, and long runs left one core busy while the other idled.
const ARTICLES_PER_TASK: usize = 8;

/// An article's rendered Markdown (from `markdown`, the page's own body or
/// read again from its file) and the key that identifies it: the page's
/// content and where its links lead.
fn article_body(
    article: &crate::site::Article,
    markdown: &str,
    links: &GraphLinks<'_>,
    highlighter: &Highlighter,
) -> std::result::Result<(u64, RenderedMarkdown), Vec<Error>> {
    let rendered = render_markdown_body(&article.page, markdown, links, highlighter)
        .map_err(|diagnostics| diagnostics.into_iter().map(Error::from).collect::<Vec<_>>())?;
    let key = signature::markdown_key(
        article.content_hash,
        &signature::link_targets(links, &rendered.links),
    );
    Ok((key, rendered))
}

impl Builder {
    /// Renders every output page and hands it to `emit`, from several
    /// threads.
    pub(super) fn render(&mut self, emit: &Emit<'_>) -> Result<()> {
        if self.engine.is_none() {
            self.engine = Some(Engine::load(&self.root, self.options.base_url.as_deref())?);
        }
        let Some(engine) = self.engine.as_ref() else { return Ok(()) };
        let timings = &self.timings;
        timings.mark("engine");
        let pages: Vec<(Arc<crate::content::Page>, u64)> =
            std::mem::take(&mut self.pages).into_iter().map(|p| (p, 0)).collect();
        timings.mark("pages");
        let mut graph = timings.time(Phase::Graph, || {
            let options = GraphOptions { include_drafts: self.options.drafts, previous: None };
            SiteGraph::build(engine.config.clone(), engine.base.clone(), pages, options)
        })?;
        // The bodies, taken out of their pages so that each is freed once
        // its Markdown is rendered and its memory reused.
        let take =
            |page: &mut Arc<crate::content::Page>| Arc::get_mut(page).and_then(|p| p.body.take());
        let taken_bodies: Vec<Mutex<Option<String>>> =
            graph.articles.iter_mut().map(|a| Mutex::new(take(&mut a.page))).collect();
        let graph = graph;
        // For the pages loaded without their bodies (see `load_pages`).
        let content_dir = self.content_dir();
        let body_reader = BodyReader::new(&content_dir);
        // Files beside the pages that bodies link (saved images), each once.
        let published_files: Mutex<HashSet<String>> = Mutex::default();
        timings.mark("graph");
        let views = SiteViews::new(&graph);
        timings.mark("views");
        let links = GraphLinks(&graph);
        let renderer = &engine.renderer;
        // Bodies a feed shows are kept for it: whole for the site's feed,
        // only the lead for an article that is in term feeds alone.
        let in_term_feed = graph.in_term_feeds();
        let mut in_site_feed = vec![false; graph.articles.len()];
        views.feed_articles().iter().for_each(|&i| in_site_feed[i] = true);
        // Search: each article goes into the index as it is rendered; the
        // index's files are emitted like assets.
        let search = engine
            .config
            .search
            .then(|| crate::search::IndexBuilder::new(graph.articles.len(), false));
        let search_emit = |file: &str, bytes: &[u8]| emit(file, Some(bytes));

        // Articles: Markdown, then the page itself. Rendered bodies are
        // kept only for the feed.
        type Outcome = Result<Option<(u64, RenderedMarkdown)>, Vec<Error>>;
        let article_results: Vec<Outcome> = graph
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
                    article_body(article, markdown, &links, &engine.highlighter)
                })?;
                if let Some(search) = &search {
                    crate::search::with_article_doc(&graph, i, &body.text, key, |doc| {
                        search.add(i, doc, &search_emit)
                    })
                    .map_err(|e| vec![e])?;
                }
                publish_content_files(&body.files, &content_dir, &published_files, &emit)
                    .map_err(|e| vec![e])?;
                let page = OutputPage::Article(i);
                let view = views.page(page, &|_| Some(Body { key, rendered: &body }));
                let bytes = timings
                    .time(Phase::ArticlePages, || render_page(&views, renderer, &view))
                    .map_err(|e| vec![e])?;
                emit(&article.output_file, Some(&bytes))
                    .map_err(|e| vec![graph.blame_write(page, e)])?;
                Ok(if in_site_feed[i] {
                    Some((key, body))
                } else if in_term_feed[i] {
                    // Whole bodies of the thousands of articles in term feeds
                    // made a build's memory a third larger.
                    Some((key, body.lead_only()))
                } else {
                    None
                })
            })
            .collect();
        let mut errors: Vec<Error> = Vec::new();
        let mut feed_bodies: Vec<Option<(u64, RenderedMarkdown)>> =
            Vec::with_capacity(article_results.len());
        for result in article_results {
            match result {
                Ok(body) => feed_bodies.push(body),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }
        if let Some(search) = search {
            search.finish(&search_emit)?;
        }
        timings.mark("articles");
        let body = |i: usize| {
            let (key, rendered) = feed_bodies.get(i)?.as_ref()?;
            Some(Body { key: *key, rendered })
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
        let other_results: Vec<Result<()>> = others
            .par_iter()
            // One page per task, for the same reason as `ARTICLES_PER_TASK`.
            .with_max_len(1)
            .map(|&page| {
                let view = views.page(page, &body);
                let bytes =
                    timings.time(Phase::OtherPages, || render_page(&views, renderer, &view))?;
                emit(&graph.output_file(page), Some(&bytes)).map_err(|e| graph.blame_write(page, e))
            })
            .collect();
        errors.extend(other_results.into_iter().filter_map(Result::err));
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }
        timings.mark("other pages");

        // Assets (theme files, fingerprinted CSS, static/).
        for (file, bytes) in &engine.assets {
            emit(file, Some(bytes))?;
        }
        drop_in_background((views.into_caches(), feed_bodies));
        timings.mark("finished");
        self.graph = Some(graph);
        Ok(())
    }
}

/// Copies the files of `content/` a body links (images saved beside an
/// article) to the same path in the output, each once however many
/// articles show it.
fn publish_content_files(
    files: &[String],
    content_dir: &std::path::Path,
    published: &Mutex<HashSet<String>>,
    emit: &Emit<'_>,
) -> Result<()> {
    for file in files {
        if !published.lock().unwrap_or_else(PoisonError::into_inner).insert(file.clone()) {
            continue;
        }
        let path = content_dir.join(file);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        emit(file, Some(&bytes))?;
    }
    Ok(())
}
