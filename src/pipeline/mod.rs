//! Build: content → site graph → rendered files → output, as one reusable engine.
//!
//! A [`Builder`] is made for one of two jobs. [`Builder::one_shot`] is
//! `galley build`: load everything, render everything once, keep nothing.
//! [`Builder::incremental`] is `galley serve`: it also keeps what a build
//! learned (loaded pages, rendered Markdown, the signature of every output
//! page, see [`cache`]) so it can bring the site up to date after a save and
//! re-render only the pages whose inputs changed. Both go through the same
//! rendering code ([`render_site`]), which is what keeps an incremental
//! result byte-identical to a clean build.

mod addresses;
mod body_cache;
mod cache;
mod engine;
mod in_place;
mod live_search;
mod preview;
mod render_site;
mod signature;
mod site_version;
mod timings;

use crate::content::Page;
use crate::drop_in_background;
use crate::error::Result;
use crate::markdown::LinkResolver;
use crate::output::{OutputSink, PublishStats, StagedOutput, check_output_dir};
use crate::site::SiteGraph;
use cache::IncrementalCache;
use engine::Engine;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use timings::{Phase, Timings};

pub use body_cache::BODY_CACHE_BUDGET;
pub use preview::Preview;
pub use site_version::SiteVersion;

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
    /// [`KEPT_BODIES_BUDGET`](crate::content::KEPT_BODIES_BUDGET); see
    /// [`Bodies::KeepUpTo`](crate::content::Bodies::KeepUpTo)).
    pub kept_bodies: Option<usize>,
    /// Record where the build's time goes ([`BuildReport::timings`]).
    pub timings: bool,
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
    /// Thread-seconds per phase and wall time between steps, with
    /// [`BuildOptions::timings`]: two lines of text.
    pub timings: Option<String>,
}

/// `galley build`: a full build published atomically to the output directory.
pub fn build(root: &Path, options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let output = options.output.clone().unwrap_or_else(|| root.join("public"));
    check_output_dir(root, &output)?;
    let mut builder = Builder::one_shot(root, options.clone());
    builder.timings.mark("start");
    let staged = StagedOutput::begin(&output)?;
    // On a thread of rayon's pool rather than this one, which does no
    // parallel work: the serial steps then reuse memory the parallel steps
    // freed instead of fresh memory the kernel must zero first.
    let files = rayon::scope(|_| builder.build_all(&staged))?;
    builder.timings.mark("rendered");
    let publish = builder.timings.time(Phase::Publish, || staged.commit())?;
    builder.timings.mark("published");
    let articles = builder.graph.as_ref().map_or(0, |g| g.articles.len());
    let elapsed = started.elapsed();
    let timings = builder.timings.report(elapsed);
    drop_in_background(builder);
    Ok(BuildReport { articles, files, publish, elapsed, timings })
}

/// Resolves `.md` links through the graph.
struct GraphLinks<'g>(&'g SiteGraph);

impl LinkResolver for GraphLinks<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        let graph = self.0;
        graph.by_content_path.get(content_path).map(|&i| graph.url(&graph.articles[i].site_path))
    }
}

/// Files a rebuild changed: new bytes, or `None` for a file that is gone.
pub type Delta = BTreeMap<String, Option<Arc<[u8]>>>;

/// How the last update changed articles' addresses, for a preview that
/// follows the page being edited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressChanges {
    /// Articles that moved (a new `slug:`, a date in another month, a
    /// renamed file): the output file of the old address
    /// (`2019/06/old/index.html`) and the new address's public path
    /// (`/archive/2019/07/new/`).
    pub moved: Vec<(String, String)>,
    /// Output files of articles that left the site (deleted, or made drafts).
    pub removed: Vec<String>,
}

/// Where a rebuild sends each changed file (`None`: the file is gone).
type Emit<'a> = dyn Fn(&str, Option<&[u8]>) -> Result<()> + Sync + 'a;

/// A reusable build engine (see the module docs).
pub struct Builder {
    root: PathBuf,
    options: BuildOptions,
    engine: Option<Engine>,
    graph: Option<SiteGraph>,
    /// What a one-shot build loaded (sorted by path), until the graph takes it.
    one_shot_pages: Vec<Arc<Page>>,
    /// What an incremental builder keeps between builds; `None` for one-shot.
    cache: Option<IncrementalCache>,
    /// How the last successful update moved articles.
    address_changes: AddressChanges,
    /// Shared with the closures that write files while the builder renders.
    timings: Arc<Timings>,
}

impl Builder {
    /// A builder that builds the site once (`galley build`), keeping only as
    /// many bodies in memory as fit a budget and no state for later updates.
    pub fn one_shot(root: &Path, options: BuildOptions) -> Builder {
        Builder::with_cache(root, options, None)
    }

    /// A builder that keeps pages, rendered Markdown and page signatures, so
    /// that [`update`](Self::update) re-renders only what a save affects (`galley serve`).
    pub fn incremental(root: &Path, options: BuildOptions) -> Builder {
        Builder::with_cache(root, options, Some(IncrementalCache::default()))
    }

