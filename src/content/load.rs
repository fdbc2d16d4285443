//! Loading `content/`: files into [`Page`]s, with errors that point at the
//! file's own lines.
//!
//! A page is `---`, YAML, `---`, then Markdown. Splitting keeps the line
//! numbers of both halves so YAML errors (and later Markdown errors) name the
//! line an editor shows.

use super::front_matter::FrontMatterFields;
use super::page::Page;
use super::slug::slugify;
use crate::error::{Diagnostic, Error, Location};
use crate::open_dir::OpenDir;
use crate::yaml;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// A file's text split at its front-matter fences. Slices borrow the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitPage<'a> {
    /// The YAML between the fences (may be empty).
    pub yaml: &'a str,
    /// The file's line (1-based) on which `yaml` starts: always 2, the line after
    /// the opening fence; kept explicit so callers never assume it.
    pub yaml_first_line: usize,
    /// Everything after the closing fence's line.
    pub body: &'a str,
    /// The file's line (1-based) on which `body` starts.
    pub body_first_line: usize,
}

/// Why a file's text could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SplitError {
    /// The first line is not `---`.
    NoOpeningFence,
    /// No `---` line closes the front matter.
    Unclosed,
}

/// Splits `---\n<yaml>\n---\n<body>`; accepts a UTF-8 BOM, CRLF line endings
/// and trailing spaces or tabs on the fences. `None` when the text does not
/// start with a fence or the front matter is never closed.
pub fn split_front_matter(text: &str) -> Option<SplitPage<'_>> {
    split(text).ok()
}

/// Whether `line` (without its `\n`) is a `---` fence.
fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

fn split(text: &str) -> Result<SplitPage<'_>, SplitError> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let (first_line, yaml_start) = match text[start..].find('\n') {
        Some(i) => (&text[start..start + i], start + i + 1),
        None => (&text[start..], text.len()),
    };
    if !is_fence(first_line) {
        return Err(SplitError::NoOpeningFence);
    }
    let mut line_start = yaml_start;
    let mut line_number = 2;
    while line_start < text.len() {
        let (line, next_start) = match text[line_start..].find('\n') {
            Some(i) => (&text[line_start..line_start + i], line_start + i + 1),
            None => (&text[line_start..], text.len()),
        };
        if is_fence(line) {
            return Ok(SplitPage {
                yaml: &text[yaml_start..line_start],
                yaml_first_line: 2,
                body: &text[next_start..],
                body_first_line: line_number + 1,
            });
        }
        line_start = next_start;
        line_number += 1;
    }
    Err(SplitError::Unclosed)
}

/// A parsed file, with the body still a slice of the file's text.
struct ParsedText {
    front_matter: super::FrontMatter,
    slug: String,
    body_offset: usize,
    body_first_line: usize,
}

/// Parses one file's text. `relative_path` is the path under `content/` with
/// `/` separators; `file` is used in error messages.
pub fn parse_page(file: &Path, relative_path: &str, text: &str) -> Result<Page, Diagnostic> {
    let parsed = parse_text(file, text)?;
    Ok(Page {
        relative_path: relative_path.to_string(),
        file: file.to_path_buf(),
        front_matter: parsed.front_matter,
        body: Some(text[parsed.body_offset..].to_string()),
        body_first_line: parsed.body_first_line,
        slug: parsed.slug,
    })
}

/// Like [`parse_page`], with the body copied out of `text` only when
/// `keep_body`; otherwise [`BodyReader`] reads it again.
fn parse_page_keeping(
    file: &Path,
    relative_path: String,
    text: &str,
    keep_body: bool,
) -> Result<Page, Diagnostic> {
    let parsed = parse_text(file, text)?;
    Ok(Page {
        relative_path,
        file: file.to_path_buf(),
        front_matter: parsed.front_matter,
        body: keep_body.then(|| text[parsed.body_offset..].to_string()),
        body_first_line: parsed.body_first_line,
        slug: parsed.slug,
    })
}

/// Like [`parse_page`], but reuses the file's buffer for the body (drops the
/// front matter in place) instead of copying the body out.
fn parse_page_owned(file: &Path, relative_path: String, mut text: String) -> Result<Page, Error> {
    let parsed = parse_text(file, &text)?;
    text.replace_range(..parsed.body_offset, "");
    Ok(Page {
        relative_path,
        file: file.to_path_buf(),
        front_matter: parsed.front_matter,
        body: Some(text),
        body_first_line: parsed.body_first_line,
        slug: parsed.slug,
    })
}

