//! The data dictionary of a version, generated from its released schema as Markdown
//! (`spec/<version>/data-dictionary.md`). A test checks the committed file is current.

use std::fmt::Write;

use serde_json::Value;

use crate::model::{SchemaVersion, countries};

/// The Markdown data dictionary of a version, built from its schema (the committed one, or a
/// freshly generated one during `ctdx schema export`).
pub fn data_dictionary(version: SchemaVersion, schema: &Value) -> String {
    let mut out = String::new();
    let id = schema
        .get("$id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<!-- Generated from schema/{} by `ctdx schema export`. Do not edit by hand. -->\n",
        super::relative_path(version)
    );
    let _ = writeln!(out, "# Data dictionary: hub case record {version}\n");
    let _ = writeln!(out, "Schema `$id`: `{id}` (JSON Schema draft 2020-12).\n");
    if let Some(d) = text(schema, "description") {
        let _ = writeln!(out, "{d}\n");
    }
    out.push_str(
        "Every field except `schemaVersion` is optional; an absent fact is an unknown fact. \
         The privacy role (`x-ctdx-privacy`) tells the privacy gate which fields are \
         quasi-identifiers (k-anonymity) and which are sensitive (l-diversity).\n\n",
    );
    write_fields(&mut out, schema);
    write_code_lists(&mut out, schema);
    out
}

fn write_fields(out: &mut String, schema: &Value) {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    out.push_str(
        "## Fields\n\n| Field | Title | Type | Required | Privacy role |\n|---|---|---|---|---|\n",
    );
    let props = schema.get("properties").and_then(Value::as_object);
    for (name, prop) in props.into_iter().flatten() {
        let _ = writeln!(
            out,
            "| `{name}` | {} | {} | {} | {} |",
            text(prop, "title").unwrap_or_default(),
            type_of(schema, prop),
            if required.contains(&name.as_str()) {
                "yes"
            } else {
                "no"
            },
            text(prop, "x-ctdx-privacy").unwrap_or("none"),
        );
    }
    out.push('\n');
    for (name, prop) in props.into_iter().flatten() {
        let _ = writeln!(
            out,
            "### `{name}`\n\n{}\n",
            text(prop, "description").unwrap_or_default()
        );
    }
}

fn write_code_lists(out: &mut String, schema: &Value) {
    out.push_str("## Code lists\n\n");
    let defs = schema.get("$defs").and_then(Value::as_object);
    for (name, def) in defs.into_iter().flatten() {
        let _ = writeln!(
            out,
            "### {name}\n\n{}\n",
            text(def, "description").unwrap_or_default()
        );
        if name == "Country" {
            out.push_str("| Code | Alpha-3 | English | Español | Français | Português |\n|---|---|---|---|---|---|\n");
            for c in countries() {
                let _ = writeln!(
                    out,
                    "| `{}` | `{}` | {} | {} | {} | {} |",
                    c.alpha2, c.alpha3, c.name_en, c.name_es, c.name_fr, c.name_pt
                );
            }
        } else if let Some(codes) = def.get("enum").and_then(Value::as_array) {
            out.push_str("| Code | Meaning |\n|---|---|\n");
            for code in codes.iter().filter_map(Value::as_str) {
                let label = def.pointer(&format!("/x-ctdx-labels/{}", escape(code)));
                let _ = writeln!(
                    out,
                    "| `{code}` | {} |",
                    label.and_then(Value::as_str).unwrap_or_default()
                );
            }
        } else if let Some(props) = def.get("properties").and_then(Value::as_object) {
            out.push_str("Each property is a tri-state fact (`yes` / `no` / `unknown`).\n\n| Property | Meaning |\n|---|---|\n");
            for (code, p) in props {
                let _ = writeln!(
                    out,
                    "| `{code}` | {} |",
                    text(p, "title").unwrap_or_default()
                );
            }
        } else if let Some(pattern) = text(def, "pattern") {
            let _ = writeln!(out, "Pattern: `{pattern}`");
        }
        out.push('\n');
    }
}

/// A short type description, linking code lists by name.
fn type_of(root: &Value, prop: &Value) -> String {
    if let Some(name) = text(prop, "$ref").and_then(|r| r.strip_prefix("#/$defs/")) {
        let def = root.pointer(&format!("/$defs/{}", escape(name)));
        let kind = match def {
            Some(d) if d.get("enum").is_some() => "code",
            Some(d) if d.get("properties").is_some() => "facts",
            _ => "string",
        };
        return format!("{kind}: [{name}](#{})", name.to_lowercase());
    }
    if text(prop, "type") == Some("array") {
        if let Some(items) = prop.get("items") {
            let unique = prop.get("uniqueItems") == Some(&Value::Bool(true));
            return format!(
                "list of {}{}",
                type_of(root, items),
                if unique { ", each once" } else { "" }
            );
        }
    }
    let mut t = text(prop, "type").unwrap_or("any").to_owned();
    if let (Some(min), Some(max)) = (prop.get("minimum"), prop.get("maximum")) {
        let _ = write!(t, " {min}–{max}");
    }
    t
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_dictionaries_are_current() {
        let committed = [
            (
                SchemaVersion::V1_0,
                include_str!("../../../../spec/1.0/data-dictionary.md"),
            ),
            (
                SchemaVersion::V2_0,
                include_str!("../../../../spec/2.0/data-dictionary.md"),
            ),
        ];
        for (version, text) in committed {
            let generated = data_dictionary(version, &super::super::released(version).value);
            assert!(
                generated == text,
                "spec/{version}/data-dictionary.md is out of date; run `cargo run -- schema export`"
            );
        }
    }
}
