//! # ctdx: the Counter-Trafficking Data eXchange
//!
//! The hub case-record standard (versioned Rust types with generated JSON Schemas) and the
//! library behind the `ctdx` tool, which checks partner contributions before they enter the hub.
//!
//! ```text
//! JSON / JSON Lines ──read (one thread)──▶ chunks ──▶ typed record (all cores) ──▶ rules
//!                                             │ refused: JSON Schema explains,  │ in input order:
//!                                             ▼ privacy scan                    ▼ privacy classes
//!          Diagnostics ──▶ FileReport (+ privacy section) ──▶ Report ──▶ renderers (human, JSON)
//! ```
//!
//! Records of every released version ([`model::SchemaVersion`]) can be checked in one batch;
//! [`migrate`] moves them between versions with a data-loss report, and [`schema::diff`]
//! classifies the changes between two schemas (breaking, non-breaking, info).
//! The privacy gate ([`privacy`]) finds direct identifiers in whatever a record should not hold,
//! and judges the batch's k-anonymity over the schema's quasi-identifiers; no finding ever repeats
//! a suspected identifier.
//!
//! The library never prints: it returns data ([`report::Report`]) and the binary renders it.
//!
//! ```
//! use ctdx::validate::{validate_reader, ValidateOptions};
//!
//! let input = br#"{"schemaVersion":"1.0","gender":"female","ageBand":"9--17","majorityStatus":"adult"}"#;
//! let report = validate_reader(&input[..], "inline.jsonl", &ValidateOptions::new(2026)).unwrap();
//! assert_eq!(report.findings[0].code.id(), "R001");
//! ```

pub mod convert;
pub mod diag;
pub mod error;
pub(crate) mod id_map;
pub mod migrate;
pub mod model;
pub mod privacy;
pub mod profile;
pub mod read;
pub mod report;
pub mod schema;
pub mod template;
pub mod text;
pub mod validate;

pub use error::{Error, ErrorKind};
