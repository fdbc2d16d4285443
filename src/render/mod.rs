//! Render: the site graph through Tera themes into HTML and XML.
//!
//! [`Theme`] gathers a theme's templates and static files (from `themes/<name>/`
//! or the default theme embedded in the binary) with a site's own `templates/`
//! overrides; [`Renderer`] compiles them once, adds galley's functions
//! (`url`, `asset`) and filter (`date`), and renders pages with the contexts in
//! [`context`]. Autoescape is on for `.html` and `.xml`: only the `*_html` fields
//! (the author's own Markdown) are printed with `| safe`.

pub mod context;
mod functions;
mod renderer;
mod theme;
pub mod values;

#[cfg(test)]
mod tests;

pub use renderer::Renderer;
pub use theme::{TemplateSource, Theme};
