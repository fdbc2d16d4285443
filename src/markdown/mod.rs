//! Markdown: page bodies to HTML with pulldown-cmark (tables, footnotes,
//! strikethrough, heading attributes), code highlighted by syntect.
//!
//! [`render_markdown`] turns one [`Page`](crate::content::Page) into
//! [`RenderedMarkdown`]: the HTML, the summary before `<!-- more -->`, a
//! table of contents, and word counts. Links to other pages' `.md` files
//! become their public URLs through a [`LinkResolver`]; a link to no page is
//! an error at its line and column. Raw HTML written by the author passes
//! through: the Markdown is the author's own.

mod headings;
pub mod highlight;
pub mod links;
pub mod render;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod tests;

pub use highlight::Highlighter;
pub use links::LinkResolver;
pub use render::{render_markdown, render_markdown_body};

use crate::render::context::TocEntry;

/// A page body rendered to HTML.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderedMarkdown {
    /// The whole body as HTML.
    pub html: String,
    /// The part before a top-level `<!-- more -->` line, when the body has one.
    pub summary_html: Option<String>,
    /// The headings, nested by level; each one's `id` is on its HTML element.
    pub toc: Vec<TocEntry>,
    /// Words of the visible prose (code blocks excluded).
    pub word_count: usize,
    /// `ceil(word_count / 200)`, at least 1.
    pub reading_minutes: usize,
    /// Whether the body has a code block (fenced or indented).
    pub has_code: bool,
    /// The content paths of the pages its `.md` links name (sorted, once
    /// each), found or not: the HTML changes when one of them moves.
    pub links: Vec<String>,
    /// The files of `content/` that are not pages (images saved beside an
    /// article) it links, as content paths (sorted, once each): a build
    /// publishes them at the same path.
    pub files: Vec<String>,
    /// The visible text (prose, code, table cells; no alt text or raw HTML),
    /// one line per block, for the search index.
    pub text: String,
}

impl RenderedMarkdown {
    /// An empty body (a stub's, or a page rendered before its body is known).
    pub const EMPTY: RenderedMarkdown = RenderedMarkdown {
        html: String::new(),
        summary_html: None,
        toc: Vec::new(),
        word_count: 0,
        reading_minutes: 0,
        has_code: false,
        links: Vec::new(),
        files: Vec::new(),
        text: String::new(),
    };

    /// What a summary of the body shows (a term's feed carries it): the
    /// part before `<!-- more -->` when the body has one, else its first
    /// paragraph when it opens with one, else nothing.
    pub fn lead_html(&self) -> &str {
        if let Some(summary) = &self.summary_html {
            return summary;
        }
        if !self.html.starts_with("<p>") {
            return "";
        }
        self.html.find("</p>").map_or("", |end| &self.html[..end + "</p>".len()])
    }

    /// What a term's feed shows of the body: its [`lead_html`](Self::lead_html)
    /// (as its summary) and its counts, without the rest.
    pub fn lead_only(self) -> RenderedMarkdown {
        RenderedMarkdown {
            summary_html: Some(self.lead_html().to_string()),
            html: String::new(),
            toc: Vec::new(),
            links: Vec::new(),
            files: Vec::new(),
            text: String::new(),
            ..self
        }
    }
}
