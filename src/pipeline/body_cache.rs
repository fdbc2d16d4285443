//! Rendered Markdown bodies kept between requests of the preview, keyed by
//! what they were rendered from, within a budget of bytes.

use crate::fingerprint::FastMap;
use crate::markdown::RenderedMarkdown;
use std::sync::{Arc, Mutex, PoisonError};

/// What the preview keeps of rendered bodies: pages viewed again (and the
/// feed's bodies) are not rendered again, and an archive of any size costs
/// at most this.
pub const BODY_CACHE_BUDGET: usize = 64 << 20;

struct Entry {
    /// What the body was rendered from (see `SiteVersion::body`).
    key: u64,
    body: Arc<RenderedMarkdown>,
    /// When it was last asked for, on the cache's own clock.
    used: u64,
    bytes: usize,
}

#[derive(Default)]
struct Entries {
    by_path: FastMap<String, Entry>,
    bytes: usize,
    clock: u64,
}

/// Rendered bodies by content path, the least recently used dropped first
/// once they outgrow the budget.
pub(super) struct BodyCache {
    entries: Mutex<Entries>,
    budget: usize,
}

impl BodyCache {
    pub(super) fn new(budget: usize) -> BodyCache {
        BodyCache { entries: Mutex::new(Entries::default()), budget }
    }

    /// The body of `path` last rendered, with the key it was rendered for.
    pub(super) fn get(&self, path: &str) -> Option<(u64, Arc<RenderedMarkdown>)> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.clock += 1;
        let now = entries.clock;
        let entry = entries.by_path.get_mut(path)?;
        entry.used = now;
        Some((entry.key, entry.body.clone()))
    }

    pub(super) fn insert(&self, path: &str, key: u64, body: Arc<RenderedMarkdown>) {
        let bytes = path.len()
            + body.html.len()
            + body.text.len()
            + body.summary_html.as_ref().map_or(0, String::len)
            + 256;
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.clock += 1;
        let used = entries.clock;
        if let Some(old) =
            entries.by_path.insert(path.to_string(), Entry { key, body, used, bytes })
        {
            entries.bytes -= old.bytes;
        }
        entries.bytes += bytes;
        if entries.bytes > self.budget {
            // Down to three quarters, so that eviction is not paid on every insert.
            let mut by_age: Vec<(u64, String)> =
                entries.by_path.iter().map(|(path, entry)| (entry.used, path.clone())).collect();
            by_age.sort_unstable();
            for (_, path) in by_age {
                if entries.bytes <= self.budget / 4 * 3 {
                    break;
                }
                if let Some(entry) = entries.by_path.remove(&path) {
                    entries.bytes -= entry.bytes;
                }
            }
        }
    }

    /// Forgets every body (the highlighting theme may have changed).
    pub(super) fn clear(&self) {
        *self.entries.lock().unwrap_or_else(PoisonError::into_inner) = Entries::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> Arc<RenderedMarkdown> {
        Arc::new(RenderedMarkdown { html: html.to_string(), ..RenderedMarkdown::EMPTY })
    }

    #[test]
    fn bodies_are_found_by_key_and_the_least_recently_used_go_first() {
        let cache = BodyCache::new(3 * (300 + 256 + 1));
        cache.insert("a", 1, body(&"a".repeat(300)));
        cache.insert("b", 1, body(&"b".repeat(300)));
        cache.insert("c", 1, body(&"c".repeat(300)));
        assert_eq!(cache.get("a").map(|(key, _)| key), Some(1));
        cache.insert("a", 2, body(&"a".repeat(300)));
        assert_eq!(cache.get("a").map(|(key, _)| key), Some(2), "the body rendered last is kept");
        cache.insert("d", 1, body(&"d".repeat(300)));
        assert!(cache.get("b").is_none(), "b was used least recently");
        assert!(cache.get("a").is_some() && cache.get("d").is_some());
    }
}
