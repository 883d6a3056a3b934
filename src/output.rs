//! Stage 5, output: bring the output folder to exactly the new site,
//! touching only what changed.
//!
//! Creating files is by far the slowest thing a build does on this machine
//! (see docs/performance.md), so the writer does not rebuild the folder
//! from scratch. Instead:
//! 1. every file of the new site is compared, in parallel, with what the
//!    folder holds; only the ones that differ are kept ([`diff`]);
//! 2. only after the whole site has rendered without error are those files
//!    written, each to a temporary name and renamed over the old one, and
//!    files the new site no longer has are removed ([`commit`]).
//!
//! A build that fails (bad content, template error) never reaches step 2,
//! so the previous output stays byte-for-byte as it was; and a reader of
//! the folder (a web server) never sees a half-written file.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

/// The bytes of one output file.
#[derive(Debug, Clone)]
pub enum Data {
    /// Rendered in memory.
    Bytes(Vec<u8>),
    /// Compiled into the binary (the built-in theme's static files).
    Embedded(&'static [u8]),
    /// Copied from a file of the site (images, static files).
    File(PathBuf),
}

impl Data {
    pub(crate) fn bytes(&self) -> io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Data::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Data::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Data::File(p) => fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}

/// One file of the new site.
#[derive(Debug, Clone)]
pub struct OutFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Its bytes.
    pub data: Data,
}

/// What a build will change in the output folder.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files whose bytes differ from the folder's (or are new).
    pub changed: Vec<OutFile>,
    /// Every path of the new site.
    pub all: HashSet<String>,
    /// Files already identical.
    pub unchanged: usize,
}

/// What [`commit`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Files written.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Every entry of the output folder `dir` (itself first), not following
/// links, and not looking into the names starting with a dot at its top
/// (`.git`, `.well-known`…), which are left alone.
fn site_entries(dir: &Path) -> impl Iterator<Item = io::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.map_err(io::Error::other))
}

/// The symbolic links in the output folder `dir` ([`site_entries`]).
fn links_in(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut links = Vec::new();
    for entry in site_entries(dir) {
        let entry = entry?;
        if entry.path_is_symlink()
            && let Ok(rel) = entry.path().strip_prefix(dir)
        {
            links.push(rel.to_path_buf());
        }
    }
    Ok(links)
}

/// Whether `path` already holds exactly `data` (a link never does).
fn same(path: &Path, data: &Data) -> bool {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    if let Data::File(src) = data {
        match fs::metadata(src) {
            Ok(m) if m.len() != meta.len() => return false,
            Err(_) => return false,
            _ => {}
        }
    }
    match data.bytes() {
        Ok(new) => new.len() as u64 == meta.len() && fs::read(path).is_ok_and(|old| old == *new),
        Err(_) => false,
    }
}

/// Where a build puts files as it renders them.
///
/// A build renders every page before the output may change, but it need
/// not hold every page in memory until then:
/// - **Fresh**: the output folder is missing or empty, so there is no
///   previous site to protect. Files are written at once into a staging
///   folder beside it, which is renamed into place when the whole build has
///   succeeded (and deleted when it fails, however it fails). Rendering
///   and writing overlap and nothing accumulates in memory.
/// - **Update**: the output folder holds a previous site. Each file is
///   compared with it as soon as it renders and kept only when it differs;
///   the few that do are written at the end, when everything succeeded.
/// - **Discard**: `gotong check` renders and keeps nothing.
#[derive(Debug)]
pub enum Sink {
    /// Keep nothing.
    Discard,
    /// Write into a staging folder that replaces the output at the end.
    Fresh {
        /// The staging folder.
        staging: PathBuf,
    },
    /// Keep what differs from the output folder.
    Update {
        /// The output folder.
        dir: PathBuf,
        /// Symbolic links in it (relative paths): gotong makes none, so each
        /// was put there by someone else, and nothing is read or written
        /// through one; they are replaced by what the site has there.
        links: Vec<PathBuf>,
    },
}

