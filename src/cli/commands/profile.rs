//! `ctdx profile list | show`.

use std::fs::File;

use ctdx::convert::sample;
use ctdx::model::SchemaVersion;
use ctdx::profile::builtins;
use ctdx::read::csv::CsvOptions;
use ctdx::{Error, ErrorKind};

use crate::cli::EXIT_OK;
use crate::cli::args::ProfileCommand;
use crate::cli::inputs::{Format, format_of, load_profile};
use crate::cli::output::{Dest, Outputs, print};

pub fn run(command: ProfileCommand) -> Result<u8, Error> {
    match command {
        ProfileCommand::List => print(|out| {
            for p in builtins() {
                writeln!(out, "{:<22} {:<5} {}", p.name, p.schema_version, p.title)?;
            }
            Ok(())
        })?,
        ProfileCommand::Show { name } => {
            let profile = load_profile(&name)?;
            print(|out| out.write_all(profile.to_toml().as_bytes()))?;
        }
        ProfileCommand::Infer {
            file,
            schema_version,
            sample: rows,
        } => return infer(&file, schema_version.as_deref(), rows),
    }
    Ok(EXIT_OK)
}

fn infer(file: &str, version: Option<&str>, rows: usize) -> Result<u8, Error> {
    let version = match version {
        Some(v) => v
            .parse()
            .map_err(|_| ErrorKind::UnknownVersion(v.to_owned()))?,
        None => SchemaVersion::LATEST,
    };
    let xlsx = format_of(file, true) == Format::Xlsx;
    let input = File::open(file).map_err(|e| Error::read(file, e))?;
    let (headers, samples) = sample(input, file, xlsx, rows, &CsvOptions::default())?;
    let inference = ctdx::profile::infer(&headers, &samples, version);
    // The draft on standard output and the summary on standard error, published together.
    let mut outputs = Outputs::new();
    outputs.reads([file]);
    let mut draft = outputs.stage("standard output", Dest::Stdout)?;
    let mut summary = outputs.stage("standard error", Dest::Stderr)?;
    draft.fill(|out| out.write_all(inference.profile.to_toml().as_bytes()))?;
    summary.fill(|err| {
        writeln!(
            err,
            "drafted {} of {} columns; review every one before use",
            inference.profile.columns.len(),
            headers.len()
        )?;
        for (header, why) in &inference.unmapped {
            writeln!(err, "not mapped: `{header}`: {why}")?;
        }
        Ok(())
    })?;
    outputs.publish([draft, summary])?;
    Ok(EXIT_OK)
}
