//! The link-preview tags of a page written once in Rust (`preview.tags_html`):
//! every HTML page has a score of them, and printing each field through
//! the template cost a build more than the rest of the page's head. Themes
//! still get every field of `preview` to print their own way.

use super::structured_data::Preview;

/// The OpenGraph, `article:*` and Twitter card `<meta>` tags of `preview`,
/// one a line, every value escaped as the templates escape it.
pub(super) fn tags_html(preview: &Preview<'_>) -> String {
    let mut tags = Tags(String::with_capacity(1024));
    tags.meta("property", "og:title", &preview.title);
    if let Some(description) = preview.description {
        tags.meta("property", "og:description", description);
    }
    tags.meta("property", "og:url", &preview.url);
    tags.meta("property", "og:site_name", preview.site_name);
    tags.meta("property", "og:type", preview.og_type);
    if let Some(image) = preview.image {
        tags.meta("property", "og:image", image);
    }
    if let Some(article) = &preview.article {
        tags.meta("property", "article:published_time", article.published_time);
        for author in &article.authors {
            tags.meta("property", "article:author", author);
        }
        if let Some(section) = article.section {
            tags.meta("property", "article:section", section);
        }
        for tag in &article.tags {
            tags.meta("property", "article:tag", tag);
        }
    }
    tags.meta("name", "twitter:card", preview.twitter_card);
    tags.meta("name", "twitter:title", &preview.title);
    if let Some(description) = preview.description {
        tags.meta("name", "twitter:description", description);
    }
    if let Some(image) = preview.image {
        tags.meta("name", "twitter:image", image);
    }
    tags.0
}

struct Tags(String);

impl Tags {
    /// `<meta ATTRIBUTE="KEY" content="VALUE">`, on a line of its own after the first.
    fn meta(&mut self, attribute: &str, key: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('\n');
        }
        for part in ["<meta ", attribute, "=\"", key, "\" content=\""] {
            self.0.push_str(part);
        }
        // The escaping Tera's templates print with (its `fast_escape`);
        // writing into a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html(&mut self.0, value);
        self.0.push_str("\">");
    }
}
