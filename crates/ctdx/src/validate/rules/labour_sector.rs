//! R002 `labour-sector-without-forced-labour`: a sector of forced labour is `yes` while neither
//! forced labour nor combined sexual and labour exploitation is `yes`.
//!
//! A warning, not an error: k-anonymised releases suppressed single cells (CTDC's `-99`), so the
//! type of exploitation may be unknown while the sector survived.

use super::RuleContext;
use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::model::TriState;
use crate::model::v1::{CaseRecord, ExploitationType};
use crate::model::v2;

pub(super) fn check(record: &CaseRecord, ctx: &mut RuleContext<'_>) {
    let labour = [
        ExploitationType::ForcedLabour,
        ExploitationType::SexAndLabour,
    ]
    .into_iter()
    .any(|t| record.exploitation.get(t) == TriState::Yes);
    if labour {
        return;
    }
    if let Some(sector) = record.labour_sectors.yes().next() {
        ctx.report(
            Diagnostic::new(
                Code::LabourSectorWithoutForcedLabour,
                format!("labour sector `{sector}` is given, but forced labour is not `yes`"),
            )
            .with_hint("set `exploitation/forcedLabour` to `yes`, or remove the sector")
            .at(JsonPointer::root()
                .join("labourSectors")
                .join(&sector.to_string())),
        );
    }
}

/// The same rule on a 2.0 record: an ISIC industry of forced labour without forced labour (2.0
/// has no combined sexual-and-labour type: both facts are given).
pub(super) fn check_v2(record: &v2::CaseRecord, ctx: &mut RuleContext<'_>) {
    if record.exploitation.get(v2::ExploitationType::ForcedLabour) == TriState::Yes {
        return;
    }
    if let Some(section) = record.forced_labour_industries.yes().next() {
        ctx.report(
            Diagnostic::new(
                Code::LabourSectorWithoutForcedLabour,
                format!("industry `{section}` is given, but forced labour is not `yes`"),
            )
            .with_hint("set `exploitation/forcedLabour` to `yes`, or remove the industry")
            .at(JsonPointer::root()
                .join("forcedLabourIndustries")
                .join(&section.to_string())),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code::LabourSectorWithoutForcedLabour as R002;
    use crate::validate::rules::test_support::run;
    use serde_json::json;

    #[test]
    fn sector_needs_forced_labour() {
        let found = run(
            json!({"schemaVersion": "1.0", "exploitation": {"forcedLabour": "no"},
                               "labourSectors": {"agriculture": "yes", "begging": "yes"}}),
        );
        assert_eq!(found, [(R002, "/labourSectors/agriculture".into())]);
        let ok = run(
            json!({"schemaVersion": "1.0", "exploitation": {"sexAndLabour": "yes"},
                            "labourSectors": {"agriculture": "yes"}}),
        );
        assert!(ok.is_empty());
        let no_sector =
            run(json!({"schemaVersion": "1.0", "labourSectors": {"agriculture": "no"}}));
        assert!(no_sector.is_empty());
    }
}