impl Sink {
    /// The sink for building into `out`.
    pub fn for_output(out: &Path) -> io::Result<Sink> {
        let empty = match fs::read_dir(out) {
            Ok(mut it) => it.next().is_none(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => true,
            Err(e) => return Err(e),
        };
        if !empty {
            return Ok(Sink::Update { dir: out.to_path_buf(), links: links_in(out)? });
        }
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let staging = out.with_file_name(format!(".{name}.gotong-new-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        Ok(Sink::Fresh { staging })
    }

    /// Creates, one after the other, every folder the site's files need.
    /// Creating entries in one folder from several threads makes the
    /// kernel spin on that folder's lock (most pages sit in `usaha/`); with
    /// the folders made first, parallel writes each go to their own folder.
    pub fn prepare<'p>(&self, paths: impl IntoIterator<Item = &'p str>) -> io::Result<()> {
        let Sink::Fresh { staging } = self else { return Ok(()) };
        let mut dirs: Vec<&str> = paths.into_iter().filter_map(|p| p.rsplit_once('/').map(|(d, _)| d)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        for d in dirs {
            fs::create_dir_all(staging.join(d))?;
        }
        Ok(())
    }

    /// Takes one file; returns it when it must be written at the end.
    pub fn accept(&self, f: OutFile) -> io::Result<Option<OutFile>> {
        match self {
            Sink::Discard => Ok(None),
            Sink::Fresh { staging } => {
                let dest = staging.join(&f.path);
                let write = |dest: &Path| match &f.data {
                    Data::File(src) => fs::copy(src, dest).map(|_| ()),
                    other => fs::write(dest, other.bytes()?),
                };
                match write(&dest) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        if let Some(parent) = dest.parent() {
                            fs::create_dir_all(parent)?;
                        }
                        write(&dest)?
                    }
                    other => other?,
                }
                Ok(None)
            }
            Sink::Update { dir, links } => {
                let through_link = links.iter().any(|l| Path::new(&f.path).starts_with(l));
                Ok((through_link || !same(&dir.join(&f.path), &f.data)).then_some(f))
            }
        }
    }

    /// Throws away what a failed build wrote.
    pub fn abort(&self) {
        if let Sink::Fresh { staging } = self {
            let _ = fs::remove_dir_all(staging);
        }
    }

    /// Makes the output folder the new site: renames the staging folder into
    /// place, or writes the kept files and removes stale ones.
    pub fn finish(self, out: &Path, kept: Vec<OutFile>, all: HashSet<String>) -> io::Result<Stats> {
        match self {
            Sink::Discard => Ok(Stats::default()),
            Sink::Fresh { staging } => {
                let place = || -> io::Result<()> {
                    if out.exists() {
                        fs::remove_dir(out)?;
                    }
                    if let Some(parent) = out.parent() {
                        fs::create_dir_all(parent)?;
                    }
                    fs::rename(&staging, out)
                };
                // Whatever went wrong, the staging copy is of no more use.
                place().map_err(|e| {
                    let _ = fs::remove_dir_all(&staging);
                    raced(out, e)
                })?;
                Ok(Stats { written: all.len(), unchanged: 0, removed: 0 })
            }
            Sink::Update { dir, links } => {
                // Unlinking never touches what a link points to.
                for l in &links {
                    fs::remove_file(dir.join(l))?;
                }
                let unchanged = all.len() - kept.len();
                commit(&dir, Plan { changed: kept, all, unchanged })
            }
        }
    }
}

/// Explains a fresh build's failure to put its staging folder in place
/// when the output folder, empty or missing when the build began, is no
/// longer empty: another build wrote it meanwhile.
fn raced(out: &Path, e: io::Error) -> io::Error {
    let filled = fs::read_dir(out).is_ok_and(|mut it| it.next().is_some());
    if !filled {
        return e;
    }
    io::Error::new(
        e.kind(),
        "another build wrote this folder while this one ran (it was empty or missing when this one \
         began); this build's copy was removed, and the folder holds the other build's site: run the \
         build again to update it",
    )
}

/// Refuses `path`, inside `root`, when a part of it below `root` that
/// exists is a symbolic link: gotong writes nothing through a link (it
/// could lead anywhere, and anyone who can write the site can make one).
pub fn check_no_links(root: &Path, path: &Path) -> io::Result<()> {
    let rel =
        path.strip_prefix(root).map_err(|_| io::Error::other(format!("{} is outside the site", path.display())))?;
    let mut p = root.to_path_buf();
    for part in rel.components() {
        p.push(part);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(io::Error::other(format!(
                    "{} is a symbolic link, and gotong writes nothing through links",
                    p.strip_prefix(root).unwrap_or(&p).display()
                )));
            }
            Ok(_) => {}
            // The rest does not exist yet: it will be made as plain folders.
            Err(_) => break,
        }
    }
    Ok(())
}

/// Writes the changed files and removes stale ones. Names starting with a
/// dot at the top of the folder (`.git`, `.well-known`…) are left alone, so
/// that a deployment checkout can live inside the output folder.
pub fn commit(dir: &Path, plan: Plan) -> io::Result<Stats> {
    fs::create_dir_all(dir)?;
    let written = plan.changed.len();
    plan.changed.par_iter().try_for_each(|f| write_file(&dir.join(&f.path), &f.data.bytes()?))?;
    let removed = remove_stale(dir, &plan.all)?;
    Ok(Stats { written, unchanged: plan.unchanged, removed })
}

/// Writes `bytes` to `path`: directly when the file is new, through a
/// temporary file and a rename when it replaces one.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent()
        && let Err(e) = fs::create_dir_all(parent)
    {
        // A file where a folder must go (the old site had a page there).
        let mut p = parent;
        loop {
            if p.is_file() {
                fs::remove_file(p)?;
                break;
            }
            match p.parent() {
                Some(q) => p = q,
                None => return Err(e),
            }
        }
        fs::create_dir_all(parent)?;
    }
    match fs::symlink_metadata(path) {
        Err(_) => fs::write(path, bytes),
        Ok(m) => {
            if m.is_dir() {
                fs::remove_dir_all(path)?;
                return fs::write(path, bytes);
            }
            crate::cache::write_atomic(path, bytes)
        }
    }
}

