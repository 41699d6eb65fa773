//! Profiles: declarative mappings from a partner's spreadsheet layout to the hub record.
//!
//! A profile is data (`schema/profiles/*.toml`, documented in `spec/profiles.md`): which column
//! goes to which field, header aliases, value maps, missing-value tokens, multi-value delimiters,
//! flag columns, country names, derived fields, and the columns dropped on purpose. A column that
//! is neither mapped nor dropped is an error, never silently ignored.

mod check;
mod detect;
mod engine;
mod family;
mod gate;
mod infer;
mod normalize;
mod record;
mod template;
mod values;
mod write;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use check::ProfileError;
pub use detect::detect;
pub use engine::{Converted, Converter};
pub use family::family_member;
pub use gate::form_mismatch;
pub(crate) use gate::shown as shown_form_name;
pub use infer::{Inference, infer};
pub use normalize::normalize;
pub use record::{Place, RecordBuilder, Scalar, Shape};
pub use template::{TRI_STATE_LABELS, template_name, template_profile};
pub use write::LayoutWriter;

/// A mapping profile.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    /// Short name, e.g. `ctdc-global-2020`.
    pub name: String,
    /// One line saying what the layout is.
    pub title: String,
    /// Longer notes: where the layout comes from, its quirks.
    #[serde(default)]
    pub description: String,
    /// The hub version the profile produces.
    pub schema_version: String,
    /// For a variant of a layout converting to another version: the built-in profile it is a
    /// variant of, whose settings and columns it takes, with its own columns replacing the
    /// base's of the same header (`spec/profiles.md`, profile families).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// For submissions of a form (ODK / KoboToolbox): the form they must come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Form>,
    /// Worksheet to read (name); default: the first sheet.
    #[serde(default)]
    pub sheet: Option<String>,
    /// 1-based row of the headers (rows above are titles); default 1.
    #[serde(default = "one")]
    pub header_row: u32,
    /// 1-based row of the first data row; default: the row after the header.
    #[serde(default)]
    pub data_row: Option<u32>,
    /// Cell values that mean "not recorded", for every column unless the column says otherwise.
    #[serde(default)]
    pub missing: Vec<String>,
    /// How dates written as text are ordered: `ymd` (ISO, default), `dmy` or `mdy`.
    #[serde(default)]
    pub date_order: DateOrder,
    /// Which ISO 3166-1 codes the layout writes in its country columns (`alpha2`, default, or
    /// `alpha3`); both are read.
    #[serde(default, skip_serializing_if = "CountryCodes::is_alpha2")]
    pub country_codes: CountryCodes,
    /// Whether `ctdx convert --to` writes the layout back as its release wrote it: a cell read in
    /// another spelling than the one written back (`00` where `-99` is written, a blank cell, a
    /// summary column that its flags do not regenerate) is then reported (P011), so that every
    /// difference of a round trip is listed (`spec/profiles.md`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub round_trip: bool,
    /// The columns, in the layout's order.
    #[serde(rename = "column")]
    pub columns: Vec<Column>,
}

/// The form (XForm / XLSForm) a layout's submissions come from, as submissions name it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Form {
    /// The form id: the `id` attribute of a submission's root element (the XLSForm's
    /// `form_id`, by default the file's name).
    pub id: String,
    /// The form versions the profile was written for: the root's `version` attribute, and
    /// KoboToolbox's `__version__` column; empty means any version.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

fn one() -> u32 {
    1
}

/// Order of day, month and year in dates written as text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Year, month, day (ISO 8601).
    #[default]
    Ymd,
    /// Day, month, year.
    Dmy,
    /// Month, day, year.
    Mdy,
}

/// The ISO 3166-1 codes a layout writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CountryCodes {
    /// Two letters (`US`), as the hub record holds them.
    #[default]
    Alpha2,
    /// Three letters (`USA`), as CTDC's synthetic releases write them.
    Alpha3,
}

impl CountryCodes {
    fn is_alpha2(&self) -> bool {
        *self == Self::Alpha2
    }
}

/// One column of a layout.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Column {
    /// The header as the layout writes it.
    pub header: String,
    /// Other headers seen for this column (other languages, known typos, older releases).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What the column holds.
    pub kind: Kind,
    /// The JSON pointer of the hub field (or group of facts) it fills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Partner value → hub code (compared after normalising case and spaces).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, String>,
    /// Missing-value tokens of this column, replacing the profile's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    /// Separator of a multi-valued cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// For `list`: what the group's facts that are not listed become (`no` or `unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unlisted: Option<String>,
    /// For `drop`: why the column is not carried over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<DropReason>,
    /// For a `drop` column derived from a group of facts: the group (used when writing the layout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Partner values the value map sends to a coarser code, shared with other values, because
    /// the target version has nothing finer (HTCDS's `PhysicalThreats` → `threats`); each use
    /// is reported, naming the value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lossy: Vec<String>,
    /// Partner values the target version has no code for, not even a coarser one: read as not
    /// recorded and reported (P011), never guessed at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
    /// Keys of `values` that are read but never written (older or re-padded spellings such as
    /// `09--17`): writing the layout uses the other key of the code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_only: Vec<String>,
    /// For a derived column regenerated from its group: its labels in the order the layout joins
    /// them (default: the standard's order of facts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub label_order: Vec<String>,
    /// For a column whose header cell is blank in the layout: its letter (e.g. `AI`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Free notes for people reading the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a column holds, and so how its cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A code of a closed list (value map, or the codes themselves in any case).
    Code,
    /// One tri-state fact (default map `1` / `0` / `-99` → yes / no / unknown).
    Flag,
    /// A year (also taken from a date).
    Year,
    /// A country: ISO alpha-2 or alpha-3 code, or a name in English, Spanish, French, Portuguese.
    Country,
    /// A multi-valued cell listing facts of one group.
    List,
    /// A multi-valued cell of countries (codes or names), written as a list of codes.
    Countries,
    /// The partner's own case ID, to `/caseId`: usable only with `--pseudonymize-key`, which
    /// replaces it by its keyed hash before anything else sees it (without a key the record is
    /// refused, S005).
    CaseId,
    /// A birth date: never carried over; with a reference date it gives the age band and the
    /// majority status at registration.
    BirthDate,
    /// The date the person was registered (or referred): gives the year of registration when
    /// `to` is set, and the reference for the age band.
    ReferenceDate,
    /// Whether the person agreed that the record be shared (`values` maps the layout's spellings
    /// to `yes` / `no`, over `1` / `0` / `yes` / `no`): a row whose consent is not `yes` is left
    /// out of the output, with P017 at its cell. Never carried over.
    Consent,
    /// The version of the form a submission was made with (KoboToolbox's `__version__`): a row of
    /// a version the profile's `[form]` does not list is left out, with P018. Never carried over.
    FormVersion,
    /// Not carried over, on purpose (`reason` says why).
    Drop,
}

