//! One record's checks, apart from the batch: what can run on any thread.
//!
//! A record's [`Outcome`] depends on the record and the options only, so records are checked in
//! parallel and their outcomes taken by the batch in input order (the batch keeps what spans
//! records: counts, duplicate case identifiers, the privacy classes).
//!
//! Two roads lead to the same outcome:
//!
//! - **typed** (the fast path): the bytes go straight into the version's typed record, whose
//!   deserialisers are exactly as strict as the schema (`model::strict`); no JSON value is built;
//! - **explained** (the slow path): the bytes become a JSON value, the version is detected, the
//!   jsonschema crate decides, and a rejected record is walked for every finding, with pointers and
//!   schema paths.
//!
//! A record the types refuse takes the slow path, so the jsonschema crate remains the authority on
//! what is wrong; the differential test in `tests/differential.rs` holds the two verdicts equal.

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Diagnostics, JsonPointer, SourceLocation, SourceMap};
use crate::model::{SchemaVersion, v1, v2};
use crate::privacy;
use crate::read::Item;
use crate::schema;

use super::rules::{self, RuleContext};
use super::{ValidateOptions, parse, structural, version};

/// A record that passed the structural stage, typed.
#[derive(Debug, Clone)]
pub(crate) enum Typed {
    /// A 1.0 record.
    V1(v1::CaseRecord),
    /// A 2.0 record.
    V2(v2::CaseRecord),
}

impl Typed {
    /// Reads a record of `version` straight from its JSON text, or `None` when the types refuse
    /// it. Text rather than bytes: UTF-8 is checked once per record, not once per string.
    pub(crate) fn from_json(text: &str, version: SchemaVersion) -> Option<Self> {
        match version {
            SchemaVersion::V1_0 => serde_json::from_str(text).ok().map(Self::V1),
            SchemaVersion::V2_0 => serde_json::from_str(text).ok().map(Self::V2),
        }
    }

    /// Reads a record of `version` from any serde `Deserializer` that reads as JSON does (a
    /// converted row's record), or `None` when the types refuse it.
    fn deserialize<'de, D: serde::Deserializer<'de>>(d: D, version: SchemaVersion) -> Option<Self> {
        use serde::Deserialize;
        match version {
            SchemaVersion::V1_0 => v1::CaseRecord::deserialize(d).ok().map(Self::V1),
            SchemaVersion::V2_0 => v2::CaseRecord::deserialize(d).ok().map(Self::V2),
        }
    }

    /// Reads a record of `version` from a JSON value, or `None` when the types refuse it.
    pub(crate) fn from_value(value: &Value, version: SchemaVersion) -> Option<Self> {
        Self::deserialize(value, version)
    }

    pub(crate) fn version(&self) -> SchemaVersion {
        match self {
            Self::V1(_) => SchemaVersion::V1_0,
            Self::V2(_) => SchemaVersion::V2_0,
        }
    }

    pub(crate) fn case_id(&self) -> Option<&crate::model::CaseId> {
        match self {
            Self::V1(r) => r.case_id.as_ref(),
            Self::V2(r) => r.case_id.as_ref(),
        }
    }

    pub(crate) fn tally(&self, gate: &mut privacy::Gate<'_>) {
        match self {
            Self::V1(r) => gate.tally(SchemaVersion::V1_0, r),
            Self::V2(r) => gate.tally(SchemaVersion::V2_0, r),
        }
    }

    fn rules(&self, ctx: &mut RuleContext<'_>) {
        match self {
            Self::V1(r) => rules::check_v1(r, ctx),
            Self::V2(r) => rules::check_v2(r, ctx),
        }
    }

    pub(crate) fn canonical(&self) -> Option<Value> {
        match self {
            Self::V1(r) => serde_json::to_value(r).ok(),
            Self::V2(r) => serde_json::to_value(r).ok(),
        }
    }
}

