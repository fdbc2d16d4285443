//! Deciding what to write, and writing it atomically.
//!
//! No side database: every decision compares an existing file with what
//! galley would write now.
//! - No file at the path: written.
//! - The same bytes: unchanged (so a second import writes nothing).
//! - Another article at the path (another source page, or a file written
//!   by hand): the next free `-2`, `-3` path. Articles are matched by their
//!   source (`source.sha256`, or the same `source.file`), never by title
//!   and date alone: two saved pages with one headline in one month are two
//!   articles.
//! - File names come from the headline, cut at a word boundary to at most
//!   [`MAX_SLUG`] characters, so a mis-split page whose headline is a whole
//!   paragraph still gets a file name the file system accepts.
//! - A stub of the same article, and we have the full text: upgraded. Stubs
//!   are galley's own, never edited state to protect.
//! - A full article, and we only have a teaser: unchanged (never downgraded).
//! - The same full article with other bytes, unchanged since galley wrote
//!   it (its `source.written` digest still matches): updated.
//! - The same full article with other bytes, edited since: edited by hand,
//!   kept and reported; `--force` replaces it and keeps a `.bak`. A file an
//!   older galley wrote has no digest to tell: it is kept and reported as
//!   such, never called hand-edited.
//!
//! Full articles are decided before stubs, in input order, so a teaser that
//! points at an article imported in the same run finds it (and is not
//! counted: the article is).

use super::escape::escape_paragraph;
use super::stubs::stubs_of;
use super::{ImportOptions, ImportReport, ParsedPage};
use crate::content::{FrontMatter, slugify};
use crate::error::{Diagnostic, Location};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The longest file-name slug import makes (the file system's limit is 255
/// bytes, and addresses should stay readable).
pub const MAX_SLUG: usize = 80;

/// The slug import names an article's file after: the headline's slug, cut
/// at the last word boundary within [`MAX_SLUG`] characters.
pub fn file_slug(title: &str) -> String {
    let mut slug = slugify(title);
    if slug.len() > MAX_SLUG {
        // Slugs are ASCII, so any byte index is a character boundary.
        let cut = slug[..=MAX_SLUG].rfind('-').filter(|&at| at > 0).unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    slug
}

/// The file galley writes for an article: front matter, then the escaped
/// paragraphs separated by blank lines.
pub fn render_file(front_matter: &FrontMatter, body: &[String]) -> String {
    let yaml = crate::yaml::to_string(front_matter);
    let mut out =
        String::with_capacity(yaml.len() + body.iter().map(|p| p.len() + 8).sum::<usize>() + 16);
    out.push_str("---\n");
    out.push_str(&yaml);
    out.push_str("---\n");
    for (i, paragraph) in body.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { "\n\n" });
        out.push_str(&escape_paragraph(paragraph));
    }
    if !body.is_empty() {
        out.push('\n');
    }
    out
}

/// The file galley writes for an article whose body is Markdown already
/// (an HTML page's converted content): front matter, then the blocks
/// separated by blank lines.
pub fn render_markdown_file(front_matter: &FrontMatter, blocks: &[String]) -> String {
    let mut out = render_file(front_matter, &[]);
    for (i, block) in blocks.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { "\n\n" });
        out.push_str(block);
    }
    if !blocks.is_empty() {
        out.push('\n');
    }
    out
}

/// The key line that records a file's digest, inside the `source:` block.
const WRITTEN_KEY: &str = "  written: ";

/// Adds `source.written` to a file galley renders: the SHA-256 of the file
/// without that line, so a later import can tell its own output (digest
/// matches) from a file edited since. A file without `source` is left as it is.
pub fn seal(mut text: String) -> String {
    let Some(at) = written_line_at(&text) else { return text };
    let digest = super::hex(&Sha256::digest(text.as_bytes()));
    text.insert_str(at, &format!("{WRITTEN_KEY}{digest}\n"));
    text
}

/// [`seal`] again, for a sealed text changed since.
fn reseal(text: &str) -> String {
    let Some(at) = written_line_at(text) else { return text.to_string() };
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    seal(format!("{}{}", &text[..at], &text[line_end..]))
}

