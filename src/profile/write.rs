//! Writes canonical records in a profile's own layout (e.g. the CTDC 64-column CSV), the inverse
//! of reading: codes through the reversed value maps, facts as the layout's flags, derived
//! columns regenerated from their group in the layout's wording and order, countries in the
//! layout's codes, missing values as the layout's first non-empty missing token.
//!
//! Nothing is dropped silently: [`LayoutWriter`] lists every value of a record that the layout
//! cannot hold (a field with no column, a code with no spelling in the layout, a `no` in a
//! column that writes only `1` or nothing) in a loss report of the same form as `migrate`'s.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::normalize::squash;
use super::{Column, CountryCodes, DropReason, Kind, Profile};
use crate::diag::{Code, Diagnostic, Diagnostics, JsonPointer, SourceLocation};
use crate::migrate::{FieldSummary, MigrationReport, VersionCount};
use crate::model::{SchemaVersion, countries};
use crate::schema::{released, schema_at};
use crate::text::csv_line;

/// Why a value of a record is not in the written layout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lost {
    /// No column of the layout holds the field.
    NoColumn,
    /// The column has no spelling for the record's code (or for a fact's `yes` or `no`).
    NoSpelling(String),
}

/// One written cell and, if the record's value did not fit, why.
struct Written {
    text: String,
    lost: Option<(String, Lost)>,
}

impl Written {
    fn whole(text: String) -> Self {
        Self { text, lost: None }
    }
}

impl Profile {
    /// The columns a written file has: all but those dropped because they identify people
    /// (the hub never holds their content, so a written file has no such column).
    fn written_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| {
            !(c.kind == Kind::Drop && c.reason == Some(DropReason::Identifier))
                && c.kind != Kind::BirthDate
        })
    }

    /// The header line's cells.
    pub fn header_cells(&self) -> Vec<&str> {
        self.written_columns().map(|c| c.header.as_str()).collect()
    }

    /// One record as the layout's cells, in column order (what cannot be written is not
    /// reported here: [`LayoutWriter`] reports it).
    pub fn write_cells(&self, record: &Value) -> Vec<String> {
        self.written_columns()
            .map(|c| self.write_cell(c, record).text)
            .collect()
    }

    /// The layout's way of writing "not recorded" in a column: its first non-empty missing
    /// token, else an empty cell (always empty for a terms column, which holds no data).
    pub fn written_missing<'a>(&'a self, column: &'a Column) -> &'a str {
        if column.reason == Some(DropReason::Terms) {
            return "";
        }
        self.missing_tokens(column)
            .iter()
            .find(|t| !t.is_empty())
            .map_or("", String::as_str)
    }

    fn write_cell(&self, column: &Column, record: &Value) -> Written {
        let missing = || Written::whole(self.written_missing(column).to_owned());
        let to = column.to.as_deref().unwrap_or_default();
        let value = (!to.is_empty())
            .then(|| record.pointer(JsonPointer::from_escaped(to).as_str()))
            .flatten();
        let no_spelling = |what: &str| Written {
            text: self.written_missing(column).to_owned(),
            lost: Some((to.to_owned(), Lost::NoSpelling(what.to_owned()))),
        };
        match column.kind {
            Kind::Code => match value.and_then(Value::as_str) {
                Some(code) => match spelling(column, code) {
                    Some(word) => Written::whole(word.to_owned()),
                    None => no_spelling("the code"),
                },
                None => missing(),
            },
            Kind::Flag => match value.and_then(Value::as_str) {
                Some(state @ ("yes" | "no")) => match flag_spelling(column, state) {
                    Some(word) => Written::whole(word.to_owned()),
                    None => no_spelling(&format!("`{state}`")),
                },
                _ => Written::whole(
                    flag_spelling(column, "unknown")
                        .unwrap_or_else(|| self.written_missing(column))
                        .to_owned(),
                ),
            },
            Kind::Year | Kind::ReferenceDate => match value {
                Some(Value::Number(n)) => Written::whole(n.to_string()),
                _ => missing(),
            },
            Kind::CaseId => {
                Written::whole(value.and_then(Value::as_str).unwrap_or_default().to_owned())
            }
            Kind::Country => match value.and_then(Value::as_str) {
                Some(code) => Written::whole(self.country_code(code).to_owned()),
                None => missing(),
            },
            Kind::Countries => match value.and_then(Value::as_array) {
                Some(codes) => {
                    let codes: Vec<&str> = codes
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|c| self.country_code(c))
                        .collect();
                    Written::whole(codes.join(column.delimiter.as_deref().unwrap_or(";")))
                }
                None => missing(),
            },
            Kind::List => match value.and_then(Value::as_object) {
                Some(group) => Written::whole(self.joined(column, to, group)),
                None => missing(),
            },
            Kind::Drop => match (column.reason, column.from.as_deref()) {
                (Some(DropReason::Derived), Some(from)) => {
                    let at = record.pointer(JsonPointer::from_escaped(from).as_str());
                    match at.and_then(Value::as_object) {
                        Some(group) if group.values().any(|v| v == "yes") => {
                            Written::whole(self.joined(column, from, group))
                        }
                        _ => missing(),
                    }
                }
                _ => missing(),
            },
            Kind::BirthDate | Kind::Consent | Kind::FormVersion => Written::whole(String::new()),
        }
    }

    /// A country code as the layout writes it.
    pub(super) fn country_code<'a>(&self, alpha2: &'a str) -> &'a str {
        match self.country_codes {
            CountryCodes::Alpha2 => alpha2,
            CountryCodes::Alpha3 => countries()
                .binary_search_by(|c| c.alpha2.cmp(alpha2))
                .map_or(alpha2, |i| countries()[i].alpha3),
        }
    }
}

