//! `ctdx anonymize`: read validated records twice (first to count their classes, then to write
//! the release), and report the loss. Records that fail validation are refused (a release is
//! built from accepted data only). Memory grows with the number of classes, not of records, so
//! the input must be a file (standard input cannot be read twice).

use std::fs::File;
use std::io::BufReader;

use ctdx::model::SchemaVersion;
use ctdx::privacy::anonymize::{Anonymizer, Layout, report::write_human};
use ctdx::privacy::{HubTallies, Roles};
use ctdx::read::{Item, JsonReader, Limits};
use ctdx::schema;
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use crate::cli::EXIT_OK;
use crate::cli::args::{AnonymizeArgs, AnonymizeLayout, PrivacyArgs, TextFormat};
use crate::cli::output::{Dest, Outputs};

pub fn run(args: AnonymizeArgs) -> Result<u8, Error> {
    // The same loading and floors as `validate --policy … --k …`.
    let options = super::privacy::options(&privacy_args(&args))?;
    let policy = options.policy;
    let name = args.input.as_str();
    let layout = match args.layout {
        AnonymizeLayout::Release => Layout::Release,
        AnonymizeLayout::Hub => Layout::Hub,
    };
    if args.tallies.is_some() && layout != Layout::Hub {
        return Err(ErrorKind::Privacy(
            "--tallies needs --layout hub: hub tallies count exact values, a release may hold \
             generalised ones"
                .into(),
        )
        .into());
    }
    if name == "-" {
        return Err(ErrorKind::Privacy(
            "anonymize reads its input twice: give a file, not standard input".into(),
        )
        .into());
    }

    // Every output's place is checked before the work; all are published together at the end.
    let mut outputs = Outputs::new();
    outputs.reads([name]);
    outputs.reads(&args.policy);
    let mut data = outputs.stage("-o", Dest::from_arg(Some(&args.output)))?;
    let tallies_out = args
        .tallies
        .as_ref()
        .map(|path| outputs.stage("--tallies", Dest::from_arg(Some(path))))
        .transpose()?;
    let mut report_out = outputs.stage(
        "--report",
        Dest::report_beside(args.report.as_deref(), &data),
    )?;

    // Pass 1: check every record and count the classes. One release is one version: the
    // records' own (the first names it; a mixed batch is refused, since the versions'
    // quasi-identifiers differ).
    let mut version: Option<SchemaVersion> = None;
    let mut anonymizer: Option<Anonymizer> = None;
    for_each_record(name, &policy.limits, |record, value| {
        let refuse = |what: String| -> Error {
            ErrorKind::Privacy(format!("{name}: {what}; run `ctdx validate` first")).into()
        };
        let named = value
            .get("schemaVersion")
            .and_then(Value::as_str)
            .and_then(|v| v.parse::<SchemaVersion>().ok())
            .ok_or_else(|| refuse(format!("record {record} names no released version")))?;
        if *version.get_or_insert(named) != named {
            return Err(refuse(format!(
                "record {record} is version {named}, the first record {}: anonymize one version at a time (ctdx migrate)",
                version.map_or("", |v| v.as_str())
            )));
        }
        let released = schema::released(named);
        if !released.validator.is_valid(&value) {
            return Err(refuse(format!(
                "record {record} does not pass schema {}",
                released.version.as_str()
            )));
        }
        let anonymizer = match &mut anonymizer {
            Some(a) => a,
            None => anonymizer.insert(new_anonymizer(named, &policy, layout)?),
        };
        anonymizer.add(&value);
        Ok(())
    })?;
    let anonymizer = match anonymizer {
        Some(a) => a,
        None => new_anonymizer(SchemaVersion::LATEST, &policy, layout)?,
    };
    let plan = anonymizer.plan();

    // Pass 2: write the release, measuring what it holds; a release that fails the k check
    // it claims is not published.
    let mut hub_tallies = args
        .tallies
        .as_ref()
        .map(|_| HubTallies::from_records(plan.quasi_identifiers().to_vec(), &[]));
    let mut audit = plan.audit();
    for_each_record(name, &policy.limits, |_, value| {
        let released = plan.apply(value.clone())?;
        audit.add(&value, released.as_ref());
        if let Some(r) = &released {
            if let Some(t) = &mut hub_tallies {
                t.add(r);
            }
            data.fill(|out| {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")
            })?;
        }
        Ok(())
    })?;
    let report = audit.finish(&plan, &policy)?;
    if report.verified_records_at_risk > 0 {
        return Err(ErrorKind::Privacy(format!(
            "the release would leave {} records in classes below k = {}: nothing written (this \
             is a bug, please report it)",
            report.verified_records_at_risk, report.k
        ))
        .into());
    }
    let mut staged = vec![data];
    if let (Some(mut out), Some(tallies)) = (tallies_out, &hub_tallies) {
        out.fill(|out| {
            serde_json::to_writer_pretty(&mut *out, &tallies.to_json())?;
            out.write_all(b"\n")
        })?;
        staged.push(out);
    }
    let format = args.format.unwrap_or(if args.report.is_some() {
        TextFormat::Json
    } else {
        TextFormat::Human
    });
    report_out.fill(|out| match format {
        TextFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            out.write_all(b"\n")
        }
        TextFormat::Human => write_human(&report, out),
    })?;
    staged.push(report_out);
    outputs.publish(staged)?;
    Ok(EXIT_OK)
}

fn new_anonymizer(
    version: SchemaVersion,
    policy: &ctdx::privacy::Policy,
    layout: Layout,
) -> Result<Anonymizer, Error> {
    let roles = Roles::from_schema(&schema::released(version).value);
    let qis = policy
        .quasi_identifiers
        .clone()
        .unwrap_or_else(|| roles.quasi_identifiers.clone());
    Anonymizer::new(qis, policy, layout)
}

/// Reads every record of the input (JSON Lines or a JSON array) with the validator's reader,
/// within the policy's reading limits.
fn for_each_record(
    name: &str,
    limits: &Limits,
    mut each: impl FnMut(u64, Value) -> Result<(), Error>,
) -> Result<(), Error> {
    let file = File::open(name).map_err(|e| Error::read(name, e))?;
    let reader =
        JsonReader::new(BufReader::new(file), *limits).map_err(|e| Error::read(name, e))?;
    for item in reader {
        match item.map_err(|e| Error::read(name, e))? {
            Item::Record { bytes, record, .. } => {
                let value: Value = serde_json::from_slice(&bytes).map_err(|_| -> Error {
                    ErrorKind::Privacy(format!(
                        "{name}: record {record} is not valid JSON; run `ctdx validate` first"
                    ))
                    .into()
                })?;
                each(record, value)?;
            }
            Item::LimitExceeded(diagnostic) => {
                return Err(ErrorKind::Privacy(format!("{name}: {}", diagnostic.message)).into());
            }
            _ => {
                return Err(ErrorKind::Privacy(format!(
                    "{name}: the input is broken or has an oversized record; run `ctdx validate` first"
                ))
                .into());
            }
        }
    }
    Ok(())
}

/// The privacy settings of `anonymize` in the shape `validate` takes them.
fn privacy_args(args: &AnonymizeArgs) -> PrivacyArgs {
    PrivacyArgs {
        policy: args.policy.clone(),
        hub_tallies: None,
        publish: false,
        k: args.k,
    }
}
