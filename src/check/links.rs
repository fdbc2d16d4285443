//! Where a link in the output leads: another output file (and anchor), a
//! page outside the site, or nowhere.

use super::Files;
use crate::urls::BaseUrl;

/// Where a link leads.
pub(super) enum Target {
    External,
    Missing(String),
    /// The output file and the decoded fragment (`None` when empty).
    File(String, Option<String>),
}

/// Resolves links against the output's files, for a site deployed at `base`.
pub(super) struct Resolver<'a> {
    pub(super) base: &'a BaseUrl,
    pub(super) files: &'a Files,
}

impl Resolver<'_> {
    /// Where a link written in output file `from` leads.
    pub(super) fn resolve(&self, from: &str, link: &str) -> Target {
        let link = link.trim();
        let (without_fragment, fragment) = match link.split_once('#') {
            Some((l, f)) => {
                (l, Some(crate::urls::percent_decode(f).into_owned()).filter(|f| !f.is_empty()))
            }
            None => (link, None),
        };
        let without_query = without_fragment.split('?').next().unwrap_or_default();
        let absolute_home = self.base.absolute("/");
        let path = if without_query.is_empty() {
            // `#anchor` on the same page.
            return Target::File(from.to_string(), fragment);
        } else if self.base.has_origin()
            && without_query.starts_with(absolute_home.trim_end_matches('/'))
        {
            self.base.path(&without_query[absolute_home.len().min(without_query.len())..])
        } else if without_query.starts_with("//") || crate::urls::has_scheme(without_query) {
            return Target::External;
        } else if without_query.starts_with('/') {
            without_query.to_string()
        } else {
            // Relative to the page's own URL directory.
            let dir = match from.rfind('/') {
                Some(i) => format!("{}{}/", self.base.prefix(), &from[..i]),
                None => self.base.prefix().to_string(),
            };
            normalise(&format!("{dir}{without_query}"))
        };
        let Some(in_site) = path
            .strip_prefix(self.base.prefix())
            .or_else(|| (format!("{path}/") == self.base.prefix()).then_some(""))
        else {
            return Target::Missing(format!("outside the site's base path {}", self.base.prefix()));
        };
        let decoded = crate::urls::percent_decode(in_site).into_owned();
        let candidates = if decoded.is_empty() || decoded.ends_with('/') {
            vec![format!("{decoded}index.html")]
        } else {
            vec![decoded.clone(), format!("{decoded}/index.html")]
        };
        for candidate in candidates {
            if self.files.contains_key(&candidate) {
                return Target::File(candidate, fragment);
            }
        }
        Target::Missing(format!("no file {decoded}"))
    }
}

/// Resolves `.` and `..` segments of an absolute path.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && !out.ends_with('/') {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_dot_segments() {
        assert_eq!(normalise("/a/b/../c/./d/"), "/a/c/d/");
        assert_eq!(normalise("/../x"), "/x");
    }
}
