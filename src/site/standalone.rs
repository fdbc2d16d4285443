//! Standalone pages (about, contact): where they live and what they may not
//! take from the rest of the site.
//!
//! A standalone page is placed among the graph's articles, so that loading,
//! Markdown, links, search and live preview treat it as they treat any page;
//! the graph's lists (archive, listings, feed, taxonomies, teasers) leave it
//! out (see [`Page::standalone`]).

use super::article::Article;
use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error};

/// The first segments of the addresses galley generates, which no standalone page may take.
fn generated_sections(config: &SiteConfig) -> Vec<&str> {
    let mut sections = vec!["archive", "page", "search"];
    sections.extend(config.taxonomies.iter().map(|t| t.name.as_str()));
    sections
}

/// An error for each standalone page at an address galley generates (the
/// archive, search, a taxonomy). (A `menu:` entry naming a page the site
/// does not have is a broken link, which `galley check` reports: a
/// site.yaml copied without its pages still builds.)
pub fn standalone_conflicts(config: &SiteConfig, articles: &[Article]) -> Vec<Error> {
    let sections = generated_sections(config);
    let mut errors = Vec::new();
    for article in articles.iter().filter(|a| a.page.standalone) {
        let slug = article.site_path.trim_matches('/');
        if sections.contains(&slug) {
            errors.push(Error::from(Diagnostic::new(
                &article.page.file,
                format!(
                    "this page's address {} is the address of a page galley generates; \
                     rename the file or give it a `slug:`",
                    article.site_path
                ),
            )));
        }
    }
    errors
}
