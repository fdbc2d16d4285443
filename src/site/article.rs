//! [`Article`]: one page placed in the site. The graph's parts (archive,
//! taxonomies, outputs) are built from articles, so this sits below them all.

use crate::content::Page;
use std::sync::Arc;

/// An article (full or stub) placed in the site.
#[derive(Debug, Clone)]
pub struct Article {
    /// The loaded page (shared with the loader's cache, so a rebuild does not copy bodies).
    pub page: Arc<Page>,
    /// Its path in the site, `/2019/06/slug/` (before the base_url prefix).
    pub site_path: String,
    /// Hash of the whole page (front matter and body).
    pub content_hash: u64,
    /// The slug of each `related` teaser's title, to find its archived page.
    pub teaser_slugs: Vec<String>,
}
