//! The front matter of a page: the YAML block between `---` lines, split
//! from the body and parsed into [`FrontMatter`].
//!
//! A page file is `---`, YAML, `---`, then Markdown. Splitting keeps the line
//! numbers of both halves, so YAML errors (and later Markdown errors) name the
//! line an editor shows.
//!
//! [`FrontMatter`] is the contract between import (which writes it) and the
//! loader (which reads it). Field names follow what Hugo, Zola and Jekyll
//! users know. Only `title` and `date` are required; keys galley does not
//! know are kept in `extra` and reach templates.
//!
//! `FrontMatter` deserialises through a hand-written map visitor
//! (`FrontMatterFields`) rather than `#[derive(Deserialize)]` with
//! `#[serde(flatten)]`: flatten buffers the whole mapping first, so an error in
//! a value (a bad `date`) lost its position and pointed at the mapping's first
//! line; the visitor keeps every value's position and skips the buffering.

use super::date::PageDate;
use super::fences::{SplitError, SplitPage, split};
use crate::error::{Diagnostic, Location};
use crate::yaml;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Everything a page's front matter may say.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
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
    /// Overrides the slug, which is otherwise the file's name without `.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Earlier addresses of the page (`/2019/06/old-name/`): each gets a
    /// redirect page, so links to them keep working after a move.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Drafts are left out of builds unless `--drafts`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
    /// A teaser whose full text is not archived yet.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stub: bool,
    /// Keys galley does not know, kept for templates. (Serialised flattened;
    /// deserialised by `FrontMatterFields`, which needs no flatten.)
    #[serde(flatten)]
    pub extra: BTreeMap<String, yaml::Value>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A lead image: its caption and credit, and where it is when the page
/// said (text pages keep no pixels).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Image {
    /// The image's address (absolute), or the file galley copied it to
    /// beside the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
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
    /// The address it links to (absolute when the page's address is
    /// known); a later import of that page upgrades its stub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
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
    /// The page's canonical address, when the saved page tells it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The saved page's path, relative to the site root when it lies inside
    /// it (empty for a stub, known only by its address).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// SHA-256 of the saved page's bytes, lowercase hex (empty for a stub).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// SHA-256 of the whole file as import wrote it, this key's line left
    /// out: lets a later import tell its own output from a hand edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    /// The page showed no publication date: `date` is the day it was saved.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undated: bool,
}

impl SourceRef {
    /// What an importer knows of a page before it is written: its address
    /// and whether it showed a date. `file` and `sha256` are filled in by
    /// the import that saves it (or stay empty, for a stub).
    pub fn seen_at(url: Option<String>, undated: bool) -> Self {
        SourceRef { url, file: String::new(), sha256: String::new(), written: None, undated }
    }
}

/// The date a standalone page without `date:` carries, so that every page
/// sorts and hashes alike; templates and the search index show no date for it.
pub const UNDATED: PageDate = PageDate(jiff::civil::DateTime::constant(1970, 1, 1, 0, 0, 0, 0));

/// A required key that the front matter lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MissingKey {
    /// No `title:`.
    Title,
    /// No `date:`.
    Date,
}

impl MissingKey {
    /// The key as written in YAML.
    pub(crate) fn key(self) -> &'static str {
        match self {
            MissingKey::Title => "title",
            MissingKey::Date => "date",
        }
    }
}

/// Front matter as written, before the required keys are checked, so the
/// loader can name a missing key at a useful line instead of serde's generic
/// "missing field". Collection keys accept `null` (`tags:` with nothing after
/// it, as hand-written Hugo files often have) as empty.
#[derive(Debug, Default)]
pub(crate) struct FrontMatterFields {
    title: Option<String>,
    date: Option<PageDate>,
    authors: Vec<String>,
    publication: Option<String>,
    standfirst: Option<String>,
    image: Option<Image>,
    tags: Vec<String>,
    series: Option<String>,
    author_bio: Option<String>,
    rights: Option<String>,
    related: Vec<Teaser>,
    source: Option<SourceRef>,
    slug: Option<String>,
    aliases: Vec<String>,
    draft: bool,
    stub: bool,
    extra: BTreeMap<String, yaml::Value>,
}

impl FrontMatterFields {
    /// The complete front matter, or the first required key that is missing.
    fn into_front_matter(self) -> Result<FrontMatter, MissingKey> {
        let title = self.title.ok_or(MissingKey::Title)?;
        let date = self.date.ok_or(MissingKey::Date)?;
        Ok(FrontMatter {
            title,
            date,
            authors: self.authors,
            publication: self.publication,
            standfirst: self.standfirst,
            image: self.image,
            tags: self.tags,
            series: self.series,
            author_bio: self.author_bio,
            rights: self.rights,
            related: self.related,
            source: self.source,
            slug: self.slug,
            aliases: self.aliases,
            draft: self.draft,
            stub: self.stub,
            extra: self.extra,
        })
    }
}

