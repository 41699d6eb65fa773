//! X015 `formula-injection`: a value that a spreadsheet would run as a formula when the hub's
//! export is opened (`=HYPERLINK(…)`, `+cmd…`, `@SUM(…)`, a leading TAB or CR, or `-` not
//! followed by a plain number). Reported, never rewritten: the gate is read-only. CTDC's `-99`
//! (and any negative number) is fine.

use crate::diag::{Code, Diagnostic};

/// Whether `value` starts like a spreadsheet formula.
pub fn starts_like_formula(value: &str) -> bool {
    match value.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => true,
        Some('-') => !is_plain_number(&value[1..]),
        _ => false,
    }
}

/// Digits, optionally with one decimal point between digits.
fn is_plain_number(s: &str) -> bool {
    let mut parts = s.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

/// The finding; the first character is named, never the formula.
pub fn diagnostic() -> Diagnostic {
    Diagnostic::new(
        Code::FormulaInjection,
        "the value starts like a spreadsheet formula",
    )
    .with_hint(
        "spreadsheets run such values when the file is opened; correct the value at the source \
         (ctdx never rewrites it)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts() {
        for v in [
            "=1+1", "+cmd", "@SUM(A1)", "\tx", "\rx", "-cmd", "--x", "-", "-1e5",
        ] {
            assert!(starts_like_formula(v), "{v:?}");
        }
    }

    #[test]
    fn numbers_and_plain_text_are_fine() {
        for v in ["-99", "-1", "-2.5", "18--20", "48+", "a=b", "", "male"] {
            assert!(!starts_like_formula(v), "{v:?}");
        }
    }
}
