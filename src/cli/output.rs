//! Every output of every command goes through here, so that no run clobbers a file, leaves a
//! temporary file behind or publishes half of what it promised (`spec/outputs.md`).
//!
//! A command names the files it reads ([`Outputs::reads`]), stages each of its outputs
//! ([`Outputs::stage`], which refuses what must not be written, before any work is done), writes
//! into the staged outputs, and publishes them together ([`Outputs::publish`]). An error or a
//! panic before that drops them, and nothing appears. Where a staged output goes:
//! - a regular file, new or existing, is written to a temporary file in its folder
//!   ([`super::temporary`]) and moved into place when published; an existing file keeps its mode;
//! - standard output and error, character devices and FIFOs are spooled (in memory, then in an
//!   unnamed temporary file) and written to when published: a device is never replaced;
//! - a symbolic link (unless it leads to a device or FIFO, as `/dev/stdout` does), a read-only
//!   file, a directory, one of the command's inputs, and a place two outputs name are refused.
//!
//! A closed pipe is the reader's choice (`ctdx … | head`): that output stops, the run goes on.

use std::fs::{self, File, Metadata};
use std::io::{self, BufWriter, IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};

use ctdx::Error;
use tempfile::SpooledTempFile;

use super::temporary::{self, Temporary};

/// A spooled output stays in memory up to this size, then moves to an unnamed temporary file.
const SPOOL_IN_MEMORY: usize = 1 << 20;

/// The buffer in front of each output.
const BUFFER: usize = 1 << 16;

/// The mode of a new file: read and write for its owner only, since outputs hold case data or
/// reports about it (an existing file keeps its own).
#[cfg(unix)]
const NEW_FILE_MODE: u32 = 0o600;

/// Where the user asked an output to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// Standard output.
    Stdout,
    /// Standard error (reports that accompany data on standard output).
    Stderr,
    /// A path: a file to write, or a device or FIFO to write to.
    Path(PathBuf),
}

impl Dest {
    /// An output path from the command line: absent, or `-`, is standard output.
    pub fn from_arg(path: Option<&Path>) -> Self {
        match path {
            Some(p) if p.as_os_str() != "-" => Self::Path(p.to_path_buf()),
            _ => Self::Stdout,
        }
    }

    /// Whether this is standard output.
    pub fn is_stdout(&self) -> bool {
        *self == Self::Stdout
    }

    /// Where a report goes beside data: to `path` when given, else to standard output, or to
    /// standard error when the data takes standard output.
    pub fn report_beside(path: Option<&Path>, data: &Staged) -> Self {
        match path {
            Some(path) => Self::from_arg(Some(path)),
            None if data.is_stdout() => Self::Stderr,
            None => Self::Stdout,
        }
    }
}

/// A file's identity: device and inode, which names cannot tell (links, `./a` and `a`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    dev: u64,
    ino: u64,
}

/// Where a destination turned out to be.
enum Target {
    /// Written to as it is, never replaced.
    Stream(Stream),
    /// A regular file, replaced by a complete one; what was there when it was staged.
    File {
        path: PathBuf,
        existing: Option<Existing>,
    },
}

/// A stream an output is spooled for.
#[derive(Debug)]
enum Stream {
    Stdout,
    Stderr,
    /// A character device or FIFO.
    Device(PathBuf),
}

/// An existing regular file an output replaces: what must still be there when the output is
/// published, and what the new file keeps of it.
#[derive(Debug, Clone, Copy)]
struct Existing {
    id: Option<FileId>,
    /// Permission bits, owner and group (Unix).
    mode: u32,
    uid: u32,
    gid: u32,
}

/// The place an output takes, to refuse two outputs of one run in one place. Character devices
/// are shared: `/dev/null` may take any number of outputs.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    Stdout,
    Stderr,
    File(FileId),
    /// A file yet to be made: its folder and name.
    New(FileId, std::ffi::OsString),
    Shared,
}

impl Place {
    /// The existing file written into, if any: standard output or error redirected to a file
    /// (`ctdx … > batch.jsonl`) writes into that file.
    fn file(&self) -> Option<FileId> {
        match self {
            Place::File(id) => Some(*id),
            Place::Stdout => system::standard_ids().0,
            Place::Stderr => system::standard_ids().1,
            Place::New(..) | Place::Shared => None,
        }
    }
}

