//! `gotong serve`: builds the site in memory, serves it over HTTP, watches
//! the site's files and rebuilds what an edit changes, then tells open pages
//! to reload over Server-Sent Events.
//!
//! Pieces: [`session`] does the incremental rebuilds (the same pipeline as
//! `gotong build`); the watcher thread feeds it debounced file events; the
//! HTTP side (axum on tokio) serves the last good output from memory and
//! injects the live-reload script and, while the site is broken, an overlay
//! listing every problem. Requests are looked up in the site's own list of
//! files, so no path can reach outside it.

pub mod cms_api;
pub mod session;

use std::collections::HashMap;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use notify::RecursiveMode;
use tokio::sync::broadcast;

use crate::diagnostics::{self, Diagnostic, Diagnostics, Format, Severity};
use crate::output::mime_of;
use session::{FileSource, Output, Session};

/// The live-reload script, injected into every page the server sends.
pub const LIVE_JS: &str = include_str!("live.js");
/// Where the script is served.
pub const LIVE_JS_PATH: &str = "/__gotong/live.js";
/// The Server-Sent Events stream.
pub const EVENTS_PATH: &str = "/__gotong/events";

/// The CMS's local backend (Decap's proxy protocol).
pub const API_PATH: &str = "/api/v1";

/// What `gotong serve` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder holding site.yaml.
    pub root: PathBuf,
    /// Address to listen on (127.0.0.1 unless told otherwise).
    pub bind: IpAddr,
    /// Port.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
}

/// Messages to open pages.
#[derive(Debug, Clone)]
enum Notice {
    Reload,
    Css,
    Errors(Arc<String>),
    Ok,
    Shutdown,
}

struct Shared {
    output: RwLock<Arc<Output>>,
    /// site.yaml's base path (`/katalog` or empty): pages are served under it.
    base_path: RwLock<String>,
    errors: RwLock<Arc<Vec<Diagnostic>>>,
    session: Mutex<Session>,
    data: Mutex<Made>,
    notices: broadcast::Sender<Notice>,
    /// The site root (canonical), for the CMS's local backend.
    root: PathBuf,
    /// The port the server listens on (requests must name it as their host).
    port: u16,
}

/// Files made on first request from the last good build (open data,
/// sitemap, feed, the search index), forgotten at each rebuild.
#[derive(Default)]
struct Made {
    files: HashMap<String, Arc<Vec<u8>>>,
    /// The search index is in `files`: a `pagefind/` path missing from it
    /// does not exist (and does not make the index again).
    search: bool,
}

impl Shared {
    fn errors_json(&self) -> Arc<String> {
        let errors = self.errors.read().map(|e| e.clone()).unwrap_or_default();
        Arc::new(serde_json::to_string(&*errors).unwrap_or_else(|_| "[]".into()))
    }
}

/// Runs the server until Ctrl-C. Returns an error message (port in use,
/// no site.yaml…) when it cannot start.
pub fn run(opts: &Options) -> Result<(), String> {
    let root = opts.root.canonicalize().map_err(|e| format!("{}: {e}", opts.root.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {} is already in use on {}: stop the other server or pick another port with --port {}",
            opts.port,
            opts.bind,
            opts.port.wrapping_add(1)
        ),
        _ => format!("cannot listen on {addr}: {e}"),
    })?;
    let host = if opts.bind.is_unspecified() { "127.0.0.1".to_string() } else { opts.bind.to_string() };
    let host = if host.contains(':') { format!("[{host}]") } else { host };
    let base_url = format!("http://{host}:{}", opts.port);

    let started = Instant::now();
    let mut session = Session::new(&root, opts.drafts, &base_url);
    let first = session.first_render();
    let terminal = std::io::stderr().is_terminal();
    report(&first.diagnostics);
    let (notices, _) = broadcast::channel(64);
    let base_path = session.base_path();
    let shared = Arc::new(Shared {
        output: RwLock::new(Arc::new(first.output.unwrap_or_default())),
        base_path: RwLock::new(base_path.clone()),
        errors: RwLock::new(Arc::new(errors_of(&first.diagnostics))),
        session: Mutex::new(session),
        data: Mutex::new(Made::default()),
        notices,
        root: root.clone(),
        port: opts.port,
    });
    say(&format!(
        "serving {base_url}{base_path}/ (built {} pages in {:.0?}; Ctrl-C to stop)",
        first.rendered,
        started.elapsed()
    ));

    let stop = Arc::new(AtomicBool::new(false));
    let watcher = spawn_watcher(root.clone(), shared.clone(), stop.clone(), terminal)?;

    let app = Router::new()
        .route(LIVE_JS_PATH, get(live_js))
        .route(EVENTS_PATH, get(events))
        .route(API_PATH, post(cms_api_route).layer(axum::extract::DefaultBodyLimit::max(64 << 20)))
        .fallback(get(page))
        .with_state(shared.clone());
    let result = runtime.block_on(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                let _ = shared.notices.send(Notice::Shutdown);
            })
            .await
    });
    stop.store(true, Ordering::SeqCst);
    drop(watcher);
    say("stopped");
    result.map_err(|e| format!("server error: {e}"))
}

