//! Words as search sees them: how text is split into words and each word
//! normalised. The theme's `search.js` does exactly the same to a query and to
//! the text it shows, so a word typed in the browser finds the word indexed
//! here; a test checks the two carry the same folding table.
//!
//! A word is a run of letters and digits (any script), combining marks and
//! joiners, with apostrophes inside it (`don’t`); a final `’s` is dropped
//! (`Khamenei’s` is `khamenei`). Its
//! normal form is lowercase, without diacritics in the Latin, Greek and
//! Cyrillic alphabets (`Zürich` → `zurich`, `ά` → `α`), without
//! apostrophes, vowel points (Hebrew, Arabic) or joiners, and, for a plain
//! ASCII word of more than three letters, without a simple English plural
//! ending (`policies` → `policy`, `churches` → `church`, `words` →
//! `word`). Other scripts keep their letters:
//! nothing is transliterated, so Hebrew, Arabic or Greek words match as words.

use std::sync::OnceLock;

/// Letters folded to others, as `"ßss àa áa …"`: each entry is a letter
/// followed by what it becomes. Made by `scripts/gen-search-fold.py`; the same
/// string is in the theme's `search.js`.
pub const FOLD_TABLE: &str = "ßss àa áa âa ãa äa åa æae çc èe ée êe ëe ìi íi îi ïi ðd ñn òo óo ôo õo öo øo ùu úu ûu üu ýy þth ÿy āa ăa ąa ćc ĉc ċc čc ďd đd ēe ĕe ėe ęe ěe ĝg ğg ġg ģg ĥh ħh ĩi īi ĭi įi ıi ĵj ķk ĺl ļl ľl ŀl łl ńn ņn ňn ōo ŏo őo œoe ŕr ŗr řr śs ŝs şs šs ţt ťt ŧt ũu ūu ŭu ůu űu ųu ŵw ŷy źz żz žz ƀb ơo ưu ǎa ǐi ǒo ǔu ǖu ǘu ǚu ǜu ǟa ǡa ǣae ǧg ǩk ǫo ǭo ǯʒ ǰj ǵg ǹn ǻa ǽae ǿo ȁa ȃa ȅe ȇe ȉi ȋi ȍo ȏo ȑr ȓr ȕu ȗu șs țt ȟh ȧa ȩe ȫo ȭo ȯo ȱo ȳy ɨi ΐι άα έε ήη ίι ΰυ ςσ ϊι ϋυ όο ύυ ώω йи ѐе ёе ѓг їі ќк ѝи ўу ѷѵ ӂж ӑа ӓа ӗе ӛә ӝж ӟз ӣи ӥи ӧо ӫө ӭэ ӯу ӱу ӳу ӵч ӹы ḁa ḃb ḅb ḇb ḉc ḋd ḍd ḏd ḑd ḓd ḕe ḗe ḙe ḛe ḝe ḟf ḡg ḣh ḥh ḧh ḩh ḫh ḭi ḯi ḱk ḳk ḵk ḷl ḹl ḻl ḽl ḿm ṁm ṃm ṅn ṇn ṉn ṋn ṍo ṏo ṑo ṓo ṕp ṗp ṙr ṛr ṝr ṟr ṡs ṣs ṥs ṧs ṩs ṫt ṭt ṯt ṱt ṳu ṵu ṷu ṹu ṻu ṽv ṿv ẁw ẃw ẅw ẇw ẉw ẋx ẍx ẏy ẑz ẓz ẕz ẖh ẗt ẘw ẙy ẛſ ạa ảa ấa ầa ẩa ẫa ậa ắa ằa ẳa ẵa ặa ẹe ẻe ẽe ếe ềe ểe ễe ệe ỉi ịi ọo ỏo ốo ồo ổo ỗo ộo ớo ờo ởo ỡo ợo ụu ủu ứu ừu ửu ữu ựu ỳy ỵy ỷy ỹy ἀα ἁα ἂα ἃα ἄα ἅα ἆα ἇα ἐε ἑε ἒε ἓε ἔε ἕε ἠη ἡη ἢη ἣη ἤη ἥη ἦη ἧη ἰι ἱι ἲι ἳι ἴι ἵι ἶι ἷι ὀο ὁο ὂο ὃο ὄο ὅο ὐυ ὑυ ὒυ ὓυ ὔυ ὕυ ὖυ ὗυ ὠω ὡω ὢω ὣω ὤω ὥω ὦω ὧω ὰα άα ὲε έε ὴη ήη ὶι ίι ὸο όο ὺυ ύυ ὼω ώω ᾀα ᾁα ᾂα ᾃα ᾄα ᾅα ᾆα ᾇα ᾐη ᾑη ᾒη ᾓη ᾔη ᾕη ᾖη ᾗη ᾠω ᾡω ᾢω ᾣω ᾤω ᾥω ᾦω ᾧω ᾰα ᾱα ᾲα ᾳα ᾴα ᾶα ᾷα ιι ῂη ῃη ῄη ῆη ῇη ῐι ῑι ῒι ΐι ῖι ῗι ῠυ ῡυ ῢυ ΰυ ῤρ ῥρ ῦυ ῧυ ῲω ῳω ῴω ῶω ῷω";