/// The outputs of one command: what it reads (no output may be one of those) and where its
/// outputs go. Consumed by [`Outputs::publish`].
#[derive(Default)]
pub struct Outputs {
    inputs: Vec<(FileId, String)>,
    places: Vec<(Place, &'static str)>,
    swept: Vec<PathBuf>,
}

impl Outputs {
    /// No inputs named yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Names files the command reads (`-` is standard input), which no output may be. Only
    /// regular files count: a device or pipe loses nothing when written.
    pub fn reads(&mut self, inputs: impl IntoIterator<Item = impl AsRef<Path>>) {
        for input in inputs {
            let input = input.as_ref();
            let meta = if input.as_os_str() == "-" {
                system::stdin_metadata()
            } else {
                fs::metadata(input).ok()
            };
            if let Some(id) = meta.filter(Metadata::is_file).as_ref().and_then(system::id) {
                self.inputs.push((id, input.display().to_string()));
            }
        }
    }

    /// Stages an output: refuses it if it must not be written (and says why), else gives a
    /// writer that holds what is written until [`Outputs::publish`]. `flag` names it in messages
    /// (`-o`, `--report`).
    pub fn stage(&mut self, flag: &'static str, dest: Dest) -> Result<Staged, Error> {
        let target = resolve(&dest)?;
        let name = match &target {
            Target::Stream(Stream::Stdout) => "standard output".to_owned(),
            Target::Stream(Stream::Stderr) => "standard error".to_owned(),
            Target::Stream(Stream::Device(path)) | Target::File { path, .. } => {
                path.display().to_string()
            }
        };
        let refuse = |why: String| Error::write(&name, io::Error::other(why));
        let place = place_of(&target).map_err(|e| Error::write(&name, e))?;
        if let Some((_, input)) = self.inputs.iter().find(|(i, _)| Some(*i) == place.file()) {
            return Err(refuse(format!(
                "it is the input {input}; ctdx never writes over what it reads: choose another \
                 output"
            )));
        }
        if place != Place::Shared {
            if let Some((_, other)) = self.places.iter().find(|(p, _)| *p == place) {
                return Err(refuse(format!(
                    "{other} and {flag} name the same place, and one would lose the other: give \
                     each its own"
                )));
            }
        }
        self.places.push((place, flag));
        let kind = match target {
            Target::File { path, existing } => {
                let dir = temporary::folder_of(&path);
                if !self.swept.contains(&dir) {
                    temporary::sweep(&dir);
                    self.swept.push(dir.clone());
                }
                let temp = Temporary::new_in(&dir).map_err(|e| Error::write(&name, e))?;
                Kind::File {
                    path,
                    existing,
                    out: BufWriter::with_capacity(BUFFER, temp),
                }
            }
            Target::Stream(to) => Kind::Stream {
                to,
                out: BufWriter::with_capacity(BUFFER, SpooledTempFile::new(SPOOL_IN_MEMORY)),
            },
        };
        Ok(Staged { name, kind })
    }

    /// Publishes every staged output, or none that can be held back: each is completed first
    /// (flushed to disk with its mode set, or rewound with its device open) and every file's
    /// place checked; then streams are written, and files moved into place last, so that a
    /// stream that fails stops the run before any file appears. A closed pipe stops its stream
    /// only.
    pub fn publish(self, staged: impl IntoIterator<Item = Staged>) -> Result<(), Error> {
        injected_panic();
        let ready: Vec<Ready> = staged
            .into_iter()
            .map(Staged::complete)
            .collect::<Result<_, _>>()?;
        for r in &ready {
            r.check()?;
        }
        let (files, streams): (Vec<Ready>, Vec<Ready>) = ready
            .into_iter()
            .partition(|r| matches!(r.what, Completed::File { .. }));
        for ready in streams.into_iter().chain(files) {
            ready.publish()?;
        }
        Ok(())
    }
}

/// Debug builds only: `CTDX_DEBUG_PANIC` panics when everything is staged and nothing published,
/// so that tests can hold the promise that a panic publishes nothing.
fn injected_panic() {
    if cfg!(debug_assertions) && std::env::var_os("CTDX_DEBUG_PANIC").is_some() {
        panic!("injected panic (CTDX_DEBUG_PANIC)");
    }
}

/// What a destination is, or why it must not be written.
fn resolve(dest: &Dest) -> Result<Target, Error> {
    let path = match dest {
        Dest::Stdout => return Ok(Target::Stream(Stream::Stdout)),
        Dest::Stderr => return Ok(Target::Stream(Stream::Stderr)),
        Dest::Path(path) => path,
    };
    let refuse = |why: &str| Error::write(path, io::Error::other(why.to_owned()));
    let meta = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Target::File {
                path: path.clone(),
                existing: None,
            });
        }
        Err(e) => return Err(Error::write(path, e)),
        Ok(meta) if meta.file_type().is_symlink() => match fs::metadata(path) {
            Ok(led_to) if system::is_stream(&led_to) => led_to,
            _ => {
                return Err(refuse(
                    "it is a symbolic link, and ctdx writes a new file in place of its output: \
                     the link would be replaced, not the file it leads to; name that file itself",
                ));
            }
        },
        Ok(meta) => meta,
    };
    if let Some(standard) = standard_stream(&meta) {
        return Ok(Target::Stream(standard));
    }
    if meta.is_file() {
        if system::is_read_only(path, &meta) {
            return Err(refuse(
                "the file is read-only, and ctdx does not replace a read-only file: make it \
                 writable or choose another output",
            ));
        }
        return Ok(Target::File {
            path: path.clone(),
            existing: Some(system::existing(&meta)),
        });
    }
    if system::is_stream(&meta) {
        return Ok(Target::Stream(Stream::Device(path.clone())));
    }
    Err(refuse(if meta.is_dir() {
        "it is a directory; name a file in it"
    } else {
        "it is a block device or a socket: ctdx writes regular files, character devices and FIFOs"
    }))
}

