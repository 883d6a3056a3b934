//! `gotong serve` end to end: a real server on a free port, edits on disk,
//! reload events over SSE, the error overlay, recovery, traversal attempts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::{PRODUCT, PROFILE, TestSite};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(site: &TestSite, port: u16) -> Server {
    let (server, line) = start_with(site, port, &[]);
    assert!(line.starts_with(&format!("serving http://127.0.0.1:{port}/")), "{line}");
    server
}

/// `gotong serve` with `extra` arguments; the server and its first line.
fn start_with(site: &TestSite, port: u16, extra: &[&str]) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .arg("serve")
        .args(extra)
        .args(["--port", &port.to_string(), "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gotong serve");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    (Server { child, port }, line)
}

/// A GET over a plain socket: status and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

/// Subscribes to the event stream; yields event names.
fn events(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET /__gotong/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(name) = line.strip_prefix("event: ")
                && tx.send(name.to_string()).is_err()
            {
                break;
            }
        }
    });
    // Let the subscription reach the server before anything is edited.
    std::thread::sleep(Duration::from_millis(300));
    rx
}

#[track_caller]
fn expect_event(rx: &mpsc::Receiver<String>, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(n) if n == name => return,
            Ok(_) => continue,
            Err(_) => panic!("no `{name}` event within 15 s"),
        }
    }
}

fn site() -> TestSite {
    TestSite::new()
        .firm("rasa", PROFILE)
        .product("rasa", "rasi", PRODUCT)
        .firm("lain", &PROFILE.replace("CV Rasa Cireundeu", "Usaha Lain"))
}

#[test]
fn edits_reload_errors_overlay_and_recover() {
    let site = site();
    let server = start(&site, free_port());
    let port = server.port;
    let (status, body) = get(port, "/usaha/rasa/");
    assert_eq!(status, 200);
    assert!(body.contains("CV Rasa Cireundeu"));
    assert!(body.contains("/__gotong/live.js"), "live-reload script injected");
    let rx = events(port);

    // An edit: a reload event, and the page shows it.
    site.put("content/firms/rasa/profile.yaml", PROFILE.replace("CV Rasa Cireundeu", "CV Rasa Baru").as_bytes());
    expect_event(&rx, "reload");
    let (_, body) = get(port, "/usaha/rasa/");
    assert!(body.contains("CV Rasa Baru"), "page not updated");

    // Broken YAML: the old page stays, with the overlay naming the problem.
    site.put("content/firms/rasa/profile.yaml", b"name: [CV Rusak\nsector: tekstil\n");
    expect_event(&rx, "errors");
    let (status, body) = get(port, "/usaha/rasa/");
    assert_eq!(status, 200);
    assert!(body.contains("CV Rasa Baru"), "last good content kept");
    assert!(body.contains("gotong-errors") && body.contains("content/firms/rasa/profile.yaml:"), "overlay");

    // Fixed: recovery, no overlay.
    site.put("content/firms/rasa/profile.yaml", PROFILE.as_bytes());
    expect_event(&rx, "reload");
    let (_, body) = get(port, "/usaha/rasa/");
    assert!(body.contains("CV Rasa Cireundeu") && !body.contains("gotong-errors"));

    // A firm folder removed, then pasted back.
    let lain = site.read("content/firms/lain/profile.yaml");
    std::fs::remove_dir_all(site.path("content/firms/lain")).unwrap();
    expect_event(&rx, "reload");
    assert_eq!(get(port, "/usaha/lain/").0, 404);
    site.put("content/firms/lain/profile.yaml", lain.as_bytes());
    expect_event(&rx, "reload");
    assert_eq!(get(port, "/usaha/lain/").0, 200);
    drop(server);
}

