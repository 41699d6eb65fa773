//! The version stage: which schema a record is checked against.
//!
//! The record's own `schemaVersion` decides, unless `--schema-version` forces one (with one
//! released version, a forced version can only disagree with an unreleased one). A record
//! without a usable `schemaVersion` is checked against the forced or newest version, so that the
//! structural stage reports what is missing.

use serde_json::Value;

use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::model::SchemaVersion;

/// The version to check the record against, or the finding that stops it.
pub(crate) fn detect(
    record: &Value,
    forced: Option<SchemaVersion>,
) -> Result<SchemaVersion, Box<Diagnostic>> {
    let named = record.get("schemaVersion").and_then(Value::as_str);
    let pointer = JsonPointer::root().join("schemaVersion");
    let known = named.map(str::parse::<SchemaVersion>);
    match (forced, known) {
        (_, Some(Err(_))) => Err(Box::new(
            Diagnostic::new(
                Code::UnknownSchemaVersion,
                "the record names a schema version that is not released (value not shown)",
            )
            .with_hint(format!(
                "released versions: {}",
                SchemaVersion::ALL
                    .iter()
                    .map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .at(pointer),
        )),
        (Some(want), _) => Ok(want),
        (None, Some(Ok(have))) => Ok(have),
        (None, None) => Ok(SchemaVersion::LATEST),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn record_version_or_forced_version() {
        assert_eq!(
            detect(&json!({"schemaVersion": "1.0"}), None),
            Ok(SchemaVersion::V1_0)
        );
        assert_eq!(detect(&json!({}), None), Ok(SchemaVersion::LATEST));
        assert_eq!(
            detect(&json!(42), Some(SchemaVersion::V1_0)),
            Ok(SchemaVersion::V1_0)
        );
    }

    #[test]
    fn unknown_versions_are_reported_without_their_value() {
        for named in ["9.1", "Maria"] {
            let d = detect(&json!({"schemaVersion": named}), None).expect_err("unknown");
            assert_eq!(d.code, Code::UnknownSchemaVersion);
            assert!(!d.message.contains(named));
        }
    }
}
