//! Reading an article into terms: words found, normalised and hashed, each
//! with whether it is in the title, gathered for the index's buckets.

use super::index::SearchDoc;
use super::words::{MAX_WORD_BYTES, WordSink, scan};
use std::cell::RefCell;
use std::collections::HashMap;

/// Terms are gathered in this many buckets by the top bits of their hash,
/// built in parallel; a shard is part of a bucket or a run of whole buckets.
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

/// Hashes the `u32` term hashes that key the term maps (already mixed).
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

/// Terms by hash; words whose hashes collide share an entry.
pub(super) type TermMap<T> =
    HashMap<u32, Vec<(Box<str>, T)>, std::hash::BuildHasherDefault<TermHasher>>;

/// The shard of a hash among 2^bits.
pub fn shard_of(hash: u32, bits: u32) -> usize {
    if bits == 0 { 0 } else { (hash >> (32 - bits)) as usize }
}

pub(super) fn bucket_of(hash: u32) -> usize {
    shard_of(hash, BUCKET_BITS)
}

/// One distinct word of an article.
#[derive(Debug, Clone, Copy)]
pub(super) struct Term {
    pub(super) hash: u32,
    pub(super) start: u32,
    pub(super) len: u16,
    /// Whether the title has it.
    pub(super) title: bool,
}

/// An article's distinct words, sorted by (hash, word).
#[derive(Debug, Default, Clone)]
pub(super) struct DocTerms {
    pub(super) arena: String,
    pub(super) terms: Vec<Term>,
}

impl DocTerms {
    pub(super) fn word(&self, term: &Term) -> &str {
        let start = term.start as usize;
        self.arena.get(start..start + usize::from(term.len)).unwrap_or("")
    }
}

/// Scratch space of one thread for [`analyze`].
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) buffer: String,
    /// Open addressing: 1 + index into the terms, 0 for free.
    pub(super) slots: Vec<u32>,
    /// Plain ASCII words as they are written in the text being read (most
    /// words of a text are repeats), and their terms; slots of older
    /// generations are free.
    pub(super) raw: Vec<RawSlot>,
    pub(super) generation: u32,
}

/// 16 bytes: the table stays in the first-level cache.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RawSlot {
    pub(super) generation: u32,
    pub(super) hash: u32,
    pub(super) start: u32,
    pub(super) len: u16,
    pub(super) term: u16,
}

pub(super) const RAW_SLOTS: usize = 1024;

/// The first and last (up to) eight bytes of a short slice as two
/// integers, read with whole loads; with the length they identify a slice
/// of up to 16 bytes.
pub(super) fn ends(b: &[u8]) -> (u64, u64) {
    let n = b.len();
    let u64_at = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]));
    let u32_at =
        |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or([0; 4])));
    if n >= 8 {
        (u64_at(0), u64_at(n - 8))
    } else if n >= 4 {
        (u32_at(0), u32_at(n - 4))
    } else if n > 0 {
        (u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16, 0)
    } else {
        (0, 0)
    }
}

