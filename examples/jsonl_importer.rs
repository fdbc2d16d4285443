//! A custom importer: articles exported as JSON Lines, one object a line.
//!
//!   cargo run --example jsonl_importer -- SITE_ROOT export.jsonl [MORE...]
//!
//! ```text
//! {"id": "a1", "title": "Tides of change", "date": "2023-03-14", "authors": ["Ana Lima"], "body": ["First paragraph.", "Second."]}
//! ```
//! Keys: `title`, `date` (`YYYY-MM-DD`) and `body` (a list of paragraphs)
//! are required; `id`, `authors`, `publication`, `standfirst`, `tags` are
//! optional. Each article's `source.file` is `export.jsonl#ID` (the `id`,
//! else `L` and the line number), so importing the export again finds every
//! article's file.
//!
//! Writing an importer takes three steps: implement [`Importer`] (`sniff`
//! to claim files, `parse_all` for a file of many articles, `extensions`
//! for the files `galley import DIR` collects), register it beside the
//! built-in ones, and import through [`import_paths_with`]. Its default
//! priority (0) is above the saved-text importer's, so it claims a `.txt`
//! file that holds JSON Lines before saved text would try to read it.

use galley::config::ImportConfig;
use galley::content::FrontMatter;
use galley::import::{
    ImportOptions, ImportReport, ImportedArticle, Importer, Part, Registry, import_paths_with,
    one_line,
};
use galley::{Diagnostic, Location};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reads JSON Lines exports.
pub struct JsonLinesImporter;

/// One line of an export.
#[derive(Deserialize)]
struct Record {
    id: Option<String>,
    title: String,
    date: String,
    #[serde(default)]
    authors: Vec<String>,
    publication: Option<String>,
    standfirst: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    body: Vec<String>,
}

impl Importer for JsonLinesImporter {
    fn name(&self) -> &'static str {
        "JSON Lines"
    }

    /// `.jsonl` and `.ndjson` files, and any other file whose first
    /// non-blank character opens a JSON object.
    fn sniff(&self, path: &Path, text: &str) -> bool {
        let by_name = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| self.extensions().iter().any(|x| x.eq_ignore_ascii_case(e)));
        by_name || text.trim_start().starts_with('{')
    }

    fn extensions(&self) -> &[&str] {
        &["jsonl", "ndjson"]
    }

    fn parse(&self, path: &Path, text: &str) -> Result<ImportedArticle, Diagnostic> {
        let mut parts = self.parse_all(path, text)?;
        match parts.len() {
            1 => Ok(parts.remove(0).article),
            n => {
                Err(Diagnostic::at(path, Location::line(1), format!("{n} articles; expected one")))
            }
        }
    }

    fn parse_all(&self, path: &Path, text: &str) -> Result<Vec<Part>, Diagnostic> {
        let mut parts = Vec::new();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let number = index + 1;
            let error = |message: String| Diagnostic::at(path, Location::line(number), message);
            let record: Record = serde_json::from_str(line).map_err(|e| {
                error(format!("{e}; expected one article as a JSON object on this line"))
            })?;
            let date = match galley::import::saved_text::parse_date(&record.date) {
                Some(Ok(date)) => date,
                _ => {
                    return Err(error(format!(
                        "`{}` is not a date; expected YYYY-MM-DD",
                        record.date
                    )));
                }
            };
            if record.body.is_empty() {
                return Err(error("an empty `body`; expected a list of paragraphs".to_string()));
            }
            let front_matter = FrontMatter {
                title: record.title,
                date,
                authors: record.authors,
                publication: record.publication,
                standfirst: record.standfirst,
                image: None,
                tags: record.tags,
                series: None,
                author_bio: None,
                rights: None,
                related: Vec::new(),
                source: None,
                slug: None,
                aliases: Vec::new(),
                draft: false,
                stub: false,
                extra: Default::default(),
            };
            let article = ImportedArticle {
                front_matter,
                body: record.body,
                body_is_markdown: false,
                assets: Vec::new(),
                warnings: Vec::new(),
                title_line: number,
            };
            let id = record.id.unwrap_or_else(|| format!("L{number}"));
            parts.push(Part { id: Some(id), record: Some(line.to_string()), article });
        }
        Ok(parts)
    }
}

/// Imports `inputs` into the site at `root` with the built-in importers and
/// this one.
pub fn run(root: &Path, inputs: &[PathBuf]) -> galley::Result<ImportReport> {
    let config = ImportConfig::default();
    let mut registry = Registry::with_builtin(&config);
    registry.register(Box::new(JsonLinesImporter));
    import_paths_with(&registry, &config, root, inputs, &ImportOptions::default())
}

#[allow(dead_code)]
fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(root), inputs) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: jsonl_importer SITE_ROOT FILE_OR_DIR...");
        return ExitCode::FAILURE;
    };
    match run(&root, &inputs) {
        Ok(report) => {
            for diagnostic in &report.failed {
                eprintln!("error: {}", one_line(diagnostic));
            }
            println!("{}", report.summary());
            if report.succeeded() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