/// Where the `written:` line goes (or is): the line after `source.sha256`
/// in the front matter, which is where serialising [`crate::content::SourceRef`] puts it.
fn written_line_at(text: &str) -> Option<usize> {
    let front_matter_end = text.get(4..)?.find("\n---\n")? + 4;
    let source = text[..front_matter_end].find("\nsource:\n")?;
    let sha = source + text[source..front_matter_end].find("\n  sha256: ")? + 1;
    Some(sha + text[sha..].find('\n')? + 1)
}

/// Whether a file galley sealed is unchanged since: `Some(true)` it is,
/// `Some(false)` it was edited, `None` it carries no digest (written by
/// hand, or by a galley that did not record one).
pub fn unchanged_since_written(text: &str) -> Option<bool> {
    let at = written_line_at(text)?;
    let line_end = at + text[at..].find('\n')? + 1;
    let digest = text[at..line_end].strip_prefix(WRITTEN_KEY)?.trim_end();
    let mut without = String::with_capacity(text.len());
    without.push_str(&text[..at]);
    without.push_str(&text[line_end..]);
    Some(super::hex(&Sha256::digest(without.as_bytes())) == digest)
}

/// Reads the front matter of a file galley may have written.
pub fn read_front_matter(path: &Path, text: &str) -> Option<FrontMatter> {
    let rest = text.strip_prefix("---\n")?;
    let end = if rest.starts_with("---\n") { 0 } else { rest.find("\n---\n")? + 1 };
    crate::yaml::parse(&rest[..end], path, 2).ok()
}

/// `content/articles/YYYY/MM/`.
fn article_dir(root: &Path, front_matter: &FrontMatter) -> PathBuf {
    // `./content/…` reads worse in messages than `content/…`.
    let content =
        if root == Path::new(".") { PathBuf::from("content") } else { root.join("content") };
    content
        .join("articles")
        .join(format!("{:04}", front_matter.date.year()))
        .join(format!("{:02}", front_matter.date.month()))
}

/// `content/articles/YYYY/MM/<slug>.md`, before any `-2`.
fn first_path(root: &Path, front_matter: &FrontMatter) -> PathBuf {
    article_dir(root, front_matter).join(format!("{}.md", file_slug(&front_matter.title)))
}

/// One file to write, with the front matter it holds (so later decisions
/// in the same run need not parse it back).
struct Planned<'a> {
    path: PathBuf,
    text: Cow<'a, str>,
    front_matter: &'a FrontMatter,
    backup: bool,
    /// The saved page it comes from (empty for a stub), and the line its
    /// headline is on, for messages.
    input: &'a Path,
    line: usize,
}

enum Outcome {
    Written,
    Stub,
    Upgraded,
    Unchanged,
    /// Galley's own file, unchanged since it was written: replaced.
    Updated,
    Kept,
    /// A differing file with no digest to tell an edit from an older import.
    Unrecorded,
    Forced,
}

/// What one output wants to be.
#[derive(Clone)]
struct Candidate<'a> {
    front_matter: &'a FrontMatter,
    text: Cow<'a, str>,
    input: &'a Path,
    /// The line of `input` the headline is on.
    line: usize,
    /// The file that holds this page already (found by its address),
    /// tried before the paths its title gives.
    known_at: Option<PathBuf>,
}

