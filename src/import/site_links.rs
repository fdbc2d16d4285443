//! Links between imported articles. A link in an article's body to a page
//! the site holds already (an article or a stub, known by its
//! `source.url`) is written as a relative link to that file, so the site
//! links to its own copy (a permalink that `galley check` follows) rather
//! than to the original on the web, which may be gone.

use super::by_url::url_key;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// `text` (a file galley renders: front matter, then Markdown) with each
/// link whose address is a key of `targets` pointing at that file,
/// relative to `own_path` where the text will be written; `None` when no
/// link changed. Links to the file itself stay as they are.
pub(crate) fn link_imported(
    text: &str,
    own_path: &Path,
    targets: &HashMap<String, PathBuf>,
) -> Option<String> {
    let body_at = text.strip_prefix("---\n")?.find("\n---\n").map(|i| i + 4 + 5)?;
    let own_dir = own_path.parent()?;
    let body = &text[body_at..];
    let mut out = String::with_capacity(text.len());
    let mut rest = body;
    let mut changed = false;
    while let Some(at) = rest.find("](") {
        let dest_at = at + 2;
        out.push_str(&rest[..dest_at]);
        rest = &rest[dest_at..];
        let end = rest.find([')', ' ', '\n']).unwrap_or(rest.len());
        let dest = &rest[..end];
        let is_web = dest.starts_with("https://") || dest.starts_with("http://");
        let target = is_web.then(|| targets.get(&url_key(dest))).flatten();
        match target.filter(|t| t.as_path() != own_path) {
            Some(target) => {
                out.push_str(&relative_link(own_dir, target));
                changed = true;
            }
            None => out.push_str(dest),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    changed.then(|| format!("{}{out}", &text[..body_at]))
}

/// The path from directory `from` to file `to`, with `/` between parts
/// and spaces encoded, as a Markdown destination.
fn relative_link(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to_parts: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to_parts[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/").replace(' ', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> HashMap<String, PathBuf> {
        [
            ("https://news.example/2021/03/ferry/", "site/content/articles/2021/03/ferry.md"),
            ("https://news.example/2020/01/tides", "site/content/articles/2020/01/tides.md"),
        ]
        .into_iter()
        .map(|(u, p)| (url_key(u), PathBuf::from(p)))
        .collect()
    }

    #[test]
    fn links_to_imported_pages_become_relative_file_links() {
        let text = "---\ntitle: A\n---\n\nSee [the ferry](http://www.news.example/2021/03/ferry#top), \
                    [tides](https://news.example/2020/01/tides/) and [elsewhere](https://other.example/x).\n";
        let own = Path::new("site/content/articles/2021/03/a.md");
        let linked = link_imported(text, own, &targets()).unwrap();
        assert_eq!(
            linked,
            "---\ntitle: A\n---\n\nSee [the ferry](ferry.md), [tides](../../2020/01/tides.md) \
             and [elsewhere](https://other.example/x).\n"
        );
    }

    #[test]
    fn front_matter_self_links_and_unknown_links_are_left_alone() {
        let text = "---\ntitle: A\nsource:\n  url: https://news.example/2021/03/ferry/\n---\n\n\
                    [me](https://news.example/2021/03/ferry/) [x](https://x.example/)\n";
        let own = Path::new("site/content/articles/2021/03/ferry.md");
        assert_eq!(link_imported(text, own, &targets()), None);
    }
}
