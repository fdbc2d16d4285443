//! Which paths of a site matter to `serve`, and what a batch of file events
//! asks the builder to do: files under the watched directories and
//! `site.yaml`, minus hidden files and the temp and backup files editors
//! write beside the file being saved. The output directory never matters.

use notify::EventKind;
use notify_debouncer_full::DebouncedEvent;
use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How long a reported content file is remembered by [`RecentContent`].
const RECENT_FOR: Duration = Duration::from_secs(10);
/// At most this many are remembered (the oldest go first).
const RECENT_AT_MOST: usize = 1024;

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
    pub(crate) fn directories(&self, dir: &Path) -> Vec<PathBuf> {
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

    /// A reported path (under the builder's site root) relative to that root.
    fn site_path<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.site_root).unwrap_or(path)
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

/// Content files reported lately, looked at again when a file is created.
///
/// The debouncer folds "created, then renamed" within one window into a
/// single creation of the new name: the old name is never reported. When
/// an earlier batch named the old file (a delete-then-create, say) and the
/// builder read it then, its page would outlive the file. So on a batch that
/// creates a file, the content files named in the last seconds that are gone
/// now are reported as changed; one the builder never knew is a no-op.
#[derive(Debug, Default)]
pub(crate) struct RecentContent {
    reported: HashMap<PathBuf, Instant>,
}

impl RecentContent {
    /// Adds the recently reported content files that are gone to `change`
    /// when `events` create a file, then remembers what `change` reports.
    pub(crate) fn complete(
        &mut self,
        filter: &PathFilter,
        events: &[DebouncedEvent],
        change: &mut Change,
    ) {
        let now = Instant::now();
        self.reported.retain(|_, when| now.duration_since(*when) < RECENT_FOR);
        let mut lost = Vec::new();
        if events.iter().any(|e| matches!(e.kind, EventKind::Create(_))) {
            lost = self
                .reported
                .keys()
                .filter(|path| {
                    !change.update.contains(*path)
                        && !filter.root.join(filter.site_path(path)).exists()
                })
                .cloned()
                .collect();
            // Reported once: a lost file is gone for good.
            for path in &lost {
                self.reported.remove(path);
            }
        }
        let content = filter.site_root.join("content");
        for path in change.update.iter().filter(|p| p.starts_with(&content)) {
            self.reported.insert(path.clone(), now);
        }
        if self.reported.len() > RECENT_AT_MOST {
            let mut newest: Vec<(PathBuf, Instant)> = self.reported.drain().collect();
            newest.sort_unstable_by_key(|(_, when)| std::cmp::Reverse(*when));
            newest.truncate(RECENT_AT_MOST);
            self.reported = newest.into_iter().collect();
        }
        change.update.extend(lost);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind, RenameMode};
    use std::time::Duration;

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
    fn a_file_created_and_renamed_in_one_window_is_reported_gone() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let filter = filter(root);
        let mut recent = RecentContent::default();
        // What the watcher reports for one batch of one event on `file`.
        let mut batch = |kind: EventKind, file: &str| -> Vec<PathBuf> {
            let events = [event(kind, &[root.join("content").join(file)])];
            let (mut change, _) = filter.collect(&events);
            recent.complete(&filter, &events, &mut change);
            change.update.into_iter().collect()
        };
        let reported = |files: &[&str]| -> Vec<PathBuf> {
            files.iter().map(|f| PathBuf::from("site/content").join(f)).collect()
        };
        std::fs::create_dir_all(root.join("content")).unwrap();
        // `b.md` is deleted and written again; the builder reads it then.
        std::fs::write(root.join("content/b.md"), "x").unwrap();
        assert_eq!(batch(EventKind::Remove(RemoveKind::File), "b.md"), reported(&["b.md"]));

        // Its creation and its rename share a window: one creation of `c.md`.
        std::fs::rename(root.join("content/b.md"), root.join("content/c.md")).unwrap();
        let created = batch(EventKind::Create(CreateKind::File), "c.md");
        assert_eq!(created, reported(&["b.md", "c.md"]));

        // Once only, and a file that is still there is not reported again.
        std::fs::write(root.join("content/d.md"), "x").unwrap();
        assert_eq!(batch(EventKind::Create(CreateKind::File), "d.md"), reported(&["d.md"]));

        // Only a creation makes it look: a modification does not.
        std::fs::remove_file(root.join("content/c.md")).unwrap();
        assert_eq!(batch(EventKind::Modify(ModifyKind::Any), "d.md"), reported(&["d.md"]));
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
