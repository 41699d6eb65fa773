//! Any text through every detector, the name check and the masking: no panic, and every hit is
//! a non-empty span on character boundaries.
#![no_main]

use ctdx::privacy::detect::{Context, scan};
use ctdx::privacy::mask::Masked;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for date_cell in [false, true] {
        for hit in scan(&text, Context::default().in_date_cell(date_cell)) {
            assert!(hit.start < hit.end);
            assert!(text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end));
            let masked = Masked::of(&text, &hit);
            assert!(masked.from <= masked.to);
        }
    }
    let _ = ctdx::privacy::check_column_name(&text);
    let _ = ctdx::privacy::formula::starts_like_formula(&text);
    let _ = ctdx::privacy::scan_cell(&text, &serde_json::Value::String(text.to_string()));
});
