//! The links a page shows to other pages: to a term's page (an author, a
//! tag, a publication), and to the older and newer articles. Each is shown
//! by many pages (a term by every article that has it, an article as the
//! neighbour of two), so each is converted into a template value once and
//! shared (see [`Shared`]).

use super::context::{Link, NeighbourContext, Shared};
use super::values;
use crate::content::slugify;
use crate::site::SiteGraph;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The links as template values, each made on first use.
pub(super) struct LinkValues {
    /// Each term's link, by taxonomy and term, named as the term is.
    terms: Vec<Vec<OnceLock<tera::Value>>>,
    /// Each article as a neighbour, by article index.
    neighbours: Vec<OnceLock<tera::Value>>,
}

impl LinkValues {
    /// No values kept: each link is converted where it is shown. For views
    /// that render one page (serve's), where nothing would be shared and
    /// a cell for every article would cost more than it saves.
    pub(super) fn unshared() -> LinkValues {
        LinkValues { terms: Vec::new(), neighbours: Vec::new() }
    }

    pub(super) fn new(graph: &SiteGraph) -> LinkValues {
        let cells = |n: usize| (0..n).map(|_| OnceLock::new()).collect();
        LinkValues {
            terms: graph.taxonomies.iter().map(|t| cells(t.terms.len())).collect(),
            neighbours: cells(graph.articles.len()),
        }
    }

    /// A link to the term page of `value` in `taxonomy`, or a bare name when
    /// the taxonomy has no pages; `term_urls` are the terms' addresses, by
    /// taxonomy and term.
    pub(super) fn term_link<'s>(
        &'s self,
        graph: &SiteGraph,
        term_urls: &'s [Vec<String>],
        taxonomy: &str,
        value: &'s str,
    ) -> Link<'s> {
        let Some(t) = graph.taxonomies.iter().position(|t| t.name == taxonomy) else {
            return Link { name: Cow::Borrowed(value), url: None, shared: Shared(None) };
        };
        let Some(&term) = graph.taxonomies[t].by_value.get(value) else {
            // A value with no term (nothing to slugify) links as it always did.
            let url = graph.url(&format!("/{taxonomy}/{}/", slugify(value)));
            return Link {
                name: Cow::Borrowed(value),
                url: Some(url.into()),
                shared: Shared(None),
            };
        };
        let url = Cow::Borrowed(term_urls[t][term].as_str());
        let mut link = Link { name: Cow::Borrowed(value), url: Some(url), shared: Shared(None) };
        // Shared when the page spells the term as the term is named (most
        // do): another spelling is its own link.
        let cell = self.terms.get(t).and_then(|terms| terms.get(term));
        if let Some(cell) = cell.filter(|_| value == graph.taxonomies[t].terms[term].name) {
            link.shared = Shared(Some(cell.get_or_init(|| values::to_value(&link))));
        }
        link
    }

    /// Article `index` as a neighbour, titled `title`, at `url`.
    pub(super) fn neighbour<'s>(
        &'s self,
        index: usize,
        title: &'s str,
        url: &'s str,
    ) -> NeighbourContext<'s> {
        let mut neighbour = NeighbourContext {
            title: Cow::Borrowed(title),
            url: Cow::Borrowed(url),
            shared: Shared(None),
        };
        if let Some(cell) = self.neighbours.get(index) {
            neighbour.shared = Shared(Some(cell.get_or_init(|| values::to_value(&neighbour))));
        }
        neighbour
    }
}
