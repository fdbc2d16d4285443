//! Code highlighting with syntect, emitting CSS classes rather than inline
//! colours, so one stylesheet serves every page.
//!
//! Highlighting is the largest CPU cost of a build, so everything that can be
//! done once is: the theme is loaded at construction, the syntax set on the
//! first block that names a language (never, on a site without code), and
//! both are shared by all rayon workers.

use std::sync::OnceLock;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// Every class syntect emits gets this prefix, so highlight classes
/// (`hl-keyword`) cannot clash with a theme's own (`keyword`, `comment`).
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The class on every code block's `<pre>`; the stylesheet gives it the
/// theme's foreground and background colours.
const PRE_CLASS: &str = "hl-code";

/// Highlights fenced code blocks. `Sync + Send`: build one per build and share it.
pub struct Highlighter {
    theme: Theme,
    syntaxes: OnceLock<SyntaxSet>,
}

impl std::fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Highlighter")
            .field("theme", &self.theme.name)
            .field("loaded", &self.loaded())
            .finish()
    }
}

impl Highlighter {
    /// A highlighter for one of syntect's bundled themes (`InspiredGitHub`,
    /// `base16-ocean.dark`, …). An unknown name yields a message listing the
    /// known ones.
    pub fn new(theme_name: &str) -> Result<Highlighter, String> {
        let mut themes = ThemeSet::load_defaults().themes;
        match themes.remove(theme_name) {
            Some(theme) => Ok(Highlighter { theme, syntaxes: OnceLock::new() }),
            None => {
                let known: Vec<&str> = themes.keys().map(String::as_str).collect();
                Err(format!(
                    "unknown highlight theme `{theme_name}`; known themes: {}",
                    known.join(", ")
                ))
            }
        }
    }

    /// CSS for the classes [`highlight`](Self::highlight) emits, in the
    /// configured theme's colours.
    pub fn stylesheet(&self) -> String {
        // Writing CSS into a String cannot fail; syntect returns a Result only
        // because its formatter is generic.
        css_for_theme_with_class_style(&self.theme, CLASS_STYLE).unwrap_or_default()
    }

    /// Whether the syntax set was ever loaded (it is loaded by the first block
    /// that names a language).
    pub fn loaded(&self) -> bool {
        self.syntaxes.get().is_some()
    }

    /// `<pre class="hl-code"><code class="language-rust">…</code></pre>`, the
    /// code in `hl-*` spans when `lang` names a known syntax (`rust`, `py`,
    /// `python`, `sh`), or plain escaped text otherwise.
    pub fn highlight(&self, code: &str, lang: &str) -> String {
        let mut out = String::with_capacity(code.len() * 3 + 64);
        out.push_str("<pre class=\"");
        out.push_str(PRE_CLASS);
        out.push_str("\"><code");
        if !lang.is_empty() {
            out.push_str(" class=\"language-");
            push_escaped(&mut out, lang);
            out.push('"');
        }
        out.push('>');
        match self.find_syntax(lang).and_then(|syntax| self.classed_html(code, syntax)) {
            Some(html) => out.push_str(&html),
            None => push_escaped(&mut out, code),
        }
        out.push_str("</code></pre>\n");
        out
    }

    /// The syntax for a fence's language token, loading the syntax set on
    /// first use. `None` for no language, an unknown one, or plain text.
    fn find_syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        if lang.is_empty() {
            return None;
        }
        let syntaxes = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = syntaxes.find_syntax_by_token(lang)?;
        // Plain text through syntect would only wrap the text in a span.
        (syntax.name != "Plain Text").then_some(syntax)
    }

    /// syntect's classed HTML for `code`; `None` if syntect fails on it (a
    /// grammar error), in which case the caller falls back to plain text.
    fn classed_html(&self, code: &str, syntax: &SyntaxReference) -> Option<String> {
        let syntaxes = self.syntaxes.get()?;
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    }
}

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped, safe in element
/// content and in double-quoted attributes.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, byte) in text.bytes().enumerate() {
        let replacement = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(replacement);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter() -> Highlighter {
        Highlighter::new("InspiredGitHub").unwrap()
    }

    #[test]
    fn is_shareable_between_threads() {
        fn assert_sync_send<T: Sync + Send>() {}
        assert_sync_send::<Highlighter>();
    }

    #[test]
    fn unknown_theme_lists_the_known_ones() {
        let err = Highlighter::new("Nope").unwrap_err();
        assert!(err.contains("`Nope`"), "{err}");
        assert!(err.contains("InspiredGitHub") && err.contains("base16-ocean.dark"), "{err}");
    }

    #[test]
    fn highlights_known_languages_by_token() {
        let hl = highlighter();
        for lang in ["rust", "py", "python", "sh"] {
            let html = hl.highlight("let x = 1 # x\n", lang);
            assert!(
                html.starts_with(&format!(
                    "<pre class=\"hl-code\"><code class=\"language-{lang}\">"
                ))
            );
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
            assert!(html.ends_with("</code></pre>\n"));
        }
        let rust = hl.highlight("fn main() {}\n", "rust");
        assert!(rust.contains("hl-source hl-rust"), "{rust}");
    }

    #[test]
    fn unknown_or_missing_language_is_plain_escaped_text() {
        let hl = highlighter();
        assert_eq!(
            hl.highlight("a < b && c\n", ""),
            "<pre class=\"hl-code\"><code>a &lt; b &amp;&amp; c\n</code></pre>\n"
        );
        assert!(!hl.loaded(), "no language must not load the syntax set");
        assert_eq!(
            hl.highlight("x <y>\n", "no-such-lang"),
            "<pre class=\"hl-code\"><code class=\"language-no-such-lang\">x &lt;y&gt;\n</code></pre>\n"
        );
        assert!(hl.loaded());
    }

    #[test]
    fn escapes_angle_brackets_inside_highlighted_code() {
        let html = highlighter().highlight("let v: Vec<u8> = x < y;\n", "rust");
        assert!(!html.contains("<u8>"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
    }

    #[test]
    fn escapes_a_hostile_language_token() {
        let html = highlighter().highlight("x\n", "a\"><script>");
        assert!(html.contains("language-a&quot;&gt;&lt;script&gt;"), "{html}");
    }

    #[test]
    fn stylesheet_styles_the_emitted_classes() {
        let hl = highlighter();
        let css = hl.stylesheet();
        assert!(css.contains(".hl-code {"), "{css}");
        assert!(css.contains(".hl-comment"), "{css}");
        assert!(!hl.loaded(), "the stylesheet needs only the theme");
    }
}
