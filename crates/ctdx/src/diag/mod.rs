//! Diagnostics: the one type for every finding of every stage.
//!
//! A [`Diagnostic`] says *what* is wrong (a terse message), *where* (a JSON pointer into the
//! record, a schema path for structural findings, a source location in the partner's file) and
//! *what to do* (a hint). Messages never carry a value that is not on a closed code list: a wrong
//! value in a free field may be a person's name.

mod code;
mod docs;
mod location;
mod pointer;
mod sink;
mod source_map;
pub mod suggest;

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

pub use code::{Code, CodeInfo, UnknownCode};
pub use docs::{CATALOGUE, explain};
pub use location::{SourceLocation, column_letters};
pub use pointer::JsonPointer;
pub use sink::{CodeCount, Diagnostics, Finished};
pub use source_map::SourceMap;

/// How bad a finding is. A batch with any error is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The batch cannot enter the hub.
    Error,
    /// The batch may enter, but something looks wrong.
    Warning,
    /// For information only.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        })
    }
}

/// A secondary place that explains a finding (e.g. the first record with a duplicated id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Related {
    /// What this place is.
    pub message: String,
    /// Where it is.
    pub location: SourceLocation,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable code, e.g. `S004`.
    pub code: Code,
    /// Stable name of the code, e.g. `value-not-in-code-list`.
    pub slug: &'static str,
    /// Severity after policy overrides.
    pub severity: Severity,
    /// What is wrong: one line, lowercase start, no trailing period, no sensitive value.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where in the canonical record (RFC 6901).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<JsonPointer>,
    /// Which schema keyword failed (structural findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_path: Option<JsonPointer>,
    /// Where in the source file; for a collapsed finding, its first occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<SourceLocation>,
    /// How many occurrences this finding stands for (more than 1 only for collapsed findings).
    pub count: u64,
    /// Secondary places.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A finding with the code's default severity and the given message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        let info = code.info();
        Self {
            code,
            slug: info.slug,
            severity: info.severity,
            message: message.into(),
            hint: None,
            pointer: None,
            schema_path: None,
            location: None,
            count: 1,
            related: Vec::new(),
        }
    }

    /// Adds the fix.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds the place in the record.
    #[must_use]
    pub fn at(mut self, pointer: JsonPointer) -> Self {
        self.pointer = Some(pointer);
        self
    }

    /// Adds the failing schema keyword.
    #[must_use]
    pub fn with_schema_path(mut self, path: JsonPointer) -> Self {
        self.schema_path = Some(path);
        self
    }

    /// Adds the place in the source file.
    #[must_use]
    pub fn located(mut self, location: SourceLocation) -> Self {
        self.location = Some(location);
        self
    }

    /// Adds a secondary place.
    #[must_use]
    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }
}
