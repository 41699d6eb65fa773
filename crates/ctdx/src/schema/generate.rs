//! Generates the JSON Schema of each version from the Rust types (schemars, draft 2020-12).
//!
//! The committed files in `schema/` must equal this output; a test fails when they drift.

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use crate::model::{SchemaVersion, v1, v2};

/// The `$id` of a version's case-record schema: a URN, since the standard has no web home.
pub fn schema_id(version: SchemaVersion) -> String {
    format!("urn:ctdx:schema:case-record:{version}")
}

/// The schema of one version as generated from its types, `$schema` and `$id` first.
pub fn case_record_schema(version: SchemaVersion) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema = match version {
        SchemaVersion::V1_0 => generator.into_root_schema_for::<v1::CaseRecord>(),
        SchemaVersion::V2_0 => generator.into_root_schema_for::<v2::CaseRecord>(),
    };
    with_id_first(schema.to_value(), &schema_id(version))
}

/// Puts `$schema` and `$id` at the top, where readers look for them.
pub fn with_id_first(schema: Value, id: &str) -> Value {
    let Value::Object(body) = schema else {
        return schema;
    };
    let mut out = Map::new();
    if let Some(draft) = body.get("$schema") {
        out.insert("$schema".into(), draft.clone());
    }
    out.insert("$id".into(), id.into());
    for (k, v) in body {
        if k != "$schema" && k != "$id" {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

/// The text of a schema file: two-space indentation and a final newline.
pub fn to_file_text(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}
