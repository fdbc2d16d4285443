//! The index: built in parallel from one [`SearchDoc`] per article, written
//! as many small files so that a query downloads only what it needs (the
//! format is described in the module docs of [`crate::search`]).

use super::words::{MAX_WORD_BYTES, WordSink, scan};
use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Where the index goes, under the output root (the search page is there too).
pub const DIR: &str = "search";
/// Articles per document file (`search/d/N.json`).
pub const DOCS_PER_GROUP: usize = 4;
/// The format version, in the manifest; the script refuses others.
pub const FORMAT_VERSION: u32 = 1;
/// Terms are gathered in this many buckets by the top bits of their hash,
/// built in parallel; a shard is part of a bucket or a run of whole buckets.
const BUCKET_BITS: u32 = 6;
const BUCKETS: usize = 1 << BUCKET_BITS;
/// The size a term shard aims at: a query for a rare word fetches about this.
const TARGET_SHARD_BYTES: usize = 8 * 1024;
/// At most 2^this shards.
const MAX_SHARD_BITS: u32 = 14;

/// Receives each file of the index: path under the output root, bytes.
pub type Emit<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

/// What the index holds of one article.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchDoc<'a> {
    /// Its public URL (with the base path).
    pub url: &'a str,
    pub title: &'a str,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// The date as the site shows it.
    pub date_display: &'a str,
    /// Authors, or the publication when there are none.
    pub byline: &'a str,
    /// A teaser whose text is not archived: found by its title only.
    pub stub: bool,
    pub standfirst: &'a str,
    /// The body as plain text.
    pub text: &'a str,
    /// Identifies `text` (equal keys, equal text), so that an update can
    /// tell an unchanged article without reading it; 0: unknown.
    pub text_key: u64,
}

/// Identifies everything the index holds of an article; 0: unknown.
fn doc_key(doc: &SearchDoc<'_>) -> u64 {
    if doc.text_key == 0 {
        return 0;
    }
    let mut h = std::hash::DefaultHasher::new();
    (doc.url, doc.title, doc.date, doc.date_display, doc.byline, doc.stub, doc.standfirst)
        .hash(&mut h);
    doc.text_key.hash(&mut h);
    h.finish() | 1
}

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
struct TermHasher(u64);

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
type TermMap<T> = HashMap<u32, Vec<(Box<str>, T)>, std::hash::BuildHasherDefault<TermHasher>>;

/// The shard of a hash among 2^bits.
pub fn shard_of(hash: u32, bits: u32) -> usize {
    if bits == 0 { 0 } else { (hash >> (32 - bits)) as usize }
}

fn bucket_of(hash: u32) -> usize {
    shard_of(hash, BUCKET_BITS)
}

/// One distinct word of an article.
#[derive(Debug, Clone, Copy)]
struct Term {
    hash: u32,
    start: u32,
    len: u16,
    /// Whether the title has it.
    title: bool,
}

/// An article's distinct words, sorted by (hash, word).
#[derive(Debug, Default, Clone)]
struct DocTerms {
    arena: String,
    terms: Vec<Term>,
}

impl DocTerms {
    fn word(&self, term: &Term) -> &str {
        let start = term.start as usize;
        self.arena.get(start..start + usize::from(term.len)).unwrap_or("")
    }
}

/// Scratch space of one thread for [`analyze`].
#[derive(Default)]
struct Scratch {
    buffer: String,
    /// Open addressing: 1 + index into the terms, 0 for free.
    slots: Vec<u32>,
    /// Plain ASCII words as they are written in the text being read (most
    /// words of a text are repeats), and their terms; slots of older
    /// generations are free.
    raw: Vec<RawSlot>,
    generation: u32,
}

/// 16 bytes: the table stays in the first-level cache.
#[derive(Debug, Clone, Copy, Default)]
struct RawSlot {
    generation: u32,
    hash: u32,
    start: u32,
    len: u16,
    term: u16,
}

const RAW_SLOTS: usize = 1024;

