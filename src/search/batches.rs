//! The shards of a kept index, written from the postings of a batch of
//! terms at a time: serve's index thread builds while the site's graph is
//! in memory, and the postings of every term at once are as large as the
//! articles' terms unpacked (116 MB at 100,000 generated articles).

use super::analyze::TermTable;
use super::shards::{DocTerms, Emit, Flat, Shards, Term, shard_bits_for, term_counts};
use crate::error::Result;
use std::ops::Range;

/// Writes the shards of `docs` in term order, each batch of shards from the
/// postings of at most `limit` ids (more only when one shard has more).
/// Returns the shards' hashes and how many bits of a hash pick a shard: the
/// same files as the build writes from all postings at once.
pub(super) fn emit_shards<D: DocTerms>(
    table: &TermTable,
    docs: &[D],
    limit: usize,
    emit: &Emit<'_>,
) -> Result<(Vec<u64>, u32)> {
    let counts = term_counts(table, docs);
    let terms: Vec<Term> = counts
        .iter()
        .enumerate()
        .map(|(id, &(all, _))| {
            let (word, hash) =
                if all > 0 { table.term(id as u32) } else { None }.unwrap_or_default();
            Term { word, hash, ..Term::default() }
        })
        .collect();
    let mut shards = Shards::in_order(terms, Flat::default());
    // Ids in the postings of the terms before each in the order.
    let mut before = Vec::with_capacity(shards.order.len() + 1);
    before.push(0usize);
    for &t in &shards.order {
        let (all, title) = counts[t as usize];
        before.push(before[before.len() - 1] + all as usize + title as usize);
    }
    // The end of the batch of terms from `start` (one term at least).
    let batch_end = |start: usize, bound: usize| {
        let end = before[start..=bound].partition_point(|&n| n - before[start] <= limit);
        (start + end - 1).max(start + 1).min(bound)
    };
    // The size of every record first, for the number of shards.
    let mut total = 0;
    let mut start = 0;
    while start < shards.order.len() {
        let end = batch_end(start, shards.order.len());
        fill(&mut shards, docs, &counts, start..end);
        total += shards.order[start..end].iter().map(|&t| shards.record_len(t)).sum::<usize>();
        start = end;
    }
    let bits = shard_bits_for(total);
    let mut hashes = Vec::with_capacity(1 << bits);
    let mut first = 0;
    while first < 1 << bits {
        let start = shards.shard_range(first, bits).start;
        // The shards whose terms end within the batch.
        let (mut next, mut end) = (first + 1, shards.shard_range(first, bits).end);
        while next < 1 << bits {
            let after = shards.shard_range(next, bits).end;
            if before[after] - before[start] > limit {
                break;
            }
            (next, end) = (next + 1, after);
        }
        fill(&mut shards, docs, &counts, start..end);
        for s in first..next {
            hashes.push(shards.emit_shard(s, bits, emit)?);
        }
        first = next;
    }
    Ok((hashes, bits))
}

/// Makes `shards.flat` the postings of the terms at `batch` in the order
/// (the other terms' places in it are left stale, and not read).
fn fill<D: DocTerms>(shards: &mut Shards, docs: &[D], counts: &[(u32, u32)], batch: Range<usize>) {
    let Shards { terms, flat, order } = shards;
    let (mut all_at, mut title_at) = (0u32, 0u32);
    // The next free place of each term's lists; `u32::MAX`: not in the batch.
    let mut next = vec![(u32::MAX, 0u32); terms.len()];
    for &t in &order[batch] {
        let (all, title) = counts[t as usize];
        let term = &mut terms[t as usize];
        term.all = all_at..all_at + all;
        term.title = title_at..title_at + title;
        next[t as usize] = (all_at, title_at);
        (all_at, title_at) = (all_at + all, title_at + title);
    }
    flat.all.clear();
    flat.all.resize(all_at as usize, 0);
    flat.title.clear();
    flat.title.resize(title_at as usize, 0);
    for (id, doc) in docs.iter().enumerate() {
        doc.each(|t| {
            let next = &mut next[(t >> 1) as usize];
            if next.0 == u32::MAX {
                return;
            }
            flat.all[next.0 as usize] = id as u32;
            next.0 += 1;
            if t & 1 == 1 {
                flat.title[next.1 as usize] = id as u32;
                next.1 += 1;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::analyze::analyze;
    use super::super::doc::SearchDoc;
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    type Files = Mutex<BTreeMap<String, Vec<u8>>>;

    fn collect(files: &Files) -> impl Fn(&str, &[u8]) -> Result<()> + Sync + '_ {
        |name, bytes| {
            files.lock().unwrap().insert(name.to_string(), bytes.to_vec());
            Ok(())
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Shards written a batch at a time, however small, are those written
        /// from all postings at once, in as many shards.
        #[test]
        fn batches_write_the_shards_of_all_postings_at_once(
            texts in prop::collection::vec("([a-z]{1,3}|Zürich)( [a-z]{1,3}){0,60}", 1..300),
            limit in prop::sample::select(vec![1usize, 7, 100, 2000, usize::MAX]),
        ) {
            let table = TermTable::default();
            let docs: Vec<Box<[u32]>> = texts
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let title = if i % 3 == 0 { &text[..text.len().min(5)] } else { "" };
                    let doc = SearchDoc { title, text, ..SearchDoc::default() };
                    let mut terms = analyze(&table, &doc);
                    terms.sort_unstable();
                    terms.into()
                })
                .collect();
            let (whole, batched) = (Files::default(), Files::default());
            let mut bits = 0;
            let hashes = Shards::new(&table, &docs).emit(&collect(&whole), &mut bits).unwrap();
            let (batched_hashes, batched_bits) =
                emit_shards(&table, &docs, limit, &collect(&batched)).unwrap();
            prop_assert_eq!(batched_bits, bits);
            prop_assert_eq!(batched_hashes, hashes);
            prop_assert_eq!(batched.into_inner().unwrap(), whole.into_inner().unwrap());
        }
    }
}
