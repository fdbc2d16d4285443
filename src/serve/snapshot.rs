//! The site as the server holds it: every output file's bytes, from one build.
//!
//! Files live in memory, not on disk: a rebuild's delta is applied under the
//! write lock, so a request sees either the whole previous build or the whole
//! new one, and each response body is an immutable `Arc<[u8]>` that no later
//! build can change half-way through a send. Serving from memory also means no
//! request ever opens a file, so symlinks in the output directory cannot leak
//! anything outside it.

use super::Delta;
use std::collections::HashMap;
use std::sync::Arc;

/// The files of the last good build, plus the error of the last failed one.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    files: HashMap<String, Arc<[u8]>>,
    /// Counts successful builds; a page knows which build it came from.
    generation: u64,
    /// The last build's error, shown over every page until a build succeeds.
    error: Option<Arc<str>>,
    /// Addresses articles had earlier in this run (output file) → the public
    /// path they moved to: a request for an old address is redirected while
    /// the server runs, so a page open at it, or a link to it, still works.
    moved: HashMap<String, String>,
}

impl Snapshot {
    /// The bytes of an output file (`"index.html"`, `"2019/x/index.html"`).
    pub(crate) fn file(&self, key: &str) -> Option<Arc<[u8]>> {
        self.files.get(key).cloned()
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.files.contains_key(key)
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    pub(crate) fn error(&self) -> Option<Arc<str>> {
        self.error.clone()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    /// Applies a successful build's delta and clears any error. `replace_all` drops
    /// files the delta does not name (a full build's delta holds every file).
    pub(crate) fn apply(&mut self, delta: &Delta, replace_all: bool) {
        if replace_all {
            self.files.clear();
            self.moved.clear();
        }
        for (key, bytes) in delta {
            let key = key.trim_start_matches('/');
            match bytes {
                Some(bytes) => {
                    self.files.insert(key.to_string(), Arc::clone(bytes));
                }
                None => {
                    self.files.remove(key);
                }
            }
        }
        self.generation += 1;
        self.error = None;
    }

    /// Remembers where articles moved (see `moved`). A chain of moves leads
    /// to the latest address.
    pub(crate) fn record_moves(&mut self, moves: &[(String, String)], base_path: &str) {
        let file_of = |url: &str| {
            format!(
                "{}index.html",
                url.strip_prefix(base_path).unwrap_or(url).trim_start_matches('/')
            )
        };
        for (old_file, new_url) in moves {
            for target in self.moved.values_mut() {
                if &file_of(target) == old_file {
                    target.clone_from(new_url);
                }
            }
            // Moving back to an address forgets its redirect.
            self.moved.remove(&file_of(new_url));
            self.moved.insert(old_file.clone(), new_url.clone());
        }
    }

    /// Where the article once at output file `key` is now, if it moved
    /// during this run and nothing took its old address since.
    pub(crate) fn moved_to(&self, key: &str) -> Option<&str> {
        if self.files.contains_key(key) {
            return None;
        }
        self.moved.get(key).map(String::as_str)
    }

    /// Records a failed build; the files stay as they were.
    pub(crate) fn fail(&mut self, message: &str) {
        self.error = Some(Arc::from(message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delta(entries: &[(&str, Option<&str>)]) -> Delta {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(|v| Arc::<[u8]>::from(v.as_bytes()))))
            .collect()
    }

    #[test]
    fn moves_chain_to_the_latest_address_and_a_move_back_forgets_its_redirect() {
        let mut snapshot = Snapshot::default();
        snapshot.apply(&delta(&[("a/index.html", Some("page"))]), true);
        // Each move: the build's delta removes the old file and adds the new one.
        let mut step = |from: &str, to: &str| {
            let (old, new) = (format!("{from}/index.html"), format!("{to}/index.html"));
            snapshot.apply(&delta(&[(&old, None), (&new, Some("page"))]), false);
            snapshot.record_moves(&[(old, format!("/sub/{to}/"))], "/sub/");
        };
        step("a", "b");
        step("b", "c");
        step("c", "a");
        assert_eq!(snapshot.moved_to("a/index.html"), None, "the page is at a again");
        assert_eq!(snapshot.moved_to("b/index.html"), Some("/sub/a/"), "b follows the page");
        assert_eq!(snapshot.moved_to("c/index.html"), Some("/sub/a/"));
        assert_eq!(snapshot.moved_to("d/index.html"), None);
    }

    #[test]
    fn delta_adds_replaces_and_removes() {
        let mut s = Snapshot::default();
        s.apply(&delta(&[("index.html", Some("a")), ("x/index.html", Some("x"))]), true);
        s.apply(&delta(&[("index.html", Some("b")), ("x/index.html", None)]), false);
        assert_eq!(s.file("index.html").as_deref(), Some(&b"b"[..]));
        assert!(!s.contains("x/index.html"));
        assert_eq!(s.generation(), 2);
    }

    #[test]
    fn failure_keeps_files_and_success_clears_it() {
        let mut s = Snapshot::default();
        s.apply(&delta(&[("index.html", Some("a"))]), true);
        s.fail("content/a.md:2:1: bad");
        assert_eq!(s.error().as_deref(), Some("content/a.md:2:1: bad"));
        assert!(s.contains("index.html"));
        assert_eq!(s.generation(), 1);
        s.apply(&Delta::new(), false);
        assert_eq!(s.error(), None);
    }

    #[test]
    fn full_build_drops_files_it_does_not_name() {
        let mut s = Snapshot::default();
        s.apply(&delta(&[("old.html", Some("a"))]), true);
        s.apply(&delta(&[("new.html", Some("b"))]), true);
        assert!(!s.contains("old.html"));
        assert_eq!(s.len(), 1);
    }
}
