//! The parse stage: raw bytes to a JSON value, or a P001 finding.
//!
//! serde_json's syntax errors come from a fixed set of messages that never quote the input, so
//! their wording is kept; any other error category gets a generic message.

use serde_json::Value;
use serde_json::error::Category;

use crate::diag::{Code, Diagnostic, SourceLocation};

/// Parses record number `record`, which starts on `line`. On failure the finding points at the
/// line of the error.
pub(crate) fn parse(bytes: &[u8], record: u64, line: u64) -> Result<Value, Box<Diagnostic>> {
    serde_json::from_slice(bytes).map_err(|error| {
        let what = match error.classify() {
            Category::Syntax | Category::Eof => {
                let text = error.to_string();
                match text.rfind(" at line ") {
                    Some(cut) => text[..cut].to_owned(),
                    None => text,
                }
            }
            Category::Io | Category::Data => "unreadable JSON".to_owned(),
        };
        let error_line = line + error.line().saturating_sub(1) as u64;
        Box::new(
            Diagnostic::new(
                Code::InvalidJson,
                format!("malformed JSON: {what} (column {})", error.column()),
            )
            .with_hint("each record must be one complete JSON object; in JSON Lines, one per line")
            .located(SourceLocation::Json {
                record,
                line: error_line,
            }),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_the_line_of_the_error_without_the_input() {
        let bad = b"{\n\"name\": \"Maria Lopez\"\n\"x\": 1}";
        let d = parse(bad, 2, 10).expect_err("malformed");
        assert_eq!(d.code, Code::InvalidJson);
        assert_eq!(
            d.location,
            Some(SourceLocation::Json {
                record: 2,
                line: 12
            })
        );
        assert!(!d.message.contains("Maria"), "{}", d.message);
        assert!(
            d.message.starts_with("malformed JSON: expected `,` or `}`"),
            "{}",
            d.message
        );
    }
}
