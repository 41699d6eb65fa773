//! Conversion: a partner's spreadsheet (CSV or XLSX) through a profile into canonical records,
//! each checked by the validator as it is made, with every finding placed at the partner's cell.
//!
//! ```text
//! file ─▶ table reader ─▶ rows ─▶ profile engine ─▶ record + source map ─▶ Batch (S, R) ─▶ sink
//! ```
//!
//! CSV rows go through the validator's streaming pipeline (converted on every core, taken in
//! input order); workbook and XML rows are converted on the calling thread.
//!
//! Converted records are handed to a `RecordSink`: a record with no error of its own as a record,
//! one with an error as a rejection; the caller decides what to do with them (write them, list
//! the rejections, or nothing when only validating).

pub mod canonical_xml;
mod xml;

use std::io::{Cursor, Read};

use crate::diag::{Code, Diagnostic, SourceLocation};
use crate::error::Error;
use crate::model::SchemaVersion;
use crate::profile::{Converter, Profile, ProfileError, builtins, detect, family_member};
use crate::read::Layout;
use crate::read::csv::{CsvOptions, CsvTable};
use crate::read::limits::{Breach, Limit, Limits};
use crate::read::table::{RowView, TableItem, TextRows};
use crate::read::xlsx::{SheetEvent, preflight, read_sheet};
use crate::report::{FileReport, ProfileUse};
use crate::validate::record::{Outcome, check_converted};
use crate::validate::{Batch, CHUNK, RecordSink, ValidateOptions, pipeline};

pub use xml::convert_xml;

/// Which profile to use.
#[derive(Debug, Clone)]
pub enum ProfileChoice {
    /// This one (given with `--profile`).
    Given(Box<Profile>),
    /// The built-in profile whose headers match the file's.
    Detect,
}

impl ProfileChoice {
    /// The profile to convert with: the given one, or the built-in one (among `builtins`) whose
    /// headers match; then, within its family, the member that converts to `version` (detected:
    /// the newest, unless a version is asked for); with how it was chosen, for the report.
    fn resolve<'p>(
        &'p self,
        builtins: &'p [Profile],
        headers: &[String],
        name: &str,
        version: Option<SchemaVersion>,
    ) -> Result<(&'p Profile, ProfileUse), Error> {
        let (found, detected) = match self {
            ProfileChoice::Given(p) => (p.as_ref(), false),
            ProfileChoice::Detect => {
                let (p, _) = detect(builtins, headers).ok_or_else(|| no_profile(name))?;
                (p, true)
            }
        };
        // A given profile stays itself unless another version is asked for, and a partner's own
        // profile (a file, even one that extends a built-in) always stays itself.
        let built_in = detected || builtins.iter().any(|b| b == found);
        let wanted = version.or(if detected { None } else { found.version() });
        let member = family_member(builtins, found, wanted).filter(|_| built_in);
        let chosen = member.unwrap_or(found);
        Ok((
            chosen,
            ProfileUse {
                name: chosen.name.clone(),
                detected,
            },
        ))
    }

    /// Whether resolving needs the built-in profiles: to detect one, or to find another member of
    /// the given one's family.
    fn needs_builtins(&self, version: Option<SchemaVersion>) -> bool {
        match self {
            ProfileChoice::Given(p) => version.is_some_and(|v| p.version() != Some(v)),
            ProfileChoice::Detect => true,
        }
    }

    /// The built-in profiles, when resolving needs them.
    fn builtins(&self, version: Option<SchemaVersion>) -> Vec<Profile> {
        if self.needs_builtins(version) {
            builtins()
        } else {
            Vec::new()
        }
    }
}

/// How to convert a table.
#[derive(Debug, Clone)]
pub struct ConvertOptions {
    /// The profile.
    pub profile: ProfileChoice,
    /// CSV reading choices (delimiter, declared encoding); the header rows come from the profile
    /// and the limits from `validate.limits`.
    pub csv: CsvOptions,
    /// Validation choices, with the reading limits of every format.
    pub validate: ValidateOptions,
    /// Worksheet to read, by name or 1-based number, instead of the profile's.
    pub sheet: Option<String>,
    /// Header row instead of the profile's.
    pub header_row: Option<u32>,
}

