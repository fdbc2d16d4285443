//! Taxonomies: tags, authors, publications and series, each a set of terms.

use super::graph::Article;
use crate::content::slugify;
use std::collections::{BTreeMap, HashMap};

/// One configured taxonomy and all its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// `tags`, `authors`, `publications` or `series`.
    pub name: String,
    /// `Tags`, `Authors`, …
    pub title: String,
    /// Terms sorted by slug.
    pub terms: Vec<Term>,
    /// Each value as articles write it (`Economy`, `economy `) → its index
    /// in `terms`: pages link a value to its term without slugifying it again.
    pub by_value: HashMap<String, usize>,
}

/// A term and the articles that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    /// The name as first written (by the newest article using it).
    pub name: String,
    /// URL-safe name; terms whose names slugify alike are one term.
    pub slug: String,
    /// Indices into `SiteGraph::articles`, newest first.
    pub articles: Vec<usize>,
}

/// The human title of a taxonomy.
pub fn taxonomy_title(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The values an article has in a taxonomy.
pub fn article_terms<'a>(article: &'a Article, taxonomy: &str) -> Vec<&'a str> {
    let fm = &article.page.front_matter;
    match taxonomy {
        "tags" => fm.tags.iter().map(String::as_str).collect(),
        "authors" => fm.authors.iter().map(String::as_str).collect(),
        "publications" => fm.publication.as_deref().into_iter().collect(),
        "series" => fm.series.as_deref().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Groups articles (already sorted newest first) into the terms of `name`.
pub fn build_taxonomy(name: &str, articles: &[Article]) -> Taxonomy {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    // A value recurs on many articles: slugified once.
    let mut value_slugs: HashMap<String, String> = HashMap::new();
    for (index, article) in articles.iter().enumerate() {
        let mut seen_in_article: Vec<String> = Vec::new();
        for written in article_terms(article, name) {
            let slug = match value_slugs.get(written) {
                Some(slug) => slug.clone(),
                None => {
                    let slug = slugify(written.trim());
                    value_slugs.insert(written.to_string(), slug.clone());
                    slug
                }
            };
            let value = written.trim();
            if slug.is_empty() || seen_in_article.contains(&slug) {
                continue;
            }
            seen_in_article.push(slug.clone());
            terms
                .entry(slug.clone())
                .or_insert_with(|| Term { name: value.to_string(), slug, articles: Vec::new() })
                .articles
                .push(index);
        }
    }
    let terms: Vec<Term> = terms.into_values().collect();
    let by_value = value_slugs
        .into_iter()
        .filter_map(|(written, slug)| {
            terms.binary_search_by(|term| term.slug.cmp(&slug)).ok().map(|index| (written, index))
        })
        .collect();
    Taxonomy { name: name.to_string(), title: taxonomy_title(name), terms, by_value }
}