/// Why a column is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// It identifies a person (name, birth date, phone, address…). The privacy gate still scans
    /// its cells, so the partner learns what it was about to send elsewhere.
    Identifier,
    /// It repeats other columns (e.g. CTDC's `…Concatenated` columns).
    Derived,
    /// The hub standard has no field for it.
    NotInStandard,
    /// The template's own row numbering: a row with nothing else is an unused template row.
    RowNumber,
    /// Not data: a notice the release prints as a column (CTDC's terms-of-use sentence as the
    /// first header, every cell empty). Written back as the release wrote it; a value in it is
    /// scanned by the privacy gate and reported, never carried over.
    Terms,
}

/// The profiles that ship with ctdx, by name, as their TOML text.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "ctdc-global-2020",
        include_str!("../../schema/profiles/ctdc-global-2020.toml"),
    ),
    // Before `ctdc-synthetic-2021`: both know the same headers, and detection keeps the last of
    // equal matches, so the release is detected as the 1.0 profile, which loses least.
    (
        "ctdc-synthetic-2021-2.0",
        include_str!("../../schema/profiles/ctdc-synthetic-2021-2.0.toml"),
    ),
    (
        "ctdc-synthetic-2021",
        include_str!("../../schema/profiles/ctdc-synthetic-2021.toml"),
    ),
    (
        "ctdc-synthetic-2024",
        include_str!("../../schema/profiles/ctdc-synthetic-2024.toml"),
    ),
    (
        "htcds-2.0-excel",
        include_str!("../../schema/profiles/htcds-2.0-excel.toml"),
    ),
    (
        "htcds-2.0-excel-1.0",
        include_str!("../../schema/profiles/htcds-2.0-excel-1.0.toml"),
    ),
    (
        "htcds-xlsform",
        include_str!("../../schema/profiles/htcds-xlsform.toml"),
    ),
    (
        "htcds-xlsform-1.0",
        include_str!("../../schema/profiles/htcds-xlsform-1.0.toml"),
    ),
];

/// Loads a built-in profile by name (the partner layouts, and the hub templates of every
/// version).
pub fn builtin(name: &str) -> Option<Result<Profile, ProfileError>> {
    if let Some(version) = crate::model::SchemaVersion::ALL
        .iter()
        .find(|v| template_name(**v) == name)
    {
        return Some(Ok(template_profile(*version)));
    }
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| Profile::from_toml(text, n))
}

/// Every built-in profile, parsed and checked: the partner layouts, then the hub templates.
pub fn builtins() -> Vec<Profile> {
    BUILTIN
        .iter()
        .filter_map(|(n, text)| Profile::from_toml(text, n).ok())
        .chain(
            crate::model::SchemaVersion::ALL
                .iter()
                .map(|v| template_profile(*v)),
        )
        .collect()
}

impl Profile {
    /// Parses and checks a profile; `origin` names it in errors (file path or built-in name).
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, ProfileError> {
        let syntax = |message: String| ProfileError::Syntax {
            origin: origin.to_owned(),
            message,
        };
        let profile: Profile = match family::apply_base(text, origin)? {
            Some(merged) => merged.try_into().map_err(|e| syntax(e.to_string()))?,
            None => toml::from_str(text).map_err(|e| syntax(e.to_string()))?,
        };
        profile.check(origin)?;
        Ok(profile)
    }

    /// The profile as TOML (for `ctdx profile show` and `infer`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_profile_loads() {
        for (name, text) in BUILTIN {
            let profile = Profile::from_toml(text, name);
            assert!(profile.is_ok(), "{name}: {profile:?}");
        }
        assert_eq!(
            builtins().len(),
            BUILTIN.len() + crate::model::SchemaVersion::ALL.len()
        );
    }

    #[test]
    fn ctdc_layouts_have_their_released_columns() {
        let load = |name| builtin(name).and_then(Result::ok).expect("built in");
        let global = load("ctdc-global-2020");
        let released = global.header_cells();
        assert_eq!(released.len(), 64);
        assert!(released[0].starts_with("By using this data you agree to the Terms of Use"));
        assert_eq!(released[1], "yearOfRegistration");
        assert_eq!(released[63], "recruiterRelationUnknown");
        let synthetic = load("ctdc-synthetic-2021");
        let synthetic = synthetic.header_cells();
        assert_eq!(synthetic.len(), 37);
        assert_eq!(synthetic[18], "meansOfControlThreatOfLawEnforce");
        assert_eq!(synthetic[36], "recruiterRelationOther");
        assert_eq!(load("ctdc-synthetic-2024").header_cells().len(), 27);
    }
}
