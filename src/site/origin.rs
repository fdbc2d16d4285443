//! Which content file an output page comes from, so that a failure to write
//! the page (a name the file system refuses, a full disk, a permission)
//! names the file and front-matter line a person can change, not only a
//! path inside the staging directory.

use super::graph::SiteGraph;
use super::outputs::{ListingKind, OutputPage};
use crate::error::{Diagnostic, Error, Location};
use std::path::Path;

impl SiteGraph {
    /// The content file that made `page` what it is, with the front-matter
    /// key it comes from (`None`: the whole file): an article's own file,
    /// the `aliases:` of an alias, and, for a term's page, the newest
    /// article naming the term.
    pub fn page_origin(&self, page: OutputPage) -> Option<(&Path, Option<&'static str>)> {
        match page {
            OutputPage::Article(i) => {
                let key = self.articles[i].page.front_matter.slug.as_ref().map(|_| "slug");
                Some((&self.articles[i].page.file, key))
            }
            OutputPage::Alias(i, _) => Some((&self.articles[i].page.file, Some("aliases"))),
            OutputPage::Listing(listing) => {
                let ListingKind::Term(t, term) = listing.kind else { return None };
                let taxonomy = &self.taxonomies[t];
                let &first = taxonomy.terms[term].articles.first()?;
                let article = &self.articles[first];
                let key = match taxonomy.name.as_str() {
                    "tags" => "tags",
                    "authors" => "authors",
                    "publications" => "publication",
                    _ => "series",
                };
                Some((&article.page.file, Some(key)))
            }
            _ => None,
        }
    }

    /// `error` (from writing `page`'s output file) as a diagnostic at the
    /// content file and line that led to the page, when there is one.
    pub fn blame_write(&self, page: OutputPage, error: Error) -> Error {
        let Error::Io { path, source } = &error else { return error };
        let Some((file, key)) = self.page_origin(page) else { return error };
        // Read again only now, on the way to an error: the line of the key.
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let line = key.and_then(|key| key_line(&text, key)).unwrap_or(1);
        let message = format!(
            "writing the page made from this file failed: {}: {source}{}",
            path.display(),
            if key.is_some() { "; shorten or change this value" } else { "" }
        );
        Diagnostic::at(file, Location::line(line), message).with_source(&text).into()
    }
}

/// The 1-based line on which the front matter's top-level `key:` is written.
fn key_line(text: &str, key: &str) -> Option<usize> {
    // The front matter: from the opening `---` to the closing one.
    let front_matter = text.lines().enumerate().skip(1).take_while(|(_, l)| l.trim_end() != "---");
    front_matter
        .filter(|(_, line)| line.strip_prefix(key).is_some_and(|rest| rest.starts_with(':')))
        .map(|(index, _)| index + 1)
        .next()
}

#[cfg(test)]
mod tests {
    use super::key_line;

    #[test]
    fn finds_the_line_of_a_top_level_key() {
        let text = "---\ntitle: T\ndate: 2020-01-01\ntags:\n  - a\n---\nBody tags: x\n";
        assert_eq!(key_line(text, "tags"), Some(4));
        assert_eq!(key_line(text, "date"), Some(3));
        assert_eq!(key_line(text, "aliases"), None);
    }
}
