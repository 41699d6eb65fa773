//! Migrations between versions of the standard, as code: one step per pair of adjacent versions
//! (`v1_to_v2`, `v2_to_v1`), chained to reach any released version.
//!
//! ```text
//! raw record ─▶ parse (P) ─▶ version (M001/M002) ─▶ structural (S) ─▶ typed ─▶ steps ─▶ JSON line
//!                                                                               │
//!                                                              moves (M003–M006) ▼
//!                                                                     MigrationReport
//! ```
//!
//! A record is migrated only if it is valid in its own version (a step works on typed records).
//! Records already at the target pass unchanged. Every value a step cannot move exactly is
//! reported per record (M003 lost, M004 ambiguous, M005 convention) and summarised per field; a
//! record that cannot be moved without falsifying it is refused (M006) and not written.

mod moves;
mod report;
mod v1_to_v2;
mod v2_to_v1;

use std::collections::BTreeMap;
use std::io::{BufReader, Read};

use serde_json::Value;

pub use report::{FieldSummary, MigrationReport, VersionCount, render_human};

use crate::diag::{Code, Diagnostic, Diagnostics, SourceLocation};
use crate::error::Error;
use crate::model::{SchemaVersion, v1, v2};
use crate::read::{HashingReader, Item, JsonReader, Limits};
use crate::schema;
use crate::validate::{RecordSink, Rejected, parse, structural, version};
use moves::MoveLog;

/// How to migrate.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// The version to write.
    pub to: SchemaVersion,
    /// Read every record as this version; a record naming another one is an M002 finding.
    pub schema_version: Option<SchemaVersion>,
    /// List at most this many findings (totals and the per-field summary count everything).
    pub max_findings: Option<usize>,
    /// Reader limits.
    pub limits: Limits,
}

impl MigrateOptions {
    /// Defaults: each record's own version, every finding listed, default limits.
    pub fn new(to: SchemaVersion) -> Self {
        Self {
            to,
            schema_version: None,
            max_findings: None,
            limits: Limits::default(),
        }
    }
}

/// A typed record of any released version.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnyRecord {
    /// A 1.0 record.
    V1(v1::CaseRecord),
    /// A 2.0 record.
    V2(v2::CaseRecord),
}

impl AnyRecord {
    /// The record's version.
    pub fn version(&self) -> SchemaVersion {
        match self {
            Self::V1(_) => SchemaVersion::V1_0,
            Self::V2(_) => SchemaVersion::V2_0,
        }
    }

    /// Reads a record of a known version from JSON (the record must be valid in that version).
    pub fn from_value(value: Value, version: SchemaVersion) -> Result<Self, serde_json::Error> {
        Ok(match version {
            SchemaVersion::V1_0 => Self::V1(serde_json::from_value(value)?),
            SchemaVersion::V2_0 => Self::V2(serde_json::from_value(value)?),
        })
    }

    /// The record as JSON.
    pub fn to_value(&self) -> Value {
        let value = match self {
            Self::V1(r) => serde_json::to_value(r),
            Self::V2(r) => serde_json::to_value(r),
        };
        // The types serialise only strings, small integers, objects and arrays.
        value.unwrap_or(Value::Null)
    }
}

/// Moves one record to `to` through every step between, collecting the moves (pointers into
/// the record as it was before each step). Refusal stops the chain.
pub fn migrate_record(
    record: AnyRecord,
    to: SchemaVersion,
    moves: &mut Vec<Diagnostic>,
) -> Result<AnyRecord, Box<Diagnostic>> {
    let mut record = record;
    while record.version() != to {
        let (from, next) = (record.version(), step_toward(record.version(), to));
        let mut log = MoveLog::new(from, next);
        record = match record {
            AnyRecord::V1(r) => AnyRecord::V2(v1_to_v2::upgrade(&r, &mut log)),
            AnyRecord::V2(r) => AnyRecord::V1(v2_to_v1::downgrade(&r, &mut log)?),
        };
        moves.append(&mut log.moves);
    }
    Ok(record)
}

/// The adjacent version one step from `from` toward `to`.
fn step_toward(from: SchemaVersion, to: SchemaVersion) -> SchemaVersion {
    let all = SchemaVersion::ALL;
    let i = all.iter().position(|&v| v == from).unwrap_or(0);
    let j = if to > from {
        i + 1
    } else {
        i.saturating_sub(1)
    };
    all.get(j).copied().unwrap_or(to)
}

