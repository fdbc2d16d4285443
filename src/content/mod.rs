//! Content: the Markdown files of `content/` loaded into typed [`Page`]s.
//!
//! Loading reads every `content/**/*.md`, splits the YAML front matter from the
//! body keeping the file's line numbers, and parses it into [`FrontMatter`].
//! All files' errors are collected and reported together.

pub mod date;
pub mod front_matter;
pub mod load;
pub mod page;
pub mod slug;

pub use date::PageDate;
pub use front_matter::{FrontMatter, FrontMatterFields, Image, MissingKey, SourceRef, Teaser};
pub use load::{SplitPage, load_page, load_pages, parse_page, split_front_matter};
pub use page::Page;
pub use slug::slugify;
