//! The lexer of a saved text page: the text split into normalised,
//! numbered lines (line ends of any kind, odd spaces collapsed, blank lines
//! counted), ready for the parser to classify.

use std::borrow::Cow;

/// One non-blank line, normalised, with where it was.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// The text: NBSP and other spaces as one space, trimmed.
    pub text: Cow<'a, str>,
    /// 1-based line number in the file.
    pub number: usize,
    /// How many blank lines came right before it.
    pub blanks_before: usize,
}

/// Whether the text is an HTML or XML document rather than saved text.
pub fn looks_like_markup(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let head = head.get(..head.len().min(512)).unwrap_or(head).to_ascii_lowercase();
    head.starts_with("<!doctype") || head.starts_with("<html") || head.starts_with("<?xml")
}

/// Splits text into normalised non-blank lines. Lines end at LF, CRLF or a
/// lone CR (old Mac dumps), each counted as one line.
pub(crate) fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(text.len() / 200 + 8);
    let mut blanks = 0;
    let mut push = |index: usize, raw| {
        let normalised = normalise(raw);
        if normalised.is_empty() {
            blanks += 1;
            return;
        }
        lines.push(Line { text: normalised, number: index + 1, blanks_before: blanks });
        blanks = 0;
    };
    let bytes = text.as_bytes();
    let lone_cr = memchr_cr(bytes)
        && bytes.iter().enumerate().any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    if lone_cr {
        for (index, raw) in split_any_line_end(text).into_iter().enumerate() {
            push(index, raw);
        }
    } else {
        // CRLF needs nothing more: `normalise` drops the CR.
        for (index, raw) in text.split('\n').enumerate() {
            push(index, raw);
        }
    }
    lines
}

/// Whether there is a CR at all (the common case, none, is answered by a
/// fast search).
fn memchr_cr(bytes: &[u8]) -> bool {
    bytes.contains(&b'\r')
}

/// The lines of text whose line ends may be LF, CRLF or CR, mixed.
fn split_any_line_end(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                pieces.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    pieces.push(&text[start..]);
    pieces
}

/// NBSP, tabs and other spaces become one ASCII space; the line is trimmed;
/// zero-width spaces and stray byte-order marks are dropped. Works on bytes:
/// this runs on every line of every page.
pub fn normalise(raw: &str) -> Cow<'_, str> {
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    let bytes = raw.as_bytes();
    if is_clean(bytes) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        if let Some((len, is_space)) = space_at(bytes, i) {
            // A zero-width character joins the words around it.
            pending_space |= is_space && !out.is_empty();
            i += len;
            continue;
        }
        // Copy the run up to the next byte that may start a space.
        let run_end = bytes[i + 1..]
            .iter()
            .position(|&b| MAY_START_SPACE[usize::from(b)])
            .map_or(bytes.len(), |p| i + 1 + p);
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push_str(&raw[i..run_end]);
        i = run_end;
    }
    Cow::Owned(out)
}

/// Bytes that can start a whitespace or zero-width character in UTF-8.
const MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let starts = [b' ', 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF];
    let mut i = 0;
    while i < starts.len() {
        table[starts[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether a line needs no normalising: single ASCII spaces between words only.
fn is_clean(bytes: &[u8]) -> bool {
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut previous_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b' ' {
            if previous_space {
                return false;
            }
            previous_space = true;
            continue;
        }
        previous_space = false;
        if matches!(b, 0x09..=0x0D | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
            && space_at(bytes, i).is_some()
        {
            return false;
        }
    }
    true
}

/// The whitespace (or zero-width) character starting at byte `i`, as (length
/// in bytes, whether it is a space rather than a zero-width character).
fn space_at(bytes: &[u8], i: usize) -> Option<(usize, bool)> {
    let next = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b' ' | 0x09..=0x0D => Some((1, true)),
        0xC2 if matches!(next(1), 0x85 | 0xA0) => Some((2, true)),
        0xE1 if next(1) == 0x9A && next(2) == 0x80 => Some((3, true)),
        0xE2 if next(1) == 0x80 => match next(2) {
            0x80..=0x8A | 0xA8 | 0xA9 | 0xAF => Some((3, true)),
            0x8B => Some((3, false)),
            _ => None,
        },
        0xE2 if next(1) == 0x81 && next(2) == 0x9F => Some((3, true)),
        0xE3 if next(1) == 0x80 && next(2) == 0x80 => Some((3, true)),
        0xEF if next(1) == 0xBB && next(2) == 0xBF => Some((3, false)),
        _ => None,
    }
}
