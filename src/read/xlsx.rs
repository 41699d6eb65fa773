//! The XLSX reader: a pre-flight over the zip before anything is parsed (`read::preflight`:
//! every size the workbook declares is checked against what it holds), then one worksheet read
//! cell by cell (calamine's cell reader: rows are never all held at once; the shared-string
//! table is, which is why its size is bounded by the pre-flight).
//!
//! Typed cells stay typed: dates become dates (1900 and 1904 systems), numbers stored as text
//! stay text with their leading zeros. Hidden sheets, rows and columns are read like any other.

use std::io::{Read, Seek};

use calamine::{DataRef, Reader, Xlsx};

pub use super::limits::XlsxLimits;
use super::limits::{Breach, Found, Limit, Limits};
/// Checks the workbook before it is parsed (`read::preflight`).
pub use super::preflight::preflight;
use super::table::{Cell, Row, TableItem};
use crate::diag::{Code, Diagnostic, SourceLocation};

fn refused(breach: Breach, hint: &str) -> Diagnostic {
    breach.diagnostic(Code::SpreadsheetRefused, hint)
}

/// What reading a sheet produces, in order: the headers once, then rows and problems.
#[derive(Debug)]
pub enum SheetEvent {
    /// The sheet's name and its header row's cells.
    Headers(String, Vec<String>),
    /// A data row, or a row that could not be read.
    Item(TableItem),
}

