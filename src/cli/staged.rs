//! Outputs staged while a command runs and published together at its end, or not at all: the
//! records of `convert` and `migrate`, their rejects file and the report. Each output is written
//! to an anonymous temporary file first (nothing named is left behind if the run dies); at the
//! end [`publish`] copies every file output beside its destination, and only once all are
//! complete renames them into place, then writes the output meant for standard output. A run
//! that fails, or whose records may not be written, publishes nothing.
//!
//! This is the one seam between these commands and the output writer (`cli::output`): when that
//! writer stages outputs itself, `Staged` and `publish` give way to it.

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use ctdx::report::rejects::RejectsWriter;
use ctdx::report::{Output, Withheld};
use ctdx::validate::{RecordSink, Rejected};
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use super::args::KeepGoingArgs;

/// One output being written: its destination (`None`: standard output) and its staged bytes.
pub struct Staged {
    dest: Option<PathBuf>,
    out: BufWriter<File>,
}

impl Staged {
    /// A new output for `dest` (a file, or standard output when `None` or `-`).
    pub fn new(dest: Option<&Path>) -> Result<Self, Error> {
        let file = tempfile::tempfile().map_err(|e| Error::write("a temporary file", e))?;
        Ok(Self {
            dest: dest.filter(|p| *p != Path::new("-")).map(Path::to_path_buf),
            out: BufWriter::new(file),
        })
    }

    /// The staged bytes, ready to be read from the start.
    fn into_file(self) -> io::Result<(Option<PathBuf>, File)> {
        let mut file = self
            .out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.rewind()?;
        Ok((self.dest, file))
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Publishes every output together: each file output is written completely beside its
/// destination, then all are renamed into place; the output for standard output comes last. If
/// any file output cannot be written, none is published.
pub fn publish(outputs: Vec<Staged>) -> Result<(), Error> {
    let fail = |e| Error::write("a temporary file", e);
    let mut ready = Vec::new();
    let mut to_stdout = Vec::new();
    for output in outputs {
        match output.into_file().map_err(fail)? {
            (Some(path), mut staged) => {
                let temp = beside(&path, &mut staged).map_err(|e| Error::write(&path, e))?;
                ready.push((path, temp));
            }
            (None, staged) => to_stdout.push(staged),
        }
    }
    for (path, temp) in ready {
        temp.persist(&path)
            .map_err(|e| Error::write(&path, e.error))?;
    }
    for mut staged in to_stdout {
        super::output::emit(None, |out| io::copy(&mut staged, out).map(drop))?;
    }
    Ok(())
}

/// A complete copy of `staged` in a temporary file in `path`'s folder, synced to disk.
fn beside(path: &Path, staged: &mut File) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    io::copy(staged, temp.as_file_mut())?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Where `--keep-going` lists rejected records: `--rejects`, else beside the records (`-o
/// records.jsonl` gives `records.rejects.csv`); `None` without `--keep-going`. When the records
/// go to standard output, the rejects need a name of their own.
pub fn rejects_path(
    args: &KeepGoingArgs,
    records: Option<&Path>,
) -> Result<Option<PathBuf>, Error> {
    if !args.keep_going {
        return Ok(None);
    }
    if let Some(path) = &args.rejects {
        return Ok(Some(path.clone()));
    }
    let beside = records
        .filter(|p| *p != Path::new("-"))
        .and_then(|p| Some(p.with_file_name(format!("{}.rejects.csv", p.file_stem()?.to_str()?))));
    match beside {
        Some(path) => Ok(Some(path)),
        None => Err(ErrorKind::Usage(
            "--keep-going writes a rejects file beside -o FILE; when the records go to standard output, name it with --rejects FILE".into(),
        )
        .into()),
    }
}

/// The records of a run and, when it keeps going, its rejects file, both staged, with counts of
/// both. `R` writes the records.
pub struct Sink<R> {
    records: R,
    rejects: Option<RejectsWriter<Staged>>,
    rejects_path: Option<PathBuf>,
    /// The input being read, as the report names it (the rejects file's `file` column).
    pub file: String,
    written: u64,
    rejected: u64,
}

impl<R: RecordSink> Sink<R> {
    /// Records written by `records`; rejections listed in a rejects file staged for
    /// `rejects_path`, if given (else only counted).
    pub fn new(records: R, rejects_path: Option<&Path>) -> Result<Self, Error> {
        let rejects = match rejects_path {
            Some(path) => Some(
                RejectsWriter::new(Staged::new(Some(path))?)
                    .map_err(|e| Error::write("a temporary file", e))?,
            ),
            None => None,
        };
        Ok(Self {
            records,
            rejects,
            rejects_path: rejects_path.map(Path::to_path_buf),
            file: String::new(),
            written: 0,
            rejected: 0,
        })
    }

    /// What the report says of the run's records: `records` is where they go (`-o`), and
    /// `withheld` why none may be written, if so.
    pub fn output(
        &self,
        records: Option<&Path>,
        keep_going: bool,
        withheld: Option<Withheld>,
    ) -> Output {
        let shown = |p: &Path| p.display().to_string();
        Output {
            path: records.map_or_else(|| "-".to_owned(), shown),
            keep_going,
            published: withheld.is_none(),
            withheld,
            written: if withheld.is_none() { self.written } else { 0 },
            rejected: self.rejected,
            rejects_path: self.rejects_path.as_deref().map(shown),
        }
    }

    /// The staged records (`finish` completes what `records` wrote) and rejects file.
    pub fn into_staged(
        self,
        finish: impl FnOnce(R) -> io::Result<Staged>,
    ) -> Result<(Staged, Option<Staged>), Error> {
        let fail = |e| Error::write("a temporary file", e);
        let records = finish(self.records).map_err(fail)?;
        let rejects = self
            .rejects
            .map(RejectsWriter::finish)
            .transpose()
            .map_err(fail)?;
        Ok((records, rejects))
    }
}

impl<R: RecordSink> RecordSink for Sink<R> {
    fn record(&mut self, record: &Value) -> io::Result<()> {
        self.written += 1;
        self.records.record(record)
    }

    /// Without a rejects file the record is only counted: a batch with a rejected record then
    /// publishes nothing.
    fn reject(&mut self, rejected: &Rejected<'_>, _: Option<&Value>) -> io::Result<()> {
        self.rejected += 1;
        match &mut self.rejects {
            Some(rejects) => rejects.write(&self.file, rejected),
            None => Ok(()),
        }
    }
}
