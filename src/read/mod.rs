//! Readers: each turns a partner file into a stream of raw records with their origin, in bounded
//! memory (one record at a time), hashing the input as it goes for the report's provenance.

pub mod csv;
mod decode;
mod hashing;
mod json;
pub mod table;

pub use hashing::HashingReader;
pub use json::{Item, JsonReader, Layout, Limits};
