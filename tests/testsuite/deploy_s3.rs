//! `gotong deploy` against a real S3 implementation (moto's server, started
//! by each test on 127.0.0.1; see tests/testsuite/s3.rs). Ignored by plain
//! `cargo test`; `.ci/run` installs moto and runs them with `--ignored`.
//! Without moto they fail, they never pass silently.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::deploy::{counts, profile, site};
use crate::s3::{BUCKET, ENV, Moto, Proxy, Request};
use crate::support::{Run, TestSite};

const MATCHERS: &str = "  matchers:
    - {pattern: \"^pagefind/\", cache_control: \"public, max-age=31536000, immutable\"}
    - {pattern: \"\\\\.html$\", cache_control: \"public, max-age=300\", gzip: true}
    - {pattern: \"^data/.*\\\\.csv$\", content_type: \"text/csv; charset=utf-8; header=present\", cache_control: \"no-cache\"}
";

/// A site of `n` firms deploying to `s3://katalog/www` through the proxy.
fn s3_site(n: usize, proxy: &Proxy, extra: &str) -> TestSite {
    site(
        n,
        &format!(
            "  targets:\n    - name: uji\n      url: s3://{BUCKET}/www?region=us-east-1&endpoint={}\n{extra}{MATCHERS}",
            proxy.endpoint()
        ),
    )
}

fn deploy(site: &TestSite, args: &[&str]) -> Run {
    let mut all = vec!["deploy"];
    all.extend_from_slice(args);
    site.run_env(&all, ENV)
}

fn key(rel: &str) -> String {
    format!("/{BUCKET}/www/{rel}")
}

/// Paths of the requests with this method, relative to the prefix; for
/// `DELETE`, the keys of the bulk deletes.
fn paths(log: &[Request], method: &str) -> BTreeSet<String> {
    let rel = |p: &str| p.strip_prefix("www/").unwrap_or(p).to_string();
    if method == "DELETE" {
        return log.iter().flat_map(|r| r.deleted.iter().map(|k| rel(k))).collect();
    }
    log.iter()
        .filter(|r| r.method == method)
        .map(|r| rel(r.path.strip_prefix(&format!("/{BUCKET}/")).unwrap_or(&r.path)))
        .collect()
}

/// Asserts the bucket holds exactly the output (decoded), plus the manifest.
#[track_caller]
fn assert_bucket_is(moto: &Moto, output: &BTreeMap<String, Vec<u8>>) {
    let mut objects = moto.bucket().objects("www");
    assert!(objects.remove(".gotong/deploy.json.gz").is_some(), "no manifest in the bucket");
    let keys: Vec<&String> = objects.keys().collect();
    assert_eq!(keys, output.keys().collect::<Vec<_>>());
    for (p, o) in &objects {
        assert_eq!(&o.decoded(), &output[p], "{p} differs from the output");
    }
}

fn changed(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    new.iter().filter(|(p, b)| old.get(*p) != Some(b)).map(|(p, _)| p.clone()).collect()
}

fn vanished(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    old.keys().filter(|p| !new.contains_key(*p)).cloned().collect()
}

#[test]
#[ignore = "needs moto_server (pip install 'moto[server]'); .ci/run runs it"]
fn s3_uploads_only_what_changed() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port);
    let site = s3_site(5, &proxy, "");
    site.build().success();
    let first_output = site.tree("public");
    let files = first_output.len();

    // First deploy: every file, and the manifest.
    let first = deploy(&site, &[]).success();
    assert_eq!(counts(&first), (files, 0, 0), "{}", first.stderr);
    let log = proxy.writes();
    let mut expected: BTreeSet<String> = first_output.keys().cloned().collect();
    expected.insert(".gotong/deploy.json.gz".into());
    assert_eq!(paths(&log, "PUT"), expected);
    assert_eq!(log.len(), expected.len(), "one request per object: {log:?}");
    assert_bucket_is(&moto, &first_output);

    // Unchanged: not one write request reaches the server.
    let again = deploy(&site, &[]).success();
    assert_eq!(counts(&again), (0, 0, files));
    assert_eq!(proxy.writes(), []);

    // One edit: exactly the files whose bytes changed, then the manifest;
    // the old search fragments of that firm are deleted.
    site.put("content/firms/firma-1/profile.yaml", profile(1).replace("khas Cireundeu", "dari Leuwigajah").as_bytes());
    site.build().success();
    let edited = site.tree("public");
    let (up, gone) = (changed(&first_output, &edited), vanished(&first_output, &edited));
    assert!(up.contains("usaha/firma-1/index.html") && up.len() < files / 2, "{up:?}");
    let r = deploy(&site, &["--print-changed"]).success();
    assert_eq!(counts(&r), (up.len(), gone.len(), edited.len() - up.len()));
    let log = proxy.writes();
    let mut expected = up.clone();
    expected.insert(".gotong/deploy.json.gz".into());
    assert_eq!(paths(&log, "PUT"), expected);
    assert_eq!(paths(&log, "DELETE"), gone);
    assert!(r.stdout.lines().any(|l| l == "/usaha/firma-1/"), "{}", r.stdout);
    // Deletes come last of all.
    let first_delete = log.iter().position(|r| !r.deleted.is_empty()).expect("a bulk delete");
    assert!(log[first_delete..].iter().all(|r| r.method == "POST"), "{log:?}");
    assert_bucket_is(&moto, &edited);

    // A removed firm: its pages, files and fragments are deleted.
    fs::remove_dir_all(site.path("content/firms/firma-4")).unwrap();
    site.build().success();
    let removed = site.tree("public");
    let gone = vanished(&edited, &removed);
    assert!(gone.contains("usaha/firma-4/index.html"));
    let r = deploy(&site, &[]).success();
    assert_eq!(counts(&r).1, gone.len());
    assert_eq!(paths(&proxy.writes(), "DELETE"), gone);
    assert_bucket_is(&moto, &removed);
}

#[test]
#[ignore = "needs moto_server (pip install 'moto[server]'); .ci/run runs it"]
fn s3_headers_as_configured_and_assets_first() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port);
    let site = s3_site(3, &proxy, "");
    site.build().success();
    deploy(&site, &[]).success();
    let objects = moto.bucket().objects("www");
    let o = &objects["usaha/firma-0/index.html"];
    assert_eq!(o.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(o.cache_control.as_deref(), Some("public, max-age=300"));
    assert_eq!(o.content_encoding.as_deref(), Some("gzip"));
    assert!(o.bytes.len() < o.decoded().len());
    assert_eq!(o.decoded(), fs::read(site.path("public/usaha/firma-0/index.html")).unwrap());
    let fragment = objects.keys().find(|k| k.starts_with("pagefind/fragment/")).expect("a search fragment");
    assert_eq!(objects[fragment].cache_control.as_deref(), Some("public, max-age=31536000, immutable"));
    assert_eq!(objects[fragment].content_encoding, None);
    let csv = &objects["data/katalog.csv"];
    assert_eq!(csv.content_type.as_deref(), Some("text/csv; charset=utf-8; header=present"));
    assert_eq!(csv.cache_control.as_deref(), Some("no-cache"));
    // Unmatched files get the defaults: type by extension, a short cache.
    let css = &objects["style.css"];
    assert_eq!(css.content_type.as_deref(), Some("text/css; charset=utf-8"));
    assert_eq!(css.cache_control.as_deref(), Some("public, max-age=300"));
    assert_eq!(objects["data/katalog.json"].content_type.as_deref(), Some("application/json; charset=utf-8"));

    // Upload order: every asset before the first page, every page before
    // the sitemap and the feed.
    let log = proxy.take_log();
    let puts: Vec<&str> = log.iter().filter(|r| r.method == "PUT").map(|r| r.path.as_str()).collect();
    let last_asset = puts
        .iter()
        .rposition(|p| !p.ends_with(".html") && !p.ends_with(".xml") && !p.ends_with(".txt") && !p.contains(".gotong"))
        .unwrap();
    let first_page = puts.iter().position(|p| p.ends_with(".html")).unwrap();
    let last_page = puts.iter().rposition(|p| p.ends_with(".html")).unwrap();
    let sitemap = puts.iter().position(|p| *p == key("sitemap.xml")).unwrap();
    assert!(last_asset < first_page && last_page < sitemap, "{puts:#?}");
    assert_eq!(puts.last(), Some(&key(".gotong/deploy.json.gz").as_str()));

    // A header-only change re-uploads the files it touches, and only them.
    let yaml = site.read("site.yaml").replace("cache_control: \"no-cache\"", "cache_control: \"public, max-age=60\"");
    site.put("site.yaml", yaml.as_bytes());
    let r = deploy(&site, &[]).success();
    assert_eq!(
        paths(&proxy.writes(), "PUT"),
        BTreeSet::from(["data/katalog.csv".into(), ".gotong/deploy.json.gz".into()])
    );
    assert_eq!(counts(&r).0, 1);
    assert_eq!(moto.bucket().objects("www")["data/katalog.csv"].cache_control.as_deref(), Some("public, max-age=60"));
}