/// Normal forms longer than this many bytes are not indexed (nor looked up).
pub const MAX_WORD_BYTES: usize = 64;

fn fold_table() -> &'static [(char, &'static str)] {
    static TABLE: OnceLock<Vec<(char, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(char, &'static str)> = FOLD_TABLE
            .split(' ')
            .filter_map(|entry| {
                let mut chars = entry.chars();
                let letter = chars.next()?;
                Some((letter, chars.as_str()))
            })
            .collect();
        table.sort_unstable_by_key(|&(letter, _)| letter);
        table
    })
}

/// Marks and joiners dropped from a word (they still hold it together).
fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36f}'        // combining diacritical marks
        | '\u{591}'..='\u{5bd}' | '\u{5bf}' | '\u{5c1}' | '\u{5c2}' | '\u{5c4}' | '\u{5c5}' | '\u{5c7}' // Hebrew points
        | '\u{610}'..='\u{61a}' | '\u{64b}'..='\u{65f}' | '\u{670}' | '\u{640}' // Arabic marks, tatweel
        | '\u{ad}' | '\u{200c}' | '\u{200d}') // soft hyphen, joiners
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_dropped(c)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Calls `f(normal_form, byte_range)` for each word of `text` in order;
/// words whose normal form is empty or longer than [`MAX_WORD_BYTES`] are
/// skipped. `buffer` is scratch space, reused between calls.
pub fn for_each_word(text: &str, buffer: &mut String, f: impl FnMut(&str, usize, usize)) {
    struct Each<F>(F);
    impl<F: FnMut(&str, usize, usize)> WordSink for Each<F> {
        fn word(&mut self, word: &str, start: usize, end: usize) {
            (self.0)(word, start, end);
        }
    }
    scan(text, buffer, &mut Each(f));
}

/// A plain word as written: up to 16 bytes of ASCII letters and digits, as
/// two little-endian integers padded with zeros, and its length. Equal keys,
/// equal bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct RawKey {
    pub(crate) first: u64,
    pub(crate) second: u64,
    pub(crate) len: u32,
}

impl RawKey {
    /// The key of `bytes[start..start + len]`, `len` at most 16, whatever
    /// its bytes. A sink keeps keys of plain words only, so a key equal to
    /// a kept one is of a plain word too: runs need no test of their bytes
    /// before [`WordSink::known`].
    pub(crate) fn of(bytes: &[u8], start: usize, len: usize) -> RawKey {
        let (first, second) = match bytes.get(start..start + 16) {
            Some(b) => {
                let word =
                    |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]));
                (word(0), word(8))
            }
            None => {
                // Near the end of the text: a padded copy.
                let mut padded = [0u8; 16];
                let rest = bytes.get(start..).unwrap_or_default();
                padded[..rest.len().min(16)].copy_from_slice(&rest[..rest.len().min(16)]);
                let word =
                    |at: usize| u64::from_le_bytes(padded[at..at + 8].try_into().unwrap_or([0; 8]));
                (word(0), word(8))
            }
        };
        // Keep `len` bytes, with masks looked up rather than shifted by a
        // length that may be 0 or 64.
        let (low, high) = KEEP[len.min(16)];
        RawKey { first: first & low, second: second & high, len: len as u32 }
    }
}

/// The masks that keep the first `len` bytes of two little-endian words, by `len`.
const KEEP: [(u64, u64); 17] = {
    let mut masks = [(0u64, 0u64); 17];
    let mut len = 1;
    while len <= 16 {
        masks[len] = if len <= 8 {
            (u64::MAX >> (64 - 8 * len), 0)
        } else {
            (u64::MAX, u64::MAX >> (128 - 8 * len))
        };
        len += 1;
    }
    masks
};

const HIGH: u64 = 0x8080_8080_8080_8080;

