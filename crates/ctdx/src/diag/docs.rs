//! The documentation of each code, taken from the catalogue in `spec/error-codes.md` (embedded at
//! build time, so `ctdx explain` works without the repository).
//!
//! Each code has a section headed `## <id> <slug>`; a test checks that every code has one whose
//! severity line matches the code's default.

use super::Code;

/// The catalogue as committed.
pub const CATALOGUE: &str = include_str!("../../../../spec/error-codes.md");

/// The catalogue section of a code (its heading included), or a one-line fallback.
pub fn explain(code: Code) -> String {
    section(CATALOGUE, code).map_or_else(
        || format!("{} {}: {}", code.id(), code.slug(), code.info().summary),
        |s| s.trim_end().to_owned(),
    )
}

/// The text from the code's `## ` heading to the next `## ` heading.
fn section(doc: &str, code: Code) -> Option<&str> {
    let heading = format!("## {} {}", code.id(), code.slug());
    let start = doc.lines().find(|l| l.trim_end() == heading)?;
    let offset = start.as_ptr() as usize - doc.as_ptr() as usize;
    let rest = &doc[offset..];
    let end = rest[heading.len()..]
        .find("\n## ")
        .map_or(rest.len(), |i| heading.len() + i + 1);
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_section_with_its_severity() {
        for &code in Code::ALL {
            let text = section(CATALOGUE, code).unwrap_or_else(|| {
                panic!(
                    "spec/error-codes.md lacks `## {} {}`",
                    code.id(),
                    code.slug()
                )
            });
            let severity = format!("**Severity:** {}", code.info().severity);
            assert!(
                text.contains(&severity),
                "{}: section must say `{severity}`",
                code.id()
            );
            for heading in ["### What it means", "### Example", "### How to fix"] {
                assert!(
                    text.contains(heading),
                    "{}: section lacks `{heading}`",
                    code.id()
                );
            }
        }
    }
}
