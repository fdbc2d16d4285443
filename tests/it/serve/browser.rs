//! Headless Chromium against `galley serve`: runs `tests/browser/live-reload.mjs`
//! (playwright-core, /usr/bin/chromium). Needs Node and Chromium, so these
//! tests are ignored by plain `cargo test` and reported as such; `.ci/run`
//! runs them with `cargo test --test it -- --ignored browser`.

use super::{options, write};
use crate::support::browser_dir;
use galley::pipeline::BuildOptions;
use galley::serve::{SiteEngine, start};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn run_script(args: &[&str]) {
    run_named_script("live-reload.mjs", args);
}

fn run_named_script(script: &str, args: &[&str]) {
    let dir = browser_dir();
    let output = Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("node runs");
    println!("{}", String::from_utf8_lossy(&output.stdout));
    assert!(
        output.status.success(),
        "browser script failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The real engine: an article edited, broken and fixed while Chromium watches.
#[test]
#[ignore = "needs Chromium: run with --ignored"]
fn chromium_sees_a_saved_article_and_the_error_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    galley::init::init(&site, jiff::civil::date(2024, 1, 15)).unwrap();
    let article = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("init writes an article")
        .into_path();
    let handle = start(SiteEngine::new(&site, BuildOptions::default()), options()).unwrap();
    let page = format!("{}2024/01/welcome-to-your-archive/", handle.url());
    assert_eq!(super::client::get(&page).0, 200, "the article is at {page}");
    run_script(&["--page", &page, "--markdown", article.to_str().unwrap()]);
}

/// The open article is retitled (it stays), given a new `slug:` (the browser
/// follows it, and its old address redirects) and deleted (an overlay says so).
#[test]
#[ignore = "needs Chromium: run with --ignored"]
fn chromium_follows_the_article_being_edited() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    galley::init::init(&site, jiff::civil::date(2024, 1, 15)).unwrap();
    let article = site.join("content/articles/2024/01/welcome-to-your-archive.md");
    let build = BuildOptions {
        base_url: Some("https://example.org/archive/".into()),
        ..BuildOptions::default()
    };
    let handle = start(SiteEngine::new(&site, build), options()).unwrap();
    let page = format!("{}2024/01/welcome-to-your-archive/", handle.url());
    let moved = format!("{}2024/01/moved-by-slug/", handle.url());
    assert_eq!(super::client::get(&page).0, 200, "the article is at {page}");
    run_named_script(
        "follow-page.mjs",
        &["--page", &page, "--markdown", article.to_str().unwrap(), "--moved-url", &moved],
    );
}

/// A stylesheet whose name does not change is swapped in place, without a reload.
#[test]
#[ignore = "needs Chromium: run with --ignored"]
fn chromium_swaps_a_changed_stylesheet_without_reloading() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "content/first.md", &super::article("First", "first body"));
    write(root, "static/style.css", "body { color: black }\n");
    let handle = start(super::FakeSite::new(root, "/"), options()).unwrap();
    let page = format!("{}first/", handle.url());
    let markdown = root.join("content/first.md");
    let stylesheet = root.join("static/style.css");
    run_script(&[
        "--page",
        &page,
        "--markdown",
        markdown.to_str().unwrap(),
        "--stylesheet",
        stylesheet.to_str().unwrap(),
    ]);
}

/// Starts `galley serve` as its own process and returns it with the URL it prints.
fn spawn_galley(root: &Path, port: u16) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_galley"))
        .arg("--root")
        .arg(root)
        .args(["serve", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("galley serve starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.split("serving the site at ").nth(1) {
            let url = rest.split_whitespace().next().unwrap().to_string();
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
            return (child, url);
        }
        line.clear();
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("galley serve printed no URL");
}

/// The real binary, killed and started again: the open page reconnects and reloads by itself.
#[test]
#[ignore = "needs Chromium: run with --ignored"]
fn chromium_follows_a_server_restart() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    galley::init::init(&site, jiff::civil::date(2024, 1, 15)).unwrap();
    let article = site.join("content/articles/2024/01/welcome-to-your-archive.md");
    let original = std::fs::read_to_string(&article).unwrap();
    let (mut server, url) = spawn_galley(&site, 0);
    let port: u16 = url.rsplit(':').next().unwrap().trim_end_matches('/').parse().unwrap();
    let page = format!("{url}2024/01/welcome-to-your-archive/");
    let mut child = Command::new("node")
        .arg(browser_dir().join("live-reload.mjs"))
        .args(["--page", &page, "--markdown", article.to_str().unwrap()])
        .args(["--restart", "Written while the server was down."])
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs");
    let stdout = BufReader::new(child.stdout.take().unwrap());
    for line in stdout.lines() {
        let line = line.unwrap();
        println!("{line}");
        if line == "restart now" {
            server.kill().unwrap();
            server.wait().unwrap();
            let edited = format!("{}\n\nWritten while the server was down.\n", original.trim_end());
            std::fs::write(&article, edited).unwrap();
            server = spawn_galley(&site, port).0;
        }
    }
    let passed = child.wait().unwrap().success();
    server.kill().unwrap();
    let _ = server.wait();
    assert!(passed, "browser script failed");
}
