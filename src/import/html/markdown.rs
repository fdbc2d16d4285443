//! The extracted article's DOM as Markdown: paragraphs, headings, lists,
//! block quotes, tables, code, emphasis, links and figures survive; links
//! and images become absolute; no raw HTML, script or event attribute gets
//! through, since only text (escaped by the import's rules) and the
//! Markdown this writes reach the file.

mod alt;

use crate::import::escape::escape_inline;
use dom_query::NodeRef;
use url::Url;

/// Deeper than this, an element's text is kept as one run, so a page of
/// thousands of nested elements cannot exhaust the stack.
const MAX_DEPTH: usize = 120;

/// Turns an image's address (absolute when the page's address is known)
/// into the one the Markdown points at (a copy beside the article).
/// Arguments: the address as written in the page, and resolved.
pub(super) type ImageMap<'a> = dyn FnMut(&str, &str) -> String + 'a;

/// Converts the children of `root` into Markdown blocks; `page` is the
/// page's address and `title` its headline, which alt texts need not repeat.
pub(super) fn convert(
    root: &NodeRef,
    base: Option<&Url>,
    page: Option<&Url>,
    title: &str,
    images: &mut ImageMap<'_>,
) -> Vec<String> {
    let alts = alt::AltContext::of(root, title);
    let mut converter =
        Converter { base, page, images, alts: &alts, blocks: Vec::new(), line: String::new() };
    converter.walk(root, 0);
    converter.flush();
    converter.blocks
}

struct Converter<'a, 'm> {
    base: Option<&'a Url>,
    /// The page's own address: a link into the page itself (a footnote,
    /// a table of contents) is text, since its anchors are not kept.
    page: Option<&'a Url>,
    images: &'a mut ImageMap<'m>,
    /// Which alt texts describe their images.
    alts: &'a alt::AltContext,
    blocks: Vec<String>,
    /// The paragraph being built.
    line: String,
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "form"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "svg"
            | "canvas"
            | "video"
            | "audio"
            | "head"
            | "title"
            | "meta"
            | "link"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "center"
            | "details"
            | "summary"
            | "dl"
            | "dd"
            | "dt"
            | "address"
            | "nav"
            | "body"
            | "html"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "blockquote"
            | "pre"
            | "table"
            | "figure"
            | "figcaption"
            | "hr"
            | "picture"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "caption"
            | "menu"
            | "hgroup"
            | "fieldset"
            | "legend"
    )
}

impl Converter<'_, '_> {
    fn sub(&mut self) -> Converter<'_, '_> {
        Converter {
            base: self.base,
            page: self.page,
            images: &mut *self.images,
            alts: self.alts,
            blocks: Vec::new(),
            line: String::new(),
        }
    }

    /// Ends the paragraph being built.
    fn flush(&mut self) {
        let paragraph = std::mem::take(&mut self.line);
        let paragraph = paragraph.trim_matches(|c: char| c == ' ' || c == '\n');
        let paragraph = paragraph.strip_suffix('\\').unwrap_or(paragraph).trim_end();
        if !paragraph.is_empty() {
            self.blocks.push(escape_line_starts(paragraph));
        }
    }

    fn push_block(&mut self, block: String) {
        self.flush();
        if !block.trim().is_empty() {
            self.blocks.push(block);
        }
    }

