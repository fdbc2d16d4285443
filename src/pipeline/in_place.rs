//! The fast path of an incremental update: saves that change only what the
//! page itself shows.
//!
//! Most saves in preview fix an article's text. When none of the fields that
//! other pages can show changed (see [`structure_key`]), the site graph keeps
//! its shape: the saved article's page is rendered again, and the feed when
//! the article is in it, and nothing else is even looked at. Everything else
//! goes through the full signature comparison in `Builder::render`; both
//! paths leave the same signatures behind, so they can follow each other freely.

use super::cache::FileKey;
use super::render_site::article_body;
use super::{Builder, Delta, GraphLinks};
use crate::content::BodyReader;
use crate::content::{self, FrontMatter, Page};
use crate::error::{Error, Result};
use crate::render::{Body, SiteViews, render_page};
use crate::site::Article;
use crate::site::graph::page_hash;
use crate::site::outputs::OutputPage;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Hash of everything about a page that other pages may show or depend on.
/// It is the whole page but for the fields only the page itself shows (its
/// body, bio, rights, image, related teasers, unknown keys; the feed, which
/// shows the body too, is handled apart): a field added to the front matter
/// counts as structural until it is listed here as the page's own, so a new
/// field can make a save slower, never wrong.
pub(super) fn structure_key(page: &Page) -> u64 {
    let FrontMatter {
        title,
        date,
        authors,
        publication,
        standfirst,
        tags,
        series,
        slug,
        aliases,
        draft,
        stub,
        source,
        // Shown on the page itself only.
        image: _,
        author_bio: _,
        rights: _,
        related: _,
        extra: _,
    } = &page.front_matter;
    let mut h = crate::fingerprint::hasher();
    (&page.slug, &page.relative_path, title, date, authors, publication, standfirst, tags)
        .hash(&mut h);
    (series, slug, aliases, draft, stub, source).hash(&mut h);
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
        let (Some(graph), Some(engine), Some(cache)) =
            (self.graph.as_ref(), self.engine.as_ref(), self.cache.as_mut())
        else {
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
            let page = content::load_page(content_dir, path)?;
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
            cache.pages.insert(relative.clone(), (page.clone(), hash));
            // Placed again as `SiteGraph::build` places a changed page: the
            // structure key promises the same address.
            graph.articles[index] = Article::new(page, hash, &graph.config.permalink);
            graph.refresh_teaser_targets(index);
        }

        let result = (|| -> Result<Delta> {
            let views = SiteViews::new(&graph);
            let links = GraphLinks(&graph);
            let mut delta = Delta::new();
            let mut errors = Vec::new();
            let body_reader = BodyReader::new(content_dir);
            let mut buffer = String::new();
            for (relative, index, _) in &replacements {
                let article = &graph.articles[*index];
                let markdown = body_reader.body(&article.page, &mut buffer)?;
                match article_body(article, markdown, None, &links, &engine.highlighter) {
                    Ok((key, body)) => {
                        let page = OutputPage::Article(*index);
                        let view = views.page(page, &|_| Some(Body { key, rendered: &body }));
                        let bytes = render_page(&views, &engine.renderer, &view)?;
                        let file = graph.output_file(page);
                        let inputs = views.page_inputs(page, key);
                        cache
                            .signatures
                            .insert(file.as_str().into(), FileKey::new(inputs, view.signature()));
                        delta.insert(file, Some(Arc::from(bytes)));
                        drop(view);
                        if let Some(search) = cache.search.as_mut() {
                            let files = std::sync::Mutex::new(Vec::new());
                            // A save that keeps the site's structure keeps every
                            // article where it was: the index holds this one.
                            crate::search::with_article_doc(
                                &graph,
                                *index,
                                &body.text,
                                key,
                                |doc| {
                                    search.update(*index, doc, &|file, bytes| {
                                        let mut files = files
                                            .lock()
                                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                                        files.push((file.to_string(), Arc::<[u8]>::from(bytes)));
                                        Ok(())
                                    })
                                },
                            )?;
                            let files = files
                                .into_inner()
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                            for (file, bytes) in files {
                                let signature = super::signature::of_asset(&bytes);
                                cache
                                    .signatures
                                    .insert(file.as_str().into(), FileKey::new(None, signature));
                                delta.insert(file, Some(bytes));
                            }
                        }
                        cache.markdown.insert(relative.clone(), (key, body));
                    }
                    Err(mut e) => errors.append(&mut e),
                }
            }
            if !errors.is_empty() {
                return Err(Error::many(errors));
            }
            // The feeds that carry a saved article: the site's, and its terms'.
            let mut feeds: Vec<OutputPage> = replacements
                .iter()
                .flat_map(|(_, i, _)| graph.feeds_carrying(*i, views.feed_articles().contains(i)))
                .collect();
            feeds.sort_by_key(|feed| graph.site_path(*feed));
            feeds.dedup();
            for feed in feeds {
                let markdown = &cache.markdown;
                let body = |i: usize| {
                    markdown
                        .get(&graph.articles[i].page.relative_path)
                        .map(|(key, rendered)| Body { key: *key, rendered })
                };
                let view = views.page(feed, &body);
                let bytes = render_page(&views, &engine.renderer, &view)?;
                let file = graph.output_file(feed);
                cache.signatures.insert(file.as_str().into(), FileKey::new(None, view.signature()));
                delta.insert(file, Some(Arc::from(bytes)));
            }
            Ok(delta)
        })();
        self.graph = Some(graph);
        result.map(Some)
    }
}
