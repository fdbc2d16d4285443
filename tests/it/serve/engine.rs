//! `galley serve` with the real build engine ([`galley::serve::SiteEngine`]):
//! saves picked up over real HTTP, errors and recovery, and the served site
//! equal to a clean `galley build` after a series of edits.

use super::client::{get, raw};
use super::{events, events_showing, options, reload_naming, write};
use galley::pipeline::BuildOptions;
use galley::serve::{ServerHandle, SiteEngine, start};
use std::path::{Path, PathBuf};

const ARTICLE: &str = "content/articles/2024/01/welcome-to-your-archive.md";
const PAGE: &str = "2024/01/welcome-to-your-archive/";

fn real_site(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf, ServerHandle) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    galley::init::init(&root, jiff::civil::date(2024, 1, 15)).unwrap();
    assert!(root.join(ARTICLE).is_file(), "init writes the welcome article");
    let build = BuildOptions { base_url: base_url.map(str::to_string), ..BuildOptions::default() };
    let handle = start(SiteEngine::new(&root, build), options()).unwrap();
    (dir, root, handle)
}

fn edit_body(root: &Path, text: &str) {
    let path = root.join(ARTICLE);
    let original = std::fs::read_to_string(&path).unwrap();
    let (front, _) = original.rsplit_once("\n---\n").unwrap();
    write(root, ARTICLE, &format!("{front}\n---\n\n{text}\n"));
}

