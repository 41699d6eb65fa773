//! The validator: reads a batch record by record and runs the stages on each.
//!
//! ```text
//! raw record ─▶ parse (P) ─▶ version (M) ─▶ structural (S) ─▶ typed record ─▶ rules (R)
//!                                   └─ rejected: privacy scan (X) ─┘ └─ privacy classes (X, batch end)
//! ```
//!
//! A bad record is a finding, never a reason to stop: the batch is read to its end, a few chunks
//! of records in memory at a time (`pipeline`: read on one thread, checked on every core, taken
//! in input order). Only failing to read the input at all is an [`Error`]. Converters feed the
//! same pipeline (CSV) or [`Batch::check_value`] with records they built, each with its
//! [`SourceMap`].

pub(crate) mod parse;
pub(crate) mod record;
pub(crate) mod rules;
pub(crate) mod structural;
pub(crate) mod version;
mod workers;

use std::io::{BufReader, Read};

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Diagnostics, Severity, SourceMap};
use crate::error::Error;
use crate::model::SchemaVersion;
use crate::privacy::{self, PrivacyOptions};
use crate::read::{HashingReader, Item, JsonReader, Layout, Limits};
use crate::report::{FileReport, RecordVerdicts, VersionUse};
use crate::schema;

use rules::DuplicateCaseIds;
use workers::Workers;

pub use crate::report::rejects::Rejected;

/// How many findings per file the command line lists unless told otherwise (totals per code
/// always count everything).
pub const DEFAULT_MAX_FINDINGS: usize = 1000;

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
    /// Threads that check records: 0 for one per core, 1 to stay on the calling thread, at
    /// most four per core. The report is the same whatever the number.
    pub jobs: usize,
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
            jobs: 0,
        }
    }
}

/// What receives each record that passed the structural stage, in canonical form (converters
/// write them; plain validation passes `&mut ()`), and learns of each record set aside.
pub trait RecordSink {
    /// Takes one canonical record with no error finding of its own.
    fn record(&mut self, record: &Value) -> std::io::Result<()>;

    /// Takes a record, or a row that could not be read as one, with an error finding of its own
    /// (a rule's, a cell's, the structural stage's, or a duplicate case identifier's: the
    /// second record carrying it); `record` is its canonical form when it passed the structural
    /// stage. By default such a record goes to [`RecordSink::record`] like any other: a caller
    /// that publishes nothing of a batch with errors needs no more. A sink that keeps going
    /// (`ctdx convert --keep-going`) lists the rejection instead, and never the record.
    fn reject(&mut self, rejected: &Rejected<'_>, record: Option<&Value>) -> std::io::Result<()> {
        let _ = rejected;
        record.map_or(Ok(()), |r| self.record(r))
    }

    /// Whether records are wanted at all (building their canonical form has a cost).
    fn wants_records(&self) -> bool {
        true
    }
}

/// Discards records (validation only).
impl RecordSink for () {
    fn record(&mut self, _: &Value) -> std::io::Result<()> {
        Ok(())
    }

    fn wants_records(&self) -> bool {
        false
    }
}

/// Writes each record as one line of JSON (JSON Lines), in the order given.
#[derive(Debug)]
pub struct JsonLines<W: std::io::Write>(pub W);

impl<W: std::io::Write> RecordSink for JsonLines<W> {
    fn record(&mut self, record: &Value) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.0, record)?;
        self.0.write_all(b"\n")
    }
}

/// Validates one JSON or JSON Lines input; `name` is how the report refers to it.
pub fn validate_reader(
    input: impl Read + Send,
    name: &str,
    options: &ValidateOptions,
) -> Result<FileReport, Error> {
    run(input, name, options, None)
}

/// Validates one JSON or JSON Lines input and hands every record that passed the structural
/// stage to `sink`, in canonical form.
pub fn validate_into(
    input: impl Read + Send,
    name: &str,
    options: &ValidateOptions,
    sink: &mut dyn RecordSink,
) -> Result<FileReport, Error> {
    run(input, name, options, Some(sink))
}

/// The typed fast path's reading of one record of `version`: its canonical JSON, or `None` when
/// the types refuse it. The released JSON Schema of `version` accepts exactly the records this
/// accepts (the differential test in `tests/differential.rs` holds the two equal).
pub fn read_typed(bytes: &[u8], version: SchemaVersion) -> Option<Value> {
    let text = std::str::from_utf8(bytes).ok()?;
    record::Typed::from_json(text, version).and_then(|typed| typed.canonical())
}

/// [`read_typed`] for a record already parsed into a JSON value (converted rows take this road).
pub fn read_typed_value(value: &Value, version: SchemaVersion) -> Option<Value> {
    record::Typed::from_value(value, version).and_then(|typed| typed.canonical())
}

/// Records per chunk: large enough to keep every core busy between two merges, small enough to
/// keep memory flat (a chunk is about a megabyte of JSON).
pub(crate) const CHUNK: usize = 1024;

