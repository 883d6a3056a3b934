//! `gotong deploy` to a `file://` mirror folder: needs nothing installed.
//! The same engine deploys to S3; tests/testsuite/deploy_s3.rs runs it
//! against a real S3 implementation.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

use crate::support::{PROFILE, Run, TestSite};

/// A profile for firm number `i` (kecil food makers in Leuwigajah).
pub fn profile(i: usize) -> String {
    PROFILE.replace("CV Rasa Cireundeu", &format!("CV Firma Nomor {i}"))
}

/// A site of `n` firms with one product each, and `deploy:` as given
/// (the text after `deploy:`, indented by two spaces).
pub fn site(n: usize, deploy: &str) -> TestSite {
    let mut site = TestSite::new()
        .write("site.yaml", &format!("title: Katalog Uji\nbase_url: https://uji.example\ndeploy:\n{deploy}"));
    for i in 0..n {
        site = site.firm(&format!("firma-{i}"), &profile(i)).product(
            &format!("firma-{i}"),
            "rasi",
            crate::support::PRODUCT,
        );
    }
    site
}

fn mirror_site(n: usize, mirror: &Path, extra: &str) -> TestSite {
    site(n, &format!("  targets:\n    - name: cermin\n      url: file://{}\n{extra}", mirror.display()))
}

/// Every file under `dir` except the deploy manifest, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if !rel.starts_with(".gotong/") {
                out.insert(rel, fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// Inode and modification time of every file: what a write would change.
fn stamps(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            let m = e.metadata().unwrap();
            out.insert(e.path().to_string_lossy().into_owned(), (m.ino(), m.mtime(), m.mtime_nsec()));
        }
    }
    out
}

/// The counts in the summary line: (uploaded, deleted, unchanged).
pub fn counts(run: &Run) -> (usize, usize, usize) {
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("deploy to "))
        .unwrap_or_else(|| panic!("no summary line in stderr:\n{}", run.stderr));
    let num = |word: &str| -> usize {
        let before = line.split(&format!(" {word}")).next().unwrap_or_default();
        before
            .rsplit([' ', ':'])
            .next()
            .unwrap_or_default()
            .parse()
            .unwrap_or_else(|_| panic!("no `{word}` count in {line}"))
    };
    (num("uploaded"), num("deleted"), num("unchanged"))
}

#[test]
fn mirror_first_unchanged_edit_and_removed_firm() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("cermin");
    let site = mirror_site(4, &mirror, "");
    site.build().success();
    let files = site.tree("public").len();

    let first = site.run(&["deploy"]).success();
    assert_eq!(counts(&first), (files, 0, 0), "{}", first.stderr);
    assert_eq!(tree(&mirror), site.tree("public"));
    assert!(mirror.join(".gotong/deploy.json.gz").is_file());

    // Unchanged: nothing is written (not even the manifest).
    let before = stamps(&mirror);
    let again = site.run(&["deploy"]).success();
    assert_eq!(counts(&again), (0, 0, files));
    assert_eq!(stamps(&mirror), before);

    // One edit: exactly the files whose bytes changed are written.
    let old = site.tree("public");
    site.put("content/firms/firma-2/profile.yaml", profile(2).replace("khas Cireundeu", "khas Leuwigajah").as_bytes());
    site.build().success();
    let new = site.tree("public");
    let changed: Vec<&String> = new.iter().filter(|(p, b)| old.get(*p) != Some(b)).map(|(p, _)| p).collect();
    assert!(!changed.is_empty() && changed.len() < files / 2, "{changed:?}");
    let before = stamps(&mirror);
    let edit = site.run(&["deploy", "--print-changed"]).success();
    // Pagefind fragments are named after their content: the edited firm's
    // old fragments leave the site.
    let vanished: Vec<&String> = old.keys().filter(|p| !new.contains_key(*p)).collect();
    assert!(vanished.iter().all(|p| p.starts_with("pagefind/")), "{vanished:?}");
    assert_eq!(counts(&edit), (changed.len(), vanished.len(), new.len() - changed.len()));
    let after = stamps(&mirror);
    let rewritten: Vec<String> = after
        .iter()
        .filter(|(p, s)| before.get(*p) != Some(s) && !p.contains("/.gotong/"))
        .map(|(p, _)| p.strip_prefix(&format!("{}/", mirror.display())).unwrap().to_string())
        .collect();
    assert_eq!(rewritten.iter().collect::<Vec<_>>(), changed);
    assert_eq!(tree(&mirror), new);
    // The invalidation list: every changed file, and the folder of each index.html.
    let printed: Vec<&str> = edit.stdout.lines().collect();
    assert!(printed.contains(&"/usaha/firma-2/") && printed.contains(&"/usaha/firma-2/index.html"), "{printed:?}");
    assert_eq!(printed.iter().filter(|p| !p.ends_with('/')).count(), changed.len() + vanished.len());

    // A removed firm: its files are deleted, with the folders they leave empty.
    fs::remove_dir_all(site.path("content/firms/firma-3")).unwrap();
    site.build().success();
    let now = site.tree("public");
    let gone = new.keys().filter(|p| !now.contains_key(*p)).count();
    assert!(gone >= 2);
    let removed = site.run(&["deploy"]).success();
    assert_eq!(counts(&removed).1, gone);
    assert_eq!(tree(&mirror), now);
    assert!(!mirror.join("usaha/firma-3").exists());
}