/// `html` without the injected live-reload script, as it is on disk.
fn without_script(html: &str) -> String {
    match html.find("<script data-galley-livereload>") {
        Some(start) => {
            let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

#[test]
fn edits_in_place_and_by_rename_reach_the_served_article() {
    let (_dir, root, handle) = real_site(None);
    let url = format!("{}{PAGE}", handle.url());
    let mut events = events_showing(&handle, &format!("/{PAGE}"));

    edit_body(&root, "Saved in place.");
    reload_naming(&mut events, &format!("/{PAGE}index.html"));
    assert!(get(&url).2.contains("Saved in place."));

    let text = std::fs::read_to_string(root.join(ARTICLE))
        .unwrap()
        .replace("Saved in place.", "Saved by rename.");
    let temp = root.join("content/articles/2024/01/.welcome.md.tmp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, root.join(ARTICLE)).unwrap();
    reload_naming(&mut events, &format!("/{PAGE}index.html"));
    assert!(get(&url).2.contains("Saved by rename."));
}

#[test]
fn broken_front_matter_keeps_the_last_good_site_until_fixed() {
    let (_dir, root, handle) = real_site(None);
    let url = format!("{}{PAGE}", handle.url());
    let mut events = events_showing(&handle, &format!("/{PAGE}"));
    let good = std::fs::read_to_string(root.join(ARTICLE)).unwrap();
    // The page is open in a browser while its file is edited.
    assert_eq!(get(&url).0, 200);

    write(&root, ARTICLE, &good.replacen("title:", "this line is not yaml\ntitle:", 1));
    let error = events.next("build-error", super::WAIT).expect("error event");
    assert!(error.contains("welcome-to-your-archive.md:2:"), "{error}");
    let (status, _, page) = get(&url);
    assert_eq!(status, 200, "the last good page is still served");
    assert!(page.contains("welcome-to-your-archive.md:2:"), "new page loads carry the error");

    // Back to the last good bytes: nothing to re-send, but the reload clears the overlay.
    write(&root, ARTICLE, &good);
    events.next("reload", super::WAIT).expect("reload after the fix");
    assert!(get(&url).2.contains("\"error\":null"));
}

#[test]
fn a_sub_path_site_previews_as_deployed_and_refuses_traversal() {
    let (_dir, _root, handle) = real_site(Some("https://example.org/archive/"));
    assert!(handle.url().ends_with("/archive/"));
    let (status, _, page) = get(&format!("{}{PAGE}", handle.url()));
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/archive/"), "links carry the sub-path");
    assert_eq!(get(&format!("http://{}/{PAGE}", handle.addr())).0, 404);
    for target in [
        "/archive/../site.yaml",
        "/archive/%2e%2e/site.yaml",
        "/archive/%252e%252e/site.yaml",
        "/site.yaml",
    ] {
        let (status, text) = raw(handle.addr(), "GET", target);
        assert!(status == 400 || status == 404, "{target}: {status}");
        assert!(!text.contains("base_url"), "{target} leaked site.yaml");
    }
}

#[test]
fn after_saves_the_served_site_equals_a_clean_build() {
    let (dir, root, handle) = real_site(None);
    let mut events = events_showing(&handle, &format!("/{PAGE}"));
    // A page not there yet: named once a save makes it.
    let mut second_events = events_showing(&handle, "/2024/01/second/");
    edit_body(&root, "First edit.");
    reload_naming(&mut events, &format!("/{PAGE}index.html"));
    let second = std::fs::read_to_string(root.join(ARTICLE))
        .unwrap()
        .replace("title: \"Welcome to your archive\"", "title: \"Second article\"")
        .replace("tags: [\"galley\"]", "tags: [\"other\"]");
    write(&root, "content/articles/2024/01/second.md", &second);
    reload_naming(&mut second_events, "/2024/01/second/index.html");
    std::fs::rename(
        root.join("content/articles/2024/01/second.md"),
        root.join("content/articles/2024/01/renamed.md"),
    )
    .unwrap();
    events.next("reload", super::WAIT);
    edit_body(&root, "Second edit.");
    reload_naming(&mut events, &format!("/{PAGE}index.html"));

    let out = dir.path().join("clean");
    let options = BuildOptions { output: Some(out.clone()), ..BuildOptions::default() };
    galley::pipeline::build(&root, &options).expect("clean build");
    let clean: Vec<PathBuf> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&out).unwrap().to_path_buf())
        .collect();
    assert!(clean.len() > 10);
    // The search index is built again on a thread of its own once saves
    // pause (an article was added): wait until it is.
    let manifest = std::fs::read(out.join("search/index.json")).unwrap();
    let started = std::time::Instant::now();
    let index_url = format!("{}search/index.json", handle.url());
    while super::client::agent().get(&index_url).call().unwrap().body_mut().read_to_vec().unwrap()
        != manifest
    {
        assert!(started.elapsed() < super::WAIT, "serve's search index never caught up");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for relative in &clean {
        let key = relative.to_string_lossy().replace('\\', "/");
        let expected = std::fs::read(out.join(relative)).unwrap();
        let mut response =
            super::client::agent().get(&format!("{}{key}", handle.url())).call().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{key}");
        let served = response.body_mut().read_to_vec().unwrap();
        if key.ends_with(".html") {
            assert_eq!(
                without_script(&String::from_utf8(served).unwrap()),
                String::from_utf8(expected).unwrap(),
                "{key}"
            );
        } else {
            assert_eq!(served, expected, "{key}");
        }
    }
    assert!(get(&format!("{}{PAGE}", handle.url())).2.contains("Second edit."));
}

#[test]
fn a_broken_site_yaml_at_start_still_serves_the_error_then_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    galley::init::init(&root, jiff::civil::date(2024, 1, 15)).unwrap();
    let good = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    write(&root, "site.yaml", &format!("{good}paginate: [many\n"));
    let handle = start(SiteEngine::new(&root, BuildOptions::default()), options()).unwrap();
    let mut events = events(&handle);
    let (status, _, page) = get(&handle.url());
    assert_eq!(status, 404, "nothing built yet");
    assert!(page.contains("site.yaml:"), "the error is on the page: {page}");

    write(&root, "site.yaml", &good);
    reload_naming(&mut events, "/index.html");
    let (status, _, page) = get(&format!("{}{PAGE}", handle.url()));
    assert_eq!(status, 200);
    assert!(page.contains("\"error\":null"));
}

#[test]
fn a_saved_page_is_reimported_and_hand_edits_are_kept() {
    let (_dir, root, handle) = real_site(None);
    let mut events = events_showing(&handle, "/2023/03/tides-of-change/");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/01-harbour-tides.txt");
    let saved = std::fs::read_to_string(fixture).unwrap();
    write(&root, "sources/harbour.txt", &saved);
    // The saved page is "Tides of change" (its teasers become stubs beside it).
    let article = root.join("content/articles/2023/03/tides-of-change.md");
    reload_naming(&mut events, "/2023/03/tides-of-change/index.html");
    assert!(article.is_file());

    let edited =
        format!("{}\n\nA hand edit.\n", std::fs::read_to_string(&article).unwrap().trim_end());
    std::fs::write(&article, &edited).unwrap();
    reload_naming(&mut events, "/2023/03/tides-of-change/index.html");
    write(&root, "sources/harbour.txt", &format!("{saved}\n"));
    std::thread::sleep(super::QUIET);
    let page = get(&format!("{}2023/03/tides-of-change/", handle.url())).2;
    assert!(page.contains("A hand edit."), "the served page keeps it too");
    assert_eq!(std::fs::read_to_string(&article).unwrap(), edited, "import keeps hand edits");
}

/// Waits for the next `reload` whose data contains `needle`.
fn reload_containing(events: &mut super::Events, needle: &str) -> String {
    let deadline = std::time::Instant::now() + super::WAIT;
    while let Some(data) =
        events.next("reload", deadline.saturating_duration_since(std::time::Instant::now()))
    {
        if data.contains(needle) {
            return data;
        }
    }
    panic!("no reload containing {needle}");
}

#[test]
fn a_moved_article_is_followed_and_its_old_address_redirects_while_serving() {
    let (_dir, root, handle) = real_site(Some("https://example.org/archive/"));
    let mut events = events_showing(&handle, &format!("/archive/{PAGE}"));
    let original = std::fs::read_to_string(root.join(ARTICLE)).unwrap();

    // A new `slug:` moves the article: the reload says from where to where.
    write(&root, ARTICLE, &original.replacen("title:", "slug: moved-here\ntitle:", 1));
    let data = reload_containing(&mut events, "moved-here");
    assert!(
        data.contains(&format!("\"/archive/{PAGE}index.html\":\"/archive/2024/01/moved-here/\"")),
        "{data}"
    );
    assert_eq!(get(&format!("{}2024/01/moved-here/", handle.url())).0, 200);
    let (status, response) = raw(handle.addr(), "GET", &format!("/archive/{PAGE}"));
    assert_eq!(status, 307, "{response}");
    assert!(response.contains("Location: /archive/2024/01/moved-here/"), "{response}");

    // A renamed file moves it again; the first address follows to the latest.
    let moved = root.join("content/articles/2024/01/renamed.md");
    std::fs::rename(root.join(ARTICLE), &moved).unwrap();
    let text = std::fs::read_to_string(&moved).unwrap().replace("slug: moved-here\n", "");
    std::fs::write(&moved, text).unwrap();
    reload_containing(&mut events, "/archive/2024/01/renamed/");
    let (status, response) = raw(handle.addr(), "GET", &format!("/archive/{PAGE}"));
    assert_eq!(status, 307);
    assert!(response.contains("Location: /archive/2024/01/renamed/"), "{response}");

    // Deleted: pages showing it are told, and the address is gone.
    std::fs::remove_file(&moved).unwrap();
    let data =
        reload_containing(&mut events, "\"removed\":[\"/archive/2024/01/renamed/index.html\"]");
    assert!(data.contains("\"home\":\"/archive/\""), "{data}");
    assert_eq!(get(&format!("{}2024/01/renamed/", handle.url())).0, 404);
}
