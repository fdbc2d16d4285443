//! Addresses: an article's URL comes from its file name (or `slug:`), never
//! its title; `aliases:` keep old addresses working; two files may not claim
//! one address; `galley check` warns about an address that went away.

use crate::support::*;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn article(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\n{extra}---\n\nBody of {title}.\n")
}

fn build(site: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    galley(site).arg("build").args(args).assert()
}

#[test]
fn editing_the_title_never_moves_the_article() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        ("content/articles/2021/03/port-talks.md", &article("Port talks", "2021-03-04", "")),
    ]);
    build(site.path(), &[]).success();
    let page = site.path().join("public/2021/03/port-talks/index.html");
    assert!(page.is_file());
    fs::write(
        site.path().join("content/articles/2021/03/port-talks.md"),
        article("Port talks collapse after a week", "2021-03-04", ""),
    )
    .unwrap();
    build(site.path(), &[]).success();
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("Port talks collapse after a week"), "the new title at the same address");
    assert!(!site.path().join("public/2021/03/port-talks-collapse-after-a-week").exists());
}

#[test]
fn two_pages_with_one_headline_in_one_month_get_their_own_addresses() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        ("content/articles/2021/03/port-talks.md", &article("Port talks", "2021-03-04", "")),
        ("content/articles/2021/03/port-talks-2.md", &article("Port talks", "2021-03-20", "")),
        (
            "content/articles/2021/04/later.md",
            &article(
                "Later",
                "2021-04-01",
                "related:\n  - {title: \"Port talks\", date: 2021-03-20}\n",
            ),
        ),
    ]);
    build(site.path(), &[]).success();
    let public = site.path().join("public");
    for page in ["2021/03/port-talks/index.html", "2021/03/port-talks-2/index.html"] {
        assert!(public.join(page).is_file(), "{page}");
    }
    // The teaser finds its page by title and date, whatever the file is called.
    let later = fs::read_to_string(public.join("2021/04/later/index.html")).unwrap();
    assert!(later.contains("href=\"/2021/03/port-talks-2/\""), "{later}");
    galley(site.path()).arg("check").assert().success();
}

#[test]
fn two_files_claiming_one_address_are_an_error_naming_both() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        ("content/a/port-talks.md", &article("Port talks", "2021-03-04", "")),
        ("content/b/port-talks.md", &article("Other talks", "2021-03-09", "")),
    ]);
    build(site.path(), &[])
        .failure()
        .stderr(predicate::str::contains("duplicate permalink /2021/03/port-talks/"))
        .stderr(predicate::str::contains("a/port-talks.md"))
        .stderr(predicate::str::contains("b/port-talks.md"))
        .stderr(predicate::str::contains("slug:"));
}

#[test]
fn an_alias_is_a_redirect_page_under_the_base_path_and_not_in_the_sitemap() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        (
            "content/articles/2021/03/port-talks.md",
            &article(
                "Port <talks> & more",
                "2021-03-04",
                "slug: harbour-talks\naliases: [/2021/03/port-talks/, /old/talks.html]\n",
            ),
        ),
    ]);
    build(site.path(), &["--base-url", "https://example.org/sub/"]).success();
    let public = site.path().join("public");
    assert!(public.join("2021/03/harbour-talks/index.html").is_file());
    for alias in ["2021/03/port-talks/index.html", "old/talks.html"] {
        let html = fs::read_to_string(public.join(alias)).unwrap();
        assert!(
            html.contains(
                r#"<meta http-equiv="refresh" content="0; url=/sub/2021/03/harbour-talks/">"#
            ),
            "{alias}: {html}"
        );
        assert!(
            html.contains(
                r#"<link rel="canonical" href="https://example.org/sub/2021/03/harbour-talks/">"#
            ),
            "{alias}: {html}"
        );
        assert!(html.contains("Port &lt;talks&gt; &amp; more"), "{alias}: the title is escaped");
    }
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/sub/2021/03/harbour-talks/"));
    assert!(!sitemap.contains("port-talks") && !sitemap.contains("old/talks"), "{sitemap}");
    galley(site.path())
        .args(["check", "--base-url", "https://example.org/sub/"])
        .assert()
        .success();
}

#[test]
fn an_alias_at_a_taken_address_is_an_error_naming_both_files() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        ("content/one.md", &article("One", "2021-03-04", "aliases: [/2021/03/two/]\n")),
        ("content/two.md", &article("Two", "2021-03-05", "")),
        ("content/three.md", &article("Three", "2021-03-06", "aliases: [\"/2021/03/two\"]\n")),
    ]);
    build(site.path(), &[])
        .failure()
        .stderr(predicate::str::contains("alias `/2021/03/two/` is already the address of"))
        .stderr(predicate::str::contains("two.md"))
        .stderr(predicate::str::contains("one.md"))
        .stderr(predicate::str::contains("three.md"));
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        ("content/one.md", &article("One", "2021-03-04", "aliases: [/tags/]\n")),
    ]);
    build(site.path(), &[]).failure().stderr(predicate::str::contains(
        "alias `/tags/` is already the address of a page galley generates",
    ));
}

#[test]
fn check_warns_when_an_address_of_the_last_build_went_away_without_an_alias() {
    let site = site_with(&[
        ("site.yaml", "title: T\nbase_url: https://example.org/\n"),
        ("content/port-talks.md", &article("Port talks", "2021-03-04", "")),
    ]);
    build(site.path(), &[]).success();
    fs::rename(site.path().join("content/port-talks.md"), site.path().join("content/harbour.md"))
        .unwrap();
    galley(site.path())
        .arg("check")
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: https://example.org/2021/03/port-talks/"))
        .stderr(predicate::str::contains("aliases: [\"/2021/03/port-talks/\"]"));
    fs::write(
        site.path().join("content/harbour.md"),
        article("Port talks", "2021-03-04", "aliases: [/2021/03/port-talks/]\n"),
    )
    .unwrap();
    galley(site.path())
        .arg("check")
        .assert()
        .success()
        .stderr(predicate::str::contains("warning:").not());
}
