//! Fuzz target `xml_reader`: see `fuzz/targets.rs` for what it drives and what it asserts.
#![no_main]

#[path = "../targets.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::xml_reader(data));
