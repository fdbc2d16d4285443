//! The index: built in parallel from one [`SearchDoc`] per article, written
//! as many small files so that a query downloads only what it needs (the
//! format is described in the module docs of [`crate::search`]).

use super::analyze::{BUCKET_BITS, BUCKETS, DocTerms, Term, TermMap, analyze, bucket_of, shard_of};
use super::postings::{Bucket, Postings, push_record};
use crate::error::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock, PoisonError};

/// Where the index goes, under the output root (the search page is there too).
pub const DIR: &str = "search";
/// Articles per document file (`search/d/N.json`).
pub const DOCS_PER_GROUP: usize = 4;
/// The format version, in the manifest; the script refuses others.
pub const FORMAT_VERSION: u32 = 1;
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
            crate::drop_in_background(index);
            Ok(None)
        }
    }
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
    use crate::search::analyze::term_hash;
    use crate::search::postings::{list_len, push_list};
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
