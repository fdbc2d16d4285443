//! Teasers in the tail of a whole page: a related box of dated headlines
//! becomes stubs, as the seed's teasers do; an undated menu does not. Pages
//! in `tests/fixtures/whole-pages/` were written for these tests.

use std::path::{Path, PathBuf};

fn page(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whole-pages").join(name)
}

/// Copies a fixture page into the site's `sources/`.
fn source(site: &Path, name: &str) -> PathBuf {
    let saved = site.join("sources").join(name);
    std::fs::create_dir_all(saved.parent().unwrap()).unwrap();
    std::fs::copy(page(name), &saved).unwrap();
    saved
}

fn articles(site: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![site.join("content/articles")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_related_box_of_dated_headlines_becomes_stubs() {
    let site = super::site();
    let saved = source(site.path(), "related-box.txt");
    let (code, stdout, stderr) = super::import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 written, 3 stubs"), "{stdout}");
    let article = site
        .path()
        .join("content/articles/2019/11/tide-barrier-gates-close-for-the-first-winter-test.md");
    let (fm, body) = super::read_article(&article);
    assert!(!fm.stub);
    let related: Vec<(&str, String)> = fm
        .related
        .iter()
        .map(|t| (t.title.as_str(), t.date.map(|d| d.to_string()).unwrap_or_default()))
        .collect();
    assert_eq!(
        related,
        [
            ("Council Approves the New Tide Barrier", "2019-11-05".to_string()),
            ("Ferry Crews Train for the Storm Season", "2019-10-28".to_string()),
            ("Fish Market Traders Count the Cost of the Floods", "2019-10-02".to_string()),
        ]
    );
    assert_eq!(fm.related[1].byline.as_deref(), Some("Ann Lee"));
    assert!(!body.contains("Council Approves"), "{body}");
    for (path, title) in [
        (
            "2019/11/council-approves-the-new-tide-barrier.md",
            "Council Approves the New Tide Barrier",
        ),
        (
            "2019/10/ferry-crews-train-for-the-storm-season.md",
            "Ferry Crews Train for the Storm Season",
        ),
        (
            "2019/10/fish-market-traders-count-the-cost-of-the-floods.md",
            "Fish Market Traders Count the Cost of the Floods",
        ),
    ] {
        let (stub, stub_body) =
            super::read_article(&site.path().join("content/articles").join(path));
        assert!(stub.stub, "{path}");
        assert_eq!(stub.title, title);
        assert!(stub_body.trim().is_empty(), "{path}: {stub_body}");
    }
    assert_eq!(articles(site.path()).len(), 4);
}

#[test]
fn an_undated_menu_after_the_body_makes_no_stubs() {
    let site = super::site();
    let saved = source(site.path(), "menu-after-body.txt");
    let (code, stdout, stderr) = super::import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 written, 0 stubs"), "{stdout}");
    let files = articles(site.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let (fm, _) = super::read_article(&files[0]);
    assert_eq!(fm.title, "Pier Lights Return After a Year in Storage");
    assert!(fm.related.is_empty(), "{:?}", fm.related);
}

#[test]
fn a_second_import_of_the_page_writes_nothing() {
    let site = super::site();
    let saved = source(site.path(), "related-box.txt");
    let (code, _, stderr) = super::import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    let before: Vec<(PathBuf, Vec<u8>)> = articles(site.path())
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    let (code, stdout, stderr) = super::import(site.path(), &[&saved]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 written, 0 stubs, 0 upgraded, 4 unchanged"), "{stdout}");
    let after: Vec<(PathBuf, Vec<u8>)> = articles(site.path())
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn the_full_text_of_a_teased_article_upgrades_its_stub() {
    let site = super::site();
    let page = source(site.path(), "related-box.txt");
    let (code, _, stderr) = super::import(site.path(), &[&page]);
    assert_eq!(code, 0, "{stderr}");
    let stub_path =
        site.path().join("content/articles/2019/10/ferry-crews-train-for-the-storm-season.md");
    assert!(super::read_article(&stub_path).0.stub);
    let full = source(site.path(), "teased-article.txt");
    let (code, stdout, stderr) = super::import(site.path(), &[&full]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 written, 0 stubs, 1 upgraded"), "{stdout}");
    let (fm, body) = super::read_article(&stub_path);
    assert!(!fm.stub);
    assert_eq!(fm.title, "Ferry Crews Train for the Storm Season");
    assert_eq!(fm.authors, ["Ann Lee"]);
    assert!(body.trim_start().starts_with("Crews of the three harbour ferries"), "{body}");
    assert_eq!(articles(site.path()).len(), 4);
}