/// The slug a file's name gives: its stem (`khameneis-calculations.md` →
/// `khameneis-calculations`), or its directory's name for an `index.md`
/// (a page kept in a folder with its images), made URL-safe. The name, not
/// the title, so that editing a title never moves the page.
pub fn file_slug(file: &Path) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    let name = if stem == "index" || stem == "_index" {
        file.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy()).unwrap_or(stem)
    } else {
        stem
    };
    slugify(&name)
}

/// Why an `aliases:` entry cannot be an address, if it cannot: it must be a
/// path in the site (`/2019/06/old/`, `/old.html`), with no `..` and no
/// scheme, host, query or fragment.
fn check_alias(alias: &str) -> Result<(), &'static str> {
    if !alias.starts_with('/') {
        return Err("must be a path in the site starting with `/`, such as `/2019/06/old-name/`");
    }
    if alias == "/" {
        return Err("cannot be the home page");
    }
    if alias.contains(['?', '#', '\\', '"', '<', '>']) || alias.contains("//") {
        return Err("must be a plain path, without `?`, `#`, `//` or quotes");
    }
    if alias.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err("must not contain `.` or `..` segments");
    }
    Ok(())
}

fn parse_text(file: &Path, text: &str) -> Result<ParsedText, Diagnostic> {
    let at_line = |line: usize, message: String| {
        Diagnostic::at(file, Location::line(line), message).with_source(text)
    };
    let split = split(text).map_err(|e| match e {
        SplitError::NoOpeningFence => {
            at_line(1, "expected front matter: the file must start with a `---` line".to_string())
        }
        SplitError::Unclosed => at_line(
            1,
            "unclosed front matter: no `---` line ends the block this line opens".to_string(),
        ),
    })?;

    let fields: FrontMatterFields = if split.yaml.trim().is_empty() {
        FrontMatterFields::default()
    } else {
        yaml::parse(split.yaml, file, split.yaml_first_line)
            .map_err(|d| relocate_duplicate_key(d, split.yaml, split.yaml_first_line))?
    };
    let key_location =
        |key: &str| key_line(split.yaml, key, 0).map_or(1, |index| split.yaml_first_line + index);
    let front_matter = fields.into_front_matter().map_err(|missing| {
        at_line(
            1,
            format!(
                "the front matter has no `{}:` key; every page needs `title:` and `date:`",
                missing.key()
            ),
        )
    })?;

    if front_matter.title.trim().is_empty() {
        return Err(at_line(key_location("title"), "the title is empty".to_string()));
    }
    let slug = match &front_matter.slug {
        Some(slug) => {
            if slug.is_empty() || slugify(slug) != *slug {
                return Err(at_line(
                    key_location("slug"),
                    format!(
                        "`{slug}` is not a valid slug: use lowercase ASCII letters and digits \
                         joined by single `-`, such as `{}`",
                        slugify(slug)
                    ),
                ));
            }
            slug.clone()
        }
        None => {
            let slug = file_slug(file);
            if slug.is_empty() {
                return Err(at_line(
                    1,
                    "the file name has no letter or digit to make a URL slug from; \
                     rename the file or add a `slug:` key"
                        .to_string(),
                ));
            }
            slug
        }
    };
    for (n, alias) in front_matter.aliases.iter().enumerate() {
        if let Err(problem) = check_alias(alias) {
            return Err(at_line(
                key_location("aliases"),
                format!("alias {} (`{alias}`) {problem}", n + 1),
            ));
        }
    }
    let body_offset = text.len() - split.body.len();
    Ok(ParsedText { front_matter, slug, body_offset, body_first_line: split.body_first_line })
}

/// serde reports a repeated key at the mapping's first line; point at the
/// repetition instead.
fn relocate_duplicate_key(mut diagnostic: Diagnostic, yaml: &str, first_line: usize) -> Diagnostic {
    let key = diagnostic
        .message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    if let Some(index) = key.and_then(|key| key_line(yaml, &key, 1)) {
        diagnostic.location = Some(Location::line(first_line + index));
        diagnostic.source_line = yaml.lines().nth(index).map(|l| l.trim_end_matches('\r').into());
    }
    diagnostic
}

