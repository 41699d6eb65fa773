//! R005 `duplicate-case-id`: the same case identifier twice in one batch.
//!
//! The only per-record state the validator keeps: 128 bits of each identifier and the line it
//! was first seen on (24 bytes a record that has an identifier), so the memory of a batch grows
//! with its identified records, not with the size of the file.

use std::collections::HashMap;

use super::RuleContext;
use crate::diag::{Code, Diagnostic, JsonPointer, Related, SourceLocation};
use crate::model::CaseId;

/// The identifiers seen so far in a batch.
#[derive(Debug, Default)]
pub(crate) struct DuplicateCaseIds {
    seen: HashMap<u128, SourceLocation>,
}

impl DuplicateCaseIds {
    pub(crate) fn check(&mut self, id: &CaseId, ctx: &mut RuleContext<'_>) {
        let first = match self.seen.get(&id.prefix128()) {
            Some(first) => first.clone(),
            None => {
                self.seen.insert(id.prefix128(), ctx.location.clone());
                return;
            }
        };
        ctx.report(
            Diagnostic::new(
                Code::DuplicateCaseId,
                format!("case identifier already used at {first}"),
            )
            .with_hint("each person appears once per batch: merge the two records or correct the identifier")
            .at(JsonPointer::root().join("caseId"))
            .with_related(Related {
                message: "first record with this identifier".into(),
                location: first,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;

    #[test]
    fn second_use_points_back_at_the_first() {
        let mut ids = DuplicateCaseIds::default();
        let mut sink = Diagnostics::with_cap(None);
        let a = CaseId::parse(&"a".repeat(64)).expect("valid id");
        let b = CaseId::parse(&"b".repeat(64)).expect("valid id");
        for (line, id) in [(1, &a), (2, &b), (3, &a)] {
            let location = SourceLocation::Json { record: line, line };
            let mut ctx = RuleContext {
                current_year: 2026,
                location: &location,
                sink: &mut sink,
            };
            ids.check(id, &mut ctx);
        }
        let found = sink.finish().findings;
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].location.as_ref().map(SourceLocation::line),
            Some(3)
        );
        assert_eq!(found[0].related[0].location.line(), 1);
    }
}
