//! `galley serve` over real HTTP: a server on a free port, a site in a temp
//! directory, real file saves picked up by the real watcher. The build engine
//! is stood in for by `fake_site::FakeSite` until the real one is wired in.

mod browser;
mod client;
mod content_files;
mod engine;
mod fake_site;
mod standalone;

use client::{Events, agent, get, raw};
use fake_site::FakeSite;
use galley::serve::{Reporter, ServeEvent, ServeOptions, ServerHandle, start};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);
const QUIET: Duration = Duration::from_millis(400);

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

fn options() -> ServeOptions {
    ServeOptions { port: 0, ..ServeOptions::default() }
}

/// A site with two articles and a stylesheet, served under `base`.
fn site(base: &str) -> (tempfile::TempDir, ServerHandle) {
    site_with(base, options())
}

/// [`site`], served with `options`.
fn site_with(base: &str, options: ServeOptions) -> (tempfile::TempDir, ServerHandle) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "site.yaml", "title: Test\n");
    write(root, "content/first.md", &article("First", "first body"));
    write(root, "content/second.md", &article("Second", "second body"));
    write(root, "static/style.css", "body { color: black }\n");
    let handle = start(FakeSite::new(root, base), options).expect("server starts");
    (dir, handle)
}

/// Waits for a `reload` that names `path` or everything (a save can take two debounce windows).
fn reload_naming(events: &mut Events, path: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    while let Some(data) =
        events.next("reload", deadline.saturating_duration_since(std::time::Instant::now()))
    {
        if data.contains(&format!("\"{path}\"")) || data.contains("\"all\":true") {
            return data;
        }
    }
    panic!("no reload naming {path}");
}

/// Connects an event stream and waits for its hello, so later saves are seen.
fn events(handle: &ServerHandle) -> Events {
    let mut events = Events::connect(handle.addr(), None);
    events.next("hello", WAIT).expect("hello event");
    events
}

/// [`events`] of a stream that shows the page at public path `page`.
fn events_showing(handle: &ServerHandle, page: &str) -> Events {
    let mut events = Events::showing(handle.addr(), page);
    events.next("hello", WAIT).expect("hello event");
    events
}

#[test]
fn serves_files_with_types_head_and_a_real_404() {
    let (_dir, handle) = site("/");
    let url = handle.url();
    let (status, content_type, body) = get(&format!("{url}first/"));
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert!(body.contains("<h1>First</h1>"));
    assert!(body.contains("<script data-galley-livereload>"), "HTML gets the reload script");

    let (status, content_type, body) = get(&format!("{url}style.css"));
    assert_eq!((status, content_type.as_str()), (200, "text/css; charset=utf-8"));
    assert_eq!(body, "body { color: black }\n", "only HTML is touched");

    let mut response = agent().head(&format!("{url}first/")).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(client::header(&response, "content-length").parse::<usize>().unwrap() > 100);
    assert_eq!(response.body_mut().read_to_string().unwrap(), "");
    assert_eq!(client::header(&response, "access-control-allow-origin"), "");

    let (status, content_type, body) = get(&format!("{url}nothing/here/"));
    assert_eq!(status, 404);
    assert!(content_type.starts_with("text/html"));
    assert!(body.contains("Not found") && body.contains("data-galley-livereload"));

    let (status, text) = raw(handle.addr(), "GET", "/first");
    assert_eq!(status, 301);
    assert!(text.contains("Location: /first/\r\n"), "{text}");
    let (status, _) = raw(handle.addr(), "POST", "/first/");
    assert_eq!(status, 405);
}

