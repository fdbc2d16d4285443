//! A page as loaded from `content/`: front matter plus Markdown body, and
//! [`parse_page`], which makes one from a file's text.

use super::front_matter::{self, FrontMatter};
use super::slug::slugify;
use crate::error::Diagnostic;
use std::path::{Path, PathBuf};

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
    /// disk ([`Bodies::KeepUpTo`](super::Bodies::KeepUpTo)), to be read again
    /// when rendered.
    pub body: Option<String>,
    /// The file's line number (1-based) on which `body` starts, so errors found
    /// while rendering the body can name the file's line.
    pub body_first_line: usize,
    /// The slug: `front_matter.slug`, or the file's name ([`file_slug`]).
    pub slug: String,
    /// A standalone page (an about or contact page): under `content/pages/`
    /// or marked `page: true`. It is published at `/<slug>/` through
    /// `page.html`, in the sitemap and the search index, and out of the
    /// archive, the listings, the feed and the taxonomies.
    pub standalone: bool,
    /// Whether the front matter gave a date; only a standalone page may
    /// leave it out (its `front_matter.date` is then [`UNDATED`](super::front_matter::UNDATED)).
    pub dated: bool,
}

/// The folder of `content/` whose pages are standalone pages.
pub const PAGES_DIR: &str = "pages/";

/// A page file's text as [`parse_page`] takes it, which decides what becomes
/// of the body.
#[derive(Debug)]
pub enum PageText<'t> {
    /// Borrowed: the body is copied out of it.
    Borrowed(&'t str),
    /// Owned: the body keeps its buffer, the front matter cut off in place,
    /// so no second copy of the body is made.
    Owned(String),
    /// Borrowed, and the body left out (`Page::body` is `None`) for a
    /// [`BodyReader`](super::BodyReader) to read again when it is rendered.
    FrontMatterOnly(&'t str),
}

impl<'t> From<&'t str> for PageText<'t> {
    fn from(text: &'t str) -> Self {
        PageText::Borrowed(text)
    }
}

impl<'t> From<&'t String> for PageText<'t> {
    fn from(text: &'t String) -> Self {
        PageText::Borrowed(text)
    }
}

impl From<String> for PageText<'_> {
    fn from(text: String) -> Self {
        PageText::Owned(text)
    }
}

/// Parses a page file's text. `relative_path` is the path under `content/`
/// with `/` separators; `file` is the path errors name.
pub fn parse_page<'t>(
    file: &Path,
    relative_path: impl Into<String>,
    text: impl Into<PageText<'t>>,
) -> Result<Page, Diagnostic> {
    let text = text.into();
    let full_text = match &text {
        PageText::Borrowed(text) | PageText::FrontMatterOnly(text) => text,
        PageText::Owned(text) => text.as_str(),
    };
    let relative_path = relative_path.into();
    let in_pages_dir = relative_path.starts_with(PAGES_DIR);
    let parsed = front_matter::parse_front_matter(file, full_text, in_pages_dir)?;
    let slug = page_slug(file, full_text, &parsed)?;
    check_aliases(file, full_text, &parsed)?;
    let body_first_line = parsed.split.body_first_line;
    let body_offset = full_text.len() - parsed.split.body.len();
    let (standalone, dated) = (parsed.standalone, parsed.dated);
    let front_matter = parsed.front_matter;
    let body = match text {
        PageText::Borrowed(text) => Some(text[body_offset..].to_string()),
        PageText::Owned(mut text) => {
            text.replace_range(..body_offset, "");
            Some(text)
        }
        PageText::FrontMatterOnly(_) => None,
    };
    Ok(Page {
        relative_path,
        file: file.to_path_buf(),
        front_matter,
        body,
        body_first_line,
        slug,
        standalone,
        dated,
    })
}

