//! Content: the Markdown files of `content/` loaded into typed [`Page`]s.
//!
//! Loading ([`load`]) reads every `content/**/*.md`; [`parse_page`] splits each
//! file's YAML front matter from its body, keeping the file's line numbers,
//! and parses it into [`FrontMatter`] ([`front_matter`]). All files' errors
//! are collected and reported together. One-shot builds may leave bodies on
//! disk and read them again when rendering ([`body`]).

pub mod body;
pub mod date;
pub mod fences;
pub mod front_matter;
pub mod load;
pub mod page;
pub mod slug;
#[cfg(test)]
mod test_pages;

pub use body::{Bodies, BodyReader, KEPT_BODIES_BUDGET};
pub use date::PageDate;
pub use fences::{SplitPage, split_front_matter};
pub use front_matter::{FrontMatter, Image, SourceRef, Teaser};
pub use load::{load_page, load_pages, load_pages_with};
pub use page::{Page, PageText, parse_page};
pub use slug::{MAX_SEGMENT, fit_segment, slugify};
