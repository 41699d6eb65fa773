//! `Diagnostics`: the collector every stage pushes findings into.
//!
//! It keeps totals per code for every finding, lists at most `cap` of them (so memory stays flat
//! however many records fail), and collapses root causes: a code marked `collapses` is listed
//! once per pointer and message with a count and its first location. Severity overrides, when policies
//! arrive, are applied here and nowhere else.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::Serialize;

use super::{Code, Diagnostic, JsonPointer, Severity};

/// How many distinct collapsed findings are listed; beyond that they are only counted, so a
/// hostile file with millions of distinct property names cannot exhaust memory.
const MAX_COLLAPSED: usize = 1000;

/// The total of one code in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CodeCount {
    /// The code.
    pub code: Code,
    /// Its stable name.
    pub slug: &'static str,
    /// Its severity in this run.
    pub severity: Severity,
    /// Occurrences, listed or not.
    pub count: u64,
}

/// Collects the findings of one batch (one input file).
#[derive(Debug, Default)]
pub struct Diagnostics {
    cap: Option<usize>,
    listed: Vec<Diagnostic>,
    collapsed: Vec<Diagnostic>,
    collapsed_index: HashMap<(Code, Option<JsonPointer>, String), usize>,
    totals: BTreeMap<Code, CodeCount>,
    overrides: BTreeMap<Code, Severity>,
}

impl Diagnostics {
    /// A collector that lists at most `cap` findings (`None`: all of them).
    pub fn with_cap(cap: Option<usize>) -> Self {
        Self {
            cap,
            ..Self::default()
        }
    }

    /// Makes every later finding with `code` have `severity` (a policy's override). This is the
    /// one place overrides are applied; floors (direct identifiers never below error) are the
    /// policy's business before it calls this.
    pub fn set_severity(&mut self, code: Code, severity: Severity) {
        self.overrides.insert(code, severity);
    }

    /// The severity `diagnostic` has in this run: its own, or the policy's override of its code.
    pub fn severity_of(&self, diagnostic: &Diagnostic) -> Severity {
        self.overrides
            .get(&diagnostic.code)
            .copied()
            .unwrap_or(diagnostic.severity)
    }

    /// Records one finding.
    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.severity = self.severity_of(&diagnostic);
        let total = self
            .totals
            .entry(diagnostic.code)
            .or_insert_with(|| CodeCount {
                code: diagnostic.code,
                slug: diagnostic.slug,
                severity: diagnostic.severity,
                count: 0,
            });
        total.count += diagnostic.count;

        if diagnostic.code.info().collapses {
            let key = (
                diagnostic.code,
                diagnostic.pointer.clone(),
                diagnostic.message.clone(),
            );
            if let Some(&i) = self.collapsed_index.get(&key) {
                self.collapsed[i].count += diagnostic.count;
            } else if self.collapsed.len() < MAX_COLLAPSED {
                self.collapsed_index.insert(key, self.collapsed.len());
                self.collapsed.push(diagnostic);
            }
        } else if self.cap.is_none_or(|cap| self.listed.len() < cap) {
            self.listed.push(diagnostic);
        }
    }

    /// Whether a new finding of a code that does not collapse would only be counted, not listed
    /// (the cap is reached): a stage with many findings can then skip wording them.
    pub fn is_full(&self) -> bool {
        self.cap.is_some_and(|cap| self.listed.len() >= cap)
    }

    /// Occurrences of findings with this severity.
    pub fn count(&self, severity: Severity) -> u64 {
        self.totals
            .values()
            .filter(|t| t.severity == severity)
            .map(|t| t.count)
            .sum()
    }

    /// Ends the batch: the listed findings in a deterministic order (by line, then code, file-
    /// level findings last), the totals per code, and how many findings were not listed.
    pub fn finish(self) -> Finished {
        let mut listed = self.listed;
        listed.extend(self.collapsed);
        listed.sort_by_key(|d| (d.location.as_ref().map_or(u64::MAX, |l| l.line()), d.code));
        if let Some(cap) = self.cap {
            listed.truncate(cap);
        }
        let totals: Vec<CodeCount> = self.totals.into_values().collect();
        let listed_count: u64 = listed.iter().map(|d| d.count).sum();
        let total: u64 = totals.iter().map(|t| t.count).sum();
        Finished {
            findings: listed,
            totals,
            unlisted: total - listed_count,
        }
    }
}

/// What a batch's collector hands to the report.
#[derive(Debug)]
pub struct Finished {
    /// Listed findings, in report order.
    pub findings: Vec<Diagnostic>,
    /// Totals per code, in catalogue order.
    pub totals: Vec<CodeCount>,
    /// Occurrences counted in `totals` but not listed (capped or beyond the collapse limit).
    pub unlisted: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceLocation;

    fn at_line(code: Code, pointer: &str, line: u64) -> Diagnostic {
        Diagnostic::new(code, "m")
            .at(JsonPointer::from_escaped(pointer))
            .located(SourceLocation::Json { record: line, line })
    }

    #[test]
    fn collapsing_codes_are_listed_once_per_pointer_with_a_count() {
        let mut sink = Diagnostics::with_cap(None);
        for line in 1..=5 {
            sink.push(at_line(Code::UnknownProperty, "/victimName", line));
        }
        sink.push(at_line(Code::UnknownProperty, "/other", 3));
        let done = sink.finish();
        assert_eq!(done.findings.len(), 2);
        assert_eq!(done.findings[0].count, 5);
        assert_eq!(
            done.findings[0].location.as_ref().map(|l| l.line()),
            Some(1)
        );
        assert_eq!(done.totals[0].count, 6);
        assert_eq!(done.unlisted, 0);
    }

    #[test]
    fn cap_limits_the_listing_but_not_the_totals() {
        let mut sink = Diagnostics::with_cap(Some(2));
        for line in 1..=10 {
            sink.push(at_line(Code::WrongType, "/gender", line));
        }
        assert_eq!(sink.count(Severity::Error), 10);
        let done = sink.finish();
        assert_eq!(done.findings.len(), 2);
        assert_eq!(done.totals[0].count, 10);
        assert_eq!(done.unlisted, 8);
    }

    #[test]
    fn order_is_by_line_then_code_with_file_level_last() {
        let mut sink = Diagnostics::with_cap(None);
        sink.push(Diagnostic::new(Code::EmptyInput, "m"));
        sink.push(at_line(Code::WrongType, "/a", 4));
        sink.push(at_line(Code::UnknownProperty, "/b", 4));
        sink.push(at_line(Code::InvalidJson, "", 2));
        let codes: Vec<_> = sink.finish().findings.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                Code::InvalidJson,
                Code::UnknownProperty,
                Code::WrongType,
                Code::EmptyInput
            ]
        );
    }
}