/// A quick hash of a word as written.
pub(super) fn raw_hash(b: &[u8]) -> u32 {
    let (a, c) = ends(b);
    ((a ^ c.rotate_left(29) ^ b.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// Byte equality, without a call for words of up to 16 bytes.
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && if a.len() <= 16 { ends(a) == ends(b) } else { a == b }
}

/// Reads one text of an article into its terms.
pub(super) struct Analyzer<'a> {
    pub(super) text: &'a str,
    pub(super) title: bool,
    pub(super) slots: &'a mut Vec<u32>,
    pub(super) raw: &'a mut [RawSlot],
    pub(super) generation: u32,
    pub(super) raw_count: usize,
    pub(super) out: &'a mut DocTerms,
}

impl WordSink for Analyzer<'_> {
    fn known(&mut self, raw: &str) -> bool {
        let hash = raw_hash(raw.as_bytes());
        let mask = self.raw.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.raw[at];
            if slot.generation != self.generation {
                return false;
            }
            if slot.hash == hash
                && slot.len as usize == raw.len()
                && self
                    .text
                    .as_bytes()
                    .get(slot.start as usize..slot.start as usize + usize::from(slot.len))
                    .is_some_and(|seen| same_bytes(seen, raw.as_bytes()))
            {
                if let Some(term) = self.out.terms.get_mut(slot.term as usize) {
                    term.title |= self.title;
                }
                return true;
            }
            at = (at + 1) & mask;
        }
    }

    fn word(&mut self, word: &str, start: usize, end: usize) {
        let term = insert(self.slots, self.out, word, self.title);
        let raw = &self.text.as_bytes()[start..end];
        let small = u16::try_from(term).is_ok() && raw.len() <= MAX_WORD_BYTES;
        if small && self.raw_count * 2 < self.raw.len() && raw.iter().all(u8::is_ascii_alphanumeric)
        {
            let hash = raw_hash(raw);
            let mask = self.raw.len() - 1;
            let mut at = hash as usize & mask;
            while self.raw[at].generation == self.generation {
                at = (at + 1) & mask;
            }
            self.raw[at] = RawSlot {
                generation: self.generation,
                hash,
                start: start as u32,
                len: raw.len() as u16,
                term: term as u16,
            };
            self.raw_count += 1;
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The distinct words of a document: its title's, and unless it is a stub,
/// its standfirst's and body's.
/// With `sorted`, the terms are sorted by (hash, word), as an update
/// compares them; otherwise only grouped by bucket.
pub(super) fn analyze(doc: &SearchDoc<'_>, sorted: bool) -> DocTerms {
    let mut out = DocTerms::default();
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let Scratch { buffer, slots, raw, generation } = &mut *scratch;
        slots.clear();
        slots.resize(2048, 0);
        if raw.len() != RAW_SLOTS {
            *raw = vec![RawSlot::default(); RAW_SLOTS];
        }
        let texts: &[(&str, bool)] = if doc.stub {
            &[(doc.title, true)]
        } else {
            &[(doc.title, true), (doc.standfirst, false), (doc.text, false)]
        };
        for &(text, title) in texts {
            *generation = generation.wrapping_add(1);
            if *generation == 0 {
                // Slots from 2^32 texts ago would look current: start afresh.
                raw.iter_mut().for_each(|slot| *slot = RawSlot::default());
                *generation = 1;
            }
            let mut analyzer = Analyzer {
                text,
                title,
                slots,
                raw,
                generation: *generation,
                raw_count: 0,
                out: &mut out,
            };
            scan(text, buffer, &mut analyzer);
        }
    });
    let DocTerms { arena, terms } = &mut out;
    if sorted {
        let word = |t: &Term| &arena[t.start as usize..t.start as usize + usize::from(t.len)];
        terms.sort_unstable_by(|a, b| a.hash.cmp(&b.hash).then_with(|| word(a).cmp(word(b))));
    } else {
        // A counting sort by bucket.
        let mut starts = [0usize; BUCKETS + 1];
        for term in terms.iter() {
            starts[bucket_of(term.hash) + 1] += 1;
        }
        for b in 0..BUCKETS {
            starts[b + 1] += starts[b];
        }
        let mut grouped = vec![Term { hash: 0, start: 0, len: 0, title: false }; terms.len()];
        for term in terms.iter() {
            let at = &mut starts[bucket_of(term.hash)];
            grouped[*at] = *term;
            *at += 1;
        }
        *terms = grouped;
    }
    out
}

/// Adds a word to the article's terms (once); returns its index.
pub(super) fn insert(slots: &mut Vec<u32>, out: &mut DocTerms, word: &str, title: bool) -> u32 {
    let hash = term_hash(word);
    if (out.terms.len() + 1) * 2 > slots.len() {
        slots.clear();
        slots.resize(slots.capacity().max(1024) * 2, 0);
        let mask = slots.len() - 1;
        for (i, term) in out.terms.iter().enumerate() {
            let mut slot = term.hash as usize & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i as u32 + 1;
        }
    }
    let mask = slots.len() - 1;
    let mut slot = hash as usize & mask;
    loop {
        let at = slots[slot];
        if at == 0 {
            let start = out.arena.len() as u32;
            out.arena.push_str(word);
            out.terms.push(Term { hash, start, len: word.len() as u16, title });
            slots[slot] = out.terms.len() as u32;
            return out.terms.len() as u32 - 1;
        }
        let DocTerms { arena, terms } = &mut *out;
        let term = &mut terms[at as usize - 1];
        let start = term.start as usize;
        if term.hash == hash && arena.get(start..start + usize::from(term.len)) == Some(word) {
            term.title |= title;
            return at - 1;
        }
        slot = (slot + 1) & mask;
    }
}
