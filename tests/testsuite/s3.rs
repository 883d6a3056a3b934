//! A real S3 implementation for the deploy tests: moto's standalone server
//! (`pip install 'moto[server]'`) on a free 127.0.0.1 port, behind a small
//! HTTP proxy that records every request and can cut the connection in
//! the middle of an upload, as an outage would.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::{Attribute, ObjectStore, ObjectStoreExt as _};

pub const BUCKET: &str = "katalog";

/// The dummy credentials every test passes to `gotong deploy`, and an
/// instance-metadata endpoint on this machine, so that a credential lookup
/// that falls through to it never leaves 127.0.0.1.
pub const ENV: &[(&str, &str)] = &[
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_REGION", "us-east-1"),
    ("AWS_METADATA_ENDPOINT", "http://127.0.0.1:9"),
];

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

fn wait_for(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening on 127.0.0.1:{port} within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A moto server; killed when dropped.
pub struct Moto {
    pub port: u16,
    child: Option<Child>,
}

impl Moto {
    pub fn start() -> Moto {
        let mut m = Moto { port: free_port(), child: None };
        m.restart();
        m
    }

    /// Starts (again) on the same port, with an empty bucket.
    pub fn restart(&mut self) {
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &self.port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start moto_server ({e}): these tests need it; install it with `pip install 'moto[server]'`"
                )
            });
        self.child = Some(child);
        wait_for(self.port, "moto_server");
        // Create the bucket (moto accepts this unsigned request).
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to moto");
        write!(
            s,
            "PUT /{BUCKET} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .expect("create bucket");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 200"), "creating the bucket: {answer}");
    }

    /// Stops the server at once (SIGKILL), as a crash or an outage would.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// A client of the bucket that goes straight to moto (not through the proxy).
    pub fn bucket(&self) -> Bucket {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store = AmazonS3Builder::new()
            .with_endpoint(format!("http://127.0.0.1:{}", self.port))
            .with_allow_http(true)
            .with_bucket_name(BUCKET)
            .with_region("us-east-1")
            .with_access_key_id("testing")
            .with_secret_access_key("testing")
            .build()
            .expect("S3 client");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        Bucket { store: Arc::new(store), runtime }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One object as stored.
#[derive(Debug, Clone)]
pub struct Object {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_encoding: Option<String>,
}

impl Object {
    /// The bytes a browser gets after undoing `Content-Encoding`.
    pub fn decoded(&self) -> Vec<u8> {
        if self.content_encoding.as_deref() == Some("gzip") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&self.bytes[..]).read_to_end(&mut out).expect("valid gzip");
            out
        } else {
            self.bytes.clone()
        }
    }
}

pub struct Bucket {
    store: Arc<dyn ObjectStore>,
    runtime: tokio::runtime::Runtime,
}

impl Bucket {
    /// Every object under `prefix/`, by key relative to it.
    pub fn objects(&self, prefix: &str) -> BTreeMap<String, Object> {
        self.runtime.block_on(async {
            use futures_util::StreamExt as _;
            let p = Key::from(prefix);
            let mut list = self.store.list(Some(&p));
            let mut out = BTreeMap::new();
            while let Some(meta) = list.next().await {
                let meta = meta.expect("list");
                let got = self.store.get(&meta.location).await.expect("get");
                let a = got.attributes.clone();
                let get = |k| a.get(&k).map(|v| v.as_ref().to_string());
                let (ct, cc, ce) =
                    (get(Attribute::ContentType), get(Attribute::CacheControl), get(Attribute::ContentEncoding));
                let bytes = got.bytes().await.expect("body").to_vec();
                let rel = meta.location.as_ref().strip_prefix(&format!("{prefix}/")).unwrap_or(meta.location.as_ref());
                out.insert(
                    rel.to_string(),
                    Object { bytes, content_type: ct, cache_control: cc, content_encoding: ce },
                );
            }
            out
        })
    }
}

/// One request seen by the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// The keys of a bulk delete (`POST /bucket?delete`).
    pub deleted: Vec<String>,
    /// The access key id the request was signed with.
    pub key_id: Option<String>,
}

#[derive(Default)]
struct State {
    log: Mutex<Vec<Request>>,
    puts: AtomicUsize,
    /// Cut the connection halfway through this PUT (1-based; 0: never).
    cut_at_put: AtomicUsize,
    /// Delay before forwarding each PUT, in milliseconds.
    put_delay_ms: AtomicU64,
    down: AtomicBool,
    streams: Mutex<Vec<TcpStream>>,
}

