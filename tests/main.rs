//! Integration tests, in one binary to keep link times down: the real `ctdx` binary on the
//! bundled fixtures, the CLI's contract, and the checks that keep `spec/` and `schema/` in step
//! with the code.

mod anonymize;
mod cli;
mod countries;
mod differential;
mod faults;
mod fixtures;
mod fuzz_replay;
mod hostile;
mod htcds;
mod keep_going;
mod limits;
mod migrate;
#[cfg(unix)]
mod outputs;
mod privacy;
mod properties;
mod schema_diff;
mod spec;
mod support;
mod synthetic;
mod xml;
