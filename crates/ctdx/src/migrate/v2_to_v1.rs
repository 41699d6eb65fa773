//! The step from 2.0 down to 1.0, for partners and tools still on 1.0.
//!
//! Most values have a 1.0 form, at worst with logged losses. Two cannot be written without
//! falsifying the record, and the record is refused (M006): several citizenships (1.0 holds one,
//! and choosing would invent a fact) and a person determined not to be a victim (every 1.0 record
//! is an identified or presumed victim).

use super::moves::{Fit, MoveLog, merge, move_flags, refused, same_codes};
use crate::diag::Diagnostic;
use crate::model::v1::{self, ExploitationType as X1, LabourSector as L};
use crate::model::v2::{self, ExploitationType as X2, IsicSection as S};
use crate::model::{CodeList, FlagSet, SchemaVersion, TriState};

/// Moves one 2.0 record to 1.0, or refuses it.
pub(crate) fn downgrade(
    record: &v2::CaseRecord,
    log: &mut MoveLog,
) -> Result<v1::CaseRecord, Box<Diagnostic>> {
    let to = SchemaVersion::V1_0;
    if record.citizenships.len() > 1 {
        return Err(refused(
            to,
            "citizenships",
            "1.0 holds one citizenship and this record has several",
        ));
    }
    if record.trafficking_status == Some(v2::TraffickingStatus::NotAVictim) {
        return Err(refused(
            to,
            "traffickingStatus",
            "every 1.0 record is a victim, and this person was determined not to be one",
        ));
    }
    let mut means_of_control = FlagSet::default();
    move_flags(
        &record.methods_of_control,
        ("methodsOfControl", "meansOfControl"),
        |c| v1::MeansOfControl::from_code(c.code()).map_or(Fit::Nowhere, Fit::Exact),
        &mut means_of_control,
        log,
    );
    let mut labour_sectors = FlagSet::default();
    move_flags(
        &record.forced_labour_industries,
        ("forcedLabourIndustries", "labourSectors"),
        sector,
        &mut labour_sectors,
        log,
    );
    let begging = record
        .exploitation
        .iter()
        .find(|(k, _)| *k == X2::ForcedBegging);
    if let Some((_, state)) = begging {
        merge(&mut labour_sectors, L::Begging, state);
    }
    if record.trafficking_status.is_some() {
        log.lost("traffickingStatus", "1.0 has no trafficking status");
    }
    if record.trafficking_status_decided_by.is_some() {
        log.lost(
            "traffickingStatusDecidedBy",
            "1.0 has no deciding organisation",
        );
    }
    if record.trafficking_duration.is_some() {
        log.lost("traffickingDuration", "1.0 has no trafficking duration");
    }
    move_flags(
        &record.recruitment_methods,
        ("recruitmentMethods", "recruitmentMethods"),
        |_| Fit::<v1::RecruiterRelation>::Nowhere,
        &mut FlagSet::default(),
        log,
    );
    Ok(v1::CaseRecord {
        schema_version: v1::Version::V1_0,
        case_id: record.case_id.clone(),
        year_of_registration: record.year_of_registration,
        data_source: record.data_source,
        gender: record.gender.map(|g| gender(g, log)),
        age_band: record.age_band,
        majority_status: record.majority_status,
        majority_status_at_exploit: record.majority_status_at_exploit,
        majority_status_at_entry: record.majority_status_at_entry,
        citizenship: record.citizenships.first().copied(),
        country_of_exploitation: record.country_of_exploitation,
        means_of_control,
        exploitation: exploitation(&record.exploitation, log),
        labour_sectors,
        sex_exploitation: same_codes(&record.sex_exploitation),
        abduction: record.abduction,
        recruiter_relations: same_codes(&record.recruiter_relations),
    })
}

/// One wording for both values (see the upgrade's).
const GENDER_CONVENTION: &str = "`feminine` is written `female`, `masculine` `male`";

/// The reverse of the 1.0 → 2.0 gender convention; the values 1.0 lacks lose their detail.
fn gender(g: v2::Gender, log: &mut MoveLog) -> v1::Gender {
    use v2::Gender as G;
    match g {
        G::Feminine => {
            log.convention("gender", GENDER_CONVENTION);
            v1::Gender::Female
        }
        G::Masculine => {
            log.convention("gender", GENDER_CONVENTION);
            v1::Gender::Male
        }
        G::TransgenderFeminine => {
            log.lost("gender", "`transgenderFeminine` is written `female`");
            v1::Gender::Female
        }
        G::TransgenderMasculine => {
            log.lost("gender", "`transgenderMasculine` is written `male`");
            v1::Gender::Male
        }
        G::NonConforming => {
            log.lost("gender", "`nonConforming` is written `unknown`");
            v1::Gender::Unknown
        }
        G::NonSpecifiedUnknown => v1::Gender::Unknown,
    }
}

