//! Renders every template of the default theme with realistic contexts, hostile
//! strings included, and checks what a reader (and a feed reader) would get.

use std::path::Path;

use tera::Context;

use super::context::*;
use super::{Renderer, Theme};
use crate::urls::BaseUrl;

const HOSTILE: &str = r#"<script>alert(1)</script> "quotes" & ampersands"#;
const HOSTILE_ESCAPED: &str =
    "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands";
const SYNTAX_CSS: &[u8] = b".hl-keyword { color: #a31515; }\n";

fn base_url() -> BaseUrl {
    BaseUrl::parse("https://example.org/archive/").unwrap()
}

fn renderer_for(theme: &Theme) -> Renderer {
    Renderer::new(theme, &base_url(), vec![("syntax.css".to_string(), SYNTAX_CSS.to_vec())])
        .unwrap()
}

fn renderer() -> Renderer {
    renderer_for(&Theme::embedded_default())
}

fn link(name: &str, url: &str) -> Link {
    Link { name: name.to_string(), url: Some(url.to_string()) }
}

fn site() -> SiteContext {
    SiteContext {
        title: format!("Review {HOSTILE}"),
        description: Some(format!("About {HOSTILE}")),
        language: "en".to_string(),
        home_url: "/archive/".to_string(),
        home_permalink: "https://example.org/archive/".to_string(),
        feed_url: "/archive/atom.xml".to_string(),
        feed_permalink: "https://example.org/archive/atom.xml".to_string(),
        archive_url: "/archive/dates/".to_string(),
        taxonomies: vec![
            TaxonomyLink {
                name: "tags".to_string(),
                title: "Tags".to_string(),
                url: "/archive/tags/".to_string(),
            },
            TaxonomyLink {
                name: "authors".to_string(),
                title: "Authors".to_string(),
                url: "/archive/authors/".to_string(),
            },
        ],
    }
}

fn toc() -> Vec<TocEntry> {
    let entry = |id: &str, children| TocEntry {
        level: 2,
        id: id.to_string(),
        title: format!("Part {HOSTILE}"),
        children,
    };
    let child =
        TocEntry { level: 3, id: "detail".to_string(), title: "Detail".into(), children: vec![] };
    vec![entry("first", vec![child]), entry("second", vec![])]
}

fn article(stub: bool) -> ArticleContext {
    ArticleContext {
        title: format!("Khamenei’s {HOSTILE}"),
        url: "/archive/2019/06/khameneis-calculations/".to_string(),
        permalink: "https://example.org/archive/2019/06/khameneis-calculations/".to_string(),
        date: "2019-06-28".to_string(),
        date_rfc3339: "2019-06-28T00:00:00Z".to_string(),
        authors: vec![
            link(&format!("Mehdi {HOSTILE}"), "/archive/authors/mehdi/"),
            Link { name: "Anon Ymous".to_string(), url: None },
        ],
        publication: Some(link("Australia/Israel Review", "/archive/publications/air/")),
        series: Some(link("The Last Word", "/archive/series/the-last-word/")),
        standfirst: Some(format!("Standfirst {HOSTILE}")),
        image: Some(ImageContext {
            caption: Some(format!("Caption {HOSTILE}")),
            credit: Some(format!("Credit {HOSTILE}")),
        }),
        tags: vec![link(&format!("Tag {HOSTILE}"), "/archive/tags/tag/")],
        content_html: if stub {
            String::new()
        } else {
            "<h2 id=\"first\">First</h2><p>Body with <em>markup</em> &amp; more.</p>\
             <h3 id=\"detail\">Detail</h3><p>x</p><h2 id=\"second\">Second</h2><p>y</p>"
                .to_string()
        },
        summary_html: None,
        toc: if stub { vec![] } else { toc() },
        word_count: if stub { 0 } else { 1250 },
        reading_minutes: if stub { 1 } else { 7 },
        author_bio: Some(format!("Bio {HOSTILE}")),
        rights: Some(format!("© Rights {HOSTILE}")),
        related: vec![
            RelatedContext {
                title: format!("Related full {HOSTILE}"),
                url: Some("/archive/2024/05/full/".to_string()),
                date: Some("2024-05-31".to_string()),
                byline: Some(format!("Byline {HOSTILE}")),
                caption: Some(format!("Related caption {HOSTILE}")),
                credit: Some("Shutterstock".to_string()),
                stub: false,
            },
            RelatedContext {
                title: "Related stub".to_string(),
                url: Some("/archive/2024/05/stub/".to_string()),
                date: None,
                byline: None,
                caption: None,
                credit: None,
                stub: true,
            },
        ],
        prev: Some(NeighbourContext {
            title: format!("Older {HOSTILE}"),
            url: "/archive/2019/05/older/".to_string(),
        }),
        next: None,
        stub,
        extra: serde_json::json!({}),
    }
}