/// Prints a line on stdout; a closed stdout (the reader went away) is not
/// worth a panic.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn errors_of(d: &Diagnostics) -> Vec<Diagnostic> {
    d.iter().filter(|x| x.severity == Severity::Error).cloned().collect()
}

/// Prints problems to the terminal (stderr).
fn report(d: &Diagnostics) {
    use std::io::Write;
    let text = diagnostics::render(d, Format::Human, false);
    if !text.is_empty() {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// The file watcher, shared with the thread that adds folders to it.
type Debouncer = notify_debouncer_full::Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>;

/// The folders of a site that the watcher follows, when they exist.
const SOURCE_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

/// Watches the site's folders and applies each burst of changes.
fn spawn_watcher(
    root: PathBuf,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    terminal: bool,
) -> Result<Arc<Mutex<Debouncer>>, String> {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(25), None, tx)
        .map_err(|e| format!("cannot watch files: {e}"))?;
    // The root itself (site.yaml, folders created later) without descending,
    // then each source folder that exists. public/ and target/ are not watched.
    debouncer.watch(&root, RecursiveMode::NonRecursive).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let mut watched: Vec<&str> = Vec::new();
    for sub in SOURCE_DIRS {
        let dir = root.join(sub);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
            watched.push(sub);
        }
    }
    let debouncer = Arc::new(Mutex::new(debouncer));
    let held = debouncer.clone();
    std::thread::spawn(move || {
        let mut last_printed: Vec<Diagnostic> = Vec::new();
        while !stop.load(Ordering::SeqCst) {
            let Ok(first) = rx.recv_timeout(Duration::from_millis(200)) else { continue };
            // A source folder made while serving (a first `templates/` or
            // `static/`) is watched from now on; its creation is itself an
            // event, which reads what it already holds.
            for sub in SOURCE_DIRS {
                let dir = root.join(sub);
                if !watched.contains(&sub)
                    && dir.is_dir()
                    && let Ok(mut d) = held.lock()
                    && d.watch(&dir, RecursiveMode::Recursive).is_ok()
                {
                    watched.push(sub);
                }
            }
            let mut paths: Vec<PathBuf> = Vec::new();
            let mut take = |r: notify_debouncer_full::DebounceEventResult| {
                if let Ok(events) = r {
                    for e in events {
                        // Reads (our own rebuild reads every file it needs)
                        // and metadata changes are not edits.
                        use notify::EventKind;
                        use notify::event::ModifyKind;
                        match e.event.kind {
                            EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)) | EventKind::Other => {}
                            _ => paths.extend(e.event.paths.iter().cloned()),
                        }
                    }
                }
            };
            take(first);
            while let Ok(more) = rx.try_recv() {
                take(more);
            }
            paths.sort();
            paths.dedup();
            let started = Instant::now();
            let previous = shared.output.read().map(|o| o.clone()).unwrap_or_default();
            let update = match shared.session.lock() {
                Ok(mut s) => {
                    let u = s.update(&paths, &previous);
                    if let Ok(mut b) = shared.base_path.write() {
                        *b = s.base_path();
                    }
                    u
                }
                Err(_) => continue,
            };
            // No path of the site changed: keep everything, problems too.
            let Some(update) = update else { continue };
            let errors = errors_of(&update.diagnostics);
            let was_clean = shared.errors.read().map(|e| e.is_empty()).unwrap_or(true);
            if errors.is_empty() && update.output.is_none() && update.diagnostics.is_empty() && was_clean {
                continue;
            }
            let printed: Vec<Diagnostic> = update.diagnostics.iter().cloned().collect();
            if printed != last_printed {
                report(&update.diagnostics);
                last_printed = printed;
            }
            let before = shared.errors.read().map(|e| e.clone()).unwrap_or_default();
            let was_broken = !before.is_empty();
            if let Ok(mut e) = shared.errors.write() {
                *e = Arc::new(errors.clone());
            }
            if !errors.is_empty() {
                // Tell pages once per distinct set of problems.
                if *before != errors {
                    let _ = shared.notices.send(Notice::Errors(shared.errors_json()));
                }
                continue;
            }
            if let Some(output) = update.output {
                if let Ok(mut o) = shared.output.write() {
                    *o = Arc::new(output);
                }
                if let Ok(mut d) = shared.data.lock() {
                    *d = Made::default();
                }
                let notice = if update.css_only && !was_broken { Notice::Css } else { Notice::Reload };
                let _ = shared.notices.send(notice);
                if terminal {
                    use std::io::Write;
                    let _ =
                        writeln!(std::io::stderr(), "rebuilt {} page(s) in {:.0?}", update.rendered, started.elapsed());
                }
            } else if was_broken {
                let _ = shared.notices.send(Notice::Ok);
            }
        }
    });
    Ok(debouncer)
}