/// What checking one record found. Outcomes are taken by [`Batch`](super::Batch) in input order.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// Whether the item was a record (counted), rather than a break in the file.
    pub counted: bool,
    /// The version the record was checked against, once known.
    pub version: Option<SchemaVersion>,
    /// The record, when it passed the structural stage.
    pub typed: Option<Typed>,
    /// Its canonical JSON, when asked for and the record passed the structural stage.
    pub canonical: Option<Value>,
    /// Every finding, located, in the order the stages found them.
    pub findings: Vec<Diagnostic>,
    /// For a record with a case identifier: the line its row starts on and the identifier's own
    /// place, for the batch's duplicate check (so the batch needs no source map: the worker
    /// drops it).
    pub case_id_at: Option<(u64, SourceLocation)>,
}

impl Outcome {
    /// Nothing to count and nothing found (a row left empty on purpose).
    pub(crate) fn nothing() -> Self {
        Self::new(false)
    }

    /// One finding about an item that could not be read as a record (`counted` when it still
    /// stands for one).
    pub(crate) fn finding(counted: bool, diagnostic: Diagnostic) -> Self {
        let mut outcome = Self::new(counted);
        outcome.findings.push(diagnostic);
        outcome
    }

    fn new(counted: bool) -> Self {
        Self {
            counted,
            version: None,
            typed: None,
            canonical: None,
            findings: Vec::new(),
            case_id_at: None,
        }
    }
}

/// Checks one item of a JSON input. `hint` is the version to try the typed fast path with (the
/// version of the records before it); any version gives the same outcome, only the speed differs.
pub(crate) fn check_item(
    item: Item,
    origin: &SourceMap<'_>,
    hint: Option<SchemaVersion>,
    options: &ValidateOptions,
    emit: bool,
) -> Outcome {
    match item {
        Item::Record {
            record,
            line,
            bytes,
        } => {
            if let Some(typed) = typed_json(&bytes, hint, options) {
                return accepted(typed, origin, options, emit, Outcome::new(true));
            }
            match parse::parse(&bytes, record, line) {
                Ok(value) => check_value(value, origin, options, emit),
                Err(diagnostic) => {
                    let mut found = Diagnostics::with_cap(None);
                    privacy::scan_raw(&bytes, origin.row_location(), &mut found);
                    let mut outcome = Outcome::new(true);
                    outcome.findings = found.finish().findings;
                    outcome.findings.push(*diagnostic);
                    outcome
                }
            }
        }
        Item::TooLarge { size, .. } => Outcome::finding(
            true,
            crate::read::limits::record_too_large(&options.limits, size)
                .located(origin.row_location().clone()),
        ),
        Item::LimitExceeded(diagnostic) => Outcome::finding(false, *diagnostic),
        Item::Broken { reason, .. } => Outcome::finding(
            false,
            Diagnostic::new(
                Code::InvalidJson,
                format!("the JSON array is broken: {reason}"),
            )
            .with_hint(
                "records after this point could not be read; fix the array's brackets and commas",
            )
            .located(origin.row_location().clone()),
        ),
    }
}

/// Checks one record a converter built: `record` reads it in place (a `Deserializer` that reads
/// as its JSON text would), and `json` writes that text, for the slow path to explain a record
/// the types refuse. `hint` is the version to try first (the profile's).
pub(crate) fn check_converted<'de, D>(
    record: D,
    json: &dyn Fn() -> Vec<u8>,
    origin: &SourceMap<'_>,
    hint: Option<SchemaVersion>,
    options: &ValidateOptions,
    emit: bool,
) -> Outcome
where
    D: serde::Deserializer<'de> + Copy,
{
    let read = |version| Typed::deserialize(record, version);
    if let Some(typed) = typed_first(read, hint, options) {
        return accepted(typed, origin, options, emit, Outcome::new(true));
    }
    match serde_json::from_slice(&json()) {
        Ok(value) => check_value(value, origin, options, emit),
        // A converter always writes JSON; should it not, the record is reported, not let through.
        Err(_) => Outcome::finding(true, types_disagree(origin.row_location())),
    }
}