fn summary(title: &str, stub: bool) -> ArticleSummary {
    ArticleSummary {
        title: title.to_string(),
        url: format!("/archive/2019/06/{}/", title.len()),
        date: "2019-06-05".to_string(),
        date_rfc3339: "2019-06-05T00:00:00Z".to_string(),
        authors: vec![link(&format!("Author {HOSTILE}"), "/archive/authors/a/")],
        publication: Some(Link { name: format!("Pub {HOSTILE}"), url: None }),
        standfirst: Some(format!("Listing standfirst {HOSTILE}")),
        stub,
    }
}

fn paginator(current: usize, total_pages: usize) -> PaginatorContext {
    let page_url = |n: usize| {
        if n == 1 { "/archive/".to_string() } else { format!("/archive/page/{n}/") }
    };
    PaginatorContext {
        current,
        total_pages,
        total_items: total_pages * 20,
        prev_url: (current > 1).then(|| page_url(current - 1)),
        next_url: (current < total_pages).then(|| page_url(current + 1)),
        first_url: page_url(1),
        last_url: page_url(total_pages),
    }
}

fn years() -> Vec<YearLink> {
    let month = |year, month: i8, name: &str| MonthLink {
        year,
        month,
        name: name.to_string(),
        url: format!("/archive/{year}/{month:02}/"),
        count: 3,
    };
    vec![
        YearLink {
            year: 2024,
            url: "/archive/2024/".to_string(),
            count: 3,
            months: vec![month(2024, 5, "May")],
        },
        YearLink {
            year: 2019,
            url: "/archive/2019/".to_string(),
            count: 6,
            months: vec![month(2019, 5, "May"), month(2019, 6, "June")],
        },
    ]
}

fn base_context(current_url: &str) -> Context {
    let mut context = Context::new();
    context.insert("site", &site());
    context.insert("current_url", current_url);
    context.insert("canonical_url", &format!("https://example.org{current_url}"));
    context
}

fn taxonomy() -> TaxonomyContext {
    TaxonomyContext { name: "tags".into(), title: "Tags".into(), url: "/archive/tags/".into() }
}

fn term() -> TermContext {
    TermContext { name: format!("Term {HOSTILE}"), url: "/archive/tags/term/".into(), count: 2 }
}

fn feed() -> FeedContext {
    FeedContext {
        updated: "2019-06-28T00:00:00Z".to_string(),
        entries: vec![
            FeedEntry {
                title: format!("Entry {HOSTILE}"),
                permalink: "https://example.org/archive/2019/06/x/".to_string(),
                updated: "2019-06-28T00:00:00Z".to_string(),
                authors: vec![format!("Author {HOSTILE}")],
                summary: Some(format!("Summary {HOSTILE}")),
                content_html: "<p>Body &amp; <em>markup</em></p>".to_string(),
            },
            FeedEntry {
                title: "No author".to_string(),
                permalink: "https://example.org/archive/2019/05/y/".to_string(),
                updated: "2019-05-01T00:00:00Z".to_string(),
                authors: vec![],
                summary: None,
                content_html: String::new(),
            },
        ],
    }
}

