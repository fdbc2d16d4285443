//! Taxonomies: tags, authors, publications and series, each a set of terms.

use super::article::Article;
use crate::content::{MAX_SEGMENT, fit_segment, slugify};
use crate::fingerprint::FastMap;
use std::collections::HashSet;

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
    pub by_value: FastMap<String, usize>,
    /// Some term's slug was cut to fit ([`MAX_SEGMENT`]): a new term's place
    /// and slug then depend on the others', and the taxonomy is built again
    /// rather than patched.
    pub cut_slugs: bool,
}

/// A term and the articles that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    /// The name as first written (by the newest article using it).
    pub name: String,
    /// URL-safe name, the last segment of the term's address: terms whose
    /// names slugify alike are one term. A slug longer than
    /// [`MAX_SEGMENT`] bytes is cut at a word boundary, with `-2`, `-3`, …
    /// when the cut meets another term's slug (see [`fit_term_slugs`]).
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

/// The values an article has in a taxonomy (none for a standalone page).
pub fn article_terms<'a>(article: &'a Article, taxonomy: &str) -> impl Iterator<Item = &'a str> {
    let fm = &article.page.front_matter;
    let taxonomy = if article.page.standalone { "" } else { taxonomy };
    let (list, single): (&[String], Option<&str>) = match taxonomy {
        "tags" => (&fm.tags, None),
        "authors" => (&fm.authors, None),
        "publications" => (&[], fm.publication.as_deref()),
        "series" => (&[], fm.series.as_deref()),
        _ => (&[], None),
    };
    list.iter().map(String::as_str).chain(single)
}

/// Groups articles (already sorted newest first) into the terms of `name`.
pub fn build_taxonomy(name: &str, articles: &[Article]) -> Taxonomy {
    // Terms in the order first seen, then sorted by slug below. A value
    // recurs on many articles: it is slugified once and then found by the
    // value as written, without copying strings per article.
    let mut terms: Vec<Term> = Vec::new();
    let mut term_of_slug: FastMap<String, usize> = FastMap::default();
    // Written value → its term; `None` when it slugifies to nothing.
    let mut term_of_value: FastMap<&str, Option<usize>> = FastMap::default();
    let mut seen_in_article: Vec<usize> = Vec::new();
    for (index, article) in articles.iter().enumerate() {
        seen_in_article.clear();
        for written in article_terms(article, name) {
            let term = *term_of_value.entry(written).or_insert_with(|| {
                let value = written.trim();
                let slug = slugify(value);
                if slug.is_empty() {
                    return None;
                }
                let next = terms.len();
                let term = *term_of_slug.entry(slug.clone()).or_insert(next);
                if term == next {
                    terms.push(Term { name: value.to_string(), slug, articles: Vec::new() });
                }
                Some(term)
            });
            let Some(term) = term else { continue };
            if seen_in_article.contains(&term) {
                continue;
            }
            seen_in_article.push(term);
            terms[term].articles.push(index);
        }
    }

    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_unstable_by(|&a, &b| terms[a].slug.cmp(&terms[b].slug));
    let mut position = vec![0; terms.len()];
    for (sorted, &first_seen) in order.iter().enumerate() {
        position[first_seen] = sorted;
    }
    let by_value = term_of_value
        .into_iter()
        .filter_map(|(written, term)| term.map(|t| (written.to_string(), position[t])))
        .collect();
    let mut unsorted: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
    let mut terms: Vec<Term> =
        order.into_iter().filter_map(|first_seen| unsorted[first_seen].take()).collect();
    let cut_slugs = fit_term_slugs(&mut terms);
    Taxonomy { name: name.to_string(), title: taxonomy_title(name), terms, by_value, cut_slugs }
}

/// Cuts every slug longer than [`MAX_SEGMENT`] bytes at a word boundary, so
/// that its page's directory is a name every file system takes. Slugs that
/// fit are kept and claimed first; a cut slug that meets a claimed one gets
/// the first free `-2`, `-3`, … (cut shorter to make room), in the order of
/// the full slugs, so the same terms always get the same addresses.
/// Returns whether a slug was cut.
fn fit_term_slugs(terms: &mut [Term]) -> bool {
    if terms.iter().all(|t| t.slug.len() <= MAX_SEGMENT) {
        return false;
    }
    let mut taken: HashSet<String> =
        terms.iter().filter(|t| t.slug.len() <= MAX_SEGMENT).map(|t| t.slug.clone()).collect();
    for term in terms.iter_mut().filter(|t| t.slug.len() > MAX_SEGMENT) {
        let mut fitted = fit_segment(&term.slug, MAX_SEGMENT).to_string();
        let mut n = 2;
        while taken.contains(&fitted) {
            let suffix = format!("-{n}");
            fitted = format!("{}{suffix}", fit_segment(&term.slug, MAX_SEGMENT - suffix.len()));
            n += 1;
        }
        taken.insert(fitted.clone());
        term.slug = fitted;
    }
    true
}
