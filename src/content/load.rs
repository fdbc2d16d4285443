//! Loading `content/`: its Markdown files walked, read and parsed into
//! [`Page`]s, every file's errors collected.

use super::body::{Bodies, read_error, read_into};
use super::page::{Page, PageText, parse_page};
use crate::error::{Diagnostic, Error};
use crate::open_dir::OpenDir;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Reads one file (for `serve`, which reloads single files). `file` must lie
/// under `content_dir`.
pub fn load_page(content_dir: &Path, file: &Path) -> Result<Page, Error> {
    let relative_path = relative_path(content_dir, file)?;
    page_from_read(file, relative_path, std::fs::read_to_string(file))
}

fn relative_path(content_dir: &Path, file: &Path) -> Result<String, Error> {
    let relative = file.strip_prefix(content_dir).map_err(|_| {
        Error::Usage(format!("{} is not inside {}", file.display(), content_dir.display()))
    })?;
    let mut out = String::new();
    for component in relative.components() {
        let part = component.as_os_str().to_str().ok_or_else(|| {
            Diagnostic::new(file, "the file name is not valid UTF-8; rename the file")
        })?;
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(part);
    }
    Ok(out)
}

/// [`relative_path`] of a file the walk of `content_dir` found. The walk
/// makes each path by joining names onto `content_dir`, so the relative path
/// is the rest of its bytes, found without comparing components: the walk is
/// the serial start of every build (docs/performance.md).
fn walked_relative_path(content_dir: &Path, file: &Path) -> Result<String, Error> {
    let prefix = content_dir.as_os_str().as_encoded_bytes();
    let Some(rest) = file.as_os_str().as_encoded_bytes().strip_prefix(prefix) else {
        return relative_path(content_dir, file);
    };
    let start = rest.iter().position(|&b| !std::path::is_separator(b.into()));
    match std::str::from_utf8(&rest[start.unwrap_or(rest.len())..]) {
        Ok(relative) if std::path::MAIN_SEPARATOR == '/' => Ok(relative.to_string()),
        Ok(relative) => Ok(relative.replace(std::path::MAIN_SEPARATOR, "/")),
        Err(_) => relative_path(content_dir, file),
    }
}

/// A page from what reading `file` gave.
fn page_from_read(
    file: &Path,
    relative_path: String,
    read: std::io::Result<String>,
) -> Result<Page, Error> {
    match read {
        Ok(text) => Ok(parse_page(file, relative_path, text)?),
        Err(err) => Err(read_error(file, err)),
    }
}

/// Whether a directory entry is one the loader never reads: hidden files and
/// directories (`.git`, `.#x.md` editor locks) and editor backups (`x.md~`).
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// The most files one rayon task loads before an idle thread can take the
/// rest of its range (see `ARTICLES_PER_TASK` in `build`).
const FILES_PER_TASK: usize = 32;

/// Every `content/**/*.md`, parsed in parallel, sorted by relative path, with
/// their bodies. All files' errors are collected and returned together, never
/// only the first.
pub fn load_pages(content_dir: &Path) -> Result<Vec<Arc<Page>>, Error> {
    load_pages_with(content_dir, Bodies::Keep)
}

