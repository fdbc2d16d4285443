//! The fast path of an incremental update: saves that change only what the
//! page itself shows.
//!
//! Most saves in preview fix an article's text. When none of the fields that
//! other pages show changed (see [`structure_key`]), the site graph keeps its
//! shape: the saved article's page is rendered again, and the feed when the
//! article is in it, and nothing else is even looked at. Everything else goes
//! through the full signature comparison in `Builder::rebuild`; both paths
//! leave the same signatures behind, so they can follow each other freely.

use super::{Builder, Delta, SiteViews, article_body, render_output_page, signature};
use crate::content::BodyReader;
use crate::content::{self, Page};
use crate::error::{Error, Result};
use crate::site::graph::{page_hash, teaser_slugs};
use crate::site::outputs::OutputPage;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Hash of everything about a page that *other* pages show or depend on:
/// listings (title, date, authors, publication, standfirst, stub), URLs
/// (slug, date), taxonomies, neighbours' prev/next, teaser targets, drafts.
/// The body, bio, rights, image, related teasers and unknown keys are shown
/// only on the page itself (and in the feed, which is handled apart).
pub(super) fn structure_key(page: &Page) -> u64 {
    let fm = &page.front_matter;
    let mut h = DefaultHasher::new();
    (
        &page.slug,
        &fm.title,
        &fm.date,
        &fm.authors,
        &fm.publication,
        &fm.standfirst,
        &fm.tags,
        &fm.series,
        fm.stub,
        fm.draft,
    )
        .hash(&mut h);
    h.finish()
}

impl Builder {
    /// Updates the site in place when every changed path is an existing
    /// article whose structure did not change. `Ok(None)` means the fast path
    /// does not apply and the caller must run the full comparison.
    pub(super) fn try_in_place(
        &mut self,
        content_dir: &Path,
        changed: &[PathBuf],
    ) -> Result<Option<Delta>> {
        let (Some(graph), Some(engine)) = (self.graph.as_ref(), self.engine.as_ref()) else {
            return Ok(None);
        };
        let mut replacements = Vec::with_capacity(changed.len());
        for path in changed {
            let Ok(relative) = path.strip_prefix(content_dir) else { return Ok(None) };
            let relative = relative.to_string_lossy().replace('\\', "/");
            if !relative.ends_with(".md") || !path.is_file() {
                return Ok(None);
            }
            let Some(&index) = graph.by_content_path.get(&relative) else { return Ok(None) };
            let page = content::load::load_page(content_dir, path)?;
            if structure_key(&page) != structure_key(&graph.articles[index].page) {
                return Ok(None);
            }
            replacements.push((relative, index, page));
        }
        if replacements.is_empty() {
            return Ok(None);
        }

        let mut graph = match self.graph.take() {
            Some(graph) => graph,
            None => return Ok(None),
        };
        for (relative, index, page) in replacements.iter().map(|(r, i, p)| (r, *i, p)) {
            let hash = page_hash(page);
            let page = Arc::new(page.clone());
            self.pages.insert(relative.clone(), (page.clone(), hash));
            // Everything `SiteGraph::build` derives from the page alone, and
            // that the structure key does not cover, must be refreshed here.
            graph.articles[index].teaser_slugs = teaser_slugs(&page);
            graph.articles[index].page = page;
            graph.articles[index].content_hash = hash;
            graph.refresh_teaser_targets(index);
        }

        let result = (|| -> Result<Delta> {
            let views = SiteViews::new(&graph);
            let links = super::GraphLinks(&graph);
            let mut delta = Delta::new();
            let mut errors = Vec::new();
            let body_reader = BodyReader::new(content_dir);
            let mut buffer = String::new();
            for (relative, index, _) in &replacements {
                let article = &graph.articles[*index];
                let cache = std::collections::HashMap::new();
                let markdown = body_reader.body(&article.page, &mut buffer)?;
                match article_body(article, markdown, &cache, &links, &engine.highlighter) {
                    Ok((key, body)) => {
                        let page = OutputPage::Article(*index);
                        let bytes = render_output_page(&views, &engine.renderer, page, &|_| {
                            Some(body.as_ref())
                        })?;
                        let file = graph.output_file(page);
                        self.signatures
                            .insert(file.clone(), signature::of_article(&views, *index, key));
                        delta.insert(file, Some(Arc::from(bytes)));
                        self.markdown.insert(relative.clone(), (key, body));
                    }
                    Err(mut e) => errors.append(&mut e),
                }
            }
            if !errors.is_empty() {
                return Err(Error::many(errors));
            }
            let in_feed = replacements.iter().any(|(_, i, _)| views.feed_articles().contains(i));
            if in_feed {
                let markdown = &self.markdown;
                let keys: Vec<u64> = graph
                    .articles
                    .iter()
                    .map(|a| markdown.get(&a.page.relative_path).map_or(0, |(k, _)| *k))
                    .collect();
                let body = |i: usize| {
                    markdown.get(&graph.articles[i].page.relative_path).map(|(_, b)| b.as_ref())
                };
                let bytes = render_output_page(&views, &engine.renderer, OutputPage::Feed, &body)?;
                let file = graph.output_file(OutputPage::Feed);
                self.signatures
                    .insert(file.clone(), signature::of_page(&views, OutputPage::Feed, &keys));
                delta.insert(file, Some(Arc::from(bytes)));
            }
            Ok(delta)
        })();
        self.graph = Some(graph);
        result.map(Some)
    }
}
