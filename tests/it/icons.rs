//! The site's icon: declared on every page under the base path, the theme's
//! unless the site has its own, so that no page makes a browser ask the
//! host's root for `/favicon.ico`.

use crate::support::*;
use std::fs;
use std::path::Path;

/// The `href` of every `<link rel="icon">` in `html`.
fn icon_links(html: &str) -> Vec<String> {
    html.split("<link rel=\"icon\" href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

fn html_pages(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn every_page_declares_the_theme_icons_under_the_base_path() {
    let site = example_site();
    let (_out, public) = build_under_archive(site.path());
    let pages = html_pages(&public);
    assert!(pages.len() > 40, "{} pages", pages.len());
    for page in pages {
        let links = icon_links(&fs::read_to_string(&page).unwrap());
        assert_eq!(links, ["/archive/favicon.svg", "/archive/favicon.png"], "{}", page.display());
    }
    let svg = fs::read_to_string(public.join("favicon.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    let png = fs::read(public.join("favicon.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() < 4096, "a small PNG");
}

#[test]
fn a_site_icon_of_its_own_replaces_the_theme_icons() {
    let article = "---\ntitle: A\ndate: 2021-03-04\n---\n\nBody.\n";
    let site = site_with(&[
        ("site.yaml", "title: T\nbase_url: /sub/\n"),
        ("content/a.md", article),
        ("static/favicon.ico", "own icon"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    galley(site.path()).args(["build", "--output"]).arg(&public).assert().success();
    for page in html_pages(&public) {
        let links = icon_links(&fs::read_to_string(&page).unwrap());
        assert_eq!(links, ["/sub/favicon.ico"], "{}", page.display());
    }
    assert_eq!(fs::read_to_string(public.join("favicon.ico")).unwrap(), "own icon");

    // An own SVG replaces the theme's file of that name, too.
    fs::remove_file(site.path().join("static/favicon.ico")).unwrap();
    fs::write(site.path().join("static/favicon.svg"), "<svg id=\"own\"/>").unwrap();
    galley(site.path()).args(["build", "--output"]).arg(&public).assert().success();
    let home = fs::read_to_string(public.join("index.html")).unwrap();
    assert_eq!(icon_links(&home), ["/sub/favicon.svg"]);
    assert_eq!(fs::read_to_string(public.join("favicon.svg")).unwrap(), "<svg id=\"own\"/>");
}
