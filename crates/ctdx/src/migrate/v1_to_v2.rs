//! The step from 1.0 to 2.0: CTDC semantics to HTCDS 2.0 code lists.
//!
//! Every field's fate is written up in `spec/migrations/1.0-to-2.0.md`; this file is that table
//! as code. Nothing here can fail: every 1.0 record has a 2.0 form, at worst with logged losses.

use super::moves::{Fit, MoveLog, merge, move_flags, same_codes};
use crate::model::v1::{self, ExploitationType as X1, LabourSector as L};
use crate::model::v2::{self, ExploitationType as X2, IsicSection as S};
use crate::model::{CodeList, FlagSet, TriState};

/// Moves one 1.0 record to 2.0.
pub(crate) fn upgrade(record: &v1::CaseRecord, log: &mut MoveLog) -> v2::CaseRecord {
    let mut out = v2::CaseRecord::empty();
    out.case_id = record.case_id.clone();
    out.year_of_registration = record.year_of_registration;
    out.data_source = record.data_source;
    out.gender = record.gender.map(|g| gender(g, log));
    out.age_band = record.age_band;
    out.majority_status = record.majority_status;
    out.majority_status_at_exploit = record.majority_status_at_exploit;
    out.majority_status_at_entry = record.majority_status_at_entry;
    out.citizenships = record.citizenship.into_iter().collect();
    out.country_of_exploitation = record.country_of_exploitation;
    move_flags(
        &record.means_of_control,
        ("meansOfControl", "methodsOfControl"),
        |c| v2::MethodOfControl::from_code(c.code()).map_or(Fit::Nowhere, Fit::Exact),
        &mut out.methods_of_control,
        log,
    );
    out.exploitation = exploitation(&record.exploitation, log);
    move_flags(
        &record.labour_sectors,
        ("labourSectors", "forcedLabourIndustries"),
        industry,
        &mut out.forced_labour_industries,
        log,
    );
    // Begging is a type of exploitation in HTCDS, not an industry.
    let begging = record.labour_sectors.iter().find(|(k, _)| *k == L::Begging);
    if let Some((_, state)) = begging {
        merge(&mut out.exploitation, X2::ForcedBegging, state);
    }
    out.sex_exploitation = same_codes(&record.sex_exploitation);
    out.abduction = record.abduction;
    out.recruiter_relations = same_codes(&record.recruiter_relations);
    out
}

/// One wording for both values: M005 lists a field once with a count, whatever the value.
pub(super) const GENDER_CONVENTION: &str = "`female` is written `feminine`, `male` `masculine`";

/// CTDC's `female` / `male` record gender as the provider saw it, without any transgender or
/// non-conforming information: they become HTCDS's `feminine` / `masculine` (stated convention).
fn gender(g: v1::Gender, log: &mut MoveLog) -> v2::Gender {
    match g {
        v1::Gender::Female => {
            log.convention("gender", GENDER_CONVENTION);
            v2::Gender::Feminine
        }
        v1::Gender::Male => {
            log.convention("gender", GENDER_CONVENTION);
            v2::Gender::Masculine
        }
        v1::Gender::Unknown => v2::Gender::NonSpecifiedUnknown,
    }
}

/// The CTDC labour sectors as ISIC Rev.4 sections.
fn industry(sector: L) -> Fit<S> {
    match sector {
        // Section A also covers forestry and fishing.
        L::Agriculture => Fit::Wider(S::A),
        // Aquaculture is ISIC division 03, inside section A, whose way back is agriculture.
        L::Aquafarming => Fit::Merged(S::A),
        L::Begging => Fit::Elsewhere,
        L::Construction => Fit::Exact(S::F),
        // Domestic work is the work of households as employers (ISIC section T).
        L::DomesticWork => Fit::Exact(S::T),
        L::Hospitality => Fit::Exact(S::I),
        L::Manufacturing => Fit::Exact(S::C),
        L::MiningOrDrilling => Fit::Exact(S::B),
        // Peddling is retail trade; section G also covers wholesale and vehicle repair.
        L::Peddling => Fit::Wider(S::G),
        L::Transportation => Fit::Wider(S::H),
        // Illicit activities are no industry; "other" and "not specified" name no section.
        L::IllicitActivities | L::Other | L::NotSpecified => Fit::Nowhere,
    }
}

