//! Version 2.0 of the hub case record: aligned with the code lists of the IOM Human Trafficking
//! Case Data Standard (HTCDS) 2.0, keeping what 1.0 had that HTCDS lacks (age band, majority
//! statuses, year and source of registration, sex-exploitation types, recruiter relations,
//! abduction), one de-identified victim per record.
//!
//! The de-identification principles of 1.0 hold: categorical values only, no free text, a year
//! never a date, tri-state facts. Frozen once released: changes go into a new version with a
//! migration (`src/migrate/`). Fields renamed from 1.0 carry `x-ctdx-renamed-from`, which the
//! schema diff reads to report a rename rather than a removal plus an addition.

mod codes;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::model::v1::{
    AgeBand, DataSource, MajorityStatus, RecruiterRelation, SexExploitationType,
};
pub use codes::{
    DurationBand, ExploitationType, Gender, IsicSection, MethodOfControl, RecruitmentMethod,
    StatusDecisionOrganisation, TraffickingStatus, Version,
};

use crate::model::fields::{self, FieldRef};
use crate::model::{CaseId, Country, FlagSet, TriState, strict};

/// # Hub case record, version 2.0
///
/// One identified, presumed or assessed person in a trafficking case, de-identified:
/// categorical, code-listed values only, aligned with the HTCDS 2.0 code lists. A property the
/// standard does not define is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseRecord {
    /// # Schema version
    ///
    /// The version of the standard the record follows; always `2.0` here.
    pub schema_version: Version,

    /// # Case identifier
    ///
    /// Pseudonymous case identifier: a keyed hash of the partner's case ID, so that duplicates can
    /// be found without the raw ID leaving the partner. Optional.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "CaseId", extend("x-ctdx-privacy" = "pseudonym"))]
    pub case_id: Option<CaseId>,

    /// # Year of registration
    ///
    /// Year in which the person was registered and assisted by the data provider. Only the year:
    /// a full date would identify.
    #[serde(
        default,
        deserialize_with = "strict::year",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "u16", range(min = 1900, max = 2100))]
    #[schemars(extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub year_of_registration: Option<u16>,

    /// # Data source
    ///
    /// How the case reached the data provider.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "DataSource", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub data_source: Option<DataSource>,

    /// # Gender
    ///
    /// Gender per HTCDS 2.0 (`prs_Gender`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Gender", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub gender: Option<Gender>,

    /// # Age band
    ///
    /// Age at registration as a band. Never an exact age or a birth date (HTCDS's
    /// `prs_Birthdate` and `vic_AgeWhenTrafficked` would identify).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "AgeBand", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub age_band: Option<AgeBand>,

    /// # Majority status at registration
    ///
    /// Minor or adult when registered; must agree with the age band.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MajorityStatus")]
    pub majority_status: Option<MajorityStatus>,

    /// # Majority status when exploitation began
    ///
    /// Minor or adult when the exploitation began.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MajorityStatus")]
    pub majority_status_at_exploit: Option<MajorityStatus>,

    /// # Majority status at entry
    ///
    /// Minor or adult when the person entered the trafficking process.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MajorityStatus")]
    pub majority_status_at_entry: Option<MajorityStatus>,

    /// # Citizenships
    ///
    /// Every country of citizenship as ISO 3166-1 alpha-2 codes, each once (HTCDS
    /// `prs_Citizenship`, a multiselect: dual citizenship). Absent when unknown, never empty.
    #[serde(
        default,
        deserialize_with = "strict::countries",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(length(min = 1), extend("uniqueItems" = true))]
    #[schemars(extend("x-ctdx-privacy" = "quasi-identifier"))]
    #[schemars(extend("x-ctdx-renamed-from" = "citizenship"))]
    pub citizenships: Vec<Country>,

    /// # Country of exploitation
    ///
    /// The last country in which the person was exploited, as an ISO 3166-1 alpha-2 code.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Country", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub country_of_exploitation: Option<Country>,

    /// # Trafficking status
    ///
    /// Whether the person is a possible or actual victim, or was determined not to be one (HTCDS
    /// `vic_TraffickingStatus`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "TraffickingStatus", extend("x-ctdx-privacy" = "sensitive"))]
    pub trafficking_status: Option<TraffickingStatus>,

    /// # Trafficking status decided by
    ///
    /// The kind of organisation that decided the trafficking status (HTCDS
    /// `vic_TraffickingStatusDecisionMakingOrg`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "StatusDecisionOrganisation")]
    pub trafficking_status_decided_by: Option<StatusDecisionOrganisation>,

    /// # Trafficking duration
    ///
    /// How long the trafficking situation lasted, as a band.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "DurationBand", extend("x-ctdx-privacy" = "sensitive"))]
    pub trafficking_duration: Option<DurationBand>,

    /// # Types of exploitation
    ///
    /// One tri-state fact per HTCDS type of exploitation (`vic_TypeOfExploitation`).
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub exploitation: FlagSet<ExploitationType>,

    /// # Industries of forced labour
    ///
    /// One tri-state fact per ISIC Rev.4 section (HTCDS `vic_ForcedLabourIndustry`; several may
    /// apply); given only with forced labour.
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    #[schemars(extend("x-ctdx-renamed-from" = "labourSectors"))]
    pub forced_labour_industries: FlagSet<IsicSection>,

    /// # Types of sexual exploitation
    ///
    /// One tri-state fact per type of sexual exploitation (HTCDS `vic_TypeOfSexExploitation`);
    /// given only with sexual exploitation.
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub sex_exploitation: FlagSet<SexExploitationType>,

    /// # Methods of control
    ///
    /// One tri-state fact per method of control (HTCDS `vic_MethodsOfControl`, as its Field
    /// Definitions define them).
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    #[schemars(extend("x-ctdx-renamed-from" = "meansOfControl"))]
    pub methods_of_control: FlagSet<MethodOfControl>,

    /// # Methods of recruitment
    ///
    /// One tri-state fact per method of recruitment (HTCDS `vic_MethodOfRecruitment`).
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub recruitment_methods: FlagSet<RecruitmentMethod>,

    /// # Recruiter relations
    ///
    /// One tri-state fact per relation between recruiter and victim.
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub recruiter_relations: FlagSet<RecruiterRelation>,

    /// # Abduction
    ///
    /// Whether the person was abducted.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "TriState", extend("x-ctdx-privacy" = "sensitive"))]
    pub abduction: Option<TriState>,
}

