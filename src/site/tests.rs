//! Unit tests of the site graph: ordering, URLs, taxonomies, pagination.

use super::outputs::{Listing, ListingKind, OutputPage, SITEMAP_LIMIT};
use super::*;
use crate::config::SiteConfig;
use crate::content::{FrontMatter, Page, slugify};
use crate::urls::BaseUrl;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn page(relative_path: &str, yaml: &str) -> (Arc<Page>, u64) {
    let front_matter: FrontMatter = crate::yaml::parse(yaml, Path::new(relative_path), 2).unwrap();
    let slug = slugify(&front_matter.title);
    let page = Page {
        relative_path: relative_path.to_string(),
        file: PathBuf::from(relative_path),
        front_matter,
        body: Some(String::new()),
        body_first_line: 1,
        standalone: relative_path.starts_with(crate::content::page::PAGES_DIR),
        dated: true,
        slug,
    };
    let hash = graph::page_hash(&page);
    (Arc::new(page), hash)
}

fn config(extra: &str) -> SiteConfig {
    SiteConfig::parse(&format!("title: T\n{extra}"), Path::new("site.yaml")).unwrap()
}

fn graph(extra: &str, pages: Vec<(Arc<Page>, u64)>) -> SiteGraph {
    let config = config(extra);
    let base = BaseUrl::parse(&config.base_url).unwrap();
    SiteGraph::build(config, base, pages, GraphOptions::default()).unwrap()
}

#[test]
fn articles_are_newest_first_with_permalinks() {
    let g = graph(
        "base_url: https://e.org/sub/\n",
        vec![
            page("b.md", "title: Older one\ndate: 2019-06-28\n"),
            page("a.md", "title: Khamenei’s calculations\ndate: 2020-01-05\n"),
            page("c.md", "title: Same day\ndate: 2020-01-05\n"),
        ],
    );
    let order: Vec<&str> = g.articles.iter().map(|a| a.page.relative_path.as_str()).collect();
    assert_eq!(order, ["a.md", "c.md", "b.md"], "newest first, ties by path");
    assert_eq!(&*g.articles[0].site_path, "/2020/01/khameneis-calculations/");
    assert_eq!(g.output_file(OutputPage::Article(0)), "2020/01/khameneis-calculations/index.html");
    assert_eq!(g.url(&g.articles[0].site_path), "/sub/2020/01/khameneis-calculations/");
    assert_eq!(g.permalink("/"), "https://e.org/sub/");
}

#[test]
fn permalink_pattern_is_configurable() {
    let g = graph(
        "permalink: \"/articles/:year/:month/:day/:slug\"\n",
        vec![page("a.md", "title: A b\ndate: 2020-01-05\n")],
    );
    assert_eq!(&*g.articles[0].site_path, "/articles/2020/01/05/a-b/");
}

/// The permalink as the pattern's definition says it: every placeholder
/// replaced, then empty segments dropped.
fn permalink_by_replacing(pattern: &str, page: &Page) -> String {
    let date = page.front_matter.date;
    let filled = pattern
        .replace(":year", &format!("{:04}", date.year()))
        .replace(":month", &format!("{:02}", date.month()))
        .replace(":day", &format!("{:02}", date.day()))
        .replace(":slug", &page.slug);
    let segments: Vec<&str> = filled.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() { "/".to_string() } else { format!("/{}/", segments.join("/")) }
}

proptest::proptest! {
    #[test]
    fn permalink_fills_any_pattern_like_replacing_each_placeholder(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(":year".to_string()),
                proptest::strategy::Just(":month".to_string()),
                proptest::strategy::Just(":day".to_string()),
                proptest::strategy::Just(":slug".to_string()),
                proptest::strategy::Just("/".to_string()),
                proptest::strategy::Just(":".to_string()),
                "[a-z:/-]{0,6}",
            ],
            0..10,
        ),
        slug in "[a-z0-9-]{0,8}",
        year in 1900i16..2100,
        month in 1i8..=12,
        day in 1i8..=28,
    ) {
        let pattern = parts.concat();
        let (page, _) = page("a.md", &format!("title: A\ndate: {year:04}-{month:02}-{day:02}\n"));
        let mut page = Arc::unwrap_or_clone(page);
        page.slug = slug;
        proptest::prop_assert_eq!(
            article::permalink_path(&pattern, &page),
            permalink_by_replacing(&pattern, &page),
            "pattern {:?}", pattern
        );
    }
}