/// A recording HTTP/1.1 proxy in front of moto.
pub struct Proxy {
    pub port: u16,
    upstream: u16,
    state: Arc<State>,
}

impl Proxy {
    pub fn start(upstream: u16) -> Proxy {
        let p = Proxy { port: free_port(), upstream, state: Arc::new(State::default()) };
        p.listen();
        p
    }

    /// The endpoint to give `gotong deploy`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn listen(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("proxy bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let state = Arc::clone(&self.state);
        let upstream = self.upstream;
        std::thread::spawn(move || {
            while !state.down.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let state = Arc::clone(&state);
                        std::thread::spawn(move || forward(client, upstream, &state));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
            // Dropping the listener: new connections are refused.
        });
        wait_for(self.port, "the proxy");
    }

    /// Every request since the last call.
    pub fn take_log(&self) -> Vec<Request> {
        std::mem::take(&mut *self.state.log.lock().unwrap())
    }

    /// Requests that change the bucket (PUT, POST, DELETE).
    pub fn writes(&self) -> Vec<Request> {
        self.take_log().into_iter().filter(|r| r.method != "GET" && r.method != "HEAD").collect()
    }

    pub fn puts(&self) -> usize {
        self.state.puts.load(Ordering::SeqCst)
    }

    pub fn cut_at_put(&self, n: usize) {
        self.state.cut_at_put.store(n, Ordering::SeqCst);
    }

    pub fn slow_puts(&self, ms: u64) {
        self.state.put_delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Takes the proxy down: open connections are cut, new ones refused.
    pub fn stop(&self) {
        stop(&self.state);
        std::thread::sleep(Duration::from_millis(20));
    }

    /// Brings the proxy back on the same port.
    pub fn restore(&self) {
        self.state.cut_at_put.store(0, Ordering::SeqCst);
        self.state.down.store(false, Ordering::SeqCst);
        self.listen();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        stop(&self.state);
    }
}

fn stop(state: &State) {
    state.down.store(true, Ordering::SeqCst);
    for s in state.streams.lock().unwrap().drain(..) {
        let _ = s.shutdown(Shutdown::Both);
    }
}

/// Forwards requests from `client` to moto, one by one, recording each;
/// responses flow back on their own thread.
fn forward(client: TcpStream, upstream: u16, state: &State) {
    let _ = client.set_nonblocking(false);
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    if state.down.load(Ordering::SeqCst) {
        return;
    }
    {
        let mut streams = state.streams.lock().unwrap();
        streams.extend(client.try_clone().ok());
        streams.extend(server.try_clone().ok());
    }
    if let (Ok(mut from), Ok(mut to)) = (server.try_clone(), client.try_clone()) {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Both);
        });
    }
    let mut reader = BufReader::new(client);
    loop {
        let mut head = String::new();
        let mut length = 0usize;
        let mut key_id = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("authorization:") {
                key_id = line.split("Credential=").nth(1).and_then(|c| c.split('/').next()).map(String::from);
            }
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            assert!(!lower.starts_with("transfer-encoding:"), "the proxy does not handle chunked uploads: {line}");
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let first = head.lines().next().unwrap_or_default().to_string();
        let mut parts = first.split(' ');
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default();
        let path = target.split('?').next().unwrap_or_default().to_string();
        let mut upto = body.len();
        if method == "PUT" {
            let n = state.puts.fetch_add(1, Ordering::SeqCst) + 1;
            let delay = state.put_delay_ms.load(Ordering::SeqCst);
            if delay > 0 {
                std::thread::sleep(Duration::from_millis(delay));
            }
            if n == state.cut_at_put.load(Ordering::SeqCst) {
                upto = body.len() / 2;
            }
        }
        let mut deleted = Vec::new();
        if method == "POST" && target.contains("?delete") {
            let xml = String::from_utf8_lossy(&body);
            for part in xml.split("<Key>").skip(1) {
                deleted.push(part.split("</Key>").next().unwrap_or_default().to_string());
            }
        }
        state.log.lock().unwrap().push(Request { method, path, deleted, key_id });
        if server.write_all(head.as_bytes()).and_then(|_| server.write_all(&body[..upto])).is_err() {
            return;
        }
        if upto < body.len() {
            // The outage: half a body has gone out, then everything stops.
            std::thread::sleep(Duration::from_millis(50));
            stop(state);
            return;
        }
    }
}
