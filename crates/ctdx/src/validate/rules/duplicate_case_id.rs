//! R005 `duplicate-case-id`: the same case identifier twice in one batch.
//!
//! The only per-record state the validator keeps: 128 bits of each identifier and the line it
//! was first seen on (24 bytes per record that has an identifier, about 52 MB for 1.5 million
//! identified records once the hash table's spare room is counted), so the memory of a batch
//! grows with its identified records, not with the size of the file.

use crate::diag::{Code, Diagnostic, JsonPointer, Related, SourceLocation};
use crate::id_map::IdMap;
use crate::model::CaseId;

/// The identifiers seen so far in a batch.
#[derive(Debug, Default)]
pub(crate) struct DuplicateCaseIds {
    /// Identifier prefix (as two words: `u128` would be 16-byte aligned and pad each entry to
    /// 32 bytes) → line of first use.
    seen: IdMap<[u64; 2], u64>,
}

impl DuplicateCaseIds {
    /// Remembers `id` as used by the record starting on `line`; the finding if it was used
    /// before.
    pub(crate) fn seen_before(&mut self, id: &CaseId, line: u64) -> Option<Diagnostic> {
        let prefix = id.prefix128();
        let key = [(prefix >> 64) as u64, prefix as u64];
        let first = match self.seen.get(&key) {
            Some(&line) => SourceLocation::Line { line },
            None => {
                self.seen.insert(key, line);
                return None;
            }
        };
        Some(
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
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_use_points_back_at_the_first() {
        let mut ids = DuplicateCaseIds::default();
        let a = CaseId::parse(&"a".repeat(64)).expect("valid id");
        let b = CaseId::parse(&"b".repeat(64)).expect("valid id");
        let found: Vec<Option<Diagnostic>> = [(1, &a), (2, &b), (3, &a)]
            .into_iter()
            .map(|(line, id)| ids.seen_before(id, line))
            .collect();
        assert!(found[0].is_none() && found[1].is_none());
        let repeated = found[2]
            .as_ref()
            .expect("the third record repeats the first");
        assert_eq!(repeated.code, Code::DuplicateCaseId);
        assert_eq!(repeated.related[0].location.line(), 1);
    }
}
