//! Temporary files beside an output, which no signal leaves behind (`spec/outputs.md`).
//!
//! On Linux a temporary is an unnamed file (`O_TMPFILE`) in the output's folder: it has no name
//! until it is published (linked into place through `/proc/self/fd`), so whatever kills the
//! process, SIGKILL included, the kernel frees it. Where that is not available (another system, a
//! file system without `O_TMPFILE`, no `/proc`), it is a named file `.ctdx-….tmp`: removed when
//! dropped, removed on SIGINT, SIGTERM and SIGHUP by a handler installed with the first one, and
//! locked while in use, so that [`sweep`] can tell the temporaries of a killed run (unlocked) from
//! those of a live one and remove them at the next run in that folder.

use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, RandomState};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, PoisonError};
use std::time::{Duration, SystemTime};

/// Temporaries are named `.ctdx-<16 hex digits>.tmp`: hidden, and told apart from others' files.
const PREFIX: &str = ".ctdx-";
const SUFFIX: &str = ".tmp";

/// A named temporary younger than this is never swept: its run may not have locked it yet.
const SWEEP_AFTER: Duration = Duration::from_secs(60);

/// A file being written in the folder of the output it will become.
pub struct Temporary {
    file: File,
    /// Its name, when it has one (not an `O_TMPFILE`).
    name: Option<Registered>,
}

impl Temporary {
    /// A new, empty temporary in `dir`, readable and writable by its owner only.
    pub fn new_in(dir: &Path) -> io::Result<Self> {
        #[cfg(target_os = "linux")]
        if let Some(file) = unnamed::create(dir)? {
            return Ok(Self { file, name: None });
        }
        let (file, name) = create_named(dir)?;
        Ok(Self {
            file,
            name: Some(name),
        })
    }

    /// The file (to set its mode, flush it to disk).
    pub fn file(&self) -> &File {
        &self.file
    }

    /// Moves the complete file to `target`, over the file there when `replace`, else where
    /// nothing may be (an entry that appeared meanwhile is an `AlreadyExists` error).
    pub fn publish(self, target: &Path, replace: bool) -> io::Result<()> {
        match self.name {
            Some(name) => {
                if !replace && fs::symlink_metadata(target).is_ok() {
                    return Err(io::ErrorKind::AlreadyExists.into());
                }
                fs::rename(&name.0, target)?;
                name.forget();
                Ok(())
            }
            #[cfg(target_os = "linux")]
            None => unnamed::publish(&self.file, target, replace),
            #[cfg(not(target_os = "linux"))]
            None => Err(io::ErrorKind::Unsupported.into()),
        }
    }
}

impl Write for Temporary {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Unnamed temporaries: `O_TMPFILE`, published by `linkat` through `/proc/self/fd`.
#[cfg(target_os = "linux")]
mod unnamed {
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Mode, OFlags};

    /// An unnamed file in `dir`, or `None` where the system cannot make one (the caller then
    /// names it).
    pub fn create(dir: &Path) -> io::Result<Option<File>> {
        if super::named_only() || !Path::new("/proc/self/fd").is_dir() {
            return Ok(None);
        }
        let flags = OFlags::WRONLY | OFlags::TMPFILE | OFlags::CLOEXEC;
        match rustix::fs::openat(CWD, dir, flags, Mode::from_raw_mode(0o600)) {
            Ok(fd) => {
                let file = File::from(fd);
                super::lock(&file);
                Ok(Some(file))
            }
            // The file system or kernel has no O_TMPFILE (overlayfs before Linux 6.6, NFS…).
            Err(e)
                if [
                    rustix::io::Errno::OPNOTSUPP,
                    rustix::io::Errno::ISDIR,
                    rustix::io::Errno::INVAL,
                ]
                .contains(&e) =>
            {
                Ok(None)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Gives `file` the name `target`: directly where nothing is; over an existing file through
    /// a short-lived name (linked, then renamed over it), since a link never replaces.
    pub fn publish(file: &File, target: &Path, replace: bool) -> io::Result<()> {
        if !replace {
            return link(file, target);
        }
        let dir = super::folder_of(target);
        loop {
            let name = super::Registered::new(&dir);
            match link(file, &name.0) {
                Ok(()) => {
                    // Should the rename fail, dropping `name` removes the link.
                    std::fs::rename(&name.0, target)?;
                    name.forget();
                    return Ok(());
                }
                // Nothing of ours under that name: another name, unless the failure is not that.
                Err(e) => {
                    name.forget();
                    if e.kind() != io::ErrorKind::AlreadyExists {
                        return Err(e);
                    }
                }
            }
        }
    }

    fn link(file: &File, to: &Path) -> io::Result<()> {
        let fd = format!("/proc/self/fd/{}", file.as_raw_fd());
        rustix::fs::linkat(CWD, fd.as_str(), CWD, to, AtFlags::SYMLINK_FOLLOW).map_err(Into::into)
    }
}

/// A named temporary in `dir`, created empty, locked and registered for removal on a signal.
fn create_named(dir: &Path) -> io::Result<(File, Registered)> {
    loop {
        let name = Registered::new(dir);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&name.0) {
            Ok(file) => {
                lock(&file);
                return Ok((file, name));
            }
            // Nothing of ours under that name: another name, unless the failure is not that.
            Err(e) => {
                name.forget();
                if e.kind() != io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
            }
        }
    }
}

/// The folder an output path is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Debug builds only: `CTDX_DEBUG_NAMED_TEMPORARIES` makes every temporary a named one, so that
/// tests reach the path other systems take.
fn named_only() -> bool {
    cfg!(debug_assertions) && std::env::var_os("CTDX_DEBUG_NAMED_TEMPORARIES").is_some()
}

/// The names of this process's temporaries, removed by the signal handler.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary's name, registered before the file is made: removed (file and registration) when
/// dropped, unless [`Registered::forget`] says the name is gone or taken over.
struct Registered(PathBuf);

impl Registered {
    /// A fresh name in `dir`, registered.
    fn new(dir: &Path) -> Self {
        static HANDLER: Once = Once::new();
        HANDLER.call_once(remove_on_signals);
        let random = RandomState::new().hash_one(std::process::id());
        let path = dir.join(format!("{PREFIX}{random:016x}{SUFFIX}"));
        LIVE.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(path.clone());
        Self(path)
    }

    /// Unregisters the name without removing the file it names (renamed, or never made).
    fn forget(self) {
        unregister(&self.0);
        std::mem::forget(self);
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
        unregister(&self.0);
    }
}

fn unregister(path: &Path) {
    LIVE.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|p| p != path);
}

/// Installs the handler that removes the named temporaries on SIGINT, SIGTERM or SIGHUP, then
/// ends the process as the signal would have.
fn remove_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("ctdx-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    for path in LIVE.lock().unwrap_or_else(PoisonError::into_inner).iter() {
                        let _ = fs::remove_file(path);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
    }
}

