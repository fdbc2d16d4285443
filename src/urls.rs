//! URLs under the site's `base_url`, which may carry a sub-path.
//!
//! Pages know themselves by their *site path* (`/2019/06/x/`, always starting
//! with `/`, relative to the site's root). Output HTML links with the *public
//! path* (`/archive/2019/06/x/` for a site deployed under `/archive/`), feeds
//! and sitemaps with the absolute URL.

/// A parsed `base_url`: an optional origin (`https://example.org`) and a path
/// prefix that always starts and ends with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    origin: Option<String>,
    prefix: String,
}

impl BaseUrl {
    /// Accepts `https://host[:port][/path/]`, `http://…`, or a bare path (`/`, `/archive/`).
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let (origin, path) = if let Some(rest) =
            text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"))
        {
            let scheme_len = text.len() - rest.len();
            let host_end = rest.find('/').unwrap_or(rest.len());
            if host_end == 0 {
                return Err(format!("`base_url` `{text}` has no host"));
            }
            (Some(text[..scheme_len + host_end].to_string()), &rest[host_end..])
        } else if text.starts_with('/') {
            (None, text)
        } else {
            return Err(format!(
                "`base_url` must be an http(s) URL like https://example.org/archive/ or a path like /archive/, found `{text}`"
            ));
        };
        if path.contains(['?', '#', ' ']) {
            return Err(format!("`base_url` `{text}` must not contain a query, fragment or space"));
        }
        let mut prefix = String::from("/");
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            prefix.push_str(segment);
            prefix.push('/');
        }
        Ok(BaseUrl { origin, prefix })
    }

    /// The path prefix, `/` or `/archive/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether the base URL names a host (absolute feed and sitemap URLs need one).
    pub fn has_origin(&self) -> bool {
        self.origin.is_some()
    }

    /// The public path of a site path: `/2019/x/` → `/archive/2019/x/`.
    pub fn path(&self, site_path: &str) -> String {
        self.joined("", site_path)
    }

    /// The absolute URL of a site path, or the public path when no origin is known.
    pub fn absolute(&self, site_path: &str) -> String {
        self.joined(self.origin.as_deref().unwrap_or(""), site_path)
    }

    /// `origin`, the prefix and `site_path` without its leading `/`, in one
    /// string allocated at its size: every page makes several of these, and
    /// `format!` grew its string two or three times for each.
    fn joined(&self, origin: &str, site_path: &str) -> String {
        let rest = site_path.trim_start_matches('/');
        let mut url = String::with_capacity(origin.len() + self.prefix.len() + rest.len());
        url.push_str(origin);
        url.push_str(&self.prefix);
        url.push_str(rest);
        url
    }
}

/// Decodes `%XX` escapes once (`my%20page` → `my page`); escapes that are
/// not valid, or bytes that are not UTF-8, are left as written.
pub fn percent_decode(text: &str) -> std::borrow::Cow<'_, str> {
    let decoded = percent_encoding::percent_decode_str(text);
    match decoded.decode_utf8() {
        Ok(text) => text,
        Err(_) => std::borrow::Cow::Borrowed(text),
    }
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:`, `tel:`).
pub fn has_scheme(link: &str) -> bool {
    let Some(colon) = link.find(':') else {
        return false;
    };
    let mut chars = link[..colon].chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::{BaseUrl, has_scheme, percent_decode};

    #[test]
    fn decodes_escapes_once_and_keeps_bad_ones() {
        assert_eq!(percent_decode("caf%C3%A9%2"), "café%2");
        assert_eq!(percent_decode("a%252F"), "a%2F");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert!(has_scheme("mailto:x@y.org") && has_scheme("https://e.org"));
        assert!(!has_scheme("a/b:c") && !has_scheme("../x.md") && !has_scheme(":x"));
    }

    #[test]
    fn sub_path_is_kept() {
        let b = BaseUrl::parse("https://example.org/archive").unwrap();
        assert_eq!(b.prefix(), "/archive/");
        assert_eq!(b.path("/2019/06/x/"), "/archive/2019/06/x/");
        assert_eq!(b.absolute("/"), "https://example.org/archive/");
        assert_eq!(b.absolute("atom.xml"), "https://example.org/archive/atom.xml");
    }

    #[test]
    fn root_and_bare_paths() {
        let b = BaseUrl::parse("https://example.org").unwrap();
        assert_eq!(b.path("/tags/"), "/tags/");
        let b = BaseUrl::parse("/").unwrap();
        assert_eq!(b.absolute("/a/"), "/a/");
        assert!(!b.has_origin());
        let b = BaseUrl::parse("http://localhost:1111/sub//dir/").unwrap();
        assert_eq!(b.absolute("/"), "http://localhost:1111/sub/dir/");
    }

    #[test]
    fn rejects_what_is_not_a_url() {
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("https://e.org/?q=1").is_err());
    }
}
