//! One file per command: each turns its arguments into library calls and returns an exit code.

pub mod anonymize;
pub mod convert;
pub mod explain;
pub mod migrate;
pub mod privacy;
pub mod profile;
pub mod pseudonymize;
pub mod schema;
pub mod schema_diff;
pub mod template;
pub mod validate;