const fn repeat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// One bit for each of the eight bytes of `v` that may belong to a word:
/// ASCII letters and digits, apostrophes, and any byte of a non-ASCII
/// character. Made without branches (several bytes at once in one integer).
fn in_runs8(v: u64) -> u64 {
    let ascii = v & !HIGH;
    // The high bit of each byte (all below 0x80) that is at least `lo` and at most `hi`.
    let between =
        |x: u64, lo: u8, hi: u8| (x + repeat(0x80 - lo)) & !(x + repeat(0x7f - hi)) & HIGH;
    let letters = between(ascii | repeat(0x20), b'a', b'z');
    let digits = between(ascii, b'0', b'9');
    let apostrophes = between(ascii, b'\'', b'\'');
    let marked = letters | digits | apostrophes | (v & HIGH);
    // Gather the eight high bits into the low byte.
    ((marked >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// [`in_runs8`] for the 64 bytes at `base` (bytes past the end count as spaces).
fn in_runs(bytes: &[u8], base: usize) -> u64 {
    let chunk = |b: &[u8]| {
        let mut mask = 0u64;
        for (k, eight) in b.chunks_exact(8).enumerate() {
            let v = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
            mask |= in_runs8(v) << (8 * k);
        }
        mask
    };
    match bytes.get(base..base + 64) {
        Some(block) => chunk(block),
        None => {
            let mut padded = [b' '; 64];
            let rest = bytes.get(base..).unwrap_or_default();
            padded[..rest.len()].copy_from_slice(rest);
            chunk(&padded)
        }
    }
}

/// Receives the words of a text (see [`scan`]).
pub(crate) trait WordSink {
    /// Asked first about each run of up to 16 bytes, before normalising:
    /// `true` if the sink has seen those very bytes before as a plain word
    /// (only ASCII letters and digits) and needs nothing more.
    fn known(&mut self, _raw: RawKey) -> bool {
        false
    }
    /// A word's normal form and where it is in the text.
    fn word(&mut self, word: &str, start: usize, end: usize);
}

/// [`for_each_word`], with a chance to skip words seen before.
///
/// The text is cut into runs of bytes that may belong to words (see
/// [`in_runs8`]), found 64 bytes at a time with bit masks: a run of ASCII
/// letters and digits alone is one plain word, the commonest case by far;
/// any other run (with apostrophes, accents, other scripts, typographic
/// punctuation) is read character by character. Every byte between runs
/// ends any word, so the two readings agree.
pub(crate) fn scan(text: &str, buffer: &mut String, sink: &mut impl WordSink) {
    let bytes = text.as_bytes();
    // The start of the run being read, when it began in an earlier block.
    let mut open: Option<usize> = None;
    let mut previous = 0u64;
    for base in (0..bytes.len()).step_by(64) {
        let runs = in_runs(bytes, base);
        // A bit where a run starts or ends (the byte after its last).
        let mut edges = runs ^ (runs << 1 | previous);
        previous = runs >> 63;
        if edges == 0 {
            continue;
        }
        if let Some(start) = open.take() {
            run(text, start, base + edges.trailing_zeros() as usize, buffer, sink);
            edges &= edges - 1;
        }
        // The edges left come in pairs, start and end, but for a run that
        // goes on into the next block.
        while edges != 0 {
            let start = base + edges.trailing_zeros() as usize;
            edges &= edges - 1;
            if edges == 0 {
                open = Some(start);
                break;
            }
            run(text, start, base + edges.trailing_zeros() as usize, buffer, sink);
            edges &= edges - 1;
        }
    }
    if let Some(start) = open {
        run(text, start, bytes.len(), buffer, sink);
    }
}

/// Reads the words of one run, `text[start..end]`: a word the sink knows
/// at once, others out of line.
#[inline(always)]
fn run(text: &str, start: usize, end: usize, buffer: &mut String, sink: &mut impl WordSink) {
    let len = end - start;
    if len <= 16 {
        let key = RawKey::of(text.as_bytes(), start, len);
        if sink.known(key) {
            return;
        }
    }
    unknown_run(text, start, end, buffer, sink);
}

#[inline(never)]
fn unknown_run(
    text: &str,
    start: usize,
    end: usize,
    buffer: &mut String,
    sink: &mut impl WordSink,
) {
    if !text.as_bytes()[start..end].iter().all(u8::is_ascii_alphanumeric) {
        read_chars(text, start, end, buffer, sink);
        return;
    }
    if end - start > MAX_WORD_BYTES {
        return;
    }
    buffer.clear();
    buffer.push_str(&text[start..end]);
    buffer.make_ascii_lowercase();
    stem(buffer);
    sink.word(buffer, start, end);
}

/// Reads the words of `text[start..end]` character by character; `start` and
/// `end` are the text's ends or next to bytes that end any word.
fn read_chars(text: &str, start: usize, end: usize, buffer: &mut String, sink: &mut impl WordSink) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        // Skip to the start of a word.
        let c = char_at(text, i);
        if !is_word_char(c) {
            i += c.len_utf8();
            continue;
        }
        let word_start = i;
        buffer.clear();
        while i < end {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    buffer.push(b.to_ascii_lowercase() as char);
                    i += 1;
                    continue;
                }
                if b == b'\'' {
                    match apostrophe(text, i + 1) {
                        Apostrophe::Inside => {
                            i += 1;
                            continue;
                        }
                        Apostrophe::Possessive => i += 2,
                        Apostrophe::End => {}
                    }
                }
                break;
            }
            let c = char_at(text, i);
            if is_apostrophe(c) {
                match apostrophe(text, i + c.len_utf8()) {
                    Apostrophe::Inside => {
                        i += c.len_utf8();
                        continue;
                    }
                    Apostrophe::Possessive => i += c.len_utf8() + 1,
                    Apostrophe::End => {}
                }
                break;
            }
            if !is_word_char(c) {
                break;
            }
            push_normal(c, buffer);
            i += c.len_utf8();
        }
        if buffer.is_empty() || buffer.len() > MAX_WORD_BYTES {
            continue;
        }
        // Also a word folded to ASCII (`Zürich's`): stemmed like any ASCII word.
        stem(buffer);
        sink.word(buffer, word_start, i);
    }
}

