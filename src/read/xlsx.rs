//! The XLSX reader: a pre-flight over the zip before anything is parsed, then one worksheet read
//! cell by cell (calamine's cell reader: rows are never all held at once; the shared-string
//! table is, which is why its size is bounded by the pre-flight).
//!
//! Typed cells stay typed: dates become dates (1900 and 1904 systems), numbers stored as text
//! stay text with their leading zeros. Hidden sheets, rows and columns are read like any other.

use std::io::{Read, Seek};

use calamine::{DataRef, Reader, Xlsx};

use super::table::{Cell, Row, TableItem};
use crate::diag::{Code, Diagnostic, SourceLocation};

/// Bounds checked before a workbook is parsed.
#[derive(Debug, Clone, Copy)]
pub struct XlsxLimits {
    /// Largest workbook file, in bytes.
    pub max_file_bytes: u64,
    /// Most zip entries.
    pub max_entries: usize,
    /// Most bytes all entries may decompress to.
    pub max_uncompressed_bytes: u64,
    /// Highest compression ratio of an entry larger than 1 MiB decompressed.
    pub max_ratio: u64,
    /// Largest shared-string table, decompressed (it is held in memory).
    pub max_shared_strings_bytes: u64,
    /// Most cells in the sheet (rows × columns of its dimension).
    pub max_cells: u64,
}

impl Default for XlsxLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 << 20,
            max_entries: 10_000,
            max_uncompressed_bytes: 1 << 30,
            max_ratio: 200,
            max_shared_strings_bytes: 128 << 20,
            max_cells: 50_000_000,
        }
    }
}

/// Checks the zip container; the finding names the limit or the content that is refused.
pub fn preflight<R: Read + Seek>(reader: R, limits: &XlsxLimits) -> Result<(), Diagnostic> {
    let refuse = |message: String, hint: &str| {
        Err(Diagnostic::new(Code::SpreadsheetRefused, message).with_hint(hint))
    };
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(_) => {
            return refuse(
                "the file is not an XLSX workbook (not a zip container); encrypted workbooks and old .xls files look like this too".into(),
                "save the workbook as a plain .xlsx without a password, or export the sheet as CSV",
            );
        }
    };
    if zip.len() > limits.max_entries {
        return refuse(
            format!(
                "the workbook has {} zip entries, more than the limit of {}",
                zip.len(),
                limits.max_entries
            ),
            "a case file needs a handful of entries: re-save the workbook, or export CSV",
        );
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            return refuse(
                "the workbook's zip directory is damaged".into(),
                "re-save the workbook",
            );
        };
        let name = entry
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        if entry.encrypted() {
            return refuse(
                "the workbook is encrypted".into(),
                "remove the password and save again",
            );
        }
        let refused = [
            ("vbaproject.bin", "the workbook contains macros"),
            ("xl/externallinks/", "the workbook links to other files"),
            (
                "xl/comments",
                "the workbook contains comments (they often hold case notes)",
            ),
            (
                "xl/threadedcomments/",
                "the workbook contains comments (they often hold case notes)",
            ),
        ];
        if let Some((_, why)) = refused.iter().find(|(needle, _)| name.contains(needle)) {
            return refuse(
                format!("{why}; it is refused"),
                "copy the data into a new, plain workbook (values only), or export CSV",
            );
        }
        total = total.saturating_add(size);
        if total > limits.max_uncompressed_bytes {
            return refuse(
                format!(
                    "the workbook decompresses to more than {} bytes, the limit",
                    limits.max_uncompressed_bytes
                ),
                "a workbook this large is not a case export: check the file, or split it",
            );
        }
        if name == "xl/sharedstrings.xml" && size > limits.max_shared_strings_bytes {
            return refuse(
                format!(
                    "the shared-string table is {size} bytes, more than the limit of {}",
                    limits.max_shared_strings_bytes
                ),
                "export the sheet as CSV instead",
            );
        }
        if size > (1 << 20) && size / packed > limits.max_ratio {
            return refuse(
                format!(
                    "an entry of the workbook expands {} times, more than the limit of {}",
                    size / packed,
                    limits.max_ratio
                ),
                "this is how zip bombs look; if the file is genuine, export it as CSV",
            );
        }
    }
    Ok(())
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
/// first sheet; rows are 1-based as the spreadsheet shows them.
pub fn read_sheet<R: Read + Seek>(
    reader: R,
    sheet: Option<&str>,
    header_row: u32,
    data_row: Option<u32>,
    limits: &XlsxLimits,
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
    let area = u64::from(dims.end.0.saturating_sub(dims.start.0) + 1)
        * u64::from(dims.end.1.saturating_sub(dims.start.1) + 1);
    if area > limits.max_cells {
        return Err(refuse(format!(
            "sheet `{name}` spans {area} cells, more than the limit of {}",
            limits.max_cells
        )));
    }
    let header_row = header_row.max(1);
    let first_data = data_row.unwrap_or(header_row + 1).max(header_row + 1);
    let mut headers: Option<Vec<String>> = None;
    let mut current: Option<(u32, Vec<Cell>)> = None;
    let mut record = 0;
    let mut flush = |row: u32,
                     values: Vec<Cell>,
                     headers: &mut Option<Vec<String>>,
                     on_event: &mut dyn FnMut(SheetEvent)| {
        let excel_row = row + 1;
        if excel_row == header_row {
            let h: Vec<String> = values.iter().map(Cell::text).collect();
            on_event(SheetEvent::Headers(name.clone(), h.clone()));
            *headers = Some(h);
        } else if excel_row >= first_data
            && values
                .iter()
                .any(|c| !matches!(c, Cell::Empty) && !c.text().trim().is_empty())
        {
            let width = headers.as_ref().map_or(0, Vec::len);
            let mut values = values;
            if values.len() > width {
                let extra = values[width..].iter().any(|c| !c.text().trim().is_empty());
                if extra {
                    record += 1;
                    on_event(SheetEvent::Item(TableItem::Problem {
                        diagnostic: Diagnostic::new(Code::RaggedRow, format!("the row has values beyond the {width} header columns; the row was not converted"))
                            .with_hint("give those columns headers, or delete the values")
                            .located(SourceLocation::Xlsx { sheet: name.clone(), row: u64::from(excel_row), column: None, header: None }),
                        fatal: false,
                    }));
                    return;
                }
                values.truncate(width);
            }
            values.resize(width, Cell::Empty);
            record += 1;
            on_event(SheetEvent::Item(TableItem::Row(Row {
                location: SourceLocation::Xlsx {
                    sheet: name.clone(),
                    row: u64::from(excel_row),
                    column: None,
                    header: None,
                },
                cells: values,
                cells_at: Vec::new(),
            })));
        }
    };
    loop {
        let next = cells
            .next_cell()
            .map_err(|_| refuse(format!("sheet `{name}` is damaged")))?;
        let Some(cell) = next else { break };
        let (row, col) = cell.get_position();
        let value = convert(cell.get_value());
        match &mut current {
            Some((r, values)) if *r == row => {
                if values.len() <= col as usize {
                    values.resize(col as usize + 1, Cell::Empty);
                }
                values[col as usize] = value;
            }
            _ => {
                if let Some((r, values)) = current.take() {
                    flush(r, values, &mut headers, on_event);
                }
                let mut values = vec![Cell::Empty; col as usize + 1];
                values[col as usize] = value;
                current = Some((row, values));
            }
        }
    }
    if let Some((r, values)) = current.take() {
        flush(r, values, &mut headers, on_event);
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
