//! What every page of a site shows the same, rendered once per build rather
//! than once per page: the links in its `<head>`.

use super::views::SiteViews;
use super::{Renderer, values};
use std::sync::OnceLock;

/// The links in every page's head that do not change from page to page.
const HEAD_LINKS_TEMPLATE: &str = "partials/head-links.html";

/// The shared parts, each made on first use.
#[derive(Default)]
pub(super) struct SiteChrome {
    /// `site` with `head_links_html`.
    site_with_head: OnceLock<Result<tera::Value, String>>,
}

impl SiteViews<'_> {
    /// `site` for a page's template: with `head_links_html`, the theme's
    /// `partials/head-links.html` rendered once for every page (the page's
    /// `<head>` links that are the same on every page: a theme's `asset()`
    /// calls cost each page more than the rest of its head), when the theme
    /// has that partial.
    pub fn site_value(&self, renderer: &Renderer) -> crate::error::Result<tera::Value> {
        let value = self.chrome.site_with_head.get_or_init(|| {
            if !renderer.has_template(HEAD_LINKS_TEMPLATE) {
                return Ok(self.site_value.clone());
            }
            let mut context = tera::Context::new();
            context.insert_value("site", self.site_value.clone());
            let html = renderer.render(HEAD_LINKS_TEMPLATE, &context).map_err(|e| e.to_string())?;
            // The output of an autoescaping template: marked safe, it prints as it is.
            let html = tera::Value::safe_string(html.trim_end());
            Ok(values::with_field(self.site_value.clone(), "head_links_html", html))
        });
        value.clone().map_err(crate::error::Error::Usage)
    }
}
