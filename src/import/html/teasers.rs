//! Related-article lists of an HTML page ("related", "read next", "more
//! from"): their teasers, and the boxes that hold them, which leave the
//! document before the body is extracted.
//!
//! Integration point: the detection is written on branch `issue-teasers`,
//! whose `find_teasers` replaces this placeholder, which finds nothing.

use dom_query::{Document, NodeId};
use url::Url;

/// One teaser of a related-articles list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HtmlTeaser {
    /// The headline as shown.
    pub title: String,
    /// The link, absolute when the page's address is known.
    pub url: String,
    /// The date shown with it.
    pub date: Option<jiff::civil::Date>,
    /// Its image's caption.
    pub caption: Option<String>,
    /// Its image's address.
    pub image: Option<String>,
}

/// The teasers of a page, and the containers of their lists.
#[derive(Debug, Default)]
pub(crate) struct FoundTeasers {
    /// The teasers, in page order.
    pub teasers: Vec<HtmlTeaser>,
    /// The lists' containers, removed from the document before extraction.
    pub boxes: Vec<NodeId>,
}

/// Finds the related-article lists of `document`.
pub(crate) fn find_teasers(_document: &Document, _page_url: Option<&Url>) -> FoundTeasers {
    FoundTeasers::default()
}
