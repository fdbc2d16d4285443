//! Helpers shared by the integration tests: temporary sites, the binary, a
//! plain static file server and a crawler.

use assert_cmd::Command;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The repository root, which is also the bundled example site.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `galley` binary, run with `--root root`.
pub fn galley(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("galley").expect("the galley binary is built");
    cmd.arg("--root").arg(root);
    cmd
}

/// Copies `from` into `to` recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the example site (site.yaml and content/) in a temporary directory.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo_root().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    copy_dir(&repo_root().join("content"), &dir.path().join("content"));
    dir
}

/// Builds the site at `root` for `https://example.org/archive/` (a sub-path)
/// into `public/` of a new temporary directory: that directory (kept alive
/// by the caller) and the output's path.
pub fn build_under_archive(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    galley(root)
        .args(["build", "--base-url", "https://example.org/archive/", "--output"])
        .arg(&public)
        .assert()
        .success();
    (out, public)
}

/// A site with the given files (paths relative to its root).
pub fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Every file under `dir`, relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// A plain static file server: serves `dir` under the URL path `mount`
/// (`/archive/`), directories through their `index.html`, nothing else.
pub struct StaticServer {
    pub addr: std::net::SocketAddr,
    server: std::sync::Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(dir: &Path, mount: &str) -> StaticServer {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let addr = server.server_addr().to_ip().unwrap();
        let dir = dir.to_path_buf();
        let mount = mount.to_string();
        let handle = server.clone();
        let thread = std::thread::spawn(move || {
            for request in handle.incoming_requests() {
                let url = request.url().split(['?', '#']).next().unwrap_or("").to_string();
                let response = match url.strip_prefix(&mount) {
                    Some(rest) if !rest.split('/').any(|s| s == "..") => {
                        let mut path = dir.join(percent_decode(rest));
                        if path.is_dir() {
                            path = path.join("index.html");
                        }
                        match std::fs::read(&path) {
                            Ok(bytes) => {
                                tiny_http::Response::from_data(bytes).with_status_code(200)
                            }
                            Err(_) => tiny_http::Response::from_data(b"not found".to_vec())
                                .with_status_code(404),
                        }
                    }
                    _ => tiny_http::Response::from_data(b"outside".to_vec()).with_status_code(404),
                };
                let _ = request.respond(response);
            }
        });
        StaticServer { addr, server, thread: Some(thread) }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// An HTTP agent whose every request has a bounded wait.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into()
}

/// The ids and links of an HTML document.
pub fn html_ids_and_links(html: &str) -> (HashSet<String>, Vec<String>) {
    use html5gum::{Token, Tokenizer};
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    for token in Tokenizer::new(html).flatten() {
        if let Token::StartTag(tag) = token {
            for (k, v) in &tag.attributes {
                let v = String::from_utf8_lossy(v).into_owned();
                match &k[..] {
                    b"id" => {
                        ids.insert(v);
                    }
                    b"href" | b"src" => links.push(v),
                    _ => {}
                }
            }
        }
    }
    (ids, links)
}

/// What a crawl found.
#[derive(Debug, Default)]
pub struct Crawl {
    pub pages: usize,
    pub broken: Vec<String>,
}

/// Follows every internal link and `#anchor` from `start` (a URL path such as
/// `/archive/`) on a server at `addr`, staying under `mount`.
pub fn crawl(addr: std::net::SocketAddr, start: &str, mount: &str) -> Crawl {
    let agent = agent();
    let mut crawl = Crawl::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue = vec![start.to_string()];
    let mut pages: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut anchors: Vec<(String, String, String)> = Vec::new();
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let url = format!("http://{addr}{path}");
        let mut response = agent.get(&url).call().expect("the server answers");
        if response.status() != 200 {
            crawl.broken.push(format!("{path}: HTTP {}", response.status()));
            continue;
        }
        if !(path.ends_with('/') || path.ends_with(".html")) {
            continue;
        }
        let body = response.body_mut().read_to_string().unwrap();
        crawl.pages += 1;
        let (ids, links) = html_ids_and_links(&body);
        pages.insert(path.clone(), ids);
        for link in links {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("//")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (target, fragment) = match link.split_once('#') {
                Some((t, f)) => (t.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let target = if target.is_empty() {
                path.clone()
            } else if target.starts_with('/') {
                target
            } else {
                let dir = &path[..=path.rfind('/').unwrap()];
                resolve_dots(&format!("{dir}{target}"))
            };
            if !target.starts_with(mount) {
                crawl.broken.push(format!("{path}: link {link} leaves {mount}"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                anchors.push((path.clone(), target.clone(), fragment));
            }
            if !seen.contains(&target) {
                queue.push(target);
            }
        }
    }
    for (from, target, fragment) in anchors {
        let decoded = percent_decode(&fragment);
        match pages.get(&target) {
            Some(ids) if ids.contains(&decoded) => {}
            _ => crawl.broken.push(format!("{from}: anchor {target}#{fragment} not found")),
        }
    }
    crawl.broken.sort();
    crawl
}

fn resolve_dots(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for s in path.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    out
}

/// `tests/browser` with its node_modules installed (`npm ci` on first use).
pub fn browser_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let status = std::process::Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm ci in tests/browser failed");
    }
    dir
}
