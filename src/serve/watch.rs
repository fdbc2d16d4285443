//! Watches the site's sources and turns editor saves into [`Change`]s.
//!
//! notify reports raw events; the debouncer (a window of tens of milliseconds)
//! merges the bursts editors produce — write-temp-then-rename, delete-then-create,
//! backup files — and this module keeps only paths that matter: files under the
//! watched directories and `site.yaml`, minus hidden files and editor temp files.
//! The output directory is never watched (only the named top-level entries are).
//!
//! `serve` watches after its first build (each file that build opens would be
//! an event to handle, and notify's recursive watch `stat`s every file: a sixth
//! of the start's CPU time at 100,000 articles, docs/performance.md); each
//! directory is watched on its own, found without reading any file's metadata,
//! and files saved during the build are found by their modification times.

use super::report::Reporter;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, FileIdCache};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;
use std::time::SystemTime;

/// Top-level directories whose whole tree is watched.
pub(crate) const WATCHED_DIRS: [&str; 5] = ["content", "sources", "themes", "templates", "static"];
/// Top-level files that are watched.
pub(crate) const WATCHED_FILES: [&str; 1] = ["site.yaml"];

/// What a batch of file events asks the builder to do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// Saved pages under `sources/` to re-import.
    pub(crate) import: BTreeSet<PathBuf>,
    /// Other changed paths (files, or directories that are gone), under the site root.
    pub(crate) update: BTreeSet<PathBuf>,
    /// The watcher lost track (event queue overflow): rebuild everything.
    pub(crate) everything: bool,
}

impl Change {
    pub(crate) fn is_empty(&self) -> bool {
        self.import.is_empty() && self.update.is_empty() && !self.everything
    }

    /// Folds a later change into this one.
    pub(crate) fn merge(&mut self, later: Change) {
        self.import.extend(later.import);
        self.update.extend(later.update);
        self.everything |= later.everything;
    }
}

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
                let (change, new_dirs) = filter.collect(&events);
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

/// Decides which event paths matter and what they ask for.
#[derive(Debug, Clone)]
pub(crate) struct PathFilter {
    /// The canonical site root (notify reports paths under it).
    pub(crate) root: PathBuf,
    /// The site root as the builder knows it; changed paths are joined onto it.
    pub(crate) site_root: PathBuf,
    /// The canonical output directory, never reported.
    pub(crate) output: PathBuf,
}

impl PathFilter {
    /// The change a debounced batch asks for, and top-level watched directories that appeared.
    pub(crate) fn collect(&self, events: &[DebouncedEvent]) -> (Change, Vec<PathBuf>) {
        let mut change = Change::default();
        let mut new_dirs = Vec::new();
        for event in events {
            if event.need_rescan() {
                change.everything = true;
                continue;
            }
            // A new or renamed-in directory arrives as one event for the directory:
            // its files are found by walking it. Other events on directories
            // (metadata) say nothing about their files.
            let may_add_dir = match event.kind {
                EventKind::Access(_) => continue,
                EventKind::Create(_) | EventKind::Modify(notify::event::ModifyKind::Name(_)) => {
                    true
                }
                _ => false,
            };
            for path in &event.paths {
                self.add(path, may_add_dir, &mut change, &mut new_dirs);
            }
        }
        (change, new_dirs)
    }