impl CaseRecord {
    /// The field the schema names `name`, if the record has it (`schemaVersion` is not a field
    /// here: it is never a fact).
    pub fn field(&self, name: &str) -> Option<FieldRef<'_>> {
        fields::field_of!(self, name, {
            "citizenships" => {
                (!self.citizenships.is_empty()).then_some(FieldRef::Countries(&self.citizenships))
            }
            "traffickingStatus" => fields::code(self.trafficking_status),
            "traffickingStatusDecidedBy" => fields::code(self.trafficking_status_decided_by),
            "traffickingDuration" => fields::code(self.trafficking_duration),
            "forcedLabourIndustries" => fields::facts(&self.forced_labour_industries),
            "methodsOfControl" => fields::facts(&self.methods_of_control),
            "recruitmentMethods" => fields::facts(&self.recruitment_methods),
        })
    }

    /// An empty 2.0 record: every fact absent (unknown).
    pub fn empty() -> Self {
        Self {
            schema_version: Version::V2_0,
            case_id: None,
            year_of_registration: None,
            data_source: None,
            gender: None,
            age_band: None,
            majority_status: None,
            majority_status_at_exploit: None,
            majority_status_at_entry: None,
            citizenships: Vec::new(),
            country_of_exploitation: None,
            trafficking_status: None,
            trafficking_status_decided_by: None,
            trafficking_duration: None,
            exploitation: FlagSet::default(),
            forced_labour_industries: FlagSet::default(),
            sex_exploitation: FlagSet::default(),
            methods_of_control: FlagSet::default(),
            recruitment_methods: FlagSet::default(),
            recruiter_relations: FlagSet::default(),
            abduction: None,
        }
    }

    /// Whether not a single fact is known: every field absent or unknown (the case identifier and
    /// version are not facts).
    pub fn all_facts_unknown(&self) -> bool {
        self.year_of_registration.is_none()
            && self.data_source.is_none()
            && self.gender.is_none_or(|g| g == Gender::NonSpecifiedUnknown)
            && self.age_band.is_none()
            && self.majority_status.is_none()
            && self.majority_status_at_exploit.is_none()
            && self.majority_status_at_entry.is_none()
            && self.citizenships.is_empty()
            && self.country_of_exploitation.is_none()
            && self.trafficking_status.is_none()
            && self.trafficking_status_decided_by.is_none()
            && self.trafficking_duration.is_none()
            && self.exploitation.all_unknown()
            && self.forced_labour_industries.all_unknown()
            && self.sex_exploitation.all_unknown()
            && self.methods_of_control.all_unknown()
            && self.recruitment_methods.all_unknown()
            && self.recruiter_relations.all_unknown()
            && self.abduction.is_none_or(|a| a == TriState::Unknown)
    }
}
