//! The local backend of the editing UI: what Decap CMS's `local_backend`
//! expects at `/api/v1` (the protocol of its decap-server proxy, file
//! system flavour), so that `gotong serve` lets an editor try the CMS on
//! the working copy without an account.
//!
//! Each request is a JSON object `{"action": …, "params": {…}}`. Every
//! path it names must be relative, inside `content/` or `static/`, free of
//! `..`, `.`, empty and hidden segments, backslashes and NUL, and reached
//! without any symlink: nothing outside the site root is read or written.
//! Saving writes the file in place (no git commit, no pull request: those
//! happen on the git host), and the server's watcher rebuilds the preview.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{Value, json};

/// The answer to one request: an HTTP status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: Value,
}

fn ok(body: Value) -> Reply {
    Reply { status: 200, body }
}

fn refuse(status: u16, msg: impl Into<String>) -> Reply {
    Reply { status, body: json!({"error": msg.into()}) }
}

/// Folders of the site the CMS may touch.
const ALLOWED: &[&str] = &["content", "static"];

/// Extensions the media library lists (the images a firm may use).
const MEDIA: &[&str] = &["png", "jpg", "jpeg", "webp", "gif", "svg"];

/// Resolves a path the CMS names to a file under `root`, or says why not.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, String> {
    let rel = rel.trim_start_matches("./");
    if rel.is_empty() || rel.starts_with('/') || rel.contains('\\') || rel.contains('\0') || rel.contains(':') {
        return Err(format!("`{rel}` is not a relative path inside the site"));
    }
    let parts: Vec<&str> = rel.trim_end_matches('/').split('/').collect();
    if parts.iter().any(|p| p.is_empty() || *p == "." || *p == ".." || p.starts_with('.')) {
        return Err(format!("`{rel}` is not a plain path inside the site"));
    }
    if !ALLOWED.contains(&parts[0]) {
        return Err(format!("`{rel}` is outside content/ and static/"));
    }
    let mut path = root.to_path_buf();
    for p in &parts {
        path.push(p);
        // Every part that exists must be a real file or folder, not a link.
        if let Ok(meta) = std::fs::symlink_metadata(&path)
            && meta.file_type().is_symlink()
        {
            return Err(format!("`{rel}` goes through a symbolic link"));
        }
    }
    Ok(path)
}

fn id_of(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

fn str_param<'a>(params: &'a Value, key: &str) -> Result<&'a str, Reply> {
    params.get(key).and_then(Value::as_str).ok_or_else(|| refuse(422, format!("`params.{key}` is missing")))
}

/// Answers one request of the CMS, for the site at `root` (canonical).
pub fn handle(root: &Path, body: &[u8]) -> Reply {
    let Ok(req) = serde_json::from_slice::<Value>(body) else {
        return refuse(400, "the body is not JSON");
    };
    let action = req.get("action").and_then(Value::as_str).unwrap_or("");
    let empty = json!({});
    let params = req.get("params").unwrap_or(&empty);
    match run(root, action, params) {
        Ok(r) | Err(r) => r,
    }
}

