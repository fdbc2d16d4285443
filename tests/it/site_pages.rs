//! Every kind of page of the example site in headless Chromium, built for
//! a sub-path and served there by a plain static server
//! (`tests/browser/site-pages.mjs`, playwright-core and axe-core): no request
//! leaves the sub-path (the icon included), nothing fails to load, no
//! console error, and axe-core finds no WCAG 2 A or AA violation, in the
//! light and the dark colour scheme. Needs Node and Chromium, so the test is
//! ignored by plain `cargo test`; `.ci/run` runs it with the other browser tests.

use crate::support::*;
use std::process::Command;

#[test]
#[ignore = "needs Chromium: run with --ignored"]
fn browser_sees_every_page_kind_under_a_sub_path_load_clean_and_pass_axe() {
    let site = example_site();
    let (_out, public) = build_under_archive(site.path());
    // A stub of the example site: a teaser whose full text is not archived.
    let stub = walkdir::WalkDir::new(site.path().join("content/articles"))
        .into_iter()
        .flatten()
        .find(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("\nstub: true\n")))
        .expect("the example site has a stub");
    let stub = stub.path().strip_prefix(site.path().join("content/articles")).unwrap();
    let stub = stub.to_string_lossy().trim_end_matches(".md").to_string() + "/";
    assert!(public.join(&stub).join("index.html").is_file(), "{stub}");
    let pages = [
        "",
        "2023/10/reading-the-tide-tables/",
        &stub,
        "archive/",
        "archive/2023/",
        "tags/harbour/",
        "tags/",
        "about/",
        "search/?q=tide",
        "404.html",
    ];
    for page in pages.iter().filter(|p| !p.contains('?')) {
        let file = if page.ends_with('/') || page.is_empty() {
            public.join(page).join("index.html")
        } else {
            public.join(page)
        };
        assert!(file.is_file(), "{page} is a page of the example site");
    }
    let dir = browser_dir();
    let output = Command::new("node")
        .arg(dir.join("site-pages.mjs"))
        .args(["--dir", public.to_str().unwrap(), "--prefix", "/archive/"])
        .args(["--pages", &pages.join(","), "--axe", "yes"])
        .current_dir(&dir)
        .output()
        .expect("node runs");
    println!("{}", String::from_utf8_lossy(&output.stdout));
    assert!(
        output.status.success(),
        "the pages are not clean:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