/// A mirror holding a link to a folder elsewhere (a server admin's
/// `unduhan -> /srv/shared`) is refused before anything changes, the dry
/// run too: the local store lists through links, and deleting what it
/// lists would delete files outside the mirror.
#[test]
fn a_mirror_holding_a_link_is_refused_and_nothing_outside_it_is_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("cermin");
    let site = mirror_site(2, &mirror, "");
    site.build().success();
    site.run(&["deploy"]).success();
    let shared = tmp.path().join("bersama");
    std::fs::create_dir(&shared).unwrap();
    std::fs::write(shared.join("laporan.pdf"), "bukan bagian situs").unwrap();
    std::os::unix::fs::symlink(&shared, mirror.join("unduhan")).unwrap();
    let before = tree(&mirror);
    for args in [&["deploy", "--dry-run"][..], &["deploy"][..]] {
        let run = site.run(args).code(1);
        assert!(run.stderr.contains("symbolic link, unduhan"), "{}", run.stderr);
    }
    assert_eq!(std::fs::read_to_string(shared.join("laporan.pdf")).unwrap(), "bukan bagian situs");
    std::fs::remove_file(mirror.join("unduhan")).unwrap();
    assert_eq!(tree(&mirror), before.into_iter().filter(|(k, _)| !k.starts_with("unduhan")).collect());
}

#[test]
fn max_deletes_guard_and_dry_run() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("cermin");
    let site = mirror_site(4, &mirror, "      max_deletes: 3\n");
    site.build().success();

    // A dry run of a first deploy creates nothing.
    let dry = site.run(&["deploy", "--dry-run"]).success();
    assert!(!mirror.exists());
    assert!(dry.stdout.lines().all(|l| l.starts_with("upload ") && l.ends_with(" (new)")), "{}", dry.stdout);
    assert_eq!(dry.stdout.lines().count(), site.tree("public").len());
    // Assets before the pages that use them, sitemaps and feeds last.
    let order: Vec<&str> = dry.stdout.lines().collect();
    let pos = |p: &str| order.iter().position(|l| *l == format!("upload {p} (new)")).unwrap();
    assert!(pos("style.css") < pos("index.html") && pos("index.html") < pos("sitemap.xml"));
    assert!(pos("usaha/firma-0/index.html") < pos("feed.xml"));

    site.run(&["deploy"]).success();
    fs::remove_dir_all(site.path("content/firms/firma-1")).unwrap();
    fs::remove_dir_all(site.path("content/firms/firma-2")).unwrap();
    site.build().success();
    let expected = site.tree("public");
    let before = tree(&mirror);
    let gone = before.keys().filter(|p| !expected.contains_key(*p)).count();
    assert!(gone > 3);

    // More deletes than max_deletes: refused before anything changes.
    let refused = site.run(&["deploy"]).code(1);
    assert!(
        refused.stderr.contains(&format!("refusing to delete {gone} objects from `cermin` (more than max_deletes, 3)")),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains(&format!("--max-deletes {gone}")));
    assert_eq!(tree(&mirror), before);
    let refused = site.run(&["deploy", "--max-deletes", "2"]).code(1);
    assert!(refused.stderr.contains("more than max_deletes, 2"));

    // A dry run lists the deletes and changes nothing.
    let dry = site.run(&["deploy", "--dry-run", "--max-deletes", "-1"]).success();
    assert_eq!(dry.stdout.lines().filter(|l| l.starts_with("delete ")).count(), gone);
    assert!(dry.stderr.contains("nothing was changed"));
    assert_eq!(tree(&mirror), before);

    let done = site.run(&["deploy", "--max-deletes", &gone.to_string()]).success();
    assert_eq!(counts(&done).1, gone);
    assert_eq!(tree(&mirror), expected);
}

