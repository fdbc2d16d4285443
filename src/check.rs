//! Check: build in memory and look for what a reader would trip over —
//! broken internal links and anchors, pages without a title, duplicate ids,
//! and feed or sitemap entries that point nowhere.
//!
//! The checker reads the *output*, as a crawler would, so it also catches
//! links written by hand in Markdown or templates.

use crate::build::{BuildOptions, Builder};
use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::output::{OutputSink, check_relative};
use crate::urls::BaseUrl;
use html5gum::{Token, Tokenizer};
use quick_xml::events::Event;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// A problem found in the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The output file it is in (`2019/06/x/index.html`).
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// What `galley check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// HTML pages read.
    pub pages: usize,
    /// Internal links followed (anchors included).
    pub links: usize,
    /// Problems, sorted by file.
    pub problems: Vec<Problem>,
    /// What deserves a look but does not fail the check: addresses the last
    /// build of the output directory had that this build lost, with no
    /// alias to redirect them.
    pub warnings: Vec<Problem>,
}

/// Builds the site in memory, as `galley build` would write it, and checks
/// the result. Nothing is written to disk, and only what the checks read of
/// each file is kept (see `CheckedOutput`).
pub fn check(root: &Path, options: &BuildOptions) -> Result<CheckReport> {
    let output = CheckedOutput::default();
    let previous = options.output.clone().unwrap_or_else(|| root.join("public"));
    let mut builder = Builder::one_shot(root, options.clone());
    // On a pool thread, as `build::build` runs, for the same reason.
    rayon::scope(|_| builder.build_all(&output))?;
    drop(builder);
    let mut config = SiteConfig::load(root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    let base = BaseUrl::parse(&config.base_url).map_err(Error::Usage)?;
    let files = output.into_files();
    let mut report = check_output(&files, &base);
    report.warnings = lost_addresses(&previous, &files, &base);
    Ok(report)
}

/// The addresses listed in the sitemap of `previous` (the last build of
/// the output directory, if there is one) that the build in `current` no
/// longer has: each is a page that moved (a changed date, slug or file
/// name) with no `aliases:` entry to redirect readers who had its old address.
fn lost_addresses(previous: &Path, current: &Files, base: &BaseUrl) -> Vec<Problem> {
    let Ok(entries) = std::fs::read_dir(previous) else { return Vec::new() };
    let mut sitemaps: Vec<std::path::PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.starts_with("sitemap") && name.ends_with(".xml")
        })
        .collect();
    sitemaps.sort();
    let resolver = Resolver { base, files: current };
    let mut warnings = Vec::new();
    for sitemap in sitemaps {
        let text = std::fs::read_to_string(&sitemap).unwrap_or_default();
        for (_, loc) in xml_texts(&text, &["loc"]).unwrap_or_default() {
            // A sitemap index lists the other sitemaps, which are read themselves.
            if loc.ends_with(".xml") {
                continue;
            }
            if let Target::Missing(_) = resolver.resolve("", &loc) {
                warnings.push(Problem {
                    file: loc.clone(),
                    message: format!(
                        "this address is in the last build of {} but not in this one: if its \
                         page moved, add `aliases: [\"{}\"]` to the page's front matter so \
                         links to it keep working",
                        previous.display(),
                        old_path(&loc, base)
                    ),
                });
            }
        }
    }
    warnings.sort();
    warnings.dedup();
    warnings
}

