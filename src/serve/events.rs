//! Server-Sent Events: the reload channel from the server to open pages.
//!
//! tiny_http hands a request's raw writer over (`into_writer`), so an event
//! stream does not hold one of the request workers: each open page gets a
//! small thread of its own, fed by a bounded queue. A page that stops reading
//! fills its queue and is dropped instead of slowing the others. The number of
//! streams is capped so they cannot exhaust threads.

use super::Shared;
use super::livereload::EVENTS_PATH;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a stream may stay silent before a comment line checks it is alive.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often a stream thread checks whether the server is stopping.
const STOP_CHECK: Duration = Duration::from_millis(200);
/// Messages queued for one slow stream before it is dropped.
const QUEUE: usize = 32;

/// One open event stream: its queue, and the output file of the page it
/// says it shows (`?page=` on the events URL).
#[derive(Debug)]
struct Stream {
    queue: SyncSender<Arc<str>>,
    page: Option<String>,
    /// Gone once the stream's thread ends.
    alive: std::sync::Weak<()>,
}

/// The open event streams.
#[derive(Debug)]
pub(crate) struct Hub {
    streams: Mutex<Vec<Stream>>,
    open: Arc<AtomicUsize>,
    limit: usize,
}

impl Hub {
    pub(crate) fn new(limit: usize) -> Self {
        Hub { streams: Mutex::new(Vec::new()), open: Arc::new(AtomicUsize::new(0)), limit }
    }

    /// Sends an event to every open stream, forgetting streams that are gone or stuck.
    pub(crate) fn broadcast(&self, event: &str, data: &serde_json::Value) {
        let message: Arc<str> = Arc::from(format_event(event, data));
        let mut streams = self.streams.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        streams.retain(|stream| match stream.queue.try_send(Arc::clone(&message)) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        });
    }

    /// How many streams are open.
    pub(crate) fn open_streams(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// The output files of the pages open streams show, each once.
    pub(crate) fn open_pages(&self) -> Vec<String> {
        let mut streams = self.streams.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        streams.retain(|stream| stream.alive.strong_count() > 0);
        let mut pages: Vec<String> = streams.iter().filter_map(|s| s.page.clone()).collect();
        pages.sort();
        pages.dedup();
        pages
    }

    fn subscribe(&self, page: Option<String>) -> Option<(Receiver<Arc<str>>, OpenGuard)> {
        let mut streams = self.streams.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.open.load(Ordering::SeqCst) >= self.limit {
            return None;
        }
        let (queue, receiver) = sync_channel(QUEUE);
        let alive = Arc::new(());
        streams.push(Stream { queue, page, alive: Arc::downgrade(&alive) });
        self.open.fetch_add(1, Ordering::SeqCst);
        Some((receiver, OpenGuard(Arc::clone(&self.open), alive)))
    }
}