#[test]
fn a_site_under_a_sub_path_is_served_only_there() {
    let (_dir, handle) = site("/archive/");
    assert!(handle.url().ends_with("/archive/"));
    let (status, _, body) = get(&format!("{}first/", handle.url()));
    assert_eq!(status, 200);
    assert!(body.contains("href=\"/archive/style.css\""));
    let root = format!("http://{}", handle.addr());
    assert_eq!(get(&format!("{root}/first/")).0, 404);
    let (status, text) = raw(handle.addr(), "GET", "/");
    assert_eq!(status, 301);
    assert!(text.contains("Location: /archive/\r\n"));
    let (status, text) = raw(handle.addr(), "GET", "/archive");
    assert_eq!(status, 301);
    assert!(text.contains("Location: /archive/\r\n"));
}

#[test]
fn an_edit_in_place_and_a_rename_save_both_reach_the_page() {
    let (dir, handle) = site("/");
    let root = dir.path();
    let mut events = events(&handle);

    write(root, "content/first.md", &article("First", "edited in place"));
    reload_naming(&mut events, "/first/index.html");
    assert!(get(&format!("{}first/", handle.url())).2.contains("edited in place"));

    // vim / JetBrains / VS Code: write a temp file, then rename it over the original.
    write(root, "content/.first.md.swp", "swap");
    write(root, "content/first.md.tmp", &article("First", "saved by rename"));
    std::fs::rename(root.join("content/first.md.tmp"), root.join("content/first.md")).unwrap();
    reload_naming(&mut events, "/first/index.html");
    assert!(get(&format!("{}first/", handle.url())).2.contains("saved by rename"));
}

#[test]
fn delete_then_create_and_a_renamed_page_update_every_listing() {
    let (dir, handle) = site("/");
    let root = dir.path();
    let mut events = events(&handle);

    std::fs::remove_file(root.join("content/second.md")).unwrap();
    write(root, "content/second.md", &article("Second", "recreated"));
    reload_naming(&mut events, "/second/index.html");
    assert!(get(&format!("{}second/", handle.url())).2.contains("recreated"));

    std::fs::rename(root.join("content/second.md"), root.join("content/moved.md")).unwrap();
    // Usually one build; under load the rename's two halves can land in two
    // debounce windows, each a complete site of its own. When the new name
    // comes first, the old page is removed by the next window's build.
    reload_naming(&mut events, "/moved/index.html");
    if get(&format!("{}second/", handle.url())).0 != 404 {
        reload_naming(&mut events, "/second/index.html");
    }
    assert_eq!(get(&format!("{}second/", handle.url())).0, 404);
    assert_eq!(get(&format!("{}moved/", handle.url())).0, 200);
    let index = get(&handle.url()).2;
    assert!(index.contains("/moved/") && !index.contains("/second/"), "{index}");
}

#[test]
fn new_and_renamed_directories_are_picked_up() {
    let (dir, handle) = site("/");
    let root = dir.path();
    let mut events = events(&handle);

    write(root, "content/2020/new.md", &article("New", "in a new directory"));
    reload_naming(&mut events, "/new/index.html");
    assert_eq!(get(&format!("{}new/", handle.url())).0, 200);

    std::fs::rename(root.join("content/2020"), root.join("content/2021")).unwrap();
    events.next("reload", WAIT);
    write(root, "content/2021/later.md", &article("Later", "inside the renamed directory"));
    reload_naming(&mut events, "/later/index.html");
    assert_eq!(get(&format!("{}later/", handle.url())).0, 200);

    std::fs::remove_dir_all(root.join("content/2021")).unwrap();
    reload_naming(&mut events, "/new/index.html");
    assert_eq!(get(&format!("{}new/", handle.url())).0, 404);
    assert!(!get(&handle.url()).2.contains("/later/"));
}

#[test]
fn polling_sees_saves_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "content/first.md", &article("First", "before"));
    let options = ServeOptions {
        port: 0,
        poll: true,
        poll_interval: Duration::from_millis(100),
        ..ServeOptions::default()
    };
    let handle = start(FakeSite::new(root, "/"), options).unwrap();
    let mut events = events(&handle);
    // notify's PollWatcher compares modification times in whole seconds: a save
    // is seen when it lands in a later second than the file's last scan.
    std::thread::sleep(Duration::from_millis(1100));
    write(root, "content/first.md", &article("First", "after a poll"));
    reload_naming(&mut events, "/first/index.html");
    assert!(get(&format!("{}first/", handle.url())).2.contains("after a poll"));
}

