//! A fuzz pass over the importer: thousands of saved pages mutated the ways
//! real dumps go wrong (lines lost, doubled, cut short, junk pasted in,
//! bytes flipped), imported in one run. Nothing may panic, every refusal and
//! warning names its page and line, and the site that results builds.

use galley::import::{ImportOptions, Importer, SavedTextImporter, import_paths, one_line};
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
        match random.below(7) {
            6 if !lines[at].is_empty() => {
                // A line grown past 1,000 characters, as a dump whose
                // line ends were lost has them: a byline, publication or
                // tag line becomes a name no address could hold.
                let line = lines[at].clone();
                while lines[at].len() < 1_000 {
                    lines[at].push(b' ');
                    lines[at].extend_from_slice(&line);
                }
            }
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
    let overlong = crate::names::overlong_segments(&output.path().join("public"));
    assert!(overlong.is_empty(), "names past 200 bytes: {overlong:#?}");
    let long_names = report.warnings.iter().filter(|w| w.message.contains("characters long"));
    assert!(long_names.count() > 10, "the long lines made long names that import left out");
}

/// Lines of whole-page dumps: menus, notices, share bars, datelines in the
/// forms sites print, bylines, headlines and prose.
const WHOLE_PAGE_LINES: &[&str] = &[
    "Home",
    "Menu",
    "Sign In",
    "Subscribe now",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Share this article",
    "Facebook",
    "Comments",
    "Related",
    "By Sarah E. Needleman",
    "Nov. 19, 2019 8:03 am ET",
    "20 Nov, 2019 05:47",
    "Updated 3:46 PM EST, Wed March 11, 2015",
    "2019年11月20日",
    "19.11.2019",
    "le 20 novembre 2019",
    "31.02.2019",
    "2019年13月45日",
    "Harbour Arcade Makers Bet on Slow Games",
    "The council voted on Wednesday night to build a tide barrier across the mouth of the harbour.",
    "Fishermen who spoke at the meeting said they had been promised a say in where the gates would stand.",
    "© 2019 Harbour Daily. All rights reserved.",
];

/// A whole-page dump of `lines` lines drawn from `pool`.
fn dump(pool: &[&str], lines: usize, random: &mut Random) -> String {
    let mut text = String::new();
    for _ in 0..lines {
        text.push_str(pool[random.below(pool.len())]);
        text.push_str(if random.below(4) == 0 { "\n\n" } else { "\n" });
    }
    text
}

/// Parses one page: no panic, and a refusal names the page and a line.
fn parse_whole_page(text: &str) -> bool {
    let path = Path::new("dump.txt");
    match SavedTextImporter::default().parse(path, text) {
        Ok(article) => {
            assert!(!article.front_matter.title.is_empty());
            true
        }
        Err(e) => {
            assert_eq!(e.path, path, "{}", one_line(&e));
            assert!(e.location.is_some(), "names no line: {}", one_line(&e));
            false
        }
    }
}

#[test]
fn whole_page_dumps_never_panic_and_refusals_name_the_line() {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let navigation = &WHOLE_PAGE_LINES[..9];
    let dates = &WHOLE_PAGE_LINES[10..18];
    for _ in 0..300 {
        let lines = 1 + random.below(200);
        assert!(!parse_whole_page(&dump(navigation, lines, &mut random)), "navigation read");
        // A line of dates may pass for a headline over a dateline; whatever
        // the reading, it must not panic and a refusal must name the line.
        parse_whole_page(&dump(dates, lines, &mut random));
        parse_whole_page(&dump(WHOLE_PAGE_LINES, lines, &mut random));
    }
}

#[test]
fn a_hundred_thousand_line_page_is_read_in_linear_time() {
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    for pool in [WHOLE_PAGE_LINES, &WHOLE_PAGE_LINES[..9], &WHOLE_PAGE_LINES[10..18]] {
        let small = dump(pool, 10_000, &mut random);
        let large = dump(pool, 100_000, &mut random);
        let time = |text: &str| {
            let started = std::time::Instant::now();
            parse_whole_page(text);
            started.elapsed()
        };
        let (small, large) = (time(&small), time(&large));
        // Ten times the lines may take ten times as long, not a hundred:
        // a quadratic scan would show here.
        assert!(
            large < small * 40 + std::time::Duration::from_millis(200),
            "{small:?} → {large:?}"
        );
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
