//! What tabular readers (CSV, XLSX) yield: a header, then rows of typed cells with their origin,
//! or findings about rows that cannot be read (ragged rows, bad bytes, refused workbooks).

use std::borrow::Cow;

use crate::diag::{Diagnostic, SourceLocation};

/// One cell's content, typed as far as the format says. A reader's rows own their text
/// (`Cell<String>`); the converter reads cells borrowed ([`CellRef`]), so a CSV row's cells are
/// read straight from the row's text, without a string each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<T = String> {
    /// Nothing in the cell.
    Empty,
    /// Text (every CSV cell; text cells of a workbook, leading zeros kept).
    Text(T),
    /// A number stored as a number.
    Number(f64),
    /// A date stored as a date (Excel serial, 1900 or 1904 system, already resolved).
    Date {
        /// Year.
        year: u16,
        /// Month, 1–12.
        month: u8,
        /// Day, 1–31.
        day: u8,
    },
    /// A boolean stored as a boolean.
    Bool(bool),
}

/// A cell borrowed from its row.
pub type CellRef<'a> = Cell<&'a str>;

impl<T: AsRef<str>> Cell<T> {
    /// The cell as text, the way a person would type it (integral numbers without `.0`).
    pub fn text(&self) -> String {
        self.as_text().into_owned()
    }

    /// [`Cell::text`], borrowed from a text cell.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s.as_ref()),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                Cow::Owned(format!("{}", *n as i64))
            }
            Cell::Number(n) => Cow::Owned(n.to_string()),
            Cell::Date { year, month, day } => Cow::Owned(format!("{year:04}-{month:02}-{day:02}")),
            Cell::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        }
    }

    /// The cell borrowed.
    pub fn view(&self) -> CellRef<'_> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(s) => Cell::Text(s.as_ref()),
            Cell::Number(n) => Cell::Number(*n),
            Cell::Date { year, month, day } => Cell::Date {
                year: *year,
                month: *month,
                day: *day,
            },
            Cell::Bool(b) => Cell::Bool(*b),
        }
    }
}

/// A data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Where the row is (without a column).
    pub location: SourceLocation,
    /// Its cells, one per header column (missing trailing cells are `Empty`).
    pub cells: Vec<Cell>,
    /// Where each cell is, when the format places cells one by one (XML elements); empty for
    /// tables, whose cells are placed by the row and the column number.
    pub cells_at: Vec<SourceLocation>,
}

impl Row {
    /// The row as the converter reads it.
    pub fn view(&self) -> RowView<'_> {
        RowView {
            location: &self.location,
            cells: self.cells.iter().map(Cell::view).collect(),
            cells_at: &self.cells_at,
        }
    }
}

/// A data row borrowed from a reader's [`Row`] or [`TextRow`]: what the converter reads.
#[derive(Debug, Clone, PartialEq)]
pub struct RowView<'a> {
    /// Where the row is (without a column).
    pub location: &'a SourceLocation,
    /// Its cells, one per header column.
    pub cells: Vec<CellRef<'a>>,
    /// Where each cell is, when the format places cells one by one (see [`Row::cells_at`]).
    pub cells_at: &'a [SourceLocation],
}

impl RowView<'_> {
    /// Where cell `index` (0-based) is, with its header when that is safe to repeat.
    pub fn cell_location(&self, index: usize, header: Option<String>) -> SourceLocation {
        match self.cells_at.get(index) {
            Some(at) => at.clone(),
            None => self.location.with_column(index as u32 + 1, header),
        }
    }
}

/// A data row of text fields, not yet split into cells (see `CsvTable::next_text`).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRow {
    /// Where the row is (without a column).
    pub location: SourceLocation,
    text: String,
    /// Where each field ends in `text`.
    ends: Vec<usize>,
}

impl TextRow {
    /// A row of the fields of `text` that end at `ends`.
    pub fn new(location: SourceLocation, text: &str, ends: &[usize]) -> Self {
        Self {
            location,
            text: text.to_owned(),
            ends: ends.to_vec(),
        }
    }

    /// The row with its cells borrowed from its text (an empty field is an empty cell).
    pub fn view(&self) -> RowView<'_> {
        let mut start = 0;
        let cells = self
            .ends
            .iter()
            .map(|&end| {
                let field = self.text.get(start..end).unwrap_or_default();
                start = end;
                if field.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(field)
                }
            })
            .collect();
        RowView {
            location: &self.location,
            cells,
            cells_at: &[],
        }
    }

    /// The row with cells of its own.
    pub fn into_row(self) -> Row {
        let cells = (self.view().cells.into_iter())
            .map(|c| match c {
                Cell::Text(t) => Cell::Text(t.to_owned()),
                _ => Cell::Empty,
            })
            .collect();
        Row {
            cells,
            location: self.location,
            cells_at: Vec::new(),
        }
    }
}

/// What a tabular reader found next.
#[derive(Debug, Clone, PartialEq)]
pub enum TableItem {
    /// A row to convert.
    Row(Row),
    /// A row that could not be read, or a problem with the file; `fatal` ends the reading.
    Problem {
        /// The finding, located.
        diagnostic: Diagnostic,
        /// Whether nothing after it can be read.
        fatal: bool,
    },
}
