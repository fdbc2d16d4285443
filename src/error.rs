//! Errors that name the file, line and column an editor would show.
//!
//! Every failure that comes from a file carries its path; when the position is
//! known it carries the line and column too (both 1-based, line 1 being the
//! file's first line), and the offending source line so the message can point
//! at it with a caret.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a text file, as an editor counts it (both 1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// A location at the start of `line`.
    pub fn line(line: usize) -> Self {
        Location { line, column: 1 }
    }
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub path: PathBuf,
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// What was wrong or what was expected.
    pub message: String,
    /// The offending source line, shown under the message with a caret.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (no position).
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), location: None, message: message.into(), source_line: None }
    }

    /// A problem at a position in a file.
    pub fn at(path: impl Into<PathBuf>, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            location: Some(location),
            message: message.into(),
            source_line: None,
        }
    }

    /// Attaches the offending line, taken from the file's full text.
    pub fn with_source(mut self, file_text: &str) -> Self {
        if let Some(loc) = self.location {
            self.source_line = file_text
                .lines()
                .nth(loc.line.saturating_sub(1))
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self
    }

    /// The one-line form `path:line:column: message` (no snippet).
    pub fn headline(&self) -> String {
        match self.location {
            Some(loc) => {
                format!("{}:{}:{}: {}", self.path.display(), loc.line, loc.column, self.message)
            }
            None => format!("{}: {}", self.path.display(), self.message),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:col: message`, then the offending line with a caret under the column.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let (Some(loc), Some(src)) = (self.location, &self.source_line) {
            let gutter = loc.line.to_string();
            write!(f, "\n {gutter} | {src}")?;
            let pad: String = src
                .chars()
                .take(loc.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n {} | {pad}^", " ".repeat(gutter.len()))?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in galley's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A problem in one file, with its position when known.
    #[error("{0}")]
    Diagnostic(Diagnostic),
    /// Several problems, all reported together (a build collects every file's errors).
    #[error("{}", display_many(.0))]
    Many(Vec<Error>),
    /// A command was used in a way that cannot work (bad output directory, bad flag value).
    #[error("{0}")]
    Usage(String),
}

fn display_many(errors: &[Error]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&e.to_string());
    }
    out
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io { path: path.as_ref().to_path_buf(), source }
    }

    /// Wraps several errors; a single one is returned as itself. Errors are sorted
    /// by path and position so the report reads like a compiler's.
    pub fn many(mut errors: Vec<Error>) -> Self {
        errors.sort_by_key(Error::sort_key);
        if errors.len() == 1 { errors.remove(0) } else { Error::Many(errors) }
    }

    /// How many individual problems this error holds.
    pub fn count(&self) -> usize {
        match self {
            Error::Many(v) => v.iter().map(Error::count).sum(),
            _ => 1,
        }
    }

    /// The individual problems, flattened.
    pub fn flatten(&self) -> Vec<&Error> {
        match self {
            Error::Many(v) => v.iter().flat_map(Error::flatten).collect(),
            e => vec![e],
        }
    }

    fn sort_key(&self) -> (PathBuf, Option<Location>) {
        match self {
            Error::Io { path, .. } => (path.clone(), None),
            Error::Diagnostic(d) => (d.path.clone(), d.location),
            Error::Many(v) => v.first().map(Error::sort_key).unwrap_or_default(),
            Error::Usage(_) => (PathBuf::new(), None),
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Diagnostic(d)
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_points_at_the_column() {
        let d = Diagnostic::at("content/a.md", Location { line: 2, column: 8 }, "expected a date")
            .with_source("---\ndate: 2019-13-01\n---\n");
        let shown = d.to_string();
        assert_eq!(
            shown,
            "content/a.md:2:8: expected a date\n 2 | date: 2019-13-01\n   |        ^"
        );
    }

    #[test]
    fn many_sorts_by_path_then_line() {
        let e = Error::many(vec![
            Diagnostic::at("b.md", Location::line(1), "x").into(),
            Diagnostic::at("a.md", Location::line(9), "y").into(),
            Diagnostic::at("a.md", Location::line(2), "z").into(),
        ]);
        let lines: Vec<String> = e.flatten().iter().map(|e| e.to_string()).collect();
        assert_eq!(lines, ["a.md:2:1: z", "a.md:9:1: y", "b.md:1:1: x"]);
        assert_eq!(e.count(), 3);
    }
}
