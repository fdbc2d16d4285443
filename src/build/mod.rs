//! Build: content → site graph → rendered files → output, as one reusable engine.
//!
//! [`Builder`] holds what a build learned (loaded pages, rendered Markdown,
//! the signature of every output page), so `serve` can ask it to bring the
//! site up to date after a save and re-render only the pages whose inputs
//! changed; `galley build` runs it once from scratch. Both paths go through
//! the same rendering code, which is what keeps an incremental result
//! byte-identical to a clean build.

mod in_place;
mod signature;
mod timings;
mod views;

pub use views::SiteViews;

use crate::config::SiteConfig;
use crate::content::{self, Page};
use crate::content::{Bodies, BodyReader, KEPT_BODIES_BUDGET};
use crate::error::{Error, Result};
use crate::markdown::{Highlighter, LinkResolver, RenderedMarkdown, render_markdown_body};
use crate::output::{OutputSink, PublishStats, StagedOutput, check_output_dir};
use crate::render::{Renderer, Theme};
use crate::site::outputs::{ListingKind, OutputPage};
use crate::site::{GraphOptions, SiteGraph, graph::page_hash};
use crate::urls::BaseUrl;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use timings::Phase;

/// The most articles one rayon task renders before the rest of its range can
/// be taken by an idle thread. Left to itself rayon splits a range into a few
/// long runs, and an article with code blocks costs ten times one without:
/// the last run could keep one core busy for a tenth of a second while the
/// other had nothing left to take.
const ARTICLES_PER_TASK: usize = 8;

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output directory; `public/` under the root when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Bytes of files whose Markdown a one-shot build keeps in memory from
    /// loading to rendering; the others are read again (`None`:
    /// [`KEPT_BODIES_BUDGET`]; see [`Bodies::KeepUpTo`]).
    pub kept_bodies: Option<usize>,
}

/// What a finished build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Articles (full and stub) in the site.
    pub articles: usize,
    /// Files in the output.
    pub files: usize,
    /// Files written / carried over unchanged (disk builds).
    pub publish: PublishStats,
    /// Wall time.
    pub elapsed: Duration,
}

/// `galley build`: a full build published atomically to the output directory.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    timings::mark("start");
    let output = options.output.clone().unwrap_or_else(|| root.join("public"));
    check_output_dir(root, &output)?;
    let mut builder = Builder::new(root, options.clone());
    builder.incremental = false;
    let staged = StagedOutput::begin(&output)?;
    // Run on a thread of rayon's pool rather than this one, which does no
    // parallel work: the build's serial steps then allocate from a heap that
    // the parallel steps have freed memory into, instead of taking fresh
    // memory the kernel must zero first (with two cores, 20-30 ms of a 10k
    // build's serial steps went to zeroing pages while both pool threads waited).
    let files = rayon::scope(|_| builder.build_all(&staged))?;
    timings::mark("rendered");
    let publish = timings::time(Phase::Publish, || staged.commit())?;
    timings::mark("published");
    let articles = builder.article_count();
    drop_in_background(builder);
    timings::report(started.elapsed());
    Ok(BuildReport { articles, files, publish, elapsed: started.elapsed() })
}

/// Frees `value` on another thread. A build of a large site ends holding
/// hundreds of thousands of small allocations (pages, summaries, template
/// values); freeing them took a few percent of a build's time, on one core,
/// after all the output was written.
fn drop_in_background<T: Send + 'static>(value: T) {
    // Should no thread be available, the closure and `value` are dropped here.
    let _ = std::thread::Builder::new().name("galley-free".into()).spawn(move || drop(value));
}

/// The parts of a build that depend only on configuration and theme.
struct Engine {
    config: SiteConfig,
    base: BaseUrl,
    theme: Theme,
    renderer: Renderer,
    highlighter: Highlighter,
    /// Rendered assets (theme static files, fingerprinted CSS, syntax.css) and the site's `static/`.
    assets: Vec<(String, Arc<[u8]>)>,
}

