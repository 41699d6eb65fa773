//! R006 `all-facts-unknown`: a record in which not a single fact is known adds nothing to the hub
//! but a count, and usually means a conversion lost its columns.

use super::RuleContext;
use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::model::v1::CaseRecord;
use crate::model::v2;

pub(super) fn check(record: &CaseRecord, ctx: &mut RuleContext<'_>) {
    report_if(record.all_facts_unknown(), ctx);
}

/// The same rule on a 2.0 record.
pub(super) fn check_v2(record: &v2::CaseRecord, ctx: &mut RuleContext<'_>) {
    report_if(record.all_facts_unknown(), ctx);
}

fn report_if(all_unknown: bool, ctx: &mut RuleContext<'_>) {
    if all_unknown {
        ctx.report(
            Diagnostic::new(Code::AllFactsUnknown, "every fact of the record is unknown")
                .with_hint(
                    "fill in what is known, or leave the record out; if the source has \
                            values, check the conversion",
                )
                .at(JsonPointer::root()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code::AllFactsUnknown as R006;
    use crate::validate::rules::test_support::run;
    use serde_json::json;

    #[test]
    fn fires_only_when_nothing_is_known() {
        let empty = run(json!({"schemaVersion": "1.0", "gender": "unknown",
                               "meansOfControl": {"threats": "unknown"}}));
        assert_eq!(empty, [(R006, String::new())]);
        let one_fact = run(json!({"schemaVersion": "1.0", "meansOfControl": {"threats": "no"}}));
        assert!(one_fact.is_empty());
    }
}
