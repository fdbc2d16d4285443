//! What templates see: the one definition of the data each template of a
//! theme is rendered with.
//!
//! These types are the theme contract's data half (the template names are
//! the other half, see the README). [`SiteViews`](super::SiteViews) builds
//! them from the site graph, borrowing from it wherever it can, and a page
//! (built or served) serialises them into Tera's values. A field added here
//! therefore reaches every template, in `galley build` and `galley serve`
//! alike: nothing else lists the fields.
//!
//! Every URL in them is already a public path under the site's `base_url`
//! (`/archive/2019/06/x/`), or absolute where the field says so; templates
//! never build URLs by hand. Every string is plain text that Tera escapes,
//! except the fields named `*_html`, which hold HTML rendered from the
//! author's own Markdown.

use crate::yaml;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// Text of a context: borrowed from the graph, or made for the page.
pub type Text<'a> = Cow<'a, str>;

/// `site`: in every template.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct SiteContext<'a> {
    /// The site's title.
    pub title: Text<'a>,
    /// One sentence about the site, if configured.
    pub description: Option<Text<'a>>,
    /// BCP 47 language of the content (`lang` attribute).
    pub language: Text<'a>,
    /// Public path of the home page (`/` or `/archive/`).
    pub home_url: Text<'a>,
    /// Absolute URL of the home page (used as the feed's id).
    pub home_permalink: Text<'a>,
    /// Public path of the Atom feed.
    pub feed_url: Text<'a>,
    /// Absolute URL of the Atom feed.
    pub feed_permalink: Text<'a>,
    /// Public path of the archive index (all years and months).
    pub archive_url: Text<'a>,
    /// The taxonomies that have pages, in configured order.
    pub taxonomies: Vec<TaxonomyLink<'a>>,
    /// Public path of the search page, unless search is off (`search: false`).
    pub search_url: Option<Text<'a>>,
    /// `menu:` from site.yaml, drawn in the header of every page.
    pub menu: Vec<MenuLink<'a>>,
    /// The site's own icons (`static/favicon.svg`, `.png`, `.ico`), which
    /// replace the theme's; empty when it has none (the theme then
    /// declares its own, through `asset()`).
    pub icons: Vec<IconLink>,
}

/// An icon of the site, for `<link rel="icon">`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct IconLink {
    /// Public path (under the base path).
    pub url: String,
    /// Its media type (`image/svg+xml`).
    pub media_type: &'static str,
}

/// An entry of the site's menu.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct MenuLink<'a> {
    /// The link's text.
    pub title: Text<'a>,
    /// Public path (under the base path), or an absolute URL as written.
    pub url: Text<'a>,
}

/// `page` in `page.html`: a standalone page (an about or contact page).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct StandaloneContext<'a> {
    /// Its title.
    pub title: Text<'a>,
    /// Public path of this page (`/about/`).
    pub url: Text<'a>,
    /// Absolute URL of this page.
    pub permalink: Text<'a>,
    /// `YYYY-MM-DD`, when the front matter gives a date.
    pub date: Option<Text<'a>>,
    /// The date as site.yaml's `date_format` shows it, when given.
    pub date_display: Option<Text<'a>>,
    /// RFC 3339 in UTC, when given.
    pub date_rfc3339: Option<Text<'a>>,
    /// The standfirst, when given (also the page's description).
    pub standfirst: Option<Text<'a>>,
    /// The rendered body (author Markdown: trusted), marked safe: it prints as it is.
    #[serde(serialize_with = "super::values::safe_html")]
    pub content_html: BodyHtml<'a>,
    /// Table of contents.
    pub toc: Cow<'a, [TocEntry]>,
    /// Front-matter keys galley does not know.
    pub extra: Extra<'a>,
}

/// A taxonomy in navigation: `{name: "tags", title: "Tags", url}`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct TaxonomyLink<'a> {
    /// Machine name: `tags`, `authors`, `publications` or `series`.
    pub name: Text<'a>,
    /// Human title: `Tags`, `Authors`, `Publications`, `Series`.
    pub title: Text<'a>,
    /// Public path of the taxonomy's page listing all terms.
    pub url: Text<'a>,
}