#[test]
fn terms_group_by_slug_and_keep_article_order() {
    let g = graph(
        "",
        vec![
            page("a.md", "title: A\ndate: 2020-01-01\ntags: [Energy, Gas]\nauthors: [Ann Lee]\n"),
            page(
                "b.md",
                "title: B\ndate: 2021-01-01\ntags: [energy]\nauthors: [Ann Lee, Bo Ng]\npublication: The Review\n",
            ),
        ],
    );
    let tags = g.taxonomy("tags").unwrap();
    let names: Vec<(&str, usize)> =
        tags.terms.iter().map(|t| (t.name.as_str(), t.articles.len())).collect();
    assert_eq!(names, [("energy", 2), ("Gas", 1)], "named as the newest article writes it");
    assert_eq!(tags.by_value.get("Energy"), Some(&0), "each spelling finds its term");
    assert_eq!(tags.by_value.get("energy"), Some(&0));
    assert_eq!(tags.by_value.get("Gas"), Some(&1));
    let authors = g.taxonomy("authors").unwrap();
    assert_eq!(authors.terms[0].slug, "ann-lee");
    assert_eq!(authors.terms[0].articles, [0, 1]);
    assert!(g.taxonomy("series").is_none(), "series is not configured by default");
}

#[test]
fn pagination_paths_and_items() {
    let pages = (1..=5)
        .map(|d| page(&format!("p{d}.md"), &format!("title: P{d}\ndate: 2020-01-0{d}\n")))
        .collect();
    let g = graph("paginate: 2\n", pages);
    assert_eq!(g.listing_pages(ListingKind::Home), 3);
    assert_eq!(g.listing_path(ListingKind::Home, 1), "/");
    assert_eq!(g.listing_path(ListingKind::Home, 3), "/page/3/");
    let last = g.listing_page_items(Listing { kind: ListingKind::Home, number: 3 });
    assert_eq!(last.len(), 1);
    assert_eq!(g.articles[last[0]].page.relative_path, "p1.md");
    assert_eq!(g.listing_base_path(ListingKind::Month(0, 0)), "/archive/2020/01/");
    let outputs = g.output_pages();
    assert!(
        outputs.contains(&OutputPage::Listing(Listing { kind: ListingKind::Year(0), number: 3 }))
    );
    assert_eq!(
        g.output_file(OutputPage::Listing(Listing { kind: ListingKind::Home, number: 2 })),
        "page/2/index.html"
    );
    assert_eq!(g.output_file(OutputPage::Feed), "atom.xml");
    // Every output file is distinct.
    let mut files: Vec<String> = outputs.iter().map(|&p| g.output_file(p)).collect();
    let count = files.len();
    files.sort();
    files.dedup();
    assert_eq!(files.len(), count);
}

#[test]
fn duplicate_permalinks_name_both_files() {
    let config = config("");
    let base = BaseUrl::parse("/").unwrap();
    let err = SiteGraph::build(
        config,
        base,
        vec![
            page("x/a.md", "title: Same\ndate: 2020-01-01\n"),
            page("y/b.md", "title: Same\ndate: 2020-01-09\n"),
        ],
        GraphOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("duplicate permalink /2020/01/same/"), "{err}");
    assert!(err.contains("x/a.md") && err.contains("y/b.md"), "{err}");
}

#[test]
fn sitemap_splits_past_fifty_thousand_urls() {
    let template = page("t.md", "title: T\ndate: 2020-01-01\n").0;
    let pages: Vec<(Arc<Page>, u64)> = (0..SITEMAP_LIMIT)
        .map(|i| {
            let mut p = (*template).clone();
            p.relative_path = format!("p{i}.md");
            p.slug = format!("p{i}");
            (Arc::new(p), i as u64)
        })
        .collect();
    let g = graph("paginate: 1000\ntaxonomies: []\n", pages);
    // 50,000 articles + home pages + archive index and its year and month pages.
    assert!(g.sitemap_urls() > SITEMAP_LIMIT);
    assert_eq!(g.sitemap_parts(), 2);
    let outputs = g.output_pages();
    assert!(outputs.contains(&OutputPage::SitemapIndex));
    assert_eq!(g.output_file(OutputPage::SitemapIndex), "sitemap.xml");
    assert_eq!(g.output_file(OutputPage::Sitemap(1)), "sitemap-2.xml");
    assert_eq!(g.sitemap_pages().len(), g.sitemap_urls());
}

