//! From an output file back to the page written there: how a preview that
//! renders pages when they are asked for finds what to render.

use super::graph::SiteGraph;
use super::outputs::{Listing, ListingKind, OutputPage, alias_path};

impl SiteGraph {
    /// The output page whose [`output_file`](SiteGraph::output_file) is
    /// `file` (`2019/06/x/index.html`, `page/2/index.html`, `atom.xml`), among
    /// [`output_pages`](SiteGraph::output_pages); `None` when the site writes
    /// no page there. Articles are looked for first, then the pages galley
    /// generates, then aliases: without reading the whole list of pages, so it
    /// costs a scan of the articles at most.
    pub fn page_at(&self, file: &str) -> Option<OutputPage> {
        let found = self
            .articles
            .iter()
            .position(|article| &*article.output_file == file)
            .map(OutputPage::Article)
            .or_else(|| self.generated_page_at(file))
            .or_else(|| self.alias_at(file))?;
        (self.output_file(found) == file).then_some(found)
    }

    /// A page made from the graph's structure (listings, indexes, feed,
    /// sitemap, fixed files) at `file`.
    fn generated_page_at(&self, file: &str) -> Option<OutputPage> {
        let path = match file.strip_suffix("index.html") {
            Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
            _ => format!("/{file}"),
        };
        let parts = self.sitemap_parts();
        let fixed = match path.as_str() {
            "/atom.xml" => Some(OutputPage::Feed),
            "/robots.txt" => Some(OutputPage::Robots),
            "/404.html" => Some(OutputPage::NotFound),
            "/search/" if self.config.search => Some(OutputPage::Search),
            "/archive/" => Some(OutputPage::ArchiveIndex),
            "/_redirects" if self.config.redirects_file => Some(OutputPage::Redirects),
            "/sitemap.xml" if parts > 1 => Some(OutputPage::SitemapIndex),
            "/sitemap.xml" => Some(OutputPage::Sitemap(0)),
            _ => None,
        };
        if fixed.is_some() {
            return fixed;
        }
        if let Some(part) = path.strip_prefix("/sitemap-").and_then(|p| p.strip_suffix(".xml")) {
            let part: usize = part.parse().ok()?;
            return (parts > 1 && (1..=parts).contains(&part))
                .then(|| OutputPage::Sitemap(part - 1));
        }
        // `/<taxonomy>/<term>/atom.xml`: a term's feed.
        if let Some(listing) = path.strip_suffix("atom.xml") {
            let segments: Vec<&str> = listing.split('/').filter(|s| !s.is_empty()).collect();
            let [name, slug] = segments.as_slice() else { return None };
            let t = self.taxonomies.iter().position(|t| t.name == *name)?;
            let term = self.taxonomies[t].terms.iter().position(|term| term.slug == *slug)?;
            return self.term_feeds(t).then_some(OutputPage::TermFeed(t, term));
        }
        // `BASE/page/N/` is page N of the listing at BASE.
        let (base, number) = match path.strip_suffix('/').and_then(|p| p.rsplit_once("/page/")) {
            Some((base, number)) => (format!("{base}/"), number.parse::<usize>().ok()?),
            None => (path.clone(), 1),
        };
        let segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
        let kind = match segments.as_slice() {
            [] => ListingKind::Home,
            ["archive", year] => ListingKind::Year(self.year_at(year)?),
            ["archive", year, month] => {
                let y = self.year_at(year)?;
                let month: i8 = month.parse().ok()?;
                ListingKind::Month(y, self.years[y].months.iter().position(|m| m.month == month)?)
            }
            [name] if number == 1 && base == path => {
                return self
                    .taxonomies
                    .iter()
                    .position(|t| t.name == *name)
                    .map(OutputPage::TaxonomyIndex);
            }
            [name, slug] => {
                let t = self.taxonomies.iter().position(|t| t.name == *name)?;
                ListingKind::Term(
                    t,
                    self.taxonomies[t].terms.iter().position(|term| term.slug == *slug)?,
                )
            }
            _ => return None,
        };
        (number >= 1 && number <= self.listing_pages(kind))
            .then_some(OutputPage::Listing(Listing { kind, number }))
    }

    fn year_at(&self, year: &str) -> Option<usize> {
        let year: i16 = year.parse().ok()?;
        self.years.iter().position(|y| y.year == year)
    }

    /// The alias page at `file`: article `i`'s alias `n`.
    fn alias_at(&self, file: &str) -> Option<OutputPage> {
        self.articles.iter().enumerate().find_map(|(i, article)| {
            let aliases = &article.page.front_matter.aliases;
            let n = aliases.iter().position(|alias| {
                let path = alias_path(alias);
                let path = path.trim_start_matches('/');
                match path.strip_suffix('/') {
                    Some(_) => file.strip_suffix("index.html") == Some(path),
                    None => file == path,
                }
            })?;
            Some(OutputPage::Alias(i, n))
        })
    }
}
