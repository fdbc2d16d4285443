//! One version of the previewed site: its graph and engine, read-only, and
//! every page of it rendered when it is asked for by the same function a
//! build renders it with.

use super::body_cache::BodyCache;
use super::engine::Engine;
use super::live_search::{LiveSearch, SearchSource};
use super::{GraphLinks, signature};
use crate::content::BodyReader;
use crate::error::{Error, Result};
use crate::fingerprint::FastMap;
use crate::markdown::{RenderedMarkdown, render_markdown_body};
use crate::render::{Body, SiteViews, render_page};
use crate::search::SearchDoc;
use crate::site::{OutputPage, SiteGraph};
use std::sync::{Arc, Mutex, PoisonError};

/// Pages of one version kept as rendered: those open in a browser are asked
/// for again after every save, to tell whether they changed.
const KEPT_PAGES: usize = 64;

/// The site as one successful update left it (see the module docs).
pub struct SiteVersion {
    pub(super) engine: Arc<Engine>,
    pub(super) graph: Arc<SiteGraph>,
    pub(super) bodies: Arc<BodyCache>,
    pub(super) body_reader: Arc<BodyReader>,
    pub(super) search: Arc<LiveSearch>,
    /// `content/`, whose files beside the pages (saved images) are served
    /// at their path in it, as a build publishes the ones bodies link.
    content_dir: Arc<std::path::Path>,
    /// Pages rendered from this version, by output file.
    rendered: Mutex<FastMap<String, Arc<[u8]>>>,
}

impl SiteVersion {
    pub(super) fn new(
        engine: Arc<Engine>,
        graph: Arc<SiteGraph>,
        bodies: Arc<BodyCache>,
        body_reader: Arc<BodyReader>,
        search: Arc<LiveSearch>,
        content_dir: Arc<std::path::Path>,
    ) -> SiteVersion {
        let rendered = Mutex::new(FastMap::default());
        SiteVersion { engine, graph, bodies, body_reader, search, content_dir, rendered }
    }

    /// The site graph of this version.
    pub fn graph(&self) -> &SiteGraph {
        &self.graph
    }

    /// The bytes of output file `key` (`index.html`, `2019/06/x/index.html`,
    /// `style.3f2a9c1b.css`, `search/index.json`), rendered now when it is a
    /// page; `None` when the site has no such file. The search index's files
    /// are an error until the index is built.
    pub fn file(&self, key: &str) -> Option<Result<Arc<[u8]>>> {
        if let Some((_, bytes)) = self.engine.assets.iter().find(|(file, _)| file == key) {
            return Some(Ok(bytes.clone()));
        }
        if crate::search::is_index_file(key) {
            return self.graph.config.search.then(|| self.search.file(key));
        }
        let Some(page) = self.graph.page_at(key) else {
            return self
                .content_file(key)
                .map(|path| std::fs::read(&path).map(Arc::from).map_err(|e| Error::io(&path, e)));
        };
        if let Some(bytes) = self.lock_rendered().get(key) {
            return Some(Ok(bytes.clone()));
        }
        Some(self.render(page).map(|bytes| {
            let bytes: Arc<[u8]> = Arc::from(bytes);
            let mut rendered = self.lock_rendered();
            if rendered.len() >= KEPT_PAGES {
                rendered.clear();
            }
            rendered.insert(key.to_string(), bytes.clone());
            bytes
        }))
    }

    /// The file of `content/` at output path `key` when it is one a body
    /// may link (not a page's Markdown, not hidden, inside `content/`).
    fn content_file(&self, key: &str) -> Option<std::path::PathBuf> {
        let servable = !key.ends_with(".md")
            && key.split('/').all(|part| !part.is_empty() && !part.starts_with('.'));
        let path = self.content_dir.join(key);
        (servable && path.is_file()).then_some(path)
    }

    /// The bytes of page `key` as this version rendered them, if it did
    /// (and still keeps them).
    pub fn rendered(&self, key: &str) -> Option<Arc<[u8]>> {
        self.lock_rendered().get(key).cloned()
    }