/// Converts and checks one CSV input; `name` is how the report refers to it. Rows are converted
/// and checked on every core (`options.validate.jobs`), findings kept in input order.
pub fn convert_csv<R: Read + Send>(
    input: R,
    name: &str,
    options: &ConvertOptions,
    sink: &mut dyn RecordSink,
) -> Result<FileReport, Error> {
    let (header_row, data_row) = match &options.profile {
        ProfileChoice::Given(p) => (p.header_row, p.data_row),
        ProfileChoice::Detect => (options.csv.header_row, options.csv.data_row),
    };
    let header_row = options.header_row.unwrap_or(header_row);
    let csv = CsvOptions {
        header_row,
        data_row,
        limits: options.validate.limits,
        ..options.csv
    };
    let mut batch = Batch::for_sink(&options.validate, sink);
    let table = match CsvTable::open(input, &csv).map_err(|e| Error::read(name, e))? {
        Ok(table) => table,
        Err(diagnostic) => {
            batch.push(diagnostic);
            return Ok(batch.finish(name, String::new(), 0, Layout::Csv));
        }
    };
    let header_location = SourceLocation::Csv {
        record: 0,
        line: u64::from(header_row),
        column: None,
        header: None,
    };
    let version = options.validate.schema_version;
    let detected = options.profile.builtins(version);
    let (profile, use_) = options
        .profile
        .resolve(&detected, table.headers(), name, version)?;
    let (converter, header_findings) = Converter::new(profile, table.headers(), &header_location);
    header_findings.into_iter().for_each(|d| batch.push(d));
    let mut table = table;
    if let Some(row) = profile.data_row {
        table.set_data_row(row);
    }
    let (validate, emit) = (&options.validate, batch.emits());
    // Rows travel as text, a chunk in one buffer, and are split into cells by the worker that
    // converts them. They borrow the table, which then gives the input's hash.
    let rows = || table.next_rows(CHUNK).map(Ok);
    let check = |rows: TextRows, _| {
        rows.map(|row| match row {
            Ok(row) => check_row(&row, &converter, validate, emit),
            Err(item) => check_item(item, &converter, validate, emit),
        })
    };
    pipeline(rows, name, &mut batch, Some(sink), check)?;
    let (sha256, bytes) = table.finish().map_err(|e| Error::read(name, e))?;
    Ok(batch
        .finish(name, sha256, bytes, Layout::Csv)
        .with_profile(use_))
}

/// Handles one row (or problem) of a table on the calling thread (workbooks, XML submissions).
pub(crate) fn take(
    item: TableItem,
    converter: &Converter<'_>,
    batch: &mut Batch<'_>,
    sink: &mut dyn RecordSink,
) -> std::io::Result<()> {
    let outcome = check_item(item, converter, batch.options(), batch.emits());
    batch.take(outcome, sink)
}

/// Converts and checks one row, or takes a reader's problem with it: what any thread can do.
fn check_item(
    item: TableItem,
    converter: &Converter<'_>,
    options: &ValidateOptions,
    emit: bool,
) -> Outcome {
    match item {
        TableItem::Problem { diagnostic, fatal } => Outcome::finding(!fatal, diagnostic),
        TableItem::Row(row) => check_row(&row.view(), converter, options, emit),
    }
}

/// Converts and checks one row. The outcome holds the converter's findings, then the record's.
fn check_row(
    row: &RowView<'_>,
    converter: &Converter<'_>,
    options: &ValidateOptions,
    emit: bool,
) -> Outcome {
    if converter.is_unused(row) {
        return Outcome::nothing();
    }
    let converted = if options.privacy.policy.consent_required {
        converter.convert(row)
    } else {
        converter.convert_without_consent(row)
    };
    if let Some(reason) = converted.left_out {
        // Not checked: nothing of a row that must not reach the hub is looked at further.
        return Outcome::finding(true, reason);
    }
    // A cell that could not be read (an error) keeps the record out of the output; an
    // information finding (a value the version cannot carry) does not.
    let clean = !converted
        .findings
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    let (record, map) = (&converted.record, &converted.map);
    let hint = converter.profile().version();
    let json = || record.to_json();
    let mut outcome = check_converted(
        record.deserializer(),
        &json,
        map,
        hint,
        options,
        emit && clean,
    );
    let mut findings = converted.findings;
    findings.append(&mut outcome.findings);
    outcome.findings = findings;
    outcome
}

fn no_profile(name: &str) -> Error {
    crate::error::ErrorKind::NoProfile(name.to_owned()).into()
}

impl From<ProfileError> for Error {
    fn from(e: ProfileError) -> Self {
        crate::error::ErrorKind::Profile(e.to_string()).into()
    }
}