#[test]
fn a_broken_save_shows_the_error_and_keeps_the_last_good_pages() {
    let (dir, handle) = site("/");
    let root = dir.path();
    let mut events = events(&handle);

    write(root, "content/first.md", "---\ntitle: First\nthis line is broken\n---\nbody\n");
    let error = events.next("build-error", WAIT).expect("error event");
    assert!(error.contains("content/first.md:3:1: expected `key: value`"), "{error}");
    let (status, _, page) = get(&format!("{}first/", handle.url()));
    assert_eq!(status, 200);
    assert!(page.contains("first body"), "the last good page is still served");
    assert!(page.contains("content/first.md:3:1"), "new page loads carry the error too");

    // An unrelated good save does not hide a file that is still broken.
    write(root, "content/second.md", &article("Second", "other edit"));
    events.next("build-error", WAIT).expect("still broken");

    write(root, "content/first.md", &article("First", "fixed"));
    reload_naming(&mut events, "/first/index.html");
    let page = get(&format!("{}first/", handle.url())).2;
    assert!(page.contains("fixed") && page.contains("\"error\":null"), "the overlay is cleared");
}

#[test]
fn a_failing_first_build_still_starts_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "content/first.md", "title: no front matter\n");
    let handle = start(FakeSite::new(root, "/"), options()).expect("server starts anyway");
    let mut events = events(&handle);
    let (status, _, page) = get(&format!("{}first/", handle.url()));
    assert_eq!(status, 404);
    assert!(page.contains("content/first.md:1:1"), "{page}");

    write(root, "content/first.md", &article("First", "now it builds"));
    reload_naming(&mut events, "/first/index.html");
    assert!(get(&format!("{}first/", handle.url())).2.contains("now it builds"));
}

#[test]
fn traversal_and_odd_targets_never_leave_the_site() {
    let (dir, handle) = site("/");
    write(dir.path(), "secret.txt", "TOP SECRET");
    let targets = [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/static/..%5c..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/secret.txt",
        "/content/first.md",
        "/site.yaml",
        "/first/%00",
        "/%c0%ae%c0%ae/secret.txt",
        "http://evil.example/etc/passwd",
    ];
    for target in targets {
        let (status, text) = raw(handle.addr(), "GET", target);
        assert!(status == 400 || status == 404, "{target}: status {status}");
        assert!(!text.contains("TOP SECRET") && !text.contains("root:x:0"), "{target} leaked");
    }
}

#[test]
fn the_event_stream_checks_origin_and_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/a.md", &article("A", "a"));
    let options = ServeOptions { port: 0, max_event_streams: 2, ..ServeOptions::default() };
    let handle = start(FakeSite::new(dir.path(), "/"), options).unwrap();
    let port = handle.addr().port();

    let mut evil = Events::connect(handle.addr(), Some(&format!("http://evil.example:{port}")));
    assert_eq!(evil.status(), 403);
    let mut rebinding =
        Events::connect(handle.addr(), Some(&format!("http://attacker.test:{port}")));
    assert_eq!(rebinding.status(), 403);
    let mut other_port = Events::connect(handle.addr(), Some("http://127.0.0.1:1"));
    assert_eq!(other_port.status(), 403);

    let mut a = Events::connect(handle.addr(), Some(&format!("http://localhost:{port}")));
    assert_eq!(a.status(), 200);
    a.next("hello", WAIT).unwrap();
    let mut b = Events::connect(handle.addr(), Some(&format!("http://127.0.0.1:{port}")));
    b.next("hello", WAIT).unwrap();
    let mut c = Events::connect(handle.addr(), None);
    assert_eq!(c.status(), 503, "a third stream is over the limit");
    assert_eq!(handle.open_event_streams(), 2);
}

