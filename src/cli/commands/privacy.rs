//! `ctdx privacy`: the risk report of one file alone; also loads the privacy settings shared
//! with `ctdx validate` (policy file, hub tallies, `--publish`, `--k`).

use std::fs::File;
use std::io;
use std::path::Path;

use ctdx::privacy::{HubTallies, Policy, PrivacyOptions};
use ctdx::report::human::Style;
use ctdx::report::privacy::PrivacyReport;
use ctdx::validate::{ValidateOptions, validate_reader};
use ctdx::{Error, ErrorKind};

use crate::cli::args::{PrivacyArgs, PrivacyCommandArgs, PrivacyFormat};
use crate::cli::output::{Dest, Outputs, current_year, use_color};
use crate::cli::{EXIT_OK, EXIT_REJECTED};

/// The policy file named on the command line, or the default policy.
pub fn load_policy(path: Option<&Path>) -> Result<Policy, Error> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::read(&shown, e))?;
    Policy::parse(&text, &shown).map_err(|r| fail(path, r))
}

fn fail(what: &Path, reason: String) -> Error {
    ErrorKind::Privacy(format!("{}: {reason}", what.display())).into()
}

/// The gate's options from the command line.
pub fn options(args: &PrivacyArgs) -> Result<PrivacyOptions, Error> {
    let mut policy = load_policy(args.policy.as_deref())?;
    if let Some(k) = args.k {
        if k < ctdx::privacy::policy::MIN_K {
            return Err(ErrorKind::Privacy(format!(
                "--k {k} is below the floor of {}",
                ctdx::privacy::policy::MIN_K
            ))
            .into());
        }
        policy.k = k;
    }
    policy.publish |= args.publish;
    let hub = match &args.hub_tallies {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::read(&path.display().to_string(), e))?;
            Some(HubTallies::parse(&text).map_err(|r| fail(path, r))?)
        }
        None => None,
    };
    PrivacyOptions::new(policy, hub).map_err(|r| ErrorKind::Privacy(r).into())
}

pub fn run(args: PrivacyCommandArgs) -> Result<u8, Error> {
    let mut options = ValidateOptions::new(current_year());
    options.privacy = options_or(&args.privacy)?;
    options.limits = options.privacy.policy.limits;
    let name = args.file.as_str();
    let mut outputs = Outputs::new();
    outputs.reads([name]);
    outputs.reads(&args.privacy.policy);
    outputs.reads(&args.privacy.hub_tallies);
    let dest = Dest::from_arg(args.output.as_deref());
    let color = use_color(crate::cli::args::ColorChoice::Auto, !dest.is_stdout());
    let mut out = outputs.stage("-o", dest)?;
    let file = if name == "-" {
        validate_reader(io::stdin(), name, &options)?
    } else {
        let input = File::open(name).map_err(|e| Error::read(name, e))?;
        validate_reader(input, name, &options)?
    };
    let Some(report) = PrivacyReport::from_file(&file) else {
        return Ok(EXIT_OK);
    };
    out.fill(|out| match args.format {
        PrivacyFormat::Human => report.render_human(Style { color }, out),
        PrivacyFormat::Json => report.render_json(out),
        PrivacyFormat::Html => report.render_html(out),
    })?;
    outputs.publish([out])?;
    let errors = report
        .findings
        .iter()
        .any(|d| d.severity == ctdx::diag::Severity::Error);
    Ok(if errors { EXIT_REJECTED } else { EXIT_OK })
}

fn options_or(args: &PrivacyArgs) -> Result<PrivacyOptions, Error> {
    options(args)
}
