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
