//! Watches the site's sources and turns editor saves into [`Change`]s.
//!
//! notify reports raw events; the debouncer (a window of tens of milliseconds)
//! merges the bursts editors produce — write-temp-then-rename, delete-then-create,
//! backup files — and [`PathFilter`] keeps only the paths that matter. The
//! output directory is never watched (only the named top-level entries are).
//!
//! `serve` watches after its first build (each file that build opens would be
//! an event to handle, and notify's recursive watch `stat`s every file: a sixth
//! of the start's CPU time at 100,000 articles, docs/performance.md); each
//! directory is watched on its own, found without reading any file's metadata,
//! and files saved during the build are found by their modification times.

use super::changes::{Change, PathFilter, RecentContent, WATCHED_DIRS};
use super::report::Reporter;
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, FileIdCache};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;
use std::time::SystemTime;

/// How to watch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WatchOptions {
    pub(crate) debounce: Duration,
    pub(crate) poll: Option<Duration>,
    /// When the first build started: files changed since then, before the
    /// watches were in place, are reported at once.
    pub(crate) changed_since: Option<SystemTime>,
}

/// A running watcher; stops when dropped or stopped.
#[derive(Debug)]
pub(crate) struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    pub(crate) fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Starts watching `site_root`; changes go to `changes`, with paths under
/// `site_root` as given, and the watcher's own problems to `reporter`.
pub(crate) fn start(
    site_root: &Path,
    output_dir: &Path,
    options: WatchOptions,
    changes: Sender<Change>,
    reporter: Reporter,
) -> crate::Result<Watcher> {
    let root = std::fs::canonicalize(site_root).map_err(|e| crate::Error::io(site_root, e))?;
    let output_dir = if output_dir.is_absolute() {
        output_dir.to_path_buf()
    } else {
        site_root.join(output_dir)
    };
    let output = std::fs::canonicalize(&output_dir).unwrap_or(output_dir);
    let filter = PathFilter { root, site_root: site_root.to_path_buf(), output };
    let (raw_sender, raw_events) = std::sync::mpsc::channel::<DebounceEventResult>();
    let stop = Arc::new(AtomicBool::new(false));
    let watch_error = |e: notify::Error| {
        crate::Error::Usage(format!("cannot watch {}: {e}", site_root.display()))
    };
    let thread = match options.poll {
        Some(interval) => {
            let config = notify::Config::default().with_poll_interval(interval);
            let debouncer = notify_debouncer_full::new_debouncer_opt::<_, notify::PollWatcher, _>(
                options.debounce,
                None,
                raw_sender,
                notify_debouncer_full::NoCache,
                config,
            )
            .map_err(watch_error)?;
            let watching = Watching { filter, options, recursive: true };
            spawn_loop(debouncer, watching, raw_events, changes, reporter, Arc::clone(&stop))?
        }
        None => {
            let debouncer =
                notify_debouncer_full::new_debouncer(options.debounce, None, raw_sender)
                    .map_err(watch_error)?;
            let watching = Watching { filter, options, recursive: false };
            spawn_loop(debouncer, watching, raw_events, changes, reporter, Arc::clone(&stop))?
        }
    };
    Ok(Watcher { stop, thread: Some(thread) })
}

/// What [`spawn_loop`] watches, and how.
struct Watching {
    filter: PathFilter,
    options: WatchOptions,
    /// notify watches each tree (polling); otherwise each directory is
    /// watched on its own (see the module docs).
    recursive: bool,
}

fn spawn_loop<T: notify::Watcher + Send + 'static, C: FileIdCache + Send + 'static>(
    mut debouncer: Debouncer<T, C>,
    watching: Watching,
    raw_events: Receiver<DebounceEventResult>,
    changes: Sender<Change>,
    reporter: Reporter,
    stop: Arc<AtomicBool>,
) -> crate::Result<JoinHandle<()>> {
    let Watching { filter, options, recursive } = watching;
    let cannot_watch = |path: &Path, e: notify::Error| {
        crate::Error::Usage(format!("cannot watch {}: {e}", path.display()))
    };
    // The root alone, not recursively: it sees site.yaml and watched directories
    // that appear later, never the output directory's contents.
    debouncer
        .watch(&filter.root, RecursiveMode::NonRecursive)
        .map_err(|e| cannot_watch(&filter.root, e))?;
    for dir in WATCHED_DIRS {
        let path = filter.root.join(dir);
        if !path.is_dir() {
            continue;
        }
        if recursive {
            debouncer.watch(&path, RecursiveMode::Recursive).map_err(|e| cannot_watch(&path, e))?;
        } else {
            for dir in filter.directories(&path) {
                debouncer
                    .watch(&dir, RecursiveMode::NonRecursive)
                    .map_err(|e| cannot_watch(&dir, e))?;
            }
        }
    }
    if let Some(since) = options.changed_since {
        let change = filter.changed_between(since, SystemTime::now());
        if !change.is_empty() {
            // The receiver outlives the watcher; a closed one ends the loop below.
            let _ = changes.send(change);
        }
    }
    let root = filter.root.clone();
    let mut recent = RecentContent::default();
    std::thread::Builder::new()
        .name("galley-watch".into())
        .spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let events = match raw_events.recv_timeout(Duration::from_millis(100)) {
                    Ok(Ok(events)) => events,
                    Ok(Err(errors)) => {
                        for e in errors {
                            reporter.warn(format!("file watcher: {e}"));
                        }
                        continue;
                    }
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return,
                };
                let (mut change, new_dirs) = filter.collect(&events);
                recent.complete(&filter, &events, &mut change);
                for dir in new_dirs {
                    let watched = match recursive {
                        // Below a top-level directory, notify watches new ones itself.
                        true if dir.parent() == Some(filter.root.as_path()) => {
                            debouncer.watch(&dir, RecursiveMode::Recursive)
                        }
                        true => Ok(()),
                        false => filter
                            .directories(&dir)
                            .iter()
                            .try_for_each(|d| debouncer.watch(d, RecursiveMode::NonRecursive)),
                    };
                    if let Err(e) = watched {
                        reporter.warn(format!("cannot watch {}: {e}", dir.display()));
                    }
                }
                if !change.is_empty() && changes.send(change).is_err() {
                    return;
                }
            }
        })
        .map_err(|e| crate::Error::io(&root, e))
}
