//! The index: built in parallel from one [`SearchDoc`](super::SearchDoc) per article, written
//! as many small files so that a query downloads only what it needs (the
//! format is described in the module docs of [`crate::search`]).

use super::analyze::{TermTable, analyze, shard_of};
use super::batches;
use super::doc::{DIR, SearchDoc, doc_json, doc_key, group_bytes, group_file};
pub use super::kept::SearchIndex;
use super::postings::{each_packed, pack_terms, push_record, record_len};
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Articles per document file (`search/d/N.json`).
pub const DOCS_PER_GROUP: usize = 16;
/// The format version, in the manifest; the script refuses others.
pub const FORMAT_VERSION: u32 = 2;
/// The size a term shard aims at: a query for a rare word fetches about this.
const TARGET_SHARD_BYTES: usize = 8 * 1024;
/// A kept index's shards are written from the postings of this many
/// articles' terms at a time (16 MB), not all at once.
const BATCH_POSTINGS: usize = 1 << 22;
/// At most 2^this shards.
const MAX_SHARD_BITS: u32 = 14;

/// Receives each file of the index: path under the output root, bytes.
pub type Emit<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

pub(super) fn shard_file(shard: usize) -> String {
    format!("{DIR}/t/{shard}.bin")
}

pub(super) fn manifest_file() -> String {
    format!("{DIR}/index.json")
}

/// A file's part of the manifest's key (which changes whenever a file does,
/// so browsers never mix pieces of two builds).
pub(super) fn file_hash(name: &str, bytes: &[u8]) -> u64 {
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
    doc_count: usize,
    table: TermTable,
    /// Each article's terms (see [`analyze`]), unless kept for updates...
    terms: Vec<OnceLock<Box<[u32]>>>,
    /// ...when they are sorted and packed ([`pack_terms`]), with each
    /// article's [`doc_key`] and the length of its part of its document file.
    packed: Vec<OnceLock<Box<[u8]>>>,
    keys: Vec<OnceLock<u64>>,
    fragment_lens: Vec<OnceLock<u32>>,
    groups: Vec<Mutex<Vec<Option<Vec<u8>>>>>,
    group_hashes: Vec<OnceLock<u64>>,
}

fn slots<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

/// An article's terms, as the build holds them.
pub(super) trait DocTerms: Sync {
    fn each(&self, f: impl FnMut(u32));
}

impl DocTerms for Box<[u32]> {
    #[inline]
    fn each(&self, f: impl FnMut(u32)) {
        self.iter().copied().for_each(f);
    }
}

impl DocTerms for Box<[u8]> {
    fn each(&self, f: impl FnMut(u32)) {
        each_packed(self, f);
    }
}

impl IndexBuilder {
    /// A builder for articles `0..docs` (0 is listed first among equals: the
    /// newest). `keep`: keep what [`SearchIndex::update`] needs (and build
    /// on the calling thread alone).
    pub fn new(docs: usize, keep: bool) -> IndexBuilder {
        let groups = docs.div_ceil(DOCS_PER_GROUP);
        let kept = if keep { docs } else { 0 };
        IndexBuilder {
            keep,
            doc_count: docs,
            table: TermTable::default(),
            terms: slots(docs - kept),
            packed: slots(kept),
            keys: slots(kept),
            fragment_lens: slots(kept),
            groups: (0..groups)
                .map(|g| {
                    let len = DOCS_PER_GROUP.min(docs - g * DOCS_PER_GROUP);
                    Mutex::new(vec![None; len])
                })
                .collect(),
            group_hashes: slots(groups),
        }
    }