/// A link with a label: an author, a tag, a publication.
#[derive(Debug, Clone, Hash)]
pub struct Link<'a> {
    /// The visible text.
    pub name: Text<'a>,
    /// Public path, or `None` when the taxonomy has no pages.
    pub url: Option<Text<'a>>,
    /// The link already converted into a template value (a term's, which
    /// every page showing the term shares), templates get in its place.
    pub shared: Shared<'a>,
}

impl Serialize for Link<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.shared.or_pair(serializer, "Link", ("name", &self.name), ("url", &self.url))
    }
}

/// A context already converted into a template value and shared by many
/// pages, or none. Serialised into Tera's values it is cloned (Tera passes a
/// value through as it is), not converted again with its strings copied;
/// its struct's other fields hold the same data, which hashes and other
/// serialisers use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shared<'a>(pub Option<&'a tera::Value>);

impl Hash for Shared<'_> {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl Shared<'_> {
    /// Serialises the shared value when there is one, or else struct `name`
    /// of the two fields given.
    fn or_pair<S: Serializer, A: Serialize, B: Serialize>(
        self,
        serializer: S,
        name: &'static str,
        first: (&'static str, &A),
        second: (&'static str, &B),
    ) -> Result<S::Ok, S::Error> {
        if let Some(value) = self.0 {
            return value.serialize(serializer);
        }
        let mut pair = serializer.serialize_struct(name, 2)?;
        pair.serialize_field(first.0, first.1)?;
        pair.serialize_field(second.0, second.1)?;
        pair.end()
    }
}

/// A lead image's caption and credit.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ImageContext<'a> {
    /// The caption, without credit.
    pub caption: Option<Text<'a>>,
    /// The credit (`Shutterstock`).
    pub credit: Option<Text<'a>>,
}

/// A heading in a page's table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct TocEntry {
    /// 1–6.
    pub level: u8,
    /// The heading's `id` attribute (unique in the page).
    pub id: String,
    /// The heading's visible text.
    pub title: String,
    /// Headings one level deeper, in order.
    pub children: Vec<TocEntry>,
}

/// HTML rendered from an article's Markdown, with the key that identifies
/// it (the page's content and where its links point). Templates see the
/// HTML; a hash of the context sees only the key, so comparing two builds
/// does not read every body again.
#[derive(Debug, Clone)]
pub struct BodyHtml<'a> {
    /// The HTML (trusted: the author's own Markdown, printed with `| safe`).
    pub html: Text<'a>,
    /// Identifies `html`: equal keys, equal HTML.
    pub key: u64,
}

impl Serialize for BodyHtml<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.html)
    }
}

impl Hash for BodyHtml<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// Front-matter keys galley does not know, as templates see them: the YAML
/// values in their JSON form (a key that JSON cannot hold makes the whole
/// map null, as it always did).
#[derive(Debug, Clone, Hash)]
pub struct Extra<'a>(pub &'a BTreeMap<String, yaml::Value>);

impl Serialize for Extra<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_json::to_value(self.0).unwrap_or(serde_json::Value::Null).serialize(serializer)
    }
}

/// A related teaser on an article page.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct RelatedContext<'a> {
    /// The teaser's headline.
    pub title: Text<'a>,
    /// Public path of its archived page (full or stub), when archived.
    pub url: Option<Text<'a>>,
    /// `YYYY-MM-DD`, when known.
    pub date: Option<Text<'a>>,
    /// The date as site.yaml's `date_format` shows it, when known.
    pub date_display: Option<Text<'a>>,
    /// What the teaser's date line said after `|`.
    pub byline: Option<Text<'a>>,
    /// Image caption.
    pub caption: Option<Text<'a>>,
    /// Image credit.
    pub credit: Option<Text<'a>>,
    /// True when the archived page is only a stub.
    pub stub: bool,
}

