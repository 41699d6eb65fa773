//! Writes canonical records in a profile's own layout (e.g. the CTDC 63-column CSV), the inverse
//! of reading: codes through the reversed value maps, facts as the layout's flags, derived
//! columns regenerated from their group, missing values as the layout's first missing token.

use serde_json::Value;

use super::normalize::squash;
use super::{Column, DropReason, Kind, Profile};
use crate::diag::JsonPointer;

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
            Kind::Country => match column.to.as_deref().and_then(at).and_then(Value::as_str) {
                Some(code) => code.to_owned(),
                None => missing,
            },
            Kind::List => match column.to.as_deref().and_then(at).and_then(Value::as_object) {
                Some(group) => joined(column, group),
                None => missing,
            },
            Kind::Drop if column.reason == Some(DropReason::Derived) => {
                match column
                    .from
                    .as_deref()
                    .and_then(at)
                    .and_then(Value::as_object)
                {
                    Some(group) if group.values().any(|v| v != "unknown") => joined(column, group),
                    _ => missing,
                }
            }
            Kind::BirthDate | Kind::Drop => String::new(),
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

/// The labels of a group's `yes` facts, in the value map's order of facts, joined.
fn joined(column: &Column, group: &serde_json::Map<String, Value>) -> String {
    let delimiter = column.delimiter.as_deref().unwrap_or(";");
    let mut labels: Vec<(usize, &str)> = column
        .values
        .iter()
        .filter(|(_, fact)| group.get(fact.as_str()).and_then(Value::as_str) == Some("yes"))
        .map(|(label, fact)| {
            (
                group.keys().position(|k| k == fact).unwrap_or(usize::MAX),
                label.as_str(),
            )
        })
        .collect();
    labels.sort();
    labels.dedup_by_key(|(i, _)| *i);
    labels
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join(delimiter)
}

/// One CSV line (RFC 4180 quoting), with a final newline.
pub fn csv_line(cells: &[impl AsRef<str>], delimiter: char) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(delimiter);
        }
        let cell = cell.as_ref();
        if cell.contains([delimiter, '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(
            csv_line(&["a", "b,c", "say \"hi\""], ','),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }
}
