//! The index `serve` keeps once built, to update it after a save: no
//! postings of its own (the shard files it wrote hold them, and an update
//! reads the few shards it changes back from there), each article's terms
//! packed, and the length of its part of its document file.

use super::analyze::{TermTable, analyze, shard_of, term_hash};
use super::doc::{SearchDoc, doc_json, doc_key, group_file};
use super::index::{DOCS_PER_GROUP, FORMAT_VERSION, manifest_file};
use super::postings::{Postings, each_packed, pack_terms, push_record, read_payload, records};
use super::shards::{Emit, file_hash, shard_file};
use crate::error::{Error, Result};
use serde::Serialize;
use std::sync::Arc;

/// Reads back a file the index wrote (as it was last written).
pub type Written<'a> = dyn Fn(&str) -> Option<Arc<[u8]>> + 'a;

/// A built index, kept by `serve` to update it after a save.
pub struct SearchIndex {
    /// The ids of the terms in `docs`, and the words read so far.
    pub(super) table: TermTable,
    pub(super) shard_bits: u32,
    pub(super) doc_count: usize,
    /// Each article's terms, sorted and packed (empty unless kept for updates).
    pub(super) docs: Vec<Box<[u8]>>,
    /// Each article's [`doc_key`] (empty unless kept for updates).
    pub(super) keys: Vec<u64>,
    /// The length of each article's part of its document file.
    pub(super) fragment_lens: Vec<u32>,
    pub(super) shard_hashes: Vec<u64>,
    pub(super) group_hashes: Vec<u64>,
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

/// A change to one term's postings for the article updated.
struct Change {
    hash: u32,
    word: Arc<str>,
    /// `Some(in title)`: the article has the term; `None`: no longer.
    has: Option<bool>,
}

fn unreadable(file: &str) -> Error {
    Error::Usage(format!("search index: {file} is not as it was written"))
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

    pub(super) fn emit_manifest(&self, emit: &Emit<'_>) -> Result<()> {
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
    /// manifest; nothing when its key says it is unchanged. `written` gives
    /// back the files written so far (by the build and earlier updates).
    /// `Ok(false)`: the index does not hold that article (or was built
    /// without keeping what an update needs); build it again. `Err`: a file
    /// is not as written, or could not be written; build it again too.
    pub fn update(
        &mut self,
        id: usize,
        doc: &SearchDoc<'_>,
        written: &Written<'_>,
        emit: &Emit<'_>,
    ) -> Result<bool> {
        if id >= self.doc_count || self.keys.len() != self.doc_count {
            return Ok(false);
        }
        let key = doc_key(doc);
        if key != 0 && self.keys[id] == key {
            return Ok(true);
        }
        let mut new = analyze(&self.table, doc);
        new.sort_unstable();
        let mut old = Vec::new();
        each_packed(&self.docs[id], |t| old.push(t));
        let mut changes = Vec::new();
        let mut change = |t: u32, has: Option<bool>| {
            let (word, hash) = self.table.term(t).unwrap_or_default();
            changes.push(Change { hash, word, has });
        };
        let (mut i, mut j) = (0, 0);
        // Both sorted by term id (`id << 1 | in title`).
        loop {
            match (old.get(i).copied(), new.get(j).copied()) {
                (Some(a), Some(b)) if a >> 1 == b >> 1 => {
                    i += 1;
                    j += 1;
                    if a != b {
                        change(b >> 1, Some(b & 1 == 1));
                    }
                }
                (a, Some(b)) if a.is_none_or(|a| b >> 1 < a >> 1) => {
                    j += 1;
                    change(b >> 1, Some(b & 1 == 1));
                }
                (Some(a), _) => {
                    i += 1;
                    change(a >> 1, None);
                }
                (None, _) => break,
            }
        }
        // In the order of the shards' records.
        changes.sort_unstable_by(|a, b| (a.hash, &*a.word).cmp(&(b.hash, &*b.word)));
        let mut rest = &changes[..];
        while let Some(first) = rest.first() {
            let s = shard_of(first.hash, self.shard_bits);
            let end = rest.partition_point(|c| shard_of(c.hash, self.shard_bits) == s);
            let name = shard_file(s);
            let old_shard = written(&name).ok_or_else(|| unreadable(&name))?;
            let bytes =
                apply(&old_shard, &rest[..end], id as u32).ok_or_else(|| unreadable(&name))?;
            self.shard_hashes[s] = file_hash(&name, &bytes);
            emit(&name, &bytes)?;
            rest = &rest[end..];
        }
        self.docs[id] = pack_terms(&new);
        self.update_document(id, doc, written, emit)?;
        self.keys[id] = key;
        self.emit_manifest(emit)?;
        Ok(true)
    }

    /// Writes article `id`'s document file again with its new part.
    fn update_document(
        &mut self,
        id: usize,
        doc: &SearchDoc<'_>,
        written: &Written<'_>,
        emit: &Emit<'_>,
    ) -> Result<()> {
        let g = id / DOCS_PER_GROUP;
        let name = group_file(g);
        let old = written(&name).ok_or_else(|| unreadable(&name))?;
        let first = g * DOCS_PER_GROUP;
        // `[`, the parts before the article's and their commas.
        let start =
            1 + self.fragment_lens[first..id].iter().map(|&l| l as usize + 1).sum::<usize>();
        let end = start + self.fragment_lens[id] as usize;
        let (Some(before), Some(after)) = (old.get(..start), old.get(end..)) else {
            return Err(unreadable(&name));
        };
        let fragment = doc_json(doc);
        let mut bytes = Vec::with_capacity(old.len() + fragment.len());
        bytes.extend_from_slice(before);
        bytes.extend_from_slice(&fragment);
        bytes.extend_from_slice(after);
        self.fragment_lens[id] = fragment.len() as u32;
        self.group_hashes[g] = file_hash(&name, &bytes);
        emit(&name, &bytes)
    }
}

/// Shard `shard` with `changes` (sorted as its records are) made for
/// article `id`; `None` when the shard is not a sequence of records.
fn apply(shard: &[u8], changes: &[Change], id: u32) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(shard.len() + 64);
    let mut payload = Vec::new();
    let mut changes = changes.iter().peekable();
    let mut write = |out: &mut Vec<u8>, word: &str, mut postings: Postings, has: Option<bool>| {
        set(&mut postings.all, id, has.is_some());
        set(&mut postings.title, id, has == Some(true));
        if !postings.all.is_empty() {
            push_record(out, word, (&postings.title, &postings.all), &mut payload);
        }
    };
    for record in records(shard) {
        let record = record.ok()?;
        let key = (term_hash(record.word), record.word);
        // Terms new to the shard, before this record.
        while let Some(change) = changes.next_if(|c| (c.hash, &*c.word) < key) {
            write(&mut out, &change.word, Postings::default(), change.has);
        }
        match changes.next_if(|c| (c.hash, &*c.word) == key) {
            Some(change) => write(&mut out, record.word, read_payload(record.payload)?, change.has),
            None => out.extend_from_slice(record.bytes),
        }
    }
    for change in changes {
        write(&mut out, &change.word, Postings::default(), change.has);
    }
    Some(out)
}

/// Puts `id` in the sorted `list`, or takes it out.
fn set(list: &mut Vec<u32>, id: u32, present: bool) {
    match (list.binary_search(&id), present) {
        (Err(at), true) => list.insert(at, id),
        (Ok(at), false) => {
            list.remove(at);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::index::IndexBuilder;
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    type Files = BTreeMap<String, Arc<[u8]>>;

    fn doc<'a>(url: &'a str, (title, text): &'a (String, String), stub: bool) -> SearchDoc<'a> {
        SearchDoc {
            url,
            title,
            text,
            stub,
            date: "2024-05-01",
            text_key: 0,
            ..SearchDoc::default()
        }
    }

    /// Builds the index of `texts`, keeping it or not, and its files.
    fn build(texts: &[(String, String)], keep: bool) -> (Option<SearchIndex>, Files) {
        let files = Mutex::new(Files::new());
        let emit = |name: &str, bytes: &[u8]| {
            files.lock().unwrap().insert(name.to_string(), bytes.into());
            Ok(())
        };
        let urls: Vec<String> = (0..texts.len()).map(|i| format!("/a/{i}/")).collect();
        let builder = IndexBuilder::new(texts.len(), keep);
        for (i, text) in texts.iter().enumerate().rev() {
            builder.add(i, &doc(&urls[i], text, i % 5 == 4), &emit).unwrap();
        }
        let index = builder.finish(&emit).unwrap();
        (index, files.into_inner().unwrap())
    }

    fn text() -> impl Strategy<Value = (String, String)> {
        // Few words, so that articles share them, and some long texts that
        // go on past their document file's excerpt.
        (
            "(alpha|beta|Gamma|delta|ε|zeta)( (beta|eta|theta)){0,2}",
            "(([a-f]{1,2}|Zürich|it’s)[ ,.]){0,150}",
        )
    }

    proptest! {
        /// Articles replaced in place, one after the other, give the files of
        /// an index built afresh from the articles as they are after.
        #[test]
        fn updates_give_the_files_of_a_fresh_build(
            texts in prop::collection::vec(text(), 1..40),
            edits in prop::collection::vec((any::<prop::sample::Index>(), text()), 1..6),
        ) {
            let (index, mut files) = build(&texts, true);
            // Kept or not, the build writes the same files.
            prop_assert_eq!(&files, &build(&texts, false).1);
            let mut index = index.unwrap();
            let mut texts = texts;
            for (at, new) in edits {
                let i = at.index(texts.len());
                texts[i] = new;
                let made = Mutex::new(Vec::new());
                let emit = |name: &str, bytes: &[u8]| {
                    made.lock().unwrap().push((name.to_string(), Arc::<[u8]>::from(bytes)));
                    Ok(())
                };
                let url = format!("/a/{i}/");
                let written = |name: &str| files.get(name).cloned();
                prop_assert!(index.update(i, &doc(&url, &texts[i], i % 5 == 4), &written, &emit).unwrap());
                files.extend(made.into_inner().unwrap());
            }
            let (none, fresh) = build(&texts, false);
            prop_assert!(none.is_none());
            for (name, bytes) in &fresh {
                prop_assert_eq!(
                    String::from_utf8_lossy(&files[name]), String::from_utf8_lossy(bytes), "{}", name
                );
            }
            prop_assert_eq!(files.len(), fresh.len());
        }
    }

    #[test]
    fn a_file_not_as_written_is_an_error_not_a_panic() {
        let texts = vec![("alpha".to_string(), "beta gamma".to_string()); 3];
        let (index, mut files) = build(&texts, true);
        let mut index = index.unwrap();
        for bytes in files.values_mut() {
            *bytes = Arc::from(&b"\xff\xff\xff"[..]);
        }
        let written = |name: &str| files.get(name).cloned();
        let emit = |_: &str, _: &[u8]| Ok(());
        let new = ("delta".to_string(), "beta".to_string());
        assert!(index.update(1, &doc("/a/1/", &new, false), &written, &emit).is_err());
        let none = |_: &str| None;
        assert!(index.update(1, &doc("/a/1/", &new, false), &none, &emit).is_err());
    }
}
