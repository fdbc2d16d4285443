//! Headless Chromium against `galley serve`: runs `tests/browser/live-reload.mjs`
//! (playwright-core, /usr/bin/chromium). Needs Node and Chromium, so it only runs
//! with GALLEY_BROWSER_TESTS=1 (`.ci/run` sets it); plain `cargo test` skips it.

use super::{events, options, reload_naming, write};
use galley::build::BuildOptions;
use galley::serve::{SiteEngine, start};
use std::path::{Path, PathBuf};
use std::process::Command;

fn enabled() -> bool {
    if std::env::var_os("GALLEY_BROWSER_TESTS").is_some_and(|v| v == "1") {
        return true;
    }
    eprintln!("skipped: set GALLEY_BROWSER_TESTS=1 to drive Chromium");
    false
}

/// `tests/browser` with its node_modules installed (`npm ci` on first use).
fn browser_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm ci in tests/browser failed");
    }
    dir
}

fn run_script(args: &[&str]) {
    let dir = browser_dir();
    let output = Command::new("node")
        .arg(dir.join("live-reload.mjs"))
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
fn chromium_sees_a_saved_article_and_the_error_overlay() {
    if !enabled() {
        return;
    }
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

/// A stylesheet whose name does not change is swapped in place, without a reload.
#[test]
fn chromium_swaps_a_changed_stylesheet_without_reloading() {
    if !enabled() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "content/first.md", &super::article("First", "first body"));
    write(root, "static/style.css", "body { color: black }\n");
    let handle = start(super::FakeSite::new(root, "/"), options()).unwrap();
    let mut events = events(&handle);
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
    reload_naming(&mut events, "/style.css");
}