/// Renames keep the job list (jobs are indices) but move pages: the
/// preview serves the new paths, reports no false broken link, and goes on
/// taking edits. A static file or a `templates/` folder made while serving
/// is served and followed.
#[test]
fn renames_and_folders_made_while_serving_are_followed() {
    let site = site().write("content/firms/rasa/index.md", "Lihat [rasi](produk/rasi/).\n");
    let server = start(&site, free_port());
    let port = server.port;
    let rx = events(port);

    // A product renamed (the link to it in the description is fixed in
    // the same move, as an editor would).
    std::fs::rename(
        site.path("content/firms/rasa/products/rasi.md"),
        site.path("content/firms/rasa/products/rasi-baru.md"),
    )
    .unwrap();
    site.put("content/firms/rasa/index.md", b"Lihat [rasi](produk/rasi-baru/).\n");
    expect_event(&rx, "reload");
    assert_eq!(get(port, "/usaha/rasa/produk/rasi-baru/").0, 200);
    assert_eq!(get(port, "/usaha/rasa/produk/rasi/").0, 404);
    assert!(!get(port, "/usaha/rasa/").1.contains("gotong-errors"), "no false broken link");
    // A firm folder renamed.
    std::fs::rename(site.path("content/firms/lain"), site.path("content/firms/lain-baru")).unwrap();
    expect_event(&rx, "reload");
    assert_eq!(get(port, "/usaha/lain-baru/").0, 200);
    assert_eq!(get(port, "/usaha/lain/").0, 404);
    // Later edits still show.
    site.put("content/firms/rasa/profile.yaml", PROFILE.replace("CV Rasa Cireundeu", "CV Rasa Baru").as_bytes());
    expect_event(&rx, "reload");
    assert!(get(port, "/usaha/rasa/").1.contains("CV Rasa Baru"));

    // A static file added.
    site.put("static/halo.txt", b"halo\n");
    let deadline = Instant::now() + Duration::from_secs(15);
    while get(port, "/halo.txt").0 != 200 {
        assert!(Instant::now() < deadline, "a new static file is never served");
        std::thread::sleep(Duration::from_millis(100));
    }
    // A first `templates/` folder, then a second edit of it.
    let firm =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/cimahi/templates/firm.html")).unwrap();
    let marked = |m: &str| firm.replacen("{% block content %}", &format!("{{% block content %}}<!-- {m} -->"), 1);
    site.put("templates/firm.html", marked("satu").as_bytes());
    expect_event(&rx, "reload");
    assert!(get(port, "/usaha/rasa/").1.contains("<!-- satu -->"));
    site.put("templates/firm.html", marked("dua").as_bytes());
    expect_event(&rx, "reload");
    assert!(get(port, "/usaha/rasa/").1.contains("<!-- dua -->"), "a later edit of a new templates/ folder");
    drop(server);
}

#[test]
fn template_errors_keep_serving_and_build_output_has_no_script() {
    let site =
        site().write("templates/firm.html", "<!doctype html><title>x</title><body><p>V1 {{ firm.name }}</p></body>\n");
    let server = start(&site, free_port());
    let rx = events(server.port);
    site.put("templates/firm.html", b"<body>{{ firm.name | nope }}</body>\n");
    expect_event(&rx, "errors");
    let (_, body) = get(server.port, "/usaha/rasa/");
    assert!(body.contains("V1 CV Rasa Cireundeu") && body.contains("templates/firm.html"), "{body}");
    site.put("templates/firm.html", b"<!doctype html><title>x</title><body><p>V2 {{ firm.name }}</p></body>\n");
    expect_event(&rx, "reload");
    assert!(get(server.port, "/usaha/rasa/").1.contains("V2 CV Rasa Cireundeu"));
    drop(server);
    site.build().success();
    assert!(
        !site.read("public/usaha/rasa/index.html").contains("__gotong"),
        "build output must not hold the live-reload script"
    );
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = site();
    let server = start(&site, free_port());
    let port = server.port;
    for path in [
        "/../site.yaml",
        "/usaha/../../site.yaml",
        "/%2e%2e/site.yaml",
        "/usaha/%2E%2E/%2E%2E/site.yaml",
        "/usaha/..%2f..%2fsite.yaml",
        "/a%5c..%5csite.yaml",
        "/%00",
    ] {
        let (status, body) = get(port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("base_url"), "{path} leaked site.yaml");
    }
    assert_eq!(get(port, "/site.yaml").0, 404);
    assert_eq!(get(port, "/content/firms/rasa/profile.yaml").0, 404);
    assert_eq!(get(port, "/usaha/rasa").0, 301);
    assert_eq!(get(port, "/data/katalog.json").0, 200);
    assert_eq!(get(port, "/sitemap.xml").0, 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site().root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("port {port} is already in use")), "{err}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = site();
    let mut server = start(&site, free_port());
    let _rx = events(server.port);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "server did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn undoing_a_mistake_exactly_clears_the_overlay() {
    let site = site();
    let server = start(&site, free_port());
    let rx = events(server.port);
    site.put("content/firms/rasa/profile.yaml", PROFILE.replace("scale: kecil", "scale: besarr").as_bytes());
    expect_event(&rx, "errors");
    assert!(get(server.port, "/usaha/rasa/").1.contains("gotong-errors"));
    // The very same bytes as before: no page changes, but the overlay goes.
    site.put("content/firms/rasa/profile.yaml", PROFILE.as_bytes());
    expect_event(&rx, "ok");
    assert!(!get(server.port, "/usaha/rasa/").1.contains("gotong-errors"));
}