/// The keys of a column's value map that writing may use: not read-only, not lossy.
fn writable(column: &Column) -> impl Iterator<Item = (&str, &str)> {
    column
        .values
        .iter()
        .filter(|(k, _)| !column.read_only.contains(k) && !column.lossy.contains(k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
}

/// The layout's word for a code: the writable key that spells the code itself, else the first
/// writable key that maps to it; with no value map, the code. A column with a value map writes
/// only its keys: a code none of them maps to has no spelling in the layout.
pub(super) fn spelling<'a>(column: &'a Column, code: &'a str) -> Option<&'a str> {
    if column.values.is_empty() {
        return Some(code);
    }
    let keys: Vec<&str> = writable(column)
        .filter(|(_, to)| *to == code)
        .map(|(k, _)| k)
        .collect();
    keys.iter()
        .copied()
        .find(|k| squash(k) == squash(code))
        .or_else(|| keys.first().copied())
}

/// The layout's word for a fact's state: the value map's, else CTDC's `1` / `0` (unknown is the
/// column's missing token).
pub(super) fn flag_spelling<'a>(column: &'a Column, state: &str) -> Option<&'a str> {
    if column.values.is_empty() {
        return match state {
            "yes" => Some("1"),
            "no" => Some("0"),
            _ => None,
        };
    }
    writable(column)
        .find(|(_, to)| *to == state)
        .map(|(k, _)| k)
}

