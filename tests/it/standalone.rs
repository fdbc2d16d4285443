//! Standalone pages and the menu in a built site: where a page lives, what
//! leaves it out, and the errors that keep addresses and menus honest.

use crate::support::*;
use predicates::prelude::*;
use std::fs;

const ARTICLE: &str = "---\ntitle: \"A plain article\"\ndate: 2021-03-04\nauthors: [\"Ada Writer\"]\ntags: [\"Energy\"]\n---\n\nBody text.\n";
const ABOUT: &str =
    "---\ntitle: About the archive\ntags: [Energy]\n---\n\nWho keeps it, and why.\n";
const COLOPHON: &str = "---\ntitle: Colophon\ndate: 2020-02-02\npage: true\n---\n\nSet in type.\n";
const MENU: &str = "title: T\nbase_url: https://example.org/sub/\nmenu:\n  - {title: About, page: about}\n  - {title: Elsewhere, url: \"https://example.com/?a=1&b=2\"}\n  - {title: The 2021 archive, url: /archive/2021/}\n";

#[test]
fn standalone_pages_have_their_own_address_and_stay_out_of_lists() {
    let site = site_with(&[
        ("site.yaml", MENU),
        ("content/articles/a.md", ARTICLE),
        ("content/pages/about.md", ABOUT),
        ("content/colophon.md", COLOPHON),
    ]);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    galley(site.path()).args(["build", "--output"]).arg(&public).assert().success();

    let about = fs::read_to_string(public.join("about/index.html")).unwrap();
    assert!(about.contains("<h1>About the archive</h1>"), "{about}");
    assert!(about.contains("Who keeps it, and why."));
    assert!(!about.contains("<time"), "an undated page shows no date");
    let colophon = fs::read_to_string(public.join("colophon/index.html")).unwrap();
    assert!(colophon.contains("<time datetime=\"2020-02-02T00:00:00Z\">"), "{colophon}");

    // Out of the home page, the archive, the feed and the taxonomies.
    for file in ["index.html", "archive/index.html", "atom.xml", "tags/energy/index.html"] {
        let text = fs::read_to_string(public.join(file)).unwrap();
        assert!(!text.contains("About the archive"), "{file} lists the about page");
        assert!(!text.contains("Colophon"), "{file} lists the colophon");
    }
    assert!(!public.join("archive/2020").exists(), "a dated page makes no archive year");
    let tags = fs::read_to_string(public.join("tags/energy/index.html")).unwrap();
    assert!(tags.contains("1 article"), "{tags}");
    // In the sitemap and the search index.
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/sub/about/</loc>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/sub/colophon/</loc>"), "{sitemap}");
    let index: String = walkdir::WalkDir::new(public.join("search"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(index.contains("About the archive") && index.contains("/sub/about/"), "search");

    // The menu, on every kind of page, under the base path and escaped.
    for file in ["index.html", "about/index.html", "2021/03/a/index.html", "tags/index.html"] {
        let html = fs::read_to_string(public.join(file)).unwrap();
        assert!(html.contains("<a href=\"/sub/about/\""), "{file}: {html}");
        assert!(html.contains("href=\"https://example.com/?a=1&amp;b=2\">Elsewhere</a>"), "{file}");
        assert!(html.contains("href=\"/sub/archive/2021/\">The 2021 archive</a>"), "{file}");
    }
    assert!(about.contains("<a href=\"/sub/about/\" aria-current=\"page\">About</a>"), "{about}");
    galley(site.path()).arg("check").assert().success();
}

#[test]
fn a_page_needs_a_title_and_a_free_address_and_the_menu_a_real_page() {
    let no_title = site_with(&[("site.yaml", "title: T\n"), ("content/pages/x.md", "---\n---\n")]);
    galley(no_title.path())
        .arg("build")
        .assert()
        .failure()
        .stderr(predicate::str::contains("x.md:1:").and(predicate::str::contains("`title:`")));

    let taken = site_with(&[("site.yaml", "title: T\n"), ("content/pages/archive.md", ABOUT)]);
    galley(taken.path())
        .arg("build")
        .assert()
        .failure()
        .stderr(predicate::str::contains("archive.md").and(predicate::str::contains("/archive/")));

    // A menu naming a page the site lacks still builds; `galley check` finds the broken link.
    let missing = site_with(&[("site.yaml", MENU), ("content/a.md", ARTICLE)]);
    galley(missing.path()).arg("build").assert().success();
    galley(missing.path())
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("index.html: broken link `/sub/about/`"));

    let undated_article = site_with(&[("site.yaml", "title: T\n"), ("content/about.md", ABOUT)]);
    galley(undated_article.path())
        .arg("build")
        .assert()
        .failure()
        .stderr(predicate::str::contains("content/pages/"));
}
