//! `.gotong-cache/`: work kept between runs (resized images), inside the
//! site folder.
//!
//! The cache lives where anyone who can write the site can write, so it is
//! never trusted: its folders must be plain folders inside the site (a
//! symbolic link is removed and the folder made again, never followed), a
//! cached file is used only after it has been checked (see
//! [`crate::images`]), and everything is written to a unique temporary name
//! and renamed into place, so two writers of the same entry (two threads,
//! or a `serve` and a `build` on the same site) never see each other's half
//! files.
//!
//! Every process that reads or writes the cache holds a shared lock on
//! `.gotong-cache/lock` while it runs (a build for its duration, `serve`
//! for its whole life; `check`, which creates nothing, only when the lock
//! file already exists). Removing entries no build uses any more needs the
//! lock to itself: a build prunes only when no other process is using the
//! cache, so that it never deletes a file a running preview still serves.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// The cache folder, relative to the site root.
pub const DIR: &str = ".gotong-cache";

/// A plain folder `<root>/.gotong-cache/<sub>` (or the cache folder itself
/// for an empty `sub`), made when missing. A symbolic link or a file where
/// a folder must be is removed first: what it pointed at is left alone.
/// Returns whether something had to be removed.
pub fn ensure_dir(root: &Path, sub: &str) -> io::Result<(PathBuf, bool)> {
    let mut dir = root.join(DIR);
    let mut cleaned = plain_dir(&dir)?;
    for part in sub.split('/').filter(|p| !p.is_empty()) {
        dir.push(part);
        cleaned |= plain_dir(&dir)?;
    }
    Ok((dir, cleaned))
}

fn plain_dir(dir: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(_) => {
            // A symlink or a file: unlinking it never touches its target.
            fs::remove_file(dir)?;
            fs::create_dir(dir)?;
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(dir) {
            Ok(()) => Ok(false),
            // Another process made it in between.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => plain_dir(dir),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Whether `path` is a regular file (not a symbolic link).
pub fn is_plain_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// Writes `bytes` to `path` through a temporary file beside it, then
/// renames it into place (atomic on one file system). The temporary file
/// has a random name and is created exclusively (`O_EXCL`), so a symbolic
/// link planted at a name gotong would use is never followed; the rename
/// replaces a link at `path` itself, never what it points to. The file is
/// readable by all (0644), as a file written the usual way would be.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gotong-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A shared hold on the cache, kept while a process uses it.
#[derive(Debug)]
pub struct Lock {
    file: File,
}

impl Lock {
    /// Takes the shared lock (waiting while another build prunes).
    pub fn shared(root: &Path) -> io::Result<Lock> {
        let (dir, _) = ensure_dir(root, "")?;
        let path = dir.join("lock");
        if !is_plain_file(&path) && fs::symlink_metadata(&path).is_ok() {
            fs::remove_file(&path)?;
        }
        let file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
        file.lock_shared()?;
        Ok(Lock { file })
    }

    /// The shared lock for a run that only reads the cache (`gotong
    /// check`, which writes nothing): taken when `.gotong-cache/lock`
    /// already exists as a plain file in a plain folder and can be locked,
    /// else `None` (a site never built, a read-only checkout). Nothing is
    /// created or removed. Going on without it is safe for a reader: a
    /// build that prunes meanwhile at worst makes it decode an image again.
    pub fn shared_if_present(root: &Path) -> Option<Lock> {
        let dir = root.join(DIR);
        let path = dir.join("lock");
        if !fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) || !is_plain_file(&path) {
            return None;
        }
        // Read-only: a lock needs no write access to the file.
        let file = File::open(&path).ok()?;
        file.lock_shared().ok()?;
        Some(Lock { file })
    }

    /// Runs `prune` if no other process holds the cache: the shared lock is
    /// given up and the exclusive one tried (never waited for). Returns
    /// whether `prune` ran.
    pub fn prune_if_alone(self, prune: impl FnOnce()) -> bool {
        if self.file.unlock().is_err() {
            return false;
        }
        match self.file.try_lock() {
            Ok(()) => {
                prune();
                let _ = self.file.unlock();
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinked_cache_is_replaced_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let outside = tmp.path().join("outside");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("keep"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, root.join(DIR)).unwrap();
        let (dir, cleaned) = ensure_dir(&root, "images").unwrap();
        assert!(cleaned);
        assert!(fs::symlink_metadata(root.join(DIR)).unwrap().is_dir());
        assert_eq!(dir, root.join(DIR).join("images"));
        assert!(outside.join("keep").exists());
        assert!(!outside.join("images").exists());
    }

    #[test]
    fn a_reader_creates_no_cache_and_still_holds_an_existing_one() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(Lock::shared_if_present(tmp.path()).is_none());
        assert!(!tmp.path().join(DIR).exists(), "no cache folder is made");
        let build = Lock::shared(tmp.path()).unwrap();
        let reader = Lock::shared_if_present(tmp.path()).expect("an existing lock is taken");
        // While the reader holds it, a build does not prune.
        assert!(!build.prune_if_alone(|| {}));
        drop(reader);
    }

    #[test]
    fn prune_waits_for_nobody_and_skips_when_shared() {
        let tmp = tempfile::tempdir().unwrap();
        let a = Lock::shared(tmp.path()).unwrap();
        let b = Lock::shared(tmp.path()).unwrap();
        assert!(!a.prune_if_alone(|| panic!("must not prune while another process holds the cache")));
        assert!(b.prune_if_alone(|| {}));
    }

    #[test]
    fn atomic_writes_leave_no_temporary_files() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("a.bin");
        std::thread::scope(|s| {
            for i in 0..8u8 {
                let p = &p;
                s.spawn(move || write_atomic(p, &[i; 1000]).unwrap());
            }
        });
        let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert_eq!(fs::read(&p).unwrap().len(), 1000);
    }
}