    /// Block context: children become paragraphs and blocks.
    fn walk(&mut self, node: &NodeRef, depth: usize) {
        if depth > MAX_DEPTH {
            let text = node.text();
            push_text(&mut self.line, &text);
            return;
        }
        for child in node.children_it(false) {
            if child.is_text() {
                push_text(&mut self.line, &child.text());
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = child.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
            if is_skipped(&name) {
                continue;
            }
            match name.as_str() {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let level = usize::from(name.as_bytes()[1] - b'0');
                    let text = self.inline_of(&child, depth + 1);
                    let text = text.replace('\n', " ");
                    let text = text.trim().trim_end_matches('\\').trim_end();
                    if !text.is_empty() {
                        self.push_block(format!("{} {text}", "#".repeat(level)));
                    }
                }
                "ul" | "ol" | "menu" => self.list(&child, name == "ol", depth + 1),
                "blockquote" => {
                    self.flush();
                    let mut sub = self.sub();
                    sub.walk(&child, depth + 1);
                    sub.flush();
                    let blocks = std::mem::take(&mut sub.blocks);
                    let quoted: Vec<String> =
                        blocks.iter().map(|b| prefix_lines(b, "> ", "> ")).collect();
                    self.push_block(quoted.join("\n>\n"));
                }
                "pre" => {
                    let code = child.text();
                    let code = code.trim_end_matches(['\n', ' ']).trim_start_matches('\n');
                    if !code.trim().is_empty() {
                        let fence = fence_for(code, '`', 3);
                        self.push_block(format!("{fence}\n{code}\n{fence}"));
                    }
                }
                "table" => self.table(&child, depth + 1),
                "hr" => self.push_block("* * *".to_string()),
                "br" => {
                    if !self.line.trim().is_empty() {
                        self.line.truncate(self.line.trim_end_matches(' ').len());
                        self.line.push_str("\\\n");
                    }
                }
                "figcaption" => {
                    self.flush();
                    let text = self.inline_of(&child, depth + 1);
                    let text = text.replace('\n', " ");
                    let text = text.trim();
                    if !text.is_empty() {
                        self.blocks.push(escape_line_starts(&format!("*{text}*")));
                    }
                }
                _ if is_block(&name) => {
                    self.flush();
                    self.walk(&child, depth + 1);
                    self.flush();
                }
                _ => self.inline_element(&child, &name, depth + 1),
            }
        }
    }

    /// An inline element appended to the paragraph being built.
    fn inline_element(&mut self, node: &NodeRef, name: &str, depth: usize) {
        let mut out = std::mem::take(&mut self.line);
        self.inline_into(node, name, depth, &mut out);
        self.line = out;
    }

    /// The Markdown of an element's children as one inline run.
    fn inline_of(&mut self, node: &NodeRef, depth: usize) -> String {
        let mut out = String::new();
        self.inline_children(node, depth, &mut out);
        out
    }

    fn inline_children(&mut self, node: &NodeRef, depth: usize, out: &mut String) {
        if depth > MAX_DEPTH {
            push_text(out, &node.text());
            return;
        }
        for child in node.children_it(false) {
            if child.is_text() {
                push_text(out, &child.text());
            } else if child.is_element() {
                let name = child.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
                if is_skipped(&name) {
                    continue;
                }
                if name == "br" {
                    push_text(out, " ");
                } else if is_block(&name) {
                    push_text(out, " ");
                    self.inline_children(&child, depth + 1, out);
                    push_text(out, " ");
                } else {
                    self.inline_into(&child, &name, depth + 1, out);
                }
            }
        }
    }

    fn inline_into(&mut self, node: &NodeRef, name: &str, depth: usize, out: &mut String) {
        match name {
            "a" => {
                let text = self.inline_of(node, depth);
                let href = node.attr("href").and_then(|h| self.link_target(&h));
                match href {
                    Some(href) if !text.trim().is_empty() && !text.contains("](") => {
                        wrap(out, &text, "[", &format!("]({href})"));
                    }
                    _ => out.push_str(&text),
                }
            }
            "em" | "i" | "cite" | "dfn" | "var" => {
                let text = self.inline_of(node, depth);
                wrap(out, &text, "*", "*");
            }
            "strong" | "b" => {
                let text = self.inline_of(node, depth);
                wrap(out, &text, "**", "**");
            }
            "code" | "kbd" | "samp" | "tt" => {
                let code = node.text().split_whitespace().collect::<Vec<_>>().join(" ");
                if !code.is_empty() {
                    let fence = fence_for(&code, '`', 1);
                    let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
                    out.push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
                }
            }
            "img" => {
                let raw = image_source(node);
                let absolute = raw.as_deref().and_then(|s| self.absolute(s));
                if let (Some(raw), Some(absolute)) = (raw, absolute) {
                    let src = (self.images)(&raw, &absolute);
                    if src.is_empty() {
                        return;
                    }
                    let mut alt = String::new();
                    escape_inline(&self.alts.describing(node), &mut alt);
                    push_text(out, " ");
                    out.push_str(&format!("![{alt}]({})", link_safe(&src)));
                    push_text(out, " ");
                }
            }
            "math" => push_text(out, &format!(" {} ", math_text(node))),
            _ => self.inline_children(node, depth, out),
        }
    }

