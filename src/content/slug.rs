//! Slugs: the URL-safe names of pages and taxonomy terms.

/// Lowercase ASCII words joined by `-`. Apostrophes vanish (`Khamenei’s` →
/// `khameneis`); other scripts are transliterated (`Ελλάδα` → `ellada`), so
/// every title with a letter or digit in it yields a non-empty slug.
pub fn slugify(text: &str) -> String {
    // ASCII bytes only, so a `String` at the end.
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut pending_dash = false;
    // Byte by byte while the text is ASCII (titles mostly are), character
    // by character through the rest.
    let mut at = 0;
    let bytes = text.as_bytes();
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            push_ascii(&mut out, byte, &mut pending_dash);
            at += 1;
            continue;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        at += c.len_utf8();
        if matches!(c, '’' | '‘' | 'ʼ') {
            continue;
        }
        match deunicode::deunicode_char(c) {
            Some(ascii) => ascii.bytes().for_each(|a| push_ascii(&mut out, a, &mut pending_dash)),
            None => pending_dash = true,
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The longest path segment (a directory or file name) a build writes, in
/// bytes: file systems refuse names past 255 bytes, and an address should
/// stay something a person can read and paste.
pub const MAX_SEGMENT: usize = 200;

/// `segment` cut to at most `max` bytes: at the last `-` (a word boundary
/// in a slug) within the limit, or at the last character boundary when
/// there is none. Shorter segments come back as they are.
pub fn fit_segment(segment: &str, max: usize) -> &str {
    if segment.len() <= max {
        return segment;
    }
    let mut end = max;
    while !segment.is_char_boundary(end) {
        end -= 1;
    }
    let head = &segment[..end];
    // `end` < `segment.len()`, since the segment is longer than `max`.
    if segment.as_bytes()[end] == b'-' {
        return head;
    }
    match head.rfind('-') {
        Some(dash) if dash > 0 => &segment[..dash],
        _ => head,
    }
}

/// Adds ASCII `byte` to the slug: a letter or digit (lowercased, after a
/// dash when a separator came before it), a separator, or an apostrophe
/// (nothing). Inlined: it runs for every byte of every title.
#[inline(always)]
fn push_ascii(out: &mut Vec<u8>, byte: u8, pending_dash: &mut bool) {
    if byte.is_ascii_alphanumeric() {
        if *pending_dash && !out.is_empty() {
            out.push(b'-');
        }
        *pending_dash = false;
        out.push(byte.to_ascii_lowercase());
    } else if byte != b'\'' {
        *pending_dash = true;
    }
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn drops_apostrophes_and_punctuation() {
        assert_eq!(slugify("Khamenei’s calculations"), "khameneis-calculations");
        assert_eq!(slugify("Essay: Anti-Zionism unleashed"), "essay-anti-zionism-unleashed");
        assert_eq!(
            slugify("  Deconstruction Zone: Israel and the “Forever War” "),
            "deconstruction-zone-israel-and-the-forever-war"
        );
    }

    #[test]
    fn long_segments_are_cut_at_a_word_boundary() {
        use super::fit_segment;
        assert_eq!(fit_segment("short-one", 200), "short-one");
        assert_eq!(fit_segment("harbour-lights-at-night", 16), "harbour-lights");
        assert_eq!(fit_segment("harbour-lights-at-night", 14), "harbour-lights");
        assert_eq!(fit_segment("harbourlightsatnight", 7), "harbour");
        // Never inside a character: `é` is two bytes.
        assert_eq!(fit_segment("cafébar", 4), "caf");
        let long = "word-".repeat(300);
        let cut = fit_segment(&long, 200);
        assert!(cut.len() <= 200 && cut.ends_with("word"), "{cut}");
    }

    proptest::proptest! {
        /// ASCII text: its letters and digits, lowercased, in runs joined by
        /// `-`, the runs split at every other character but `'`.
        #[test]
        fn ascii_text_is_its_words_lowercased_and_joined(text in "[ -~]{0,60}") {
            let words: Vec<String> = text
                .replace('\'', "")
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|word| !word.is_empty())
                .map(str::to_ascii_lowercase)
                .collect();
            proptest::prop_assert_eq!(slugify(&text), words.join("-"));
        }

        /// Any text: a slug of lowercase ASCII words joined by single dashes.
        #[test]
        fn any_text_gives_lowercase_ascii_words(text in "\\PC{0,40}") {
            let slug = slugify(&text);
            let shape = slug.split('-').all(|word| {
                !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            proptest::prop_assert!(slug.is_empty() || shape, "{:?} -> {:?}", text, slug);
        }
    }

    #[test]
    fn transliterates_other_scripts() {
        assert_eq!(slugify("Ελλάδα"), "ellada");
        assert_eq!(slugify("Café Zürich"), "cafe-zurich");
        assert_eq!(slugify("!!!"), "");
    }
}