impl Engine {
    fn load(root: &Path, options: &BuildOptions) -> Result<Engine> {
        let mut config = SiteConfig::load(root)?;
        if let Some(base_url) = &options.base_url {
            config.base_url = base_url.clone();
        }
        let base = BaseUrl::parse(&config.base_url).map_err(Error::Usage)?;
        let theme = Theme::load(root, &config.theme)?;
        let highlighter = Highlighter::new(&config.highlight.theme).map_err(|message| {
            Error::from(crate::error::Diagnostic::new(
                root.join(crate::config::CONFIG_FILE),
                message,
            ))
        })?;
        let renderer = Renderer::new(
            &theme,
            &base,
            vec![("syntax.css".to_string(), highlighter.stylesheet().into_bytes())],
        )?;
        let mut assets: Vec<(String, Arc<[u8]>)> =
            renderer.assets().into_iter().map(|(p, b)| (p, Arc::from(b))).collect();
        assets.extend(load_static(&root.join("static"))?);
        Ok(Engine { config, base, theme, renderer, highlighter, assets })
    }
}

/// Reads the site's `static/` directory: copied as it is.
fn load_static(dir: &Path) -> Result<Vec<(String, Arc<[u8]>)>> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let relative = relative.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
        files.push((relative, Arc::from(bytes)));
    }
    Ok(files)
}

/// Resolves `.md` links through the graph.
struct GraphLinks<'g>(&'g SiteGraph);

impl LinkResolver for GraphLinks<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        let graph = self.0;
        graph.by_content_path.get(content_path).map(|&i| graph.url(&graph.articles[i].site_path))
    }
}

/// A reusable build engine (see the module docs).
pub struct Builder {
    root: PathBuf,
    options: BuildOptions,
    /// Prepare for later incremental updates (serve): hash pages, keep their
    /// bodies, rendered Markdown and page signatures. A one-shot build skips
    /// all of that and keeps only as many bodies as fit a budget, reading the
    /// others again when it renders their pages (see [`Bodies::KeepUpTo`]),
    /// to keep memory flat and time close to the least work a build must do.
    pub incremental: bool,
    engine: Option<Engine>,
    pages: BTreeMap<String, (Arc<Page>, u64)>,
    /// What a one-shot build loaded (sorted by path, no hashes), until the
    /// graph takes it.
    one_shot_pages: Vec<(Arc<Page>, u64)>,
    graph: Option<SiteGraph>,
    markdown: HashMap<String, (u64, Arc<RenderedMarkdown>)>,
    signatures: HashMap<String, u64>,
    /// Whether the graph reflects every loaded page (false after a failed update).
    in_step: bool,
}

/// Files a rebuild changed: new bytes, or `None` for a file that is gone.
pub type Delta = BTreeMap<String, Option<Arc<[u8]>>>;

/// Where a rebuild sends each changed file (`None`: the file is gone).
type Emit<'a> = dyn Fn(&str, Option<&[u8]>) -> Result<()> + Sync + 'a;

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
/// targets of its links are unchanged, else rendered now from `body` (its
/// Markdown: the page's own, or read again from its file).
fn article_body(
    article: &crate::site::Article,
    body: &str,
    cache: &HashMap<String, (u64, Arc<RenderedMarkdown>)>,
    links: &GraphLinks<'_>,
    highlighter: &Highlighter,
) -> std::result::Result<(u64, Arc<RenderedMarkdown>), Vec<Error>> {
    if let Some((key, cached)) = cache.get(&article.page.relative_path) {
        let current = signature::markdown_key(
            article.content_hash,
            &signature::link_targets(links, &cached.links),
        );
        if *key == current {
            return Ok((current, cached.clone()));
        }
    }
    let rendered = render_markdown_body(&article.page, body, links, highlighter)
        .map_err(|diagnostics| diagnostics.into_iter().map(Error::from).collect::<Vec<_>>())?;
    let key = signature::markdown_key(
        article.content_hash,
        &signature::link_targets(links, &rendered.links),
    );
    Ok((key, Arc::new(rendered)))
}

