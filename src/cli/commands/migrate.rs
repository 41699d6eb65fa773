//! `ctdx migrate`: move records between versions; data to -o, the report to --report (or
//! stdout, or stderr when the data takes stdout). Exit 0, or 1 when records were not written.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use ctdx::migrate::{MigrateOptions, MigrationReport, migrate_reader, render_human};
use ctdx::model::SchemaVersion;
use ctdx::report::Decision;
use ctdx::{Error, ErrorKind};

use crate::cli::args::{MigrateArgs, TextFormat};
use crate::cli::commands::privacy::load_policy;
use crate::cli::output::{Dest, Outputs};
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
    let mut data = outputs.stage("-o", Dest::from_arg(Some(Path::new(&args.output))))?;
    let mut report_out = outputs.stage(
        "--report",
        Dest::report_beside(args.report.as_deref(), &data),
    )?;
    let report = migrate_input(&args.input, &mut data, &options)?;
    report_out.fill(|out| match args.format {
        TextFormat::Human => render_human(&report, out),
        TextFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
            writeln!(out)
        }
    })?;
    outputs.publish([data, report_out])?;
    Ok(if report.decision == Decision::Rejected {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

fn migrate_input(
    input: &str,
    out: &mut dyn Write,
    options: &MigrateOptions,
) -> Result<MigrationReport, Error> {
    if input == "-" {
        migrate_reader(io::stdin().lock(), input, out, options)
    } else {
        let file = File::open(input).map_err(|e| Error::read(input, e))?;
        migrate_reader(file, input, out, options)
    }
}