/// The 0-based index within `yaml` of the line holding the top-level `key:`,
/// skipping `skip` earlier occurrences.
fn key_line(yaml: &str, key: &str, skip: usize) -> Option<usize> {
    yaml.lines()
        .enumerate()
        .filter(|(_, line)| {
            let unquoted = line
                .strip_prefix(['"', '\''])
                .and_then(|l| l.strip_prefix(key))
                .and_then(|l| l.strip_prefix(['"', '\'']));
            let rest = unquoted.or_else(|| line.strip_prefix(key));
            rest.is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
        })
        .nth(skip)
        .map(|(index, _)| index)
}

/// Reads one file (for `serve`, which reloads single files). `file` must lie
/// under `content_dir`.
pub fn load_page(content_dir: &Path, file: &Path) -> Result<Page, Error> {
    let relative_path = relative_path(content_dir, file)?;
    read_page(file, relative_path)
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
/// is the rest of its bytes: comparing the two paths component by component
/// (`Path::strip_prefix`) and splitting the rest again took a third of the
/// walk of 10,000 files, which runs before anything else can.
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

fn read_page(file: &Path, relative_path: String) -> Result<Page, Error> {
    page_from_read(file, relative_path, std::fs::read_to_string(file))
}

/// A page from what reading `file` gave.
fn page_from_read(
    file: &Path,
    relative_path: String,
    read: std::io::Result<String>,
) -> Result<Page, Error> {
    match read {
        Ok(text) => parse_page_owned(file, relative_path, text),
        Err(err) => Err(read_error(file, err)),
    }
}

/// The error for a file that could not be read as text.
fn read_error(file: &Path, err: std::io::Error) -> Error {
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

/// Whether a directory entry is one the loader never reads: hidden files and
/// directories (`.git`, `.#x.md` editor locks) and editor backups (`x.md~`).
fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// Whether loading keeps each page's Markdown body in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Every one, in [`Page::body`]: for `serve`, which renders pages again
    /// and again.
    Keep,
    /// As long as the files whose bodies are kept total at most this many
    /// bytes; the other pages' `body` is `None`, and a [`BodyReader`] reads
    /// it again when the page is rendered. A one-shot build keeps what fits
    /// in [`KEPT_BODIES_BUDGET`]: reading a file again costs four system
    /// calls (open, two reads, close: 10-20 µs here), so bodies are kept where memory allows, and past
    /// the budget they add nothing to a build's memory.
    KeepUpTo(usize),
}

/// The bodies a one-shot build keeps in memory between loading and rendering
/// (see [`Bodies::KeepUpTo`]). A 10,000-article archive's bodies are 75 MB:
/// all kept, a cold build took 4% less CPU time than reading every body
/// again (12 alternating rounds) and peaked at 194 MB instead of 125 MB
/// (175 MB since the build frees each body once its page is rendered).
pub const KEPT_BODIES_BUDGET: usize = 128 << 20;

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
    // Each page goes into its `Arc` on the thread that parsed it: moved there
    // one by one after the parallel part, 10,000 pages took a serial 20 ms.
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
                    Ok(Arc::new(parse_page_keeping(&file, relative, buffer, keep)?))
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

/// Reads the page file at `relative_path` under `content/` into `buffer`,
/// replacing what it held: through `content`, the directory opened once, or
/// by its whole path `file` when that could not be opened.
fn read_into(
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
        match split(buffer) {
            Ok(split) if split.body_first_line == page.body_first_line => Ok(split.body),
            _ => Err(Diagnostic::new(
                &page.file,
                "the file changed while the site was being built; build again",
            )
            .into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "---\ntitle: \"Khamenei’s calculations\"\ndate: 2019-06-28\n---\nBody.\n";

    fn parse(text: &str) -> Result<Page, Diagnostic> {
        parse_page(Path::new("content/a.md"), "a.md", text)
    }

    fn parse_err(text: &str) -> Diagnostic {
        parse(text).expect_err("the page should not load")
    }

    #[test]
    fn splits_plain_front_matter() {
        let split = split_front_matter("---\ntitle: x\n---\n# Hi\n").unwrap();
        assert_eq!(split.yaml, "title: x\n");
        assert_eq!(split.yaml_first_line, 2);
        assert_eq!(split.body, "# Hi\n");
        assert_eq!(split.body_first_line, 4);
    }

    #[test]
    fn splits_with_bom_crlf_and_trailing_spaces_on_fences() {
        let text = "\u{feff}---  \r\ntitle: x\r\ndate: 2019-06-28\r\n--- \t\r\n\r\nBody\r\n";
        let split = split_front_matter(text).unwrap();
        assert_eq!(split.yaml, "title: x\r\ndate: 2019-06-28\r\n");
        assert_eq!(split.body, "\r\nBody\r\n");
        assert_eq!(split.body_first_line, 5);
        let page = parse(text).unwrap();
        assert_eq!(page.front_matter.title, "x");
        assert_eq!(page.body.as_deref(), Some("\r\nBody\r\n"));
    }

    #[test]
    fn splits_a_file_that_ends_at_the_closing_fence() {
        let split = split_front_matter("---\ntitle: x\n---").unwrap();
        assert_eq!(split.body, "");
        assert_eq!(split.body_first_line, 4);
    }

    #[test]
    fn a_fence_needs_exactly_three_dashes() {
        assert!(split_front_matter("----\ntitle: x\n---\n").is_none());
        assert!(split_front_matter("title: x\n---\n").is_none());
        let split = split_front_matter("---\ntitle: x\n----\n---\nbody").unwrap();
        assert_eq!(split.yaml, "title: x\n----\n");
        assert_eq!(split.body, "body");
    }

    #[test]
    fn hand_written_page_with_only_title_and_date_loads() {
        let page = parse(MINIMAL).unwrap();
        assert_eq!(page.front_matter.title, "Khamenei’s calculations");
        assert_eq!(page.front_matter.date.to_string(), "2019-06-28");
        assert_eq!(page.slug, "a", "named by its file, content/a.md");
        assert_eq!(page.body.as_deref(), Some("Body.\n"));
        assert_eq!(page.body_first_line, 5);
        assert_eq!(page.relative_path, "a.md");
        assert!(page.front_matter.tags.is_empty());
        assert!(!page.front_matter.draft);
        assert!(page.front_matter.extra.is_empty());
    }

    #[test]
    fn unknown_keys_land_in_extra_with_their_types() {
        let page = parse(
            "---\ntitle: x\ndate: 2019-06-28\npaginate: 5\nweight: 1.5\nhero: {alt: \"a\"}\n\
             tags: [2019, election]\n---\n",
        )
        .unwrap();
        let extra = &page.front_matter.extra;
        assert_eq!(extra["paginate"].as_u64(), Some(5));
        assert_eq!(extra["weight"].as_f64(), Some(1.5));
        assert_eq!(extra["hero"]["alt"].as_str(), Some("a"));
        assert!(!extra.contains_key("tags"));
        assert_eq!(page.front_matter.tags, ["2019", "election"]);
    }

    #[test]
    fn null_collections_and_numeric_titles_load() {
        let page = parse("---\ntitle: 1984\ndate: 2019-06-28\ntags:\nseries: null\n---\n").unwrap();
        assert_eq!(page.front_matter.title, "1984");
        assert!(page.front_matter.tags.is_empty());
        assert_eq!(page.front_matter.series, None);
    }

    #[test]
    fn full_front_matter_round_trips_through_yaml() {
        let text = "---\ntitle: x\ndate: 2019-06-28T09:30:00\nauthors: [A, B]\npublication: P\n\
                    image: {caption: C, credit: Shutterstock}\ntags: [t]\nrelated:\n  - {title: R, \
                    date: 2024-05-31, byline: P}\nsource: {file: s.txt, sha256: ab}\nslug: my-x\n\
                    draft: true\nstub: true\ncolour: blue\n---\n";
        let front_matter = parse(text).unwrap().front_matter;
        assert_eq!(front_matter.authors, ["A", "B"]);
        assert_eq!(
            front_matter.related[0].date.map(|d| d.to_string()).as_deref(),
            Some("2024-05-31")
        );
        assert!(front_matter.draft && front_matter.stub);
        let again = format!("---\n{}---\n", yaml::to_string(&front_matter));
        assert_eq!(parse(&again).unwrap().front_matter, front_matter);
    }

    #[test]
    fn no_front_matter_is_an_error_at_line_1() {
        let err = parse_err("# Just Markdown\n");
        assert_eq!(err.location, Some(Location::line(1)));
        assert_eq!(err.message, "expected front matter: the file must start with a `---` line");
        assert_eq!(err.source_line.as_deref(), Some("# Just Markdown"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_1() {
        let err = parse_err("---\ntitle: x\ndate: 2019-06-28\n\nBody\n");
        assert_eq!(err.location, Some(Location::line(1)));
        assert!(err.message.starts_with("unclosed front matter"), "{}", err.message);
    }

    #[test]
    fn missing_title_or_date_names_the_key() {
        let err = parse_err("---\ndate: 2019-06-28\n---\n");
        assert!(err.message.contains("no `title:` key"), "{}", err.message);
        assert_eq!(err.location, Some(Location::line(1)));
        let err = parse_err("---\ntitle: x\n---\n");
        assert!(err.message.contains("no `date:` key"), "{}", err.message);
        let err = parse_err("---\n---\nBody\n");
        assert!(err.message.contains("no `title:` key"), "{}", err.message);
    }

    #[test]
    fn bad_date_points_at_the_date_line() {
        let err = parse_err("---\ntitle: x\nauthors: [a]\ndate: 2019-13-28\n---\n");
        let location = err.location.unwrap();
        assert_eq!(location.line, 4);
        assert_eq!(location.column, 7);
        assert_eq!(err.source_line.as_deref(), Some("date: 2019-13-28"));
        assert!(err.message.contains("2019-13-28"), "{}", err.message);
    }

    #[test]
    fn yaml_syntax_errors_count_lines_from_the_file() {
        let err = parse_err("---\ntitle: x\ndate: 2019-06-28\ntags: [a, b\nstub: true\n---\n");
        assert!(err.location.unwrap().line >= 4, "{err:?}");
        let err =
            parse_err("\u{feff}---\r\ntitle: x\r\ndate: 2019-06-28\r\ndraft: maybe\r\n---\r\n");
        assert_eq!(err.location.unwrap().line, 4);
        assert_eq!(err.source_line.as_deref(), Some("draft: maybe"));
    }

    #[test]
    fn a_repeated_key_points_at_the_repetition() {
        let err = parse_err("---\ntitle: x\ndate: 2019-06-28\ntitle: y\n---\n");
        assert_eq!(err.location.unwrap().line, 4, "{err:?}");
        assert!(err.message.contains("title"), "{}", err.message);
    }

    #[test]
    fn empty_title_is_an_error_at_the_title_line() {
        let err = parse_err("---\ndate: 2019-06-28\ntitle: \"  \"\n---\n");
        assert_eq!(err.location, Some(Location::line(3)));
        assert_eq!(err.message, "the title is empty");
        let err = parse_err("---\ndate: 2019-06-28\ntitle:\n---\n");
        assert_eq!(err.location.unwrap().line, 3, "{err:?}");
    }

    #[test]
    fn slug_comes_from_front_matter_or_file_name_never_the_title() {
        let page = parse("---\ntitle: Anything\ndate: 2019-06-28\nslug: my-own\n---\n").unwrap();
        assert_eq!(page.slug, "my-own");
        let page = parse("---\ntitle: Anything at all\ndate: 2019-06-28\n---\n").unwrap();
        assert_eq!(page.slug, "a", "the file is content/a.md");
        let err = parse_err("---\ntitle: Anything\ndate: 2019-06-28\nslug: My Own\n---\n");
        assert_eq!(err.location, Some(Location::line(4)));
        assert!(err.message.contains("`my-own`"), "{}", err.message);
        let err = parse_page(
            Path::new("content/¿¡.md"),
            "¿¡.md",
            "---\ntitle: x\ndate: 2019-06-28\n---\n",
        )
        .expect_err("no slug in the name");
        assert!(err.message.contains("slug"), "{}", err.message);
    }

    #[test]
    fn file_slugs_come_from_the_stem_or_the_folder_of_an_index() {
        assert_eq!(
            file_slug(Path::new("a/2019/06/Khamenei’s Calculations.md")),
            "khameneis-calculations"
        );
        assert_eq!(file_slug(Path::new("a/2019/06/x-2.md")), "x-2");
        assert_eq!(file_slug(Path::new("a/2019/06/my-story/index.md")), "my-story");
    }

    #[test]
    fn aliases_are_site_paths() {
        let page =
            parse("---\ntitle: T\ndate: 2019-06-28\naliases: [/2019/06/old/, /old.html]\n---\n")
                .unwrap();
        assert_eq!(page.front_matter.aliases, ["/2019/06/old/", "/old.html"]);
        for bad in ["old/", "https://e.org/x/", "/a/../b/", "/a/?q=1", "/"] {
            let err =
                parse_err(&format!("---\ntitle: T\ndate: 2019-06-28\naliases: [\"{bad}\"]\n---\n"));
            assert_eq!(err.location, Some(Location::line(4)), "{bad}");
            assert!(err.message.contains("alias 1"), "{bad}: {}", err.message);
        }
    }

    fn write(dir: &Path, relative: &str, text: &[u8]) {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

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