fn run(root: &Path, action: &str, params: &Value) -> Result<Reply, Reply> {
    let at = |rel: &str| resolve(root, rel).map_err(|e| refuse(422, e));
    Ok(match action {
        "info" => ok(json!({
            "repo": root.file_name().and_then(|n| n.to_str()).unwrap_or("site"),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })),
        "entriesByFolder" => {
            let folder = str_param(params, "folder")?;
            let extension = params.get("extension").and_then(Value::as_str).unwrap_or("");
            let depth = params.get("depth").and_then(Value::as_u64).unwrap_or(1).min(16) as usize;
            let dir = at(folder)?;
            let mut files = Vec::new();
            list(&dir, folder.trim_end_matches('/'), depth, &mut files);
            files.retain(|f| f.ends_with(extension));
            files.sort();
            ok(Value::Array(files.iter().map(|f| entry(root, f)).collect()))
        }
        "entriesByFiles" => {
            let files = params.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
            let mut out = Vec::new();
            for f in &files {
                let path = str_param(f, "path")?;
                at(path)?;
                let mut e = entry(root, path);
                if let (Some(label), Some(file)) = (f.get("label"), e.get_mut("file").and_then(Value::as_object_mut)) {
                    file.insert("label".into(), label.clone());
                }
                out.push(e);
            }
            ok(Value::Array(out))
        }
        "getEntry" => {
            let path = str_param(params, "path")?;
            at(path)?;
            ok(entry(root, path))
        }
        "persistEntry" => {
            let mut data = params.get("dataFiles").and_then(Value::as_array).cloned().unwrap_or_default();
            if data.is_empty()
                && let Some(e) = params.get("entry")
            {
                data.push(e.clone());
            }
            let assets = params.get("assets").and_then(Value::as_array).cloned().unwrap_or_default();
            // Every path is checked before anything is written.
            let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
            let mut moves: Vec<(PathBuf, PathBuf)> = Vec::new();
            for d in &data {
                let path = at(str_param(d, "path")?)?;
                let raw = str_param(d, "raw")?;
                if let Some(new) = d.get("newPath").and_then(Value::as_str) {
                    moves.push((path.clone(), at(new)?));
                }
                writes.push((path, raw.as_bytes().to_vec()));
            }
            for a in &assets {
                writes.push((at(str_param(a, "path")?)?, decode(a)?));
            }
            for (path, bytes) in &writes {
                write(path, bytes).map_err(|e| refuse(500, format!("cannot write: {e}")))?;
            }
            for (from, to) in &moves {
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| refuse(500, format!("cannot move: {e}")))?;
                }
                std::fs::rename(from, to).map_err(|e| refuse(500, format!("cannot move: {e}")))?;
            }
            ok(json!({"message": "entry persisted"}))
        }
        "getMedia" => {
            let folder = str_param(params, "mediaFolder")?;
            let dir = at(folder)?;
            let mut files = Vec::new();
            list(&dir, folder.trim_end_matches('/'), 1, &mut files);
            files.retain(|f| is_media(f));
            files.sort();
            let mut out = Vec::new();
            for f in &files {
                if let Ok(m) = media(root, f) {
                    out.push(m.body);
                }
            }
            ok(Value::Array(out))
        }
        "getMediaFile" => {
            let path = str_param(params, "path")?;
            at(path)?;
            media(root, path).map_err(|e| refuse(404, format!("{path}: {e}")))?
        }
        "persistMedia" => {
            let asset = params.get("asset").ok_or_else(|| refuse(422, "`params.asset` is missing"))?;
            let rel = str_param(asset, "path")?;
            let path = at(rel)?;
            if !is_media(rel) {
                return Err(refuse(422, format!("`{rel}` is not an image (png, jpg, jpeg, webp, gif, svg)")));
            }
            write(&path, &decode(asset)?).map_err(|e| refuse(500, format!("cannot write: {e}")))?;
            media(root, rel).map_err(|e| refuse(500, format!("{rel}: {e}")))?
        }
        "deleteFile" => {
            let rel = str_param(params, "path")?;
            remove(&at(rel)?);
            ok(json!({"message": format!("deleted file {rel}")}))
        }
        "deleteFiles" => {
            let paths = params.get("paths").and_then(Value::as_array).cloned().unwrap_or_default();
            let mut all = Vec::new();
            for p in &paths {
                all.push(at(p.as_str().ok_or_else(|| refuse(422, "`params.paths` must be texts"))?)?);
            }
            all.iter().for_each(|p| remove(p));
            ok(json!({"message": "deleted files"}))
        }
        "getDeployPreview" => ok(Value::Null),
        other => refuse(422, format!("Unknown action {other}")),
    })
}

fn is_media(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    MEDIA.contains(&ext.as_str())
}

fn decode(asset: &Value) -> Result<Vec<u8>, Reply> {
    let content = str_param(asset, "content")?;
    match asset.get("encoding").and_then(Value::as_str) {
        Some("base64") => base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|_| refuse(422, "the asset's content is not base64")),
        _ => Ok(content.as_bytes().to_vec()),
    }
}

/// Files under `dir` (named `rel/…`), `depth` levels down, skipping
/// symlinks and hidden names.
fn list(dir: &Path, rel: &str, depth: usize, out: &mut Vec<String>) {
    if depth == 0 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let Ok(name) = e.file_name().into_string() else { continue };
        let Ok(t) = e.file_type() else { continue };
        if name.starts_with('.') || t.is_symlink() {
            continue;
        }
        let child = format!("{rel}/{name}");
        if t.is_dir() {
            list(&e.path(), &child, depth - 1, out);
        } else if t.is_file() {
            out.push(child);
        }
    }
}

fn entry(root: &Path, rel: &str) -> Value {
    match resolve(root, rel).and_then(|p| std::fs::read(p).map_err(|e| e.to_string())) {
        Ok(bytes) => json!({
            "data": String::from_utf8_lossy(&bytes),
            "file": {"path": rel, "id": id_of(&bytes)},
        }),
        Err(_) => json!({"data": null, "file": {"path": rel, "id": null}}),
    }
}

fn media(root: &Path, rel: &str) -> Result<Reply, String> {
    let bytes = std::fs::read(resolve(root, rel)?).map_err(|e| e.to_string())?;
    Ok(ok(json!({
        "id": id_of(&bytes),
        "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
        "encoding": "base64",
        "path": rel,
        "name": rel.rsplit('/').next().unwrap_or(rel),
    })))
}

/// Writes through a temporary file beside the target, so that the
/// watcher never reads half a file.
fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    crate::cache::write_atomic(path, bytes)
}

fn remove(path: &Path) {
    if path.is_file() {
        let _ = std::fs::remove_file(path);
    }
}