fn remove_stale(dir: &Path, keep: &HashSet<String>) -> io::Result<usize> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in site_entries(dir) {
        let entry = entry?;
        if entry.depth() == 0 {
            continue;
        }
        let rel = crate::load::rel(dir, entry.path());
        if entry.file_type().is_dir() {
            dirs.push(entry.path().to_path_buf());
        } else if !keep.contains(&rel) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    // Deepest first, so emptied parents go too.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        if fs::read_dir(&d).is_ok_and(|mut it| it.next().is_none()) {
            let _ = fs::remove_dir(&d);
        }
    }
    Ok(removed)
}

/// Refuses output folders that would delete the site itself: the root, an
/// ancestor of it, or a folder inside `content/`, `themes/`, `templates/` or
/// `static/`.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), String> {
    let canon = |p: &Path| -> PathBuf {
        // The output folder may not exist yet: resolve its closest existing ancestor.
        let mut existing = p.to_path_buf();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(n), Some(parent)) => {
                    rest.push(n.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut c = existing.canonicalize().unwrap_or(existing);
        for n in rest.iter().rev() {
            c.push(n);
        }
        c
    };
    let root = canon(root);
    let out = canon(out);
    if root.starts_with(&out) {
        return Err(format!("refusing to write the site into {}: it holds the site itself", out.display()));
    }
    for sub in ["content", "themes", "templates", "static"] {
        if out.starts_with(root.join(sub)) {
            return Err(format!("refusing to write the site inside {sub}/"));
        }
    }
    Ok(())
}

/// The Content-Type of an output file (also what `gotong deploy` stores it with).
#[cfg(any(feature = "serve", feature = "deploy"))]
pub(crate) fn mime_of(path: &str) -> String {
    if path.ends_with(".html") {
        return "text/html; charset=utf-8".into();
    }
    let m = mime_guess::from_path(path).first_or_octet_stream();
    match m.type_() {
        mime_guess::mime::TEXT => format!("{m}; charset=utf-8"),
        _ if m.subtype() == "json" || m.subtype() == "xml" || m.subtype() == "javascript" => {
            format!("{m}; charset=utf-8")
        }
        _ => m.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str, b: &str) -> OutFile {
        OutFile { path: p.into(), data: Data::Bytes(b.as_bytes().to_vec()) }
    }

    /// What an update build plans: the files that differ from `dir`, as
    /// [`Sink::Update`] keeps them.
    fn diff(dir: &Path, files: Vec<OutFile>) -> Plan {
        let all: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
        let sink = Sink::Update { dir: dir.to_path_buf(), links: Vec::new() };
        let changed: Vec<OutFile> = files.into_iter().filter_map(|f| sink.accept(f).unwrap()).collect();
        let unchanged = all.len() - changed.len();
        Plan { changed, all, unchanged }
    }

    #[test]
    fn a_fresh_build_that_loses_a_race_removes_its_staging_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let sink = Sink::for_output(&out).unwrap();
        let Sink::Fresh { staging } = &sink else { panic!("a missing output folder is a fresh build") };
        let staging = staging.clone();
        assert!(sink.accept(file("index.html", "mine")).unwrap().is_none());
        // Another build puts its site in place first.
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "theirs").unwrap();
        let all: HashSet<String> = ["index.html".to_string()].into();
        let err = sink.finish(&out, Vec::new(), all).unwrap_err();
        assert!(err.to_string().contains("another build wrote this folder"), "{err}");
        assert!(!staging.exists(), "the staging folder is removed");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "theirs");
        let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("public")], "nothing else is left beside it");
    }

    #[test]
    fn writes_only_changes_and_removes_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let plan = diff(&dir, vec![file("a/index.html", "A"), file("b.txt", "B")]);
        assert_eq!(plan.changed.len(), 2);
        commit(&dir, plan).unwrap();
        fs::create_dir_all(dir.join(".git")).unwrap();
        fs::write(dir.join(".git/keep"), "x").unwrap();
        let plan = diff(&dir, vec![file("a/index.html", "A"), file("c/d.txt", "C")]);
        assert_eq!((plan.changed.len(), plan.unchanged), (1, 1));
        let stats = commit(&dir, plan).unwrap();
        assert_eq!(stats, Stats { written: 1, unchanged: 1, removed: 1 });
        assert!(!dir.join("b.txt").exists());
        assert!(dir.join(".git/keep").exists());
        assert_eq!(fs::read_to_string(dir.join("c/d.txt")).unwrap(), "C");
    }

    #[test]
    fn replaces_files_and_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        commit(&dir, diff(&dir, vec![file("x", "file")])).unwrap();
        commit(&dir, diff(&dir, vec![file("x/index.html", "dir")])).unwrap();
        assert_eq!(fs::read_to_string(dir.join("x/index.html")).unwrap(), "dir");
        commit(&dir, diff(&dir, vec![file("x", "file again")])).unwrap();
        assert_eq!(fs::read_to_string(dir.join("x")).unwrap(), "file again");
    }

    #[test]
    fn refuses_dangerous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, root.parent().unwrap()).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
    }
}
