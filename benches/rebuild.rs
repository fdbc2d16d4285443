//! How long one save takes to rebuild, on a generated site.
//!
//!     cargo bench --bench rebuild [-- SITE_DIR]
//!
//! SITE_DIR defaults to /dev/shm/galley-bench/corpus-10000, generated with
//! `galley_corpus` (crates/galley-corpus) when missing. Loads the site into
//! the preview `serve` uses, then saves one article 20 times in each of two
//! ways — a body edit (the common case: fixing text) and a title edit (which
//! changes the article in every listing) — and prints the median and worst
//! time of `Preview::update` plus rendering the saved article's page, as
//! serve does for a page open in a browser. `galley serve` adds its debounce
//! window (20 ms) and the event fan-out on top; `scripts/bench-saves.sh`
//! measures the whole path from a save to the reload event.

use galley::pipeline::{BuildOptions, Preview};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let site = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/dev/shm/galley-bench/corpus-10000"));
    if !site.join("site.yaml").is_file() {
        galley_corpus::write_site(&site, 10_000, galley_corpus::DEFAULT_SEED)
            .expect("the corpus is written");
    }
    let mut preview = Preview::new(&site, BuildOptions::default());
    let started = Instant::now();
    preview.update(&[]).expect("the site loads");
    let articles = preview.version().expect("a version").graph().articles.len();
    println!("loaded: {articles} articles in {:.2} s", started.elapsed().as_secs_f64());

    let articles = site.join("content/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&articles)
        .expect("content/articles exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let original = std::fs::read_to_string(&file).expect("readable article");

    let body = measure(&mut preview, &file, |i| format!("{original}\nAn edit, number {i}.\n"));
    let title = measure(&mut preview, &file, |i| {
        original.replacen("title: \"", &format!("title: \"Edit {i} "), 1)
    });
    // A new date moves the article in every list (`SiteGraph::update_moving`).
    let date = measure(&mut preview, &file, |i| {
        let day = format!("date: 1990-01-{:02}", i % 28 + 1);
        original
            .lines()
            .map(|l| if l.starts_with("date:") { day.clone() } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    });
    std::fs::write(&file, &original).expect("restore the article");
    preview.update(std::slice::from_ref(&file)).expect("restored");
    // A new article, then the same file deleted: the article comes and goes.
    let added = file.with_file_name("a-new-article-saved-by-the-bench.md");
    let (mut new, mut deleted) = (Vec::new(), Vec::new());
    for i in 0..20 {
        std::fs::write(&added, original.replacen("title: \"", &format!("title: \"New {i} "), 1))
            .expect("write the new article");
        new.push(timed_update(&mut preview, &added));
        std::fs::remove_file(&added).expect("delete the new article");
        deleted.push(timed_update(&mut preview, &added));
    }
    report("body edit", &body);
    report("title edit", &title);
    report("date edit", &date);
    report("new article", &new);
    report("deleted article", &deleted);
}

fn measure(preview: &mut Preview, file: &Path, text: impl Fn(usize) -> String) -> Vec<Duration> {
    let relative = file.strip_prefix(file.ancestors().nth(2).expect("under content/")).unwrap();
    let relative = relative.to_string_lossy().replace('\\', "/");
    (0..20)
        .map(|i| {
            std::fs::write(file, text(i)).expect("write the article");
            let started = Instant::now();
            preview.update(&[file.to_path_buf()]).expect("the save updates the site");
            let version = preview.version().expect("a version");
            let graph = version.graph();
            let page = &graph.articles[graph.by_content_path[&relative]].output_file;
            let bytes = version.file(page).expect("the page is there").expect("it renders");
            let took = started.elapsed();
            assert!(!bytes.is_empty());
            took
        })
        .collect()
}

fn timed_update(preview: &mut Preview, file: &Path) -> Duration {
    let started = Instant::now();
    preview.update(&[file.to_path_buf()]).expect("the save updates the site");
    started.elapsed()
}

fn report(what: &str, times: &[Duration]) {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "{what}: median {:.1} ms, worst {:.1} ms ({} saves)",
        ms[ms.len() / 2],
        ms[ms.len() - 1],
        ms.len()
    );
}
