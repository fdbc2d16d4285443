//! The parts every page shows the same (the head's links, the header, the
//! footer), which the build renders once and hands to every page, are the
//! bytes the page's own template would print with the partials included in
//! place; the header still marks the page it is on. A term's link, made once
//! for all the pages that show it, keeps each page's own spelling of the term.

use crate::support::*;
use std::fs;

/// The default theme's `base.html` with the shared parts always included by
/// the page itself, as a theme that knows nothing of them does.
fn base_including_the_partials() -> String {
    let base = fs::read_to_string(repo_root().join("themes/default/templates/base.html")).unwrap();
    let replaced = ["site.head_links_html", "header_html is defined", "site.footer_html"]
        .iter()
        .fold(base, |base, test| {
            let tag = format!("if {test} %}}");
            assert!(base.contains(&tag), "base.html prints {test}");
            base.replace(&tag, "if false %}")
        });
    assert!(replaced.matches("if false %}").count() == 3, "{replaced}");
    replaced
}

#[test]
fn shared_parts_print_as_the_partials_would_in_each_page() {
    let site = example_site();
    let (_shared_out, shared) = build_under_archive(site.path());
    let templates = site.path().join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("base.html"), base_including_the_partials()).unwrap();
    let (_inline_out, inline) = build_under_archive(site.path());
    let (shared, inline) = (read_tree(&shared), read_tree(&inline));
    assert!(shared.len() > 40, "{} files", shared.len());
    assert_eq!(shared.keys().collect::<Vec<_>>(), inline.keys().collect::<Vec<_>>());
    for (file, bytes) in &shared {
        assert!(bytes == &inline[file], "{file} differs:\n{}", String::from_utf8_lossy(bytes));
    }
}

#[test]
fn the_header_marks_the_page_it_is_on_and_no_other() {
    let site = example_site();
    let (_out, public) = build_under_archive(site.path());
    let current = |page: &str| -> Vec<String> {
        let html = fs::read_to_string(public.join(page).join("index.html")).unwrap();
        let header = &html[html.find("<header class=\"site-header\">").unwrap()..];
        let header = &header[..header.find("</header>").unwrap()];
        let pieces: Vec<&str> = header.split(" aria-current=\"page\"").collect();
        pieces[..pieces.len() - 1]
            .iter()
            .map(|before| {
                before[before.rfind("href=\"").unwrap() + 6..].trim_end_matches('"').into()
            })
            .collect()
    };
    assert_eq!(current(""), ["/archive/"]);
    assert_eq!(current("archive"), ["/archive/archive/"]);
    assert_eq!(current("tags"), ["/archive/tags/"]);
    assert_eq!(current("authors"), ["/archive/authors/"]);
    assert_eq!(current("about"), ["/archive/about/"]);
    assert!(current("archive/2023").is_empty());
    assert!(current("tags/harbour").is_empty());
    assert!(current("2023/10/reading-the-tide-tables").is_empty());
}

#[test]
fn a_shared_term_link_keeps_each_pages_spelling() {
    let site = site_with(&[
        ("site.yaml", "title: T\nbase_url: https://example.org/\n"),
        ("content/articles/a.md", "---\ntitle: A\ndate: 2020-01-01\ntags: [Energy]\n---\nA.\n"),
        ("content/articles/b.md", "---\ntitle: B\ndate: 2021-01-01\ntags: [energy]\n---\nB.\n"),
        ("content/articles/c.md", "---\ntitle: C\ndate: 2022-01-01\ntags: [energy]\n---\nC.\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    galley(site.path()).args(["build", "--output"]).arg(out.path()).assert().success();
    let tag = |page: &str| {
        let html = fs::read_to_string(out.path().join(page).join("index.html")).unwrap();
        let list = &html[html.find("<nav class=\"tags\"").unwrap()..];
        list[list.find("<li>").unwrap() + 4..list.find("</li>").unwrap()].to_string()
    };
    assert_eq!(tag("2020/01/a"), "<a href=\"/tags/energy/\">Energy</a>");
    assert_eq!(tag("2021/01/b"), "<a href=\"/tags/energy/\">energy</a>");
    assert_eq!(tag("2022/01/c"), "<a href=\"/tags/energy/\">energy</a>");
}
