//! A fuzz pass over the importer: thousands of saved pages mutated the ways
//! real dumps go wrong (lines lost, doubled, cut short, junk pasted in,
//! bytes flipped), imported in one run. Nothing may panic, every refusal and
//! warning names its page and line, and the site that results builds.

use galley::import::{ImportOptions, import_paths, one_line};
use galley::pipeline::{BuildOptions, build};
use std::path::{Path, PathBuf};

const MUTANTS: usize = 3_200;

/// A small deterministic generator (xorshift), so a failure reproduces.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Lines a mutation pastes in: shapes the parser gives meaning to, in the
/// wrong place, and plain junk.
const JUNK: &[&str] = &[
    "",
    "RELATED ARTICLES",
    "RECENT POSTS",
    "SORT BY TOPICS",
    "Tags: a, b",
    "Tags:",
    "Print edition",
    "Skip to content",
    "Jun 31, 2019 | Someone",
    "Feb 30, 2020",
    "Jan 5, 0999 | Old",
    "Mar 3, 2999 | Future",
    "| Analysis, Featured",
    "Image: Larkspur Images",
    "A caption (Image: Brightwell Stock)",
    "© Someone 2020. All rights reserved.",
    "Reprinted from elsewhere.",
    "Update from VCF",
    "06/16 #01",
    "IMG_4471",
    "By the numbers",
    "   \u{a0}  ",
    "<html>",
    "---",
    "# not a heading",
    "{{ page.title }}",
];

/// Every page the suite holds: generated cases, fixtures, the seed.
fn base_pages() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "txt") {
            pages.push(std::fs::read(entry.path()).unwrap());
        }
    }
    assert!(pages.len() > 300, "{} base pages", pages.len());
    pages
}

fn mutate(page: &[u8], random: &mut Random) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = page.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    for _ in 0..1 + random.below(4) {
        let at = random.below(lines.len());
        match random.below(6) {
            0 if lines.len() > 1 => {
                lines.remove(at);
            }
            1 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            2 => {
                // Cut short, possibly inside a multi-byte character.
                let keep = random.below(lines[at].len() + 1);
                lines[at].truncate(keep);
            }
            3 => {
                let junk = JUNK[random.below(JUNK.len())].as_bytes().to_vec();
                lines.insert(at, junk);
            }
            4 if !lines[at].is_empty() => {
                let byte = random.below(lines[at].len());
                lines[at][byte] ^= 1 << random.below(8);
            }
            _ => {
                // Two lines run together, as a mis-split dump has them.
                if at + 1 < lines.len() {
                    let next = lines.remove(at + 1);
                    lines[at].push(b' ');
                    lines[at].extend(next);
                }
            }
        }
    }
    lines.join(&b'\n')
}

/// A scratch directory on tmpfs when there is one: removing thousands of
/// files from a disk-backed directory took longer than the whole import.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::TempDir::new_in(shm) } else { tempfile::TempDir::new() };
    dir.unwrap()
}

#[test]
fn mutated_pages_never_panic_always_name_the_line_and_the_site_builds() {
    let pages = base_pages();
    let inbox = scratch();
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    for i in 0..MUTANTS {
        let base = &pages[random.below(pages.len())];
        std::fs::write(inbox.path().join(format!("{i:04}.txt")), mutate(base, &mut random))
            .unwrap();
    }
    let site = scratch();
    std::fs::write(site.path().join("site.yaml"), "title: Fuzzed archive\n").unwrap();
    let inputs = [inbox.path().to_path_buf()];
    let report = import_paths(site.path(), &inputs, &ImportOptions::default()).unwrap();

    for diagnostic in report.failed.iter().chain(&report.warnings) {
        let named: PathBuf = diagnostic.path.clone();
        assert!(
            named.starts_with(inbox.path()) && named.extension().is_some_and(|e| e == "txt"),
            "does not name the saved page: {}",
            one_line(diagnostic)
        );
        assert!(diagnostic.location.is_some(), "names no line: {}", one_line(diagnostic));
    }
    // Most mutations leave an importable page.
    assert!(report.written.len() > MUTANTS / 2, "{}", report.summary());
    assert!(report.kept.is_empty(), "{:?}", report.kept.first());

    let output = scratch();
    let options =
        BuildOptions { output: Some(output.path().join("public")), ..BuildOptions::default() };
    let built = build(site.path(), &options);
    if let Err(e) = &built {
        let errors: Vec<String> = e.flatten().iter().take(10).map(ToString::to_string).collect();
        panic!("the imported site does not build:\n{}", errors.join("\n"));
    }
}

