//! `ctdx validate`: check files, render one report, exit 0 / 1 / 2.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use ctdx::Error;
use ctdx::model::SchemaVersion;
use ctdx::report::{Decision, FileOutcome, Report, human, json};
use ctdx::validate::{ValidateOptions, validate_reader};

use crate::cli::args::{Format, ValidateArgs};
use crate::cli::output::{current_year, emit, use_color};
use crate::cli::{EXIT_OK, EXIT_REJECTED, EXIT_TROUBLE};

pub fn run(args: ValidateArgs) -> Result<u8, Error> {
    let schema_version = args
        .schema_version
        .as_deref()
        .map(|v| {
            v.parse::<SchemaVersion>()
                .map_err(|_| ctdx::ErrorKind::UnknownVersion(v.to_owned()))
        })
        .transpose()?;
    let mut options = ValidateOptions::new(current_year());
    options.schema_version = schema_version;
    options.max_findings = Some(args.max_findings);
    options.privacy = super::privacy::options(&args.privacy)?;

    let files: Vec<FileOutcome> = expand(&args.files)
        .into_iter()
        .map(|input| match input {
            Input::Named(name) => check(&name, &options),
            Input::Failed { path, error } => FileOutcome::Failed { path, error },
        })
        .collect();
    let report = Report::new(files);

    let color = use_color(args.color, args.output.is_some());
    emit(args.output.as_deref(), |out| match args.format {
        Format::Human => human::render(&report, human::Style { color }, out),
        Format::Json => json::render(&report, out),
    })?;

    Ok(match report.decision {
        Decision::Accepted | Decision::AcceptedWithWarnings => EXIT_OK,
        Decision::Rejected => EXIT_REJECTED,
        Decision::Unreadable => EXIT_TROUBLE,
    })
}

/// One input after directories are expanded.
enum Input {
    /// A file to check (or `-`).
    Named(String),
    /// A directory that could not be listed or held nothing to check.
    Failed { path: String, error: String },
}

/// The extensions taken from a directory.
const JSON_EXTENSIONS: &[&str] = &["json", "jsonl", "ndjson"];

/// Replaces each directory by the JSON files under it (recursively, sorted by path); a directory
/// without any becomes a failed outcome rather than silently nothing.
fn expand(inputs: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if input == "-" || !path.is_dir() {
            out.push(Input::Named(input.clone()));
            continue;
        }
        let mut found = Vec::new();
        if let Err(e) = collect(path, &mut found) {
            out.push(Input::Failed {
                path: input.clone(),
                error: format!("cannot list the directory: {e}"),
            });
            continue;
        }
        if found.is_empty() {
            out.push(Input::Failed {
                path: input.clone(),
                error: "the directory holds no .json, .jsonl or .ndjson file".into(),
            });
        }
        found.sort();
        out.extend(
            found
                .into_iter()
                .map(|p| Input::Named(p.to_string_lossy().into_owned())),
        );
    }
    out
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, found)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| JSON_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            found.push(path);
        }
    }
    Ok(())
}

/// Checks one input; a failure to read it becomes its outcome, not the end of the run.
fn check(name: &str, options: &ValidateOptions) -> FileOutcome {
    let result = if name == "-" {
        validate_reader(io::stdin().lock(), name, options)
    } else {
        File::open(name)
            .map_err(|e| Error::read(name, e))
            .and_then(|file| validate_reader(file, name, options))
    };
    match result {
        Ok(report) => FileOutcome::Checked(report),
        Err(error) => FileOutcome::Failed {
            path: name.to_owned(),
            error: error.to_string(),
        },
    }
}
