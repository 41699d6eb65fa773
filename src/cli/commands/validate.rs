//! `ctdx validate`: check files (converting spreadsheets on the way), render one report, exit
//! 0 / 1 / 2.

use ctdx::Error;
use ctdx::report::{FileOutcome, Report, csv, human, json};

use crate::cli::args::{Format, ValidateArgs};
use crate::cli::inputs::{Input, check, expand};
use crate::cli::output::{Dest, Outputs, use_color};
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
    let inputs = expand(&args.files);
    // The report's place is checked before the work: it must not be one of the inputs.
    let mut outputs = Outputs::new();
    outputs.reads(inputs.iter().filter_map(Input::name));
    outputs.reads(&args.privacy.policy);
    outputs.reads(&args.privacy.hub_tallies);
    outputs.reads(&args.source.profile);
    let dest = Dest::from_arg(args.output.as_deref());
    let color = use_color(args.color, !dest.is_stdout());
    let mut out = outputs.stage("-o", dest)?;
    let files: Vec<FileOutcome> = inputs
        .into_iter()
        .map(|input| match input {
            Input::Named(name) => check(&name, &how, &mut ()),
            Input::Failed { path, error } => FileOutcome::Failed { path, error },
        })
        .collect();
    let report = Report::new(files);
    out.fill(|out| match args.format {
        Format::Human => human::render(&report, human::Style { color }, out),
        Format::Json => json::render(&report, out),
        Format::Csv => csv::render(&report, out),
    })?;
    outputs.publish([out])?;
    Ok(exit_code(report.decision))
}