/// The site path of a sitemap URL (`https://e.org/archive/2019/06/x/` → `/2019/06/x/`).
fn old_path(loc: &str, base: &BaseUrl) -> String {
    let home = base.absolute("/");
    let path = loc.strip_prefix(home.trim_end_matches('/')).unwrap_or(loc);
    let path = path.strip_prefix(base.prefix().trim_end_matches('/')).unwrap_or(path);
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

/// The output of a build as the checks see it: each file's path with what
/// they read of it, taken as the build writes the file, on the build's own
/// threads. A page's ids and links are a small part of its bytes, so a large
/// site is checked without holding its output (docs/performance.md).
#[derive(Debug, Default)]
struct CheckedOutput {
    files: Mutex<Files>,
}

/// Output files by path relative to the output root (`2019/06/x/index.html`).
type Files = BTreeMap<String, Written>;

/// What the checks keep of one output file.
#[derive(Debug)]
enum Written {
    /// An HTML page's facts.
    Page(HtmlFacts),
    /// An HTML file that is not UTF-8.
    NotText,
    /// An XML file's text: the feed and sitemaps are read whole.
    Xml(String),
    /// Anything else, known only to exist.
    Other,
}

impl CheckedOutput {
    fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl OutputSink for CheckedOutput {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        check_relative(relative)?;
        let written = if relative.ends_with(".html") {
            std::str::from_utf8(bytes)
                .map_or(Written::NotText, |text| Written::Page(read_html(text)))
        } else if relative.ends_with(".xml") {
            Written::Xml(String::from_utf8_lossy(bytes).into_owned())
        } else {
            Written::Other
        };
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(relative.to_string(), written);
        Ok(())
    }
}

/// A parsed HTML page: its ids and its links.
#[derive(Debug, Default)]
struct HtmlFacts {
    ids: HashSet<String>,
    duplicate_ids: Vec<String>,
    links: Vec<String>,
    title: Option<String>,
}

fn read_html(text: &str) -> HtmlFacts {
    let mut facts = HtmlFacts::default();
    let mut in_title = false;
    let mut title = String::new();
    for token in Tokenizer::new(text).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                for (key, value) in &tag.attributes {
                    let key = String::from_utf8_lossy(key);
                    let value = String::from_utf8_lossy(value).into_owned();
                    match (&*key, name.as_str()) {
                        ("id", _) if !facts.ids.insert(value.clone()) => {
                            facts.duplicate_ids.push(value)
                        }
                        ("id", _) => {}
                        ("name", "a") => {
                            facts.ids.insert(value);
                        }
                        ("href", "a" | "link" | "area")
                        | ("src", "img" | "script" | "iframe" | "source") => {
                            facts.links.push(value)
                        }
                        _ => {}
                    }
                }
                if name == "title" {
                    in_title = true;
                }
            }
            Token::EndTag(tag) if &*tag.name == b"title" => {
                in_title = false;
                facts.title = Some(title.trim().to_string());
            }
            Token::String(s) if in_title => title.push_str(&String::from_utf8_lossy(&s)),
            _ => {}
        }
    }
    facts
}

/// Checks a site's output `files` for a site deployed at `base`.
fn check_output(files: &Files, base: &BaseUrl) -> CheckReport {
    let mut report = CheckReport::default();
    let mut pages: BTreeMap<&String, &HtmlFacts> = BTreeMap::new();
    for (rel, written) in files {
        let facts = match written {
            Written::Page(facts) => facts,
            Written::NotText => {
                report
                    .problems
                    .push(Problem { file: rel.clone(), message: "not valid UTF-8 text".into() });
                continue;
            }
            Written::Xml(_) | Written::Other => continue,
        };
        match &facts.title {
            Some(t) if !t.is_empty() => {}
            _ => report
                .problems
                .push(Problem { file: rel.clone(), message: "page has no <title>".into() }),
        }
        for id in &facts.duplicate_ids {
            report
                .problems
                .push(Problem { file: rel.clone(), message: format!("duplicate id `{id}`") });
        }
        pages.insert(rel, facts);
    }
    report.pages = pages.len();

    let resolver = Resolver { base, files };
    for (rel, facts) in &pages {
        for link in &facts.links {
            match resolver.resolve(rel, link) {
                Target::External => {}
                Target::Missing(why) => report.problems.push(Problem {
                    file: rel.to_string(),
                    message: format!("broken link `{link}`: {why}"),
                }),
                Target::File(target, fragment) => {
                    report.links += 1;
                    if let Some(fragment) = fragment {
                        let has_anchor =
                            pages.get(&target).is_some_and(|p| p.ids.contains(&fragment));
                        if !has_anchor {
                            report.problems.push(Problem {
                                file: rel.to_string(),
                                message: format!(
                                    "broken anchor `{link}`: {target} has no id `{fragment}`"
                                ),
                            });
                        }
                    }
                }
            }
        }
    }
    check_feed(files, &resolver, &mut report);
    check_sitemaps(files, &resolver, &mut report);
    report.problems.sort();
    report.problems.dedup();
    report
}

enum Target {
    External,
    Missing(String),
    /// The output file and the decoded fragment (`None` when empty).
    File(String, Option<String>),
}

struct Resolver<'a> {
    base: &'a BaseUrl,
    files: &'a Files,
}