impl Profile {
    /// The labels a derived or list column writes for its group's facts, each with its fact, in
    /// the order the layout joins them: the column's label order, else the standard's order of
    /// facts; one label per fact (the first writable one, alphabetically). A column without a
    /// value map writes each fact's title, as it reads titles.
    pub(super) fn written_labels<'c>(
        &self,
        column: &'c Column,
        group_pointer: &str,
    ) -> Vec<(&'c str, &'c str)> {
        let group = self.version().and_then(|v| {
            schema_at(
                &released(v).value,
                &JsonPointer::from_escaped(group_pointer),
            )
        });
        let facts: Vec<(&str, &str)> = group
            .and_then(|g| g.get("properties"))
            .and_then(Value::as_object)
            .map(|p| {
                p.iter()
                    .map(|(code, fact)| {
                        let title = fact.get("title").and_then(Value::as_str);
                        (code.as_str(), title.unwrap_or(code))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let order: Vec<&str> = if column.label_order.is_empty() {
            facts.iter().map(|(code, _)| *code).collect()
        } else {
            column
                .label_order
                .iter()
                .filter_map(|label| column.values.get(label).map(String::as_str))
                .collect()
        };
        let pairs: Vec<(&str, &str)> = if column.values.is_empty() {
            facts.iter().map(|(code, title)| (*title, *code)).collect()
        } else {
            writable(column).collect()
        };
        let mut labels: Vec<(usize, &str, &str)> = pairs
            .into_iter()
            .map(|(label, fact)| {
                let at = order.iter().position(|k| *k == fact);
                (at.unwrap_or(usize::MAX), label, fact)
            })
            .collect();
        labels.sort();
        labels.dedup_by_key(|(i, _, _)| *i);
        labels.into_iter().map(|(_, l, f)| (l, f)).collect()
    }

    /// The labels of a group's `yes` facts, joined by the column's delimiter.
    fn joined(
        &self,
        column: &Column,
        group_pointer: &str,
        group: &serde_json::Map<String, Value>,
    ) -> String {
        let yes: Vec<&str> = self
            .written_labels(column, group_pointer)
            .into_iter()
            .filter(|(_, fact)| group.get(*fact).and_then(Value::as_str) == Some("yes"))
            .map(|(label, _)| label)
            .collect();
        yes.join(column.delimiter.as_deref().unwrap_or(";"))
    }
}

/// Writes records as a layout's CSV lines and keeps the loss report: every value a record holds
/// that the written row does not (`M003`, per record and field, located at the written cell),
/// tallied per field. The report has the form of `ctdx migrate`'s, with the layout as target.
#[derive(Debug)]
pub struct LayoutWriter {
    profile: Profile,
    records: u64,
    versions: BTreeMap<SchemaVersion, u64>,
    sink: Diagnostics,
    fields: BTreeMap<(Code, String), u64>,
    hasher: Sha256,
}

impl LayoutWriter {
    /// A writer for `profile`'s layout that lists at most `max_findings` losses (all are
    /// counted).
    pub fn new(profile: Profile, max_findings: Option<usize>) -> Self {
        Self {
            profile,
            records: 0,
            versions: BTreeMap::new(),
            sink: Diagnostics::with_cap(max_findings),
            fields: BTreeMap::new(),
            hasher: Sha256::new(),
        }
    }

    /// The header line.
    pub fn header_line(&mut self) -> String {
        let line = csv_line(&self.profile.header_cells(), ',');
        self.hasher.update(line.as_bytes());
        line
    }

    /// One record as a line of the layout; what it cannot hold goes to the loss report.
    pub fn record_line(&mut self, record: &Value) -> String {
        self.records += 1;
        let version = record
            .get("schemaVersion")
            .and_then(Value::as_str)
            .and_then(|v| v.parse().ok());
        if let Some(version) = version {
            *self.versions.entry(version).or_default() += 1;
        }
        let mut cells = Vec::new();
        let mut held: Vec<String> = Vec::new();
        let mut losses = Vec::new();
        for (i, column) in self.profile.written_columns().enumerate() {
            let written = self.profile.write_cell(column, record);
            cells.push(written.text);
            match (column.kind, column.to.as_deref()) {
                (Kind::List, Some(to)) => held.extend(listed_facts(column, to, record)),
                (_, Some(to)) => held.push(to.to_owned()),
                _ => {}
            }
            if let Some((field, lost)) = written.lost {
                losses.push((field, lost, Some((i, column.header.clone()))));
            }
        }
        let mut unheld = Vec::new();
        unheld_values(record, &mut String::new(), &held, &mut unheld);
        losses.extend(unheld.into_iter().map(|f| (f, Lost::NoColumn, None)));
        for (field, lost, cell) in losses {
            self.lose(&field, &lost, cell);
        }
        let line = csv_line(&cells, ',');
        self.hasher.update(line.as_bytes());
        line
    }

    fn lose(&mut self, field: &str, lost: &Lost, cell: Option<(usize, String)>) {
        let layout = self.profile.name.clone();
        let why = match lost {
            Lost::NoColumn => "the layout has no column for it".to_owned(),
            Lost::NoSpelling(what) => {
                format!("the layout has no spelling for {what}; written as not recorded")
            }
        };
        let record = self.records;
        let location = SourceLocation::Csv {
            record,
            line: record + 1,
            column: cell.as_ref().map(|(i, _)| *i as u32 + 1),
            header: cell.map(|(_, h)| h),
        };
        *self
            .fields
            .entry((Code::MigrationValueLost, field.to_owned()))
            .or_default() += 1;
        self.sink.push(
            Diagnostic::new(
                Code::MigrationValueLost,
                format!("`{field}` cannot be written in layout `{layout}`: {why}"),
            )
            .with_hint(format!(
                "the value is not in the written file; spec/profiles.md says what layout \
                 `{layout}` holds (`ctdx profile show {layout}`)"
            ))
            .at(JsonPointer::from_escaped(field))
            .located(location),
        );
    }

    /// The loss report; `path` names the written file (`-` for standard output), whose rows the
    /// findings point at.
    pub fn finish(self, path: &str) -> MigrationReport {
        let from = self
            .versions
            .into_iter()
            .map(|(v, records)| VersionCount {
                version: v.as_str(),
                records,
            })
            .collect();
        let fields = self
            .fields
            .into_iter()
            .map(|((code, field), records)| FieldSummary::new(code, field, records))
            .collect();
        MigrationReport::new(
            path,
            crate::schema::hex(&self.hasher.finalize()),
            &self.profile.name,
            (self.records, self.records, 0),
            from,
            fields,
            self.sink.finish(),
        )
    }
}

/// The facts of a group that a list column writes back: a `yes` it has a label for, and a `no`
/// it has a label for when the layout reads unlisted facts as `no`.
fn listed_facts<'a>(
    column: &'a Column,
    to: &'a str,
    record: &'a Value,
) -> impl Iterator<Item = String> + 'a {
    let group = record
        .pointer(JsonPointer::from_escaped(to).as_str())
        .and_then(Value::as_object);
    let labelled =
        |fact: &str| column.values.is_empty() || writable(column).any(|(_, f)| f == fact);
    group
        .into_iter()
        .flatten()
        .filter_map(move |(fact, state)| {
            let written = match state.as_str() {
                Some("yes") => labelled(fact),
                Some("no") => column.unlisted.as_deref() == Some("no") && labelled(fact),
                _ => false,
            };
            written.then(|| format!("{to}/{fact}"))
        })
}

/// The pointers of a record's known values (not `unknown`, not the version) that no column
/// holds: a column holds its field and, for a group, every fact under it.
fn unheld_values(value: &Value, at: &mut String, held: &[String], out: &mut Vec<String>) {
    let is_held = |pointer: &str| {
        held.iter().map(String::as_str).any(|h| {
            pointer == h
                || (pointer.starts_with(h) && pointer.as_bytes().get(h.len()) == Some(&b'/'))
        })
    };
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if at.is_empty() && key == "schemaVersion" {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                unheld_values(inner, at, held, out);
                at.truncate(len);
            }
        }
        Value::String(s) if s == "unknown" => {}
        _ if is_held(at) => {}
        _ => out.push(at.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctdc() -> Profile {
        crate::profile::builtin("ctdc-global-2020")
            .and_then(Result::ok)
            .expect("built in")
    }

    fn cell(profile: &Profile, cells: &[String], header: &str) -> Option<String> {
        let headers = profile.header_cells();
        headers
            .iter()
            .position(|c| *c == header)
            .map(|i| cells[i].clone())
    }

    #[test]
    fn regenerates_derived_columns_from_their_group() {
        let profile = ctdc();
        let record = serde_json::json!({"schemaVersion": "1.0", "meansOfControl": {"threats": "yes", "debtBondage": "yes", "other": "no"}, "recruiterRelations": {"intimatePartner": "yes", "family": "yes", "friend": "no"}, "exploitation": {"forcedLabour": "no"}});
        let cells = profile.write_cells(&record);
        let at = |h: &str| cell(&profile, &cells, h);
        assert_eq!(
            at("meansOfControlConcatenated").as_deref(),
            Some("Debt bondage;Threats")
        );
        assert_eq!(
            at("RecruiterRelationship").as_deref(),
            Some("Family/Relative; Intimate Partner"),
            "the release's wording, order and `; `"
        );
        assert_eq!(at("meansOfControlThreats").as_deref(), Some("1"));
        assert_eq!(at("meansOfControlOther").as_deref(), Some("0"));
        assert_eq!(at("meansOfControlUsesChildren").as_deref(), Some("-99"));
        assert_eq!(
            at("typeOfExploitConcatenated").as_deref(),
            Some("-99"),
            "no `yes`: the release writes -99"
        );
        assert_eq!(at("gender").as_deref(), Some("-99"));
        assert_eq!(cells[0], "", "the terms column is written empty");
    }

    #[test]
    fn what_the_layout_cannot_hold_is_reported_per_record_and_field() {
        let profile = ctdc();
        let mut writer = LayoutWriter::new(profile.clone(), None);
        writer.header_line();
        let record = serde_json::json!({"schemaVersion": "2.0", "gender": "transgenderFeminine",
            "traffickingDuration": "5YearsOrMore", "yearOfRegistration": 2019,
            "methodsOfControl": {"threats": "unknown"}});
        let line = writer.record_line(&record);
        assert!(line.starts_with(",2019,"), "{line}");
        let report = writer.finish("out.csv");
        let fields: Vec<(&str, u64)> = report
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.records))
            .collect();
        assert_eq!(fields, [("/gender", 1), ("/traffickingDuration", 1)]);
        assert_eq!(report.target, "ctdc-global-2020");
        let gender = &report.findings[0];
        assert_eq!(
            gender.location,
            Some(SourceLocation::Csv {
                record: 1,
                line: 2,
                column: Some(4),
                header: Some("gender".into())
            })
        );
        assert!(
            !gender.message.contains("transgender"),
            "{}",
            gender.message
        );
    }

    #[test]
    fn a_list_column_cannot_write_no_unless_unlisted_facts_are_no() {
        let text = |unlisted: &str| {
            format!(
                "name = \"t\"\ntitle = \"t\"\nschema-version = \"1.0\"\n[[column]]\nheader = \"means\"\n\
                 kind = \"list\"\nto = \"/meansOfControl\"\ndelimiter = \";\"\nunlisted = \"{unlisted}\"\n"
            )
        };
        let record = serde_json::json!({"schemaVersion": "1.0",
            "meansOfControl": {"threats": "yes", "debtBondage": "no"}});
        for (unlisted, lost) in [("unknown", 1), ("no", 0)] {
            let profile = Profile::from_toml(&text(unlisted), "t").expect("valid");
            let mut writer = LayoutWriter::new(profile, None);
            assert_eq!(writer.record_line(&record), "Threats\n");
            let report = writer.finish("-");
            assert_eq!(report.findings.len(), lost, "{unlisted}");
            if lost > 0 {
                assert_eq!(report.fields[0].field, "/meansOfControl/debtBondage");
            }
        }
    }

    #[test]
    fn synthetic_layouts_write_alpha_3_and_cannot_write_no() {
        let profile = crate::profile::builtin("ctdc-synthetic-2024")
            .and_then(Result::ok)
            .expect("built in");
        let mut writer = LayoutWriter::new(profile.clone(), None);
        let record = serde_json::json!({"schemaVersion": "1.0", "citizenship": "US",
            "ageBand": "0--8", "meansOfControl": {"threats": "no", "falsePromises": "yes"}});
        let cells = profile.write_cells(&record);
        assert_eq!(
            cell(&profile, &cells, "citizenship").as_deref(),
            Some("USA")
        );
        assert_eq!(cell(&profile, &cells, "ageBroad").as_deref(), Some("0--8"));
        assert_eq!(cell(&profile, &cells, "meansThreats").as_deref(), Some(""));
        assert_eq!(
            cell(&profile, &cells, "meansFalsePromises").as_deref(),
            Some("1")
        );
        writer.record_line(&record);
        let report = writer.finish("-");
        assert_eq!(report.fields.len(), 1);
        assert_eq!(report.fields[0].field, "/meansOfControl/threats");
        assert!(report.findings[0].message.contains("`no`"));
    }
}