    fn with_cache(root: &Path, options: BuildOptions, cache: Option<IncrementalCache>) -> Builder {
        Builder {
            root: root.to_path_buf(),
            timings: Arc::new(Timings::new(options.timings)),
            options,
            engine: None,
            graph: None,
            one_shot_pages: Vec::new(),
            cache,
            address_changes: AddressChanges::default(),
        }
    }

    fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// Loads everything and writes every file to `sink`. Returns the number of files.
    pub fn build_all(&mut self, sink: &dyn OutputSink) -> Result<usize> {
        self.engine = None;
        self.graph = None;
        if let Some(cache) = &mut self.cache {
            cache.clear();
        }
        // The engine (site.yaml, theme, templates) does not depend on the
        // pages: loaded beside them, its serial milliseconds are not spent
        // with one core idle.
        let content_dir = self.content_dir();
        let (pages, engine) = rayon::join(
            || cache::load_pages(&content_dir, self.cache.is_some(), &self.options, &self.timings),
            || Engine::load(&self.root, self.options.base_url.as_deref()),
        );
        let pages = pages?;
        match &mut self.cache {
            Some(cache) => cache.set_pages(pages),
            None => self.one_shot_pages = pages,
        }
        self.engine = Some(engine?);
        self.timings.mark("loaded");
        let written = std::sync::atomic::AtomicUsize::new(0);
        let timings = self.timings.clone();
        self.render(None, &|path, bytes| match bytes {
            Some(bytes) => {
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                timings.time(Phase::Write, || sink.write(path, bytes))
            }
            None => Ok(()),
        })?;
        if let Some(cache) = &mut self.cache {
            cache.in_step = true;
        }
        Ok(written.into_inner())
    }

