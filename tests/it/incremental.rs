//! The preview equals a clean build: random sequences of the edits editors
//! make (body, title, date, tags, authors, series, publication, image,
//! standfirst, stub and draft flags, `slug:` and `aliases:`, links and
//! teasers between pages, new, deleted and renamed files, a theme template
//! and site.yaml), each applied through `Preview::update` as serve applies a
//! save, then every file of the served site requested from the new version
//! and compared with what `galley build` writes for the same files, byte for
//! byte (the search index once its background build is done).

use galley::pipeline::{BuildOptions, Preview};
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
    Author(usize, u8),
    Series(usize, u8),
    Publication(usize, u8),
    Image(usize, u8),
    Theme(u8),
    SiteYaml(u8),
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
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Author(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Series(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Publication(i, v)),
        (0..8usize, any::<u8>()).prop_map(|(i, v)| Edit::Image(i, v)),
        any::<u8>().prop_map(Edit::Theme),
        any::<u8>().prop_map(Edit::SiteYaml),
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
    authors: Vec<&'static str>,
    series: Option<&'static str>,
    publication: &'static str,
    image: Option<String>,
}

const AUTHORS: [&str; 3] = ["Ann Lee", "Bo Chen", "Cy Díaz"];
const SERIES: [&str; 2] = ["The Last Word", "Harbour Notes"];
const PUBLICATIONS: [&str; 2] = ["The Review", "Port Weekly"];
const TAGS: [&str; 5] = ["Energy", "Ports", "Courts", "Energy Policy", "energy"];
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
            authors: vec![AUTHORS[n as usize % 3]],
            series: None,
            publication: PUBLICATIONS[0],
            image: None,
        }
    }

    fn text(&self) -> String {
        let tags: Vec<String> = self.tags.iter().map(|t| format!("{t:?}")).collect();
        let authors: Vec<String> = self.authors.iter().map(|a| format!("{a:?}")).collect();
        let mut fm = format!(
            "---\ntitle: {:?}\ndate: 2024-{:02}-{:02}\nauthors: [{}]\npublication: {:?}\nstandfirst: {:?}\ntags: [{}]\n",
            self.title,
            1 + self.day % 3,
            self.day,
            authors.join(", "),
            self.publication,
            self.standfirst,
            tags.join(", ")
        );
        if let Some(series) = self.series {
            fm.push_str(&format!("series: {series:?}\n"));
        }
        if let Some(caption) = &self.image {
            fm.push_str(&format!("image: {{caption: {caption:?}, credit: \"AP Photo\"}}\n"));
        }
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

/// The site's configuration, with `paginate` articles a listing page.
fn site_yaml(paginate: u8) -> String {
    format!(
        "title: Incremental\nbase_url: https://e.org/sub/\npaginate: {paginate}\nfeed:\n  limit: 3\ntaxonomies: [tags, authors, publications, series]\n"
    )
}

/// The default theme's listing entry, overridden by the site with a mark.
const TEASER: &str = include_str!("../../themes/default/templates/partials/teaser.html");

struct Site {
    root: tempfile::TempDir,
    docs: Vec<Doc>,
    added: u8,
}

impl Site {
    fn new() -> Site {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("site.yaml"), site_yaml(2)).unwrap();
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
        if n == 0 && !matches!(edit, Edit::Add(_) | Edit::Theme(_) | Edit::SiteYaml(_)) {
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
            Edit::Author(i, v) => {
                let i = pick(i);
                self.docs[i].authors = AUTHORS
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| v & (1 << k) != 0)
                    .map(|(_, a)| *a)
                    .collect();
                vec![self.write(i)]
            }
            Edit::Series(i, v) => {
                let i = pick(i);
                self.docs[i].series = [None, Some(SERIES[0]), Some(SERIES[1])][v as usize % 3];
                vec![self.write(i)]
            }
            Edit::Publication(i, v) => {
                let i = pick(i);
                self.docs[i].publication = PUBLICATIONS[v as usize % 2];
                vec![self.write(i)]
            }
            Edit::Image(i, v) => {
                let i = pick(i);
                self.docs[i].image =
                    (v % 3 != 0).then(|| format!("The {} at dawn", WORDS[v as usize % 8]));
                vec![self.write(i)]
            }
            Edit::Theme(v) => {
                let file = self.root.path().join("templates/partials/teaser.html");
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                let marked = TEASER.replace("</li>", &format!("<!-- mark {} --></li>", v % 4));
                std::fs::write(&file, marked).unwrap();
                vec![file]
            }
            Edit::SiteYaml(v) => {
                let file = self.root.path().join("site.yaml");
                std::fs::write(&file, site_yaml(1 + v % 3)).unwrap();
                vec![file]
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

/// Every file of the preview's last version, requested one by one (the
/// search index once it is built): `Err` when a page does not render.
fn served(preview: &Preview) -> Result<Files, String> {
    preview.wait_for_search();
    let version = preview.version().expect("a version after a successful update");
    let mut files = Files::new();
    for key in version.files() {
        match version.file(&key) {
            Some(Ok(bytes)) => {
                files.insert(key, bytes);
            }
            Some(Err(e)) => return Err(format!("{key}: {e}")),
            None => return Err(format!("{key} is listed but not served")),
        }
    }
    Ok(files)
}

fn first_difference(a: &Files, b: &Files) -> String {
    for (k, v) in a {
        match b.get(k) {
            None => return format!("{k} only in the served site"),
            Some(w) if w != v => {
                let (x, y) = (String::from_utf8_lossy(v), String::from_utf8_lossy(w));
                let at = x.bytes().zip(y.bytes()).position(|(p, q)| p != q).unwrap_or(0);
                let from = at.saturating_sub(80);
                return format!(
                    "{k} differs:\n served …{}…\n built  …{}…",
                    x.get(from..(at + 80).min(x.len())).unwrap_or_default(),
                    y.get(from..(at + 80).min(y.len())).unwrap_or_default()
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
    // PROPTEST_CASES=200 for the longer search documented in docs/performance.md
    // (CI runs the default).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_edit_sequence_serves_what_a_clean_build_writes(edits in proptest::collection::vec(edit(), 1..10)) {
        let mut site = Site::new();
        let mut preview = Preview::new(site.root.path(), BuildOptions::default());
        preview.update(&[]).expect("the first update succeeds");
        // The paths of failed saves, sent again with the next (as serve does).
        let mut retry: Vec<PathBuf> = Vec::new();
        for (step, edit) in edits.iter().enumerate() {
            let mut changed = site.apply(edit);
            changed.append(&mut retry);
            let result = preview.update(&changed);
            // Every body read again, or (the default budget) every body kept.
            let kept_bodies = if step % 2 == 0 { Some(0) } else { None };
            let built = one_shot(site.root.path(), kept_bodies);
            match (result, built) {
                (Ok(_), Ok(built)) => {
                    let served = served(&preview);
                    prop_assert!(served.is_ok(), "after {:?}: {}", edit, served.as_ref().unwrap_err());
                    let served = served.unwrap();
                    prop_assert!(served == built, "after {:?}: {}", edit, first_difference(&served, &built));
                }
                (Err(_), Err(_)) => retry = changed,
                // A save can break a page it does not touch (its link
                // leads to an article that left): that page shows the error.
                (Ok(_), Err(e)) => prop_assert!(served(&preview).is_err(), "after {:?}: the preview serves every page, the build failed: {}", edit, e),
                (Err(e), Ok(_)) => prop_assert!(false, "after {:?}: the preview failed, the build succeeded: {}", edit, e),
            }
        }
    }
}

/// A page whose teaser leads to an article shows whether that article is a
/// stub: flipping the target's flag changes the page with the teaser, though
/// the save keeps the site's shape. Random edit sequences reach this only rarely.
#[test]
fn a_teaser_follows_its_target_becoming_a_stub() {
    let mut site = Site::new();
    let target_title = site.docs[1].title.clone();
    let target_day = site.docs[1].day;
    site.docs[0].teaser = Some((target_title, target_day));
    site.write(0);
    let mut preview = Preview::new(site.root.path(), BuildOptions::default());
    preview.update(&[]).expect("first update");
    let holder = served(&preview)
        .unwrap()
        .into_keys()
        .find(|k| k.ends_with("/a0/index.html"))
        .expect("the page with the teaser");
    let page = |preview: &Preview| {
        let bytes = preview.version().unwrap().file(&holder).unwrap().unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    assert!(!page(&preview).contains("teaser-stub"));

    let changed = site.apply(&Edit::Stub(1));
    preview.update(&changed).expect("the stub flip builds");
    assert!(page(&preview).contains("teaser-stub"));
    let built = one_shot(site.root.path(), None).expect("clean build");
    let served = served(&preview).unwrap();
    assert!(served == built, "{}", first_difference(&served, &built));
}

/// A directory of articles deleted at once: serve's watcher reports the
/// directory alone, and every article in it leaves the site.
#[test]
fn a_deleted_directory_takes_its_articles_with_it() {
    let mut site = Site::new();
    let moved: Vec<PathBuf> = (0..2).flat_map(|i| site.apply(&Edit::Rename(i))).collect();
    let mut preview = Preview::new(site.root.path(), BuildOptions::default());
    preview.update(&[]).expect("first update");
    assert_eq!(moved.len(), 4, "two renames, each an old and a new path");
    let dir = site.root.path().join("content/moved");
    std::fs::remove_dir_all(&dir).unwrap();
    site.docs.retain(|doc| !doc.path.starts_with("moved/"));
    preview.update(std::slice::from_ref(&dir)).expect("builds");
    let built = one_shot(site.root.path(), None).expect("clean build");
    let served = served(&preview).unwrap();
    assert!(served == built, "{}", first_difference(&served, &built));
}

/// A file the site never had is reported gone (the watcher looks again at
/// files it reported lately): nothing changes, and the version stays.
#[test]
fn a_file_the_site_never_had_leaves_the_version_as_it_was() {
    let site = Site::new();
    let mut preview = Preview::new(site.root.path(), BuildOptions::default());
    preview.update(&[]).expect("first update");
    let before = preview.version().expect("a version");
    let never = site.root.path().join("content/never-there.md");
    let delta = preview.update(std::slice::from_ref(&never)).expect("nothing to do");
    assert!(delta.is_empty());
    assert!(Arc::ptr_eq(&before, &preview.version().expect("a version")));
    // A real save still makes a new one.
    let saved = site.root.path().join("content/saved.md");
    std::fs::write(&saved, "---\ntitle: Saved\ndate: 2020-01-01\n---\nText.\n").unwrap();
    preview.update(std::slice::from_ref(&saved)).expect("builds");
    assert!(!Arc::ptr_eq(&before, &preview.version().expect("a version")));
}
