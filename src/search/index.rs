//! The index: built in parallel from one [`SearchDoc`](super::SearchDoc) per article, written
//! as many small files so that a query downloads only what it needs (the
//! format is described in the module docs of [`crate::search`]).

use super::analyze::{TermTable, analyze, shard_of};
use super::doc::{DIR, SearchDoc, doc_json, doc_key, group_bytes, group_file};
use super::postings::{Postings, push_record, record_len};
use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Articles per document file (`search/d/N.json`).
pub const DOCS_PER_GROUP: usize = 16;
/// The format version, in the manifest; the script refuses others.
pub const FORMAT_VERSION: u32 = 2;
/// The size a term shard aims at: a query for a rare word fetches about this.
const TARGET_SHARD_BYTES: usize = 8 * 1024;
/// At most 2^this shards.
const MAX_SHARD_BITS: u32 = 14;

/// Receives each file of the index: path under the output root, bytes.
pub type Emit<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

fn shard_file(shard: usize) -> String {
    format!("{DIR}/t/{shard}.bin")
}

fn manifest_file() -> String {
    format!("{DIR}/index.json")
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
    table: TermTable,
    /// Each article's terms (see [`analyze`]), sorted when kept for updates.
    terms: Vec<OnceLock<Box<[u32]>>>,
    /// Each article's [`doc_key`], kept for updates.
    keys: Vec<OnceLock<u64>>,
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
            table: TermTable::default(),
            terms: (0..docs).map(|_| OnceLock::new()).collect(),
            keys: (0..if keep { docs } else { 0 }).map(|_| OnceLock::new()).collect(),
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
        let (Some(group), Some(slot)) = (self.groups.get(id / DOCS_PER_GROUP), self.terms.get(id))
        else {
            return Err(Error::Usage(format!("search index: no article {id}")));
        };
        let mut terms = analyze(&self.table, doc);
        if self.keep {
            terms.sort_unstable();
        }
        let _ = slot.set(terms.into());
        if let Some(key) = self.keys.get(id) {
            let _ = key.set(doc_key(doc));
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
        let IndexBuilder { keep, table, terms: docs, keys, groups, group_hashes } = self;
        let doc_count = docs.len();
        let docs: Vec<Box<[u32]>> =
            docs.into_iter().map(|d| d.into_inner().unwrap_or_default()).collect();
        let keys: Vec<u64> = keys.into_iter().map(|k| k.into_inner().unwrap_or(0)).collect();
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

        let (terms, flat) = term_postings(&table, &docs);
        let mut order: Vec<u32> =
            (0..terms.len() as u32).filter(|&t| !terms[t as usize].word.is_empty()).collect();
        order.sort_unstable_by(|&a, &b| terms[a as usize].key().cmp(&terms[b as usize].key()));
        let total: usize = order
            .par_iter()
            .map(|&t| {
                let term = &terms[t as usize];
                record_len(&term.word, term.lists(&flat))
            })
            .sum();
        let mut shard_bits = 0;
        while shard_bits < MAX_SHARD_BITS && total > TARGET_SHARD_BYTES << shard_bits {
            shard_bits += 1;
        }
        let mut index = SearchIndex {
            table,
            terms,
            flat,
            order,
            shard_bits,
            doc_count,
            docs,
            keys,
            fragments,
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
            crate::drop_in_background(index);
            Ok(None)
        }
    }
}

/// A term of the index: its word, hash and postings (an empty word: an id
/// the index has no article for).
#[derive(Default)]
struct Term {
    word: Arc<str>,
    hash: u32,
    /// Where its postings are in the [`Flat`] lists...
    title: Range<u32>,
    all: Range<u32>,
    /// ...until an update gives it lists of its own.
    own: Option<Box<Postings>>,
}

impl Term {
    /// Terms are stored in this order, in shards by the top bits of their hash.
    fn key(&self) -> (u32, &str) {
        (self.hash, &self.word)
    }

    /// Its postings: articles with it in their title, and with it anywhere.
    fn lists<'a>(&'a self, flat: &'a Flat) -> (&'a [u32], &'a [u32]) {
        match &self.own {
            Some(own) => (&own.title, &own.all),
            None => (&flat.title[range(&self.title)], &flat.all[range(&self.all)]),
        }
    }
}

