//! Reading an article into terms: its words found, normalised, and named by
//! the ids of a [`TermTable`] that every reading thread shares.
//!
//! Most words of an archive are words already read, in an earlier article
//! or earlier in the same one. Each thread keeps a [`Cache`] of words as
//! written (`The`, `the`, `policies`) with their term ids, so that such a word
//! costs a probe of that cache: it is neither normalised, nor hashed for its
//! shard, nor looked up in the shared table under a lock.

use super::doc::SearchDoc;
use super::words::{RawKey, WordSink, scan};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The term table is split into this many buckets by the top bits of a
/// term's hash, a lock each.
pub(super) const BUCKET_BITS: u32 = 6;
pub(super) const BUCKETS: usize = 1 << BUCKET_BITS;

/// The hash of a normalised word that places it in a shard: its UTF-8
/// bytes taken four at a time (little-endian, the last zero-padded) through
/// MurmurHash3's 32-bit steps, seeded with the length. The script computes the same.
pub fn term_hash(word: &str) -> u32 {
    fn mix(h: u32, k: u32) -> u32 {
        let k = k.wrapping_mul(0xcc9e_2d51).rotate_left(15).wrapping_mul(0x1b87_3593);
        (h ^ k).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64)
    }
    let bytes = word.as_bytes();
    let mut h = 0x9747_b28c ^ bytes.len() as u32;
    let mut chunks = bytes.chunks_exact(4);
    for c in &mut chunks {
        h = mix(h, u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // Shifted in rather than copied to a padded array, which the CPU
        // stalled on reading back as one word.
        let k = rest.iter().rev().fold(0u32, |k, &b| k << 8 | u32::from(b));
        h = mix(h, k);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// Hashes the `u32` term hashes that key the table (already mixed).
#[derive(Default)]
pub(super) struct TermHasher(u64);

impl std::hash::Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n);
    }
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }
}

/// The shard of a hash among 2^bits.
pub fn shard_of(hash: u32, bits: u32) -> usize {
    if bits == 0 { 0 } else { (hash >> (32 - bits)) as usize }
}

fn bucket_of(hash: u32) -> usize {
    shard_of(hash, BUCKET_BITS)
}

/// Ends a chain of terms with the same hash.
const NO_TERM: u32 = u32::MAX;

/// The terms of one bucket, by their index in it.
#[derive(Default)]
struct TableBucket {
    words: Vec<Arc<str>>,
    hashes: Vec<u32>,
    /// The first term with a hash; `next` chains the others (hashes collide).
    heads: HashMap<u32, u32, BuildHasherDefault<TermHasher>>,
    next: Vec<u32>,
}

/// Every normalised word read so far, each with an id: its index in its
/// bucket times [`BUCKETS`], plus the bucket. Ids are given in the order
/// threads happen to meet words: nothing written depends on them.
pub(super) struct TermTable {
    /// Tells the threads' caches which table their ids are of.
    serial: u64,
    buckets: Vec<Mutex<TableBucket>>,
}

