//! Themes: template sources and static files, from disk or embedded in the binary.
//!
//! A theme is `themes/<name>/templates/**` plus `themes/<name>/static/**`. The
//! default theme is compiled into the binary by `build.rs`, so a site needs no
//! copy of it; a site's own `templates/` directory overrides the theme file by file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Where diagnostics say an embedded template lives: the user has no such file
/// on disk, so the name says it is built in.
const EMBEDDED_ORIGIN: &str = "<built-in default theme>";

/// One template: its name (`article.html`, `partials/pagination.html`), its
/// source, and the file it came from, which error messages name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSource {
    /// The name templates use in `extends`/`include`, with `/` separators.
    pub name: String,
    /// The template text.
    pub source: String,
    /// The file it was read from (or a description of the embedded theme).
    pub path: PathBuf,
}

/// Template sources and static files of one theme, with a site's overrides applied.
#[derive(Debug, Clone)]
pub struct Theme {
    templates: BTreeMap<String, TemplateSource>,
    static_files: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// `root/themes/<name>/` when that directory exists, else the embedded default
    /// when `name == "default"`, else an error naming the missing directory. Then the
    /// site's own `root/templates/*.html|xml` override the theme's files by name.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Error> {
        let theme_dir = root.join("themes").join(name);
        let mut theme = if theme_dir.is_dir() {
            Theme::from_directory(&theme_dir)?
        } else if name == "default" {
            Theme::embedded_default()
        } else {
            return Err(Diagnostic::new(
                theme_dir,
                format!("theme `{name}` not found: this directory does not exist"),
            )
            .into());
        };
        let overrides_dir = root.join("templates");
        if overrides_dir.is_dir() {
            for template in read_templates(&overrides_dir)? {
                theme.templates.insert(template.name.clone(), template);
            }
        }
        Ok(theme)
    }

    /// The default theme as compiled into the binary.
    pub fn embedded_default() -> Theme {
        let mut templates = BTreeMap::new();
        let mut static_files = Vec::new();
        for (path, bytes) in DEFAULT_THEME_FILES {
            if let Some(name) = path.strip_prefix("templates/") {
                // build.rs embeds the repository's own theme, whose templates are UTF-8;
                // lossy conversion keeps this infallible without hiding a problem that
                // the theme's tests would not already show.
                let source = String::from_utf8_lossy(bytes).into_owned();
                let path = Path::new(EMBEDDED_ORIGIN).join("templates").join(name);
                templates.insert(
                    name.to_string(),
                    TemplateSource { name: name.to_string(), source, path },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                static_files.push((name.to_string(), bytes.to_vec()));
            }
        }
        static_files.sort();
        Theme { templates, static_files }
    }

    fn from_directory(dir: &Path) -> Result<Theme, Error> {
        let templates_dir = dir.join("templates");
        let mut templates = BTreeMap::new();
        if templates_dir.is_dir() {
            for template in read_templates(&templates_dir)? {
                templates.insert(template.name.clone(), template);
            }
        }
        let static_dir = dir.join("static");
        let mut static_files = Vec::new();
        if static_dir.is_dir() {
            for (name, path) in walk_files(&static_dir)? {
                let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                static_files.push((name, bytes));
            }
        }
        static_files.sort();
        Ok(Theme { templates, static_files })
    }

    /// The templates, sorted by name.
    pub fn templates(&self) -> impl Iterator<Item = &TemplateSource> {
        self.templates.values()
    }

    /// One template by name.
    pub fn template(&self, name: &str) -> Option<&TemplateSource> {
        self.templates.get(name)
    }

    /// The theme's static files (path relative to `static/` with `/`, bytes), sorted.
    pub fn static_files(&self) -> &[(String, Vec<u8>)] {
        &self.static_files
    }

    /// Template names whose source `template` depends on through `extends`,
    /// `include` and component calls, transitively, itself included; sorted.
    /// `serve` re-renders only pages whose templates changed.
    pub fn template_dependencies(&self, template: &str) -> Vec<String> {
        let component_owners = self.component_owners();
        let mut seen = BTreeSet::new();
        let mut pending = vec![template.to_string()];
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(found) = self.templates.get(&name) else { continue };
            let references = scan_references(&found.source);
            pending.extend(references.templates);
            for component in references.components {
                if let Some(owner) = component_owners.get(component.as_str()) {
                    pending.push(owner.clone());
                }
            }
        }
        seen.into_iter().collect()
    }

    /// Component name → the template that defines it (Tera 2 components are global).
    fn component_owners(&self) -> BTreeMap<String, String> {
        let mut owners = BTreeMap::new();
        for template in self.templates.values() {
            for component in scan_references(&template.source).definitions {
                owners.insert(component, template.name.clone());
            }
        }
        owners
    }
}

/// Every `.html` and `.xml` file under `dir` as a template named by its relative path.
fn read_templates(dir: &Path) -> Result<Vec<TemplateSource>, Error> {
    let mut templates = Vec::new();
    for (name, path) in walk_files(dir)? {
        if !(name.ends_with(".html") || name.ends_with(".xml")) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        let source = String::from_utf8(bytes)
            .map_err(|_| Diagnostic::new(&path, "template is not valid UTF-8"))?;
        templates.push(TemplateSource { name, source, path });
    }
    Ok(templates)
}

/// Regular files under `dir`, as (relative path with `/`, full path), sorted.
fn walk_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else { continue };
        let parts: Option<Vec<&str>> =
            relative.components().map(|c| c.as_os_str().to_str()).collect();
        let Some(parts) = parts else {
            return Err(Diagnostic::new(entry.path(), "file name is not valid UTF-8").into());
        };
        files.push((parts.join("/"), entry.path().to_path_buf()));
    }
    files.sort();
    Ok(files)
}