/// Every page the default theme renders, as (file name, template, context).
fn every_page() -> Vec<(&'static str, &'static str, Context)> {
    let mut pages = Vec::new();

    let mut index = base_context("/archive/page/2/");
    index.insert(
        "pages",
        &vec![summary(&format!("Listed {HOSTILE}"), false), summary("A stub", true)],
    );
    index.insert("paginator", &paginator(2, 3));
    pages.push(("index.html", "index.html", index));

    let mut article_page = base_context("/archive/2019/06/khameneis-calculations/");
    article_page.insert("page", &article(false));
    pages.push(("article.html", "article.html", article_page));

    let mut stub_page = base_context("/archive/2024/05/stub/");
    stub_page.insert("page", &article(true));
    pages.push(("stub.html", "stub.html", stub_page));

    let mut archive_index = base_context("/archive/dates/");
    archive_index.insert(
        "archive",
        &ArchiveContext {
            kind: "index".into(),
            title: "Archive".into(),
            year: None,
            month: None,
            years: years(),
        },
    );
    archive_index.insert("pages", &Vec::<ArticleSummary>::new());
    pages.push(("archive-index.html", "archive.html", archive_index));

    let mut archive_month = base_context("/archive/2019/06/");
    archive_month.insert(
        "archive",
        &ArchiveContext {
            kind: "month".into(),
            title: "June 2019".into(),
            year: Some(2019),
            month: Some(6),
            years: years(),
        },
    );
    archive_month.insert("pages", &vec![summary(&format!("Listed {HOSTILE}"), false)]);
    archive_month.insert("paginator", &paginator(1, 1));
    pages.push(("archive-month.html", "archive.html", archive_month));

    let mut archive_year = base_context("/archive/2019/");
    archive_year.insert(
        "archive",
        &ArchiveContext {
            kind: "year".into(),
            title: "2019".into(),
            year: Some(2019),
            month: None,
            years: years(),
        },
    );
    archive_year.insert("pages", &vec![summary("One", false)]);
    archive_year.insert("paginator", &paginator(1, 2));
    pages.push(("archive-year.html", "archive.html", archive_year));

    let mut taxonomy_page = base_context("/archive/tags/");
    taxonomy_page.insert("taxonomy", &taxonomy());
    taxonomy_page.insert(
        "terms",
        &vec![term(), TermContext { name: "b".into(), url: "/archive/tags/b/".into(), count: 1 }],
    );
    pages.push(("taxonomy.html", "taxonomy.html", taxonomy_page));

    let mut term_page = base_context("/archive/tags/term/");
    term_page.insert("taxonomy", &taxonomy());
    term_page.insert("term", &term());
    term_page.insert("pages", &vec![summary(&format!("Listed {HOSTILE}"), false)]);
    term_page.insert("paginator", &paginator(1, 1));
    pages.push(("term.html", "term.html", term_page));

    pages.push(("404.html", "404.html", base_context("/archive/404.html")));

    let mut atom = base_context("/archive/atom.xml");
    atom.insert("feed", &feed());
    pages.push(("atom.xml", "atom.xml", atom));

    let mut sitemap = base_context("/archive/sitemap.xml");
    sitemap.insert(
        "entries",
        &vec![
            SitemapEntry { loc: "https://example.org/archive/?a=1&b=2".into(), lastmod: None },
            SitemapEntry {
                loc: "https://example.org/archive/2019/06/x/".into(),
                lastmod: Some("2019-06-28".into()),
            },
        ],
    );
    pages.push(("sitemap.xml", "sitemap.xml", sitemap));
    pages
}

