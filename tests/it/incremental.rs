//! Incremental rebuilds equal clean builds: random sequences of the edits
//! editors make (body, title, date, tags, standfirst, stub and draft flags,
//! links and teasers between pages, new, deleted and renamed files), each
//! applied through `Builder::update` (and `Builder::catch_up`, as serve does
//! when no save is waiting) and compared with a fresh build of the same
//! files, byte for byte.

use galley::pipeline::{BuildOptions, Builder};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Edit {
    Body(usize, u8),
    Title(usize, u8),
    Date(usize, u8),
    Tags(usize, u8),
    Standfirst(usize, u8),
    Stub(usize),
    Draft(usize),
    LinkTo(usize, usize),
    TeaserOf(usize, usize),
    Delete(usize),
    Add(u8),
    Rename(usize),
    Slug(usize, u8),
    Alias(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Body(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Title(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Date(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Tags(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Standfirst(i, v)),
        (0..8usize).prop_map(Edit::Stub),
        (0..8usize).prop_map(Edit::Draft),
        (0..8usize, 0..8usize).prop_map(|(i, j)| Edit::LinkTo(i, j)),
        (0..8usize, 0..8usize).prop_map(|(i, j)| Edit::TeaserOf(i, j)),
        (0..8usize).prop_map(Edit::Delete),
        any::<u8>().prop_map(Edit::Add),
        (0..8usize).prop_map(Edit::Rename),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Slug(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Alias(i, v)),
    ]
}

/// One article's source, rewritten to a file after each edit.
#[derive(Debug, Clone)]
struct Doc {
    path: String,
    title: String,
    day: u8,
    tags: Vec<&'static str>,
    standfirst: String,
    body: String,
    stub: bool,
    draft: bool,
    link: Option<String>,
    teaser: Option<(String, u8)>,
    slug: Option<String>,
    aliases: Vec<String>,
}

const TAGS: [&str; 4] = ["Energy", "Ports", "Courts", "Energy Policy"];
const WORDS: [&str; 8] = ["harbour", "ferry", "tide", "crane", "levy", "dredge", "pier", "lock"];

impl Doc {
    fn new(n: u8) -> Doc {
        Doc {
            path: format!("articles/a{n}.md"),
            title: format!("The {} report {n}", WORDS[n as usize % 8]),
            day: 1 + n % 27,
            tags: vec![TAGS[n as usize % 4]],
            standfirst: format!("On the {}.", WORDS[(n as usize + 3) % 8]),
            body: format!(
                "First paragraph about the {}.\n\n## A heading\n\nMore text.",
                WORDS[(n as usize + 1) % 8]
            ),
            stub: false,
            draft: false,
            link: None,
            teaser: None,
            slug: None,
            aliases: Vec::new(),
        }
    }

    fn text(&self) -> String {
        let tags: Vec<String> = self.tags.iter().map(|t| format!("{t:?}")).collect();
        let mut fm = format!(
            "---\ntitle: {:?}\ndate: 2024-{:02}-{:02}\nauthors: [\"Ann Lee\"]\npublication: \"The Review\"\nstandfirst: {:?}\ntags: [{}]\n",
            self.title,
            1 + self.day % 3,
            self.day,
            self.standfirst,
            tags.join(", ")
        );
        if let Some((title, day)) = &self.teaser {
            fm.push_str(&format!(
                "related:\n  - {{title: {title:?}, date: 2024-{:02}-{day:02}}}\n",
                1 + day % 3
            ));
        }
        if let Some(slug) = &self.slug {
            fm.push_str(&format!("slug: {slug}\n"));
        }
        if !self.aliases.is_empty() {
            fm.push_str(&format!("aliases: {:?}\n", self.aliases));
        }
        if self.stub {
            fm.push_str("stub: true\n");
        }
        if self.draft {
            fm.push_str("draft: true\n");
        }
        let mut body = self.body.clone();
        if let Some(target) = &self.link {
            body.push_str(&format!("\n\nSee [the other piece](../{target}).\n"));
        }
        format!("{fm}---\n\n{body}\n")
    }
}

struct Site {
    root: tempfile::TempDir,
    docs: Vec<Doc>,
    added: u8,
}

impl Site {
    fn new() -> Site {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("site.yaml"), "title: Incremental\nbase_url: https://e.org/sub/\npaginate: 2\nfeed:\n  limit: 3\ntaxonomies: [tags, authors, publications]\n").unwrap();
        let site = Site { root, docs: (0..6).map(Doc::new).collect(), added: 100 };
        for i in 0..site.docs.len() {
            site.write(i);
        }
        site
    }

    fn file(&self, doc: &Doc) -> PathBuf {
        self.root.path().join("content").join(&doc.path)
    }

    fn write(&self, i: usize) -> PathBuf {
        let file = self.file(&self.docs[i]);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, self.docs[i].text()).unwrap();
        file
    }

    /// Applies an edit to the files; returns the paths that changed.
    fn apply(&mut self, edit: &Edit) -> Vec<PathBuf> {
        let n = self.docs.len();
        if n == 0 && !matches!(edit, Edit::Add(_)) {
            return Vec::new();
        }
        let pick = |i: usize| i % n.max(1);
        match *edit {
            Edit::Body(i, v) => {
                let i = pick(i);
                self.docs[i].body.push_str(&format!("\n\nAdded {} {v}.", WORDS[v as usize % 8]));
                vec![self.write(i)]
            }
            Edit::Title(i, v) => {
                let i = pick(i);
                self.docs[i].title = format!(
                    "{} {}",
                    WORDS[v as usize % 8],
                    self.docs[i].title.split(' ').next_back().unwrap_or("x")
                );
                vec![self.write(i)]
            }
            Edit::Date(i, v) => {
                let i = pick(i);
                self.docs[i].day = 1 + v % 27;
                vec![self.write(i)]
            }
            Edit::Tags(i, v) => {
                let i = pick(i);
                self.docs[i].tags = TAGS
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| v & (1 << k) != 0)
                    .map(|(_, t)| *t)
                    .collect();
                vec![self.write(i)]
            }
            Edit::Standfirst(i, v) => {
                let i = pick(i);
                self.docs[i].standfirst = format!("Now about the {}.", WORDS[v as usize % 8]);
                vec![self.write(i)]
            }
            Edit::Slug(i, v) => {
                // A new slug moves the page; a second edit may take it back.
                let i = pick(i);
                self.docs[i].slug = match v % 3 {
                    0 => None,
                    _ => Some(format!("{}-{}", WORDS[v as usize % 8], v % 3)),
                };
                vec![self.write(i)]
            }
            Edit::Alias(i, v) => {
                // Aliases come and go; two articles may claim one (an error in both builds).
                let i = pick(i);
                let alias = format!("/old/{}/", WORDS[v as usize % 8]);
                if let Some(at) = self.docs[i].aliases.iter().position(|a| *a == alias) {
                    self.docs[i].aliases.remove(at);
                } else {
                    self.docs[i].aliases.push(alias);
                }
                vec![self.write(i)]
            }
            Edit::Stub(i) => {
                let i = pick(i);
                self.docs[i].stub = !self.docs[i].stub;
                vec![self.write(i)]
            }
            Edit::Draft(i) => {
                let i = pick(i);
                self.docs[i].draft = !self.docs[i].draft;
                vec![self.write(i)]
            }
            Edit::LinkTo(i, j) => {
                let (i, j) = (pick(i), pick(j));
                self.docs[i].link = Some(self.docs[j].path.clone());
                vec![self.write(i)]
            }
            Edit::TeaserOf(i, j) => {
                let (i, j) = (pick(i), pick(j));
                self.docs[i].teaser = Some((self.docs[j].title.clone(), self.docs[j].day));
                vec![self.write(i)]
            }
            Edit::Delete(i) => {
                let i = pick(i);
                let doc = self.docs.remove(i);
                let file = self.file(&doc);
                std::fs::remove_file(&file).unwrap();
                vec![file]
            }
            Edit::Add(v) => {
                self.added += 1;
                let mut doc = Doc::new(self.added);
                doc.day = 1 + v % 27;
                self.docs.push(doc);
                vec![self.write(self.docs.len() - 1)]
            }
            Edit::Rename(i) => {
                let i = pick(i);
                let old = self.file(&self.docs[i]);
                self.added += 1;
                self.docs[i].path = format!("moved/m{}.md", self.added);
                let new = self.file(&self.docs[i]);
                std::fs::create_dir_all(new.parent().unwrap()).unwrap();
                std::fs::rename(&old, &new).unwrap();
                vec![old, new]
            }
        }
    }
}

