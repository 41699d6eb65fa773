//! `ctdx schema list | show | export | diff | check`.

use std::fs;
use std::path::{Path, PathBuf};

use ctdx::model::SchemaVersion;
use ctdx::report::Report;
use ctdx::schema::{self, LockEntry, data_dictionary, parse_lock, sha256_hex, to_file_text};
use ctdx::{Error, ErrorKind};

use crate::cli::args::SchemaCommand;
use crate::cli::output::{Dest, Outputs, print};
use crate::cli::{EXIT_OK, EXIT_REJECTED};

pub fn run(command: SchemaCommand) -> Result<u8, Error> {
    match command {
        SchemaCommand::List => list(),
        SchemaCommand::Show { which } => show(&which),
        SchemaCommand::Export { dir, check } => export(&dir, check),
        SchemaCommand::Diff {
            old,
            new,
            format,
            fail_on,
        } => super::schema_diff::diff(&old, &new, format, fail_on),
        SchemaCommand::Check { dir, format } => super::schema_diff::check(&dir, format),
    }
}

fn list() -> Result<u8, Error> {
    print(|out| {
        writeln!(out, "VERSION  FILE                                 SHA-256")?;
        for &version in SchemaVersion::ALL {
            let r = schema::released(version);
            let latest = if version == SchemaVersion::LATEST {
                "  (latest)"
            } else {
                ""
            };
            writeln!(
                out,
                "{:<8} schema/{:<30} {}{latest}",
                version.as_str(),
                r.path,
                r.sha256
            )?;
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}

fn show(version: &str) -> Result<u8, Error> {
    let text = if version == "report" {
        to_file_text(&Report::json_schema())
    } else {
        let v: SchemaVersion = version
            .parse()
            .map_err(|_| ErrorKind::UnknownVersion(version.to_owned()))?;
        schema::released(v).text.to_owned()
    };
    print(|out| out.write_all(text.as_bytes()))?;
    Ok(EXIT_OK)
}

/// Every generated file: its path under the project root and its content.
fn generated_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for &version in SchemaVersion::ALL {
        let rel = schema::relative_path(version);
        let generated = schema::case_record_schema(version);
        files.push((Path::new("schema").join(rel), to_file_text(&generated)));
        files.push((
            Path::new("spec")
                .join(version.as_str())
                .join("data-dictionary.md"),
            data_dictionary(version, &generated),
        ));
    }
    files.push((
        Path::new("schema/report/report.schema.json").to_path_buf(),
        to_file_text(&Report::json_schema()),
    ));
    files
}

fn export(dir: &Path, check: bool) -> Result<u8, Error> {
    let lock_path = dir.join("schema/schema.lock");
    let lock: Vec<LockEntry> = match fs::read_to_string(&lock_path) {
        Ok(text) => parse_lock(&text)
            .map_err(|e| Error::read(&lock_path.display().to_string(), std::io::Error::other(e)))?,
        Err(_) => Vec::new(),
    };
    let mut stale = Vec::new();
    // Every stale file is staged, and all are published together.
    let mut outputs = Outputs::new();
    outputs.reads([&lock_path]);
    let mut staged = Vec::new();
    for (rel, text) in generated_files() {
        let path = dir.join(&rel);
        if fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            continue;
        }
        let schema_rel = rel
            .strip_prefix("schema")
            .ok()
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        let locked = lock.iter().find(|e| Some(&e.path) == schema_rel.as_ref());
        if let Some(entry) = locked {
            if entry.sha256 != sha256_hex(text.as_bytes()) {
                return Err(ErrorKind::ReleasedSchemaChanged(entry.path.clone()).into());
            }
        }
        stale.push(rel.display().to_string());
        if !check {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
            }
            let mut out = outputs.stage("--dir", Dest::Path(path))?;
            out.fill(|out| out.write_all(text.as_bytes()))?;
            staged.push(out);
        }
    }
    outputs.publish(staged)?;
    print(|out| {
        for file in &stale {
            let verb = if check { "out of date" } else { "wrote" };
            writeln!(out, "{verb}: {file}")?;
        }
        if stale.is_empty() {
            writeln!(out, "all generated files are up to date")?;
        }
        Ok(())
    })?;
    Ok(if check && !stale.is_empty() {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}