impl Resolver<'_> {
    /// Where a link written in output file `from` leads.
    fn resolve(&self, from: &str, link: &str) -> Target {
        let link = link.trim();
        let (without_fragment, fragment) = match link.split_once('#') {
            Some((l, f)) => {
                (l, Some(crate::urls::percent_decode(f).into_owned()).filter(|f| !f.is_empty()))
            }
            None => (link, None),
        };
        let without_query = without_fragment.split('?').next().unwrap_or_default();
        let absolute_home = self.base.absolute("/");
        let path = if without_query.is_empty() {
            // `#anchor` on the same page.
            return Target::File(from.to_string(), fragment);
        } else if self.base.has_origin()
            && without_query.starts_with(absolute_home.trim_end_matches('/'))
        {
            self.base.path(&without_query[absolute_home.len().min(without_query.len())..])
        } else if without_query.starts_with("//") || crate::urls::has_scheme(without_query) {
            return Target::External;
        } else if without_query.starts_with('/') {
            without_query.to_string()
        } else {
            // Relative to the page's own URL directory.
            let dir = match from.rfind('/') {
                Some(i) => format!("{}{}/", self.base.prefix(), &from[..i]),
                None => self.base.prefix().to_string(),
            };
            normalise(&format!("{dir}{without_query}"))
        };
        let Some(in_site) = path
            .strip_prefix(self.base.prefix())
            .or_else(|| (format!("{path}/") == self.base.prefix()).then_some(""))
        else {
            return Target::Missing(format!("outside the site's base path {}", self.base.prefix()));
        };
        let decoded = crate::urls::percent_decode(in_site).into_owned();
        let candidates = if decoded.is_empty() || decoded.ends_with('/') {
            vec![format!("{decoded}index.html")]
        } else {
            vec![decoded.clone(), format!("{decoded}/index.html")]
        };
        for candidate in candidates {
            if self.files.contains_key(&candidate) {
                return Target::File(candidate, fragment);
            }
        }
        Target::Missing(format!("no file {decoded}"))
    }
}

/// Resolves `.` and `..` segments of an absolute path.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The text of every element named `name` (local name) in an XML document,
/// or the parse error.
fn xml_texts(text: &str, wanted: &[&str]) -> std::result::Result<Vec<(String, String)>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut found = Vec::new();
    let mut buffer = String::new();
    let bad = |e: &dyn std::fmt::Display, at: u64| format!("not well-formed XML at byte {at}: {e}");
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                stack.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                buffer.clear();
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if wanted.contains(&name.as_str()) {
                    for attr in e.attributes().flatten() {
                        if attr.key.as_ref() == b"href" {
                            let value = attr
                                .unescape_value()
                                .map_err(|e| bad(&e, reader.buffer_position()))?;
                            found.push((name.clone(), value.into_owned()));
                        }
                    }
                }
            }
            Ok(Event::Text(t)) => {
                buffer.push_str(&t.decode().map_err(|e| bad(&e, reader.buffer_position()))?)
            }
            Ok(Event::GeneralRef(r)) => {
                let name = r.decode().map_err(|e| bad(&e, reader.buffer_position()))?;
                let entity = format!("&{name};");
                let value = quick_xml::escape::unescape(&entity)
                    .map_err(|e| bad(&e, reader.buffer_position()))?;
                buffer.push_str(&value);
            }
            Ok(Event::End(_)) => {
                if let Some(name) = stack.pop() {
                    if wanted.contains(&name.as_str()) {
                        found.push((name, buffer.trim().to_string()));
                    }
                }
                buffer.clear();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(bad(&e, reader.error_position())),
        }
    }
    if !stack.is_empty() {
        return Err(format!("not well-formed XML: `{}` is never closed", stack.join("/")));
    }
    Ok(found)
}

/// The text of the XML file `name`, when the output has it.
fn xml_text<'f>(files: &'f Files, name: &str) -> Option<&'f str> {
    match files.get(name) {
        Some(Written::Xml(text)) => Some(text),
        _ => None,
    }
}

fn check_feed(files: &Files, resolver: &Resolver<'_>, report: &mut CheckReport) {
    let file = "atom.xml";
    let Some(text) = xml_text(files, file) else {
        report
            .problems
            .push(Problem { file: file.into(), message: "the site has no Atom feed".into() });
        return;
    };
    match xml_texts(text, &["link", "id", "title", "updated"]) {
        Err(e) => report.problems.push(Problem { file: file.into(), message: e }),
        Ok(found) => {
            if !text.contains("xmlns=\"http://www.w3.org/2005/Atom\"") {
                report.problems.push(Problem {
                    file: file.into(),
                    message: "not an Atom 1.0 feed (namespace missing)".into(),
                });
            }
            for (name, value) in found {
                if name == "link" && !value.ends_with(".xml") {
                    if let Target::Missing(why) = resolver.resolve(file, &value) {
                        report.problems.push(Problem {
                            file: file.into(),
                            message: format!("feed link `{value}`: {why}"),
                        });
                    }
                }
                if name == "updated" && crate::content::PageDate::parse(&value).is_err() {
                    report.problems.push(Problem {
                        file: file.into(),
                        message: format!("bad <updated> `{value}`"),
                    });
                }
            }
        }
    }
}

