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
use crate::cli::output::{emit, write_atomically};
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

    let to_stdout = args.output == "-";
    let report = if to_stdout {
        let stdout = io::stdout();
        let mut lock = stdout.lock();
        migrate_input(&args.input, &mut lock, &options)?
    } else {
        // The migration runs inside the atomic writer; its own error is kept aside so that a
        // read failure is not reported as a write failure.
        let mut outcome = None;
        let written = write_atomically(Path::new(&args.output), |out| {
            let result = migrate_input(&args.input, out, &options);
            let failed = result.is_err();
            outcome = Some(result);
            if failed {
                Err(io::Error::other("migration failed"))
            } else {
                Ok(())
            }
        });
        match outcome {
            Some(result) => {
                let report = result?;
                written?;
                report
            }
            // The writer failed before it could run the migration (e.g. no temporary file).
            None => {
                written?;
                return Err(Error::write(
                    &args.output,
                    io::Error::other("the output was not written"),
                ));
            }
        }
    };

    let render = |out: &mut dyn Write| match args.format {
        TextFormat::Human => render_human(&report, out),
        TextFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::other)?;
            writeln!(out)
        }
    };
    match (&args.report, to_stdout) {
        (Some(path), _) => write_atomically(path, render)?,
        (None, false) => emit(None, render)?,
        (None, true) => {
            let mut text = Vec::new();
            render(&mut text).map_err(|e| Error::write("standard error", e))?;
            eprint!("{}", String::from_utf8_lossy(&text));
        }
    }
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
