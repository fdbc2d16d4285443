//! The site as the server holds it: the files of the last good build, and
//! the version of the site that renders its pages on request.
//!
//! Files live in memory, not on disk: a rebuild's delta and its page source
//! are put in place under the write lock, so a request sees either the whole
//! previous version or the whole new one, and each response body is an
//! immutable `Arc<[u8]>` that no later build can change half-way through a
//! send. Serving from memory also means no request ever opens a file in the
//! output directory, so symlinks there cannot leak anything outside it.

use super::{Delta, PageSource};
use std::collections::HashMap;
use std::sync::Arc;

/// The files of the last good build, plus the error of the last failed one.
#[derive(Default)]
pub(crate) struct Snapshot {
    files: HashMap<String, Arc<[u8]>>,
    /// Renders every page the files do not hold.
    pages: Option<Arc<dyn PageSource>>,
    /// Counts successful builds; a page knows which build it came from.
    generation: u64,
    /// The last build's error, shown over every page until a build succeeds.
    error: Option<Arc<str>>,
    /// Addresses articles had earlier in this run (output file) → the public
    /// path they moved to: a request for an old address is redirected while
    /// the server runs, so a page open at it, or a link to it, still works.
    moved: HashMap<String, String>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("files", &self.files.len())
            .field("pages", &self.pages.is_some())
            .field("generation", &self.generation)
            .field("error", &self.error)
            .finish()
    }
}

/// Where a file of the snapshot comes from.
pub(crate) enum Found {
    /// A file a build handed over.
    Bytes(Arc<[u8]>),
    /// A page to render (outside the lock) from this source.
    Page(Arc<dyn PageSource>),
}

impl Found {
    /// The file's bytes, rendering it if need be: `None` when the source
    /// has no such page after all.
    pub(crate) fn bytes(self, key: &str) -> Option<crate::Result<Arc<[u8]>>> {
        match self {
            Found::Bytes(bytes) => Some(Ok(bytes)),
            Found::Page(pages) => pages.file(key),
        }
    }
}

impl Snapshot {
    /// An output file (`"index.html"`, `"2019/x/index.html"`), as bytes or
    /// as a page to render.
    pub(crate) fn file(&self, key: &str) -> Option<Found> {
        if let Some(bytes) = self.files.get(key) {
            return Some(Found::Bytes(bytes.clone()));
        }
        let pages = self.pages.as_ref().filter(|pages| pages.has(key))?;
        Some(Found::Page(pages.clone()))
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.files.contains_key(key) || self.pages.as_ref().is_some_and(|pages| pages.has(key))
    }

    /// The page source of the last good version.
    pub(crate) fn pages(&self) -> Option<Arc<dyn PageSource>> {
        self.pages.clone()
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

    /// Applies a successful build's delta and page source and clears any
    /// error. `replace_all` drops files the delta does not name (a full
    /// build's delta holds every file). Returns the page source it replaced,
    /// for the caller to free outside the lock (it may hold a whole graph).
    pub(crate) fn apply(
        &mut self,
        delta: &Delta,
        pages: Option<Arc<dyn PageSource>>,
        replace_all: bool,
    ) -> Option<Arc<dyn PageSource>> {
        let replaced = std::mem::replace(&mut self.pages, pages);
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
        replaced
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
        if self.contains(key) {
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
        snapshot.apply(&delta(&[("a/index.html", Some("page"))]), None, true);
        // Each move: the build's delta removes the old file and adds the new one.
        let mut step = |from: &str, to: &str| {
            let (old, new) = (format!("{from}/index.html"), format!("{to}/index.html"));
            snapshot.apply(&delta(&[(&old, None), (&new, Some("page"))]), None, false);
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
        s.apply(&delta(&[("index.html", Some("a")), ("x/index.html", Some("x"))]), None, true);
        s.apply(&delta(&[("index.html", Some("b")), ("x/index.html", None)]), None, false);
        assert_eq!(
            s.file("index.html").and_then(|f| f.bytes("index.html")).unwrap().unwrap()[..],
            b"b"[..]
        );
        assert!(!s.contains("x/index.html"));
        assert_eq!(s.generation(), 2);
    }

    #[test]
    fn failure_keeps_files_and_success_clears_it() {
        let mut s = Snapshot::default();
        s.apply(&delta(&[("index.html", Some("a"))]), None, true);
        s.fail("content/a.md:2:1: bad");
        assert_eq!(s.error().as_deref(), Some("content/a.md:2:1: bad"));
        assert!(s.contains("index.html"));
        assert_eq!(s.generation(), 1);
        s.apply(&Delta::new(), None, false);
        assert_eq!(s.error(), None);
    }

    #[test]
    fn full_build_drops_files_it_does_not_name() {
        let mut s = Snapshot::default();
        s.apply(&delta(&[("old.html", Some("a"))]), None, true);
        s.apply(&delta(&[("new.html", Some("b"))]), None, true);
        assert!(!s.contains("old.html"));
        assert_eq!(s.len(), 1);
    }
}
