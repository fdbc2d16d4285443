//! Views: the site graph seen as the template contexts of [`context`](super::context).
//!
//! [`SiteViews`] is made once per graph and builds every context a page is
//! rendered with, borrowing from the graph. What many pages show unchanged
//! (the `site`, an article's URL and dates, its listing entry, the archive
//! navigation) is made once and shared. Nothing here renders Markdown:
//! article bodies come in already rendered.

use super::context::*;
use super::link_views::LinkValues;
use super::site_chrome::SiteChrome;
use super::{Renderer, values};
use crate::content::PageDate;
use crate::markdown::RenderedMarkdown;
use crate::site::archive::month_name;
use crate::site::outputs::{Listing, ListingKind, OutputPage, SITEMAP_LIMIT};
use crate::site::taxonomy::taxonomy_title;
use crate::site::{Article, SiteGraph};
use std::borrow::Cow;
use std::sync::OnceLock;

/// The template of one article in a listing.
const TEASER_TEMPLATE: &str = "partials/teaser.html";

/// An article's rendered body and the key that identifies it (see [`BodyHtml`]).
#[derive(Debug, Clone, Copy)]
pub struct Body<'b> {
    /// Identifies the rendered Markdown: the page's content and its links' targets.
    pub key: u64,
    /// The rendered Markdown.
    pub rendered: &'b RenderedMarkdown,
}

/// What every page of a build shares: computed once per graph.
pub struct SiteViews<'g> {
    /// The graph the views are of.
    pub graph: &'g SiteGraph,
    /// `site` in every template.
    pub site: SiteContext<'g>,
    /// `site` as a Tera value, converted once (see `render::values`).
    pub(super) site_value: tera::Value,
    /// What every page shows the same, rendered once (see `site_chrome`).
    pub(super) chrome: SiteChrome,
    /// The archive navigation (every year and month with counts).
    years: Vec<YearLink>,
    years_value: tera::Value,
    /// Each summary as a Tera value with its rendered `teaser_html`, made on
    /// first use: an article shows on six to eight listings.
    summary_values: Vec<OnceLock<Result<tera::Value, String>>>,
    /// What an article's page, its listing entry and pages linking to it
    /// all show, by article index, made on first use.
    facts: Vec<OnceLock<ArticleFacts>>,
    /// The public path of each term's page, by taxonomy and term.
    pub(super) term_urls: Vec<Vec<String>>,
    /// Term links and neighbours as template values (see `link_views`).
    pub(super) link_values: LinkValues,
    /// Each article's entry in the site's feed and in its terms' feeds, as
    /// a Tera value with the key of the body it was made from, made on first use.
    body_entry_values: Vec<OnceLock<(u64, tera::Value)>>,
    lead_entry_values: Vec<OnceLock<(u64, tera::Value)>>,
}

/// An article's URL and dates as every context that shows them needs them.
pub(super) struct ArticleFacts {
    pub(super) url: String,
    date: String,
    date_display: String,
    date_rfc3339: String,
}

