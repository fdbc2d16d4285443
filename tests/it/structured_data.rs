//! Link previews and structured data on every kind of page: the JSON-LD of
//! each parses and carries what its type needs, the OpenGraph and Twitter
//! tags are there, and a title full of quotes and `</script>` stays text.

use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::Path;

const HOSTILE_TITLE: &str = r#"Quotes " and ' and </script><script>alert(1)</script> & more"#;

/// The one JSON-LD object of `html`.
fn json_ld(html: &str, page: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let blocks: Vec<&str> = html.split(open).skip(1).collect();
    assert_eq!(blocks.len(), 1, "{page}: one JSON-LD block");
    let text = &blocks[0][..blocks[0].find("</script>").unwrap()];
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{page}: {e}: {text}"))
}

/// The `content` of `<meta property|name="key">` in `html`.
fn meta(html: &str, attribute: &str, key: &str) -> Option<String> {
    let start = format!("<meta {attribute}=\"{key}\" content=\"");
    let rest = &html[html.find(&start)? + start.len()..];
    Some(rest[..rest.find('"').unwrap()].to_string())
}

fn build_site() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = example_site();
    let hostile = format!(
        "---\ntitle: '{}'\ndate: 2024-02-02\nauthors: [\"Ann </script> Lee\"]\npublication: \"P&O\"\n\
         standfirst: \"A \\\"quoted\\\" standfirst\"\ntags: [ports]\n\
         image: {{src: \"https://img.example.net/q.jpg?a=1&b=\\\"2\\\"\", caption: Quay}}\n---\n\nBody.\n",
        HOSTILE_TITLE.replace('\'', "''")
    );
    fs::write(site.path().join("content/articles/hostile.md"), hostile).unwrap();
    let (out, _public) = build_under_archive(site.path());
    (site, out)
}

fn read(public: &Path, page: &str) -> String {
    fs::read_to_string(public.join(page).join("index.html"))
        .or_else(|_| fs::read_to_string(public.join(page)))
        .unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn every_page_kind_has_previews_and_json_ld_with_what_its_type_needs() {
    let (_site, out) = build_site();
    let public = out.path().join("public");
    let base = "https://example.org/archive/";

    let home = read(&public, "");
    let site = json_ld(&home, "home");
    assert_eq!(site["@context"], "https://schema.org");
    assert_eq!(site["@type"], "WebSite");
    assert_eq!(site["name"], "The Galley Archive");
    assert_eq!(site["url"], base);
    let action = &site["potentialAction"];
    assert_eq!(action["@type"], "SearchAction");
    assert_eq!(action["target"]["urlTemplate"], format!("{base}search/?q={{search_term_string}}"));
    assert_eq!(action["query-input"], "required name=search_term_string");

    let article = read(&public, "2023/10/reading-the-tide-tables/");
    let news = json_ld(&article, "article");
    let url = format!("{base}2023/10/reading-the-tide-tables/");
    assert_eq!(news["@type"], "NewsArticle");
    assert_eq!(news["headline"], "Reading the tide tables");
    assert_eq!(news["datePublished"], "2023-10-03T00:00:00Z");
    assert_eq!(news["dateModified"], "2023-10-03T00:00:00Z");
    assert_eq!(news["mainEntityOfPage"]["@id"], url.as_str());
    assert_eq!(news["publisher"]["@type"], "Organization");
    assert_eq!(news["publisher"]["name"], "The Galley Archive");
    assert_eq!(news["isPartOf"]["@type"], "Periodical");
    assert_eq!(news["isPartOf"]["name"], "The Harbour Review");
    assert!(news["author"].is_array());
    assert_eq!(meta(&article, "property", "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&article, "property", "og:url"), Some(url));
    assert_eq!(
        meta(&article, "property", "article:published_time").as_deref(),
        Some("2023-10-03T00:00:00Z")
    );

    // Every HTML page kind: JSON-LD that parses, with a type, a name and its own URL,
    // and the OpenGraph and Twitter tags.
    let stub = "2023/03/the-crane-question/";
    let kinds = [
        ("", "WebSite"),
        ("2023/10/reading-the-tide-tables/", "NewsArticle"),
        (stub, "WebPage"),
        ("about/", "WebPage"),
        ("archive/", "CollectionPage"),
        ("archive/2023/", "CollectionPage"),
        ("tags/", "CollectionPage"),
        ("tags/harbour/", "CollectionPage"),
        ("search/", "SearchResultsPage"),
        ("404.html", "WebPage"),
    ];
    for (page, kind) in kinds {
        let html = read(&public, page);
        let data = json_ld(&html, page);
        assert_eq!(data["@context"], "https://schema.org", "{page}");
        assert_eq!(data["@type"], kind, "{page}");
        assert!(data["name"].is_string() || data["headline"].is_string(), "{page}: {data}");
        assert_eq!(data["url"], format!("{base}{page}"), "{page}");
        for key in ["og:title", "og:url", "og:site_name", "og:type"] {
            assert!(meta(&html, "property", key).is_some(), "{page} lacks {key}");
        }
        for key in ["twitter:card", "twitter:title"] {
            assert!(meta(&html, "name", key).is_some(), "{page} lacks {key}");
        }
    }
    assert_eq!(json_ld(&read(&public, "about/"), "about")["name"], "About this archive");
}

#[test]
fn quotes_and_script_tags_in_a_title_stay_text() {
    let (_site, out) = build_site();
    let public = out.path().join("public");
    let html = read(&public, "2024/02/hostile/");
    // One script element of ours (the JSON-LD) and no other.
    assert_eq!(html.matches("<script").count(), 1, "{html}");
    let data = json_ld(&html, "hostile");
    assert_eq!(data["headline"], HOSTILE_TITLE);
    assert_eq!(data["author"][0]["name"], "Ann </script> Lee");
    assert_eq!(data["isPartOf"]["name"], "P&O");
    assert_eq!(data["description"], "A \"quoted\" standfirst");
    // An imported page's image address reaches the previews, escaped.
    let image = "https://img.example.net/q.jpg?a=1&b=\"2\"";
    assert_eq!(data["image"], image);
    // The tags hold the text escaped once: no markup, and the same words back.
    let unescape = |text: &str| {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&#x2F;", "/")
            .replace("&amp;", "&")
    };
    for (attribute, key, want) in [
        ("property", "og:title", HOSTILE_TITLE),
        ("name", "twitter:title", HOSTILE_TITLE),
        ("property", "article:author", "Ann </script> Lee"),
        ("property", "og:description", "A \"quoted\" standfirst"),
        ("property", "og:image", image),
        ("name", "twitter:image", image),
    ] {
        let shown = meta(&html, attribute, key).unwrap_or_else(|| panic!("no {key}"));
        assert!(!shown.contains(['<', '>', '"']), "{key}: {shown}");
        assert_eq!(unescape(&shown), want, "{key}");
    }
}
