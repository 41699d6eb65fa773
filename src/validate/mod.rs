//! The validator: reads a batch record by record and runs the stages on each.
//!
//! ```text
//! raw record ─▶ parse (P) ─▶ version (M) ─▶ structural (S) ─▶ typed record ─▶ rules (R)
//!                                   └─ rejected: privacy scan (X) ─┘ └─ privacy classes (X, batch end)
//! ```
//!
//! A bad record is a finding, never a reason to stop: the batch is read to its end, one record in
//! memory at a time. Only failing to read the input at all is an [`Error`].

mod parse;
pub(crate) mod rules;
mod structural;
mod version;

use std::collections::BTreeMap;
use std::io::{BufReader, Read};

use crate::diag::{Code, Diagnostic, Diagnostics, SourceLocation};
use crate::error::Error;
use crate::model::{SchemaVersion, v1};
use crate::privacy::{self, PrivacyOptions};
use crate::read::{HashingReader, Item, JsonReader, Limits};
use crate::report::{FileReport, VersionUse};
use crate::schema;

use rules::{DuplicateCaseIds, RuleContext};

/// How to validate.
#[derive(Debug, Clone)]
pub struct ValidateOptions {
    /// Validate every record against this version instead of the one it names.
    pub schema_version: Option<SchemaVersion>,
    /// List at most this many findings per file (totals per code are always complete).
    pub max_findings: Option<usize>,
    /// The current year, for the registration-year rule.
    pub current_year: u16,
    /// Reader limits.
    pub limits: Limits,
    /// The privacy gate's policy and hub tallies.
    pub privacy: PrivacyOptions,
}

impl ValidateOptions {
    /// Defaults: versions from the records, every finding listed, default limits.
    pub fn new(current_year: u16) -> Self {
        Self {
            schema_version: None,
            max_findings: None,
            current_year,
            limits: Limits::default(),
            privacy: PrivacyOptions::default(),
        }
    }
}

/// Validates one JSON or JSON Lines input; `name` is how the report refers to it.
pub fn validate_reader(
    input: impl Read,
    name: &str,
    options: &ValidateOptions,
) -> Result<FileReport, Error> {
    let hashing = HashingReader::new(input);
    let mut reader = JsonReader::new(BufReader::with_capacity(1 << 16, hashing), options.limits)
        .map_err(|e| Error::read(name, e))?;
    let layout = reader.layout();
    let mut batch = Batch::new(options);
    for item in &mut reader {
        batch.take(item.map_err(|e| Error::read(name, e))?);
    }
    let (sha256, bytes) = reader
        .into_inner()
        .into_inner()
        .finish()
        .map_err(|e| Error::read(name, e))?;
    Ok(batch.finish(name, sha256, bytes, layout))
}

/// The state of one batch (one input file).
struct Batch<'o> {
    options: &'o ValidateOptions,
    sink: Diagnostics,
    case_ids: DuplicateCaseIds,
    versions: BTreeMap<SchemaVersion, u64>,
    records: u64,
    gate: privacy::Gate<'o>,
}

impl<'o> Batch<'o> {
    fn new(options: &'o ValidateOptions) -> Self {
        let mut sink = Diagnostics::with_cap(options.max_findings);
        let gate = privacy::Gate::new(&options.privacy, &mut sink);
        Self {
            options,
            sink,
            gate,
            case_ids: DuplicateCaseIds::default(),
            versions: BTreeMap::new(),
            records: 0,
        }
    }

    fn take(&mut self, item: Item) {
        match item {
            Item::Record { record, line, bytes } => {
                self.records += 1;
                self.check(&bytes, SourceLocation::Json { record, line });
            }
            Item::TooLarge { record, line, size } => {
                self.records += 1;
                self.sink.push(
                    Diagnostic::new(
                        Code::RecordTooLarge,
                        format!(
                            "the record has {size} bytes, more than the limit of {}",
                            self.options.limits.max_record_bytes
                        ),
                    )
                    .with_hint("a hub record is a few hundred bytes: check that lines are not joined")
                    .located(SourceLocation::Json { record, line }),
                );
            }
            Item::Broken { line, reason } => self.sink.push(
                Diagnostic::new(Code::InvalidJson, format!("the JSON array is broken: {reason}"))
                    .with_hint("records after this point could not be read; fix the array's brackets and commas")
                    .located(SourceLocation::Line { line }),
            ),
        }
    }

    fn check(&mut self, bytes: &[u8], location: SourceLocation) {
        let value = match parse::parse(bytes, &location) {
            Ok(value) => value,
            Err(diagnostic) => {
                privacy::scan_raw(bytes, &location, &mut self.sink);
                return self.sink.push(*diagnostic);
            }
        };
        let version = match version::detect(&value, self.options.schema_version) {
            Ok(version) => version,
            Err(diagnostic) => {
                privacy::scan_record(&value, None, &location, &mut self.sink);
                return self.sink.push(diagnostic.located(location));
            }
        };
        *self.versions.entry(version).or_default() += 1;
        let released = schema::released(version);
        if !structural::is_valid(released, &value) {
            privacy::scan_record(&value, Some(&released.value), &location, &mut self.sink);
            for d in structural::explain(released, &value) {
                self.sink.push(d.located(location.clone()));
            }
            return;
        }
        let mut ctx = RuleContext {
            current_year: self.options.current_year,
            location: &location,
            sink: &mut self.sink,
        };
        self.gate.tally(version, &value);
        match version {
            SchemaVersion::V1_0 => match serde_json::from_value::<v1::CaseRecord>(value) {
                Ok(record) => {
                    rules::check_v1(&record, &mut ctx);
                    if let Some(id) = &record.case_id {
                        self.case_ids.check(id, &mut ctx);
                    }
                }
                // The schema and the types come from the same source, but JSON Schema counts
                // `2019.0` as an integer while the typed model does not: report the record
                // rather than let the two stages disagree silently.
                Err(_) => ctx.sink.push(
                    Diagnostic::new(
                        Code::SchemaViolation,
                        "the record passes the JSON Schema but not the standard's types",
                    )
                    .with_hint(
                        "write whole numbers without a decimal point (2019, not 2019.0); if that \
                         is not the cause, please report it as a ctdx bug",
                    )
                    .located(location.clone()),
                ),
            },
        }
    }

    fn finish(
        mut self,
        name: &str,
        sha256: String,
        bytes: u64,
        layout: crate::read::Layout,
    ) -> FileReport {
        if self.records == 0 {
            self.sink.push(
                Diagnostic::new(Code::EmptyInput, "the input holds no record")
                    .with_hint("check that the right file was given and that it is not truncated"),
            );
        }
        let privacy = self.gate.finish(&mut self.sink);
        let versions = self
            .versions
            .into_iter()
            .map(|(version, records)| VersionUse {
                version: version.as_str(),
                schema_sha256: schema::released(version).sha256.clone(),
                records,
            })
            .collect();
        FileReport::new(
            name,
            sha256,
            bytes,
            layout,
            self.records,
            versions,
            self.sink.finish(),
        )
        .with_privacy(privacy)
    }
}