fn render_all() -> Vec<(&'static str, String)> {
    let renderer = renderer();
    let rendered: Vec<(&'static str, String)> = every_page()
        .into_iter()
        .map(|(file, template, context)| {
            let out = renderer.render(template, &context).unwrap_or_else(|e| panic!("{file}: {e}"));
            (file, out)
        })
        .collect();
    // Lets a person (or the Nu Html Checker) look at the real output.
    if let Some(dir) = std::env::var_os("GALLEY_THEME_DUMP") {
        let dir = Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        for (file, out) in &rendered {
            std::fs::write(dir.join(file), out).unwrap();
        }
    }
    rendered
}

fn rendered(file: &str) -> String {
    render_all().into_iter().find(|(f, _)| *f == file).unwrap().1
}

#[test]
fn every_page_escapes_hostile_text_and_keeps_the_sub_path() {
    for (file, out) in render_all() {
        assert!(!out.contains("<script>"), "{file} has raw hostile markup:\n{out}");
        assert!(!out.contains(r#""quotes""#), "{file} has raw quotes");
        assert!(!out.contains(" & ampersands"), "{file} has a raw ampersand");
        if file != "sitemap.xml" {
            assert!(out.contains(HOSTILE_ESCAPED), "{file} lacks the escaped site title");
        }
        for href in out.split("href=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]) {
            assert!(
                href.starts_with("/archive/")
                    || href.starts_with("https://example.org/archive/")
                    || href.starts_with('#'),
                "{file}: link {href} is outside the base_url"
            );
        }
    }
}

#[test]
fn article_shows_every_part_and_keeps_the_body_html() {
    let out = rendered("article.html");
    assert!(out.contains("<p>Body with <em>markup</em> &amp; more.</p>"));
    assert!(out.contains(r#"<meta name="description" content="Standfirst &lt;script&gt;"#));
    assert!(out.contains(r#"<time datetime="2019-06-28T00:00:00Z">28 June 2019</time>"#));
    assert!(out.contains(r#"<a href="/archive/authors/mehdi/">Mehdi &lt;script&gt;"#));
    assert!(out.contains(" and Anon Ymous"), "an author without a page is plain text");
    assert!(out.contains("Caption &lt;script&gt;"));
    assert!(out.contains("Image: Credit &lt;script&gt;"));
    assert!(out.contains("Bio &lt;script&gt;"));
    assert!(out.contains("© Rights &lt;script&gt;"));
    assert!(out.contains(r#"<a href="/archive/tags/tag/">Tag &lt;script&gt;"#));
    assert!(out.contains(r#"href="/archive/2019/05/older/" rel="prev""#));
    assert!(out.contains("7 min read"));
    assert!(
        out.contains(r##"<a href="#detail">Detail</a>"##),
        "3 headings give a table of contents"
    );
    let stub_teaser = &out[out.find("Related stub").unwrap() - 300..];
    assert!(stub_teaser.contains("teaser-stub"));
    assert!(stub_teaser.contains("Full text not yet archived"));
    assert!(out.contains(r#"<link rel="canonical" href="https://example.org/archive/2019/06/khameneis-calculations/">"#));
    assert!(out.contains(r#"<link rel="alternate" type="application/atom+xml""#));
}

#[test]
fn table_of_contents_needs_three_headings() {
    let renderer = renderer();
    let mut page = article(false);
    page.toc[0].children.clear();
    let mut context = base_context(&page.url);
    context.insert("page", &page);
    let out = renderer.render("article.html", &context).unwrap();
    assert!(!out.contains("class=\"toc\""), "two headings need no contents list");
}

#[test]
fn stub_says_the_text_is_not_archived() {
    let out = rendered("stub.html");
    assert!(out.contains("Full text not yet archived"));
    assert!(out.contains("Khamenei’s &lt;script&gt;"));
    assert!(out.contains("5 June 2019") || out.contains("28 June 2019"));
    assert!(!out.contains("article-body"));
}

#[test]
fn listings_mark_stubs_and_paginate() {
    let out = rendered("index.html");
    assert!(out.contains("teaser-stub"));
    assert!(out.contains("Full text not yet archived"));
    assert!(out.contains("5 June 2019"));
    assert!(out.contains(r#"<a href="/archive/page/2/" aria-current="page">Page 2 of 3</a>"#));
    assert!(out.contains(r#"<a href="/archive/" rel="prev">"#));
    assert!(out.contains(r#"<a href="/archive/page/3/" rel="next">"#));
    assert!(out.contains(r#"<nav class="pagination" aria-label="Pagination">"#));
    let month = rendered("archive-month.html");
    assert!(!month.contains("class=\"pagination\""), "one page needs no pagination");
    assert!(month.contains(r#"<a href="/archive/2019/06/" aria-current="page">June</a>"#));
}

#[test]
fn archive_index_lists_years_and_months() {
    let out = rendered("archive-index.html");
    assert!(
        out.contains(r#"<a href="/archive/2019/">2019</a> <span class="count">6 articles</span>"#)
    );
    assert!(out.contains(r#"<a href="/archive/2019/05/">May</a>"#));
    assert!(out.contains(r#"<a href="/archive/dates/" aria-current="page">Archive</a>"#));
}

#[test]
fn assets_are_fingerprinted_and_linked_under_the_sub_path() {
    let renderer = renderer();
    let assets = renderer.assets();
    let names: Vec<&str> = assets.iter().map(|(n, _)| n.as_str()).collect();
    let style = names.iter().find(|n| n.starts_with("style.")).unwrap();
    assert!(style.len() == "style.12345678.css".len() && style.ends_with(".css"), "{style}");
    let syntax = assets.iter().find(|(n, _)| n.starts_with("syntax.")).unwrap();
    assert_eq!(syntax.1, SYNTAX_CSS);
    let out = rendered("404.html");
    assert!(out.contains(&format!(r#"<link rel="stylesheet" href="/archive/{style}">"#)));
    assert!(out.contains(&format!(r#"<link rel="stylesheet" href="/archive/{}">"#, syntax.0)));
}

#[test]
fn unknown_asset_and_bad_dates_are_render_errors_naming_the_template() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::write(
        root.path().join("templates/404.html"),
        "line one\n<link href=\"{{ asset(path='missing.css') }}\">\n",
    )
    .unwrap();
    std::fs::write(root.path().join("templates/when.html"), "{{ d | date(format='%Y') }}").unwrap();
    let renderer = renderer_for(&Theme::load(root.path(), "default").unwrap());
    let error = renderer.render("404.html", &base_context("/archive/404.html")).unwrap_err();
    let shown = error.to_string();
    assert!(shown.contains("templates/404.html:2:"), "{shown}");
    assert!(shown.contains("missing.css"), "{shown}");

    let mut context = Context::new();
    context.insert("d", "June 5th");
    let shown = renderer.render("when.html", &context).unwrap_err().to_string();
    assert!(shown.contains("when.html") && shown.contains("June 5th"), "{shown}");
    context.insert("d", "2019-06-05T10:20:30");
    assert_eq!(renderer.render("when.html", &context).unwrap(), "2019");
}

#[test]
fn url_function_prefixes_the_base_path() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::write(
        root.path().join("templates/links.html"),
        "{{ url(path='/tags/') }}|{{ url(path='about/') }}",
    )
    .unwrap();
    let renderer = renderer_for(&Theme::load(root.path(), "default").unwrap());
    assert_eq!(
        renderer.render("links.html", &Context::new()).unwrap(),
        "/archive/tags/|/archive/about/"
    );
}

#[test]
fn site_overrides_replace_the_theme_template() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::write(
        root.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Custom lost page</p>{% endblock content %}",
    )
    .unwrap();
    let renderer = renderer_for(&Theme::load(root.path(), "default").unwrap());
    let out = renderer.render("404.html", &base_context("/archive/404.html")).unwrap();
    assert!(out.contains("<p>Custom lost page</p>"));
    assert!(!out.contains("Page not found"));
    assert!(out.contains("<html lang=\"en\">"), "the override still extends the theme's base");
}

#[test]
fn syntax_error_in_an_override_names_its_file_and_line() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    let path = root.path().join("templates/article.html");
    std::fs::write(&path, "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | }}\n{% endblock content %}\n")
        .unwrap();
    std::fs::write(root.path().join("templates/term.html"), "ok\n\n{% if %}").unwrap();
    let theme = Theme::load(root.path(), "default").unwrap();
    let error = Renderer::new(&theme, &base_url(), vec![]).err().unwrap();
    assert_eq!(error.count(), 2, "both broken files are reported: {error}");
    let shown = error.to_string();
    assert!(shown.contains(&format!("{}:3:", path.display())), "{shown}");
    assert!(shown.contains("term.html:3:"), "{shown}");
    assert!(shown.contains("{{ page.title | }}"), "the offending line is shown: {shown}");
}

#[test]
fn unknown_filter_names_file_and_line() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::write(root.path().join("templates/x.html"), "a\n{{ 1 | no_such_filter }}").unwrap();
    let theme = Theme::load(root.path(), "default").unwrap();
    let shown = Renderer::new(&theme, &base_url(), vec![]).err().unwrap().to_string();
    assert!(shown.contains("templates/x.html:2:"), "{shown}");
    assert!(shown.contains("no_such_filter"), "{shown}");
}

#[test]
fn atom_feed_is_well_formed_and_escapes_content_once() {
    let out = rendered("atom.xml");
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut elements = Vec::new();
    let mut content_text = String::new();
    let mut in_content = false;
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("atom.xml is not XML: {e}\n{out}")) {
            quick_xml::events::Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                in_content = name == "content";
                elements.push(name);
            }
            quick_xml::events::Event::Empty(e) => {
                elements.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
            }
            quick_xml::events::Event::Text(t) if in_content => {
                content_text.push_str(&t.decode().unwrap());
            }
            quick_xml::events::Event::GeneralRef(r) if in_content => {
                content_text.push_str(&format!("&{};", String::from_utf8_lossy(&r)));
            }
            quick_xml::events::Event::End(_) => in_content = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(elements[0], "feed");
    assert_eq!(elements.iter().filter(|e| *e == "entry").count(), 2);
    for required in ["id", "title", "updated", "link", "author", "summary", "content"] {
        assert!(elements.iter().any(|e| e == required), "missing <{required}>");
    }
    assert!(out.contains(r#"<link rel="self" type="application/atom+xml" href="https://example.org/archive/atom.xml"/>"#));
    // The content element holds the HTML as text: markup escaped once, entities twice.
    assert!(content_text.starts_with("&lt;p&gt;Body &amp;amp; &lt;em&gt;"), "{content_text}");
}

#[test]
fn sitemap_is_a_urlset() {
    let out = rendered("sitemap.xml");
    assert!(out.contains(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#));
    assert!(out.contains("<loc>https://example.org/archive/?a=1&amp;b=2</loc>"));
    assert!(out.contains("<lastmod>2019-06-28</lastmod>"));
    let mut reader = quick_xml::Reader::from_str(&out);
    while !matches!(reader.read_event().unwrap(), quick_xml::events::Event::Eof) {}
}
