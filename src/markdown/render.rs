//! One page's Markdown to HTML: a single pass over pulldown-cmark's events
//! that rewrites page links, highlights code, counts words and finds the
//! summary marker, then heading ids, then HTML.

use super::RenderedMarkdown;
use super::headings;
use super::highlight::Highlighter;
use super::links::{self, Destination, LinkResolver};
use crate::content::Page;
use crate::error::{Diagnostic, Location};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Reading speed for `reading_minutes`.
const WORDS_PER_MINUTE: usize = 200;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A fenced or indented code block being collected.
struct CodeBlock {
    lang: String,
    text: String,
}

/// Renders a page's body (empty for a page loaded without it: see
/// [`render_markdown_body`]). Links to other pages' `.md` files become their
/// URLs; every link that names no page is an error at its line and column,
/// and all of them are returned together.
///
/// Word count: words of the visible prose, including headings, inline code,
/// tables and footnotes, but not code blocks (a reader skims them) nor image
/// alt text or raw HTML (not shown as text). A word is a run of characters
/// between ASCII spaces, as `wc -w` and word processors count (a spaced `—`
/// is one; an NBSP joins, which the importer normalises away anyway).
pub fn render_markdown(
    page: &Page,
    links: &dyn LinkResolver,
    highlighter: &Highlighter,
) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
    render_markdown_body(page, page.body.as_deref().unwrap_or_default(), links, highlighter)
}

