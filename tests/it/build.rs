//! `galley build` and `galley check` on real sites: the bundled example and
//! small sites written by the tests.

use crate::support::*;
use predicates::prelude::*;
use std::fs;

const ARTICLE: &str = "---\ntitle: \"A plain article\"\ndate: 2021-03-04\nauthors: [\"Ada Writer\"]\ntags: [\"Energy\"]\n---\n\nBody text.\n";

#[test]
fn example_site_builds_and_crawls_clean_under_a_sub_path() {
    let site = example_site();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("archive");
    galley(site.path())
        .args(["build", "--base-url", "https://example.org/archive/", "--output"])
        .arg(&public)
        .assert()
        .success()
        // The about page is counted as a page, not as an article.
        .stdout(predicate::str::contains("built 14 articles and 1 page: "));
    for file in [
        "index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "archive/index.html",
        "tags/index.html",
        "authors/index.html",
        "publications/index.html",
    ] {
        assert!(public.join(file).is_file(), "{file} is missing");
    }
    let server = StaticServer::start(&public, "/archive/");
    let crawl = crawl(server.addr, "/archive/", "/archive/");
    assert!(crawl.broken.is_empty(), "broken links: {:#?}", crawl.broken);
    let articles = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert!(crawl.pages > articles, "crawled {} pages for {articles} articles", crawl.pages);

    // The stylesheet is fingerprinted and linked under the sub-path.
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    let css = fs::read_dir(&public)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("style.") && n.ends_with(".css"))
        .expect("a fingerprinted stylesheet");
    assert!(css.len() > "style..css".len() + 7, "{css} carries a hash");
    assert!(home.contains(&format!("/archive/{css}")), "home links {css} under /archive/");
}

#[test]
fn feed_is_valid_atom_with_absolute_urls() {
    let site = example_site();
    let out = tempfile::tempdir().unwrap();
    galley(site.path())
        .args(["build", "--base-url", "https://example.org/archive/", "--output"])
        .arg(out.path().join("p"))
        .assert()
        .success();
    let xml = fs::read_to_string(out.path().join("p/atom.xml")).unwrap();
    let feed: atom_syndication::Feed = xml.parse().expect("atom.xml parses as Atom");
    assert!(!feed.entries().is_empty());
    assert!(feed.entries().len() <= 20, "feed.limit is 20");
    for entry in feed.entries() {
        let link = &entry.links()[0];
        assert!(link.href().starts_with("https://example.org/archive/"), "{}", link.href());
        let rel = link.href().trim_start_matches("https://example.org/archive/");
        assert!(
            out.path().join("p").join(rel).join("index.html").is_file(),
            "{} exists",
            link.href()
        );
        assert!(
            entry.content().and_then(|c| c.value()).is_some_and(|v| v.contains("<p>")),
            "entries carry their HTML"
        );
    }
    // Newest first, and the feed is as new as its newest entry (no build time).
    let dates: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(*feed.updated(), dates[0]);
}

