//! The teasers of a saved HTML article page: the related, recommended,
//! "more from", read-next, most-read and latest articles of the same site
//! that the page shows, and the boxes that hold them.
//!
//! The search weighs structure over site names. The page is flattened once
//! ([`flat`]); every link is judged on its own (same site, an article's
//! address, a headline's words, not inside navigation, a footer, comments,
//! a share bar, an advert or a paragraph of the article's prose); then
//! links are kept in groups: those in a box whose class, id or heading says
//! it holds related articles, and those that form a list of at least
//! [`MIN_LIST`] such links. A lone link elsewhere is left out: a wrong stub
//! is worse than a missing one.

mod card;
mod flat;
mod hints;
mod links;
#[cfg(test)]
mod score;
#[cfg(test)]
mod tests;

use dom_query::{Document, NodeId};
use flat::{Flat, NONE, Tag};
use hints::{Hint, is_related_heading};
use jiff::civil::Date;
use links::{Address, Target, classify_address, has_date_or_id, is_headline, resolve, site_of};
use std::collections::HashMap;
use url::Url;

/// One related article the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HtmlTeaser {
    /// The headline as the card shows it.
    pub title: String,
    /// Absolute when the page's URL is known; as written otherwise.
    pub url: String,
    /// The date the card shows.
    pub date: Option<Date>,
    /// The caption of the card's image.
    pub caption: Option<String>,
    /// The card's image, absolute when the page's URL is known.
    pub image: Option<String>,
}

/// The teasers of a page and the boxes that hold them.
#[derive(Debug, Default)]
pub(crate) struct FoundTeasers {
    pub teasers: Vec<HtmlTeaser>,
    /// Containers of the related lists, outermost only, which the importer
    /// removes before extracting the body.
    pub boxes: Vec<NodeId>,
}

/// The fewest links of a list outside a marked box that make it a teaser list.
const MIN_LIST: usize = 3;
/// How far up from a link a list's container is looked for.
const LIST_DEPTH: usize = 6;

/// A link judged on its own to point at another article of the site.
struct Candidate {
    anchor: usize,
    target: Target,
    /// The link's text, which reads as a headline.
    title: String,
    address: Address,
    /// Whether the link is, or holds, a heading: the card's headline.
    headline: bool,
}

/// Finds the teasers of `document`, whose address is `page_url` when known.
pub(crate) fn find_teasers(document: &Document, page_url: Option<&Url>) -> FoundTeasers {
    let flat = Flat::new(document);
    let found_url = match page_url {
        Some(_) => None,
        None => address_in_page(document),
    };
    let base = page_url.or(found_url.as_ref());
    let article = article_text(&flat);
    let contexts = contexts(&flat, article);
    let candidates = candidates(&flat, document, base, &contexts);
    let own_site = match base {
        Some(url) => url.host_str().map(|host| site_of(host.strip_prefix("www.").unwrap_or(host))),
        None => most_linked_site(&candidates),
    };
    let own_key = base.and_then(|url| resolve(url.as_str(), None)).map(|target| target.key());
    let candidates: Vec<Candidate> = candidates
        .into_iter()
        .filter(|candidate| {
            let same_site = candidate.target.host.is_empty()
                || own_site.as_deref() == Some(&site_of(&candidate.target.host));
            same_site && own_key.as_deref() != Some(&candidate.target.key())
        })
        .collect();
    // Where the site's own articles carry a date or an id, an address
    // without one is more likely a topic page than an article.
    let dated_site = base.is_some_and(|url| has_date_or_id(url.path()));
    let candidates: Vec<Candidate> = candidates
        .into_iter()
        .map(|mut candidate| {
            if dated_site
                && candidate.address == Address::Article
                && !has_date_or_id(&candidate.target.path)
            {
                candidate.address = Address::Weak;
            }
            candidate
        })
        .collect();
    let candidates = demote_sections(candidates);
    let accepted = group(&flat, &contexts, &candidates, article);
    assemble(&flat, document, base, &candidates, &accepted)
}

