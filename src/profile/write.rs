//! Writes canonical records in a profile's own layout (e.g. the CTDC 63-column CSV), the inverse
//! of reading: codes through the reversed value maps, facts as the layout's flags, derived
//! columns regenerated from their group, missing values as the layout's first missing token.

use serde_json::Value;

use super::normalize::squash;
use super::{Column, DropReason, Kind, Profile};
use crate::diag::JsonPointer;
use crate::schema::{released, schema_at};

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

    /// One record as the layout's cells, in column order.
    pub fn write_cells(&self, record: &Value) -> Vec<String> {
        self.written_columns()
            .map(|c| self.write_cell(c, record))
            .collect()
    }

    fn write_cell(&self, column: &Column, record: &Value) -> String {
        let missing = self
            .missing_tokens(column)
            .iter()
            .find(|t| !t.is_empty())
            .cloned()
            .unwrap_or_default();
        let at = |to: &str| record.pointer(JsonPointer::from_escaped(to).as_str());
        match column.kind {
            Kind::Code => match column.to.as_deref().and_then(at).and_then(Value::as_str) {
                Some(code) => reverse(column, code).to_owned(),
                None => missing,
            },
            Kind::Flag => match column.to.as_deref().and_then(at).and_then(Value::as_str) {
                Some("yes") => "1".into(),
                Some("no") => "0".into(),
                _ => flag_unknown(column, &missing),
            },
            Kind::Year | Kind::ReferenceDate => match column.to.as_deref().and_then(at) {
                Some(Value::Number(n)) => n.to_string(),
                _ => missing,
            },
            Kind::CaseId => match column.to.as_deref().and_then(at).and_then(Value::as_str) {
                Some(hash) => hash.to_owned(),
                None => String::new(),
            },
            Kind::Country => match column.to.as_deref().and_then(at).and_then(Value::as_str) {
                Some(code) => code.to_owned(),
                None => missing,
            },
            Kind::Countries => match column.to.as_deref().and_then(at).and_then(Value::as_array) {
                Some(codes) => {
                    let codes: Vec<&str> = codes.iter().filter_map(Value::as_str).collect();
                    codes.join(column.delimiter.as_deref().unwrap_or(";"))
                }
                None => missing,
            },
            Kind::List => match column.to.as_deref().and_then(at).and_then(Value::as_object) {
                Some(group) => self.joined(column, column.to.as_deref().unwrap_or_default(), group),
                None => missing,
            },
            Kind::Drop if column.reason == Some(DropReason::Derived) => {
                let from = column.from.as_deref().unwrap_or_default();
                match at(from).and_then(Value::as_object) {
                    Some(group) if group.values().any(|v| v != "unknown") => {
                        self.joined(column, from, group)
                    }
                    _ => missing,
                }
            }
            Kind::BirthDate | Kind::Drop | Kind::Consent | Kind::FormVersion => String::new(),
        }
    }
}

/// The layout's word for a code: the value-map key that spells the code itself, else the first
/// key that maps to it, else the code.
fn reverse<'a>(column: &'a Column, code: &'a str) -> &'a str {
    let keys: Vec<&str> = column
        .values
        .iter()
        .filter(|(_, to)| to.as_str() == code)
        .map(|(k, _)| k.as_str())
        .collect();
    keys.iter()
        .copied()
        .find(|k| squash(k) == squash(code))
        .or_else(|| keys.first().copied())
        .unwrap_or(code)
}

fn flag_unknown(column: &Column, missing: &str) -> String {
    column
        .values
        .iter()
        .find(|(_, to)| to.as_str() == "unknown")
        .map_or_else(|| missing.to_owned(), |(k, _)| k.clone())
}

impl Profile {
    /// The labels of a group's `yes` facts, in the standard's order of facts, joined.
    fn joined(
        &self,
        column: &Column,
        group_pointer: &str,
        group: &serde_json::Map<String, Value>,
    ) -> String {
        let order: Vec<String> = self
            .version()
            .and_then(|v| {
                schema_at(
                    &released(v).value,
                    &JsonPointer::from_escaped(group_pointer),
                )
            })
            .and_then(|g| g.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let mut labels: Vec<(usize, &str)> = column
            .values
            .iter()
            .filter(|(_, fact)| group.get(fact.as_str()).and_then(Value::as_str) == Some("yes"))
            .map(|(label, fact)| {
                (
                    order.iter().position(|k| k == fact).unwrap_or(usize::MAX),
                    label.as_str(),
                )
            })
            .collect();
        labels.sort();
        labels.dedup_by_key(|(i, _)| *i);
        let delimiter = column.delimiter.as_deref().unwrap_or(";");
        labels
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join(delimiter)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn regenerates_derived_columns_from_their_group() {
        let profile = crate::profile::builtin("ctdc-global-2020")
            .and_then(Result::ok)
            .expect("built in");
        let record = serde_json::json!({"schemaVersion": "1.0", "meansOfControl": {"threats": "yes", "debtBondage": "yes", "other": "no"}});
        let cells = profile.write_cells(&record);
        let headers = profile.header_cells();
        let at = |h: &str| {
            headers
                .iter()
                .position(|c| *c == h)
                .map(|i| cells[i].clone())
        };
        assert_eq!(
            at("meansOfControlConcatenated").as_deref(),
            Some("Debt bondage;Threats")
        );
        assert_eq!(at("meansOfControlThreats").as_deref(), Some("1"));
        assert_eq!(at("meansOfControlOther").as_deref(), Some("0"));
        assert_eq!(at("meansOfControlUsesChildren").as_deref(), Some("-99"));
        assert_eq!(at("typeOfExploitConcatenated").as_deref(), Some("-99"));
        assert_eq!(at("gender").as_deref(), Some("-99"));
    }
}