/// [`render_markdown`] of `body`, a page's body held apart from it (a one-shot
/// build frees each body once it is rendered); `page` names the file and
/// lines in errors and resolves relative links.
pub fn render_markdown_body(
    page: &Page,
    body: &str,
    links: &dyn LinkResolver,
    highlighter: &Highlighter,
) -> Result<RenderedMarkdown, Vec<Diagnostic>> {
    // Every target the body asks for is recorded: the HTML depends on where
    // those pages are, so a build must re-render this body when one moves.
    let recorder = RecordingResolver { inner: links, asked: std::sync::Mutex::new(Vec::new()) };
    let links: &dyn LinkResolver = &recorder;
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 16);
    let mut errors = Vec::new();
    // Files of content/ the body links (images saved beside the article).
    let mut files = Vec::new();
    let mut heading_starts = Vec::new();
    let mut words = WordCounter::default();
    // The visible text, for search: blocks end with a newline.
    let mut text = String::with_capacity(body.len());
    let mut code: Option<CodeBlock> = None;
    let mut has_code = false;
    let mut summary_end = None;
    // How many tags are open, and how many of them are images (whose text is alt text).
    let mut depth = 0usize;
    let mut image_depth = 0usize;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(block) = code.as_mut() {
            match event {
                Event::Text(text) => block.text.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    text.push_str(&block.text);
                    end_line(&mut text);
                    events
                        .push(Event::Html(highlighter.highlight(&block.text, &block.lang).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                has_code = true;
                words.end_word();
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => fence_language(info).to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some(CodeBlock { lang, text: String::new() });
                continue;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url =
                    rewrite_link(dest_url, range.start, page, body, links, &mut errors, &mut files);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                image_depth += 1;
                let dest_url =
                    rewrite_link(dest_url, range.start, page, body, links, &mut errors, &mut files);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::End(TagEnd::Image) => {
                image_depth = image_depth.saturating_sub(1);
                Event::End(TagEnd::Image)
            }
            Event::Html(html) => {
                // `<!-- more -->` on a line of its own at the top level (an
                // HTML block directly in the document) ends the summary.
                if summary_end.is_none()
                    && depth == 1
                    && is_more_marker(&html)
                    && matches!(events.last(), Some(Event::Start(Tag::HtmlBlock)))
                {
                    summary_end = Some(events.len() - 1);
                }
                Event::Html(html)
            }
            Event::Text(words_text) => {
                if image_depth == 0 {
                    words.add(&words_text);
                    text.push_str(&words_text);
                }
                Event::Text(words_text)
            }
            Event::Code(code_text) => {
                if image_depth == 0 {
                    words.add(&code_text);
                    text.push_str(&code_text);
                }
                Event::Code(code_text)
            }
            Event::SoftBreak | Event::HardBreak => {
                words.end_word();
                text.push(' ');
                event
            }
            other => other,
        };
        match &event {
            Event::Start(tag) => {
                if matches!(tag, Tag::Heading { .. }) {
                    heading_starts.push(events.len());
                }
                if !is_inline(tag) {
                    words.end_word();
                }
                depth += 1;
            }
            Event::End(tag) => {
                if !is_inline_end(tag) {
                    words.end_word();
                    end_line(&mut text);
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        events.push(event);
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let toc = headings::assign_ids(&mut events, &heading_starts);
    let summary_html = summary_end.map(|end| {
        let mut summary = String::with_capacity(body.len());
        html::push_html(&mut summary, events[..end].iter().cloned());
        summary
    });
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    html::push_html(&mut html, events.into_iter());
    let word_count = words.count;
    let mut link_targets =
        recorder.asked.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    link_targets.sort();
    link_targets.dedup();
    Ok(RenderedMarkdown {
        html,
        summary_html,
        toc,
        word_count,
        reading_minutes: word_count.div_ceil(WORDS_PER_MINUTE).max(1),
        has_code,
        links: link_targets,
        files: {
            files.sort();
            files.dedup();
            files
        },
        text,
    })
}

/// Ends the current line of plain text (once: blocks nest).
fn end_line(text: &mut String) {
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}

/// A resolver that remembers which content paths were asked for.
struct RecordingResolver<'a> {
    inner: &'a dyn LinkResolver,
    asked: std::sync::Mutex<Vec<String>>,
}

impl LinkResolver for RecordingResolver<'_> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(content_path.to_string());
        self.inner.resolve(content_path)
    }

    fn file_url(&self, content_path: &str) -> Option<String> {
        self.inner.file_url(content_path)
    }
}

/// The language of a fence's info string: its first word (`rust` in
/// `rust,ignore` or `rust {.numbered}`).
fn fence_language(info: &str) -> &str {
    info.split([' ', '\t', ',', '{']).next().unwrap_or("").trim()
}

/// `<!-- more -->` (any spacing, as Hugo's `<!--more-->` too).
fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

/// Tags inside a line of text: words continue across their edges (`foo*bar*`
/// is one word).
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Rewrites a page link to its URL; records an error for a link to no page.
fn rewrite_link<'a>(
    dest: CowStr<'a>,
    offset: usize,
    page: &Page,
    body: &str,
    links: &dyn LinkResolver,
    errors: &mut Vec<Diagnostic>,
    files: &mut Vec<String>,
) -> CowStr<'a> {
    match links::rewrite(&dest, &page.relative_path, links) {
        Destination::Keep => dest,
        // Published only when it is there; otherwise the link stays as
        // written, as any link to a file galley does not know.
        Destination::File { content_path, url } => {
            if content_file(page, &content_path).is_some_and(|file| file.is_file()) {
                files.push(content_path);
                url.into()
            } else {
                dest
            }
        }
        Destination::Resolved(url) => url.into(),
        Destination::Broken(message) => {
            errors.push(diagnostic_at(page, body, offset, message));
            dest
        }
    }
}

/// Where the file at `content_path` (relative to `content/`) is on disk:
/// `content/` is the page's file less its content-relative path.
fn content_file(page: &Page, content_path: &str) -> Option<std::path::PathBuf> {
    let depth = page.relative_path.split('/').count();
    let content_dir = page.file.ancestors().nth(depth)?;
    let hidden = content_path.split('/').any(|part| part.starts_with('.'));
    (!hidden && !content_path.ends_with(".md")).then(|| content_dir.join(content_path))
}

