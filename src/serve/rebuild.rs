//! The rebuild thread: feeds changes to the builder one batch at a time and
//! publishes the outcome — a new snapshot and a `reload`, or a `build-error`.

use super::watch::Change;
use super::{Delta, Shared, SiteBuilder};
use std::path::PathBuf;
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
    pub(crate) fn run(mut self, changes: &Receiver<Change>, shared: &Shared) {
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
                Ok(()) => println!("re-imported {} saved page(s)", paths.len()),
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
                Ok(delta) => publish(&delta, change.everything, started, shared),
                Err(e) => {
                    report_error(&e, shared);
                    self.retry.merge(change);
                }
            }
        }
        // Reported last, so a good build in the same batch does not clear it.
        if let Some(e) = import_error {
            report_error(&e, shared);
        }
    }
}

fn publish(delta: &Delta, full: bool, started: Instant, shared: &Shared) {
    let generation = {
        let mut snapshot = shared.write_snapshot();
        snapshot.apply(delta, full);
        snapshot.generation()
    };
    let base = &shared.base_path;
    let all = full || delta.len() > MAX_LISTED_PATHS;
    let paths: Vec<String> = if all {
        Vec::new()
    } else {
        delta.keys().map(|key| format!("{base}{}", key.trim_start_matches('/'))).collect()
    };
    shared.hub.broadcast(
        "reload",
        &serde_json::json!({ "build": generation, "all": all, "paths": paths }),
    );
    println!("built: {} file(s) changed in {} ms", delta.len(), started.elapsed().as_millis());
}

fn report_error(error: &crate::Error, shared: &Shared) {
    for e in error.flatten() {
        eprintln!("error: {e}");
    }
    let message = error.to_string();
    shared.write_snapshot().fail(&message);
    shared.hub.broadcast("build-error", &serde_json::json!({ "message": message }));
}

#[cfg(test)]
mod tests {
    use super::*;
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
        fn import_sources(&mut self, _: &[PathBuf]) -> crate::Result<()> {
            Ok(())
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
}
