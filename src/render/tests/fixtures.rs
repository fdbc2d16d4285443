//! Realistic template contexts built from the `context` structs, with hostile
//! strings in every field a reader's text reaches.

use std::borrow::Cow;
use tera::Context;

use crate::render::context::*;
use crate::render::{Renderer, Theme};
use crate::urls::BaseUrl;

/// Owned text for a context field.
pub(super) fn txt(text: impl Into<String>) -> Text<'static> {
    Cow::Owned(text.into())
}

/// A slice that lives as long as the test process: contexts borrow theirs from a graph.
pub(super) fn leak<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

pub(super) fn empty_extra() -> &'static std::collections::BTreeMap<String, crate::yaml::Value> {
    Box::leak(Box::default())
}

/// `archive` as builds insert it: the struct, with its years added as a value.
pub(super) fn insert_archive(context: &mut Context, archive: ArchiveContext<'_>) {
    let value = crate::render::values::to_value(&archive);
    let years = crate::render::values::to_value(archive.years);
    context.insert_value("archive", crate::render::values::with_field(value, "years", years));
}

pub(super) const HOSTILE: &str = r#"<script>alert(1)</script> "quotes" & ampersands"#;
pub(super) const HOSTILE_ESCAPED: &str =
    "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands";
pub(super) const SYNTAX_CSS: &[u8] = b".hl-keyword { color: #a31515; }\n";

pub(super) fn base_url() -> BaseUrl {
    BaseUrl::parse("https://example.org/archive/").unwrap()
}

pub(super) fn renderer_for(theme: &Theme) -> Renderer {
    Renderer::new(theme, &base_url(), vec![("syntax.css".into(), SYNTAX_CSS.to_vec())]).unwrap()
}

pub(super) fn renderer() -> Renderer {
    renderer_for(&Theme::embedded_default())
}

pub(super) fn link(name: &str, url: &str) -> Link<'static> {
    Link { name: txt(name), url: Some(txt(url)), shared: Shared(None) }
}

pub(super) fn site() -> SiteContext<'static> {
    SiteContext {
        title: txt(format!("Review {HOSTILE}")),
        description: Some(txt(format!("About {HOSTILE}"))),
        language: "en".into(),
        home_url: "/archive/".into(),
        home_permalink: "https://example.org/archive/".into(),
        feed_url: "/archive/atom.xml".into(),
        feed_permalink: "https://example.org/archive/atom.xml".into(),
        archive_url: "/archive/dates/".into(),
        search_url: Some("/archive/search/".into()),
        icons: Vec::new(),
        menu: vec![MenuLink {
            title: txt(format!("Menu {HOSTILE}")),
            url: "/archive/about/".into(),
        }],
        taxonomies: vec![
            TaxonomyLink {
                name: "tags".into(),
                title: "Tags".into(),
                url: "/archive/tags/".into(),
            },
            TaxonomyLink {
                name: "authors".into(),
                title: "Authors".into(),
                url: "/archive/authors/".into(),
            },
        ],
    }
}

pub(super) fn toc() -> Vec<TocEntry> {
    let entry = |id: &str, children| TocEntry {
        level: 2,
        id: id.into(),
        title: format!("Part {HOSTILE}"),
        children,
    };
    let child =
        TocEntry { level: 3, id: "detail".into(), title: "Detail".into(), children: vec![] };
    vec![entry("first", vec![child]), entry("second", vec![])]
}

