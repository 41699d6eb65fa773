//! The human renderer: findings grouped by code, with counts and the first locations of each.
//!
//! Colour is a parameter: whether the terminal wants it (TTY, `NO_COLOR`) is the binary's call.
//! No source text is ever shown: a snippet of a record is case data.

use std::io::{self, Write};

use super::{Decision, FileOutcome, FileReport, Output, Report, Withheld};
use crate::diag::{CodeCount, Diagnostic, Severity, SourceLocation};

/// How many locations are shown under each code.
const LOCATIONS_PER_CODE: usize = 5;

/// Rendering choices.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn severity(self, severity: Severity) -> String {
        let colour = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(colour, &severity.to_string())
    }

    fn decision(self, decision: Decision) -> String {
        let (colour, word) = match decision {
            Decision::Accepted => ("1;32", "accepted"),
            Decision::AcceptedWithWarnings => ("1;33", "accepted with warnings"),
            Decision::Rejected => ("1;31", "rejected"),
            Decision::Unreadable => ("1;31", "unreadable"),
        };
        self.paint(colour, word)
    }
}

/// Writes the report for people.
pub fn render(report: &Report, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for file in &report.files {
        match file {
            FileOutcome::Checked(f) => render_file(f, style, out)?,
            FileOutcome::Failed { path, error } => {
                writeln!(
                    out,
                    "{path}: {}: {error}\n",
                    style.decision(Decision::Unreadable)
                )?;
            }
        }
    }
    let s = &report.summary;
    writeln!(
        out,
        "{} {} {}, {} {}: {} {}, {} {}, {} info: {}",
        style.paint("1", "summary:"),
        s.files,
        plural(s.files, "file", "files"),
        s.records,
        plural(s.records, "record", "records"),
        s.counts.error,
        plural(s.counts.error, "error", "errors"),
        s.counts.warning,
        plural(s.counts.warning, "warning", "warnings"),
        s.counts.info,
        style.decision(report.decision),
    )?;
    match &report.output {
        Some(output) => render_output(output, style, out),
        None => Ok(()),
    }
}

/// Where the records went, in one line: how many were written and rejected, or why nothing
/// was written.
pub fn render_output(output: &Output, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let to = match output.path.as_str() {
        "-" => "standard output",
        path => path,
    };
    let rejected = output.rejected;
    let records = |n| plural(n, "record", "records");
    let what = match (output.withheld, &output.rejects_path) {
        (None, Some(rejects)) => format!(
            "{} {} written to {to}; {rejected} rejected, listed in {rejects}",
            output.written,
            records(output.written),
        ),
        (None, None) => format!(
            "{} {} written to {to}",
            output.written,
            records(output.written)
        ),
        (Some(Withheld::RecordErrors), _) => format!(
            "nothing written to {to}: {rejected} {} {} errors of {} own (--keep-going writes the others and lists these in a rejects file)",
            records(rejected),
            plural(rejected, "has", "have"),
            plural(rejected, "its", "their"),
        ),
        (Some(Withheld::FileErrors), _) => format!(
            "nothing written to {to}: an error concerns a whole file or the batch, so every record (the findings without a row say which)"
        ),
        (Some(Withheld::UnreadableInput), _) => {
            format!("nothing written to {to}: an input could not be read")
        }
    };
    writeln!(out, "{} {what}", style.paint("1", "output:"))
}

