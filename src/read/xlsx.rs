//! The XLSX reader: a pre-flight over the zip before anything is parsed (`read::preflight`:
//! every size the workbook declares is checked against what it holds), then one worksheet read
//! cell by cell (calamine's cell reader: rows are never all held at once; the shared-string
//! table is, which is why its size is bounded by the pre-flight).
//!
//! Typed cells stay typed: dates become dates (1900 and 1904 systems), numbers stored as text
//! stay text with their leading zeros. Hidden sheets, rows and columns are read like any other.
//!
//! A merged range (a country or a year merged down several rows) shows its top-left value in
//! every cell it covers, so each empty cell of the range is read as holding that value (a cell
//! of the range that holds a value of its own keeps it). The ranges come after the rows in the
//! sheet's XML: they are read first, in a pass of their own, when the pre-flight saw any (it
//! bounds them by `xlsx.max-merged-ranges`, since calamine keeps a sheet's ranges in memory).

use std::io::{Read, Seek};

use calamine::{DataRef, Dimensions, Reader, Xlsx};

pub use super::limits::XlsxLimits;
use super::limits::{Breach, Found, Limit, Limits};
/// Checks the workbook before it is parsed (`read::preflight`).
pub use super::preflight::{Checked, preflight};
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

/// Reads one worksheet of a workbook the pre-flight let through (`checked`), handing each event
/// to `on_event`. `sheet` is a name, or `None` for the first sheet; rows are 1-based as the
/// spreadsheet shows them. The sheet's dimension and cell references are bounded by the XLSX
/// limits, rows by `max-records`, `max-columns` and `max-field-bytes`.
pub fn read_sheet<R: Read + Seek>(
    reader: R,
    checked: &Checked,
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
    let mut merged = if checked.merged_ranges {
        book.merge_cells_by_sheet_name(&name)
            .map(MergedRanges::new)
            .map_err(|_| refuse(format!("sheet `{name}` is damaged")))?
    } else {
        MergedRanges::new(Vec::new())
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
            mut values,
            breach,
        } = pending;
        let excel_row = row + 1;
        // Whether the row holds nothing of its own: values spread down from a merged range
        // above do not make a row of blanks a record.
        let blank = values
            .iter()
            .all(|c| matches!(c, Cell::Empty) || c.text().trim().is_empty());
        if breach.is_none() {
            let width = headers.as_ref().map_or(limits.max_columns, Vec::len);
            merged.fill(row, &mut values, width);
        }
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

/// The merged ranges of the sheet being read, and the value of each range whose rows are being
/// read: its top-left cell's, which the sheet shows in every cell of the range.
struct MergedRanges {
    /// Ranges of more than one cell, by first row; those before `next` have been reached.
    ranges: Vec<Dimensions>,
    next: usize,
    /// Ranges reached and not yet passed, with their value.
    open: Vec<(Dimensions, Cell)>,
}

impl MergedRanges {
    fn new(mut ranges: Vec<Dimensions>) -> Self {
        ranges.retain(|d| d.start != d.end);
        ranges.sort_by_key(|d| d.start);
        Self {
            ranges,
            next: 0,
            open: Vec::new(),
        }
    }

    /// Fills the empty cells of `row` (0-based; its `values` by column, up to `width` columns)
    /// that a merged range covers with the range's value. A range's value is taken from its
    /// first row when that row is read; a range whose first row holds nothing has none.
    fn fill(&mut self, row: u32, values: &mut Vec<Cell>, width: usize) {
        self.open.retain(|(d, _)| d.end.0 >= row);
        while let Some(&range) = self.ranges.get(self.next).filter(|d| d.start.0 <= row) {
            self.next += 1;
            let top_left = (range.start.0 == row)
                .then(|| values.get(range.start.1 as usize).cloned())
                .flatten()
                .unwrap_or(Cell::Empty);
            if range.end.0 >= row && !matches!(top_left, Cell::Empty) {
                self.open.push((range, top_left));
            }
        }
        for (range, value) in &self.open {
            let last = (range.end.1 as usize).min(width.saturating_sub(1));
            for col in range.start.1 as usize..=last {
                if values.len() <= col {
                    values.resize(col + 1, Cell::Empty);
                }
                if matches!(values[col], Cell::Empty) {
                    values[col] = value.clone();
                }
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use rust_xlsxwriter::{Format, Workbook, Worksheet};

    use super::*;

    /// The data rows a sheet reads as, each cell as text.
    fn rows(bytes: &[u8], limits: &Limits) -> Result<Vec<(u64, Vec<String>)>, Diagnostic> {
        let checked = preflight(Cursor::new(bytes), &limits.xlsx)?;
        let mut rows = Vec::new();
        read_sheet(
            Cursor::new(bytes),
            &checked,
            None,
            1,
            None,
            limits,
            &mut |event| {
                if let SheetEvent::Item(TableItem::Row(row)) = event {
                    let cells = row.cells.iter().map(Cell::text).collect();
                    rows.push((row.location.line(), cells));
                }
            },
        )?;
        Ok(rows)
    }

    fn workbook(fill: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, header) in ["Country", "Year", "Gender", "Sector"].iter().enumerate() {
            sheet.write_string(0, col as u16, *header).expect("header");
        }
        fill(sheet);
        book.save_to_buffer().expect("saves")
    }

    #[test]
    fn every_empty_cell_of_a_merged_range_reads_as_its_top_left_value() {
        let merged = Format::new();
        let bytes = workbook(|sheet| {
            // A country merged down four rows, a year down two (a number), a sector across two
            // columns; row 7 holds nothing but the covered part of a merged country.
            sheet.merge_range(1, 0, 4, 0, "UA", &merged).expect("merge");
            sheet.merge_range(1, 1, 2, 1, "", &merged).expect("merge");
            sheet.write_number(1, 1, 2019).expect("year");
            sheet.write_number(3, 1, 2020).expect("year");
            sheet.write_number(4, 1, 2021).expect("year");
            sheet.merge_range(5, 0, 6, 0, "RO", &merged).expect("merge");
            sheet.write_number(5, 1, 2022).expect("year");
            sheet.write_string(7, 0, "MD").expect("country");
            sheet
                .merge_range(7, 2, 7, 3, "Other", &merged)
                .expect("merge");
            for (row, gender) in [(1, "F"), (2, "M"), (3, "F"), (4, "M"), (5, "F")] {
                sheet.write_string(row, 2, gender).expect("gender");
            }
        });
        let read = rows(&bytes, &Limits::default()).expect("reads");
        let expected = [
            (2, ["UA", "2019", "F", ""]),
            (3, ["UA", "2019", "M", ""]),
            (4, ["UA", "2020", "F", ""]),
            (5, ["UA", "2021", "M", ""]),
            (6, ["RO", "2022", "F", ""]),
            (8, ["MD", "", "Other", "Other"]),
        ];
        let expected: Vec<(u64, Vec<String>)> = expected
            .iter()
            .map(|(row, cells)| (*row, cells.iter().map(|c| c.to_string()).collect()))
            .collect();
        assert_eq!(read, expected, "row 7 holds nothing of its own: no record");
    }

    #[test]
    fn a_covered_cell_with_a_value_of_its_own_keeps_it() {
        let bytes = workbook(|sheet| {
            sheet
                .merge_range(1, 0, 3, 0, "UA", &Format::new())
                .expect("merge");
            // Written over the merge: the file states this cell's value itself.
            sheet.write_string(2, 0, "PL").expect("own value");
            for row in 1..=3 {
                sheet.write_string(row, 2, "F").expect("gender");
            }
        });
        let read = rows(&bytes, &Limits::default()).expect("reads");
        let countries: Vec<&str> = read.iter().map(|(_, cells)| cells[0].as_str()).collect();
        assert_eq!(countries, ["UA", "PL", "UA"]);
    }

    #[test]
    fn a_range_over_the_header_width_fills_only_the_header_columns() {
        let mut fill = MergedRanges::new(vec![Dimensions::new((1, 2), (2, 9))]);
        let mut first = vec![Cell::Empty, Cell::Empty, Cell::Text("x".to_owned())];
        fill.fill(1, &mut first, 4);
        let mut second = Vec::new();
        fill.fill(2, &mut second, 4);
        let text = |cells: &[Cell]| cells.iter().map(Cell::text).collect::<Vec<_>>();
        assert_eq!(text(&first), ["", "", "x", "x"]);
        assert_eq!(
            text(&second),
            ["", "", "x", "x"],
            "absent cells are filled too"
        );
        let mut third = Vec::new();
        fill.fill(3, &mut third, 4);
        assert!(third.is_empty(), "the range ends on row 2");
    }

    #[test]
    fn more_merged_ranges_than_the_limit_refuse_the_workbook() {
        let bytes = workbook(|sheet| {
            for row in [1, 3, 5] {
                sheet
                    .merge_range(row, 0, row + 1, 0, "UA", &Format::new())
                    .expect("merge");
                sheet.write_string(row, 2, "F").expect("gender");
            }
        });
        let mut limits = Limits::default();
        limits.xlsx.max_merged_ranges = 3;
        assert_eq!(rows(&bytes, &limits).map(|r| r.len()), Ok(3));
        limits.xlsx.max_merged_ranges = 2;
        let refused = rows(&bytes, &limits).expect_err("refused");
        assert_eq!(refused.code, Code::SpreadsheetRefused);
        assert!(
            refused.message.contains(
                "at least 3 merged ranges, more than the limit xlsx.max-merged-ranges = 2"
            ),
            "{}",
            refused.message
        );
    }
}