/// Takes a lock on a temporary for as long as the file is open, marking it as a live run's.
fn lock(file: &File) {
    #[cfg(unix)]
    {
        let _ = rustix::fs::flock(file, rustix::fs::FlockOperation::NonBlockingLockExclusive);
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Removes from `dir` the temporaries a killed run left: named as ours, older than a minute,
/// and locked by nobody (a live run holds the lock on its own).
pub fn sweep(dir: &Path) {
    #[cfg(unix)]
    {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(PREFIX) && name.ends_with(SUFFIX) {
                sweep_one(&entry.path());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(unix)]
fn sweep_one(path: &Path) {
    use rustix::fs::{FlockOperation, Mode, OFlags};
    use std::os::unix::fs::MetadataExt;

    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let Ok(fd) = rustix::fs::open(path, flags, Mode::empty()) else {
        return;
    };
    let file = File::from(fd);
    let Ok(meta) = file.metadata() else { return };
    let old = meta
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age >= SWEEP_AFTER);
    if !meta.is_file() || !old {
        return;
    }
    if rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive).is_err() {
        return;
    }
    // Still the file that was locked under that name.
    let same = fs::symlink_metadata(path)
        .is_ok_and(|now| now.dev() == meta.dev() && now.ino() == meta.ino());
    if same {
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("lists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_temporary_is_invisible_until_published_and_replaces_in_one_step() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.txt");
        let mut temp = Temporary::new_in(dir.path()).expect("temporary");
        temp.write_all(b"first").expect("write");
        if cfg!(target_os = "linux") {
            assert!(
                entries(dir.path()).is_empty(),
                "an unnamed file shows no name"
            );
        }
        temp.publish(&target, false).expect("published");
        assert_eq!(entries(dir.path()), ["out.txt"]);

        let mut again = Temporary::new_in(dir.path()).expect("temporary");
        again.write_all(b"second").expect("write");
        let taken = Temporary::new_in(dir.path()).expect("temporary");
        assert_eq!(
            taken.publish(&target, false).map_err(|e| e.kind()),
            Err(io::ErrorKind::AlreadyExists),
            "a new output never replaces what appeared meanwhile"
        );
        again.publish(&target, true).expect("replaced");
        let mut text = String::new();
        File::open(&target)
            .and_then(|mut f| f.read_to_string(&mut text))
            .expect("reads");
        assert_eq!(text, "second");
        assert_eq!(entries(dir.path()), ["out.txt"], "no temporary left");
    }

    #[test]
    fn a_dropped_named_temporary_is_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, name) = create_named(dir.path()).expect("named");
        assert_eq!(entries(dir.path()).len(), 1);
        drop(file);
        drop(name);
        assert!(entries(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn the_sweep_removes_only_old_unlocked_temporaries_of_ours() {
        let dir = tempfile::tempdir().expect("temp dir");
        let stale = dir.path().join(".ctdx-00000000000000aa.tmp");
        let young = dir.path().join(".ctdx-00000000000000bb.tmp");
        let theirs = dir.path().join(".other.tmp");
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        for path in [&stale, &young, &theirs] {
            fs::write(path, b"x").expect("write");
        }
        for path in [&stale, &theirs] {
            File::options()
                .write(true)
                .open(path)
                .and_then(|f| f.set_modified(long_ago))
                .expect("aged");
        }
        // A live run's temporary: old, but locked.
        let (live, live_name) = create_named(dir.path()).expect("named");
        live.set_modified(long_ago).expect("aged");
        sweep(dir.path());
        let left = entries(dir.path());
        assert!(
            !left.contains(&".ctdx-00000000000000aa.tmp".to_owned()),
            "{left:?}"
        );
        assert!(
            left.contains(&".ctdx-00000000000000bb.tmp".to_owned()),
            "{left:?}"
        );
        assert!(left.contains(&".other.tmp".to_owned()), "{left:?}");
        assert_eq!(left.len(), 3, "the live run's temporary stays: {left:?}");
        drop(live);
        drop(live_name);
    }
}