fn run(
    input: impl Read + Send,
    name: &str,
    options: &ValidateOptions,
    sink: Option<&mut dyn RecordSink>,
) -> Result<FileReport, Error> {
    let hashing = HashingReader::bounded(input, options.limits.max_file_bytes);
    let mut reader = JsonReader::new(BufReader::with_capacity(1 << 16, hashing), options.limits)
        .map_err(|e| Error::read(name, e))?;
    let layout = reader.layout();
    let emit = sink.as_deref().is_some_and(RecordSink::wants_records);
    let mut batch = Batch {
        emit,
        ..Batch::new(options)
    };
    let check = |chunk: Vec<Item>, hint: Option<SchemaVersion>| {
        let check = |item: Item| {
            let origin = SourceMap::row(item.location());
            record::check_item(item, &origin, hint, options, emit)
        };
        chunk.into_iter().map(check).collect()
    };
    pipeline(chunks_of(&mut reader), name, &mut batch, sink, check)?;
    let (sha256, bytes) = reader
        .into_inner()
        .into_inner()
        .finish()
        .map_err(|e| Error::read(name, e))?;
    Ok(batch.finish(name, sha256, bytes, layout))
}

/// The streaming pipeline every reader shares: `next_chunk` reads the input a chunk at a time
/// (about [`CHUNK`] items; `None` at the end), `check` checks a chunk on a worker (given the
/// version to try first: the last one its thread saw), and `batch` takes the outcomes in input
/// order, records that passed going to `sink`. With more than one worker the stages overlap: one
/// thread reads (and hashes) ahead, each worker checks a chunk at a time, and the calling thread
/// takes outcomes in order; a few chunks per worker exist at once, so memory stays flat. A read
/// error is an error of the input `name`.
pub(crate) fn pipeline<C, F>(
    mut next_chunk: impl FnMut() -> Option<std::io::Result<C>> + Send,
    name: &str,
    batch: &mut Batch<'_>,
    sink: Option<&mut dyn RecordSink>,
    check: F,
) -> Result<(), Error>
where
    C: Send,
    F: Fn(C, Option<SchemaVersion>) -> Vec<record::Outcome> + Sync,
{
    let workers = Workers::new(batch.options.jobs);
    let check_chunk = |chunk: C, hint: &mut Option<SchemaVersion>| {
        let outcomes = check(chunk, *hint);
        if let Some(version) = outcomes.iter().rev().find_map(|o| o.version) {
            *hint = Some(version);
        }
        outcomes
    };
    let mut discard = ();
    let sink: &mut dyn RecordSink = match sink {
        Some(sink) => sink,
        None => &mut discard,
    };
    let mut take = |outcomes: Vec<record::Outcome>| -> Result<(), Error> {
        for outcome in outcomes {
            batch
                .take(outcome, sink)
                .map_err(|e| Error::write("the output", e))?;
        }
        Ok(())
    };
    let read = if workers.is_parallel() {
        let read = |send: &mut dyn FnMut(C) -> bool| read_chunks(&mut next_chunk, send);
        let (read, taken) = workers
            .run(read, check_chunk, take)
            .map_err(|e| Error::read(name, e))?;
        taken?;
        read
    } else {
        let mut hint = None;
        let mut failed = None;
        let read = read_chunks(&mut next_chunk, &mut |chunk| match take(check_chunk(
            chunk, &mut hint,
        )) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read
    };
    read.map_err(|e| Error::read(name, e))
}

/// Reads chunks with `next_chunk` to the end, handing each to `send` (which says whether to go
/// on); the first read error, if any.
fn read_chunks<C>(
    next_chunk: &mut dyn FnMut() -> Option<std::io::Result<C>>,
    send: &mut dyn FnMut(C) -> bool,
) -> std::io::Result<()> {
    while let Some(chunk) = next_chunk() {
        if !send(chunk?) {
            break;
        }
    }
    Ok(())
}

/// The chunks of [`CHUNK`] items of `items`, for [`pipeline`].
fn chunks_of<I>(
    mut items: impl Iterator<Item = std::io::Result<I>>,
) -> impl FnMut() -> Option<std::io::Result<Vec<I>>> {
    move || {
        let chunk = items
            .by_ref()
            .take(CHUNK)
            .collect::<std::io::Result<Vec<_>>>();
        match chunk {
            Ok(chunk) if chunk.is_empty() => None,
            other => Some(other),
        }
    }
}

/// The state of one batch (one input file): its findings and its per-batch tallies.
#[derive(Debug)]
pub struct Batch<'o> {
    options: &'o ValidateOptions,
    sink: Diagnostics,
    case_ids: DuplicateCaseIds,
    /// Records per version, in the order of `SchemaVersion::ALL` (oldest first).
    versions: Vec<u64>,
    records: u64,
    /// Records (and unreadable rows) with an error finding of their own.
    rejected: u64,
    /// Error findings about the file or the batch as a whole (no one record's).
    file_errors: u64,
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
            versions: vec![0; SchemaVersion::ALL.len()],
            records: 0,
            rejected: 0,
            file_errors: 0,
            emit: false,
        }
    }

    /// An empty batch that hands the records it checks to `sink` (in canonical form when `sink`
    /// wants records), for converters that write what they checked; its report says what
    /// became of the records ([`RecordVerdicts`]).
    pub fn for_sink(options: &'o ValidateOptions, sink: &dyn RecordSink) -> Self {
        Self {
            emit: sink.wants_records(),
            ..Self::new(options)
        }
    }

    /// The options the batch checks with.
    pub(crate) fn options(&self) -> &'o ValidateOptions {
        self.options
    }

    /// Whether records that passed are returned in canonical form.
    pub(crate) fn emits(&self) -> bool {
        self.emit
    }

    /// Whether any error was found so far.
    pub fn has_errors(&self) -> bool {
        self.sink.count(Severity::Error) > 0
    }

    /// Records a finding about the file as a whole, not about one record (from a reader or
    /// converter: a header, a refused workbook, a reading that stopped). An error of this kind
    /// concerns every record of the file.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.sink.severity_of(&diagnostic) == Severity::Error {
            self.file_errors += 1;
        }
        self.sink.push(diagnostic);
    }

    /// Takes a record that was read but could not be turned into a value: `diagnostic` says
    /// why, and the record is rejected.
    pub fn unreadable_record(
        &mut self,
        diagnostic: Diagnostic,
        sink: &mut dyn RecordSink,
    ) -> std::io::Result<()> {
        self.take(record::Outcome::finding(true, diagnostic), sink)
    }

    /// Checks one record given as a JSON value, findings located through `origin`, and hands it
    /// to `sink`: as a record when it has no error of its own, else as a rejection.
    pub fn check_value(
        &mut self,
        value: Value,
        origin: &SourceMap<'_>,
        sink: &mut dyn RecordSink,
    ) -> std::io::Result<()> {
        let outcome = record::check_value(value, origin, self.options, self.emit);
        self.take(outcome, sink)
    }

    /// Takes one record's outcome, in input order: counts, duplicate case identifiers, privacy
    /// classes, findings; then the record's verdict goes to `sink`. A record is rejected when
    /// one of its own findings is an error in this run (after the policy's overrides); a
    /// duplicate case identifier is the second record's finding, so the first one stands. Only
    /// accepted records are classed. An error that is no record's (a reading that stopped, a
    /// broken array) concerns the file.
    pub(crate) fn take(
        &mut self,
        mut outcome: record::Outcome,
        sink: &mut dyn RecordSink,
    ) -> std::io::Result<()> {
        if outcome.counted {
            self.records += 1;
        }
        if let Some(version) = outcome.version {
            if let Some(i) = SchemaVersion::ALL.iter().position(|v| *v == version) {
                self.versions[i] += 1;
            }
        }
        if let Some(typed) = &outcome.typed {
            let id = typed.case_id().zip(outcome.case_id_at.take());
            if let Some((id, (line, cell))) = id {
                if let Some(d) = self.case_ids.seen_before(id, line) {
                    outcome.findings.push(d.located(cell));
                }
            }
        }
        for d in &mut outcome.findings {
            d.severity = self.sink.severity_of(d);
        }
        let own_error = outcome
            .findings
            .iter()
            .any(|d| d.severity == Severity::Error);
        // The privacy classes are those of the records that may enter: a rejected record left
        // in them could lift a class to k that the accepted records alone do not reach.
        if let Some(typed) = outcome.typed.as_ref().filter(|_| !own_error) {
            typed.tally(&mut self.gate);
        }
        let handed = match (own_error, outcome.counted) {
            (true, true) => {
                self.rejected += 1;
                let rejected = Rejected::new(&outcome.findings);
                sink.reject(&rejected, outcome.canonical.as_ref())
            }
            (true, false) => {
                self.file_errors += 1;
                Ok(())
            }
            (false, _) => outcome
                .canonical
                .as_ref()
                .map_or(Ok(()), |record| sink.record(record)),
        };
        for d in outcome.findings {
            self.sink.push(d);
        }
        handed
    }

    /// Ends the batch and builds its report.
    pub fn finish(mut self, name: &str, sha256: String, bytes: u64, layout: Layout) -> FileReport {
        // An empty input is worth a warning, unless an error already says why nothing was read.
        if self.records == 0 && !self.has_errors() {
            self.push(
                Diagnostic::new(Code::EmptyInput, "the input holds no record")
                    .with_hint("check that the right file was given and that it is not truncated"),
            );
        }
        // The privacy gate's batch findings (classes below k under a publish policy) are about
        // the batch as a whole: no one record can be set aside for them.
        let before = self.sink.count(Severity::Error);
        let privacy = self.gate.finish(&mut self.sink);
        self.file_errors += self.sink.count(Severity::Error) - before;
        let verdicts = self.emit.then_some(RecordVerdicts {
            accepted: self.records - self.rejected,
            rejected: self.rejected,
            file_errors: self.file_errors,
        });
        let versions = SchemaVersion::ALL
            .iter()
            .zip(self.versions)
            .filter(|(_, records)| *records > 0)
            .map(|(&version, records)| VersionUse {
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
        .with_verdicts(verdicts)
    }
}