/// The normal forms of the words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buffer = String::new();
    for_each_word(text, &mut buffer, |word, _, _| out.push(word.to_string()));
    out
}

/// What an apostrophe in a word is, given where the text after it starts.
enum Apostrophe {
    /// Inside the word (`don't`): dropped, the word goes on.
    Inside,
    /// `'s` ending the word: a possessive, dropped with the word ending there.
    Possessive,
    /// After the word: not part of it.
    End,
}

fn apostrophe(text: &str, after: usize) -> Apostrophe {
    if !next_is_word_char(text, after) {
        return Apostrophe::End;
    }
    let s = text.as_bytes().get(after).copied();
    if matches!(s, Some(b's' | b'S')) && !next_is_word_char(text, after + 1) {
        Apostrophe::Possessive
    } else {
        Apostrophe::Inside
    }
}

fn char_at(text: &str, i: usize) -> char {
    text.get(i..).and_then(|rest| rest.chars().next()).unwrap_or(' ')
}

fn next_is_word_char(text: &str, i: usize) -> bool {
    text.get(i..).and_then(|rest| rest.chars().next()).is_some_and(is_word_char)
}

/// Appends the normal form of one non-ASCII word character.
fn push_normal(c: char, buffer: &mut String) {
    let table = fold_table();
    for lower in c.to_lowercase() {
        if is_dropped(lower) {
            continue;
        }
        match table.binary_search_by_key(&lower, |&(letter, _)| letter) {
            Ok(at) => buffer.push_str(table[at].1),
            Err(_) => buffer.push(lower),
        }
    }
}

