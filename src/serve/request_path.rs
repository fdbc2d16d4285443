//! Turns a request target into an output file name, refusing anything that
//! could name a file outside the output.
//!
//! Files come from the in-memory snapshot, so no request can reach the disk at
//! all; the checks here still refuse every traversal form outright, so that a
//! future change to where files come from cannot turn into a leak.

/// Where a request target leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// A file of the site: `key` is its output path (`"2019/x/index.html"`).
    /// `redirect_if_dir` is the slash form to send a browser to when `key` is not
    /// a file but `key/index.html` is.
    File { key: String, redirect_if_dir: Option<String> },
    /// Moved (301): the site's prefix without its trailing slash, or `/` for a site under a sub-path.
    Redirect(String),
    /// Not part of the site (outside the base path).
    NotFound,
    /// A target that tries to leave the output or cannot name a file.
    BadRequest(&'static str),
}

/// Resolves a request target (`/archive/2019/x/?q=1`) under `base` (`/` or `/archive/`).
pub(crate) fn resolve(target: &str, base: &str) -> Route {
    let (raw_path, query) = match target.find(['?', '#']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    if !raw_path.starts_with('/') {
        return Route::BadRequest("the request target must be a path");
    }
    if raw_path.starts_with("//") {
        return Route::BadRequest("the path must not start with //");
    }
    let Some(path) = percent_decode(raw_path) else {
        return Route::BadRequest("the path is not valid percent-encoded UTF-8");
    };
    if let Some(reason) = unsafe_reason(&path) {
        return Route::BadRequest(reason);
    }
    let query = if query.starts_with('?') { query } else { "" };
    let Some(rest) = path.strip_prefix(base) else {
        // `/archive` for base `/archive/`: the browser forgot the slash; `/`:
        // the server root, where a preview is first opened.
        if format!("{path}/") == base || path == "/" {
            return Route::Redirect(format!("{base}{query}"));
        }
        return Route::NotFound;
    };
    if rest.is_empty() || rest.ends_with('/') {
        return Route::File { key: format!("{rest}index.html"), redirect_if_dir: None };
    }
    Route::File { key: rest.to_string(), redirect_if_dir: Some(format!("{raw_path}/{query}")) }
}

/// Why a decoded path is refused, if it is.
fn unsafe_reason(path: &str) -> Option<&'static str> {
    if path.contains(['\\', '\0']) || path.chars().any(char::is_control) {
        return Some("the path holds a backslash or a control character");
    }
    if path.starts_with("//") || path[1..].contains("//") {
        return Some("the path holds an empty segment");
    }
    if path.split('/').any(|segment| segment == ".." || segment == ".") {
        return Some("the path holds a `.` or `..` segment");
    }
    // Double encoding: `%252e%252e` decodes once to `%2e%2e`; a second decoder
    // somewhere downstream would read `..`. Refuse escapes left after decoding
    // that would name a separator, a dot or NUL.
    let bytes = path.as_bytes();
    for (i, _) in path.match_indices('%') {
        let escaped = bytes
            .get(i + 1..i + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        if matches!(escaped, Some(b'/' | b'\\' | b'.' | 0)) {
            return Some("the path is encoded twice");
        }
    }
    None
}

/// Decodes `%XX` escapes once; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(key: &str) -> Route {
        Route::File { key: key.into(), redirect_if_dir: None }
    }

    #[test]
    fn directories_map_to_index_files() {
        assert_eq!(resolve("/", "/"), file("index.html"));
        assert_eq!(resolve("/2019/06/x/?utm=1", "/"), file("2019/06/x/index.html"));
        assert_eq!(resolve("/archive/", "/archive/"), file("index.html"));
        assert_eq!(resolve("/archive/tags/a%20b/", "/archive/"), file("tags/a b/index.html"));
    }

    #[test]
    fn files_may_redirect_to_their_directory_form() {
        assert_eq!(
            resolve("/archive/2019/x?a=1", "/archive/"),
            Route::File {
                key: "2019/x".into(),
                redirect_if_dir: Some("/archive/2019/x/?a=1".into())
            }
        );
    }

    #[test]
    fn paths_outside_the_base_are_not_found() {
        assert_eq!(resolve("/other/", "/archive/"), Route::NotFound);
        assert_eq!(resolve("/", "/archive/"), Route::Redirect("/archive/".into()));
        assert_eq!(resolve("/archive", "/archive/"), Route::Redirect("/archive/".into()));
        assert_eq!(resolve("/archive?x", "/archive/"), Route::Redirect("/archive/?x".into()));
    }

    #[test]
    fn traversal_is_refused() {
        for target in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2fetc/passwd",
            "/%252e%252e/%252e%252e/etc/passwd",
            "/a%252fb",
            "/a%255cb",
            "/..\\..\\windows",
            "/a%5c..%5cb",
            "/a%00.html",
            "//etc/passwd",
            "/a//b",
            "/./index.html",
            "http://example.org/etc/passwd",
            "etc/passwd",
            "/%zz",
            "/%c0%ae%c0%ae/",
        ] {
            assert!(matches!(resolve(target, "/"), Route::BadRequest(_)), "{target} was allowed");
        }
    }

    #[test]
    fn single_percent_escapes_that_decode_to_text_are_fine() {
        assert_eq!(resolve("/caf%C3%A9/", "/"), file("café/index.html"));
        assert_eq!(resolve("/100%25/", "/"), file("100%/index.html"));
    }
}
