//! Links between pages: a Markdown link to another page's `.md` file becomes
//! that page's public URL.

use std::collections::{BTreeMap, HashMap};

/// Resolves a link target written in a page to a public URL path.
///
/// `content_path` is the content-relative path of the linked file, already
/// normalised (`../x.md` from `articles/2019/06/a.md` is `articles/2019/x.md`),
/// without the fragment. `None` means no such page.
pub trait LinkResolver: Sync {
    /// The public URL path of the page at `content_path`, if there is one.
    fn resolve(&self, content_path: &str) -> Option<String>;

    /// The public URL path a file of `content/` that is not a page (an
    /// image saved beside an article) is published at, when this resolver
    /// publishes such files; `None` leaves links to them as written.
    fn file_url(&self, _content_path: &str) -> Option<String> {
        None
    }
}

/// A map from content path to URL resolves by lookup (handy in tests and tools).
impl<S: std::hash::BuildHasher + Sync> LinkResolver for HashMap<String, String, S> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.get(content_path).cloned()
    }
}

/// A map from content path to URL resolves by lookup.
impl LinkResolver for BTreeMap<String, String> {
    fn resolve(&self, content_path: &str) -> Option<String> {
        self.get(content_path).cloned()
    }
}

/// What to do with one link destination.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Destination {
    /// Not a link to a page's file: leave it as written.
    Keep,
    /// A page link, rewritten to its URL (fragment kept).
    Resolved(String),
    /// A page link that names no page; the message says which.
    Broken(String),
    /// A link to a file beside the page in `content/` (an image): its
    /// content path and the URL it is published at, when it exists.
    File { content_path: String, url: String },
}

/// Decides what a link or image destination written in the page at
/// `page_path` (content-relative) points to.
pub(crate) fn rewrite(dest: &str, page_path: &str, resolver: &dyn LinkResolver) -> Destination {
    let Some((path, fragment)) = page_link_parts(dest) else {
        return file_link(dest, page_path, resolver).unwrap_or(Destination::Keep);
    };
    let decoded = crate::urls::percent_decode(path);
    let target = match normalise(page_directory(page_path), &decoded) {
        Some(target) => target,
        None => {
            return Destination::Broken(format!(
                "link to `{dest}` leads outside content/: no page can be there"
            ));
        }
    };
    match resolver.resolve(&target) {
        Some(mut url) => {
            if let Some(fragment) = fragment {
                url.push('#');
                url.push_str(fragment);
            }
            Destination::Resolved(url)
        }
        None => Destination::Broken(format!("link to `{dest}`: no page `{target}` in content/")),
    }
}

/// A relative link to a file of `content/` that is not a page, resolved
/// through [`LinkResolver::file_url`]; `None` for anything else.
fn file_link(dest: &str, page_path: &str, resolver: &dyn LinkResolver) -> Option<Destination> {
    if dest.is_empty() || dest.starts_with(['/', '#', '?']) || crate::urls::has_scheme(dest) {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let content_path = normalise(page_directory(page_path), &crate::urls::percent_decode(path))?;
    let url = resolver.file_url(&content_path)?;
    Some(Destination::File { content_path, url })
}

/// Splits a relative `.md` destination into its path and fragment; `None` for
/// anything else (absolute URLs, `/paths`, `#anchors`, `mailto:`, other files).
fn page_link_parts(dest: &str) -> Option<(&str, Option<&str>)> {
    if dest.is_empty() || dest.starts_with(['/', '#', '?']) || crate::urls::has_scheme(dest) {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    // Case-sensitive, like the loader, which reads only `*.md` files.
    let is_markdown = path.len() > 3 && path.ends_with(".md");
    is_markdown.then_some((path, fragment))
}

/// The directory part of a content path (`articles/2019` for
/// `articles/2019/a.md`, empty at the top).
fn page_directory(page_path: &str) -> &str {
    page_path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Joins `relative` onto `directory`, resolving `.` and `..`; `None` when the
/// path climbs above the content root.
fn normalise(directory: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = directory.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> HashMap<String, String> {
        [
            ("articles/2019/x.md", "/2019/06/x/"),
            ("articles/2019/06/b.md", "/2019/06/b/"),
            ("about.md", "/about/"),
            ("articles/my page.md", "/my-page/"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    const PAGE: &str = "articles/2019/06/a.md";

    #[test]
    fn resolves_relative_paths_with_dot_dot_and_fragments() {
        let site = site();
        let cases = [
            ("../x.md", "/2019/06/x/"),
            ("b.md", "/2019/06/b/"),
            ("./b.md#section-2", "/2019/06/b/#section-2"),
            ("../../../about.md", "/about/"),
            ("../../my%20page.md", "/my-page/"),
            ("../06/../x.md", "/2019/06/x/"),
        ];
        for (dest, url) in cases {
            assert_eq!(rewrite(dest, PAGE, &site), Destination::Resolved(url.into()), "{dest}");
        }
    }

    #[test]
    fn leaves_other_destinations_alone() {
        let site = site();
        for dest in [
            "https://example.org/a.md",
            "/articles/2019/x.md",
            "#notes",
            "mailto:ed@example.org",
            "image.png",
            "../x.md.bak",
            "../x.MD",
            "",
            "//cdn.example.org/a.md",
        ] {
            assert_eq!(rewrite(dest, PAGE, &site), Destination::Keep, "{dest}");
        }
    }

    #[test]
    fn missing_pages_and_escapes_from_content_are_broken() {
        let site = site();
        match rewrite("../nope.md#x", PAGE, &site) {
            Destination::Broken(message) => {
                assert!(message.contains("`articles/2019/nope.md`"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(rewrite("../../../../x.md", PAGE, &site), Destination::Broken(_)));
    }

    #[test]
    fn percent_decoding_keeps_invalid_sequences() {
        assert_eq!(crate::urls::percent_decode("a%20b"), "a b");
        assert_eq!(crate::urls::percent_decode("100%"), "100%");
        assert_eq!(crate::urls::percent_decode("%zz%4"), "%zz%4");
        assert_eq!(crate::urls::percent_decode("%C3%A9"), "é");
        assert_eq!(crate::urls::percent_decode("%ff"), "%ff");
    }
}
