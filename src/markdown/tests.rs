//! Tests of `render_markdown` on whole pages, parsed from real file text so
//! line numbers are the file's.

use super::*;
use crate::content::{Page, parse_page};
use crate::error::Location;
use std::collections::HashMap;
use std::path::Path;

const PATH: &str = "articles/2019/06/a.md";

/// A page at `content/articles/2019/06/a.md` whose front matter takes lines 1–4.
fn page(body: &str) -> Page {
    let text = format!("---\ntitle: A page\ndate: 2019-06-28\n---\n{body}");
    parse_page(Path::new("content/articles/2019/06/a.md"), PATH, &text).unwrap()
}

fn site() -> HashMap<String, String> {
    [("articles/2019/x.md", "/2019/05/x/"), ("articles/2019/06/b.md", "/2019/06/b/")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn highlighter() -> Highlighter {
    Highlighter::new("InspiredGitHub").unwrap()
}

fn render(body: &str) -> RenderedMarkdown {
    render_markdown(&page(body), &site(), &highlighter()).unwrap()
}

#[test]
fn headings_get_unique_ids_and_explicit_ids_win() {
    let out = render("# Notes\n\n## Notes\n\n## Other {#notes-1}\n\n## Notes\n");
    assert!(out.html.contains("<h1 id=\"notes\">Notes</h1>"), "{}", out.html);
    assert!(out.html.contains("<h2 id=\"notes-2\">Notes</h2>"), "{}", out.html);
    assert!(out.html.contains("<h2 id=\"notes-1\">Other</h2>"), "{}", out.html);
    assert!(out.html.contains("<h2 id=\"notes-3\">Notes</h2>"), "{}", out.html);
}

#[test]
fn toc_nests_headings_and_uses_their_visible_text() {
    let out = render("## Intro\n\n### The `main` *loop*\n\n### Exit\n\n## Summary\n");
    let ids = |entries: &[crate::render::context::TocEntry]| -> Vec<String> {
        entries.iter().map(|e| e.id.clone()).collect()
    };
    assert_eq!(ids(&out.toc), ["intro", "summary"]);
    assert_eq!(ids(&out.toc[0].children), ["the-main-loop", "exit"]);
    assert_eq!(out.toc[0].children[0].title, "The main loop");
    assert_eq!(out.toc[0].children[0].level, 3);
    assert!(out.toc[1].children.is_empty());
}

#[test]
fn summary_is_the_part_before_the_more_marker() {
    let out = render("First *para*.\n\n<!-- more -->\n\nSecond para.\n");
    let summary = out.summary_html.expect("the body has a marker");
    assert_eq!(summary, "<p>First <em>para</em>.</p>\n");
    assert!(out.html.starts_with(&summary));
    assert!(out.html.contains("<p>Second para.</p>"));

    assert_eq!(render("Only.\n\n<!--more-->\n").summary_html.as_deref(), Some("<p>Only.</p>\n"));
    assert_eq!(render("No marker.\n").summary_html, None);
    // Inside a list the marker would cut an open element in two: ignored.
    assert_eq!(render("- a\n\n  <!-- more -->\n- b\n").summary_html, None);
}

#[test]
fn page_links_resolve_with_dot_dot_and_fragments() {
    let out = render(
        "See [x](../x.md#part-2), [b](b.md), [top](#top), [web](https://e.org/a.md), \
         [mail](mailto:a@b.c), [abs](/about/).\n\n![pic](b.md)\n",
    );
    assert!(out.html.contains("<a href=\"/2019/05/x/#part-2\">x</a>"), "{}", out.html);
    assert!(out.html.contains("<a href=\"/2019/06/b/\">b</a>"), "{}", out.html);
    assert!(out.html.contains("<a href=\"#top\">"), "{}", out.html);
    assert!(out.html.contains("<a href=\"https://e.org/a.md\">"), "{}", out.html);
    assert!(out.html.contains("<a href=\"mailto:a@b.c\">"), "{}", out.html);
    assert!(out.html.contains("<a href=\"/about/\">"), "{}", out.html);
    assert!(out.html.contains("<img src=\"/2019/06/b/\" alt=\"pic\""), "{}", out.html);
}

#[test]
fn reference_links_resolve_too() {
    let out = render("See [the other][o].\n\n[o]: ../x.md\n");
    assert!(out.html.contains("<a href=\"/2019/05/x/\">the other</a>"), "{}", out.html);
}

#[test]
fn every_missing_link_is_an_error_at_the_files_line_and_column() {
    // Body line 1 is file line 5 (after the 4 front-matter lines).
    let body = "Fine [b](b.md).\n\nA é [gone](../nope.md#x) and\n> [also](c.md)\n";
    let errors = render_markdown(&page(body), &site(), &highlighter()).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].location, Some(Location { line: 7, column: 5 }));
    assert_eq!(errors[0].path, Path::new("content/articles/2019/06/a.md"));
    assert_eq!(errors[0].source_line.as_deref(), Some("A é [gone](../nope.md#x) and"));
    assert!(errors[0].message.contains("`articles/2019/nope.md`"), "{}", errors[0].message);
    assert_eq!(errors[1].location, Some(Location { line: 8, column: 3 }));
    let shown = errors[1].to_string();
    assert!(shown.starts_with("content/articles/2019/06/a.md:8:3: link to `c.md`"), "{shown}");
}