/// The process's own standard output or error, when `meta` is that file (`/dev/stdout` while
/// standard output is a pipe or a file): it is then written as such, and counts as the same place.
/// A terminal or `/dev/null` is a device like any other.
fn standard_stream(meta: &Metadata) -> Option<Stream> {
    if system::is_char_device(meta) {
        return None;
    }
    let id = system::id(meta)?;
    let (stdout, stderr) = system::standard_ids();
    if stdout == Some(id) {
        Some(Stream::Stdout)
    } else if stderr == Some(id) {
        Some(Stream::Stderr)
    } else {
        None
    }
}

/// The place a target takes (a new file's place is its folder's identity and its name).
fn place_of(target: &Target) -> io::Result<Place> {
    Ok(match target {
        Target::Stream(Stream::Stdout) => Place::Stdout,
        Target::Stream(Stream::Stderr) => Place::Stderr,
        Target::Stream(Stream::Device(path)) => {
            let meta = fs::metadata(path)?;
            match system::id(&meta) {
                Some(id) if !system::is_char_device(&meta) => Place::File(id),
                _ => Place::Shared,
            }
        }
        Target::File {
            existing: Some(existing),
            ..
        } => existing.id.map_or(Place::Shared, Place::File),
        Target::File {
            path,
            existing: None,
        } => {
            let folder = fs::metadata(temporary::folder_of(path))?;
            match (system::id(&folder), path.file_name()) {
                (Some(id), Some(name)) => Place::New(id, name.to_owned()),
                _ => Place::Shared,
            }
        }
    })
}

/// One output being written: nothing of it is visible until [`Outputs::publish`]; dropped, it
/// leaves nothing.
pub struct Staged {
    /// The output as messages name it (its path, or `standard output`).
    name: String,
    kind: Kind,
}

enum Kind {
    /// Written to a temporary file in the folder of `path`.
    File {
        path: PathBuf,
        existing: Option<Existing>,
        out: BufWriter<Temporary>,
    },
    /// Spooled in memory, then in an unnamed temporary file.
    Stream {
        to: Stream,
        out: BufWriter<SpooledTempFile>,
    },
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.kind {
            Kind::File { out, .. } => out.write(buf),
            Kind::Stream { out, .. } => out.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.kind {
            Kind::File { out, .. } => out.write_all(buf),
            Kind::Stream { out, .. } => out.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.kind {
            Kind::File { out, .. } => out.flush(),
            Kind::Stream { out, .. } => out.flush(),
        }
    }
}

impl Staged {
    /// Whether this output goes to standard output.
    pub fn is_stdout(&self) -> bool {
        matches!(
            self.kind,
            Kind::Stream {
                to: Stream::Stdout,
                ..
            }
        )
    }

    /// A write error of this output, naming it.
    pub fn error(&self, e: io::Error) -> Error {
        Error::write(&self.name, e)
    }