/// The page's slug: the front matter's, which must be one already, or else
/// the file's name ([`file_slug`]). Never the title, so that editing a title
/// never moves the page.
fn page_slug(
    file: &Path,
    text: &str,
    parsed: &front_matter::ParsedFrontMatter<'_>,
) -> Result<String, Diagnostic> {
    let error_at_key = |key: &str, message: String| {
        front_matter::error_at_line(file, text, parsed.key_line(key), message)
    };
    match &parsed.front_matter.slug {
        Some(slug) if slug.is_empty() || slugify(slug) != *slug => Err(error_at_key(
            "slug",
            format!(
                "`{slug}` is not a valid slug: use lowercase ASCII letters and digits \
                 joined by single `-`, such as `{}`",
                slugify(slug)
            ),
        )),
        Some(slug) => Ok(slug.clone()),
        None => {
            let slug = file_slug(file);
            if slug.is_empty() {
                return Err(front_matter::error_at_line(
                    file,
                    text,
                    1,
                    "the file name has no letter or digit to make a URL slug from; \
                     rename the file or add a `slug:` key"
                        .to_string(),
                ));
            }
            Ok(slug)
        }
    }
}

/// Every `aliases:` entry is a plain path in the site, or an error at the key's line.
fn check_aliases(
    file: &Path,
    text: &str,
    parsed: &front_matter::ParsedFrontMatter<'_>,
) -> Result<(), Diagnostic> {
    for (n, alias) in parsed.front_matter.aliases.iter().enumerate() {
        if let Err(problem) = check_alias(alias) {
            return Err(front_matter::error_at_line(
                file,
                text,
                parsed.key_line("aliases"),
                format!("alias {} (`{alias}`) {problem}", n + 1),
            ));
        }
    }
    Ok(())
}

/// The slug a file's name gives: its stem (`khameneis-calculations.md` →
/// `khameneis-calculations`), or its directory's name for an `index.md`
/// (a page kept in a folder with its images), made URL-safe.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::test_pages::MINIMAL;
    use crate::error::Location;
    use crate::yaml;

    fn parse(text: &str) -> Result<Page, Diagnostic> {
        parse_page(Path::new("content/a.md"), "a.md", text)
    }

    fn parse_err(text: &str) -> Diagnostic {
        parse(text).expect_err("the page should not load")
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
        let text = "---\ntitle: x\ndate: 2019-06-28\n---\n";
        let err = parse_page(Path::new("content/¿¡.md"), "¿¡.md", text).expect_err("no slug");
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
            let text = format!("---\ntitle: T\ndate: 2019-06-28\naliases: [\"{bad}\"]\n---\n");
            let err = parse_err(&text);
            assert_eq!(err.location, Some(Location::line(4)), "{bad}");
            assert!(err.message.contains("alias 1"), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn standalone_pages_need_a_title_but_no_date() {
        let about = "---\ntitle: About\n---\nWho we are.\n";
        let page =
            parse_page(Path::new("content/pages/about.md"), "pages/about.md", about).unwrap();
        assert!(page.standalone && !page.dated);
        assert_eq!(page.slug, "about");
        let marked = parse("---\ntitle: Contact\npage: true\ndate: 2020-01-02\n---\n").unwrap();
        assert!(marked.standalone && marked.dated);
        assert_eq!(marked.front_matter.date.to_string(), "2020-01-02");
        let err = parse_err("---\ntitle: About\n---\n");
        assert!(err.message.contains("content/pages/"), "{}", err.message);
        let err = parse_page(
            Path::new("content/pages/x.md"),
            "pages/x.md",
            "---\ndate: 2020-01-02\n---\n",
        )
        .expect_err("a title is required");
        assert!(err.message.contains("`title:`"), "{}", err.message);
        let err = parse_err("---\ntitle: About\npage: maybe\n---\n");
        assert_eq!(err.location, Some(Location::line(3)));
        assert!(!parse(MINIMAL).unwrap().standalone);
    }

    #[test]
    fn every_kind_of_text_gives_the_same_page() {
        let file = Path::new("content/a.md");
        let borrowed = parse_page(file, "a.md", MINIMAL).unwrap();
        let owned = parse_page(file, "a.md", MINIMAL.to_string()).unwrap();
        let without_body = parse_page(file, "a.md", PageText::FrontMatterOnly(MINIMAL)).unwrap();
        assert_eq!(owned, borrowed);
        assert_eq!(without_body.body, None);
        assert_eq!(Page { body: borrowed.body.clone(), ..without_body }, borrowed);
    }
}
