//! `site.yaml`: the site's configuration.
//!
//! Every key is optional except `title`. An unknown key is an error that names
//! the key and the closest known one, because a misspelt key silently ignored
//! is a setting that silently does nothing.

use crate::error::{Diagnostic, Error, Location, Result};
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file name of a site's configuration.
pub const CONFIG_FILE: &str = "site.yaml";

/// A site's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name.
    pub title: String,
    /// Where the site will live; may carry a path (`https://example.org/archive/`).
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// One sentence shown under the title and in the feed.
    #[serde(default)]
    pub description: Option<String>,
    /// The language of the content (`lang` attribute, feed).
    #[serde(default = "default_language")]
    pub language: String,
    /// The theme under `themes/`; `default` is embedded in galley.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The URL pattern of articles: `:year`, `:month`, `:day`, `:slug`.
    #[serde(default = "default_permalink")]
    pub permalink: String,
    /// Articles per listing page.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// How pages show dates (`date_display` in templates), as a strftime
    /// format: `%-d %B %Y` is "5 June 2019".
    #[serde(default = "default_date_format")]
    pub date_format: String,
    /// Which taxonomies get pages: any of `tags`, `authors`, `publications`,
    /// `series`, each a name or `{name: tags, feeds: false}`.
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// The Atom feed.
    #[serde(default)]
    pub feed: FeedConfig,
    /// Code highlighting.
    #[serde(default)]
    pub highlight: HighlightConfig,
    /// Import of saved pages.
    #[serde(default)]
    pub import: ImportConfig,
    /// Whether the build writes a search page and its index (`search/`).
    #[serde(default = "default_search")]
    pub search: bool,
    /// Whether the build also writes the aliases as a `_redirects` file of
    /// 301s, for hosts that read one (Netlify, Cloudflare Pages); the
    /// redirect pages stay for the others.
    #[serde(default)]
    pub redirects_file: bool,
    /// Links drawn in the header of every page, in order.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// The icons of the site's own `static/` ([`SITE_ICON_FILES`]), which
    /// replace the theme's: found by the build, not a key of site.yaml.
    #[serde(skip)]
    pub site_icons: Vec<String>,
}

/// The icon files a site's `static/` may hold, each with its media type.
pub const SITE_ICON_FILES: &[(&str, &str)] = &[
    ("favicon.svg", "image/svg+xml"),
    ("favicon.png", "image/png"),
    ("favicon.ico", "image/x-icon"),
];

/// One entry of `menu:` in site.yaml: a title and either a standalone
/// page's slug (`page: about`) or an address (`url: /archive/2019/`, or
/// absolute: `https://example.org/`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The link's text.
    pub title: String,
    /// The slug of a standalone page (`content/pages/about.md` → `about`).
    #[serde(default)]
    pub page: Option<String>,
    /// A path in the site or an absolute URL.
    #[serde(default)]
    pub url: Option<String>,
}

/// A taxonomy in site.yaml: `tags`, or `{name: tags, feeds: false}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "TaxonomyEntry")]
pub struct TaxonomyConfig {
    /// `tags`, `authors`, `publications` or `series`.
    pub name: String,
    /// Whether each term gets an Atom feed (`<term>/atom.xml`); on unless `feeds: false`.
    pub feeds: bool,
}

/// How a taxonomy may be written in site.yaml.
#[derive(Deserialize)]
#[serde(untagged)]
enum TaxonomyEntry {
    Name(String),
    Full {
        name: String,
        #[serde(default = "default_search")]
        feeds: bool,
    },
}

impl From<TaxonomyEntry> for TaxonomyConfig {
    fn from(entry: TaxonomyEntry) -> Self {
        match entry {
            TaxonomyEntry::Name(name) => TaxonomyConfig { name, feeds: true },
            TaxonomyEntry::Full { name, feeds } => TaxonomyConfig { name, feeds },
        }
    }
}

impl PartialEq<&str> for TaxonomyConfig {
    fn eq(&self, name: &&str) -> bool {
        self.name == *name
    }
}

/// `feed:` in site.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// How many of the latest articles the feed carries.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

/// `highlight:` in site.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighlightConfig {
    /// A syntect theme name (`InspiredGitHub`, `base16-ocean.dark`, …).
    #[serde(default = "default_highlight_theme")]
    pub theme: String,
}