/// Reads one worksheet, handing each event to `on_event`. `sheet` is a name, or `None` for the
/// first sheet; rows are 1-based as the spreadsheet shows them. The sheet's dimension and cell
/// references are bounded by the XLSX limits, rows by `max-records`, `max-columns` and
/// `max-field-bytes`.
pub fn read_sheet<R: Read + Seek>(
    reader: R,
    sheet: Option<&str>,
    header_row: u32,
    data_row: Option<u32>,
    limits: &Limits,
    on_event: &mut dyn FnMut(SheetEvent),
) -> Result<(), Diagnostic> {
    let refuse = |message: String| Diagnostic::new(Code::SpreadsheetRefused, message);
    let mut book: Xlsx<R> = Xlsx::new(reader).map_err(|_| {
        refuse("the workbook cannot be read".into())
            .with_hint("open and save it again in a spreadsheet program, or export CSV")
    })?;
    let names = book.sheet_names();
    // A sheet is named, or numbered from 1 when no sheet has that name.
    let numbered = |wanted: &str| {
        let n = wanted.parse::<usize>().ok()?;
        names.get(n.checked_sub(1)?).cloned()
    };
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .or_else(|| numbered(wanted))
            .ok_or_else(|| {
                refuse(
                    "the workbook has no sheet of the name or number the profile (or --sheet) gives".into(),
                )
                .with_hint(format!("its sheets: {}", names.join(", ")))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| refuse("the workbook has no sheet".into()))?,
    };
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|_| refuse(format!("sheet `{name}` cannot be read")))?;
    let dims = cells.dimensions();
    let x = &limits.xlsx;
    // The declared dimension first, then every cell's own reference (a dimension can lie).
    let span = |rows: u64, columns: u64| -> Result<(), Diagnostic> {
        let hint = "the sheet's used range is larger than any spreadsheet program writes: re-save the workbook, or export CSV";
        if rows > x.max_rows {
            return Err(refused(
                Breach::of(*x, Limit::XlsxRows, Found::Exactly(rows)),
                hint,
            ));
        }
        if columns > x.max_columns {
            return Err(refused(
                Breach::of(*x, Limit::XlsxColumns, Found::Exactly(columns)),
                hint,
            ));
        }
        Ok(())
    };
    span(u64::from(dims.end.0) + 1, u64::from(dims.end.1) + 1)?;
    let header_row = header_row.max(1);
    let first_data = data_row.unwrap_or(header_row + 1).max(header_row + 1);
    let mut headers: Option<Vec<String>> = None;
    let mut current: Option<Pending> = None;
    let mut record = 0;
    let at = |row: u32| SourceLocation::Xlsx {
        sheet: name.clone(),
        row: u64::from(row),
        column: None,
        header: None,
    };
    // Hands one row on; returns the finding that ends the reading, if any.
    let mut flush = |pending: Pending,
                     headers: &mut Option<Vec<String>>,
                     on_event: &mut dyn FnMut(SheetEvent)|
     -> Option<Diagnostic> {
        let Pending {
            row,
            values,
            breach,
        } = pending;
        let excel_row = row + 1;
        if excel_row == header_row {
            if let Some(b) = breach {
                let hint = "the header row must be readable for anything to be converted";
                return Some(
                    b.diagnostic(Code::LimitExceeded, hint)
                        .located(at(excel_row)),
                );
            }
            let h: Vec<String> = values.iter().map(Cell::text).collect();
            on_event(SheetEvent::Headers(name.clone(), h.clone()));
            *headers = Some(h);
            return None;
        }
        let blank = values
            .iter()
            .all(|c| matches!(c, Cell::Empty) || c.text().trim().is_empty());
        if excel_row < first_data || (blank && breach.is_none()) {
            return None;
        }
        record += 1;
        if record > limits.max_records {
            let hint = "split the sheet into several files; rows after this one were not read";
            return Some(
                Breach::at_least(limits, Limit::Records, record)
                    .diagnostic(Code::LimitExceeded, hint)
                    .located(at(excel_row)),
            );
        }
        if let Some(b) = breach {
            let hint =
                "a case record is a row of short values: check the row; it was not converted";
            on_event(SheetEvent::Item(TableItem::Problem {
                diagnostic: b
                    .diagnostic(Code::LimitExceeded, hint)
                    .located(at(excel_row)),
                fatal: false,
            }));
            return None;
        }
        let width = headers.as_ref().map_or(0, Vec::len);
        let mut values = values;
        if values.len() > width {
            let extra = values[width..].iter().any(|c| !c.text().trim().is_empty());
            if extra {
                on_event(SheetEvent::Item(TableItem::Problem {
                    diagnostic: Diagnostic::new(Code::RaggedRow, format!("the row has values beyond the {width} header columns; the row was not converted"))
                        .with_hint("give those columns headers, or delete the values")
                        .located(at(excel_row)),
                    fatal: false,
                }));
                return None;
            }
            values.truncate(width);
        }
        values.resize(width, Cell::Empty);
        on_event(SheetEvent::Item(TableItem::Row(Row {
            location: at(excel_row),
            cells: values,
            cells_at: Vec::new(),
        })));
        None
    };
    loop {
        let next = cells
            .next_cell()
            .map_err(|_| refuse(format!("sheet `{name}` is damaged")))?;
        let Some(cell) = next else { break };
        let (row, col) = cell.get_position();
        span(u64::from(row) + 1, u64::from(col) + 1)?;
        let value = convert(cell.get_value());
        if current.as_ref().is_some_and(|p| p.row != row) {
            if let Some(pending) = current.take() {
                if let Some(stop) = flush(pending, &mut headers, on_event) {
                    return Err(stop);
                }
            }
        }
        let pending = current.get_or_insert_with(|| Pending {
            row,
            values: Vec::new(),
            breach: None,
        });
        pending.take(col as usize, value, limits);
    }
    if let Some(pending) = current.take() {
        if let Some(stop) = flush(pending, &mut headers, on_event) {
            return Err(stop);
        }
    }
    if headers.is_none() {
        return Err(Diagnostic::new(
            Code::EmptyInput,
            format!("sheet `{name}` has no header row"),
        )
        .with_hint("check the sheet and the profile's header row"));
    }
    Ok(())
}

/// The row being read: its cells so far, or the first limit one of them breached (the row is
/// then reported, not converted, and its cells are no longer kept).
struct Pending {
    row: u32,
    values: Vec<Cell>,
    breach: Option<Breach>,
}

impl Pending {
    fn take(&mut self, col: usize, value: Cell, limits: &Limits) {
        let found = if col >= limits.max_columns {
            Some(Breach::exactly(limits, Limit::Columns, col as u64 + 1))
        } else if let Cell::Text(text) = &value {
            (text.len() > limits.max_field_bytes)
                .then(|| Breach::exactly(limits, Limit::FieldBytes, text.len() as u64))
        } else {
            None
        };
        match (&mut self.breach, found) {
            // The widest column breach is the one reported.
            (Some(b), Some(f)) if b.limit == Limit::Columns && f.limit == Limit::Columns => *b = f,
            (Some(_), _) => {}
            (None, Some(f)) => {
                self.breach = Some(f);
                self.values = Vec::new();
            }
            (None, None) => {
                if self.values.len() <= col {
                    self.values.resize(col + 1, Cell::Empty);
                }
                self.values[col] = value;
            }
        }
    }
}

fn convert(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cell::Text(s.clone())
        }
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            Cell::Date { year, month, day }
        }
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::Error(_) => Cell::Text("#ERROR".into()),
    }
}
