//! The stubs an article's teasers call for: a page for each related
//! article it shows that the archive does not hold yet, which a later
//! import of that article upgrades.

use crate::content::{FrontMatter, Image, slugify};

/// The stubs a page's teasers call for: those with a title and a date
/// or an address.
pub(super) fn stubs_of(article: &FrontMatter, series_prefixes: &[String]) -> Vec<FrontMatter> {
    article
        .related
        .iter()
        .filter(|t| !slugify(&t.title).is_empty() && t.title != article.title)
        .filter_map(|teaser| {
            // A teaser that shows no date but links its article (an HTML
            // page's) is dated like the page it was seen on, and says so.
            let (date, undated) = match (teaser.date, &teaser.url) {
                (Some(date), _) => (date, false),
                (None, Some(_)) => (article.date, true),
                (None, None) => return None,
            };
            let publication = teaser
                .byline
                .as_ref()
                .filter(|b| article.publication.as_ref().is_some_and(|p| p.eq_ignore_ascii_case(b)))
                .cloned();
            let image = (teaser.caption.is_some() || teaser.credit.is_some()).then(|| Image {
                src: None,
                caption: teaser.caption.clone(),
                credit: teaser.credit.clone(),
            });
            Some(FrontMatter {
                title: teaser.title.clone(),
                date,
                authors: Vec::new(),
                publication,
                standfirst: None,
                image,
                tags: Vec::new(),
                series: super::saved_text::series_of(&teaser.title, series_prefixes),
                author_bio: None,
                rights: None,
                related: Vec::new(),
                source: teaser
                    .url
                    .as_ref()
                    .map(|url| crate::content::SourceRef::seen_at(Some(url.clone()), undated)),
                slug: None,
                aliases: Vec::new(),
                draft: false,
                stub: true,
                extra: Default::default(),
            })
        })
        .collect()
}