/// Decides every output of `pages`, then writes them (unless a dry run).
pub(crate) fn write_pages(
    root: &Path,
    pages: &[ParsedPage],
    options: &ImportOptions,
    series_prefixes: &[String],
    report: &mut ImportReport,
) {
    report.dry_run = options.dry_run;
    let full: Vec<Candidate<'_>> = pages
        .iter()
        .map(|page| Candidate {
            front_matter: &page.front_matter,
            // Rendered while parsing, in parallel.
            text: Cow::Borrowed(&page.text),
            input: &page.input,
            line: page.title_line,
            known_at: None,
        })
        .collect();
    let stubs: Vec<FrontMatter> =
        pages.iter().flat_map(|p| stubs_of(&p.front_matter, series_prefixes)).collect();

    // Existing files at the articles' first-choice paths, read in parallel:
    // on a re-import, reading them is most of the work.
    let mut prefetched: HashMap<PathBuf, Option<String>> = full
        .par_iter()
        .map(|c| {
            let path = first_path(root, c.front_matter);
            let text = std::fs::read(&path).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
            (path, text)
        })
        .collect();
    let mut claims: HashMap<PathBuf, Planned> = HashMap::new();
    // Where each article of this run landed, whatever the outcome.
    let mut held: HashMap<PathBuf, &FrontMatter> = HashMap::new();
    // Images saved with a page, to write beside its article.
    let mut assets: Vec<(PathBuf, &super::Asset)> = Vec::new();
    // Files known by their page's address, looked for only when a page
    // of this run has one.
    let by_url = if pages.iter().any(|p| url_of(&p.front_matter).is_some()) {
        super::by_url::index(root)
    } else {
        HashMap::new()
    };
    // Where each page with an address is or will be: links to them in
    // the bodies become links to those files.
    let mut link_targets = by_url.clone();
    for candidate in &full {
        if let Some(url) = url_of(candidate.front_matter) {
            let key = super::by_url::url_key(url);
            let path = link_targets
                .get(&key)
                .cloned()
                .unwrap_or_else(|| first_path(root, candidate.front_matter));
            link_targets.insert(key, path);
        }
    }
    for (page, candidate) in pages.iter().zip(&full) {
        let known_at = url_of(candidate.front_matter)
            .and_then(|url| by_url.get(&super::by_url::url_key(url)))
            .filter(|path| !claims.contains_key(*path));
        let own_path =
            known_at.cloned().unwrap_or_else(|| first_path(root, candidate.front_matter));
        let text = match super::site_links::link_imported(&candidate.text, &own_path, &link_targets)
        {
            Some(linked) => Cow::Owned(reseal(&linked)),
            None => candidate.text.clone(),
        };
        let candidate = &Candidate { known_at: known_at.cloned(), text, ..candidate.clone() };
        if slugify(&candidate.front_matter.title).is_empty() {
            report.failed.push(Diagnostic::at(
                candidate.input,
                Location::line(candidate.line),
                "the headline has no letter or digit to make a file name from",
            ));
            continue;
        }
        let landed = decide(root, candidate, false, options, &mut claims, &mut prefetched, report);
        if let Some(dir) = landed.parent() {
            assets.extend(page.assets.iter().map(|a| (dir.join(&a.name), a)));
        }
        held.insert(landed, candidate.front_matter);
    }
    // Many teasers point at the same article: each stub path and address
    // is decided once, and not at all when an article of this run already
    // holds it. Stubs with a date the teaser showed go first, so one of
    // those wins over a stand-in dated like the page it was seen on.
    let mut stub_paths = std::collections::HashSet::new();
    let mut stub_urls: std::collections::HashSet<String> =
        pages.iter().filter_map(|p| url_of(&p.front_matter)).map(super::by_url::url_key).collect();
    let mut stubs: Vec<&FrontMatter> = stubs.iter().collect();
    stubs.sort_by_key(|stub| stub.source.as_ref().is_some_and(|s| s.undated));
    for stub in stubs {
        let first_path = first_path(root, stub);
        let held_by_this_run = held
            .get(&first_path)
            .is_some_and(|fm| fm.title.to_lowercase() == stub.title.to_lowercase());
        let url_taken = url_of(stub).is_some_and(|u| !stub_urls.insert(super::by_url::url_key(u)));
        if held_by_this_run || url_taken || !stub_paths.insert(first_path) {
            continue;
        }
        let text = render_file(stub, &[]);
        let candidate = Candidate {
            front_matter: stub,
            text: Cow::Owned(text),
            input: Path::new(""),
            line: 1,
            known_at: url_of(stub)
                .and_then(|url| by_url.get(&super::by_url::url_key(url)))
                .cloned(),
        };
        decide(root, &candidate, true, options, &mut claims, &mut prefetched, report);
    }
    if options.dry_run {
        return;
    }
    let planned: Vec<Planned> = claims.into_values().collect();
    let dirs: std::collections::BTreeSet<&Path> =
        planned.iter().filter_map(|p| p.path.parent()).collect();
    for dir in dirs {
        if let Err(e) = std::fs::create_dir_all(dir) {
            report.failed.push(Diagnostic::new(dir, format!("cannot create directory: {e}")));
        }
    }
    let failures: Vec<Diagnostic> = planned.par_iter().filter_map(|p| write_one(p).err()).collect();
    report.failed.extend(failures);
    // An image is named by its digest: a file of that name holds it already.
    for (path, asset) in assets {
        if path.exists() {
            continue;
        }
        let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| {
            let mut temp =
                tempfile::NamedTempFile::new_in(path.parent().unwrap_or(Path::new(".")))?;
            temp.write_all(&asset.bytes)?;
            temp.persist(&path).map(|_| ()).map_err(|e| e.error)
        });
        if let Err(e) = written {
            report.failed.push(Diagnostic::new(&path, format!("cannot write image: {e}")));
        }
    }
}