/// Markup a mutation pastes into an HTML page: tags left open or closed
/// twice, scripts, comments, charsets, entities, links of every scheme.
const HTML_JUNK: &[&str] = &[
    "<div>",
    "</div></div></p>",
    "<table><tr><td>",
    "<script>document.write('<p>')</script>",
    "<!--",
    "<![CDATA[",
    "&#x0;&#xD800;&amp",
    "<meta charset=\"shift_jis\">",
    "<meta charset=\"utf-16\">",
    "<a href=\"javascript:alert(1)\" onclick=\"x()\">link</a>",
    "<img src=\"data:image/png;base64,!!!!\" data-src=\"\" srcset=\", ,\">",
    "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"0001-01-01\"",
    "<time datetime=\"2019-02-30\">",
    "<base href=\"::not a url\">",
    "<h1></h1><h2>",
    "\u{feff}",
    "------MultipartBoundary--abc123----\r\n",
];

fn mutate_html(page: &[u8], random: &mut Random) -> Vec<u8> {
    let mut bytes = page.to_vec();
    for _ in 0..1 + random.below(5) {
        let at = random.below(bytes.len());
        match random.below(5) {
            0 => {
                let end = (at + random.below(400)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let end = (at + random.below(400)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            2 | 3 => {
                let junk = HTML_JUNK[random.below(HTML_JUNK.len())].as_bytes();
                bytes.splice(at..at, junk.iter().copied());
            }
            _ if !bytes.is_empty() => bytes[at] ^= 1 << random.below(8),
            _ => {}
        }
    }
    bytes
}

#[test]
fn mutated_html_saves_never_panic_and_every_refusal_names_its_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            pages.push((name, std::fs::read(&path).unwrap()));
        }
    }
    pages.sort();
    assert!(pages.len() >= 8, "{} HTML fixtures", pages.len());
    let inbox = scratch();
    let mut random = Random(0x51F1_5E11_A3C4_0B07);
    for i in 0..400 {
        let (name, base) = &pages[random.below(pages.len())];
        let extension = name.split_once('.').map_or("html", |(_, e)| e);
        std::fs::write(
            inbox.path().join(format!("{i:04}.{extension}")),
            mutate_html(base, &mut random),
        )
        .unwrap();
    }
    let site = scratch();
    std::fs::write(site.path().join("site.yaml"), "title: Fuzzed HTML\n").unwrap();
    let report =
        import_paths(site.path(), &[inbox.path().to_path_buf()], &ImportOptions::default())
            .unwrap();
    for diagnostic in report.failed.iter().chain(&report.warnings) {
        assert!(diagnostic.path.starts_with(inbox.path()), "{}", one_line(diagnostic));
        assert!(diagnostic.location.is_some(), "names no line: {}", one_line(diagnostic));
    }
    let reasons: Vec<String> = report.failed.iter().take(40).map(one_line).collect();
    // A quarter of the fixtures are refused as they are (no date, a home
    // page), and cuts of up to 400 bytes often take a small page's date.
    assert!(report.written.len() > 150, "{}\n{}", report.summary(), reasons.join("\n"));
    let output = scratch();
    let options =
        BuildOptions { output: Some(output.path().join("public")), ..BuildOptions::default() };
    if let Err(e) = build(site.path(), &options) {
        let errors: Vec<String> = e.flatten().iter().take(10).map(ToString::to_string).collect();
        panic!("the imported site does not build:\n{}", errors.join("\n"));
    }
}
