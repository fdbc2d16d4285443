//! The links a page shows to other pages: to a term's page (an author, a
//! tag, a publication), and to the older and newer articles. Each is shown
//! by many pages (a term by every article that has it, an article as the
//! neighbour of two), so each is converted into a template value once and
//! shared (see [`Shared`]).

use super::context::{Link, NeighbourContext, Shared};
use super::values;
use super::views::SiteViews;
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
    pub(super) fn new(graph: &SiteGraph) -> LinkValues {
        let cells = |n: usize| (0..n).map(|_| OnceLock::new()).collect();
        LinkValues {
            terms: graph.taxonomies.iter().map(|t| cells(t.terms.len())).collect(),
            neighbours: cells(graph.articles.len()),
        }
    }
}

impl SiteViews<'_> {
    /// A link to the term page of `value` in `taxonomy`, or a bare name when
    /// the taxonomy has no pages.
    pub fn term_link<'s>(&'s self, taxonomy: &str, value: &'s str) -> Link<'s> {
        let graph = self.graph;
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
        let url = Cow::Borrowed(self.term_urls[t][term].as_str());
        let mut link = Link { name: Cow::Borrowed(value), url: Some(url), shared: Shared(None) };
        // Shared when the page spells the term as the term is named (most
        // do): another spelling is its own link.
        if value == graph.taxonomies[t].terms[term].name {
            link.shared = Shared(Some(
                self.link_values.terms[t][term].get_or_init(|| values::to_value(&link)),
            ));
        }
        link
    }

    pub(super) fn term_links<'s>(&'s self, taxonomy: &str, values: &'s [String]) -> Vec<Link<'s>> {
        values.iter().map(|value| self.term_link(taxonomy, value)).collect()
    }

    pub(super) fn neighbour(&self, index: Option<usize>) -> Option<NeighbourContext<'_>> {
        index.map(|i| {
            let mut neighbour = NeighbourContext {
                title: Cow::Borrowed(&self.graph.articles[i].page.front_matter.title),
                url: Cow::Borrowed(&self.facts(i).url),
                shared: Shared(None),
            };
            let value = self.link_values.neighbours[i].get_or_init(|| values::to_value(&neighbour));
            neighbour.shared = Shared(Some(value));
            neighbour
        })
    }
}