    /// Brings the site up to date after files changed on disk (`paths`, any
    /// file under the root; an empty list means "reload everything") and
    /// returns the output files that changed. A one-shot builder reloads
    /// everything on every call.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<Delta> {
        self.address_changes = AddressChanges::default();
        let result = self.update_inner(paths);
        // After a failure the loaded pages may be ahead of the graph; only a
        // full comparison brings them back in step.
        if let Some(cache) = &mut self.cache {
            cache.in_step = result.is_ok();
        }
        result
    }

    fn update_inner(&mut self, paths: &[PathBuf]) -> Result<Delta> {
        self.timings.mark("update");
        let mut reload_engine = self.engine.is_none() || paths.is_empty();
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
            self.engine = None;
            if let Some(cache) = &mut self.cache {
                cache.forget_rendering();
            }
        }
        if !reload_engine && content_changes.is_empty() {
            return Ok(Delta::new());
        }
        let content_dir = self.content_dir();
        let in_step = self.cache.as_ref().is_some_and(|c| c.in_step);
        if !reload_engine && in_step {
            if let Some(delta) = self.try_in_place(&content_dir, &content_changes)? {
                return Ok(delta);
            }
        }
        let before = addresses::addresses_of(self.graph.as_ref(), &content_dir, &content_changes);
        // What changed since the graph was made, when only these files did.
        let mut changed = None;
        match &mut self.cache {
            Some(cache) if !cache.is_empty() && !paths.is_empty() => {
                let reloaded = cache.reload_pages(
                    &content_dir,
                    &content_changes,
                    &self.options,
                    &self.timings,
                )?;
                changed = reloaded.filter(|_| in_step);
            }
            Some(cache) => {
                cache.set_pages(cache::load_pages(
                    &content_dir,
                    true,
                    &self.options,
                    &self.timings,
                )?);
            }
            None => {
                self.one_shot_pages =
                    cache::load_pages(&content_dir, false, &self.options, &self.timings)?;
            }
        }
        self.timings.mark("reloaded");
        let delta = std::sync::Mutex::new(Delta::new());
        self.render(changed.as_deref(), &|path, bytes| {
            delta
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(path.to_string(), bytes.map(Arc::from));
            Ok(())
        })?;
        let after = addresses::addresses_of(self.graph.as_ref(), &content_dir, &content_changes);
        self.address_changes = addresses::compare(self.graph.as_ref(), before, after);
        Ok(delta.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Whether work was left for [`catch_up`](Self::catch_up).
    pub fn behind(&self) -> bool {
        self.cache.as_ref().is_some_and(|c| c.search_stale || !c.deferred_pages.is_empty())
    }

    /// Does what [`update`](Self::update) left for later, so that the site
    /// is again what a clean build makes: the pages left for later (see
    /// `render_site::can_wait`) whose inputs changed, then the search index after a
    /// save that added, removed or reordered articles. Returns the files that
    /// changed. Gives up as soon as `stop` says so (serve: a save is waiting),
    /// keeping what it finished; call it again later.
    pub fn catch_up(&mut self, stop: &(dyn Fn() -> bool + Sync)) -> Result<Delta> {
        let mut delta = Delta::new();
        if let (None, Some(cache)) = (&self.graph, &mut self.cache) {
            // A failed update dropped the graph: the next one starts from the
            // pages, and looks at every page whose inputs are unknown.
            cache.deferred_pages.clear();
            cache.search_stale = false;
            return Ok(delta);
        }
        if self.catch_up_pages(stop, &mut delta)? {
            self.catch_up_search(stop, &mut delta)?;
        }
        Ok(delta)
    }

    /// Renders the pages left for later that changed. `Ok(false)`: stopped.
    fn catch_up_pages(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
        delta: &mut Delta,
    ) -> Result<bool> {
        use crate::render::{SiteViews, render_page};
        use crate::site::OutputPage;
        use rayon::prelude::*;
        let (Some(graph), Some(engine), Some(cache)) =
            (self.graph.as_ref(), self.engine.as_ref(), self.cache.as_mut())
        else {
            return Ok(true);
        };
        if cache.deferred_pages.is_empty() {
            return Ok(true);
        }
        let deferred: std::collections::HashSet<&str> =
            cache.deferred_pages.iter().map(|f| &**f).collect();
        let pages: Vec<(OutputPage, String)> = graph
            .output_pages()
            .into_iter()
            .filter(|p| !matches!(p, OutputPage::Article(_)))
            .map(|p| (p, graph.output_file(p)))
            .filter(|(_, file)| deferred.contains(file.as_str()))
            .collect();
        let views = SiteViews::with_known_summaries(graph, &cache.summaries);
        let signatures = &cache.signatures;
        // `Err(None)`: stopped; `Err(Some(e))`: failed.
        let rendered: std::result::Result<Vec<_>, Option<crate::Error>> = pages
            .par_iter()
            .with_max_len(1)
            .map(|(page, file)| {
                if stop() {
                    return Err(None);
                }
                let view = views.page(*page, &|_| None);
                let signature = view.signature();
                let key = cache::FileKey::new(views.page_inputs(*page, 0), signature);
                let served = signatures.get(file.as_str()).map(|k| k.signature);
                let bytes = match served == Some(signature) {
                    true => None,
                    false => Some(render_page(&views, &engine.renderer, &view).map_err(Some)?),
                };
                Ok((file.as_str(), key, bytes))
            })
            .collect();
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(None) => return Ok(false),
            Err(Some(e)) => return Err(e),
        };
        let updates: Vec<(Arc<str>, cache::FileKey, Option<Vec<u8>>)> =
            rendered.into_iter().map(|(f, k, b)| (Arc::from(f), k, b)).collect();
        let made: Vec<(u64, tera::Value)> = views.made_summaries().collect();
        drop(views);
        cache.summaries.extend(made);
        for (file, key, bytes) in updates {
            if let Some(bytes) = bytes {
                delta.insert(file.to_string(), Some(Arc::from(bytes)));
            }
            cache.signatures.insert(file, key);
        }
        cache.deferred_pages.clear();
        Ok(true)
    }

    /// Makes the stale search index again. `Ok(false)`: stopped.
    fn catch_up_search(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
        delta: &mut Delta,
    ) -> Result<bool> {
        let (Some(graph), Some(cache)) = (self.graph.as_ref(), self.cache.as_mut()) else {
            return Ok(true);
        };
        if !cache.search_stale {
            return Ok(true);
        }
        let files = std::sync::Mutex::new(Vec::new());
        let emit = |file: &str, bytes: &[u8]| -> Result<()> {
            let mut files = files.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            files.push((file.to_string(), Arc::<[u8]>::from(bytes)));
            Ok(())
        };
        let index = crate::search::IndexBuilder::new(graph.articles.len(), true);
        let markdown = &cache.markdown;
        // `Err(None)`: stopped; `Err(Some(e))`: failed.
        let added = {
            use rayon::prelude::*;
            graph.articles.par_iter().enumerate().try_for_each(|(i, article)| {
                if stop() {
                    return Err(None);
                }
                // Every body of an incremental build is kept rendered.
                let Some((key, body)) = markdown.get(&article.page.relative_path) else {
                    return Ok(());
                };
                crate::search::with_article_doc(graph, i, &body.text, *key, |doc| {
                    index.add(i, doc, &emit)
                })
                .map_err(Some)
            })
        };
        match added {
            Ok(()) => {}
            Err(None) => return Ok(false),
            Err(Some(e)) => return Err(e),
        }
        let index = index.finish(&emit)?;
        let files = files.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut made = std::collections::HashSet::new();
        for (file, bytes) in files {
            let key = cache::FileKey::new(None, signature::of_asset(&bytes));
            if cache.signatures.get(file.as_str()) != Some(&key) {
                cache.signatures.insert(file.as_str().into(), key);
                delta.insert(file.clone(), Some(bytes));
            }
            made.insert(file);
        }
        let gone: Vec<Arc<str>> = cache
            .signatures
            .keys()
            .filter(|f| crate::search::is_index_file(f) && !made.contains(&***f))
            .cloned()
            .collect();
        for file in gone {
            cache.signatures.remove(&file);
            delta.insert(file.to_string(), None);
        }
        cache.search = index;
        cache.search_stale = false;
        Ok(true)
    }

    /// How the last successful [`update`](Self::update) moved articles.
    pub fn address_changes(&self) -> &AddressChanges {
        &self.address_changes
    }
}
