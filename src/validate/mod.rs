//! The validator: reads a batch record by record and runs the stages on each.
//!
//! ```text
//! raw record ─▶ parse (P) ─▶ version (M) ─▶ structural (S) ─▶ typed record ─▶ rules (R)
//!                                   └─ rejected: privacy scan (X) ─┘ └─ privacy classes (X, batch end)
//! ```
//!
//! A bad record is a finding, never a reason to stop: the batch is read to its end, one record in
//! memory at a time. Only failing to read the input at all is an [`Error`]. Converters feed
//! [`Batch::check_value`] with records they built, each with its [`SourceMap`].

pub(crate) mod parse;
pub(crate) mod rules;
pub(crate) mod structural;
pub(crate) mod version;

use std::collections::BTreeMap;
use std::io::{BufReader, Read};

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Diagnostics, SourceLocation, SourceMap};
use crate::error::Error;
use crate::model::{SchemaVersion, v1, v2};
use crate::privacy::{self, PrivacyOptions};
use crate::read::{HashingReader, Item, JsonReader, Layout, Limits};
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
    /// The partner's key: when given, every record's `caseId` is taken as a raw case ID and
    /// replaced by its keyed hash before anything else (`ctdx convert --pseudonymize-key`).
    pub pseudonymize: Option<privacy::PseudonymKey>,
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
            pseudonymize: None,
        }
    }
}

/// What receives each record that passed the structural stage, in canonical form (converters
/// write them; plain validation passes `&mut ()`).
pub trait RecordSink {
    /// Takes one canonical record.
    fn record(&mut self, record: &Value) -> std::io::Result<()>;
}

/// Discards records (validation only).
impl RecordSink for () {
    fn record(&mut self, _: &Value) -> std::io::Result<()> {
        Ok(())
    }
}

/// Validates one JSON or JSON Lines input; `name` is how the report refers to it.
pub fn validate_reader(
    input: impl Read,
    name: &str,
    options: &ValidateOptions,
) -> Result<FileReport, Error> {
    run(input, name, options, None)
}

/// Validates one JSON or JSON Lines input and hands every record that passed the structural
/// stage to `sink`, in canonical form.
pub fn validate_into(
    input: impl Read,
    name: &str,
    options: &ValidateOptions,
    sink: &mut dyn RecordSink,
) -> Result<FileReport, Error> {
    run(input, name, options, Some(sink))
}

fn run(
    input: impl Read,
    name: &str,
    options: &ValidateOptions,
    mut sink: Option<&mut dyn RecordSink>,
) -> Result<FileReport, Error> {
    let hashing = HashingReader::bounded(input, options.limits.max_file_bytes);
    let mut reader = JsonReader::new(BufReader::with_capacity(1 << 16, hashing), options.limits)
        .map_err(|e| Error::read(name, e))?;
    let layout = reader.layout();
    let mut batch = match sink {
        Some(_) => Batch::emitting(options),
        None => Batch::new(options),
    };
    for item in &mut reader {
        let record = batch.take(item.map_err(|e| Error::read(name, e))?);
        if let (Some(record), Some(sink)) = (record, sink.as_deref_mut()) {
            sink.record(&record)
                .map_err(|e| Error::write("the output", e))?;
        }
    }
    let (sha256, bytes) = reader
        .into_inner()
        .into_inner()
        .finish()
        .map_err(|e| Error::read(name, e))?;
    Ok(batch.finish(name, sha256, bytes, layout))
}

/// The state of one batch (one input file): its findings and its per-batch tallies.
#[derive(Debug)]
pub struct Batch<'o> {
    options: &'o ValidateOptions,
    sink: Diagnostics,
    case_ids: DuplicateCaseIds,
    versions: BTreeMap<SchemaVersion, u64>,
    records: u64,
    emit: bool,
    gate: privacy::Gate<'o>,
}

impl<'o> Batch<'o> {
    /// An empty batch.
    pub fn new(options: &'o ValidateOptions) -> Self {
        let mut sink = Diagnostics::with_cap(options.max_findings);
        let gate = privacy::Gate::new(&options.privacy, &mut sink);
        Self {
            options,
            gate,
            sink,
            case_ids: DuplicateCaseIds::default(),
            versions: BTreeMap::new(),
            records: 0,
            emit: false,
        }
    }

    /// An empty batch whose [`Batch::check_value`] also returns each structurally valid record
    /// in canonical form (for converters that write what they checked).
    pub fn emitting(options: &'o ValidateOptions) -> Self {
        Self {
            emit: true,
            ..Self::new(options)
        }
    }

    /// Whether any error was found so far.
    pub fn has_errors(&self) -> bool {
        self.sink.count(crate::diag::Severity::Error) > 0
    }

