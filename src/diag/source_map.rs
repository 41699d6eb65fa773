//! `SourceMap`: where each value of one canonical record came from in the partner's file.
//!
//! Converters record a cell for every value they write; a finding's pointer then finds its cell,
//! falling back to the nearest ancestor and finally to the row, so a finding on a converted file
//! points at the partner's cell ("Cases!D14, column `Sexo`"), not at our JSON.

use super::{JsonPointer, SourceLocation};

/// The origins of one record's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMap {
    row: SourceLocation,
    cells: Vec<(JsonPointer, SourceLocation)>,
}

impl SourceMap {
    /// A record known only by its row (JSON records, or rows before any value is mapped).
    pub fn row(row: SourceLocation) -> Self {
        Self {
            row,
            cells: Vec::new(),
        }
    }

    /// Records that the value at `pointer` came from `cell`.
    pub fn insert(&mut self, pointer: JsonPointer, cell: SourceLocation) {
        self.cells.push((pointer, cell));
    }

    /// The row of the record.
    pub fn row_location(&self) -> &SourceLocation {
        &self.row
    }

    /// The origin of the value at `pointer`: its own cell, else its nearest mapped ancestor's,
    /// else the row.
    pub fn locate(&self, pointer: Option<&JsonPointer>) -> &SourceLocation {
        let Some(pointer) = pointer else {
            return &self.row;
        };
        let target = pointer.as_str();
        self.cells
            .iter()
            .filter(|(p, _)| {
                let p = p.as_str();
                target == p
                    || (target.starts_with(p) && target.as_bytes().get(p.len()) == Some(&b'/'))
            })
            .max_by_key(|(p, _)| p.as_str().len())
            .map_or(&self.row, |(_, cell)| cell)
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
        let at = |p: &str| map.locate(Some(&JsonPointer::from_escaped(p))).clone();
        assert_eq!(at("/gender"), cell(3));
        assert_eq!(at("/meansOfControl/threats"), cell(9));
        assert_eq!(
            at("/genderX"),
            row,
            "a prefix of another name is not an ancestor"
        );
        assert_eq!(map.locate(None), &row);
    }
}