#[test]
fn code_blocks_are_highlighted_or_escaped() {
    let hl = highlighter();
    let plain = render_markdown(&page("```\na < b\n```\n\n    x <y>\n"), &site(), &hl).unwrap();
    assert!(plain.has_code);
    assert!(plain.html.contains("<pre class=\"hl-code\"><code>a &lt; b\n</code></pre>"));
    assert!(plain.html.contains("<pre class=\"hl-code\"><code>x &lt;y&gt;\n</code></pre>"));
    assert!(!hl.loaded(), "blocks without a language need no syntax set");

    let unknown = render_markdown(&page("```klingon\nqapla' <\n```\n"), &site(), &hl).unwrap();
    assert!(unknown.html.contains("<code class=\"language-klingon\">qapla&#39; &lt;\n</code>"));

    let rust = render_markdown(&page("```rust,ignore\nlet v: Vec<u8>;\n```\n"), &site(), &hl);
    let rust = rust.unwrap().html;
    assert!(rust.contains("<code class=\"language-rust\"><span class=\"hl-source hl-rust\">"));
    assert!(!rust.contains("<u8>") && rust.contains("&lt;"), "{rust}");
}

#[test]
fn syntax_set_stays_unloaded_without_code_blocks() {
    let hl = highlighter();
    let out = render_markdown(
        &page(
            "# Title\n\nText with `inline code` and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        ),
        &site(),
        &hl,
    )
    .unwrap();
    assert!(!out.has_code);
    assert!(out.html.contains("<table>"));
    assert!(!hl.loaded());
}

#[test]
fn raw_html_passes_through_and_markdown_text_is_escaped() {
    let out = render("<div class=\"note\">\nHi\n</div>\n\nA <kbd>key</kbd> & 1 < 2.\n");
    assert!(out.html.contains("<div class=\"note\">\nHi\n</div>"), "{}", out.html);
    assert!(out.html.contains("A <kbd>key</kbd> &amp; 1 &lt; 2."), "{}", out.html);
}

#[test]
fn extensions_are_enabled() {
    let out = render("~~gone~~ and a note[^1].\n\n[^1]: The note.\n");
    assert!(out.html.contains("<del>gone</del>"), "{}", out.html);
    assert!(out.html.contains("footnote-definition"), "{}", out.html);
}

#[test]
fn word_count_covers_prose_not_code_blocks() {
    let out = render(
        "# Two words\n\nThree *more*words — here.\n\n```rust\nlet not = counted;\n```\n\n\
         ![alt text hidden](x.png) `inline` counts.\n",
    );
    // "Two words" 2 + "Three morewords — here." 4 + "inline counts." 2.
    assert_eq!(out.word_count, 8);
    assert_eq!(out.reading_minutes, 1);
}

#[test]
fn reading_time_rounds_up_at_200_words_a_minute() {
    assert_eq!(render(&"word ".repeat(200)).reading_minutes, 1);
    assert_eq!(render(&"word ".repeat(201)).reading_minutes, 2);
    let empty = render("");
    assert_eq!((empty.word_count, empty.reading_minutes), (0, 1));
}

#[test]
fn word_count_handles_non_ascii_text() {
    // Curly apostrophes and accents stay inside words; the spaced dash is a word.
    let out = render("Café Zürich — don’t stop, Ελλάδα 2019.\n");
    assert_eq!(out.word_count, 7);
}

#[test]
fn words_split_by_inline_markup_count_once() {
    assert_eq!(render("**Wor**ds and (*emphasis*) here.\n").word_count, 4);
    assert_eq!(render("a`b` c\n").word_count, 2);
    // Block boundaries separate words even without a space between them.
    assert_eq!(render("| a | b |\n|---|---|\n| c | d |\n").word_count, 4);
    assert_eq!(render("one\ntwo\n").word_count, 2);
}

#[test]
fn the_lead_kept_for_term_feeds_is_the_bodys_lead() {
    // A marked summary of two paragraphs, a first paragraph, and a body
    // opening with a heading (no lead): each keeps its lead and its counts.
    for body in [
        "One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n",
        "First *paragraph*.\n\nSecond.\n",
        "## A heading\n\nText.\n",
    ] {
        let rendered = render(body);
        let lead = rendered.clone().lead_only();
        assert_eq!(lead.lead_html(), rendered.lead_html(), "{body}");
        assert_eq!(lead.word_count, rendered.word_count);
        assert!(lead.html.is_empty() && lead.text.is_empty());
    }
}