#[test]
fn sitemap_lists_every_page_with_absolute_urls() {
    let site = example_site();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("p");
    galley(site.path())
        .args(["build", "--base-url", "https://example.org/sub/", "--output"])
        .arg(&public)
        .assert()
        .success();
    let xml = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut locs = Vec::new();
    let mut in_loc = false;
    loop {
        match reader.read_event().expect("sitemap.xml is well-formed") {
            quick_xml::events::Event::Start(e) if e.local_name().as_ref() == b"loc" => {
                in_loc = true
            }
            quick_xml::events::Event::Text(t) if in_loc => {
                locs.push(t.decode().unwrap().into_owned());
                in_loc = false;
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(xml.contains("http://www.sitemaps.org/schemas/sitemap/0.9"));
    let tree = read_tree(&public);
    let indexable = |bytes: &Vec<u8>| !String::from_utf8_lossy(bytes).contains("noindex");
    let html_pages = tree.iter().filter(|(k, v)| k.ends_with("index.html") && indexable(v)).count();
    assert!(tree.values().any(|v| !indexable(v)), "the example has stub pages");
    assert_eq!(locs.len(), html_pages, "one <loc> per indexable page (404 and stubs excluded)");
    for loc in &locs {
        let rel = loc
            .strip_prefix("https://example.org/sub/")
            .unwrap_or_else(|| panic!("{loc} is under base_url"));
        assert!(public.join(rel).join("index.html").is_file(), "{loc} exists");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let site = example_site();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    galley(site.path()).arg("build").arg("--output").arg(a.path().join("p")).assert().success();
    galley(site.path()).arg("build").arg("--output").arg(b.path().join("p")).assert().success();
    let first = read_tree(&a.path().join("p"));
    assert!(first.len() > 20);
    assert_eq!(first, read_tree(&b.path().join("p")));
    // Timings go to stderr and leave the output as it was.
    let c = tempfile::tempdir().unwrap();
    galley(site.path())
        .arg("build")
        .arg("--timings")
        .arg("--output")
        .arg(c.path().join("p"))
        .assert()
        .success()
        .stderr(predicate::str::contains("timings: wall="))
        .stderr(predicate::str::contains(" markdown="))
        .stderr(predicate::str::contains(" article-pages="))
        .stderr(predicate::str::contains(" published@"));
    assert_eq!(first, read_tree(&c.path().join("p")));
    // A rebuild in place carries unchanged files over and still gives the same tree.
    galley(site.path())
        .arg("build")
        .arg("--output")
        .arg(a.path().join("p"))
        .assert()
        .success()
        .stdout(predicate::str::contains("(0 written"));
    assert_eq!(first, read_tree(&a.path().join("p")));
    // Bodies read again when their pages render, none kept from loading:
    // the same tree as with every body kept (the example fits the budget).
    let d = tempfile::tempdir().unwrap();
    let options = galley::pipeline::BuildOptions {
        output: Some(d.path().join("p")),
        kept_bodies: Some(0),
        ..Default::default()
    };
    galley::pipeline::build(site.path(), &options).unwrap();
    assert_eq!(first, read_tree(&d.path().join("p")));
}

#[test]
fn bad_front_matter_fails_at_the_right_line_and_keeps_public() {
    let site = site_with(&[
        ("site.yaml", "title: Test\n"),
        ("content/a.md", ARTICLE),
        ("content/b.md", "---\ntitle: B\ndate: 2021-01-01\n---\nok\n"),
    ]);
    galley(site.path()).arg("build").assert().success();
    let before = read_tree(&site.path().join("public"));

    fs::write(site.path().join("content/a.md"), "---\ntitle: \"A\"\ndate: 2021-02-30\n---\n\nx\n")
        .unwrap();
    fs::write(
        site.path().join("content/b.md"),
        "---\ntitle: B\ndate: 2021-01-01\ntags: [unclosed\n---\nok\n",
    )
    .unwrap();
    galley(site.path())
        .arg("build")
        .assert()
        .failure()
        .stderr(predicate::str::contains("content/a.md:3:"))
        .stderr(predicate::str::contains("date: 2021-02-30"))
        .stderr(predicate::str::contains("content/b.md:"))
        .stderr(predicate::str::contains("2 errors"));
    assert_eq!(
        before,
        read_tree(&site.path().join("public")),
        "a failed build leaves public/ as it was"
    );
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn hostile_front_matter_is_escaped_everywhere() {
    let site = site_with(&[
        ("site.yaml", "title: \"<i>Site</i> & co\"\n"),
        (
            "content/x.md",
            "---\ntitle: \"<script>alert(1)</script> & \\\"q\\\"\"\ndate: 2020-01-02\nauthors: [\"<b>Bold</b>\"]\ntags: [\"<img src=x onerror=alert(2)>\"]\nstandfirst: \"</p><script>x()</script>\"\nimage: {caption: \"<svg onload=alert(3)>\", credit: \"AP & <u>\"}\n---\n\nThe *author's* own <em>markup</em> stays.\n",
        ),
    ]);
    galley(site.path()).arg("build").assert().success();
    let tree = read_tree(&site.path().join("public"));
    for (path, bytes) in &tree {
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for raw in [
            "<script>alert(1)",
            "<b>Bold</b>",
            "<img src=x",
            "<script>x()",
            "<svg onload",
            "<i>Site</i>",
            "<u>",
        ] {
            assert!(!text.contains(raw), "{path} contains raw `{raw}`");
        }
    }
    let article = String::from_utf8_lossy(&tree["2020/01/x/index.html"]).into_owned();
    assert!(
        article.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || article.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "title escaped"
    );
    assert!(article.contains("<em>markup</em>"), "the author's own Markdown HTML is kept");
}

#[test]
fn refuses_to_publish_over_the_site() {
    let site = site_with(&[("site.yaml", "title: T\n"), ("content/a.md", ARTICLE)]);
    galley(site.path())
        .args(["build", "--output"])
        .arg(site.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("refusing"));
    galley(site.path())
        .args(["build", "--output"])
        .arg(site.path().join("content/out"))
        .assert()
        .failure();
    assert!(site.path().join("content/a.md").is_file());
}

#[test]
fn drafts_only_with_the_flag() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        ("content/a.md", ARTICLE),
        ("content/d.md", "---\ntitle: Secret draft\ndate: 2021-05-05\ndraft: true\n---\n\nx\n"),
    ]);
    galley(site.path()).arg("build").assert().success();
    assert!(!site.path().join("public/2021/05/d/index.html").exists());
    galley(site.path()).args(["build", "--drafts"]).assert().success();
    assert!(site.path().join("public/2021/05/d/index.html").exists());
}

#[test]
fn missing_link_target_is_an_error_with_its_line() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2021-01-01\n---\n\nFirst paragraph.\n\nSee [the other](missing.md) page.\n",
        ),
    ]);
    galley(site.path())
        .arg("build")
        .assert()
        .failure()
        .stderr(predicate::str::contains("content/a.md:8:"));
}

