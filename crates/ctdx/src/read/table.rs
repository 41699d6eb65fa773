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
        self.map_text(AsRef::as_ref)
    }

    /// The same cell with its text (if any) made by `f`.
    pub fn map_text<'a, U>(&'a self, f: impl FnOnce(&'a T) -> U) -> Cell<U> {
        match self {
            Cell::Empty => Cell::Empty,
            Cell::Text(s) => Cell::Text(f(s)),
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

/// A data row borrowed from a reader's [`Row`] or [`TextRows`]: what the converter reads.
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

    /// The row with cells of its own.
    pub fn to_row(&self) -> Row {
        let cells = self.cells.iter().map(|c| c.map_text(|t| (*t).to_owned()));
        Row {
            location: self.location.clone(),
            cells: cells.collect(),
            cells_at: self.cells_at.to_vec(),
        }
    }
}

/// Rows of text fields, not yet split into cells, and the problems between them, in file order
/// (see `CsvTable::next_rows`). A whole chunk of rows shares one text buffer: the thread that
/// converts them frees three allocations, not two a row (frees of memory another thread allocated
/// make the allocator's threads wait for each other).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextRows {
    /// The rows' fields, one after another.
    text: String,
    /// Where each field ends in `text`.
    ends: Vec<usize>,
    items: Vec<TextItem>,
}

#[derive(Debug, Clone, PartialEq)]
enum TextItem {
    /// A row: where it is, where its text starts, and which of `ends` are its fields'.
    Row {
        location: SourceLocation,
        start: usize,
        fields: std::ops::Range<usize>,
    },
    Other(TableItem),
}

/// The room a chunk of [`TextRows`] took, to give the next chunk as much at once: a file's chunks
/// are alike, and growing a chunk's buffers row by row copied each of them several times.
#[derive(Debug, Clone, Copy, Default)]
pub struct Room {
    text: usize,
    ends: usize,
    items: usize,
}

impl TextRows {
    /// An empty chunk with `room`, and an eighth more for a chunk a little larger.
    pub fn with_room(room: Room) -> Self {
        let more = |n: usize| n + n / 8;
        Self {
            text: String::with_capacity(more(room.text)),
            ends: Vec::with_capacity(more(room.ends)),
            items: Vec::with_capacity(more(room.items)),
        }
    }

    /// The room the chunk takes.
    pub fn room(&self) -> Room {
        Room {
            text: self.text.len(),
            ends: self.ends.len(),
            items: self.items.len(),
        }
    }

    /// Adds a row of the fields of `text` that end at `ends`.
    pub fn push_row(&mut self, location: SourceLocation, text: &str, ends: &[usize]) {
        let start = self.text.len();
        self.text.push_str(text);
        let first = self.ends.len();
        self.ends.extend(ends.iter().map(|end| start + end));
        self.items.push(TextItem::Row {
            location,
            start,
            fields: first..self.ends.len(),
        });
    }

    /// Adds a problem (never a row).
    pub fn push(&mut self, item: TableItem) {
        self.items.push(TextItem::Other(item));
    }

    /// How many rows and problems it holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Each row (its cells borrowed from the text; an empty field is an empty cell) or problem,
    /// in order, through `f`.
    pub fn map<O>(self, mut f: impl FnMut(Result<RowView<'_>, TableItem>) -> O) -> Vec<O> {
        let mut out = Vec::with_capacity(self.items.len());
        for item in self.items {
            out.push(match item {
                TextItem::Row {
                    location,
                    start,
                    fields,
                } => f(Ok(text_row(
                    &self.text,
                    &self.ends[fields],
                    &location,
                    start,
                ))),
                TextItem::Other(item) => f(Err(item)),
            });
        }
        out
    }

    /// The items as a table yields them (rows with cells of their own).
    pub fn into_items(self) -> Vec<TableItem> {
        self.map(|item| match item {
            Ok(row) => TableItem::Row(row.to_row()),
            Err(item) => item,
        })
    }
}

/// A row of `text` that starts at `start` and whose fields end at `ends`.
fn text_row<'a>(
    text: &'a str,
    ends: &'a [usize],
    location: &'a SourceLocation,
    mut start: usize,
) -> RowView<'a> {
    let cells = ends.iter().map(|&end| {
        let field = text.get(start..end).unwrap_or_default();
        start = end;
        if field.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(field)
        }
    });
    RowView {
        location,
        cells: cells.collect(),
        cells_at: &[],
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
