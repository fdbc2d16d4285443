//! The real site behind the server: [`crate::pipeline::Preview`] adapted to
//! [`SiteBuilder`], each of its versions a [`PageSource`].

use super::{Delta, PageSource, SiteBuilder};
use crate::config::SiteConfig;
use crate::import::{ImportOptions, Registry};
use crate::pipeline::{BuildOptions, Preview, SiteVersion};
use crate::urls::BaseUrl;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The site at a root, previewed by `galley serve`.
pub struct SiteEngine {
    preview: Preview,
    /// The importers a page saved in `sources/` goes through: the built-in
    /// ones, configured by site.yaml, unless [`SiteEngine::with_importers`]
    /// chose others (as `galley import` callers can with `import_paths_with`).
    importers: Option<Registry>,
    root: PathBuf,
    base_path: String,
    output: PathBuf,
}

impl SiteEngine {
    /// A serve engine for the site at `root`. The base path is read once here
    /// (from `options.base_url` or site.yaml); a broken site.yaml serves under
    /// `/` and its error shows once the first build runs.
    pub fn new(root: &Path, options: BuildOptions) -> SiteEngine {
        let output = options.output.clone().unwrap_or_else(|| root.join("public"));
        let base_url = match &options.base_url {
            Some(url) => Some(url.clone()),
            None => SiteConfig::load(root).ok().map(|config| config.base_url),
        };
        let base_path = base_url
            .and_then(|url| BaseUrl::parse(&url).ok())
            .map_or_else(|| "/".to_string(), |base| base.prefix().to_string());
        let preview = Preview::new(root, options);
        SiteEngine { preview, importers: None, root: root.to_path_buf(), base_path, output }
    }

    /// Re-imports saved pages through `importers` instead of the built-in
    /// ones, so a preview reads the same formats as the site's own import.
    pub fn with_importers(mut self, importers: Registry) -> SiteEngine {
        self.importers = Some(importers);
        self
    }
}

impl SiteBuilder for SiteEngine {
    fn update(&mut self, paths: &[PathBuf]) -> crate::Result<Delta> {
        self.preview.update(paths)
    }

    fn pages(&self) -> Option<Arc<dyn PageSource>> {
        self.preview.version().map(|version| version as Arc<dyn PageSource>)
    }

    fn address_changes(&self) -> crate::pipeline::AddressChanges {
        self.preview.address_changes().clone()
    }

    fn import_sources(&mut self, paths: &[PathBuf]) -> crate::Result<Vec<PathBuf>> {
        // Never `force`: a page edited by hand is kept, as `galley import` keeps it.
        let options = ImportOptions { force: false, dry_run: false, progress: false };
        let report = match &self.importers {
            Some(registry) => {
                let config = if self.root.join(crate::config::CONFIG_FILE).exists() {
                    SiteConfig::load(&self.root)?.import
                } else {
                    crate::config::ImportConfig::default()
                };
                crate::import::import_paths_with(registry, &config, &self.root, paths, &options)?
            }
            None => crate::import::import_paths(&self.root, paths, &options)?,
        };
        if report.failed.is_empty() {
            Ok(report.kept)
        } else {
            Err(crate::Error::many(report.failed.into_iter().map(crate::Error::from).collect()))
        }
    }

    fn root(&self) -> &Path {
        &self.root
    }

    fn base_path(&self) -> String {
        self.base_path.clone()
    }

    fn output_dir(&self) -> PathBuf {
        self.output.clone()
    }
}

impl PageSource for SiteVersion {
    fn file(&self, key: &str) -> Option<crate::Result<Arc<[u8]>>> {
        SiteVersion::file(self, key)
    }

    fn has(&self, key: &str) -> bool {
        SiteVersion::has(self, key)
    }

    fn rendered(&self, key: &str) -> Option<Arc<[u8]>> {
        SiteVersion::rendered(self, key)
    }
}
