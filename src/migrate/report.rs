//! The migration report: what happened to each record (the findings, reusing [`Diagnostic`])
//! and, per field, how many records lost or changed something there. Serialises as JSON
//! (`--format json`); [`render_human`] writes it for people.

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use crate::diag::{Code, CodeCount, Diagnostic, Finished, Severity};
use crate::report::human::Style;
use crate::report::{Decision, Output, SeverityCounts, Tool};

/// How many records of the input named a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct VersionCount {
    /// The version, e.g. `1.0`.
    pub version: &'static str,
    /// Records read as that version.
    pub records: u64,
}

/// One field's tally for one kind of move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FieldSummary {
    /// The field in the source record (JSON pointer), e.g. `/labourSectors/aquafarming`.
    pub field: String,
    /// The kind of move (M003 lost, M004 ambiguous, M005 convention, M006 refused).
    pub code: Code,
    /// The code's stable name.
    pub slug: &'static str,
    /// The code's severity.
    pub severity: Severity,
    /// Records concerned.
    pub records: u64,
}

impl FieldSummary {
    /// A tally line.
    pub fn new(code: Code, field: String, records: u64) -> Self {
        Self {
            field,
            code,
            slug: code.slug(),
            severity: code.info().severity,
            records,
        }
    }
}

/// The result of migrating one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MigrationReport {
    /// Version of the report shapes (shared with the validation report).
    pub report_format: &'static str,
    /// The tool that migrated.
    pub tool: Tool,
    /// The input as named by the user (`-` for standard input); for a layout written by `ctdx
    /// convert --to`, the written file (`-` for standard output), whose rows findings point at.
    pub path: String,
    /// SHA-256 of the input's bytes (of a written layout: of the bytes written).
    pub sha256: String,
    /// The version written (for `ctdx convert --to LAYOUT`, the layout: a profile's name).
    pub target: String,
    /// Records read.
    pub records: u64,
    /// Records moved to the target.
    pub migrated: u64,
    /// Records already at the target, written unchanged.
    pub unchanged: u64,
    /// Records not written (invalid, unreadable, or refused).
    pub not_written: u64,
    /// The versions the records were read as.
    pub from: Vec<VersionCount>,
    /// Errors mean records were not written; warnings mean information was lost or changed scope.
    pub decision: Decision,
    /// Findings per severity.
    pub counts: SeverityCounts,
    /// Findings per code.
    pub totals: Vec<CodeCount>,
    /// Per field and kind of move, how many records: the data-loss summary.
    pub fields: Vec<FieldSummary>,
    /// The findings, by line.
    pub findings: Vec<Diagnostic>,
    /// Findings counted but not listed (`--max-findings`).
    pub unlisted: u64,
    /// Errors about the file as a whole (a reading that stopped, a broken array): they concern
    /// every record, so nothing may be written even when keeping going.
    #[serde(skip_serializing_if = "is_zero")]
    pub file_errors: u64,
    /// Where the records went (set by the command that wrote them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Output>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl MigrationReport {
    /// Assembles the report.
    pub(crate) fn new(
        path: &str,
        sha256: String,
        target: &str,
        (records, migrated, unchanged): (u64, u64, u64),
        from: Vec<VersionCount>,
        fields: Vec<FieldSummary>,
        finished: Finished,
    ) -> Self {
        let mut counts = SeverityCounts::default();
        for t in &finished.totals {
            match t.severity {
                Severity::Error => counts.error += t.count,
                Severity::Warning => counts.warning += t.count,
                Severity::Info => counts.info += t.count,
            }
        }
        let decision = if counts.error > 0 {
            Decision::Rejected
        } else if counts.warning + counts.info > 0 {
            Decision::AcceptedWithWarnings
        } else {
            Decision::Accepted
        };
        Self {
            report_format: crate::report::REPORT_FORMAT,
            tool: Tool {
                name: "ctdx",
                version: env!("CARGO_PKG_VERSION"),
            },
            path: path.to_owned(),
            sha256,
            target: target.to_owned(),
            records,
            migrated,
            unchanged,
            not_written: records - migrated - unchanged,
            from,
            decision,
            counts,
            totals: finished.totals,
            fields,
            findings: finished.findings,
            unlisted: finished.unlisted,
            file_errors: 0,
            output: None,
        }
    }

    /// Records how many errors concern the file as a whole.
    #[must_use]
    pub(crate) fn with_file_errors(mut self, file_errors: u64) -> Self {
        self.file_errors = file_errors;
        self
    }

    /// Records where the records went.
    #[must_use]
    pub fn with_output(mut self, output: Output) -> Self {
        self.output = Some(output);
        self
    }
}

/// Writes the report for people: the counts, the per-field summary, then each finding.
pub fn render_human(report: &MigrationReport, out: &mut dyn Write) -> io::Result<()> {
    let from: Vec<String> = report
        .from
        .iter()
        .map(|v| format!("{} from {}", v.records, v.version))
        .collect();
    writeln!(
        out,
        "{}: to {}: {} records ({}): {} migrated, {} unchanged, {} not written",
        report.path,
        report.target,
        report.records,
        if from.is_empty() {
            "none readable".to_owned()
        } else {
            from.join(", ")
        },
        report.migrated,
        report.unchanged,
        report.not_written,
    )?;
    if !report.fields.is_empty() {
        writeln!(out, "per field:")?;
        for f in &report.fields {
            writeln!(
                out,
                "  {}[{}] {} {}: {} {}",
                f.severity,
                f.code,
                f.slug,
                if f.field.is_empty() { "/" } else { &f.field },
                f.records,
                if f.records == 1 { "record" } else { "records" }
            )?;
        }
    }
    if !report.findings.is_empty() {
        writeln!(out, "findings:")?;
    }
    for d in &report.findings {
        let place = d
            .location
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        // A finding about the whole record or the file has no field to name.
        let field = match d.pointer.as_ref().map(|p| p.as_str()) {
            Some(pointer) if !pointer.is_empty() => format!(" (at {pointer})"),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {place}: {}[{}] {}{field}",
            d.severity, d.code, d.message
        )?;
        if d.count > 1 {
            writeln!(out, "    ({} occurrences)", d.count)?;
        }
        if let Some(hint) = &d.hint {
            writeln!(out, "    help: {hint}")?;
        }
    }
    if report.unlisted > 0 {
        writeln!(
            out,
            "  ({} more findings not listed: --max-findings)",
            report.unlisted
        )?;
    }
    writeln!(
        out,
        "summary: {} errors, {} warnings, {} info",
        report.counts.error, report.counts.warning, report.counts.info
    )?;
    match &report.output {
        Some(output) => crate::report::human::render_output(output, Style::default(), out),
        None => Ok(()),
    }
}