/// ISIC sections back to CTDC sectors: the inverse of the upgrade where one exists, `other`
/// for the sections CTDC did not name.
fn sector(section: S) -> Fit<L> {
    match section {
        S::A => Fit::Narrower(L::Agriculture),
        S::B => Fit::Exact(L::MiningOrDrilling),
        S::C => Fit::Exact(L::Manufacturing),
        S::F => Fit::Exact(L::Construction),
        S::G => Fit::Narrower(L::Peddling),
        S::H => Fit::Narrower(L::Transportation),
        S::I => Fit::Exact(L::Hospitality),
        S::T => Fit::Exact(L::DomesticWork),
        S::D
        | S::E
        | S::J
        | S::K
        | S::L
        | S::M
        | S::N
        | S::O
        | S::P
        | S::Q
        | S::R
        | S::S
        | S::U => Fit::Merged(L::Other),
    }
}

/// HTCDS types back to CTDC's flags; the combined type is derived as CTDC defines it.
fn exploitation(source: &FlagSet<X2>, log: &mut MoveLog) -> FlagSet<X1> {
    let mut out = FlagSet::default();
    move_flags(
        source,
        ("exploitation", "exploitation"),
        |t| match t {
            X2::ForcedLabour => Fit::Exact(X1::ForcedLabour),
            X2::SexualExploitation => Fit::Exact(X1::SexualExploitation),
            X2::ForcedMarriage => Fit::Exact(X1::ForcedMarriage),
            X2::OrganRemoval => Fit::Exact(X1::OrganRemoval),
            X2::Other => Fit::Wider(X1::OtherExploitation),
            X2::ForcedMilitaryByNonStateActors => Fit::Wider(X1::ForcedMilitary),
            X2::Servitude => Fit::Wider(X1::SlaveryAndPractices),
            X2::ChildLabour | X2::ForcedAdoption | X2::Surrogacy => {
                Fit::Merged(X1::OtherExploitation)
            }
            X2::ForcedBegging => Fit::Elsewhere,
        },
        &mut out,
        log,
    );
    let both = [X1::ForcedLabour, X1::SexualExploitation]
        .iter()
        .all(|&t| out.get(t) == TriState::Yes);
    if both {
        out.set(X1::SexAndLabour, TriState::Yes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use serde_json::json;

    fn run(record: serde_json::Value) -> Result<(serde_json::Value, Vec<Code>), Code> {
        let record: v2::CaseRecord = serde_json::from_value(record).expect("typed 2.0");
        let mut log = MoveLog::new(SchemaVersion::V2_0, SchemaVersion::V1_0);
        let out = downgrade(&record, &mut log).map_err(|d| d.code)?;
        let codes = log.moves.iter().map(|d| d.code).collect();
        Ok((serde_json::to_value(out).expect("serialises"), codes))
    }

    #[test]
    fn refuses_several_citizenships_and_non_victims() {
        let two = json!({"schemaVersion": "2.0", "citizenships": ["UA", "RO"]});
        assert_eq!(run(two), Err(Code::MigrationRefused));
        let not = json!({"schemaVersion": "2.0", "traffickingStatus": "notAVictimOfTrafficking"});
        assert_eq!(run(not), Err(Code::MigrationRefused));
    }

    #[test]
    fn new_facts_are_reported_lost_and_the_combined_type_is_derived() {
        let (out, codes) = run(json!({"schemaVersion": "2.0", "citizenships": ["UA"],
            "traffickingStatus": "actualVictimOfTrafficking",
            "recruitmentMethods": {"atWork": "yes"},
            "exploitation": {"forcedLabour": "yes", "sexualExploitation": "yes",
                             "forcedBegging": "no", "childLabour": "yes"},
            "forcedLabourIndustries": {"Q": "unknown", "B": "yes"}}))
        .expect("downgrades");
        assert_eq!(
            out,
            json!({"schemaVersion": "1.0", "citizenship": "UA",
                "exploitation": {"forcedLabour": "yes", "sexualExploitation": "yes",
                                 "otherExploitation": "yes", "sexAndLabour": "yes"},
                "labourSectors": {"begging": "no", "miningOrDrilling": "yes"}})
        );
        assert_eq!(
            codes,
            [
                Code::MigrationValueLost, // traffickingStatus
                Code::MigrationValueLost, // recruitmentMethods/atWork
                Code::MigrationValueLost, // exploitation/childLabour
            ]
        );
    }
}