    fn list(&mut self, node: &NodeRef, ordered: bool, depth: usize) {
        let mut items = Vec::new();
        for item in node.children_it(false).filter(|c| c.is_element()) {
            let mut sub = self.sub();
            sub.walk(&item, depth + 1);
            sub.flush();
            let blocks = std::mem::take(&mut sub.blocks);
            if blocks.is_empty() {
                continue;
            }
            let marker = if ordered { format!("{}. ", items.len() + 1) } else { "- ".to_string() };
            let indent = " ".repeat(marker.len());
            items.push(prefix_lines(&blocks.join("\n\n"), &marker, &indent));
        }
        if !items.is_empty() {
            self.push_block(items.join("\n"));
        }
    }

    fn table(&mut self, node: &NodeRef, depth: usize) {
        let table = dom_query::Selection::from(*node);
        let rows: Vec<NodeRef> = table.select("tr").nodes().to_vec();
        let nested = table.select("table, td p, td div, td ul, td h2, td h3, td img").exists();
        let widths: Vec<usize> = rows.iter().map(|r| r.element_children().len()).collect();
        let columns = widths.iter().copied().max().unwrap_or(0);
        if nested || columns < 2 || rows.len() < 2 {
            // A layout table: its cells are paragraphs.
            self.flush();
            self.walk(node, depth);
            self.flush();
            return;
        }
        let mut lines = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let mut cells: Vec<String> = row
                .element_children()
                .iter()
                .map(|cell| {
                    self.inline_of(cell, depth + 1)
                        .replace('\n', " ")
                        .trim()
                        .trim_end_matches('\\')
                        .to_string()
                })
                .collect();
            cells.resize(columns, String::new());
            lines.push(format!("| {} |", cells.join(" | ")));
            if i == 0 {
                lines.push(format!("|{}", " --- |".repeat(columns)));
            }
        }
        self.push_block(lines.join("\n"));
    }

    /// Whether `href` points into the page itself (`#part`, or the page's
    /// own address with a fragment).
    fn is_into_page(&self, href: &str) -> bool {
        let href = href.trim();
        if href.starts_with('#') {
            return true;
        }
        let Some((address, _fragment)) = href.split_once('#') else { return false };
        let page = self.page.map(|p| p.as_str().split('#').next().unwrap_or_default());
        page.is_some_and(|page| self.absolute(address).as_deref() == Some(page))
    }

    /// A link's absolute address; `None` for script links and bare anchors.
    fn link_target(&self, href: &str) -> Option<String> {
        let href = href.trim();
        let lower = href.to_ascii_lowercase();
        if href.is_empty()
            || href.starts_with('#')
            || lower.starts_with("javascript:")
            || lower.starts_with("data:")
            || lower.starts_with("vbscript:")
        {
            return None;
        }
        if self.is_into_page(href) {
            return None;
        }
        self.absolute(href).map(|absolute| link_safe(&absolute))
    }

    fn absolute(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.to_ascii_lowercase().starts_with("javascript:") {
            return None;
        }
        if href.starts_with("data:") {
            return Some(href.to_string());
        }
        match Url::parse(href) {
            Ok(url) => Some(url.to_string()),
            Err(_) => match self.base {
                Some(base) => base.join(href).ok().map(|u| u.to_string()),
                None => Some(href.to_string()),
            },
        }
    }
}

