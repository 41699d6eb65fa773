//! `ctdx migrate`: move records between versions; data to -o, the report to --report (or
//! stdout, or stderr when the data takes stdout). The records are written only when every record
//! could be migrated; with `--keep-going`, those that could are written and the others listed in
//! a rejects file. Exit 0, or 1 when a record could not be migrated.

use std::fs::File;
use std::io;
use std::path::Path;

use ctdx::migrate::{MigrateOptions, MigrationReport, migrate_reader, render_human};
use ctdx::model::SchemaVersion;
use ctdx::report::{Decision, Withheld};
use ctdx::validate::{JsonLines, RecordSink};
use ctdx::{Error, ErrorKind};

use crate::cli::args::{MigrateArgs, TextFormat};
use crate::cli::commands::privacy::load_policy;
use crate::cli::output::{Dest, Outputs};
use crate::cli::rejects::{Sink, rejects_dest};
use crate::cli::{EXIT_OK, EXIT_REJECTED};

pub fn run(args: MigrateArgs) -> Result<u8, Error> {
    let version = |v: &str| {
        v.parse::<SchemaVersion>()
            .map_err(|_| Error::from(ErrorKind::UnknownVersion(v.to_owned())))
    };
    let mut options = MigrateOptions::new(version(&args.to)?);
    options.schema_version = args.schema_version.as_deref().map(version).transpose()?;
    options.max_findings = Some(args.max_findings);
    options.limits = load_policy(args.policy.as_deref())?.limits;

    let mut outputs = Outputs::new();
    outputs.reads([&args.input]);
    outputs.reads(&args.policy);
    let keep_going = args.keep_going.keep_going;
    let data_path = Path::new(&args.output);
    let data_dest = Dest::from_arg(Some(data_path));
    let rejects_dest = rejects_dest(&args.keep_going, &data_dest)?;
    let mut data = outputs.stage("-o", data_dest)?;
    let mut report_out = outputs.stage(
        "--report",
        Dest::report_beside(args.report.as_deref(), &data),
    )?;
    let rejects = match &rejects_dest {
        Some(dest) => Some((outputs.stage("--rejects", dest.clone())?, dest)),
        None => None,
    };
    let mut sink = Sink::new(JsonLines(&mut data), rejects)?;
    sink.file.clone_from(&args.input);
    let report = migrate_input(&args.input, &mut sink, &options)?;
    let withheld = withheld(&report, keep_going);
    let report = report.with_output(sink.output(Some(data_path), keep_going, withheld));
    let (_, rejects) = sink.into_parts();
    report_out.fill(|out| match args.format {
        TextFormat::Human => render_human(&report, out),
        TextFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
            writeln!(out)
        }
    })?;
    if withheld.is_none() {
        outputs.publish([data, report_out].into_iter().chain(rejects))?;
    } else {
        outputs.publish([report_out])?;
    }
    Ok(if report.decision == Decision::Rejected {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

/// Why none of the records may be written, if so: an error about the file as a whole, or,
/// unless the run keeps going, any record that could not be migrated.
fn withheld(report: &MigrationReport, keep_going: bool) -> Option<Withheld> {
    if report.file_errors > 0 {
        Some(Withheld::FileErrors)
    } else if !keep_going && report.decision == Decision::Rejected {
        Some(Withheld::RecordErrors)
    } else {
        None
    }
}

fn migrate_input(
    input: &str,
    out: &mut dyn RecordSink,
    options: &MigrateOptions,
) -> Result<MigrationReport, Error> {
    if input == "-" {
        migrate_reader(io::stdin().lock(), input, out, options)
    } else {
        let file = File::open(input).map_err(|e| Error::read(input, e))?;
        migrate_reader(file, input, out, options)
    }
}
