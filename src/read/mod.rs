//! Readers: each turns a partner file into a stream of raw records with their origin, in bounded
//! memory (one record at a time), hashing the input as it goes for the report's provenance.

pub mod csv;
mod decode;
mod hashing;
mod json;
pub mod limits;
mod line_index;
mod preflight;
pub mod sniff;
pub mod table;
pub mod xlsx;
pub mod xml;

pub use hashing::HashingReader;
pub use json::{Item, JsonReader};
pub use limits::{Breach, Limit, Limits};

/// How records are laid out in an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Layout {
    /// One JSON value per line.
    JsonLines,
    /// One JSON array whose elements are the records.
    JsonArray,
    /// A CSV file converted with a profile.
    Csv,
    /// A worksheet of an XLSX workbook converted with a profile.
    Xlsx,
    /// XML: ODK / KoboToolbox submissions converted with a profile, or canonical XML.
    Xml,
}
