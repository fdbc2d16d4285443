//! Views: the site graph turned into the template contexts of `render::context`.
//!
//! Everything here is computed from the graph alone, without rendering
//! Markdown; article bodies come in as [`RenderedMarkdown`].

use crate::content::{Teaser, slugify};
use crate::markdown::RenderedMarkdown;
use crate::render::context::*;
use crate::render::{Renderer, values};

/// The template of one article in a listing.
const TEASER_TEMPLATE: &str = "partials/teaser.html";
use crate::site::archive::month_name;
use crate::site::outputs::{Listing, ListingKind};
use crate::site::taxonomy::taxonomy_title;
use crate::site::{Article, SiteGraph};
use std::sync::OnceLock;

/// What every page of a build shares: computed once per graph.
pub struct SiteViews<'g> {
    /// The graph the views are of.
    pub graph: &'g SiteGraph,
    /// `site` in every template.
    pub site: SiteContext,
    /// The summary of each article, by article index, made on first use:
    /// an incremental rebuild that renders three pages needs three summaries.
    summaries: Vec<OnceLock<ArticleSummary>>,
    /// The archive navigation (every year and month with counts).
    pub years: Vec<YearLink>,
    /// `site` and `years` as Tera values, converted once (see `render::values`).
    pub site_value: tera::Value,
    years_value: tera::Value,
    /// Each summary as a Tera value with its rendered `teaser_html`, made on
    /// first use: an article shows on six to eight listings, and rendering
    /// its entry once instead of on each was a fifth of a large build.
    summary_values: Vec<OnceLock<Result<tera::Value, String>>>,
    /// The public path of each term's page, by taxonomy and term.
    term_urls: Vec<Vec<String>>,
}

impl<'g> SiteViews<'g> {
    /// Computes the shared views of `graph`.
    pub fn new(graph: &'g SiteGraph) -> SiteViews<'g> {
        let config = &graph.config;
        let site = SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            home_url: graph.url("/"),
            home_permalink: graph.permalink("/"),
            feed_url: graph.url("/atom.xml"),
            feed_permalink: graph.permalink("/atom.xml"),
            archive_url: graph.url("/archive/"),
            taxonomies: graph
                .taxonomies
                .iter()
                .map(|t| TaxonomyLink {
                    name: t.name.clone(),
                    title: t.title.clone(),
                    url: graph.url(&format!("/{}/", t.name)),
                })
                .collect(),
        };
        let summaries = (0..graph.articles.len()).map(|_| OnceLock::new()).collect();
        let summary_values = (0..graph.articles.len()).map(|_| OnceLock::new()).collect();
        let site_value = values::to_value(&site);
        let term_urls = (0..graph.taxonomies.len())
            .map(|t| {
                (0..graph.taxonomies[t].terms.len())
                    .map(|term| graph.url(&graph.listing_base_path(ListingKind::Term(t, term))))
                    .collect()
            })
            .collect();
        let mut views = SiteViews {
            graph,
            site,
            summaries,
            years: Vec::new(),
            site_value,
            years_value: tera::Value::none(),
            summary_values,
            term_urls,
        };
        views.years = views.year_links();
        views.years_value = values::to_value(&views.years);
        views
    }