/// The parts of a graph that `update_in_place` maintains, by content path
/// (indices would hide a wrong order), for comparing with a fresh build.
fn shape(g: &SiteGraph) -> Vec<String> {
    let path = |i: usize| g.articles[i].page.relative_path.clone();
    let mut shape: Vec<String> = g.articles.iter().map(|a| format!("{}", a.site_path)).collect();
    shape.push(format!("full {:?}", g.full_articles.iter().map(|&i| path(i)).collect::<Vec<_>>()));
    let mut titles: Vec<String> = g
        .by_title
        .iter()
        .map(|(t, list)| format!("{t} {:?}", list.iter().map(|&i| path(i)).collect::<Vec<_>>()))
        .collect();
    titles.sort();
    shape.extend(titles);
    for taxonomy in &g.taxonomies {
        for term in &taxonomy.terms {
            let articles: Vec<String> = term.articles.iter().map(|&i| path(i)).collect();
            shape.push(format!("{} {} {} {articles:?}", taxonomy.name, term.slug, term.name));
        }
    }
    for year in &g.years {
        let articles: Vec<String> = year.articles.iter().map(|&i| path(i)).collect();
        shape.push(format!("{} {articles:?}", year.year));
        for month in &year.months {
            let articles: Vec<String> = month.articles.iter().map(|&i| path(i)).collect();
            shape.push(format!("{}-{} {articles:?}", month.year, month.month));
        }
    }
    let mut paths: Vec<(&String, &usize)> = g.by_content_path.iter().collect();
    paths.sort();
    shape.push(format!("{paths:?}"));
    shape.push(format!("home {:?}", g.home_items));
    for i in 0..g.teaser_targets.len() {
        let targets: Vec<Option<String>> =
            g.teaser_targets.of(i).iter().map(|t| t.map(path)).collect();
        shape.push(format!("{} -> {targets:?}", path(i)));
    }
    shape
}

/// A page whose slug is its file's stem, as the loader gives it.
fn page_at(relative_path: &str, yaml: &str) -> (Arc<Page>, u64) {
    let (page, _) = page(relative_path, yaml);
    let mut page = Arc::unwrap_or_clone(page);
    page.slug = relative_path.trim_end_matches(".md").to_string();
    let hash = graph::page_hash(&page);
    (Arc::new(page), hash)
}

#[test]
fn a_save_that_keeps_every_article_in_place_patches_the_graph_as_a_build_would() {
    let page = page_at;
    let pages = vec![
        page("a.md", "title: Harbour dues\ndate: 2020-01-05\ntags: [Ports]\n"),
        page(
            "b.md",
            "title: Ferry\ndate: 2020-01-04\ntags: [Ports, Tides]\nrelated:\n  - {title: New name, date: 2020-01-03}\n",
        ),
        page("c.md", "title: Old name\ndate: 2020-01-03\nauthors: [Ann]\n"),
        page("d.md", "title: Pier\ndate: 2020-01-02\n"),
    ];
    let mut patched = graph("", pages.clone());
    // c is retitled to what b's teaser names, made a stub, and changes author and tags.
    let c = page(
        "c.md",
        "title: New name\ndate: 2020-01-03\nauthors: [Bo]\ntags: [Tides]\nstub: true\n",
    );
    let changed = patched.update_in_place(std::slice::from_ref(&c)).expect("nothing moved");
    assert!(changed.contains(&2), "c itself changed");
    assert!(changed.contains(&1), "b's teaser now leads to c");
    let mut fresh_pages = pages;
    fresh_pages[2] = c;
    assert_eq!(shape(&patched), shape(&graph("", fresh_pages)));
}

#[test]
fn a_tag_too_long_for_a_file_name_is_cut_in_a_save_as_in_a_build() {
    let page = page_at;
    let long = "Word ".repeat(60);
    let pages = vec![
        page("a.md", &format!("title: A\ndate: 2020-01-05\ntags: [{long}one]\n")),
        page("b.md", "title: B\ndate: 2020-01-04\ntags: [Ports]\n"),
    ];
    let mut patched = graph("", pages.clone());
    // b takes a second long tag (cut like a's, so it needs a -2) and then
    // a's comes in again when a's own tags change.
    let b = page("b.md", &format!("title: B\ndate: 2020-01-04\ntags: [{long}two]\n"));
    patched.update_in_place(std::slice::from_ref(&b)).expect("nothing moved");
    assert_eq!(shape(&patched), shape(&graph("", vec![pages[0].clone(), b.clone()])));
    let a = page("a.md", "title: A\ndate: 2020-01-05\ntags: [Ports]\n");
    patched.update_in_place(std::slice::from_ref(&a)).expect("nothing moved");
    assert_eq!(shape(&patched), shape(&graph("", vec![a, b])));
}

