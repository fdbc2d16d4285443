//! Search: the index a build writes, `search: false`, the index after a save
//! in `serve` against a clean build, and (ignored by default: it needs
//! Chromium) the search page in a browser under a sub-path.

use crate::support::{browser_dir, example_site, read_tree, repo_root};
use galley::pipeline::{BuildOptions, Preview, build};
use galley::search::words::words;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn search_files(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("search/") && path.as_str() != "search/index.html")
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

fn built(root: &Path, base_url: Option<&str>) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let options = BuildOptions {
        output: Some(output.clone()),
        base_url: base_url.map(str::to_string),
        ..BuildOptions::default()
    };
    build(root, &options).unwrap();
    read_tree(&output)
}

/// Every file of the site as `serve` previews it, its search index built.
fn served(preview: &Preview) -> BTreeMap<String, Vec<u8>> {
    preview.wait_for_search();
    let version = preview.version().unwrap();
    version
        .files()
        .into_iter()
        .map(|key| {
            let bytes = version.file(&key).unwrap().unwrap().to_vec();
            (key, bytes)
        })
        .collect()
}

/// The site as `serve` previews it.
fn built_in_memory(root: &Path, base_url: Option<&str>) -> (Preview, BTreeMap<String, Vec<u8>>) {
    let options =
        BuildOptions { base_url: base_url.map(str::to_string), ..BuildOptions::default() };
    let mut preview = Preview::new(root, options);
    preview.update(&[]).unwrap();
    let files = served(&preview);
    (preview, files)
}

/// How many files differ between `a` and `b` (changed, added or gone).
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> usize {
    a.iter().filter(|(k, v)| b.get(*k) != Some(v)).count()
        + b.keys().filter(|k| !a.contains_key(*k)).count()
}

#[test]
fn the_index_is_byte_identical_across_builds_and_engines() {
    let site = example_site();
    let first = search_files(&built(site.path(), None));
    let second = search_files(&built(site.path(), None));
    assert!(first.contains_key("search/index.json"), "{:?}", first.keys());
    assert!(first.keys().any(|p| p.starts_with("search/t/")));
    assert!(first.keys().any(|p| p.starts_with("search/d/")));
    assert_eq!(first, second, "two builds wrote different index files");
    let (_, memory) = built_in_memory(site.path(), None);
    assert_eq!(first, search_files(&memory), "serve's engine wrote another index");
}