/// Migrates a JSON or JSON Lines input, handing each migrated record to `sink` and each record
/// that could not be migrated (unreadable, invalid in its own version, or refused) to
/// [`RecordSink::reject`], and reports what happened. Only failing to read or write is an
/// [`Error`].
pub fn migrate_reader(
    input: impl Read,
    name: &str,
    sink: &mut dyn RecordSink,
    options: &MigrateOptions,
) -> Result<MigrationReport, Error> {
    let hashing = HashingReader::bounded(input, options.limits.max_file_bytes);
    let mut reader = JsonReader::new(BufReader::with_capacity(1 << 16, hashing), options.limits)
        .map_err(|e| Error::read(name, e))?;
    let mut run = Run {
        options,
        sink: Diagnostics::with_cap(options.max_findings),
        fields: BTreeMap::new(),
        from: BTreeMap::new(),
        records: 0,
        migrated: 0,
        unchanged: 0,
        file_errors: 0,
    };
    let written = |e| Error::write("the output", e);
    for item in &mut reader {
        match item.map_err(|e| Error::read(name, e))? {
            Item::Record {
                record,
                line,
                bytes,
            } => {
                run.records += 1;
                let location = SourceLocation::Json { record, line };
                let mut findings = Vec::new();
                let migrated = run.record(&bytes, &location, &mut findings);
                run.hand(migrated, findings, sink).map_err(written)?;
            }
            Item::TooLarge { record, line, size } => {
                run.records += 1;
                let too_large = crate::read::limits::record_too_large(&options.limits, size)
                    .located(SourceLocation::Json { record, line });
                run.hand(None, vec![too_large], sink).map_err(written)?;
            }
            Item::LimitExceeded(diagnostic) => run.stop(*diagnostic),
            Item::Broken { line, reason } => run.stop(
                Diagnostic::new(
                    Code::InvalidJson,
                    format!("the JSON array is broken: {reason}"),
                )
                .with_hint("validate the input first: `ctdx validate`")
                .located(SourceLocation::Line { line }),
            ),
        }
    }
    let (sha256, _) = reader
        .into_inner()
        .into_inner()
        .finish()
        .map_err(|e| Error::read(name, e))?;
    Ok(run.finish(name, sha256))
}

/// The state of one input's migration.
struct Run<'o> {
    options: &'o MigrateOptions,
    sink: Diagnostics,
    fields: BTreeMap<(Code, String), u64>,
    from: BTreeMap<SchemaVersion, u64>,
    records: u64,
    migrated: u64,
    unchanged: u64,
    /// Errors about the file as a whole (a reading that stopped, a broken array).
    file_errors: u64,
}

impl Run<'_> {
    /// Migrates one record, its findings going to `findings`; the record to write, or `None`
    /// if it is not written.
    fn record(
        &mut self,
        bytes: &[u8],
        location: &SourceLocation,
        findings: &mut Vec<Diagnostic>,
    ) -> Option<Value> {
        let (record, line) = match *location {
            SourceLocation::Json { record, line } => (record, line),
            _ => (0, location.line()),
        };
        let value = match parse::parse(bytes, record, line) {
            Ok(value) => value,
            Err(d) => {
                findings.push(*d);
                return None;
            }
        };
        let from = match version::detect(&value, self.options.schema_version) {
            Ok(v) => v,
            Err(d) => {
                findings.push(d.located(location.clone()));
                return None;
            }
        };
        *self.from.entry(from).or_default() += 1;
        let released = schema::released(from);
        if !structural::is_valid(released, &value) {
            for d in structural::explain(released, &value) {
                findings.push(d.with_hint(format!(
                    "only records valid in {from} can be migrated: run `ctdx validate` and fix them"
                )).located(location.clone()));
            }
            return None;
        }
        if from == self.options.to {
            self.unchanged += 1;
            return Some(value);
        }
        let Ok(typed) = AnyRecord::from_value(value, from) else {
            // JSON Schema counts `2019.0` as an integer, the typed model does not.
            findings.push(crate::validate::record::types_disagree(location));
            return None;
        };
        let mut moves = Vec::new();
        let result = migrate_record(typed, self.options.to, &mut moves);
        let refusal = result.as_ref().err().map(|d| (**d).clone());
        for d in moves.into_iter().chain(refusal) {
            self.tally(&d);
            findings.push(d.located(location.clone()));
        }
        let value = result.ok()?.to_value();
        // The steps are tested to produce valid records; checking each one anyway keeps a bug in
        // a step from writing a record the target version would reject.
        if !structural::is_valid(schema::released(self.options.to), &value) {
            findings.push(
                Diagnostic::new(
                    Code::SchemaViolation,
                    format!("the migrated record is not valid {}", self.options.to),
                )
                .with_hint("the record is not written; please report this as a ctdx bug")
                .located(location.clone()),
            );
            return None;
        }
        self.migrated += 1;
        Some(value)
    }

    /// Hands one record to `sink`: the migrated record, or, when there is none, its rejection
    /// (every record not written has an error among its findings); then keeps its findings.
    fn hand(
        &mut self,
        migrated: Option<Value>,
        findings: Vec<Diagnostic>,
        sink: &mut dyn RecordSink,
    ) -> std::io::Result<()> {
        let handed = match &migrated {
            Some(record) => sink.record(record),
            None => sink.reject(&Rejected::new(&findings), None),
        };
        for d in findings {
            self.sink.push(d);
        }
        handed
    }

    /// Keeps a finding that ended the reading of the file.
    fn stop(&mut self, diagnostic: Diagnostic) {
        self.file_errors += 1;
        self.sink.push(diagnostic);
    }

    fn tally(&mut self, d: &Diagnostic) {
        let field = d.pointer.as_ref().map(|p| p.as_str().to_owned());
        *self
            .fields
            .entry((d.code, field.unwrap_or_default()))
            .or_default() += 1;
    }

    fn finish(mut self, name: &str, sha256: String) -> MigrationReport {
        if self.records == 0 {
            self.sink.push(
                Diagnostic::new(Code::EmptyInput, "the input holds no record")
                    .with_hint("check that the right file was given and that it is not truncated"),
            );
        }
        let fields = self
            .fields
            .into_iter()
            .map(|((code, field), records)| FieldSummary::new(code, field, records))
            .collect();
        let from = self
            .from
            .into_iter()
            .map(|(v, records)| VersionCount {
                version: v.as_str(),
                records,
            })
            .collect();
        MigrationReport::new(
            name,
            sha256,
            self.options.to.as_str(),
            (self.records, self.migrated, self.unchanged),
            from,
            fields,
            self.sink.finish(),
        )
        .with_file_errors(self.file_errors)
    }
}

