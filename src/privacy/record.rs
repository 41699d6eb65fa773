//! The per-record stage of the gate: walks a raw record (a `serde_json::Value`) and runs the
//! name check on every property the schema does not define, and the detectors, the formula
//! check and the generalisation checks on every value that is not a code of its closed list.
//!
//! It runs on records the structural stage rejects. A record that passes its schema holds only
//! code-list values, whole years and keyed hashes, so nothing in it can be a direct identifier,
//! and the fast path stays fast.
//!
//! Positions: the finding's pointer is the value's place in the record (a property whose own name
//! is not a plain field name is never spelt out: the pointer stops at its parent), plus the
//! character range inside the value; the value itself never appears (see [`super::mask`]).
//!
//! Context: each value is scanned with the name of its property (a column named for names makes
//! a name in it a finding) and the record's countries (citizenship, country of exploitation),
//! whose numbering plans confirm national phone numbers.
//!
//! Bounds: a value lists at most [`detect::MAX_LISTED`] hits and a record at most
//! [`MAX_PER_RECORD`] findings; the rest are counted, one finding per code with its count, so a
//! hostile record cannot fill memory with findings.

use std::collections::BTreeMap;

use serde_json::Value;

use super::columns::check_column_name;
use super::detect::{self, Context, Hit, Hits, Kind};
use super::formula;
use super::generalise::{self, FieldRole};
use super::mask::Masked;
use crate::diag::suggest::is_plain_name;
use crate::diag::{Code, Diagnostic, Diagnostics, JsonPointer, SourceLocation};
use crate::model::Country;
use crate::schema::schema_at;

/// How many findings about values one record lists; the rest are counted by code.
pub const MAX_PER_RECORD: usize = 64;

/// How many of a record's countries are kept as context (a record has two or three).
const MAX_COUNTRIES: usize = 8;

/// The record's countries: its citizenship(s) and country of exploitation, where they are
/// ISO 3166-1 codes.
fn record_countries(record: &Value) -> Vec<Country> {
    let mut out = Vec::new();
    for field in ["citizenship", "citizenships", "countryOfExploitation"] {
        let values: Vec<&Value> = match record.get(field) {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one) => vec![one],
            None => Vec::new(),
        };
        for code in values.into_iter().filter_map(Value::as_str) {
            if let Some(country) = Country::from_alpha2(code.trim()) {
                if !out.contains(&country) && out.len() < MAX_COUNTRIES {
                    out.push(country);
                }
            }
        }
    }
    out
}

/// Checks one raw record; `schema` is the root of its version's schema (`None` when the version
/// is unknown: then every property counts as undefined).
pub fn scan_record(
    value: &Value,
    schema: Option<&Value>,
    location: &SourceLocation,
    sink: &mut Diagnostics,
) {
    let countries = record_countries(value);
    let mut walker = Walker {
        schema,
        location,
        sink,
        countries: &countries,
        listed: 0,
        unlisted: BTreeMap::new(),
    };
    walker.walk(
        value,
        &JsonPointer::root(),
        &JsonPointer::root(),
        FieldRole::Other,
        None,
    );
    walker.finish();
}

/// Checks the text of a record that is not well-formed JSON: the detectors still run over it
/// (a broken line may hold an email address as well as a good one), with positions counted in
/// the record's text.
pub fn scan_raw(bytes: &[u8], location: &SourceLocation, sink: &mut Diagnostics) {
    let text = String::from_utf8_lossy(bytes);
    let hits = detect::scan(&text, Context::default());
    for d in hits_diagnostics(&text, &hits, "of the record's text") {
        sink.push(d.located(location.clone()));
    }
}

struct Walker<'a> {
    schema: Option<&'a Value>,
    location: &'a SourceLocation,
    sink: &'a mut Diagnostics,
    countries: &'a [Country],
    /// Findings listed so far, and those counted beyond [`MAX_PER_RECORD`].
    listed: usize,
    unlisted: BTreeMap<Code, (u64, Diagnostic)>,
}