    /// The per-article caches, to be freed where nobody waits for them
    /// (see `drop_in_background`).
    pub(crate) fn into_caches(self) -> impl Send + 'static {
        (self.summaries, self.summary_values)
    }

    /// A link to the term page of `value` in `taxonomy`, or a bare name when
    /// the taxonomy has no pages.
    pub fn term_link(&self, taxonomy: &str, value: &str) -> Link {
        let graph = self.graph;
        let url = graph.taxonomies.iter().position(|t| t.name == taxonomy).map(|t| {
            match graph.taxonomies[t].by_value.get(value) {
                Some(&term) => self.term_urls[t][term].clone(),
                // A value with no term (nothing to slugify) links as it always did.
                None => graph.url(&format!("/{taxonomy}/{}/", slugify(value))),
            }
        });
        Link { name: value.to_string(), url }
    }

    /// The summary of article `index`, as listings show it.
    pub fn summary(&self, index: usize) -> &ArticleSummary {
        self.summaries[index].get_or_init(|| self.make_summary(index))
    }

    fn make_summary(&self, index: usize) -> ArticleSummary {
        let article = &self.graph.articles[index];
        let fm = &article.page.front_matter;
        ArticleSummary {
            title: fm.title.clone(),
            url: self.graph.url(&article.site_path),
            date: fm.date.to_string(),
            date_display: fm.date.display(&self.graph.config.date_format),
            date_rfc3339: fm.date.rfc3339(),
            authors: fm.authors.iter().map(|a| self.term_link("authors", a)).collect(),
            publication: fm.publication.as_deref().map(|p| self.term_link("publications", p)),
            standfirst: fm.standfirst.clone(),
            stub: fm.stub,
        }
    }

    fn year_links(&self) -> Vec<YearLink> {
        let graph = self.graph;
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

    fn neighbour(&self, index: Option<usize>) -> Option<NeighbourContext> {
        index.map(|i| {
            let a = &self.graph.articles[i];
            NeighbourContext {
                title: a.page.front_matter.title.clone(),
                url: self.graph.url(&a.site_path),
            }
        })
    }

    /// `page` for article.html / stub.html.
    pub fn article(&self, index: usize, body: &RenderedMarkdown) -> ArticleContext {
        let graph = self.graph;
        let article: &Article = &graph.articles[index];
        let fm = &article.page.front_matter;
        let (older, newer) = self.neighbours(index);
        ArticleContext {
            title: fm.title.clone(),
            url: graph.url(&article.site_path),
            permalink: graph.permalink(&article.site_path),
            date: fm.date.to_string(),
            date_display: self.summary(index).date_display.clone(),
            date_rfc3339: fm.date.rfc3339(),
            authors: self.summary(index).authors.clone(),
            publication: self.summary(index).publication.clone(),
            series: fm.series.as_deref().map(|s| self.term_link("series", s)),
            standfirst: fm.standfirst.clone(),
            image: fm
                .image
                .as_ref()
                .filter(|i| i.caption.is_some() || i.credit.is_some())
                .map(|i| ImageContext { caption: i.caption.clone(), credit: i.credit.clone() }),
            tags: fm.tags.iter().map(|t| self.term_link("tags", t)).collect(),
            content_html: body.html.clone(),
            summary_html: body.summary_html.clone(),
            toc: body.toc.clone(),
            word_count: body.word_count,
            reading_minutes: body.reading_minutes,
            author_bio: fm.author_bio.clone(),
            rights: fm.rights.clone(),
            related: fm
                .related
                .iter()
                .enumerate()
                .map(|(n, t)| self.related(index, n, t))
                .collect(),
            prev: self.neighbour(older),
            next: self.neighbour(newer),
            stub: fm.stub,
            extra: serde_json::to_value(&fm.extra).unwrap_or(serde_json::Value::Null),
        }
    }

    fn related(&self, index: usize, n: usize, teaser: &Teaser) -> RelatedContext {
        let target = self.teaser_target(index, n).map(|i| &self.graph.articles[i]);
        RelatedContext {
            title: teaser.title.clone(),
            url: target.map(|a| self.graph.url(&a.site_path)),
            date: teaser.date.map(|d| d.to_string()),
            date_display: teaser.date.map(|d| d.display(&self.graph.config.date_format)),
            byline: teaser.byline.clone(),
            caption: teaser.caption.clone(),
            credit: teaser.credit.clone(),
            stub: target.is_some_and(|a| a.page.front_matter.stub),
        }
    }

    /// The summaries of one listing page as a Tera list (`pages`), each
    /// summary converted once for every listing it appears on.
    pub fn listing_summary_values(
        &self,
        listing: Listing,
        renderer: &Renderer,
    ) -> crate::error::Result<tera::Value> {
        let mut items = Vec::new();
        for &i in self.graph.listing_page_items(listing) {
            let value = self.summary_values[i].get_or_init(|| {
                let summary = values::to_value(self.summary(i));
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

    /// [`archive`](Self::archive) as a Tera value sharing the converted years.
    pub fn archive_value(&self, kind: Option<ListingKind>) -> tera::Value {
        let archive = self.archive_without_years(kind);
        values::with_field(values::to_value(&archive), "years", self.years_value.clone())
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

    /// `archive` for the archive index, a year or a month page, without its
    /// `years`, which [`archive_value`](Self::archive_value) shares between pages.
    fn archive_without_years(&self, kind: Option<ListingKind>) -> ArchiveContext {
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
        ArchiveContext { kind: kind_name.to_string(), title, year, month, years: Vec::new() }
    }

    /// `taxonomy` for a taxonomy's pages.
    pub fn taxonomy(&self, t: usize) -> TaxonomyContext {
        let taxonomy = &self.graph.taxonomies[t];
        TaxonomyContext {
            name: taxonomy.name.clone(),
            title: taxonomy_title(&taxonomy.name),
            url: self.graph.url(&format!("/{}/", taxonomy.name)),
        }
    }

    /// `term` for one term, or each entry of `terms`.
    pub fn term(&self, t: usize, term: usize) -> TermContext {
        let graph = self.graph;
        let value = &graph.taxonomies[t].terms[term];
        TermContext {
            name: value.name.clone(),
            url: self.term_urls[t][term].clone(),
            count: value.articles.len(),
        }
    }

    /// The articles the feed carries: the newest full articles, up to the limit.
    pub fn feed_articles(&self) -> &[usize] {
        let full = &self.graph.full_articles;
        &full[..full.len().min(self.graph.config.feed.limit)]
    }

    /// `feed` for atom.xml; `bodies` are the rendered bodies of `feed_articles()`, in order.
    pub fn feed(&self, bodies: &[&RenderedMarkdown]) -> FeedContext {
        let graph = self.graph;
        let entries: Vec<FeedEntry> = self
            .feed_articles()
            .iter()
            .zip(bodies)
            .map(|(&i, body)| {
                let a = &graph.articles[i];
                let fm = &a.page.front_matter;
                FeedEntry {
                    title: fm.title.clone(),
                    permalink: graph.permalink(&a.site_path),
                    updated: fm.date.rfc3339(),
                    authors: fm.authors.clone(),
                    summary: fm.standfirst.clone(),
                    content_html: body.html.clone(),
                }
            })
            .collect();
        // Deterministic: the feed is as new as its newest entry, never the build time.
        let updated = entries
            .first()
            .map(|e| e.updated.clone())
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        FeedContext { updated, entries }
    }
}