#[test]
#[ignore = "needs moto_server (pip install 'moto[server]'); .ci/run runs it"]
fn s3_max_deletes_guard_and_dry_run() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port);
    let site = s3_site(4, &proxy, "      max_deletes: 2\n");
    site.build().success();

    // A dry run changes nothing, even on an empty bucket.
    let dry = deploy(&site, &["--dry-run"]).success();
    assert_eq!(dry.stdout.lines().count(), site.tree("public").len());
    assert_eq!(proxy.writes(), []);
    assert!(moto.bucket().objects("www").is_empty());

    deploy(&site, &[]).success();
    let before = moto.bucket().objects("www").len();
    proxy.take_log();
    fs::remove_dir_all(site.path("content/firms/firma-2")).unwrap();
    site.build().success();
    let output = site.tree("public");
    let gone =
        moto.bucket().objects("www").keys().filter(|k| !k.starts_with(".gotong/") && !output.contains_key(*k)).count();
    assert!(gone > 2);

    let refused = deploy(&site, &[]).code(1);
    assert!(refused.stderr.contains(&format!("refusing to delete {gone} objects")), "{}", refused.stderr);
    assert_eq!(proxy.writes(), [], "a refused deploy changes nothing");
    let dry = deploy(&site, &["--dry-run", "--max-deletes", "-1"]).success();
    assert_eq!(dry.stdout.lines().filter(|l| l.starts_with("delete ")).count(), gone);
    assert_eq!(proxy.writes(), []);
    assert_eq!(moto.bucket().objects("www").len(), before);

    let done = deploy(&site, &["--max-deletes", "-1"]).success();
    assert_eq!(counts(&done).1, gone);
    assert_bucket_is(&moto, &output);
}