impl<'de> Deserialize<'de> for FrontMatter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        FrontMatterFields::deserialize(deserializer)?
            .into_front_matter()
            .map_err(|missing| de::Error::missing_field(missing.key()))
    }
}

impl<'de> Deserialize<'de> for FrontMatterFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

/// A front-matter key: one galley knows, or another kept in `extra`.
enum Key {
    Title,
    Date,
    Authors,
    Publication,
    Standfirst,
    Image,
    Tags,
    Series,
    AuthorBio,
    Rights,
    Related,
    Source,
    Slug,
    Aliases,
    Draft,
    Stub,
    Other(String),
}

impl Key {
    fn from_name(name: &str) -> Key {
        match name {
            "title" => Key::Title,
            "date" => Key::Date,
            "authors" => Key::Authors,
            "publication" => Key::Publication,
            "standfirst" => Key::Standfirst,
            "image" => Key::Image,
            "tags" => Key::Tags,
            "series" => Key::Series,
            "author_bio" => Key::AuthorBio,
            "rights" => Key::Rights,
            "related" => Key::Related,
            "source" => Key::Source,
            "slug" => Key::Slug,
            "aliases" => Key::Aliases,
            "draft" => Key::Draft,
            "stub" => Key::Stub,
            other => Key::Other(other.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a front-matter key")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
                Ok(Key::from_name(name))
            }
        }
        // Known keys are matched without allocating; only unknown ones are copied.
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct FieldsVisitor;

/// Reads the next value into `slot`, refusing a second occurrence of `key`.
fn fill<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = FrontMatterFields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("front matter: a mapping of keys such as `title:` and `date:`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FrontMatterFields, A::Error> {
        let mut fields = FrontMatterFields::default();
        // Collections and flags are read as Options so a repeated key is detected
        // and `null` means empty.
        let mut authors: Option<Option<Vec<String>>> = None;
        let mut tags: Option<Option<Vec<String>>> = None;
        let mut related: Option<Option<Vec<Teaser>>> = None;
        let mut aliases: Option<Option<Vec<String>>> = None;
        let mut draft: Option<Option<bool>> = None;
        let mut stub: Option<Option<bool>> = None;
        let mut publication = None;
        let mut standfirst = None;
        let mut image = None;
        let mut series = None;
        let mut author_bio = None;
        let mut rights = None;
        let mut source = None;
        let mut slug = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Title => fill(&mut map, &mut fields.title, "title")?,
                Key::Date => fill(&mut map, &mut fields.date, "date")?,
                Key::Authors => fill(&mut map, &mut authors, "authors")?,
                Key::Publication => fill(&mut map, &mut publication, "publication")?,
                Key::Standfirst => fill(&mut map, &mut standfirst, "standfirst")?,
                Key::Image => fill(&mut map, &mut image, "image")?,
                Key::Tags => fill(&mut map, &mut tags, "tags")?,
                Key::Series => fill(&mut map, &mut series, "series")?,
                Key::AuthorBio => fill(&mut map, &mut author_bio, "author_bio")?,
                Key::Rights => fill(&mut map, &mut rights, "rights")?,
                Key::Related => fill(&mut map, &mut related, "related")?,
                Key::Source => fill(&mut map, &mut source, "source")?,
                Key::Slug => fill(&mut map, &mut slug, "slug")?,
                Key::Aliases => fill(&mut map, &mut aliases, "aliases")?,
                Key::Draft => fill(&mut map, &mut draft, "draft")?,
                Key::Stub => fill(&mut map, &mut stub, "stub")?,
                Key::Other(name) => {
                    let value = map.next_value::<yaml::Value>()?;
                    if fields.extra.insert(name, value).is_some() {
                        return Err(de::Error::custom("a key appears twice in the front matter"));
                    }
                }
            }
        }
        fields.authors = authors.flatten().unwrap_or_default();
        fields.tags = tags.flatten().unwrap_or_default();
        fields.related = related.flatten().unwrap_or_default();
        fields.aliases = aliases.flatten().unwrap_or_default();
        fields.draft = draft.flatten().unwrap_or(false);
        fields.stub = stub.flatten().unwrap_or(false);
        // Optional scalars: `series: null` and a missing key mean the same.
        fields.publication = publication.flatten();
        fields.standfirst = standfirst.flatten();
        fields.image = image.flatten();
        fields.series = series.flatten();
        fields.author_bio = author_bio.flatten();
        fields.rights = rights.flatten();
        fields.source = source.flatten();
        fields.slug = slug.flatten();
        Ok(fields)
    }
}

