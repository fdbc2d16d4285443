//! Template rendering cost of the default theme against the floor program's one
//! Tera template (`../shared/bench/floor`), in the same process.
//!
//!     cargo bench --bench render [-- ARTICLES]
//!
//! Prints the CPU time to build the contexts and render ARTICLES (default 10,000)
//! article pages with `article.html`, the same for the floor's template with its
//! smaller context, and the ratio.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Instant;

use galley::render::context::*;
use galley::render::{Renderer, Theme};
use galley::urls::BaseUrl;

const FLOOR_TEMPLATE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ fm.title }} | Article archive</title>
<link rel="alternate" type="application/atom+xml" href="/atom.xml">
</head>
<body>
<header><a href="/">Article archive</a></header>
<main><article>
<h1>{{ fm.title }}</h1>
<p class="meta"><time datetime="{{ fm.date }}">{{ fm.date }}</time>
by <a href="/authors/{{ author_slug }}/">{{ fm.author }}</a>
in <span class="pub">{{ fm.publication }}</span></p>
<ul class="tags">{% for t in tags %}<li><a href="/tags/{{ t.slug }}/">{{ t.name }}</a></li>{% endfor %}</ul>
<p class="summary">{{ fm.summary }}</p>
<figure><figcaption>{{ fm.image_caption }}</figcaption></figure>
{{ content | safe }}
</article></main>
</body>
</html>
"#;

fn body(i: usize) -> String {
    let paragraph = "<p>The regime’s calculations rest on a long view of the region, in which \
        proxies, pressure and patience are cheaper than open war &amp; its risks.</p>\n";
    let mut html = format!("<h2 id=\"part-{i}\">Part one</h2>\n");
    for _ in 0..40 {
        html.push_str(paragraph);
    }
    html
}

fn link(name: String, url: String) -> Link<'static> {
    Link { name: name.into(), url: Some(url.into()), shared: Shared(None) }
}

fn article(i: usize, extra: &BTreeMap<String, galley::yaml::Value>) -> ArticleContext<'_> {
    ArticleContext {
        title: format!("Article number {i}: Khamenei’s calculations").into(),
        url: format!("/archive/2019/06/article-{i}/").into(),
        permalink: format!("https://example.org/archive/2019/06/article-{i}/").into(),
        date: "2019-06-28".into(),
        date_display: "28 June 2019".into(),
        date_rfc3339: "2019-06-28T00:00:00Z".into(),
        authors: vec![link(
            format!("Author {}", i % 200),
            format!("/archive/authors/a-{}/", i % 200),
        )],
        publication: Some(link(
            "Australia/Israel Review".into(),
            "/archive/publications/air/".into(),
        )),
        series: None,
        standfirst: Some("Khamenei sees an expansionist posture as important".into()),
        image: Some(ImageContext {
            caption: Some("A caption".into()),
            credit: Some("Shutterstock".into()),
        }),
        image_url: None,
        tags: (0..i % 5)
            .map(|t| link(format!("Tag {t}"), format!("/archive/tags/tag-{t}/")))
            .collect(),
        content_html: BodyHtml { html: body(i).into(), key: 0 },
        summary_html: None,
        toc: Cow::Owned(Vec::new()),
        word_count: 1250,
        reading_minutes: 7,
        author_bio: Some("A theologian by training.".into()),
        rights: Some("© reprinted by permission".into()),
        related: (0..(i % 2) * 3)
            .map(|r| RelatedContext {
                title: format!("Related {r}").into(),
                url: Some(format!("/archive/2024/05/related-{r}/").into()),
                date: Some("2024-05-31".into()),
                date_display: Some("31 May 2024".into()),
                byline: Some("Australia/Israel Review".into()),
                caption: Some("Campus protest".into()),
                credit: Some("Shutterstock".into()),
                stub: r == 2,
            })
            .collect(),
        prev: Some(NeighbourContext {
            title: "Older".into(),
            url: "/archive/2019/05/older/".into(),
            shared: Shared(None),
        }),
        next: Some(NeighbourContext {
            title: "Newer".into(),
            url: "/archive/2019/07/newer/".into(),
            shared: Shared(None),
        }),
        stub: false,
        extra: Extra(extra),
    }
}

