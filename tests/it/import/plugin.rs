//! A user's importer, the one `examples/jsonl_importer.rs` ships: it claims
//! its files ahead of the built-in saved-text importer, a file of many
//! articles imports to many files, and a re-import finds each again.

#[path = "../../../examples/jsonl_importer.rs"]
mod jsonl_importer;

use super::{read_article, site};
use galley::config::ImportConfig;
use galley::import::{Registry, one_line};
use jsonl_importer::{JsonLinesImporter, run};
use std::path::Path;
use tempfile::TempDir;

const EXPORT: &str = r#"{"id": "a1", "title": "Letters", "date": "2023-03-02", "authors": ["Ana Lima"], "body": ["The first letter.", "Its second paragraph."]}
{"id": "a2", "title": "Letters", "date": "2023-03-09", "body": ["Another letter."], "tags": ["ports"]}

{"title": "Tides of change", "date": "2023-03-14", "publication": "The Harbour Review", "body": ["1973. A year to remember."]}
"#;

#[test]
fn a_registered_importer_claims_its_files_before_saved_text() {
    let mut registry = Registry::with_builtin(&ImportConfig::default());
    registry.register(Box::new(JsonLinesImporter));
    let find = |name: &str, text: &str| registry.find(Path::new(name), text).map(|i| i.name());
    assert_eq!(find("export.jsonl", EXPORT), Some("JSON Lines"));
    // A `.txt` file holding JSON Lines: saved text would read it too, but asks last.
    assert_eq!(find("export.txt", EXPORT), Some("JSON Lines"));
    assert_eq!(find("page.txt", "The Harbour Review\nA title\n"), Some("saved text"));
    assert!(registry.collects(Path::new("x/export.JSONL")));
    assert!(registry.collects(Path::new("x/page.txt")));
    assert!(!registry.collects(Path::new("x/notes.md")));
}

#[test]
fn the_example_importer_imports_an_export_and_finds_each_article_again() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    std::fs::write(inbox.path().join("export.jsonl"), EXPORT).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/01-harbour-tides.txt"),
        inbox.path().join("saved.txt"),
    )
    .unwrap();
    std::fs::write(inbox.path().join("ignored.md"), "not collected").unwrap();
    let inputs = [inbox.path().to_path_buf()];
    let report = run(dir.path(), &inputs).unwrap();
    assert!(
        report.failed.is_empty(),
        "{:?}",
        report.failed.iter().map(one_line).collect::<Vec<_>>()
    );
    assert_eq!(report.written.len(), 4, "{}", report.summary());

    let month = dir.path().join("content/articles/2023/03");
    let (first, body) = read_article(&month.join("letters.md"));
    assert_eq!(first.source.unwrap().file, "export.jsonl#a1");
    assert_eq!(first.authors, ["Ana Lima"]);
    assert!(body.contains("The first letter."));
    let (second, _) = read_article(&month.join("letters-2.md"));
    assert_eq!(second.source.unwrap().file, "export.jsonl#a2");
    assert_eq!(second.slug, None, "the file name gives the address");
    let (third, body) = read_article(&month.join("tides-of-change.md"));
    assert_eq!(third.source.unwrap().file, "export.jsonl#L4");
    assert!(body.contains("1973\\. A year"), "{body}");
    // The saved page beside the export went to the saved-text importer.
    assert!(month.join("tides-of-change-2.md").is_file());

    // Again: nothing new. Then one record changes: only its article is rewritten.
    let report = run(dir.path(), &inputs).unwrap();
    assert!(report.written.is_empty() && report.stubs.is_empty(), "{}", report.summary());
    let changed = EXPORT.replace("Another letter.", "Another letter, amended.");
    std::fs::write(inbox.path().join("export.jsonl"), changed).unwrap();
    let report = run(dir.path(), &inputs).unwrap();
    assert_eq!(report.written, [month.join("letters-2.md")], "{}", report.summary());
    assert!(report.kept.is_empty() && report.unrecorded.is_empty(), "{}", report.summary());
}

#[test]
fn a_bad_record_is_refused_naming_its_line() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let export = inbox.path().join("export.jsonl");
    std::fs::write(&export, format!("{EXPORT}{{\"title\": \"No date\", \"body\": [\"x\"]}}\n"))
        .unwrap();
    let report = run(dir.path(), std::slice::from_ref(&export)).unwrap();
    let errors: Vec<String> = report.failed.iter().map(one_line).collect();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with(&format!("{}:5: missing field `date`", export.display())),
        "{errors:?}"
    );
    assert!(report.written.is_empty());
}

/// `galley serve` re-imports a saved page through the importers it was given,
/// as `galley import` does: here a `.txt` file holding JSON Lines.
#[test]
fn serve_re_imports_through_the_importers_it_was_given() {
    use galley::serve::{SiteBuilder, SiteEngine};
    let dir = site();
    let sources = dir.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    let saved = sources.join("export.txt");
    std::fs::write(&saved, EXPORT).unwrap();
    let mut registry = Registry::with_builtin(&ImportConfig::default());
    registry.register(Box::new(JsonLinesImporter));
    let mut engine = SiteEngine::new(dir.path(), galley::pipeline::BuildOptions::default())
        .with_importers(registry);
    let kept = engine.import_sources(std::slice::from_ref(&saved)).unwrap();
    assert!(kept.is_empty());
    let (first, _) = read_article(&dir.path().join("content/articles/2023/03/letters.md"));
    assert_eq!(first.source.unwrap().file, "sources/export.txt#a1");

    // The built-in importers alone read the same file as one saved page, and refuse it.
    let mut plain = SiteEngine::new(dir.path(), galley::pipeline::BuildOptions::default());
    assert!(plain.import_sources(&[saved]).is_err());
}
