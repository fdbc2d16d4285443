//! Term records as a shard stores them: the articles that have a term,
//! as delta-coded lists or bitmaps, whichever is smaller.

use super::analyze::TermMap;

/// The articles that have a term.
#[derive(Debug, Default, Clone)]
pub(super) struct Postings {
    pub(super) hash: u32,
    /// In the title (sorted).
    pub(super) title: Vec<u32>,
    /// Anywhere (sorted).
    pub(super) all: Vec<u32>,
}

/// The terms whose hash falls in one bucket.
pub(super) struct Bucket {
    pub(super) terms: TermMap<Postings>,
    pub(super) encoded_bytes: usize,
}

impl Bucket {
    pub(super) fn from_pending(pending: TermMap<Vec<u32>>) -> Bucket {
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

pub(super) fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

pub(super) fn varint_len(value: u64) -> usize {
    (64 - (value | 1).leading_zeros() as usize).div_ceil(7)
}

pub(super) fn deltas_len(ids: &[u32]) -> usize {
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

pub(super) fn push_deltas(out: &mut Vec<u8>, ids: &[u32]) {
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
pub(super) fn push_list(out: &mut Vec<u8>, ids: &[u32]) {
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

pub(super) fn list_len(ids: &[u32]) -> usize {
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else { return 1 };
    let bitmap = (last / 8 - first / 8 + 1) as usize;
    let deltas = deltas_len(ids);
    varint_len(ids.len() as u64) + 1 + if bitmap < deltas { bitmap + 8 } else { deltas }
}

/// A rough size of a term's record, for choosing the number of shards.
pub(super) fn record_len(word: &str, p: &Postings) -> usize {
    word.len() + 4 + varint_len(p.title.len() as u64) + deltas_len(&p.title) + list_len(&p.all)
}

/// A term's record: the word, the payload's length, and the payload: the
/// title list as a count and deltas, then the list of every article with it.
pub(super) fn push_record(out: &mut Vec<u8>, word: &str, p: &Postings, payload: &mut Vec<u8>) {
    payload.clear();
    push_varint(payload, p.title.len() as u64);
    push_deltas(payload, &p.title);
    push_list(payload, &p.all);
    push_varint(out, word.len() as u64);
    out.extend_from_slice(word.as_bytes());
    push_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}
