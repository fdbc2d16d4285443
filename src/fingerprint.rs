//! Fingerprints: 64-bit hashes that tell whether inputs changed.
//!
//! The preview compares fingerprints of pages and of what rendered bodies
//! were made from, within one process; they are never stored or compared
//! across runs. They are made with aHash rather than std's SipHash: nothing
//! here needs protection from crafted collisions (an attacker able to pick a
//! site's content can simply change it), and loading a large archive hashes
//! every page.

use std::hash::{Hash, Hasher};

/// The fingerprint of `value`.
pub fn of(value: impl Hash) -> u64 {
    let mut hasher = hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A hasher for fingerprints fed piece by piece.
pub fn hasher() -> impl Hasher {
    ahash::AHasher::default()
}

/// A hash map keyed by fingerprint-grade hashing: for the maps a save at
/// 10,000 articles looks up every page in (by content path, by output file).
pub type FastMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

#[cfg(test)]
mod tests {
    #[test]
    fn equal_values_agree_and_different_ones_differ() {
        assert_eq!(super::of(("a", 1u64)), super::of(("a", 1u64)));
        assert_ne!(super::of(("a", 1u64)), super::of(("a", 2u64)));
        assert_ne!(super::of(("ab", "c")), super::of(("a", "bc")));
    }
}
