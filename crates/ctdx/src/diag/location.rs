//! Where a finding is in the partner's file.
//!
//! Record number and line are kept apart (as the `csv` crate does): a JSON array spreads one
//! record over many lines, and a quoted CSV cell may hold newlines. All numbers are 1-based.

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

/// A position in the source file a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum SourceLocation {
    /// A record of a JSON Lines file or an element of a JSON array.
    Json {
        /// 1-based number of the record in its file.
        record: u64,
        /// 1-based physical line on which the record starts.
        line: u64,
    },
    /// A place in the file that belongs to no record (e.g. an unclosed array at the end).
    Line {
        /// 1-based physical line.
        line: u64,
    },
    /// A row, or a cell, of a CSV file.
    #[serde(rename_all = "camelCase")]
    Csv {
        /// 1-based number of the data row (header rows not counted).
        record: u64,
        /// 1-based physical line on which the row starts.
        line: u64,
        /// 1-based column number, when the finding is about one cell.
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<u32>,
        /// The column's header, when it is safe to repeat (see `Cell`).
        #[serde(skip_serializing_if = "Option::is_none")]
        header: Option<String>,
    },
    /// A row, or a cell, of a worksheet.
    #[serde(rename_all = "camelCase")]
    Xlsx {
        /// The worksheet's name.
        sheet: String,
        /// 1-based row number as the spreadsheet shows it.
        row: u64,
        /// 1-based column number (A = 1), when the finding is about one cell.
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<u32>,
        /// The column's header, when it is safe to repeat.
        #[serde(skip_serializing_if = "Option::is_none")]
        header: Option<String>,
    },
    /// An element of an XML submission (ODK / KoboToolbox instance, or canonical XML).
    #[serde(rename_all = "camelCase")]
    Xml {
        /// 1-based number of the submission (record) in its file.
        submission: u64,
        /// 1-based line of the element's start tag.
        line: u64,
        /// 1-based column (in bytes) of the start tag's `<`.
        column: u32,
        /// The element's path below the submission's root (`vic_Methods_of_Control`,
        /// `meta/instanceID`), when it is safe to repeat.
        #[serde(skip_serializing_if = "Option::is_none")]
        element_path: Option<String>,
    },
}

impl SourceLocation {
    /// The physical line (or worksheet row), used to order findings.
    pub fn line(&self) -> u64 {
        match self {
            Self::Json { line, .. }
            | Self::Line { line }
            | Self::Csv { line, .. }
            | Self::Xml { line, .. } => *line,
            Self::Xlsx { row, .. } => *row,
        }
    }

    /// The same row with a cell's column and header.
    #[must_use]
    pub fn with_column(&self, column: u32, header: Option<String>) -> Self {
        match self {
            Self::Csv { record, line, .. } => Self::Csv {
                record: *record,
                line: *line,
                column: Some(column),
                header,
            },
            Self::Xlsx { sheet, row, .. } => Self::Xlsx {
                sheet: sheet.clone(),
                row: *row,
                column: Some(column),
                header,
            },
            other => other.clone(),
        }
    }
}

/// The spreadsheet letters of a 1-based column number: 1 → `A`, 27 → `AA`.
pub fn column_letters(mut column: u32) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rem = (column - 1) % 26;
        letters.push(b'A' + rem as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json { record, line } => write!(f, "line {line} (record {record})"),
            Self::Line { line } => write!(f, "line {line}"),
            Self::Csv {
                record,
                line,
                column,
                header,
            } => {
                write!(f, "line {line} (row {record})")?;
                if let Some(c) = column {
                    write!(f, ", column {}", column_letters(*c))?;
                }
                if let Some(h) = header {
                    write!(f, " `{h}`")?;
                }
                Ok(())
            }
            Self::Xlsx {
                sheet,
                row,
                column,
                header,
            } => {
                match column {
                    Some(c) => write!(f, "{sheet}!{}{row}", column_letters(*c))?,
                    None => write!(f, "{sheet}!{row}:{row}")?,
                }
                if let Some(h) = header {
                    write!(f, ", column `{h}`")?;
                }
                Ok(())
            }
            Self::Xml {
                line,
                column,
                element_path,
                ..
            } => {
                write!(f, "{line}:{column}")?;
                if let Some(p) = element_path {
                    write!(f, ", element `{p}`")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(63), "BK");
        assert_eq!(column_letters(16384), "XFD");
    }

    #[test]
    fn cells_render_as_partners_see_them() {
        let xlsx = SourceLocation::Xlsx {
            sheet: "Cases".into(),
            row: 14,
            column: Some(4),
            header: Some("Sexo".into()),
        };
        assert_eq!(xlsx.to_string(), "Cases!D14, column `Sexo`");
        let csv = SourceLocation::Csv {
            record: 13,
            line: 14,
            column: Some(2),
            header: None,
        };
        assert_eq!(csv.to_string(), "line 14 (row 13), column B");
        let xml = SourceLocation::Xml {
            submission: 1,
            line: 14,
            column: 9,
            element_path: Some("vic_Methods_of_Control".into()),
        };
        assert_eq!(xml.to_string(), "14:9, element `vic_Methods_of_Control`");
    }
}
