//! A page as loaded from `content/`: front matter plus Markdown body.

use super::front_matter::FrontMatter;
use std::path::PathBuf;

/// One Markdown file of `content/`, parsed but not yet rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Path relative to `content/`, with `/` separators (`articles/2019/06/x.md`).
    /// This is the page's identity: links between pages name it.
    pub relative_path: String,
    /// The file on disk (for error messages).
    pub file: PathBuf,
    /// The parsed front matter.
    pub front_matter: FrontMatter,
    /// The Markdown after the closing `---`; `None` when loading left it on
    /// disk (`load::Bodies::KeepUpTo`), to be read again when rendered.
    pub body: Option<String>,
    /// The file's line number (1-based) on which `body` starts, so errors found
    /// while rendering the body can name the file's line.
    pub body_first_line: usize,
    /// The slug: `front_matter.slug`, or derived from the title.
    pub slug: String,
}
