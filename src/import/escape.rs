//! Markdown escaping of plain text, so that a rendered paragraph shows exactly
//! the text of the saved page.
//!
//! Escaping is minimal where it can be, so imported files stay readable by
//! hand: characters that open inline syntax anywhere (`\`, `` ` ``, `*`, `_`,
//! `[`, `]`, `<`, `~`, `|`, `$`, `^`, an `&` that would start an entity) are
//! always escaped; characters that matter only at the start of a line (`#`,
//! `>`, `-`, `+`, `=`, `:`, `1973.`, `1)`) are escaped there. `~`, `|`, `$`,
//! `^` and a leading `:` are escaped because pulldown-cmark's extensions
//! (strikethrough, tables, math, superscript, definition lists) would read
//! them. Leading and trailing spaces, which Markdown strips, are written as
//! character references. Smart punctuation is the one extension this does
//! not defend against: a renderer with it enabled would curl straight quotes.

/// Escapes one paragraph of plain text (no line breaks) as Markdown.
pub fn escape_paragraph(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 8);
    let body = text.trim_start_matches([' ', '\t']);
    for c in text[..text.len() - body.len()].chars() {
        out.push_str(if c == '\t' { "&#9;" } else { "&#32;" });
    }
    let trimmed = body.trim_end_matches([' ', '\t']);
    let trailing = &body[trimmed.len()..];
    escape_line_start(trimmed, &mut out);
    for c in trailing.chars() {
        out.push_str(if c == '\t' { "&#9;" } else { "&#32;" });
    }
    out
}

/// Handles what only matters at the start of a line, then the rest.
fn escape_line_start(text: &str, out: &mut String) {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')')) {
        // `1973.` or `1)` would start an ordered list.
        out.push_str(&text[..digits]);
        out.push('\\');
        escape_inline(&text[digits..], out);
        return;
    }
    if let Some(first) = text.chars().next() {
        if matches!(first, '#' | '>' | '-' | '+' | '=' | ':') {
            out.push('\\');
            out.push(first);
            escape_inline(&text[1..], out);
            return;
        }
    }
    escape_inline(text, out);
}

/// Bytes that open inline syntax anywhere; `&` is checked further.
const INLINE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let special = b"\\`*_[]<~|$^&";
    let mut i = 0;
    while i < special.len() {
        table[special[i] as usize] = true;
        i += 1;
    }
    table
};

/// Escapes characters that open inline syntax anywhere in a line.
pub(crate) fn escape_inline(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !INLINE_SPECIAL[usize::from(b)] {
            continue;
        }
        // `![` needs no escape of its own: the `[` is escaped.
        if b == b'&' && !starts_entity(&bytes[i + 1..]) {
            continue;
        }
        out.push_str(&text[copied..i]);
        out.push('\\');
        copied = i;
    }
    out.push_str(&text[copied..]);
}

/// Whether the text after an `&` would make it an entity (`&amp;`, `&#38;`).
fn starts_entity(rest: &[u8]) -> bool {
    let name_len = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'#').count();
    name_len > 0 && rest.get(name_len) == Some(&b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_line_starts() {
        assert_eq!(escape_paragraph("1973. The war"), "1973\\. The war");
        assert_eq!(escape_paragraph("1) first"), "1\\) first");
        assert_eq!(escape_paragraph("# not a heading"), "\\# not a heading");
        assert_eq!(escape_paragraph("> not a quote"), "\\> not a quote");
        assert_eq!(escape_paragraph("- not a list"), "\\- not a list");
        assert_eq!(escape_paragraph("---"), "\\---");
        assert_eq!(escape_paragraph("| a | b |"), "\\| a \\| b \\|");
    }

    #[test]
    fn escapes_inline_syntax_and_entities() {
        assert_eq!(escape_paragraph("<script>x</script>"), "\\<script>x\\</script>");
        assert_eq!(escape_paragraph("a *b* _c_ `d`"), "a \\*b\\* \\_c\\_ \\`d\\`");
        assert_eq!(escape_paragraph("[x](y)"), "\\[x\\](y)");
        assert_eq!(escape_paragraph("&amp; & AT&T"), "\\&amp; & AT&T");
    }

    #[test]
    fn leaves_ordinary_prose_alone() {
        let prose = "Iran’s “prudent resistance” – 40 years, US-led, 2021.";
        assert_eq!(escape_paragraph(prose), prose);
    }

    #[test]
    fn leading_spaces_become_references() {
        assert_eq!(escape_paragraph("    code?"), "&#32;&#32;&#32;&#32;code?");
    }
}
