//! The hub case record as Rust types, one module per version of the standard, and the code lists
//! they share. The JSON Schemas in `schema/` are generated from these types (`ctdx schema export`).

mod case_id;
pub(crate) mod code_list;
mod country;
mod country_names;
pub mod fields;
pub(crate) mod strict;
pub mod v1;
pub mod v2;

use std::fmt;
use std::str::FromStr;

pub use case_id::{CASE_ID_PATTERN, CaseId};
pub use code_list::{CodeList, FlagSet, TriState};
pub use country::{Country, CountryEntry, countries};
pub use country_names::{
    CountryMatch, PLACEHOLDER_CODES, is_placeholder_code, lookup_country, names_listed,
    resolve_country,
};

/// A released version of the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SchemaVersion {
    /// 1.0: CTDC Global Dataset semantics.
    V1_0,
    /// 2.0: aligned with the IOM HTCDS 2.0 code lists.
    V2_0,
}

impl SchemaVersion {
    /// Every released version, oldest first.
    pub const ALL: &'static [SchemaVersion] = &[SchemaVersion::V1_0, SchemaVersion::V2_0];

    /// The newest released version.
    pub const LATEST: SchemaVersion = SchemaVersion::V2_0;

    /// The version as written in records, e.g. `1.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1_0 => "1.0",
            Self::V2_0 => "2.0",
        }
    }
}

impl fmt::Display for SchemaVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for text that names no released version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVersion;

impl FromStr for SchemaVersion {
    type Err = UnknownVersion;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == s)
            .ok_or(UnknownVersion)
    }
}
