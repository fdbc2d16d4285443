//! The site behind `galley serve`: loaded and placed in a graph, never
//! rendered as a whole. Each update makes a new [`SiteVersion`], which
//! renders a page when it is asked for with the function `galley build`
//! renders it with, so a served page is the built page by construction, and
//! a save costs the pages someone looks at, not the size of the archive.
//!
//! A save loads the changed files again and patches the graph (in place when
//! no article moves, else by mapping its lists to the new order; built again
//! when neither applies); the saved articles' bodies are rendered at once,
//! so a broken one fails the save and the last good version stays. The
//! search index is built on a thread of its own (see `live_search`).

use super::addresses;
use super::body_cache::{BODY_CACHE_BUDGET, BodyCache};
use super::engine::Engine;
use super::live_search::{LiveSearch, SearchSource};
use super::site_version::SiteVersion;
use super::{AddressChanges, BuildOptions, Delta};
use crate::content::{self, Bodies, BodyReader, Page};
use crate::error::{Error, Result};
use crate::site::graph::page_hash;
use crate::site::{ChangedPage, GraphOptions, SiteGraph};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The previewed site (see the module docs).
pub struct Preview {
    root: PathBuf,
    content_dir: PathBuf,
    options: BuildOptions,
    engine: Option<Arc<Engine>>,
    /// Every page by content path, with its [`page_hash`]; bodies stay on
    /// disk and are read when a page shows them.
    pages: BTreeMap<String, (Arc<Page>, u64)>,
    /// The last good version.
    version: Option<Arc<SiteVersion>>,
    /// The graph the next save patches while the last good version's is
    /// served.
    spare: Option<Spare>,
    /// Whether the last version's graph holds every loaded page as it is
    /// (not after a failed update).
    in_step: bool,
    bodies: Arc<BodyCache>,
    body_reader: Arc<BodyReader>,
    search: Arc<LiveSearch>,
    address_changes: AddressChanges,
}

/// What the next save patches into its graph.
enum Spare {
    /// A copy of the last version's graph, made on another thread (after a
    /// save that built the graph again).
    Copy(JoinHandle<SiteGraph>),
    /// The graph of the version before the last, with the content paths
    /// the last save changed and whether it kept every article's place:
    /// patched with those and the next save's paths, it is the next graph
    /// without a copy of the whole site on every save. Taken back once no
    /// request holds it any more; copied from the last version if one does.
    Behind { graph: Arc<SiteGraph>, changed: Vec<String>, kept_order: bool },
}

impl Preview {
    /// The preview of the site at `root`; nothing is loaded before the
    /// first [`update`](Self::update).
    pub fn new(root: &Path, options: BuildOptions) -> Preview {
        let content_dir = root.join("content");
        Preview {
            root: root.to_path_buf(),
            body_reader: Arc::new(BodyReader::new(&content_dir)),
            content_dir,
            options,
            engine: None,
            pages: BTreeMap::new(),
            version: None,
            spare: None,
            in_step: false,
            bodies: Arc::new(BodyCache::new(BODY_CACHE_BUDGET)),
            search: LiveSearch::start(),
            address_changes: AddressChanges::default(),
        }
    }

    /// The site as the last successful update left it.
    pub fn version(&self) -> Option<Arc<SiteVersion>> {
        self.version.clone()
    }

    /// How the last successful update moved articles.
    pub fn address_changes(&self) -> &AddressChanges {
        &self.address_changes
    }

    /// Waits until the search index of the last version is built.
    pub fn wait_for_search(&self) {
        self.search.wait();
    }

    /// Brings the site up to date after files changed on disk (`paths`, any
    /// file under the root; none means "everything"). Returns the assets
    /// that changed (new bytes, or `None` for one that is gone); pages are
    /// rendered by the new [`version`](Self::version) when asked for. On an
    /// error the last good version stays.
    pub fn update(&mut self, paths: &[PathBuf]) -> Result<Delta> {
        self.address_changes = AddressChanges::default();
        let result = self.update_inner(paths);
        self.in_step = result.is_ok();
        result
    }

