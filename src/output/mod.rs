//! Output: where rendered files go.
//!
//! A build writes through an [`OutputSink`]: [`StagedOutput`] publishes to a
//! directory atomically (see `staged.rs`), [`MemoryOutput`] keeps the files
//! in memory for `check`.

mod staged;

pub use staged::{PublishStats, StagedOutput, check_output_dir};

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

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

/// Files kept in memory, for `check` to read without writing them anywhere.
#[derive(Debug, Default)]
pub struct MemoryOutput {
    files: Mutex<BTreeMap<String, Arc<[u8]>>>,
}

impl MemoryOutput {
    /// An empty output.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the files out, sorted by path.
    pub fn into_files(self) -> BTreeMap<String, Arc<[u8]>> {
        self.files.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

impl OutputSink for MemoryOutput {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        check_relative(relative)?;
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(relative.to_string(), Arc::from(bytes));
        Ok(())
    }
}
