//! The index: built in parallel from one [`SearchDoc`](super::SearchDoc) per article, written
//! as many small files so that a query downloads only what it needs (the
//! format is described in the module docs of [`crate::search`]).

use super::analyze::{TermTable, analyze};
use super::batches;
use super::doc::{DIR, SearchDoc, doc_json, doc_key, group_bytes, group_file};
pub use super::kept::SearchIndex;
use super::postings::pack_terms;
pub use super::shards::Emit;
use super::shards::{Shards, file_hash};
use crate::error::{Error, Result};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Articles per document file (`search/d/N.json`).
pub const DOCS_PER_GROUP: usize = 16;
/// The format version, in the manifest; the script refuses others.
pub const FORMAT_VERSION: u32 = 2;
/// A kept index's shards are written from the postings of this many
/// articles' terms at a time (16 MB), not all at once.
const BATCH_POSTINGS: usize = 1 << 22;

pub(super) fn manifest_file() -> String {
    format!("{DIR}/index.json")
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