#[test]
fn temp_files_and_the_output_directory_trigger_nothing() {
    let (dir, handle) = site("/");
    let root = dir.path();
    let mut events = events(&handle);
    for name in [
        "content/4913",
        "content/first.md~",
        "content/.#first.md",
        "content/first.md.bck",
        "content/.goutputstream-AB12CD",
        "content/.first.md.swp",
        "public/index.html",
        "target/debug/x",
        "notes.txt",
    ] {
        write(root, name, "noise");
    }
    assert_eq!(events.any(QUIET), None, "no event for files nobody serves");
    write(root, "site.yaml", "title: Changed\n");
    events.next("reload", WAIT).expect("site.yaml is watched");
}

#[test]
fn a_saved_page_in_sources_is_reimported_keeping_hand_edits() {
    let (reports, reported) = std::sync::mpsc::channel();
    let reporter = Reporter::new(move |event| {
        let _ = reports.send(event);
    });
    let (dir, handle) = site_with("/", ServeOptions { reporter, ..options() });
    let root = dir.path();
    let mut events = events(&handle);

    write(root, "sources/saved.txt", "Saved Title\nsaved text");
    reload_naming(&mut events, "/saved/index.html");
    assert!(get(&format!("{}saved/", handle.url())).2.contains("saved text"));

    write(root, "content/saved.md", &article("Saved Title", "hand edited"));
    reload_naming(&mut events, "/saved/index.html");
    // Reloads the hand edit caused (a loaded machine may send a second) are past.
    while events.next("reload", QUIET).is_some() {}
    write(root, "sources/saved.txt", "Saved Title\nnewer saved text");
    assert_eq!(events.next("reload", QUIET), None, "a hand-edited article is not overwritten");
    assert!(get(&format!("{}saved/", handle.url())).2.contains("hand edited"));
    let kept = std::iter::from_fn(|| reported.recv_timeout(WAIT).ok())
        .find_map(|event| match event {
            ServeEvent::KeptHandEdit { path } => Some(path),
            _ => None,
        })
        .expect("the hand edit is reported");
    assert_eq!(kept, root.join("content/saved.md"));
}

#[test]
fn after_many_saves_the_served_site_equals_a_clean_build() {
    let (dir, handle) = site("/");
    let root = dir.path();
    let mut events = events(&handle);
    write(root, "content/third.md", &article("Third", "3"));
    reload_naming(&mut events, "/third/index.html");
    std::fs::rename(root.join("content/first.md"), root.join("content/renamed.md")).unwrap();
    reload_naming(&mut events, "/renamed/index.html");
    write(root, "static/style.css", "body { color: red }\n");
    reload_naming(&mut events, "/style.css");
    std::fs::remove_file(root.join("content/second.md")).unwrap();
    reload_naming(&mut events, "/second/index.html");

    let clean = FakeSite::clean_build(root, "/").unwrap();
    for (key, bytes) in &clean {
        let (status, _, body) = get(&format!("{}{key}", handle.url()));
        assert_eq!(status, 200, "{key}");
        let expected = String::from_utf8_lossy(bytes);
        if key.ends_with(".html") {
            let script = body.find("<script data-galley-livereload>").unwrap();
            let end = body[script..].find("</script>").unwrap() + script + "</script>".len();
            assert_eq!(format!("{}{}", &body[..script], &body[end..]), expected, "{key}");
        } else {
            assert_eq!(body, expected, "{key}");
        }
    }
    for gone in ["first/index.html", "second/index.html"] {
        assert_eq!(get(&format!("{}{gone}", handle.url())).0, 404, "{gone}");
    }
}