#[test]
fn a_save_that_moves_an_article_leaves_the_graph_to_be_built_again() {
    let page = page_at;
    let pages = vec![
        page("a.md", "title: A\ndate: 2020-01-05\n"),
        page("b.md", "title: B\ndate: 2020-01-04\n"),
    ];
    let mut g = graph("", pages);
    let before = shape(&g);
    let moved = page("b.md", "title: B\ndate: 2020-01-09\n");
    assert!(g.update_in_place(&[moved]).is_none(), "a new date moves the article");
    let new = page("n.md", "title: N\ndate: 2020-01-01\n");
    assert!(g.update_in_place(&[new]).is_none(), "a new page is not in the graph");
    let drafted = page("a.md", "title: A\ndate: 2020-01-05\ndraft: true\n");
    assert!(g.update_in_place(&[drafted]).is_none(), "a draft leaves the site");
    assert_eq!(shape(&g), before, "the graph is left as it was");
}

#[test]
fn deleted_added_and_moved_articles_patch_the_graph_as_a_build_would() {
    let page = page_at;
    let a = page("a.md", "title: A\ndate: 2020-01-05\ntags: [Energy]\n");
    let b = page(
        "b.md",
        "title: B\ndate: 2020-01-04\ntags: [energy]\nrelated:\n  - {title: Lost piece}\n",
    );
    let c = page("c.md", "title: C\ndate: 2020-01-03\ntags: [Ports]\nauthors: [Ann]\n");
    let mut g = graph("", vec![a, b.clone(), c.clone()]);

    // The newest "Energy" leaves: the term is named as the next one writes it.
    let moved = g.update_moving(&[("a.md".to_string(), None)], false).expect("patched");
    assert_eq!(moved.readdressed, ["a.md"], "an article left");
    assert_eq!(shape(&g), shape(&graph("", vec![b.clone(), c.clone()])));
    assert_eq!(g.taxonomy("tags").unwrap().terms[0].name, "energy");

    // An article with the title b's teaser names arrives: the teaser leads to it.
    let d = page("d.md", "title: Lost piece\ndate: 2020-01-02\ntags: [Ports]\n");
    let moved = g.update_moving(&[("d.md".to_string(), Some(d.clone()))], false).unwrap();
    assert_eq!(shape(&g), shape(&graph("", vec![b.clone(), c.clone(), d.clone()])));
    assert!(moved.touched.contains(&0), "b's teaser leads elsewhere now");

    // c moves to the top of the site, keeping its address (a day in its month).
    let c_moved = page("c.md", "title: C\ndate: 2020-01-09\ntags: [Ports]\nauthors: [Ann]\n");
    let moved = g.update_moving(&[("c.md".to_string(), Some(c_moved.clone()))], false).unwrap();
    assert!(moved.readdressed.is_empty(), "c keeps its address");
    assert_eq!(shape(&g), shape(&graph("", vec![b, c_moved, d])));
}

#[test]
fn terms_come_and_go_with_the_articles_that_move() {
    let page = page_at;
    let a = page("a.md", "title: A\ndate: 2020-01-05\ntags: [Energy, Zinc]\n");
    let b = page("b.md", "title: B\ndate: 2020-01-04\ntags: [Ports]\nauthors: [Ann]\n");
    let mut g = graph("", vec![a.clone(), b.clone()]);
    // A new article brings two new terms (one sorting between the others)
    // and a new spelling of an old one; b leaves, emptying "Ports" and "Ann".
    let n = page("n.md", "title: N\ndate: 2020-01-06\ntags: [Harbours, ENERGY]\nauthors: [Bo]\n");
    let changed = [("b.md".to_string(), None), ("n.md".to_string(), Some(n.clone()))];
    g.update_moving(&changed, false).expect("patched");
    assert_eq!(shape(&g), shape(&graph("", vec![a.clone(), n.clone()])));
    let tags = g.taxonomy("tags").unwrap();
    let slugs: Vec<&str> = tags.terms.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["energy", "harbours", "zinc"]);
    assert_eq!(tags.terms[0].name, "ENERGY", "named as the newest article writes it");
    assert_eq!(tags.by_value.get("ENERGY"), Some(&0));
    assert_eq!(tags.by_value.get("Zinc"), Some(&2));
    assert!(!tags.by_value.contains_key("Ports"));
    // A tag too long for a file name is cut with regard to the others: the
    // taxonomy is built again, and still matches a build.
    let long = format!("title: L\ndate: 2020-01-07\ntags: [{}]\n", "Word ".repeat(60));
    let l = page("l.md", &long);
    g.update_moving(&[("l.md".to_string(), Some(l.clone()))], false).expect("patched");
    assert_eq!(shape(&g), shape(&graph("", vec![a, n, l])));
}