/// The fast path for JSON input: the record's bytes read by the types.
fn typed_json(
    bytes: &[u8],
    hint: Option<SchemaVersion>,
    options: &ValidateOptions,
) -> Option<Typed> {
    // Bytes that are not UTF-8 are not JSON: the slow path says so.
    let text = std::str::from_utf8(bytes).ok()?;
    typed_first(|version| Typed::from_json(text, version), hint, options)
}

/// The fast path: the record read (by `read`) with the types of the forced version, or else of
/// `hint` then of every other version. `None` sends the record down the slow path, which
/// explains it.
fn typed_first(
    read: impl Fn(SchemaVersion) -> Option<Typed>,
    hint: Option<SchemaVersion>,
    options: &ValidateOptions,
) -> Option<Typed> {
    if options.pseudonymize.is_some() {
        // A raw case ID must be replaced before anything reads the record: slow path only.
        return None;
    }
    if let Some(forced) = options.schema_version {
        return read(forced);
    }
    let first = hint.unwrap_or(SchemaVersion::LATEST);
    std::iter::once(first)
        .chain(SchemaVersion::ALL.iter().copied().filter(|v| *v != first))
        .find_map(read)
}

/// Checks one record given as a JSON value (the slow path; converters come here with the records
/// they built); findings are located through `origin`.
pub(crate) fn check_value(
    mut value: Value,
    origin: &SourceMap<'_>,
    options: &ValidateOptions,
    emit: bool,
) -> Outcome {
    let mut outcome = Outcome::new(true);
    if let Some(key) = &options.pseudonymize {
        privacy::pseudonymize_record(&mut value, key);
    }
    let version = match version::detect(&value, options.schema_version) {
        Ok(version) => version,
        Err(diagnostic) => {
            privacy_scan(&value, None, origin, &mut outcome.findings);
            outcome.findings.push(locate(*diagnostic, origin));
            return outcome;
        }
    };
    outcome.version = Some(version);
    // The types first, as for JSON input; the schema explains what they refuse.
    if let Some(typed) = Typed::from_value(&value, version) {
        return accepted(typed, origin, options, emit, outcome);
    }
    let released = schema::released(version);
    if structural::is_valid(released, &value) {
        outcome.findings.push(types_disagree(origin.row_location()));
        return outcome;
    }
    privacy_scan(&value, Some(&released.value), origin, &mut outcome.findings);
    for d in structural::explain(released, &value) {
        outcome.findings.push(locate(d, origin));
    }
    outcome
}

/// The outcome of a record that passed the structural stage: its rules' findings.
fn accepted(
    typed: Typed,
    origin: &SourceMap<'_>,
    options: &ValidateOptions,
    emit: bool,
    mut outcome: Outcome,
) -> Outcome {
    let mut found = Diagnostics::with_cap(None);
    let mut ctx = RuleContext {
        current_year: options.current_year,
        location: origin.row_location(),
        sink: &mut found,
    };
    typed.rules(&mut ctx);
    let findings = found.finish().findings;
    outcome
        .findings
        .extend(findings.into_iter().map(|d| locate(d, origin)));
    outcome.version = Some(typed.version());
    if typed.case_id().is_some() {
        let cell = origin.locate(Some(&JsonPointer::root().join("caseId")));
        outcome.case_id_at = Some((origin.row_location().line(), cell));
    }
    if emit {
        outcome.canonical = typed.canonical();
    }
    outcome.typed = Some(typed);
    outcome
}

/// Runs the privacy gate's detectors over a rejected record (an accepted one holds only codes)
/// and places each finding at the cell its pointer came from.
fn privacy_scan(
    value: &Value,
    schema: Option<&Value>,
    origin: &SourceMap<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut found = Diagnostics::with_cap(None);
    privacy::scan_record(value, schema, origin.row_location(), &mut found);
    out.extend(
        found
            .finish()
            .findings
            .into_iter()
            .map(|d| locate(d, origin)),
    );
}

