//! The rebuild thread: feeds changes to the builder one batch at a time and
//! publishes the outcome — a new snapshot and a `reload`, or a `build-error`.

use super::report::ServeEvent;
use super::watch::Change;
use super::{Delta, Shared, SiteBuilder};
use crate::pipeline::AddressChanges;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long no change must come before the builder catches up on what it
/// left for later: saves come in bursts while someone writes, and a catch-up
/// running when the next save arrives delays it.
const QUIET: Duration = Duration::from_millis(250);

/// More changed paths than this and a `reload` just says "everything".
const MAX_LISTED_PATHS: usize = 1000;

/// Owns the builder on the rebuild thread.
pub(crate) struct Rebuilder {
    builder: Box<dyn SiteBuilder>,
    /// What the last failed update was asked to do, asked again with the next
    /// change: a file that is still broken then keeps failing (and keeps its
    /// overlay) even when the builder only reports errors for the paths it is given.
    retry: Change,
    /// The last catch-up failed, or left work it cannot do: not tried again
    /// before the next change.
    catch_up_on_hold: bool,
}

impl Rebuilder {
    pub(crate) fn new(builder: Box<dyn SiteBuilder>) -> Self {
        Rebuilder { builder, retry: Change::default(), catch_up_on_hold: false }
    }

    /// Runs the first, full build. A failure is reported like any other: the
    /// server still starts and shows the error.
    pub(crate) fn build_everything(&mut self, shared: &Shared) {
        self.apply(Change { everything: true, ..Change::default() }, shared);
    }

    /// Rebuilds until the server stops or the watcher goes away. Changes that
    /// arrive while a build runs are merged into the next one; between
    /// changes, the builder catches up on what it left for later.
    pub(crate) fn run(mut self, changes: Receiver<Change>, shared: &Shared) {
        // Behind a lock so that a catch-up's threads can look for a change.
        let changes = Mutex::new(changes);
        let mut waiting: Option<Change> = None;
        let mut last_change = Instant::now();
        while !shared.stopping() {
            let quiet_for = last_change.elapsed();
            let received = match waiting.take() {
                Some(change) => Ok(change),
                None if self.builder.behind() && !self.catch_up_on_hold && quiet_for < QUIET => {
                    lock(&changes).recv_timeout(QUIET - quiet_for)
                }
                None if self.builder.behind() && !self.catch_up_on_hold => {
                    // Not matched on directly: the guard would live through
                    // the arms, and the catch-up's `stop` takes the lock.
                    let next = lock(&changes).try_recv();
                    match next {
                        Err(TryRecvError::Empty) => {
                            waiting = self.catch_up(&changes, shared);
                            continue;
                        }
                        Err(TryRecvError::Disconnected) => return,
                        Ok(change) => Ok(change),
                    }
                }
                None => lock(&changes).recv_timeout(Duration::from_millis(100)),
            };
            let mut change = match received {
                Ok(change) => change,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            while let Ok(later) = lock(&changes).try_recv() {
                change.merge(later);
            }
            self.apply(change, shared);
            last_change = Instant::now();
        }
    }

    /// Runs the builder's catch-up until it is done or a change arrives (then
    /// returned, to be applied first). What it changed is published like a
    /// save's files, with `later` in the reload event: pages showing one of
    /// them reload, and a client timing its save can tell the two apart.
    fn catch_up(&mut self, changes: &Mutex<Receiver<Change>>, shared: &Shared) -> Option<Change> {
        let arrived: Mutex<Option<Change>> = Mutex::new(None);
        let stop = || {
            let mut arrived = lock(&arrived);
            if arrived.is_none() {
                match lock(changes).try_recv() {
                    Ok(change) => *arrived = Some(change),
                    Err(TryRecvError::Empty) => return shared.stopping(),
                    Err(TryRecvError::Disconnected) => return true,
                }
            }
            true
        };
        let started = Instant::now();
        match self.builder.catch_up(&stop) {
            Ok(delta) if !delta.is_empty() => {
                publish(&delta, &AddressChanges::default(), false, started, shared, true);
            }
            Ok(_) => {}
            Err(e) => {
                self.catch_up_on_hold = true;
                report_error(e, shared);
            }
        }
        let arrived = arrived.into_inner().unwrap_or_else(PoisonError::into_inner);
        // Not stopped and still behind: trying again at once would only spin.
        if arrived.is_none() && self.builder.behind() {
            self.catch_up_on_hold = true;
        }
        arrived
    }

    /// Carries out one batch of changes.
    pub(crate) fn apply(&mut self, mut change: Change, shared: &Shared) {
        let started = Instant::now();
        self.catch_up_on_hold = false;
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
            match self.builder.update(&paths) {
                Ok(delta) => {
                    let moves = self.builder.address_changes();
                    publish(&delta, &moves, change.everything, started, shared, false)
                }
                Err(e) => {
                    report_error(e, shared);
                    self.retry.merge(change);
                }
            }
        }
        // Reported last, so a good build in the same batch does not clear it.
        if let Some(e) = import_error {
            report_error(e, shared);
        }
    }
}

/// Puts a build's files in the snapshot and tells open pages; `later`: the
/// files of a catch-up, not of the save just made.
fn publish(
    delta: &Delta,
    moves: &AddressChanges,
    full: bool,
    started: Instant,
    shared: &Shared,
    later: bool,
) {
    let base = &shared.base_path;
    let generation = {
        let mut snapshot = shared.write_snapshot();
        snapshot.apply(delta, full);
        snapshot.record_moves(&moves.moved, base);
        snapshot.generation()
    };
    // A catch-up lists every path however many: "everything" would reload
    // the page being edited, which its save's own reload already did.
    let all = full || (!later && delta.len() > MAX_LISTED_PATHS);
    let paths: Vec<String> = if all {
        Vec::new()
    } else {
        delta.keys().map(|key| format!("{base}{}", key.trim_start_matches('/'))).collect()
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
            "later": later,
        }),
    );
    shared
        .reporter
        .report(ServeEvent::Built { changed_files: delta.len(), elapsed: started.elapsed() });
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
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
