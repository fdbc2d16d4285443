//! Search: a static index that a browser reads in pieces.
//!
//! `galley build` writes, next to the pages, under `search/`:
//!
//! - `index.json`, the manifest: format version, number of articles, how many
//!   term shards there are (`2^shardBits`), articles per document file, and a
//!   key that changes whenever any file of the index does (the script adds it
//!   to every URL it fetches, so a browser never mixes two builds).
//! - `t/N.bin`, the term shards. Every normalised word (see [`words`]) goes to
//!   the shard given by the top bits of its hash ([`term_hash`]); a shard is a
//!   sequence of records, each the word, the length of the rest, then the
//!   articles with the word in their title (count, then ids as deltas) and the
//!   articles with it anywhere (as deltas, or as a bitmap when that is
//!   smaller: a word in half the articles of 100,000 costs 6 KB). Integers are
//!   LEB128 varints. The shard count grows with the index so a shard stays
//!   near 8 KB.
//! - `d/N.json`, the document files: [`DOCS_PER_GROUP`] consecutive articles
//!   each (URL, title, date, byline, stub flag, standfirst, and the beginning
//!   of the body's plain text, about [`EXCERPT_BYTES`] cut at a space, with
//!   `more` when the text goes on).
//!
//! Article ids follow the site's order, newest first. A query fetches the
//! manifest, one shard per distinct word, intersects the lists, ranks
//! articles with more of the words in their title first and newer before
//! older, and fetches the document files of the results it shows. A result
//! whose beginning lacks the query's words or quoted phrases, and goes on,
//! is read from its article page, which has the whole text already: its
//! snippet comes from there and its phrases are checked there (the search
//! page's form names the element of an article page that holds the text,
//! `data-article-text`). Documents that held every article's whole text
//! were most of the index's bytes and of the time it took to write.
//!
//! The build feeds an [`IndexBuilder`] one [`SearchDoc`] per article from its
//! rendering threads: each thread reads words into the ids of one shared
//! table of terms, through a cache of words as written, and the postings are
//! gathered in article order once all are in. `serve` keeps the
//! [`SearchIndex`] and updates the files one saved article touches (see `kept`).

mod analyze;
mod batches;
mod doc;
mod index;
mod kept;
mod postings;
mod shards;
pub mod words;

pub use analyze::{shard_of, term_hash};
pub use doc::{DIR, EXCERPT_BYTES, SearchDoc};
pub use index::{DOCS_PER_GROUP, Emit, FORMAT_VERSION, IndexBuilder, SearchIndex};
pub use kept::Written;

use crate::site::SiteGraph;

/// Whether `path` (under the output root) is a file of the index: the
/// manifest, a shard or a document file (not the search page).
pub fn is_index_file(path: &str) -> bool {
    path.strip_prefix(DIR).is_some_and(|rest| {
        rest == "/index.json" || rest.starts_with("/t/") || rest.starts_with("/d/")
    })
}

/// Calls `f` with the [`SearchDoc`] of article `index` of `graph`, whose
/// body's plain text is `text`, identified by `text_key` (see [`SearchDoc::text_key`]).
pub fn with_article_doc<R>(
    graph: &SiteGraph,
    index: usize,
    text: &str,
    text_key: u64,
    f: impl FnOnce(&SearchDoc<'_>) -> R,
) -> R {
    let article = &graph.articles[index];
    let fm = &article.page.front_matter;
    let url = graph.url(&article.site_path);
    // A standalone page without a date shows none.
    let (date, date_display) = if article.page.dated {
        (fm.date.to_string(), fm.date.display(&graph.config.date_format))
    } else {
        (String::new(), String::new())
    };
    let byline = if fm.authors.is_empty() {
        fm.publication.clone().unwrap_or_default()
    } else {
        fm.authors.join(", ")
    };
    f(&SearchDoc {
        url: &url,
        title: &fm.title,
        date: &date,
        date_display: &date_display,
        byline: &byline,
        stub: fm.stub,
        standfirst: fm.standfirst.as_deref().unwrap_or(""),
        text,
        text_key,
    })
}
