//! R003 `sex-type-without-sexual-exploitation`: a type of sexual exploitation is `yes` while
//! neither sexual exploitation nor combined sexual and labour exploitation is `yes`.
//!
//! A warning for the same reason as R002: suppressed cells leave such gaps in real releases.

use super::RuleContext;
use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::model::TriState;
use crate::model::v1::{CaseRecord, ExploitationType};
use crate::model::v2;

pub(super) fn check(record: &CaseRecord, ctx: &mut RuleContext<'_>) {
    let sexual = [
        ExploitationType::SexualExploitation,
        ExploitationType::SexAndLabour,
    ]
    .into_iter()
    .any(|t| record.exploitation.get(t) == TriState::Yes);
    report(sexual, record.sex_exploitation.yes().next(), ctx);
}

/// The same rule on a 2.0 record (2.0 has no combined sexual-and-labour type).
pub(super) fn check_v2(record: &v2::CaseRecord, ctx: &mut RuleContext<'_>) {
    let sexual = record
        .exploitation
        .get(v2::ExploitationType::SexualExploitation)
        == TriState::Yes;
    report(sexual, record.sex_exploitation.yes().next(), ctx);
}

/// The finding, worded once for every version: the first type given without the exploitation.
fn report(sexual: bool, first_type: Option<impl std::fmt::Display>, ctx: &mut RuleContext<'_>) {
    let Some(kind) = first_type.filter(|_| !sexual) else {
        return;
    };
    ctx.report(
        Diagnostic::new(
            Code::SexTypeWithoutSexualExploitation,
            format!(
                "sex-exploitation type `{kind}` is given, but sexual exploitation is not `yes`"
            ),
        )
        .with_hint("set `exploitation/sexualExploitation` to `yes`, or remove the type")
        .at(JsonPointer::root()
            .join("sexExploitation")
            .join(&kind.to_string())),
    );
}

#[cfg(test)]
mod tests {
    use crate::diag::Code::SexTypeWithoutSexualExploitation as R003;
    use crate::validate::rules::test_support::run;
    use serde_json::json;

    #[test]
    fn type_needs_sexual_exploitation() {
        let found = run(json!({"schemaVersion": "1.0", "sexExploitation": {"pornography": "yes"}}));
        assert_eq!(found, [(R003, "/sexExploitation/pornography".into())]);
        let ok = run(
            json!({"schemaVersion": "1.0", "exploitation": {"sexualExploitation": "yes"},
                            "sexExploitation": {"pornography": "yes"}}),
        );
        assert!(ok.is_empty());
    }
}