/// What one template's source refers to.
#[derive(Debug, Default, PartialEq, Eq)]
struct References {
    /// Templates named by `{% extends "…" %}` and `{% include "…" %}`.
    templates: Vec<String>,
    /// Components called with `{{ <name … /> }}` or `{% <name> %}`.
    components: Vec<String>,
    /// Components defined with `{% component name(…) %}`.
    definitions: Vec<String>,
}

/// Finds the references in a template by looking at each tag's first word.
/// A scan rather than Tera's parser: Tera keeps the parsed structure private.
fn scan_references(source: &str) -> References {
    let mut references = References::default();
    let mut rest = source;
    while let Some(start) = rest.find(['{']) {
        let after = &rest[start + 1..];
        let (is_statement, body) = match after.chars().next() {
            Some('%') => (true, &after[1..]),
            Some('{') => (false, &after[1..]),
            _ => {
                rest = after;
                continue;
            }
        };
        let body = body.strip_prefix('-').unwrap_or(body).trim_start();
        if let Some(call) = body.strip_prefix('<') {
            if let Some(name) = leading_identifier(call) {
                references.components.push(name.to_string());
            }
        } else if is_statement {
            let keyword = leading_identifier(body).unwrap_or("");
            let argument = body[keyword.len()..].trim_start();
            match keyword {
                "extends" | "include" => {
                    if let Some(name) = quoted_string(argument) {
                        references.templates.push(name.to_string());
                    }
                }
                "component" => {
                    if let Some(name) = leading_identifier(argument) {
                        references.definitions.push(name.to_string());
                    }
                }
                _ => {}
            }
        }
        rest = body;
    }
    references
}

fn leading_identifier(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

fn quoted_string(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = &text[1..];
    inner.find(quote).map(|end| &inner[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_extends_includes_and_components() {
        let refs = scan_references(
            "{% extends \"base.html\" %}{%- include 'partials/list.html' -%}\
             {{ <byline authors={x}/> }}{% <card> %}b{% </card> %}\
             {% component toc(entries) %}{% endcomponent toc %}{{ a < b }}",
        );
        assert_eq!(refs.templates, ["base.html", "partials/list.html"]);
        assert_eq!(refs.components, ["byline", "card"]);
        assert_eq!(refs.definitions, ["toc"]);
    }

    #[test]
    fn embedded_table_holds_every_file_of_the_theme_directory() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<(String, Vec<u8>)> = walk_files(&dir)
            .unwrap()
            .into_iter()
            .map(|(name, path)| (name, std::fs::read(path).unwrap()))
            .collect();
        let embedded: Vec<(String, Vec<u8>)> =
            DEFAULT_THEME_FILES.iter().map(|(n, b)| (n.to_string(), b.to_vec())).collect();
        assert!(on_disk.len() >= 10, "the default theme has its templates and stylesheet");
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn embedded_default_splits_templates_and_static_files() {
        let theme = Theme::embedded_default();
        for name in [
            "base.html",
            "index.html",
            "article.html",
            "stub.html",
            "page.html",
            "archive.html",
            "taxonomy.html",
            "term.html",
            "404.html",
            "atom.xml",
            "sitemap.xml",
        ] {
            assert!(theme.template(name).is_some(), "missing {name}");
        }
        assert!(theme.static_files().iter().any(|(name, _)| name == "style.css"));
    }

    #[test]
    fn dependencies_follow_extends_includes_and_components() {
        let theme = Theme::embedded_default();
        let deps = theme.template_dependencies("index.html");
        assert!(deps.contains(&"index.html".to_string()));
        assert!(deps.contains(&"base.html".to_string()));
        assert!(deps.contains(&"partials/pagination.html".to_string()), "{deps:?}");
        assert!(!deps.contains(&"atom.xml".to_string()));
        assert_eq!(theme.template_dependencies("sitemap.xml"), ["sitemap.xml"]);
    }

    #[test]
    fn load_prefers_the_site_theme_directory_and_applies_overrides() {
        let root = tempfile::tempdir().unwrap();
        let theme_dir = root.path().join("themes/plain");
        std::fs::create_dir_all(theme_dir.join("templates")).unwrap();
        std::fs::create_dir_all(theme_dir.join("static/img")).unwrap();
        std::fs::write(theme_dir.join("templates/base.html"), "theme base").unwrap();
        std::fs::write(theme_dir.join("templates/index.html"), "theme index").unwrap();
        std::fs::write(theme_dir.join("static/img/logo.svg"), "<svg/>").unwrap();
        std::fs::create_dir_all(root.path().join("templates")).unwrap();
        std::fs::write(root.path().join("templates/index.html"), "site index").unwrap();
        std::fs::write(root.path().join("templates/notes.txt"), "not a template").unwrap();

        let theme = Theme::load(root.path(), "plain").unwrap();
        assert_eq!(theme.template("index.html").unwrap().source, "site index");
        assert_eq!(theme.template("base.html").unwrap().source, "theme base");
        assert!(theme.template("notes.txt").is_none());
        assert_eq!(theme.static_files(), [("img/logo.svg".to_string(), b"<svg/>".to_vec())]);

        let missing = Theme::load(root.path(), "nope").unwrap_err().to_string();
        assert!(missing.contains("themes/nope"), "{missing}");

        let default = Theme::load(root.path(), "default").unwrap();
        assert_eq!(default.template("index.html").unwrap().source, "site index");
        assert!(default.template("article.html").is_some());
    }
}
