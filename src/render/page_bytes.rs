//! Rendering one output page's [`PageView`] to bytes: `galley build`
//! renders every page this way, and `galley serve` the page a browser asks
//! for, so the two agree by construction.

use super::Renderer;
use super::pages::{PageContent, PageView};
use super::views::SiteViews;
use crate::error::Result;
use crate::site::outputs::ListingKind;

/// Renders one page's view to bytes.
pub fn render_page(
    views: &SiteViews<'_>,
    renderer: &Renderer,
    view: &PageView<'_>,
) -> Result<Vec<u8>> {
    let graph = views.graph;
    let mut context = tera::Context::new();
    context.insert_value("site", views.site_value(renderer)?);
    let current_url = graph.url(&view.site_path);
    if let Some(header) = views.header_value(renderer, &current_url)? {
        context.insert_value("header_html", header);
    }
    context.insert("current_url", &current_url);
    let canonical_url = graph.permalink(&view.site_path);
    context.insert("canonical_url", &canonical_url);
    if let Some(mut preview) = super::structured_data::preview(views, view, canonical_url) {
        preview.tags_html = super::preview_tags::tags_html(&preview);
        context.insert("preview", &preview);
    }
    // Room for a typical listing page; an article's page is its body and a few kilobytes.
    let mut capacity = 24 * 1024;
    let template = match &view.content {
        PageContent::Article(article) => {
            capacity = article.content_html.html.len() + 8 * 1024;
            context.insert_value("page", super::values::to_value(article));
            if article.stub { "stub.html" } else { "article.html" }
        }
        PageContent::Standalone(page) => {
            capacity = page.content_html.html.len() + 8 * 1024;
            context.insert_value("page", super::values::to_value(page));
            "page.html"
        }
        PageContent::Listing { pages, paginator, archive, taxonomy, term } => {
            context.insert_value("pages", views.listing_summary_values(pages.listing, renderer)?);
            context.insert("paginator", paginator);
            if let Some(archive) = archive {
                context.insert_value("archive", views.archive_value(archive));
            }
            if let Some(taxonomy) = taxonomy {
                context.insert("taxonomy", taxonomy);
            }
            if let Some(term) = term {
                context.insert("term", term);
            }
            match pages.listing.kind {
                ListingKind::Home => "index.html",
                ListingKind::Year(_) | ListingKind::Month(..) => "archive.html",
                ListingKind::Term(..) => "term.html",
            }
        }
        PageContent::ArchiveIndex(archive) => {
            context.insert_value("archive", views.archive_value(archive));
            context.insert("pages", &Vec::<()>::new());
            "archive.html"
        }
        PageContent::TaxonomyIndex { taxonomy, terms } => {
            context.insert("taxonomy", taxonomy);
            context.insert("terms", terms);
            "taxonomy.html"
        }
        PageContent::Feed(feed) => {
            context.insert_value("feed", feed.clone());
            "atom.xml"
        }
        PageContent::Sitemap(entries) => {
            context.insert("entries", entries);
            "sitemap.xml"
        }
        PageContent::SitemapIndex(parts) => return Ok(sitemap_index(parts).into_bytes()),
        PageContent::Robots(sitemap) => {
            return Ok(format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n").into_bytes());
        }
        PageContent::Redirects(redirects) => {
            let lines: String =
                redirects.iter().map(|(from, to)| format!("{from} {to} 301\n")).collect();
            return Ok(lines.into_bytes());
        }
        PageContent::NotFound => "404.html",
        PageContent::Search => "search.html",
        PageContent::Alias { title, url, permalink, language } => {
            return Ok(alias_page(title, url, permalink, language).into_bytes());
        }
    };
    renderer.render_bytes(template, &context, capacity)
}

/// A page that sends browsers and crawlers from an old address to the
/// article's current one: a meta refresh for browsers, `rel=canonical` for
/// crawlers, and a plain link for everyone else. Built in rather than a theme
/// template, as Hugo and Zola do, so every theme gets working redirects. Its
/// empty icon keeps a browser from asking the host's root for one.
fn alias_page(title: &str, url: &str, permalink: &str, language: &str) -> String {
    let (title, url, permalink, language) =
        (escape_html(title), escape_html(url), escape_html(permalink), escape_html(language));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n\
         <p>This article has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Text made safe for HTML, in element content and quoted attributes alike.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// `sitemap.xml` as a sitemap index, when the site has more URLs than one sitemap may hold.
fn sitemap_index(parts: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for loc in parts {
        xml.push_str("  <sitemap><loc>");
        xml.push_str(&loc.replace('&', "&amp;").replace('<', "&lt;"));
        xml.push_str("</loc></sitemap>\n");
    }
    xml.push_str("</sitemapindex>\n");
    xml
}
