//! The upload itself (the `deploy` feature): read, plan, upload, delete.

use std::collections::{BTreeMap, HashMap};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use object_store::path::Path as Key;
use object_store::{Attribute, Attributes, GetOptions, ObjectStore, ObjectStoreExt as _, PutOptions, PutPayload};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::config::{DeployConfig, Target, TargetUrl};
use super::files::{self, Headers, Local};
use super::store;

use crate::diagnostics::Diagnostics;
use crate::source::SourceFile;

/// Where the manifest lives, under the target's prefix. Names starting
/// with `.` at the top of the target are never deleted by a deploy.
pub const MANIFEST: &str = ".gotong/deploy.json.gz";

/// What a deploy is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder holding `site.yaml`.
    pub root: PathBuf,
    /// The built output folder (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Target name (default: the first).
    pub target: Option<String>,
    /// Plan and report, change nothing.
    pub dry_run: bool,
    /// Upload every file, whatever the target holds.
    pub force: bool,
    /// Overrides the target's `max_deletes` (`-1`: no limit).
    pub max_deletes: Option<i64>,
    /// Requests in flight at once.
    pub workers: usize,
    /// Show a progress line on standard error.
    pub progress: bool,
}

impl Options {
    /// Defaults for a site root.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            output: None,
            target: None,
            dry_run: false,
            force: false,
            max_deletes: None,
            workers: 8,
            progress: false,
        }
    }
}

/// Why a deploy did not bring the target to the output.
#[derive(Debug)]
pub enum Error {
    /// Wrong usage: no site.yaml, no such target (exit status 2).
    Usage(String),
    /// site.yaml has errors (exit status 1).
    Site(Diagnostics),
    /// The deploy failed or was refused; `report` says what was done
    /// before (exit status 1).
    Failed {
        /// What went wrong, and what to do.
        message: String,
        /// What had been done.
        report: Box<Report>,
    },
}

/// Why a file is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The target does not have it.
    New,
    /// Its bytes or headers differ from the target's.
    Changed,
    /// `--force`.
    Forced,
}

/// What a deploy did (or, for a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Target name.
    pub target: String,
    /// Target URL (never holds credentials).
    pub url: String,
    /// Nothing was changed.
    pub dry_run: bool,
    /// Files of the output.
    pub files: usize,
    /// Uploaded (or to upload), by path, with why, in upload order.
    pub uploads: Vec<(String, Why)>,
    /// Bytes uploaded (or to upload), as stored (after compression).
    pub upload_bytes: u64,
    /// Deleted (or to delete), by path.
    pub deletes: Vec<String>,
    /// Files the target already had.
    pub unchanged: usize,
    /// The manifest was (or would be) rewritten.
    pub manifest_written: bool,
    /// Wall time.
    pub elapsed: Duration,
}