/// Whether a request comes from a page of this server: its Host names a
/// loopback address and this port (no DNS rebinding), its Origin (when
/// sent) is the same, and its body is declared JSON (a form on another
/// site cannot send that without the browser asking first).
pub fn local_request(headers: &axum::http::HeaderMap, port: u16) -> bool {
    let local = |hostport: &str| local_host(hostport, port);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(o) => o.strip_prefix("http://").is_some_and(local),
    };
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("application/json"));
    local(host) && origin_ok && json
}

async fn cms_api_route(
    State(shared): State<Arc<Shared>>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let json = |status: u16, v: serde_json::Value| {
        let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        respond(code, "application/json; charset=utf-8", serde_json::to_vec(&v).unwrap_or_default())
    };
    // Headers are what the caller says; the address is where it is. Under
    // `--bind 0.0.0.0` another machine could send a Host of 127.0.0.1.
    if !loopback(peer.ip()) || !local_request(&headers, shared.port) {
        return json(403, serde_json::json!({"error": "only pages of this server may use the local backend"}));
    }
    if !shared.session.lock().map(|s| s.has_cms()).unwrap_or(false) {
        return json(404, serde_json::json!({"error": "site.yaml has no `cms:`"}));
    }
    let root = shared.root.clone();
    let reply = tokio::task::spawn_blocking(move || cms_api::handle(&root, &body)).await;
    match reply {
        Ok(r) => json(r.status, r.body),
        Err(_) => json(500, serde_json::json!({"error": "the request failed"})),
    }
}