/// [`load_pages`], keeping or dropping the bodies as `bodies` says.
pub fn load_pages_with(content_dir: &Path, bodies: Bodies) -> Result<Vec<Arc<Page>>, Error> {
    let mut errors = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    // Links are not followed by the walk: following makes walkdir `stat`
    // every entry. A symlinked file is still read (checked below); a
    // symlinked directory is not entered.
    let walk = walkdir::WalkDir::new(content_dir).into_iter().filter_entry(|entry| {
        entry.depth() == 0 || !entry.file_name().to_str().is_some_and(is_ignored)
    });
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(content_dir).to_path_buf();
                let io = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("the directory cannot be walked"));
                errors.push(Error::io(path, io));
                continue;
            }
        };
        let is_markdown = entry.path().extension().is_some_and(|ext| ext == "md");
        let file_type = entry.file_type();
        let is_file = file_type.is_file()
            || (file_type.is_symlink()
                && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
        if !is_file || !is_markdown {
            continue;
        }
        match walked_relative_path(content_dir, entry.path()) {
            Ok(relative) => files.push((entry.into_path(), relative)),
            Err(err) => errors.push(err),
        }
    }

    // Sorted here rather than by the walk: sorting each directory's entries
    // by file name compares `Path`s component by component, which took longer
    // than walking.
    files.sort_unstable_by(|a, b| a.1.cmp(&b.1));
    // Each file is opened relative to `content/` (see `crate::open_dir`);
    // should that fail, by its whole path, which reports the file's error.
    let content = OpenDir::open(content_dir).ok();
    // Each page goes into its `Arc` on the thread that parsed it, not in a
    // serial loop after the parallel part (docs/performance.md).
    let results: Vec<Result<Arc<Page>, Error>> = match bodies {
        Bodies::Keep => files
            .into_par_iter()
            .with_max_len(FILES_PER_TASK)
            .map(|(file, relative)| {
                let read = match &content {
                    // `relative` has `/` separators, which every system accepts.
                    Some(content) => content.read_to_string(Path::new(&relative)),
                    None => std::fs::read_to_string(&file),
                };
                page_from_read(&file, relative, read).map(Arc::new)
            })
            .collect(),
        // Each file is read into a buffer its thread reuses; a kept body is
        // copied out at its own size.
        Bodies::KeepUpTo(budget) => {
            let kept_bytes = AtomicUsize::new(0);
            files
                .into_par_iter()
                .with_max_len(FILES_PER_TASK)
                .map_init(String::new, |buffer, (file, relative)| {
                    read_into(content.as_ref(), &file, &relative, buffer)?;
                    let keep = kept_bytes
                        .fetch_update(Relaxed, Relaxed, |kept| {
                            kept.checked_add(buffer.len()).filter(|&total| total <= budget)
                        })
                        .is_ok();
                    let text = if keep {
                        PageText::Borrowed(buffer)
                    } else {
                        PageText::FrontMatterOnly(buffer)
                    };
                    Ok(Arc::new(parse_page(&file, relative, text)?))
                })
                .collect()
        }
    };
    let mut pages = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(err) => errors.push(err),
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::test_pages::{MINIMAL, write};

    #[test]
    fn load_pages_walks_sorted_and_skips_hidden_and_backup_files() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path();
        write(content, "b.md", MINIMAL.as_bytes());
        write(content, "a/z.md", MINIMAL.as_bytes());
        write(content, "a-b.md", MINIMAL.as_bytes());
        write(content, "notes.txt", b"not markdown");
        for ignored in [".#b.md", "b.md~", ".hidden/x.md", "#b.md#", "a/.draft.md"] {
            write(content, ignored, b"garbage that would not parse");
        }
        let pages = load_pages(content).unwrap();
        let paths: Vec<&str> = pages.iter().map(|p| p.relative_path.as_str()).collect();
        assert_eq!(paths, ["a-b.md", "a/z.md", "b.md"]);
        assert_eq!(pages[1].file, content.join("a/z.md"));
        // The same pages when the directory is named with a trailing slash.
        assert_eq!(load_pages(&content.join("")).unwrap(), pages);
        assert_eq!(pages[1].body.as_deref(), Some("Body.\n"));

        let single = load_page(content, &content.join("a/z.md")).unwrap();
        assert_eq!(single, *pages[1]);

        // A symlinked page is read too.
        std::os::unix::fs::symlink(content.join("b.md"), content.join("c.md")).unwrap();
        let paths: Vec<String> =
            load_pages(content).unwrap().into_iter().map(|p| p.relative_path.clone()).collect();
        assert_eq!(paths, ["a-b.md", "a/z.md", "b.md", "c.md"]);
    }

    #[test]
    fn walked_relative_paths_are_the_general_ones() {
        for (dir, file) in [
            ("content", "content/a.md"),
            ("content/", "content/x/y.md"),
            ("./site/content", "./site/content/2019/06/z.md"),
            ("/abs/content", "/abs/content/a b/é.md"),
        ] {
            let (dir, file) = (Path::new(dir), Path::new(file));
            assert_eq!(walked_relative_path(dir, file).unwrap(), relative_path(dir, file).unwrap());
        }
    }

    #[test]
    fn load_pages_reports_every_files_error() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path();
        write(content, "ok.md", MINIMAL.as_bytes());
        write(content, "x/no-fm.md", b"Hello\n");
        write(content, "bad-date.md", b"---\ntitle: x\ndate: yesterday\n---\n");
        write(content, "latin1.md", b"---\ntitle: caf\xe9\ndate: 2019-06-28\n---\n");
        let err = load_pages(content).unwrap_err();
        let shown: Vec<String> = err.flatten().iter().map(|e| e.to_string()).collect();
        assert_eq!(err.count(), 3, "{shown:#?}");
        assert!(shown[0].contains("bad-date.md:3:7:"), "{}", shown[0]);
        assert!(shown[1].contains("latin1.md:2:11: the file is not valid UTF-8"), "{}", shown[1]);
        assert!(shown[2].contains("no-fm.md:1:1: expected front matter"), "{}", shown[2]);
    }

    #[test]
    fn load_page_refuses_a_file_outside_content() {
        let dir = tempfile::tempdir().unwrap();
        let err = load_page(&dir.path().join("content"), &dir.path().join("x.md")).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err:?}");
    }
}
