//! `ctdx schema diff` and `ctdx schema check`: the breaking-change detector and the versioning
//! policy, reading schema files from disk (the library compares values, it reads nothing).

use std::fs;
use std::io;
use std::path::Path;

use ctdx::Error;
use ctdx::model::SchemaVersion;
use ctdx::schema::diff::policy::{self, SchemaFile, Violation};
use ctdx::schema::diff::{Change, Impact, counts, diff as compare};
use ctdx::schema::{self, parse_lock, sha256_hex};
use serde_json::Value;

use crate::cli::args::{FailOn, TextFormat};
use crate::cli::output::print;
use crate::cli::{EXIT_OK, EXIT_REJECTED};

/// A released version's schema, or a schema file.
fn load(which: &str) -> Result<Value, Error> {
    if let Ok(version) = which.parse::<SchemaVersion>() {
        return Ok(schema::released(version).value.clone());
    }
    let text = fs::read_to_string(which).map_err(|e| Error::read(which, e))?;
    serde_json::from_str(&text).map_err(|e| Error::read(which, io::Error::other(e)))
}

pub fn diff(old: &str, new: &str, format: TextFormat, fail_on: FailOn) -> Result<u8, Error> {
    let changes = compare(&load(old)?, &load(new)?);
    print(|out| match format {
        TextFormat::Json => {
            let doc = serde_json::json!({
                "old": old,
                "new": new,
                "counts": counts(&changes).iter().map(|(i, n)| (i.as_str().to_owned(), Value::from(*n))).collect::<serde_json::Map<_, _>>(),
                "changes": changes,
            });
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)
        }
        TextFormat::Human => {
            let [b, n, i] = counts(&changes).map(|(_, n)| n);
            writeln!(
                out,
                "schema diff {old} -> {new}: {b} breaking, {n} non-breaking, {i} info"
            )?;
            for c in &changes {
                write_change(out, c)?;
            }
            Ok(())
        }
    })?;
    let fails = |c: &Change| match fail_on {
        FailOn::Breaking => c.impact == Impact::Breaking,
        FailOn::NonBreaking => c.impact != Impact::Info,
        FailOn::Info => true,
        FailOn::Never => false,
    };
    Ok(if changes.iter().any(fails) {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

fn write_change(out: &mut dyn io::Write, c: &Change) -> io::Result<()> {
    writeln!(
        out,
        "  {:<12} {} {:<31} {:<40} {}",
        c.impact.as_str(),
        c.check.id(),
        c.slug,
        if c.path.is_empty() { "/" } else { &c.path },
        c.message
    )
}

pub fn check(dir: &Path, format: TextFormat) -> Result<u8, Error> {
    let schema_dir = dir.join("schema");
    let lock_path = schema_dir.join("schema.lock");
    let lock_text = fs::read_to_string(&lock_path)
        .map_err(|e| Error::read(&lock_path.display().to_string(), e))?;
    let lock = parse_lock(&lock_text)
        .map_err(|e| Error::read(&lock_path.display().to_string(), io::Error::other(e)))?;
    let mut files = Vec::new();
    let entries =
        fs::read_dir(&schema_dir).map_err(|e| Error::read(&schema_dir.display().to_string(), e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(version) = policy::parse_version(&name) else {
            continue;
        };
        let rel = format!("{name}/case-record.schema.json");
        let path = schema_dir.join(&rel);
        let Ok(bytes) = fs::read(&path) else {
            continue;
        };
        files.push(SchemaFile {
            version,
            path: rel,
            sha256: sha256_hex(&bytes),
            value: serde_json::from_slice(&bytes).ok(),
        });
    }
    files.sort_by_key(|f| f.version);
    if files.is_empty() {
        let dir = schema_dir.display().to_string();
        return Err(Error::read(
            &dir,
            io::Error::other("no <version>/case-record.schema.json found"),
        ));
    }
    let guides: Vec<String> = fs::read_dir(dir.join("spec/migrations"))
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".md").map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default();
    let violations = policy::check(&files, &lock, &guides);
    let versions: Vec<String> = files
        .iter()
        .map(|f| format!("{}.{}", f.version.0, f.version.1))
        .collect();
    print(|out| match format {
        TextFormat::Json => {
            let doc = serde_json::json!({"versions": versions, "violations": violations});
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)
        }
        TextFormat::Human => write_check(out, &versions, &violations),
    })?;
    Ok(if violations.is_empty() {
        EXIT_OK
    } else {
        EXIT_REJECTED
    })
}

fn write_check(
    out: &mut dyn io::Write,
    versions: &[String],
    violations: &[Violation],
) -> io::Result<()> {
    writeln!(
        out,
        "schema check: versions {}: {} {}",
        versions.join(", "),
        violations.len(),
        if violations.len() == 1 {
            "violation"
        } else {
            "violations"
        }
    )?;
    for v in violations {
        writeln!(out, "  {} {}: {}", v.rule, v.subject, v.message)?;
        if let Some(c) = &v.change {
            write_change(out, c)?;
        }
    }
    Ok(())
}
