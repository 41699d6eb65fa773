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

use std::borrow::Cow;

use super::{JsonPointer, SourceLocation};

/// The origins of one record's values, borrowing what the converter keeps for every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMap<'a> {
    row: SourceLocation,
    cells: Vec<(Cow<'a, JsonPointer>, Origin<'a>)>,
}

/// Where one value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin<'a> {
    /// A place of its own (an XML element).
    Cell(SourceLocation),
    /// A column (1-based) of the row, with its header when it may be shown.
    Column(u32, Option<&'a str>),
}

impl<'a> SourceMap<'a> {
    /// A record known only by its row (JSON records, or rows before any value is mapped).
    pub fn row(row: SourceLocation) -> Self {
        Self::with_capacity(row, 0)
    }

    /// A record of row `row` with room for the places of `values` values.
    pub fn with_capacity(row: SourceLocation, values: usize) -> Self {
        Self {
            row,
            cells: Vec::with_capacity(values),
        }
    }

    /// Records that the value at `pointer` came from `cell`.
    pub fn insert(&mut self, pointer: JsonPointer, cell: SourceLocation) {
        self.cells.push((Cow::Owned(pointer), Origin::Cell(cell)));
    }

    /// Records that the value at `pointer` came from column `column` (1-based) of the row, whose
    /// header is `header` when it may be shown.
    pub fn insert_column(
        &mut self,
        pointer: &'a JsonPointer,
        column: u32,
        header: Option<&'a str>,
    ) {
        self.cells
            .push((Cow::Borrowed(pointer), Origin::Column(column, header)));
    }

    /// The row of the record.
    pub fn row_location(&self) -> &SourceLocation {
        &self.row
    }

    /// The origin of the value at `pointer`: its own cell, else its nearest mapped ancestor's,
    /// else the row.
    pub fn locate(&self, pointer: Option<&JsonPointer>) -> SourceLocation {
        let Some(pointer) = pointer else {
            return self.row.clone();
        };
        let target = pointer.as_str();
        let found = self
            .cells
            .iter()
            .filter(|(p, _)| {
                let p = p.as_str();
                target == p
                    || (target.starts_with(p) && target.as_bytes().get(p.len()) == Some(&b'/'))
            })
            .max_by_key(|(p, _)| p.as_str().len());
        match found.map(|(_, origin)| origin) {
            None => self.row.clone(),
            Some(Origin::Cell(cell)) => cell.clone(),
            Some(Origin::Column(column, header)) => {
                self.row.with_column(*column, header.map(str::to_owned))
            }
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
    }
}