    /// Writes through `write`; an error names this output.
    pub fn fill(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Error> {
        write(self).map_err(|e| self.error(e))
    }

    /// Makes the output ready to publish: a file is on disk with the mode of the file it
    /// replaces; a spool is rewound and its device open.
    fn complete(self) -> Result<Ready, Error> {
        let Staged { name, kind } = self;
        let fail = |e: io::Error| Error::write(&name, e);
        let what = match kind {
            Kind::File {
                path,
                existing,
                out,
            } => {
                let temp = out.into_inner().map_err(|e| fail(e.into_error()))?;
                system::settle_mode(temp.file(), existing.as_ref()).map_err(fail)?;
                temp.file().sync_all().map_err(fail)?;
                Completed::File {
                    path,
                    existing,
                    temp,
                }
            }
            Kind::Stream { to, out } => {
                let mut spool = out.into_inner().map_err(|e| fail(e.into_error()))?;
                spool.rewind().map_err(fail)?;
                let to = match to {
                    Stream::Stdout => Sink::Stdout,
                    Stream::Stderr => Sink::Stderr,
                    Stream::Device(path) => Sink::Device(open_device(&path).map_err(fail)?),
                };
                Completed::Stream { spool, to }
            }
        };
        Ok(Ready { name, what })
    }
}

/// Opens a device or FIFO to write to it, as it still is (never a regular file a link was
/// turned to meanwhile: that would be written over in place). A FIFO waits for its reader.
fn open_device(path: &Path) -> io::Result<File> {
    let file = fs::OpenOptions::new().write(true).open(path)?;
    if system::is_stream(&file.metadata()?) {
        Ok(file)
    } else {
        Err(changed())
    }
}

/// An output ready to publish.
struct Ready {
    name: String,
    what: Completed,
}

enum Completed {
    File {
        path: PathBuf,
        existing: Option<Existing>,
        temp: Temporary,
    },
    Stream {
        spool: SpooledTempFile,
        to: Sink,
    },
}

/// Where a spooled output is written.
enum Sink {
    Stdout,
    Stderr,
    Device(File),
}

impl Ready {
    fn fail(&self, e: io::Error) -> Error {
        Error::write(&self.name, e)
    }

    /// A file's place must hold what it held when the output was staged.
    fn check(&self) -> Result<(), Error> {
        match &self.what {
            Completed::File { path, existing, .. } => {
                unchanged(path, existing.as_ref()).map_err(|e| self.fail(e))
            }
            Completed::Stream { .. } => Ok(()),
        }
    }

    fn publish(self) -> Result<(), Error> {
        let fail = |e: io::Error| Error::write(&self.name, e);
        match self.what {
            Completed::File {
                path,
                existing,
                temp,
            } => temp.publish(&path, existing.is_some()).map_err(|e| {
                fail(if e.kind() == io::ErrorKind::AlreadyExists {
                    changed()
                } else {
                    e
                })
            }),
            Completed::Stream { spool, to } => {
                let sent = match to {
                    Sink::Stdout => send(spool, &mut io::stdout().lock()),
                    Sink::Stderr => send(spool, &mut io::stderr().lock()),
                    Sink::Device(mut file) => send(spool, &mut file),
                };
                match sent {
                    // A closed pipe (`ctdx … | head`) is the reader's choice, not a failure.
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    other => other.map_err(fail),
                }
            }
        }
    }
}

/// Copies a spool to where it goes.
fn send(mut spool: impl Read, to: &mut dyn Write) -> io::Result<()> {
    let mut to = BufWriter::with_capacity(BUFFER, to);
    io::copy(&mut spool, &mut to)?;
    to.flush()
}

/// Checks that an output's place holds what it held when staged: the same file, or nothing.
fn unchanged(path: &Path, existing: Option<&Existing>) -> io::Result<()> {
    let now = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
        Ok(meta) => Some(meta),
    };
    let same = match (now, existing) {
        (None, None) => true,
        (Some(now), Some(was)) => now.is_file() && system::id(&now) == was.id,
        _ => false,
    };
    if same { Ok(()) } else { Err(changed()) }
}

fn changed() -> io::Error {
    io::Error::other("it changed while ctdx ran; nothing was written to it")
}

/// What the writer asks of the system. Unix tells file identities, kinds, modes and owners;
/// elsewhere only what the standard library tells (no identities: the checks that need one are
/// skipped, and replaced files do not keep their mode).
mod system {
    use std::fs::{File, Metadata};
    use std::io;
    use std::path::Path;

    #[cfg(unix)]
    use super::NEW_FILE_MODE;
    use super::{Existing, FileId};

