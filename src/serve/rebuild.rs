//! The rebuild thread: feeds changes to the builder one batch at a time and
//! publishes the outcome — a new snapshot and a `reload`, or a `build-error`.

use super::changes::Change;
use super::report::ServeEvent;
use super::{Delta, PageSource, Shared, SiteBuilder};
use crate::pipeline::AddressChanges;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// More changed paths than this and a `reload` just says "everything".
const MAX_LISTED_PATHS: usize = 1000;

/// Owns the builder on the rebuild thread.
pub(crate) struct Rebuilder {
    builder: Box<dyn SiteBuilder>,
    /// What the last failed update was asked to do, asked again with the next
    /// change: a file that is still broken then keeps failing (and keeps its
    /// overlay) even when the builder only reports errors for the paths it is given.
    retry: Change,
}

impl Rebuilder {
    pub(crate) fn new(builder: Box<dyn SiteBuilder>) -> Self {
        Rebuilder { builder, retry: Change::default() }
    }

    /// Runs the first, full build. A failure is reported like any other: the
    /// server still starts and shows the error.
    pub(crate) fn build_everything(&mut self, shared: &Shared) {
        self.apply(Change { everything: true, ..Change::default() }, shared);
    }

    /// Rebuilds until the server stops or the watcher goes away. Changes that
    /// arrive while a build runs are merged into the next one.
    pub(crate) fn run(mut self, changes: Receiver<Change>, shared: &Shared) {
        while !shared.stopping() {
            let mut change = match changes.recv_timeout(Duration::from_millis(100)) {
                Ok(change) => change,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            while let Ok(later) = changes.try_recv() {
                change.merge(later);
            }
            self.apply(change, shared);
        }
    }

    /// Carries out one batch of changes.
    pub(crate) fn apply(&mut self, mut change: Change, shared: &Shared) {
        let started = Instant::now();
        change.merge(std::mem::take(&mut self.retry));
        let mut import_error = None;
        if !change.import.is_empty() {
            let paths: Vec<PathBuf> = std::mem::take(&mut change.import).into_iter().collect();
            match self.builder.import_sources(&paths) {
                // The content files import writes come back as watcher events.
                Ok(kept) => {
                    let reporter = &shared.reporter;
                    reporter.report(ServeEvent::Reimported { pages: paths.len() });
                    for path in kept {
                        reporter.report(ServeEvent::KeptHandEdit { path });
                    }
                }
                Err(e) => {
                    self.retry.import.extend(paths);
                    import_error = Some(e);
                }
            }
        }
        if !change.update.is_empty() || change.everything {
            let paths: Vec<PathBuf> = if change.everything {
                Vec::new()
            } else {
                change.update.iter().cloned().collect()
            };
            let published = self.builder.update(&paths).and_then(|delta| {
                let moves = self.builder.address_changes();
                let build = Build { delta, pages: self.builder.pages(), moves };
                publish(build, change.everything, started, shared)
            });
            if let Err(e) = published {
                report_error(e, shared);
                self.retry.merge(change);
            }
        }
        // Reported last, so a good build in the same batch does not clear it.
        if let Some(e) = import_error {
            report_error(e, shared);
        }
    }
}

/// What a successful update made.
struct Build {
    delta: Delta,
    pages: Option<Arc<dyn PageSource>>,
    moves: AddressChanges,
}

/// Puts a build's files and pages in the snapshot and tells open pages which
/// of them changed: the pages open streams show are rendered from the new
/// version and compared with what the last one rendered for them (not
/// rendered then: changed). A page that no longer renders fails the build,
/// and the last good version stays.
fn publish(build: Build, full: bool, started: Instant, shared: &Shared) -> crate::Result<()> {
    let Build { delta, pages, moves } = build;
    let base = &shared.base_path;
    let mut changed: Vec<String> = delta.keys().cloned().collect();
    if let Some(pages) = pages.as_ref().filter(|_| !full) {
        let before = shared.read_snapshot().pages();
        for key in shared.hub.open_pages() {
            let now = pages.file(&key).transpose()?;
            let then = before.as_ref().and_then(|b| b.rendered(&key));
            if now != then {
                changed.push(key);
            }
        }
    }
    let (generation, replaced) = {
        let mut snapshot = shared.write_snapshot();
        let replaced = snapshot.apply(&delta, pages, full);
        snapshot.record_moves(&moves.moved, base);
        (snapshot.generation(), replaced)
    };
    // The last version's graph is freed where nobody waits for it.
    crate::drop_in_background(replaced);
    let all = full || changed.len() > MAX_LISTED_PATHS;
    let paths: Vec<String> = if all {
        Vec::new()
    } else {
        changed.iter().map(|key| format!("{base}{}", key.trim_start_matches('/'))).collect()
    };
    // Pages showing a moved article go to its new address; pages showing a
    // removed one say so (see livereload.js).
    let moved: serde_json::Map<String, serde_json::Value> = moves
        .moved
        .iter()
        .map(|(old_file, new_url)| (format!("{base}{old_file}"), new_url.clone().into()))
        .collect();
    let removed: Vec<String> = moves.removed.iter().map(|file| format!("{base}{file}")).collect();
    shared.hub.broadcast(
        "reload",
        &serde_json::json!({
            "build": generation,
            "all": all,
            "paths": paths,
            "moved": moved,
            "removed": removed,
            "home": base,
        }),
    );
    shared
        .reporter
        .report(ServeEvent::Built { changed_files: changed.len(), elapsed: started.elapsed() });
    Ok(())
}

fn report_error(error: crate::Error, shared: &Shared) {
    let message = error.to_string();
    shared.write_snapshot().fail(&message);
    shared.hub.broadcast("build-error", &serde_json::json!({ "message": message }));
    shared.reporter.report(ServeEvent::Failed { error: Arc::new(error) });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::Reporter;
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::sync::{Arc, Mutex};

    /// Each path `x` becomes output `x.html`; paths in `broken` fail, but only
    /// when they are among the paths asked for (as a real incremental builder does).
    #[derive(Default, Clone)]
    struct MapBuilder {
        broken: Arc<Mutex<BTreeSet<PathBuf>>>,
        calls: Arc<Mutex<Vec<Vec<PathBuf>>>>,
    }

    impl SiteBuilder for MapBuilder {
        fn update(&mut self, paths: &[PathBuf]) -> crate::Result<Delta> {
            self.calls.lock().unwrap().push(paths.to_vec());
            let broken = self.broken.lock().unwrap();
            if paths.is_empty() && broken.contains(Path::new("*")) {
                return Err(crate::Diagnostic::new("site.yaml", "broken").into());
            }
            if let Some(bad) = paths.iter().find(|p| broken.contains(*p)) {
                return Err(crate::Diagnostic::new(bad, "broken").into());
            }
            Ok(paths
                .iter()
                .map(|p| (format!("{}.html", p.display()), Some(Arc::from(&b"x"[..]))))
                .collect())
        }
        fn import_sources(&mut self, _: &[PathBuf]) -> crate::Result<Vec<PathBuf>> {
            Ok(Vec::new())
        }
        fn root(&self) -> &Path {
            Path::new(".")
        }
        fn base_path(&self) -> String {
            "/".into()
        }
        fn output_dir(&self) -> PathBuf {
            PathBuf::from("public")
        }
    }

    fn change(paths: &[&str]) -> Change {
        Change { update: paths.iter().map(PathBuf::from).collect(), ..Change::default() }
    }

    #[test]
    fn a_still_broken_file_keeps_failing_until_it_is_fixed() {
        let builder = MapBuilder::default();
        let shared = Shared::for_tests("/");
        let mut rebuilder = Rebuilder::new(Box::new(builder.clone()));
        rebuilder.apply(change(&["a"]), &shared);
        assert_eq!(shared.read_snapshot().generation(), 1);

        builder.broken.lock().unwrap().insert(PathBuf::from("a"));
        rebuilder.apply(change(&["a"]), &shared);
        rebuilder.apply(change(&["b"]), &shared);
        assert!(shared.read_snapshot().error().is_some(), "saving b does not hide a's error");
        assert_eq!(
            builder.calls.lock().unwrap().last().unwrap(),
            &[PathBuf::from("a"), PathBuf::from("b")]
        );

        builder.broken.lock().unwrap().clear();
        rebuilder.apply(change(&["c"]), &shared);
        let snapshot = shared.read_snapshot();
        assert_eq!(snapshot.error(), None);
        assert!(snapshot.contains("b.html") && snapshot.contains("c.html"));
        assert_eq!(snapshot.generation(), 2);
    }

    #[test]
    fn a_failed_first_build_is_retried_in_full() {
        let builder = MapBuilder::default();
        builder.broken.lock().unwrap().insert(PathBuf::from("*"));
        let shared = Shared::for_tests("/");
        let mut rebuilder = Rebuilder::new(Box::new(builder.clone()));
        rebuilder.build_everything(&shared);
        assert!(shared.read_snapshot().error().is_some());
        builder.broken.lock().unwrap().clear();
        rebuilder.apply(change(&["y"]), &shared);
        rebuilder.apply(change(&["z"]), &shared);
        let calls = builder.calls.lock().unwrap();
        assert_eq!(
            calls[1],
            Vec::<PathBuf>::new(),
            "the save after a failed first build rebuilds everything"
        );
        assert_eq!(calls[2], [PathBuf::from("z")], "nothing is left to retry after a success");
        assert_eq!(shared.read_snapshot().error(), None);
    }

    #[test]
    fn builds_and_failures_are_reported() {
        let builder = MapBuilder::default();
        let events = Arc::new(Mutex::new(Vec::new()));
        let collected = Arc::clone(&events);
        let reporter = Reporter::new(move |event| collected.lock().unwrap().push(event));
        let shared = Shared { reporter, ..Shared::for_tests("/") };
        let mut rebuilder = Rebuilder::new(Box::new(builder.clone()));
        rebuilder.apply(change(&["a", "b"]), &shared);
        builder.broken.lock().unwrap().insert(PathBuf::from("c"));
        rebuilder.apply(change(&["c"]), &shared);
        rebuilder.apply(Change { import: change(&["s.txt"]).update, ..Change::default() }, &shared);

        let events = events.lock().unwrap();
        assert!(matches!(events[0], ServeEvent::Built { changed_files: 2, .. }), "{:?}", events[0]);
        match &events[1] {
            ServeEvent::Failed { error } => assert_eq!(error.to_string(), "c: broken"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(events[2], ServeEvent::Reimported { pages: 1 }), "{:?}", events[2]);
        assert!(matches!(events[3], ServeEvent::Failed { .. }), "c is retried and still broken");
        assert_eq!(events.len(), 4, "{events:?}");
    }
}
