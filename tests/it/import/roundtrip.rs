//! Text survives import exactly: generated lines go through the importer,
//! the Markdown file and pulldown-cmark and come back as the same visible
//! text; pages assembled from random lines never make the parser panic.

use super::visible_paragraphs;
use galley::content::FrontMatter;
use galley::import::{Importer, SavedTextImporter, escape::escape_paragraph, write::render_file};
use proptest::prelude::*;
use pulldown_cmark::{Options, Parser};
use std::path::Path;

/// Pieces that mean something in Markdown, mixed with ordinary prose.
fn tricky_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "1973.",
            "1)",
            "#",
            "# ",
            "##",
            ">",
            "> ",
            "-",
            "- ",
            "+",
            "+ ",
            "*",
            "**",
            "_",
            "__",
            "`",
            "```",
            "~",
            "~~",
            "~~~",
            "---",
            "***",
            "===",
            "|",
            "| a | b |",
            "|---|",
            "<script>",
            "</script>",
            "<div>",
            "<!--",
            "-->",
            "<http://a.example>",
            "http://b.example/x_y",
            "&amp;",
            "&copy;",
            "&#169;",
            "&#x41;",
            "& ",
            "[x](y)",
            "![a](b)",
            "[^1]",
            "[^1]:",
            "[x]: /url",
            "[[wiki]]",
            "\\",
            "\\*",
            "$x$",
            "$$",
            "^",
            "^2^",
            ":",
            ": def",
            "{#id}",
            "Khamenei’s",
            "“poison”",
            "–",
            "—",
            "…",
            "Ελλάδα",
            "שלום",
            "日本語",
            "«ζει»",
            "  ",
            "[ ]",
            "[x]",
            "> [!NOTE]",
            "    ",
            "\t",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9 .,;:!?'\"()-]{0,12}",
        "[ -~]{0,10}",
    ]
}

fn tricky_line() -> impl Strategy<Value = String> {
    prop::collection::vec((tricky_piece(), prop::bool::ANY), 1..8).prop_map(|pieces| {
        let mut line = String::new();
        for (piece, spaced) in pieces {
            line.push_str(&piece);
            if spaced {
                line.push(' ');
            }
        }
        line
    })
}

/// What the importer keeps of a line: odd spaces as one space, trimmed.
fn normalised(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn markdown_extensions() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_WIKILINKS
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// import → Markdown file → pulldown-cmark → the same visible text.
    #[test]
    fn body_text_survives_import_and_markdown(line in tricky_line()) {
        let expected = normalised(&line);
        prop_assume!(!expected.is_empty());
        // Lines the page shape gives a meaning of its own are not body text.
        prop_assume!(!expected.to_ascii_lowercase().starts_with("tags"));
        let page = format!(
            "The Harbour Review\n\nA title\n\nMay 2, 2022 | Ana Lima\n\nFirst paragraph.\n\n{line}\n\nLast paragraph.\n\nTags: x\n"
        );
        let article = SavedTextImporter::default().parse(Path::new("p.txt"), &page).unwrap();
        prop_assert_eq!(&article.body, &vec!["First paragraph.".to_string(), expected.clone(), "Last paragraph.".to_string()]);
        let file = render_file(&article.front_matter, &article.body);
        let body = &file[file.find("\n---\n").unwrap() + 5..];
        prop_assert_eq!(visible_paragraphs(body, Options::empty()), article.body.clone());
        prop_assert_eq!(visible_paragraphs(body, markdown_extensions()), article.body);
    }

    /// Escaping alone, leading and trailing spaces included.
    #[test]
    fn escaped_text_renders_as_itself(line in tricky_line()) {
        prop_assume!(!line.trim().is_empty());
        let markdown = escape_paragraph(&line);
        prop_assert_eq!(visible_paragraphs(&markdown, Options::empty()), vec![line.clone()]);
        prop_assert_eq!(visible_paragraphs(&markdown, markdown_extensions()), vec![line]);
    }
}

#[test]
fn issue_examples_render_back_exactly() {
    for line in [
        "1973. The war began.",
        "# not a heading",
        "> not a quote",
        "- not a list",
        "---",
        "| not | a table |",
        "<script>alert(1)</script>",
        "a *star* and _under_ and `ticks`",
        "[x](y)",
        "&amp; stays &amp;",
    ] {
        let markdown = escape_paragraph(line);
        assert_eq!(visible_paragraphs(&markdown, Options::empty()), [line], "{markdown}");
        let html = {
            let mut out = String::new();
            pulldown_cmark::html::push_html(&mut out, Parser::new(&markdown));
            out
        };
        assert!(
            !html.contains("<script>") && !html.contains("<h1>") && !html.contains("<li>"),
            "{html}"
        );
    }
}

/// Lines of the kinds saved pages hold, for pages assembled at random.
fn page_line() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "The Harbour Review",
            "UPDATES",
            "A headline",
            "Jun 28, 2019 | Ana Lima",
            "28 June 2019",
            "Feb 30, 2019 | X",
            "| Culture, Media",
            "Tags: ,",
            "Tags: a, b",
            "Tags",
            "Image: Shutterstock",
            "A caption (Image: Jo Bloggs)",
            "By Ana Lima",
            "Yours sincerely,",
            "© Someone 2020",
            "Ana Lima, a writer, lives in Porto and writes about the harbour every week.",
            "",
            "   ",
            "\u{a0}",
            "A body paragraph that ends.",
            "- a bullet",
            "1973. A year",
            "<!DOCTYPE html>",
            "\u{feff}",
            "\r",
        ])
        .prop_map(str::to_string),
        any::<String>().prop_map(|s| s.replace('\n', " ")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Any text gives an article or an error naming a line; never a panic.
    /// An article always has a body and its file loads back.
    #[test]
    fn parser_never_panics(lines in prop::collection::vec(page_line(), 0..24)) {
        let text = lines.join("\n");
        let registry = galley::import::Registry::with_builtin(&Default::default());
        match registry.parse_bytes(Path::new("p.txt"), text.as_bytes()) {
            Ok(article) => {
                prop_assert!(!article.body.is_empty());
                let file = render_file(&article.front_matter, &article.body);
                let rest = file.strip_prefix("---\n").unwrap();
                let end = rest.find("\n---\n").unwrap() + 1;
                let loaded: FrontMatter = galley::yaml::parse(&rest[..end], Path::new("x.md"), 2).unwrap();
                prop_assert_eq!(loaded, article.front_matter);
            }
            Err(diagnostic) => prop_assert!(diagnostic.location.is_some_and(|l| l.line >= 1)),
        }
    }
}