type Files = BTreeMap<String, Arc<[u8]>>;

fn fresh(root: &Path) -> galley::Result<Files> {
    let mut builder = Builder::incremental(root, BuildOptions::default());
    let delta = builder.update(&[])?;
    Ok(delta.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect())
}

/// What `galley build` writes: the one-shot path, which keeps the bodies
/// that fit in `kept_bodies` bytes from loading and reads the others again
/// when it renders their pages.
fn one_shot(root: &Path, kept_bodies: Option<usize>) -> galley::Result<Files> {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let options =
        BuildOptions { output: Some(public.clone()), kept_bodies, ..BuildOptions::default() };
    galley::pipeline::build(root, &options)?;
    Ok(crate::support::read_tree(&public).into_iter().map(|(k, v)| (k, Arc::from(v))).collect())
}

fn apply_delta(files: &mut Files, delta: galley::pipeline::Delta) {
    for (path, bytes) in delta {
        match bytes {
            Some(b) => {
                files.insert(path, b);
            }
            None => {
                files.remove(&path);
            }
        }
    }
}

fn first_difference(a: &Files, b: &Files) -> String {
    for (k, v) in a {
        match b.get(k) {
            None => return format!("{k} only in the incremental result"),
            Some(w) if w != v => {
                let (x, y) = (String::from_utf8_lossy(v), String::from_utf8_lossy(w));
                let at = x.bytes().zip(y.bytes()).position(|(p, q)| p != q).unwrap_or(0);
                let from = at.saturating_sub(80);
                return format!(
                    "{k} differs:\n incremental …{}…\n clean       …{}…",
                    &x[from..(at + 80).min(x.len())],
                    &y[from..(at + 80).min(y.len())]
                );
            }
            _ => {}
        }
    }
    b.keys()
        .find(|k| !a.contains_key(*k))
        .map(|k| format!("{k} only in the clean build"))
        .unwrap_or_default()
}

