//! Names too long to be a name: a publication, author or tag of more than
//! [`MAX_NAME`] characters is what a mis-split page makes (a paragraph run
//! into a byline), and as a term it would need an address no file system
//! takes. Import leaves such names out and says so.

use crate::content::FrontMatter;
use crate::error::{Diagnostic, Location};
use std::path::Path;

/// The longest publication, author or tag name import keeps, in characters.
pub const MAX_NAME: usize = 200;

/// Removes the overlong names from `front_matter`, with a warning for each
/// at `line` of `page` (the headline's line: the importer keeps no line per name).
pub fn drop_overlong_names(
    front_matter: &mut FrontMatter,
    page: &Path,
    line: usize,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut warn = |what: &str, name: &str| {
        let start: String = name.chars().take(40).collect();
        warnings.push(Diagnostic::at(
            page,
            Location::line(line),
            format!(
                "the {what} `{start}…` is {} characters long; expected a name of at most \
                 {MAX_NAME}, so it is left out",
                name.chars().count()
            ),
        ));
    };
    let too_long = |name: &str| name.chars().count() > MAX_NAME;
    if let Some(publication) = front_matter.publication.take_if(|p| too_long(p)) {
        warn("publication", &publication);
    }
    for (what, names) in [("author", &mut front_matter.authors), ("tag", &mut front_matter.tags)] {
        names.retain(|name| {
            let keep = !too_long(name);
            if !keep {
                warn(what, name);
            }
            keep
        });
    }
    warnings
}

/// A title from the saved file's name, for a page that shows none: a
/// browser's "Save Page As" names the file after the page's title, and a
/// person naming a save by hand writes `the-article-title.html`. The
/// shortest stem left by one of `extensions` (`html`, `html.gz`) is used.
pub(crate) fn title_from_file_name(path: &Path, extensions: &[&str]) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let stem = extensions
        .iter()
        .filter(|e| lower.ends_with(&format!(".{e}")))
        .map(|e| &name[..name.len() - e.len() - 1])
        .min_by_key(|stem| stem.len())
        .unwrap_or(name);
    let words: Vec<&str> = stem.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let title = words.join(" ");
    title.chars().any(char::is_alphanumeric).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::PageDate;

    #[test]
    fn names_past_the_limit_are_left_out_with_a_warning() {
        let long = "Harbour ".repeat(130);
        let mut front_matter: FrontMatter =
            crate::yaml::parse("title: T\ndate: 2020-01-01\n", Path::new("a.md"), 1).unwrap();
        front_matter.date = PageDate::ymd(2020, 1, 1).unwrap();
        front_matter.publication = Some(long.clone());
        front_matter.authors = vec!["Ann Lee".into(), long.clone()];
        front_matter.tags = vec![long.clone(), "ports".into()];
        let warnings = drop_overlong_names(&mut front_matter, Path::new("in/a.txt"), 3);
        assert_eq!(front_matter.publication, None);
        assert_eq!(front_matter.authors, ["Ann Lee"]);
        assert_eq!(front_matter.tags, ["ports"]);
        assert_eq!(warnings.len(), 3);
        assert!(warnings.iter().all(|w| w.location == Some(Location::line(3))));
        assert!(warnings[0].message.starts_with("the publication `Harbour"), "{:?}", warnings[0]);
        assert!(warnings[0].message.contains("1040 characters"), "{:?}", warnings[0]);
    }
}