fn render_file(file: &FileReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let versions: Vec<&str> = file.schema_versions.iter().map(|v| v.version).collect();
    writeln!(
        out,
        "{}: {} ({} {}, schema {})",
        style.paint("1", &file.path),
        style.decision(file.decision),
        file.records,
        plural(file.records, "record", "records"),
        if versions.is_empty() {
            "none".to_owned()
        } else {
            versions.join(", ")
        },
    )?;
    if let Some(v) = &file.verdicts {
        let whole = if v.file_errors > 0 {
            format!(
                "; {} {} about the file or the batch as a whole",
                v.file_errors,
                plural(v.file_errors, "error", "errors")
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "  records: {} accepted, {} rejected{whole}",
            v.accepted, v.rejected
        )?;
    }
    for total in &file.totals {
        render_code(file, total, style, out)?;
    }
    // A file with no classed record (all rejected, or empty) has no risk figures worth a line.
    if let Some(privacy) = file.privacy.as_ref().filter(|p| p.records > 0) {
        render_privacy(privacy, style, out)?;
    }
    if file.unlisted > 0 {
        writeln!(
            out,
            "  ({} more {} counted above but not listed: --max-findings)",
            file.unlisted,
            plural(file.unlisted, "finding", "findings")
        )?;
    }
    writeln!(out)
}

fn render_code(
    file: &FileReport,
    total: &CodeCount,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "  {}[{}] {}: {}",
        style.severity(total.severity),
        style.paint("1", total.code.id()),
        total.slug,
        total.count,
    )?;
    let listed: Vec<&Diagnostic> = file
        .findings
        .iter()
        .filter(|d| d.code == total.code)
        .collect();
    for d in listed.iter().take(LOCATIONS_PER_CODE) {
        let at = |l: &SourceLocation| match l {
            SourceLocation::Json { .. } | SourceLocation::Line { .. } => {
                format!("{}:{}", file.path, l.line())
            }
            SourceLocation::Xml { .. } => format!("{}:{l}", file.path),
            cell => format!("{}: {cell}", file.path),
        };
        let place = match (&d.location, &d.pointer) {
            (Some(l), Some(p)) => format!("{} at {p}", at(l)),
            (Some(l), None) => at(l),
            (None, Some(p)) => format!("{} at {p}", file.path),
            (None, None) => file.path.clone(),
        };
        let times = if d.count > 1 {
            format!(" (×{})", d.count)
        } else {
            String::new()
        };
        writeln!(
            out,
            "    {} {place}: {}{times}",
            style.paint("34", "-->"),
            d.message
        )?;
        if let Some(hint) = &d.hint {
            writeln!(out, "        {} {hint}", style.paint("36", "help:"))?;
        }
        for r in &d.related {
            writeln!(
                out,
                "        {} {}:{}: {}",
                style.paint("36", "note:"),
                file.path,
                r.location.line(),
                r.message
            )?;
        }
    }
    if listed.len() > LOCATIONS_PER_CODE {
        writeln!(
            out,
            "    … {} more listed in the JSON report (--format json)",
            listed.len() - LOCATIONS_PER_CODE
        )?;
    }
    Ok(())
}

/// The privacy gate's batch figures in a few lines: k, classes, records at risk, risk, and the
/// class-size histogram. Classes are named by their quasi-identifier values only, in the findings.
pub fn render_privacy(
    privacy: &crate::privacy::PrivacySummary,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut sections = vec![("batch", &privacy.batch)];
    if let Some(merged) = &privacy.merged {
        sections.push(("batch + hub", merged));
    }
    writeln!(
        out,
        "  {} k = {} over {} (policy: {}{})",
        style.paint("1", "privacy:"),
        privacy.policy.k,
        privacy.quasi_identifiers.join(", "),
        privacy.policy.source,
        if privacy.policy.publish {
            ", publish"
        } else {
            ""
        },
    )?;
    let changed = privacy.policy.limits.changed();
    if !changed.is_empty() {
        let set: Vec<String> = changed.iter().map(|(l, v)| format!("{l} = {v}")).collect();
        writeln!(
            out,
            "    limits set by the policy: {} (the others as in spec/limits.md)",
            set.join(", ")
        )?;
    }
    for (name, risk) in sections {
        writeln!(
            out,
            "    {name}: {} {}, smallest {}; {} of {} {} at risk ({}); highest risk {:.3}, average {:.3}",
            risk.classes,
            plural(risk.classes, "class", "classes"),
            risk.smallest_class,
            risk.records_at_risk,
            privacy.records,
            plural(privacy.records, "record", "records"),
            risk.share_at_risk.percent(),
            risk.highest_risk.value(),
            risk.average_risk.value(),
        )?;
        let bars: Vec<String> = risk
            .histogram
            .iter()
            .map(|b| format!("{}: {}", b.size, b.classes))
            .collect();
        writeln!(out, "      classes by size: {}", bars.join(" · "))?;
    }
    if privacy.rare_combination_records > 0 || privacy.low_diversity_classes > 0 {
        writeln!(
            out,
            "    rare combinations: {} {}; l-diversity below 2: {} {}",
            privacy.rare_combination_records,
            plural(privacy.rare_combination_records, "record", "records"),
            privacy.low_diversity_classes,
            plural(privacy.low_diversity_classes, "class", "classes"),
        )?;
    }
    Ok(())
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
