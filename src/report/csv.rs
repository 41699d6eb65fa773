//! The CSV renderer: one listed finding per line, so contributors can sort and filter the report
//! in the same spreadsheet program they fix the data in.
//!
//! Columns: `file, sheet, row, line, column, header, pointer, code, severity, message, hint,
//! count`. `row` is the data row for CSV input, the worksheet row for XLSX and the submission
//! number for XML; `column` is a letter for tables and a 1-based number for XML (whose `header`
//! is the element's path). Empty where a finding has no such place.

use std::io::{self, Write};

use super::{FileOutcome, Report};
use crate::diag::{SourceLocation, column_letters};
use crate::text::csv_line;

/// The header line's cells.
const HEADER: [&str; 12] = [
    "file", "sheet", "row", "line", "column", "header", "pointer", "code", "severity", "message",
    "hint", "count",
];

/// Writes the report as CSV.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(csv_line(&HEADER, ',').as_bytes())?;
    for file in &report.files {
        match file {
            FileOutcome::Failed { path, error } => {
                let cells = [
                    path.as_str(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "error",
                    error,
                    "",
                    "1",
                ];
                out.write_all(csv_line(&cells, ',').as_bytes())?;
            }
            FileOutcome::Checked(f) => {
                for d in &f.findings {
                    let [sheet, row, line, column, header] = place_cells(d.location.as_ref());
                    let cells = [
                        f.path.clone(),
                        sheet,
                        row,
                        line,
                        column,
                        header,
                        d.pointer
                            .as_ref()
                            .map(|p| p.as_str().to_owned())
                            .unwrap_or_default(),
                        d.code.id().to_owned(),
                        d.severity.to_string(),
                        d.message.clone(),
                        d.hint.clone().unwrap_or_default(),
                        d.count.to_string(),
                    ];
                    out.write_all(csv_line(&cells, ',').as_bytes())?;
                }
            }
        }
    }
    Ok(())
}

/// A place as the cells `sheet, row, line, column, header` (empty where it has no such part):
/// `row` is the data row for CSV, the worksheet row for XLSX and the submission number for XML;
/// `column` is a letter for tables and a 1-based number for XML, whose `header` is the
/// element's path. The findings report and the rejects file share these columns.
pub(crate) fn place_cells(location: Option<&SourceLocation>) -> [String; 5] {
    let letter = |column: &Option<u32>| column.map(column_letters).unwrap_or_default();
    let text = |header: &Option<String>| header.clone().unwrap_or_default();
    match location {
        Some(SourceLocation::Json { record, line }) => [
            String::new(),
            record.to_string(),
            line.to_string(),
            String::new(),
            String::new(),
        ],
        Some(SourceLocation::Line { line }) => [
            String::new(),
            String::new(),
            line.to_string(),
            String::new(),
            String::new(),
        ],
        Some(SourceLocation::Csv {
            record,
            line,
            column,
            header,
        }) => [
            String::new(),
            record.to_string(),
            line.to_string(),
            letter(column),
            text(header),
        ],
        Some(SourceLocation::Xlsx {
            sheet,
            row,
            column,
            header,
        }) => [
            sheet.clone(),
            row.to_string(),
            String::new(),
            letter(column),
            text(header),
        ],
        Some(SourceLocation::Xml {
            submission,
            line,
            column,
            element_path,
        }) => [
            String::new(),
            submission.to_string(),
            line.to_string(),
            column.to_string(),
            text(element_path),
        ],
        _ => Default::default(),
    }
}
