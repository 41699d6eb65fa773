//! `SourceMap`: where each value of one canonical record came from in the partner's file.
//!
//! Converters record a cell for every value they write; a finding's pointer then finds its cell,
//! falling back to the nearest ancestor and finally to the row, so a finding on a converted file
//! points at the partner's cell ("Cases!D14, column `Sexo`"), not at our JSON.
//!
//! Every row of a table builds one, and findings are rare: so a value placed by its column
//! borrows its pointer and header from the converter (no copy, and no reference count that the
//! threads converting rows would contend for), and its location is spelt out only when a finding
//! asks for it.

use super::{JsonPointer, SourceLocation};

/// The origins of one record's values, borrowing what the converter keeps for every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMap<'a> {
    row: SourceLocation,
    /// Values with a place of their own (an XML element, a value derived from another cell).
    cells: Vec<(JsonPointer, SourceLocation)>,
    /// Values from a column (1-based) of the row, with its header when it may be shown. They own
    /// nothing, so a row's map is dropped without looking at each.
    columns: Vec<(&'a JsonPointer, u32, Option<&'a str>)>,
}

impl<'a> SourceMap<'a> {
    /// A record known only by its row (JSON records, or rows before any value is mapped).
    pub fn row(row: SourceLocation) -> Self {
        Self::with_capacity(row, 0)
    }

    /// A record of row `row` with room for the columns of `values` values.
    pub fn with_capacity(row: SourceLocation, values: usize) -> Self {
        Self {
            row,
            cells: Vec::new(),
            columns: Vec::with_capacity(values),
        }
    }

    /// Records that the value at `pointer` came from `cell`.
    pub fn insert(&mut self, pointer: JsonPointer, cell: SourceLocation) {
        self.cells.push((pointer, cell));
    }

    /// Records that the value at `pointer` came from column `column` (1-based) of the row, whose
    /// header is `header` when it may be shown.
    pub fn insert_column(
        &mut self,
        pointer: &'a JsonPointer,
        column: u32,
        header: Option<&'a str>,
    ) {
        self.columns.push((pointer, column, header));
    }

    /// The row of the record.
    pub fn row_location(&self) -> &SourceLocation {
        &self.row
    }

    /// The origin of the value at `pointer`: its own cell, else its nearest mapped ancestor's,
    /// else the row. (Of two origins for one pointer, the later wins; a place of its own wins
    /// over a column.)
    pub fn locate(&self, pointer: Option<&JsonPointer>) -> SourceLocation {
        let Some(pointer) = pointer else {
            return self.row.clone();
        };
        let target = pointer.as_str();
        // The length of `p` when it is the target or one of its ancestors.
        let reach = |p: &JsonPointer| {
            let p = p.as_str();
            let within = target.starts_with(p) && target.as_bytes().get(p.len()) == Some(&b'/');
            (target == p || within).then_some(p.len())
        };
        let cell = (self.cells.iter())
            .filter_map(|(p, cell)| Some((reach(p)?, cell)))
            .max_by_key(|(len, _)| *len);
        let column = (self.columns.iter())
            .filter_map(|&(p, column, header)| Some((reach(p)?, column, header)))
            .max_by_key(|(len, ..)| *len);
        match (cell, column) {
            (Some((own, cell)), Some((len, ..))) if own >= len => cell.clone(),
            (_, Some((_, column, header))) => {
                self.row.with_column(column, header.map(str::to_owned))
            }
            (Some((_, cell)), None) => cell.clone(),
            (None, None) => self.row.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(column: u32) -> SourceLocation {
        SourceLocation::Csv {
            record: 1,
            line: 2,
            column: Some(column),
            header: None,
        }
    }

    #[test]
    fn exact_then_ancestor_then_row() {
        let row = SourceLocation::Csv {
            record: 1,
            line: 2,
            column: None,
            header: None,
        };
        let mut map = SourceMap::row(row.clone());
        map.insert(JsonPointer::root().join("gender"), cell(3));
        map.insert(JsonPointer::root().join("meansOfControl"), cell(9));
        let at = |p: &str| map.locate(Some(&JsonPointer::from_escaped(p)));
        assert_eq!(at("/gender"), cell(3));
        assert_eq!(at("/meansOfControl/threats"), cell(9));
        assert_eq!(
            at("/genderX"),
            row,
            "a prefix of another name is not an ancestor"
        );
        assert_eq!(map.locate(None), row);
        let mut map = SourceMap::row(row.clone());
        let gender = JsonPointer::root().join("gender");
        map.insert_column(&gender, 4, Some("Sexo"));
        assert_eq!(
            map.locate(Some(&JsonPointer::root().join("gender"))),
            row.with_column(4, Some("Sexo".into())),
            "a column is spelt out as the row's cell"
        );
        let means = JsonPointer::root().join("meansOfControl");
        map.insert_column(&means, 9, None);
        map.insert(means.join("threats"), cell(2));
        let at = |p: &str| map.locate(Some(&JsonPointer::from_escaped(p)));
        assert_eq!(at("/meansOfControl/threats"), cell(2), "the nearest origin");
        assert_eq!(at("/meansOfControl/debt"), row.with_column(9, None));
    }
}
