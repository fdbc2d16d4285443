//! What an import did, file by file, and its one-line summary.

use crate::error::Diagnostic;
use std::path::PathBuf;

/// The outcome of `galley import`: every output file in one list by what
/// happened to it, and every input that failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Articles written (new, or replaced with `--force`).
    pub written: Vec<PathBuf>,
    /// Teaser stubs written.
    pub stubs: Vec<PathBuf>,
    /// Stubs replaced by their full article.
    pub upgraded: Vec<PathBuf>,
    /// Files that already held exactly what galley would write (or a full
    /// article that a teaser would only have stubbed).
    pub unchanged: Vec<PathBuf>,
    /// Files edited by hand since galley wrote them, left alone.
    pub kept: Vec<PathBuf>,
    /// Files of the same article that differ from what galley would write
    /// and carry no record of what it wrote (hand-written, or imported by an
    /// older galley), left alone: galley cannot tell whether they were edited.
    pub unrecorded: Vec<PathBuf>,
    /// Backups made by `--force` before replacing an edited file.
    pub backups: Vec<PathBuf>,
    /// Inputs that could not be imported; nothing was written for them.
    pub failed: Vec<Diagnostic>,
    /// Problems that cost an imported article a field but not the article
    /// (a teaser's impossible date), each naming the saved page's line.
    pub warnings: Vec<Diagnostic>,
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
}

impl ImportReport {
    /// `1 written, 6 stubs, 0 upgraded, 0 unchanged, 0 kept (edited), 0 failed, 0 warnings`.
    pub fn summary(&self) -> String {
        let line = format!(
            "{} written, {} stubs, {} upgraded, {} unchanged, {} kept (edited), {} failed, {} warnings",
            self.written.len(),
            self.stubs.len(),
            self.upgraded.len(),
            self.unchanged.len(),
            self.kept.len(),
            self.failed.len(),
            self.warnings.len()
        );
        let line = if self.unrecorded.is_empty() {
            line
        } else {
            format!("{line}, {} left alone (no import record)", self.unrecorded.len())
        };
        if self.dry_run { format!("dry run, nothing written: would be {line}") } else { line }
    }

    /// Whether every input was imported.
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty()
    }

    pub(crate) fn sort(&mut self) {
        for list in [
            &mut self.written,
            &mut self.stubs,
            &mut self.upgraded,
            &mut self.unchanged,
            &mut self.kept,
            &mut self.unrecorded,
            &mut self.backups,
        ] {
            list.sort();
        }
        for list in [&mut self.failed, &mut self.warnings] {
            list.sort_by(|a, b| (&a.path, a.location).cmp(&(&b.path, b.location)));
        }
    }
}
