//! The fixture site `tests/fixtures/sites/small-archive`, built, kept as
//! insta snapshots in `tests/it/snapshots/`: the list of every output file,
//! the bytes of a few representative pages, and the message of every kind of
//! diagnostic a user can meet. A change in what galley writes is then a diff
//! to review and accept (`cargo insta review`, or `INSTA_UPDATE=always` and
//! `git diff`), not a `contains` that still passes.
//!
//! Snapshots are never written in CI: under `CI=true` insta fails on a
//! missing or different snapshot without writing one.

use super::support::{copy_dir, read_tree, repo_root};
use galley::pipeline::{BuildOptions, build};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures/sites/small-archive")
}

/// The fixture's output, built once for all the tests here.
fn output() -> &'static BTreeMap<String, Vec<u8>> {
    static OUTPUT: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let public = out.path().join("public");
        let options = BuildOptions { output: Some(public.clone()), ..BuildOptions::default() };
        build(&fixture(), &options).expect("the fixture site builds");
        read_tree(&public)
    })
}

fn page(path: &str) -> &'static str {
    let bytes = output().get(path).unwrap_or_else(|| panic!("no output file {path}"));
    std::str::from_utf8(bytes).expect("output pages are UTF-8")
}

#[test]
fn output_tree() {
    let paths: Vec<&str> = output().keys().map(String::as_str).collect();
    insta::assert_snapshot!(paths.join("\n"));
}

#[test]
fn article_page() {
    insta::assert_snapshot!(page("2024/01/harbour-lights/index.html"));
}

#[test]
fn stub_page() {
    insta::assert_snapshot!(page("2024/02/a-stub-about-tugs/index.html"));
}

#[test]
fn home_page() {
    insta::assert_snapshot!(page("index.html"));
}

#[test]
fn month_archive_page() {
    insta::assert_snapshot!(page("archive/2024/02/index.html"));
}

#[test]
fn term_page() {
    insta::assert_snapshot!(page("tags/harbours/index.html"));
}

#[test]
fn atom_feed() {
    insta::assert_snapshot!(page("atom.xml"));
}

#[test]
fn sitemap() {
    insta::assert_snapshot!(page("sitemap.xml"));
}

const FERRY: &str = "content/articles/2024/02/the-ferry-timetable.md";

/// What building a copy of the fixture, changed by `change`, fails with, its
/// paths relative to the site's root.
fn build_error(change: impl FnOnce(&Path)) -> String {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), site.path());
    change(site.path());
    let out = tempfile::tempdir().unwrap();
    let options =
        BuildOptions { output: Some(out.path().join("public")), ..BuildOptions::default() };
    let error = build(site.path(), &options).expect_err("the changed site does not build");
    let mut shown = error.to_string();
    let canonical = site.path().canonicalize().unwrap();
    for root in [site.path(), canonical.as_path()] {
        shown = shown.replace(&format!("{}/", root.display()), "");
    }
    shown
}

/// Replaces `from` with `to` in the site file at `relative`, which must hold it.
fn edit(root: &Path, relative: &str, from: &str, to: &str) {
    let path = root.join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{relative} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn diagnostic_bad_yaml_front_matter() {
    let error = build_error(|root| {
        edit(root, FERRY, "tags: [ferries, harbours]", "tags: [ferries, harbours");
    });
    insta::assert_snapshot!(error);
}

#[test]
fn diagnostic_missing_title() {
    let error = build_error(|root| {
        edit(root, FERRY, "title: The ferry timetable\n", "");
    });
    insta::assert_snapshot!(error);
}

#[test]
fn diagnostic_bad_date() {
    let error = build_error(|root| {
        edit(root, FERRY, "date: 2024-02-02", "date: 2024-02-30");
    });
    insta::assert_snapshot!(error);
}

#[test]
fn diagnostic_unknown_site_key() {
    let error = build_error(|root| {
        edit(root, "site.yaml", "paginate: 2", "paginte: 2");
    });
    insta::assert_snapshot!(error);
}

#[test]
fn diagnostic_broken_md_link() {
    let error = build_error(|root| {
        edit(root, FERRY, "every forty minutes.", "every forty minutes ([see](../01/no-such.md)).");
    });
    insta::assert_snapshot!(error);
}

#[test]
fn diagnostic_duplicate_permalink() {
    let error = build_error(|root| {
        write(
            root,
            "content/articles/2024/01/harbour-lights-again.md",
            "---\ntitle: Harbour lights, again\ndate: 2024-01-20\nslug: harbour-lights\n---\n\nMore.\n",
        );
    });
    insta::assert_snapshot!(error);
}

#[test]
fn diagnostic_template_error_in_an_override() {
    let error = build_error(|root| {
        write(
            root,
            "templates/article.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }</h1>\n{% endblock %}\n",
        );
    });
    insta::assert_snapshot!(error);
}