/// `import:` in site.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// The publication to assume when a saved page's first line is a section label.
    #[serde(default)]
    pub publication: Option<String>,
    /// Title prefixes ("The Last Word") that make an article part of a series.
    #[serde(default)]
    pub series_prefixes: Vec<String>,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_permalink() -> String {
    "/:year/:month/:slug/".to_string()
}
fn default_paginate() -> usize {
    20
}
fn default_date_format() -> String {
    "%-d %B %Y".to_string()
}
fn default_taxonomies() -> Vec<TaxonomyConfig> {
    ["tags", "authors", "publications"]
        .map(|name| TaxonomyConfig { name: name.to_string(), feeds: true })
        .into()
}
fn default_feed_limit() -> usize {
    20
}
fn default_search() -> bool {
    true
}
fn default_highlight_theme() -> String {
    "InspiredGitHub".to_string()
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig { limit: default_feed_limit() }
    }
}

impl Default for HighlightConfig {
    fn default() -> Self {
        HighlightConfig { theme: default_highlight_theme() }
    }
}

/// The keys each section accepts, for suggestions on a misspelt key.
const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "permalink",
    "paginate",
    "date_format",
    "taxonomies",
    "feed",
    "highlight",
    "import",
    "search",
    "menu",
    "redirects_file",
];
const SECTION_KEYS: &[(&str, &[&str])] = &[
    ("feed", &["limit"]),
    ("highlight", &["theme"]),
    ("import", &["publication", "series_prefixes"]),
];
/// Taxonomies galley knows how to build.
pub const KNOWN_TAXONOMIES: &[&str] = &["tags", "authors", "publications", "series"];

impl SiteConfig {
    /// Reads `site.yaml` from the site root.
    pub fn load(root: &Path) -> Result<SiteConfig> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        SiteConfig::parse(&text, &path)
    }

    /// Parses the text of a `site.yaml` at `path`.
    pub fn parse(text: &str, path: &Path) -> Result<SiteConfig> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: yaml::Value = yaml::parse(text, path, 1).map_err(|d| d.with_source(text))?;
        check_keys(&raw, text, path)?;
        let config: SiteConfig = yaml::parse(text, path, 1).map_err(|d| d.with_source(text))?;
        config.validate(text, path)?;
        Ok(config)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<()> {
        let fail = |key: &str, message: String| -> Error {
            Diagnostic {
                path: path.to_path_buf(),
                location: Some(key_location(text, key)),
                message,
                source_line: None,
            }
            .with_source(text)
            .into()
        };
        if self.paginate == 0 {
            return Err(fail("paginate", "`paginate` must be at least 1".into()));
        }
        if !self.permalink.contains(":slug") {
            return Err(fail("permalink", "`permalink` must contain `:slug`".into()));
        }
        for t in self.taxonomies.iter().map(|t| &t.name) {
            if !KNOWN_TAXONOMIES.contains(&t.as_str()) {
                return Err(fail(
                    "taxonomies",
                    format!(
                        "unknown taxonomy `{t}`; expected one of {}",
                        KNOWN_TAXONOMIES.join(", ")
                    ),
                ));
            }
        }
        crate::urls::BaseUrl::parse(&self.base_url).map_err(|m| fail("base_url", m))?;
        for (n, item) in self.menu.iter().enumerate() {
            let problem = match (&item.page, &item.url) {
                (Some(_), Some(_)) => Some("has both `page:` and `url:`; give one"),
                (None, None) => Some("needs `page:` (a standalone page's slug) or `url:`"),
                (Some(page), None) if crate::content::slugify(page) != *page || page.is_empty() => {
                    Some("has a `page:` that is not a slug; write the page's slug, such as `about`")
                }
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(fail(
                    "menu",
                    format!("menu entry {} (`{}`) {problem}", n + 1, item.title),
                ));
            }
        }
        // A format jiff cannot apply fails here, once, rather than on every page.
        let sample = jiff::civil::date(2019, 6, 5).to_datetime(jiff::civil::Time::midnight());
        if let Err(e) = jiff::fmt::strtime::format(&self.date_format, sample) {
            return Err(fail(
                "date_format",
                format!(
                    "`date_format: {}` is not a date format jiff can apply: {e}",
                    self.date_format
                ),
            ));
        }
        Ok(())
    }

    /// The configuration of a site with only a title, for tests and `init`.
    pub fn with_title(title: &str) -> SiteConfig {
        SiteConfig::parse(&format!("title: {title:?}\n"), &PathBuf::from(CONFIG_FILE))
            .unwrap_or_else(|e| panic!("default configuration is invalid: {e}"))
    }
}

fn check_keys(raw: &yaml::Value, text: &str, path: &Path) -> Result<()> {
    let Some(map) = raw.as_mapping() else {
        return Err(Diagnostic::at(
            path,
            Location::line(1),
            "expected a mapping of settings like `title: My archive`",
        )
        .with_source(text)
        .into());
    };
    let mut errors = Vec::new();
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        if !TOP_KEYS.contains(&key) {
            errors.push(unknown_key(key, TOP_KEYS, text, path));
            continue;
        }
        if let (Some((_, known)), Some(section)) =
            (SECTION_KEYS.iter().find(|(s, _)| *s == key), value.as_mapping())
        {
            for sub in section.keys().filter_map(|k| k.as_str()) {
                if !known.contains(&sub) {
                    errors.push(unknown_key(sub, known, text, path));
                }
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Error::many(errors)) }
}