#[test]
fn archive_years_and_months_come_and_go_with_the_articles_that_move() {
    let page = page_at;
    let a = page("a.md", "title: A\ndate: 2021-03-05\n");
    let b = page("b.md", "title: B\ndate: 2020-02-04\n");
    let c = page("c.md", "title: C\ndate: 2020-02-03\n");
    let mut g = graph("", vec![a.clone(), b.clone(), c.clone()]);
    // Three arrive at once: one in a new year before all, one in a new month
    // between, one at the end; and 2021's only article leaves.
    let n = page("n.md", "title: N\ndate: 2022-07-01\n");
    let m = page("m.md", "title: M\ndate: 2020-05-01\n");
    let z = page("z.md", "title: Z\ndate: 2019-12-31\n");
    let changed: Vec<ChangedPage> = vec![
        ("a.md".to_string(), None),
        ("m.md".to_string(), Some(m.clone())),
        ("n.md".to_string(), Some(n.clone())),
        ("z.md".to_string(), Some(z.clone())),
    ];
    g.update_moving(&changed, false).expect("patched");
    let everything = vec![b.clone(), c.clone(), m.clone(), n.clone(), z.clone()];
    assert_eq!(shape(&g), shape(&graph("", everything)));
    assert_eq!(g.years.iter().map(|y| y.year).collect::<Vec<_>>(), [2022, 2020, 2019]);
    // A month and a year left empty go.
    let changed = [("m.md".to_string(), None), ("z.md".to_string(), None)];
    g.update_moving(&changed, false).expect("patched");
    assert_eq!(shape(&g), shape(&graph("", vec![b, c, n])));
    assert_eq!(g.years[1].months.len(), 1, "only February is left in 2020");
}

#[test]
fn every_output_page_is_found_at_its_file_and_nothing_else_is() {
    let mut pages: Vec<_> = (0..7)
        .map(|i| {
            let aliases = if i == 2 { "aliases: [/old/two/, /older.html]\n" } else { "" };
            page(
                &format!("a{i}.md"),
                &format!(
                    "title: Piece {i}\ndate: 20{:02}-0{}-0{}\ntags: [T{}, Shared]\nauthors: [Ann Lee]\n{aliases}",
                    18 + i % 3,
                    1 + i % 2,
                    1 + i,
                    i % 2
                ),
            )
        })
        .collect();
    pages.push(page("pages/about.md", "title: About\ndate: 2020-01-01\n"));
    let g = graph(
        "paginate: 2\ntaxonomies: [tags, {name: authors, feeds: false}]\nredirects_file: true\n",
        pages,
    );
    let all = g.output_pages();
    assert!(all.iter().any(|p| matches!(p, OutputPage::Alias(..))), "aliases are among them");
    assert!(all.iter().any(|p| matches!(p, OutputPage::TermFeed(..))), "term feeds too");
    assert!(all.contains(&OutputPage::Redirects), "and _redirects");
    assert!(all.iter().any(|p| g.output_file(*p) == "about/index.html"), "and the standalone page");
    for page in all {
        assert_eq!(g.page_at(&g.output_file(page)), Some(page), "{}", g.output_file(page));
    }
    for nowhere in [
        "page/9/index.html",
        "archive/1999/index.html",
        "tags/none/index.html",
        "x.css",
        "a0/index.html",
        "authors/ann-lee/atom.xml",
        "tags/none/atom.xml",
        "index",
    ] {
        assert_eq!(g.page_at(nowhere), None, "{nowhere}");
    }
}
