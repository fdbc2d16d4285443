//! Build: content → site graph → rendered files → output.
//!
//! [`build`] (`galley build`) and `galley check` load everything and render
//! every page once with a [`Builder`] ([`render_site`]). `galley serve`
//! previews the site with a [`Preview`] instead: it loads the pages and
//! places them in the graph, and each [`SiteVersion`] renders a page when it
//! is asked for, with the same `render_page` over the same graph.

mod addresses;
mod body_cache;
mod engine;
mod live_search;
mod preview;
mod render_site;
mod signature;
mod site_version;
mod timings;

use crate::content::{Bodies, KEPT_BODIES_BUDGET, Page};
use crate::drop_in_background;
use crate::error::Result;
use crate::markdown::LinkResolver;
use crate::output::{OutputSink, PublishStats, StagedOutput, check_output_dir};
use crate::site::SiteGraph;
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
    /// Bytes of files whose Markdown a build keeps in memory from loading
    /// to rendering; the others are read again (`None`:
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
    /// Standalone pages (`content/pages/`, `page: true`) in the site.
    pub pages: usize,
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
    let mut builder = Builder::new(root, options.clone());
    builder.timings.mark("start");
    let staged = StagedOutput::begin(&output)?;
    // On a thread of rayon's pool rather than this one, which does no
    // parallel work: the serial steps then reuse memory the parallel steps
    // freed instead of fresh memory the kernel must zero first.
    let files = rayon::scope(|_| builder.build_all(&staged))?;
    builder.timings.mark("rendered");
    let publish = builder.timings.time(Phase::Publish, || staged.commit())?;
    builder.timings.mark("published");
    let pages = builder
        .graph
        .as_ref()
        .map_or(0, |g| g.articles.iter().filter(|article| article.page.standalone).count());
    let articles = builder.graph.as_ref().map_or(0, |g| g.articles.len()) - pages;
    let elapsed = started.elapsed();
    let timings = builder.timings.report(elapsed);
    drop_in_background(builder);
    Ok(BuildReport { articles, pages, files, publish, elapsed, timings })
}

/// Resolves `.md` links through the graph.
struct GraphLinks<'g>(&'g SiteGraph);

impl LinkResolver for GraphLinks<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        let graph = self.0;
        graph.by_content_path.get(content_path).map(|&i| graph.url(&graph.articles[i].site_path))
    }

    /// A file beside the pages is published at its path in `content/`.
    fn file_url(&self, content_path: &str) -> Option<String> {
        Some(self.0.url(&format!("/{content_path}")))
    }
}

/// Files an update changed: new bytes, or `None` for a file that is gone.
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

/// Where a build sends each file.
type Emit<'a> = dyn Fn(&str, Option<&[u8]>) -> Result<()> + Sync + 'a;

/// Builds a whole site once (see the module docs).
pub struct Builder {
    root: PathBuf,
    options: BuildOptions,
    engine: Option<Engine>,
    graph: Option<SiteGraph>,
    /// What was loaded (sorted by path), until the graph takes it.
    pages: Vec<Arc<Page>>,
    /// Shared with the closures that write files while the builder renders.
    timings: Arc<Timings>,
}

impl Builder {
    /// A builder for the site at `root`: it keeps as many bodies in memory
    /// between loading and rendering as fit a budget.
    pub fn new(root: &Path, options: BuildOptions) -> Builder {
        Builder {
            root: root.to_path_buf(),
            timings: Arc::new(Timings::new(options.timings)),
            options,
            engine: None,
            graph: None,
            pages: Vec::new(),
        }
    }

    fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// Loads everything and writes every file to `sink`. Returns the number of files.
    pub fn build_all(&mut self, sink: &dyn OutputSink) -> Result<usize> {
        self.engine = None;
        self.graph = None;
        // The engine (site.yaml, theme, templates) does not depend on the
        // pages: loaded beside them, its serial milliseconds are not spent
        // with one core idle.
        let content_dir = self.content_dir();
        let budget = self.options.kept_bodies.unwrap_or(KEPT_BODIES_BUDGET);
        let (pages, engine) = rayon::join(
            || {
                let bodies = Bodies::KeepUpTo(budget);
                self.timings
                    .time(Phase::Load, || crate::content::load_pages_with(&content_dir, bodies))
            },
            || Engine::load(&self.root, self.options.base_url.as_deref()),
        );
        self.pages = pages?;
        self.engine = Some(engine?);
        self.timings.mark("loaded");
        let written = std::sync::atomic::AtomicUsize::new(0);
        let timings = self.timings.clone();
        self.render(&|path, bytes| match bytes {
            Some(bytes) => {
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                timings.time(Phase::Write, || sink.write(path, bytes))
            }
            None => Ok(()),
        })?;
        Ok(written.into_inner())
    }
}