#[test]
#[ignore = "needs moto_server (pip install 'moto[server]'); .ci/run runs it"]
fn s3_outage_mid_upload_fails_clearly_and_a_rerun_finishes() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port);
    let site = s3_site(12, &proxy, "");
    site.build().success();
    let output = site.tree("public");
    let total = output.len();
    assert!(total > 60, "{total}");

    // The connection drops halfway through the 30th upload and the server
    // stays unreachable: the retries give up and the deploy fails.
    proxy.cut_at_put(30);
    let started = Instant::now();
    let failed = deploy(&site, &["--workers", "1"]).code(1);
    assert!(started.elapsed() > Duration::from_millis(500), "no retry with backoff");
    assert!(failed.stderr.contains("error: uploading "), "{}", failed.stderr);
    assert!(failed.stderr.contains("Run the same command again to finish"), "{}", failed.stderr);
    assert!(failed.stderr.contains("retries"), "the error says it retried: {}", failed.stderr);
    assert!(failed.stderr.contains("29 uploaded"), "{}", failed.stderr);

    // 29 whole objects and nothing half-written; no manifest (the server was gone).
    let objects = moto.bucket().objects("www");
    assert_eq!(objects.len(), 29, "{:?}", objects.keys());
    for (p, o) in &objects {
        assert_eq!(o.decoded(), output[p], "{p} was half-written");
    }

    // The server is back: the rerun uploads only what is missing (the 29
    // are recognised by their bytes and checked for their headers).
    proxy.restore();
    proxy.take_log();
    let rerun = deploy(&site, &[]).success();
    assert_eq!(counts(&rerun), (total - 29, 0, 29));
    let log = proxy.writes();
    assert!(paths(&log, "PUT").iter().all(|p| !objects.contains_key(p)));
    assert_bucket_is(&moto, &output);
    let last = deploy(&site, &[]).success();
    assert_eq!(counts(&last), (0, 0, total));
}