impl<'g> SiteViews<'g> {
    /// Computes the shared views of `graph`, for rendering many of its pages.
    pub fn new(graph: &'g SiteGraph) -> SiteViews<'g> {
        SiteViews { link_values: LinkValues::new(graph), ..SiteViews::for_one_page(graph) }
    }

    /// The views of `graph` for rendering one page: no term or neighbour
    /// link is kept to be shared with other pages.
    pub fn for_one_page(graph: &'g SiteGraph) -> SiteViews<'g> {
        let config = &graph.config;
        let site = SiteContext {
            title: Cow::Borrowed(&config.title),
            description: config.description.as_deref().map(Cow::Borrowed),
            language: Cow::Borrowed(&config.language),
            home_url: graph.url("/").into(),
            home_permalink: graph.permalink("/").into(),
            feed_url: graph.url("/atom.xml").into(),
            feed_permalink: graph.permalink("/atom.xml").into(),
            archive_url: graph.url("/archive/").into(),
            search_url: config.search.then(|| graph.url("/search/").into()),
            menu: config.menu.iter().map(|item| menu_link(graph, item)).collect(),
            icons: crate::config::SITE_ICON_FILES
                .iter()
                .filter(|(name, _)| config.site_icons.iter().any(|own| own == name))
                .map(|&(name, media_type)| IconLink {
                    url: graph.url(&format!("/{name}")),
                    media_type,
                })
                .collect(),
            taxonomies: graph
                .taxonomies
                .iter()
                .map(|t| TaxonomyLink {
                    name: Cow::Borrowed(&t.name),
                    title: Cow::Borrowed(&t.title),
                    url: graph.url(&format!("/{}/", t.name)).into(),
                })
                .collect(),
        };
        let site_value = values::to_value(&site);
        let chrome = SiteChrome::new(&site);
        let articles = graph.articles.len();
        let term_urls = (0..graph.taxonomies.len())
            .map(|t| {
                (0..graph.taxonomies[t].terms.len())
                    .map(|term| graph.url(&graph.listing_base_path(ListingKind::Term(t, term))))
                    .collect()
            })
            .collect::<Vec<Vec<String>>>();
        let years = year_links(graph);
        let years_value = values::to_value(&years);
        SiteViews {
            graph,
            site,
            site_value,
            chrome,
            years,
            years_value,
            summary_values: (0..articles).map(|_| OnceLock::new()).collect(),
            facts: (0..articles).map(|_| OnceLock::new()).collect(),
            term_urls,
            link_values: LinkValues::unshared(),
            body_entry_values: (0..articles).map(|_| OnceLock::new()).collect(),
            lead_entry_values: (0..articles).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The per-article caches, to be freed where nobody waits for them.
    pub fn into_caches(self) -> impl Send + 'static {
        (self.summary_values, self.facts, self.body_entry_values, self.lead_entry_values)
    }

    /// `site` for a page's template, with the parts every page shares
    /// (see [`SiteChrome::site_value`]).
    pub fn site_value(&self, renderer: &Renderer) -> crate::error::Result<tera::Value> {
        self.chrome.site_value(&self.site_value, renderer)
    }

    /// `header_html` for the page at `current_url` (see [`SiteChrome::header_value`]).
    pub fn header_value(
        &self,
        renderer: &Renderer,
        current_url: &str,
    ) -> crate::error::Result<Option<tera::Value>> {
        self.chrome.header_value(&self.site_value, renderer, current_url)
    }

    /// A link to the term page of `value` in `taxonomy` (see [`LinkValues::term_link`]).
    pub fn term_link<'s>(&'s self, taxonomy: &str, value: &'s str) -> Link<'s> {
        self.link_values.term_link(self.graph, &self.term_urls, taxonomy, value)
    }

    fn term_links<'s>(&'s self, taxonomy: &str, values: &'s [String]) -> Vec<Link<'s>> {
        values.iter().map(|value| self.term_link(taxonomy, value)).collect()
    }

    fn neighbour(&self, index: Option<usize>) -> Option<NeighbourContext<'_>> {
        let title = |i: usize| &*self.graph.articles[i].page.front_matter.title;
        index.map(|i| self.link_values.neighbour(i, title(i), &self.facts(i).url))
    }

    pub(super) fn facts(&self, index: usize) -> &ArticleFacts {
        self.facts[index].get_or_init(|| {
            let graph = self.graph;
            let article = &graph.articles[index];
            let date = article.page.front_matter.date;
            ArticleFacts {
                url: graph.url(&article.site_path),
                date: date.to_string(),
                date_display: date.display(&graph.config.date_format),
                date_rfc3339: date.rfc3339(),
            }
        })
    }

    /// `date` as templates show it (`YYYY-MM-DD`) and as site.yaml's
    /// `date_format` shows it: the archived article's own (made once) when
    /// `target` is an article of that date, as a related teaser's usually is.
    fn date_texts(&self, date: PageDate, target: Option<usize>) -> (Text<'_>, Text<'_>) {
        match target {
            Some(i) if self.graph.articles[i].page.front_matter.date == date => {
                let facts = self.facts(i);
                (Cow::Borrowed(&facts.date), Cow::Borrowed(&facts.date_display))
            }
            _ => (date.to_string().into(), date.display(&self.graph.config.date_format).into()),
        }
    }

    /// The archived page of teaser `n` of article `index`, if archived.
    pub fn teaser_target(&self, index: usize, n: usize) -> Option<usize> {
        self.graph.teaser_target(index, n)
    }

    /// The older and newer full articles next to article `index` (stubs have none).
    pub fn neighbours(&self, index: usize) -> (Option<usize>, Option<usize>) {
        let full = &self.graph.full_articles;
        match full.binary_search(&index) {
            Ok(position) => {
                let older = full.get(position + 1).copied();
                let newer = position.checked_sub(1).map(|p| full[p]);
                (older, newer)
            }
            Err(_) => (None, None),
        }
    }

    /// `page` for article.html / stub.html.
    pub fn article<'s>(&'s self, index: usize, body: Body<'s>) -> ArticleContext<'s> {
        let graph = self.graph;
        let article: &Article = &graph.articles[index];
        let fm = &article.page.front_matter;
        let facts = self.facts(index);
        let (older, newer) = self.neighbours(index);
        let rendered = body.rendered;
        ArticleContext {
            title: Cow::Borrowed(&fm.title),
            url: Cow::Borrowed(&facts.url),
            permalink: graph.permalink(&article.site_path).into(),
            date: Cow::Borrowed(&facts.date),
            date_display: Cow::Borrowed(&facts.date_display),
            date_rfc3339: Cow::Borrowed(&facts.date_rfc3339),
            authors: self.term_links("authors", &fm.authors),
            publication: fm.publication.as_deref().map(|p| self.term_link("publications", p)),
            series: fm.series.as_deref().map(|s| self.term_link("series", s)),
            standfirst: fm.standfirst.as_deref().map(Cow::Borrowed),
            image: fm.image.as_ref().filter(|i| i.caption.is_some() || i.credit.is_some()).map(
                |i| ImageContext {
                    caption: i.caption.as_deref().map(Cow::Borrowed),
                    credit: i.credit.as_deref().map(Cow::Borrowed),
                },
            ),
            image_url: fm
                .image
                .as_ref()
                .and_then(|i| i.src.as_deref())
                .filter(|src| src.starts_with("https://") || src.starts_with("http://"))
                .map(Cow::Borrowed),
            tags: self.term_links("tags", &fm.tags),
            content_html: BodyHtml { html: Cow::Borrowed(&rendered.html), key: body.key },
            summary_html: rendered
                .summary_html
                .as_deref()
                .map(|html| BodyHtml { html: Cow::Borrowed(html), key: body.key }),
            toc: Cow::Borrowed(&rendered.toc),
            word_count: rendered.word_count,
            reading_minutes: rendered.reading_minutes,
            author_bio: fm.author_bio.as_deref().map(Cow::Borrowed),
            rights: fm.rights.as_deref().map(Cow::Borrowed),
            related: fm
                .related
                .iter()
                .enumerate()
                .map(|(n, teaser)| {
                    let target_index = self.teaser_target(index, n);
                    let dates = teaser.date.map(|d| self.date_texts(d, target_index));
                    let (date, date_display) = dates.unzip();
                    RelatedContext {
                        title: Cow::Borrowed(&teaser.title),
                        url: target_index.map(|i| Cow::Borrowed(self.facts(i).url.as_str())),
                        date,
                        date_display,
                        byline: teaser.byline.as_deref().map(Cow::Borrowed),
                        caption: teaser.caption.as_deref().map(Cow::Borrowed),
                        credit: teaser.credit.as_deref().map(Cow::Borrowed),
                        stub: target_index
                            .is_some_and(|i| graph.articles[i].page.front_matter.stub),
                    }
                })
                .collect(),
            prev: self.neighbour(older),
            next: self.neighbour(newer),
            stub: fm.stub,
            extra: Extra(&fm.extra),
        }
    }

    /// `page` for page.html: standalone page `index`.
    pub fn standalone<'s>(&'s self, index: usize, body: Body<'s>) -> StandaloneContext<'s> {
        let graph = self.graph;
        let article = &graph.articles[index];
        let fm = &article.page.front_matter;
        let facts = self.facts(index);
        let dated = article.page.dated;
        StandaloneContext {
            title: Cow::Borrowed(&fm.title),
            url: Cow::Borrowed(&facts.url),
            permalink: graph.permalink(&article.site_path).into(),
            date: dated.then_some(Cow::Borrowed(facts.date.as_str())),
            date_display: dated.then_some(Cow::Borrowed(facts.date_display.as_str())),
            date_rfc3339: dated.then_some(Cow::Borrowed(facts.date_rfc3339.as_str())),
            standfirst: fm.standfirst.as_deref().map(Cow::Borrowed),
            content_html: BodyHtml { html: Cow::Borrowed(&body.rendered.html), key: body.key },
            toc: Cow::Borrowed(&body.rendered.toc),
            extra: Extra(&fm.extra),
        }
    }

    /// Article `index` as a listing shows it.
    pub fn summary(&self, index: usize) -> ArticleSummary<'_> {
        let fm = &self.graph.articles[index].page.front_matter;
        let facts = self.facts(index);
        ArticleSummary {
            title: Cow::Borrowed(&fm.title),
            url: Cow::Borrowed(&facts.url),
            date: Cow::Borrowed(&facts.date),
            date_display: Cow::Borrowed(&facts.date_display),
            date_rfc3339: Cow::Borrowed(&facts.date_rfc3339),
            authors: self.term_links("authors", &fm.authors),
            publication: fm.publication.as_deref().map(|p| self.term_link("publications", p)),
            standfirst: fm.standfirst.as_deref().map(Cow::Borrowed),
            stub: fm.stub,
        }
    }

    /// The summaries of one listing page as a Tera list (`pages`), each
    /// summary converted (and its teaser rendered) once for every listing it
    /// appears on.
    pub fn listing_summary_values(
        &self,
        listing: Listing,
        renderer: &Renderer,
    ) -> crate::error::Result<tera::Value> {
        let mut items = Vec::new();
        for &i in self.graph.listing_page_items(listing) {
            let value = self.summary_values[i].get_or_init(|| {
                let summary = values::to_value(&self.summary(i));
                // A theme without the partial gets the plain summaries.
                if !renderer.has_template(TEASER_TEMPLATE) {
                    return Ok(summary);
                }
                let mut context = tera::Context::new();
                context.insert_value("p", summary.clone());
                let html = renderer.render(TEASER_TEMPLATE, &context).map_err(|e| e.to_string())?;
                // The context holds the other reference to `summary`: dropped
                // first, `with_field` adds the field in place instead of copying the map.
                drop(context);
                // Marked safe: it is the output of an autoescaping template, and
                // printing it needs no `| safe` filter call per listing entry.
                let html = tera::Value::safe_string(html.trim_end());
                Ok(values::with_field(summary, "teaser_html", html))
            });
            match value {
                Ok(value) => items.push(value.clone()),
                Err(message) => return Err(crate::error::Error::Usage(message.clone())),
            }
        }
        Ok(values::list(items))
    }

    /// `paginator` for one listing page.
    pub fn paginator(&self, listing: Listing) -> PaginatorContext {
        let graph = self.graph;
        let total_pages = graph.listing_pages(listing.kind);
        let url = |n: usize| graph.url(&graph.listing_path(listing.kind, n));
        PaginatorContext {
            current: listing.number,
            total_pages,
            total_items: graph.listing_items(listing.kind).len(),
            prev_url: (listing.number > 1).then(|| url(listing.number - 1)),
            next_url: (listing.number < total_pages).then(|| url(listing.number + 1)),
            first_url: url(1),
            last_url: url(total_pages),
        }
    }

    /// `archive` for the archive index (`None`), a year or a month page.
    pub fn archive(&self, kind: Option<ListingKind>) -> ArchiveContext<'_> {
        let (kind_name, title, year, month) = match kind {
            Some(ListingKind::Year(y)) => {
                let year = self.graph.years[y].year;
                ("year", year.to_string(), Some(year), None)
            }
            Some(ListingKind::Month(y, m)) => {
                let month = &self.graph.years[y].months[m];
                (
                    "month",
                    format!("{} {}", month_name(month.month), month.year),
                    Some(month.year),
                    Some(month.month),
                )
            }
            _ => ("index", "Archive".to_string(), None, None),
        };
        ArchiveContext { kind: kind_name, title, year, month, years: &self.years }
    }

