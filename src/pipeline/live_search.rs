//! The preview's search index: built on a thread of its own after the site
//! is up, built again after saves that add, remove or reorder articles, and
//! updated in place after the others. Until the first build is done, its
//! files are an error that the search page shows ("the index is being built").

use crate::error::{Error, Result};
use crate::fingerprint::FastMap;
use crate::search::{IndexBuilder, SearchDoc, SearchIndex};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

/// How long the site must stay unchanged before the index is built again:
/// saves come in bursts while someone writes, and a build is work for one
/// core for a while on a large archive.
const QUIET: Duration = Duration::from_millis(400);

/// A version of the site as the index reads it.
pub(super) trait SearchSource: Send + Sync {
    /// How many articles it has (their ids are `0..articles()`).
    fn articles(&self) -> usize;
    /// Hands article `i`'s [`SearchDoc`] to `add`. `keep`: whether its
    /// rendered body is worth keeping for the pages that show it.
    fn with_doc(
        &self,
        i: usize,
        keep: bool,
        add: &mut dyn FnMut(&SearchDoc<'_>) -> Result<()>,
    ) -> Result<()>;
}

/// What the index thread is asked for and what it made.
#[derive(Default)]
struct State {
    /// The index's files (manifest, shards, document files); `None` until
    /// the first build is done.
    files: Option<FastMap<String, Arc<[u8]>>>,
    /// The index the files come from, while it matches the site's articles
    /// and their order (`None`: the files are a build behind).
    index: Option<SearchIndex>,
    /// The version to index next.
    wanted: Option<Weak<dyn SearchSource>>,
    /// Counts requests: a build for an older one gives up.
    generation: u64,
    building: bool,
    /// Skip the quiet time (a test waits for the index).
    hurry: bool,
    stopped: bool,
    /// Why the last build failed (a body that no longer renders).
    failed: Option<String>,
}

/// Shared by the preview, its versions and the index thread.
#[derive(Default)]
pub(super) struct LiveSearch {
    state: Mutex<State>,
    changed: Condvar,
    /// `State::generation`, read by a build without the lock: the index
    /// thread runs at the lowest priority, and a save must never wait for
    /// it to be scheduled again to let go of the lock.
    latest: AtomicU64,
}

impl LiveSearch {
    /// Starts the index thread; it ends once [`stop`](Self::stop) is called.
    pub(super) fn start() -> Arc<LiveSearch> {
        let search = Arc::new(LiveSearch::default());
        let worker = Arc::clone(&search);
        let spawned =
            std::thread::Builder::new().name("galley-search".into()).spawn(move || worker.run());
        if spawned.is_err() {
            search.lock().failed = Some("no thread could be started to build it".into());
        }
        search
    }

    pub(super) fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }

    /// Builds the index of `version` (once no newer one is asked for within
    /// the quiet time); the files of the last build are served meanwhile.
    pub(super) fn rebuild(&self, version: &Arc<dyn SearchSource>) {
        let mut state = self.lock();
        state.wanted = Some(Arc::downgrade(version));
        state.generation += 1;
        self.latest.store(state.generation, Ordering::Relaxed);
        // Per-article terms of the whole site: freed where nobody waits.
        crate::drop_in_background(state.index.take());
        self.changed.notify_all();
    }

    /// After a save that kept every article in its place: the articles at
    /// `changed` are indexed again in place, when the index is up to date
    /// with the version before; otherwise the index is built again.
    pub(super) fn update(&self, version: &Arc<dyn SearchSource>, changed: &[usize]) -> Result<()> {
        let mut state = self.lock();
        let waiting = state.wanted.is_some() || state.building;
        let State { index, files, .. } = &mut *state;
        let (Some(index), Some(files), false) = (index.as_mut(), files.as_mut(), waiting) else {
            drop(state);
            self.rebuild(version);
            return Ok(());
        };
        let made = Mutex::new(Vec::new());
        let emit = |file: &str, bytes: &[u8]| -> Result<()> {
            let mut made = made.lock().unwrap_or_else(PoisonError::into_inner);
            made.push((file.to_string(), Arc::<[u8]>::from(bytes)));
            Ok(())
        };
        let updated = changed.iter().try_for_each(|&i| {
            let written = |file: &str| files.get(file).cloned();
            let result = version
                .with_doc(i, true, &mut |doc| index.update(i, doc, &written, &emit).map(drop));
            // The next article may be in the same files.
            files.extend(made.lock().unwrap_or_else(PoisonError::into_inner).drain(..));
            result
        });
        if updated.is_err() {
            // Half updated: made again from the start.
            drop(state);
            self.rebuild(version);
        }
        updated
    }

