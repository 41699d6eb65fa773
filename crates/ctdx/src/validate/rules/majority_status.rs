//! R001 `majority-status-inconsistent`: the majority statuses must agree with the age band and
//! with the order of events (entry into trafficking, then exploitation, then registration).
//!
//! A person is a minor at registration exactly when the age band is `0--8` or `9--17`. Someone
//! who was an adult when exploitation began cannot be a minor at registration, and someone who
//! was an adult at entry cannot be a minor when exploitation began.

use super::RuleContext;
use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::model::CodeList;
use crate::model::v1::{AgeBand, CaseRecord, MajorityStatus};
use crate::model::v2;

pub(super) fn check(record: &CaseRecord, ctx: &mut RuleContext<'_>) {
    check_fields(
        record.age_band,
        [
            record.majority_status,
            record.majority_status_at_exploit,
            record.majority_status_at_entry,
        ],
        ctx,
    );
}

/// The same rule on a 2.0 record (same fields, same lists).
pub(super) fn check_v2(record: &v2::CaseRecord, ctx: &mut RuleContext<'_>) {
    check_fields(
        record.age_band,
        [
            record.majority_status,
            record.majority_status_at_exploit,
            record.majority_status_at_entry,
        ],
        ctx,
    );
}

/// The rule on the age band and the statuses at registration, at exploitation and at entry.
fn check_fields(
    age_band: Option<AgeBand>,
    [majority_status, at_exploit, at_entry]: [Option<MajorityStatus>; 3],
    ctx: &mut RuleContext<'_>,
) {
    use MajorityStatus::{Adult, Minor};
    if let (Some(band), Some(status)) = (age_band, majority_status) {
        let expected = if band.is_minor() { Minor } else { Adult };
        if status != expected {
            ctx.report(
                Diagnostic::new(
                    Code::MajorityStatusInconsistent,
                    format!("majority status `{status}` contradicts age band `{band}`"),
                )
                .with_hint(format!(
                    "age band `{band}` means `{}` at registration: correct one of the two",
                    expected.code()
                ))
                .at(JsonPointer::root().join("majorityStatus")),
            );
        }
    }
    let at_registration =
        majority_status.or(age_band.map(|b| if b.is_minor() { Minor } else { Adult }));
    let later_than = [
        (
            at_registration,
            at_exploit,
            "majorityStatusAtExploit",
            "registration",
        ),
        (
            at_exploit,
            at_entry,
            "majorityStatusAtEntry",
            "the start of exploitation",
        ),
    ];
    for (later, earlier, field, when) in later_than {
        if later == Some(Minor) && earlier == Some(Adult) {
            ctx.report(
                Diagnostic::new(
                    Code::MajorityStatusInconsistent,
                    format!("`{field}` is `adult`, but the person was a minor at {when}"),
                )
                .with_hint("nobody becomes a minor again: correct the earlier or the later status")
                .at(JsonPointer::root().join(field)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code::MajorityStatusInconsistent as R001;
    use crate::validate::rules::test_support::run;
    use serde_json::json;

    #[test]
    fn band_and_status_must_agree() {
        let found =
            run(json!({"schemaVersion": "1.0", "ageBand": "9--17", "majorityStatus": "adult"}));
        assert_eq!(found, [(R001, "/majorityStatus".into())]);
        let ok =
            run(json!({"schemaVersion": "1.0", "ageBand": "18--20", "majorityStatus": "adult"}));
        assert!(ok.is_empty());
    }

    #[test]
    fn statuses_follow_the_order_of_events() {
        let found = run(
            json!({"schemaVersion": "1.0", "ageBand": "0--8", "majorityStatusAtExploit": "adult"}),
        );
        assert_eq!(found, [(R001, "/majorityStatusAtExploit".into())]);
        let found = run(
            json!({"schemaVersion": "1.0", "majorityStatusAtExploit": "minor", "majorityStatusAtEntry": "adult"}),
        );
        assert_eq!(found, [(R001, "/majorityStatusAtEntry".into())]);
        let ok = run(
            json!({"schemaVersion": "1.0", "ageBand": "30--38", "majorityStatusAtExploit": "minor", "majorityStatusAtEntry": "minor"}),
        );
        assert!(ok.is_empty());
    }
}
