//! Where a finding is in the partner's file.
//!
//! Record number and line are kept apart (as the `csv` crate does): a JSON array spreads one
//! record over many lines, and later a quoted CSV cell may hold newlines. All numbers are 1-based.

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
}

impl SourceLocation {
    /// The physical line, used to order findings.
    pub fn line(&self) -> u64 {
        match self {
            Self::Json { line, .. } | Self::Line { line } => *line,
        }
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json { record, line } => write!(f, "line {line} (record {record})"),
            Self::Line { line } => write!(f, "line {line}"),
        }
    }
}
