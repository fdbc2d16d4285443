//! Feeds per term: each term of a taxonomy (an author, a tag, a
//! publication, a series) has its own Atom feed beside its page
//! (`authors/ana-lima/atom.xml`), carrying its latest `feed.limit` full
//! articles, unless site.yaml gives the taxonomy `feeds: false`.

use super::graph::SiteGraph;
use super::outputs::OutputPage;

impl SiteGraph {
    /// Whether the terms of taxonomy `t` have feeds (the graph's taxonomies
    /// are the configured ones, in configured order).
    pub fn term_feeds(&self, t: usize) -> bool {
        self.config.taxonomies.get(t).is_some_and(|taxonomy| taxonomy.feeds)
    }

    /// The articles the feed of term `term` of taxonomy `t` carries: its
    /// newest full (non-stub) articles, up to `feed.limit`.
    pub fn term_feed_articles(&self, t: usize, term: usize) -> Vec<usize> {
        let articles = &self.taxonomies[t].terms[term].articles;
        let full = articles.iter().copied().filter(|&i| !self.articles[i].page.front_matter.stub);
        full.take(self.config.feed.limit).collect()
    }

    /// Every feed page that carries article `index`: the site's, when it is
    /// among its latest, and each of its terms' whose latest it is among.
    pub fn feeds_carrying(&self, index: usize, in_site_feed: bool) -> Vec<OutputPage> {
        let mut feeds = Vec::new();
        if in_site_feed {
            feeds.push(OutputPage::Feed);
        }
        for (t, taxonomy) in self.taxonomies.iter().enumerate().filter(|(t, _)| self.term_feeds(*t))
        {
            for (term, value) in taxonomy.terms.iter().enumerate() {
                if value.articles.contains(&index)
                    && self.term_feed_articles(t, term).contains(&index)
                {
                    feeds.push(OutputPage::TermFeed(t, term));
                }
            }
        }
        feeds
    }

    /// Every article some term's feed carries, as a flag per article.
    pub fn in_term_feeds(&self) -> Vec<bool> {
        let mut carried = vec![false; self.articles.len()];
        for t in (0..self.taxonomies.len()).filter(|&t| self.term_feeds(t)) {
            for term in 0..self.taxonomies[t].terms.len() {
                self.term_feed_articles(t, term).into_iter().for_each(|i| carried[i] = true);
            }
        }
        carried
    }
}