    /// Adds article `id`; writes its document file when it completes one.
    pub fn add(&self, id: usize, doc: &SearchDoc<'_>, emit: &Emit<'_>) -> Result<()> {
        let (Some(group), true) = (self.groups.get(id / DOCS_PER_GROUP), id < self.doc_count)
        else {
            return Err(Error::Usage(format!("search index: no article {id}")));
        };
        let mut terms = analyze(&self.table, doc);
        let fragment = doc_json(doc);
        if self.keep {
            terms.sort_unstable();
            let _ = self.packed[id].set(pack_terms(&terms));
            let _ = self.keys[id].set(doc_key(doc));
            let _ = self.fragment_lens[id].set(fragment.len() as u32);
        } else {
            let _ = self.terms[id].set(terms.into());
        }
        let complete = {
            let mut parts = group.lock().unwrap_or_else(PoisonError::into_inner);
            parts[id % DOCS_PER_GROUP] = Some(fragment);
            if parts.iter().all(Option::is_some) {
                Some(parts.iter_mut().filter_map(Option::take).collect::<Vec<Vec<u8>>>())
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
        let IndexBuilder {
            keep,
            doc_count,
            table,
            terms,
            packed,
            keys,
            fragment_lens,
            groups,
            group_hashes,
        } = self;
        // Groups left incomplete (an article failed, and the build with it).
        let mut group_hashes: Vec<u64> =
            group_hashes.into_iter().map(|h| h.into_inner().unwrap_or(0)).collect();
        if keep {
            for (g, group) in groups.into_iter().enumerate() {
                if group_hashes[g] == 0 {
                    let parts = group.into_inner().unwrap_or_else(PoisonError::into_inner);
                    let parts: Vec<Vec<u8>> =
                        parts.into_iter().map(Option::unwrap_or_default).collect();
                    let name = group_file(g);
                    let bytes = group_bytes(&parts);
                    group_hashes[g] = file_hash(&name, &bytes);
                    emit(&name, &bytes)?;
                }
            }
        }
        let mut index = SearchIndex {
            table,
            shard_bits: 0,
            doc_count,
            docs: Vec::new(),
            keys: keys.into_iter().map(|k| k.into_inner().unwrap_or(0)).collect(),
            fragment_lens: fragment_lens.into_iter().map(|l| l.into_inner().unwrap_or(0)).collect(),
            shard_hashes: Vec::new(),
            group_hashes,
        };
        let shard_hashes = if keep {
            let docs: Vec<Box<[u8]>> =
                packed.into_iter().map(|d| d.into_inner().unwrap_or_default()).collect();
            let hashes = batches::emit_shards(&index.table, &docs, BATCH_POSTINGS, emit);
            index.docs = docs;
            let (hashes, bits) = hashes?;
            index.shard_bits = bits;
            hashes
        } else {
            let docs: Vec<Box<[u32]>> =
                terms.into_iter().map(|d| d.into_inner().unwrap_or_default()).collect();
            let built = Shards::new(&index.table, &docs);
            let hashes = built.emit(emit, &mut index.shard_bits);
            crate::drop_in_background((built, docs));
            hashes?
        };
        index.shard_hashes = shard_hashes;
        index.emit_manifest(emit)?;
        if keep {
            index.table.shrink_to_fit();
            Ok(Some(index))
        } else {
            crate::drop_in_background(index);
            Ok(None)
        }
    }
}

/// A term of the index: its word, hash and where its postings are in the
/// [`Flat`] lists (an empty word: an id the index has no article for).
#[derive(Default)]
pub(super) struct Term {
    pub(super) word: Arc<str>,
    pub(super) hash: u32,
    pub(super) title: Range<u32>,
    pub(super) all: Range<u32>,
}

impl Term {
    /// Terms are stored in this order, in shards by the top bits of their hash.
    pub(super) fn key(&self) -> (u32, &str) {
        (self.hash, &self.word)
    }

    /// Its postings: articles with it in their title, and with it anywhere.
    pub(super) fn lists<'a>(&'a self, flat: &'a Flat) -> (&'a [u32], &'a [u32]) {
        (&flat.title[range(&self.title)], &flat.all[range(&self.all)])
    }
}

fn range(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

/// The postings of every term end to end, as a build makes them.
#[derive(Default)]
pub(super) struct Flat {
    pub(super) title: Vec<u32>,
    pub(super) all: Vec<u32>,
}

/// What the shards are written from; dropped once they are.
pub(super) struct Shards {
    /// By term id.
    pub(super) terms: Vec<Term>,
    pub(super) flat: Flat,
    /// The ids of the terms with a word, by [`Term::key`].
    pub(super) order: Vec<u32>,
}

impl Shards {
    pub(super) fn new<D: DocTerms>(table: &TermTable, docs: &[D]) -> Shards {
        let (terms, flat) = term_postings(table, docs);
        Shards::in_order(terms, flat)
    }

    pub(super) fn in_order(terms: Vec<Term>, flat: Flat) -> Shards {
        let mut order: Vec<u32> =
            (0..terms.len() as u32).filter(|&t| !terms[t as usize].word.is_empty()).collect();
        order.sort_unstable_by(|&a, &b| terms[a as usize].key().cmp(&terms[b as usize].key()));
        Shards { terms, flat, order }
    }

    /// Writes every shard, on rayon's threads; returns their hashes and sets `shard_bits`.
    pub(super) fn emit(&self, emit: &Emit<'_>, shard_bits: &mut u32) -> Result<Vec<u64>> {
        let total: usize = self.order.par_iter().map(|t| self.record_len(*t)).sum();
        let bits = shard_bits_for(total);
        *shard_bits = bits;
        let shards: Vec<Result<u64>> = (0..1usize << bits)
            .into_par_iter()
            .with_max_len(4)
            .map(|s| self.emit_shard(s, bits, emit))
            .collect();
        shards.into_iter().collect()
    }

    pub(super) fn record_len(&self, t: u32) -> usize {
        let term = &self.terms[t as usize];
        record_len(&term.word, term.lists(&self.flat))
    }

    /// The range of `order` in shard `s` of 2^`bits`.
    pub(super) fn shard_range(&self, s: usize, bits: u32) -> Range<usize> {
        let shard = |t: &u32| shard_of(self.terms[*t as usize].hash, bits);
        self.order.partition_point(|t| shard(t) < s)..self.order.partition_point(|t| shard(t) <= s)
    }

    /// Writes shard `s` of 2^`bits` and returns its hash.
    pub(super) fn emit_shard(&self, s: usize, bits: u32, emit: &Emit<'_>) -> Result<u64> {
        let mut bytes = Vec::new();
        let mut payload = Vec::new();
        for &t in &self.order[self.shard_range(s, bits)] {
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
}

/// How many bits of a term's hash pick its shard, for records of `total` bytes.
pub(super) fn shard_bits_for(total: usize) -> u32 {
    let mut bits = 0;
    while bits < MAX_SHARD_BITS && total > TARGET_SHARD_BYTES << bits {
        bits += 1;
    }
    bits
}

/// The terms of `docs` (each article's terms as [`analyze`] gives them)
/// by term id, and their postings. Filled in article order, so each list
/// comes out sorted.
fn term_postings<D: DocTerms>(table: &TermTable, docs: &[D]) -> (Vec<Term>, Flat) {
    let mut counts = vec![(0u32, 0u32); table.id_bound()];
    for doc in docs {
        doc.each(|t| {
            let count = &mut counts[(t >> 1) as usize];
            count.0 += 1;
            count.1 += t & 1;
        });
    }
    let (mut all_at, mut title_at) = (0u32, 0u32);
    let terms: Vec<Term> = counts
        .iter()
        .enumerate()
        .map(|(id, &(all, title))| {
            let (word, hash) =
                if all > 0 { table.term(id as u32) } else { None }.unwrap_or_default();
            let term =
                Term { word, hash, title: title_at..title_at + title, all: all_at..all_at + all };
            (all_at, title_at) = (all_at + all, title_at + title);
            term
        })
        .collect();
    let mut flat = Flat { title: vec![0; title_at as usize], all: vec![0; all_at as usize] };
    // The next free place of each term's lists.
    let mut next: Vec<(u32, u32)> = terms.iter().map(|t| (t.all.start, t.title.start)).collect();
    for (id, doc) in docs.iter().enumerate() {
        doc.each(|t| {
            let next = &mut next[(t >> 1) as usize];
            flat.all[next.0 as usize] = id as u32;
            next.0 += 1;
            if t & 1 == 1 {
                flat.title[next.1 as usize] = id as u32;
                next.1 += 1;
            }
        });
    }
    (terms, flat)
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
