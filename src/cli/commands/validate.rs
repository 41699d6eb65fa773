//! `ctdx validate`: check files (converting spreadsheets on the way), render one report, exit
//! 0 / 1 / 2.

use ctdx::Error;
use ctdx::report::{FileOutcome, Report, csv, human, json};

use crate::cli::args::{Format, ValidateArgs};
use crate::cli::inputs::{Input, check, expand};
use crate::cli::output::{emit, use_color};
use crate::cli::{checking, exit_code};

pub fn run(args: ValidateArgs) -> Result<u8, Error> {
    let mut how = checking(
        args.schema_version.as_deref(),
        &args.source,
        args.max_findings,
    )?;
    how.validate.privacy = super::privacy::options(&args.privacy)?;
    how.validate.jobs = args.jobs;
    // The policy's `[limits]` bound every reader (spec/limits.md).
    how.validate.limits = how.validate.privacy.policy.limits;
    let files: Vec<FileOutcome> = expand(&args.files)
        .into_iter()
        .map(|input| match input {
            Input::Named(name) => check(&name, &how, &mut ()),
            Input::Failed { path, error } => FileOutcome::Failed { path, error },
        })
        .collect();
    let report = Report::new(files);
    let color = use_color(args.color, args.output.is_some());
    emit(args.output.as_deref(), |out| match args.format {
        Format::Human => human::render(&report, human::Style { color }, out),
        Format::Json => json::render(&report, out),
        Format::Csv => csv::render(&report, out),
    })?;
    Ok(exit_code(report.decision))
}