fn site() -> SiteContext<'static> {
    SiteContext {
        title: "Article archive".into(),
        description: Some("Saved articles".into()),
        language: "en".into(),
        home_url: "/archive/".into(),
        home_permalink: "https://example.org/archive/".into(),
        feed_url: "/archive/atom.xml".into(),
        feed_permalink: "https://example.org/archive/atom.xml".into(),
        archive_url: "/archive/dates/".into(),
        menu: Vec::new(),
        search_url: Some("/archive/search/".into()),
        icons: Vec::new(),
        taxonomies: ["tags", "authors", "publications"]
            .iter()
            .map(|n| TaxonomyLink {
                name: Cow::Borrowed(*n),
                title: Cow::Borrowed(*n),
                url: format!("/archive/{n}/").into(),
            })
            .collect(),
    }
}

fn main() {
    let count: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let base = BaseUrl::parse("https://example.org/archive/").unwrap();
    // GALLEY_BENCH_ROOT: a site root whose `templates/` override the theme, to
    // measure template variants without rebuilding.
    let theme = match std::env::var_os("GALLEY_BENCH_ROOT") {
        Some(root) => Theme::load(std::path::Path::new(&root), "default").expect("theme loads"),
        None => Theme::embedded_default(),
    };
    let renderer = Renderer::new(&theme, &base, vec![("syntax.css".into(), b"x{}".to_vec())])
        .expect("default theme compiles");
    let extra = BTreeMap::new();
    let articles: Vec<ArticleContext> = (0..count).map(|i| article(i, &extra)).collect();
    let site = site();

    // Contexts are built and dropped one page at a time, as a build does.
    let mut context_time = std::time::Duration::ZERO;
    let mut render_time = std::time::Duration::ZERO;
    let mut bytes = 0;
    for page in &articles {
        let start = Instant::now();
        let mut context = tera::Context::new();
        context.insert("site", &site);
        context.insert("current_url", &page.url);
        context.insert("canonical_url", &page.permalink);
        context.insert("page", page);
        let built = Instant::now();
        bytes += renderer.render("article.html", &context).expect("renders").len();
        render_time += built.elapsed();
        context_time += built - start;
    }
    let galley = context_time + render_time;
    println!(
        "galley: contexts {:.3} s, rendering {:.3} s",
        context_time.as_secs_f64(),
        render_time.as_secs_f64()
    );

    let mut floor = tera::Tera::default();
    floor.autoescape_on(vec![".html"]);
    floor.add_raw_template("page.html", FLOOR_TEMPLATE).expect("floor template compiles");
    let start = Instant::now();
    let mut floor_bytes = 0;
    for page in &articles {
        let mut context = tera::Context::new();
        let fm = serde_json::json!({
            "title": page.title, "date": page.date, "author": page.authors[0].name,
            "publication": "Australia/Israel Review", "summary": page.standfirst,
            "image_caption": "A caption",
        });
        let tags: Vec<serde_json::Value> =
            page.tags.iter().map(|t| serde_json::json!({"slug": "tag", "name": t.name})).collect();
        context.insert("fm", &fm);
        context.insert("author_slug", "author");
        context.insert("tags", &tags);
        context.insert("content", &page.content_html.html);
        floor_bytes += floor.render("page.html", &context).expect("renders").len();
    }
    let floor_time = start.elapsed();

    println!(
        "{count} articles, one thread: galley article.html {:.3} s ({} MB), floor template {:.3} s ({} MB), ratio {:.2}",
        galley.as_secs_f64(),
        bytes / 1_000_000,
        floor_time.as_secs_f64(),
        floor_bytes / 1_000_000,
        galley.as_secs_f64() / floor_time.as_secs_f64()
    );
}
