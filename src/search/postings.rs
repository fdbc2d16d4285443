//! Term records as a shard stores them: the articles that have a term,
//! as delta-coded lists or bitmaps, whichever is smaller.

/// The articles that have a term.
#[derive(Debug, Default, Clone)]
pub(super) struct Postings {
    /// In the title (sorted).
    pub(super) title: Vec<u32>,
    /// Anywhere (sorted).
    pub(super) all: Vec<u32>,
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

/// The bitmap form of a sorted list, as (first byte's number, bytes), when
/// it is smaller than the deltas.
fn bitmap_form(ids: &[u32]) -> Option<(u32, usize)> {
    let (&first, &last) = (ids.first()?, ids.last()?);
    let bytes = (last / 8 - first / 8 + 1) as usize;
    // A delta takes one to five bytes: their exact length only when it decides.
    let smaller = bytes < ids.len() || (bytes < 5 * ids.len() && bytes < deltas_len(ids));
    smaller.then_some((first / 8, bytes))
}

/// A list of article ids: `count`, then `0` and the ids as deltas, or `1`,
/// the first byte's number, the byte count and a bitmap (bit `i` of byte `j`
/// is article `8 * (first + j) + i`), whichever is smaller.
pub(super) fn push_list(out: &mut Vec<u8>, ids: &[u32]) {
    push_varint(out, ids.len() as u64);
    if ids.is_empty() {
        return;
    }
    if let Some((first_byte, bytes)) = bitmap_form(ids) {
        out.push(1);
        push_varint(out, u64::from(first_byte));
        push_varint(out, bytes as u64);
        let start = out.len();
        out.resize(start + bytes, 0);
        for &id in ids {
            out[start + (id / 8 - first_byte) as usize] |= 1 << (id % 8);
        }
    } else {
        out.push(0);
        push_deltas(out, ids);
    }
}

pub(super) fn list_len(ids: &[u32]) -> usize {
    let form = match (ids.is_empty(), bitmap_form(ids)) {
        (true, _) => 0,
        (false, Some((first_byte, bytes))) => {
            1 + varint_len(u64::from(first_byte)) + varint_len(bytes as u64) + bytes
        }
        (false, None) => 1 + deltas_len(ids),
    };
    varint_len(ids.len() as u64) + form
}

/// The size of a term's record (see [`push_record`]).
pub(super) fn record_len(word: &str, (title, all): (&[u32], &[u32])) -> usize {
    let payload = varint_len(title.len() as u64) + deltas_len(title) + list_len(all);
    varint_len(word.len() as u64) + word.len() + varint_len(payload as u64) + payload
}

/// A term's record: the word, the payload's length, and the payload: the
/// title list as a count and deltas, then the list of every article with it.
pub(super) fn push_record(
    out: &mut Vec<u8>,
    word: &str,
    (title, all): (&[u32], &[u32]),
    payload: &mut Vec<u8>,
) {
    payload.clear();
    push_varint(payload, title.len() as u64);
    push_deltas(payload, title);
    push_list(payload, all);
    push_varint(out, word.len() as u64);
    out.extend_from_slice(word.as_bytes());
    push_varint(out, payload.len() as u64);
    out.extend_from_slice(payload);
}

/// The varint at `*at` in `bytes`, moving `at` past it; `None` past the end.
pub(super) fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let (mut value, mut shift) = (0u64, 0);
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift.min(63);
        shift += 7;
        if byte < 0x80 {
            return Some(value);
        }
    }
}

/// `count` ids written as deltas (see [`push_deltas`]).
fn read_deltas(bytes: &[u8], at: &mut usize, count: usize, ids: &mut Vec<u32>) -> Option<()> {
    let mut previous = 0u32;
    for i in 0..count {
        let delta = read_varint(bytes, at)? as u32;
        previous = if i == 0 { delta } else { previous.wrapping_add(delta) };
        ids.push(previous);
    }
    Some(())
}

/// A list written by [`push_list`].
fn read_list(bytes: &[u8], at: &mut usize) -> Option<Vec<u32>> {
    let count = read_varint(bytes, at)? as usize;
    let mut ids = Vec::with_capacity(count.min(bytes.len() * 8));
    if count == 0 {
        return Some(ids);
    }
    match read_varint(bytes, at)? {
        0 => read_deltas(bytes, at, count, &mut ids)?,
        _ => {
            let first = read_varint(bytes, at)? as u32;
            let size = read_varint(bytes, at)? as usize;
            let bitmap = bytes.get(*at..at.checked_add(size)?)?;
            *at += size;
            for (j, &byte) in bitmap.iter().enumerate() {
                for bit in 0..8 {
                    if byte & (1 << bit) != 0 {
                        ids.push((first + j as u32) * 8 + bit);
                    }
                }
            }
        }
    }
    Some(ids)
}

/// The postings in a record's payload (see [`push_record`]).
pub(super) fn read_payload(payload: &[u8]) -> Option<Postings> {
    let mut at = 0;
    let count = read_varint(payload, &mut at)? as usize;
    let mut title = Vec::with_capacity(count.min(payload.len()));
    read_deltas(payload, &mut at, count, &mut title)?;
    let all = read_list(payload, &mut at)?;
    Some(Postings { title, all })
}

/// One record of a shard: its word, its payload, and all its bytes.
pub(super) struct Record<'a> {
    pub(super) word: &'a str,
    pub(super) payload: &'a [u8],
    pub(super) bytes: &'a [u8],
}

/// The records of a shard, in order; `Err` at bytes that are not one.
pub(super) fn records(shard: &[u8]) -> impl Iterator<Item = Result<Record<'_>, ()>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= shard.len() {
            return None;
        }
        let start = at;
        let record = (|| {
            let len = read_varint(shard, &mut at)? as usize;
            let word = std::str::from_utf8(shard.get(at..at.checked_add(len)?)?).ok()?;
            at += len;
            let len = read_varint(shard, &mut at)? as usize;
            let payload = shard.get(at..at.checked_add(len)?)?;
            at += len;
            Some(Record { word, payload, bytes: &shard[start..at] })
        })();
        if record.is_none() {
            at = shard.len();
        }
        Some(record.ok_or(()))
    })
}

/// An article's terms (`id << 1 | in title`), sorted, as deltas: a fifth
/// to a half of their size as `u32`s.
pub(super) fn pack_terms(sorted: &[u32]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(sorted.len() * 2);
    push_deltas(&mut out, sorted);
    out.into_boxed_slice()
}

/// The terms [`pack_terms`] packed, each given to `f`.
pub(super) fn each_packed(packed: &[u8], mut f: impl FnMut(u32)) {
    let (mut value, mut shift, mut previous, mut first) = (0u32, 0, 0u32, true);
    for &byte in packed {
        value |= u32::from(byte & 0x7f).wrapping_shl(shift);
        shift += 7;
        if byte < 0x80 {
            previous = if first { value } else { previous.wrapping_add(value) };
            first = false;
            f(previous);
            (value, shift) = (0, 0);
        }
    }
}