proptest! {
    // PROPTEST_CASES=200 for a longer search (CI runs the default).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_edit_sequence_equals_a_clean_build(edits in proptest::collection::vec(edit(), 1..10)) {
        let mut site = Site::new();
        let mut builder = Builder::incremental(site.root.path(), BuildOptions::default());
        let mut files: Files = Files::new();
        apply_delta(&mut files, builder.update(&[]).expect("the first build succeeds"));
        let mut broken = false;
        for (step, edit) in edits.iter().enumerate() {
            let changed = site.apply(edit);
            // After a failed update the editor's next save carries the broken
            // file again (serve re-sends failed paths); do the same here.
            let result = builder.update(&changed);
            let clean = fresh(site.root.path());
            // Every body read again, or (the default budget) every body kept.
            let kept_bodies = if step % 2 == 0 { Some(0) } else { None };
            match (one_shot(site.root.path(), kept_bodies), &clean) {
                (Ok(built), Ok(clean)) => prop_assert!(built == *clean, "after {:?}: {}", edit, first_difference(&built, clean)),
                (Err(_), Err(_)) => {}
                (built, clean) => prop_assert!(false, "after {:?}: galley build {:?}, engine {:?}", edit, built.err(), clean.as_ref().err()),
            }
            match (result, clean) {
                (Ok(delta), Ok(clean)) => {
                    apply_delta(&mut files, delta);
                    if broken {
                        // Recovering from an error: serve asks for a full reload.
                        files.clear();
                        apply_delta(&mut files, builder.update(&[]).expect("recovers"));
                        broken = false;
                    }
                    // What serve does once no save is waiting (the search
                    // index, after articles were added, removed or reordered).
                    if builder.behind() {
                        prop_assert!(builder.catch_up(&|| true).expect("stops").is_empty());
                        prop_assert!(builder.behind(), "a stopped catch-up leaves the work to do");
                        apply_delta(&mut files, builder.catch_up(&|| false).expect("catches up"));
                        prop_assert!(!builder.behind());
                    }
                    prop_assert!(files == clean, "after {:?}: {}", edit, first_difference(&files, &clean));
                }
                (Err(_), Err(_)) => broken = true,
                (Ok(_), Err(e)) => prop_assert!(false, "after {:?}: incremental succeeded, clean build failed: {}", edit, e),
                (Err(e), Ok(_)) => prop_assert!(false, "after {:?}: incremental failed, clean build succeeded: {}", edit, e),
            }
        }
    }
}