/// The address a page is known by (`source.url`), when it has one.
fn url_of(front_matter: &FrontMatter) -> Option<&str> {
    front_matter.source.as_ref()?.url.as_deref().filter(|u| !u.is_empty())
}

/// Whether an existing file's front matter is the same article as ours.
fn same_article(ours: &FrontMatter, theirs: &FrontMatter) -> bool {
    if ours.stub || theirs.stub {
        // Both known by address: the address decides, whatever the titles.
        if let (Some(a), Some(b)) = (url_of(ours), url_of(theirs)) {
            return super::by_url::same_url(a, b);
        }
        return ours.title.to_lowercase() == theirs.title.to_lowercase();
    }
    match (&ours.source, &theirs.source) {
        (Some(a), Some(b)) => {
            (!a.sha256.is_empty() && a.sha256 == b.sha256)
                || (!a.file.is_empty() && a.file == b.file)
        }
        // A file without a source was written by hand: another article,
        // whatever its title.
        _ => false,
    }
}

fn decide<'a>(
    root: &Path,
    candidate: &Candidate<'a>,
    is_stub: bool,
    options: &ImportOptions,
    claims: &mut HashMap<PathBuf, Planned<'a>>,
    prefetched: &mut HashMap<PathBuf, Option<String>>,
    report: &mut ImportReport,
) -> PathBuf {
    let ours = candidate.front_matter;
    let dir = article_dir(root, ours);
    let slug = file_slug(&ours.title);
    let mut n = 0;
    let mut known_at = candidate.known_at.clone();
    loop {
        let path = match known_at.take() {
            Some(path) => path,
            None => {
                n += 1;
                let stem = if n == 1 { slug.clone() } else { format!("{slug}-{n}") };
                dir.join(format!("{stem}.md"))
            }
        };
        let on_disk;
        let (existing, theirs): (&str, Option<Cow<'_, FrontMatter>>) = match claims.get(&path) {
            Some(planned) => (&planned.text, Some(Cow::Borrowed(planned.front_matter))),
            None => match prefetched.remove(&path).unwrap_or_else(|| {
                std::fs::read(&path).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
            }) {
                Some(text) => {
                    on_disk = text;
                    let theirs = (on_disk != candidate.text)
                        .then(|| read_front_matter(&path, &on_disk))
                        .flatten()
                        .map(Cow::Owned);
                    (&on_disk, theirs)
                }
                None => {
                    let outcome = if is_stub { Outcome::Stub } else { Outcome::Written };
                    claim(path.clone(), candidate, outcome, false, claims, report);
                    return path;
                }
            },
        };
        if existing == candidate.text {
            report.unchanged.push(path.clone());
            return path;
        }
        let same = match &theirs {
            Some(theirs) => same_article(ours, theirs),
            // Unreadable front matter: ours if it names our source.
            None => ours.source.as_ref().is_some_and(|s| existing.contains(&s.sha256)),
        };
        if !same {
            continue;
        }
        let theirs_is_stub = theirs.as_ref().is_some_and(|t| t.stub);
        let outcome = if is_stub {
            Outcome::Unchanged
        } else if theirs_is_stub {
            Outcome::Upgraded
        } else if theirs.as_ref().is_some_and(|t| same_page_elsewhere(candidate, t, existing)) {
            Outcome::Unchanged
        } else {
            match unchanged_since_written(existing) {
                // Galley's own output, from an older source or importer.
                Some(true) => Outcome::Updated,
                _ if options.force => Outcome::Forced,
                Some(false) => Outcome::Kept,
                None => Outcome::Unrecorded,
            }
        };
        match outcome {
            Outcome::Unchanged => report.unchanged.push(path.clone()),
            Outcome::Kept => report.kept.push(path.clone()),
            Outcome::Unrecorded => report.unrecorded.push(path.clone()),
            Outcome::Forced => {
                let backup = !claims.contains_key(&path);
                if backup {
                    report.backups.push(backup_path(&path));
                }
                claim(path.clone(), candidate, Outcome::Forced, backup, claims, report);
            }
            outcome => claim(path.clone(), candidate, outcome, false, claims, report),
        }
        return path;
    }
}

