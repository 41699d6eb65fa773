//! Any text as a policy file, a hub tallies file and a pseudonymisation key: errors, never panics.
#![no_main]

use ctdx::privacy::{HubTallies, Policy, PseudonymKey, pseudonymize_case_id};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(policy) = Policy::parse(&text, "fuzz.toml") {
        let _ = policy.overrides();
    }
    if let Ok(tallies) = HubTallies::parse(&text) {
        let _ = tallies.to_json();
    }
    if let Ok(key) = PseudonymKey::from_file_bytes(data) {
        let _ = pseudonymize_case_id(&key, &text);
    }
});