    /// [`archive`](Self::archive) as a Tera value, with the years converted once for all pages.
    pub fn archive_value(&self, archive: &ArchiveContext<'_>) -> tera::Value {
        values::with_field(values::to_value(archive), "years", self.years_value.clone())
    }

    /// `taxonomy` for a taxonomy's pages.
    pub fn taxonomy(&self, t: usize) -> TaxonomyContext<'_> {
        let taxonomy = &self.graph.taxonomies[t];
        TaxonomyContext {
            name: Cow::Borrowed(&taxonomy.name),
            title: taxonomy_title(&taxonomy.name).into(),
            url: self.graph.url(&format!("/{}/", taxonomy.name)).into(),
        }
    }

    /// `term` for one term, or each entry of `terms`.
    pub fn term(&self, t: usize, term: usize) -> TermContext<'_> {
        let value = &self.graph.taxonomies[t].terms[term];
        TermContext {
            name: Cow::Borrowed(&value.name),
            url: Cow::Borrowed(&self.term_urls[t][term]),
            count: value.articles.len(),
            feed_url: self.graph.term_feeds(t).then(|| {
                self.graph.url(&self.graph.site_path(OutputPage::TermFeed(t, term))).into()
            }),
        }
    }

    /// `terms` for a taxonomy's index page.
    pub fn terms(&self, t: usize) -> Vec<TermContext<'_>> {
        (0..self.graph.taxonomies[t].terms.len()).map(|term| self.term(t, term)).collect()
    }

    /// The articles the feed carries: the newest full articles, up to the limit.
    pub fn feed_articles(&self) -> &'g [usize] {
        let full = &self.graph.full_articles;
        &full[..full.len().min(self.graph.config.feed.limit)]
    }

    /// The articles feed page `feed` carries (the site's feed or a term's), newest first.
    pub fn articles_of_feed(&self, feed: OutputPage) -> Cow<'g, [usize]> {
        match feed {
            OutputPage::TermFeed(t, term) => self.graph.term_feed_articles(t, term).into(),
            _ => Cow::Borrowed(self.feed_articles()),
        }
    }

    /// `feed` for feed page `feed` (the site's or a term's) as a Tera value;
    /// `bodies` are the rendered bodies of its
    /// [`articles_of_feed`](Self::articles_of_feed), in order. Each entry is
    /// converted once for all the feeds that carry it (an article is in the
    /// feeds of several terms), as listing entries are.
    pub fn feed_value(&self, feed: OutputPage, bodies: &[Body<'_>]) -> tera::Value {
        let graph = self.graph;
        let (title, page_path) = match feed {
            OutputPage::TermFeed(t, term) => (
                format!("{} — {}", graph.config.title, graph.taxonomies[t].terms[term].name).into(),
                graph.listing_base_path(ListingKind::Term(t, term)),
            ),
            _ => (Cow::Borrowed(graph.config.title.as_str()), "/".to_string()),
        };
        // A term's feed carries each article's lead, the site's feed the
        // whole body: every article is in up to a dozen term feeds.
        let term_feed = matches!(feed, OutputPage::TermFeed(..));
        let cached = if term_feed { &self.lead_entry_values } else { &self.body_entry_values };
        let articles = self.articles_of_feed(feed);
        let entries = articles.iter().zip(bodies).map(|(&i, body)| {
            let entry = || values::to_value(&self.feed_entry(i, *body, term_feed));
            match cached[i].get_or_init(|| (body.key, entry())) {
                (key, value) if *key == body.key => value.clone(),
                _ => entry(),
            }
        });
        let entries = values::list(entries);
        let alternate_url: Text<'_> = graph.permalink(&page_path).into();
        // Deterministic: the feed is as new as its newest entry, never the build time.
        let newest = articles.iter().zip(bodies).next().map(|(&i, _)| i);
        let updated = newest.map_or("1970-01-01T00:00:00Z", |i| &self.facts(i).date_rfc3339);
        let context = FeedContext {
            title,
            id: alternate_url.clone(),
            self_url: graph.permalink(&graph.site_path(feed)).into(),
            alternate_url,
            updated: Cow::Borrowed(updated),
            entries: Vec::new(),
        };
        values::with_field(values::to_value(&context), "entries", entries)
    }

    /// Article `i`'s entry in a feed: with its lead in a term's feed, else its whole body.
    fn feed_entry<'s>(&'s self, i: usize, body: Body<'s>, term_feed: bool) -> FeedEntry<'s> {
        let graph = self.graph;
        let article = &graph.articles[i];
        let fm = &article.page.front_matter;
        FeedEntry {
            title: Cow::Borrowed(&fm.title),
            permalink: graph.permalink(&article.site_path).into(),
            updated: Cow::Borrowed(&self.facts(i).date_rfc3339),
            authors: &fm.authors,
            summary: fm.standfirst.as_deref().map(Cow::Borrowed),
            content_html: if term_feed {
                let key = crate::fingerprint::of((body.key, "lead"));
                BodyHtml { html: Cow::Borrowed(body.rendered.lead_html()), key }
            } else {
                BodyHtml { html: Cow::Borrowed(&body.rendered.html), key: body.key }
            },
        }
    }

    /// `entries` of sitemap part `part` (0-based): every HTML page but 404,
    /// with the article date as `lastmod`.
    pub fn sitemap_entries(&self, part: usize) -> Vec<SitemapEntry> {
        let graph = self.graph;
        graph
            .sitemap_pages()
            .into_iter()
            .skip(part * SITEMAP_LIMIT)
            .take(SITEMAP_LIMIT)
            .map(|page| SitemapEntry {
                loc: graph.permalink(&graph.site_path(page)),
                lastmod: match page {
                    OutputPage::Article(i) => {
                        Some(graph.articles[i].page.front_matter.date.date().to_string())
                    }
                    _ => None,
                },
            })
            .collect()
    }

    /// Every alias's public path and its article's, for `_redirects`. An
    /// alias naming a file (`/old.html`) redirects as written; one naming a
    /// directory, with and without its final slash.
    pub fn redirects(&self) -> Vec<(String, String)> {
        let graph = self.graph;
        let mut redirects = Vec::new();
        for article in &graph.articles {
            let to = graph.url(&article.site_path);
            for alias in &article.page.front_matter.aliases {
                let from = graph.url(&crate::site::outputs::alias_path(alias));
                // A line of the file is words: such an alias keeps its page only.
                if from.contains(char::is_whitespace) {
                    continue;
                }
                if let Some(bare) = from.strip_suffix('/') {
                    redirects.push((bare.to_string(), to.clone()));
                }
                redirects.push((from, to.clone()));
            }
        }
        redirects
    }

    /// The absolute URL of each sitemap part, for the sitemap index.
    pub fn sitemap_parts(&self) -> Vec<String> {
        let graph = self.graph;
        (0..graph.sitemap_parts())
            .map(|part| graph.permalink(&graph.site_path(OutputPage::Sitemap(part))))
            .collect()
    }
}