#[test]
fn a_stopped_server_ends_streams_and_a_restart_is_a_new_instance() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/a.md", &article("A", "a"));
    let handle = start(FakeSite::new(dir.path(), "/"), options()).unwrap();
    let addr = handle.addr();
    let mut events = Events::connect(addr, None);
    let hello = events.next("hello", WAIT).unwrap();
    handle.stop();
    events.next("bye", WAIT).expect("bye before the stream ends");
    assert!(events.ended(WAIT), "the stream ends with a final chunk");

    let again = ServeOptions { port: addr.port(), ..options() };
    let handle = start(FakeSite::new(dir.path(), "/"), again).expect("the port is free again");
    let mut events = Events::connect(handle.addr(), None);
    let second = events.next("hello", WAIT).unwrap();
    let instance = |hello: &str| {
        hello.split("\"instance\":\"").nth(1).unwrap().split('"').next().unwrap().to_string()
    };
    assert_ne!(instance(&hello), instance(&second), "pages reload after a restart");
}

/// 200 clients fetch pages while saves rebuild them: every response must be one
/// complete version of the file (its length matches, its two version marks agree).
#[test]
fn concurrent_clients_only_ever_see_complete_files() {
    let (dir, handle) = site("/");
    let root = dir.path().to_path_buf();
    let url = format!("{}first/", handle.url());
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut version = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) && version < 200 {
                version += 1;
                let body = format!("v{version} {} v{version}", "x".repeat(version * 97 % 5000));
                write(&root, "content/first.md", &article(&format!("v{version}"), &body));
                std::thread::sleep(Duration::from_millis(15));
            }
            version
        })
    };
    let clients: Vec<_> = (0..200)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let agent = agent();
                let mut seen = 0;
                for _ in 0..10 {
                    let mut response = agent.get(&url).call().expect("request");
                    assert_eq!(response.status().as_u16(), 200);
                    let length: usize =
                        client::header(&response, "content-length").parse().unwrap();
                    let body = response.body_mut().read_to_string().unwrap();
                    assert_eq!(body.len(), length);
                    assert!(body.ends_with("</html>\n"), "complete file");
                    let title =
                        body.split("<title>").nth(1).unwrap().split("</title>").next().unwrap();
                    let text =
                        body.split("<p id=\"body\">").nth(1).unwrap().split("</p>").next().unwrap();
                    if title != "First" {
                        assert!(
                            text.starts_with(&format!("{title} "))
                                && text.ends_with(&format!(" {title}"))
                        );
                    }
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    let answered: usize = clients.into_iter().map(|c| c.join().expect("client thread")).sum();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let saves = writer.join().unwrap();
    assert_eq!(answered, 2000);
    assert!(saves > 1);
}

/// The server's share of save-to-reload latency on a 10,000-article site (the
/// fake builder renders only the saved page and the index). Run with
/// `cargo test --test it serve::reload_latency -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark: prints median and worst save-to-reload latency"]
fn reload_latency_on_a_large_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for i in 0..10_000 {
        write(root, &format!("content/{}/a{i}.md", i / 500), &article(&format!("A{i}"), "body"));
    }
    let site = FakeSite::new(root, "/");
    let builds = site.durations.clone();
    let handle = start(site, options()).unwrap();
    let mut events = events(&handle);
    let (mut totals, mut server_shares) = (Vec::new(), Vec::new());
    for round in 0..20 {
        std::thread::sleep(Duration::from_millis(100));
        let before = builds.lock().unwrap().len();
        let saved = std::time::Instant::now();
        write(root, "content/7/a3700.md", &article("A3700", &format!("edit {round}")));
        reload_naming(&mut events, "/a3700/index.html");
        let total = saved.elapsed();
        let building: Duration = builds.lock().unwrap()[before..].iter().sum();
        totals.push(total);
        server_shares.push(total.saturating_sub(building));
    }
    totals.sort();
    server_shares.sort();
    println!(
        "save → reload event, 20 saves: total median {:?}, worst {:?}; server's share (total minus the stand-in builder's time) median {:?}, worst {:?}",
        totals[10], totals[19], server_shares[10], server_shares[19]
    );
    assert!(
        server_shares[10] < Duration::from_millis(50)
            && server_shares[19] < Duration::from_millis(150)
    );
}
