//! Slugs: the URL-safe names of pages and taxonomy terms.

/// Lowercase ASCII words joined by `-`. Apostrophes vanish (`Khamenei’s` →
/// `khameneis`); other scripts are transliterated (`Ελλάδα` → `ellada`), so
/// every title with a letter or digit in it yields a non-empty slug.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if matches!(c, '\'' | '’' | '‘' | 'ʼ') {
            continue;
        }
        if c.is_ascii() {
            push_ascii(&mut out, c, &mut pending_dash);
        } else if let Some(ascii) = deunicode::deunicode_char(c) {
            for a in ascii.chars() {
                push_ascii(&mut out, a, &mut pending_dash);
            }
        } else {
            pending_dash = true;
        }
    }
    out
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

fn push_ascii(out: &mut String, c: char, pending_dash: &mut bool) {
    if c.is_ascii_alphanumeric() {
        if *pending_dash && !out.is_empty() {
            out.push('-');
        }
        *pending_dash = false;
        out.push(c.to_ascii_lowercase());
    } else if c != '\'' {
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

    #[test]
    fn transliterates_other_scripts() {
        assert_eq!(slugify("Ελλάδα"), "ellada");
        assert_eq!(slugify("Café Zürich"), "cafe-zurich");
        assert_eq!(slugify("!!!"), "");
    }
}
