//! Cross-field rules: what the schema alone cannot say. One rule per file, each with its code,
//! wording and tests; this file is the dispatch table per version.
//!
//! Rules run on the typed record, only after the structural stage accepted it.

mod all_facts_unknown;
mod duplicate_case_id;
mod labour_sector;
mod majority_status;
mod registration_year;
mod sex_type;

use crate::diag::{Diagnostic, Diagnostics, SourceLocation};
use crate::model::v1::CaseRecord;
use crate::model::v2;

pub(crate) use duplicate_case_id::DuplicateCaseIds;

/// What a rule needs besides the record.
pub(crate) struct RuleContext<'a> {
    /// The current year, given by the caller (the library does not read the clock itself, so
    /// reports are reproducible).
    pub current_year: u16,
    /// Where the record is in its file.
    pub location: &'a SourceLocation,
    /// Where findings go.
    pub sink: &'a mut Diagnostics,
}

impl RuleContext<'_> {
    fn report(&mut self, diagnostic: Diagnostic) {
        self.sink.push(diagnostic.located(self.location.clone()));
    }
}

/// Runs every per-record rule of version 1.0.
pub(crate) fn check_v1(record: &CaseRecord, ctx: &mut RuleContext<'_>) {
    majority_status::check(record, ctx);
    labour_sector::check(record, ctx);
    sex_type::check(record, ctx);
    registration_year::check(record, ctx);
    all_facts_unknown::check(record, ctx);
}

/// Runs every per-record rule of version 2.0 (the 1.0 rules ported to the 2.0 fields).
pub(crate) fn check_v2(record: &v2::CaseRecord, ctx: &mut RuleContext<'_>) {
    majority_status::check_v2(record, ctx);
    labour_sector::check_v2(record, ctx);
    sex_type::check_v2(record, ctx);
    registration_year::check_v2(record, ctx);
    all_facts_unknown::check_v2(record, ctx);
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::diag::Code;

    /// The codes and pointers the rules of the record's version report for a record given as
    /// JSON (1.0 or 2.0, from its `schemaVersion`).
    pub(crate) fn run(json: serde_json::Value) -> Vec<(Code, String)> {
        let mut sink = Diagnostics::with_cap(None);
        let location = SourceLocation::Json { record: 1, line: 1 };
        let mut ctx = RuleContext {
            current_year: 2026,
            location: &location,
            sink: &mut sink,
        };
        if json["schemaVersion"] == "2.0" {
            let record: v2::CaseRecord =
                serde_json::from_value(json).expect("test record is typed");
            check_v2(&record, &mut ctx);
        } else {
            let record: CaseRecord = serde_json::from_value(json).expect("test record is typed");
            check_v1(&record, &mut ctx);
        }
        sink.finish()
            .findings
            .into_iter()
            .map(|d| {
                (
                    d.code,
                    d.pointer.map(|p| p.as_str().to_owned()).unwrap_or_default(),
                )
            })
            .collect()
    }
}