#[test]
fn relative_md_links_become_permalinks() {
    let site = site_with(&[
        ("site.yaml", "title: T\nbase_url: https://e.org/sub/\n"),
        (
            "content/articles/a.md",
            "---\ntitle: A\ndate: 2021-01-01\n---\n\nSee [B](../more/b.md#part-two).\n",
        ),
        ("content/more/b.md", "---\ntitle: B\ndate: 2021-02-01\n---\n\n## Part two\n\ntext\n"),
    ]);
    galley(site.path()).arg("build").assert().success();
    let a = fs::read_to_string(site.path().join("public/2021/01/a/index.html")).unwrap();
    assert!(a.contains("href=\"/sub/2021/02/b/#part-two\""), "{a}");
    galley(site.path()).arg("check").assert().success();
}

#[test]
fn check_reports_broken_links_and_exits_non_zero() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2021-01-01\n---\n\nA <a href=\"/nowhere/\">raw link</a> and [an anchor](#nope).\n",
        ),
    ]);
    galley(site.path())
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("broken link `/nowhere/`"))
        .stderr(predicate::str::contains("broken anchor `#nope`"));
    assert!(!site.path().join("public").exists(), "check builds elsewhere");
}

#[test]
fn check_passes_on_the_example_site() {
    let site = example_site();
    galley(site.path())
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("0 problems"));
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let new_site = dir.path().join("fresh");
    galley(dir.path()).arg("init").arg(&new_site).assert().success();
    galley(&new_site).arg("build").assert().success();
    assert!(new_site.join("public/index.html").is_file());
    let about = std::fs::read_to_string(new_site.join("public/about/index.html")).unwrap();
    assert!(about.contains("<a href=\"/about/\" aria-current=\"page\">About</a>"), "{about}");
    galley(dir.path())
        .arg("init")
        .arg(&new_site)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not empty"));
}

#[test]
fn unknown_config_key_suggests_the_closest() {
    let site = site_with(&[("site.yaml", "title: T\npaginte: 3\n"), ("content/a.md", ARTICLE)]);
    galley(site.path()).arg("build").assert().failure().stderr(predicate::str::contains(
        "site.yaml:2:1: unknown key `paginte`; did you mean `paginate`?",
    ));
}
