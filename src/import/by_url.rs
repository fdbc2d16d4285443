//! Articles and stubs known by their page's address (`source.url`): an
//! HTML import finds the stub a teaser made of its page, or its own
//! earlier import, by address, whatever the file is called.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The form of an address that tells pages apart: scheme, a leading
/// `www.`, a trailing slash and the fragment set aside, case ignored.
pub fn url_key(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.strip_prefix("www.").unwrap_or(url);
    url.trim_end_matches('/').to_lowercase()
}

/// Two addresses of one page.
pub fn same_url(a: &str, b: &str) -> bool {
    url_key(a) == url_key(b)
}

/// Bytes of a file's start read to find its `source.url`: front matter
/// puts `source` well before this.
const HEAD_BYTES: u64 = 16 * 1024;

/// Every file under `content/articles/` whose front matter records a
/// `source.url`, by [`url_key`].
pub(crate) fn index(root: &Path) -> HashMap<String, PathBuf> {
    let content =
        if root == Path::new(".") { PathBuf::from("content") } else { root.join("content") };
    let mut found = HashMap::new();
    for entry in walkdir::WalkDir::new(content.join("articles")).into_iter().flatten() {
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let mut head = String::new();
        let Ok(file) = std::fs::File::open(entry.path()) else { continue };
        if file.take(HEAD_BYTES).read_to_string(&mut head).is_err() {
            continue;
        }
        if let Some(url) = source_url(&head) {
            found.entry(url_key(url)).or_insert_with(|| entry.path().to_path_buf());
        }
    }
    found
}

/// The `url:` of the `source:` block of a file galley wrote.
fn source_url(text: &str) -> Option<&str> {
    let front_matter = &text[..text.get(4..)?.find("\n---\n").map_or(text.len(), |i| i + 4)];
    let source = front_matter.find("\nsource:\n")? + "\nsource:\n".len();
    for line in front_matter[source..].lines() {
        let Some(value) = line.strip_prefix("  ") else { break };
        if let Some(url) = value.strip_prefix("url: ") {
            let url = url.trim();
            return Some(url.trim_matches(|c| c == '\'' || c == '"'));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_match_without_scheme_www_slash_or_fragment() {
        assert!(same_url("https://www.example.com/a/b/", "http://example.com/a/b#top"));
        assert!(!same_url("https://example.com/a/b", "https://example.com/a/c"));
    }

    #[test]
    fn the_source_url_is_read_from_the_front_matter() {
        let text = "---\ntitle: A\nsource:\n  url: https://example.com/a\n  file: a.html\n---\n\nurl: no\n";
        assert_eq!(source_url(text), Some("https://example.com/a"));
        assert_eq!(source_url("---\ntitle: A\n---\nsource:\n  url: x\n"), None);
    }
}