/// A page whose teaser leads to an article shows whether that article is a
/// stub: flipping the target's flag re-renders the page with the teaser, even
/// though the save keeps the site's shape (the graph is patched in place and
/// only the pages showing the saved article are looked at). Random edit
/// sequences reach this only rarely.
#[test]
fn a_teaser_follows_its_target_becoming_a_stub() {
    let mut site = Site::new();
    let target_title = site.docs[1].title.clone();
    let target_day = site.docs[1].day;
    site.docs[0].teaser = Some((target_title, target_day));
    site.write(0);
    let mut builder = Builder::incremental(site.root.path(), BuildOptions::default());
    let mut files = Files::new();
    apply_delta(&mut files, builder.update(&[]).expect("first build"));
    let holder = files
        .keys()
        .find(|k| k.ends_with("/a0/index.html"))
        .expect("the page with the teaser")
        .clone();
    assert!(!String::from_utf8_lossy(&files[&holder]).contains("teaser-stub"));

    let changed = site.apply(&Edit::Stub(1));
    let delta = builder.update(&changed).expect("the stub flip builds");
    assert!(delta.contains_key(&holder), "the page with the teaser is rendered again");
    apply_delta(&mut files, delta);
    assert!(String::from_utf8_lossy(&files[&holder]).contains("teaser-stub"));
    // The sitemap (a stub is not in it) is among what serve brings up to date after the reload.
    apply_delta(&mut files, builder.catch_up(&|| false).expect("catches up"));
    let clean = fresh(site.root.path()).expect("clean build");
    assert!(files == clean, "{}", first_difference(&files, &clean));
}

/// A directory of articles deleted at once: serve's watcher reports the
/// directory alone, and every article in it leaves the site.
#[test]
fn a_deleted_directory_takes_its_articles_with_it() {
    let mut site = Site::new();
    let moved: Vec<PathBuf> = (0..2).flat_map(|i| site.apply(&Edit::Rename(i))).collect();
    let mut builder = Builder::incremental(site.root.path(), BuildOptions::default());
    let mut files = Files::new();
    apply_delta(&mut files, builder.update(&[]).expect("first build"));
    assert_eq!(moved.len(), 4, "two renames, each an old and a new path");
    let dir = site.root.path().join("content/moved");
    std::fs::remove_dir_all(&dir).unwrap();
    site.docs.retain(|doc| !doc.path.starts_with("moved/"));
    apply_delta(&mut files, builder.update(std::slice::from_ref(&dir)).expect("builds"));
    apply_delta(&mut files, builder.catch_up(&|| false).expect("catches up"));
    let clean = fresh(site.root.path()).expect("clean build");
    assert!(files == clean, "{}", first_difference(&files, &clean));
}