#[test]
#[ignore = "needs moto_server (pip install 'moto[server]'); .ci/run runs it"]
fn s3_server_killed_mid_deploy_then_restarted() {
    let mut moto = Moto::start();
    let proxy = Proxy::start(moto.port);
    let site = s3_site(12, &proxy, "");
    site.build().success();
    let output = site.tree("public");
    proxy.slow_puts(25);

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gotong"));
    cmd.args(["deploy", "--workers", "2", "--root"]).arg(site.root()).envs(ENV.iter().copied());
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("run gotong");
    let deadline = Instant::now() + Duration::from_secs(60);
    while proxy.puts() < 10 {
        assert!(Instant::now() < deadline, "the deploy did not start uploading");
        std::thread::sleep(Duration::from_millis(5));
    }
    moto.kill();
    let out = child.wait_with_output().expect("wait for gotong");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: uploading ") && stderr.contains("Run the same command again"), "{stderr}");

    // moto keeps its objects in memory: restarted, the bucket is empty, and
    // the rerun must upload everything and complete.
    moto.restart();
    proxy.slow_puts(0);
    let rerun = deploy(&site, &[]).success();
    assert_eq!(counts(&rerun), (output.len(), 0, 0));
    assert_bucket_is(&moto, &output);
}

#[test]
#[ignore = "needs moto_server (pip install 'moto[server]'); .ci/run runs it"]
fn s3_credentials_from_the_environment_or_a_profile_never_printed() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port);
    let site = s3_site(1, &proxy, "");
    site.build().success();
    // From the environment.
    deploy(&site, &[]).success();
    let log = proxy.take_log();
    assert!(!log.is_empty() && log.iter().all(|r| r.key_id.as_deref() == Some("testing")), "{log:?}");

    // From a profile of the shared credentials file, when the environment has no key.
    let secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY";
    site.put(
        "aws/credentials",
        format!("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = x\n\n[katalog]\naws_access_key_id = AKIDKATALOG\naws_secret_access_key = {secret}\n").as_bytes(),
    );
    let file = site.path("aws/credentials").display().to_string();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gotong"));
    cmd.args(["deploy", "--force", "--root"]).arg(site.root());
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("AWS_")) {
        cmd.env_remove(k);
    }
    cmd.envs([
        ("AWS_SHARED_CREDENTIALS_FILE", file.as_str()),
        ("AWS_PROFILE", "katalog"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_METADATA_ENDPOINT", "http://127.0.0.1:9"),
    ]);
    let out = cmd.output().expect("run gotong");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let log = proxy.take_log();
    assert!(!log.is_empty() && log.iter().all(|r| r.key_id.as_deref() == Some("AKIDKATALOG")), "{log:?}");
    assert!(!stderr.contains(secret) && !stdout.contains(secret));
}