/// Counts a stream as open, and keeps it alive, until its thread ends.
struct OpenGuard(Arc<AtomicUsize>, #[allow(dead_code)] Arc<()>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One SSE message: `event:` and a single `data:` line of JSON (JSON has no raw newlines).
fn format_event(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

/// Whether a request to the events endpoint, given its `Origin`, comes from a
/// page of this server. Pages of other sites must not read build errors, which
/// quote the author's files; a missing Origin (same-origin EventSource, curl) is fine.
pub(crate) fn origin_allowed(origin: Option<&str>, shared: &Shared) -> bool {
    let Some(origin) = origin else { return true };
    let Some(host_port) = origin.strip_prefix("http://") else { return false };
    let Some((host, port)) = host_port.rsplit_once(':') else { return false };
    if port != shared.addr.port().to_string() {
        return false;
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host == "localhost" {
        return true;
    }
    let Ok(ip) = host.parse::<std::net::IpAddr>() else {
        // A DNS name other than localhost could be a rebinding attack.
        return false;
    };
    let bind = shared.addr.ip();
    ip.is_loopback() || ip == bind || (bind.is_unspecified() && !ip.is_unspecified())
}

/// Answers `GET /__galley/events`: checks the origin, then streams events on a thread of its own.
pub(crate) fn accept(request: tiny_http::Request, shared: &Arc<Shared>) {
    let origin = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Origin"))
        .map(|h| h.value.as_str().to_string());
    if !origin_allowed(origin.as_deref(), shared) {
        let _ = request.respond(
            tiny_http::Response::from_string("this event stream is only for pages of this server")
                .with_status_code(403),
        );
        return;
    }
    let page = shown_page(request.url(), &shared.base_path);
    let Some((receiver, guard)) = shared.hub.subscribe(page) else {
        let _ = request
            .respond(tiny_http::Response::from_string("too many open pages").with_status_code(503));
        return;
    };
    // Subscribed before the hello is built: a build finishing in between is
    // then seen twice (harmless), never missed.
    let hello = {
        let snapshot = shared.read_snapshot();
        serde_json::json!({
            "instance": shared.instance,
            "build": snapshot.generation(),
            "error": snapshot.error().as_deref(),
        })
    };
    let writer = request.into_writer();
    let stream_shared = Arc::clone(shared);
    let spawned = std::thread::Builder::new()
        .name("galley-events".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            let _guard = guard;
            let _ = stream(writer, &receiver, &hello, &stream_shared);
        });
    if let Err(e) = spawned {
        shared.reporter.warn(format!("cannot open an event stream: {e}"));
    }
}

/// Writes the response head, the hello, then every broadcast, as HTTP/1.1 chunks
/// so the stream can end cleanly (a final chunk) when the server stops.
/// `Connection: close`: the browser must not reuse this connection afterwards
/// (tiny_http keeps reading it, and a stopped server would never answer).
fn stream(
    mut writer: Box<dyn Write + Send>,
    receiver: &Receiver<Arc<str>>,
    hello: &serde_json::Value,
    shared: &Shared,
) -> std::io::Result<()> {
    writer.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
          Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
          Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n",
    )?;
    // `retry:` makes EventSource reconnect quickly after the stream drops.
    write_chunk(&mut writer, &format!("retry: 500\n\n{}", format_event("hello", hello)))?;
    let mut last_write = Instant::now();
    loop {
        if shared.stopping() {
            write_chunk(&mut writer, &format_event("bye", &serde_json::json!({})))?;
            writer.write_all(b"0\r\n\r\n")?;
            return writer.flush();
        }
        match receiver.recv_timeout(STOP_CHECK) {
            Ok(message) => {
                write_chunk(&mut writer, &message)?;
                last_write = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) if last_write.elapsed() >= HEARTBEAT => {
                write_chunk(&mut writer, ": keep-alive\n\n")?;
                last_write = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) => {}
            // Dropped by the hub as too slow: end the stream; the page reconnects.
            Err(RecvTimeoutError::Disconnected) => {
                writer.write_all(b"0\r\n\r\n")?;
                return writer.flush();
            }
        }
    }
}

fn write_chunk(writer: &mut dyn Write, text: &str) -> std::io::Result<()> {
    write!(writer, "{:x}\r\n{text}\r\n", text.len())?;
    writer.flush()
}

/// The output file of the page an events URL says it shows:
/// `/__galley/events?page=%2Farchive%2F2019%2Fx%2F` → `2019/x/index.html`
/// (under base path `/archive/`).
fn shown_page(url: &str, base: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let value = query.split('&').find_map(|pair| pair.strip_prefix("page="))?;
    let path = percent_encoding::percent_decode_str(value).decode_utf8().ok()?;
    match super::request_path::resolve(&path, base) {
        super::request_path::Route::File { key, .. } => Some(key),
        _ => None,
    }
}

/// The path of the events endpoint, for the request router.
pub(crate) fn is_events_path(path: &str) -> bool {
    path == EVENTS_PATH
}