/// A diagnostic at byte `offset` of the page's body, as the file's line and
/// column, carrying that line.
fn diagnostic_at(page: &Page, body: &str, offset: usize, message: String) -> Diagnostic {
    let before = body.get(..offset).unwrap_or(body);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = page.body_first_line + before.bytes().filter(|&b| b == b'\n').count();
    let column = before[line_start..].chars().count() + 1;
    let source = body[line_start..].split('\n').next().unwrap_or("").trim_end_matches('\r');
    let mut diagnostic = Diagnostic::at(&page.file, Location { line, column }, message);
    diagnostic.source_line = Some(source.to_string());
    diagnostic
}

/// ASCII whitespace (space, tab, LF, VT, FF, CR), as a word separator.
/// Written as arithmetic with non-short-circuit `|` so the word count's loop
/// has no branch and vectorises (`matches!` compiled to branches).
#[inline]
fn is_space(byte: u8) -> bool {
    (byte == b' ') | (byte.wrapping_sub(b'\t') < 5)
}

/// Counts words across text events, so a word split by inline markup counts once.
#[derive(Default)]
struct WordCounter {
    count: usize,
    in_word: bool,
}

impl WordCounter {
    /// Counts `text`'s words: a word starts at each non-space byte that
    /// follows a space (or follows the previous text's space).
    fn add(&mut self, text: &str) {
        // One pairwise test per byte with no branch, which the compiler turns
        // into SIMD: scanning token by token mispredicted a branch at every
        // word and cost more than parsing the Markdown.
        let bytes = text.as_bytes();
        let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
            return;
        };
        // Pairs of neighbouring bytes, tested a fixed-size block at a time
        // (summed in u8 lanes, which a block cannot overflow), so each block
        // is a few SIMD steps with no bounds to work out; then the rest.
        const BLOCK: usize = 32;
        let (before, at) = (&bytes[..bytes.len() - 1], &bytes[1..]);
        let starts = |before: &[u8], at: &[u8]| -> usize {
            let block: u8 = before
                .iter()
                .zip(at)
                .map(|(&before, &at)| u8::from(is_space(before) & !is_space(at)))
                .fold(0, u8::wrapping_add);
            usize::from(block)
        };
        let (before_blocks, at_blocks) = (before.chunks_exact(BLOCK), at.chunks_exact(BLOCK));
        // The last pairs, fewer than a block, as one block padded with
        // spaces (a space starts no word).
        let (mut before_rest, mut at_rest) = ([b' '; BLOCK], [b' '; BLOCK]);
        let rest_len = at_blocks.remainder().len();
        before_rest[..rest_len].copy_from_slice(before_blocks.remainder());
        at_rest[..rest_len].copy_from_slice(at_blocks.remainder());
        let rest = starts(&before_rest, &at_rest);
        let inner_starts: usize = before_blocks
            .zip(at_blocks)
            .map(|(before, at)| {
                let (Ok(before), Ok(at)) =
                    (<&[u8; BLOCK]>::try_from(before), <&[u8; BLOCK]>::try_from(at))
                else {
                    return 0;
                };
                starts(before, at)
            })
            .sum::<usize>()
            + rest;
        self.count += inner_starts + usize::from(!self.in_word & !is_space(first));
        self.in_word = !is_space(last);
    }

    fn end_word(&mut self) {
        self.in_word = false;
    }
}

#[cfg(test)]
mod word_count_tests {
    use super::WordCounter;
    use proptest::prelude::*;

    /// Words of `text` as the counter defines them: runs between ASCII whitespace.
    fn words(text: &str) -> usize {
        text.split([' ', '\t', '\n', '\u{b}', '\u{c}', '\r']).filter(|w| !w.is_empty()).count()
    }

    proptest! {
        /// However a text is cut into events (of any length, blocks and
        /// their remainders alike), the counter counts the words of the whole.
        #[test]
        fn the_count_of_the_pieces_is_the_count_of_the_text(
            pieces in proptest::collection::vec("[ a\\t\\n\\u{b}\\u{c}\\r\\u{1}é—]{0,80}", 0..8),
        ) {
            let mut counter = WordCounter::default();
            for piece in &pieces {
                counter.add(piece);
            }
            prop_assert_eq!(counter.count, words(&pieces.concat()));
        }
    }
}