    fn add(
        &self,
        path: &Path,
        may_add_dir: bool,
        change: &mut Change,
        new_dirs: &mut Vec<PathBuf>,
    ) {
        let Some(relative) = self.relevant(path) else { return };
        if path.is_dir() {
            if !may_add_dir {
                return;
            }
            new_dirs.push(path.to_path_buf());
            let files = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_entry(|entry| self.relevant(entry.path()).is_some())
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_file());
            for entry in files {
                if let Some(relative) = self.relevant(entry.path()) {
                    self.add_file(&relative, change);
                }
            }
            return;
        }
        self.add_file(&relative, change);
    }

    fn add_file(&self, relative: &Path, change: &mut Change) {
        let path = self.site_root.join(relative);
        if relative.starts_with("sources") {
            // Only saved pages are imported (not the files of a page's
            // `_files/` folder); a deleted one leaves its article alone.
            if crate::import::is_saved_page(relative) && self.root.join(relative).is_file() {
                change.import.insert(path);
            }
            return;
        }
        change.update.insert(path);
    }

    /// `dir` and every directory under it that [`relevant`](Self::relevant)
    /// keeps, found without reading any file's metadata (a symlinked
    /// directory is not entered).
    fn directories(&self, dir: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_entry(|entry| {
                entry.file_type().is_dir()
                    && (entry.depth() == 0 || self.relevant(entry.path()).is_some())
            })
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .collect()
    }

    /// What changed in the watched files after `since`, up to `until` (when
    /// the watches were in place): files modified then, and directories whose
    /// entries changed then (a file in them was created, renamed or
    /// deleted), which the builder loads again as a whole.
    pub(crate) fn changed_between(&self, since: SystemTime, until: SystemTime) -> Change {
        let mut change = Change::default();
        let changed_then = |metadata: std::io::Result<std::fs::Metadata>| {
            metadata
                .and_then(|m| m.modified())
                .is_ok_and(|modified| modified > since && modified <= until)
        };
        for name in WATCHED_FILES {
            if changed_then(std::fs::symlink_metadata(self.root.join(name))) {
                self.add_file(Path::new(name), &mut change);
            }
        }
        for dir in WATCHED_DIRS {
            let walk = walkdir::WalkDir::new(self.root.join(dir))
                .into_iter()
                .filter_entry(|entry| self.relevant(entry.path()).is_some())
                .filter_map(Result::ok);
            for entry in walk {
                let Some(relative) = self.relevant(entry.path()) else { continue };
                if !changed_then(entry.metadata().map_err(std::io::Error::from)) {
                    continue;
                }
                if !entry.file_type().is_dir() {
                    self.add_file(&relative, &mut change);
                } else if !relative.starts_with("sources") {
                    // A deleted saved page leaves its article alone.
                    change.update.insert(self.site_root.join(relative));
                }
            }
        }
        change
    }

    /// The path relative to the root, when it is a watched file that is not an editor's temp file.
    pub(crate) fn relevant(&self, path: &Path) -> Option<PathBuf> {
        if path.starts_with(&self.output) {
            return None;
        }
        let relative = path.strip_prefix(&self.root).ok()?;
        let mut components = relative.components();
        let first = match components.next()? {
            Component::Normal(name) => name.to_str()?,
            _ => return None,
        };
        let top_level_file = relative.components().count() == 1 && WATCHED_FILES.contains(&first);
        if !WATCHED_DIRS.contains(&first) && !top_level_file {
            return None;
        }
        for component in relative.components() {
            let Component::Normal(name) = component else { return None };
            let name = name.to_string_lossy();
            if is_hidden(&name) || is_editor_temp(&name) {
                return None;
            }
        }
        Some(relative.to_path_buf())
    }
}

/// Hidden files and directories are not part of a site, except `.well-known`.
fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != ".well-known"
}