impl Builder {
    /// A builder for the site at `root`; nothing is loaded yet.
    pub fn new(root: &Path, options: BuildOptions) -> Builder {
        Builder {
            root: root.to_path_buf(),
            options,
            incremental: true,
            engine: None,
            pages: BTreeMap::new(),
            one_shot_pages: Vec::new(),
            graph: None,
            markdown: HashMap::new(),
            signatures: HashMap::new(),
            in_step: false,
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Articles in the last successful build.
    pub fn article_count(&self) -> usize {
        self.graph.as_ref().map_or(0, |g| g.articles.len())
    }

    /// The graph of the last successful build.
    pub fn graph(&self) -> Option<&SiteGraph> {
        self.graph.as_ref()
    }

    /// Loads everything and writes every file to `sink`. Returns the number of files.
    pub fn build_all(&mut self, sink: &dyn OutputSink) -> Result<usize> {
        self.engine = None;
        self.pages.clear();
        self.markdown.clear();
        self.signatures.clear();
        self.graph = None;
        // The engine (site.yaml, theme, templates) does not depend on the
        // pages: loaded beside them, its few serial milliseconds are not
        // spent with one core idle.
        let (root, options) = (&self.root, &self.options);
        let (pages, engine) = rayon::join(
            || Self::load_pages(root, self.incremental, options),
            || Engine::load(root, options),
        );
        self.set_pages(pages?);
        self.engine = Some(engine?);
        timings::mark("loaded");
        let written = std::sync::atomic::AtomicUsize::new(0);
        self.rebuild(&|path, bytes| match bytes {
            Some(bytes) => {
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                timings::time(Phase::Write, || sink.write(path, bytes))
            }
            None => Ok(()),
        })?;
        self.in_step = true;
        Ok(written.into_inner())
    }

    /// Brings the site up to date after files changed on disk (`paths`, any
    /// file under the root; an empty list means "reload everything") and
    /// returns the output files that changed.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<Delta> {
        let result = self.update_inner(paths);
        // After a failure the loaded pages may be ahead of the graph; only a
        // full comparison brings them back in step.
        self.in_step = result.is_ok();
        result
    }

    fn update_inner(&mut self, paths: &[PathBuf]) -> Result<Delta> {
        let mut reload_engine = self.engine.is_none() || paths.is_empty();
        let content_dir = self.root.join("content");
        let mut content_changes = Vec::new();
        for path in paths {
            let relative = path.strip_prefix(&self.root).unwrap_or(path);
            let first =
                relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
            match first.as_deref() {
                Some("content") => content_changes.push(path.clone()),
                Some("themes" | "templates" | "static") => reload_engine = true,
                Some(name) if name == crate::config::CONFIG_FILE => reload_engine = true,
                _ => {}
            }
        }
        if reload_engine {
            // Everything renders again, but the old file list is kept so files
            // that no longer exist (a changed `paginate`, a renamed asset) are
            // reported as removed.
            self.engine = None;
            self.signatures.values_mut().for_each(|s| *s = u64::MAX);
            self.markdown.clear();
        }
        if !reload_engine && content_changes.is_empty() {
            return Ok(Delta::new());
        }
        if !reload_engine && self.incremental && self.in_step {
            if let Some(delta) = self.try_in_place(&content_dir, &content_changes)? {
                return Ok(delta);
            }
        }
        if self.pages.is_empty() || paths.is_empty() {
            self.load_all_pages()?;
        } else {
            self.reload_pages(&content_dir, &content_changes)?;
        }
        let delta = std::sync::Mutex::new(Delta::new());
        self.rebuild(&|path, bytes| {
            delta
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(path.to_string(), bytes.map(Arc::from));
            Ok(())
        })?;
        Ok(delta.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn load_all_pages(&mut self) -> Result<()> {
        let pages = Self::load_pages(&self.root, self.incremental, &self.options)?;
        self.set_pages(pages);
        Ok(())
    }

    /// Every page under `content/`, with or without their bodies (see [`Bodies`]).
    fn load_pages(
        root: &Path,
        incremental: bool,
        options: &BuildOptions,
    ) -> Result<Vec<Arc<Page>>> {
        let bodies = if incremental {
            Bodies::Keep
        } else {
            Bodies::KeepUpTo(options.kept_bodies.unwrap_or(KEPT_BODIES_BUDGET))
        };
        let content_dir = root.join("content");
        timings::time(Phase::Load, || content::load::load_pages_with(&content_dir, bodies))
    }

    /// Makes `pages` the builder's pages: keyed by path for later updates,
    /// or kept in order for a one-shot build's graph.
    fn set_pages(&mut self, pages: Vec<Arc<Page>>) {
        if self.incremental {
            self.pages = pages
                .into_par_iter()
                .map(|p| {
                    let hash = page_hash(&p);
                    (p.relative_path.clone(), (p, hash))
                })
                .collect::<Vec<_>>()
                .into_iter()
                .collect();
        } else {
            // Straight to the graph: a one-shot build never looks a page up by path.
            self.one_shot_pages = pages.into_iter().map(|p| (p, 0)).collect();
        }
    }

    fn reload_pages(&mut self, content_dir: &Path, changed: &[PathBuf]) -> Result<()> {
        let mut errors = Vec::new();
        for path in changed {
            let Ok(relative) = path.strip_prefix(content_dir) else { continue };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                // A new or renamed directory: pick up every page in it.
                self.load_all_pages()?;
                return Ok(());
            }
            if !relative.ends_with(".md") || !path.exists() {
                // Deleted (or renamed away): a removed directory drops everything under it.
                let prefix = format!("{relative}/");
                self.pages.retain(|k, _| k != &relative && !k.starts_with(&prefix));
                continue;
            }
            match content::load::load_page(content_dir, path) {
                Ok(page) => {
                    let hash = page_hash(&page);
                    self.pages.insert(relative, (Arc::new(page), hash));
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(Error::many(errors)) }
    }

    /// Renders every output page whose signature changed since the last
    /// successful build and hands it to `emit` (from several threads); files
    /// that no longer exist are emitted as `None`. The builder's state is only
    /// updated when the whole build succeeds, so a failed build leaves the next
    /// one comparing against the last good site.
    fn rebuild(&mut self, emit: &Emit<'_>) -> Result<()> {
        if self.engine.is_none() {
            self.engine = Some(Engine::load(&self.root, &self.options)?);
        }
        let Some(engine) = self.engine.as_ref() else { return Ok(()) };
        timings::mark("engine");
        let incremental = self.incremental;
        let pages = if incremental {
            self.pages.values().cloned().collect()
        } else {
            std::mem::take(&mut self.one_shot_pages)
        };
        let mut graph = timings::time(Phase::Graph, || {
            let options =
                GraphOptions { include_drafts: self.options.drafts, listing_hashes: incremental };
            SiteGraph::build(engine.config.clone(), engine.base.clone(), pages, options)
        })?;
        // A one-shot build's bodies, taken out of their pages so that each is
        // freed once its Markdown is rendered: the pages rendered later reuse
        // that memory instead of new memory the kernel must zero first.
        let taken_bodies: Vec<std::sync::Mutex<Option<String>>> = if incremental {
            Vec::new()
        } else {
            let take = |page: &mut Arc<Page>| Arc::get_mut(page).and_then(|p| p.body.take());
            graph.articles.iter_mut().map(|a| std::sync::Mutex::new(take(&mut a.page))).collect()
        };
        let graph = graph;
        // For the pages loaded without their bodies (see `Builder::load_pages`).
        let body_reader = BodyReader::new(&self.root.join("content"));
        timings::mark("graph");
        let views = SiteViews::new(&graph);
        timings::mark("views");
        let links = GraphLinks(&graph);
        let renderer = &engine.renderer;
        let feed: std::collections::HashSet<usize> =
            views.feed_articles().iter().copied().collect();
        let previous = &self.signatures;
        let cache = &self.markdown;

        // Articles: Markdown (from the cache when neither the page nor the
        // pages it links to changed), then the page itself when its signature
        // changed. Rendered bodies are kept only where still needed, so a
        // one-shot build of a large site holds a few, not all of them.
        let article_results: Vec<Result<ArticleOutcome, Vec<Error>>> = graph
            .articles
            .par_iter()
            .enumerate()
            .with_max_len(ARTICLES_PER_TASK)
            .map_init(String::new, |buffer, (i, article)| {
                let (key, body) = timings::time(Phase::Markdown, || {
                    let taken = taken_bodies.get(i).and_then(|body| {
                        body.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
                    });
                    let markdown = match &taken {
                        Some(body) => body.as_str(),
                        None => body_reader.body(&article.page, buffer).map_err(|e| vec![e])?,
                    };
                    article_body(article, markdown, cache, &links, &engine.highlighter)
                })?;
                let page = OutputPage::Article(i);
                let file = graph.output_file(page);
                // A one-shot build renders everything: no signature needed.
                let sig = if incremental { signature::of_article(&views, i, key) } else { 0 };
                if previous.get(&file) != Some(&sig) {
                    let bytes = timings::time(Phase::ArticlePages, || {
                        render_output_page(&views, renderer, page, &|_| Some(body.as_ref()))
                    })
                    .map_err(|e| vec![e])?;
                    emit(&file, Some(&bytes)).map_err(|e| vec![e])?;
                }
                let keep = incremental || feed.contains(&i);
                Ok(ArticleOutcome { file, signature: sig, key, body: keep.then_some(body) })
            })
            .collect();
        let mut errors: Vec<Error> = Vec::new();
        let mut outcomes: Vec<Option<ArticleOutcome>> = Vec::with_capacity(article_results.len());
        for result in article_results {
            match result {
                Ok(outcome) => outcomes.push(Some(outcome)),
                Err(mut e) => {
                    errors.append(&mut e);
                    outcomes.push(None);
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }
        let outcomes: Vec<ArticleOutcome> = outcomes.into_iter().flatten().collect();
        timings::mark("articles");
        let markdown_keys: Vec<u64> = outcomes.iter().map(|o| o.key).collect();
        let body = |i: usize| outcomes.get(i).and_then(|o| o.body.as_deref());

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
                let sig =
                    if incremental { signature::of_page(&views, page, &markdown_keys) } else { 0 };
                if previous.get(&file) != Some(&sig) {
                    let bytes = timings::time(Phase::OtherPages, || {
                        render_output_page(&views, renderer, page, &body)
                    })?;
                    emit(&file, Some(&bytes))?;
                }
                Ok((file, sig))
            })
            .collect();
        // A one-shot build has no later build to compare signatures with.
        let mut current: HashMap<String, u64> = if incremental {
            outcomes.iter().map(|o| (o.file.clone(), o.signature)).collect()
        } else {
            HashMap::new()
        };
        for result in other_results {
            match result {
                Ok((file, sig)) if incremental => {
                    current.insert(file, sig);
                }
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }

        timings::mark("other pages");
        // Assets (theme files, fingerprinted CSS, static/) carry the hash of their bytes.
        for (file, bytes) in &engine.assets {
            let sig = signature::of_asset(bytes);
            if previous.get(file) != Some(&sig) {
                emit(file, Some(bytes))?;
            }
            if incremental {
                current.insert(file.clone(), sig);
            }
        }
        let mut removed: Vec<&String> =
            previous.keys().filter(|f| !current.contains_key(*f)).collect();
        removed.sort();
        for file in removed {
            emit(file, None)?;
        }

        let (markdown, outcomes_left) = if incremental {
            let markdown = graph
                .articles
                .iter()
                .zip(outcomes)
                .filter_map(|(a, o)| o.body.map(|b| (a.page.relative_path.clone(), (o.key, b))))
                .collect();
            (markdown, Vec::new())
        } else {
            (HashMap::new(), outcomes)
        };
        drop_in_background(views.into_caches());
        drop_in_background(outcomes_left);
        timings::mark("finished");
        self.signatures = current;
        self.markdown = markdown;
        self.graph = Some(graph);
        Ok(())
    }

    /// The published assets of the current engine (for serve's initial snapshot).
    pub fn assets(&self) -> Vec<(String, Arc<[u8]>)> {
        self.engine.as_ref().map(|e| e.assets.clone()).unwrap_or_default()
    }

    /// Template names a template file depends on (for serve's diagnostics).
    pub fn theme(&self) -> Option<&Theme> {
        self.engine.as_ref().map(|e| &e.theme)
    }
}

/// Renders one output page to bytes. `body(i)` is article i's rendered Markdown.
fn render_output_page<'b>(
    views: &SiteViews<'_>,
    renderer: &Renderer,
    page: OutputPage,
    body: &dyn Fn(usize) -> Option<&'b RenderedMarkdown>,
) -> Result<Vec<u8>> {
    let graph = views.graph;
    let site_path = graph.site_path(page);
    let mut context = tera::Context::new();
    context.insert_value("site", views.site_value.clone());
    context.insert("current_url", &graph.url(&site_path));
    context.insert("canonical_url", &graph.permalink(&site_path));
    // Room for a typical listing page; an article's page is its body and a few kilobytes.
    let mut capacity = 24 * 1024;
    let template = match page {
        OutputPage::Article(i) => {
            let empty = RenderedMarkdown::default();
            let rendered = body(i).unwrap_or(&empty);
            capacity = rendered.html.len() + 8 * 1024;
            context.insert_value("page", views.article_value(i, rendered));
            if graph.articles[i].page.front_matter.stub { "stub.html" } else { "article.html" }
        }
        OutputPage::Listing(listing) => {
            context.insert_value("pages", views.listing_summary_values(listing, renderer)?);
            context.insert("paginator", &views.paginator(listing));
            match listing.kind {
                ListingKind::Home => "index.html",
                ListingKind::Year(_) | ListingKind::Month(..) => {
                    context.insert_value("archive", views.archive_value(Some(listing.kind)));
                    "archive.html"
                }
                ListingKind::Term(t, term) => {
                    context.insert("taxonomy", &views.taxonomy(t));
                    context.insert("term", &views.term(t, term));
                    "term.html"
                }
            }
        }
        OutputPage::ArchiveIndex => {
            context.insert_value("archive", views.archive_value(None));
            context.insert("pages", &Vec::<()>::new());
            "archive.html"
        }
        OutputPage::TaxonomyIndex(t) => {
            context.insert("taxonomy", &views.taxonomy(t));
            let terms: Vec<_> =
                (0..graph.taxonomies[t].terms.len()).map(|term| views.term(t, term)).collect();
            context.insert("terms", &terms);
            "taxonomy.html"
        }
        OutputPage::Feed => {
            let empty = RenderedMarkdown::default();
            let feed_bodies: Vec<&RenderedMarkdown> =
                views.feed_articles().iter().map(|&i| body(i).unwrap_or(&empty)).collect();
            context.insert("feed", &views.feed(&feed_bodies));
            "atom.xml"
        }
        OutputPage::Sitemap(part) => {
            context.insert("entries", &signature::sitemap_entries(views, part));
            "sitemap.xml"
        }
        OutputPage::SitemapIndex => return Ok(signature::sitemap_index(graph).into_bytes()),
        OutputPage::Robots => {
            return Ok(format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                graph.permalink("/sitemap.xml")
            )
            .into_bytes());
        }
        OutputPage::NotFound => "404.html",
    };
    renderer.render_bytes(template, &context, capacity)
}