/// The same saved page imported from another path: only `source.file`
/// differs, which is not an edit.
fn same_page_elsewhere(candidate: &Candidate<'_>, theirs: &FrontMatter, existing: &str) -> bool {
    let (Some(ours), Some(their_source)) = (&candidate.front_matter.source, &theirs.source) else {
        return false;
    };
    if ours.sha256 != their_source.sha256 {
        return false;
    }
    let mut moved = candidate.front_matter.clone();
    moved.source = Some(crate::content::SourceRef { written: None, ..their_source.clone() });
    seal(with_front_matter(&candidate.text, &moved)) == existing
}

/// `text` (a file galley renders) with its front matter replaced by `front_matter`.
fn with_front_matter(text: &str, front_matter: &FrontMatter) -> String {
    let body_at = text.find("\n---\n").map_or(text.len(), |i| i + 5);
    let yaml = crate::yaml::to_string(front_matter);
    let mut out = String::with_capacity(yaml.len() + text.len() - body_at + 8);
    out.push_str("---\n");
    out.push_str(&yaml);
    out.push_str("---\n");
    out.push_str(&text[body_at..]);
    out
}

fn claim<'a>(
    path: PathBuf,
    candidate: &Candidate<'a>,
    outcome: Outcome,
    backup: bool,
    claims: &mut HashMap<PathBuf, Planned<'a>>,
    report: &mut ImportReport,
) {
    match outcome {
        Outcome::Stub => report.stubs.push(path.clone()),
        Outcome::Upgraded => report.upgraded.push(path.clone()),
        _ => report.written.push(path.clone()),
    }
    // A path claimed twice in one run is written once, with the later text;
    // a backup, if any, is of the file that was on disk.
    let backup = backup || claims.get(&path).is_some_and(|p| p.backup);
    let planned = Planned {
        path: path.clone(),
        text: candidate.text.clone(),
        front_matter: candidate.front_matter,
        backup,
        input: candidate.input,
        line: candidate.line,
    };
    claims.insert(path, planned);
}

/// `x.md` → `x.md.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

/// Writes via a temporary file in the same directory and a rename, so a
/// reader never sees half a file. A failure names the saved page and its
/// headline's line as well as the file (a stub's, only the file).
fn write_one(planned: &Planned<'_>) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        let message = format!("cannot write {}: {e}", planned.path.display());
        if planned.input.as_os_str().is_empty() {
            Diagnostic::new(&planned.path, message)
        } else {
            Diagnostic::at(planned.input, Location::line(planned.line), message)
        }
    };
    let dir = planned.path.parent().unwrap_or(Path::new("."));
    if planned.backup {
        std::fs::copy(&planned.path, backup_path(&planned.path)).map_err(fail)?;
    }
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    temp.write_all(planned.text.as_bytes()).map_err(fail)?;
    temp.persist(&planned.path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_headlines_are_cut_at_a_word_boundary() {
        assert_eq!(file_slug("Khamenei’s calculations"), "khameneis-calculations");
        let long = "word ".repeat(40);
        let slug = file_slug(&long);
        assert_eq!(slug.len(), 79);
        assert!(slug.ends_with("word") && !slug.ends_with('-'));
        // One unbroken word longer than the limit is cut where the limit falls.
        assert_eq!(file_slug(&"x".repeat(300)).len(), MAX_SLUG);
    }

    #[test]
    fn a_sealed_file_knows_whether_it_was_edited() {
        let text = "---\ntitle: A\ndate: 2023-03-02\nsource:\n  file: a.txt\n  sha256: ab\ntags: []\n---\n\nBody.\n";
        let sealed = seal(text.to_string());
        assert!(sealed.contains("\n  sha256: ab\n  written: "), "{sealed}");
        assert_eq!(unchanged_since_written(&sealed), Some(true));
        assert_eq!(unchanged_since_written(&sealed.replace("Body.", "Body!")), Some(false));
        assert_eq!(unchanged_since_written(text), None);
        // The digest loads back as `source.written`.
        let front_matter = read_front_matter(Path::new("a.md"), &sealed).unwrap();
        let written = front_matter.source.as_ref().and_then(|s| s.written.as_deref());
        assert_eq!(written.map(str::len), Some(64));
        // Nothing to seal without a source.
        let plain = "---\ntitle: A\ndate: 2023-03-02\n---\n\nBody.\n";
        assert_eq!(seal(plain.to_string()), plain);
    }
}