#[test]
fn every_page_has_the_search_form_and_the_page_runs_the_script() {
    let files = built(&repo_root(), Some("/sub/archive/"));
    let home = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(home.contains(
        r#"<form class="site-search" role="search" action="/sub/archive/search/" method="get">"#
    ));
    let page = String::from_utf8(files["search/index.html"].clone()).unwrap();
    assert!(page.contains(r#"<input type="search" id="search-input" name="q""#));
    assert!(page.contains(r#"data-search-index="/sub/archive/search/""#));
    let script = page.split("<script src=\"").nth(1).unwrap().split('"').next().unwrap();
    let script = script.strip_prefix("/sub/archive/").unwrap();
    assert!(script.starts_with("search.") && script.ends_with(".js"), "{script}");
    assert!(files.contains_key(script), "{script} is not in the output");
    // Links in the index carry the sub-path.
    let docs = String::from_utf8(files["search/d/0.json"].clone()).unwrap();
    assert!(docs.contains(r#""url":"/sub/archive/20"#), "{docs}");
}

#[test]
fn search_false_writes_no_index_page_or_form() {
    let site = example_site();
    let config = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    std::fs::write(site.path().join("site.yaml"), format!("{config}search: false\n")).unwrap();
    let files = built(site.path(), None);
    assert!(!files.keys().any(|p| p.starts_with("search/")), "search files written");
    let html = files.iter().filter(|(p, _)| p.ends_with(".html"));
    assert!(!html.map(|(_, b)| String::from_utf8_lossy(b)).any(|t| t.contains("site-search")));
}

#[test]
fn a_misspelt_search_key_is_an_error_naming_it() {
    let site = example_site();
    let config = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    std::fs::write(site.path().join("site.yaml"), format!("{config}serach: false\n")).unwrap();
    let error = build(site.path(), &BuildOptions::default()).unwrap_err().to_string();
    assert!(error.contains("serach") && error.contains("search"), "{error}");
}

/// A saved body in `serve` updates the index in place, to exactly what a
/// clean build of the saved site writes.
#[test]
fn a_saved_body_updates_the_index_as_a_clean_build_would() {
    let site = example_site();
    let (mut preview, before) = built_in_memory(site.path(), None);
    let (article, text) = first_full_article(site.path());
    // A new word, and one word fewer (the body's first word of 6+ letters).
    let dropped = text
        .rsplit("---")
        .next()
        .unwrap()
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| w.len() >= 6)
        .unwrap()
        .to_string();
    let edited = format!("{}\n\nA zyzzogeton appeared.\n", text.replace(&dropped, "").trim_end());
    std::fs::write(&article, edited).unwrap();
    preview.update(std::slice::from_ref(&article)).unwrap();
    let files = served(&preview);
    let (old_index, new_index) = (search_files(&before), search_files(&files));
    let rewritten = differing(&old_index, &new_index);
    assert!(
        new_index
            .keys()
            .any(|p| p.starts_with("search/t/") && old_index.get(p) != new_index.get(p))
    );
    assert!(rewritten < 12, "a body save rewrote {rewritten} index files");
    let clean = search_files(&built(site.path(), None));
    assert_eq!(search_files(&files), clean, "the updated index differs from a clean build's");
    let terms = index_terms(&clean);
    assert_eq!(terms["zyzzogeton"].all.len(), 1, "{:?}", terms.get("zyzzogeton"));
}

/// The first full (not stub) article of the example site copy, and its text.
fn first_full_article(root: &Path) -> (std::path::PathBuf, String) {
    let article = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && !std::fs::read_to_string(e.path()).unwrap().contains("stub: true")
        })
        .unwrap()
        .into_path();
    let text = std::fs::read_to_string(&article).unwrap();
    (article, text)
}

/// A retitled article (the same articles in the same order) and then a new
/// one (every later article moves up one place): after each (the second
/// once the index is built again), `serve`'s index is what a clean build writes.
#[test]
fn retitled_and_added_articles_update_the_index_as_a_clean_build_would() {
    let site = example_site();
    let (mut preview, before) = built_in_memory(site.path(), None);
    let (article, text) = first_full_article(site.path());
    let retitled = text.replacen("title: ", "title: Quetzalcoatl and ", 1);
    assert_ne!(retitled, text);
    std::fs::write(&article, retitled).unwrap();
    preview.update(std::slice::from_ref(&article)).unwrap();
    let files = served(&preview);
    let rewritten = differing(&search_files(&before), &search_files(&files));
    assert!(rewritten <= 3, "a new title rewrote {rewritten} index files");
    assert_eq!(search_files(&files), search_files(&built(site.path(), None)));
    let docs = search_files(&files);
    assert!(docs.values().any(|b| String::from_utf8_lossy(b).contains("Quetzalcoatl")));

    let new = site.path().join("content/articles/2099/01/brand-new.md");
    std::fs::create_dir_all(new.parent().unwrap()).unwrap();
    std::fs::write(&new, "---\ntitle: Brand new\ndate: 2099-01-02\n---\nA xylophone.\n").unwrap();
    preview.update(std::slice::from_ref(&new)).unwrap();
    // Every id moved: the index is built again on its own thread.
    assert_eq!(search_files(&served(&preview)), search_files(&built(site.path(), None)));
}

/// A term's postings as a shard has them.
#[derive(Debug, Default)]
struct Postings {
    title: Vec<u32>,
    all: Vec<u32>,
}

/// Reads a shard as the script does.
struct ShardReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> ShardReader<'a> {
    fn varint(&mut self) -> u64 {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let byte = self.bytes[self.at];
            self.at += 1;
            value |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                return value;
            }
        }
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let bytes = &self.bytes[self.at..self.at + n];
        self.at += n;
        bytes
    }

    fn deltas(&mut self, count: u64) -> Vec<u32> {
        let mut ids: Vec<u32> = Vec::new();
        for _ in 0..count {
            let delta = self.varint() as u32;
            ids.push(ids.last().map_or(delta, |last| last + delta));
        }
        ids
    }
}