/// Leaves out links to a folder of other links: a page whose path leads on
/// to another linked article (`/marketing/ai` beside `/marketing/ai/how-to`)
/// is that article's section.
fn demote_sections(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut paths: Vec<String> = candidates
        .iter()
        .map(|candidate| format!("{}{}", candidate.target.host, candidate.target.path))
        .collect();
    paths.sort_unstable();
    candidates
        .into_iter()
        .filter(|candidate| {
            let folder = format!(
                "{}{}/",
                candidate.target.host,
                candidate.target.path.trim_end_matches('/')
            );
            let first = paths.partition_point(|path| path.as_str() <= folder.as_str());
            !paths
                .get(first)
                .is_some_and(|path| path.starts_with(&folder) && path.len() > folder.len())
        })
        .collect()
}

/// The page's own address when the caller knows none: its canonical link,
/// `og:url` or `<base href>`.
fn address_in_page(document: &Document) -> Option<Url> {
    let selectors = [
        ("link[rel=canonical]", "href"),
        ("meta[property='og:url']", "content"),
        ("base[href]", "href"),
    ];
    selectors.iter().find_map(|(selector, attribute)| {
        let value = document.select_single(selector).attr(attribute)?;
        Url::parse(value.trim()).ok().filter(|url| matches!(url.scheme(), "http" | "https"))
    })
}

/// The site most absolute links point to, for a page with no address.
fn most_linked_site(candidates: &[Candidate]) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for candidate in candidates.iter().filter(|candidate| !candidate.target.host.is_empty()) {
        *counts.entry(site_of(&candidate.target.host)).or_default() += 1;
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(site, _)| site)
}

/// Where each node sits: inside a box of related articles (the nearest
/// one), inside chrome (a footer, comments, a share bar, an advert), inside
/// navigation (which a related box nearer the link overrides).
#[derive(Clone, Copy)]
struct Context {
    related_box: u32,
    chrome: bool,
    advert: bool,
    navigation: bool,
}

impl Context {
    fn excluded(self) -> bool {
        self.chrome || self.navigation
    }
}

/// One forward pass (parents come before children) over the marks each
/// element carries itself or gets from a heading inside it.
fn contexts(flat: &Flat, article: Option<usize>) -> Vec<Context> {
    let nodes = &flat.nodes;
    let mut marks: Vec<Hint> = nodes.iter().map(|node| node.hints).collect();
    for (index, node) in nodes.iter().enumerate() {
        if node.tag == Tag::Heading
            && node.text_len <= 120
            && is_related_heading(&flat.text_of(index))
        {
            // The heading's box is its parent, or the grandparent when the
            // parent is only the heading's wrapper.
            if let Some(parent) = flat.ancestors(index, 1).next() {
                let wrapper_only = nodes[parent].text_len == node.text_len;
                let target = match flat.ancestors(parent, 1).next() {
                    Some(grandparent) if wrapper_only => grandparent,
                    _ => parent,
                };
                marks[target].insert(Hint::RELATED);
            }
        }
    }
    let outside = Context { related_box: NONE, chrome: false, advert: false, navigation: false };
    let mut contexts = vec![outside; nodes.len()];
    for (index, node) in nodes.iter().enumerate() {
        let mut context = match node.parent {
            NONE => outside,
            parent => contexts[parent as usize],
        };
        let mark = marks[index];
        // A wrapper of the article says nothing about its links.
        let wrapper = is_wrapper(flat, index, article);
        if !wrapper {
            // Inside a related box, only an advert excludes (its parts may
            // be called `reads-footer`).
            let chrome = mark.contains(Hint::CHROME) || node.tag == Tag::Footer;
            if mark.contains(Hint::ADVERT) || chrome && context.related_box == NONE {
                context.chrome = true;
            }
            if mark.contains(Hint::ADVERT) {
                context.advert = true;
            }
            // The outermost related box holds the list (its items may be
            // marked too: `relatedposts-post`).
            if mark.contains(Hint::RELATED)
                && context.related_box == NONE
                && is_list_sized(flat, index)
            {
                // A related box in an article's footer or a menu is still one;
                // an advert calling itself "recommended" is not.
                context.related_box = index as u32;
                context.navigation = false;
                context.chrome = mark.contains(Hint::ADVERT) || context.advert;
            } else if mark.contains(Hint::NAVIGATION) || node.tag == Tag::Nav {
                context.navigation = true;
            }
        }
        contexts[index] = context;
    }
    contexts
}

