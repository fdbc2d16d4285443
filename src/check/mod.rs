//! Check: build in memory and look for what a reader would trip over —
//! broken internal links and anchors, pages without a title, duplicate ids,
//! and feed or sitemap entries that point nowhere.
//!
//! The checker reads the *output*, as a crawler would, so it also catches
//! links written by hand in Markdown or templates.

use crate::config::SiteConfig;
use crate::error::{Error, Result};
use crate::output::{OutputSink, check_relative};
use crate::pipeline::{BuildOptions, Builder};
use crate::urls::BaseUrl;
use html5gum::{Token, Tokenizer};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

mod links;
mod xml;

use links::{Resolver, Target};
use xml::{check_feed, check_sitemaps, xml_texts};

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
    let mut builder = Builder::new(root, options.clone());
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
}
