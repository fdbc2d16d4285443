//! The parts of a build that depend only on configuration and theme.

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error, Result};
use crate::markdown::Highlighter;
use crate::render::{Renderer, Theme};
use crate::urls::BaseUrl;
use std::path::Path;
use std::sync::Arc;

/// Configuration, theme, compiled templates, highlighter and assets: loaded
/// once, and again only when site.yaml or a theme file changes.
pub(super) struct Engine {
    pub(super) config: SiteConfig,
    pub(super) base: BaseUrl,
    pub(super) renderer: Renderer,
    pub(super) highlighter: Highlighter,
    /// Rendered assets (theme static files, fingerprinted CSS, syntax.css) and the site's `static/`.
    pub(super) assets: Vec<(String, Arc<[u8]>)>,
}

impl Engine {
    pub(super) fn load(root: &Path, base_url: Option<&str>) -> Result<Engine> {
        let mut config = SiteConfig::load(root)?;
        if let Some(base_url) = base_url {
            config.base_url = base_url.to_string();
        }
        let base = BaseUrl::parse(&config.base_url).map_err(Error::Usage)?;
        let theme = Theme::load(root, &config.theme)?;
        let highlighter = Highlighter::new(&config.highlight.theme).map_err(|message| {
            Error::from(Diagnostic::new(root.join(crate::config::CONFIG_FILE), message))
        })?;
        let renderer = Renderer::new(
            &theme,
            &base,
            vec![("syntax.css".to_string(), highlighter.stylesheet().into_bytes())],
        )?;
        let site_static = load_static(&root.join("static"))?;
        // A file of the site's `static/` replaces the theme's of the same name
        // (its icon, say), rather than both being written to one path.
        let mut assets: Vec<(String, Arc<[u8]>)> = renderer
            .assets()
            .into_iter()
            .filter(|(path, _)| !site_static.iter().any(|(own, _)| own == path))
            .map(|(p, b)| (p, Arc::from(b)))
            .collect();
        config.site_icons = crate::config::SITE_ICON_FILES
            .iter()
            .map(|(name, _)| name.to_string())
            .filter(|name| site_static.iter().any(|(own, _)| own == name))
            .collect();
        assets.extend(site_static);
        Ok(Engine { config, base, renderer, highlighter, assets })
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