#[test]
fn the_search_index_is_served() {
    let site = site();
    let server = start(&site, free_port());
    let (status, body) = get(server.port, "/pagefind/pagefind-entry.json");
    assert_eq!(status, 200);
    assert!(body.contains("\"languages\""), "{body}");
    assert_eq!(get(server.port, "/pagefind/pagefind.js").0, 200);
    // Once the index is made, a path it does not have is simply missing.
    assert_eq!(get(server.port, "/pagefind/no-such-file.pf_meta").0, 404);
    assert_eq!(get(server.port, "/pagefind/pagefind.js").0, 200);
}

/// `serve` and `build` on one site at once, from an empty cache, with the
/// images edited in between: no run fails, the preview keeps serving, and
/// the cache holds only whole, decodable copies.
#[test]
fn serve_and_build_share_the_cache_safely() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    crate::generate::catalogue(root, 24, 5);
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gotong serve");
    let build = |out: &str| {
        Command::new(env!("CARGO_BIN_EXE_gotong"))
            .args(["build", "--output"])
            .arg(root.join(out))
            .arg("--root")
            .arg(root)
            .output()
            .expect("run gotong build")
    };
    // Builds race the server's first build (both fill the empty cache).
    let outputs: Vec<std::process::Output> =
        std::thread::scope(|s| ["o1", "o2"].map(|o| s.spawn(move || build(o))).map(|h| h.join().unwrap()).into());
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let server = Server { child, port };
    for o in &outputs {
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    }
    for round in 0..3u32 {
        // New image bytes in several firms: new cache entries for everyone.
        let img = image::RgbImage::from_fn(300 + round, 200, |x, y| image::Rgb([x as u8, y as u8, round as u8 * 60]));
        let mut png = std::io::Cursor::new(Vec::new());
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        for firm in ["rasa-0", "sandang-1", "karya-2"] {
            std::fs::write(root.join(format!("content/firms/{firm}/logo.png")), png.get_ref()).unwrap();
        }
        let runs: Vec<std::process::Output> =
            std::thread::scope(|s| ["o1", "o2"].map(|o| s.spawn(move || build(o))).map(|h| h.join().unwrap()).into());
        for o in &runs {
            assert_eq!(o.status.code(), Some(0), "round {round}: {}", String::from_utf8_lossy(&o.stderr));
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (status, body) = get(server.port, "/katalog/usaha/rasa-0/");
            if status == 200 && body.contains(&format!("{}", 300 + round)) {
                break;
            }
            assert!(Instant::now() < deadline, "round {round}: the preview did not show the new logo ({status})");
            std::thread::sleep(Duration::from_millis(100));
        }
        let (status, _) = get(server.port, &format!("/katalog/usaha/rasa-0/logo.{}w.webp", 300 + round));
        assert_eq!(status, 200, "round {round}: the preview serves the new copy");
    }
    drop(server);
    // One build alone prunes; the cache then holds whole copies only.
    assert_eq!(build("o1").status.code(), Some(0));
    let cache = root.join(".gotong-cache/images");
    for e in std::fs::read_dir(&cache).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "a temporary file was left: {name}");
        if let Some(copy) = name.strip_suffix(".sum") {
            assert!(cache.join(copy).is_file(), "{name} without its copy");
            continue;
        }
        assert!(image::open(&p).is_ok(), "{name} does not decode");
        assert!(cache.join(format!("{name}.sum")).is_file(), "{name} without its sum");
    }
}

/// Editing an event file reschedules: its pages change, its calendar and
/// timetable are served, and pages the event does not touch are not
/// rendered again (counted from GOTONG_TIMINGS' `render (N)` lines).
#[test]
fn editing_an_event_rerenders_its_pages_only() {
    let event = "name: Temu Uji\ndate: 2099-03-10\nvenue: Aula Lama\nsessions: [{start: \"09:00\", end: \"10:00\"}]\nmeeting_minutes: 20\ntables: 2\n";
    let mut site =
        site().firm("bank", "name: Bank Uji\nkind: bank\ndistrict: Cimahi Tengah\nsummary: Kredit\nneeds: [rasi]\n");
    for i in 0..6 {
        site = site.firm(&format!("toko-{i}"), &PROFILE.replace("CV Rasa Cireundeu", &format!("Toko {i}")));
    }
    let site = site.write("content/events/temu.yaml", event);
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .env("GOTONG_TIMINGS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gotong serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with(&format!("serving http://127.0.0.1:{port}/")), "{line}");
    let (tx, renders) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for l in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(n) = l.trim().strip_prefix("render (").and_then(|r| r.split(')').next()) {
                let _ = tx.send(n.parse::<usize>().unwrap_or(usize::MAX));
            }
        }
    });
    let server = Server { child, port };
    let first = renders.recv_timeout(Duration::from_secs(30)).expect("the first render");

    let (status, body) = get(port, "/temu/temu/bank/");
    assert_eq!(status, 200);
    assert!(body.contains("Aula Lama"));
    let (status, ics) = get(port, "/temu/temu/bank.ics");
    assert_eq!(status, 200);
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("LOCATION:Aula Lama"), "{ics}");
    let (status, csv) = get(port, "/temu/temu/jadwal.csv");
    assert_eq!(status, 200);
    assert!(csv.starts_with("slot,start,end,table,firm_a,firm_b"), "{csv}");
    assert_eq!(get(port, "/temu/temu/tidak-ada.ics").0, 404);

    let rx = events(port);
    site.put("content/events/temu.yaml", event.replace("Aula Lama", "Aula Baru").as_bytes());
    expect_event(&rx, "reload");
    let again = renders.recv_timeout(Duration::from_secs(30)).expect("a render after the edit");
    let (_, body) = get(port, "/temu/temu/bank/");
    assert!(body.contains("Aula Baru") && !body.contains("Aula Lama"), "the agenda shows the new venue");
    let (_, ics) = get(port, "/temu/temu/bank.ics");
    assert!(ics.contains("LOCATION:Aula Baru"), "the calendar is made again");
    // The event's pages and the participants' pages that list the event
    // are rendered again; listings, products and free pages are not.
    assert!(again < first, "an event edit rendered {again} of {first} pages");
    let (_, product) = get(port, "/usaha/rasa/produk/rasi/");
    assert!(product.contains("Rasi"));
    drop(server);
}