    /// Records a finding that is not about a record's content (e.g. from a reader or converter).
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.sink.push(diagnostic);
    }

    /// Counts a record that was read but could not be turned into a value (it has a finding).
    pub fn count_unreadable_record(&mut self) {
        self.records += 1;
    }

    fn take(&mut self, item: Item) -> Option<Value> {
        match item {
            Item::Record {
                record,
                line,
                bytes,
            } => match parse::parse(&bytes, record, line) {
                Ok(value) => {
                    let origin = SourceMap::row(SourceLocation::Json { record, line });
                    self.check_value(value, &origin)
                }
                Err(diagnostic) => {
                    self.records += 1;
                    let location = SourceLocation::Json { record, line };
                    privacy::scan_raw(&bytes, &location, &mut self.sink);
                    self.sink.push(*diagnostic);
                    None
                }
            },
            Item::TooLarge { record, line, size } => {
                self.records += 1;
                self.sink.push(
                    crate::read::limits::record_too_large(&self.options.limits, size)
                        .located(SourceLocation::Json { record, line }),
                );
                None
            }
            Item::LimitExceeded(diagnostic) => {
                self.sink.push(*diagnostic);
                None
            }
            Item::Broken { line, reason } => {
                self.sink.push(
                Diagnostic::new(
                    Code::InvalidJson,
                    format!("the JSON array is broken: {reason}"),
                )
                .with_hint(
                    "records after this point could not be read; fix the array's brackets and commas",
                )
                .located(SourceLocation::Line { line }),
                );
                None
            }
        }
    }

    /// Checks one record given as a JSON value; findings are located through `origin`. For an
    /// [emitting](Batch::emitting) batch, returns the record in canonical form when it passed the
    /// structural stage (rules may still have found errors).
    pub fn check_value(&mut self, mut value: Value, origin: &SourceMap) -> Option<Value> {
        self.records += 1;
        if let Some(key) = &self.options.pseudonymize {
            privacy::pseudonymize_record(&mut value, key);
        }
        let version = match version::detect(&value, self.options.schema_version) {
            Ok(version) => version,
            Err(diagnostic) => {
                self.privacy_scan(&value, None, origin);
                self.locate_and_push(*diagnostic, origin);
                return None;
            }
        };
        *self.versions.entry(version).or_default() += 1;
        let released = schema::released(version);
        if !structural::is_valid(released, &value) {
            self.privacy_scan(&value, Some(&released.value), origin);
            for d in structural::explain(released, &value) {
                self.locate_and_push(d, origin);
            }
            return None;
        }
        self.gate.tally(version, &value);
        let mut canonical = None;
        let location = origin.row_location().clone();
        let mut found = Diagnostics::with_cap(None);
        let mut ctx = RuleContext {
            current_year: self.options.current_year,
            location: &location,
            sink: &mut found,
        };
        match version {
            SchemaVersion::V1_0 => match serde_json::from_value::<v1::CaseRecord>(value) {
                Ok(record) => {
                    rules::check_v1(&record, &mut ctx);
                    if let Some(id) = &record.case_id {
                        self.case_ids.check(id, &mut ctx);
                    }
                    if self.emit {
                        canonical = serde_json::to_value(&record).ok();
                    }
                }
                Err(_) => ctx.sink.push(types_disagree(&location)),
            },
            SchemaVersion::V2_0 => match serde_json::from_value::<v2::CaseRecord>(value) {
                Ok(record) => {
                    rules::check_v2(&record, &mut ctx);
                    if let Some(id) = &record.case_id {
                        self.case_ids.check(id, &mut ctx);
                    }
                    if self.emit {
                        canonical = serde_json::to_value(&record).ok();
                    }
                }
                Err(_) => ctx.sink.push(types_disagree(&location)),
            },
        }
        for d in found.finish().findings {
            self.locate_and_push(d, origin);
        }
        canonical
    }

    /// Runs the privacy gate's detectors over a rejected record (an accepted one holds only codes)
    /// and places each finding at the cell its pointer came from.
    fn privacy_scan(&mut self, value: &Value, schema: Option<&Value>, origin: &SourceMap) {
        let mut found = Diagnostics::with_cap(None);
        privacy::scan_record(value, schema, origin.row_location(), &mut found);
        for d in found.finish().findings {
            self.locate_and_push(d, origin);
        }
    }

    /// Places a record's finding at the cell its pointer came from.
    fn locate_and_push(&mut self, diagnostic: Diagnostic, origin: &SourceMap) {
        let location = origin.locate(diagnostic.pointer.as_ref()).clone();
        self.sink.push(diagnostic.located(location));
    }

    /// Ends the batch and builds its report.
    pub fn finish(mut self, name: &str, sha256: String, bytes: u64, layout: Layout) -> FileReport {
        // An empty input is worth a warning, unless an error already says why nothing was read.
        if self.records == 0 && !self.has_errors() {
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

/// The schema and the types come from the same source, but JSON Schema counts `2019.0` as an
/// integer while the typed model does not: report the record rather than let the two stages
/// disagree silently.
pub(crate) fn types_disagree(location: &SourceLocation) -> Diagnostic {
    Diagnostic::new(
        Code::SchemaViolation,
        "the record passes the JSON Schema but not the standard's types",
    )
    .with_hint(
        "write whole numbers without a decimal point (2019, not 2019.0); if that is not the \
         cause, please report it as a ctdx bug",
    )
    .located(location.clone())
}
