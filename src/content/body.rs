//! Page bodies: whether loading keeps them ([`Bodies`]), and reading again
//! those it left on disk ([`BodyReader`]).

use super::fences::split_front_matter;
use super::page::Page;
use crate::error::{Diagnostic, Error, Location};
use crate::open_dir::OpenDir;
use std::path::Path;

/// Whether loading keeps each page's Markdown body in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Every one, in [`Page::body`]: for `serve`, which renders pages again
    /// and again.
    Keep,
    /// As long as the files whose bodies are kept total at most this many
    /// bytes; the other pages' `body` is `None`, and a [`BodyReader`] reads
    /// it again when the page is rendered. A one-shot build keeps what fits
    /// in [`KEPT_BODIES_BUDGET`]: a kept body spares reading its file again,
    /// and past the budget bodies add nothing to a build's memory
    /// (docs/performance.md, "Content: kept bodies").
    KeepUpTo(usize),
}

/// The bodies a one-shot build keeps in memory between loading and rendering
/// (see [`Bodies::KeepUpTo`]): room for all of a 10,000-article archive's,
/// which buys less CPU time with more peak memory (docs/performance.md).
pub const KEPT_BODIES_BUDGET: usize = 128 << 20;

/// Reads the bodies that loading left on disk ([`Bodies::KeepUpTo`]) from their files.
#[derive(Debug)]
pub struct BodyReader {
    /// `content/`, opened once (see `crate::open_dir`); when it cannot be,
    /// each page's file is opened by its whole path.
    content: Option<OpenDir>,
}

impl BodyReader {
    /// A reader for the pages of `content_dir`.
    pub fn new(content_dir: &Path) -> BodyReader {
        BodyReader { content: OpenDir::open(content_dir).ok() }
    }

    /// `page`'s body: the one loading kept, or else [`read`](Self::read) into `buffer`.
    pub fn body<'b>(&self, page: &'b Page, buffer: &'b mut String) -> Result<&'b str, Error> {
        match &page.body {
            Some(body) => Ok(body),
            None => self.read(page, buffer),
        }
    }

    /// `page`'s body, read again from its file into `buffer` (which the
    /// caller reuses from page to page). A file whose front matter no longer
    /// ends on the line it ended on when the page was loaded was edited
    /// during the build: its body would not match the page's line numbers,
    /// so that is an error asking for another build.
    pub fn read<'b>(&self, page: &Page, buffer: &'b mut String) -> Result<&'b str, Error> {
        read_into(self.content.as_ref(), &page.file, &page.relative_path, buffer)?;
        match split_front_matter(buffer) {
            Some(split) if split.body_first_line == page.body_first_line => Ok(split.body),
            _ => Err(Diagnostic::new(
                &page.file,
                "the file changed while the site was being built; build again",
            )
            .into()),
        }
    }
}

/// Reads the page file at `relative_path` under `content/` into `buffer`,
/// replacing what it held: through `content`, the directory opened once, or
/// by its whole path `file` when that could not be opened.
pub(super) fn read_into(
    content: Option<&OpenDir>,
    file: &Path,
    relative_path: &str,
    buffer: &mut String,
) -> Result<(), Error> {
    buffer.clear();
    let read = match content {
        // `relative_path` has `/` separators, which every system accepts.
        Some(content) => content.read_into(Path::new(relative_path), buffer),
        None => std::fs::File::open(file).and_then(|mut f| {
            std::io::Read::read_to_string(&mut f, buffer)?;
            Ok(())
        }),
    };
    read.map_err(|err| read_error(file, err))
}

/// The error for a file that could not be read as text.
pub(super) fn read_error(file: &Path, err: std::io::Error) -> Error {
    if err.kind() == std::io::ErrorKind::InvalidData {
        not_utf8(file).into()
    } else {
        Error::io(file, err)
    }
}

