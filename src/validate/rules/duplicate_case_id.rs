//! R005 `duplicate-case-id`: the same case identifier twice in one batch.
//!
//! The only per-record state the validator keeps: 128 bits of each identifier and the line it
//! was first seen on (24 bytes per record that has an identifier, about 52 MB for 1.5 million
//! identified records once the hash table's spare room is counted), so the memory of a batch
//! grows with its identified records, not with the size of the file.

use std::collections::HashMap;

use super::RuleContext;
use crate::diag::{Code, Diagnostic, JsonPointer, Related, SourceLocation};
use crate::model::CaseId;

/// The identifiers seen so far in a batch.
#[derive(Debug, Default)]
pub(crate) struct DuplicateCaseIds {
    /// Identifier prefix (as two words: `u128` would be 16-byte aligned and pad each entry to
    /// 32 bytes) → line of first use.
    seen: HashMap<[u64; 2], u64>,
}

impl DuplicateCaseIds {
    pub(crate) fn check(&mut self, id: &CaseId, ctx: &mut RuleContext<'_>) {
        let prefix = id.prefix128();
        let key = [(prefix >> 64) as u64, prefix as u64];
        let first = match self.seen.get(&key) {
            Some(&line) => SourceLocation::Line { line },
            None => {
                self.seen.insert(key, ctx.location.line());
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
