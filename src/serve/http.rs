//! Answers HTTP requests from the in-memory snapshot.

use super::Shared;
use super::events;
use super::livereload::{self, PageState};
use super::mime;
use super::request_path::{self, Route};
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response};

/// How long a worker waits for a request before checking whether to stop.
const POLL: Duration = Duration::from_millis(100);

/// One of the bounded pool of request workers; returns when the server stops.
pub(crate) fn run_worker(server: &tiny_http::Server, shared: &Arc<Shared>) {
    while !shared.stopping() {
        match server.recv_timeout(POLL) {
            Ok(Some(request)) => handle(request, shared),
            Ok(None) => {}
            Err(e) => {
                shared.reporter.warn(format!("receiving a request failed: {e}"));
                std::thread::sleep(POLL);
            }
        }
    }
}

fn handle(request: Request, shared: &Arc<Shared>) {
    let head_only = match request.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            let mut response = text_response(405, "only GET and HEAD are served");
            for allow in headers(&[("Allow", "GET, HEAD")]) {
                response.add_header(allow);
            }
            let _ = request.respond(response);
            return;
        }
    };
    let target = request.url().to_string();
    let path_only = target.split(['?', '#']).next().unwrap_or("");
    if events::is_events_path(path_only) && !head_only {
        events::accept(request, shared);
        return;
    }
    let response = match request_path::resolve(&target, &shared.base_path) {
        Route::BadRequest(reason) => text_response(400, reason),
        Route::Redirect(location) => redirect(&location),
        Route::NotFound => not_found(shared, path_only),
        Route::File { key, redirect_if_dir } => {
            let snapshot = shared.read_snapshot();
            match snapshot.file(&key) {
                Some(found) => {
                    let state = page_state(shared, &snapshot);
                    drop(snapshot);
                    // Rendered outside the lock: a save need not wait for it.
                    match found.bytes(&key) {
                        Some(Ok(bytes)) => file_response(200, &key, bytes, state),
                        Some(Err(error)) => failed_page(&key, &error, state),
                        None => not_found(shared, path_only),
                    }
                }
                None => {
                    let dir =
                        redirect_if_dir.filter(|_| snapshot.contains(&format!("{key}/index.html")));
                    let moved = snapshot.moved_to(&key).map(str::to_string);
                    drop(snapshot);
                    match (dir, moved) {
                        (Some(location), _) => redirect(&location),
                        // An article that moved while the server runs: its old address follows it.
                        (None, Some(location)) => temporary_redirect(&location),
                        (None, None) => not_found(shared, path_only),
                    }
                }
            }
        }
    };
    // A client that went away mid-response is not the server's problem.
    let _ = request.respond(response);
}

/// What the injected script needs, read under the same lock as the file.
struct OwnedPageState {
    instance: String,
    generation: u64,
    error: Option<Arc<str>>,
}

fn page_state(shared: &Shared, snapshot: &super::snapshot::Snapshot) -> OwnedPageState {
    OwnedPageState {
        instance: shared.instance.clone(),
        generation: snapshot.generation(),
        error: snapshot.error(),
    }
}

type Body = Box<dyn Read + Send>;

fn file_response(
    status: u16,
    key: &str,
    bytes: Arc<[u8]>,
    state: OwnedPageState,
) -> Response<Body> {
    let body: Vec<u8>;
    let (reader, length): (Body, usize) = if mime::is_html(key) {
        body = livereload::inject(
            &bytes,
            PageState {
                instance: &state.instance,
                generation: state.generation,
                error: state.error.as_deref(),
            },
        );
        let length = body.len();
        (Box::new(std::io::Cursor::new(body)), length)
    } else {
        let length = bytes.len();
        (Box::new(SharedBytes { bytes, position: 0 }), length)
    };
    Response::new(
        status.into(),
        headers(&[
            ("Content-Type", mime::content_type(key)),
            // A preview must never show a cached old version.
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]),
        reader,
        Some(length),
        None,
    )
}

/// The site's own `404.html` when it has one, else a plain page; status 404 either way.
fn not_found(shared: &Shared, path: &str) -> Response<Body> {
    let snapshot = shared.read_snapshot();
    let state = page_state(shared, &snapshot);
    let found = snapshot.file("404.html");
    drop(snapshot);
    let bytes = found
        .and_then(|found| found.bytes("404.html"))
        .and_then(|bytes| bytes.ok())
        .unwrap_or_else(|| Arc::from(livereload::not_found_page(path)));
    file_response(404, "404.html", bytes, state)
}

/// A page that could not be rendered: its error, in a page that reloads
/// once a save fixes it (500); a file of the search index not built yet
/// says so (503: the search page tries again).
fn failed_page(key: &str, error: &crate::Error, state: OwnedPageState) -> Response<Body> {
    if crate::search::is_index_file(key) {
        return text_response(503, &error.to_string());
    }
    let page = livereload::error_page(&error.to_string());
    file_response(500, "error.html", Arc::from(page), state)
}

fn redirect(location: &str) -> Response<Body> {
    match header("Location", location) {
        Some(location) => text_response(301, "moved").with_header(location),
        None => text_response(400, "the path is not ASCII; percent-encode it"),
    }
}

/// A redirect for this run of the server only: browsers must not remember it,
/// since the old address may be given to another page later.
fn temporary_redirect(location: &str) -> Response<Body> {
    match header("Location", location) {
        Some(location) => {
            let mut response =
                text_response(307, "moved while you were editing").with_header(location);
            for no_store in headers(&[("Cache-Control", "no-store")]) {
                response.add_header(no_store);
            }
            response
        }
        None => text_response(400, "the path is not ASCII; percent-encode it"),
    }
}

fn text_response(status: u16, text: &str) -> Response<Body> {
    let bytes = text.as_bytes().to_vec();
    let length = bytes.len();
    Response::new(
        status.into(),
        headers(&[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]),
        Box::new(std::io::Cursor::new(bytes)) as Body,
        Some(length),
        None,
    )
}

/// A header, or `None` when the value is not ASCII (only a redirect's location can be).
fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Headers with fixed ASCII values, which always parse.
fn headers(pairs: &[(&str, &str)]) -> Vec<Header> {
    pairs.iter().filter_map(|(name, value)| header(name, value)).collect()
}

/// Reads a file's bytes without copying them out of the snapshot.
struct SharedBytes {
    bytes: Arc<[u8]>,
    position: usize,
}

impl Read for SharedBytes {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = &self.bytes[self.position..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.position += n;
        Ok(n)
    }
}
