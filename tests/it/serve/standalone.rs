//! Standalone pages in `galley serve`: a new site from `galley init`, a
//! contact page and a menu entry added while serving, then edits to both
//! pages followed by the preview.

use super::client::get;
use super::{events, options, reload_naming, write};
use galley::pipeline::BuildOptions;
use galley::serve::{SiteEngine, start};

#[test]
fn the_menu_shows_new_pages_and_the_preview_follows_edits_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    galley::init::init(&root, jiff::civil::date(2024, 1, 15)).unwrap();
    let handle = start(SiteEngine::new(&root, BuildOptions::default()), options()).unwrap();
    let mut events = events(&handle);
    let home = handle.url();
    let (status, _, about) = get(&format!("{home}about/"));
    assert_eq!(status, 200, "init's about page is served");
    assert!(about.contains("<h1>About</h1>"), "{about}");

    write(&root, "content/pages/contact.md", "---\ntitle: Contact\n---\n\nWrite to us.\n");
    reload_naming(&mut events, "/contact/index.html");
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    write(&root, "site.yaml", &format!("{config}  - title: Contact us\n    page: contact\n"));
    reload_naming(&mut events, "/index.html");
    for page in ["", "about/", "contact/", "2024/01/welcome-to-your-archive/"] {
        let (status, _, html) = get(&format!("{home}{page}"));
        assert_eq!(status, 200, "{page}");
        assert!(html.contains("<a href=\"/about/\""), "{page} links About in its menu");
        assert!(html.contains(">Contact us</a>"), "{page} links Contact in its menu");
    }

    write(&root, "content/pages/contact.md", "---\ntitle: Contact\n---\n\nCall us instead.\n");
    reload_naming(&mut events, "/contact/index.html");
    assert!(get(&format!("{home}contact/")).2.contains("Call us instead."));
    let about_text = std::fs::read_to_string(root.join("content/pages/about.md")).unwrap();
    write(&root, "content/pages/about.md", &about_text.replace("About", "About us"));
    reload_naming(&mut events, "/about/index.html");
    assert!(get(&format!("{home}about/")).2.contains("<h1>About us</h1>"));
    // Neither page is an article: the home page lists only the welcome article.
    let home_page = get(&home).2;
    assert!(!home_page.contains("href=\"/contact/\">Contact</a></h2>"), "{home_page}");
}
