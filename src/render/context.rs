//! What templates see: the data each template of a theme is rendered with.
//!
//! These plain structs are the theme contract's data half (the template names
//! are the other half, see `DESIGN.md`). Every URL in them is already a public
//! path under the site's `base_url` (`/archive/2019/06/x/`), or absolute where
//! the field says so; templates never build URLs by hand. Every string is
//! plain text that Tera escapes, except the fields named `*_html`, which hold
//! HTML rendered from the author's own Markdown.

use serde::Serialize;

/// `site`: in every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    /// The site's title.
    pub title: String,
    /// One sentence about the site, if configured.
    pub description: Option<String>,
    /// BCP 47 language of the content (`lang` attribute).
    pub language: String,
    /// Public path of the home page (`/` or `/archive/`).
    pub home_url: String,
    /// Absolute URL of the home page (used as the feed's id).
    pub home_permalink: String,
    /// Public path of the Atom feed.
    pub feed_url: String,
    /// Absolute URL of the Atom feed.
    pub feed_permalink: String,
    /// Public path of the archive index (all years and months).
    pub archive_url: String,
    /// The taxonomies that have pages, in configured order.
    pub taxonomies: Vec<TaxonomyLink>,
    /// Public path of the search page, unless search is off (`search: false`).
    pub search_url: Option<String>,
}

/// A taxonomy in navigation: `{name: "tags", title: "Tags", url}`.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyLink {
    /// Machine name: `tags`, `authors`, `publications` or `series`.
    pub name: String,
    /// Human title: `Tags`, `Authors`, `Publications`, `Series`.
    pub title: String,
    /// Public path of the taxonomy's page listing all terms.
    pub url: String,
}

/// A link with a label: an author, a tag, a publication.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// The visible text.
    pub name: String,
    /// Public path, or `None` when the taxonomy has no pages.
    pub url: Option<String>,
}

/// A lead image's caption and credit.
#[derive(Debug, Clone, Serialize)]
pub struct ImageContext {
    /// The caption, without credit.
    pub caption: Option<String>,
    /// The credit (`Shutterstock`).
    pub credit: Option<String>,
}

/// A heading in a page's table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
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

/// A related teaser on an article page.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedContext {
    /// The teaser's headline.
    pub title: String,
    /// Public path of its archived page (full or stub), when archived.
    pub url: Option<String>,
    /// `YYYY-MM-DD`, when known.
    pub date: Option<String>,
    /// The date as site.yaml's `date_format` shows it, when known.
    pub date_display: Option<String>,
    /// What the teaser's date line said after `|`.
    pub byline: Option<String>,
    /// Image caption.
    pub caption: Option<String>,
    /// Image credit.
    pub credit: Option<String>,
    /// True when the archived page is only a stub.
    pub stub: bool,
}

/// A neighbour for prev/next navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourContext {
    /// Its title.
    pub title: String,
    /// Its public path.
    pub url: String,
}

/// `page` in `article.html` and `stub.html`: one article with everything about it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleContext {
    /// Headline.
    pub title: String,
    /// Public path of this page.
    pub url: String,
    /// Absolute URL of this page.
    pub permalink: String,
    /// `YYYY-MM-DD` (or `YYYY-MM-DDTHH:MM:SS` when a time was given): feed it to `date(format=…)`.
    pub date: String,
    /// The date as site.yaml's `date_format` shows it ("5 June 2019").
    pub date_display: String,
    /// RFC 3339 in UTC, for `<time datetime>` and feeds.
    pub date_rfc3339: String,
    /// Authors, each linking to their term page.
    pub authors: Vec<Link>,
    /// The publication, linking to its term page.
    pub publication: Option<Link>,
    /// The series, linking to its term page.
    pub series: Option<Link>,
    /// The standfirst.
    pub standfirst: Option<String>,
    /// Lead image caption and credit.
    pub image: Option<ImageContext>,
    /// Tags, each linking to its term page.
    pub tags: Vec<Link>,
    /// The rendered body (author Markdown: trusted, print with `| safe`).
    pub content_html: String,
    /// The rendered part before `<!-- more -->`, when the body has the marker.
    pub summary_html: Option<String>,
    /// Table of contents (top-level headings with nested children).
    pub toc: Vec<TocEntry>,
    /// Words in the body.
    pub word_count: usize,
    /// Minutes to read at 200 words a minute, at least 1.
    pub reading_minutes: usize,
    /// The author's biography.
    pub author_bio: Option<String>,
    /// The rights line.
    pub rights: Option<String>,
    /// The related teasers, in page order.
    pub related: Vec<RelatedContext>,
    /// The next older article (by date), if any.
    pub prev: Option<NeighbourContext>,
    /// The next newer article (by date), if any.
    pub next: Option<NeighbourContext>,
    /// True for a teaser whose full text is not archived.
    pub stub: bool,
    /// Front-matter keys galley does not know.
    pub extra: serde_json::Value,
}

/// An article in a listing (home, archives, term pages).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    /// Headline.
    pub title: String,
    /// Public path.
    pub url: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The date as site.yaml's `date_format` shows it.
    pub date_display: String,
    /// RFC 3339 in UTC.
    pub date_rfc3339: String,
    /// Authors with links.
    pub authors: Vec<Link>,
    /// Publication with link.
    pub publication: Option<Link>,
    /// The standfirst.
    pub standfirst: Option<String>,
    /// True for a stub ("full text not yet archived").
    pub stub: bool,
}

/// `paginator` on paginated listings.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveContext {
    /// `index` (all years), `year` or `month`.
    pub kind: String,
    /// Heading: `Archive`, `2019`, `June 2019`.
    pub title: String,
    /// The year, for `year` and `month` pages.
    pub year: Option<i16>,
    /// The month (1–12), for `month` pages.
    pub month: Option<i8>,
    /// Every year with articles, newest first (the whole archive's navigation).
    pub years: Vec<YearLink>,
}

/// `taxonomy` in `taxonomy.html` and `term.html`.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyContext {
    /// `tags`, `authors`, `publications`, `series`.
    pub name: String,
    /// `Tags`, `Authors`, …
    pub title: String,
    /// Public path of the page listing all terms.
    pub url: String,
}

/// A term of a taxonomy with its article count.
#[derive(Debug, Clone, Serialize)]
pub struct TermContext {
    /// As written (`Mehdi Khalaji`).
    pub name: String,
    /// Public path of the term's first page.
    pub url: String,
    /// Articles with this term.
    pub count: usize,
}

/// An entry of the Atom feed.
#[derive(Debug, Clone, Serialize)]
pub struct FeedEntry {
    /// Headline.
    pub title: String,
    /// Absolute URL (also the entry's id).
    pub permalink: String,
    /// RFC 3339 in UTC.
    pub updated: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Standfirst, as the summary.
    pub summary: Option<String>,
    /// The rendered body (HTML; the template escapes it into the XML).
    pub content_html: String,
}

/// `feed` in `atom.xml`.
#[derive(Debug, Clone, Serialize)]
pub struct FeedContext {
    /// RFC 3339 of the newest entry (deterministic: no build time).
    pub updated: String,
    /// The entries, newest first.
    pub entries: Vec<FeedEntry>,
}

/// A URL in `sitemap.xml`.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapEntry {
    /// Absolute URL.
    pub loc: String,
    /// `YYYY-MM-DD`, when the page has a date.
    pub lastmod: Option<String>,
}
