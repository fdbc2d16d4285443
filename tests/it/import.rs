//! `galley import`: the binary on the seed page, the fixture pages and bad
//! inputs, the write rules (unchanged, stub, upgrade, kept, --force), and a
//! round trip of body text through Markdown.

use assert_cmd::Command;
use galley::content::FrontMatter;
use galley::import::{Importer, SavedTextImporter, write::render_file};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod cases;
mod fuzz;
mod html;
mod identity;
mod mutations;
mod plugin;
mod roundtrip;
mod whole_page;
mod whole_page_dates;
mod whole_page_header;
mod whole_page_shapes;
mod whole_page_teasers;

/// The real saved page the project was specified from.
pub(crate) fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/000_ec387abb70685b0e.txt")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages")
}

/// A scratch site with the example site's `site.yaml`.
fn site() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"),
        dir.path().join("site.yaml"),
    )
    .unwrap();
    dir
}

fn galley(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_galley"));
    cmd.arg("--root").arg(root);
    cmd
}

/// Runs `galley import`, returning (exit code, stdout, stderr).
fn import(root: &Path, args: &[&Path]) -> (i32, String, String) {
    let out = galley(root).arg("import").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Splits a written file into front matter and body, checking the layout.
fn read_article(path: &Path) -> (FrontMatter, String) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rest = text.strip_prefix("---\n").expect("file starts with ---");
    let end = rest.find("\n---\n").expect("front matter closes with ---") + 1;
    let front_matter: FrontMatter = galley::yaml::parse(&rest[..end], path, 2).unwrap();
    (front_matter, rest[end + 4..].to_string())
}

/// The visible text of rendered Markdown, one string per paragraph. Any
/// other block or inline markup shows up as a marker, so it cannot pass.
pub(crate) fn visible_paragraphs(markdown: &str, options: Options) -> Vec<String> {
    let mut paragraphs = Vec::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Paragraph) => paragraphs.push(String::new()),
            Event::End(TagEnd::Paragraph) => {}
            Event::Text(text) => match paragraphs.last_mut() {
                Some(p) => p.push_str(&text),
                None => paragraphs.push(format!("<text outside a paragraph: {text}>")),
            },
            other => paragraphs.push(format!("<markup: {other:?}>")),
        }
    }
    paragraphs
}

fn body_paragraphs(body: &str) -> Vec<String> {
    visible_paragraphs(body, Options::empty())
}

