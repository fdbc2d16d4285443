//! The one place galley touches YAML, so the YAML crate can be swapped.
//!
//! `serde_yaml` here is the maintained `yaml_serde` continuation, renamed in
//! Cargo.toml. Errors come back as [`Diagnostic`]s whose line numbers count
//! from the start of the *file*, not of the YAML fragment.

use crate::error::{Diagnostic, Location};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

/// A YAML value, for keys galley does not know (`extra`).
pub type Value = serde_yaml::Value;
/// A YAML mapping.
pub type Mapping = serde_yaml::Mapping;

/// Parses `text`, a YAML fragment that starts on line `first_line` (1-based) of
/// the file at `path`. On failure the diagnostic points at the file's line and
/// column and carries that line.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|err| {
        let message = clean_message(&err.to_string());
        let location = err
            .location()
            .map(|loc| Location { line: loc.line() + first_line - 1, column: loc.column() });
        let mut diagnostic =
            Diagnostic { path: path.to_path_buf(), location, message, source_line: None };
        if let Some(loc) = err.location() {
            diagnostic.source_line =
                text.lines().nth(loc.line().saturating_sub(1)).map(str::to_string);
        }
        diagnostic
    })
}

/// Serialises `value` as block-style YAML.
pub fn to_string<T: Serialize>(value: &T) -> String {
    // Serialising plain data structs into a String cannot fail; an error here
    // would be a bug in a Serialize impl of ours.
    serde_yaml::to_string(value).unwrap_or_else(|e| panic!("YAML serialisation failed: {e}"))
}

/// serde_yaml appends " at line L column C" to its messages; galley prints the
/// position itself, in the file's numbering, so the fragment's is dropped.
fn clean_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        count: u32,
    }

    #[test]
    fn error_line_counts_from_the_file() {
        // The fragment starts on line 2 of the file (after the opening `---`).
        let err = parse::<Doc>("title: x\ncount: many\n", Path::new("a.md"), 2).unwrap_err();
        let loc = err.location.expect("serde_yaml reports a position");
        assert_eq!(loc.line, 3);
        assert_eq!(err.source_line.as_deref(), Some("count: many"));
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }
}
