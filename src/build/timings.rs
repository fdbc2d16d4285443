//! Where a build's time goes, for performance work: set `GALLEY_TIMINGS=1`
//! and `galley build` prints the thread-seconds of each phase (summed over
//! rayon workers, like the benchmark floor's own breakdown), the wall time
//! of the whole build, and the wall time at which the build's main thread
//! reached each step ([`mark`]) with its resident memory then. Off, a phase costs one relaxed atomic load.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// The phases a build is split into.
#[derive(Debug, Clone, Copy)]
pub enum Phase {
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

static NANOS: [AtomicU64; 7] = [const { AtomicU64::new(0) }; 7];

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("GALLEY_TIMINGS").is_some_and(|v| v != "0"))
}

/// Runs `work`, adding its duration to `phase` when timings are on.
pub fn time<T>(phase: Phase, work: impl FnOnce() -> T) -> T {
    if !enabled() {
        return work();
    }
    let started = Instant::now();
    let result = work();
    NANOS[phase as usize].fetch_add(started.elapsed().as_nanos() as u64, Relaxed);
    result
}

static MARKS: Mutex<Vec<(&'static str, Instant, Option<u64>)>> = Mutex::new(Vec::new());

/// The process's resident memory in MB, where the system says it (Linux):
/// fresh memory is zeroed by the kernel on first touch, which on the
/// benchmark machine costs about as much as writing it out again.
fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096 / 1_000_000)
}

/// Records that the build (on its main thread) reached `name`: the report
/// shows the wall time between marks, which is where a single thread works
/// while the others wait.
pub fn mark(name: &'static str) {
    if enabled() {
        let entry = (name, Instant::now(), resident_mb());
        MARKS.lock().unwrap_or_else(PoisonError::into_inner).push(entry);
    }
}

/// Prints the phases to stderr (when timings are on) and resets them.
pub fn report(wall: std::time::Duration) {
    if !enabled() {
        return;
    }
    let mut line = format!("timings: wall={:.3}s thread-seconds:", wall.as_secs_f64());
    for (phase, name) in PHASES {
        let nanos = NANOS[phase as usize].swap(0, Relaxed);
        line.push_str(&format!(" {name}={:.3}", nanos as f64 / 1e9));
    }
    let marks = std::mem::take(&mut *MARKS.lock().unwrap_or_else(PoisonError::into_inner));
    if let Some(&(_, first, _)) = marks.first() {
        line.push_str("\ntimings: wall from start (resident MB):");
        for (name, at, resident) in marks {
            line.push_str(&format!(" {name}@{:.3}", (at - first).as_secs_f64()));
            if let Some(mb) = resident {
                line.push_str(&format!("({mb})"));
            }
        }
    }
    eprintln!("{line}");
}