    /// A file of the index, or an error while there is none yet.
    pub(super) fn file(&self, key: &str) -> Result<Arc<[u8]>> {
        let state = self.lock();
        match &state.files {
            Some(files) => files
                .get(key)
                .cloned()
                .ok_or_else(|| Error::Usage(format!("the search index has no file {key}"))),
            None => Err(Error::Usage(match &state.failed {
                Some(why) => format!("the search index could not be built: {why}"),
                None => "the search index is being built; try again in a moment".into(),
            })),
        }
    }

    /// The index's files, as far as they are built.
    pub(super) fn files(&self) -> Vec<String> {
        self.lock().files.as_ref().map(|files| files.keys().cloned().collect()).unwrap_or_default()
    }

    /// Waits until the index of the latest version asked for is built (or
    /// could not be), skipping the quiet time.
    pub(super) fn wait(&self) {
        let mut state = self.lock();
        state.hurry = true;
        self.changed.notify_all();
        while (state.wanted.is_some() || state.building) && !state.stopped {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.hurry = false;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The index thread: waits for a version to index and a quiet moment,
    /// builds, publishes the files unless a newer version was asked for meanwhile.
    fn run(&self) {
        // Lowest priority: a save or a request never waits behind a build.
        #[cfg(target_os = "linux")]
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
        loop {
            let mut state = self.lock();
            while state.wanted.is_none() && !state.stopped {
                state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
            }
            if state.stopped {
                return;
            }
            // Quiet until no newer version arrives for a while.
            let generation = state.generation;
            if !state.hurry {
                let (waited, timeout) = self
                    .changed
                    .wait_timeout_while(state, QUIET, |s| {
                        s.generation == generation && !s.hurry && !s.stopped
                    })
                    .unwrap_or_else(PoisonError::into_inner);
                state = waited;
                if !timeout.timed_out() && !state.hurry {
                    continue;
                }
            }
            let Some(version) = state.wanted.take().and_then(|weak| weak.upgrade()) else {
                self.changed.notify_all();
                continue;
            };
            let generation = state.generation;
            state.building = true;
            drop(state);
            let built = self.build(version, generation);
            let mut state = self.lock();
            state.building = false;
            match built {
                Ok(Some((index, files))) if state.generation == generation => {
                    let replaced =
                        (state.files.replace(files), std::mem::replace(&mut state.index, index));
                    crate::drop_in_background(replaced);
                    state.failed = None;
                }
                Ok(_) => {}
                Err(e) if state.generation == generation => state.failed = Some(e.to_string()),
                Err(_) => {}
            }
            self.changed.notify_all();
        }
    }

    /// The index of every article of `version`, on this thread alone (the
    /// other core stays free for requests and saves). `None`: given up for a
    /// newer version. The version is let go once every article is added,
    /// before the index is finished: the next save takes back the graph of
    /// the version before the last, and copies the site when it cannot.
    #[allow(clippy::type_complexity)]
    fn build(
        &self,
        version: Arc<dyn SearchSource>,
        generation: u64,
    ) -> Result<Option<(Option<SearchIndex>, FastMap<String, Arc<[u8]>>)>> {
        let files = Mutex::new(FastMap::default());
        let emit = |file: &str, bytes: &[u8]| -> Result<()> {
            let mut files = files.lock().unwrap_or_else(PoisonError::into_inner);
            files.insert(file.to_string(), Arc::<[u8]>::from(bytes));
            Ok(())
        };
        let builder = IndexBuilder::new(version.articles(), true);
        for i in 0..version.articles() {
            if i % 64 == 0 && self.latest.load(Ordering::Relaxed) != generation {
                return Ok(None);
            }
            version.with_doc(i, false, &mut |doc| builder.add(i, doc, &emit))?;
        }
        drop(version);
        let index = builder.finish(&emit)?;
        Ok(Some((index, files.into_inner().unwrap_or_else(PoisonError::into_inner))))
    }
}