/// The error for a file that is not UTF-8, at the first bad byte's line when
/// the file can be read again to find it.
fn not_utf8(file: &Path) -> Diagnostic {
    let message = "the file is not valid UTF-8 text; save it as UTF-8";
    let Ok(bytes) = std::fs::read(file) else {
        return Diagnostic::new(file, message);
    };
    let Err(err) = std::str::from_utf8(&bytes) else {
        return Diagnostic::new(file, message);
    };
    let valid = &bytes[..err.valid_up_to()];
    let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    // `valid` is UTF-8 by definition of valid_up_to.
    let column = 1 + std::str::from_utf8(&valid[line_start..]).map_or(0, |s| s.chars().count());
    Diagnostic::at(file, Location { line, column }, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::test_pages::{MINIMAL, write};
    use crate::content::{load_pages, load_pages_with};

    #[test]
    fn rereading_gives_the_bodies_that_loading_keeps() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path();
        write(content, "plain.md", MINIMAL.as_bytes());
        write(
            content,
            "crlf.md",
            b"\xef\xbb\xbf---\r\ntitle: C\r\ndate: 2020-01-02\r\n---\r\n\r\nLine.\r\n",
        );
        write(content, "empty.md", b"---\ntitle: E\ndate: 2020-01-03\nstub: true\n---\n");
        write(
            content,
            "deep/long.md",
            format!("{MINIMAL}{}", "More text.\n".repeat(3000)).as_bytes(),
        );
        // And every page of the bundled example site.
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for content in [content, example.as_path()] {
            let kept = load_pages(content).unwrap();
            let dropped = load_pages_with(content, Bodies::KeepUpTo(0)).unwrap();
            assert_eq!(kept.len(), dropped.len());
            let reader = BodyReader::new(content);
            let mut buffer = String::new();
            for (kept, dropped) in kept.iter().zip(&dropped) {
                assert_eq!(dropped.body, None, "{}", dropped.relative_path);
                assert_eq!(**kept, Page { body: kept.body.clone(), ..Page::clone(dropped) });
                let kept_body = kept.body.as_deref().unwrap();
                assert_eq!(reader.read(dropped, &mut buffer).unwrap(), kept_body);
                assert_eq!(reader.body(dropped, &mut buffer).unwrap(), kept_body);
                assert_eq!(reader.body(kept, &mut buffer).unwrap(), kept_body);
            }
        }
    }

    #[test]
    fn bodies_past_the_budget_are_left_on_disk_and_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path();
        for name in ["a.md", "b.md", "c.md", "d.md", "e.md"] {
            write(content, name, MINIMAL.as_bytes());
        }
        // Room for two of the five files.
        let pages = load_pages_with(content, Bodies::KeepUpTo(2 * MINIMAL.len() + 1)).unwrap();
        assert_eq!(pages.iter().filter(|p| p.body.is_some()).count(), 2);
        let reader = BodyReader::new(content);
        let mut buffer = String::new();
        for page in &pages {
            assert_eq!(reader.body(page, &mut buffer).unwrap(), "Body.\n");
        }
        let all = load_pages_with(content, Bodies::KeepUpTo(5 * MINIMAL.len())).unwrap();
        assert!(all.iter().all(|p| p.body.is_some()));
    }

    #[test]
    fn a_file_changed_or_removed_after_loading_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path();
        write(content, "a.md", MINIMAL.as_bytes());
        write(content, "b.md", MINIMAL.as_bytes());
        write(content, "c.md", MINIMAL.as_bytes());
        let pages = load_pages_with(content, Bodies::KeepUpTo(0)).unwrap();
        let reader = BodyReader::new(content);
        let mut buffer = String::new();
        // The body moved down a line: its lines no longer match the page's.
        write(content, "a.md", MINIMAL.replace("date:", "tags: [x]\ndate:").as_bytes());
        let changed = reader.read(&pages[0], &mut buffer).unwrap_err().to_string();
        assert!(changed.contains("a.md") && changed.contains("changed while"), "{changed}");
        std::fs::remove_file(content.join("b.md")).unwrap();
        let removed = reader.read(&pages[1], &mut buffer).unwrap_err().to_string();
        assert!(removed.contains("b.md"), "{removed}");
        write(content, "c.md", b"---\ntitle: x\ndate: 2020-01-01\n---\ncaf\xe9\n");
        let not_text = reader.read(&pages[2], &mut buffer).unwrap_err().to_string();
        assert!(not_text.contains("c.md") && not_text.contains("UTF-8"), "{not_text}");
        // An edit that keeps the body where it was is read as it now is.
        write(content, "a.md", MINIMAL.replace("Body.", "Edited.").as_bytes());
        assert_eq!(reader.read(&pages[0], &mut buffer).unwrap(), "Edited.\n");
    }
}
