//! The index: built in parallel from one [`SearchDoc`] per article, written
//! as many small files so that a query downloads only what it needs (the
//! format is described in the module docs of [`crate::search`]).

use super::words::for_each_word;
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
}

/// The hash of a normalised word that places it in a shard (FNV-1a with a
/// final mix; the script computes the same).
pub fn term_hash(word: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in word.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

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

    /// The terms of one bucket.
    fn bucket(&self, bucket: usize) -> &[Term] {
        let start = self.terms.partition_point(|t| bucket_of(t.hash) < bucket);
        let end = self.terms.partition_point(|t| bucket_of(t.hash) <= bucket);
        &self.terms[start..end]
    }
}

/// Scratch space of one thread for [`analyze`].
#[derive(Default)]
struct Scratch {
    buffer: String,
    /// Open addressing: 1 + index into the terms, 0 for free.
    slots: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The distinct words of a document: its title's, and unless it is a stub,
/// its standfirst's and body's.
fn analyze(doc: &SearchDoc<'_>) -> DocTerms {
    let mut out = DocTerms::default();
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let Scratch { buffer, slots } = &mut *scratch;
        slots.clear();
        slots.resize(1024, 0);
        for_each_word(doc.title, buffer, |word, _, _| insert(slots, &mut out, word, true));
        if !doc.stub {
            for text in [doc.standfirst, doc.text] {
                for_each_word(text, buffer, |word, _, _| insert(slots, &mut out, word, false));
            }
        }
    });
    let DocTerms { arena, terms } = &mut out;
    let word = |t: &Term| &arena[t.start as usize..t.start as usize + usize::from(t.len)];
    terms.sort_unstable_by(|a, b| a.hash.cmp(&b.hash).then_with(|| word(a).cmp(word(b))));
    out
}

fn insert(slots: &mut Vec<u32>, out: &mut DocTerms, word: &str, title: bool) {
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
            return;
        }
        let DocTerms { arena, terms } = &mut *out;
        let term = &mut terms[at as usize - 1];
        let start = term.start as usize;
        if term.hash == hash && arena.get(start..start + usize::from(term.len)) == Some(word) {
            term.title |= title;
            return;
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
    text: String,
}

fn doc_json(doc: &SearchDoc<'_>) -> String {
    let text = match (doc.standfirst.trim(), doc.text.trim()) {
        ("", body) => body.to_string(),
        (standfirst, "") => standfirst.to_string(),
        (standfirst, body) => format!("{standfirst}\n{body}"),
    };
    let json = DocJson {
        url: doc.url,
        title: doc.title,
        date: doc.date,
        shown: doc.date_display,
        byline: doc.byline,
        stub: doc.stub,
        text,
    };
    // Serialising strings and a bool cannot fail.
    serde_json::to_string(&json).unwrap_or_default()
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

fn group_bytes(fragments: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(fragments.iter().map(|f| f.len() + 1).sum::<usize>() + 2);
    out.push(b'[');
    for (i, fragment) in fragments.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(fragment.as_bytes());
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
    docs: Vec<OnceLock<DocTerms>>,
    groups: Vec<Mutex<Vec<Option<String>>>>,
    group_hashes: Vec<OnceLock<u64>>,
}

impl IndexBuilder {
    /// A builder for articles `0..docs` (0 is listed first among equals: the
    /// newest). `keep`: keep what [`SearchIndex::update`] needs.
    pub fn new(docs: usize, keep: bool) -> IndexBuilder {
        let groups = docs.div_ceil(DOCS_PER_GROUP);
        IndexBuilder {
            keep,
            docs: (0..docs).map(|_| OnceLock::new()).collect(),
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
        let (Some(slot), Some(group)) = (self.docs.get(id), self.groups.get(id / DOCS_PER_GROUP))
        else {
            return Err(Error::Usage(format!("search index: no article {id}")));
        };
        let _ = slot.set(analyze(doc));
        let fragment = doc_json(doc);
        let complete = {
            let mut parts = group.lock().unwrap_or_else(PoisonError::into_inner);
            parts[id % DOCS_PER_GROUP] = Some(fragment);
            if parts.iter().all(Option::is_some) {
                let fragments: Vec<String> = if self.keep {
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
        let IndexBuilder { keep, docs, groups, group_hashes } = self;
        let docs: Vec<DocTerms> =
            docs.into_iter().map(|d| d.into_inner().unwrap_or_default()).collect();
        // Groups left incomplete (an article failed, and the build with it).
        let mut group_hashes: Vec<u64> =
            group_hashes.into_iter().map(|h| h.into_inner().unwrap_or(0)).collect();
        let mut fragments = Vec::new();
        if keep {
            for (g, group) in groups.into_iter().enumerate() {
                let parts = group.into_inner().unwrap_or_else(PoisonError::into_inner);
                let parts: Vec<String> = parts.into_iter().map(Option::unwrap_or_default).collect();
                if group_hashes[g] == 0 {
                    let name = group_file(g);
                    let bytes = group_bytes(&parts);
                    group_hashes[g] = file_hash(&name, &bytes);
                    emit(&name, &bytes)?;
                }
                fragments.extend(parts);
            }
        }

        let buckets: Vec<Bucket> =
            (0..BUCKETS).into_par_iter().map(|b| Bucket::gather(&docs, b)).collect();
        let total: usize = buckets.iter().map(|b| b.encoded_bytes).sum();
        let mut shard_bits = 0;
        while shard_bits < MAX_SHARD_BITS && total > TARGET_SHARD_BYTES << shard_bits {
            shard_bits += 1;
        }
        let mut index = SearchIndex {
            shard_bits,
            doc_count: docs.len(),
            docs,
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
    terms: HashMap<Box<str>, Postings>,
    encoded_bytes: usize,
}

impl Bucket {
    fn gather(docs: &[DocTerms], bucket: usize) -> Bucket {
        let mut terms: HashMap<Box<str>, Postings> = HashMap::new();
        for (id, doc) in docs.iter().enumerate() {
            for term in doc.bucket(bucket) {
                let word = doc.word(term);
                let postings = match terms.get_mut(word) {
                    Some(p) => p,
                    None => terms
                        .entry(word.into())
                        .or_insert_with(|| Postings { hash: term.hash, ..Postings::default() }),
                };
                if term.title {
                    postings.title.push(id as u32);
                }
                postings.all.push(id as u32);
            }
        }
        let encoded_bytes = terms.iter().map(|(word, p)| record_len(word, p)).sum::<usize>();
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
    fragments: Vec<String>,
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
            .flat_map(|b| self.buckets[b].terms.iter())
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
    /// manifest. `Ok(false)`: the index does not hold that article (or was
    /// built without keeping what an update needs); build it again.
    pub fn update(&mut self, id: usize, doc: &SearchDoc<'_>, emit: &Emit<'_>) -> Result<bool> {
        if id >= self.docs.len() || self.fragments.len() != self.docs.len() {
            return Ok(false);
        }
        let new = analyze(doc);
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
        let terms = &mut self.buckets[bucket_of(hash)].terms;
        let postings = match terms.get_mut(word) {
            Some(p) => p,
            None => {
                terms.entry(word.into()).or_insert_with(|| Postings { hash, ..Postings::default() })
            }
        };
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
            terms.remove(word);
        }
    }
}