#[test]
fn seed_page_imports_exactly() {
    let dir = site();
    let (code, stdout, stderr) = import(dir.path(), &[&seed_path()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.trim(),
        "1 written, 6 stubs, 0 upgraded, 0 unchanged, 0 kept (edited), 0 failed, 0 warnings"
    );
    let articles = dir.path().join("content/articles");
    let (fm, body) = read_article(&articles.join("2019/06/khameneis-calculations.md"));
    assert_eq!(fm.title, "Khamenei’s calculations");
    assert_eq!(fm.date.to_string(), "2019-06-28");
    assert_eq!(fm.authors, ["Mehdi Khalaji"]);
    assert_eq!(fm.publication.as_deref(), Some("Australia/Israel Review"));
    assert_eq!(
        fm.standfirst.as_deref(),
        Some("Khamenei sees an expansionist posture as important to keeping the regime afloat")
    );
    assert!(fm.tags.is_empty());
    assert_eq!(
        fm.author_bio.as_deref(),
        Some(
            "Mehdi Khalaji, a Shi’ite theologian by training, is the Libitzky Family Fellow at The \
             Washington Institute for Near East Policy specialising in Iranian politics."
        )
    );
    assert_eq!(
        fm.rights.as_deref(),
        Some("© Washington Institute, reprinted by permission, all rights reserved.")
    );
    assert!(!fm.stub);
    let source = fm.source.as_ref().unwrap();
    assert_eq!(source.sha256.len(), 64);
    let paragraphs = body_paragraphs(&body);
    assert_eq!(paragraphs.len(), 15);
    assert!(
        paragraphs[0]
            .starts_with("During nationally televised remarks on May 14, Iran’s Supreme Leader")
    );
    assert!(paragraphs[14].ends_with("taken in his country’s best interest."));
    // Every body paragraph is a line of the seed, normalised.
    let seed = std::fs::read_to_string(seed_path()).unwrap();
    for p in &paragraphs {
        assert!(seed.lines().any(|l| l.replace('\u{a0}', " ").trim() == p), "{p}");
    }

    let teasers: Vec<(&str, &str)> =
        fm.related.iter().map(|t| (t.title.as_str(), t.credit.as_deref().unwrap_or(""))).collect();
    assert_eq!(
        teasers,
        [
            ("Essay: Anti-Zionism unleashed", "Shutterstock"),
            ("Does the PA even want to govern Gaza?", "X/ Twitter"),
            ("The Last Word: Alone again, naturally?", "Shutterstock"),
            ("Israeli politics is feeling a draft", "Shutterstock"),
            ("Europe Europa: “A World of Hate and Fear”", "Shutterstock"),
            ("Deconstruction Zone: Israel and the “Forever War”", "Shutterstock"),
        ]
    );
    for t in &fm.related {
        assert_eq!(t.date.map(|d| d.to_string()).as_deref(), Some("2024-05-31"));
        assert_eq!(t.byline.as_deref(), Some("Australia/Israel Review"));
    }
    assert_eq!(
        fm.related[0].caption.as_deref(),
        Some(
            "Campus pro-Palestinian activists are at war not only with Israel’s existence, but with core parts of Jewish identity"
        )
    );
    assert_eq!(
        fm.related[5].caption.as_deref(),
        Some("The \"Forever War\" was declared by Hamas long before October 7")
    );

    let (stub, stub_body) =
        read_article(&articles.join("2024/05/the-last-word-alone-again-naturally.md"));
    assert!(stub.stub);
    assert_eq!(stub_body, "");
    assert_eq!(stub.series.as_deref(), Some("The Last Word"));
    assert_eq!(stub.publication.as_deref(), Some("Australia/Israel Review"));
    for slug in [
        "essay-anti-zionism-unleashed",
        "does-the-pa-even-want-to-govern-gaza",
        "israeli-politics-is-feeling-a-draft",
        "europe-europa-a-world-of-hate-and-fear",
        "deconstruction-zone-israel-and-the-forever-war",
    ] {
        assert!(read_article(&articles.join(format!("2024/05/{slug}.md"))).0.stub, "{slug}");
    }
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn second_import_writes_nothing() {
    let dir = site();
    assert_eq!(import(dir.path(), &[&seed_path(), &fixtures()]).0, 0);
    let before = snapshot(&dir.path().join("content"));
    let modified: Vec<_> =
        before.iter().map(|(p, _)| std::fs::metadata(p).unwrap().modified().unwrap()).collect();
    let (code, stdout, _) = import(dir.path(), &[&seed_path(), &fixtures()]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("0 written, 0 stubs, 0 upgraded, "), "{stdout}");
    assert!(stdout.contains(" 0 kept (edited), 0 failed, 0 warnings"), "{stdout}");
    assert_eq!(snapshot(&dir.path().join("content")), before);
    let after: Vec<_> =
        before.iter().map(|(p, _)| std::fs::metadata(p).unwrap().modified().unwrap()).collect();
    assert_eq!(after, modified, "files were rewritten");
}

#[test]
fn fixture_pages_import_and_load_back() {
    let dir = site();
    let (code, stdout, stderr) = import(dir.path(), &[&fixtures()]);
    assert_eq!(code, 0, "{stderr}");
    let pages = std::fs::read_dir(fixtures()).unwrap().count();
    assert!((8..=12).contains(&pages), "{pages} fixture pages");
    assert!(stdout.starts_with(&format!("{pages} written, ")), "{stdout}");
    let mut full = 0;
    for (path, _) in snapshot(&dir.path().join("content")) {
        let (fm, body) = read_article(&path);
        if fm.stub {
            assert!(body.is_empty());
            continue;
        }
        full += 1;
        assert!(!body_paragraphs(&body).is_empty(), "{}", path.display());
        for p in body_paragraphs(&body) {
            assert!(!p.starts_with("<markup"), "{}: {p}", path.display());
        }
    }
    assert_eq!(full, pages);
}

#[test]
fn bad_inputs_fail_with_path_and_line_and_write_nothing() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(inbox.path().join(name), bytes).unwrap();
    write("a-empty.txt", b"");
    write("b-binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    write("c-latin1.txt", b"Review\n\nCaf\xe9 society\n\nJun 28, 2019 | A B\n\nText.\n");
    write("d-page.txt", b"<!DOCTYPE html>\n<html><head><title>x</title></head></html>\n");
    write("e-nodate.txt", b"Review\n\nA headline\n\nA first paragraph.\n\nA second.\n");
    write("f-nobody.txt", b"Review\n\nA headline\n\nJun 28, 2019 | A B\n");
    write("g-baddate.txt", b"Review\n\nA headline\n\nFeb 30, 2019 | A B\n\nText.\n");
    write("ignored.md", b"not a txt file");
    let good = fixtures().join("01-harbour-tides.txt");
    std::fs::copy(&good, inbox.path().join("h-good.txt")).unwrap();

    let (code, stdout, stderr) = import(dir.path(), &[inbox.path()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.starts_with("1 written, "), "{stdout}");
    assert!(stdout.trim_end().ends_with("0 kept (edited), 7 failed, 0 warnings"), "{stdout}");
    let errors: Vec<&str> = stderr.lines().collect();
    let p = |name: &str| inbox.path().join(name).display().to_string();
    assert_eq!(
        errors,
        [
            format!(
                "error: {}:1: empty page; expected a saved article (publication, headline, date line, body)",
                p("a-empty.txt")
            ),
            format!(
                "error: {}:1: binary data (byte 0x7F); expected a saved text page",
                p("b-binary.txt")
            ),
            format!(
                "error: {}:3: invalid UTF-8 (byte 0xE9); expected a page saved as UTF-8",
                p("c-latin1.txt")
            ),
            format!(
                "error: {}:1: an HTML document; expected a saved text page (publication, headline, date line, body)",
                p("d-page.txt")
            ),
            format!(
                "error: {}:5: expected a date line like `Jun 28, 2019 | Author` below the headline `A headline`",
                p("e-nodate.txt")
            ),
            format!(
                "error: {}:5: expected the article's body (paragraphs of text) after this line",
                p("f-nobody.txt")
            ),
            format!(
                "error: {}:5: `Feb 30, 2019` is not a real date; expected the article's date",
                p("g-baddate.txt")
            ),
        ]
    );
    let written = snapshot(&dir.path().join("content"));
    assert!(written.iter().all(|(path, _)| !path.to_string_lossy().contains("headline")));
    assert!(written.iter().any(|(path, _)| path.ends_with("2023/03/tides-of-change.md")));
}

#[test]
fn missing_input_is_a_failure_not_a_panic() {
    let dir = site();
    let (code, stdout, stderr) = import(dir.path(), &[Path::new("/nonexistent/page.txt")]);
    assert_eq!(code, 1);
    assert_eq!(stderr.trim(), "error: /nonexistent/page.txt: no such file or directory");
    assert!(stdout.contains("1 failed"));
}

/// A page of `paragraphs` paragraphs of about 1 KB each.
fn big_page(paragraphs: usize) -> String {
    let mut page =
        String::from("The Harbour Review\n\nA very long report\n\nJan 5, 2024 | Ana Lima\n\n");
    let sentence = "The harbour board met again, and the minutes – “all 40 pages” – ran long; ";
    for i in 0..paragraphs {
        page.push_str(&format!("{i}. "));
        for _ in 0..13 {
            page.push_str(sentence);
        }
        page.push_str("end.\u{a0}\n\n");
    }
    page.push_str("Tags: ports");
    page
}

#[test]
fn ten_megabyte_page_imports_quickly() {
    let dir = site();
    let page = dir.path().join("big.txt");
    let text = big_page(10_500);
    assert!(text.len() > 10_000_000);
    std::fs::write(&page, &text).unwrap();
    let started = std::time::Instant::now();
    let (code, _, stderr) = import(dir.path(), &[&page]);
    let took = started.elapsed();
    assert_eq!(code, 0, "{stderr}");
    // A debug build on a shared 2-core machine; release takes well under a second.
    assert!(took.as_secs() < 20, "took {took:?}");
    let (_, body) =
        read_article(&dir.path().join("content/articles/2024/01/a-very-long-report.md"));
    let paragraphs = body_paragraphs(&body);
    assert_eq!(paragraphs.len(), 10_500);
    assert!(paragraphs[1973].starts_with("1973. The harbour board"));
}

/// A page whose only teaser points at `teaser_title`.
fn page_with_teaser(title: &str, date: &str, teaser_title: &str) -> String {
    format!(
        "The Harbour Review\n\n{title}\n\n{date} | Ana Lima\n\nA paragraph of the article.\n\n\
         Another paragraph.\n\nTags: ports\n\nA crane (Image: Jo Bloggs)\n\n{teaser_title}\n\n\
         Mar 1, 2023 | The Harbour Review"
    )
}

#[test]
fn stubs_are_upgraded_and_never_downgrade_an_article() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let b = inbox.path().join("b.txt");
    std::fs::write(&b, page_with_teaser("Page B", "Mar 2, 2023", "The crane question")).unwrap();
    let (code, stdout, _) = import(dir.path(), &[&b]);
    assert_eq!(
        (code, stdout.trim()),
        (0, "1 written, 1 stubs, 0 upgraded, 0 unchanged, 0 kept (edited), 0 failed, 0 warnings")
    );
    let crane = dir.path().join("content/articles/2023/03/the-crane-question.md");
    assert!(read_article(&crane).0.stub);

    let a = inbox.path().join("a.txt");
    std::fs::write(&a, page_with_teaser("The crane question", "Mar 1, 2023", "Page B")).unwrap();
    let (code, stdout, _) = import(dir.path(), &[&a]);
    assert_eq!(
        (code, stdout.trim()),
        (0, "0 written, 0 stubs, 1 upgraded, 1 unchanged, 0 kept (edited), 0 failed, 0 warnings")
    );
    let (fm, body) = read_article(&crane);
    assert!(!fm.stub);
    assert_eq!(body_paragraphs(&body), ["A paragraph of the article.", "Another paragraph."]);

    // B's teaser for the crane article must not turn it back into a stub.
    let full = std::fs::read(&crane).unwrap();
    let (code, stdout, _) = import(dir.path(), &[&b]);
    assert_eq!(
        (code, stdout.trim()),
        (0, "0 written, 0 stubs, 0 upgraded, 2 unchanged, 0 kept (edited), 0 failed, 0 warnings")
    );
    assert_eq!(std::fs::read(&crane).unwrap(), full);
}

#[test]
fn hand_edits_are_kept_unless_forced_with_a_backup() {
    let dir = site();
    let page = fixtures().join("01-harbour-tides.txt");
    assert_eq!(import(dir.path(), &[&page]).0, 0);
    let article = dir.path().join("content/articles/2023/03/tides-of-change.md");
    let original = std::fs::read_to_string(&article).unwrap();
    let edited = original.replace("Tides of change", "Tides of change (corrected)");
    std::fs::write(&article, &edited).unwrap();

    let (code, stdout, stderr) = import(dir.path(), &[&page]);
    assert_eq!(code, 0);
    assert!(stdout.contains("0 written") && stdout.contains("1 kept (edited)"), "{stdout}");
    assert!(stderr.contains("tides-of-change.md: edited by hand, left alone"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&article).unwrap(), edited);

    let (code, stdout, _) = galley(dir.path())
        .args(["import", "--dry-run", "--force"])
        .arg(&page)
        .output()
        .map(|o| (o.status.code(), String::from_utf8(o.stdout).unwrap(), ()))
        .unwrap();
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("dry run, nothing written: would be 1 written"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&article).unwrap(), edited);

    galley(dir.path()).args(["import", "--force"]).arg(&page).assert().success();
    assert_eq!(std::fs::read_to_string(&article).unwrap(), original);
    let backup = dir.path().join("content/articles/2023/03/tides-of-change.md.bak");
    assert_eq!(std::fs::read_to_string(backup).unwrap(), edited);
}

#[test]
fn same_page_from_another_path_is_unchanged() {
    let dir = site();
    let page = fixtures().join("01-harbour-tides.txt");
    assert_eq!(import(dir.path(), &[&page]).0, 0);
    let copy = dir.path().join("sources/tides.txt");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(&page, &copy).unwrap();
    let (code, stdout, _) = import(dir.path(), &[&copy]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("0 written, 0 stubs, 0 upgraded, "), "{stdout}");
    assert!(stdout.contains("0 kept"), "{stdout}");
}

#[test]
fn different_articles_with_one_slug_get_numbered_files() {
    let dir = site();
    let inbox = TempDir::new().unwrap();
    let first = inbox.path().join("1.txt");
    let second = inbox.path().join("2.txt");
    std::fs::write(&first, page_with_teaser("Letters", "Mar 2, 2023", "Elsewhere")).unwrap();
    std::fs::write(&second, page_with_teaser("Letters", "Mar 9, 2023", "Elsewhere")).unwrap();
    assert_eq!(import(dir.path(), &[inbox.path()]).0, 0);
    let month = dir.path().join("content/articles/2023/03");
    assert_eq!(read_article(&month.join("letters.md")).0.date.to_string(), "2023-03-02");
    assert_eq!(read_article(&month.join("letters-2.md")).0.date.to_string(), "2023-03-09");
    // Again: each lands on its own file, nothing new.
    let (_, stdout, _) = import(dir.path(), &[&second, &first]);
    assert!(stdout.starts_with("0 written, 0 stubs"), "{stdout}");
    assert!(!month.join("letters-3.md").exists());
}

#[test]
fn bom_and_crlf_import_like_plain_text() {
    let plain = std::fs::read_to_string(fixtures().join("01-harbour-tides.txt")).unwrap();
    let windows = format!("\u{feff}{}", plain.replace('\n', "\r\n"));
    let importer = SavedTextImporter::default();
    let a = importer.parse(Path::new("a.txt"), &plain).unwrap();
    let registry = galley::import::Registry::with_builtin(&Default::default());
    let b = registry.parse_bytes(Path::new("b.txt"), windows.as_bytes()).unwrap();
    assert_eq!(a, b);
}

#[test]
fn written_front_matter_loads_back_unchanged() {
    let importer = SavedTextImporter::default();
    let text = std::fs::read_to_string(seed_path()).unwrap();
    let article = importer.parse(Path::new("seed.txt"), &text).unwrap();
    let file = render_file(&article.front_matter, &article.body);
    let rest = file.strip_prefix("---\n").unwrap();
    let end = rest.find("\n---\n").unwrap() + 1;
    let loaded: FrontMatter = galley::yaml::parse(&rest[..end], Path::new("x.md"), 2).unwrap();
    assert_eq!(loaded, article.front_matter);
    assert_eq!(body_paragraphs(&rest[end + 4..]), article.body);
}
