//! The term shards (`search/t/N.bin`): each term's postings, written in
//! the order of the terms' hashes, from the terms every article has. Shared
//! by the build's all-at-once writing ([`Shards::emit`]) and serve's kept
//! index, which writes them a batch at a time (`batches`).

use super::analyze::{TermTable, shard_of};
use super::doc::DIR;
use super::postings::{each_packed, push_record, record_len};
use crate::error::Result;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

/// The size a term shard aims at: a query for a rare word fetches about this.
const TARGET_SHARD_BYTES: usize = 8 * 1024;
/// At most 2^this shards.
const MAX_SHARD_BITS: u32 = 14;

/// Receives each file of the index: path under the output root, bytes.
pub type Emit<'a> = dyn Fn(&str, &[u8]) -> Result<()> + Sync + 'a;

pub(super) fn shard_file(shard: usize) -> String {
    format!("{DIR}/t/{shard}.bin")
}

/// A file's part of the manifest's key (which changes whenever a file does,
/// so browsers never mix pieces of two builds).
pub(super) fn file_hash(name: &str, bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    name.hash(&mut h);
    bytes.hash(&mut h);
    h.finish()
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

/// Each term id's number of articles in `docs`, and of those with it in
/// the title.
pub(super) fn term_counts<D: DocTerms>(table: &TermTable, docs: &[D]) -> Vec<(u32, u32)> {
    let mut counts = vec![(0u32, 0u32); table.id_bound()];
    for doc in docs {
        doc.each(|t| {
            let count = &mut counts[(t >> 1) as usize];
            count.0 += 1;
            count.1 += t & 1;
        });
    }
    counts
}

/// The terms of `docs` (each article's terms as [`analyze`] gives them)
/// by term id, and their postings. Filled in article order, so each list
/// comes out sorted.
fn term_postings<D: DocTerms>(table: &TermTable, docs: &[D]) -> (Vec<Term>, Flat) {
    let counts = term_counts(table, docs);
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
