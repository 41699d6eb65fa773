//! `--keep-going` in the binary: where the rejects file goes, and the record sink of `convert`
//! and `migrate` that writes records and lists rejections into their staged outputs, counting
//! both for the report. What is published, and when, is the output writer's (`cli::output`).

use std::io::{self, Write};
use std::path::Path;

use ctdx::report::rejects::{header_line, line};
use ctdx::report::{Output, Withheld};
use ctdx::validate::{RecordSink, Rejected};
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use super::args::KeepGoingArgs;
use super::output::{Dest, Staged};

/// Where `--keep-going` lists rejected records: `--rejects`, else beside the records (`-o
/// records.jsonl` gives `records.rejects.csv`); `None` without `--keep-going`. When the records
/// go to standard output, the rejects need a name of their own.
pub fn rejects_dest(args: &KeepGoingArgs, records: &Dest) -> Result<Option<Dest>, Error> {
    if !args.keep_going {
        return Ok(None);
    }
    if let Some(path) = &args.rejects {
        return Ok(Some(Dest::from_arg(Some(path))));
    }
    let beside = match records {
        Dest::Path(p) => p
            .file_stem()
            .and_then(|stem| stem.to_str())
            .map(|stem| p.with_file_name(format!("{stem}.rejects.csv"))),
        Dest::Stdout | Dest::Stderr => None,
    };
    match beside {
        Some(path) => Ok(Some(Dest::Path(path))),
        None => Err(ErrorKind::Usage(
            "--keep-going writes a rejects file beside -o FILE; when the records go to standard output, name it with --rejects FILE".into(),
        )
        .into()),
    }
}

/// The records of a run and, when it keeps going, its rejects file, with counts of both. `R`
/// writes the records.
pub struct Sink<R> {
    records: R,
    /// The staged rejects file, and how the report names it.
    rejects: Option<(Staged, String)>,
    /// The input being read, as the report names it (the rejects file's `file` column).
    pub file: String,
    written: u64,
    rejected: u64,
}

impl<R: RecordSink> Sink<R> {
    /// Records written by `records`; rejections listed in `rejects` (staged for `dest`), if
    /// given, else only counted.
    pub fn new(records: R, rejects: Option<(Staged, &Dest)>) -> Result<Self, Error> {
        let rejects = match rejects {
            Some((mut staged, dest)) => {
                staged.fill(|out| out.write_all(header_line().as_bytes()))?;
                let name = match dest {
                    Dest::Path(p) => p.display().to_string(),
                    Dest::Stdout | Dest::Stderr => "-".to_owned(),
                };
                Some((staged, name))
            }
            None => None,
        };
        Ok(Self {
            records,
            rejects,
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
        Output {
            path: records.map_or_else(|| "-".to_owned(), |p| p.display().to_string()),
            keep_going,
            published: withheld.is_none(),
            withheld,
            written: if withheld.is_none() { self.written } else { 0 },
            rejected: self.rejected,
            rejects_path: self.rejects.as_ref().map(|(_, name)| name.clone()),
        }
    }

    /// The record writer and the staged rejects file.
    pub fn into_parts(self) -> (R, Option<Staged>) {
        (self.records, self.rejects.map(|(staged, _)| staged))
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
            Some((out, _)) => out.write_all(line(&self.file, rejected).as_bytes()),
            None => Ok(()),
        }
    }
}
