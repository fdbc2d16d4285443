//! A small stand-in for the build engine: Markdown-ish files with a front-matter
//! block become pages, `static/` is copied, `index.html` lists every page. It
//! rebuilds only what a change touches and diffs its outputs, like the real
//! builder's contract asks, so the server can be tested without the engine.

use galley::serve::{Delta, SiteBuilder};
use galley::{Diagnostic, Error, Location};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A page parsed from `content/**/*.md`.
#[derive(Debug, Clone)]
struct Page {
    slug: String,
    title: String,
    body: String,
}

#[derive(Debug)]
pub struct FakeSite {
    root: PathBuf,
    base: String,
    /// Source path (relative) → its page or its error.
    pages: BTreeMap<PathBuf, Result<Page, Diagnostic>>,
    /// Static files (relative to `static/`) → bytes.
    statics: BTreeMap<String, Arc<[u8]>>,
    outputs: BTreeMap<String, Arc<[u8]>>,
    /// Every `update` call's paths, for tests to inspect.
    pub calls: Arc<Mutex<Vec<Vec<PathBuf>>>>,
    /// How long each `update` took, so a benchmark can subtract the builder's share.
    pub durations: Arc<Mutex<Vec<std::time::Duration>>>,
}

impl FakeSite {
    pub fn new(root: &Path, base: &str) -> FakeSite {
        FakeSite {
            root: root.to_path_buf(),
            base: base.to_string(),
            pages: BTreeMap::new(),
            statics: BTreeMap::new(),
            outputs: BTreeMap::new(),
            calls: Arc::default(),
            durations: Arc::default(),
        }
    }

    /// A clean build's outputs (what an incremental run must end up equal to).
    pub fn clean_build(root: &Path, base: &str) -> Result<BTreeMap<String, Arc<[u8]>>, Error> {
        let mut site = FakeSite::new(root, base);
        site.update(&[])?;
        Ok(site.outputs)
    }

    fn load(&mut self, relative: &Path) {
        let path = self.root.join(relative);
        if relative.starts_with("content") {
            self.pages.retain(|p, _| !p.starts_with(relative));
            if path.is_dir() {
                for entry in walkdir::WalkDir::new(&path).into_iter().filter_map(Result::ok) {
                    if let Ok(rel) = entry.path().strip_prefix(&self.root) {
                        let rel = rel.to_path_buf();
                        self.load_page(&rel);
                    }
                }
            } else {
                self.load_page(relative);
            }
        } else if let Ok(in_static) = relative.strip_prefix("static") {
            let key = in_static.to_string_lossy().replace('\\', "/");
            self.statics
                .retain(|k, _| !key.is_empty() && k != &key && !k.starts_with(&format!("{key}/")));
            for entry in walkdir::WalkDir::new(&path).into_iter().filter_map(Result::ok) {
                let Ok(relative) = entry.path().strip_prefix(self.root.join("static")) else {
                    continue;
                };
                if let (true, Ok(bytes)) =
                    (entry.file_type().is_file(), std::fs::read(entry.path()))
                {
                    self.statics
                        .insert(relative.to_string_lossy().replace('\\', "/"), Arc::from(bytes));
                }
            }
        }
    }

    fn load_page(&mut self, relative: &Path) {
        if relative.extension().is_none_or(|ext| ext != "md") {
            return;
        }
        if let Ok(text) = std::fs::read_to_string(self.root.join(relative)) {
            self.pages.insert(relative.to_path_buf(), parse(relative, &text));
        }
    }

    fn render_page(&self, page: &Page) -> Arc<[u8]> {
        let html = format!(
            "<!doctype html><html><head><title>{t}</title><link rel=\"stylesheet\" href=\"{base}style.css\"></head>\
             <body><h1>{t}</h1><p id=\"body\">{b}</p></body></html>\n",
            t = page.title,
            b = page.body,
            base = self.base
        );
        Arc::from(html.into_bytes())
    }

    fn render_index(&self) -> Arc<[u8]> {
        let mut listing = String::new();
        for page in self.pages.values().flatten() {
            listing.push_str(&format!(
                "<li><a href=\"{}{}/\">{}</a></li>",
                self.base, page.slug, page.title
            ));
        }
        let index = format!(
            "<!doctype html><html><head><title>Index</title></head><body><ul>{listing}</ul></body></html>\n"
        );
        Arc::from(index.into_bytes())
    }

