//! `galley serve`: the live preview.
//!
//! The server keeps the last good version of the site (`snapshot`): the
//! files a [`SiteBuilder`] handed over, and the [`PageSource`] that renders
//! every page when it is asked for. It answers HTTP from it with a bounded
//! pool of tiny_http workers (`http`), watches the site's sources (`watch`),
//! hands each debounced batch of changes to the builder on a rebuild thread
//! (`rebuild`), and tells open pages what changed over Server-Sent Events at
//! [`EVENTS_PATH`] (`events`): each event stream says which page it shows,
//! and after a save those pages are rendered again to tell which must reload. Pages get
//! the reload script injected into their HTML on the way out; the output on disk
//! is never touched by the server. What happens along the way goes to the
//! [`Reporter`] in [`ServeOptions`], as [`ServeEvent`]s.
//!
//! The site is served under its `base_url` path (`/archive/…`), exactly as it
//! will deploy; the events endpoint lives outside it, at `/__galley/events`.

mod changes;
mod engine;
mod events;
mod http;
mod livereload;
mod mime;
mod rebuild;
mod report;
mod request_path;
mod snapshot;
mod watch;

pub use engine::SiteEngine;
pub use livereload::EVENTS_PATH;
pub use report::{Reporter, ServeEvent};

use snapshot::Snapshot;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// Output files a rebuild changed: new bytes, or None for a file that is gone. Keys are output paths relative to the
/// output root, like "index.html", "2019/06/x/index.html", "style.3f2a9c1b.css", "atom.xml".
pub use crate::pipeline::Delta;

/// What the server needs from the build engine.
pub trait SiteBuilder: Send + 'static {
    /// Everything changed (first build, or a change that invalidates all): the delta holds every file.
    /// paths = [] means "reload everything"; the server then drops every file the delta does not name.
    /// Otherwise `paths` are the changed files under the site root (each is `root().join(relative)`;
    /// a path that no longer exists may have been a file or a whole directory, e.g. after a directory
    /// rename); the builder reloads them and returns only the output files whose bytes changed, with
    /// `None` for output files that are gone. A builder with [`pages`](Self::pages) returns only the
    /// files it does not render on request (the real one: the theme's and `static/` assets). It
    /// returns `Err` as long as any source is broken,
    /// not only when a broken file is among `paths`, so the error overlay stays until the site builds.
    fn update(&mut self, paths: &[PathBuf]) -> crate::Result<Delta>;
    /// The pages of the site as the last successful `update` left it,
    /// rendered when they are asked for; `None` when every file comes in
    /// the deltas.
    fn pages(&self) -> Option<Arc<dyn PageSource>> {
        None
    }
    /// How the last successful `update` moved articles, so open pages can follow them.
    fn address_changes(&self) -> crate::pipeline::AddressChanges {
        crate::pipeline::AddressChanges::default()
    }
    /// Re-imports saved pages from `sources/` (import keeps hand edits); the content files it writes arrive later as
    /// ordinary watcher events. Returns the content files it left alone because they were edited by hand.
    fn import_sources(&mut self, paths: &[PathBuf]) -> crate::Result<Vec<PathBuf>>;
    /// The site root (watched), and the base_url path prefix the site is served under ("/" or "/archive/").
    fn root(&self) -> &Path;
    fn base_path(&self) -> String;
    /// The output directory, never watched.
    fn output_dir(&self) -> PathBuf;
}

/// A site whose pages are rendered when they are asked for (see
/// [`SiteBuilder::pages`]): one version of it, read-only, shared by every
/// request.
pub trait PageSource: Send + Sync {
    /// The bytes of output file `key` (`index.html`, `2019/06/x/index.html`),
    /// rendered now if need be; `None` when the site has no file there, an
    /// error when the page cannot be rendered (or is not ready yet).
    fn file(&self, key: &str) -> Option<crate::Result<Arc<[u8]>>>;
    /// Whether the site has a file at `key`, without rendering it.
    fn has(&self, key: &str) -> bool;
    /// The bytes this version already rendered for `key` (what a page open
    /// at `key` shows), without rendering it.
    fn rendered(&self, key: &str) -> Option<Arc<[u8]>>;
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// Port; 0 picks any free port.
    pub port: u16,
    /// Poll the file system instead of using native events (network and some container file systems).
    /// notify's PollWatcher compares modification times in whole seconds, so a second save of a
    /// file within the same second as the last scan is only seen with the next change.
    pub poll: bool,
    /// How often to poll with `poll`.
    pub poll_interval: Duration,
    /// How long the watcher waits for an editor's burst of events to end.
    pub debounce: Duration,
    /// Threads answering ordinary requests.
    pub workers: usize,
    /// Open pages (event streams) served at once; more get 503 and retry.
    pub max_event_streams: usize,
    /// Where the server's events go (builds, errors, warnings); nowhere by default.
    pub reporter: Reporter,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            poll: false,
            poll_interval: Duration::from_millis(250),
            debounce: Duration::from_millis(20),
            workers: 16,
            max_event_streams: 64,
            reporter: Reporter::silent(),
        }
    }
}

