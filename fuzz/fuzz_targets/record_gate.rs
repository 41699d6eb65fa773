//! Any bytes as a record through the per-record gate (raw text, then the parsed value against the
//! 1.0 schema) and the class tally: no panic.
#![no_main]

use ctdx::diag::{Diagnostics, SourceLocation};
use ctdx::model::SchemaVersion;
use ctdx::privacy::{ClassTally, Policy, Roles, scan_raw, scan_record};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let location = SourceLocation::Json { record: 1, line: 1 };
    let mut sink = Diagnostics::with_cap(Some(100));
    scan_raw(data, &location, &mut sink);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let schema = &ctdx::schema::released(SchemaVersion::V1_0).value;
        scan_record(&value, Some(schema), &location, &mut sink);
        scan_record(&value, None, &location, &mut sink);
        let roles = Roles::from_schema(schema);
        let mut tally = ClassTally::new(roles.quasi_identifiers, roles.sensitive, 8);
        tally.add(&value);
        tally.add(&value);
        let _ = tally.finish(&Policy::default(), None, &mut sink);
    }
    let _ = sink.finish();
});