#[test]
fn failed_deploy_leaves_whole_files_and_a_rerun_finishes() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("cermin");
    let site = mirror_site(6, &mirror, "");
    site.build().success();
    let total = site.tree("public").len();
    // A folder where a page must go: that upload fails (as a full disk or
    // a permission problem would), after the assets are in.
    fs::create_dir_all(mirror.join("usaha/firma-3/index.html/blocker")).unwrap();
    let failed = site.run(&["deploy", "--workers", "2"]).code(1);
    assert!(failed.stderr.contains("uploading usaha/firma-3/index.html"), "{}", failed.stderr);
    assert!(failed.stderr.contains("Run the same command again to finish"));
    assert!(failed.stderr.contains("stopped while uploading the pages"));
    let (done, deleted, _) = counts(&failed);
    assert!(done > 0 && done < total && deleted == 0, "{}", failed.stderr);
    // Every file on the target is whole: no temporary or partial file.
    let output = site.tree("public");
    let partial = tree(&mirror);
    assert_eq!(partial.len(), done);
    for (p, bytes) in &partial {
        assert_eq!(output.get(p), Some(bytes), "{p} differs from the output");
    }
    // The sitemap (last phase) was not reached.
    assert!(!partial.contains_key("sitemap.xml"));

    fs::remove_dir_all(mirror.join("usaha/firma-3/index.html")).unwrap();
    let rerun = site.run(&["deploy"]).success();
    assert_eq!(counts(&rerun), (total - done, 0, done));
    assert_eq!(tree(&mirror), output);
}

#[test]
fn stale_or_hostile_manifest_and_foreign_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("cermin");
    let site = mirror_site(3, &mirror, "");
    site.build().success();
    let files = site.tree("public").len();
    site.run(&["deploy"]).success();

    // Someone else changed a file and added one: the deploy repairs the one
    // and deletes the other, whatever the manifest says.
    fs::write(mirror.join("style.css"), "body{}").unwrap();
    fs::write(mirror.join("usaha/asing.html"), "x").unwrap();
    let repaired = site.run(&["deploy"]).success();
    assert_eq!(counts(&repaired), (1, 1, files - 1));
    assert_eq!(tree(&mirror), site.tree("public"));

    // A manifest that is garbage is ignored: the bytes decide, nothing is
    // uploaded, and a good manifest replaces it.
    fs::write(mirror.join(".gotong/deploy.json.gz"), "{\"version\":1,\"files\":{\"style.css\":").unwrap();
    let r = site.run(&["deploy"]).success();
    assert_eq!(counts(&r), (0, 0, files));
    let again = site.run(&["deploy"]).success();
    assert_eq!(counts(&again), (0, 0, files));

    // --force uploads everything.
    let forced = site.run(&["deploy", "--force"]).success();
    assert_eq!(counts(&forced), (files, 0, 0));
    // Top-level dot names on the target are left alone.
    fs::create_dir_all(mirror.join(".well-known")).unwrap();
    fs::write(mirror.join(".well-known/security.txt"), "Contact: x").unwrap();
    site.run(&["deploy"]).success();
    assert!(mirror.join(".well-known/security.txt").exists());
}

#[test]
fn usage_and_config_errors() {
    let site = site(1, "  targets:\n    - {name: cermin, url: 'file:///tmp/gotong-never-used'}\n");
    // Not built yet.
    let r = site.run(&["deploy"]).code(1);
    assert!(r.stderr.contains("run `gotong build` first"), "{}", r.stderr);
    site.build().success();
    let r = site.run(&["deploy", "--target", "produksi"]).code(2);
    assert!(r.stderr.contains("no deploy target named `produksi` in site.yaml (targets: cermin)"), "{}", r.stderr);
    assert_eq!(site.run(&["deploy", "--max-deletes", "-2"]).status, Some(2));
    assert_eq!(site.run(&["deploy", "--workers", "0"]).status, Some(2));

    let bare = TestSite::new().firm("rasa", PROFILE);
    bare.build().success();
    let r = bare.run(&["deploy"]).code(2);
    assert!(r.stderr.contains("site.yaml has no deploy targets"), "{}", r.stderr);

    // A mirror that would overwrite the site or its output is refused.
    for (url, why) in [
        ("file://{root}", "holds the site itself"),
        ("file://{root}/content/x", "inside content/"),
        ("file://{root}/public", "overlaps the output folder"),
    ] {
        let s = self::site(1, &format!("  targets:\n    - {{name: c, url: '{url}'}}\n"));
        let text = s.read("site.yaml").replace("{root}", &s.root().display().to_string());
        s.put("site.yaml", text.as_bytes());
        s.build().success();
        let r = s.run(&["deploy"]).code(1);
        assert!(r.stderr.contains(why), "{url}: {}", r.stderr);
    }
}