/// CTDC's eight exploitation flags as HTCDS types.
fn exploitation(source: &FlagSet<X1>, log: &mut MoveLog) -> FlagSet<X2> {
    let mut out = FlagSet::default();
    move_flags(
        source,
        ("exploitation", "exploitation"),
        |t| match t {
            X1::ForcedLabour => Fit::Exact(X2::ForcedLabour),
            X1::SexualExploitation => Fit::Exact(X2::SexualExploitation),
            X1::ForcedMarriage => Fit::Exact(X2::ForcedMarriage),
            X1::OrganRemoval => Fit::Exact(X2::OrganRemoval),
            // 1.0's "other" may be a type 2.0 names (child labour, begging, adoption...).
            X1::OtherExploitation => Fit::Narrower(X2::Other),
            // CTDC counts state and non-state forced military service; HTCDS only non-state.
            X1::ForcedMilitary => Fit::Narrower(X2::ForcedMilitaryByNonStateActors),
            // Slavery and similar practices is wider than servitude.
            X1::SlaveryAndPractices => Fit::Narrower(X2::Servitude),
            X1::SexAndLabour => Fit::Elsewhere,
        },
        &mut out,
        log,
    );
    // The combined type is both types in 2.0 (the way back derives it again).
    match source.iter().find(|(k, _)| *k == X1::SexAndLabour) {
        Some((_, TriState::Yes)) => {
            let parts = [X2::ForcedLabour, X2::SexualExploitation];
            if parts.iter().any(|&p| out.get(p) == TriState::No) {
                log.lost(
                    "exploitation/sexAndLabour",
                    "`yes` contradicts a `no` for forced labour or sexual exploitation; the \
                     combined fact is dropped",
                );
            } else {
                if parts.iter().any(|&p| out.get(p) != TriState::Yes) {
                    log.convention(
                        "exploitation/sexAndLabour",
                        "the combined type is written as forced labour and sexual exploitation",
                    );
                }
                for p in parts {
                    out.set(p, TriState::Yes);
                }
            }
        }
        Some((_, TriState::No)) => log.lost(
            "exploitation/sexAndLabour",
            "2.0 has no combined type; `no` is dropped",
        ),
        Some((_, TriState::Unknown)) | None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::model::SchemaVersion;
    use serde_json::json;

    fn run(record: serde_json::Value) -> (serde_json::Value, Vec<(Code, String)>) {
        let record: v1::CaseRecord = serde_json::from_value(record).expect("typed 1.0");
        let mut log = MoveLog::new(SchemaVersion::V1_0, SchemaVersion::V2_0);
        let out = upgrade(&record, &mut log);
        let moves = log
            .moves
            .iter()
            .map(|d| {
                let p = d.pointer.as_ref().map(|p| p.as_str().to_owned());
                (d.code, p.unwrap_or_default())
            })
            .collect();
        (serde_json::to_value(out).expect("serialises"), moves)
    }

    #[test]
    fn sectors_become_sections_and_begging_an_exploitation_type() {
        let (out, moves) = run(json!({"schemaVersion": "1.0",
            "exploitation": {"forcedLabour": "yes"},
            "labourSectors": {"begging": "yes", "aquafarming": "yes", "construction": "no",
                              "illicitActivities": "unknown", "other": "yes"}}));
        assert_eq!(
            out,
            json!({"schemaVersion": "2.0",
                "exploitation": {"forcedLabour": "yes", "forcedBegging": "yes"},
                "forcedLabourIndustries": {"A": "yes", "F": "no"}})
        );
        assert_eq!(
            moves,
            [
                (
                    Code::MigrationValueLost,
                    "/labourSectors/aquafarming".into()
                ),
                (Code::MigrationValueLost, "/labourSectors/other".into()),
            ]
        );
    }

    #[test]
    fn gender_convention_and_combined_exploitation() {
        let (out, moves) = run(json!({"schemaVersion": "1.0", "gender": "female",
            "citizenship": "NA", "exploitation": {"sexAndLabour": "yes", "forcedLabour": "yes"}}));
        assert_eq!(out["gender"], "feminine");
        assert_eq!(out["citizenships"], json!(["NA"]));
        assert_eq!(
            out["exploitation"],
            json!({"forcedLabour": "yes", "sexualExploitation": "yes"})
        );
        let codes: Vec<_> = moves.iter().map(|m| m.0).collect();
        assert_eq!(
            codes,
            [
                Code::MigrationConventionApplied,
                Code::MigrationConventionApplied
            ]
        );
    }

    #[test]
    fn narrower_exploitation_types_are_ambiguous_only_when_yes() {
        let (_, moves) = run(json!({"schemaVersion": "1.0",
            "exploitation": {"forcedMilitary": "yes", "slaveryAndPractices": "no"}}));
        assert_eq!(
            moves,
            [(
                Code::MigrationValueAmbiguous,
                "/exploitation/forcedMilitary".into()
            )]
        );
    }
}
