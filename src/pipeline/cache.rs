//! What an incremental builder keeps from one build to the next, and loading
//! pages into it.

use super::BuildOptions;
use super::timings::{Phase, Timings};
use crate::content::{self, Page};
use crate::content::{Bodies, KEPT_BODIES_BUDGET};
use crate::error::{Error, Result};
use crate::fingerprint::FastMap;
use crate::markdown::RenderedMarkdown;
use crate::site::graph::page_hash;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What an incremental build knows of one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileKey {
    /// The page's [`page_inputs`](crate::render::SiteViews::page_inputs), or
    /// [`FileKey::NO_INPUTS`].
    pub(super) inputs: u64,
    /// The page's [`signature`](crate::render::PageView::signature), or an
    /// asset's [`of_asset`](super::signature::of_asset).
    pub(super) signature: u64,
}

impl FileKey {
    /// No key of inputs: the file's signature is always computed.
    pub(super) const NO_INPUTS: u64 = 0;

    pub(super) fn new(inputs: Option<u64>, signature: u64) -> FileKey {
        FileKey { inputs: inputs.unwrap_or(FileKey::NO_INPUTS), signature }
    }

    /// The signature, when the page's inputs are known and were `inputs` then.
    pub(super) fn signature_for(&self, inputs: Option<u64>) -> Option<u64> {
        match inputs {
            Some(inputs) if inputs != FileKey::NO_INPUTS && inputs == self.inputs => {
                Some(self.signature)
            }
            _ => None,
        }
    }
}

/// The state `galley serve`'s builder keeps between builds.
#[derive(Default)]
pub(super) struct IncrementalCache {
    /// Every loaded page by content path, with its [`page_hash`].
    pub(super) pages: BTreeMap<String, (Arc<Page>, u64)>,
    /// Rendered Markdown by content path, with the key it was rendered for.
    pub(super) markdown: FastMap<String, (u64, Arc<RenderedMarkdown>)>,
    /// What the last successful build knew of every output file.
    pub(super) signatures: FastMap<Arc<str>, FileKey>,
    /// Whether the graph reflects every loaded page (false after a failed update).
    pub(super) in_step: bool,
    /// Listing entries as the theme renders them, by article content hash
    /// (see [`SiteViews::with_known_summaries`](crate::render::SiteViews::with_known_summaries)).
    pub(super) summaries: crate::render::SummaryValues,
    /// The search index, for in-place updates.
    pub(super) search: Option<crate::search::SearchIndex>,
    /// The index files no longer match the site (articles were added,
    /// removed or reordered): [`Builder::catch_up`](super::Builder::catch_up) makes them again.
    pub(super) search_stale: bool,
    /// Pages left for later (see `render_site::can_wait`) whose inputs
    /// changed and that were not looked at yet: `catch_up` renders those that changed.
    pub(super) deferred_pages: Vec<Arc<str>>,
}

impl IncrementalCache {
    pub(super) fn clear(&mut self) {
        *self = IncrementalCache::default();
    }

    /// After the engine changed, everything renders again; the old file list
    /// is kept so files that no longer exist (a changed `paginate`, a renamed
    /// asset) are reported as removed.
    pub(super) fn forget_rendering(&mut self) {
        let forgotten = FileKey { inputs: FileKey::NO_INPUTS, signature: u64::MAX };
        self.signatures.values_mut().for_each(|key| *key = forgotten);
        self.markdown.clear();
        self.summaries.clear();
        // An index updated in place would emit only the files it changed:
        // everything renders again, so the index is made again too.
        self.search = None;
        self.search_stale = false;
        self.deferred_pages.clear();
    }

    pub(super) fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Makes `pages` the loaded pages, keyed by content path.
    pub(super) fn set_pages(&mut self, pages: Vec<Arc<Page>>) {
        self.pages = pages
            .into_par_iter()
            .map(|p| {
                let hash = page_hash(&p);
                (p.relative_path.clone(), (p, hash))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
    }

    /// Loads the changed files again (a deleted one leaves the site).
    /// Returns the content paths it loaded or dropped, or `None` when it
    /// loaded everything again (a directory appeared).
    pub(super) fn reload_pages(
        &mut self,
        content_dir: &Path,
        changed: &[PathBuf],
        options: &BuildOptions,
        timings: &Timings,
    ) -> Result<Option<Vec<String>>> {
        let mut errors = Vec::new();
        let mut reloaded = Vec::with_capacity(changed.len());
        for path in changed {
            let Ok(relative) = path.strip_prefix(content_dir) else { continue };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                // A new or renamed directory: pick up every page in it.
                self.set_pages(load_pages(content_dir, true, options, timings)?);
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
            match content::load_page(content_dir, path) {
                Ok(page) => {
                    let hash = page_hash(&page);
                    self.pages.insert(relative, (Arc::new(page), hash));
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() { Ok(Some(reloaded)) } else { Err(Error::many(errors)) }
    }
}

/// Every page under `content_dir`. An incremental builder keeps every body;
/// a one-shot build keeps those that fit its budget (see [`Bodies`]).
pub(super) fn load_pages(
    content_dir: &Path,
    incremental: bool,
    options: &BuildOptions,
    timings: &Timings,
) -> Result<Vec<Arc<Page>>> {
    let bodies = if incremental {
        Bodies::Keep
    } else {
        Bodies::KeepUpTo(options.kept_bodies.unwrap_or(KEPT_BODIES_BUDGET))
    };
    timings.time(Phase::Load, || content::load_pages_with(content_dir, bodies))
}
