//! The record of what one migration step did with the values it could not move exactly, and
//! the wording of each kind of move (M003 lost, M004 ambiguous, M005 convention, M006 refused)
//! in one place.
//!
//! Messages name fields and codes of closed lists only, never a value that could identify.

use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::model::{CodeList, FlagSet, SchemaVersion, TriState};

/// The moves of one record through one step, as diagnostics pointing into the source record.
#[derive(Debug)]
pub(crate) struct MoveLog {
    /// The version the step reads.
    pub from: SchemaVersion,
    /// The version the step writes.
    pub to: SchemaVersion,
    /// What happened, in order.
    pub moves: Vec<Diagnostic>,
}

impl MoveLog {
    /// An empty log for one step.
    pub(crate) fn new(from: SchemaVersion, to: SchemaVersion) -> Self {
        Self {
            from,
            to,
            moves: Vec::new(),
        }
    }

    /// The migration guide of this pair of versions (one guide per pair, named oldest first).
    fn guide(&self) -> String {
        let (old, new) = (self.from.min(self.to), self.from.max(self.to));
        format!("spec/migrations/{old}-to-{new}.md")
    }

    /// M003: a value has no exact place in the target version.
    pub(crate) fn lost(&mut self, field: &str, consequence: &str) {
        self.moves.push(
            Diagnostic::new(
                Code::MigrationValueLost,
                format!("`{field}` cannot be kept in {}: {consequence}", self.to),
            )
            .with_hint(format!(
                "the information is not in the output; see {}",
                self.guide()
            ))
            .at(JsonPointer::from_escaped(&format!("/{field}"))),
        );
    }

    /// M004: a value moved to a code whose meaning is wider or narrower.
    pub(crate) fn ambiguous(&mut self, field: &str, consequence: &str) {
        self.moves.push(
            Diagnostic::new(
                Code::MigrationValueAmbiguous,
                format!(
                    "`{field}` moved to {} with another scope: {consequence}",
                    self.to
                ),
            )
            .with_hint(format!(
                "check the source if the difference matters; see {}",
                self.guide()
            ))
            .at(JsonPointer::from_escaped(&format!("/{field}"))),
        );
    }

    /// M005: a documented convention was applied; nothing was lost.
    pub(crate) fn convention(&mut self, field: &str, convention: &str) {
        self.moves.push(
            Diagnostic::new(
                Code::MigrationConventionApplied,
                format!("`{field}` moved to {} by convention: {convention}", self.to),
            )
            .with_hint(format!("the convention is stated in {}", self.guide()))
            .at(JsonPointer::from_escaped(&format!("/{field}"))),
        );
    }
}

/// M006: the record cannot be written in the target version without falsifying it.
pub(crate) fn refused(to: SchemaVersion, field: &str, why: &str) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::new(
            Code::MigrationRefused,
            format!("the record cannot be moved to {to}: {why}"),
        )
        .with_hint("the record is not written; keep it in the newer version")
        .at(JsonPointer::from_escaped(&format!("/{field}"))),
    )
}

/// Where one source code's facts go in a target list.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fit<T> {
    /// Same meaning.
    Exact(T),
    /// The target is wider: `yes` carries over, `no` is ambiguous (the target may still be yes).
    Wider(T),
    /// The target is narrower: `no` carries over, `yes` is ambiguous.
    Narrower(T),
    /// Several source codes share the target, which is the way back for another one: the
    /// distinction is lost.
    Merged(T),
    /// The caller moves this code itself (to another group).
    Elsewhere,
    /// No counterpart: the fact is dropped.
    Nowhere,
}

