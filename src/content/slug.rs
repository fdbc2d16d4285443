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
    fn transliterates_other_scripts() {
        assert_eq!(slugify("Ελλάδα"), "ellada");
        assert_eq!(slugify("Café Zürich"), "cafe-zurich");
        assert_eq!(slugify("!!!"), "");
    }
}
