//! Realistic template contexts built from the `context` structs, with hostile
//! strings in every field a reader's text reaches.

use tera::Context;

use crate::render::context::*;
use crate::render::{Renderer, Theme};
use crate::urls::BaseUrl;

pub(super) const HOSTILE: &str = r#"<script>alert(1)</script> "quotes" & ampersands"#;
pub(super) const HOSTILE_ESCAPED: &str =
    "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands";
pub(super) const SYNTAX_CSS: &[u8] = b".hl-keyword { color: #a31515; }\n";

pub(super) fn base_url() -> BaseUrl {
    BaseUrl::parse("https://example.org/archive/").unwrap()
}

pub(super) fn renderer_for(theme: &Theme) -> Renderer {
    Renderer::new(theme, &base_url(), vec![("syntax.css".to_string(), SYNTAX_CSS.to_vec())])
        .unwrap()
}

pub(super) fn renderer() -> Renderer {
    renderer_for(&Theme::embedded_default())
}

pub(super) fn link(name: &str, url: &str) -> Link {
    Link { name: name.to_string(), url: Some(url.to_string()) }
}

pub(super) fn site() -> SiteContext {
    SiteContext {
        title: format!("Review {HOSTILE}"),
        description: Some(format!("About {HOSTILE}")),
        language: "en".to_string(),
        home_url: "/archive/".to_string(),
        home_permalink: "https://example.org/archive/".to_string(),
        feed_url: "/archive/atom.xml".to_string(),
        feed_permalink: "https://example.org/archive/atom.xml".to_string(),
        archive_url: "/archive/dates/".to_string(),
        search_url: Some("/archive/search/".to_string()),
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

pub(super) fn toc() -> Vec<TocEntry> {
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

pub(super) fn article(stub: bool) -> ArticleContext {
    ArticleContext {
        title: format!("Khamenei’s {HOSTILE}"),
        url: "/archive/2019/06/khameneis-calculations/".to_string(),
        permalink: "https://example.org/archive/2019/06/khameneis-calculations/".to_string(),
        date: "2019-06-28".to_string(),
        date_display: format!("28 June 2019 {HOSTILE}"),
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
                date_display: Some(format!("31 May 2024 {HOSTILE}")),
                byline: Some(format!("Byline {HOSTILE}")),
                caption: Some(format!("Related caption {HOSTILE}")),
                credit: Some("Shutterstock".to_string()),
                stub: false,
            },
            RelatedContext {
                title: "Related stub".to_string(),
                url: Some("/archive/2024/05/stub/".to_string()),
                date: None,
                date_display: None,
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

pub(super) fn summary(title: &str, stub: bool) -> ArticleSummary {
    ArticleSummary {
        title: title.to_string(),
        url: format!("/archive/2019/06/{}/", title.len()),
        date: "2019-06-05".to_string(),
        date_display: format!("5 June 2019 {HOSTILE}"),
        date_rfc3339: "2019-06-05T00:00:00Z".to_string(),
        authors: vec![link(&format!("Author {HOSTILE}"), "/archive/authors/a/")],
        publication: Some(Link { name: format!("Pub {HOSTILE}"), url: None }),
        standfirst: Some(format!("Listing standfirst {HOSTILE}")),
        stub,
    }
}

pub(super) fn paginator(current: usize, total_pages: usize) -> PaginatorContext {
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

pub(super) fn years() -> Vec<YearLink> {
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

pub(super) fn base_context(current_url: &str) -> Context {
    let mut context = Context::new();
    context.insert("site", &site());
    context.insert("current_url", current_url);
    context.insert("canonical_url", &format!("https://example.org{current_url}"));
    context
}

pub(super) fn taxonomy() -> TaxonomyContext {
    TaxonomyContext { name: "tags".into(), title: "Tags".into(), url: "/archive/tags/".into() }
}

pub(super) fn term() -> TermContext {
    TermContext { name: format!("Term {HOSTILE}"), url: "/archive/tags/term/".into(), count: 2 }
}

pub(super) fn feed() -> FeedContext {
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
pub(super) fn every_page() -> Vec<(&'static str, &'static str, Context)> {
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
