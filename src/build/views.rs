//! Views: the site graph turned into the template contexts of `render::context`.
//!
//! Everything here is computed from the graph alone, without rendering
//! Markdown; article bodies come in as [`RenderedMarkdown`].

use crate::content::{PageDate, slugify};
use crate::markdown::RenderedMarkdown;
use crate::render::context::*;
use crate::render::{Renderer, values};

/// The template of one article in a listing.
const TEASER_TEMPLATE: &str = "partials/teaser.html";
use crate::site::archive::month_name;
use crate::site::outputs::{Listing, ListingKind};
use crate::site::taxonomy::taxonomy_title;
use crate::site::{Article, SiteGraph};
use serde::Serialize;
use std::sync::OnceLock;

/// What every page of a build shares: computed once per graph.
pub struct SiteViews<'g> {
    /// The graph the views are of.
    pub graph: &'g SiteGraph,
    /// `site` in every template.
    pub site: SiteContext,
    /// The archive navigation (every year and month with counts).
    pub years: Vec<YearLink>,
    /// `site` and `years` as Tera values, converted once (see `render::values`).
    pub site_value: tera::Value,
    years_value: tera::Value,
    /// Each summary as a Tera value with its rendered `teaser_html`, made on
    /// first use: an article shows on six to eight listings, and rendering
    /// its entry once instead of on each was a fifth of a large build.
    summary_values: Vec<OnceLock<Result<tera::Value, String>>>,
    /// What an article's page and its listing entry both show, by article
    /// index, made on first use (see [`SharedFields`]).
    shared_fields: Vec<OnceLock<SharedFields>>,
    /// The public path of each term's page, by taxonomy and term.
    term_urls: Vec<Vec<String>>,
    /// Each term as a template [`Link`] value, by taxonomy and term: an
    /// author or tag shows on many pages, and a clone shares the value.
    term_links: Vec<Vec<tera::Value>>,
    /// `extra` of a page with no unknown front-matter keys (most of them).
    empty_extra: tera::Value,
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
        let summary_values = (0..graph.articles.len()).map(|_| OnceLock::new()).collect();
        let shared_fields = (0..graph.articles.len()).map(|_| OnceLock::new()).collect();
        let site_value = values::to_value(&site);
        let term_urls = (0..graph.taxonomies.len())
            .map(|t| {
                (0..graph.taxonomies[t].terms.len())
                    .map(|term| graph.url(&graph.listing_base_path(ListingKind::Term(t, term))))
                    .collect()
            })
            .collect::<Vec<Vec<String>>>();
        let term_links = term_urls
            .iter()
            .zip(&graph.taxonomies)
            .map(|(urls, taxonomy)| {
                urls.iter()
                    .zip(&taxonomy.terms)
                    .map(|(url, term)| {
                        values::to_value(&LinkFields { name: &term.name, url: Some(url) })
                    })
                    .collect()
            })
            .collect();
        let mut views = SiteViews {
            graph,
            site,
            years: Vec::new(),
            site_value,
            years_value: tera::Value::none(),
            summary_values,
            shared_fields,
            term_urls,
            term_links,
            empty_extra: values::to_value(&serde_json::Value::Object(Default::default())),
        };
        views.years = views.year_links();
        views.years_value = values::to_value(&views.years);
        views
    }

    /// The per-article caches, to be freed where nobody waits for them
    /// (see `drop_in_background`).
    pub(crate) fn into_caches(self) -> impl Send + 'static {
        (self.summary_values, self.shared_fields)
    }

    /// The fields article `index`'s page and listing entry share.
    fn shared_fields(&self, index: usize) -> &SharedFields {
        self.shared_fields[index].get_or_init(|| {
            let graph = self.graph;
            let article = &graph.articles[index];
            let fm = &article.page.front_matter;
            SharedFields {
                url: graph.url(&article.site_path),
                date: fm.date.to_string(),
                date_display: fm.date.display(&graph.config.date_format),
                date_rfc3339: fm.date.rfc3339(),
                authors: self.term_link_values("authors", &fm.authors),
                publication: fm
                    .publication
                    .as_deref()
                    .map_or_else(tera::Value::none, |p| self.term_link_value("publications", p)),
            }
        })
    }

    /// How site.yaml's `date_format` shows `date`: the archived article's own
    /// (made once) when `target` is an article of that date, as a related
    /// teaser's usually is.
    fn date_display(&self, date: PageDate, target: Option<usize>) -> String {
        match target {
            Some(i) if self.graph.articles[i].page.front_matter.date == date => {
                self.shared_fields(i).date_display.clone()
            }
            _ => date.display(&self.graph.config.date_format),
        }
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

    /// [`term_link`](Self::term_link) as a template value; a value with a
    /// term page shares the value made once for the term.
    fn term_link_value(&self, taxonomy: &str, value: &str) -> tera::Value {
        let graph = self.graph;
        let shared = graph.taxonomies.iter().position(|t| t.name == taxonomy).and_then(|t| {
            graph.taxonomies[t].by_value.get(value).map(|&term| self.term_links[t][term].clone())
        });
        shared.unwrap_or_else(|| {
            let link = self.term_link(taxonomy, value);
            values::to_value(&LinkFields { name: &link.name, url: link.url.as_deref() })
        })
    }

    fn term_link_values(&self, taxonomy: &str, names: &[String]) -> tera::Value {
        values::list(names.iter().map(|name| self.term_link_value(taxonomy, name)))
    }

    /// The summary of article `index` as the documented [`ArticleSummary`]:
    /// the reference a test holds [`summary_value`](Self::summary_value),
    /// what templates get, equal to. Builds use only the value.
    #[cfg(test)]
    pub fn summary(&self, index: usize) -> ArticleSummary {
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

    #[cfg(test)]
    fn neighbour(&self, index: Option<usize>) -> Option<NeighbourContext> {
        index.map(|i| {
            let a = &self.graph.articles[i];
            NeighbourContext {
                title: a.page.front_matter.title.clone(),
                url: self.graph.url(&a.site_path),
            }
        })
    }

    /// `page` for article.html / stub.html as the documented
    /// [`ArticleContext`]: the reference a test holds
    /// [`article_value`](Self::article_value), what templates get, equal to.
    /// Builds use only the value.
    #[cfg(test)]
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
            date_display: fm.date.display(&graph.config.date_format),
            date_rfc3339: fm.date.rfc3339(),
            authors: fm.authors.iter().map(|a| self.term_link("authors", a)).collect(),
            publication: fm.publication.as_deref().map(|p| self.term_link("publications", p)),
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

    #[cfg(test)]
    fn related(&self, index: usize, n: usize, teaser: &crate::content::Teaser) -> RelatedContext {
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

    /// [`article`](Self::article) as the template value `page`, built from
    /// borrowed fields: each string is copied once, into the value, instead
    /// of into an `ArticleContext` and then again into the value, and term
    /// links are shared (a test holds the two values equal).
    pub fn article_value(&self, index: usize, body: &RenderedMarkdown) -> tera::Value {
        let graph = self.graph;
        let article: &Article = &graph.articles[index];
        let fm = &article.page.front_matter;
        let (older, newer) = self.neighbours(index);
        let neighbour = |index: Option<usize>| {
            index.map(|i| {
                let a = &graph.articles[i];
                NeighbourFields { title: &a.page.front_matter.title, url: graph.url(&a.site_path) }
            })
        };
        let optional_link = |taxonomy: &str, value: Option<&str>| {
            value.map_or_else(tera::Value::none, |v| self.term_link_value(taxonomy, v))
        };
        let shared = self.shared_fields(index);
        let fields = ArticleFields {
            title: &fm.title,
            url: &shared.url,
            permalink: graph.permalink(&article.site_path),
            date: &shared.date,
            date_display: &shared.date_display,
            date_rfc3339: &shared.date_rfc3339,
            authors: shared.authors.clone(),
            publication: shared.publication.clone(),
            series: optional_link("series", fm.series.as_deref()),
            standfirst: fm.standfirst.as_deref(),
            image: fm.image.as_ref().filter(|i| i.caption.is_some() || i.credit.is_some()).map(
                |i| ImageFields { caption: i.caption.as_deref(), credit: i.credit.as_deref() },
            ),
            tags: self.term_link_values("tags", &fm.tags),
            content_html: &body.html,
            summary_html: body.summary_html.as_deref(),
            toc: &body.toc,
            word_count: body.word_count,
            reading_minutes: body.reading_minutes,
            author_bio: fm.author_bio.as_deref(),
            rights: fm.rights.as_deref(),
            related: fm
                .related
                .iter()
                .enumerate()
                .map(|(n, teaser)| {
                    let target_index = self.teaser_target(index, n);
                    let target = target_index.map(|i| &graph.articles[i]);
                    RelatedFields {
                        title: &teaser.title,
                        url: target.map(|a| graph.url(&a.site_path)),
                        date: teaser.date.map(|d| d.to_string()),
                        date_display: teaser.date.map(|d| self.date_display(d, target_index)),
                        byline: teaser.byline.as_deref(),
                        caption: teaser.caption.as_deref(),
                        credit: teaser.credit.as_deref(),
                        stub: target.is_some_and(|a| a.page.front_matter.stub),
                    }
                })
                .collect(),
            prev: neighbour(older),
            next: neighbour(newer),
            stub: fm.stub,
            extra: if fm.extra.is_empty() {
                self.empty_extra.clone()
            } else {
                values::to_value(
                    &serde_json::to_value(&fm.extra).unwrap_or(serde_json::Value::Null),
                )
            },
        };
        values::to_value(&fields)
    }

    /// [`summary`](Self::summary) as a template value, built like
    /// [`article_value`](Self::article_value).
    fn summary_value(&self, index: usize) -> tera::Value {
        let fm = &self.graph.articles[index].page.front_matter;
        let shared = self.shared_fields(index);
        values::to_value(&SummaryFields {
            title: &fm.title,
            url: &shared.url,
            date: &shared.date,
            date_display: &shared.date_display,
            date_rfc3339: &shared.date_rfc3339,
            authors: shared.authors.clone(),
            publication: shared.publication.clone(),
            standfirst: fm.standfirst.as_deref(),
            stub: fm.stub,
        })
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
                let summary = self.summary_value(i);
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

// The borrowed twins of the context structs in `render::context`: the same
// fields under the same names, for the values built above. Strings are
// borrowed from the page where they can be; `tera::Value` fields (term links,
// `extra`) pass through serialisation as they are, without a copy.

#[derive(Serialize)]
struct LinkFields<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct ImageFields<'a> {
    caption: Option<&'a str>,
    credit: Option<&'a str>,
}

#[derive(Serialize)]
struct RelatedFields<'a> {
    title: &'a str,
    url: Option<String>,
    date: Option<String>,
    date_display: Option<String>,
    byline: Option<&'a str>,
    caption: Option<&'a str>,
    credit: Option<&'a str>,
    stub: bool,
}

#[derive(Serialize)]
struct NeighbourFields<'a> {
    title: &'a str,
    url: String,
}

/// Fields of an article's page that its listing entry shows too.
struct SharedFields {
    url: String,
    date: String,
    date_display: String,
    date_rfc3339: String,
    authors: tera::Value,
    publication: tera::Value,
}

#[derive(Serialize)]
struct ArticleFields<'a> {
    title: &'a str,
    url: &'a str,
    permalink: String,
    date: &'a str,
    date_display: &'a str,
    date_rfc3339: &'a str,
    authors: tera::Value,
    publication: tera::Value,
    series: tera::Value,
    standfirst: Option<&'a str>,
    image: Option<ImageFields<'a>>,
    tags: tera::Value,
    content_html: &'a str,
    summary_html: Option<&'a str>,
    toc: &'a [TocEntry],
    word_count: usize,
    reading_minutes: usize,
    author_bio: Option<&'a str>,
    rights: Option<&'a str>,
    related: Vec<RelatedFields<'a>>,
    prev: Option<NeighbourFields<'a>>,
    next: Option<NeighbourFields<'a>>,
    stub: bool,
    extra: tera::Value,
}

