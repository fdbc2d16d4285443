//! Feeds per term: every term page links its own Atom feed, which parses
//! with a real feed parser and carries the term's latest full articles,
//! with the lead of each (the site's feed carries whole bodies); `feeds:
//! false` leaves a taxonomy's out.

use crate::support::*;
use std::fs;
use std::path::Path;

/// The `href` of the term feed a term page links with `rel=alternate`.
fn linked_feed(html: &str) -> Option<String> {
    let start = html.find("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")?;
    let rest = &html[start..];
    // The site's feed comes first in every page; a term page adds its own after it.
    let second = rest[1..].find("<link rel=\"alternate\" type=\"application/atom+xml\"")?;
    let link = &rest[1 + second..];
    let href = &link[link.find("href=\"")? + 6..];
    Some(href[..href.find('"')?].to_string())
}

fn term_pages(public: &Path, taxonomy: &str) -> Vec<std::path::PathBuf> {
    fs::read_dir(public.join(taxonomy))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| e.path())
        .collect()
}

#[test]
fn every_term_page_links_a_feed_that_parses_and_carries_its_articles() {
    let site = example_site();
    let (_out, public) = build_under_archive(site.path());
    let mut feeds = 0;
    for taxonomy in ["tags", "authors", "publications", "series"] {
        let pages = term_pages(&public, taxonomy);
        assert!(!pages.is_empty(), "{taxonomy} has terms");
        for dir in pages {
            let html = fs::read_to_string(dir.join("index.html")).unwrap();
            let href =
                linked_feed(&html).unwrap_or_else(|| panic!("{} links no feed", dir.display()));
            let relative = href.strip_prefix("/archive/").expect("under the base path");
            let xml = fs::read_to_string(public.join(relative)).unwrap();
            let feed: atom_syndication::Feed =
                xml.parse().unwrap_or_else(|e| panic!("{href} parses as Atom: {e}"));
            let term_url =
                format!("https://example.org/archive/{}", relative.trim_end_matches("atom.xml"));
            assert_eq!(feed.id(), term_url);
            assert!(feed.links().iter().any(|l| l.rel() == "self" && l.href().ends_with(&href)));
            assert!(feed.links().iter().any(|l| l.rel() == "alternate" && l.href() == term_url));
            assert!(feed.entries().len() <= 20, "feed.limit is 20");
            // Its entries are articles of the term, newest first, with their text.
            let term_path = href.trim_end_matches("atom.xml");
            for entry in feed.entries() {
                let link = entry.links()[0].href();
                let path = link.strip_prefix("https://example.org/archive/").unwrap();
                let article = fs::read_to_string(public.join(path).join("index.html")).unwrap();
                assert!(
                    article.contains(&format!("href=\"{term_path}\"")),
                    "{href}: {link} is not of the term"
                );
                // Its lead (here each body's first paragraph), not the whole body.
                let lead = entry.content().and_then(|c| c.value()).unwrap_or_default();
                assert!(lead.starts_with("<p>") && lead.ends_with("</p>"), "{href}: {lead}");
                assert_eq!(lead.matches("</p>").count(), 1, "{href}: {lead}");
                assert!(article.contains(lead), "{href}: {link} does not open with {lead}");
            }
            let dates: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
            assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{href}: {dates:?}");
            feeds += 1;
        }
    }
    assert!(feeds > 10, "{feeds} term feeds");
    galley(site.path()).arg("check").assert().success();
}

#[test]
fn feeds_false_leaves_a_taxonomys_feeds_out_and_limit_caps_them() {
    let article = |n: usize| {
        format!(
            "---\ntitle: Article {n}\ndate: 2021-03-{n:02}\ntags: [ports]\nauthors: [Ann]\n---\n\nBody {n}.\n"
        )
    };
    let mut files: Vec<(String, String)> =
        (1..=5).map(|n| (format!("content/a{n}.md"), article(n))).collect();
    files.push((
        "site.yaml".into(),
        "title: T\nfeed:\n  limit: 3\ntaxonomies: [tags, {name: authors, feeds: false}]\n".into(),
    ));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let site = site_with(&borrowed);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    galley(site.path()).args(["build", "--output"]).arg(&public).assert().success();
    let feed: atom_syndication::Feed =
        fs::read_to_string(public.join("tags/ports/atom.xml")).unwrap().parse().unwrap();
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(titles, ["Article 5", "Article 4", "Article 3"]);
    assert!(!public.join("authors/ann/atom.xml").exists());
    let author_page = fs::read_to_string(public.join("authors/ann/index.html")).unwrap();
    assert_eq!(linked_feed(&author_page), None, "no feed, no link");
}

#[test]
fn a_terms_feed_carries_the_part_before_more_and_the_sites_feed_the_whole_body() {
    let site = site_with(&[
        ("site.yaml", "title: T\n"),
        (
            "content/a.md",
            "---\ntitle: Marked\ndate: 2021-03-02\ntags: [ports]\n---\n\nFirst.\n\nSecond.\n\n\
             <!-- more -->\n\nThird, not in the lead.\n",
        ),
        (
            "content/b.md",
            "---\ntitle: Heading first\ndate: 2021-03-01\ntags: [ports]\n---\n\n## Part\n\nText.\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    galley(site.path()).args(["build", "--output"]).arg(&public).assert().success();
    let parse = |path: &str| -> atom_syndication::Feed {
        fs::read_to_string(public.join(path)).unwrap().parse().unwrap()
    };
    let content = |feed: &atom_syndication::Feed, n: usize| {
        feed.entries()[n].content().and_then(|c| c.value()).map(str::to_string)
    };
    let term = parse("tags/ports/atom.xml");
    let lead = content(&term, 0).unwrap();
    assert!(lead.contains("First.") && lead.contains("Second."), "{lead}");
    assert!(!lead.contains("Third"), "{lead}");
    // A body that opens with a heading has no lead: the entry is its title and link.
    assert_eq!(content(&term, 1), None);
    let whole = parse("atom.xml");
    assert!(content(&whole, 0).unwrap().contains("Third, not in the lead."));
    assert!(content(&whole, 1).unwrap().contains("Text."));
}
