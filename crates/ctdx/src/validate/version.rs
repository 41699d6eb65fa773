//! The version stage: which schema a record is checked against.
//!
//! The record's own `schemaVersion` decides, unless `--schema-version` forces one. A record that
//! names another released version than the forced one is an M002 finding (checking it against
//! the wrong schema would only produce noise). A record without a usable `schemaVersion` is
//! checked against the forced version, or else the released version whose properties it uses
//! most (the newest on a tie), so that the structural stage reports what is missing rather than
//! every field of another version.

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
        (Some(want), Some(Ok(have))) if want != have => Err(Box::new(
            Diagnostic::new(
                Code::SchemaVersionMismatch,
                format!("the record names version `{have}`, but `{want}` was forced"),
            )
            .with_hint(format!(
                "drop --schema-version to check each record against its own version, or migrate \
                 the record first (`ctdx migrate --to {want}`)"
            ))
            .at(pointer),
        )),
        (Some(want), _) => Ok(want),
        (None, Some(Ok(have))) => Ok(have),
        (None, None) => Ok(best_fit(record)),
    }
}

/// The released version whose top-level properties the record uses most; the newest on a tie.
fn best_fit(record: &Value) -> SchemaVersion {
    let Some(fields) = record.as_object() else {
        return SchemaVersion::LATEST;
    };
    SchemaVersion::ALL
        .iter()
        .copied()
        .max_by_key(|&v| {
            let props = crate::schema::released(v).value.get("properties");
            let known = fields
                .keys()
                .filter(|k| props.and_then(|p| p.get(k)).is_some());
            (known.count(), v)
        })
        .unwrap_or(SchemaVersion::LATEST)
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
        // Without a version, the version whose fields the record uses.
        assert_eq!(
            detect(&json!({"citizenship": "UA", "gender": "female"}), None),
            Ok(SchemaVersion::V1_0)
        );
        assert_eq!(
            detect(&json!({"citizenships": ["UA"]}), None),
            Ok(SchemaVersion::V2_0)
        );
        assert_eq!(
            detect(&json!(42), Some(SchemaVersion::V1_0)),
            Ok(SchemaVersion::V1_0)
        );
    }

    #[test]
    fn a_forced_version_must_match_the_named_one() {
        let d = detect(&json!({"schemaVersion": "1.0"}), Some(SchemaVersion::V2_0))
            .expect_err("mismatch");
        assert_eq!(d.code, Code::SchemaVersionMismatch);
        assert_eq!(
            detect(&json!({"schemaVersion": "2.0"}), Some(SchemaVersion::V2_0)),
            Ok(SchemaVersion::V2_0)
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
