//! The front matter of a page: the YAML block between `---` lines.
//!
//! This struct is the contract between import (which writes it) and the
//! loader (which reads it). Field names follow what Hugo, Zola and Jekyll
//! users know. Only `title` and `date` are required; keys galley does not
//! know are kept in `extra` and reach templates.

use super::date::PageDate;
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Everything a page's front matter may say.
#[derive(Debug, Clone, PartialEq, Hash, Serialize, Deserialize)]
pub struct FrontMatter {
    /// The headline.
    pub title: String,
    /// Publication date.
    pub date: PageDate,
    /// Authors in byline order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The publication the article appeared in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<String>,
    /// The standfirst (dek): one or two sentences under the headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standfirst: Option<String>,
    /// The lead image's caption and credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Tags; always written, `[]` when the page had none.
    #[serde(default)]
    pub tags: Vec<String>,
    /// A recurring column ("The Last Word"), from `import.series_prefixes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// The author's biography printed under the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_bio: Option<String>,
    /// The rights line (`© …, reprinted by permission`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    /// The page's sidebar teasers, in page order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Teaser>,
    /// The saved page this file was imported from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// Overrides the slug derived from the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Drafts are left out of builds unless `--drafts`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
    /// A teaser whose full text is not archived yet.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stub: bool,
    /// Keys galley does not know, kept for templates.
    #[serde(flatten)]
    pub extra: BTreeMap<String, yaml::Value>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A lead image, known only by its caption and credit (saved pages keep no pixels).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Image {
    /// The caption as printed, without its credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Who the image is credited to (`Shutterstock`, `AP Photo/…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// A sidebar teaser: another article the page pointed to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Teaser {
    /// The teaser's headline.
    pub title: String,
    /// Its date, when the teaser showed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PageDate>,
    /// What followed `|` on its date line: a publication, authors or categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// Its image caption, without the credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Its image credit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// Where an imported page came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    /// The saved page's path, relative to the site root when it lies inside it.
    pub file: String,
    /// SHA-256 of the saved page's bytes, lowercase hex.
    pub sha256: String,
}