fn check_sitemaps(files: &Files, resolver: &Resolver<'_>, report: &mut CheckReport) {
    let sitemaps: Vec<&String> = files
        .keys()
        .filter(|f| f.starts_with("sitemap") && f.ends_with(".xml") && !f.contains('/'))
        .collect();
    if sitemaps.is_empty() {
        report.problems.push(Problem {
            file: "sitemap.xml".into(),
            message: "the site has no sitemap".into(),
        });
    }
    for file in sitemaps {
        let text = xml_text(files, file).unwrap_or_default();
        match xml_texts(text, &["loc"]) {
            Err(e) => report.problems.push(Problem { file: file.clone(), message: e }),
            Ok(locs) => {
                if locs.len() > crate::site::outputs::SITEMAP_LIMIT {
                    report.problems.push(Problem {
                        file: file.clone(),
                        message: format!(
                            "{} URLs, more than the 50,000 a sitemap may hold",
                            locs.len()
                        ),
                    });
                }
                for (_, loc) in locs {
                    if resolver.base.has_origin() && !loc.starts_with("http") {
                        report.problems.push(Problem {
                            file: file.clone(),
                            message: format!("`{loc}` is not an absolute URL"),
                        });
                    }
                    if let Target::Missing(why) = resolver.resolve(file, &loc) {
                        report.problems.push(Problem {
                            file: file.clone(),
                            message: format!("`{loc}`: {why}"),
                        });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checks' view of an output with these files, written as a build writes them.
    fn output(files: &[(&str, &str)]) -> Files {
        let output = CheckedOutput::default();
        for (path, text) in files {
            output.write(path, text.as_bytes()).unwrap();
        }
        output.into_files()
    }

    const FEED: &str = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id><updated>2019-01-01T00:00:00Z</updated></feed>";
    const SITEMAP: &str =
        "<?xml version=\"1.0\"?><urlset><url><loc>https://e.org/sub/</loc></url></urlset>";

    #[test]
    fn finds_broken_links_and_anchors_under_a_sub_path() {
        let files = output(&[
            (
                "index.html",
                "<title>Home</title><a href=\"/sub/a/#top\">a</a><a href=\"/sub/a/#nope\">x</a><a href=\"/a/\">y</a><a href=\"b/\">z</a><a href=\"https://other.org/\">o</a><a href=\"#here\">h</a><p id=here></p>",
            ),
            (
                "a/index.html",
                "<title>A</title><h1 id=\"top\">A</h1><a href=\"../\">up</a><a href=\"https://e.org/sub/a/\">self</a>",
            ),
            ("atom.xml", FEED),
            ("sitemap.xml", SITEMAP),
        ]);
        let report = check_output(&files, &BaseUrl::parse("https://e.org/sub/").unwrap());
        let messages: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            messages,
            [
                "index.html: broken anchor `/sub/a/#nope`: a/index.html has no id `nope`",
                "index.html: broken link `/a/`: outside the site's base path /sub/",
                "index.html: broken link `b/`: no file b/",
            ]
        );
        assert_eq!(report.pages, 2);
    }

    #[test]
    fn reports_missing_titles_duplicate_ids_and_bad_xml() {
        let files = output(&[
            ("index.html", "<title> </title><p id=a></p><p id=a></p>"),
            ("atom.xml", "<feed><entry></feed>"),
            ("sitemap.xml", "<urlset><url><loc>https://e.org/missing/</loc></url></urlset>"),
        ]);
        let report = check_output(&files, &BaseUrl::parse("https://e.org/").unwrap());
        let messages: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert!(messages.iter().any(|m| m == "index.html: page has no <title>"), "{messages:?}");
        assert!(messages.iter().any(|m| m == "index.html: duplicate id `a`"), "{messages:?}");
        assert!(
            messages.iter().any(|m| m.starts_with("atom.xml: not well-formed XML")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("sitemap.xml: `https://e.org/missing/`: no file")),
            "{messages:?}"
        );
    }

    #[test]
    fn other_files_are_link_targets_and_html_must_be_utf8() {
        let output = CheckedOutput::default();
        let page = "<title>Home</title><link href=\"/style.css\"><a href=\"/bad.html\">b</a>";
        output.write("index.html", page.as_bytes()).unwrap();
        output.write("style.css", b"body {}").unwrap();
        output.write("bad.html", b"<title>caf\xe9</title>").unwrap();
        output.write("atom.xml", FEED.as_bytes()).unwrap();
        output.write("sitemap.xml", SITEMAP.replace("/sub/", "/").as_bytes()).unwrap();
        assert!(output.write("../escape.html", b"").is_err());
        let report = check_output(&output.into_files(), &BaseUrl::parse("https://e.org/").unwrap());
        let messages: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(messages, ["bad.html: not valid UTF-8 text"]);
        assert_eq!((report.pages, report.links), (1, 2));
    }

    #[test]
    fn normalises_dot_segments() {
        assert_eq!(normalise("/a/b/../c/./d/"), "/a/c/d/");
        assert_eq!(normalise("/../x"), "/x");
    }
}