pub(super) fn article(stub: bool) -> ArticleContext<'static> {
    ArticleContext {
        title: txt(format!("Khamenei’s {HOSTILE}")),
        url: "/archive/2019/06/khameneis-calculations/".into(),
        permalink: "https://example.org/archive/2019/06/khameneis-calculations/".into(),
        date: "2019-06-28".into(),
        date_display: txt(format!("28 June 2019 {HOSTILE}")),
        date_rfc3339: "2019-06-28T00:00:00Z".into(),
        authors: vec![
            link(&txt(format!("Mehdi {HOSTILE}")), "/archive/authors/mehdi/"),
            Link { name: "Anon Ymous".into(), url: None, shared: Shared(None) },
        ],
        publication: Some(link("Australia/Israel Review", "/archive/publications/air/")),
        series: Some(link("The Last Word", "/archive/series/the-last-word/")),
        standfirst: Some(txt(format!("Standfirst {HOSTILE}"))),
        image: Some(ImageContext {
            caption: Some(txt(format!("Caption {HOSTILE}"))),
            credit: Some(txt(format!("Credit {HOSTILE}"))),
        }),
        image_url: None,
        tags: vec![link(&txt(format!("Tag {HOSTILE}")), "/archive/tags/tag/")],
        content_html: BodyHtml {
            html: if stub {
                Cow::Borrowed("")
            } else {
                Cow::Borrowed(
                    "<h2 id=\"first\">First</h2><p>Body with <em>markup</em> &amp; more.</p>\
                     <h3 id=\"detail\">Detail</h3><p>x</p><h2 id=\"second\">Second</h2><p>y</p>",
                )
            },
            key: 0,
        },
        summary_html: None,
        toc: if stub { Cow::Owned(vec![]) } else { Cow::Owned(toc()) },
        word_count: if stub { 0 } else { 1250 },
        reading_minutes: if stub { 1 } else { 7 },
        author_bio: Some(txt(format!("Bio {HOSTILE}"))),
        rights: Some(txt(format!("© Rights {HOSTILE}"))),
        related: vec![
            RelatedContext {
                title: txt(format!("Related full {HOSTILE}")),
                url: Some("/archive/2024/05/full/".into()),
                date: Some("2024-05-31".into()),
                date_display: Some(txt(format!("31 May 2024 {HOSTILE}"))),
                byline: Some(txt(format!("Byline {HOSTILE}"))),
                caption: Some(txt(format!("Related caption {HOSTILE}"))),
                credit: Some("Shutterstock".into()),
                stub: false,
            },
            RelatedContext {
                title: "Related stub".into(),
                url: Some("/archive/2024/05/stub/".into()),
                date: None,
                date_display: None,
                byline: None,
                caption: None,
                credit: None,
                stub: true,
            },
        ],
        prev: Some(NeighbourContext {
            title: txt(format!("Older {HOSTILE}")),
            url: "/archive/2019/05/older/".into(),
            shared: Shared(None),
        }),
        next: None,
        stub,
        extra: Extra(empty_extra()),
    }
}

pub(super) fn summary(title: &str, stub: bool) -> ArticleSummary<'static> {
    ArticleSummary {
        title: txt(title),
        url: txt(format!("/archive/2019/06/{}/", title.len())),
        date: "2019-06-05".into(),
        date_display: txt(format!("5 June 2019 {HOSTILE}")),
        date_rfc3339: "2019-06-05T00:00:00Z".into(),
        authors: vec![link(&txt(format!("Author {HOSTILE}")), "/archive/authors/a/")],
        publication: Some(Link {
            name: txt(format!("Pub {HOSTILE}")),
            url: None,
            shared: Shared(None),
        }),
        standfirst: Some(txt(format!("Listing standfirst {HOSTILE}"))),
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
            url: "/archive/2024/".into(),
            count: 3,
            months: vec![month(2024, 5, "May")],
        },
        YearLink {
            year: 2019,
            url: "/archive/2019/".into(),
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

pub(super) fn taxonomy() -> TaxonomyContext<'static> {
    TaxonomyContext { name: "tags".into(), title: "Tags".into(), url: "/archive/tags/".into() }
}

pub(super) fn term() -> TermContext<'static> {
    TermContext {
        name: txt(format!("Term {HOSTILE}")),
        url: "/archive/tags/term/".into(),
        count: 2,
        feed_url: Some("/archive/tags/term/atom.xml".into()),
    }
}

