//! Test-side HTTP helpers: a ureq agent for ordinary requests, raw requests for
//! targets a client library would normalise, and an SSE reader. Every wait is bounded.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// Status, content type and body of a GET.
pub fn get(url: &str) -> (u16, String, String) {
    let mut response = agent().get(url).call().expect("request failed");
    let status = response.status().as_u16();
    let content_type = header(&response, "content-type");
    let body = response.body_mut().read_to_string().expect("body");
    (status, content_type, body)
}

pub fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

/// Sends `target` verbatim and returns the status line's code and the whole raw response.
pub fn raw(addr: SocketAddr, method: &str, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(stream, "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

/// One open `/__galley/events` stream.
pub struct Events {
    stream: TcpStream,
    buffer: String,
    cursor: usize,
}

impl Events {
    pub fn connect(addr: SocketAddr, origin: Option<&str>) -> Events {
        Events::open(addr, origin, "")
    }

    /// An event stream that says it shows the page at public path `page`
    /// (`/2024/01/x/`), as the live-reload script does: after a save the
    /// server renders that page again and names it when it changed.
    pub fn showing(addr: SocketAddr, page: &str) -> Events {
        let page = page.replace('%', "%25").replace('/', "%2F");
        Events::open(addr, None, &format!("?page={page}"))
    }

    fn open(addr: SocketAddr, origin: Option<&str>, query: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
        write!(stream, "GET /__galley/events{query} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{origin}\r\n")
            .unwrap();
        Events { stream, buffer: String::new(), cursor: 0 }
    }

    /// Reads until `pattern` appears after the cursor or the time is up.
    fn wait_for(&mut self, pattern: &str, timeout: Duration) -> Option<usize> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(i) = self.buffer[self.cursor..].find(pattern) {
                return Some(self.cursor + i);
            }
            if Instant::now() >= deadline {
                return None;
            }
            let mut chunk = [0u8; 8192];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(_) => {} // read timeout: loop to check the deadline
            }
        }
    }

    /// The data of the next event called `name`, skipping others; None after `timeout`.
    pub fn next(&mut self, name: &str, timeout: Duration) -> Option<String> {
        let start = self.wait_for(&format!("event: {name}\ndata: "), timeout)?;
        let data_start = start + format!("event: {name}\ndata: ").len();
        let end = data_start + self.buffer[data_start..].find('\n')?;
        self.cursor = end;
        Some(self.buffer[data_start..end].to_string())
    }

    /// The next event of any name, as `(name, data)`.
    pub fn any(&mut self, timeout: Duration) -> Option<(String, String)> {
        let start = self.wait_for("event: ", timeout)?;
        self.wait_for("\n\n", Duration::from_millis(500))?;
        let text = &self.buffer[start + "event: ".len()..];
        let (name, rest) = text.split_once("\ndata: ")?;
        let data = rest.split('\n').next()?.to_string();
        let name = name.to_string();
        self.cursor = start + "event: ".len() + name.len() + "\ndata: ".len() + data.len();
        Some((name, data))
    }

    /// The status line of the response.
    pub fn status(&mut self) -> u16 {
        self.wait_for("\r\n", Duration::from_secs(5));
        self.buffer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    /// Whether the stream was closed or its final chunk arrived within `timeout`.
    pub fn ended(&mut self, timeout: Duration) -> bool {
        self.wait_for("\r\n0\r\n\r\n", timeout).is_some()
    }
}