    /// The identity of a file.
    #[cfg(unix)]
    pub fn id(meta: &Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        })
    }

    /// The file behind standard input.
    #[cfg(unix)]
    pub fn stdin_metadata() -> Option<Metadata> {
        of_fd(io::stdin())
    }

    /// The identities of the files behind standard output and error.
    #[cfg(unix)]
    pub fn standard_ids() -> (Option<FileId>, Option<FileId>) {
        let id = |meta: Option<Metadata>| meta.as_ref().and_then(id);
        (id(of_fd(io::stdout())), id(of_fd(io::stderr())))
    }

    #[cfg(unix)]
    fn of_fd(fd: impl std::os::fd::AsFd) -> Option<Metadata> {
        let file = File::from(fd.as_fd().try_clone_to_owned().ok()?);
        file.metadata().ok()
    }

    #[cfg(unix)]
    pub fn is_char_device(meta: &Metadata) -> bool {
        std::os::unix::fs::FileTypeExt::is_char_device(&meta.file_type())
    }

    /// A character device or FIFO: written to as it is, never replaced.
    #[cfg(unix)]
    pub fn is_stream(meta: &Metadata) -> bool {
        is_char_device(meta) || std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type())
    }

    /// A file is read-only when it grants nobody write permission, or not this user (root is
    /// refused the first kind too: the mode says the file is meant to stay as it is).
    #[cfg(unix)]
    pub fn is_read_only(path: &Path, meta: &Metadata) -> bool {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o222 == 0
            || rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_err()
    }

    #[cfg(unix)]
    pub fn existing(meta: &Metadata) -> Existing {
        use std::os::unix::fs::MetadataExt;
        Existing {
            id: id(meta),
            mode: meta.mode() & 0o777,
            uid: meta.uid(),
            gid: meta.gid(),
        }
    }

    /// Gives a new file its owner's access only (whatever the umask), and a file that replaces
    /// another that file's permission bits, and its owner and group where the system allows;
    /// when the group cannot be kept, the group gets no access.
    #[cfg(unix)]
    pub fn settle_mode(file: &File, replaced: Option<&Existing>) -> io::Result<()> {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = match replaced {
            None => NEW_FILE_MODE,
            Some(was) => {
                let _ = std::os::unix::fs::fchown(file, Some(was.uid), Some(was.gid));
                if file.metadata()?.gid() == was.gid {
                    was.mode
                } else {
                    was.mode & !0o070
                }
            }
        };
        file.set_permissions(std::fs::Permissions::from_mode(mode))
    }

    #[cfg(not(unix))]
    pub fn id(_: &Metadata) -> Option<FileId> {
        None
    }

    #[cfg(not(unix))]
    pub fn stdin_metadata() -> Option<Metadata> {
        None
    }

    #[cfg(not(unix))]
    pub fn standard_ids() -> (Option<FileId>, Option<FileId>) {
        (None, None)
    }

    #[cfg(not(unix))]
    pub fn is_char_device(_: &Metadata) -> bool {
        false
    }

    #[cfg(not(unix))]
    pub fn is_stream(_: &Metadata) -> bool {
        false
    }

    #[cfg(not(unix))]
    pub fn is_read_only(_: &Path, meta: &Metadata) -> bool {
        meta.permissions().readonly()
    }

    #[cfg(not(unix))]
    pub fn existing(_: &Metadata) -> Existing {
        Existing {
            id: None,
            mode: 0,
            uid: 0,
            gid: 0,
        }
    }

    #[cfg(not(unix))]
    pub fn settle_mode(_: &File, _: Option<&Existing>) -> io::Result<()> {
        Ok(())
    }
}

/// Stages one output, writes it and publishes it (commands with one output).
pub fn write_one(
    mut outputs: Outputs,
    flag: &'static str,
    dest: Dest,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let mut staged = outputs.stage(flag, dest)?;
    staged.fill(write)?;
    outputs.publish([staged])
}

/// Writes to standard output (commands that read no file of the user's).
pub fn print(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    write_one(Outputs::new(), "standard output", Dest::Stdout, write)
}

/// Whether to colour output going to standard output.
pub fn use_color(choice: super::args::ColorChoice, to_file: bool) -> bool {
    use super::args::ColorChoice;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The current year from the system clock (UTC), for the registration-year rule.
pub fn current_year() -> u16 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    year_of_day((secs / 86_400) as i64)
}

/// The Gregorian year of a day counted from 1970-01-01.
fn year_of_day(days: i64) -> u16 {
    u16::try_from(ctdx::text::civil_from_days(days).0).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::year_of_day;

    #[test]
    fn civil_years() {
        assert_eq!(year_of_day(0), 1970);
        assert_eq!(year_of_day(10_956), 1999); // 1999-12-31
        assert_eq!(year_of_day(10_957), 2000); // 2000-01-01
        assert_eq!(year_of_day(20_818), 2026); // 2026-12-31
        assert_eq!(year_of_day(20_819), 2027); // 2027-01-01
    }
}
