//! The functions and filters galley adds to Tera: `url`, `asset`, `date`,
//! `heading_count`, and the content fingerprints behind `asset`.

use std::collections::HashMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use tera::value::Key;
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::content::PageDate;
use crate::urls::BaseUrl;

/// Registers `url(path=…)`, `asset(path=…)`, and the filters `date(format=…)` and
/// `heading_count` (headings in a table of contents, nested ones included).
/// `published_assets` maps an asset's theme name (`style.css`) to its published
/// site path (`/style.3f2a9c1b.css`).
pub(crate) fn register(
    tera: &mut Tera,
    base_url: &BaseUrl,
    published_assets: Arc<HashMap<String, String>>,
) {
    let url_base = base_url.clone();
    tera.register_function("url", move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
        let path = kwargs.must_get::<&str>("path")?;
        Ok(public_url(&url_base, path))
    });

    // Each asset's public URL, made once: a theme asks for its stylesheets on
    // every page (and the value of a short URL is copied without allocating).
    let asset_urls: HashMap<String, Value> = published_assets
        .iter()
        .map(|(name, site_path)| (name.clone(), Value::from(base_url.path(site_path))))
        .collect();
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
        let path = kwargs.must_get::<&str>("path")?;
        let name = path.trim_start_matches('/');
        match asset_urls.get(name) {
            Some(url) => Ok(url.clone()),
            None => {
                let mut known: Vec<&str> = published_assets.keys().map(String::as_str).collect();
                known.sort_unstable();
                Err(tera::Error::message(format!(
                    "asset(path=\"{path}\"): no such asset; the theme's static files are: {}",
                    known.join(", ")
                )))
            }
        }
    });

    tera.register_filter("date", |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
        let format = kwargs.must_get::<&str>("format")?;
        format_date(value, format).map_err(tera::Error::message)
    });

    tera.register_filter("heading_count", |entries: &[Value], _: Kwargs, _: &State| {
        count_headings(entries)
    });
}

/// Headings in a list of table-of-contents entries (`TocEntry`), children included.
fn count_headings(entries: &[Value]) -> usize {
    entries
        .iter()
        .map(|entry| {
            let children = entry.as_map().and_then(|m| m.get(&Key::Str("children")));
            1 + children.and_then(Value::as_array).map_or(0, count_headings)
        })
        .sum()
}

/// The public path of a site path; absolute URLs (`https://…`, `mailto:`) and
/// fragments pass through unchanged.
pub(crate) fn public_url(base_url: &BaseUrl, path: &str) -> String {
    if path.starts_with('#') || path.contains("://") || path.starts_with("mailto:") {
        path.to_string()
    } else {
        base_url.path(path)
    }
}

/// Formats a `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` string with a strftime format.
pub(crate) fn format_date(value: &str, format: &str) -> Result<String, String> {
    let date = PageDate::parse(value).map_err(|e| format!("date filter: {e}"))?;
    jiff::fmt::strtime::format(format, date.0)
        .map_err(|e| format!("date filter: cannot format with `{format}`: {e}"))
}

/// `style.css` → `style.3f2a9c1b.css`: the first 8 hex digits of the SHA-256 of
/// the contents, before the extension, so the file can be cached forever.
pub(crate) fn fingerprinted_name(name: &str, contents: &[u8]) -> String {
    let digest = Sha256::digest(contents);
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let file_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[file_start..].rfind('.') {
        Some(dot) => {
            let dot = file_start + dot;
            format!("{}.{hex}{}", &name[..dot], &name[dot..])
        }
        None => format!("{name}.{hex}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_goes_before_the_extension() {
        let name = fingerprinted_name("css/style.css", b"body{}");
        let digest = Sha256::digest(b"body{}");
        let expected_hex =
            format!("{:02x}{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2], digest[3]);
        assert_eq!(name, format!("css/style.{expected_hex}.css"));
        assert_ne!(fingerprinted_name("style.css", b"a"), fingerprinted_name("style.css", b"b"));
        assert!(fingerprinted_name("v.1/LICENSE", b"x").starts_with("v.1/LICENSE."));
    }

    #[test]
    fn date_formats_dates_and_date_times() {
        assert_eq!(format_date("2019-06-05", "%-d %B %Y").unwrap(), "5 June 2019");
        assert_eq!(format_date("2019-06-05", "%e %B %Y").unwrap(), " 5 June 2019");
        assert_eq!(
            format_date("2019-06-28T09:30:00", "%Y-%m-%d %H:%M").unwrap(),
            "2019-06-28 09:30"
        );
        let bad = format_date("28/06/2019", "%Y").unwrap_err();
        assert!(bad.contains("28/06/2019"), "{bad}");
    }

    #[test]
    fn heading_count_counts_nested_entries() {
        let toc = serde_json::json!([
            {"id": "a", "children": [{"id": "b", "children": [{"id": "c", "children": []}]}]},
            {"id": "d", "children": []}
        ]);
        let value = Value::from_serializable(&toc);
        assert_eq!(count_headings(value.as_array().unwrap()), 4);
    }

    #[test]
    fn url_respects_the_sub_path_and_leaves_absolute_urls() {
        let base = BaseUrl::parse("https://example.org/archive/").unwrap();
        assert_eq!(public_url(&base, "/tags/"), "/archive/tags/");
        assert_eq!(public_url(&base, "tags/"), "/archive/tags/");
        assert_eq!(public_url(&base, "https://other.org/x"), "https://other.org/x");
    }
}