/// Places a record's finding at the cell its pointer came from.
fn locate(diagnostic: Diagnostic, origin: &SourceMap<'_>) -> Diagnostic {
    let location = origin.locate(diagnostic.pointer.as_ref());
    diagnostic.located(location)
}

/// The schema and the types come from the same source and are held equal by a differential test;
/// should they ever disagree, the record is reported rather than let through.
pub(crate) fn types_disagree(location: &SourceLocation) -> Diagnostic {
    Diagnostic::new(
        Code::SchemaViolation,
        "the record passes the JSON Schema but not the standard's types",
    )
    .with_hint("please report it as a ctdx bug, with the record's shape but not its values")
    .located(location.clone())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::profile::{Place, RecordBuilder, Scalar, Shape};

    /// The value's places and values, when a converter could have built it: objects, strings,
    /// years and lists of strings.
    fn build<'a>(
        value: &'a Value,
        parents: &mut Vec<&'a str>,
        shape: &mut Shape,
        out: &mut Vec<(Place, Scalar<'a>)>,
    ) -> Option<()> {
        for (name, v) in value.as_object()? {
            let scalar = match v {
                Value::String(s) => Scalar::Text(s.as_str().into()),
                Value::Number(n) => Scalar::Number(u16::try_from(n.as_u64()?).ok()?),
                Value::Array(items) => Scalar::Texts(
                    items
                        .iter()
                        .map(Value::as_str)
                        .collect::<Option<Vec<_>>>()?,
                ),
                Value::Object(_) => {
                    parents.push(name);
                    build(v, parents, shape, out)?;
                    parents.pop();
                    continue;
                }
                _ => return None,
            };
            out.push((shape.place(parents.iter().copied(), name), scalar));
        }
        Some(())
    }

    /// Every canonical fixture record, and mutations of each that a converter could produce.
    fn cases() -> Vec<Value> {
        let root =
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("fixtures");
        let mut records = Vec::new();
        for dir in [
            "1.0/json/valid",
            "1.0/json/invalid",
            "2.0/json/valid",
            "2.0/json/invalid",
        ] {
            let entries = std::fs::read_dir(root.join(dir)).expect("fixture folder");
            for entry in entries.flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                records.extend(text.lines().filter_map(|l| serde_json::from_str(l).ok()));
            }
        }
        let mut cases = records.clone();
        for record in records.iter().filter_map(Value::as_object) {
            for (name, value) in record {
                let mut without = record.clone();
                without.remove(name);
                cases.push(Value::Object(without));
                let mut renamed = record.clone();
                renamed.insert(format!("{name}X"), value.clone());
                cases.push(Value::Object(renamed));
                for other in [
                    Value::from("zzz"),
                    Value::from(1999),
                    Value::from(vec!["FR"]),
                ] {
                    let mut changed = record.clone();
                    changed.insert(name.clone(), other);
                    cases.push(Value::Object(changed));
                }
            }
        }
        cases
    }

    #[test]
    fn a_converted_record_is_read_in_place_as_its_json_text_is() {
        let (mut compared, mut accepted) = (0, 0);
        for case in cases() {
            let (mut shape, mut values) = (Shape::default(), Vec::new());
            if build(&case, &mut Vec::new(), &mut shape, &mut values).is_none() {
                continue;
            }
            let mut record = RecordBuilder::new(&shape);
            for (place, value) in values {
                record.set(place, value);
            }
            let json = String::from_utf8(record.to_json()).expect("UTF-8");
            for &version in SchemaVersion::ALL {
                let in_place = Typed::deserialize(record.deserializer(), version);
                let from_text = Typed::from_json(&json, version);
                assert_eq!(
                    in_place.as_ref().and_then(Typed::canonical),
                    from_text.as_ref().and_then(Typed::canonical),
                    "version {version}: {json}"
                );
                compared += 1;
                accepted += usize::from(in_place.is_some());
            }
        }
        // Both verdicts are reached many times.
        assert!(
            compared > 1000 && accepted > 100,
            "{compared} compared, {accepted} accepted"
        );
    }
}