pub(super) fn feed() -> FeedContext<'static> {
    FeedContext {
        title: txt(format!("Review {HOSTILE}")),
        id: "https://example.org/archive/".into(),
        self_url: "https://example.org/archive/atom.xml".into(),
        alternate_url: "https://example.org/archive/".into(),
        updated: "2019-06-28T00:00:00Z".into(),
        entries: vec![
            FeedEntry {
                title: txt(format!("Entry {HOSTILE}")),
                permalink: "https://example.org/archive/2019/06/x/".into(),
                updated: "2019-06-28T00:00:00Z".into(),
                authors: leak(vec![format!("Author {HOSTILE}")]),
                summary: Some(txt(format!("Summary {HOSTILE}"))),
                content_html: BodyHtml { html: "<p>Body &amp; <em>markup</em></p>".into(), key: 0 },
            },
            FeedEntry {
                title: "No author".into(),
                permalink: "https://example.org/archive/2019/05/y/".into(),
                updated: "2019-05-01T00:00:00Z".into(),
                authors: &[],
                summary: None,
                content_html: BodyHtml { html: "".into(), key: 0 },
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
        &vec![summary(&txt(format!("Listed {HOSTILE}")), false), summary("A stub", true)],
    );
    index.insert("paginator", &paginator(2, 3));
    pages.push(("index.html", "index.html", index));

    let mut article_page = base_context("/archive/2019/06/khameneis-calculations/");
    article_page.insert("page", &article(false));
    pages.push(("article.html", "article.html", article_page));

    let mut stub_page = base_context("/archive/2024/05/stub/");
    stub_page.insert("page", &article(true));
    pages.push(("stub.html", "stub.html", stub_page));

    let mut standalone = base_context("/archive/about/");
    standalone.insert(
        "page",
        &StandaloneContext {
            title: txt(format!("About {HOSTILE}")),
            url: "/archive/about/".into(),
            permalink: "https://example.org/archive/about/".into(),
            date: None,
            date_display: None,
            date_rfc3339: None,
            standfirst: Some(txt(format!("Who {HOSTILE}"))),
            content_html: BodyHtml { html: "<p>Who we are.</p>".into(), key: 0 },
            toc: Cow::Owned(Vec::new()),
            extra: Extra(empty_extra()),
        },
    );
    pages.push(("page.html", "page.html", standalone));

    let mut archive_index = base_context("/archive/dates/");
    insert_archive(
        &mut archive_index,
        ArchiveContext {
            kind: "index",
            title: "Archive".into(),
            year: None,
            month: None,
            years: leak(years()),
        },
    );
    archive_index.insert("pages", &Vec::<ArticleSummary>::new());
    pages.push(("archive-index.html", "archive.html", archive_index));

    let mut archive_month = base_context("/archive/2019/06/");
    insert_archive(
        &mut archive_month,
        ArchiveContext {
            kind: "month",
            title: "June 2019".into(),
            year: Some(2019),
            month: Some(6),
            years: leak(years()),
        },
    );
    archive_month.insert("pages", &vec![summary(&txt(format!("Listed {HOSTILE}")), false)]);
    archive_month.insert("paginator", &paginator(1, 1));
    pages.push(("archive-month.html", "archive.html", archive_month));

    let mut archive_year = base_context("/archive/2019/");
    insert_archive(
        &mut archive_year,
        ArchiveContext {
            kind: "year",
            title: "2019".into(),
            year: Some(2019),
            month: None,
            years: leak(years()),
        },
    );
    archive_year.insert("pages", &vec![summary("One", false)]);
    archive_year.insert("paginator", &paginator(1, 2));
    pages.push(("archive-year.html", "archive.html", archive_year));

    let mut taxonomy_page = base_context("/archive/tags/");
    taxonomy_page.insert("taxonomy", &taxonomy());
    taxonomy_page.insert(
        "terms",
        &vec![
            term(),
            TermContext {
                name: "b".into(),
                url: "/archive/tags/b/".into(),
                count: 1,
                feed_url: None,
            },
        ],
    );
    pages.push(("taxonomy.html", "taxonomy.html", taxonomy_page));

    let mut term_page = base_context("/archive/tags/term/");
    term_page.insert("taxonomy", &taxonomy());
    term_page.insert("term", &term());
    term_page.insert("pages", &vec![summary(&txt(format!("Listed {HOSTILE}")), false)]);
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