/// Swap, backup and temp files that editors write beside the file being saved.
pub(crate) fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')                                        // vim/emacs backups
        || name == "4913"                                      // vim's can-I-write probe
        || name.starts_with(".#")                              // emacs lock files
        || (name.starts_with('#') && name.ends_with('#'))      // emacs autosave
        || name.starts_with(".goutputstream-")                 // GNOME (gedit) temp files
        || name.contains("___jb_tmp___") || name.contains("___jb_old___") // JetBrains
        || [".swp", ".swo", ".swx", ".swn", ".bck", ".bak", ".tmp", ".kate-swp", ".crswap"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind, RenameMode};

    fn filter(root: &Path) -> PathFilter {
        PathFilter {
            root: root.to_path_buf(),
            site_root: PathBuf::from("site"),
            output: root.join("public"),
        }
    }

    fn event(kind: EventKind, paths: &[PathBuf]) -> DebouncedEvent {
        let mut event = notify::Event::new(kind);
        event.paths = paths.to_vec();
        DebouncedEvent::new(event, std::time::Instant::now())
    }

    #[test]
    fn editor_temp_files_are_recognised() {
        for name in [
            "a.md~",
            "4913",
            ".#a.md",
            "#a.md#",
            ".a.md.swp",
            "a.md.bck",
            ".goutputstream-X1Y2",
            "a.md___jb_tmp___",
        ] {
            assert!(is_editor_temp(name) || is_hidden(name), "{name}");
        }
        for name in ["a.md", "site.yaml", "4914", "style.css"] {
            assert!(!is_editor_temp(name) && !is_hidden(name), "{name}");
        }
    }

    #[test]
    fn vim_rename_save_becomes_one_update() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "x").unwrap();
        let events = [
            event(EventKind::Create(CreateKind::File), &[root.join("content/4913")]),
            event(EventKind::Remove(RemoveKind::File), &[root.join("content/4913")]),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[root.join("content/a.md"), root.join("content/a.md~")],
            ),
            event(EventKind::Create(CreateKind::File), &[root.join("content/a.md")]),
            event(EventKind::Remove(RemoveKind::File), &[root.join("content/a.md~")]),
            event(EventKind::Modify(ModifyKind::Any), &[root.join("content/.a.md.swp")]),
        ];
        let (change, new_dirs) = filter(root).collect(&events);
        assert_eq!(
            change.update.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("site/content/a.md")]
        );
        assert!(change.import.is_empty() && new_dirs.is_empty());
    }

    #[test]
    fn output_target_and_unwatched_paths_are_ignored() {
        let root = Path::new("/s");
        let f = filter(root);
        assert_eq!(f.relevant(Path::new("/s/site.yaml")), Some(PathBuf::from("site.yaml")));
        assert_eq!(
            f.relevant(Path::new("/s/themes/x/base.html")),
            Some(PathBuf::from("themes/x/base.html"))
        );
        assert_eq!(f.relevant(Path::new("/s/public/index.html")), None);
        assert_eq!(f.relevant(Path::new("/s/target/debug/x")), None);
        assert_eq!(
            f.relevant(Path::new("/s/content/site.yaml")),
            Some(PathBuf::from("content/site.yaml"))
        );
        assert_eq!(f.relevant(Path::new("/s/notes.md")), None);
        assert_eq!(f.relevant(Path::new("/s/content/.git/x")), None);
        assert_eq!(
            f.relevant(Path::new("/s/static/.well-known/security.txt")),
            Some(PathBuf::from("static/.well-known/security.txt"))
        );
        assert_eq!(f.relevant(Path::new("/elsewhere/content/a.md")), None);
    }

    #[test]
    fn a_renamed_directory_reports_its_files_and_its_old_path() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/2020/b")).unwrap();
        std::fs::write(root.join("content/2020/b/x.md"), "x").unwrap();
        std::fs::write(root.join("content/2020/b/~x.md~"), "x").unwrap();
        let events = [event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &[root.join("content/2019"), root.join("content/2020")],
        )];
        let (change, _) = filter(root).collect(&events);
        let update: Vec<_> = change.update.into_iter().collect();
        assert_eq!(
            update,
            [PathBuf::from("site/content/2019"), PathBuf::from("site/content/2020/b/x.md")]
        );
    }

    #[test]
    fn saved_pages_are_imported_and_a_new_top_level_dir_is_watched() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sources")).unwrap();
        std::fs::write(root.join("sources/p.txt"), "x").unwrap();
        std::fs::write(root.join("sources/p.html"), "x").unwrap();
        std::fs::write(root.join("sources/q.html.gz"), "x").unwrap();
        std::fs::write(root.join("sources/p.css"), "x").unwrap();
        std::fs::create_dir_all(root.join("sources/p_files")).unwrap();
        std::fs::write(root.join("sources/p_files/frame.html"), "x").unwrap();
        let events = [event(EventKind::Create(CreateKind::Folder), &[root.join("sources")])];
        let (change, new_dirs) = filter(root).collect(&events);
        let mut imported = change.import.into_iter().collect::<Vec<_>>();
        imported.sort();
        assert_eq!(
            imported,
            [
                PathBuf::from("site/sources/p.html"),
                PathBuf::from("site/sources/p.txt"),
                PathBuf::from("site/sources/q.html.gz")
            ]
        );
        assert!(change.update.is_empty());
        assert_eq!(new_dirs, [root.join("sources")]);
    }

    #[test]
    fn files_saved_before_the_watches_were_in_place_are_found_by_their_times() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in ["content/a.md", "content/x/b.md", "sources/p.html", "site.yaml"] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "x").unwrap();
        }
        // File times come from a clock that may lag the system time by a tick.
        std::thread::sleep(Duration::from_millis(50));
        let since = SystemTime::now();
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(root.join("content/a.md"), "saved").unwrap();
        std::fs::write(root.join("content/x/new.md"), "new").unwrap();
        std::fs::write(root.join("sources/p.html"), "saved").unwrap();
        std::fs::write(root.join("content/.a.md.swp"), "temp").unwrap();
        std::thread::sleep(Duration::from_millis(50));
        let until = SystemTime::now();
        let change = filter(root).changed_between(since, until);
        let update: Vec<_> = change.update.into_iter().collect();
        // Files were created in `content/x` and (the swap file) `content`:
        // those are loaded again as a whole.
        assert_eq!(
            update,
            [
                PathBuf::from("site/content"),
                PathBuf::from("site/content/a.md"),
                PathBuf::from("site/content/x"),
                PathBuf::from("site/content/x/new.md"),
            ]
        );
        assert_eq!(
            change.import.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("site/sources/p.html")]
        );
        assert!(!change.everything);
        assert!(filter(root).changed_between(until, SystemTime::now()).is_empty(), "the watcher's");
    }

    #[test]
    fn every_watched_directory_is_found_but_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["content/2019/06", "content/.git/objects", "content/pages"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        std::fs::write(root.join("content/2019/a.md"), "x").unwrap();
        let mut found = filter(root).directories(&root.join("content"));
        found.sort();
        let expected =
            ["content", "content/2019", "content/2019/06", "content/pages"].map(|d| root.join(d));
        assert_eq!(found, expected);
    }

    #[test]
    fn rescan_asks_for_everything() {
        let mut raw = notify::Event::new(EventKind::Other);
        raw = raw.set_flag(notify::event::Flag::Rescan);
        let (change, _) =
            filter(Path::new("/s")).collect(&[DebouncedEvent::new(raw, std::time::Instant::now())]);
        assert!(change.everything);
    }
}
