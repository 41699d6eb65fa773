//! `ctdx convert`: a spreadsheet (or canonical JSON) in, canonical records or a partner layout
//! out. The output is staged (`cli::output`) and published only when the batch has no error, so
//! a failed run leaves nothing behind; with `--keep-going`, when no error concerns a whole file
//! or the batch, the records without errors of their own are published with a rejects file
//! listing the others. The report goes to stderr or `--report`, with, for a layout, the loss
//! report of what the layout could not hold.

use std::io::{self, Write};
use std::path::Path;

use ctdx::convert::canonical_xml::XmlRecordWriter;
use ctdx::migrate::render_human as render_losses;
use ctdx::profile::LayoutWriter;
use ctdx::report::{Decision, FileOutcome, Report, Withheld, csv, human, json};
use ctdx::validate::RecordSink;
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use crate::cli::args::{ConvertArgs, Format};
use crate::cli::inputs::{Input, check, expand, load_profile};
use crate::cli::output::{Dest, Outputs};
use crate::cli::rejects::{Sink, rejects_dest};
use crate::cli::{checking, exit_code, say};

/// How records are written.
enum Writer<W: Write> {
    Lines(W),
    Array {
        out: W,
        first: bool,
    },
    /// A partner layout, with the report of what it cannot hold.
    Layout {
        out: W,
        layout: Box<LayoutWriter>,
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
                layout,
                header,
            } => {
                if !*header {
                    out.write_all(layout.header_line().as_bytes())?;
                    *header = true;
                }
                out.write_all(layout.record_line(record).as_bytes())
            }
            Writer::Xml(xml) => xml.record(record),
        }
    }
}

impl<W: Write> Writer<W> {
    /// Ends the output; for a layout, also hands back its writer, which holds the loss report.
    fn finish(self) -> io::Result<(W, Option<Box<LayoutWriter>>)> {
        match self {
            Writer::Lines(out) => Ok((out, None)),
            Writer::Array { mut out, first } => {
                out.write_all(if first { b"[]\n" } else { b"\n]\n" })?;
                Ok((out, None))
            }
            Writer::Layout {
                mut out,
                mut layout,
                header,
            } => {
                if !header {
                    out.write_all(layout.header_line().as_bytes())?;
                }
                Ok((out, Some(layout)))
            }
            Writer::Xml(xml) => xml.finish().map(|out| (out, None)),
        }
    }
}

pub fn run(args: ConvertArgs) -> Result<u8, Error> {
    let mut how = checking(
        args.schema_version.as_deref(),
        &args.source,
        args.max_findings,
    )?;
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
    // A directory (e.g. ODK's instances folder) converts file by file into one output.
    let inputs = expand(std::slice::from_ref(&args.input));
    // The outputs' places are checked before the work; the records (and rejects) are staged
    // and published with the report only when they may be (`withheld`).
    let mut outputs = Outputs::new();
    outputs.reads(inputs.iter().filter_map(Input::name));
    outputs.reads(&args.source.profile);
    outputs.reads([&args.to]); // a layout may be a profile file
    outputs.reads(&args.policy);
    outputs.reads(&args.pseudonymize_key);
    let keep_going = args.keep_going.keep_going;
    let data_dest = Dest::from_arg(args.output.as_deref());
    let rejects_dest = rejects_dest(&args.keep_going, &data_dest)?;
    let mut data = outputs.stage("-o", data_dest)?;
    let report_dest = match &args.report {
        Some(path) => Dest::from_arg(Some(path)),
        None => Dest::Stderr,
    };
    let mut report_out = outputs.stage("--report", report_dest)?;
    let rejects = match &rejects_dest {
        Some(dest) => Some((outputs.stage("--rejects", dest.clone())?, dest)),
        None => None,
    };
    let writer = match args.to.as_str() {
        "jsonl" => Writer::Lines(&mut data),
        "json" => Writer::Array {
            out: &mut data,
            first: true,
        },
        "xml" => Writer::Xml(XmlRecordWriter::new(&mut data)),
        layout => Writer::Layout {
            out: &mut data,
            layout: Box::new(LayoutWriter::new(
                load_profile(layout).map_err(|_| {
                    ErrorKind::Usage(format!(
                        "--to `{layout}` is not jsonl, json, xml or a profile name (`ctdx profile list`)"
                    ))
                })?,
                Some(args.max_findings),
            )),
            header: false,
        },
    };
    let mut sink = Sink::new(writer, rejects)?;
    let outcomes = inputs
        .into_iter()
        .map(|input| match input {
            Input::Named(name) => {
                sink.file.clone_from(&name);
                check(&name, &how, &mut sink)
            }
            Input::Failed { path, error } => FileOutcome::Failed { path, error },
        })
        .collect();
    let mut report = Report::new(outcomes);
    let withheld = withheld(&report, keep_going);
    report = report.with_output(sink.output(args.output.as_deref(), keep_going, withheld));
    let (writer, rejects) = sink.into_parts();
    let finished = writer.finish().map(|(_, layout)| layout);
    let layout = finished.map_err(|e| data.error(e))?;
    // What the layout could not hold is reported whether or not the output is published: the
    // records that were written are those that passed.
    if let Some(layout) = layout {
        let written = args
            .output
            .as_deref()
            .map_or_else(|| "-".to_owned(), |p| p.display().to_string());
        report = report.with_layout(layout.finish(&written));
    }
    report_out.fill(|out| render(&report, args.format, out))?;
    if withheld.is_none() {
        outputs.publish([data, report_out].into_iter().chain(rejects))?;
    } else {
        outputs.publish([report_out])?;
        // A report on standard error says so itself (and a note would break JSON or CSV).
        if args.report.is_some() {
            note_withheld(args.output.as_deref());
        }
    }
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
        Format::Human => {
            human::render(report, human::Style { color: false }, out)?;
            match &report.layout {
                Some(losses) => {
                    writeln!(out, "\nwritten layout (what it could not hold):")?;
                    render_losses(losses, out)
                }
                None => Ok(()),
            }
        }
        Format::Json => json::render(report, out),
        // One finding a line: the validation's (the loss report is in the human and JSON forms).
        Format::Csv => csv::render(report, out),
    }
}

fn note_withheld(path: Option<&Path>) {
    let target = match Dest::from_arg(path) {
        Dest::Path(p) => p.display().to_string(),
        _ => "standard output".to_owned(),
    };
    say(&format!(
        "nothing written to {target}: the batch has errors (see the report)"
    ));
}