    fn rebuild(&mut self, paths: &[PathBuf]) -> galley::Result<Delta> {
        let relatives: Vec<PathBuf> = if paths.is_empty() {
            self.pages.clear();
            self.statics.clear();
            vec![PathBuf::from("content"), PathBuf::from("static")]
        } else {
            paths
                .iter()
                .filter_map(|p| p.strip_prefix(&self.root).ok())
                .map(Path::to_path_buf)
                .collect()
        };
        // Only the pages a change touches are rendered again, as the real engine does.
        let mut touched = self.slugs_under(&relatives);
        for relative in &relatives {
            self.load(relative);
        }
        touched.extend(self.slugs_under(&relatives));
        let errors: Vec<Error> = self
            .pages
            .values()
            .filter_map(|p| p.as_ref().err())
            .cloned()
            .map(Error::from)
            .collect();
        if !errors.is_empty() {
            return Err(Error::many(errors));
        }
        let mut fresh = if paths.is_empty() { BTreeMap::new() } else { self.outputs.clone() };
        let mut keys: Vec<String> = vec!["index.html".into()];
        for slug in &touched {
            let key = format!("{slug}/index.html");
            fresh.remove(&key);
            keys.push(key);
        }
        for page in self.pages.values().flatten() {
            if paths.is_empty() || touched.contains(&page.slug) {
                fresh.insert(format!("{}/index.html", page.slug), self.render_page(page));
            }
        }
        fresh.insert("index.html".into(), self.render_index());
        fresh.retain(|key, _| key.ends_with("index.html"));
        for (key, bytes) in &self.statics {
            fresh.insert(key.clone(), Arc::clone(bytes));
        }
        keys.extend(self.statics.keys().cloned());
        keys.extend(self.outputs.keys().filter(|k| !k.ends_with("index.html")).cloned());
        if paths.is_empty() {
            keys.extend(fresh.keys().cloned());
            keys.extend(self.outputs.keys().cloned());
        }
        let mut delta = Delta::new();
        for key in keys {
            match (self.outputs.get(&key), fresh.get(&key)) {
                (old, Some(new)) if old != Some(new) => {
                    delta.insert(key, Some(Arc::clone(new)));
                }
                (Some(_), None) => {
                    delta.insert(key, None);
                }
                _ => {}
            }
        }
        self.outputs = fresh;
        Ok(delta)
    }

    fn slugs_under(&self, relatives: &[PathBuf]) -> Vec<String> {
        self.pages
            .iter()
            .filter(|(path, _)| relatives.iter().any(|r| path.starts_with(r)))
            .filter_map(|(_, page)| page.as_ref().ok().map(|p| p.slug.clone()))
            .collect()
    }
}

/// `---` / `key: value` lines / `---` / body. Errors name the file's own line.
fn parse(relative: &Path, text: &str) -> Result<Page, Diagnostic> {
    let mut lines = text.lines().enumerate();
    if lines.next().map(|(_, l)| l) != Some("---") {
        return Err(Diagnostic::at(
            relative,
            Location::line(1),
            "expected `---` to open the front matter",
        ));
    }
    let mut title = None;
    let mut closed = false;
    for (index, line) in lines.by_ref() {
        if line == "---" {
            closed = true;
            break;
        }
        match line.split_once(": ") {
            Some(("title", value)) => title = Some(value.to_string()),
            Some(_) => {}
            None => {
                return Err(Diagnostic::at(
                    relative,
                    Location::line(index + 1),
                    "expected `key: value`",
                )
                .with_source(text));
            }
        }
    }
    if !closed {
        return Err(Diagnostic::at(
            relative,
            Location::line(1),
            "the front matter is never closed",
        ));
    }
    let body: Vec<&str> = lines.map(|(_, l)| l).collect();
    let slug = relative.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Page {
        slug,
        title: title.ok_or_else(|| Diagnostic::new(relative, "no title"))?,
        body: body.join("\n").trim().to_string(),
    })
}

impl SiteBuilder for FakeSite {
    fn update(&mut self, paths: &[PathBuf]) -> galley::Result<Delta> {
        self.calls.lock().unwrap().push(paths.to_vec());
        let started = std::time::Instant::now();
        let result = self.rebuild(paths);
        self.durations.lock().unwrap().push(started.elapsed());
        result
    }

    /// Import keeps hand edits: a content file without the `imported: yes` line is left alone.
    fn import_sources(&mut self, paths: &[PathBuf]) -> galley::Result<Vec<PathBuf>> {
        let mut kept = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let stem =
                path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let target = self.root.join("content").join(format!("{stem}.md"));
            if let Ok(existing) = std::fs::read_to_string(&target)
                && !existing.contains("\nimported: yes\n")
            {
                kept.push(target);
                continue;
            }
            let mut lines = text.lines();
            let title = lines.next().unwrap_or("Untitled");
            let body: Vec<&str> = lines.collect();
            let markdown =
                format!("---\ntitle: {title}\nimported: yes\n---\n{}\n", body.join("\n"));
            std::fs::write(&target, markdown).map_err(|e| Error::io(&target, e))?;
        }
        Ok(kept)
    }

    fn root(&self) -> &Path {
        &self.root
    }

    fn base_path(&self) -> String {
        self.base.clone()
    }

    fn output_dir(&self) -> PathBuf {
        self.root.join("public")
    }
}