/// Every term of the index, read from its shards as the script reads them.
fn index_terms(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Postings> {
    let manifest: serde_json::Value = serde_json::from_slice(&files["search/index.json"]).unwrap();
    let bits = manifest["shardBits"].as_u64().unwrap() as u32;
    let mut terms = BTreeMap::new();
    for (path, bytes) in files {
        let Some(shard) = path.strip_prefix("search/t/").and_then(|p| p.strip_suffix(".bin"))
        else {
            continue;
        };
        let shard: usize = shard.parse().unwrap();
        let mut r = ShardReader { bytes, at: 0 };
        while r.at < bytes.len() {
            let len = r.varint() as usize;
            let word = String::from_utf8(r.take(len).to_vec()).unwrap();
            assert_eq!(galley::search::shard_of(galley::search::term_hash(&word), bits), shard);
            let end = r.varint() as usize + r.at;
            let count = r.varint();
            let title = r.deltas(count);
            let count = r.varint();
            let all = if count == 0 {
                Vec::new()
            } else if r.varint() == 0 {
                r.deltas(count)
            } else {
                let first = r.varint() as u32;
                let size = r.varint() as usize;
                let bitmap = r.take(size);
                (0..size as u32 * 8)
                    .filter(|i| bitmap[(i / 8) as usize] & (1 << (i % 8)) != 0)
                    .map(|i| first * 8 + i)
                    .collect()
            };
            assert_eq!(r.at, end, "{word}: record length");
            assert_eq!(all.len() as u64, count, "{word}");
            assert!(title.iter().all(|id| all.contains(id)), "{word}: title ids not in all");
            assert!(terms.insert(word, Postings { title, all }).is_none());
        }
    }
    terms
}

/// Words of an article as the index has them: title, and (full articles)
/// standfirst and body.
struct Indexed {
    url: String,
    stub: bool,
    title: String,
    title_words: BTreeSet<String>,
    all_words: BTreeSet<String>,
}

/// The articles as the build's document files list them (URL, title, stub
/// flag), with their words as the index's shards have them.
fn indexed_articles(files: &BTreeMap<String, Vec<u8>>) -> Vec<Indexed> {
    let mut groups: Vec<(usize, &Vec<u8>)> = files
        .iter()
        .filter_map(|(path, bytes)| {
            let n = path.strip_prefix("search/d/")?.strip_suffix(".json")?.parse().ok()?;
            Some((n, bytes))
        })
        .collect();
    groups.sort();
    let field = |doc: &serde_json::Value, key: &str| doc[key].as_str().unwrap_or("").to_string();
    let mut articles: Vec<Indexed> = groups
        .into_iter()
        .flat_map(|(_, bytes)| serde_json::from_slice::<Vec<serde_json::Value>>(bytes).unwrap())
        .map(|doc| Indexed {
            url: field(&doc, "url"),
            stub: doc["stub"].as_bool().unwrap_or(false),
            title: field(&doc, "title"),
            title_words: BTreeSet::new(),
            all_words: BTreeSet::new(),
        })
        .collect();
    for (word, postings) in index_terms(files) {
        for &id in &postings.title {
            articles[id as usize].title_words.insert(word.clone());
        }
        for &id in &postings.all {
            articles[id as usize].all_words.insert(word.clone());
        }
    }
    articles
}

const LONG_TITLE: &str = "A long night on the quay";

/// An article whose body goes on well past what a document file holds of
/// it, with a word of its own and a phrase near its end.
fn long_article() -> String {
    let mut body = String::new();
    for _ in 0..12 {
        body.push_str(
            "The harbour master walked the length of the quay before dawn, counting \
             hulls and noting which berths stood empty.\n\n",
        );
    }
    body.push_str("At the far end a quillwort grew between the stones, and an *amber* lantern hung above the chandler’s door.\n");
    format!("---\ntitle: {LONG_TITLE}\ndate: 2023-11-02\nauthors:\n- Test Writer\n---\n{body}")
}

/// Plain words of 5+ ASCII letters in `text`.
fn plain_words(text: &str, min: usize) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphabetic()).filter(move |w| w.len() >= min)
}