/// State shared by the request workers, event streams and rebuild thread.
#[derive(Debug)]
pub(crate) struct Shared {
    snapshot: RwLock<Snapshot>,
    hub: events::Hub,
    base_path: String,
    /// Identifies this server run, so pages notice a restart.
    instance: String,
    addr: SocketAddr,
    stop: AtomicBool,
    reporter: Reporter,
}

impl Shared {
    pub(crate) fn read_snapshot(&self) -> RwLockReadGuard<'_, Snapshot> {
        // A panic elsewhere cannot leave a half-applied delta (apply does not
        // panic), so a poisoned lock still holds a consistent snapshot.
        self.snapshot.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn write_snapshot(&self) -> RwLockWriteGuard<'_, Snapshot> {
        self.snapshot.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// A server state with no listener, for unit tests of the parts around it.
    #[cfg(test)]
    pub(crate) fn for_tests(base_path: &str) -> Shared {
        Shared {
            snapshot: RwLock::new(Snapshot::default()),
            hub: events::Hub::new(4),
            base_path: base_path.to_string(),
            instance: "test".into(),
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 1111),
            stop: AtomicBool::new(false),
            reporter: Reporter::silent(),
        }
    }
}

/// A running server: [`start`] returns it, [`ServerHandle::stop`] ends it.
#[derive(Debug)]
pub struct ServerHandle {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    watcher: Option<watch::Watcher>,
}

impl ServerHandle {
    /// The address the server listens on (the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The site's URL, base path included: `http://127.0.0.1:1111/archive/`.
    pub fn url(&self) -> String {
        let addr = self.shared.addr;
        let host = match addr.ip() {
            ip if ip.is_unspecified() => "127.0.0.1".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        format!("http://{host}:{}{}", addr.port(), self.shared.base_path)
    }

    /// How many pages are connected for live reload.
    pub fn open_event_streams(&self) -> usize {
        self.shared.hub.open_streams()
    }

    /// Stops watching and serving; open pages get a `bye` event and reconnect later.
    pub fn stop(mut self) {
        self.shutdown();
    }

    /// Blocks until the server stops (it does not by itself: `galley serve` runs until killed).
    pub fn wait(mut self) {
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }

    fn shutdown(&mut self) {
        if let Some(watcher) = self.watcher.take() {
            watcher.stop();
        }
        self.shared.stop.store(true, Ordering::SeqCst);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Builds, serves and watches until the process is killed; reports
/// [`ServeEvent::Serving`] once the site is up.
pub fn serve(builder: impl SiteBuilder, options: ServeOptions) -> crate::Result<()> {
    let reporter = options.reporter.clone();
    let handle = start(builder, options)?;
    reporter.report(ServeEvent::Serving { url: handle.url() });
    handle.wait();
    Ok(())
}

/// Binds, runs the first build, serves in the background, then starts watching.
/// A failing first build does not fail this: the server shows the error.
pub fn start(builder: impl SiteBuilder, options: ServeOptions) -> crate::Result<ServerHandle> {
    let builder: Box<dyn SiteBuilder> = Box::new(builder);
    let base_path = normalize_base_path(&builder.base_path());
    let server =
        tiny_http::Server::http(SocketAddr::new(options.bind, options.port)).map_err(|e| {
            crate::Error::Usage(format!("cannot listen on {}:{}: {e}", options.bind, options.port))
        })?;
    let addr = server.server_addr().to_ip().ok_or_else(|| {
        crate::Error::Usage(format!("{}:{} is not an IP address", options.bind, options.port))
    })?;
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Snapshot::default()),
        hub: events::Hub::new(options.max_event_streams.max(1)),
        base_path,
        instance: instance_id(),
        addr,
        stop: AtomicBool::new(false),
        reporter: options.reporter.clone(),
    });

    // Watched after the first build (see `watch`'s module docs); what was
    // saved while it ran is found by the watcher when it starts.
    let first_build = std::time::SystemTime::now();
    let (change_sender, changes) = std::sync::mpsc::channel();
    let (root, output_dir) = (builder.root().to_path_buf(), builder.output_dir());
    let mut rebuilder = rebuild::Rebuilder::new(builder);
    rebuilder.build_everything(&shared);

    let mut threads = Vec::new();
    let rebuild_shared = Arc::clone(&shared);
    threads.push(spawn("galley-rebuild", move || rebuilder.run(changes, &rebuild_shared))?);
    let server = Arc::new(server);
    for _ in 0..options.workers.max(1) {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        threads.push(spawn("galley-http", move || http::run_worker(&server, &shared))?);
    }
    let watch_options = watch::WatchOptions {
        debounce: options.debounce,
        poll: options.poll.then_some(options.poll_interval),
        changed_since: Some(first_build),
    };
    let watcher = watch::start(&root, &output_dir, watch_options, change_sender, options.reporter);
    let watcher = match watcher {
        Ok(watcher) => watcher,
        Err(e) => {
            shared.stop.store(true, Ordering::SeqCst);
            for thread in threads {
                let _ = thread.join();
            }
            return Err(e);
        }
    };
    Ok(ServerHandle { shared, threads, watcher: Some(watcher) })
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> crate::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(work)
        .map_err(|e| crate::Error::Usage(format!("cannot start a server thread: {e}")))
}

/// `archive` or `/archive` → `/archive/`; empty → `/`.
fn normalize_base_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") }
}

fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}-{:x}", std::process::id(), nanos)
}
