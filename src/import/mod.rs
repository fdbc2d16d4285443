//! Import: saved article pages become Markdown files with front matter.
//!
//! Importers are plugins: each implements [`Importer`] (`sniff` says whether
//! it reads a file, `parse` turns the file's text into an [`ImportedArticle`],
//! `parse_all` into several when one file holds many) and a [`Registry`]
//! asks the one with the highest [`Importer::priority`] among those that
//! sniff a file. The saved-text format is the built-in member, asked last
//! because it reads any text; a user's importer registered after it still
//! claims its files first (see `examples/jsonl_importer.rs`). [`import_paths`] reads and parses files in parallel,
//! then decides file by file what to write (see [`write`]), so a second
//! import of the same page writes nothing and hand edits are never lost.

pub mod by_url;
pub mod escape;
pub mod html;
pub(crate) mod names;
mod report;
pub mod saved_text;
mod site_links;
mod stubs;
pub mod write;

pub use html::HtmlImporter;
pub use report::ImportReport;
pub use saved_text::SavedTextImporter;

use crate::config::{CONFIG_FILE, ImportConfig, SiteConfig};
use crate::content::{FrontMatter, SourceRef};
use crate::error::{Diagnostic, Error, Location, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What an importer makes of one saved page.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedArticle {
    /// The front matter; `source` is filled in by [`import_paths`].
    pub front_matter: FrontMatter,
    /// The body's paragraphs as plain text (not yet escaped for Markdown),
    /// or as Markdown when `body_is_markdown`.
    pub body: Vec<String>,
    /// Whether `body` holds Markdown blocks already (an HTML page's
    /// converted content), written as they are.
    pub body_is_markdown: bool,
    /// Files the body refers to by name (images saved with the page),
    /// written once beside the article.
    pub assets: Vec<Asset>,
    /// Problems that cost a field but not the article (a teaser's
    /// impossible date), each naming the page's line.
    pub warnings: Vec<Diagnostic>,
    /// The line of the page the headline is on (1 when unknown), named by
    /// messages about the article's file.
    pub title_line: usize,
}

/// A file saved with a page that its article uses: written beside the
/// article as `name`, which is derived from the bytes' digest, so the same
/// image is written once however many articles use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The file name (`<sha256 prefix>.<extension>`).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A reader of one saved-page format.
pub trait Importer: Send + Sync {
    /// A short name for messages (`saved text`).
    fn name(&self) -> &'static str;
    /// Whether this importer reads `text` (decoded, byte-order mark removed).
    fn sniff(&self, path: &Path, text: &str) -> bool;
    /// Reads the page; errors name `path` and the line.
    fn parse(&self, path: &Path, text: &str) -> Result<ImportedArticle, Diagnostic>;
    /// Reads a file that may hold several articles (an export), each with
    /// the name that tells it apart within the file ([`Part`]). The
    /// default reads one article with [`Importer::parse`].
    fn parse_all(&self, path: &Path, text: &str) -> Result<Vec<Part>, Diagnostic> {
        Ok(vec![Part { id: None, record: None, article: self.parse(path, text)? }])
    }
    /// Whether this importer reads the file's raw bytes. The default
    /// decodes them as UTF-8 text (see [`decode`]) and asks
    /// [`Importer::sniff`]; a format with its own encodings (HTML,
    /// compressed saves) looks at the bytes itself.
    fn sniff_bytes(&self, path: &Path, bytes: &[u8]) -> bool {
        decode(path, bytes).is_ok_and(|text| self.sniff(path, text))
    }
    /// Reads the file's raw bytes. The default decodes them (see
    /// [`decode`]) and calls [`Importer::parse_all`].
    fn parse_all_bytes(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Part>, Diagnostic> {
        self.parse_all(path, decode(path, bytes)?)
    }
    /// Which importer a file goes to when several sniff it: the highest
    /// priority, then the first registered. Importers that read only their
    /// own format keep the default, 0; the saved-text importer, which reads
    /// any text, is asked last.
    fn priority(&self) -> i32 {
        0
    }
    /// File extensions (without the dot, compared without case; `html.gz`
    /// matches a name's last two) that `galley import DIR` collects for
    /// this importer.
    fn extensions(&self) -> &[&str] {
        &["txt"]
    }
}

/// One article of a file, and the name that tells it apart from the
/// file's other articles (`None` when the file holds one article).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The record's name within its file (an id, or a line number); it is
    /// written into `source.file` as `FILE#ID`, so a re-import of the file
    /// finds each article again.
    pub id: Option<String>,
    /// The record's own text, whose SHA-256 becomes `source.sha256`, so a
    /// change to one record of a file changes only its article (`None`: the
    /// whole file's digest, with the id).
    pub record: Option<String>,
    /// The article.
    pub article: ImportedArticle,
}

/// The importers galley knows.
#[derive(Default)]
pub struct Registry {
    importers: Vec<Box<dyn Importer>>,
}

impl Registry {
    /// The built-in importers, configured by the site's `import:` settings.
    pub fn with_builtin(config: &ImportConfig) -> Self {
        let mut registry = Registry::default();
        registry.register(Box::new(SavedTextImporter::new(config)));
        registry.register(Box::new(HtmlImporter));
        registry
    }

    /// Adds an importer. Which importer reads a file depends on
    /// [`Importer::priority`], not on the order of registration (which only
    /// breaks ties).
    pub fn register(&mut self, importer: Box<dyn Importer>) {
        self.importers.push(importer);
    }

    /// The importer that reads this file: of those that sniff it, the one
    /// with the highest priority (the first registered among equals).
    pub fn find(&self, path: &Path, text: &str) -> Option<&dyn Importer> {
        let mut found: Option<&dyn Importer> = None;
        for importer in self.importers.iter().filter(|i| i.sniff(path, text)) {
            if found.is_none_or(|f| importer.priority() > f.priority()) {
                found = Some(importer.as_ref());
            }
        }
        found
    }

    /// [`Registry::find`] for a file's raw bytes, asking
    /// [`Importer::sniff_bytes`].
    pub fn find_bytes(&self, path: &Path, bytes: &[u8]) -> Option<&dyn Importer> {
        let mut found: Option<&dyn Importer> = None;
        for importer in self.importers.iter().filter(|i| i.sniff_bytes(path, bytes)) {
            if found.is_none_or(|f| importer.priority() > f.priority()) {
                found = Some(importer.as_ref());
            }
        }
        found
    }

    /// Whether some importer collects files with this path's extension.
    pub fn collects(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|e| e.to_str()) else { return false };
        let name = name.to_ascii_lowercase();
        self.importers.iter().any(|i| {
            i.extensions().iter().any(|e| {
                let e = e.to_ascii_lowercase();
                name.len() > e.len() + 1
                    && name.ends_with(&e)
                    && name.as_bytes()[name.len() - e.len() - 1] == b'.'
            })
        })
    }

    /// Decodes and parses one file's bytes holding one article.
    pub fn parse_bytes(&self, path: &Path, bytes: &[u8]) -> Result<ImportedArticle, Diagnostic> {
        let mut parts = self.parse_all_bytes(path, bytes)?;
        match parts.len() {
            1 => Ok(parts.remove(0).article),
            n => {
                Err(Diagnostic::at(path, Location::line(1), format!("{n} articles; expected one")))
            }
        }
    }

    /// Decodes and parses one file's bytes, however many articles it holds.
    pub fn parse_all_bytes(&self, path: &Path, bytes: &[u8]) -> Result<Vec<Part>, Diagnostic> {
        if let Some(importer) = self.find_bytes(path, bytes) {
            return importer.parse_all_bytes(path, bytes);
        }
        // No importer claims the bytes: say why the text cannot be read
        // (binary, not UTF-8) before saying that nobody reads it.
        let text = decode(path, bytes)?;
        Err(self.no_importer(path, text))
    }

    fn no_importer(&self, path: &Path, _text: &str) -> Diagnostic {
        let names: Vec<&str> = self.importers.iter().map(|i| i.name()).collect();
        let message = if names.is_empty() {
            "no importer is registered".to_string()
        } else {
            format!("no importer reads this file (asked: {})", names.join(", "))
        };
        Diagnostic::at(path, Location::line(1), message)
    }
}

