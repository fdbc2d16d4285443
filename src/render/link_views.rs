//! The links a page shows to other pages: to a term's page (an author, a
//! tag, a publication), and to the older and newer articles.

use super::context::{Link, NeighbourContext};
use super::views::SiteViews;
use crate::content::slugify;
use std::borrow::Cow;

impl SiteViews<'_> {
    /// A link to the term page of `value` in `taxonomy`, or a bare name when
    /// the taxonomy has no pages.
    pub fn term_link<'s>(&'s self, taxonomy: &str, value: &'s str) -> Link<'s> {
        let graph = self.graph;
        let url = graph.taxonomies.iter().position(|t| t.name == taxonomy).map(|t| {
            match graph.taxonomies[t].by_value.get(value) {
                Some(&term) => Cow::Borrowed(self.term_urls[t][term].as_str()),
                // A value with no term (nothing to slugify) links as it always did.
                None => graph.url(&format!("/{taxonomy}/{}/", slugify(value))).into(),
            }
        });
        Link { name: Cow::Borrowed(value), url }
    }

    pub(super) fn term_links<'s>(&'s self, taxonomy: &str, values: &'s [String]) -> Vec<Link<'s>> {
        values.iter().map(|value| self.term_link(taxonomy, value)).collect()
    }

    pub(super) fn neighbour(&self, index: Option<usize>) -> Option<NeighbourContext<'_>> {
        index.map(|i| NeighbourContext {
            title: Cow::Borrowed(&self.graph.articles[i].page.front_matter.title),
            url: Cow::Borrowed(&self.facts(i).url),
        })
    }
}
