//! `ctdx convert`: a spreadsheet (or canonical JSON) in, canonical records or a partner layout
//! out. The output is staged and published only when the batch has no error, so a failed run
//! leaves nothing behind; with `--keep-going`, when no error concerns a whole file or the batch,
//! the records without errors of their own are published with a rejects file listing the
//! others. The report goes to stderr or `--report`.

use std::io::{self, Write};

use ctdx::convert::canonical_xml::XmlRecordWriter;
use ctdx::profile::Profile;
use ctdx::report::{Decision, FileOutcome, Report, Withheld, csv, human, json};
use ctdx::text::csv_line;
use ctdx::validate::RecordSink;
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use crate::cli::args::{ConvertArgs, Format};
use crate::cli::inputs::{Input, check, expand, load_profile};
use crate::cli::output::emit_to_stderr;
use crate::cli::staged::{Sink, Staged, publish, rejects_path};
use crate::cli::{checking, exit_code};

/// How records are written.
enum Writer<W: Write> {
    Lines(W),
    Array {
        out: W,
        first: bool,
    },
    Layout {
        out: W,
        profile: Box<Profile>,
        header: bool,
    },
    /// Canonical XML (`spec/conversion/xml.md`).
    Xml(XmlRecordWriter<W>),
}

impl<W: Write> RecordSink for Writer<W> {
    fn record(&mut self, record: &Value) -> io::Result<()> {
        match self {
            Writer::Lines(out) => {
                serde_json::to_writer(&mut *out, record)?;
                out.write_all(b"\n")
            }
            Writer::Array { out, first } => {
                out.write_all(if *first { b"[\n" } else { b",\n" })?;
                *first = false;
                serde_json::to_writer(&mut *out, record).map_err(io::Error::from)
            }
            Writer::Layout {
                out,
                profile,
                header,
            } => {
                if !*header {
                    out.write_all(csv_line(&profile.header_cells(), ',').as_bytes())?;
                    *header = true;
                }
                out.write_all(csv_line(&profile.write_cells(record), ',').as_bytes())
            }
            Writer::Xml(xml) => xml.record(record),
        }
    }
}

impl<W: Write> Writer<W> {
    fn finish(self) -> io::Result<W> {
        match self {
            Writer::Lines(out) => Ok(out),
            Writer::Array { mut out, first } => {
                out.write_all(if first { b"[]\n" } else { b"\n]\n" })?;
                Ok(out)
            }
            Writer::Layout {
                mut out,
                profile,
                header,
            } => {
                if !header {
                    out.write_all(csv_line(&profile.header_cells(), ',').as_bytes())?;
                }
                Ok(out)
            }
            Writer::Xml(xml) => xml.finish(),
        }
    }
}

pub fn run(args: ConvertArgs) -> Result<u8, Error> {
    let mut how = checking(None, &args.source, args.max_findings)?;
    if args.policy.is_some() {
        // The same loading and floors as `validate --policy`; its `[limits]` bound every reader.
        let privacy = super::privacy::options(&crate::cli::args::PrivacyArgs {
            policy: args.policy.clone(),
            hub_tallies: None,
            publish: false,
            k: None,
        })?;
        how.validate.limits = privacy.policy.limits;
        how.validate.privacy = privacy;
    }
    if let Some(path) = &args.pseudonymize_key {
        how.validate.pseudonymize = Some(super::pseudonymize::load_key(path)?);
    }
    let keep_going = args.keep_going.keep_going;
    let rejects_path = rejects_path(&args.keep_going, args.output.as_deref())?;
    let out = Staged::new(args.output.as_deref())?;
    let records = match args.to.as_str() {
        "jsonl" => Writer::Lines(out),
        "json" => Writer::Array { out, first: true },
        "xml" => Writer::Xml(XmlRecordWriter::new(out)),
        layout => Writer::Layout {
            out,
            profile: Box::new(load_profile(layout).map_err(|_| {
                ErrorKind::Usage(format!(
                    "--to `{layout}` is not jsonl, json, xml or a profile name (`ctdx profile list`)"
                ))
            })?),
            header: false,
        },
    };
    let mut sink = Sink::new(records, rejects_path.as_deref())?;
    // A directory (e.g. ODK's instances folder) converts file by file into one output.
    let outcomes = expand(std::slice::from_ref(&args.input))
        .into_iter()
        .map(|input| match input {
            Input::Named(name) => {
                sink.file.clone_from(&name);
                check(&name, &how, &mut sink)
            }
            Input::Failed { path, error } => FileOutcome::Failed { path, error },
        })
        .collect();
    let report = Report::new(outcomes);
    let withheld = withheld(&report, keep_going);
    let output = sink.output(args.output.as_deref(), keep_going, withheld);
    let report = report.with_output(output);
    let (records, rejects) = sink.into_staged(Writer::finish)?;
    let mut outputs = Vec::new();
    match &args.report {
        Some(path) => {
            let mut staged = Staged::new(Some(path))?;
            render(&report, args.format, &mut staged).map_err(|e| Error::write(path, e))?;
            outputs.push(staged);
        }
        None => emit_to_stderr(|out| render(&report, args.format, out))?,
    }
    if withheld.is_none() {
        outputs.push(records);
        outputs.extend(rejects);
    }
    publish(outputs)?;
    Ok(exit_code(report.decision))
}

/// Why none of the run's records may be written, if so: an input that could not be read, an
/// error about a whole file or the batch (it concerns every record, so keeping going cannot
/// help), or, unless the run keeps going, any record's error.
fn withheld(report: &Report, keep_going: bool) -> Option<Withheld> {
    let mut file_errors = false;
    for file in &report.files {
        match file {
            FileOutcome::Failed { .. } => return Some(Withheld::UnreadableInput),
            FileOutcome::Checked(f) => {
                file_errors |= f.verdicts.map_or(f.counts.error > 0, |v| v.file_errors > 0);
            }
        }
    }
    if file_errors {
        Some(Withheld::FileErrors)
    } else if !keep_going && report.decision == Decision::Rejected {
        Some(Withheld::RecordErrors)
    } else {
        None
    }
}

fn render(report: &Report, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, human::Style { color: false }, out),
        Format::Json => json::render(report, out),
        Format::Csv => csv::render(report, out),
    }
}
