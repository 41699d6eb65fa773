//! The rejects file of a run that keeps going (`ctdx convert --keep-going`, `ctdx migrate
//! --keep-going`): one CSV line per record set aside, saying where it is and why, never what it
//! holds, so that the contributor can fix those rows in their own file and send them again.
//!
//! Columns: `file, place, sheet, row, line, column, header, codes, reason`. `place` is the
//! record's first error as a person reads it (`Cases!D14, column `Sexo``, `line 14 (row 13),
//! column F`, `12:5, element `prs_Gender``); the next five are the findings report's place
//! columns (see [`super::csv`]); `codes` holds the codes of the record's errors, separated by
//! spaces; `reason` their messages, separated by `; `. Messages never hold a value of the
//! input, and neither does any other column.

use super::csv::place_cells;
use crate::diag::{Code, Diagnostic, Severity, SourceLocation};
use crate::text::csv_line;

/// The header line's cells.
pub const HEADER: [&str; 9] = [
    "file", "place", "sheet", "row", "line", "column", "header", "codes", "reason",
];

/// A record set aside for errors of its own, as a record sink sees it: where it is and why,
/// never its data. Its findings carry the severities of the run (policy overrides applied).
#[derive(Debug, Clone, Copy)]
pub struct Rejected<'a> {
    findings: &'a [Diagnostic],
}

impl<'a> Rejected<'a> {
    /// A record with these findings, at least one of them an error.
    pub fn new(findings: &'a [Diagnostic]) -> Self {
        Self { findings }
    }

    /// The record's error findings, in the order they were found.
    pub fn errors(&self) -> impl Iterator<Item = &'a Diagnostic> + use<'a> {
        self.findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// Where it is: the place of its first located error (a cell, or the row).
    pub fn location(&self) -> Option<&'a SourceLocation> {
        self.errors().find_map(|d| d.location.as_ref())
    }

    /// The codes of its errors, each once, in the order found.
    pub fn codes(&self) -> Vec<Code> {
        let mut codes = Vec::new();
        for d in self.errors() {
            if !codes.contains(&d.code) {
                codes.push(d.code);
            }
        }
        codes
    }

    /// Why: the messages of its errors, each once, joined by `; `.
    pub fn reason(&self) -> String {
        let mut messages: Vec<&str> = Vec::new();
        for d in self.errors() {
            if !messages.contains(&d.message.as_str()) {
                messages.push(&d.message);
            }
        }
        messages.join("; ")
    }
}

/// The rejects file's header line.
pub fn header_line() -> String {
    csv_line(&HEADER, ',')
}

/// The rejects file's line for one rejected record of the input `file` (as the report names it).
pub fn line(file: &str, rejected: &Rejected<'_>) -> String {
    let location = rejected.location();
    let [sheet, row, line, column, header] = place_cells(location);
    let codes: Vec<&str> = rejected.codes().iter().map(|c| c.id()).collect();
    let cells = [
        file.to_owned(),
        location.map(ToString::to_string).unwrap_or_default(),
        sheet,
        row,
        line,
        column,
        header,
        codes.join(" "),
        rejected.reason(),
    ];
    csv_line(&cells, ',')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(code: Code, message: &str, column: u32) -> Diagnostic {
        Diagnostic::new(code, message).located(SourceLocation::Xlsx {
            sheet: "Cases".into(),
            row: 14,
            column: Some(column),
            header: Some("Sexo".into()),
        })
    }

    #[test]
    fn a_line_names_the_first_error_its_codes_and_reasons_but_no_warning() {
        let mut warning = at(Code::AllFactsUnknown, "every fact is unknown", 1);
        warning.severity = Severity::Warning;
        let findings = [
            warning,
            at(Code::NotInCodeList, "the value is not on the list", 4),
            at(Code::MajorityStatusInconsistent, "statuses disagree", 6),
            at(Code::NotInCodeList, "the value is not on the list", 7),
        ];
        let rejected = Rejected::new(&findings);
        assert_eq!(
            rejected.codes(),
            [Code::NotInCodeList, Code::MajorityStatusInconsistent]
        );
        let text = header_line() + &line("cases.xlsx", &rejected);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "file,place,sheet,row,line,column,header,codes,reason",
                "cases.xlsx,\"Cases!D14, column `Sexo`\",Cases,14,,D,Sexo,S004 R001,the value is not on the list; statuses disagree",
            ]
        );
    }
}