/// Converts and checks one XLSX workbook (the sheet the profile names, or the first); the
/// workbook is read into memory up to the file-size limit, checked by the zip pre-flight, then
/// streamed cell by cell (limits: `options.validate.limits`).
pub fn convert_xlsx<R: Read>(
    input: R,
    name: &str,
    options: &ConvertOptions,
    sink: &mut dyn RecordSink,
) -> Result<FileReport, Error> {
    let all_limits = &options.validate.limits;
    let limits = &all_limits.xlsx;
    let mut bytes = Vec::new();
    input
        .take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read(name, e))?;
    let mut batch = Batch::for_sink(&options.validate, sink);
    let sha256 = crate::schema::sha256_hex(&bytes);
    let size = bytes.len() as u64;
    if size > limits.max_file_bytes {
        batch.push(
            Breach::at_least(all_limits, Limit::XlsxFileBytes, size).diagnostic(
                Code::SpreadsheetRefused,
                "export the sheet as CSV, which is read as a stream",
            ),
        );
        return Ok(batch.finish(name, sha256, size, Layout::Xlsx));
    }
    let checked = match preflight(Cursor::new(&bytes), limits) {
        Ok(checked) => checked,
        Err(d) => {
            batch.push(d);
            return Ok(batch.finish(name, sha256, size, Layout::Xlsx));
        }
    };
    let (sheet, header_row, data_row) = match &options.profile {
        ProfileChoice::Given(p) => (p.sheet.clone(), p.header_row, p.data_row),
        ProfileChoice::Detect => (None, 1, None),
    };
    let sheet = options.sheet.clone().or(sheet);
    let header_row = options.header_row.unwrap_or(header_row);
    let version = options.validate.schema_version;
    let detected = options.profile.builtins(version);
    let mut state: Option<(Converter<'_>, ProfileUse, u64)> = None;
    let mut failure: Option<Error> = None;
    let result = read_sheet(
        Cursor::new(&bytes),
        &checked,
        sheet.as_deref(),
        header_row,
        data_row,
        all_limits,
        &mut |event| {
            if failure.is_some() {
                return;
            }
            match event {
                SheetEvent::Headers(sheet, headers) => {
                    let (profile, use_) =
                        match options.profile.resolve(&detected, &headers, name, version) {
                            Ok(chosen) => chosen,
                            Err(e) => {
                                failure = Some(e);
                                return;
                            }
                        };
                    let at = SourceLocation::Xlsx {
                        sheet,
                        row: u64::from(header_row),
                        column: None,
                        header: None,
                    };
                    let (converter, findings) = Converter::new(profile, &headers, &at);
                    findings.into_iter().for_each(|d| batch.push(d));
                    let first = u64::from(profile.data_row.unwrap_or(header_row + 1));
                    state = Some((converter, use_, first));
                }
                SheetEvent::Item(TableItem::Row(row))
                    if state.as_ref().is_some_and(|s| row.location.line() < s.2) => {}
                SheetEvent::Item(item) => {
                    if let Some((converter, _, _)) = &state {
                        if let Err(e) = take(item, converter, &mut batch, sink) {
                            failure = Some(Error::write("the output", e));
                        }
                    }
                }
            }
        },
    );
    if let Some(error) = failure {
        return Err(error);
    }
    if let Err(d) = result {
        batch.push(d);
    }
    let report = batch.finish(name, sha256, size, Layout::Xlsx);
    Ok(match state {
        Some((_, use_, _)) => report.with_profile(use_),
        None => report,
    })
}

/// The headers and up to `rows` data rows of a spreadsheet, for `ctdx profile infer`.
pub fn sample<R: Read>(
    input: R,
    name: &str,
    xlsx: bool,
    rows: usize,
    csv: &CsvOptions,
) -> Result<(Vec<String>, Vec<Vec<crate::read::table::Cell>>), Error> {
    let unreadable = |d: Diagnostic| {
        Error::from(crate::error::ErrorKind::Usage(format!(
            "{name}: {}",
            d.message
        )))
    };
    if !xlsx {
        let table = CsvTable::open(input, csv)
            .map_err(|e| Error::read(name, e))?
            .map_err(unreadable)?;
        let headers = table.headers().to_vec();
        let sampled = table
            .filter_map(|item| match item {
                TableItem::Row(row) => Some(row.cells),
                TableItem::Problem { .. } => None,
            })
            .take(rows)
            .collect();
        return Ok((headers, sampled));
    }
    let limits = Limits::default();
    let mut bytes = Vec::new();
    input
        .take(limits.xlsx.max_file_bytes)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::read(name, e))?;
    let checked = preflight(Cursor::new(&bytes), &limits.xlsx).map_err(unreadable)?;
    let (mut headers, mut sampled) = (Vec::new(), Vec::new());
    read_sheet(
        Cursor::new(&bytes),
        &checked,
        None,
        1,
        None,
        &limits,
        &mut |event| match event {
            SheetEvent::Headers(_, h) => headers = h,
            SheetEvent::Item(TableItem::Row(row)) if sampled.len() < rows => {
                sampled.push(row.cells)
            }
            SheetEvent::Item(_) => {}
        },
    )
    .map_err(unreadable)?;
    Ok((headers, sampled))
}