impl Default for TermTable {
    fn default() -> Self {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        TermTable {
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            buckets: (0..BUCKETS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl TermTable {
    fn bucket(&self, b: usize) -> MutexGuard<'_, TableBucket> {
        self.buckets[b].lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The id of a normalised word, given one if it is new.
    pub(super) fn id(&self, word: &str) -> u32 {
        let hash = term_hash(word);
        let b = bucket_of(hash);
        let mut bucket = self.bucket(b);
        let TableBucket { words, hashes, heads, next } = &mut *bucket;
        let head = heads.entry(hash).or_insert(NO_TERM);
        let mut at = *head;
        while at != NO_TERM {
            if &*words[at as usize] == word {
                return at << BUCKET_BITS | b as u32;
            }
            at = next[at as usize];
        }
        let local = words.len() as u32;
        words.push(word.into());
        hashes.push(hash);
        next.push(*head);
        *head = local;
        local << BUCKET_BITS | b as u32
    }

    /// The word and hash of term `id`, if it has been given.
    pub(super) fn term(&self, id: u32) -> Option<(Arc<str>, u32)> {
        let bucket = self.bucket(id as usize % BUCKETS);
        let local = (id >> BUCKET_BITS) as usize;
        Some((bucket.words.get(local)?.clone(), bucket.hashes[local]))
    }

    /// Lets go of the room kept for words to come (a kept index reads few).
    pub(super) fn shrink_to_fit(&mut self) {
        for bucket in &mut self.buckets {
            let bucket = bucket.get_mut().unwrap_or_else(PoisonError::into_inner);
            bucket.words.shrink_to_fit();
            bucket.hashes.shrink_to_fit();
            bucket.heads.shrink_to_fit();
            bucket.next.shrink_to_fit();
        }
    }

    /// One more than the largest id given.
    pub(super) fn id_bound(&self) -> usize {
        (0..BUCKETS).map(|b| self.bucket(b).words.len() * BUCKETS).max().unwrap_or(0)
    }
}

/// A word as written and its term.
#[derive(Clone, Copy, Default)]
struct RawEntry {
    /// A length of 0: free.
    key: RawKey,
    term: u32,
}

/// Entries of a thread's cache of words as written; a word takes the entry
/// its hash picks, replacing what was there.
const RAW_ENTRIES: usize = 1 << 13;

/// What one thread keeps between articles.
#[derive(Default)]
struct Cache {
    /// The [`TermTable::serial`] of the table the ids below are of.
    table: u64,
    raw: Vec<RawEntry>,
    /// The article last found with each term, by term id, as `stamp`.
    seen: Vec<u32>,
    stamp: u32,
    /// Scratch space for [`Reader::out`].
    out: Vec<u32>,
    buffer: String,
}

fn raw_slot(key: RawKey) -> usize {
    let h = (key.first ^ key.second.rotate_left(29) ^ u64::from(key.len))
        .wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (h >> (64 - RAW_ENTRIES.trailing_zeros())) as usize
}

/// Reads the texts of one article into its terms.
struct Reader<'a> {
    table: &'a TermTable,
    raw: &'a mut [RawEntry],
    seen: &'a mut Vec<u32>,
    stamp: u32,
    /// 1 while reading the title.
    title: u32,
    text: &'a str,
    /// The terms found so far are `out[..found]`; `out` is as long as
    /// `seen`, so that a term is written without a test of room (an article
    /// has no more distinct terms than there are term ids).
    out: &'a mut Vec<u32>,
    found: usize,
}

impl Reader<'_> {
    #[inline(always)]
    fn found(&mut self, term: u32) {
        let at = term as usize;
        if at >= self.seen.len() {
            self.seen.resize((at + 1).next_power_of_two(), 0);
            self.out.resize(self.seen.len(), 0);
        }
        // Written either way, kept only if new: no branch to mispredict.
        let new = self.seen[at] != self.stamp;
        self.seen[at] = self.stamp;
        self.out[self.found] = term << 1 | self.title;
        self.found += usize::from(new);
    }
}

impl WordSink for Reader<'_> {
    #[inline(always)]
    fn known(&mut self, key: RawKey) -> bool {
        let entry = self.raw[raw_slot(key)];
        if entry.key == key {
            self.found(entry.term);
            return true;
        }
        false
    }

    fn word(&mut self, word: &str, start: usize, end: usize) {
        let term = self.table.id(word);
        let raw = &self.text.as_bytes()[start..end];
        // A slice of only ASCII letters and digits has one normal form
        // wherever it is (what follows it cannot change it).
        if raw.len() <= 16 && raw.iter().all(u8::is_ascii_alphanumeric) {
            let key = RawKey::of(raw, 0, raw.len());
            self.raw[raw_slot(key)] = RawEntry { key, term };
        }
        self.found(term);
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// The distinct terms of a document, each as `id << 1 | in title`, in the
/// order first found: its title's, and unless it is a stub, its
/// standfirst's and body's. Words new to `table` are added to it.
pub(super) fn analyze(table: &TermTable, doc: &SearchDoc<'_>) -> Vec<u32> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let Cache { table: serial, raw, seen, stamp, out, buffer } = &mut *cache;
        if *serial != table.serial || raw.len() != RAW_ENTRIES {
            *serial = table.serial;
            raw.clear();
            raw.resize(RAW_ENTRIES, RawEntry::default());
            seen.clear();
            *stamp = 0;
        }
        *stamp = stamp.wrapping_add(1);
        if *stamp == 0 {
            // Stamps from 2^32 articles ago would look current: start afresh.
            seen.iter_mut().for_each(|s| *s = 0);
            *stamp = 1;
        }
        let texts: &[(&str, u32)] = if doc.stub {
            &[(doc.title, 1)]
        } else {
            &[(doc.title, 1), (doc.standfirst, 0), (doc.text, 0)]
        };
        out.resize(seen.len(), 0);
        let mut found = 0;
        for &(text, title) in texts {
            let mut reader = Reader { table, raw, seen, stamp: *stamp, title, text, out, found };
            scan(text, buffer, &mut reader);
            found = reader.found;
        }
        out[..found].to_vec()
    })
}
