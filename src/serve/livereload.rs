//! The live-reload script and how it reaches a page: injected into HTML
//! responses only, so the files on disk stay exactly what a deploy publishes.

/// The Server-Sent Events endpoint, outside the site's base path so it cannot
/// shadow a page.
pub const EVENTS_PATH: &str = "/__galley/events";

/// The script pages run: listens on [`EVENTS_PATH`], reloads or swaps stylesheets,
/// shows build errors as an overlay.
const SCRIPT: &str = include_str!("livereload.js");

/// What a page needs to know about the server when it is sent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageState<'a> {
    /// Differs after a restart, so a reconnecting page knows to reload.
    pub(crate) instance: &'a str,
    /// The build the page came from.
    pub(crate) generation: u64,
    /// The last build's error, shown as an overlay from the start.
    pub(crate) error: Option<&'a str>,
}

/// `html` with the live-reload script inserted before its last `</body>`, or at
/// the end when it has none.
pub(crate) fn inject(html: &[u8], state: PageState<'_>) -> Vec<u8> {
    let config = serde_json::json!({
        "events": EVENTS_PATH,
        "instance": state.instance,
        "build": state.generation,
        "error": state.error,
    });
    let snippet = format!(
        "<script data-galley-livereload>window.__galleyLiveReload = {};\n{SCRIPT}</script>",
        script_safe_json(&config.to_string())
    );
    let at = find_last_ignoring_case(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The page for a path the site does not have (used when the site has no `404.html`).
pub(crate) fn not_found_page(path: &str) -> Vec<u8> {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\n\
         <body><h1>Not found</h1><p>This site has no page at <code>{}</code>.</p></body></html>\n",
        escape_html(path)
    )
    .into_bytes()
}

/// The page for a page that could not be rendered: the error, escaped.
pub(crate) fn error_page(message: &str) -> Vec<u8> {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Cannot show this page</title></head>\n\
         <body><h1>Cannot show this page</h1><pre>{}</pre></body></html>\n",
        escape_html(message)
    )
    .into_bytes()
}

/// JSON that cannot end the `<script>` element it sits in.
fn script_safe_json(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn find_last_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: PageState<'static> = PageState { instance: "i1", generation: 3, error: None };

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, STATE)).unwrap();
        let script = out.find("<script data-galley-livereload>").unwrap();
        assert!(script > out.find("<p>x</p>").unwrap());
        assert!(out.ends_with("</script></BODY></html>"));
        assert!(out.contains("\"build\":3"));
        assert!(out.contains(EVENTS_PATH));
    }

    #[test]
    fn html_without_body_gets_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"<p>fragment", STATE)).unwrap();
        assert!(out.starts_with("<p>fragment<script"));
        assert!(out.ends_with("</script>"));
    }

    #[test]
    fn an_error_cannot_break_out_of_the_script() {
        let state =
            PageState { error: Some("a.md:1:1: </script><img src=x onerror=alert(1)>"), ..STATE };
        let out = String::from_utf8(inject(b"<body></body>", state)).unwrap();
        assert_eq!(out.matches("</script>").count(), 1);
        assert!(out.contains("\\u003c/script\\u003e"));
    }

    #[test]
    fn error_page_escapes_the_message() {
        let page = String::from_utf8(error_page("a.md:1:1: <script>x</script>")).unwrap();
        assert!(page.contains("&lt;script&gt;x&lt;/script&gt;") && !page.contains("<script>"));
    }

    #[test]
    fn not_found_page_escapes_the_path() {
        let page = String::from_utf8(not_found_page("/<b>&")).unwrap();
        assert!(page.contains("/&lt;b&gt;&amp;"));
    }
}