/// The first and last (up to) eight bytes of a short slice as two
/// integers, read with whole loads; with the length they identify a slice
/// of up to 16 bytes.
fn ends(b: &[u8]) -> (u64, u64) {
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
fn raw_hash(b: &[u8]) -> u32 {
    let (a, c) = ends(b);
    ((a ^ c.rotate_left(29) ^ b.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as u32
}

/// Byte equality, without a call for words of up to 16 bytes.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && if a.len() <= 16 { ends(a) == ends(b) } else { a == b }
}

/// Reads one text of an article into its terms.
struct Analyzer<'a> {
    text: &'a str,
    title: bool,
    slots: &'a mut Vec<u32>,
    raw: &'a mut [RawSlot],
    generation: u32,
    raw_count: usize,
    out: &'a mut DocTerms,
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
fn analyze(doc: &SearchDoc<'_>, sorted: bool) -> DocTerms {
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
fn insert(slots: &mut Vec<u32>, out: &mut DocTerms, word: &str, title: bool) -> u32 {
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

/// One article in a document file.
#[derive(Serialize)]
struct DocJson<'a> {
    url: &'a str,
    title: &'a str,
    date: &'a str,
    shown: &'a str,
    byline: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    stub: bool,
    #[serde(skip_serializing_if = "str::is_empty")]
    standfirst: &'a str,
    text: &'a str,
}

fn doc_json(doc: &SearchDoc<'_>) -> Vec<u8> {
    let json = DocJson {
        url: doc.url,
        title: doc.title,
        date: doc.date,
        shown: doc.date_display,
        byline: doc.byline,
        stub: doc.stub,
        standfirst: doc.standfirst.trim(),
        text: doc.text.trim(),
    };
    let mut out = Vec::with_capacity(doc.text.len() + doc.standfirst.len() + 256);
    // Writing strings and a bool to a vector cannot fail.
    let _ = serde_json::to_writer(&mut out, &json);
    out
}

fn group_file(group: usize) -> String {
    format!("{DIR}/d/{group}.json")
}

fn shard_file(shard: usize) -> String {
    format!("{DIR}/t/{shard}.bin")
}

fn manifest_file() -> String {
    format!("{DIR}/index.json")
}

fn group_bytes(fragments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(fragments.iter().map(|f| f.len() + 1).sum::<usize>() + 2);
    out.push(b'[');
    for (i, fragment) in fragments.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(fragment);
    }
    out.extend_from_slice(b"]\n");
    out
}

/// A file's part of the manifest's key (which changes whenever a file does,
/// so browsers never mix pieces of two builds).
fn file_hash(name: &str, bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    name.hash(&mut h);
    bytes.hash(&mut h);
    h.finish()
}

/// Builds the index of `docs` articles, fed from many threads (see
/// [`add`](Self::add)); each document file is written as soon as its
/// articles are all in.
pub struct IndexBuilder {
    keep: bool,
    /// Each article's terms and key ([`doc_key`]), kept for updates.
    docs: Vec<OnceLock<(DocTerms, u64)>>,
    /// Postings by bucket as articles come in: `id << 1 | in title`, in
    /// the order the threads added them.
    pending: Vec<Mutex<TermMap<Vec<u32>>>>,
    groups: Vec<Mutex<Vec<Option<Vec<u8>>>>>,
    group_hashes: Vec<OnceLock<u64>>,
}

impl IndexBuilder {
    /// A builder for articles `0..docs` (0 is listed first among equals: the
    /// newest). `keep`: keep what [`SearchIndex::update`] needs.
    pub fn new(docs: usize, keep: bool) -> IndexBuilder {
        let groups = docs.div_ceil(DOCS_PER_GROUP);
        IndexBuilder {
            keep,
            docs: (0..if keep { docs } else { 0 }).map(|_| OnceLock::new()).collect(),
            pending: (0..BUCKETS).map(|_| Mutex::new(TermMap::default())).collect(),
            groups: (0..groups)
                .map(|g| {
                    let len = DOCS_PER_GROUP.min(docs - g * DOCS_PER_GROUP);
                    Mutex::new(vec![None; len])
                })
                .collect(),
            group_hashes: (0..groups).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Adds article `id`; writes its document file when it completes one.
    pub fn add(&self, id: usize, doc: &SearchDoc<'_>, emit: &Emit<'_>) -> Result<()> {
        let Some(group) = self.groups.get(id / DOCS_PER_GROUP) else {
            return Err(Error::Usage(format!("search index: no article {id}")));
        };
        let terms = analyze(doc, self.keep);
        let mut rest = &terms.terms[..];
        while let Some(first) = rest.first() {
            let bucket = bucket_of(first.hash);
            let run = rest.iter().take_while(|t| bucket_of(t.hash) == bucket).count();
            let mut pending = self.pending[bucket].lock().unwrap_or_else(PoisonError::into_inner);
            for term in &rest[..run] {
                let word = terms.word(term);
                let entries = pending.entry(term.hash).or_default();
                let posting = (id as u32) << 1 | u32::from(term.title);
                match entries.iter_mut().find(|(w, _)| &**w == word) {
                    Some((_, list)) => list.push(posting),
                    None => entries.push((word.into(), vec![posting])),
                }
            }
            rest = &rest[run..];
        }
        if let Some(slot) = self.docs.get(id) {
            let _ = slot.set((terms, doc_key(doc)));
        }
        let fragment = doc_json(doc);
        let complete = {
            let mut parts = group.lock().unwrap_or_else(PoisonError::into_inner);
            parts[id % DOCS_PER_GROUP] = Some(fragment);
            if parts.iter().all(Option::is_some) {
                let fragments: Vec<Vec<u8>> = if self.keep {
                    parts.iter().flatten().cloned().collect()
                } else {
                    parts.iter_mut().filter_map(Option::take).collect()
                };
                Some(fragments)
            } else {
                None
            }
        };
        if let Some(fragments) = complete {
            let g = id / DOCS_PER_GROUP;
            let name = group_file(g);
            let bytes = group_bytes(&fragments);
            let _ = self.group_hashes[g].set(file_hash(&name, &bytes));
            emit(&name, &bytes)?;
        }
        Ok(())
    }

    /// Writes the term shards and the manifest. Articles never added count
    /// as empty. Returns the index for later updates when asked to keep it.
    pub fn finish(self, emit: &Emit<'_>) -> Result<Option<SearchIndex>> {
        let IndexBuilder { keep, docs, pending, groups, group_hashes } = self;
        let doc_count = groups.iter().map(|g| g.lock().map_or(0, |g| g.len())).sum::<usize>();
        let (docs, keys): (Vec<DocTerms>, Vec<u64>) =
            docs.into_iter().map(|d| d.into_inner().unwrap_or_default()).unzip();
        // Groups left incomplete (an article failed, and the build with it).
        let mut group_hashes: Vec<u64> =
            group_hashes.into_iter().map(|h| h.into_inner().unwrap_or(0)).collect();
        let mut fragments = Vec::new();
        if keep {
            for (g, group) in groups.into_iter().enumerate() {
                let parts = group.into_inner().unwrap_or_else(PoisonError::into_inner);
                let parts: Vec<Vec<u8>> =
                    parts.into_iter().map(Option::unwrap_or_default).collect();
                if group_hashes[g] == 0 {
                    let name = group_file(g);
                    let bytes = group_bytes(&parts);
                    group_hashes[g] = file_hash(&name, &bytes);
                    emit(&name, &bytes)?;
                }
                fragments.extend(parts);
            }
        }

        let buckets: Vec<Bucket> = pending
            .into_par_iter()
            .map(|p| Bucket::from_pending(p.into_inner().unwrap_or_else(PoisonError::into_inner)))
            .collect();
        let total: usize = buckets.iter().map(|b| b.encoded_bytes).sum();
        let mut shard_bits = 0;
        while shard_bits < MAX_SHARD_BITS && total > TARGET_SHARD_BYTES << shard_bits {
            shard_bits += 1;
        }
        let mut index = SearchIndex {
            shard_bits,
            doc_count,
            docs,
            keys,
            fragments,
            buckets,
            shard_hashes: vec![0; 1 << shard_bits],
            group_hashes,
        };
        let shards: Vec<Result<u64>> = (0..1usize << shard_bits)
            .into_par_iter()
            .with_max_len(4)
            .map(|s| index.emit_shard(s, emit))
            .collect();
        for (s, hash) in shards.into_iter().enumerate() {
            index.shard_hashes[s] = hash?;
        }
        index.emit_manifest(emit)?;
        if keep {
            Ok(Some(index))
        } else {
            drop_in_background(index);
            Ok(None)
        }
    }
}

fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("galley-free".into()).spawn(move || drop(value));
}

/// The articles that have a term.
#[derive(Debug, Default, Clone)]
struct Postings {
    hash: u32,
    /// In the title (sorted).
    title: Vec<u32>,
    /// Anywhere (sorted).
    all: Vec<u32>,
}

/// The terms whose hash falls in one bucket.
struct Bucket {
    terms: TermMap<Postings>,
    encoded_bytes: usize,
}

impl Bucket {
    fn from_pending(pending: TermMap<Vec<u32>>) -> Bucket {
        let mut encoded_bytes = 0;
        let terms = pending
            .into_iter()
            .map(|(hash, entries)| {
                let entries = entries
                    .into_iter()
                    .map(|(word, mut list)| {
                        list.sort_unstable();
                        let postings = Postings {
                            hash,
                            title: list.iter().filter(|p| *p & 1 == 1).map(|p| p >> 1).collect(),
                            all: list.iter().map(|p| p >> 1).collect(),
                        };
                        encoded_bytes += record_len(&word, &postings);
                        (word, postings)
                    })
                    .collect();
                (hash, entries)
            })
            .collect();
        Bucket { terms, encoded_bytes }
    }
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn varint_len(value: u64) -> usize {
    (64 - (value | 1).leading_zeros() as usize).div_ceil(7)
}

fn deltas_len(ids: &[u32]) -> usize {
    let mut previous = 0u32;
    ids.iter()
        .enumerate()
        .map(|(i, &id)| {
            let delta = if i == 0 { id } else { id - previous };
            previous = id;
            varint_len(u64::from(delta))
        })
        .sum()
}

fn push_deltas(out: &mut Vec<u8>, ids: &[u32]) {
    let mut previous = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        let delta = if i == 0 { id } else { id.saturating_sub(previous) };
        push_varint(out, u64::from(delta));
        previous = id;
    }
}

/// A list of article ids: `count`, then `0` and the ids as deltas, or `1`,
/// the first byte's number, the byte count and a bitmap (bit `i` of byte `j`
/// is article `8 * (first + j) + i`), whichever is smaller.
fn push_list(out: &mut Vec<u8>, ids: &[u32]) {
    push_varint(out, ids.len() as u64);
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else { return };
    let (first_byte, last_byte) = (first / 8, last / 8);
    let bitmap_bytes = (last_byte - first_byte + 1) as usize;
    if bitmap_bytes < deltas_len(ids) {
        out.push(1);
        push_varint(out, u64::from(first_byte));
        push_varint(out, bitmap_bytes as u64);
        let start = out.len();
        out.resize(start + bitmap_bytes, 0);
        for &id in ids {
            out[start + (id / 8 - first_byte) as usize] |= 1 << (id % 8);
        }
    } else {
        out.push(0);
        push_deltas(out, ids);
    }
}

fn list_len(ids: &[u32]) -> usize {
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else { return 1 };
    let bitmap = (last / 8 - first / 8 + 1) as usize;
    let deltas = deltas_len(ids);
    varint_len(ids.len() as u64) + 1 + if bitmap < deltas { bitmap + 8 } else { deltas }
}

/// A rough size of a term's record, for choosing the number of shards.
fn record_len(word: &str, p: &Postings) -> usize {
    word.len() + 4 + varint_len(p.title.len() as u64) + deltas_len(&p.title) + list_len(&p.all)
}

/// A term's record: the word, the payload's length, and the payload: the
/// title list as a count and deltas, then the list of every article with it.
fn push_record(out: &mut Vec<u8>, word: &str, p: &Postings, payload: &mut Vec<u8>) {
    payload.clear();
    push_varint(payload, p.title.len() as u64);
    push_deltas(payload, &p.title);
    push_list(payload, &p.all);
    push_varint(out, word.len() as u64);
    out.extend_from_slice(word.as_bytes());
    push_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// A built index, kept by `serve` to update it after a save.
pub struct SearchIndex {
    shard_bits: u32,
    doc_count: usize,
    docs: Vec<DocTerms>,
    /// Each article's [`doc_key`].
    keys: Vec<u64>,
    fragments: Vec<Vec<u8>>,
    buckets: Vec<Bucket>,
    shard_hashes: Vec<u64>,
    group_hashes: Vec<u64>,
}

#[derive(Serialize)]
struct Manifest {
    version: u32,
    docs: usize,
    #[serde(rename = "shardBits")]
    shard_bits: u32,
    group: usize,
    key: String,
}

impl SearchIndex {
    /// How many articles it holds.
    pub fn len(&self) -> usize {
        self.doc_count
    }

    /// Whether it holds no article.
    pub fn is_empty(&self) -> bool {
        self.doc_count == 0
    }

    /// Writes shard `s` and returns its hash.
    fn emit_shard(&self, s: usize, emit: &Emit<'_>) -> Result<u64> {
        let bits = self.shard_bits;
        let buckets = if bits >= BUCKET_BITS {
            let b = s >> (bits - BUCKET_BITS);
            b..b + 1
        } else {
            let per = 1 << (BUCKET_BITS - bits);
            s * per..(s + 1) * per
        };
        let mut terms: Vec<(&str, &Postings)> = buckets
            .flat_map(|b| self.buckets[b].terms.values().flatten())
            .filter(|(_, p)| shard_of(p.hash, bits) == s)
            .map(|(w, p)| (&**w, p))
            .collect();
        terms.sort_unstable_by(|a, b| a.1.hash.cmp(&b.1.hash).then_with(|| a.0.cmp(b.0)));
        let mut bytes = Vec::new();
        let mut payload = Vec::new();
        for (word, postings) in terms {
            push_record(&mut bytes, word, postings, &mut payload);
        }
        let name = shard_file(s);
        let hash = file_hash(&name, &bytes);
        emit(&name, &bytes)?;
        Ok(hash)
    }

    fn emit_manifest(&self, emit: &Emit<'_>) -> Result<()> {
        let key = self
            .shard_hashes
            .iter()
            .chain(&self.group_hashes)
            .fold(0u64, |sum, h| sum.wrapping_add(*h));
        let manifest = Manifest {
            version: FORMAT_VERSION,
            docs: self.doc_count,
            shard_bits: self.shard_bits,
            group: DOCS_PER_GROUP,
            key: format!("{key:016x}"),
        };
        let mut bytes = serde_json::to_vec(&manifest).unwrap_or_default();
        bytes.push(b'\n');
        emit(&manifest_file(), &bytes)
    }

    /// Replaces article `id` (same place in the order, new words or text):
    /// writes its document file, the shards whose terms changed, and the
    /// manifest; nothing when its key says it is unchanged. `Ok(false)`: the index does not hold that article (or was
    /// built without keeping what an update needs); build it again.
    pub fn update(&mut self, id: usize, doc: &SearchDoc<'_>, emit: &Emit<'_>) -> Result<bool> {
        if id >= self.doc_count || self.docs.len() != self.doc_count {
            return Ok(false);
        }
        let key = doc_key(doc);
        if key != 0 && self.keys.get(id) == Some(&key) {
            return Ok(true);
        }
        if let Some(slot) = self.keys.get_mut(id) {
            *slot = key;
        }
        let new = analyze(doc, true);
        let old = std::mem::take(&mut self.docs[id]);
        let mut touched = Vec::new();
        {
            let (mut i, mut j) = (0, 0);
            let key = |d: &DocTerms, t: &Term| (t.hash, d.word(t).to_string());
            while i < old.terms.len() || j < new.terms.len() {
                let a = old.terms.get(i).map(|t| key(&old, t));
                let b = new.terms.get(j).map(|t| key(&new, t));
                match (a, b) {
                    (Some(a), Some(b)) if a == b => {
                        let (was, is) = (old.terms[i].title, new.terms[j].title);
                        if was != is {
                            self.set_posting(&a.1, a.0, id as u32, Some(is));
                            touched.push(shard_of(a.0, self.shard_bits));
                        }
                        i += 1;
                        j += 1;
                    }
                    (Some(a), b) if b.as_ref().is_none_or(|b| a < *b) => {
                        self.set_posting(&a.1, a.0, id as u32, None);
                        touched.push(shard_of(a.0, self.shard_bits));
                        i += 1;
                    }
                    (_, Some(b)) => {
                        self.set_posting(&b.1, b.0, id as u32, Some(new.terms[j].title));
                        touched.push(shard_of(b.0, self.shard_bits));
                        j += 1;
                    }
                    (_, None) => break,
                }
            }
        }
        self.docs[id] = new;
        touched.sort_unstable();
        touched.dedup();
        for s in touched {
            self.shard_hashes[s] = self.emit_shard(s, emit)?;
        }
        self.fragments[id] = doc_json(doc);
        let g = id / DOCS_PER_GROUP;
        let end = ((g + 1) * DOCS_PER_GROUP).min(self.fragments.len());
        let name = group_file(g);
        let bytes = group_bytes(&self.fragments[g * DOCS_PER_GROUP..end]);
        self.group_hashes[g] = file_hash(&name, &bytes);
        emit(&name, &bytes)?;
        self.emit_manifest(emit)?;
        Ok(true)
    }

    /// Article `id` has `word` (in its title: `Some(true)`), or not (`None`).
    fn set_posting(&mut self, word: &str, hash: u32, id: u32, title: Option<bool>) {
        let entries = self.buckets[bucket_of(hash)].terms.entry(hash).or_default();
        let at = match entries.iter().position(|(w, _)| &**w == word) {
            Some(at) => at,
            None => {
                entries.push((word.into(), Postings { hash, ..Postings::default() }));
                entries.len() - 1
            }
        };
        let postings = &mut entries[at].1;
        let set = |list: &mut Vec<u32>, present: bool| match (list.binary_search(&id), present) {
            (Err(at), true) => list.insert(at, id),
            (Ok(at), false) => {
                list.remove(at);
            }
            _ => {}
        };
        set(&mut postings.all, title.is_some());
        set(&mut postings.title, title == Some(true));
        if postings.all.is_empty() {
            entries.remove(at);
            if entries.is_empty() {
                self.buckets[bucket_of(hash)].terms.remove(&hash);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::words::words;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// The terms [`analyze`] finds, as word → in title.
    fn analyzed(doc: &SearchDoc<'_>, sorted: bool) -> BTreeMap<String, bool> {
        let terms = analyze(doc, sorted);
        let mut found = BTreeMap::new();
        for term in &terms.terms {
            assert_eq!(term.hash, term_hash(terms.word(term)));
            assert!(found.insert(terms.word(term).to_string(), term.title).is_none(), "twice");
        }
        found
    }

    /// The same from the plain word list.
    fn expected(doc: &SearchDoc<'_>) -> BTreeMap<String, bool> {
        let mut found = BTreeMap::new();
        if !doc.stub {
            for word in words(doc.standfirst).into_iter().chain(words(doc.text)) {
                found.insert(word, false);
            }
        }
        for word in words(doc.title) {
            found.insert(word, true);
        }
        found
    }

    proptest! {
        #[test]
        fn analyze_finds_each_word_once_with_its_title_flag(
            title in "[a-zA-Z’' éΣ]{0,30}",
            standfirst in "[a-cA-C’' é]{0,40}",
            text in "(([a-dA-D]{1,3}|Zürich|don't|it’s|AB12|ab12)[ ,.]){0,200}",
            stub in any::<bool>(),
        ) {
            let doc = SearchDoc { title: &title, standfirst: &standfirst, text: &text, stub, ..SearchDoc::default() };
            let want = expected(&doc);
            prop_assert_eq!(&analyzed(&doc, true), &want);
            prop_assert_eq!(&analyzed(&doc, false), &want);
        }
    }

    #[test]
    fn postings_round_trip_through_both_list_forms() {
        for ids in [
            vec![],
            vec![0],
            vec![3, 9, 200, 70_000],
            (0..1000).collect::<Vec<u32>>(),
            (5..900).step_by(2).collect(),
        ] {
            let mut out = Vec::new();
            push_list(&mut out, &ids);
            assert!(out.len() <= list_len(&ids) + 8, "{} > {}", out.len(), list_len(&ids));
            // Decode as the script does.
            let mut at = 0;
            let mut varint = || {
                let (mut value, mut shift) = (0u64, 0);
                loop {
                    let byte = out[at];
                    at += 1;
                    value |= u64::from(byte & 0x7f) << shift;
                    shift += 7;
                    if byte < 0x80 {
                        return value;
                    }
                }
            };
            let count = varint() as usize;
            let mut decoded = Vec::new();
            if count > 0 {
                let kind = varint();
                if kind == 0 {
                    let mut previous = 0;
                    for i in 0..count {
                        let delta = varint() as u32;
                        previous = if i == 0 { delta } else { previous + delta };
                        decoded.push(previous);
                    }
                } else {
                    let first = varint() as u32;
                    let size = varint() as usize;
                    let start = at;
                    for j in 0..size {
                        for bit in 0..8 {
                            if out[start + j] & (1 << bit) != 0 {
                                decoded.push((first + j as u32) * 8 + bit);
                            }
                        }
                    }
                }
            }
            assert_eq!(decoded, ids);
        }
    }
}
