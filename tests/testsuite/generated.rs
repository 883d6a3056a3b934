//! Generated catalogues (tests/testsuite/generate.rs) build cleanly from an
//! empty cache, every time, byte for byte; broken variants of them are
//! refused at the right file and line and leave the previous output alone.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::generate;

fn gotong(root: &Path, args: &[&str], threads: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("RAYON_NUM_THREADS", threads)
        .env("GOTONG_TIMINGS", "1")
        .output()
        .expect("run gotong")
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_string_lossy().into_owned();
            out.insert(rel, fs::read(e.path()).unwrap_or_default());
        }
    }
    out
}

fn clean_build(root: &Path, threads: &str) -> (BTreeMap<String, Vec<u8>>, String) {
    let _ = fs::remove_dir_all(root.join(".gotong-cache"));
    let _ = fs::remove_dir_all(root.join("public"));
    let out = gotong(root, &["build", "--strict"], threads);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "build failed:\n{stderr}");
    (tree(&root.join("public")), stderr)
}

/// Files that differ between two output trees.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

#[test]
fn a_generated_catalogue_builds_from_an_empty_cache_identically() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    generate::catalogue(root, 90, 7);
    let (first, stderr) = clean_build(root, "2");
    // The shared images are decoded once each, whatever the number of firms.
    let images = stderr.lines().find(|l| l.contains("decoded,")).unwrap_or_default().to_string();
    assert!(images.contains("images: 3 decoded"), "{images}\n{stderr}");
    let (second, _) = clean_build(root, "1");
    assert!(first.len() > 500, "{} files", first.len());
    assert_eq!(differences(&first, &second), Vec::<String>::new());
    // `check` agrees: nothing to report.
    let check = gotong(root, &["check", "--strict"], "2");
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stderr));
    // Every link form reached the pages.
    let firm = first.iter().find(|(k, v)| {
        k.ends_with("/index.html") && k.starts_with("usaha/") && {
            let t = String::from_utf8_lossy(v);
            t.contains("footnote-ref") && t.contains("mailto:halo@")
        }
    });
    assert!(firm.is_some(), "no firm page shows the generated description");
    for (path, bytes) in &first {
        if path.ends_with(".html") {
            let t = String::from_utf8_lossy(bytes);
            assert!(!t.contains("<script>alert"), "{path} carries a script from content");
            assert!(!t.contains("evil.example"), "{path} carries an iframe from content");
        }
    }
}

/// `GOTONG_GEN_RUNS=20 GOTONG_GEN_FIRMS=400 cargo test --release empty_cache_runs -- --ignored --nocapture`
/// builds one generated catalogue from an empty cache that many times.
#[test]
#[ignore]
fn empty_cache_runs() {
    let runs: usize = std::env::var("GOTONG_GEN_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let firms: usize = std::env::var("GOTONG_GEN_FIRMS").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
    let tmp = tempfile::tempdir().unwrap();
    generate::catalogue(tmp.path(), firms, 11);
    let (first, _) = clean_build(tmp.path(), "2");
    for run in 1..runs {
        let (again, _) = clean_build(tmp.path(), "2");
        assert_eq!(differences(&first, &again), Vec::<String>::new(), "run {run}");
    }
    println!("{runs} builds of {firms} firms from an empty cache, {} files each, all identical", first.len());
}

/// One broken variant of a generated site: a file to change, the change,
/// and where the error must be reported (`path:line`, or `path` alone for a
/// problem without a line).
struct Broken {
    what: &'static str,
    edit: fn(&Path),
    at: &'static str,
}

fn profile(root: &Path) -> std::path::PathBuf {
    root.join("content/firms/rasa-0/profile.yaml")
}

fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut s = fs::read_to_string(path).unwrap_or_default();
    s.push_str(text);
    fs::write(path, s).unwrap();
}

fn replace_line(path: &Path, starts: &str, with: &str) {
    let s = fs::read_to_string(path).unwrap();
    let out: Vec<String> =
        s.lines().map(|l| if l.starts_with(starts) { with.to_string() } else { l.to_string() }).collect();
    fs::write(path, out.join("\n") + "\n").unwrap();
}