/// A MathML formula as the reader sees its symbols, one space between
/// tokens (`a x 2 + b x + c = 0`): Markdown has no math, and the tokens
/// run together would read as words that are not there.
fn math_text(node: &NodeRef) -> String {
    let math = dom_query::Selection::from(*node);
    let tokens: Vec<String> = math
        .select("mi, mn, mo, mtext, ms")
        .nodes()
        .iter()
        .map(|token| token.text().split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|token| !token.is_empty())
        .collect();
    tokens.join(" ")
}

/// The address an image shows: a lazy loader's real source before the
/// placeholder in `src`, the largest of a `srcset`.
pub(super) fn image_source(node: &NodeRef) -> Option<String> {
    for attr in ["data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src"] {
        if let Some(src) = node.attr(attr).filter(|s| !s.trim().is_empty()) {
            return Some(src.trim().to_string());
        }
    }
    let src = node.attr("src").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let placeholder = src.as_deref().is_none_or(|s| s.starts_with("data:") && s.len() < 200);
    if placeholder {
        let srcset = node.attr("srcset").or_else(|| node.attr("data-srcset"))?;
        return largest_of_srcset(&srcset).or(src);
    }
    src
}

fn largest_of_srcset(srcset: &str) -> Option<String> {
    srcset
        .split(", ")
        .filter_map(|candidate| {
            let mut parts = candidate.split_whitespace();
            let url = parts.next()?;
            let size = parts
                .next()
                .and_then(|d| d.trim_end_matches(['w', 'x']).parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((size, url.to_string()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, url)| url)
}

/// A destination written inside `(…)`: spaces and parentheses encoded.
fn link_safe(url: &str) -> String {
    url.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// Appends text with HTML's whitespace collapsed, escaped for Markdown.
fn push_text(out: &mut String, text: &str) {
    let mut words = text.split_whitespace().peekable();
    let leading = text.starts_with(char::is_whitespace);
    if leading && !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
    while let Some(word) = words.next() {
        escape_inline(word, out);
        if words.peek().is_some() {
            out.push(' ');
        }
    }
    if text.ends_with(char::is_whitespace) && !text.trim().is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// `marker` + text, spaces that were inside the element moved outside.
fn wrap(out: &mut String, text: &str, open: &str, close: &str) {
    let trimmed = text.trim_matches(|c: char| c == ' ' || c == '\n');
    if trimmed.is_empty() {
        out.push_str(text);
        return;
    }
    if text.starts_with(' ') && !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    out.push_str(open);
    out.push_str(trimmed.trim_end_matches('\\'));
    out.push_str(close);
    if text.ends_with(' ') {
        out.push(' ');
    }
}

/// A run of `c` longer than any in `text`, at least `min` long.
fn fence_for(text: &str, c: char, min: usize) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    c.to_string().repeat(min.max(longest + 1))
}

fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.is_empty() {
            out.push_str(rest.trim_end());
        } else {
            out.push_str(if i == 0 { first } else { rest });
            out.push_str(line);
        }
    }
    out
}

/// Escapes what would start a block at the start of a paragraph's lines
/// (`#`, `>`, `-`, `+`, `=`, `:`, `1.`): text, never the Markdown written
/// here, since that starts lines only with `*`, `[`, `!` or `` ` ``.
fn escape_line_starts(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len() + 4);
    for (i, line) in paragraph.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.trim_start();
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
            out.push_str(&line[..digits]);
            out.push('\\');
            out.push_str(&line[digits..]);
        } else if line.starts_with(['#', '>', '-', '+', '=', ':']) {
            out.push('\\');
            out.push_str(line);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests;
