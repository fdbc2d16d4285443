//! A page file's text split at its `---` fences into front matter and body,
//! with the lines each half starts on.

/// A file's text split at its front-matter fences. Slices borrow the file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitPage<'a> {
    /// The YAML between the fences (may be empty).
    pub yaml: &'a str,
    /// The file's line (1-based) on which `yaml` starts: always 2, the line after
    /// the opening fence; kept explicit so callers never assume it.
    pub yaml_first_line: usize,
    /// Everything after the closing fence's line.
    pub body: &'a str,
    /// The file's line (1-based) on which `body` starts.
    pub body_first_line: usize,
}

/// Why a file's text could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SplitError {
    /// The first line is not `---`.
    NoOpeningFence,
    /// No `---` line closes the front matter.
    Unclosed,
}

/// Splits `---\n<yaml>\n---\n<body>`; accepts a UTF-8 BOM, CRLF line endings
/// and trailing spaces or tabs on the fences. `None` when the text does not
/// start with a fence or the front matter is never closed.
pub fn split_front_matter(text: &str) -> Option<SplitPage<'_>> {
    split(text).ok()
}

/// Whether `line` (without its `\n`) is a `---` fence.
fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

pub(super) fn split(text: &str) -> Result<SplitPage<'_>, SplitError> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let (first_line, yaml_start) = match text[start..].find('\n') {
        Some(i) => (&text[start..start + i], start + i + 1),
        None => (&text[start..], text.len()),
    };
    if !is_fence(first_line) {
        return Err(SplitError::NoOpeningFence);
    }
    let mut line_start = yaml_start;
    let mut line_number = 2;
    while line_start < text.len() {
        let (line, next_start) = match text[line_start..].find('\n') {
            Some(i) => (&text[line_start..line_start + i], line_start + i + 1),
            None => (&text[line_start..], text.len()),
        };
        if is_fence(line) {
            return Ok(SplitPage {
                yaml: &text[yaml_start..line_start],
                yaml_first_line: 2,
                body: &text[next_start..],
                body_first_line: line_number + 1,
            });
        }
        line_start = next_start;
        line_number += 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_page;
    use std::path::Path;

    #[test]
    fn splits_plain_front_matter() {
        let split = split_front_matter("---\ntitle: x\n---\n# Hi\n").unwrap();
        assert_eq!(split.yaml, "title: x\n");
        assert_eq!(split.yaml_first_line, 2);
        assert_eq!(split.body, "# Hi\n");
        assert_eq!(split.body_first_line, 4);
    }

    #[test]
    fn splits_with_bom_crlf_and_trailing_spaces_on_fences() {
        let text = "\u{feff}---  \r\ntitle: x\r\ndate: 2019-06-28\r\n--- \t\r\n\r\nBody\r\n";
        let split = split_front_matter(text).unwrap();
        assert_eq!(split.yaml, "title: x\r\ndate: 2019-06-28\r\n");
        assert_eq!(split.body, "\r\nBody\r\n");
        assert_eq!(split.body_first_line, 5);
        let page = parse_page(Path::new("content/a.md"), "a.md", text).unwrap();
        assert_eq!(page.front_matter.title, "x");
        assert_eq!(page.body.as_deref(), Some("\r\nBody\r\n"));
    }

    #[test]
    fn splits_a_file_that_ends_at_the_closing_fence() {
        let split = split_front_matter("---\ntitle: x\n---").unwrap();
        assert_eq!(split.body, "");
        assert_eq!(split.body_first_line, 4);
    }

    #[test]
    fn a_fence_needs_exactly_three_dashes() {
        assert!(split_front_matter("----\ntitle: x\n---\n").is_none());
        assert!(split_front_matter("title: x\n---\n").is_none());
        let split = split_front_matter("---\ntitle: x\n----\n---\nbody").unwrap();
        assert_eq!(split.yaml, "title: x\n----\n");
        assert_eq!(split.body, "body");
    }
}
