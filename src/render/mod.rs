//! Render: the site graph through Tera themes into HTML and XML.
//!
//! [`Theme`] gathers a theme's templates and static files (from `themes/<name>/`
//! or the default theme embedded in the binary) with a site's own `templates/`
//! overrides; [`Renderer`] compiles them once, adds galley's functions
//! (`url`, `asset`) and filter (`date`). [`SiteViews`] turns the site graph
//! into the contexts of [`context`], the one definition of what templates
//! see, and [`render_page`] renders an output page's [`PageView`] with them.
//! Autoescape is on for `.html` and `.xml`: only the `*_html` fields (the
//! author's own Markdown) are printed with `| safe`.

pub mod context;
mod functions;
mod link_views;
mod page_bytes;
mod pages;
mod preview_tags;
mod renderer;
mod site_chrome;
pub mod structured_data;
mod theme;
pub mod values;
mod views;

#[cfg(test)]
mod tests;

pub use page_bytes::render_page;
pub use pages::{PageContent, PageView};
pub use renderer::Renderer;
pub use theme::{TemplateSource, Theme};
pub use views::{Body, SiteViews};