#[derive(Serialize)]
struct SummaryFields<'a> {
    title: &'a str,
    url: &'a str,
    date: &'a str,
    date_display: &'a str,
    date_rfc3339: &'a str,
    authors: tera::Value,
    publication: tera::Value,
    standfirst: Option<&'a str>,
    stub: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::GraphLinks;
    use crate::config::SiteConfig;
    use crate::content::{load_pages, parse_page};
    use crate::markdown::{Highlighter, render_markdown};
    use crate::site::GraphOptions;
    use crate::urls::BaseUrl;
    use std::path::Path;
    use std::sync::Arc;

    /// The example site, plus a page with what the example lacks: unknown
    /// keys nested in `extra`, a tag with nothing to slugify, hostile text.
    fn graph() -> SiteGraph {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pages = load_pages(&root.join("content")).unwrap();
        let odd = "---\ntitle: \"<b>Odd</b> & 'quoted'\"\ndate: 2024-02-03T04:05:06Z\n\
                   tags: [\"!!!\", Ports]\nauthors: [\"A <i>\", B]\nrights: \"©\"\n\
                   related:\n  - title: Nowhere to be found\n  - title: Tides of change\n    byline: X\n\
                   archive_notes: {url: \"https://e.org\", pages: [1, 2]}\n---\n# One\n\nText.\n";
        pages.push(Arc::new(parse_page(Path::new("odd.md"), "odd.md", odd).unwrap()));
        let config = SiteConfig::load(root).unwrap();
        let base = BaseUrl::parse("https://example.org/sub/").unwrap();
        let pages = pages.into_iter().map(|p| (p, 0)).collect();
        let options = GraphOptions { include_drafts: true, listing_hashes: true };
        SiteGraph::build(config, base, pages, options).unwrap()
    }

    #[test]
    fn article_and_summary_values_equal_their_context_structs() {
        let graph = graph();
        let views = SiteViews::new(&graph);
        let highlighter = Highlighter::new(&graph.config.highlight.theme).unwrap();
        let links = GraphLinks(&graph);
        assert!(graph.articles.len() > 10);
        for (i, article) in graph.articles.iter().enumerate() {
            let body = render_markdown(&article.page, &links, &highlighter).unwrap();
            let path = &article.page.relative_path;
            assert_eq!(
                views.article_value(i, &body),
                values::to_value(&views.article(i, &body)),
                "page of {path}"
            );
            assert_eq!(
                views.summary_value(i),
                values::to_value(&views.summary(i)),
                "summary of {path}"
            );
        }
        let odd = graph.articles.iter().position(|a| a.page.relative_path == "odd.md").unwrap();
        let page = views.article_value(odd, &RenderedMarkdown::default());
        let page = page.as_map().unwrap();
        let extra = page.get(&tera::value::Key::Str("extra")).unwrap();
        assert!(extra.as_map().is_some_and(|m| m.len() == 1), "{extra:?}");
    }
}
