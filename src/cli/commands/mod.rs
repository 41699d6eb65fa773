//! One file per command: each turns its arguments into library calls and returns an exit code.

pub mod anonymize;
pub mod explain;
pub mod privacy;
pub mod pseudonymize;
pub mod schema;
pub mod validate;