impl Report {
    /// URL paths that a CDN must invalidate: every uploaded or deleted
    /// file, and the folder URL of every `index.html` among them.
    pub fn invalidation_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in self.uploads.iter().map(|(p, _)| p).chain(&self.deletes) {
            out.push(format!("/{p}"));
            if p == "index.html" {
                out.push("/".into());
            } else if let Some(dir) = p.strip_suffix("/index.html") {
                out.push(format!("/{dir}/"));
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// One object of the target's listing.
#[derive(Debug, Clone)]
struct Remote {
    size: u64,
    etag: Option<String>,
}

/// What the last deploy uploaded: for each path, the hash of the file it
/// came from, its headers, and the size and ETag the target gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    files: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    hash: String,
    size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
    #[serde(flatten)]
    headers: Headers,
}

impl Manifest {
    fn to_bytes(&self) -> Vec<u8> {
        let json = serde_json::to_vec(self).unwrap_or_default();
        files::gzip(&json).unwrap_or_default()
    }

    /// A manifest that does not read is ignored (every file is then
    /// checked against the listing as if there were none).
    fn from_bytes(bytes: &[u8]) -> Option<Manifest> {
        let mut json = Vec::new();
        // At most 1 GiB inflated, whatever a hostile manifest claims.
        let mut inflated = std::io::Read::take(flate2::read::GzDecoder::new(bytes), 1 << 30);
        std::io::Read::read_to_end(&mut inflated, &mut json).ok()?;
        serde_json::from_slice::<Manifest>(&json).ok().filter(|m| m.version == 1)
    }
}

fn failed(message: impl Into<String>, report: &Report) -> Error {
    // Every failure of a deploy goes through here: a store's error text can
    // carry a server's reply, and a server can put anything in it.
    Error::Failed { message: super::store::sanitize(&message.into()), report: Box::new(report.clone()) }
}

/// Reads site.yaml and picks the target.
fn target(opts: &Options) -> Result<(Target, DeployConfig), Error> {
    crate::build::check_root(&opts.root).map_err(|e| match e {
        crate::build::Error::Usage(m) => Error::Usage(m),
        other => Error::Usage(format!("{other:?}")),
    })?;
    let text = std::fs::read_to_string(opts.root.join("site.yaml"))
        .map_err(|e| Error::Usage(format!("reading {}: {e}", opts.root.join("site.yaml").display())))?;
    let (config, diags) = crate::config::parse(&SourceFile::new("site.yaml", &text));
    let Some(config) = config else {
        let mut d = Diagnostics::new();
        d.extend(diags);
        d.sort();
        return Err(Error::Site(d));
    };
    let deploy = config.deploy;
    let names: Vec<&str> = deploy.targets.iter().map(|t| t.name.as_str()).collect();
    let chosen = match &opts.target {
        None => deploy.targets.first(),
        Some(name) => deploy.targets.iter().find(|t| &t.name == name),
    };
    match chosen {
        Some(t) => Ok((t.clone(), deploy.clone())),
        None if names.is_empty() => Err(Error::Usage(
            "site.yaml has no deploy targets: add `deploy: {targets: [{name: …, url: …}]}` (see docs/publishing.md)"
                .into(),
        )),
        None => Err(Error::Usage(format!(
            "no deploy target named `{}` in site.yaml (targets: {})",
            opts.target.as_deref().unwrap_or_default(),
            names.join(", ")
        ))),
    }
}

/// Refuses a mirror folder that would overwrite or delete the site itself
/// or its output.
fn check_mirror(root: &Path, output: &Path, mirror: &Path) -> Result<(), String> {
    crate::output::check_output_dir(root, mirror)
        .map_err(|e| e.replace("write the site into", "mirror the site into"))?;
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (out, m) = (canon(output), canon(mirror));
    if m.starts_with(&out) || out.starts_with(&m) {
        return Err(format!("the mirror folder {} overlaps the output folder {}", mirror.display(), output.display()));
    }
    Ok(())
}

/// Publishes the output folder to the target.
pub fn deploy(opts: &Options) -> Result<Report, Error> {
    let started = Instant::now();
    let (target, config) = target(opts)?;
    let mut report =
        Report { target: target.name.clone(), url: target.url.display(), dry_run: opts.dry_run, ..Report::default() };
    let output = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    if !output.join("index.html").is_file() {
        return Err(failed(
            format!("no built site in {} (no index.html): run `gotong build` first", output.display()),
            &report,
        ));
    }
    if let TargetUrl::File { path } = &target.url {
        check_mirror(&opts.root, &output, path).map_err(|m| failed(m, &report))?;
        if !opts.dry_run {
            std::fs::create_dir_all(path).map_err(|e| failed(format!("{}: {e}", path.display()), &report))?;
        }
    }
    let limit = match opts.max_deletes {
        Some(n) if n < 0 => None,
        Some(n) => Some(n as u64),
        None => target.max_deletes,
    };

    // 1. The output, and the target.
    let with_headers = !matches!(target.url, TargetUrl::File { .. });
    let locals = files::read_output(&output, |rel| {
        if with_headers { files::headers_for(rel, &config.matchers) } else { Headers::default() }
    })
    .map_err(|e| failed(format!("reading the output folder: {e}"), &report))?;
    report.files = locals.len();
    for l in &locals {
        if Key::parse(&l.rel).is_err() {
            return Err(failed(format!("{}: this file name cannot be an object key", l.rel), &report));
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(format!("starting the network client: {e}"), &report))?;
    let mirror = match &target.url {
        TargetUrl::File { path } if !path.exists() => {
            // A dry run of a first mirror: nothing there yet.
            report.uploads = locals.iter().map(|l| (l.rel.clone(), Why::New)).collect();
            report.uploads.sort_by_key(|(rel, _)| files::phase(rel));
            report.upload_bytes = locals.iter().filter_map(|l| std::fs::metadata(&l.abs).ok()).map(|m| m.len()).sum();
            report.manifest_written = true;
            report.elapsed = started.elapsed();
            return Ok(report);
        }
        TargetUrl::File { path } => Some(path.clone()),
        _ => None,
    };
    let opened = store::open(&target.url).map_err(|e| failed(format!("opening {}: {e}", report.url), &report))?;
    let store = opened.store;
    let (remote, old) =
        runtime.block_on(read_target(&store)).map_err(|e| failed(format!("reading {}: {e}", report.url), &report))?;

    // 2. The plan.
    let old = old.unwrap_or_default();
    let plan = plan(&locals, &remote, &old, opts.force, mirror.as_deref());
    let mut unchanged: BTreeMap<String, Entry> = plan.unchanged;
    let mut uploads: Vec<(usize, Why)> = plan.uploads;
    if !plan.verify.is_empty() {
        // Same bytes as the object, no manifest entry: are the headers the same too?
        let checks = runtime.block_on(verify_headers(&store, &locals, plan.verify, opts.workers));
        for (i, entry) in checks {
            match entry {
                Some(e) => {
                    unchanged.insert(locals[i].rel.clone(), e);
                }
                None => uploads.push((i, Why::Changed)),
            }
        }
    }
    uploads.sort_by_key(|&(i, _)| (files::phase(&locals[i].rel), i));
    let local_paths: std::collections::HashSet<&str> = locals.iter().map(|l| l.rel.as_str()).collect();
    let mut deletes: Vec<String> =
        remote.keys().filter(|k| !k.starts_with('.') && !local_paths.contains(k.as_str())).cloned().collect();
    deletes.sort();
    report.unchanged = unchanged.len();
    report.uploads = uploads.iter().map(|&(i, why)| (locals[i].rel.clone(), why)).collect();
    report.upload_bytes = uploads.iter().map(|&(i, _)| plan.sizes[i]).sum();
    report.deletes = deletes.clone();
    let base_manifest = Manifest {
        version: 1,
        files: locals
            .iter()
            .filter_map(|l| unchanged.get(&l.rel).or_else(|| old.files.get(&l.rel)).map(|e| (l.rel.clone(), e.clone())))
            .collect(),
    };
    report.manifest_written = !uploads.is_empty() || base_manifest != old || !remote.contains_key(MANIFEST);
    if let Some(max) = limit
        && deletes.len() as u64 > max
    {
        report.elapsed = started.elapsed();
        if !opts.dry_run {
            // Nothing was done: report no uploads or deletes.
            report.uploads.clear();
            report.deletes.clear();
            report.upload_bytes = 0;
            report.manifest_written = false;
        }
        return Err(failed(
            format!(
                "refusing to delete {} objects from `{}` (more than max_deletes, {max}); nothing was changed. \
                     If that many files really left the site, pass --max-deletes {} (or -1 for no limit)",
                deletes.len(),
                report.target,
                deletes.len()
            ),
            &report,
        ));
    }
    if opts.dry_run {
        report.elapsed = started.elapsed();
        return Ok(report);
    }

    // 3. Uploads, phase by phase, then the manifest.
    let mut manifest = base_manifest;
    let progress = Progress::new(opts.progress, uploads.len() + deletes.len());
    let result = runtime.block_on(upload_all(&store, opened.headers, &locals, &uploads, opts.workers, &progress));
    let why: HashMap<usize, Why> = uploads.iter().copied().collect();
    let mut done_bytes = 0;
    let mut done = Vec::new();
    for (i, entry) in &result.done {
        done_bytes += entry.size;
        done.push((locals[*i].rel.clone(), why.get(i).copied().unwrap_or(Why::Changed)));
        manifest.files.insert(locals[*i].rel.clone(), entry.clone());
    }
    let write_manifest = report.manifest_written;
    let manifest_result =
        if write_manifest { runtime.block_on(put_manifest(&store, opened.headers, &manifest)) } else { Ok(()) };
    if let Some(err) = result.error {
        progress.clear();
        report.uploads = done;
        report.upload_bytes = done_bytes;
        report.deletes.clear();
        report.unchanged = unchanged.len();
        report.manifest_written = write_manifest && manifest_result.is_ok();
        report.elapsed = started.elapsed();
        let left = uploads.len() - result.done.len();
        return Err(failed(
            format!(
                "{err}\n{left} of {} uploads did not complete and nothing was deleted; every object on the target is \
                 either its old or its new version. Run the same command again to finish",
                uploads.len()
            ),
            &report,
        ));
    }
    if let Err(e) = manifest_result {
        progress.clear();
        report.elapsed = started.elapsed();
        report.manifest_written = false;
        report.deletes.clear();
        return Err(failed(
            format!("writing {MANIFEST}: {e}; nothing was deleted. Run the same command again"),
            &report,
        ));
    }

    // 4. Deletes, last.
    let deleted = runtime.block_on(delete_all(&store, &deletes, &progress));
    progress.clear();
    report.elapsed = started.elapsed();
    if let Err((n, e)) = deleted {
        report.deletes.truncate(n);
        return Err(failed(
            format!("{e}\nthe uploads are done; run the same command again to finish the deletes"),
            &report,
        ));
    }
    Ok(report)
}

/// The target's listing (paths relative to its prefix) and its manifest.
async fn read_target(
    store: &Arc<dyn ObjectStore>,
) -> object_store::Result<(HashMap<String, Remote>, Option<Manifest>)> {
    use futures_util::StreamExt as _;
    let mut remote = HashMap::new();
    let mut list = store.list(None);
    while let Some(meta) = list.next().await {
        let meta = meta?;
        remote.insert(meta.location.as_ref().to_string(), Remote { size: meta.size, etag: meta.e_tag });
    }
    let manifest = if remote.contains_key(MANIFEST) {
        match store.get(&Key::from(MANIFEST)).await {
            Ok(got) => Manifest::from_bytes(&got.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    Ok((remote, manifest))
}

/// The plan before header checks.
struct Plan {
    /// Files the target has, with their manifest entries.
    unchanged: BTreeMap<String, Entry>,
    /// Files to upload (index into the locals).
    uploads: Vec<(usize, Why)>,
    /// Files whose object has their bytes but no manifest entry: check
    /// headers with a HEAD request.
    verify: Vec<(usize, Entry)>,
    /// Stored size of each file.
    sizes: Vec<u64>,
}

/// The ETag of an object, if it is a plain MD5 of the bytes (S3 and
/// S3-compatible stores, for objects uploaded in one request).
fn md5_etag(etag: &str) -> Option<&str> {
    let t = etag.trim_matches('"');
    (t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())).then_some(t)
}

fn plan(
    locals: &[Local],
    remote: &HashMap<String, Remote>,
    old: &Manifest,
    force: bool,
    mirror: Option<&Path>,
) -> Plan {
    enum Verdict {
        Same(Entry),
        Upload(Why),
        Verify(Entry),
    }
    let verdicts: Vec<(Verdict, u64)> = locals
        .par_iter()
        .map(|l| {
            let plain_size = || std::fs::metadata(&l.abs).map(|m| m.len()).unwrap_or(0);
            let Some(r) = remote.get(&l.rel) else {
                let size =
                    if l.headers.gzip { l.stored_bytes().map(|b| b.len() as u64).unwrap_or(0) } else { plain_size() };
                return (Verdict::Upload(if force { Why::Forced } else { Why::New }), size);
            };
            if force {
                let size =
                    if l.headers.gzip { l.stored_bytes().map(|b| b.len() as u64).unwrap_or(0) } else { plain_size() };
                return (Verdict::Upload(Why::Forced), size);
            }
            if let Some(e) = old.files.get(&l.rel)
                && e.hash == l.hash
                && e.headers == l.headers
                && e.etag.is_some()
                && e.etag == r.etag
                && e.size == r.size
            {
                return (Verdict::Same(e.clone()), e.size);
            }
            // No usable manifest entry: compare the bytes themselves.
            let Ok(bytes) = l.stored_bytes() else {
                return (Verdict::Upload(Why::Changed), plain_size());
            };
            let size = bytes.len() as u64;
            let entry = Entry { hash: l.hash.clone(), size, etag: r.etag.clone(), headers: l.headers.clone() };
            if size != r.size {
                return (Verdict::Upload(Why::Changed), size);
            }
            match mirror {
                // A mirror folder has no headers: the bytes decide.
                Some(dir) => {
                    if std::fs::read(dir.join(&l.rel)).is_ok_and(|b| b == bytes) {
                        (Verdict::Same(entry), size)
                    } else {
                        (Verdict::Upload(Why::Changed), size)
                    }
                }
                None => match r.etag.as_deref().and_then(md5_etag) {
                    Some(md5) if md5.eq_ignore_ascii_case(&files::md5_hex(&bytes)) => (Verdict::Verify(entry), size),
                    _ => (Verdict::Upload(Why::Changed), size),
                },
            }
        })
        .collect();
    let mut plan = Plan { unchanged: BTreeMap::new(), uploads: Vec::new(), verify: Vec::new(), sizes: Vec::new() };
    for (i, (v, size)) in verdicts.into_iter().enumerate() {
        plan.sizes.push(size);
        match v {
            Verdict::Same(e) => {
                plan.unchanged.insert(locals[i].rel.clone(), e);
            }
            Verdict::Upload(why) => plan.uploads.push((i, why)),
            Verdict::Verify(e) => plan.verify.push((i, e)),
        }
    }
    plan
}

/// The attributes an object is stored with.
fn attributes(h: &Headers) -> Attributes {
    let mut a = Attributes::new();
    if let Some(t) = &h.content_type {
        a.insert(Attribute::ContentType, t.clone().into());
    }
    if let Some(c) = &h.cache_control {
        a.insert(Attribute::CacheControl, c.clone().into());
    }
    if h.gzip {
        a.insert(Attribute::ContentEncoding, "gzip".into());
    }
    a
}

/// Runs `job` over `items` with at most `workers` in flight, stopping
/// (after those in flight finish) at the first error.
async fn pool<T, R, F, Fut>(items: Vec<T>, workers: usize, job: F, mut each: impl FnMut(&R)) -> (Vec<R>, Option<String>)
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<R, String>> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    let mut items = items.into_iter();
    let mut done = Vec::new();
    let mut error = None;
    for item in items.by_ref().take(workers.max(1)) {
        set.spawn(job(item));
    }
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok(Ok(r)) => {
                each(&r);
                done.push(r);
            }
            Ok(Err(e)) => {
                error.get_or_insert(e);
            }
            Err(e) => {
                error.get_or_insert(format!("a deploy task failed: {e}"));
            }
        }
        if error.is_none()
            && let Some(item) = items.next()
        {
            set.spawn(job(item));
        }
    }
    (done, error)
}

/// HEAD requests for objects that have the file's bytes but no manifest
/// entry: unchanged only when their headers are the file's too.
async fn verify_headers(
    store: &Arc<dyn ObjectStore>,
    locals: &[Local],
    verify: Vec<(usize, Entry)>,
    workers: usize,
) -> Vec<(usize, Option<Entry>)> {
    let jobs: Vec<(usize, Entry, String)> = verify.into_iter().map(|(i, e)| (i, e, locals[i].rel.clone())).collect();
    let mut answers: BTreeMap<usize, Option<Entry>> = jobs.iter().map(|(i, _, _)| (*i, None)).collect();
    let (checked, _) = pool(
        jobs,
        workers,
        |(i, entry, rel)| {
            let store = Arc::clone(store);
            async move {
                let head =
                    store.get_opts(&Key::from(rel.as_str()), GetOptions { head: true, ..Default::default() }).await;
                let same = head.is_ok_and(|got| {
                    let a = &got.attributes;
                    let get = |k| a.get(&k).map(|v| v.as_ref().to_string());
                    get(Attribute::ContentType) == entry.headers.content_type
                        && get(Attribute::CacheControl) == entry.headers.cache_control
                        && get(Attribute::ContentEncoding).as_deref() == entry.headers.gzip.then_some("gzip")
                        && got.meta.e_tag == entry.etag
                });
                Ok((i, same.then_some(entry)))
            }
        },
        |_| {},
    )
    .await;
    // A check that did not answer counts as "changed".
    answers.extend(checked);
    answers.into_iter().collect()
}

struct Uploaded {
    done: Vec<(usize, Entry)>,
    error: Option<String>,
}

async fn upload_all(
    store: &Arc<dyn ObjectStore>,
    headers: bool,
    locals: &[Local],
    uploads: &[(usize, Why)],
    workers: usize,
    progress: &Progress,
) -> Uploaded {
    let mut all = Vec::new();
    for phase in 0..files::PHASES.len() {
        let jobs: Vec<(usize, Local)> = uploads
            .iter()
            .filter(|(i, _)| files::phase(&locals[*i].rel) == phase)
            .map(|&(i, _)| (i, locals[i].clone()))
            .collect();
        if jobs.is_empty() {
            continue;
        }
        let (done, error) = pool(
            jobs,
            workers,
            |(i, local)| {
                let store = Arc::clone(store);
                async move {
                    let rel = local.rel.clone();
                    let bytes = tokio::task::spawn_blocking(move || local.stored_bytes().map(|b| (b, local)))
                        .await
                        .map_err(|e| format!("reading {rel}: {e}"))?
                        .map_err(|e| format!("reading {rel}: {e}"))?;
                    let (bytes, local) = bytes;
                    let size = bytes.len() as u64;
                    let opts = PutOptions {
                        attributes: if headers { attributes(&local.headers) } else { Attributes::new() },
                        ..Default::default()
                    };
                    let put = store
                        .put_opts(&Key::from(local.rel.as_str()), PutPayload::from(bytes), opts)
                        .await
                        .map_err(|e| format!("uploading {}: {e}", local.rel))?;
                    Ok((i, Entry { hash: local.hash, size, etag: put.e_tag, headers: local.headers }))
                }
            },
            |(_, e): &(usize, Entry)| progress.step(e.size),
        )
        .await;
        all.extend(done);
        if let Some(e) = error {
            return Uploaded {
                done: all,
                error: Some(format!("{e}\n(stopped while uploading the {})", files::PHASES[phase])),
            };
        }
    }
    Uploaded { done: all, error: None }
}

async fn put_manifest(store: &Arc<dyn ObjectStore>, headers: bool, m: &Manifest) -> object_store::Result<()> {
    let mut opts = PutOptions::default();
    if headers {
        opts.attributes.insert(Attribute::ContentType, "application/gzip".into());
        opts.attributes.insert(Attribute::CacheControl, "no-store".into());
    }
    store.put_opts(&Key::from(MANIFEST), PutPayload::from(m.to_bytes()), opts).await.map(|_| ())
}

/// Deletes, in batches where the store has them (S3's DeleteObjects takes
/// 1,000 keys a request); on failure, how many were deleted and the error.
async fn delete_all(
    store: &Arc<dyn ObjectStore>,
    deletes: &[String],
    progress: &Progress,
) -> Result<(), (usize, String)> {
    use futures_util::StreamExt as _;
    let keys: Vec<object_store::Result<Key>> = deletes.iter().map(|rel| Ok(Key::from(rel.as_str()))).collect();
    let mut results = store.delete_stream(Box::pin(futures_util::stream::iter(keys)));
    let mut done = 0;
    while let Some(r) = results.next().await {
        match r {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {
                done += 1;
                progress.step(0);
            }
            Err(e) => return Err((done, format!("deleting: {e}"))),
        }
    }
    Ok(())
}

/// The progress line on a terminal.
struct Progress {
    on: bool,
    total: usize,
    state: std::sync::Mutex<(usize, u64, Instant)>,
}

impl Progress {
    fn new(on: bool, total: usize) -> Self {
        let on = on && std::io::stderr().is_terminal() && total > 0;
        Progress { on, total, state: std::sync::Mutex::new((0, 0, Instant::now())) }
    }

    fn step(&self, bytes: u64) {
        if !self.on {
            return;
        }
        let Ok(mut s) = self.state.lock() else { return };
        s.0 += 1;
        s.1 += bytes;
        if s.2.elapsed() >= Duration::from_millis(100) || s.0 == self.total {
            s.2 = Instant::now();
            eprint!("\r\x1b[2K{}/{} requests, {} uploaded", s.0, self.total, human_bytes(s.1));
        }
    }

    fn clear(&self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

/// `1.2 MB`, `345 kB`, `12 B` (SI units).
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.2} GB", n as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trip_and_hostile_input() {
        let mut m = Manifest { version: 1, files: BTreeMap::new() };
        m.files.insert(
            "index.html".into(),
            Entry { hash: "ab".into(), size: 3, etag: Some("\"e\"".into()), headers: Headers::default() },
        );
        assert_eq!(Manifest::from_bytes(&m.to_bytes()), Some(m.clone()));
        assert_eq!(m.to_bytes(), m.to_bytes());
        assert_eq!(Manifest::from_bytes(b"not gzip"), None);
        assert_eq!(Manifest::from_bytes(&files::gzip(b"{\"version\": 2, \"files\": {}}").unwrap()), None);
        assert_eq!(Manifest::from_bytes(&files::gzip(b"[1,2]").unwrap()), None);
    }

    #[test]
    fn invalidation_paths() {
        let r = Report {
            uploads: vec![
                ("index.html".into(), Why::Changed),
                ("usaha/a/index.html".into(), Why::New),
                ("style.css".into(), Why::Changed),
            ],
            deletes: vec!["usaha/b/index.html".into()],
            ..Report::default()
        };
        assert_eq!(
            r.invalidation_paths(),
            ["/", "/index.html", "/style.css", "/usaha/a/", "/usaha/a/index.html", "/usaha/b/", "/usaha/b/index.html"]
        );
        assert_eq!(md5_etag("\"d41d8cd98f00b204e9800998ecf8427e\""), Some("d41d8cd98f00b204e9800998ecf8427e"));
        assert_eq!(md5_etag("\"d41d8cd98f00b204e9800998ecf8427e-2\""), None);
        assert_eq!(human_bytes(1_234_567), "1.2 MB");
    }
}
