//! `cargo bench --bench import`: imports 10,000 generated saved pages.
//!
//! The pages are generated once, deterministically, in the seed's shape and
//! its variants (repeated standfirsts, several authors, bios with rights,
//! tags, teasers pointing at other pages and at pages not in the corpus), and
//! kept in `target/bench-import/pages/` so the binary can be timed on the same
//! corpus: `time target/release/galley --root /dev/shm/site import target/bench-import/pages`.
//!
//! `import_10k_pages` is the whole command (read, parse in parallel, decide,
//! write every file into a fresh site); `parse_10k_pages` is parsing alone on
//! one thread, from memory.

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use galley::import::{ImportOptions, Importer, SavedTextImporter, import_paths};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const PAGES: usize = 10_000;

fn main() {
    divan::main();
}

struct Corpus {
    dir: PathBuf,
    pages: Vec<(PathBuf, String)>,
    bytes: usize,
}

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-import/pages");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the corpus directory");
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let pages: Vec<(PathBuf, String)> = (0..PAGES)
        .map(|i| {
            let path = dir.join(format!("{i:05}.txt"));
            let text = page(i, &mut random);
            std::fs::write(&path, &text).expect("write a corpus page");
            (path, text)
        })
        .collect();
    let bytes = pages.iter().map(|(_, t)| t.len()).sum();
    Corpus { dir, pages, bytes }
});

/// A small deterministic generator (xorshift), so runs compare.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "harbour",
    "council",
    "the",
    "a",
    "vote",
    "river",
    "ferry",
    "crane",
    "quay",
    "warehouse",
    "plan",
    "fishing",
    "fleet",
    "tide",
    "bridge",
    "toll",
    "budget",
    "and",
    "of",
    "in",
    "was",
    "“living”",
    "Porto’s",
    "–",
    "1998,",
    "said",
    "residents",
    "argued",
    "for",
    "against",
    "years",
    "Ελλάδα",
    "*not*",
    "[notes]",
    "<small>",
    "&amp;",
    "decade",
    "minister",
    "report",
    "winter",
    "storm",
];
const NAMES: &[&str] = &[
    "Ana Lima",
    "Tom Ng",
    "Sara Oz",
    "Rui Matos",
    "Ines Costa",
    "Paulo Reis",
    "Mei Tanaka",
    "Camila Rojas",
    "Eleni Papadaki",
    "Jo Bloggs",
    "Yusuf Demir",
    "Lena Vogel",
];
const MONTHS: &[&str] =
    &["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn title(i: usize) -> String {
    format!("Harbour dispatch {i}: the {} question", WORDS[i % 20])
}

/// Page `i`'s date: spread over 2015–2024, days 1–28.
fn date(i: usize) -> String {
    format!("{} {}, {}", MONTHS[i % 12], 1 + i % 28, 2015 + (i / 12) % 10)
}

fn sentence(random: &mut Random) -> String {
    let n = 12 + random.below(14);
    let mut s = String::new();
    for k in 0..n {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(random.pick(WORDS));
    }
    s.push('.');
    s
}

fn page(i: usize, random: &mut Random) -> String {
    let nb = '\u{a0}';
    let authors = match random.below(4) {
        0 => format!("{} and {}", random.pick(NAMES), random.pick(NAMES)),
        _ => random.pick(NAMES).to_string(),
    };
    let lead = authors.split(" and ").next().unwrap_or_default().to_string();
    let standfirst = sentence(random).trim_end_matches('.').to_string();
    let mut out = format!(
        "The Harbour Review\n\n{}\n\n{} |{nb} {authors}\n\n{standfirst}\n{standfirst}\n\n\n",
        title(i),
        date(i)
    );
    for _ in 0..(8 + random.below(10)) {
        for k in 0..(3 + random.below(4)) {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(&sentence(random));
        }
        out.push_str(&format!("{nb} \n\n"));
    }
    out.push_str(&format!(
        "{lead}, a writer on ports and rivers, contributes to the Review every month. © The Harbour Review, reprinted by permission.\n\n"
    ));
    out.push_str(&format!("Tags: {}, {}\n\n\n", random.pick(WORDS), random.pick(WORDS)));
    for t in 0..4 {
        // Three teasers point at other pages of the corpus, one outside it.
        let (teaser_title, teaser_date) = if t < 3 {
            let other = random.below(PAGES);
            (title(other), date(other))
        } else {
            let other = random.below(200);
            (format!("Archive note {other}"), date(other))
        };
        out.push_str(&format!(
            "{} (Image: Shutterstock)\n\n{teaser_title}\n\n{teaser_date} | The Harbour Review\n",
            sentence(random)
        ));
    }
    out.pop();
    out
}

/// A fresh site on tmpfs when there is one: disk writes on a shared machine
/// vary more than the importer does.
fn scratch_site() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::TempDir::new_in(shm) } else { tempfile::TempDir::new() };
    dir.expect("a scratch site")
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn import_10k_pages(bencher: Bencher) {
    let corpus = &*CORPUS;
    let inputs = [corpus.dir.clone()];
    bencher
        .counter(ItemsCount::new(corpus.pages.len()))
        .counter(BytesCount::new(corpus.bytes))
        .with_inputs(scratch_site)
        .bench_values(|site| {
            let report =
                import_paths(site.path(), &inputs, &ImportOptions::default()).expect("import runs");
            assert!(report.failed.is_empty(), "{:?}", report.failed.first());
            assert_eq!(report.written.len(), PAGES);
            site
        });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn parse_10k_pages(bencher: Bencher) {
    let corpus = &*CORPUS;
    let importer = SavedTextImporter::default();
    bencher
        .counter(ItemsCount::new(corpus.pages.len()))
        .counter(BytesCount::new(corpus.bytes))
        .bench(|| {
            for (path, text) in &corpus.pages {
                let article = importer.parse(path, text).expect("generated pages parse");
                divan::black_box(article);
            }
        });
}
