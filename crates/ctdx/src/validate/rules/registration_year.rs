//! R004 `registration-year-out-of-range`: the year of registration lies in [2000, current year].
//!
//! The schema bounds the year loosely (1900–2100) because it cannot know the current year; this
//! rule applies the hub's real window. The year is not repeated in the message: it is a
//! quasi-identifier, not a code.

use super::RuleContext;
use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::model::v1::CaseRecord;
use crate::model::v2;

/// The first year the hub accepts.
pub(crate) const FIRST_YEAR: u16 = 2000;

pub(super) fn check(record: &CaseRecord, ctx: &mut RuleContext<'_>) {
    check_year(record.year_of_registration, ctx);
}

/// The same rule on a 2.0 record.
pub(super) fn check_v2(record: &v2::CaseRecord, ctx: &mut RuleContext<'_>) {
    check_year(record.year_of_registration, ctx);
}

fn check_year(year: Option<u16>, ctx: &mut RuleContext<'_>) {
    let Some(year) = year else {
        return;
    };
    let problem = if year < FIRST_YEAR {
        format!("the year of registration is before {FIRST_YEAR}")
    } else if year > ctx.current_year {
        format!(
            "the year of registration is after the current year ({})",
            ctx.current_year
        )
    } else {
        return;
    };
    ctx.report(
        Diagnostic::new(Code::RegistrationYearOutOfRange, problem)
            .with_hint("check the year: it must be the year the person was registered")
            .at(JsonPointer::root().join("yearOfRegistration")),
    );
}

#[cfg(test)]
mod tests {
    use crate::diag::Code::RegistrationYearOutOfRange as R004;
    use crate::validate::rules::test_support::run;
    use serde_json::json;

    #[test]
    fn window_is_2000_to_current_year() {
        for (year, bad) in [(1999, true), (2000, false), (2026, false), (2027, true)] {
            let found = run(json!({"schemaVersion": "1.0", "yearOfRegistration": year}));
            let expected = if bad {
                vec![(R004, "/yearOfRegistration".to_owned())]
            } else {
                vec![]
            };
            assert_eq!(found, expected, "year {year}");
        }
    }
}