    fn update_inner(&mut self, paths: &[PathBuf]) -> Result<Delta> {
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
        if !reload_engine && content_changes.is_empty() && self.in_step {
            return Ok(Delta::new());
        }
        let old_engine = self.engine.clone();
        if reload_engine {
            // Loaded again by the next update unless this one succeeds.
            self.engine = None;
            let engine = Engine::load(&self.root, self.options.base_url.as_deref())?;
            // The highlighting theme may have changed.
            self.bodies.clear();
            self.engine = Some(Arc::new(engine));
        }
        let Some(engine) = self.engine.clone() else { return Ok(Delta::new()) };

        let old_graph = self.version.as_ref().map(|v| v.graph.clone());
        let before = addresses::addresses_of(old_graph.as_deref(), &self.content_dir, paths);
        let changed = match (paths.is_empty() || self.pages.is_empty(), self.in_step) {
            (false, true) => self.reload(&content_changes)?,
            (false, false) => self.reload(&content_changes).map(|_| None)?,
            (true, _) => {
                self.load_all()?;
                None
            }
        };
        if !reload_engine && changed.as_ref().is_some_and(Vec::is_empty) {
            // No page came, went or changed (a file the site never had is
            // gone, say): the version stays.
            return Ok(Delta::new());
        }
        let Placed { graph, kept_order, patched } =
            self.place(&engine, changed.as_deref(), reload_engine)?;
        let graph = Arc::new(graph);
        let version = Arc::new(SiteVersion::new(
            engine.clone(),
            graph.clone(),
            self.bodies.clone(),
            self.body_reader.clone(),
            self.search.clone(),
            Arc::from(self.content_dir.as_path()),
        ));
        // The saved articles' bodies: a broken one fails the save.
        let saved: Vec<usize> = changed
            .iter()
            .flatten()
            .filter_map(|path| graph.by_content_path.get(path).copied())
            .collect();
        let errors: Vec<Error> =
            saved.par_iter().filter_map(|&i| version.body(i, true).err()).collect();
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }
        if graph.config.search {
            let source: Arc<dyn SearchSource> = version.clone();
            match kept_order {
                true => self.search.update(&source, &saved)?,
                false => self.search.rebuild(&source),
            }
        }
        let after = addresses::addresses_of(Some(&graph), &self.content_dir, paths);
        self.address_changes = addresses::compare(Some(&graph), before, after);
        let old = self.version.replace(version);
        self.spare = match (patched, changed, old.as_ref()) {
            // The graph this save replaced is patched by the next one.
            (true, Some(changed), Some(old)) => {
                Some(Spare::Behind { graph: old.graph.clone(), changed, kept_order })
            }
            _ => {
                // The next save's graph, copied while nobody waits.
                let copy = graph.clone();
                std::thread::Builder::new()
                    .name("galley-graph".into())
                    .spawn(move || SiteGraph::clone(&copy))
                    .ok()
                    .map(Spare::Copy)
            }
        };
        if let Some(old) = old {
            crate::drop_in_background(old);
        }
        Ok(changed_assets(old_engine.as_deref(), &engine))
    }

    /// Loads every page again.
    fn load_all(&mut self) -> Result<()> {
        let pages = content::load_pages_with(&self.content_dir, Bodies::KeepUpTo(0))?;
        self.pages = pages
            .into_par_iter()
            .map(|page| {
                let hash = page_hash(&page);
                (page.relative_path.clone(), (page, hash))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        Ok(())
    }

    /// Loads the changed files again (a deleted one leaves the site).
    /// Returns the content paths it loaded or dropped, or `None` when it
    /// loaded everything again (a directory appeared).
    fn reload(&mut self, changed: &[PathBuf]) -> Result<Option<Vec<String>>> {
        let mut errors = Vec::new();
        let mut reloaded = Vec::with_capacity(changed.len());
        for path in changed {
            let Ok(relative) = path.strip_prefix(&self.content_dir) else { continue };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                // A new or renamed directory: pick up every page in it.
                self.load_all()?;
                return Ok(None);
            }
            if !relative.ends_with(".md") || !path.exists() {
                // Deleted (or renamed away): a removed directory drops
                // everything under it, and each page it held is reported.
                let prefix = format!("{relative}/");
                let gone: Vec<String> = self
                    .pages
                    .keys()
                    .filter(|k| **k == relative || k.starts_with(&prefix))
                    .cloned()
                    .collect();
                for key in &gone {
                    self.pages.remove(key);
                }
                reloaded.extend(gone);
                continue;
            }
            reloaded.push(relative.clone());
            match content::load_page(&self.content_dir, path) {
                Ok(mut page) => {
                    // Read again from the file when shown, like every other body.
                    page.body = None;
                    let hash = page_hash(&page);
                    self.pages.insert(relative, (Arc::new(page), hash));
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() { Ok(Some(reloaded)) } else { Err(Error::many(errors)) }
    }

    /// The spare graph with the content paths that changed since it was the
    /// last version's and whether those kept every article's place.
    fn take_spare(&mut self) -> Option<(SiteGraph, Vec<String>, bool)> {
        match self.spare.take()? {
            Spare::Copy(copy) => copy.join().ok().map(|graph| (graph, Vec::new(), true)),
            Spare::Behind { graph, changed, kept_order } => match Arc::try_unwrap(graph) {
                Ok(graph) => Some((graph, changed, kept_order)),
                Err(_) => {
                    let last = &self.version.as_ref()?.graph;
                    Some((SiteGraph::clone(last), Vec::new(), true))
                }
            },
        }
    }

    /// The graph of the loaded pages: the spare graph patched where
    /// `changed` pages are, or built again.
    fn place(
        &mut self,
        engine: &Engine,
        changed: Option<&[String]>,
        new_engine: bool,
    ) -> Result<Placed> {
        let spare = self.take_spare();
        match (changed, spare, new_engine) {
            (Some(changed), Some((mut graph, behind, kept_before)), false) => {
                let mut paths = behind;
                paths.extend(changed.iter().cloned());
                paths.sort_unstable();
                paths.dedup();
                let pages: Vec<ChangedPage> = paths
                    .iter()
                    .map(|path| (path.clone(), self.pages.get(path).cloned()))
                    .collect();
                let present: Option<Vec<(Arc<Page>, u64)>> =
                    pages.iter().map(|(_, page)| page.clone()).collect();
                if present.and_then(|present| graph.update_in_place(&present)).is_some() {
                    // In the order of the graph before the last save, which
                    // is the last version's when that save kept it too.
                    return Ok(Placed { graph, kept_order: kept_before, patched: true });
                }
                if graph.update_moving(&pages, self.options.drafts).is_some() {
                    return Ok(Placed { graph, kept_order: false, patched: true });
                }
                // A whole graph: freed where nobody waits for it.
                crate::drop_in_background(graph);
            }
            (_, spare, _) => crate::drop_in_background(spare),
        }
        let pages: Vec<(Arc<Page>, u64)> = self.pages.values().cloned().collect();
        let previous = self.version.as_ref().filter(|_| !new_engine).map(|v| &*v.graph);
        let options = GraphOptions { include_drafts: self.options.drafts, previous };
        let graph = SiteGraph::build(engine.config.clone(), engine.base.clone(), pages, options)?;
        Ok(Placed { graph, kept_order: false, patched: false })
    }
}

/// What [`Preview::place`] made.
struct Placed {
    graph: SiteGraph,
    /// Every article kept its place in the last version's order.
    kept_order: bool,
    /// Patched from the spare graph (not built again).
    patched: bool,
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.search.stop();
    }
}

/// The assets of `new` whose bytes differ from those of `old` (all of
/// them without `old`), and `None` for those `old` had and `new` has not.
fn changed_assets(old: Option<&Engine>, new: &Engine) -> Delta {
    let mut delta = Delta::new();
    let old_assets: BTreeMap<&str, &Arc<[u8]>> =
        old.iter().flat_map(|e| e.assets.iter().map(|(f, b)| (f.as_str(), b))).collect();
    for (file, bytes) in &new.assets {
        if old_assets.get(file.as_str()).is_none_or(|old| old[..] != bytes[..]) {
            delta.insert(file.clone(), Some(bytes.clone()));
        }
    }
    for file in old_assets.keys() {
        if !new.assets.iter().any(|(f, _)| f == file) {
            delta.insert(file.to_string(), None);
        }
    }
    delta
}