/// A neighbour for prev/next navigation.
#[derive(Debug, Clone, Hash)]
pub struct NeighbourContext<'a> {
    /// Its title.
    pub title: Text<'a>,
    /// Its public path.
    pub url: Text<'a>,
    /// The same as a template value (each article is the neighbour of two).
    pub shared: Shared<'a>,
}

impl Serialize for NeighbourContext<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (title, url) = (("title", &self.title), ("url", &self.url));
        self.shared.or_pair(serializer, "NeighbourContext", title, url)
    }
}

/// `page` in `article.html` and `stub.html`: one article with everything about it.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ArticleContext<'a> {
    /// Headline.
    pub title: Text<'a>,
    /// Public path of this page.
    pub url: Text<'a>,
    /// Absolute URL of this page.
    pub permalink: Text<'a>,
    /// `YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM:SS` when a time was given): feed it to `date(format=…)`.
    pub date: Text<'a>,
    /// The date as site.yaml's `date_format` shows it ("5 June 2019").
    pub date_display: Text<'a>,
    /// RFC 3339 in UTC, for `<time datetime>` and feeds.
    pub date_rfc3339: Text<'a>,
    /// Authors, each linking to their term page.
    pub authors: Vec<Link<'a>>,
    /// The publication, linking to its term page.
    pub publication: Option<Link<'a>>,
    /// The series, linking to its term page.
    pub series: Option<Link<'a>>,
    /// The standfirst.
    pub standfirst: Option<Text<'a>>,
    /// Lead image caption and credit.
    pub image: Option<ImageContext<'a>>,
    /// The lead image's address, when the page's front matter gives an
    /// absolute one (`image.src`): what link previews show.
    pub image_url: Option<Text<'a>>,
    /// Tags, each linking to its term page.
    pub tags: Vec<Link<'a>>,
    /// The rendered body (author Markdown: trusted), marked safe: it prints as it is.
    #[serde(serialize_with = "super::values::safe_html")]
    pub content_html: BodyHtml<'a>,
    /// The rendered part before `<!-- more -->`, when the body has the marker.
    pub summary_html: Option<BodyHtml<'a>>,
    /// Table of contents (top-level headings with nested children).
    pub toc: Cow<'a, [TocEntry]>,
    /// Words in the body.
    pub word_count: usize,
    /// Minutes to read at 200 words a minute, at least 1.
    pub reading_minutes: usize,
    /// The author's biography.
    pub author_bio: Option<Text<'a>>,
    /// The rights line.
    pub rights: Option<Text<'a>>,
    /// The related teasers, in page order.
    pub related: Vec<RelatedContext<'a>>,
    /// The next older article (by date), if any.
    pub prev: Option<NeighbourContext<'a>>,
    /// The next newer article (by date), if any.
    pub next: Option<NeighbourContext<'a>>,
    /// True for a teaser whose full text is not archived.
    pub stub: bool,
    /// Front-matter keys galley does not know.
    pub extra: Extra<'a>,
}

/// An article in a listing (home, archives, term pages): `pages` holds these,
/// each with `teaser_html`, the theme's `partials/teaser.html` rendered with
/// it as `p` (when the theme has that partial).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ArticleSummary<'a> {
    /// Headline.
    pub title: Text<'a>,
    /// Public path.
    pub url: Text<'a>,
    /// `YYYY-MM-DD`.
    pub date: Text<'a>,
    /// The date as site.yaml's `date_format` shows it.
    pub date_display: Text<'a>,
    /// RFC 3339 in UTC.
    pub date_rfc3339: Text<'a>,
    /// Authors with links.
    pub authors: Vec<Link<'a>>,
    /// Publication with link.
    pub publication: Option<Link<'a>>,
    /// The standfirst.
    pub standfirst: Option<Text<'a>>,
    /// True for a stub ("full text not yet archived").
    pub stub: bool,
}

/// `paginator` on paginated listings.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct PaginatorContext {
    /// 1-based number of this page.
    pub current: usize,
    /// How many pages the listing has (at least 1).
    pub total_pages: usize,
    /// How many articles the whole listing holds.
    pub total_items: usize,
    /// Public path of the previous (newer) page.
    pub prev_url: Option<String>,
    /// Public path of the next (older) page.
    pub next_url: Option<String>,
    /// Public path of page 1.
    pub first_url: String,
    /// Public path of the last page.
    pub last_url: String,
}

