//! Renders every template of the default theme with realistic contexts, hostile
//! strings included, and checks what a reader (and a feed reader) would get.

mod fixtures;

use std::path::Path;

use tera::Context;

use super::context::*;
use super::{Renderer, Theme};
use fixtures::*;

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
    assert!(out.contains(r#"<time datetime="2019-06-28T00:00:00Z">28 June 2019 &lt;script&gt;"#));
    assert!(out.contains(r#"<a href="/archive/authors/mehdi/">Mehdi &lt;script&gt;"#));
    assert!(out.contains("By <a href=\"/archive/authors/mehdi/\">"), "a space after By");
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

/// A hand-written page gives only a title and a date: every optional part is absent.
fn bare_article(stub: bool) -> ArticleContext<'static> {
    ArticleContext {
        authors: vec![],
        publication: None,
        series: None,
        standfirst: None,
        image: None,
        image_url: None,
        tags: vec![],
        toc: Vec::new().into(),
        author_bio: None,
        rights: None,
        related: vec![],
        prev: None,
        next: None,
        ..article(stub)
    }
}

#[test]
fn pages_with_only_a_title_and_date_render() {
    let renderer = renderer();
    let mut site = site();
    site.description = None;
    site.taxonomies.clear();
    for (template, stub) in [("article.html", false), ("stub.html", true)] {
        let mut context = base_context("/archive/x/");
        context.insert("site", &site);
        context.insert("page", &bare_article(stub));
        let out = renderer.render(template, &context).unwrap_or_else(|e| panic!("{template}: {e}"));
        assert!(!out.contains("name=\"description\""), "{template}: no standfirst, no description");
        assert!(!out.contains("<figure"), "{template}: no image, no caption");
        assert!(!out.contains("By "), "{template}: no authors, no byline");
    }
    let mut listing = base_context("/archive/");
    let mut bare = summary("Bare", false);
    bare.authors.clear();
    bare.publication = None;
    bare.standfirst = None;
    listing.insert("pages", &vec![bare]);
    listing.insert("paginator", &paginator(1, 1));
    let out = renderer.render("index.html", &listing).unwrap();
    assert!(out.contains(r#"<a href="/archive/2019/06/4/">Bare</a>"#));
    let mut empty = base_context("/archive/");
    empty.insert("pages", &Vec::<ArticleSummary>::new());
    empty.insert("paginator", &paginator(1, 1));
    assert!(renderer.render("index.html", &empty).unwrap().contains("No articles here yet."));
    let mut feed = base_context("/archive/atom.xml");
    feed.insert("feed", &FeedContext { entries: vec![], ..fixtures::feed() });
    assert!(
        renderer
            .render("atom.xml", &feed)
            .unwrap()
            .contains("<updated>2019-06-28T00:00:00Z</updated>")
    );
}

#[test]
fn table_of_contents_needs_three_headings() {
    let renderer = renderer();
    let mut page = article(false);
    page.toc.to_mut()[0].children.clear();
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
fn a_failure_in_the_parent_template_names_both_templates() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("templates")).unwrap();
    std::fs::write(
        root.path().join("templates/base.html"),
        "{% block title %}{% endblock title %}{% block description %}{% endblock description %}\
         {% block head %}{% endblock head %}{% block content %}{% endblock content %}\n{{ site.nope.deeper }}",
    )
    .unwrap();
    let renderer = renderer_for(&Theme::load(root.path(), "default").unwrap());
    let shown =
        renderer.render("404.html", &base_context("/archive/404.html")).unwrap_err().to_string();
    assert!(shown.contains("templates/base.html:2:"), "{shown}");
    assert!(shown.contains("while rendering `404.html`"), "{shown}");
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