#[cfg(test)]
mod round_trip;

#[cfg(test)]
mod tests {
    use super::*;

    fn migrate(input: &str, to: SchemaVersion) -> (String, MigrationReport) {
        let mut out = crate::validate::JsonLines(Vec::new());
        let report = migrate_reader(input.as_bytes(), "t", &mut out, &MigrateOptions::new(to))
            .expect("migrates");
        (String::from_utf8(out.0).expect("utf-8"), report)
    }

    #[test]
    fn records_at_the_target_pass_unchanged_and_others_move() {
        let input = "{\"schemaVersion\":\"2.0\",\"citizenships\":[\"UA\",\"RO\"]}\n\
                     {\"schemaVersion\":\"1.0\",\"labourSectors\":{\"other\":\"yes\"}}\n";
        let (out, report) = migrate(input, SchemaVersion::V2_0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "{\"schemaVersion\":\"2.0\",\"citizenships\":[\"UA\",\"RO\"]}"
        );
        assert_eq!(lines[1], "{\"schemaVersion\":\"2.0\"}");
        assert_eq!((report.migrated, report.unchanged), (1, 1));
        assert_eq!(report.fields.len(), 1);
        assert_eq!(report.fields[0].field, "/labourSectors/other");
    }

    #[test]
    fn refused_records_are_not_written() {
        let input = "{\"schemaVersion\":\"2.0\",\"citizenships\":[\"UA\",\"RO\"]}\n";
        let (out, report) = migrate(input, SchemaVersion::V1_0);
        assert!(out.is_empty());
        assert_eq!(report.not_written, 1);
        assert_eq!(report.findings[0].code, Code::MigrationRefused);
    }

    #[test]
    fn invalid_records_are_reported_not_migrated() {
        let (out, report) = migrate(
            "{\"schemaVersion\":\"1.0\",\"gender\":\"Female\"}\n",
            SchemaVersion::V2_0,
        );
        assert!(out.is_empty());
        assert_eq!(report.findings[0].code, Code::NotInCodeList);
        assert_eq!(report.not_written, 1);
    }

    #[test]
    fn a_year_with_a_decimal_point_is_the_year() {
        // JSON Schema counts 2019.0 as the integer 2019, and so do the types.
        let (out, report) = migrate(
            "{\"schemaVersion\":\"1.0\",\"yearOfRegistration\":2019.0}\n",
            SchemaVersion::V2_0,
        );
        assert!(out.contains("\"yearOfRegistration\":2019}"), "{out}");
        assert_eq!(report.not_written, 0);
    }
}
