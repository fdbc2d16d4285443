//! Where a build's time goes, for performance work: with
//! [`BuildOptions::timings`](super::BuildOptions::timings) (`galley build
//! --timings`) the build's report carries the thread-seconds of each phase
//! (summed over rayon workers, like the benchmark floor's own breakdown), the
//! wall time of the whole build, and the wall time at which the build's main
//! thread reached each step ([`Timings::mark`]) with its resident memory
//! then. Off, a phase costs one branch.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The phases a build is split into.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Phase {
    /// Walking `content/`, reading and parsing every page.
    Load,
    /// Placing pages: permalinks, taxonomies, archives.
    Graph,
    /// Markdown to HTML, highlighting included.
    Markdown,
    /// Article and stub pages through their templates.
    ArticlePages,
    /// Listings, archives, taxonomies, feed, sitemap.
    OtherPages,
    /// Handing bytes to the output (file creation and writes).
    Write,
    /// Swapping the staged output in.
    Publish,
}

const PHASES: [(Phase, &str); 7] = [
    (Phase::Load, "load"),
    (Phase::Graph, "graph"),
    (Phase::Markdown, "markdown"),
    (Phase::ArticlePages, "article-pages"),
    (Phase::OtherPages, "other-pages"),
    (Phase::Write, "write"),
    (Phase::Publish, "publish"),
];

/// One build's clock: phases and marks, recorded only when enabled.
#[derive(Debug, Default)]
pub(crate) struct Timings {
    enabled: bool,
    nanos: [AtomicU64; 7],
    marks: Mutex<Vec<(&'static str, Instant, Option<u64>)>>,
}

impl Timings {
    /// A clock that records when `enabled`, and costs a branch when not.
    pub(crate) fn new(enabled: bool) -> Timings {
        Timings { enabled, ..Timings::default() }
    }

    /// Runs `work`, adding its duration to `phase` when timings are on.
    pub(crate) fn time<T>(&self, phase: Phase, work: impl FnOnce() -> T) -> T {
        if !self.enabled {
            return work();
        }
        let started = Instant::now();
        let result = work();
        self.nanos[phase as usize].fetch_add(started.elapsed().as_nanos() as u64, Relaxed);
        result
    }

    /// Records that the build (on its main thread) reached `name`: the report
    /// shows the wall time between marks, which is where a single thread
    /// works while the others wait.
    pub(crate) fn mark(&self, name: &'static str) {
        if self.enabled {
            let entry = (name, Instant::now(), resident_mb());
            self.marks.lock().unwrap_or_else(PoisonError::into_inner).push(entry);
        }
    }

    /// The phases and marks as two lines of text, when timings are on.
    pub(crate) fn report(&self, wall: Duration) -> Option<String> {
        if !self.enabled {
            return None;
        }
        let mut line = format!("timings: wall={:.3}s thread-seconds:", wall.as_secs_f64());
        for (phase, name) in PHASES {
            let nanos = self.nanos[phase as usize].load(Relaxed);
            line.push_str(&format!(" {name}={:.3}", nanos as f64 / 1e9));
        }
        let marks = self.marks.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&(_, first, _)) = marks.first() {
            line.push_str("\ntimings: wall from start (resident MB):");
            for &(name, at, resident) in marks.iter() {
                line.push_str(&format!(" {name}@{:.3}", (at - first).as_secs_f64()));
                if let Some(mb) = resident {
                    line.push_str(&format!("({mb})"));
                }
            }
        }
        Some(line)
    }
}

/// The process's resident memory in MB, where the system says it (Linux).
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
}