    /// Whether the site has a file at `key`, without rendering it.
    pub fn has(&self, key: &str) -> bool {
        self.engine.assets.iter().any(|(file, _)| file == key)
            || (self.graph.config.search && crate::search::is_index_file(key))
            || self.graph.page_at(key).is_some()
            || self.content_file(key).is_some()
    }

    /// Every file of the site: its pages, its assets, and the search index's
    /// files as far as they are built.
    pub fn files(&self) -> Vec<String> {
        let graph = &self.graph;
        let mut files: Vec<String> =
            graph.output_pages().into_iter().map(|page| graph.output_file(page)).collect();
        files.extend(self.engine.assets.iter().map(|(file, _)| file.clone()));
        if graph.config.search {
            files.extend(self.search.files());
        }
        files
    }

    /// Renders one output page, as a build does (`render_page` over the
    /// views of the graph), with the rendered bodies it shows.
    fn render(&self, page: OutputPage) -> Result<Vec<u8>> {
        let views = SiteViews::for_one_page(&self.graph);
        let wanted: Vec<usize> = match page {
            OutputPage::Article(i) => vec![i],
            OutputPage::Feed | OutputPage::TermFeed(..) => views.articles_of_feed(page).to_vec(),
            _ => Vec::new(),
        };
        let bodies: Vec<(usize, u64, Arc<RenderedMarkdown>)> = wanted
            .into_iter()
            .map(|i| self.body(i, true).map(|(key, body)| (i, key, body)))
            .collect::<Result<_>>()?;
        let body = |i: usize| {
            let (_, key, rendered) = bodies.iter().find(|(at, _, _)| *at == i)?;
            Some(Body { key: *key, rendered })
        };
        let view = views.page(page, &body);
        render_page(&views, &self.engine.renderer, &view)
    }

    /// Article `i`'s rendered body and its key, from the cache when it was
    /// rendered from the same Markdown with its links leading to the same
    /// pages, else rendered now (and kept, unless `keep` is false: the
    /// search index reads every body once, which would only push out the
    /// bodies of the pages being looked at).
    pub(super) fn body(&self, i: usize, keep: bool) -> Result<(u64, Arc<RenderedMarkdown>)> {
        let article = &self.graph.articles[i];
        let page = &article.page;
        let mut buffer = String::new();
        let markdown = match self.body_reader.body(page, &mut buffer) {
            Ok(markdown) => markdown,
            // The file changed since this version loaded it, and does not
            // load (a broken save): the body this page showed last, if any.
            Err(e) => return self.bodies.get(&page.relative_path).ok_or(e),
        };
        let source = crate::fingerprint::of((markdown, &page.relative_path, page.body_first_line));
        let links = GraphLinks(&self.graph);
        let key_of = |body: &RenderedMarkdown| {
            signature::markdown_key(source, &signature::link_targets(&links, &body.links))
        };
        if let Some((key, cached)) = self.bodies.get(&page.relative_path) {
            if key == key_of(&cached) {
                return Ok((key, cached));
            }
        }
        let rendered = render_markdown_body(page, markdown, &links, &self.engine.highlighter)
            .map_err(|diagnostics| {
                Error::many(diagnostics.into_iter().map(Error::from).collect())
            })?;
        let key = key_of(&rendered);
        let rendered = Arc::new(rendered);
        if keep {
            self.bodies.insert(&page.relative_path, key, rendered.clone());
        }
        Ok((key, rendered))
    }

    fn lock_rendered(&self) -> std::sync::MutexGuard<'_, FastMap<String, Arc<[u8]>>> {
        self.rendered.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SearchSource for SiteVersion {
    fn articles(&self) -> usize {
        self.graph.articles.len()
    }

    fn with_doc(
        &self,
        i: usize,
        keep: bool,
        add: &mut dyn FnMut(&SearchDoc<'_>) -> Result<()>,
    ) -> Result<()> {
        let (key, body) = self.body(i, keep)?;
        crate::search::with_article_doc(&self.graph, i, &body.text, key, |doc| add(doc))
    }
}