/// Whether a file in `sources/` is a saved page the built-in importers
/// read (a saved text page or an HTML save), and not one of the files a
/// browser saved beside a page in its `<page>_files/` folder.
pub fn is_saved_page(path: &Path) -> bool {
    let in_files_folder = path.parent().is_some_and(|dir| {
        dir.components().any(|c| c.as_os_str().to_string_lossy().ends_with("_files"))
    });
    let registry = Registry {
        importers: vec![Box::new(SavedTextImporter::default()), Box::new(HtmlImporter)],
    };
    !in_files_folder && registry.collects(path)
}

/// How `galley import` behaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Overwrite files edited by hand, keeping a `.bak` beside each.
    pub force: bool,
    /// Decide everything, write nothing.
    pub dry_run: bool,
    /// Show a progress bar (drawn only when stderr is a terminal).
    pub progress: bool,
}

/// Checks that the bytes are UTF-8 text and drops a byte-order mark.
/// Windows-1252 is not transcoded: guessing an encoding could change text.
pub fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    let line_of = |at: usize| bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::at(path, Location::line(1), "UTF-16 text; expected UTF-8"));
    }
    if let Some(at) = bytes.iter().position(|b| b.is_ascii_control() && !b"\t\n\r\x0c".contains(b))
    {
        return Err(Diagnostic::at(
            path,
            Location::line(line_of(at)),
            format!("binary data (byte 0x{:02X}); expected a saved text page", bytes[at]),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Diagnostic::at(
            path,
            Location::line(line_of(at)),
            format!("invalid UTF-8 (byte 0x{:02X}); expected a page saved as UTF-8", bytes[at]),
        )
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// The one-line form of an import error: `PATH:LINE: message` (`PATH: message`
/// when no line applies).
/// The local date of the file's modification time: when a page that shows
/// no publication date was saved (both importers date such a page by it).
pub(crate) fn modified_on(path: &Path) -> Option<jiff::civil::Date> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    let timestamp = jiff::Timestamp::try_from(modified).ok()?;
    Some(timestamp.to_zoned(jiff::tz::TimeZone::system()).date())
}

pub fn one_line(diagnostic: &Diagnostic) -> String {
    match diagnostic.location {
        Some(loc) => format!("{}:{}: {}", diagnostic.path.display(), loc.line, diagnostic.message),
        None => format!("{}: {}", diagnostic.path.display(), diagnostic.message),
    }
}

/// A page read and parsed, ready for writing.
#[derive(Debug, Clone)]
pub(crate) struct ParsedPage {
    pub input: PathBuf,
    pub front_matter: FrontMatter,
    /// The file galley would write, rendered while parsing (in parallel);
    /// the body's paragraphs are dropped once rendered.
    pub text: String,
    /// The line of `input` the headline is on.
    pub title_line: usize,
    /// Files to write beside the article.
    pub assets: Vec<Asset>,
}

/// Imports files and directories (every `*.txt` under them) into
/// `root/content/`. Bad files are reported in the returned report and do not
/// stop the others; only an unreadable `site.yaml` is an `Err`.
pub fn import_paths(
    root: &Path,
    inputs: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportReport> {
    let config = if root.join(CONFIG_FILE).exists() {
        SiteConfig::load(root)?.import
    } else {
        ImportConfig::default()
    };
    import_paths_with(&Registry::with_builtin(&config), &config, root, inputs, options)
}

/// [`import_paths`] with a chosen set of importers.
pub fn import_paths_with(
    registry: &Registry,
    config: &ImportConfig,
    root: &Path,
    inputs: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let files = collect_files(registry, inputs, &mut report);
    let bar = progress_bar(options.progress, files.len());
    let root_abs = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let parsed: Vec<Result<ParsedFile, Diagnostic>> = files
        .par_iter()
        .map(|file| {
            let result = read_and_parse(registry, &root_abs, file);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    let mut pages = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok((parsed_pages, warnings)) => {
                pages.extend(parsed_pages);
                report.warnings.extend(warnings);
            }
            Err(diagnostic) => report.failed.push(diagnostic),
        }
    }
    write::write_pages(root, &pages, options, &config.series_prefixes, &mut report);
    report.sort();
    Ok(report)
}

fn progress_bar(wanted: bool, len: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages") {
        bar.set_style(style);
    }
    bar
}

/// An input file: the path as named (for messages) and its absolute path.
struct InputFile {
    shown: PathBuf,
    absolute: PathBuf,
}

/// The files named, directories expanded to the files some importer
/// collects (`*.txt` for saved text), sorted. Each directory is made
/// absolute once, not each of its files.
fn collect_files(
    registry: &Registry,
    inputs: &[PathBuf],
    report: &mut ImportReport,
) -> Vec<InputFile> {
    let mut files = Vec::new();
    for input in inputs {
        let absolute = match std::fs::canonicalize(input) {
            Ok(absolute) => absolute,
            Err(e) => {
                let message = if e.kind() == std::io::ErrorKind::NotFound {
                    "no such file or directory".to_string()
                } else {
                    e.to_string()
                };
                report.failed.push(Diagnostic::new(input, message));
                continue;
            }
        };
        if !absolute.is_dir() {
            files.push(InputFile { shown: input.clone(), absolute });
            continue;
        }
        for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
            match entry {
                Ok(entry) if entry.file_type().is_file() && registry.collects(entry.path()) => {
                    let inside = entry.path().strip_prefix(input).unwrap_or(entry.path());
                    let absolute = absolute.join(inside);
                    files.push(InputFile { shown: entry.into_path(), absolute });
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().unwrap_or(input).to_path_buf();
                    report.failed.push(Diagnostic::new(path, e.to_string()));
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.absolute.clone()));
    files
}

/// One file's articles, ready to write, and their warnings.
type ParsedFile = (Vec<ParsedPage>, Vec<Diagnostic>);

/// Reads and parses one file.
fn read_and_parse(
    registry: &Registry,
    root_abs: &Path,
    file: &InputFile,
) -> Result<ParsedFile, Diagnostic> {
    let shown = &file.shown;
    let bytes = std::fs::read(&file.absolute).map_err(|e| Diagnostic::new(shown, e.to_string()))?;
    let parts = registry.parse_all_bytes(shown, &bytes)?;
    let file_digest = Sha256::new_with_prefix(&bytes);
    let source = match file.absolute.strip_prefix(root_abs) {
        // Inside the site: relative to its root, with `/` on every system.
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        // Outside it: the file name alone, never a path of the importing
        // machine (which would differ on every machine that imports it).
        Err(_) => file
            .absolute
            .file_name()
            .map_or_else(|| shown.to_string_lossy(), |name| name.to_string_lossy())
            .into_owned(),
    };
    let mut pages = Vec::with_capacity(parts.len());
    let mut warnings = Vec::new();
    for Part { id, record, mut article } in parts {
        // One article of many: `FILE#ID`, and a digest of its record (or of
        // the file and the id), so each is told apart from its neighbours.
        let (file, sha256) = match (id, record) {
            (None, _) => (source.clone(), hex(&file_digest.clone().finalize())),
            (Some(id), Some(record)) => (format!("{source}#{id}"), hex(&Sha256::digest(record))),
            (Some(id), None) => {
                let digest = file_digest.clone().chain_update(b"#").chain_update(id.as_bytes());
                (format!("{source}#{id}"), hex(&digest.finalize()))
            }
        };
        // An importer that knows the page's address put it in `source.url`.
        // An importer that dated the page by its save says so in `source.undated`.
        let (page_url, undated) =
            article.front_matter.source.take().map_or((None, false), |s| (s.url, s.undated));
        article.front_matter.source =
            Some(SourceRef { url: page_url, file, sha256, written: None, undated });
        warnings.extend(names::drop_overlong_names(
            &mut article.front_matter,
            shown,
            article.title_line,
        ));
        let text = write::seal(if article.body_is_markdown {
            write::render_markdown_file(&article.front_matter, &article.body)
        } else {
            write::render_file(&article.front_matter, &article.body)
        });
        pages.push(ParsedPage {
            input: shown.clone(),
            front_matter: article.front_matter,
            text,
            title_line: article.title_line,
            assets: article.assets,
        });
        warnings.extend(article.warnings);
    }
    Ok((pages, warnings))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_accepts_bom_and_crlf() {
        let text = decode(Path::new("a.txt"), b"\xEF\xBB\xBFPub\r\nTitle\r\n").unwrap();
        assert_eq!(text, "Pub\r\nTitle\r\n");
    }

    #[test]
    fn decode_names_the_line_of_bad_bytes() {
        let err = decode(Path::new("a.txt"), b"Pub\nTitle\n\x93quoted\x94\n").unwrap_err();
        assert_eq!(
            one_line(&err),
            "a.txt:3: invalid UTF-8 (byte 0x93); expected a page saved as UTF-8"
        );
        let err = decode(Path::new("b.txt"), b"Pub\n\n\x00\x01binary").unwrap_err();
        assert_eq!(one_line(&err), "b.txt:3: binary data (byte 0x00); expected a saved text page");
        let err = decode(Path::new("c.txt"), b"\xFF\xFEP\x00").unwrap_err();
        assert_eq!(one_line(&err), "c.txt:1: UTF-16 text; expected UTF-8");
    }

    #[test]
    fn html_goes_to_the_html_importer_unless_named_txt() {
        let registry = Registry::with_builtin(&ImportConfig::default());
        let page = b"<!DOCTYPE html>\n<html><body>x</body></html>";
        assert_eq!(registry.find_bytes(Path::new("p"), page).map(|i| i.name()), Some("HTML"));
        assert_eq!(registry.find_bytes(Path::new("p.htm"), b"x").map(|i| i.name()), Some("HTML"));
        // A `.txt` file is a saved text page, which refuses markup.
        assert_eq!(
            registry.find_bytes(Path::new("p.txt"), page).map(|i| i.name()),
            Some("saved text")
        );
        let text = b"Pub\nTitle\nJun 3, 2016\n\nBody.";
        assert_eq!(
            registry.find_bytes(Path::new("p.txt"), text).map(|i| i.name()),
            Some("saved text")
        );
        assert!(registry.collects(Path::new("a/page.HTML.gz")));
        assert!(registry.collects(Path::new("page.mhtml")));
        assert!(!registry.collects(Path::new("archive.tar.gz")));
    }

    struct Fixed;
    impl Importer for Fixed {
        fn name(&self) -> &'static str {
            "fixed"
        }
        fn sniff(&self, path: &Path, _text: &str) -> bool {
            path.extension().is_some_and(|e| e == "fixed")
        }
        fn parse(&self, path: &Path, _text: &str) -> Result<ImportedArticle, Diagnostic> {
            Err(Diagnostic::at(path, Location::line(7), "fixed importer ran"))
        }
    }

    #[test]
    fn registry_asks_the_highest_priority_importer_that_sniffs() {
        // Registered after the built-in saved-text importer, which reads any
        // text, a format's own importer still claims its files.
        let mut registry = Registry::with_builtin(&ImportConfig::default());
        registry.register(Box::new(Fixed));
        let err = registry.parse_bytes(Path::new("x.fixed"), b"anything").unwrap_err();
        assert_eq!(err.message, "fixed importer ran");
        assert_eq!(registry.find(Path::new("x.txt"), "Pub").map(|i| i.name()), Some("saved text"));
        let empty = Registry::default();
        let err = empty.parse_bytes(Path::new("x.txt"), b"Pub").unwrap_err();
        assert_eq!(one_line(&err), "x.txt:1: no importer is registered");
    }
}
