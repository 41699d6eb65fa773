//! The command-line front-end: argument parsing, output choice, colour and exit codes. Declared
//! from `main.rs` only, so none of it is library API. This is the only place that reads the
//! environment (`NO_COLOR`, and in debug builds the test switches of `output` and `temporary`),
//! the clock, or decides whether stdout is a terminal. Operational errors go to stderr through
//! [`say`] (not `eprintln!`, which panics on a closed stderr); outputs go through `output`.

mod args;
mod commands;
mod crash;
mod inputs;
mod output;
mod rejects;
mod temporary;

use std::process::ExitCode;

use clap::Parser;
use ctdx::report::Decision;
use ctdx::{Error, ErrorKind};

use args::{Cli, Command, ProfileCommand, SchemaCommand, SourceArgs};

/// Exit code for an accepted batch.
const EXIT_OK: u8 = 0;
/// Exit code for a rejected batch.
const EXIT_REJECTED: u8 = 1;
/// Exit code for unreadable input or a usage error (clap uses 2 for usage errors too).
const EXIT_TROUBLE: u8 = 2;

/// Runs the command line and returns the process's exit code. A panic is reported as an
/// internal error (exit 2), never as a backtrace (`crash`).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let (what, inputs) = describe(&cli.command);
    let code = crash::catch(what, &inputs, || match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            say(&format!("error: {error}"));
            EXIT_TROUBLE
        }
    });
    ExitCode::from(code.unwrap_or_else(|internal| {
        say(&format!("error: {internal}"));
        EXIT_TROUBLE
    }))
}

fn run(command: Command) -> Result<u8, Error> {
    match command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Convert(args) => commands::convert::run(args),
        Command::Profile(cmd) => commands::profile::run(cmd),
        Command::Schema(cmd) => commands::schema::run(cmd),
        Command::Template(args) => commands::template::run(args),
        Command::Migrate(args) => commands::migrate::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Privacy(args) => commands::privacy::run(args),
        Command::Pseudonymize(args) => commands::pseudonymize::run(args),
        Command::Anonymize(args) => commands::anonymize::run(args),
    }
}

/// The command's name and the inputs it reads, for the report of an internal error.
fn describe(command: &Command) -> (&'static str, Vec<String>) {
    let one = |input: &str| vec![input.to_owned()];
    match command {
        Command::Validate(args) => ("validate", args.files.clone()),
        Command::Convert(args) => ("convert", one(&args.input)),
        Command::Profile(ProfileCommand::Infer { file, .. }) => ("profile infer", one(file)),
        Command::Profile(_) => ("profile", Vec::new()),
        Command::Schema(SchemaCommand::Diff { old, new, .. }) => {
            ("schema diff", vec![old.clone(), new.clone()])
        }
        Command::Schema(_) => ("schema", Vec::new()),
        Command::Template(_) => ("template", Vec::new()),
        Command::Migrate(args) => ("migrate", one(&args.input)),
        Command::Explain(_) => ("explain", Vec::new()),
        Command::Privacy(args) => ("privacy", one(&args.file)),
        Command::Pseudonymize(args) => ("pseudonymize", one(&args.input)),
        Command::Anonymize(args) => ("anonymize", one(&args.input)),
    }
}

/// Tells the user something on standard error; a closed standard error silences it rather than
/// ending the run in a panic (as `eprintln!` would).
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The exit code of a run's decision.
fn exit_code(decision: Decision) -> u8 {
    match decision {
        Decision::Accepted | Decision::AcceptedWithWarnings => EXIT_OK,
        Decision::Rejected => EXIT_REJECTED,
        Decision::Unreadable => EXIT_TROUBLE,
    }
}

/// Turns the shared reading flags into the library's options.
fn checking(
    schema_version: Option<&str>,
    source: &SourceArgs,
    max_findings: usize,
) -> Result<inputs::Checking, Error> {
    let mut validate = ctdx::validate::ValidateOptions::new(output::current_year());
    validate.schema_version = schema_version
        .map(|v| {
            v.parse()
                .map_err(|_| ErrorKind::UnknownVersion(v.to_owned()))
        })
        .transpose()?;
    validate.max_findings = Some(max_findings);
    let mut csv = ctdx::read::csv::CsvOptions {
        limits: validate.limits,
        ..Default::default()
    };
    if let Some(label) = &source.encoding {
        csv.encoding = Some(
            encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                ErrorKind::Usage(format!(
                    "unknown encoding `{label}` (try utf-8, windows-1252, iso-8859-1, utf-16le)"
                ))
            })?,
        );
    }
    if let Some(d) = &source.delimiter {
        csv.delimiter = Some(match d.as_str() {
            "," | "comma" => b',',
            ";" | "semicolon" => b';',
            "tab" | "\\t" | "\t" => b'\t',
            other => {
                return Err(ErrorKind::Usage(format!(
                    "delimiter `{other}` is not `,` `;` or `tab`"
                ))
                .into());
            }
        });
    }
    let profile = source
        .profile
        .as_deref()
        .map(inputs::load_profile)
        .transpose()?;
    Ok(inputs::Checking {
        validate,
        profile,
        csv,
        sheet: source.sheet.clone(),
        header_row: source.header_row,
    })
}