/// The line of `path` that starts with `starts`, 1-based.
fn line_of(path: &Path, starts: &str) -> usize {
    fs::read_to_string(path).unwrap().lines().position(|l| l.starts_with(starts)).map_or(0, |i| i + 1)
}

const BROKEN: &[Broken] = &[
    Broken { what: "duplicate key", edit: |r| append(&profile(r), "district: Cimahi Utara\n"), at: "profile:last" },
    Broken { what: "unknown key", edit: |r| append(&profile(r), "sektor: tekstil\n"), at: "profile:last" },
    Broken {
        what: "bad enum",
        edit: |r| replace_line(&profile(r), "district:", "district: Cimahi Barat"),
        at: "profile:district:",
    },
    Broken { what: "bad yaml", edit: |r| append(&profile(r), "offers: [a, b\n"), at: "profile" },
    Broken { what: "bad theme", edit: |r| append(&r.join("site.yaml"), "theme: tidak-ada\n"), at: "site.yaml:last" },
    Broken { what: "site key", edit: |r| append(&r.join("site.yaml"), "judul: x\n"), at: "site.yaml:last" },
    Broken {
        what: "broken link",
        edit: |r| put(r, "content/pages/kontak.md", "---\ntitle: K\n---\n<img src=\"x\">\n"),
        at: "content/pages/kontak.md:4",
    },
    Broken {
        what: "autolink is fine but a bad reference is not",
        edit: |r| {
            put(r, "content/pages/kontak.md", "---\ntitle: K\n---\n<a@b.example> [x][y]\n\n[y]: /katalog/hilang/\n")
        },
        at: "content/pages/kontak.md:6",
    },
    Broken {
        what: "undecodable image",
        edit: |r| {
            let p = r.join("content/firms/rasa-0/logo.png");
            let mut b = fs::read(&p).unwrap();
            b.truncate(60);
            fs::write(p, b).unwrap();
        },
        at: "profile:logo:",
    },
    Broken {
        what: "folder without profile",
        edit: |r| put(r, "content/firms/kosong/index.md", "Teks tanpa profil.\n"),
        at: "content/firms/kosong/",
    },
];

#[test]
fn broken_variants_are_refused_where_the_problem_is() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("base");
    generate::catalogue(&base, 12, 3);
    for b in BROKEN {
        let root = tmp.path().join(b.what.replace(' ', "-"));
        let copy = Command::new("cp").arg("-a").arg(&base).arg(&root).status().unwrap();
        assert!(copy.success());
        let ok = gotong(&root, &["build"], "2");
        assert_eq!(ok.status.code(), Some(0), "{}: {}", b.what, String::from_utf8_lossy(&ok.stderr));
        let before = tree(&root.join("public"));
        (b.edit)(&root);
        let out = gotong(&root, &["build"], "2");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", b.what);
        let (file, line) = match b.at.split_once(':') {
            Some(("profile", spec)) => {
                let p = profile(&root);
                let line =
                    if spec == "last" { fs::read_to_string(&p).unwrap().lines().count() } else { line_of(&p, spec) };
                ("content/firms/rasa-0/profile.yaml".to_string(), Some(line))
            }
            Some((f, "last")) => (f.to_string(), Some(fs::read_to_string(root.join(f)).unwrap().lines().count())),
            Some((f, l)) => (f.to_string(), l.parse().ok()),
            None if b.at == "profile" => ("content/firms/rasa-0/profile.yaml".to_string(), None),

            None => (b.at.to_string(), None),
        };
        let want = match line {
            Some(l) => format!("{file}:{l}:"),
            None => format!("{file}:"),
        };
        assert!(
            stderr.lines().any(|l| l.starts_with(&want) && l.contains(": error: ")),
            "{}: no error at {want}\n{stderr}",
            b.what
        );
        assert_eq!(
            differences(&before, &tree(&root.join("public"))),
            Vec::<String>::new(),
            "{}: public/ changed",
            b.what
        );
    }
}