fn unknown_key(key: &str, known: &[&str], text: &str, path: &Path) -> Error {
    let closest = known
        .iter()
        .map(|k| (strsim::jaro_winkler(key, k), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.7)
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_else(|| format!("; known keys are {}", known.join(", ")));
    Diagnostic {
        path: path.to_path_buf(),
        location: Some(key_location(text, key)),
        message: format!("unknown key `{key}`{closest}"),
        source_line: None,
    }
    .with_source(text)
    .into()
}

/// The line where `key:` is written, for pointing at a key after parsing.
fn key_location(text: &str, key: &str) -> Location {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                return Location { line: i + 1, column: line.len() - trimmed.len() + 1 };
            }
        }
    }
    Location::line(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_everything_but_title() {
        let c = SiteConfig::parse("title: Archive\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.paginate, 20);
        assert_eq!(c.permalink, "/:year/:month/:slug/");
        assert_eq!(c.taxonomies, ["tags", "authors", "publications"]);
        assert_eq!(c.feed.limit, 20);
        assert_eq!(c.base_url, "/");
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let err = SiteConfig::parse("title: A\npaginte: 5\n", Path::new("site.yaml")).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with("site.yaml:2:1: unknown key `paginte`; did you mean `paginate`?"),
            "{shown}"
        );
        let err =
            SiteConfig::parse("title: A\nfeed:\n  limt: 3\n", Path::new("site.yaml")).unwrap_err();
        assert!(
            err.to_string().contains("site.yaml:3:3: unknown key `limt`; did you mean `limit`?"),
            "{err}"
        );
    }

    #[test]
    fn missing_title_is_an_error() {
        let err = SiteConfig::parse("paginate: 5\n", Path::new("site.yaml")).unwrap_err();
        assert!(err.to_string().contains("title"), "{err}");
    }

    #[test]
    fn bad_values_are_reported_at_their_key() {
        let err = SiteConfig::parse("title: A\npaginate: 0\n", Path::new("site.yaml")).unwrap_err();
        assert!(err.to_string().starts_with("site.yaml:2:1:"), "{err}");
        let err = SiteConfig::parse("title: A\nbase_url: example.org\n", Path::new("site.yaml"))
            .unwrap_err();
        assert!(err.to_string().starts_with("site.yaml:2:1:"), "{err}");
        let err = SiteConfig::parse("title: A\ndate_format: \"%Q %Y\"\n", Path::new("site.yaml"))
            .unwrap_err();
        assert!(err.to_string().starts_with("site.yaml:2:1:"), "{err}");
        assert!(err.to_string().contains("date_format"), "{err}");
    }

    #[test]
    fn taxonomies_are_names_or_names_with_feeds_off() {
        let c = SiteConfig::parse(
            "title: A\ntaxonomies: [tags, {name: authors, feeds: false}]\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.taxonomies, ["tags", "authors"]);
        assert!(c.taxonomies[0].feeds && !c.taxonomies[1].feeds);
        let err = SiteConfig::parse("title: A\ntaxonomies: [colours]\n", Path::new("site.yaml"))
            .unwrap_err();
        assert!(err.to_string().contains("unknown taxonomy `colours`"), "{err}");
    }

    #[test]
    fn menu_entries_name_a_page_or_an_address() {
        let c = SiteConfig::parse(
            "title: A\nmenu:\n  - {title: About, page: about}\n  - {title: Home, url: /}\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.menu[0].page.as_deref(), Some("about"));
        assert_eq!(c.menu[1].url.as_deref(), Some("/"));
        for bad in ["{title: X}", "{title: X, page: a, url: /}", "{title: X, page: About Us}"] {
            let text = format!("title: A\nmenu:\n  - {bad}\n");
            let err = SiteConfig::parse(&text, Path::new("site.yaml")).unwrap_err();
            assert!(err.to_string().starts_with("site.yaml:2:1: menu entry 1"), "{bad}: {err}");
        }
    }

    #[test]
    fn date_format_lays_out_display_dates() {
        let c = SiteConfig::parse("title: A\n", Path::new("site.yaml")).unwrap();
        let date = crate::content::PageDate::parse("2019-06-05").unwrap();
        assert_eq!(date.display(&c.date_format), "5 June 2019");
        let c = SiteConfig::parse("title: A\ndate_format: \"%Y/%m/%d\"\n", Path::new("site.yaml"))
            .unwrap();
        assert_eq!(date.display(&c.date_format), "2019/06/05");
    }
}