impl Walker<'_> {
    fn push(&mut self, diagnostic: Diagnostic, shown: &JsonPointer) {
        if self.listed >= MAX_PER_RECORD {
            let entry = self
                .unlisted
                .entry(diagnostic.code)
                .or_insert_with(|| (0, diagnostic.clone()));
            entry.0 += diagnostic.count;
            return;
        }
        self.listed += 1;
        let d = diagnostic.located(self.location.clone());
        self.sink.push(if shown.as_str().is_empty() {
            d
        } else {
            d.at(shown.clone())
        });
    }

    /// The findings beyond the record's cap: one per code, with their count, at the record.
    fn finish(self) {
        for (code, (count, first)) in self.unlisted {
            let mut d = Diagnostic::new(
                code,
                format!(
                    "{count} more finding{} of this kind in the record, not listed one by one",
                    if count == 1 { "" } else { "s" }
                ),
            )
            .located(self.location.clone());
            d.hint = first.hint;
            d.count = count;
            self.sink.push(d);
        }
    }

    /// `real` is the true place (for schema look-ups only), `shown` the place safe to report,
    /// `key` the name of the property the value belongs to.
    fn walk(
        &mut self,
        value: &Value,
        real: &JsonPointer,
        shown: &JsonPointer,
        role: FieldRole,
        key: Option<&str>,
    ) {
        match value {
            Value::Object(map) => {
                let node = self.schema.and_then(|root| schema_at(root, real));
                let defined = node
                    .and_then(|n| n.get("properties"))
                    .and_then(Value::as_object);
                for (key, child) in map {
                    let known = defined.is_some_and(|d| d.contains_key(key));
                    let plain = is_plain_name(key);
                    let child_shown = if plain {
                        shown.join(key)
                    } else {
                        shown.clone()
                    };
                    if !known {
                        self.check_name(key, plain, &child_shown);
                    }
                    let child_role = generalise::field_role(key);
                    self.walk(child, &real.join(key), &child_shown, child_role, Some(key));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let index = i.to_string();
                    self.walk(item, &real.join(&index), &shown.join(&index), role, key);
                }
            }
            Value::String(s) if self.is_code(real, s) => {}
            Value::String(_) | Value::Number(_) => {
                let mut context = Context::default().with_countries(self.countries);
                if let Some(key) = key {
                    context = context.in_column(key);
                }
                for d in scan_scalar(value, role, context) {
                    self.push(d, shown);
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// Whether `s` is a code of the closed list at this place (nothing to scan).
    fn is_code(&self, real: &JsonPointer, s: &str) -> bool {
        self.schema
            .and_then(|root| schema_at(root, real))
            .and_then(|n| n.get("enum"))
            .and_then(Value::as_array)
            .is_some_and(|codes| codes.iter().any(|c| c.as_str() == Some(s)))
    }

    fn check_name(&mut self, key: &str, plain: bool, shown: &JsonPointer) {
        let what = if plain {
            format!("property `{key}`")
        } else {
            "a property whose name is not shown".to_owned()
        };
        if let Some(finding) = check_column_name(key) {
            self.push(finding.diagnostic(&what), shown);
        }
        if !plain {
            self.scan_text(key, FieldRole::Other, shown, "of a property name");
        }
    }

    fn scan_text(&mut self, text: &str, role: FieldRole, shown: &JsonPointer, of: &str) {
        let context = Context::default()
            .in_date_cell(role == FieldRole::Date)
            .with_countries(self.countries);
        let hits = detect::scan(text, context);
        for d in hits_diagnostics(text, &hits, of) {
            self.push(d, shown);
        }
    }
}

/// Every finding about one value (a string or a number) in a field of the given role: the
/// detectors, the formula check and the generalisation checks, in that order. The converters call
/// this (through [`scan_cell`]) on every cell, the walker on every value that is not a code.
fn scan_scalar(value: &Value, role: FieldRole, context: Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let context = context.in_date_cell(role == FieldRole::Date);
    match value {
        Value::String(s) => {
            out.extend(hits_diagnostics(
                s,
                &detect::scan(s, context),
                "of the value",
            ));
            if formula::starts_like_formula(s) {
                out.push(formula::diagnostic());
            }
            out.extend(generalise::check(role, value));
        }
        Value::Number(n) => {
            out.extend(generalise::check(role, value));
            if role == FieldRole::Date && n.as_f64().is_some_and(detect::excel_serial_is_date) {
                out.push(
                    Diagnostic::new(
                        Kind::ExactDate.code(),
                        "a date field holds a number that is an Excel date serial (an exact date)",
                    )
                    .with_hint(Kind::ExactDate.hint()),
                );
            } else if n.is_u64() {
                // Long whole numbers: card numbers typed into a numeric cell.
                let text = n.to_string();
                let hits = detect::scan(&text, Context::default());
                out.extend(hits_diagnostics(&text, &hits, "of the number"));
            }
        }
        _ => {}
    }
    out
}

/// Every finding about one spreadsheet cell or mapped value: `field` is the column header or
/// property name (it decides whether a number is a date serial, an age or a case number),
/// `value` the cell as text or number. Findings carry no location: the caller adds the cell's.
/// Cells of columns a profile drops go through here too, so a partner learns what it was about
/// to send elsewhere.
pub fn scan_cell(field: &str, value: &Value) -> Vec<Diagnostic> {
    scan_cell_with(field, value, &[])
}

/// [`scan_cell`] with the countries of the cell's row (citizenship, country of exploitation),
/// whose numbering plans confirm national phone numbers.
pub fn scan_cell_with(field: &str, value: &Value, countries: &[Country]) -> Vec<Diagnostic> {
    let context = Context::default()
        .in_column(field)
        .with_countries(countries);
    scan_scalar(value, generalise::field_role(field), context)
}

/// The finding for one detector hit: kind and masked position, never the text.
pub fn hit_diagnostic(text: &str, hit: &Hit, of: &str) -> Diagnostic {
    masked_diagnostic(hit.kind, &Masked::of(text, hit), of)
}

/// The findings of one scan: one per listed hit (masked in one pass over the text), then one
/// per kind for the hits beyond the listed ones, with their count.
pub fn hits_diagnostics(text: &str, hits: &Hits, of: &str) -> Vec<Diagnostic> {
    let masked = Masked::all(text, hits.listed());
    let listed = hits
        .iter()
        .zip(&masked)
        .map(|(hit, m)| masked_diagnostic(hit.kind, m, of));
    let place = of.strip_prefix("of ").unwrap_or(of);
    let unlisted = hits.unlisted().map(|(kind, count)| {
        let mut d = Diagnostic::new(
            kind.code(),
            format!("{count} more of this kind in {place}, not listed one by one"),
        )
        .with_hint(kind.hint());
        d.count = count;
        d
    });
    listed.chain(unlisted).collect()
}

fn masked_diagnostic(kind: Kind, masked: &Masked, of: &str) -> Diagnostic {
    let place = masked.describe().replacen("of the value", of, 1);
    Diagnostic::new(kind.code(), format!("{} {place}", kind.label())).with_hint(kind.hint())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::model::SchemaVersion;
    use serde_json::json;

    fn scan(value: Value) -> Vec<(Code, String, String)> {
        let schema = &crate::schema::released(SchemaVersion::V1_0).value;
        let mut sink = Diagnostics::with_cap(None);
        scan_record(
            &value,
            Some(schema),
            &SourceLocation::Json { record: 1, line: 1 },
            &mut sink,
        );
        sink.finish()
            .findings
            .into_iter()
            .map(|d| {
                let pointer = d.pointer.map(|p| p.as_str().to_owned()).unwrap_or_default();
                (d.code, pointer, d.message)
            })
            .collect()
    }

    #[test]
    fn a_phone_number_in_notes_is_named_and_masked() {
        let found = scan(json!({"schemaVersion": "1.0", "notes": "call +44 7700 900123"}));
        assert_eq!(
            found,
            [(
                Code::PhoneNumber,
                "/notes".to_owned(),
                "a phone number at characters 6–20 of the value, ending in `23`".to_owned()
            )]
        );
    }

    #[test]
    fn identifier_names_raw_values_and_formulas() {
        let found = scan(json!({
            "schemaVersion": "1.0",
            "victimName": "Jane Example-Doe",
            "ageBand": 23,
            "citizenship": "FR-75",
            "caseId": "CASE-0001",
            "gender": "=HYPERLINK(\"x\")",
        }));
        let codes: Vec<Code> = found.iter().map(|f| f.0).collect();
        assert_eq!(
            codes,
            [
                Code::IdentifierName,
                Code::RawAge,
                Code::SubNationalPlace,
                Code::RawCaseId,
                Code::FormulaInjection
            ]
        );
        assert!(
            found
                .iter()
                .all(|f| !f.2.contains("Jane") && !f.2.contains("CASE"))
        );
    }

    #[test]
    fn cells_are_checked_by_their_header() {
        let codes = |field: &str, value: Value| -> Vec<Code> {
            scan_cell(field, &value)
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        assert_eq!(codes("Fecha de registro", json!(43528)), [Code::ExactDate]);
        assert_eq!(codes("Age", json!("23")), [Code::RawAge]);
        assert_eq!(codes("Notes", json!("=1+1")), [Code::FormulaInjection]);
        assert_eq!(
            codes("Notes", json!("+44 7700 900123")),
            [Code::PhoneNumber, Code::FormulaInjection]
        );
        assert_eq!(codes("Year", json!(2019)), []);
        assert_eq!(codes("Count", json!(-99)), []);
    }

    #[test]
    fn codes_and_hashes_are_not_scanned() {
        let found = scan(json!({
            "schemaVersion": "1.0",
            "caseId": "4852c1bd54db3d04ea288728995c9c31a59a4496e273dbd031f263ff2803b693",
            "gender": "female",
            "ageBand": "18--20",
            "yearOfRegistration": 2019,
            "meansOfControl": {"debtBondage": "yes"},
            "extra": -99,
        }));
        assert_eq!(found, []);
    }

    #[test]
    fn broken_records_are_scanned_as_text() {
        let mut sink = Diagnostics::with_cap(None);
        let location = SourceLocation::Json { record: 1, line: 1 };
        scan_raw(br#"{"notes": "jane@example.org""#, &location, &mut sink);
        let found = sink.finish().findings;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::EmailAddress);
        assert_eq!(
            found[0].message,
            "an email address at characters 12–27 of the record's text, ending in `rg`"
        );
    }

    #[test]
    fn a_records_countries_confirm_national_phone_numbers() {
        let codes =
            |record: Value| -> Vec<Code> { scan(record).into_iter().map(|f| f.0).collect() };
        assert_eq!(
            codes(json!({"schemaVersion": "1.0", "notes": "tel 0612345678"})),
            [Code::PossiblePhoneNumber]
        );
        assert_eq!(
            codes(json!({"schemaVersion": "1.0", "citizenship": "FR", "notes": "tel 0612345678"})),
            [Code::PhoneNumber]
        );
        let two =
            json!({"schemaVersion": "2.0", "citizenships": ["PL", "UA"], "notes": "067 123 4567"});
        assert_eq!(codes(two), [Code::PhoneNumber]);
    }

    #[test]
    fn a_property_named_for_names_makes_a_name_in_it_an_error() {
        let found = scan(json!({"schemaVersion": "1.0", "victimName": "Maria Lopez"}));
        let codes: Vec<Code> = found.iter().map(|f| f.0).collect();
        assert_eq!(codes, [Code::IdentifierName, Code::PersonName]);
        assert!(
            found
                .iter()
                .all(|f| !f.2.contains("Maria") && !f.2.contains("Lopez"))
        );
    }

    #[test]
    fn findings_stay_bounded_and_totals_count_every_hit() {
        // One value of a hundred addresses: 16 listed, one finding counts the other 84.
        let text = "jane@example.org ".repeat(100);
        let listed = scan_cell("notes", &json!(text));
        assert_eq!(listed.len(), detect::MAX_LISTED + 1);
        assert_eq!(listed.iter().map(|d| d.count).sum::<u64>(), 100);
        assert!(listed[detect::MAX_LISTED].message.starts_with("84 more"));
        // Two hundred values of one address each: 64 listed, one finding counts the rest.
        let mut record = serde_json::Map::new();
        record.insert("schemaVersion".into(), json!("1.0"));
        for i in 0..200 {
            record.insert(format!("note{i}"), json!("jane@example.org"));
        }
        let schema = &crate::schema::released(SchemaVersion::V1_0).value;
        let mut sink = Diagnostics::with_cap(None);
        let location = SourceLocation::Json { record: 1, line: 1 };
        scan_record(&Value::Object(record), Some(schema), &location, &mut sink);
        let done = sink.finish();
        assert_eq!(done.findings.len(), MAX_PER_RECORD + 1);
        let emails = done.totals.iter().find(|t| t.code == Code::EmailAddress);
        assert_eq!(emails.map(|t| t.count), Some(200));
        assert!(
            done.findings[MAX_PER_RECORD]
                .message
                .starts_with("136 more findings")
        );
    }

    #[test]
    fn a_name_that_is_not_plain_is_never_shown() {
        let found = scan(json!({"schemaVersion": "1.0", "jane@example.org": "x"}));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Code::EmailAddress);
        assert_eq!(found[0].1, "");
        assert!(!found[0].2.contains("jane"));
    }
}