/// A page file's front matter, parsed and checked, with the text's halves.
#[derive(Debug)]
pub(crate) struct ParsedFrontMatter<'a> {
    pub(crate) front_matter: FrontMatter,
    pub(crate) split: SplitPage<'a>,
    /// A standalone page (see [`Page::standalone`](super::Page::standalone)).
    pub(crate) standalone: bool,
    /// Whether the front matter gave a date (only a standalone page may not).
    pub(crate) dated: bool,
}

impl ParsedFrontMatter<'_> {
    /// The file's line holding the top-level `key:`, or 1 (the opening fence)
    /// when no line does.
    pub(crate) fn key_line(&self, key: &str) -> usize {
        key_index(self.split.yaml, key, 0).map_or(1, |index| self.split.yaml_first_line + index)
    }
}

/// An error at `line` of `file`, showing that line of its `text`.
pub(crate) fn error_at_line(file: &Path, text: &str, line: usize, message: String) -> Diagnostic {
    Diagnostic::at(file, Location::line(line), message).with_source(text)
}

/// Splits a page file's `text` and parses its front matter, requiring a
/// title and a date. Errors point at `file`'s lines.
///
/// A standalone page (`in_pages_dir`, or `page: true`) may leave out the
/// date: it then carries [`UNDATED`], and `dated` says so.
pub(crate) fn parse_front_matter<'a>(
    file: &Path,
    text: &'a str,
    in_pages_dir: bool,
) -> Result<ParsedFrontMatter<'a>, Diagnostic> {
    let split = split(text).map_err(|e| {
        let message = match e {
            SplitError::NoOpeningFence => {
                "expected front matter: the file must start with a `---` line"
            }
            SplitError::Unclosed => {
                "unclosed front matter: no `---` line ends the block this line opens"
            }
        };
        error_at_line(file, text, 1, message.to_string())
    })?;

    let fields: FrontMatterFields = if split.yaml.trim().is_empty() {
        FrontMatterFields::default()
    } else {
        yaml::parse(split.yaml, file, split.yaml_first_line)
            .map_err(|d| relocate_duplicate_key(d, split.yaml, split.yaml_first_line))?
    };
    let mut fields = fields;
    let marked_standalone = match fields.extra.get("page") {
        None => false,
        Some(value) => value.as_bool().ok_or_else(|| {
            let line = key_index(split.yaml, "page", 0).map_or(1, |i| split.yaml_first_line + i);
            let message = "`page:` takes `true` (a standalone page) or `false`".to_string();
            error_at_line(file, text, line, message)
        })?,
    };
    let standalone = in_pages_dir || marked_standalone;
    let dated = fields.date.is_some();
    if standalone && !dated {
        fields.date = Some(UNDATED);
    }
    let front_matter = fields.into_front_matter().map_err(|missing| {
        let hint = match missing {
            MissingKey::Date => {
                "; a page without a date (an about page) goes under `content/pages/` or says `page: true`"
            }
            MissingKey::Title => "",
        };
        let message = format!(
            "the front matter has no `{}:` key; every page needs `title:` and `date:`{hint}",
            missing.key()
        );
        error_at_line(file, text, 1, message)
    })?;
    let parsed = ParsedFrontMatter { front_matter, split, standalone, dated };
    if parsed.front_matter.title.trim().is_empty() {
        let line = parsed.key_line("title");
        return Err(error_at_line(file, text, line, "the title is empty".to_string()));
    }
    Ok(parsed)
}

/// serde reports a repeated key at the mapping's first line; point at the
/// repetition instead.
fn relocate_duplicate_key(mut diagnostic: Diagnostic, yaml: &str, first_line: usize) -> Diagnostic {
    let key = diagnostic
        .message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    if let Some(index) = key.and_then(|key| key_index(yaml, &key, 1)) {
        diagnostic.location = Some(Location::line(first_line + index));
        diagnostic.source_line = yaml.lines().nth(index).map(|l| l.trim_end_matches('\r').into());
    }
    diagnostic
}

/// The 0-based index within `yaml` of the line holding the top-level `key:`,
/// skipping `skip` earlier occurrences.
fn key_index(yaml: &str, key: &str, skip: usize) -> Option<usize> {
    yaml.lines()
        .enumerate()
        .filter(|(_, line)| {
            let unquoted = line
                .strip_prefix(['"', '\''])
                .and_then(|l| l.strip_prefix(key))
                .and_then(|l| l.strip_prefix(['"', '\'']));
            let rest = unquoted.or_else(|| line.strip_prefix(key));
            rest.is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
        })
        .nth(skip)
        .map(|(index, _)| index)
}