async fn live_js() -> Response {
    respond(StatusCode::OK, "text/javascript; charset=utf-8", LIVE_JS.as_bytes().to_vec())
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let rx = shared.notices.subscribe();
    let broken = shared.errors.read().map(|e| !e.is_empty()).unwrap_or(false);
    let hello = if broken { Some(Notice::Errors(shared.errors_json())) } else { None };
    let stream = futures_util::stream::unfold((rx, hello, false), |(mut rx, hello, done)| async move {
        if done {
            return None;
        }
        let notice = match hello {
            Some(n) => n,
            None => loop {
                match rx.recv().await {
                    Ok(n) => break n,
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            },
        };
        let event = match &notice {
            Notice::Reload => Event::default().event("reload").data("reload"),
            Notice::Css => Event::default().event("css").data("css"),
            Notice::Errors(json) => Event::default().event("errors").data(json.as_str()),
            Notice::Ok => Event::default().event("ok").data("ok"),
            Notice::Shutdown => return None,
        };
        Some((Ok::<_, std::convert::Infallible>(event), (rx, None, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn respond(status: StatusCode, mime: &str, body: Vec<u8>) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    r
}

/// Cleans a request path: percent-decodes it and refuses anything that
/// could climb out of the site (`..`, `.`, backslashes, NUL). Returns the
/// path relative to the output root, without a leading slash.
pub fn clean_path(raw: &str) -> Result<String, StatusCode> {
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            match (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                (Some(h), Some(l)) => {
                    decoded.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => return Err(StatusCode::BAD_REQUEST),
            }
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    let decoded = String::from_utf8(decoded).map_err(|_| StatusCode::BAD_REQUEST)?;
    if decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/') {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Err(StatusCode::BAD_REQUEST),
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if decoded.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

/// Adds the live-reload script (and the error overlay) to an HTML page.
fn inject(html: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(&overlay_html(errors));
    }
    extra.push_str(&format!("<script src=\"{LIVE_JS_PATH}\"></script>"));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The overlay as markup, for pages loaded while the site is broken.
fn overlay_html(errors: &[Diagnostic]) -> String {
    let mut s = String::from(
        "<div id=\"gotong-errors\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0b;color:#fff;font:14px/1.45 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #e5484d\">",
    );
    s.push_str(&format!(
        "<strong>gotong: {} problem{} — still showing the last good build</strong>",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    ));
    for d in errors {
        s.push_str(&format!(
            "<div style=\"margin-top:.75rem\"><div style=\"color:#ffb4b4\">{}</div><div>error: {}</div>",
            escape(&d.location()),
            escape(&d.message)
        ));
        if let (Some(line), Some(src)) = (d.line, &d.source_line) {
            s.push_str(&format!(
                "<pre style=\"margin:.25rem 0 0;color:#ddd;white-space:pre-wrap\">{line} | {}</pre>",
                escape(src)
            ));
        }
        s.push_str("</div>");
    }
    s.push_str("</div>");
    s
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri, headers: axum::http::HeaderMap) -> Response {
    let base = shared.base_path.read().map(|b| b.clone()).unwrap_or_default();
    let redirect = |to: String| {
        let mut r = respond(StatusCode::FOUND, "text/plain; charset=utf-8", Vec::new());
        if let Ok(v) = HeaderValue::from_str(&to) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        r
    };
    // The site lives under its base path, as it will when published.
    let inside = if base.is_empty() {
        Some(uri.path())
    } else {
        uri.path().strip_prefix(base.as_str()).filter(|r| r.is_empty() || r.starts_with('/'))
    };
    let inside = match inside {
        Some("") => return redirect(format!("{base}/")),
        Some(p) => p,
        None if uri.path() == "/" => return redirect(format!("{base}/")),
        None => return respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", b"not found\n".to_vec()),
    };
    let path = match clean_path(inside) {
        Ok(p) => p,
        Err(code) => return respond(code, "text/plain; charset=utf-8", b"bad request path\n".to_vec()),
    };
    let output = shared.output.read().map(|o| o.clone()).unwrap_or_default();
    let errors = shared.errors.read().map(|e| e.clone()).unwrap_or_default();
    let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
    let html = |status, bytes: &[u8]| respond(status, "text/html; charset=utf-8", inject(bytes, &errors));

    if let Some(bytes) = output.pages.get(file.as_str()) {
        return html(StatusCode::OK, bytes);
    }
    if file.starts_with("admin/") {
        // The editing UI, never with the live-reload script (a reload would
        // drop what the editor is typing); its configuration points the
        // CMS at this server's local backend.
        let made = shared.session.lock().ok().and_then(|s| s.cms_file(&file));
        if let Some(bytes) = made {
            let bytes = if file == crate::cms::CONFIG {
                let host = headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .filter(|h| local_host(h, shared.port))
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("127.0.0.1:{}", shared.port));
                crate::cms::with_local_backend(&bytes, &format!("http://{host}{API_PATH}")).unwrap_or(bytes)
            } else {
                bytes
            };
            return respond(StatusCode::OK, &mime_of(&file), bytes);
        }
    }
    if output.pages.is_empty() {
        // Nothing built yet: the site was broken from the start.
        let body = b"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>gotong: errors</title></head><body><h1>The site has errors</h1><p>Fix them and this page reloads.</p></body></html>";
        return html(StatusCode::SERVICE_UNAVAILABLE, body);
    }
    if session::is_data_file(&file) {
        let cached = shared.data.lock().ok().and_then(|d| d.files.get(&file).cloned());
        let bytes = match cached {
            Some(b) => Some(b),
            None => {
                let made = shared.session.lock().ok().and_then(|s| s.data_file(&file)).map(Arc::new);
                if let (Some(b), Ok(mut d)) = (&made, shared.data.lock()) {
                    d.files.insert(file.clone(), b.clone());
                }
                made
            }
        };
        if let Some(b) = bytes {
            return respond(StatusCode::OK, &mime_of(&file), b.to_vec());
        }
    }
    if file.ends_with("/proposal.docx") {
        let cached = shared.data.lock().ok().and_then(|d| d.files.get(&file).cloned());
        let bytes = match cached {
            Some(b) => Some(b),
            None => {
                let made = shared.session.lock().ok().and_then(|s| s.docx_file(&file)).map(Arc::new);
                if let (Some(b), Ok(mut d)) = (&made, shared.data.lock()) {
                    d.files.insert(file.clone(), b.clone());
                }
                made
            }
        };
        if let Some(b) = bytes {
            return respond(StatusCode::OK, &mime_of(&file), b.to_vec());
        }
    }
    if file.starts_with("pagefind/") {
        let (cached, made) =
            shared.data.lock().map(|d| (d.files.get(&file).cloned(), d.search)).unwrap_or((None, false));
        let bytes = match cached {
            Some(b) => Some(b),
            None if made => None,
            None => {
                // The whole index is made at once, on the first request.
                // The session stays locked until it is stored, so that a
                // rebuild cannot slip in between and have a stale index kept
                // (a rebuild forgets `Made` after its session update).
                let session = shared.session.lock();
                let all = session.as_ref().map(|s| s.search_files()).unwrap_or_default();
                let mut found = None;
                if let Ok(mut d) = shared.data.lock() {
                    for (path, bytes) in all {
                        let bytes = Arc::new(bytes);
                        if path == file {
                            found = Some(bytes.clone());
                        }
                        d.files.insert(path, bytes);
                    }
                    d.search = true;
                }
                drop(session);
                found
            }
        };
        if let Some(b) = bytes {
            return respond(StatusCode::OK, &mime_of(&file), b.to_vec());
        }
    }
    if let Some(src) = output.files.get(&file) {
        let bytes = match src {
            FileSource::Static(s) => s.read().map(|c| c.into_owned()),
            FileSource::Disk(p) => read_inside(p),
        };
        return match bytes {
            Ok(b) => respond(StatusCode::OK, &mime_of(&file), b),
            Err(_) => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", b"not found\n".to_vec()),
        };
    }
    // `/usaha/x` → `/usaha/x/` when that page exists.
    if !path.is_empty() && !path.ends_with('/') && output.pages.contains_key(format!("{path}/index.html").as_str()) {
        let mut r = respond(StatusCode::MOVED_PERMANENTLY, "text/plain; charset=utf-8", Vec::new());
        if let Ok(v) = HeaderValue::from_str(&format!("{base}/{path}/")) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    match output.pages.get("404.html") {
        Some(b) => html(StatusCode::NOT_FOUND, b),
        None => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", b"not found\n".to_vec()),
    }
}

/// Whether `ip` is this machine's loopback (an IPv4 one mapped into IPv6
/// included): only such callers may write through the local backend.
pub fn loopback(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => v4.is_loopback(),
        std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(v6.is_loopback(), |v4| v4.is_loopback()),
    }
}

fn local_host(hostport: &str, port: u16) -> bool {
    ["127.0.0.1", "localhost", "[::1]"].iter().any(|h| hostport == format!("{h}:{port}"))
}

/// Reads a firm's file, refusing one that a symlink points elsewhere with.
fn read_inside(p: &Path) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::symlink_metadata(p)?;
    if meta.file_type().is_symlink() {
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "symlink"));
    }
    std::fs::read(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_paths() {
        assert_eq!(clean_path("/"), Ok(String::new()));
        assert_eq!(clean_path("/usaha/a/"), Ok("usaha/a/".into()));
        assert_eq!(clean_path("/usaha//a"), Ok("usaha/a".into()));
        assert_eq!(clean_path("/a%20b"), Ok("a b".into()));
        for bad in ["/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/a%5c..%5cb", "/a\\b", "/%00", "/%zz", "/%ff"] {
            assert_eq!(clean_path(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
        // Double-encoded dots stay a harmless literal segment.
        assert_eq!(clean_path("/%252e%252e/x"), Ok("%2e%2e/x".into()));
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", &[])).unwrap();
        assert!(out.contains("<p>x</p><script src=\"/__gotong/live.js\"></script></body>"));
        let d = Diagnostic::error("a.yaml", "<bad>").at("x: 1\n", 1, 1);
        let out = String::from_utf8(inject(b"<body></body>", &[d])).unwrap();
        assert!(out.contains("gotong-errors") && out.contains("&lt;bad&gt;") && !out.contains("<bad>"));
    }
}
