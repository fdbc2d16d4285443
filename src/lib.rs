//! galley turns saved news-article pages into a static archive site.
//!
//! The pipeline, one module a stage: [`config`] reads `site.yaml`; [`import`]
//! turns saved pages (`sources/*.txt`) into Markdown files with YAML front
//! matter under `content/`; [`content`] loads those files into typed pages;
//! [`markdown`] renders bodies (pulldown-cmark, syntect); [`site`] builds the
//! site graph (articles, listings, taxonomies, archives, feeds); [`render`]
//! turns the graph into HTML and XML through Tera themes; [`pipeline`] runs
//! the stages for a build (and the in-memory site behind serve); [`output`] publishes
//! the files atomically; [`serve`] watches, rebuilds what a save affects and
//! reloads the browser; [`check`] finds broken links and anchors.

pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod fingerprint;
pub mod import;
pub mod init;
pub mod markdown;
pub mod open_dir;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod urls;
pub mod yaml;

pub use error::{Diagnostic, Error, Location, Result};

/// Frees `value` on another thread: a large site's build ends holding
/// hundreds of thousands of small allocations (and a save replaces a whole
/// graph or index), and freeing them is work nobody needs to wait for.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // Should no thread be available, the closure and `value` are dropped here.
    let _ = std::thread::Builder::new().name("galley-free".into()).spawn(move || drop(value));
}