/// Whether an element is small enough, and made enough of links, to be a
/// list of articles rather than a column holding the article itself.
fn is_list_sized(flat: &Flat, index: usize) -> bool {
    let node = &flat.nodes[index];
    let prose = node.text_len.saturating_sub(node.link_text_len);
    prose <= 1500.max(node.link_text_len * 3)
}

/// The links that, on their own, point at another article.
fn candidates(
    flat: &Flat,
    document: &Document,
    base: Option<&Url>,
    contexts: &[Context],
) -> Vec<Candidate> {
    let mut found = Vec::new();
    for (index, node) in flat.nodes.iter().enumerate() {
        if node.tag != Tag::Anchor || contexts[index].excluded() {
            continue;
        }
        // The text first: most links of a page are labels, and resolving
        // their addresses would cost more than reading their words.
        let title = flat.text_of(index);
        if !is_headline(&title) || in_prose(flat, index) {
            continue;
        }
        let Some(href) = flat.attr(document, index, "href") else { continue };
        let Some(target) = resolve(&href, base) else { continue };
        let address = classify_address(&target.path, &target.query);
        if address != Address::NotArticle {
            let headline =
                flat.ancestors(index, 3).any(|ancestor| flat.nodes[ancestor].tag == Tag::Heading)
                    || flat.nodes[index..node.end as usize]
                        .iter()
                        .any(|inner| inner.tag == Tag::Heading);
            found.push(Candidate { anchor: index, target, title, address, headline });
        }
    }
    found
}

/// Whether a link sits in a paragraph of prose: its paragraph holds much
/// more text than the link.
fn in_prose(flat: &Flat, anchor: usize) -> bool {
    let link = flat.nodes[anchor].text_len;
    flat.ancestors(anchor, 4)
        .find(|&ancestor| matches!(flat.nodes[ancestor].tag, Tag::Paragraph | Tag::Quote))
        .is_some_and(|paragraph| flat.nodes[paragraph].text_len > link * 2 + 40)
}

/// Which candidates are teasers, and the box each was found in: every
/// one inside a marked box; outside, those with an article's address that
/// form a list, unless the list is part of the article's own text.
fn group(
    flat: &Flat,
    contexts: &[Context],
    candidates: &[Candidate],
    article: Option<usize>,
) -> Vec<(usize, usize)> {
    let listable = |candidate: &&Candidate| candidate.address == Address::Article;
    // Links below each element, counted a few levels up.
    let mut below: HashMap<usize, usize> = HashMap::new();
    for candidate in candidates.iter().filter(listable) {
        for ancestor in flat.ancestors(candidate.anchor, LIST_DEPTH) {
            *below.entry(ancestor).or_default() += 1;
        }
    }
    let in_article = |index: usize| {
        article.is_some_and(|article| (article..flat.nodes[article].end as usize).contains(&index))
    };
    let mut accepted = Vec::new();
    for (position, candidate) in candidates.iter().enumerate() {
        let related_box = contexts[candidate.anchor].related_box;
        if related_box != NONE {
            accepted.push((position, related_box as usize));
            continue;
        }
        if !listable(&candidate) {
            continue;
        }
        let list = flat
            .ancestors(candidate.anchor, LIST_DEPTH)
            .find(|ancestor| below.get(ancestor).copied().unwrap_or(0) >= MIN_LIST);
        if let Some(list) = list.filter(|&list| {
            is_list_sized(flat, list) && !in_article(list) && !is_wrapper(flat, list, article)
        }) {
            accepted.push((position, list));
        }
    }
    accepted
}