#[test]
fn credentials_in_site_yaml_are_refused_and_never_printed() {
    let site = site(
        1,
        "  targets:\n    - name: produksi\n      url: s3://katalog/www?region=ap-southeast-3\n      aws_secret_access_key: wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY\n",
    );
    let text = site.read("site.yaml") + "aws_access_key_id: AKIAIOSFODNN7EXAMPLE\n";
    site.put("site.yaml", text.as_bytes());
    for cmd in [&["deploy"][..], &["build"]] {
        let r = site.run(cmd).code(1);
        r.error_at(
            "site.yaml:7:7",
            "`aws_secret_access_key` looks like a credential: credentials never go in site.yaml",
        );
        r.error_at("site.yaml:8:1", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assert!(!r.stderr.contains("EXAMPLEKEY") && !r.stderr.contains("AKIAIOSFODNN7EXAMPLE"), "{}", r.stderr);
    }
    let site = self::site(1, "  targets:\n    - {name: p, url: 's3://AKIAIOSFODNN7EXAMPLE:hunter2@katalog/www'}\n");
    let r = site.run(&["deploy"]).code(1);
    r.error_at("site.yaml:5:22", "`url` must not carry a user name or password");
    assert!(!r.stderr.contains("hunter2"));
    let site = self::site(1, "  targets:\n    - {name: p, url: 's3://katalog?endpoint=http://ikm.example.go.id'}\n");
    site.run(&["deploy"]).code(1).error_at("site.yaml:5:22", "allowed only for 127.0.0.1 and localhost");
    // The same rule for the environment's endpoint, checked before any request.
    let site = self::site(1, "  targets:\n    - {name: p, url: 's3://katalog/www'}\n");
    site.build().success();
    let r = site
        .run_env(
            &["deploy"],
            &[
                ("AWS_ENDPOINT_URL", "http://s3.invalid:9000"),
                ("AWS_ACCESS_KEY_ID", "x"),
                ("AWS_SECRET_ACCESS_KEY", "y"),
            ],
        )
        .code(1);
    assert!(
        r.stderr.contains(
            "AWS_ENDPOINT_URL: `endpoint` uses plain http, which is allowed only for 127.0.0.1 and localhost"
        ),
        "{}",
        r.stderr
    );
}

/// On a terminal, a progress line counts the requests and bytes; off a
/// terminal (a CI log, a pipe) there is none.
#[test]
fn progress_on_a_terminal_only() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("cermin");
    let site = mirror_site(2, &mirror, "");
    site.build().success();
    let files = site.tree("public").len();
    // `script` (util-linux, in every Debian) runs the command on a pseudo-terminal.
    let command = format!("{} deploy --root '{}'", env!("CARGO_BIN_EXE_gotong"), site.root().display());
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script (util-linux)");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{screen}");
    assert!(screen.contains(&format!("\r\x1b[2K{files}/{files} requests, ")), "no progress line in {screen:?}");
    assert!(screen.contains("deploy to `cermin`"), "{screen:?}");
    // The same deploy into a pipe shows no progress line.
    fs::remove_dir_all(&mirror).unwrap();
    let piped = site.run(&["deploy"]).success();
    assert!(!piped.stderr.contains("requests,") && !piped.stderr.contains('\x1b'), "{}", piped.stderr);
}

/// An S3 endpoint on 127.0.0.1 that answers every request with 403 and an
/// error body holding the caller's key id, a terminal escape and a
/// right-to-left override, as a hostile or misconfigured server could.
fn hostile_s3() -> u16 {
    use std::io::{Read as _, Write as _};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().filter_map(Result::ok) {
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
                <Message>Access \u{1b}]0;owned\u{7}denied \u{202e}txt.exe</Message>\
                <AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><StringToSign>sekret-sign</StringToSign>\
                <RequestId>RID</RequestId></Error>";
            let reply = format!(
                "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

/// A server's error reply is not echoed: only its code and message, with
/// control characters escaped and no key id, reach the terminal.
#[test]
fn a_servers_error_reply_is_not_echoed() {
    let port = hostile_s3();
    let site = site(
        1,
        &format!(
            "  targets:\n    - name: uji\n      url: s3://katalog/www?region=us-east-1&endpoint=http://127.0.0.1:{port}\n"
        ),
    );
    site.build().success();
    let run = site.run_env(
        &["deploy"],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_METADATA_ENDPOINT", "http://127.0.0.1:9"),
        ],
    );
    let run = run.code(1);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains("AccessDenied: Access"), "{all}");
    for leak in ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "sekret-sign", "RID", "\u{1b}", "\u{7}", "\u{202e}"] {
        assert!(!all.contains(leak), "{leak:?} in {all}");
    }
    assert!(all.contains("\\u{1b}"), "{all}");
}
