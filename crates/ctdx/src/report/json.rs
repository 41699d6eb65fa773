//! The JSON renderer: the [`Report`] as pretty-printed JSON, one document, final newline.
//!
//! Field names are stable and documented in `spec/report-format.md`; the shape is published as
//! `schema/report/report.schema.json`.

use std::io::{self, Write};

use super::Report;

/// Writes the report as JSON.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}
