//! Standalone pages in `galley serve`: a new site from `galley init`, a
//! contact page and a menu entry added while serving, then edits to both
//! pages followed by the preview.

use super::client::{Events, get};
use super::{WAIT, options, reload_naming, write};
use galley::pipeline::BuildOptions;
use galley::serve::{SiteEngine, start};

#[test]
fn the_menu_shows_new_pages_and_the_preview_follows_edits_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    galley::init::init(&root, jiff::civil::date(2024, 1, 15)).unwrap();
    let handle = start(SiteEngine::new(&root, BuildOptions::default()), options()).unwrap();
    // Serve renders again, after a save, the pages open in a browser: one
    // event stream a page, as the live-reload script opens them.
    let showing = |page: &str| {
        let mut events = Events::showing(handle.addr(), page);
        events.next("hello", WAIT).expect("hello event");
        events
    };
    let (mut on_home, mut on_about, mut on_contact) =
        (showing("/"), showing("/about/"), showing("/contact/"));
    let home = handle.url();
    let (status, _, about) = get(&format!("{home}about/"));
    assert_eq!(status, 200, "init's about page is served");
    assert!(about.contains("<h1>About</h1>"), "{about}");

    write(&root, "content/pages/contact.md", "---\ntitle: Contact\n---\n\nWrite to us.\n");
    reload_naming(&mut on_contact, "/contact/index.html");
    // Reloads an earlier save caused are past before the next save.
    let drain = |events: &mut Events| {
        while events.next("reload", std::time::Duration::from_millis(300)).is_some() {}
    };
    drain(&mut on_home);
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    write(&root, "site.yaml", &format!("{config}  - title: Contact us\n    page: contact\n"));
    reload_naming(&mut on_home, "/index.html");
    for page in ["", "about/", "contact/", "2024/01/welcome-to-your-archive/"] {
        let (status, _, html) = get(&format!("{home}{page}"));
        assert_eq!(status, 200, "{page}");
        assert!(html.contains("<a href=\"/about/\""), "{page} links About in its menu");
        assert!(html.contains(">Contact us</a>"), "{page} links Contact in its menu");
    }

    drain(&mut on_contact);
    write(&root, "content/pages/contact.md", "---\ntitle: Contact\n---\n\nCall us instead.\n");
    reload_naming(&mut on_contact, "/contact/index.html");
    assert!(get(&format!("{home}contact/")).2.contains("Call us instead."));
    drain(&mut on_about);
    let about_text = std::fs::read_to_string(root.join("content/pages/about.md")).unwrap();
    write(&root, "content/pages/about.md", &about_text.replace("About", "About us"));
    reload_naming(&mut on_about, "/about/index.html");
    assert!(get(&format!("{home}about/")).2.contains("<h1>About us</h1>"));
    // Neither page is an article: the home page lists only the welcome article.
    let home_page = get(&home).2;
    assert!(!home_page.contains("href=\"/contact/\">Contact</a></h2>"), "{home_page}");
}
