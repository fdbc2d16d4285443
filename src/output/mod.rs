//! Output: where rendered files go.
//!
//! A build writes through an [`OutputSink`]: [`StagedOutput`] publishes to a
//! directory atomically (see `staged.rs`); `check` has a sink of its own
//! (`CheckedOutput` in `check/`) that keeps what it checks of each file.

mod staged;

pub use staged::{PublishStats, StagedOutput, check_output_dir};

use crate::error::{Error, Result};

/// Receives the files of a build. Shared by rendering threads.
pub trait OutputSink: Sync {
    /// Stores `bytes` as `relative` (a `/`-separated path such as `2019/06/x/index.html`).
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<()>;
}

/// Rejects paths that could escape the output directory. Output paths come
/// from slugs and configuration, so this guards against a bug, not a user.
pub fn check_relative(relative: &str) -> Result<()> {
    let bad = relative.is_empty()
        || relative.starts_with('/')
        || relative.contains('\\')
        || relative.split('/').any(|s| s.is_empty() || s == "." || s == "..");
    if bad {
        return Err(Error::Usage(format!("refusing to write output file `{relative}`")));
    }
    Ok(())
}