/// A month in the archive navigation.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct MonthLink {
    /// Year.
    pub year: i16,
    /// 1–12.
    pub month: i8,
    /// English month name (`June`).
    pub name: String,
    /// Public path of the month's archive page.
    pub url: String,
    /// Articles that month.
    pub count: usize,
}

/// A year in the archive navigation.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct YearLink {
    /// Year.
    pub year: i16,
    /// Public path of the year's archive page.
    pub url: String,
    /// Articles that year.
    pub count: usize,
    /// Its months with articles, January first.
    pub months: Vec<MonthLink>,
}

/// `archive` in `archive.html`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ArchiveContext<'a> {
    /// `index` (all years), `year` or `month`.
    pub kind: &'static str,
    /// Heading: `Archive`, `2019`, `June 2019`.
    pub title: String,
    /// The year, for `year` and `month` pages.
    pub year: Option<i16>,
    /// The month (1–12), for `month` pages.
    pub month: Option<i8>,
    /// Every year with articles, newest first (the whole archive's
    /// navigation). Every archive page shows the same years, so they are
    /// converted into a template value once and put into each page's
    /// `archive` by [`SiteViews::archive_value`](super::SiteViews::archive_value)
    /// rather than serialised with it.
    #[serde(skip)]
    pub years: &'a [YearLink],
}

/// `taxonomy` in `taxonomy.html` and `term.html`.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct TaxonomyContext<'a> {
    /// `tags`, `authors`, `publications`, `series`.
    pub name: Text<'a>,
    /// `Tags`, `Authors`, …
    pub title: Text<'a>,
    /// Public path of the page listing all terms.
    pub url: Text<'a>,
}

/// `term` in `term.html`, and each of `terms` in `taxonomy.html`: a term of a
/// taxonomy with its article count.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct TermContext<'a> {
    /// As written (`Mehdi Khalaji`).
    pub name: Text<'a>,
    /// Public path of the term's first page.
    pub url: Text<'a>,
    /// Articles with this term.
    pub count: usize,
    /// Public path of the term's Atom feed, unless its taxonomy has `feeds: false`.
    pub feed_url: Option<Text<'a>>,
}

/// An entry of the Atom feed.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct FeedEntry<'a> {
    /// Headline.
    pub title: Text<'a>,
    /// Absolute URL (also the entry's id).
    pub permalink: Text<'a>,
    /// RFC 3339 in UTC.
    pub updated: Text<'a>,
    /// Author names.
    pub authors: &'a [String],
    /// Standfirst, as the summary.
    pub summary: Option<Text<'a>>,
    /// The rendered body in the site's feed; in a term's feed, its lead
    /// (the part before `<!-- more -->`, else its first paragraph; empty
    /// when it opens otherwise). HTML, which the template escapes into the XML.
    pub content_html: BodyHtml<'a>,
}

/// `feed` in `atom.xml`: the site's feed, or one term's.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct FeedContext<'a> {
    /// The feed's title: the site's, or `Site — Term`.
    pub title: Text<'a>,
    /// Its id: the absolute URL of the page it follows (the home page, or the term's page).
    pub id: Text<'a>,
    /// Absolute URL of the feed itself (`rel=self`).
    pub self_url: Text<'a>,
    /// Absolute URL of the page it follows (`rel=alternate`).
    pub alternate_url: Text<'a>,
    /// RFC 3339 of the newest entry (deterministic: no build time).
    pub updated: Text<'a>,
    /// The entries, newest first.
    pub entries: Vec<FeedEntry<'a>>,
}

/// A URL in `sitemap.xml` (`entries`).
#[derive(Debug, Clone, Serialize, Hash)]
pub struct SitemapEntry {
    /// Absolute URL.
    pub loc: String,
    /// `YYYY-MM-DD`, when the page has a date.
    pub lastmod: Option<String>,
}