/// Drops a simple English plural ending from a lowercase ASCII word of more
/// than three letters (digits excluded).
fn stem(word: &mut String) {
    let n = word.len();
    // Every rule needs a final `s`: most words are done here.
    if n <= 3 || word.as_bytes()[n - 1] != b's' || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    if n > 4 && word.ends_with("ies") {
        word.truncate(n - 3);
        word.push('y');
    } else if ["sses", "shes", "ches", "xes", "zzes"].iter().any(|end| word.ends_with(end)) {
        word.truncate(n - 2);
    } else if ["ss", "us", "is"].iter().any(|end| word.ends_with(end)) {
    } else if word.ends_with('s') {
        word.truncate(n - 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn case_diacritics_and_plurals() {
        assert_eq!(words("Zürich ZURICH zurich"), ["zurich", "zurich", "zurich"]);
        assert_eq!(
            words("Policies, churches; words. Classes"),
            ["policy", "church", "word", "class"]
        );
        assert_eq!(words("Khamenei’s calculations don't"), ["khamenei", "calculation", "dont"]);
        assert_eq!(words("Straße Ærø Łódź"), ["strasse", "aero", "lodz"]);
        assert_eq!(words("its this was news status"), ["its", "this", "was", "new", "status"]);
    }

    #[test]
    fn decomposed_marks_join_the_word() {
        assert_eq!(words("Zu\u{308}rich"), ["zurich"]);
        assert_eq!(words("cafe\u{301}s"), ["cafe"]);
    }

    #[test]
    fn other_scripts_keep_their_letters() {
        // Hebrew with and without vowel points, Arabic with and without harakat.
        assert_eq!(words("שָׁלוֹם שלום"), ["שלום", "שלום"]);
        assert_eq!(words("مَرْحَبًا مرحبا"), ["مرحبا", "مرحبا"]);
        // Greek: accents go, final sigma is sigma, letters stay Greek.
        assert_eq!(words("Αθήνας ΑΘΗΝΑΣ αθηνας"), ["αθηνασ", "αθηνασ", "αθηνασ"]);
        assert_eq!(words("Москва ёлка"), ["москва", "елка"]);
        assert_eq!(words("東京"), ["東京"]);
    }

    #[test]
    fn separators_and_ranges() {
        let text = "  Covid-19, ‘quoted’ 1973. o'clock' ";
        let mut found = Vec::new();
        let mut buffer = String::new();
        for_each_word(text, &mut buffer, |w, s, e| found.push((w.to_string(), &text[s..e])));
        let words: Vec<&str> = found.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["covid", "19", "quoted", "1973", "oclock"]);
        assert_eq!(found[2].1, "quoted");
        assert_eq!(found[4].1, "o'clock");
    }

    #[test]
    fn table_is_sorted_and_final() {
        let table = fold_table();
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        for (_, to) in table {
            for c in to.chars() {
                assert!(table.binary_search_by_key(&c, |&(l, _)| l).is_err(), "{to} folds again");
            }
        }
    }

    #[test]
    fn theme_script_carries_the_same_table() {
        let script = include_str!("../../themes/default/static/search.js");
        assert!(script.contains(&format!("\"{FOLD_TABLE}\"")), "search.js has another table");
    }

    /// Every word [`read_chars`] finds in the whole text, with its range.
    fn read_by_chars(text: &str) -> Vec<(String, usize, usize)> {
        struct Each(Vec<(String, usize, usize)>);
        impl WordSink for Each {
            fn word(&mut self, word: &str, start: usize, end: usize) {
                self.0.push((word.to_string(), start, end));
            }
        }
        let mut each = Each(Vec::new());
        read_chars(text, 0, text.len(), &mut String::new(), &mut each);
        each.0
    }

    fn scanned(text: &str) -> Vec<(String, usize, usize)> {
        let mut found = Vec::new();
        for_each_word(text, &mut String::new(), |w, s, e| found.push((w.to_string(), s, e)));
        found
    }

    #[test]
    fn long_words_and_block_edges() {
        for text in [
            "a".repeat(63) + " " + &"b".repeat(65),
            " ".repeat(60) + "across the edge of a block" + &"c".repeat(70),
            "x".repeat(16) + " " + &"y".repeat(17) + " Zürich’s" + &" w".repeat(40),
        ] {
            assert_eq!(scanned(&text), read_by_chars(&text), "{text}");
        }
    }

    proptest! {
        #[test]
        fn runs_read_as_characters_are(
            text in "([a-zA-Z0-9]{1,20}|[ ,.;:!?()\\[\\]\"/-]{1,3}|[’'‘“”—\u{a0}éÉßΣ東\u{301}\u{200d}]){0,60}",
        ) {
            // The words found in runs, 64 bytes at a time, are the words
            // the character-by-character reading finds in the whole text.
            prop_assert_eq!(scanned(&text), read_by_chars(&text));
        }

        #[test]
        fn normal_forms_are_stable(text in "\\PC{0,80}") {
            // A normal form is its own normal form, and every word is found
            // again in the text it came from.
            let mut buffer = String::new();
            let mut seen = Vec::new();
            for_each_word(&text, &mut buffer, |w, s, e| seen.push((w.to_string(), s, e)));
            for (word, start, end) in seen {
                prop_assert!(!word.is_empty() && word.len() <= MAX_WORD_BYTES);
                prop_assert!(start < end && text.is_char_boundary(start) && text.is_char_boundary(end));
                prop_assert_eq!(words(&text[start..end]), vec![word.clone()]);
                let again = words(&word);
                prop_assert!(again.len() == 1, "{:?} -> {:?}", word, again);
            }
        }

        #[test]
        fn case_never_matters_for_ascii(text in "[a-zA-Z ]{0,40}") {
            prop_assert_eq!(words(&text), words(&text.to_lowercase()));
        }
    }
}