/// Moves every fact of a group through `fit`, logging what is not exact. `from` and `into` are
/// the groups' property names. Facts that merge combine as yes > no > unknown. An `unknown` fact
/// that would be merged or dropped is simply left out: an absent fact is unknown, so nothing is
/// lost.
pub(crate) fn move_flags<S: CodeList, T: CodeList>(
    source: &FlagSet<S>,
    (from, into): (&str, &str),
    fit: impl Fn(S) -> Fit<T>,
    target: &mut FlagSet<T>,
    log: &mut MoveLog,
) {
    for (code, state) in source.iter() {
        let field = format!("{from}/{}", code.code());
        let known = state != TriState::Unknown;
        match fit(code) {
            Fit::Exact(t) => merge(target, t, state),
            Fit::Wider(t) => {
                if state == TriState::No {
                    log.ambiguous(
                        &field,
                        &format!("`no` became `{into}/{}` = `no`, a wider category", t.code()),
                    );
                }
                merge(target, t, state);
            }
            Fit::Narrower(t) => {
                if state == TriState::Yes {
                    log.ambiguous(
                        &field,
                        &format!("`yes` became `{into}/{}`, a narrower category", t.code()),
                    );
                }
                merge(target, t, state);
            }
            Fit::Merged(t) if known => {
                log.lost(
                    &field,
                    &format!(
                        "merged into `{into}/{}`, which also stands for other codes",
                        t.code()
                    ),
                );
                merge(target, t, state);
            }
            Fit::Nowhere if known => log.lost(&field, "no counterpart, the fact is dropped"),
            Fit::Merged(_) | Fit::Nowhere | Fit::Elsewhere => {}
        }
    }
}

/// Sets a fact, combining with one already set: yes wins over no, no over unknown.
pub(crate) fn merge<T: CodeList>(target: &mut FlagSet<T>, key: T, state: TriState) {
    let rank = |s: TriState| match s {
        TriState::Yes => 2,
        TriState::No => 1,
        TriState::Unknown => 0,
    };
    let present = target.iter().any(|(k, _)| k == key);
    if !present || rank(state) > rank(target.get(key)) {
        target.set(key, state);
    }
}

/// Copies a whole group between two lists with identical codes.
pub(crate) fn same_codes<S: CodeList, T: CodeList>(source: &FlagSet<S>) -> FlagSet<T> {
    let mut out = FlagSet::default();
    for (code, state) in source.iter() {
        if let Some(t) = T::from_code(code.code()) {
            out.set(t, state);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::v1::MeansOfControl;
    use crate::model::v2::MethodOfControl;

    #[test]
    fn merging_prefers_yes_then_no() {
        let mut set = FlagSet::<MethodOfControl>::default();
        merge(&mut set, MethodOfControl::Threats, TriState::Unknown);
        merge(&mut set, MethodOfControl::Threats, TriState::No);
        assert_eq!(set.get(MethodOfControl::Threats), TriState::No);
        merge(&mut set, MethodOfControl::Threats, TriState::Yes);
        merge(&mut set, MethodOfControl::Threats, TriState::No);
        assert_eq!(set.get(MethodOfControl::Threats), TriState::Yes);
    }

    #[test]
    fn dropped_and_merged_known_facts_are_logged_unknown_ones_are_not() {
        let mut source = FlagSet::<MeansOfControl>::default();
        source.set(MeansOfControl::NotSpecified, TriState::Yes);
        source.set(MeansOfControl::Other, TriState::Unknown);
        source.set(MeansOfControl::Threats, TriState::No);
        let mut target = FlagSet::<MethodOfControl>::default();
        let mut log = MoveLog::new(SchemaVersion::V1_0, SchemaVersion::V2_0);
        let fit = |c: MeansOfControl| match c {
            MeansOfControl::NotSpecified => Fit::Nowhere,
            MeansOfControl::Other => Fit::Merged(MethodOfControl::Other),
            _ => MethodOfControl::from_code(c.code()).map_or(Fit::Nowhere, Fit::Exact),
        };
        move_flags(&source, ("a", "b"), fit, &mut target, &mut log);
        let pointers: Vec<_> = log
            .moves
            .iter()
            .map(|d| (d.code, d.pointer.as_ref().map(|p| p.as_str().to_owned())))
            .collect();
        assert_eq!(
            pointers,
            [(Code::MigrationValueLost, Some("/a/notSpecified".to_owned()))]
        );
        assert_eq!(target.get(MethodOfControl::Threats), TriState::No);
        assert!(target.iter().all(|(k, _)| k != MethodOfControl::Other));
    }
}