fn range(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

/// The postings of every term end to end, as a build makes them.
#[derive(Default)]
struct Flat {
    title: Vec<u32>,
    all: Vec<u32>,
}

/// The terms of `docs` (each article's terms as [`analyze`] gives them)
/// by term id, and their postings. Filled in article order, so each list
/// comes out sorted.
fn term_postings(table: &TermTable, docs: &[Box<[u32]>]) -> (Vec<Term>, Flat) {
    let mut counts = vec![(0u32, 0u32); table.id_bound()];
    for doc in docs {
        for &t in doc.iter() {
            let count = &mut counts[(t >> 1) as usize];
            count.0 += 1;
            count.1 += t & 1;
        }
    }
    let (mut all_at, mut title_at) = (0u32, 0u32);
    let terms: Vec<Term> = counts
        .iter()
        .enumerate()
        .map(|(id, &(all, title))| {
            let (word, hash) =
                if all > 0 { table.term(id as u32) } else { None }.unwrap_or_default();
            let term = Term {
                word,
                hash,
                title: title_at..title_at + title,
                all: all_at..all_at + all,
                own: None,
            };
            (all_at, title_at) = (all_at + all, title_at + title);
            term
        })
        .collect();
    let mut flat = Flat { title: vec![0; title_at as usize], all: vec![0; all_at as usize] };
    // The next free place of each term's lists.
    let mut next: Vec<(u32, u32)> = terms.iter().map(|t| (t.all.start, t.title.start)).collect();
    for (id, doc) in docs.iter().enumerate() {
        for &t in doc.iter() {
            let next = &mut next[(t >> 1) as usize];
            flat.all[next.0 as usize] = id as u32;
            next.0 += 1;
            if t & 1 == 1 {
                flat.title[next.1 as usize] = id as u32;
                next.1 += 1;
            }
        }
    }
    (terms, flat)
}

/// A built index, kept by `serve` to update it after a save.
pub struct SearchIndex {
    /// The ids of `terms` and of `docs`, and the words read so far.
    table: TermTable,
    /// By term id.
    terms: Vec<Term>,
    flat: Flat,
    /// The ids of the terms with a word, by [`Term::key`].
    order: Vec<u32>,
    shard_bits: u32,
    doc_count: usize,
    /// Each article's terms, sorted (empty unless kept for updates).
    docs: Vec<Box<[u32]>>,
    /// Each article's [`doc_key`] (empty unless kept for updates).
    keys: Vec<u64>,
    fragments: Vec<Vec<u8>>,
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
        let shard = |t: &u32| shard_of(self.terms[*t as usize].hash, bits);
        let start = self.order.partition_point(|t| shard(t) < s);
        let end = self.order.partition_point(|t| shard(t) <= s);
        let mut bytes = Vec::new();
        let mut payload = Vec::new();
        for &t in &self.order[start..end] {
            let term = &self.terms[t as usize];
            let lists = term.lists(&self.flat);
            if !lists.1.is_empty() {
                push_record(&mut bytes, &term.word, lists, &mut payload);
            }
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
    /// manifest; nothing when its key says it is unchanged. `Ok(false)`: the
    /// index does not hold that article (or was built without keeping what
    /// an update needs); build it again.
    pub fn update(&mut self, id: usize, doc: &SearchDoc<'_>, emit: &Emit<'_>) -> Result<bool> {
        if id >= self.doc_count || self.keys.len() != self.doc_count {
            return Ok(false);
        }
        let key = doc_key(doc);
        if key != 0 && self.keys[id] == key {
            return Ok(true);
        }
        self.keys[id] = key;
        let mut new = analyze(&self.table, doc);
        new.sort_unstable();
        let old = std::mem::take(&mut self.docs[id]);
        let mut touched = Vec::new();
        let (mut i, mut j) = (0, 0);
        // Both sorted by term id (`id << 1 | in title`).
        loop {
            let (a, b) = (old.get(i).copied(), new.get(j).copied());
            let shard = match (a, b) {
                (Some(a), Some(b)) if a >> 1 == b >> 1 => {
                    i += 1;
                    j += 1;
                    if a == b {
                        continue;
                    }
                    self.set_posting(b >> 1, id as u32, Some(b & 1 == 1))
                }
                (_, Some(b)) if a.is_none_or(|a| b >> 1 < a >> 1) => {
                    j += 1;
                    self.set_posting(b >> 1, id as u32, Some(b & 1 == 1))
                }
                (Some(a), _) => {
                    i += 1;
                    self.set_posting(a >> 1, id as u32, None)
                }
                (None, _) => break,
            };
            touched.push(shard);
        }
        self.docs[id] = new.into();
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

    /// Article `id` has term `term` (in its title: `Some(true)`), or not
    /// (`None`). Returns the term's shard.
    fn set_posting(&mut self, term: u32, id: u32, title: Option<bool>) -> usize {
        let t = term as usize;
        if t >= self.terms.len() {
            self.terms.resize_with(t + 1, Term::default);
        }
        if self.terms[t].word.is_empty() {
            // A term new to the index (the table gave it its word).
            let (word, hash) = self.table.term(term).unwrap_or_default();
            self.terms[t].word = word;
            self.terms[t].hash = hash;
            let terms = &self.terms;
            let at = self.order.partition_point(|&o| terms[o as usize].key() < terms[t].key());
            self.order.insert(at, term);
        }
        let set = |list: &mut Vec<u32>, present: bool| match (list.binary_search(&id), present) {
            (Err(at), true) => list.insert(at, id),
            (Ok(at), false) => {
                list.remove(at);
            }
            _ => {}
        };
        let Term { title: in_title, all, own, .. } = &mut self.terms[t];
        let postings = own.get_or_insert_with(|| {
            Box::new(Postings {
                title: self.flat.title[range(in_title)].to_vec(),
                all: self.flat.all[range(all)].to_vec(),
            })
        });
        set(&mut postings.all, title.is_some());
        set(&mut postings.title, title == Some(true));
        shard_of(self.terms[t].hash, self.shard_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analyze::term_hash;
    use crate::search::postings::{list_len, push_list};
    use crate::search::words::words;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// The terms [`analyze`] finds, as word → in title.
    fn analyzed(table: &TermTable, doc: &SearchDoc<'_>) -> BTreeMap<String, bool> {
        let mut found = BTreeMap::new();
        for t in analyze(table, doc) {
            let (word, hash) = table.term(t >> 1).unwrap();
            assert_eq!(hash, term_hash(&word));
            assert!(found.insert(word.to_string(), t & 1 == 1).is_none(), "twice");
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
            // Read once with a fresh table, then again with every word known,
            // after another article (another title) has been read with it.
            let table = TermTable::default();
            prop_assert_eq!(&analyzed(&table, &doc), &want);
            let other = SearchDoc { title: &text, text: &title, ..SearchDoc::default() };
            prop_assert_eq!(&analyzed(&table, &other), &expected(&other));
            prop_assert_eq!(&analyzed(&table, &doc), &want);
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
            assert_eq!(out.len(), list_len(&ids));
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