#[test]
fn proposals_and_profiles_follow_edits_of_either_firm() {
    let tani = "name: Tani Makmur\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Selatan\nsubdistrict: Leuwigajah\nsummary: Singkong\noffers: [singkong]\n";
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .product("rasa", "rasi", "---\nname: Rasi\ncategory: makanan-pokok\nmaterials: [singkong]\n---\n")
        .firm("tani", tani);
    let server = start(&site, free_port());
    let port = server.port;
    let (status, body) = get(port, "/usaha/rasa/proposal/");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"tani\"") && body.contains("Tani Makmur"), "a draft to tani");
    assert!(body.contains("/usaha/rasa/proposal.docx"), "links the Word file");
    let (status, docx) = get(port, "/usaha/rasa/proposal.docx");
    assert_eq!(status, 200, "the Word file is served");
    assert!(docx.starts_with("PK"), "a zip file");
    assert_eq!(get(port, "/usaha/rasa/profil/").0, 200);
    let rx = events(port);

    // An edit of the partner reaches the sender's draft.
    site.put("content/firms/tani/profile.yaml", tani.replace("Tani Makmur", "Tani Sejahtera").as_bytes());
    expect_event(&rx, "reload");
    let (_, body) = get(port, "/usaha/rasa/proposal/");
    assert!(body.contains("Tani Sejahtera"), "draft not updated after the partner's edit");
    // And an edit of the sender its profile and drafts.
    site.put("content/firms/rasa/profile.yaml", PROFILE.replace("CV Rasa Cireundeu", "CV Rasa Baru").as_bytes());
    expect_event(&rx, "reload");
    assert!(get(port, "/usaha/rasa/profil/").1.contains("CV Rasa Baru"));
    assert!(get(port, "/usaha/tani/proposal/").1.contains("CV Rasa Baru"), "the partner's draft names the new name");
    drop(server);
}

/// This machine's address on its default route (not a loopback one), if
/// it has one: what another machine on the network would connect to.
fn outward_address() -> Option<std::net::IpAddr> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // Connecting a UDP socket sends nothing; it only picks the route.
    s.connect("10.255.255.255:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// A POST to the CMS's local backend with the Host a page of the server
/// sends, from `from`: the status.
fn api_status(from: std::net::IpAddr, port: u16) -> u16 {
    let mut s = TcpStream::connect((from, port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = r#"{"action":"entriesByFolder","params":{"folder":"content/firms","extension":"yaml","depth":1}}"#;
    write!(
        s,
        "POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    String::from_utf8_lossy(&raw).split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// Served on every address (`--bind 0.0.0.0`), the editing backend still
/// answers only this machine: a caller elsewhere on the network who sends
/// the Host and Origin of a local page is refused (headers are what the
/// caller says, the address is where it is).
#[test]
fn the_local_backend_answers_only_this_machine() {
    let Some(outward) = outward_address() else {
        eprintln!("skipped: this machine has no address besides loopback");
        return;
    };
    let site = site().write(
        "site.yaml",
        "title: Uji\nbase_url: https://uji.example\ncms:\n  backend: github\n  repo: dinas/katalog\n  branch: main\n",
    );
    let (server, line) = start_with(&site, free_port(), &["--bind", "0.0.0.0"]);
    assert!(line.starts_with("serving "), "{line}");
    assert_eq!(api_status("127.0.0.1".parse().unwrap(), server.port), 200, "from this machine");
    assert_eq!(api_status(outward, server.port), 403, "from {outward}");
}
