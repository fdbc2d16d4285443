//! The site graph: every page the site will have, and how they refer to each other.
//!
//! Built from the loaded [`Page`](crate::content::Page)s and the configuration,
//! without rendering anything: articles in date order with their URLs,
//! taxonomies with their terms, the archive by year and month, and the list of
//! output pages ([`OutputPage`]) with the articles each one shows. The graph is
//! plain data, read-only once built, so rendering can run in parallel over it.

pub mod archive;
pub mod article;
pub mod graph;
mod lookup;
mod origin;
pub mod outputs;
pub mod standalone;
pub mod taxonomy;
mod teaser_targets;
mod term_feeds;
mod update;

pub use archive::{MonthArchive, YearArchive};
pub use article::Article;
pub use graph::{GraphOptions, SiteGraph};
pub use outputs::{Listing, OutputPage};
pub use taxonomy::{Taxonomy, Term};
pub use teaser_targets::TeaserTargets;
pub use update::{ChangedPage, Moved};

#[cfg(test)]
mod tests;
