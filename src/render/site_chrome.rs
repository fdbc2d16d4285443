//! What every page of a site shows the same, rendered once per build rather
//! than once per page: the links in its `<head>`, its header and its footer.
//! Printed field by field, they cost a page more than most of its own content
//! (each `site.*` lookup and its escaping, on every page).

use super::context::SiteContext;
use super::{Renderer, values};
use std::sync::OnceLock;

/// The links in every page's head that do not change from page to page.
const HEAD_LINKS_TEMPLATE: &str = "partials/head-links.html";

/// The site's footer, the same on every page.
const FOOTER_TEMPLATE: &str = "partials/site-footer.html";

/// The site's header: the same on every page but those its navigation links
/// to, which it may mark as the current one.
const HEADER_TEMPLATE: &str = "partials/site-header.html";

/// The shared parts, each made on first use.
pub(super) struct SiteChrome {
    /// `site` with `head_links_html` and `footer_html`.
    site_with_chrome: OnceLock<Result<tera::Value, String>>,
    /// The header of every page whose address is none of `site`'s.
    header: OnceLock<Option<tera::Value>>,
    /// Each address in `site` (the home page, the archive, each taxonomy,
    /// each menu entry, …) with the header of the page at that address.
    headers_at: Vec<(String, OnceLock<Option<tera::Value>>)>,
}

impl SiteChrome {
    /// The shared parts of the pages of a site whose `site` is `site`.
    pub(super) fn new(site: &SiteContext<'_>) -> SiteChrome {
        let mut addresses: Vec<&str> = vec![
            &site.home_url,
            &site.home_permalink,
            &site.feed_url,
            &site.feed_permalink,
            &site.archive_url,
        ];
        addresses.extend(site.search_url.as_deref());
        addresses.extend(site.taxonomies.iter().map(|t| &*t.url));
        addresses.extend(site.menu.iter().map(|m| &*m.url));
        addresses.extend(site.icons.iter().map(|i| i.url.as_str()));
        addresses.sort_unstable();
        addresses.dedup();
        SiteChrome {
            site_with_chrome: OnceLock::new(),
            header: OnceLock::new(),
            headers_at: addresses.into_iter().map(|a| (a.to_string(), OnceLock::new())).collect(),
        }
    }
}

impl SiteChrome {
    /// `site` for a page's template, given `site` alone: with `head_links_html` and
    /// `footer_html`, the theme's `partials/head-links.html` (the page's
    /// `<head>` links that are the same on every page: a theme's `asset()`
    /// calls cost each page more than the rest of its head) and
    /// `partials/site-footer.html`, each rendered once for every page with
    /// `site` alone, when the theme has that partial.
    pub(super) fn site_value(
        &self,
        site_alone: &tera::Value,
        renderer: &Renderer,
    ) -> crate::error::Result<tera::Value> {
        let value = self.site_with_chrome.get_or_init(|| {
            let mut site = site_alone.clone();
            for (template, field) in
                [(HEAD_LINKS_TEMPLATE, "head_links_html"), (FOOTER_TEMPLATE, "footer_html")]
            {
                if !renderer.has_template(template) {
                    continue;
                }
                let mut context = tera::Context::new();
                context.insert_value("site", site_alone.clone());
                let html = renderer.render(template, &context).map_err(|e| e.to_string())?;
                // The head links are printed by a tag that keeps no line end
                // after them, the footer by one that trims the template's own.
                let html = if field == "head_links_html" { html.trim_end() } else { &html };
                // The output of an autoescaping template: marked safe, it prints as it is.
                site = values::with_field(site, field, tera::Value::safe_string(html));
            }
            Ok(site)
        });
        value.clone().map_err(crate::error::Error::Usage)
    }

    /// `header_html` for the page at `current_url`: the theme's
    /// `partials/site-header.html` rendered with `site` and `current_url`,
    /// once for all pages at none of the addresses in `site` (with
    /// `current_url` empty: the partial may compare it with those addresses
    /// but not print it) and once for each page at one of them. `None` when
    /// the theme has no such partial, or it cannot be rendered with those two
    /// alone: the page's template then includes it itself.
    pub(super) fn header_value(
        &self,
        site_alone: &tera::Value,
        renderer: &Renderer,
        current_url: &str,
    ) -> crate::error::Result<Option<tera::Value>> {
        if !renderer.has_template(HEADER_TEMPLATE) {
            return Ok(None);
        }
        let (cell, url) = match self.headers_at.iter().find(|(at, _)| at == current_url) {
            Some((at, cell)) => (cell, at.as_str()),
            None => (&self.header, ""),
        };
        if let Some(header) = cell.get() {
            return Ok(header.clone());
        }
        let mut context = tera::Context::new();
        context.insert_value("site", self.site_value(site_alone, renderer)?);
        context.insert("current_url", url);
        let header = renderer.render(HEADER_TEMPLATE, &context).ok();
        // The output of an autoescaping template: marked safe, it prints as it is.
        Ok(cell.get_or_init(|| header.map(|html| tera::Value::safe_string(&html))).clone())
    }
}
