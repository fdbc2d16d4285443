//! What the server has to say: [`ServeEvent`]s handed to a [`Reporter`], so
//! the library decides what happened and the caller (the `galley` binary, a
//! test) decides how to show it.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Something the server did or ran into.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ServeEvent {
    /// The server listens and the first build has run: the site is at `url`.
    Serving {
        /// The site's URL, base path included.
        url: String,
    },
    /// Saved pages under `sources/` were imported again; the content files
    /// that import wrote arrive as ordinary changes.
    Reimported {
        /// How many saved pages.
        pages: usize,
    },
    /// A content file was edited by hand, so re-importing its saved page left
    /// it alone (serve never forces).
    KeptHandEdit {
        /// The content file.
        path: PathBuf,
    },
    /// A build succeeded and its files are being served.
    Built {
        /// Output files that changed (all of them after a full build).
        changed_files: usize,
        /// From the change arriving to the files being served.
        elapsed: Duration,
    },
    /// A build or re-import failed; pages show the error until a build succeeds.
    Failed {
        /// What went wrong (often several problems: see [`crate::Error::flatten`]).
        error: Arc<crate::Error>,
    },
    /// A problem the server carries on after (the watcher, a request, an
    /// event stream).
    Warning {
        /// What went wrong.
        message: String,
    },
}

/// Receives the server's events, on whichever server thread they happen.
#[derive(Clone)]
pub struct Reporter(Arc<dyn Fn(ServeEvent) + Send + Sync>);

impl Reporter {
    /// Hands each event to `report`.
    pub fn new(report: impl Fn(ServeEvent) + Send + Sync + 'static) -> Reporter {
        Reporter(Arc::new(report))
    }

    /// Drops every event.
    pub fn silent() -> Reporter {
        Reporter::new(|_| {})
    }

    pub(crate) fn report(&self, event: ServeEvent) {
        (self.0)(event);
    }

    pub(crate) fn warn(&self, message: String) {
        self.report(ServeEvent::Warning { message });
    }
}

impl Default for Reporter {
    fn default() -> Self {
        Reporter::silent()
    }
}

impl fmt::Debug for Reporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reporter")
    }
}
