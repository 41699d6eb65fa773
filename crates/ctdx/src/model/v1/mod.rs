//! Version 1.0 of the hub case record: the semantics of the CTDC Global Dataset (the 63-column
//! k-anonymised release), one de-identified victim per record.
//!
//! Frozen once released: changes go into a new version with a migration. Every field but
//! `schemaVersion` is optional, and an absent fact is an unknown fact.

mod codes;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use codes::{
    AgeBand, DataSource, ExploitationType, Gender, LabourSector, MajorityStatus, MeansOfControl,
    RecruiterRelation, SexExploitationType, Version,
};

use crate::model::fields::{self, FieldRef};
use crate::model::{CaseId, Country, FlagSet, TriState, strict};

/// # Hub case record, version 1.0
///
/// One identified or presumed victim of trafficking, de-identified: categorical, code-listed
/// values only. A property the standard does not define is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaseRecord {
    /// # Schema version
    ///
    /// The version of the standard the record follows; always `1.0` here.
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
    /// Year in which the person was registered and assisted by the data provider (CTDC
    /// `yearOfRegistration`). Only the year: a full date would identify.
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
    /// How the case reached the data provider (CTDC `Datasource`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "DataSource", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub data_source: Option<DataSource>,

    /// # Gender
    ///
    /// Gender as recorded by the data provider (CTDC `gender`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Gender", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub gender: Option<Gender>,

    /// # Age band
    ///
    /// Age at registration as a band (CTDC `ageBroad`). Never an exact age or a birth date.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "AgeBand", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub age_band: Option<AgeBand>,

    /// # Majority status at registration
    ///
    /// Minor or adult when registered (CTDC `majorityStatus`); must agree with the age band.
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MajorityStatus")]
    pub majority_status: Option<MajorityStatus>,

    /// # Majority status when exploitation began
    ///
    /// Minor or adult when the exploitation began (CTDC `majorityStatusAtExploit`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MajorityStatus")]
    pub majority_status_at_exploit: Option<MajorityStatus>,

    /// # Majority status at entry
    ///
    /// Minor or adult when the person entered the trafficking process (CTDC `majorityEntry`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "MajorityStatus")]
    pub majority_status_at_entry: Option<MajorityStatus>,

    /// # Citizenship
    ///
    /// Country of citizenship as an ISO 3166-1 alpha-2 code (CTDC `citizenship`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Country", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub citizenship: Option<Country>,

    /// # Country of exploitation
    ///
    /// The last country in which the person was exploited, as an ISO 3166-1 alpha-2 code (CTDC
    /// `CountryOfExploitation`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Country", extend("x-ctdx-privacy" = "quasi-identifier"))]
    pub country_of_exploitation: Option<Country>,

    /// # Means of control
    ///
    /// One tri-state fact per means of control (CTDC `meansOfControl*`).
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub means_of_control: FlagSet<MeansOfControl>,

    /// # Types of exploitation
    ///
    /// One tri-state fact per type of exploitation (CTDC `is*`).
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub exploitation: FlagSet<ExploitationType>,

    /// # Sectors of forced labour
    ///
    /// One tri-state fact per sector of forced labour (CTDC `typeOfLabour*`); given only with
    /// forced labour.
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub labour_sectors: FlagSet<LabourSector>,

    /// # Types of sexual exploitation
    ///
    /// One tri-state fact per type of sexual exploitation (CTDC `typeOfSex*`); given only with
    /// sexual exploitation.
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub sex_exploitation: FlagSet<SexExploitationType>,

    /// # Abduction
    ///
    /// Whether the person was abducted (CTDC `isAbduction`).
    #[serde(
        default,
        deserialize_with = "strict::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "TriState", extend("x-ctdx-privacy" = "sensitive"))]
    pub abduction: Option<TriState>,

    /// # Recruiter relations
    ///
    /// One tri-state fact per relation between recruiter and victim (CTDC `recruiterRelation*`).
    #[serde(default, skip_serializing_if = "FlagSet::is_empty")]
    #[schemars(extend("x-ctdx-privacy" = "sensitive"))]
    pub recruiter_relations: FlagSet<RecruiterRelation>,
}

impl CaseRecord {
    /// The field the schema names `name`, if the record has it (`schemaVersion` is not a field
    /// here: it is never a fact).
    pub fn field(&self, name: &str) -> Option<FieldRef<'_>> {
        fields::field_of!(self, name, {
            "citizenship" => fields::country(self.citizenship),
            "meansOfControl" => fields::facts(&self.means_of_control),
            "labourSectors" => fields::facts(&self.labour_sectors),
        })
    }

    /// Whether not a single fact is known: every field absent or unknown (the case identifier and
    /// version are not facts).
    pub fn all_facts_unknown(&self) -> bool {
        self.year_of_registration.is_none()
            && self.data_source.is_none()
            && self.gender.is_none_or(|g| g == Gender::Unknown)
            && self.age_band.is_none()
            && self.majority_status.is_none()
            && self.majority_status_at_exploit.is_none()
            && self.majority_status_at_entry.is_none()
            && self.citizenship.is_none()
            && self.country_of_exploitation.is_none()
            && self.means_of_control.all_unknown()
            && self.exploitation.all_unknown()
            && self.labour_sectors.all_unknown()
            && self.sex_exploitation.all_unknown()
            && self.abduction.is_none_or(|a| a == TriState::Unknown)
            && self.recruiter_relations.all_unknown()
    }
}
