//! The risk report of `ctdx privacy`: a file's privacy section and its batch findings (k-anonymity,
//! rare combinations, l-diversity) alone, as JSON, text or a small self-contained HTML page whose
//! class-size histogram is an inline SVG chart (no script, no external resource).

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use super::human::{Style, render_privacy};
use super::{FileReport, REPORT_FORMAT, Tool};
use crate::diag::Diagnostic;
use crate::privacy::PrivacySummary;
use crate::privacy::policy::BATCH_CODES;
use crate::privacy::report::RiskSummary;

/// The risk report of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyReport {
    /// Version of the report's JSON shape.
    pub report_format: &'static str,
    /// What made the report.
    pub tool: Tool,
    /// The input as named by the user.
    pub path: String,
    /// SHA-256 of the input's bytes.
    pub sha256: String,
    /// The privacy section.
    pub privacy: PrivacySummary,
    /// The batch findings (X017, X018, X019).
    pub findings: Vec<Diagnostic>,
}

impl PrivacyReport {
    /// The risk report of a checked file, if the gate ran on it.
    pub fn from_file(file: &FileReport) -> Option<Self> {
        Some(Self {
            report_format: REPORT_FORMAT,
            tool: Tool {
                name: "ctdx",
                version: env!("CARGO_PKG_VERSION"),
            },
            path: file.path.clone(),
            sha256: file.sha256.clone(),
            privacy: *file.privacy.clone()?,
            findings: file
                .findings
                .iter()
                .filter(|d| BATCH_CODES.contains(&d.code))
                .cloned()
                .collect(),
        })
    }

    /// Pretty JSON with a final newline.
    pub fn render_json(&self, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }

    /// A few lines for people.
    pub fn render_human(&self, style: Style, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", self.path)?;
        render_privacy(&self.privacy, style, out)?;
        for d in &self.findings {
            writeln!(out, "  {}[{}] {}", d.severity, d.code.id(), d.message)?;
        }
        Ok(())
    }

    /// A self-contained HTML page.
    pub fn render_html(&self, out: &mut dyn Write) -> io::Result<()> {
        let p = &self.privacy;
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>ctdx privacy report</title>\n<style>\
             body{{font-family:sans-serif;max-width:46em;margin:2em auto;color:#222}}\
             table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em;text-align:left}}\
             .bar{{fill:#3b6ea5}}.risk{{fill:#b33}}</style>\n</head>\n<body>\n\
             <h1>Privacy risk report</h1>\n<p>File <code>{}</code> (SHA-256 <code>{}</code>), {} records; \
             k = {} over {}; policy: {}{}.</p>\n",
            escape(&self.path),
            escape(&self.sha256),
            p.records,
            p.policy.k,
            escape(&p.quasi_identifiers.join(", ")),
            escape(&p.policy.source),
            if p.policy.publish { ", publish" } else { "" },
        )?;
        section(out, "Batch", &p.batch, p.policy.k)?;
        if let Some(merged) = &p.merged {
            section(
                out,
                "Batch merged with the hub's tallies",
                merged,
                p.policy.k,
            )?;
        }
        writeln!(
            out,
            "<p>Records carrying a combination of up to {} values seen fewer than k times: {}. \
             Classes with l-diversity below 2: {}.</p>",
            p.policy.rare_combination_size, p.rare_combination_records, p.low_diversity_classes
        )?;
        if !self.findings.is_empty() {
            writeln!(out, "<h2>Findings</h2>\n<ul>")?;
            for d in &self.findings {
                writeln!(
                    out,
                    "<li>{} [{}] {}</li>",
                    d.severity,
                    d.code.id(),
                    escape(&d.message)
                )?;
            }
            writeln!(out, "</ul>")?;
        }
        writeln!(out, "</body>\n</html>")
    }
}

fn section(out: &mut dyn Write, title: &str, risk: &RiskSummary, k: u64) -> io::Result<()> {
    writeln!(
        out,
        "<h2>{title}</h2>\n<table>\n<tr><th>classes</th><td>{}</td></tr>\n\
         <tr><th>smallest class</th><td>{}</td></tr>\n<tr><th>records at risk (class &lt; {k})</th>\
         <td>{} ({})</td></tr>\n<tr><th>highest risk</th><td>{:.3}</td></tr>\n\
         <tr><th>average risk</th><td>{:.3}</td></tr>\n</table>",
        risk.classes,
        risk.smallest_class,
        risk.records_at_risk,
        risk.share_at_risk.percent(),
        risk.highest_risk.value(),
        risk.average_risk.value(),
    )?;
    // The histogram: one bar per size bucket, height proportional to the number of classes.
    let max = risk
        .histogram
        .iter()
        .map(|b| b.classes)
        .max()
        .unwrap_or(0)
        .max(1);
    let (width, height, bar) = (400u64, 160u64, 60u64);
    writeln!(
        out,
        "<svg role=\"img\" aria-label=\"classes by size\" width=\"{width}\" height=\"{}\" \
         viewBox=\"0 0 {width} {}\">",
        height + 40,
        height + 40
    )?;
    for (i, b) in risk.histogram.iter().enumerate() {
        let h = b.classes * height / max;
        let x = 10 + i as u64 * (bar + 18);
        let class = if b.size == "11-20" || b.size == "21+" {
            "bar"
        } else {
            "risk"
        };
        writeln!(
            out,
            "<rect class=\"{class}\" x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\"><title>{} classes of size {}</title></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
            height - h + 15,
            b.classes,
            b.size,
            x + bar / 2,
            height + 32,
            b.size,
            x + bar / 2,
            height - h + 12,
            b.classes,
        )?;
    }
    writeln!(out, "</svg>")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
