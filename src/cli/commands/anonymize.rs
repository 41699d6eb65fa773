//! `ctdx anonymize`: read validated records, write a k-anonymous release (JSON Lines) and a loss
//! report. The records are read with the validator's reader; records that fail validation are
//! refused (the release is built from accepted data only).

use std::fs::File;
use std::io::BufReader;

use ctdx::model::SchemaVersion;
use ctdx::privacy::anonymize::anonymize;
use ctdx::privacy::{HubTallies, Roles};
use ctdx::read::{Item, JsonReader, Limits};
use ctdx::schema;
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use crate::cli::EXIT_OK;
use crate::cli::args::{AnonymizeArgs, PrivacyArgs};
use crate::cli::output::{emit, write_atomically};

pub fn run(args: AnonymizeArgs) -> Result<u8, Error> {
    // The same loading and floors as `validate --policy … --k …`.
    let options = super::privacy::options(&privacy_args(&args))?;
    let policy = options.policy;
    let name = args.input.as_str();
    let file = File::open(name).map_err(|e| Error::read(name, e))?;
    let reader = JsonReader::new(BufReader::new(file), Limits::default())
        .map_err(|e| Error::read(name, e))?;
    // One release is one version: the records' own (the first names it; a mixed batch is refused,
    // since the versions' quasi-identifiers differ).
    let mut version: Option<SchemaVersion> = None;
    let mut records = Vec::new();
    for item in reader {
        let refuse = |what: String| -> Error {
            ErrorKind::Privacy(format!("{name}: {what}; run `ctdx validate` first")).into()
        };
        match item.map_err(|e| Error::read(name, e))? {
            Item::Record { bytes, record, .. } => {
                let value: Value = serde_json::from_slice(&bytes)
                    .map_err(|_| refuse(format!("record {record} is not valid JSON")))?;
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
                records.push(value);
            }
            _ => {
                return Err(refuse(
                    "the input is broken or has an oversized record".into(),
                ));
            }
        }
    }
    let roles =
        Roles::from_schema(&schema::released(version.unwrap_or(SchemaVersion::LATEST)).value);
    let (release, report) = anonymize(records, &roles, &policy);
    write_atomically(&args.output, |out| {
        for r in &release {
            serde_json::to_writer(&mut *out, r)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    if let Some(path) = &args.tallies {
        let tallies = HubTallies::from_records(report.quasi_identifiers.clone(), &release);
        write_atomically(path, |out| {
            serde_json::to_writer_pretty(&mut *out, &tallies.to_json())?;
            out.write_all(b"\n")
        })?;
    }
    let render = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        if args.report.is_some() {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            return out.write_all(b"\n");
        }
        writeln!(
            out,
            "k = {} over {}",
            report.k,
            report.quasi_identifiers.join(", ")
        )?;
        writeln!(
            out,
            "records: {} in, {} released, {} withheld, {} released with suppressed values",
            report.records_in,
            report.records_out,
            report.records_withheld,
            report.records_with_loss
        )?;
        for (q, n) in &report.suppressed_cells {
            writeln!(out, "  {q}: {n} suppressed, 0 generalised")?;
        }
        for plan in &report.plans {
            let chosen = if *plan == report.chosen_plan {
                " (chosen)"
            } else {
                ""
            };
            let how = plan.column_suppressed.as_ref().map_or_else(
                || "local suppression".to_owned(),
                |c| format!("{c} suppressed everywhere, then local suppression"),
            );
            writeln!(
                out,
                "plan: {how}: {} cells lost, {} records withheld{chosen}",
                plan.cells_lost, plan.records_withheld
            )?;
        }
        writeln!(
            out,
            "plain record suppression would withhold {} records",
            report.record_suppression_would_withhold
        )?;
        writeln!(
            out,
            "verified: smallest class {}, {} records at risk",
            report.verified_smallest_class, report.verified_records_at_risk
        )
    };
    emit(args.report.as_deref(), render)?;
    Ok(EXIT_OK)
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