/// A `menu:` entry as templates see it: a page's address (checked to exist
/// when the graph is built), a site path under the base path, or an
/// absolute URL as written.
fn menu_link<'g>(graph: &'g SiteGraph, item: &'g crate::config::MenuItem) -> MenuLink<'g> {
    let url = match (&item.page, &item.url) {
        (Some(page), _) => graph.url(&format!("/{page}/")).into(),
        (None, Some(url)) if url.starts_with('/') => graph.url(url).into(),
        (None, Some(url)) => Cow::Borrowed(url.as_str()),
        (None, None) => graph.url("/").into(),
    };
    MenuLink { title: Cow::Borrowed(&item.title), url }
}

fn year_links(graph: &SiteGraph) -> Vec<YearLink> {
    graph
        .years
        .iter()
        .enumerate()
        .map(|(y, year)| YearLink {
            year: year.year,
            url: graph.url(&graph.listing_base_path(ListingKind::Year(y))),
            count: year.articles.len(),
            months: year
                .months
                .iter()
                .enumerate()
                .map(|(m, month)| MonthLink {
                    year: month.year,
                    month: month.month,
                    name: month_name(month.month).to_string(),
                    url: graph.url(&graph.listing_base_path(ListingKind::Month(y, m))),
                    count: month.articles.len(),
                })
                .collect(),
        })
        .collect()
}