/// The example site at a sub-path, served statically, searched in Chromium
/// (`tests/browser/search.mjs`).
#[test]
#[ignore = "needs Chromium: run with --ignored"]
fn browser_searches_the_example_site_under_a_sub_path() {
    let prefix = "/sub/archive/";
    let site = example_site();
    let long = site.path().join("content/articles/2023/11/a-long-night-on-the-quay.md");
    std::fs::create_dir_all(long.parent().unwrap()).unwrap();
    std::fs::write(&long, long_article()).unwrap();
    let (_, files) = built_in_memory(site.path(), Some(prefix));
    let out = tempfile::tempdir().unwrap();
    for (path, bytes) in &files {
        let target = out.path().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    let articles = indexed_articles(&files);
    let others =
        |i: usize| articles.iter().enumerate().filter(move |(j, _)| *j != i).map(|(_, a)| a);
    // A body word only the long article has, and a phrase of it, both past
    // the beginning its document holds: the script reads them from its page.
    let (body_word, phrase) = ("quillwort", "amber lantern");
    let long_id = articles.iter().position(|a| a.title == LONG_TITLE).unwrap();
    let body_url = articles[long_id].url.clone();
    let terms = index_terms(&files);
    assert_eq!(terms[body_word].all, [long_id as u32]);
    let documents: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/d/"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!documents.contains(body_word) && !documents.contains(phrase));
    // A word of one full article's title that other articles have only in their text.
    let title_pick = |prefer_elsewhere: bool| {
        articles.iter().enumerate().filter(|(_, a)| !a.stub).find_map(|(i, a)| {
            plain_words(&a.title, 5)
                .find(|w| {
                    let n = &words(w)[0];
                    others(i).all(|o| !o.title_words.contains(n))
                        && (!prefer_elsewhere || others(i).any(|o| o.all_words.contains(n)))
                })
                .map(|w| (w.to_string(), a.url.clone()))
        })
    };
    let (title_word, title_url) =
        title_pick(true).or_else(|| title_pick(false)).expect("a title has a word of its own");
    let stub = articles.iter().enumerate().filter(|(_, a)| a.stub).find_map(|(i, a)| {
        plain_words(&a.title, 5)
            .find(|w| others(i).all(|o| !o.all_words.contains(&words(w)[0])))
            .map(|w| (w.to_string(), a.url.clone()))
    });

    // A title word with accents, typed in capitals (the script must fold it as galley does).
    let fold = articles.iter().find_map(|a| {
        a.title
            .split(|c: char| !c.is_alphabetic())
            .find(|w| !w.is_ascii() && words(w).first().is_some_and(|n| n.is_ascii()))
            .map(|w| (w.to_uppercase(), a.url.clone()))
    });

    let dir = browser_dir();
    let mut command = Command::new("node");
    command.arg(dir.join("search.mjs")).current_dir(&dir);
    command.arg("--dir").arg(out.path());
    command.args(["--prefix", prefix, "--body-word", body_word, "--body-url", &body_url]);
    command.args(["--phrase", phrase, "--phrase-url", &body_url]);
    command.args(["--title-word", &title_word, "--title-url", &title_url]);
    if let Some((word, url)) = &stub {
        command.args(["--stub-word", word, "--stub-url", url]);
    }
    if let Some((word, url)) = &fold {
        command.args(["--fold-word", word, "--fold-url", url]);
    }
    let output = command.output().expect("node runs");
    println!("{}", String::from_utf8_lossy(&output.stdout));
    assert!(
        output.status.success(),
        "browser script failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The theme's script splits, normalises and hashes words exactly as the
/// index does, on the example site's text and on awkward samples. Needs
/// Node, so plain `cargo test` lists it as ignored; `.ci/run` runs it.
#[test]
#[ignore = "needs Node: run with --ignored"]
fn node_script_finds_the_same_words_and_shards_as_galley() {
    let mut samples: Vec<String> = [
        "Zürich ZURICH Zu\u{308}rich zürichs",
        "Khamenei’s calculations don't o'clock'",
        "Straße Ærø Łódź ǅemal İstanbul",
        "Αθήνας ΑΘΗΝΑΣ σοφός ΟΔΟΣ",
        "שָׁלוֹם עוֹלָם",
        "مَرْحَبًا بِالعالم",
        "Москва ЁЛКА йогурт",
        "東京 タワー 서울",
        "naïve café coöperate",
        "policies churches boxes buses classes status analysis news its",
        "1973. Covid-19 2,000",
        "emoji 🙂 joined\u{200d}word soft\u{ad}hyphen",
        "ﬁnance Ⅻ ½ x²",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for entry in walkdir::WalkDir::new(repo_root().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            samples.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let expected: Vec<(Vec<String>, Vec<u32>)> = samples
        .iter()
        .map(|s| {
            let words = words(s);
            let hashes = words.iter().map(|w| galley::search::term_hash(w)).collect();
            (words, hashes)
        })
        .collect();
    let script = repo_root().join("themes/default/static/search.js");
    let program = format!(
        "const fs = require('fs');\n\
         new Function(fs.readFileSync({script:?}, 'utf8'))();\n\
         const samples = JSON.parse(fs.readFileSync(0, 'utf8'));\n\
         const g = globalThis.galleySearch;\n\
         console.log(JSON.stringify(samples.map((s) => {{ const w = g.words(s); return [w, w.map(g.termHash)]; }})));",
        script = script.to_str().unwrap()
    );
    let mut child = Command::new("node")
        .args(["-e", &program])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(&samples).unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let found: Vec<(Vec<String>, Vec<u32>)> = serde_json::from_slice(&output.stdout).unwrap();
    for ((sample, want), got) in samples.iter().zip(&expected).zip(&found) {
        assert_eq!(want, got, "search.js differs on {:?}", &sample[..sample.len().min(200)]);
    }
}