/// Whether an element wraps the article (or, where no article text was
/// found, most of the page's text outside links): its class and id say nothing about its links,
/// and it is never a box to remove.
fn is_wrapper(flat: &Flat, index: usize, article: Option<usize>) -> bool {
    let node = &flat.nodes[index];
    match article {
        _ if node.tag == Tag::Body => true,
        Some(article) => index <= article && article < node.end as usize,
        None => {
            let prose = |node: &flat::FlatNode| node.text_len.saturating_sub(node.link_text_len);
            prose(node) * 2 > flat.nodes.first().map_or(0, prose)
        }
    }
}

/// The element that holds the article's text: the parent of the most
/// paragraph text.
fn article_text(flat: &Flat) -> Option<usize> {
    let mut paragraph_text: HashMap<usize, u32> = HashMap::new();
    for node in flat.nodes.iter().filter(|node| node.tag == Tag::Paragraph && node.text_len >= 40) {
        if node.parent != NONE {
            *paragraph_text.entry(node.parent as usize).or_default() +=
                node.text_len - node.link_text_len;
        }
    }
    paragraph_text
        .into_iter()
        .filter(|&(_, text)| text >= 500)
        .max_by_key(|&(index, text)| (text, index))
        .map(|(index, _)| index)
}

/// The teasers in page order, one per article, with their cards' details;
/// and the outermost boxes.
fn assemble(
    flat: &Flat,
    document: &Document,
    base: Option<&Url>,
    candidates: &[Candidate],
    accepted: &[(usize, usize)],
) -> FoundTeasers {
    let mut found = FoundTeasers::default();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut first_anchor: Vec<usize> = Vec::new();
    // Which candidate each teaser's title comes from.
    let mut headline_of: Vec<usize> = Vec::new();
    for &(position, _) in accepted {
        let candidate = &candidates[position];
        let key = candidate.target.key();
        if let Some(&existing) = by_key.get(&key) {
            // An image link's words (its caption) give way to the headline's.
            if candidate.headline && !candidates[headline_of[existing]].headline {
                found.teasers[existing].title = candidate.title.clone();
                headline_of[existing] = position;
            }
            continue;
        }
        headline_of.push(position);
        by_key.insert(key, found.teasers.len());
        first_anchor.push(candidate.anchor);
        found.teasers.push(HtmlTeaser {
            title: candidate.title.clone(),
            url: candidate.target.url.clone(),
            date: None,
            caption: None,
            image: None,
        });
    }
    // Anchors of accepted links in page order, with their article's key.
    let anchors: Vec<(usize, &str)> = accepted
        .iter()
        .map(|&(position, _)| {
            (candidates[position].anchor, candidates[position].target.url.as_str())
        })
        .collect();
    for (teaser, &anchor) in found.teasers.iter_mut().zip(&first_anchor) {
        let card = card_of(flat, anchor, &teaser.url, &anchors);
        let details = card::read_card(flat, document, card, base);
        teaser.date = details.date;
        teaser.caption = details.caption;
        teaser.image = details.image;
    }
    let mut boxes: Vec<usize> = accepted.iter().map(|&(_, container)| container).collect();
    boxes.sort_unstable();
    boxes.dedup();
    let mut outermost: Vec<usize> = Vec::new();
    for container in boxes {
        if outermost.last().is_none_or(|&outer| container >= flat.nodes[outer].end as usize) {
            outermost.push(container);
        }
    }
    found.boxes = outermost.into_iter().map(|index| flat.nodes[index].id).collect();
    found
}

/// The card of a teaser: the largest element around its link that holds
/// links to no other teaser (a few levels up at most).
fn card_of(flat: &Flat, anchor: usize, url: &str, anchors: &[(usize, &str)]) -> usize {
    let mut card = anchor;
    for ancestor in flat.ancestors(anchor, 4) {
        let end = flat.nodes[ancestor].end as usize;
        let first = anchors.partition_point(|&(index, _)| index < ancestor);
        let others = anchors[first..]
            .iter()
            .take_while(|&&(index, _)| index < end)
            .any(|&(_, other)| other != url);
        if others || flat.nodes[ancestor].tag == Tag::Body {
            break;
        }
        card = ancestor;
    }
    card
}
